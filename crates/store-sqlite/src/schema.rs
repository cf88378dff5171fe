//! The schema and its migrations.
//!
//! Migrations are numbered from 1 and applied in order, each in its own transaction
//! together with the row that records it in `schema_migrations`. A database whose
//! highest recorded version is above [`LATEST_VERSION`] was written by a newer roster
//! and is refused.
//!
//! Ids are text UUIDs made by the caller. Every table that belongs to an instance
//! carries `instance_id` with `ON DELETE CASCADE`, so deleting the instance row
//! removes everything in it. References between resources of an instance (a user's
//! routing profile, security profiles and group; a routing profile's queues) are
//! checked by the store's code inside the write transaction rather than by foreign
//! keys, which would need an index led by each referencing column.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::error::Error;

/// `(version, SQL)`, in order. Never edit an applied migration; add a new one.
const MIGRATIONS: &[(i64, &str)] = &[(1, V1), (2, V2)];

/// The highest schema version this build knows.
pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

const V1: &str = r#"
CREATE TABLE instances (
    id                       TEXT PRIMARY KEY,
    account_id               TEXT NOT NULL,
    region                   TEXT NOT NULL,
    identity_management_type TEXT NOT NULL,
    alias                    TEXT,
    directory_id             TEXT,
    created_ms               INTEGER NOT NULL,
    inbound_calls_enabled    INTEGER NOT NULL,
    outbound_calls_enabled   INTEGER NOT NULL,
    -- maintained by the triggers on users below
    user_count               INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX instances_by_scope ON instances (account_id, region, id);
CREATE UNIQUE INDEX instances_alias ON instances (account_id, region, alias) WHERE alias IS NOT NULL;

-- Attributes other than INBOUND_CALLS / OUTBOUND_CALLS, which live in `instances`.
-- An attribute without a row has its default value.
CREATE TABLE instance_attributes (
    instance_id TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    attribute   TEXT NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (instance_id, attribute)
) WITHOUT ROWID;

CREATE TABLE security_profiles (
    id              TEXT PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    description     TEXT,
    modified_ms     INTEGER NOT NULL,
    modified_region TEXT NOT NULL,
    UNIQUE (instance_id, name)
);
CREATE INDEX security_profiles_by_instance ON security_profiles (instance_id, id);

CREATE TABLE security_profile_permissions (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    permission          TEXT NOT NULL,
    PRIMARY KEY (security_profile_id, position)
) WITHOUT ROWID;

CREATE TABLE hours_of_operation (
    id              TEXT PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    modified_ms     INTEGER NOT NULL,
    modified_region TEXT NOT NULL
);
CREATE INDEX hours_of_operation_by_instance ON hours_of_operation (instance_id, id);

CREATE TABLE queues (
    id                    TEXT PRIMARY KEY,
    instance_id           TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL,
    queue_type            TEXT NOT NULL,
    hours_of_operation_id TEXT NOT NULL,
    modified_ms           INTEGER NOT NULL,
    modified_region       TEXT NOT NULL
);
CREATE INDEX queues_by_instance ON queues (instance_id, id);

CREATE TABLE routing_profiles (
    id                        TEXT PRIMARY KEY,
    instance_id               TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                      TEXT NOT NULL,
    description               TEXT NOT NULL,
    default_outbound_queue_id TEXT NOT NULL,
    agent_availability_timer  TEXT,
    modified_ms               INTEGER NOT NULL,
    modified_region           TEXT NOT NULL,
    UNIQUE (instance_id, name)
);
CREATE INDEX routing_profiles_by_instance ON routing_profiles (instance_id, id);

CREATE TABLE routing_profile_media_concurrencies (
    routing_profile_id     TEXT NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    channel                TEXT NOT NULL,
    concurrency            INTEGER NOT NULL,
    cross_channel_behavior TEXT,
    PRIMARY KEY (routing_profile_id, position)
) WITHOUT ROWID;

CREATE TABLE routing_profile_queues (
    routing_profile_id TEXT NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    queue_id           TEXT NOT NULL,
    channel            TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    delay              INTEGER NOT NULL,
    PRIMARY KEY (routing_profile_id, position)
) WITHOUT ROWID;

-- Tags of every kind of resource. `resource_kind` is ResourceKind::as_str; for the
-- instance itself `resource_id` is the instance id.
CREATE TABLE tags (
    instance_id   TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    resource_kind TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (resource_kind, resource_id, key)
) WITHOUT ROWID;
-- Tag conditions of user searches: which resources of a kind carry key = value.
-- The primary key columns (resource_id) are part of every index entry.
CREATE INDEX tags_by_key_value ON tags (instance_id, resource_kind, key, value);

CREATE TABLE hierarchy_levels (
    instance_id     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    name            TEXT NOT NULL,
    modified_ms     INTEGER NOT NULL,
    modified_region TEXT NOT NULL,
    PRIMARY KEY (instance_id, level)
) WITHOUT ROWID;

CREATE TABLE hierarchy_groups (
    id              TEXT PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    parent_id       TEXT,
    -- ids from the top-level ancestor down to and including this group, joined by
    -- '/'; the groups below G are those whose path starts with G's path and '/'
    path            TEXT NOT NULL,
    modified_ms     INTEGER NOT NULL,
    modified_region TEXT NOT NULL,
    UNIQUE (instance_id, name)
);
CREATE INDEX hierarchy_groups_by_instance ON hierarchy_groups (instance_id, id);
CREATE INDEX hierarchy_groups_by_parent ON hierarchy_groups (parent_id);
CREATE INDEX hierarchy_groups_by_path ON hierarchy_groups (instance_id, path);
CREATE INDEX hierarchy_groups_by_level ON hierarchy_groups (instance_id, level);

CREATE TABLE users (
    id                     TEXT PRIMARY KEY,
    instance_id            TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    username               TEXT NOT NULL,
    -- lowercase copies for uniqueness and case-insensitive search
    username_lower         TEXT NOT NULL,
    first_name             TEXT,
    first_name_lower       TEXT,
    last_name              TEXT,
    last_name_lower        TEXT,
    email                  TEXT,
    secondary_email        TEXT,
    mobile                 TEXT,
    directory_user_id      TEXT,
    password_hash          TEXT,
    routing_profile_id     TEXT NOT NULL,
    hierarchy_group_id     TEXT,
    voice_auto_accept      INTEGER NOT NULL,
    voice_acw              INTEGER NOT NULL,
    voice_afc_auto_accept  INTEGER,
    voice_afc_acw          INTEGER,
    chat_auto_accept       INTEGER NOT NULL,
    chat_acw               INTEGER NOT NULL,
    task_auto_accept       INTEGER NOT NULL,
    task_acw               INTEGER NOT NULL,
    email_auto_accept      INTEGER NOT NULL,
    email_acw              INTEGER NOT NULL,
    phone_type             TEXT NOT NULL,
    desk_phone_number      TEXT,
    persistent_connection  INTEGER NOT NULL,
    voice_enhancement      TEXT NOT NULL,
    modified_ms            INTEGER NOT NULL,
    modified_region        TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username_unique ON users (instance_id, username_lower);
CREATE INDEX users_by_id ON users (instance_id, id);
CREATE INDEX users_by_username ON users (instance_id, username_lower, id);
CREATE INDEX users_by_first_name ON users (instance_id, first_name_lower);
CREATE INDEX users_by_last_name ON users (instance_id, last_name_lower);
CREATE INDEX users_by_routing_profile ON users (instance_id, routing_profile_id);
CREATE INDEX users_by_hierarchy_group ON users (instance_id, hierarchy_group_id);

CREATE TRIGGER users_count_insert AFTER INSERT ON users BEGIN
    UPDATE instances SET user_count = user_count + 1 WHERE id = NEW.instance_id;
END;
CREATE TRIGGER users_count_delete AFTER DELETE ON users BEGIN
    UPDATE instances SET user_count = user_count - 1 WHERE id = OLD.instance_id;
END;

-- A user's security profiles, in the order given.
CREATE TABLE user_security_profiles (
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    security_profile_id TEXT NOT NULL,
    PRIMARY KEY (user_id, position)
) WITHOUT ROWID;
CREATE INDEX user_security_profiles_by_profile ON user_security_profiles (security_profile_id, user_id);
"#;

/// Brings the database to [`LATEST_VERSION`]. Returns the versions applied.
/// Proficiencies and the trigram index of user names.
const V2: &str = r#"
CREATE TABLE predefined_attributes (
    instance_id             TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                    TEXT NOT NULL,
    enable_value_validation INTEGER,
    modified_ms             INTEGER NOT NULL,
    modified_region         TEXT NOT NULL,
    PRIMARY KEY (instance_id, name)
) WITHOUT ROWID;

-- An attribute's values and purposes, in the order given.
CREATE TABLE predefined_attribute_values (
    instance_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (instance_id, name, position),
    FOREIGN KEY (instance_id, name) REFERENCES predefined_attributes (instance_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE predefined_attribute_purposes (
    instance_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    purpose     TEXT NOT NULL,
    PRIMARY KEY (instance_id, name, position),
    FOREIGN KEY (instance_id, name) REFERENCES predefined_attributes (instance_id, name) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE user_proficiencies (
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instance_id     TEXT NOT NULL,
    attribute_name  TEXT NOT NULL,
    attribute_value TEXT NOT NULL,
    level           REAL NOT NULL,
    PRIMARY KEY (user_id, attribute_name, attribute_value)
) WITHOUT ROWID;
-- Proficiency conditions of user searches, and "is this attribute value held".
CREATE INDEX user_proficiencies_by_attribute
    ON user_proficiencies (instance_id, attribute_name, attribute_value, level, user_id);

ALTER TABLE users ADD COLUMN proficiencies_modified_ms INTEGER;
ALTER TABLE users ADD COLUMN proficiencies_modified_region TEXT;

-- Trigram index of the lowered names, for CONTAINS searches of 3 or more characters.
CREATE VIRTUAL TABLE users_fts USING fts5(
    username_lower, first_name_lower, last_name_lower,
    content = 'users', content_rowid = 'rowid', tokenize = 'trigram'
);
CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, username_lower, first_name_lower, last_name_lower)
    VALUES (new.rowid, new.username_lower, new.first_name_lower, new.last_name_lower);
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, username_lower, first_name_lower, last_name_lower)
    VALUES ('delete', old.rowid, old.username_lower, old.first_name_lower, old.last_name_lower);
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF username_lower, first_name_lower, last_name_lower ON users
WHEN old.username_lower IS NOT new.username_lower
  OR old.first_name_lower IS NOT new.first_name_lower
  OR old.last_name_lower IS NOT new.last_name_lower
BEGIN
    INSERT INTO users_fts (users_fts, rowid, username_lower, first_name_lower, last_name_lower)
    VALUES ('delete', old.rowid, old.username_lower, old.first_name_lower, old.last_name_lower);
    INSERT INTO users_fts (rowid, username_lower, first_name_lower, last_name_lower)
    VALUES (new.rowid, new.username_lower, new.first_name_lower, new.last_name_lower);
END;
INSERT INTO users_fts (users_fts) VALUES ('rebuild');
"#;

pub(crate) fn migrate(conn: &mut Connection, now_ms: i64) -> Result<Vec<i64>, Error> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at INTEGER NOT NULL
         )",
    )?;
    let current = current_version(conn)?;
    if current > LATEST_VERSION {
        return Err(Error::Store(roster_store::StoreError::Backend(format!(
            "the database has schema version {current}, but this roster knows versions up to \
             {LATEST_VERSION}; it was written by a newer roster, which must be used to open it"
        ))));
    }
    let mut applied = Vec::new();
    for &(version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have applied it since the version was read.
        let done: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_some() {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![version, now_ms],
        )?;
        tx.commit()?;
        applied.push(version);
    }
    Ok(applied)
}

/// The highest applied version, 0 for a new database.
pub(crate) fn current_version(conn: &Connection) -> Result<i64, Error> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_increasing_from_one() {
        for (i, (v, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v, i as i64 + 1);
        }
    }

    #[test]
    fn migrating_twice_applies_nothing_new() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        assert_eq!(
            migrate(&mut conn, 1).unwrap(),
            (1..=LATEST_VERSION).collect::<Vec<_>>()
        );
        assert!(migrate(&mut conn, 2).unwrap().is_empty());
        assert_eq!(current_version(&conn).unwrap(), LATEST_VERSION);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
            [LATEST_VERSION + 1],
        )
        .unwrap();
        let err = migrate(&mut conn, 2).unwrap_err().into_store();
        assert!(err.to_string().contains("newer roster"), "{err}");
    }
}
