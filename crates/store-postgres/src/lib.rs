//! The PostgreSQL store: several roster processes serve over one database.
//!
//! Connections come from a `deadpool-postgres` pool; statements are prepared once
//! per connection and cached. Every store call is one transaction:
//!
//! - writes run at SERIALIZABLE. A serialization failure or deadlock (SQLSTATE 40001,
//!   40P01), which PostgreSQL reports when concurrent transactions could not be
//!   ordered, rolls the transaction back and runs it again after a short randomized
//!   backoff, up to [`PostgresOptions::max_attempts`] times;
//! - reads run at REPEATABLE READ, READ ONLY, so each sees one snapshot holding every
//!   write committed before it began.
//!
//! Unique names are unique indexes (usernames per instance compared lowered, aliases
//! per account and region, profile, group and attribute names per instance); the
//! store also looks before it inserts so that its `Duplicate` errors say what clashed,
//! and a violation of one of those indexes by a concurrent insert maps to the same
//! error. The users-per-instance quota is a counter row per instance updated in the
//! transaction that creates or deletes a user.
//!
//! The schema is brought up to date at [`PostgresStore::connect`] (see `schema.rs`);
//! processes starting together on one database wait for each other there.

mod db;
mod error;
mod hierarchy;
mod hours;
mod instances;
mod proficiencies;
mod queues;
mod quick_connects;
mod routing;
mod schema;
mod scope;
mod search;
mod security_profiles;
mod tags;
mod users;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use roster_domain::entities::{Queue, QueueType, RoutingProfile, SecurityProfile};
use roster_domain::hierarchy::{HierarchyGroup, HierarchyStructure};
use roster_domain::hours::{HoursChange, HoursOfOperation};
use roster_domain::instance::{Instance, InstanceAttributeType};
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::queues::{QueueChange, QueueSummary};
use roster_domain::quick_connect::{QuickConnect, QuickConnectChange, QuickConnectType};
use roster_domain::security::SecurityProfileUpdate;
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::user::User;
use roster_domain::{InstanceRef, Scope, Timestamp};
use roster_store::{
    NewInstance, PageRequest, ResourceRef, RoutingProfileEdit, SearchPage, SearchRequest, Store,
    StoreError, StoreResult, UserEdit, UserSummary,
};

use crate::db::{transaction, Mode};
use crate::error::{Error, Result};

pub use crate::schema::versions as schema_versions;
pub use crate::schema::LATEST_VERSION as SCHEMA_VERSION;

/// Prepared statements a connection keeps before it forgets them all. Searches
/// compile to statements whose text depends on the shape of the query; this bounds
/// how many a long-lived connection collects.
const MAX_CACHED_STATEMENTS: usize = 512;

/// How the store is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresOptions {
    /// Connections kept at most; at most this many calls run at once.
    pub pool_size: usize,
    /// How long a call waits for a free connection, and how long opening one may
    /// take, before it fails.
    pub connect_timeout: Duration,
    /// Attempts of a transaction that keeps conflicting with concurrent ones before
    /// the call fails with `Backend`.
    pub max_attempts: u32,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            pool_size: 16,
            connect_timeout: Duration::from_secs(10),
            max_attempts: 40,
        }
    }
}

/// Counters of the store since it was connected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PostgresStats {
    /// Transaction attempts that conflicted with concurrent transactions (and were
    /// run again, or failed the call after the last attempt).
    pub conflicts: u64,
    /// Calls that failed because every attempt conflicted.
    pub exhausted: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    conflicts: AtomicU64,
    exhausted: AtomicU64,
}

impl Counters {
    pub(crate) fn conflict(&self) {
        self.conflicts.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn exhausted(&self) {
        self.exhausted.fetch_add(1, Ordering::Relaxed);
    }
}

/// The PostgreSQL [`Store`].
pub struct PostgresStore {
    pool: Pool,
    /// `user@host:port/dbname`, never the password.
    target: String,
    trigram_indexes: bool,
    options: PostgresOptions,
    counters: Counters,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PostgresStore")
            .field("target", &self.target)
            .field("pool_size", &status.max_size)
            .field("connections", &status.size)
            .field("idle", &status.available)
            .field("trigram_indexes", &self.trigram_indexes)
            .field("stats", &self.stats())
            .finish()
    }
}

/// `user@host:port/dbname` of a configuration: what the logs may show of it.
fn describe_target(config: &tokio_postgres::Config) -> String {
    let user = config.get_user().unwrap_or("");
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    let db = config.get_dbname().unwrap_or(user);
    format!("{user}@{}/{db}", hosts.join(","))
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`,
    /// or a key=value connection string), brings its schema up to date and creates
    /// the trigram indexes of user names when `pg_trgm` is available. A database
    /// written by a newer roster, with a schema version above [`SCHEMA_VERSION`], is
    /// refused. Errors never contain the password.
    pub async fn connect(url: &str, options: PostgresOptions) -> Result<PostgresStore, StoreError> {
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|e: tokio_postgres::Error| {
                StoreError::Backend(format!("the database URL is not valid: {e}"))
            })?;
        if config.get_application_name().is_none() {
            config.application_name("roster");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.connect_timeout);
        }
        let target = describe_target(&config);
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.connect_timeout))
            .create_timeout(Some(options.connect_timeout))
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot build the connection pool: {e}")))?;
        let opening = |e: Error| match e {
            Error::Store(e) => e,
            other => StoreError::Backend(format!("cannot open the database {target}: {other}")),
        };
        let mut client = pool.get().await.map_err(|e| opening(e.into()))?;
        let applied = schema::migrate(&mut client, Timestamp::now().0)
            .await
            .map_err(opening)?;
        if !applied.is_empty() {
            tracing::info!(database = %target, versions = ?applied, "applied schema migrations");
        }
        let trigram_indexes = schema::ensure_trigram_indexes(&mut client)
            .await
            .map_err(opening)?;
        drop(client);
        Ok(PostgresStore {
            pool,
            target,
            trigram_indexes,
            options,
            counters: Counters::default(),
        })
    }

    /// The database this store uses, as `user@host:port/dbname` (no password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// How often transactions conflicted since the store was connected.
    pub fn stats(&self) -> PostgresStats {
        PostgresStats {
            conflicts: self.counters.conflicts.load(Ordering::Relaxed),
            exhausted: self.counters.exhausted.load(Ordering::Relaxed),
        }
    }

    /// Whether the trigram indexes of user names exist (CONTAINS searches on names
    /// use them for needles of three characters or more).
    pub fn trigram_indexes(&self) -> bool {
        self.trigram_indexes
    }

    /// Checks that a connection can be had and answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let client = self.client().await.map_err(Error::into_store)?;
        client
            .simple_query("SELECT 1")
            .await
            .map_err(|e| Error::Pg(e).into_store())?;
        Ok(())
    }

    /// Stops handing out connections and closes the idle ones; connections in use
    /// close as they come back.
    pub fn close(&self) {
        self.pool.close();
    }

    pub(crate) fn counters(&self) -> &Counters {
        &self.counters
    }

    pub(crate) fn max_attempts(&self) -> u32 {
        self.options.max_attempts.max(1)
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Client> {
        let client = self.pool.get().await?;
        if client.statement_cache.size() > MAX_CACHED_STATEMENTS {
            client.statement_cache.clear();
        }
        Ok(client)
    }
}

/// Implements [`Store`] for [`PostgresStore`] from the methods written out and the
/// entries of [`roster_store::sql_store_calls!`]
/// (`kind name(parameters) -> output = area::function;`). The kind gives the
/// transaction's [`Mode`]: `write` is SERIALIZABLE, `read` and `read_point` REPEATABLE
/// READ, READ ONLY. A transaction that conflicts runs again, so the area function gets
/// the transaction and then every parameter by reference, never to keep.
macro_rules! store {
    (@mode read) => { Mode::Read };
    (@mode read_point) => { Mode::Read };
    (@mode write) => { Mode::Write };
    ({ $($written:tt)* } $($mode:ident $name:ident($($p:ident: $t:ty),* $(,)?) -> $out:ty
        = $f:path;)*) => {
        #[async_trait]
        impl Store for PostgresStore {
            $($written)*
            $(
                async fn $name(&self, $($p: $t),*) -> StoreResult<$out> {
                    transaction!(self, store!(@mode $mode), |tx| $f(&tx, $(&$p),*))
                }
            )*
        }
    };
}

roster_store::sql_store_calls!(store! {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn close(&self) {
        PostgresStore::close(self)
    }

    async fn create_user(&self, at: &InstanceRef, user: User, max_users: u64) -> StoreResult<()> {
        // Creations in one instance queue on its user-count row (see `Mode::Queued`).
        transaction!(self, Mode::Queued, |tx| users::create(
            &tx, at, &user, max_users
        ))
    }

    async fn create_users(
        &self,
        at: &InstanceRef,
        users: Vec<User>,
        max_users: u64,
    ) -> StoreResult<()> {
        // One transaction, queued on the instance's user-count row like `create_user`.
        transaction!(self, Mode::Queued, |tx| users::create_all(
            &tx, at, &users, max_users
        ))
    }

    async fn update_user(&self, at: &InstanceRef, id: &str, edit: UserEdit) -> StoreResult<User> {
        // The edit runs once, however often the transaction runs (see `PendingEdit`).
        let mut pending = db::PendingEdit::new(edit);
        transaction!(self, Mode::Write, |tx| users::update(
            &tx,
            at,
            id,
            &mut pending
        ))
    }

    async fn update_routing_profile(
        &self,
        at: &InstanceRef,
        id: &str,
        edit: RoutingProfileEdit,
    ) -> StoreResult<RoutingProfile> {
        let mut pending = db::PendingEdit::new(edit);
        transaction!(self, Mode::Write, |tx| routing::update_routing_profile(
            &tx,
            at,
            id,
            &mut pending
        ))
    }

    async fn search_users(
        &self,
        at: &InstanceRef,
        request: &SearchRequest,
    ) -> StoreResult<SearchPage> {
        transaction!(self, Mode::Read, |tx| search::search(&tx, at, request))
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_never_show_the_password() {
        let config: tokio_postgres::Config = "postgres://roster:s3cret@db.example:6543/fleet"
            .parse()
            .unwrap();
        let shown = describe_target(&config);
        assert_eq!(shown, "roster@db.example:6543/fleet");
        let config: tokio_postgres::Config =
            "host=localhost user=me password=hunter2".parse().unwrap();
        assert!(!describe_target(&config).contains("hunter2"));
    }

    #[test]
    fn bad_urls_do_not_echo_the_password() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt
            .block_on(PostgresStore::connect(
                "postgres://u:s3cret@127.0.0.1:1/db?sslmode=nonsense",
                PostgresOptions::default(),
            ))
            .unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}
