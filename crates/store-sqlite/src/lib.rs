//! The embedded store: one SQLite database (`roster.db`) in a data directory, in WAL
//! mode with `synchronous=FULL`.
//!
//! Writes go through a single writer thread that commits queued calls in groups (see
//! [`SqliteStore::stats`]); a call returns only after the transaction holding its
//! change has been committed to disk. Reads run on tokio's blocking threads over a
//! small pool of read-only connections, each in its own snapshot, and see every write
//! that has returned. A read of one bounded thing runs on the caller's own thread
//! when a connection is idle (see `reader`).

mod error;
mod hierarchy;
mod hours;
mod instances;
mod proficiencies;
mod queues;
mod quick_connects;
mod reader;
mod routing;
mod schema;
mod scope;
mod search;
mod security_profiles;
mod tags;
mod users;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
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
use rusqlite::{Connection, OpenFlags, Transaction};

use crate::error::Error;
use crate::reader::ReadPool;
use crate::writer::Writer;

pub use crate::schema::versions as schema_versions;
pub use crate::schema::LATEST_VERSION as SCHEMA_VERSION;
pub use crate::writer::WriteStats;

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "roster.db";

/// Page cache of the write connection, KiB. The writer touches every index of the
/// tables it changes; a warm cache keeps inserts into large instances fast.
const WRITER_CACHE_KIB: i64 = 64 * 1024;
/// Pages of write-ahead log past which the writer checkpoints by itself.
const WRITER_CHECKPOINT_PAGES: i64 = 8_000;
/// Page cache of each read connection, KiB.
const READER_CACHE_KIB: i64 = 16 * 1024;

/// SQLite's Unix file layer in its variant for a database one process owns: the
/// process takes an exclusive lock on the file once and keeps the write-ahead log's
/// index in its own memory, so the connections of the store coordinate in memory
/// instead of through a file lock per transaction, and a second process cannot open
/// the same data directory.
const VFS: &str = "unix-excl";

/// Prepared statements kept per connection: more than the store has distinct ones.
const STATEMENT_CACHE: usize = 256;

/// How the store is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// Read-only connections kept open; at most this many reads run at once.
    pub read_connections: usize,
    /// The most write calls committed together in one transaction.
    pub max_group: usize,
    /// How long a connection waits for a lock held by another connection.
    pub busy_timeout: Duration,
    /// How many matching users a search that cannot read its results in order
    /// counts and pages in memory (their lowered usernames only); past that, it counts
    /// and pages in two queries.
    pub search_in_memory: usize,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            read_connections: 4,
            max_group: 256,
            busy_timeout: Duration::from_secs(5),
            search_in_memory: 20_000,
        }
    }
}

/// The embedded [`Store`].
pub struct SqliteStore {
    path: PathBuf,
    writer: Writer,
    readers: Arc<ReadPool>,
    search_in_memory: usize,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("stats", &self.stats())
            .finish()
    }
}

fn backend(what: &str, e: impl fmt::Display) -> StoreError {
    StoreError::Backend(format!("{what}: {e}"))
}

impl SqliteStore {
    /// Opens (creating when needed) the directory `dir` and the database in it, and
    /// brings its schema up to date. A database written by a newer roster, with a
    /// schema version above [`SCHEMA_VERSION`], is refused.
    pub fn open(dir: &Path, options: SqliteOptions) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| backend(&format!("cannot create {}", dir.display()), e))?;
        let path = dir.join(DATABASE_FILE);
        let opening = |e: Error| match e {
            Error::Sql(e) => backend(&format!("cannot open {}", path.display()), e),
            Error::Store(e) => e,
        };
        // Each connection is used by one thread at a time.
        let connect = |flags: OpenFlags| {
            Connection::open_with_flags_and_vfs(&path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX, VFS)
                .map_err(|e| opening(e.into()))
        };
        let mut conn = connect(OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
        configure_writer(&conn, &options).map_err(opening)?;
        let applied = schema::migrate(&mut conn, Timestamp::now().0).map_err(opening)?;
        if !applied.is_empty() {
            tracing::info!(path = %path.display(), versions = ?applied, "applied schema migrations");
        }
        let mut readers = Vec::new();
        for _ in 0..options.read_connections.max(1) {
            let conn = connect(OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            conn.busy_timeout(options.busy_timeout)
                .map_err(|e| opening(e.into()))?;
            conn.pragma_update(None, "cache_size", -READER_CACHE_KIB)
                .map_err(|e| opening(e.into()))?;
            conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
            readers.push(conn);
        }
        let checkpoints = connect(OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        checkpoints
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| opening(e.into()))?;
        let writer = Writer::start(conn, checkpoints, options.max_group)
            .map_err(|e| backend("cannot start the sqlite writer thread", e))?;
        Ok(SqliteStore {
            path,
            writer,
            readers: ReadPool::new(readers),
            search_in_memory: options.search_in_memory,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many write calls have run and in how many commits.
    pub fn stats(&self) -> WriteStats {
        self.writer.stats()
    }

    /// Stops taking writes, waits until the queued ones are committed and the writer
    /// has checkpointed the log into the database file. Writes afterwards fail with
    /// `Backend`; reads keep working. Dropping the store does the same, blocking.
    pub async fn close(&self) {
        if let Some(thread) = self.writer.shut() {
            match tokio::task::spawn_blocking(move || thread.join()).await {
                Ok(Ok(())) => {}
                _ => tracing::error!("the sqlite writer thread did not stop cleanly"),
            }
        }
    }

    async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, Error> + Send + 'static,
    {
        self.writer.run(work).await
    }

    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    {
        self.readers.read(f).await
    }

    async fn read_point<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    {
        self.readers.read_point(f).await
    }
}

fn configure_writer(conn: &Connection, options: &SqliteOptions) -> Result<(), Error> {
    conn.busy_timeout(options.busy_timeout)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Backend(format!(
            "sqlite refused WAL mode (journal_mode is {mode})"
        ))
        .into());
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Checkpoints run on a thread of their own (see `writer`); the writer's own, at
    // this many pages of log, only finishes one when the other cannot keep up.
    conn.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
    // Each job runs in a savepoint, whose sub-journal is a temporary file unless
    // temporary storage is memory.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// Implements [`Store`] for [`SqliteStore`] from the methods written out and the
/// entries of [`roster_store::sql_store_calls!`]
/// (`kind name(parameters) -> output = area::function;`). The kind is how the call
/// runs: `write` through the writer, `read` on a blocking thread, `read_point` inline
/// when a connection is idle. The call may run on another thread, so each borrowed
/// parameter is copied first; the area function gets the connection and then every
/// parameter by reference.
macro_rules! store {
    (@call $self:ident $kind:ident $f:path, [$($hold:tt)*] [$($arg:tt)*]) => {{
        $($hold)*
        $self.$kind(move |c| $f(c, $($arg)*)).await
    }};
    (@call $self:ident $kind:ident $f:path, [$($hold:tt)*] [$($arg:tt)*]
        $p:ident: &$t:ty $(, $($rest:tt)*)?) => {
        store!(@call $self $kind $f, [$($hold)* let $p = $p.to_owned();] [$($arg)* &$p,]
            $($($rest)*)?)
    };
    (@call $self:ident $kind:ident $f:path, [$($hold:tt)*] [$($arg:tt)*]
        $p:ident: $t:ty $(, $($rest:tt)*)?) => {
        store!(@call $self $kind $f, [$($hold)*] [$($arg)* &$p,] $($($rest)*)?)
    };
    ({ $($written:tt)* } $($kind:ident $name:ident($($params:tt)*) -> $out:ty = $f:path;)*) => {
        #[async_trait]
        impl Store for SqliteStore {
            $($written)*
            $(
                async fn $name(&self, $($params)*) -> StoreResult<$out> {
                    store!(@call self $kind $f, [] [] $($params)*)
                }
            )*
        }
    };
}

roster_store::sql_store_calls!(store! {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        SqliteStore::close(self).await
    }

    async fn create_user(&self, at: &InstanceRef, user: User, max_users: u64) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| users::create(tx, &at, &user, max_users))
            .await
    }

    async fn create_users(
        &self,
        at: &InstanceRef,
        users: Vec<User>,
        max_users: u64,
    ) -> StoreResult<()> {
        // One job, so one savepoint: a refusal undoes the whole batch.
        let at = at.clone();
        self.write(move |tx| users::create_all(tx, &at, &users, max_users))
            .await
    }

    async fn update_user(&self, at: &InstanceRef, id: &str, edit: UserEdit) -> StoreResult<User> {
        // The edit is handed to the writer, not lent.
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| users::update(tx, &at, &id, edit))
            .await
    }

    async fn update_routing_profile(
        &self,
        at: &InstanceRef,
        id: &str,
        edit: RoutingProfileEdit,
    ) -> StoreResult<RoutingProfile> {
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| routing::update_routing_profile(tx, &at, &id, edit))
            .await
    }

    async fn search_users(
        &self,
        at: &InstanceRef,
        request: &SearchRequest,
    ) -> StoreResult<SearchPage> {
        // The search also takes the store's bound on paging in memory.
        let (at, request) = (at.clone(), request.clone());
        let in_memory = self.search_in_memory;
        self.read(move |c| search::search(c, &at, &request, in_memory))
            .await
    }
});
