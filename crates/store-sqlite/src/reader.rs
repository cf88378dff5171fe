//! Read-only connections, shared by the reads.
//!
//! Each read runs in its own read transaction, so it sees one snapshot of the
//! database: every group committed before it began, nothing committed during it.
//!
//! A read of one bounded thing (a user, an instance, a group) runs on the calling
//! task's own thread when a connection is idle: it takes tens of microseconds, less
//! than handing it to another thread and back. Reads whose cost grows with the data (a
//! page of a list, a search) and point reads that find every connection busy run on
//! tokio's blocking threads.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};

use roster_store::{StoreError, StoreResult};
use rusqlite::Connection;

use crate::error::Error;

pub(crate) struct ReadPool {
    idle: Mutex<Vec<Connection>>,
    returned: Condvar,
}

impl ReadPool {
    pub(crate) fn new(conns: Vec<Connection>) -> Arc<ReadPool> {
        Arc::new(ReadPool {
            idle: Mutex::new(conns),
            returned: Condvar::new(),
        })
    }

    fn take(&self) -> Connection {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = idle.pop() {
                return conn;
            }
            idle = self.returned.wait(idle).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn try_take(&self) -> Option<Connection> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop()
    }

    fn give_back(&self, conn: Connection) {
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn);
        self.returned.notify_one();
    }

    /// Runs `f` in a read transaction on `conn`, then gives the connection back.
    fn with<T>(
        &self,
        conn: Connection,
        f: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        struct Lease<'a> {
            pool: &'a ReadPool,
            conn: Option<Connection>,
        }
        impl Drop for Lease<'_> {
            fn drop(&mut self) {
                // The transaction below rolls back when dropped, also when `f` panics,
                // so the connection comes back without an open transaction.
                if let Some(conn) = self.conn.take() {
                    self.pool.give_back(conn);
                }
            }
        }
        let mut lease = Lease {
            pool: self,
            conn: Some(conn),
        };
        let conn = lease.conn.as_mut().expect("leased connection");
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on a blocking thread of the tokio runtime, waiting there for a
    /// connection.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool.take();
            pool.with(conn, f).map_err(Error::into_store)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("a sqlite read did not finish: {e}")))?
    }

    /// Runs `f`, a read of one bounded thing, on this thread when a connection is
    /// idle, and as [`ReadPool::read`] otherwise.
    pub(crate) async fn read_point<T, F>(self: &Arc<Self>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    {
        match self.try_take() {
            Some(conn) => match catch_unwind(AssertUnwindSafe(|| self.with(conn, f))) {
                Ok(r) => r.map_err(Error::into_store),
                Err(_) => Err(StoreError::Backend("a sqlite read panicked".into())),
            },
            None => self.read(f).await,
        }
    }
}
