//! Read-only connections, shared by reads that run on tokio's blocking threads.
//!
//! Each read runs in its own read transaction, so it sees one snapshot of the
//! database: every group committed before it began, nothing committed during it.

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

    fn give_back(&self, conn: Connection) {
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn);
        self.returned.notify_one();
    }

    /// Runs `f` in a read transaction on an idle connection, waiting for one.
    fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Error>) -> Result<T, Error> {
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
            conn: Some(self.take()),
        };
        let conn = lease.conn.as_mut().expect("leased connection");
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on a blocking thread of the tokio runtime.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.with(f).map_err(Error::into_store))
            .await
            .map_err(|e| StoreError::Backend(format!("a sqlite read did not finish: {e}")))?
    }
}
