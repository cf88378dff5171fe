//! The schema and its migrations.
//!
//! Migrations are numbered from 1 and applied in order, each in its own transaction
//! together with the row that records it in `schema_migrations`. Several processes
//! may start at once on one database: each migration transaction creates
//! `schema_migrations` if needed and then takes `LOCK TABLE schema_migrations IN
//! EXCLUSIVE MODE`, so one process at a time reads the applied versions and applies
//! the next; the others wait for its commit and then find the version applied. The
//! transaction runs at READ COMMITTED so that the read after the lock sees what the
//! process that held the lock committed. Two processes creating `schema_migrations`
//! at the same moment can make one of them fail with a unique violation or
//! "duplicate table"; that attempt is run again.
//!
//! A database whose highest recorded version is above [`LATEST_VERSION`] was written
//! by a newer roster and is refused.
//!
//! The SQL is kept portable to databases that speak PostgreSQL's protocol and
//! dialect: keys are text ids made by the caller (no sequences), no triggers, no
//! stored functions, no advisory locks. Every text column uses the "C" collation, so
//! that ordering, keyset pagination and prefix ranges compare code points, as the
//! embedded store does. Every table that belongs to an instance carries
//! `instance_id` with `ON DELETE CASCADE`, so deleting the instance row removes
//! everything in it; references between resources of an instance are checked by the
//! store's code inside the serializable write transaction.

use std::time::Duration;

use tokio_postgres::error::SqlState;

use crate::db::Tx;
use crate::error::{Error, Result};

/// `(version, SQL)`, in order. Never edit an applied migration; add a new one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, V1),
    (5, V5),
    (6, V6),
    (7, V7),
    (8, V8),
    (9, V9),
    (10, V10),
];

/// The highest schema version this build knows.
pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Queues in full: a description, capacity, status, outbound caller and email
/// settings, and unique names per instance. Every queue stored before this was an
/// instance's `BasicQueue`, which gets the real service's description; all were
/// enabled. Agent queues are derived from the users and never stored. A database
/// already at version 7 or 8 gets this migration after them: it changes only `queues`,
/// which those do not touch.
const V6: &str = r#"
ALTER TABLE queues ADD COLUMN description TEXT COLLATE "C";
ALTER TABLE queues ADD COLUMN max_contacts INTEGER CHECK (max_contacts >= 0);
ALTER TABLE queues ADD COLUMN status TEXT COLLATE "C" NOT NULL DEFAULT 'ENABLED';
ALTER TABLE queues ADD COLUMN outbound_caller_id_name TEXT COLLATE "C";
ALTER TABLE queues ADD COLUMN outbound_caller_id_number_id TEXT COLLATE "C";
ALTER TABLE queues ADD COLUMN outbound_flow_id TEXT COLLATE "C";
ALTER TABLE queues ADD COLUMN outbound_email_address_id TEXT COLLATE "C";
ALTER TABLE queues ADD CONSTRAINT queues_name_unique UNIQUE (instance_id, name);
UPDATE queues SET description = 'A simple, basic voice queue.'
    WHERE name = 'BasicQueue' AND queue_type = 'STANDARD';

-- "Which routing profiles use this queue", asked before it is deleted.
CREATE INDEX routing_profile_queues_by_queue ON routing_profile_queues (queue_id, routing_profile_id);
CREATE INDEX routing_profiles_by_default_queue ON routing_profiles (instance_id, default_outbound_queue_id);
"#;

/// Routing profiles: which one is the instance's default, and their manual assignment
/// queues. The default is the profile every instance was created with, the only one
/// named "Basic Routing Profile" unless renamed.
const V8: &str = r#"
ALTER TABLE routing_profiles ADD COLUMN is_default BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE routing_profiles SET is_default = TRUE WHERE name = 'Basic Routing Profile';

CREATE TABLE routing_profile_manual_queues (
    routing_profile_id TEXT COLLATE "C" NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    position           BIGINT NOT NULL,
    queue_id           TEXT COLLATE "C" NOT NULL,
    channel            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (routing_profile_id, position)
);
"#;

/// The users-per-instance quota in [`QUOTA_SLOTS`](crate::users::QUOTA_SLOTS) rows an
/// instance instead of one count, so that concurrent creations in one instance lock
/// different rows: each user records the slot that counts it. Existing users are
/// dealt out over the slots in turn, which keeps every slot within its share of any
/// quota the instance is within.
const V10: &str = r#"
CREATE TABLE instance_user_slots (
    instance_id TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    slot        SMALLINT NOT NULL,
    used        BIGINT NOT NULL,
    PRIMARY KEY (instance_id, slot)
);
ALTER TABLE users ADD COLUMN quota_slot SMALLINT NOT NULL DEFAULT 0;
UPDATE users u SET quota_slot = r.slot
    FROM (SELECT id, ((row_number() OVER (PARTITION BY instance_id ORDER BY id)) - 1) % 32 AS slot
          FROM users) r
    WHERE u.id = r.id;
INSERT INTO instance_user_slots (instance_id, slot, used)
    SELECT i.id, s.slot::SMALLINT,
           (SELECT count(*) FROM users u WHERE u.instance_id = i.id AND u.quota_slot = s.slot)
    FROM instances i CROSS JOIN generate_series(0, 31) AS s(slot);
DROP TABLE instance_user_counts;
"#;

/// Quick connects: the destination in the columns of its type (user and contact flow,
/// queue and contact flow, phone number, or contact flow), and the queues that offer
/// each. Version 6 is left to another area; numbers need only increase.
const V9: &str = r#"
CREATE TABLE quick_connects (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    instance_id        TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name               TEXT COLLATE "C" NOT NULL,
    description        TEXT COLLATE "C",
    quick_connect_type TEXT COLLATE "C" NOT NULL,
    user_id            TEXT COLLATE "C",
    queue_id           TEXT COLLATE "C",
    contact_flow_id    TEXT COLLATE "C",
    phone_number       TEXT COLLATE "C",
    modified_ms        BIGINT NOT NULL,
    modified_region    TEXT COLLATE "C" NOT NULL,
    CONSTRAINT quick_connects_name_unique UNIQUE (instance_id, name)
);
CREATE INDEX quick_connects_by_instance ON quick_connects (instance_id, id);

CREATE TABLE queue_quick_connects (
    instance_id      TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    queue_id         TEXT COLLATE "C" NOT NULL,
    quick_connect_id TEXT COLLATE "C" NOT NULL REFERENCES quick_connects (id) ON DELETE CASCADE,
    PRIMARY KEY (queue_id, quick_connect_id)
);
-- "Which queues offer this quick connect", asked before it is deleted.
CREATE INDEX queue_quick_connects_by_quick_connect ON queue_quick_connects (quick_connect_id, queue_id);
"#;

/// Every schema version this build knows, in order. They only increase: a number may
/// be skipped.
pub fn versions() -> Vec<i64> {
    MIGRATIONS.iter().map(|(v, _)| *v).collect()
}

const V1: &str = r#"
CREATE TABLE instances (
    id                       TEXT COLLATE "C" PRIMARY KEY,
    account_id               TEXT COLLATE "C" NOT NULL,
    region                   TEXT COLLATE "C" NOT NULL,
    identity_management_type TEXT COLLATE "C" NOT NULL,
    alias                    TEXT COLLATE "C",
    directory_id             TEXT COLLATE "C",
    created_ms               BIGINT NOT NULL,
    inbound_calls_enabled    BOOLEAN NOT NULL,
    outbound_calls_enabled   BOOLEAN NOT NULL,
    -- NULL aliases never clash
    CONSTRAINT instances_alias_unique UNIQUE (account_id, region, alias)
);
CREATE INDEX instances_by_scope ON instances (account_id, region, id);

-- How many users an instance holds: updated in the transaction that creates or
-- deletes a user, so that concurrent creations in one instance are serialized on
-- this row and the quota holds.
CREATE TABLE instance_user_counts (
    instance_id TEXT COLLATE "C" PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    user_count  BIGINT NOT NULL
);

-- Attributes other than INBOUND_CALLS / OUTBOUND_CALLS, which live in `instances`.
-- An attribute without a row has its default value.
CREATE TABLE instance_attributes (
    instance_id TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    attribute   TEXT COLLATE "C" NOT NULL,
    value       BOOLEAN NOT NULL,
    PRIMARY KEY (instance_id, attribute)
);

CREATE TABLE security_profiles (
    id              TEXT COLLATE "C" PRIMARY KEY,
    instance_id     TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name            TEXT COLLATE "C" NOT NULL,
    description     TEXT COLLATE "C",
    modified_ms     BIGINT NOT NULL,
    modified_region TEXT COLLATE "C" NOT NULL,
    CONSTRAINT security_profiles_name_unique UNIQUE (instance_id, name)
);
CREATE INDEX security_profiles_by_instance ON security_profiles (instance_id, id);

CREATE TABLE security_profile_permissions (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL,
    permission          TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (security_profile_id, position)
);

CREATE TABLE hours_of_operation (
    id              TEXT COLLATE "C" PRIMARY KEY,
    instance_id     TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name            TEXT COLLATE "C" NOT NULL,
    time_zone       TEXT COLLATE "C" NOT NULL,
    modified_ms     BIGINT NOT NULL,
    modified_region TEXT COLLATE "C" NOT NULL
);
CREATE INDEX hours_of_operation_by_instance ON hours_of_operation (instance_id, id);

CREATE TABLE queues (
    id                    TEXT COLLATE "C" PRIMARY KEY,
    instance_id           TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                  TEXT COLLATE "C" NOT NULL,
    queue_type            TEXT COLLATE "C" NOT NULL,
    hours_of_operation_id TEXT COLLATE "C" NOT NULL,
    modified_ms           BIGINT NOT NULL,
    modified_region       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX queues_by_instance ON queues (instance_id, id);

CREATE TABLE routing_profiles (
    id                        TEXT COLLATE "C" PRIMARY KEY,
    instance_id               TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                      TEXT COLLATE "C" NOT NULL,
    description               TEXT COLLATE "C" NOT NULL,
    default_outbound_queue_id TEXT COLLATE "C" NOT NULL,
    agent_availability_timer  TEXT COLLATE "C",
    modified_ms               BIGINT NOT NULL,
    modified_region           TEXT COLLATE "C" NOT NULL,
    CONSTRAINT routing_profiles_name_unique UNIQUE (instance_id, name)
);
CREATE INDEX routing_profiles_by_instance ON routing_profiles (instance_id, id);

CREATE TABLE routing_profile_media_concurrencies (
    routing_profile_id     TEXT COLLATE "C" NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    position               BIGINT NOT NULL,
    channel                TEXT COLLATE "C" NOT NULL,
    concurrency            INTEGER NOT NULL,
    cross_channel_behavior TEXT COLLATE "C",
    PRIMARY KEY (routing_profile_id, position)
);

CREATE TABLE routing_profile_queues (
    routing_profile_id TEXT COLLATE "C" NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    position           BIGINT NOT NULL,
    queue_id           TEXT COLLATE "C" NOT NULL,
    channel            TEXT COLLATE "C" NOT NULL,
    priority           INTEGER NOT NULL,
    delay              INTEGER NOT NULL,
    PRIMARY KEY (routing_profile_id, position)
);

-- Tags of every kind of resource. `resource_kind` is ResourceKind::as_str; for the
-- instance itself `resource_id` is the instance id.
CREATE TABLE tags (
    instance_id   TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    resource_kind TEXT COLLATE "C" NOT NULL,
    resource_id   TEXT COLLATE "C" NOT NULL,
    key           TEXT COLLATE "C" NOT NULL,
    value         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (resource_kind, resource_id, key)
);
-- Tag conditions of user searches: which resources of a kind carry key = value.
CREATE INDEX tags_by_key_value ON tags (instance_id, resource_kind, key, value, resource_id);

CREATE TABLE hierarchy_levels (
    instance_id     TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    level           BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    name            TEXT COLLATE "C" NOT NULL,
    modified_ms     BIGINT NOT NULL,
    modified_region TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (instance_id, level)
);

CREATE TABLE hierarchy_groups (
    id              TEXT COLLATE "C" PRIMARY KEY,
    instance_id     TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name            TEXT COLLATE "C" NOT NULL,
    level           BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    parent_id       TEXT COLLATE "C",
    -- ids from the top-level ancestor down to and including this group, joined by
    -- '/'; the groups below G are those whose path starts with G's path and '/'
    path            TEXT COLLATE "C" NOT NULL,
    modified_ms     BIGINT NOT NULL,
    modified_region TEXT COLLATE "C" NOT NULL,
    CONSTRAINT hierarchy_groups_name_unique UNIQUE (instance_id, name)
);
CREATE INDEX hierarchy_groups_by_instance ON hierarchy_groups (instance_id, id);
CREATE INDEX hierarchy_groups_by_parent ON hierarchy_groups (parent_id);
CREATE INDEX hierarchy_groups_by_path ON hierarchy_groups (instance_id, path);
CREATE INDEX hierarchy_groups_by_level ON hierarchy_groups (instance_id, level);

CREATE TABLE users (
    id                            TEXT COLLATE "C" PRIMARY KEY,
    instance_id                   TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    username                      TEXT COLLATE "C" NOT NULL,
    -- lowercase copies for uniqueness and case-insensitive search
    username_lower                TEXT COLLATE "C" NOT NULL,
    first_name                    TEXT COLLATE "C",
    first_name_lower              TEXT COLLATE "C",
    last_name                     TEXT COLLATE "C",
    last_name_lower               TEXT COLLATE "C",
    email                         TEXT COLLATE "C",
    secondary_email               TEXT COLLATE "C",
    mobile                        TEXT COLLATE "C",
    directory_user_id             TEXT COLLATE "C",
    password_hash                 TEXT COLLATE "C",
    routing_profile_id            TEXT COLLATE "C" NOT NULL,
    hierarchy_group_id            TEXT COLLATE "C",
    voice_auto_accept             BOOLEAN NOT NULL,
    voice_acw                     BIGINT NOT NULL,
    voice_afc_auto_accept         BOOLEAN,
    voice_afc_acw                 BIGINT,
    chat_auto_accept              BOOLEAN NOT NULL,
    chat_acw                      BIGINT NOT NULL,
    task_auto_accept              BOOLEAN NOT NULL,
    task_acw                      BIGINT NOT NULL,
    email_auto_accept             BOOLEAN NOT NULL,
    email_acw                     BIGINT NOT NULL,
    phone_type                    TEXT COLLATE "C" NOT NULL,
    desk_phone_number             TEXT COLLATE "C",
    persistent_connection         BOOLEAN NOT NULL,
    voice_enhancement             TEXT COLLATE "C" NOT NULL,
    modified_ms                   BIGINT NOT NULL,
    modified_region               TEXT COLLATE "C" NOT NULL,
    proficiencies_modified_ms     BIGINT,
    proficiencies_modified_region TEXT COLLATE "C",
    CONSTRAINT users_username_unique UNIQUE (instance_id, username_lower)
);
CREATE INDEX users_by_id ON users (instance_id, id);
CREATE INDEX users_by_username ON users (instance_id, username_lower, id);
CREATE INDEX users_by_first_name ON users (instance_id, first_name_lower);
CREATE INDEX users_by_last_name ON users (instance_id, last_name_lower);
CREATE INDEX users_by_routing_profile ON users (instance_id, routing_profile_id);
CREATE INDEX users_by_hierarchy_group ON users (instance_id, hierarchy_group_id);

-- A user's security profiles, in the order given.
CREATE TABLE user_security_profiles (
    user_id             TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL,
    security_profile_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, position)
);
CREATE INDEX user_security_profiles_by_profile ON user_security_profiles (security_profile_id, user_id);

CREATE TABLE predefined_attributes (
    instance_id             TEXT COLLATE "C" NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                    TEXT COLLATE "C" NOT NULL,
    enable_value_validation BOOLEAN,
    modified_ms             BIGINT NOT NULL,
    modified_region         TEXT COLLATE "C" NOT NULL,
    CONSTRAINT predefined_attributes_pkey PRIMARY KEY (instance_id, name)
);

-- An attribute's values and purposes, in the order given.
CREATE TABLE predefined_attribute_values (
    instance_id TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    position    BIGINT NOT NULL,
    value       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (instance_id, name, position),
    FOREIGN KEY (instance_id, name) REFERENCES predefined_attributes (instance_id, name) ON DELETE CASCADE
);
CREATE INDEX predefined_attribute_values_by_value ON predefined_attribute_values (instance_id, name, value);
CREATE TABLE predefined_attribute_purposes (
    instance_id TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    position    BIGINT NOT NULL,
    purpose     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (instance_id, name, position),
    FOREIGN KEY (instance_id, name) REFERENCES predefined_attributes (instance_id, name) ON DELETE CASCADE
);

CREATE TABLE user_proficiencies (
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance_id     TEXT COLLATE "C" NOT NULL,
    attribute_name  TEXT COLLATE "C" NOT NULL,
    attribute_value TEXT COLLATE "C" NOT NULL,
    level           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (user_id, attribute_name, attribute_value)
);
-- Proficiency conditions of user searches, and "is this attribute value held".
CREATE INDEX user_proficiencies_by_attribute
    ON user_proficiencies (instance_id, attribute_name, attribute_value, level, user_id);
"#;

/// Hours of operation in full: a description, unique names per instance, the
/// openings of each (times in minutes since midnight, an end of 0 being the midnight
/// that closes the day) and the parents each links to. Every hours of operation stored
/// before this was an instance's default `Basic Hours`, which is open all day every
/// day; they get those openings and their description. (Versions 2 to 4 are the
/// embedded store's; the numbers are shared so that each names one change.)
const V5: &str = r#"
ALTER TABLE hours_of_operation ADD COLUMN description TEXT COLLATE "C";
ALTER TABLE hours_of_operation
    ADD CONSTRAINT hours_of_operation_name_unique UNIQUE (instance_id, name);

CREATE TABLE hours_of_operation_config (
    hours_id     TEXT COLLATE "C" NOT NULL REFERENCES hours_of_operation (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    day          TEXT COLLATE "C" NOT NULL,
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1439),
    PRIMARY KEY (hours_id, position)
);

-- The hours of operation whose overrides `hours_id` takes, in the order given.
CREATE TABLE hours_of_operation_parents (
    hours_id  TEXT COLLATE "C" NOT NULL REFERENCES hours_of_operation (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    parent_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (hours_id, position)
);
CREATE INDEX hours_of_operation_parents_by_parent ON hours_of_operation_parents (parent_id, hours_id);

-- "Which queues use these hours", asked before they are deleted.
CREATE INDEX queues_by_hours ON queues (instance_id, hours_of_operation_id, id);

UPDATE hours_of_operation SET description = 'Basic Hours' WHERE name = 'Basic Hours';
INSERT INTO hours_of_operation_config (hours_id, position, day, start_minute, end_minute)
SELECT h.id, d.position, d.day, 0, 0
FROM hours_of_operation h,
     (VALUES (0, 'SUNDAY'), (1, 'MONDAY'), (2, 'TUESDAY'), (3, 'WEDNESDAY'), (4, 'THURSDAY'),
             (5, 'FRIDAY'), (6, 'SATURDAY')) AS d (position, day);
"#;

/// Security profiles in full: the hierarchy group a profile restricts access to, how
/// much of its granular access control was sent, and a table for each of its lists.
/// Versions 2 to 6 are left to other areas; numbers need only increase.
const V7: &str = r#"
ALTER TABLE security_profiles ADD COLUMN allowed_hierarchy_group_id TEXT COLLATE "C";
-- GranularAccessControlConfiguration: NULL when not set; else how deep it was sent,
-- 0 the empty structure, 1 with DataTableAccessControlConfiguration, 2 with its
-- PrimaryAttributeAccessControlConfiguration, 3 with its PrimaryAttributeValues
-- (the rows of security_profile_primary_attributes)
ALTER TABLE security_profiles ADD COLUMN granular_depth BIGINT CHECK (granular_depth BETWEEN 0 AND 3);
-- Deleting a hierarchy group asks which profiles restrict access to it.
CREATE INDEX security_profiles_by_hierarchy_group
    ON security_profiles (instance_id, allowed_hierarchy_group_id)
    WHERE allowed_hierarchy_group_id IS NOT NULL;

CREATE TABLE security_profile_access_tags (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    key                 TEXT COLLATE "C" NOT NULL,
    value               TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (security_profile_id, key)
);

-- kind 'tag': TagRestrictedResources; kind 'hierarchy': HierarchyRestrictedResources.
CREATE TABLE security_profile_restricted_resources (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    kind                TEXT COLLATE "C" NOT NULL,
    position            BIGINT NOT NULL,
    resource            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (security_profile_id, kind, position)
);

CREATE TABLE security_profile_applications (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL,
    namespace           TEXT COLLATE "C" NOT NULL,
    application_type    TEXT COLLATE "C",
    PRIMARY KEY (security_profile_id, position)
);

-- `application` is the position of the application in its profile.
CREATE TABLE security_profile_application_permissions (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    application         BIGINT NOT NULL,
    position            BIGINT NOT NULL,
    permission          TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (security_profile_id, application, position)
);

CREATE TABLE security_profile_flow_modules (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL,
    flow_module_id      TEXT COLLATE "C" NOT NULL,
    module_type         TEXT COLLATE "C",
    PRIMARY KEY (security_profile_id, position)
);

CREATE TABLE security_profile_ai_agents (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL,
    arn                 TEXT COLLATE "C" NOT NULL,
    agent_type          TEXT COLLATE "C",
    PRIMARY KEY (security_profile_id, position)
);

CREATE TABLE security_profile_primary_attributes (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL,
    attribute_name      TEXT COLLATE "C" NOT NULL,
    access_type         TEXT COLLATE "C",
    PRIMARY KEY (security_profile_id, position)
);

-- `attribute` is the position of the primary attribute in its profile.
CREATE TABLE security_profile_primary_attribute_values (
    security_profile_id TEXT COLLATE "C" NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    attribute           BIGINT NOT NULL,
    position            BIGINT NOT NULL,
    value               TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (security_profile_id, attribute, position)
);
"#;

/// Trigram indexes of the lowered names, which `pg_trgm` provides: they answer
/// `LIKE '%needle%'` (CONTAINS) for needles of three characters or more. Made at
/// start-up when the extension is there or can be created, outside the numbered
/// migrations, so a database without `pg_trgm` still has the same schema version.
const TRIGRAM_INDEXES: &[(&str, &str)] = &[
    ("users_username_trgm", "username_lower"),
    ("users_first_name_trgm", "first_name_lower"),
    ("users_last_name_trgm", "last_name_lower"),
];

/// How many times a migration transaction is tried when its creation of
/// `schema_migrations` races another process's.
const CREATE_RACE_ATTEMPTS: u32 = 10;

const CREATE_MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT PRIMARY KEY,
    applied_ms BIGINT NOT NULL
)";

/// Whether `e` is the error of two processes creating the same table at once.
fn is_create_race(e: &Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::DUPLICATE_TABLE
            || *c == SqlState::DUPLICATE_OBJECT
    ) || e.is_transient()
}

/// Opens a READ COMMITTED transaction holding the lock on `schema_migrations`.
async fn locked(client: &mut deadpool_postgres::Client) -> Result<Tx<'_>> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::ReadCommitted)
        .start()
        .await?;
    // Looked up first so that an existing table does not cost a notice per start.
    let present = tx
        .query_opt(
            "SELECT 1 FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
            &[],
        )
        .await?
        .is_some();
    if !present {
        tx.batch_execute(CREATE_MIGRATIONS_TABLE).await?;
    }
    tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
        .await?;
    Ok(tx)
}

/// The highest applied version, 0 for a new database.
async fn current_version(tx: &Tx<'_>) -> Result<i64> {
    let row = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    Ok(row.get(0))
}

fn too_new(current: i64) -> Error {
    Error::Store(roster_store::StoreError::Backend(format!(
        "the database has schema version {current}, but this roster knows versions up to \
         {LATEST_VERSION}; it was written by a newer roster, which must be used to open it"
    )))
}

/// Applies `version` unless it is applied already. Returns whether it applied it.
async fn apply_one(
    client: &mut deadpool_postgres::Client,
    version: i64,
    sql: &str,
    now_ms: i64,
) -> Result<bool> {
    let tx = locked(client).await?;
    let current = current_version(&tx).await?;
    if current > LATEST_VERSION {
        return Err(too_new(current));
    }
    // Every known version not yet recorded, including one below the highest recorded
    // (a number left for a change that was written later, such as 6).
    let recorded = tx
        .query_opt(
            "SELECT 1 FROM schema_migrations WHERE version = $1",
            &[&version],
        )
        .await?
        .is_some();
    if recorded {
        tx.commit().await?;
        return Ok(false);
    }
    tx.batch_execute(sql).await?;
    tx.execute(
        "INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)",
        &[&version, &now_ms],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Brings the database to [`LATEST_VERSION`]. Returns the versions this call applied.
pub(crate) async fn migrate(
    client: &mut deadpool_postgres::Client,
    now_ms: i64,
) -> Result<Vec<i64>> {
    let mut applied = Vec::new();
    for &(version, sql) in MIGRATIONS {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match apply_one(client, version, sql, now_ms).await {
                Ok(true) => {
                    applied.push(version);
                    break;
                }
                Ok(false) => break,
                Err(e) if is_create_race(&e) && attempt < CREATE_RACE_ATTEMPTS => {
                    tracing::debug!(version, attempt, error = %e, "migration raced another process; trying again");
                    tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt))).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
    // A database migrated by a newer roster whose versions are all above ours.
    let tx = locked(client).await?;
    let current = current_version(&tx).await?;
    tx.commit().await?;
    if current > LATEST_VERSION {
        return Err(too_new(current));
    }
    Ok(applied)
}

/// Creates `pg_trgm` (when missing and allowed) and the trigram indexes of user
/// names. Returns whether the indexes exist; when they do not, CONTAINS searches on
/// names scan the instance's users.
pub(crate) async fn ensure_trigram_indexes(client: &mut deadpool_postgres::Client) -> Result<bool> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match trigram_indexes(client).await {
            Err(e) if is_create_race(&e) && attempt < CREATE_RACE_ATTEMPTS => {
                tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt))).await;
            }
            other => return other,
        }
    }
}

/// Names of the trigram indexes not yet in the database.
async fn missing_trigram_indexes(tx: &Tx<'_>) -> Result<Vec<(&'static str, &'static str)>> {
    let rows = tx
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'users'",
            &[],
        )
        .await?;
    let present: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    Ok(TRIGRAM_INDEXES
        .iter()
        .filter(|(name, _)| !present.iter().any(|p| p == name))
        .copied()
        .collect())
}

async fn trigram_indexes(client: &mut deadpool_postgres::Client) -> Result<bool> {
    // The same lock as migrations: one process at a time creates them.
    let tx = locked(client).await?;
    // Creating an index locks out writes to `users` for a moment even when it exists
    // already, so a process starting beside busy ones first looks.
    let missing = missing_trigram_indexes(&tx).await?;
    if missing.is_empty() {
        tx.commit().await?;
        return Ok(true);
    }
    tx.batch_execute("SAVEPOINT trgm").await?;
    if let Err(e) = tx
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .await
    {
        // The extension may exist already or be built in; the index creation below
        // tells whether its operator class can be used.
        tracing::debug!(error = %crate::error::describe(&e), "CREATE EXTENSION pg_trgm failed");
        tx.batch_execute("ROLLBACK TO SAVEPOINT trgm").await?;
    }
    for (name, column) in missing {
        let sql =
            format!("CREATE INDEX IF NOT EXISTS {name} ON users USING gin ({column} gin_trgm_ops)");
        if let Err(e) = tx.batch_execute(&sql).await {
            let e = Error::Pg(e);
            if is_create_race(&e) {
                return Err(e);
            }
            tracing::warn!(
                error = %e,
                "the pg_trgm extension is not available (or may not be created by this user): \
                 CONTAINS searches on user names will scan every user of the instance"
            );
            tx.batch_execute("ROLLBACK TO SAVEPOINT trgm").await?;
            tx.commit().await?;
            return Ok(false);
        }
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_from_one() {
        assert_eq!(MIGRATIONS[0].0, 1);
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn migrations_stay_portable() {
        for (_, sql) in MIGRATIONS {
            let upper = sql.to_uppercase();
            let words: Vec<&str> = upper
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .collect();
            for banned in [
                "SERIAL",
                "BIGSERIAL",
                "SEQUENCE",
                "TRIGGER",
                "FUNCTION",
                "PROCEDURE",
                "IDENTITY",
            ] {
                assert!(!words.contains(&banned), "{banned} in a migration");
            }
            assert!(
                !upper.contains("PG_ADVISORY"),
                "advisory lock in a migration"
            );
        }
    }
}
