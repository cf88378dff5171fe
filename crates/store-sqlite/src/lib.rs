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
mod instances;
mod proficiencies;
mod profiles;
mod reader;
mod schema;
mod scope;
mod search;
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
use roster_domain::instance::{Instance, InstanceAttributeType};
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::user::User;
use roster_domain::{InstanceRef, Scope, Timestamp};
use roster_store::{
    NewInstance, PageRequest, ResourceRef, SearchPage, SearchRequest, Store, StoreError,
    StoreResult, UserEdit, UserSummary,
};
use rusqlite::{Connection, OpenFlags, Transaction};

use crate::error::Error;
use crate::reader::ReadPool;
use crate::writer::Writer;

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

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        SqliteStore::close(self).await
    }

    // ---- instances ------------------------------------------------------------------

    async fn create_instance(&self, new: NewInstance) -> StoreResult<()> {
        self.write(move |tx| instances::create(tx, &new)).await
    }

    async fn get_instance(&self, scope: &Scope, instance_id: &str) -> StoreResult<Instance> {
        let (scope, id) = (scope.clone(), instance_id.to_string());
        self.read_point(move |c| instances::load(c, &scope, &id))
            .await
    }

    async fn list_instances(
        &self,
        scope: &Scope,
        page: &PageRequest,
    ) -> StoreResult<Vec<Instance>> {
        let (scope, page) = (scope.clone(), page.clone());
        self.read(move |c| instances::list(c, &scope, &page)).await
    }

    async fn delete_instance(&self, scope: &Scope, instance_id: &str) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), instance_id.to_string());
        self.write(move |tx| instances::delete(tx, &scope, &id))
            .await
    }

    async fn instance_tags(&self, at: &InstanceRef) -> StoreResult<Tags> {
        let at = at.clone();
        let resource = ResourceRef {
            kind: roster_domain::arn::ResourceKind::Instance,
            id: at.instance_id.clone(),
        };
        self.read_point(move |c| tags::list(c, &at, &resource))
            .await
    }

    async fn get_instance_attribute(
        &self,
        at: &InstanceRef,
        attribute: InstanceAttributeType,
    ) -> StoreResult<bool> {
        let at = at.clone();
        self.read_point(move |c| instances::get_attribute(c, &at, attribute))
            .await
    }

    async fn set_instance_attribute(
        &self,
        at: &InstanceRef,
        attribute: InstanceAttributeType,
        value: bool,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| instances::set_attribute(tx, &at, attribute, value))
            .await
    }

    async fn list_instance_attributes(
        &self,
        at: &InstanceRef,
    ) -> StoreResult<Vec<(InstanceAttributeType, bool)>> {
        let at = at.clone();
        self.read(move |c| instances::list_attributes(c, &at)).await
    }

    // ---- security profiles, routing profiles, queues ---------------------------------

    async fn create_security_profile(
        &self,
        at: &InstanceRef,
        profile: SecurityProfile,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| {
            scope::check(tx, &at)?;
            profiles::insert_security_profile(tx, &at.instance_id, &profile)
        })
        .await
    }

    async fn get_security_profile(
        &self,
        at: &InstanceRef,
        id: &str,
    ) -> StoreResult<SecurityProfile> {
        let (at, id) = (at.clone(), id.to_string());
        self.read_point(move |c| profiles::get_security_profile(c, &at, &id))
            .await
    }

    async fn list_security_profiles(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<SecurityProfile>> {
        let (at, page) = (at.clone(), page.clone());
        self.read(move |c| profiles::list_security_profiles(c, &at, &page))
            .await
    }

    async fn delete_security_profile(&self, at: &InstanceRef, id: &str) -> StoreResult<()> {
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| profiles::delete_security_profile(tx, &at, &id))
            .await
    }

    async fn create_routing_profile(
        &self,
        at: &InstanceRef,
        profile: RoutingProfile,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| {
            scope::check(tx, &at)?;
            profiles::insert_routing_profile(tx, &at.instance_id, &profile)
        })
        .await
    }

    async fn get_routing_profile(&self, at: &InstanceRef, id: &str) -> StoreResult<RoutingProfile> {
        let (at, id) = (at.clone(), id.to_string());
        self.read_point(move |c| profiles::get_routing_profile(c, &at, &id))
            .await
    }

    async fn list_routing_profiles(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<RoutingProfile>> {
        let (at, page) = (at.clone(), page.clone());
        self.read(move |c| profiles::list_routing_profiles(c, &at, &page))
            .await
    }

    async fn delete_routing_profile(&self, at: &InstanceRef, id: &str) -> StoreResult<()> {
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| profiles::delete_routing_profile(tx, &at, &id))
            .await
    }

    async fn routing_profile_user_count(&self, at: &InstanceRef, id: &str) -> StoreResult<u64> {
        let (at, id) = (at.clone(), id.to_string());
        self.read(move |c| profiles::routing_profile_user_count(c, &at, &id))
            .await
    }

    async fn list_queues(
        &self,
        at: &InstanceRef,
        types: &[QueueType],
        page: &PageRequest,
    ) -> StoreResult<Vec<Queue>> {
        let (at, types, page) = (at.clone(), types.to_vec(), page.clone());
        self.read(move |c| profiles::list_queues(c, &at, &types, &page))
            .await
    }

    // ---- tags -------------------------------------------------------------------------

    async fn tag_resource(
        &self,
        at: &InstanceRef,
        resource: &ResourceRef,
        tags: &Tags,
    ) -> StoreResult<()> {
        let (at, resource, tags) = (at.clone(), resource.clone(), tags.clone());
        self.write(move |tx| tags::tag(tx, &at, &resource, &tags))
            .await
    }

    async fn untag_resource(
        &self,
        at: &InstanceRef,
        resource: &ResourceRef,
        keys: &[String],
    ) -> StoreResult<()> {
        let (at, resource, keys) = (at.clone(), resource.clone(), keys.to_vec());
        self.write(move |tx| tags::untag(tx, &at, &resource, &keys))
            .await
    }

    async fn list_tags(&self, at: &InstanceRef, resource: &ResourceRef) -> StoreResult<Tags> {
        let (at, resource) = (at.clone(), resource.clone());
        self.read_point(move |c| tags::list(c, &at, &resource))
            .await
    }

    // ---- users ------------------------------------------------------------------------

    async fn create_user(&self, at: &InstanceRef, user: User, max_users: u64) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| users::create(tx, &at, &user, max_users))
            .await
    }

    async fn get_user(&self, at: &InstanceRef, id: &str) -> StoreResult<User> {
        let (at, id) = (at.clone(), id.to_string());
        self.read_point(move |c| users::get(c, &at, &id)).await
    }

    async fn list_users(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<UserSummary>> {
        let (at, page) = (at.clone(), page.clone());
        self.read(move |c| users::list(c, &at, &page)).await
    }

    async fn update_user(&self, at: &InstanceRef, id: &str, edit: UserEdit) -> StoreResult<User> {
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| users::update(tx, &at, &id, edit))
            .await
    }

    async fn delete_user(&self, at: &InstanceRef, id: &str) -> StoreResult<()> {
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| users::delete(tx, &at, &id)).await
    }

    // ---- hierarchy --------------------------------------------------------------------

    async fn get_hierarchy_structure(&self, at: &InstanceRef) -> StoreResult<HierarchyStructure> {
        let at = at.clone();
        self.read_point(move |c| hierarchy::get_structure(c, &at))
            .await
    }

    async fn set_hierarchy_structure(
        &self,
        at: &InstanceRef,
        structure: HierarchyStructure,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| hierarchy::set_structure(tx, &at, &structure))
            .await
    }

    async fn create_hierarchy_group(
        &self,
        at: &InstanceRef,
        group: HierarchyGroup,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| hierarchy::create_group(tx, &at, &group))
            .await
    }

    async fn get_hierarchy_group(&self, at: &InstanceRef, id: &str) -> StoreResult<HierarchyGroup> {
        let (at, id) = (at.clone(), id.to_string());
        self.read_point(move |c| hierarchy::get_group(c, &at, &id))
            .await
    }

    async fn list_hierarchy_groups(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<HierarchyGroup>> {
        let (at, page) = (at.clone(), page.clone());
        self.read(move |c| hierarchy::list_groups(c, &at, &page))
            .await
    }

    async fn rename_hierarchy_group(
        &self,
        at: &InstanceRef,
        id: &str,
        name: &str,
        modified: &Modified,
    ) -> StoreResult<()> {
        let (at, id, name, modified) = (
            at.clone(),
            id.to_string(),
            name.to_string(),
            modified.clone(),
        );
        self.write(move |tx| hierarchy::rename_group(tx, &at, &id, &name, &modified))
            .await
    }

    async fn delete_hierarchy_group(&self, at: &InstanceRef, id: &str) -> StoreResult<()> {
        let (at, id) = (at.clone(), id.to_string());
        self.write(move |tx| hierarchy::delete_group(tx, &at, &id))
            .await
    }

    // ---- proficiencies ----------------------------------------------------------------

    async fn create_predefined_attribute(
        &self,
        at: &InstanceRef,
        attribute: PredefinedAttribute,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| proficiencies::create(tx, &at, &attribute))
            .await
    }

    async fn get_predefined_attribute(
        &self,
        at: &InstanceRef,
        name: &str,
    ) -> StoreResult<PredefinedAttribute> {
        let (at, name) = (at.clone(), name.to_string());
        self.read_point(move |c| proficiencies::get(c, &at, &name))
            .await
    }

    async fn list_predefined_attributes(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<PredefinedAttribute>> {
        let (at, page) = (at.clone(), page.clone());
        self.read(move |c| proficiencies::list(c, &at, &page)).await
    }

    async fn update_predefined_attribute(
        &self,
        at: &InstanceRef,
        attribute: PredefinedAttribute,
    ) -> StoreResult<()> {
        let at = at.clone();
        self.write(move |tx| proficiencies::update(tx, &at, &attribute))
            .await
    }

    async fn delete_predefined_attribute(&self, at: &InstanceRef, name: &str) -> StoreResult<()> {
        let (at, name) = (at.clone(), name.to_string());
        self.write(move |tx| proficiencies::delete(tx, &at, &name))
            .await
    }

    async fn change_user_proficiencies(
        &self,
        at: &InstanceRef,
        user_id: &str,
        change: ProficiencyChange,
        modified: &Modified,
    ) -> StoreResult<()> {
        let (at, user_id, modified) = (at.clone(), user_id.to_string(), modified.clone());
        self.write(move |tx| proficiencies::change(tx, &at, &user_id, &change, &modified))
            .await
    }

    async fn list_user_proficiencies(
        &self,
        at: &InstanceRef,
        user_id: &str,
    ) -> StoreResult<(Vec<UserProficiency>, Option<Modified>)> {
        let (at, user_id) = (at.clone(), user_id.to_string());
        self.read(move |c| proficiencies::list_for_user(c, &at, &user_id))
            .await
    }

    // ---- search ---------------------------------------------------------------------

    async fn search_users(
        &self,
        at: &InstanceRef,
        request: &SearchRequest,
    ) -> StoreResult<SearchPage> {
        let (at, request) = (at.clone(), request.clone());
        let in_memory = self.search_in_memory;
        self.read(move |c| search::search(c, &at, &request, in_memory))
            .await
    }
}
