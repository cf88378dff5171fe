//! Statements run through the connection's cache of prepared statements, and the
//! retry loop every store call runs its transaction in.

use std::time::Duration;

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use roster_domain::DomainError;
use roster_store::StoreError;

use crate::error::Result;

/// A transaction on a pooled connection.
pub(crate) type Tx<'a> = deadpool_postgres::Transaction<'a>;

/// Parameters of a statement.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

pub(crate) async fn query(tx: &Tx<'_>, sql: &str, params: &Params<'_>) -> Result<Vec<Row>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query(&stmt, params).await?)
}

pub(crate) async fn query_opt(tx: &Tx<'_>, sql: &str, params: &Params<'_>) -> Result<Option<Row>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&stmt, params).await?)
}

pub(crate) async fn query_one(tx: &Tx<'_>, sql: &str, params: &Params<'_>) -> Result<Row> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_one(&stmt, params).await?)
}

/// Runs a statement and returns how many rows it changed.
pub(crate) async fn execute(tx: &Tx<'_>, sql: &str, params: &Params<'_>) -> Result<u64> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&stmt, params).await?)
}

/// Runs a statement that may fail; the raw client error comes back so that the
/// caller can map a constraint violation.
pub(crate) async fn execute_raw(
    tx: &Tx<'_>,
    sql: &str,
    params: &Params<'_>,
) -> Result<std::result::Result<u64, tokio_postgres::Error>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&stmt, params).await)
}

/// Whether a query returns any row.
pub(crate) async fn exists(tx: &Tx<'_>, sql: &str, params: &Params<'_>) -> Result<bool> {
    Ok(!query(tx, sql, params).await?.is_empty())
}

/// The wait before attempt `attempt + 1` of a transaction that conflicted with
/// another: 4 ms doubling to 128 ms, each scaled by a random factor in [0.5, 1.5) so
/// that transactions that conflicted once do not meet again.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(4) * 2u32.pow(attempt.clamp(1, 6) - 1);
    let jitter = (uuid::Uuid::new_v4().as_u128() % 1000) as f64 / 1000.0;
    base.mul_f64(0.5 + jitter)
}

/// Locks every quota slot of an instance until the transaction ends, so that no
/// user creation runs meanwhile (each holds the lock of the slot it counts in). It
/// must be the transaction's first statement.
pub(crate) async fn lock_user_count(tx: &Tx<'_>, instance_id: &str) -> Result<()> {
    execute(
        tx,
        "SELECT used FROM instance_user_slots WHERE instance_id = $1 ORDER BY slot FOR UPDATE",
        &[&instance_id],
    )
    .await?;
    Ok(())
}

/// How a transaction is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// SERIALIZABLE: every write but user creation, which runs at READ COMMITTED
    /// on its quota slot's lock (`users::create`).
    Write,
    /// REPEATABLE READ, READ ONLY: one snapshot for every statement of a read.
    Read,
}

/// Runs `$body` (an expression of a future yielding `Result<T, Error>`, using the
/// transaction bound to `$tx`) in a transaction of `$mode` on a pooled connection,
/// and commits. A serialization failure or deadlock anywhere, commit included, rolls
/// the transaction back and runs it again after a short backoff, up to the store's
/// attempt limit; any other error rolls back and is returned.
macro_rules! transaction {
    ($store:expr, $mode:expr, |$tx:ident| $body:expr) => {{
        let store: &$crate::PostgresStore = $store;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let outcome: $crate::error::Result<_> = async {
                let mut client = store.client().await?;
                let $tx = $crate::db::begin(&mut client, $mode).await?;
                let value = $body.await?;
                $tx.commit().await?;
                Ok(value)
            }
            .await;
            if matches!(&outcome, Err(e) if e.is_transient()) {
                store.counters().conflict();
            }
            match outcome {
                Err(e) if e.is_transient() && attempt < store.max_attempts() => {
                    tracing::debug!(attempt, error = %e, "transaction conflicted; running it again");
                    tokio::time::sleep($crate::db::backoff(attempt)).await;
                }
                Err(e) if e.is_transient() => {
                    store.counters().exhausted();
                    tracing::warn!(attempt, error = %e, "transaction conflicted on every attempt");
                    break Err(roster_store::StoreError::Backend(format!(
                        "postgres: the transaction conflicted with concurrent ones {attempt} times: {e}"
                    )));
                }
                other => break other.map_err($crate::error::Error::into_store),
            }
        }
    }};
}
pub(crate) use transaction;

/// Opens a transaction of `mode` on `client`.
pub(crate) async fn begin(client: &mut deadpool_postgres::Client, mode: Mode) -> Result<Tx<'_>> {
    use tokio_postgres::IsolationLevel;
    let builder = client.build_transaction();
    let tx = match mode {
        Mode::Write => builder.isolation_level(IsolationLevel::Serializable),
        Mode::Read => builder
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true),
    }
    .start()
    .await?;
    Ok(tx)
}

/// An edit that may have to be applied in more than one attempt of its transaction.
///
/// The edit itself can run only once. The first attempt runs it on the value as
/// read (and locked) in that attempt, and keeps the user it read and the result. A
/// later attempt, after a serialization failure, reads and locks the value again: if
/// it is unchanged the result is still the edit's result and is written again; if
/// another writer changed it in between, the update fails rather than overwrite
/// that change.
pub(crate) struct PendingEdit<T> {
    edit: Option<Edit<T>>,
    applied: Option<(T, T)>,
}

/// A pure change to a stored value (`UserEdit`, `RoutingProfileEdit`).
pub(crate) type Edit<T> = Box<dyn FnOnce(&mut T) -> Result<(), DomainError> + Send>;

impl<T: Clone + PartialEq> PendingEdit<T> {
    pub(crate) fn new(edit: Edit<T>) -> Self {
        PendingEdit {
            edit: Some(edit),
            applied: None,
        }
    }

    pub(crate) fn apply(&mut self, before: &T) -> Result<T> {
        if let Some(edit) = self.edit.take() {
            let mut after = before.clone();
            edit(&mut after)?;
            self.applied = Some((before.clone(), after.clone()));
            return Ok(after);
        }
        match &self.applied {
            Some((read, after)) if read == before => Ok(after.clone()),
            _ => Err(StoreError::Backend(
                "the value was changed by another request while this update was being retried; \
                 nothing was changed"
                    .into(),
            )
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_bounded() {
        for attempt in 1..=12 {
            let d = backoff(attempt);
            let base = 4u64 << (attempt.clamp(1, 6) - 1);
            assert!(d >= Duration::from_millis(base / 2), "{attempt}: {d:?}");
            assert!(
                d < Duration::from_millis(base * 3 / 2 + 1),
                "{attempt}: {d:?}"
            );
        }
    }
}
