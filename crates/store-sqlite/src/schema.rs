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
const MIGRATIONS: &[(i64, &str)] = &[
    (1, V1),
    (2, V2),
    (3, V3),
    (4, V4),
    (5, V5),
    (6, V6),
    (7, V7),
    (8, V8),
    (9, V9),
];

/// The highest schema version this build knows.
pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Every schema version this build knows, in order (the numbers need not be
/// contiguous).
pub fn versions() -> Vec<i64> {
    MIGRATIONS.iter().map(|(v, _)| *v).collect()
}

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

/// The search postings: for each user, one row per tag, security profile and
/// hierarchy group it is under (its own and each ancestor), and one per proficiency,
/// each keyed by the instance's number and ending with the user's lowered username.
/// A condition on one of them is then a range of one index, read in result order, and
/// its count is a count of that range. Triggers keep the postings in step with the
/// tables they mirror, in the same transaction. Usernames never change, but if one
/// did, the postings would follow it.
const V3: &str = r#"
CREATE TABLE instance_numbers (
    no INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE REFERENCES instances (id) ON DELETE CASCADE
);
INSERT INTO instance_numbers (id) SELECT id FROM instances ORDER BY id;
CREATE TRIGGER instance_numbers_insert AFTER INSERT ON instances BEGIN
    INSERT INTO instance_numbers (id) VALUES (new.id);
END;

-- kind 'tag': a = key, b = value; kind 'sp': a = security profile id, b = '';
-- kind 'under': a = a group the user's group is or is below, b = ''.
CREATE TABLE search_terms (
    inst  INTEGER NOT NULL REFERENCES instance_numbers (no) ON DELETE CASCADE,
    kind  TEXT NOT NULL,
    a     TEXT NOT NULL,
    b     TEXT NOT NULL,
    uname TEXT NOT NULL,
    PRIMARY KEY (inst, kind, a, b, uname)
) WITHOUT ROWID;
CREATE INDEX search_terms_by_user ON search_terms (inst, uname);

CREATE TABLE search_proficiencies (
    inst  INTEGER NOT NULL REFERENCES instance_numbers (no) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    uname TEXT NOT NULL,
    level REAL NOT NULL,
    PRIMARY KEY (inst, name, value, uname)
) WITHOUT ROWID;
CREATE INDEX search_proficiencies_by_level ON search_proficiencies (inst, name, value, level);
CREATE INDEX search_proficiencies_by_user ON search_proficiencies (inst, uname);

-- Conditions answered from the users table itself read these indexes only.
DROP INDEX users_by_id;
DROP INDEX users_by_first_name;
DROP INDEX users_by_last_name;
DROP INDEX users_by_routing_profile;
DROP INDEX users_by_hierarchy_group;
CREATE INDEX users_by_id ON users (instance_id, id, username_lower);
CREATE INDEX users_by_first_name ON users (instance_id, first_name_lower, username_lower);
CREATE INDEX users_by_last_name ON users (instance_id, last_name_lower, username_lower);
CREATE INDEX users_by_routing_profile ON users (instance_id, routing_profile_id, username_lower);
CREATE INDEX users_by_hierarchy_group ON users (instance_id, hierarchy_group_id, username_lower);

-- The groups a user is under: the ids on its group's path ('/'-joined UUIDs).
CREATE TRIGGER search_users_insert AFTER INSERT ON users
WHEN new.hierarchy_group_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
    SELECT n.no, 'under', j.value, '', new.username_lower
    FROM instance_numbers n, hierarchy_groups g,
         json_each('["' || replace(g.path, '/', '","') || '"]') j
    WHERE n.id = new.instance_id AND g.id = new.hierarchy_group_id;
END;
CREATE TRIGGER search_users_group AFTER UPDATE OF hierarchy_group_id ON users
WHEN old.hierarchy_group_id IS NOT new.hierarchy_group_id BEGIN
    DELETE FROM search_terms
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = new.instance_id)
      AND uname IN (old.username_lower, new.username_lower) AND kind = 'under';
    INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
    SELECT n.no, 'under', j.value, '', new.username_lower
    FROM instance_numbers n, hierarchy_groups g,
         json_each('["' || replace(g.path, '/', '","') || '"]') j
    WHERE n.id = new.instance_id AND g.id = new.hierarchy_group_id;
END;
CREATE TRIGGER search_users_rename AFTER UPDATE OF username_lower ON users
WHEN old.username_lower IS NOT new.username_lower BEGIN
    UPDATE search_terms SET uname = new.username_lower
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = new.instance_id)
      AND uname = old.username_lower;
    UPDATE search_proficiencies SET uname = new.username_lower
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = new.instance_id)
      AND uname = old.username_lower;
END;
CREATE TRIGGER search_users_delete AFTER DELETE ON users BEGIN
    DELETE FROM search_terms
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = old.instance_id)
      AND uname = old.username_lower;
    DELETE FROM search_proficiencies
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = old.instance_id)
      AND uname = old.username_lower;
END;

CREATE TRIGGER search_tags_insert AFTER INSERT ON tags
WHEN new.resource_kind = 'user' BEGIN
    INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
    SELECT n.no, 'tag', new.key, new.value, u.username_lower
    FROM users u JOIN instance_numbers n ON n.id = u.instance_id
    WHERE u.id = new.resource_id;
END;
CREATE TRIGGER search_tags_update AFTER UPDATE ON tags
WHEN new.resource_kind = 'user' OR old.resource_kind = 'user' BEGIN
    DELETE FROM search_terms
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = old.instance_id)
      AND kind = 'tag' AND a = old.key AND b = old.value
      AND uname = (SELECT username_lower FROM users WHERE id = old.resource_id)
      AND old.resource_kind = 'user';
    INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
    SELECT n.no, 'tag', new.key, new.value, u.username_lower
    FROM users u JOIN instance_numbers n ON n.id = u.instance_id
    WHERE u.id = new.resource_id AND new.resource_kind = 'user';
END;
CREATE TRIGGER search_tags_delete AFTER DELETE ON tags
WHEN old.resource_kind = 'user' BEGIN
    DELETE FROM search_terms
    WHERE inst = (SELECT no FROM instance_numbers WHERE id = old.instance_id)
      AND kind = 'tag' AND a = old.key AND b = old.value
      AND uname = (SELECT username_lower FROM users WHERE id = old.resource_id);
END;

CREATE TRIGGER search_security_profiles_insert AFTER INSERT ON user_security_profiles BEGIN
    INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
    SELECT n.no, 'sp', new.security_profile_id, '', u.username_lower
    FROM users u JOIN instance_numbers n ON n.id = u.instance_id
    WHERE u.id = new.user_id;
END;
CREATE TRIGGER search_security_profiles_delete AFTER DELETE ON user_security_profiles
WHEN NOT EXISTS (SELECT 1 FROM user_security_profiles
                 WHERE user_id = old.user_id AND security_profile_id = old.security_profile_id)
BEGIN
    DELETE FROM search_terms
    WHERE (inst, uname) = (SELECT n.no, u.username_lower
                           FROM users u JOIN instance_numbers n ON n.id = u.instance_id
                           WHERE u.id = old.user_id)
      AND kind = 'sp' AND a = old.security_profile_id AND b = '';
END;

CREATE TRIGGER search_proficiencies_insert AFTER INSERT ON user_proficiencies BEGIN
    INSERT OR REPLACE INTO search_proficiencies (inst, name, value, uname, level)
    SELECT n.no, new.attribute_name, new.attribute_value, u.username_lower, new.level
    FROM users u JOIN instance_numbers n ON n.id = u.instance_id
    WHERE u.id = new.user_id;
END;
CREATE TRIGGER search_proficiencies_update AFTER UPDATE ON user_proficiencies BEGIN
    DELETE FROM search_proficiencies
    WHERE (inst, uname) = (SELECT n.no, u.username_lower
                           FROM users u JOIN instance_numbers n ON n.id = u.instance_id
                           WHERE u.id = old.user_id)
      AND name = old.attribute_name AND value = old.attribute_value;
    INSERT OR REPLACE INTO search_proficiencies (inst, name, value, uname, level)
    SELECT n.no, new.attribute_name, new.attribute_value, u.username_lower, new.level
    FROM users u JOIN instance_numbers n ON n.id = u.instance_id
    WHERE u.id = new.user_id;
END;
CREATE TRIGGER search_proficiencies_delete AFTER DELETE ON user_proficiencies BEGIN
    DELETE FROM search_proficiencies
    WHERE (inst, uname) = (SELECT n.no, u.username_lower
                           FROM users u JOIN instance_numbers n ON n.id = u.instance_id
                           WHERE u.id = old.user_id)
      AND name = old.attribute_name AND value = old.attribute_value;
END;

-- The postings of the users already stored.
INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
SELECT n.no, 'under', j.value, '', u.username_lower
FROM users u JOIN instance_numbers n ON n.id = u.instance_id
JOIN hierarchy_groups g ON g.id = u.hierarchy_group_id,
     json_each('["' || replace(g.path, '/', '","') || '"]') j;
INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
SELECT n.no, 'tag', t.key, t.value, u.username_lower
FROM tags t JOIN users u ON u.id = t.resource_id JOIN instance_numbers n ON n.id = u.instance_id
WHERE t.resource_kind = 'user';
INSERT OR IGNORE INTO search_terms (inst, kind, a, b, uname)
SELECT n.no, 'sp', s.security_profile_id, '', u.username_lower
FROM user_security_profiles s JOIN users u ON u.id = s.user_id
JOIN instance_numbers n ON n.id = u.instance_id;
INSERT OR REPLACE INTO search_proficiencies (inst, name, value, uname, level)
SELECT n.no, p.attribute_name, p.attribute_value, u.username_lower, p.level
FROM user_proficiencies p JOIN users u ON u.id = p.user_id
JOIN instance_numbers n ON n.id = u.instance_id;
ANALYZE;
"#;

/// The trigram index's changes are queued by the triggers on `users` and applied once
/// per write transaction by [`FLUSH_TRIGRAMS`], outside the per-call savepoints of the
/// writer: FTS5 writes its pending entries to a new segment at every savepoint (and
/// then merges those segments), which made it a large share of each creation.
const V4: &str = r#"
CREATE TABLE users_fts_queue (
    seq              INTEGER PRIMARY KEY,
    command          TEXT,
    user_rowid       INTEGER NOT NULL,
    username_lower   TEXT,
    first_name_lower TEXT,
    last_name_lower  TEXT
);
DROP TRIGGER users_fts_insert;
DROP TRIGGER users_fts_delete;
DROP TRIGGER users_fts_update;
CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts_queue (command, user_rowid, username_lower, first_name_lower, last_name_lower)
    VALUES (NULL, new.rowid, new.username_lower, new.first_name_lower, new.last_name_lower);
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts_queue (command, user_rowid, username_lower, first_name_lower, last_name_lower)
    VALUES ('delete', old.rowid, old.username_lower, old.first_name_lower, old.last_name_lower);
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF username_lower, first_name_lower, last_name_lower ON users
WHEN old.username_lower IS NOT new.username_lower
  OR old.first_name_lower IS NOT new.first_name_lower
  OR old.last_name_lower IS NOT new.last_name_lower
BEGIN
    INSERT INTO users_fts_queue (command, user_rowid, username_lower, first_name_lower, last_name_lower)
    VALUES ('delete', old.rowid, old.username_lower, old.first_name_lower, old.last_name_lower);
    INSERT INTO users_fts_queue (command, user_rowid, username_lower, first_name_lower, last_name_lower)
    VALUES (NULL, new.rowid, new.username_lower, new.first_name_lower, new.last_name_lower);
END;
"#;

/// Hours of operation in full: a description, unique names per instance, the
/// openings of each (times in minutes since midnight, an end of 0 being the midnight
/// that closes the day) and the parents each links to. Every hours of operation stored
/// before this was an instance's default `Basic Hours`, which is open all day every
/// day; they get those openings and their description.
const V5: &str = r#"
ALTER TABLE hours_of_operation ADD COLUMN description TEXT;
CREATE UNIQUE INDEX hours_of_operation_name ON hours_of_operation (instance_id, name);

CREATE TABLE hours_of_operation_config (
    hours_id     TEXT NOT NULL REFERENCES hours_of_operation (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    day          TEXT NOT NULL,
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1439),
    PRIMARY KEY (hours_id, position)
) WITHOUT ROWID;

-- The hours of operation whose overrides `hours_id` takes, in the order given.
CREATE TABLE hours_of_operation_parents (
    hours_id  TEXT NOT NULL REFERENCES hours_of_operation (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    parent_id TEXT NOT NULL,
    PRIMARY KEY (hours_id, position)
) WITHOUT ROWID;
CREATE INDEX hours_of_operation_parents_by_parent ON hours_of_operation_parents (parent_id, hours_id);

-- "Which queues use these hours", asked before they are deleted.
CREATE INDEX queues_by_hours ON queues (instance_id, hours_of_operation_id, id);

UPDATE hours_of_operation SET description = 'Basic Hours' WHERE name = 'Basic Hours';
INSERT INTO hours_of_operation_config (hours_id, position, day, start_minute, end_minute)
SELECT h.id, d.position, d.day, 0, 0
FROM hours_of_operation h,
     (SELECT 0 AS position, 'SUNDAY' AS day UNION ALL SELECT 1, 'MONDAY' UNION ALL SELECT 2, 'TUESDAY'
      UNION ALL SELECT 3, 'WEDNESDAY' UNION ALL SELECT 4, 'THURSDAY' UNION ALL SELECT 5, 'FRIDAY'
      UNION ALL SELECT 6, 'SATURDAY') d;
"#;

/// Queues in full: a description, capacity, status, outbound caller and email
/// settings, and unique names per instance. Every queue stored before this was an
/// instance's `BasicQueue`, which gets the real service's description; all were
/// enabled. Agent queues are derived from the users and never stored. A database
/// already at version 7 or 8 gets this migration after them: it changes only `queues`,
/// which those do not touch.
const V6: &str = r#"
ALTER TABLE queues ADD COLUMN description TEXT;
ALTER TABLE queues ADD COLUMN max_contacts INTEGER CHECK (max_contacts >= 0);
ALTER TABLE queues ADD COLUMN status TEXT NOT NULL DEFAULT 'ENABLED';
ALTER TABLE queues ADD COLUMN outbound_caller_id_name TEXT;
ALTER TABLE queues ADD COLUMN outbound_caller_id_number_id TEXT;
ALTER TABLE queues ADD COLUMN outbound_flow_id TEXT;
ALTER TABLE queues ADD COLUMN outbound_email_address_id TEXT;
CREATE UNIQUE INDEX queues_name ON queues (instance_id, name);
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
ALTER TABLE routing_profiles ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
UPDATE routing_profiles SET is_default = 1 WHERE name = 'Basic Routing Profile';

CREATE TABLE routing_profile_manual_queues (
    routing_profile_id TEXT NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    queue_id           TEXT NOT NULL,
    channel            TEXT NOT NULL,
    PRIMARY KEY (routing_profile_id, position)
) WITHOUT ROWID;
"#;

/// Quick connects: the destination in the columns of its type (user and contact flow,
/// queue and contact flow, phone number, or contact flow), and the queues that offer
/// each. Version 6 is left to another area; numbers need only increase.
const V9: &str = r#"
CREATE TABLE quick_connects (
    id                 TEXT PRIMARY KEY,
    instance_id        TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    description        TEXT,
    quick_connect_type TEXT NOT NULL,
    user_id            TEXT,
    queue_id           TEXT,
    contact_flow_id    TEXT,
    phone_number       TEXT,
    modified_ms        INTEGER NOT NULL,
    modified_region    TEXT NOT NULL,
    UNIQUE (instance_id, name)
);
CREATE INDEX quick_connects_by_instance ON quick_connects (instance_id, id);

CREATE TABLE queue_quick_connects (
    instance_id      TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    queue_id         TEXT NOT NULL,
    quick_connect_id TEXT NOT NULL REFERENCES quick_connects (id) ON DELETE CASCADE,
    PRIMARY KEY (queue_id, quick_connect_id)
) WITHOUT ROWID;
-- "Which queues offer this quick connect", asked before it is deleted.
CREATE INDEX queue_quick_connects_by_quick_connect ON queue_quick_connects (quick_connect_id, queue_id);
"#;

/// Security profiles in full: the hierarchy group a profile restricts access to, how
/// much of its granular access control was sent, and a table for each of its lists.
/// Versions 5 and 6 are left to other areas; numbers need only increase.
const V7: &str = r#"
ALTER TABLE security_profiles ADD COLUMN allowed_hierarchy_group_id TEXT;
-- GranularAccessControlConfiguration: NULL when not set; else how deep it was sent,
-- 0 the empty structure, 1 with DataTableAccessControlConfiguration, 2 with its
-- PrimaryAttributeAccessControlConfiguration, 3 with its PrimaryAttributeValues
-- (the rows of security_profile_primary_attributes)
ALTER TABLE security_profiles ADD COLUMN granular_depth INTEGER CHECK (granular_depth BETWEEN 0 AND 3);
-- Deleting a hierarchy group asks which profiles restrict access to it.
CREATE INDEX security_profiles_by_hierarchy_group
    ON security_profiles (instance_id, allowed_hierarchy_group_id)
    WHERE allowed_hierarchy_group_id IS NOT NULL;

CREATE TABLE security_profile_access_tags (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    key                 TEXT NOT NULL,
    value               TEXT NOT NULL,
    PRIMARY KEY (security_profile_id, key)
) WITHOUT ROWID;

-- kind 'tag': TagRestrictedResources; kind 'hierarchy': HierarchyRestrictedResources.
CREATE TABLE security_profile_restricted_resources (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL,
    position            INTEGER NOT NULL,
    resource            TEXT NOT NULL,
    PRIMARY KEY (security_profile_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE security_profile_applications (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    namespace           TEXT NOT NULL,
    application_type    TEXT,
    PRIMARY KEY (security_profile_id, position)
) WITHOUT ROWID;

-- `application` is the position of the application in its profile.
CREATE TABLE security_profile_application_permissions (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    application         INTEGER NOT NULL,
    position            INTEGER NOT NULL,
    permission          TEXT NOT NULL,
    PRIMARY KEY (security_profile_id, application, position)
) WITHOUT ROWID;

CREATE TABLE security_profile_flow_modules (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    flow_module_id      TEXT NOT NULL,
    module_type         TEXT,
    PRIMARY KEY (security_profile_id, position)
) WITHOUT ROWID;

CREATE TABLE security_profile_ai_agents (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    arn                 TEXT NOT NULL,
    agent_type          TEXT,
    PRIMARY KEY (security_profile_id, position)
) WITHOUT ROWID;

CREATE TABLE security_profile_primary_attributes (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    attribute_name      TEXT NOT NULL,
    access_type         TEXT,
    PRIMARY KEY (security_profile_id, position)
) WITHOUT ROWID;

-- `attribute` is the position of the primary attribute in its profile.
CREATE TABLE security_profile_primary_attribute_values (
    security_profile_id TEXT NOT NULL REFERENCES security_profiles (id) ON DELETE CASCADE,
    attribute           INTEGER NOT NULL,
    position            INTEGER NOT NULL,
    value               TEXT NOT NULL,
    PRIMARY KEY (security_profile_id, attribute, position)
) WITHOUT ROWID;
"#;

/// Applies the queued changes of the trigram index, in the order they were made, and
/// empties the queue. Every write transaction runs it just before its `COMMIT`, so
/// that no committed state has a queued change.
pub(crate) const FLUSH_TRIGRAMS: &str = "
INSERT INTO users_fts (users_fts, rowid, username_lower, first_name_lower, last_name_lower)
    SELECT command, user_rowid, username_lower, first_name_lower, last_name_lower
    FROM users_fts_queue ORDER BY seq;
DELETE FROM users_fts_queue;
";

/// Brings the database to [`LATEST_VERSION`]. Returns the versions applied.
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
    // Every known version not yet recorded, including one below the highest recorded
    // (a number left for a change that was written later, such as 6).
    for &(version, sql) in MIGRATIONS.iter() {
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
        if version >= 4 {
            tx.execute_batch(FLUSH_TRIGRAMS)?;
        }
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
    fn versions_increase_from_one() {
        assert_eq!(MIGRATIONS[0].0, 1);
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn migrating_twice_applies_nothing_new() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        assert_eq!(
            migrate(&mut conn, 1).unwrap(),
            MIGRATIONS.iter().map(|(v, _)| *v).collect::<Vec<_>>()
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

    #[test]
    fn postings_are_built_for_users_stored_before_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
        )
        .unwrap();
        for (version, sql) in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
                [version],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO instances (id, account_id, region, identity_management_type, created_ms, \
                 inbound_calls_enabled, outbound_calls_enabled) VALUES ('i', 'a', 'r', 'SAML', 0, 1, 1);
             INSERT INTO hierarchy_groups (id, instance_id, name, level, parent_id, path, modified_ms, modified_region) \
                 VALUES ('top', 'i', 'Top', 1, NULL, 'top', 0, 'r'), ('low', 'i', 'Low', 2, 'top', 'top/low', 0, 'r');
             INSERT INTO users (id, instance_id, username, username_lower, routing_profile_id, hierarchy_group_id, \
                 voice_auto_accept, voice_acw, chat_auto_accept, chat_acw, task_auto_accept, task_acw, \
                 email_auto_accept, email_acw, phone_type, persistent_connection, voice_enhancement, \
                 modified_ms, modified_region) \
                 VALUES ('u', 'i', 'Ann', 'ann', 'rp', 'low', 0, 0, 0, 0, 0, 0, 0, 0, 'SOFT_PHONE', 0, 'NONE', 0, 'r');
             INSERT INTO user_security_profiles (user_id, position, security_profile_id) VALUES ('u', 0, 'sp');
             INSERT INTO tags (instance_id, resource_kind, resource_id, key, value) VALUES ('i', 'user', 'u', 'dept', 'sales');
             INSERT INTO user_proficiencies (user_id, instance_id, attribute_name, attribute_value, level) \
                 VALUES ('u', 'i', 'Language', 'English', 4.0);",
        )
        .unwrap();
        let later: Vec<i64> = MIGRATIONS
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| *v > 2)
            .collect();
        assert_eq!(migrate(&mut conn, 1).unwrap(), later);

        let terms: Vec<(String, String, String, String)> = conn
            .prepare("SELECT kind, a, b, uname FROM search_terms ORDER BY kind, a")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let term = |k: &str, a: &str, b: &str| (k.into(), a.into(), b.into(), "ann".into());
        assert_eq!(
            terms,
            vec![
                term("sp", "sp", ""),
                term("tag", "dept", "sales"),
                term("under", "low", ""),
                term("under", "top", ""),
            ]
        );
        let level: f64 = conn
            .query_row(
                "SELECT level FROM search_proficiencies WHERE name = 'Language' AND value = 'English' AND uname = 'ann'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(level, 4.0);

        // Deleting the instance takes its postings with it.
        conn.execute("DELETE FROM instances WHERE id = 'i'", [])
            .unwrap();
        let left: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM search_terms) + (SELECT count(*) FROM search_proficiencies)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn hours_stored_before_v5_are_the_default_open_all_week() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
        )
        .unwrap();
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v < 5) {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
                [version],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO instances (id, account_id, region, identity_management_type, created_ms, \
                 inbound_calls_enabled, outbound_calls_enabled) VALUES ('i', 'a', 'r', 'SAML', 0, 1, 1);
             INSERT INTO hours_of_operation (id, instance_id, name, time_zone, modified_ms, modified_region) \
                 VALUES ('h', 'i', 'Basic Hours', 'America/New_York', 0, 'r');",
        )
        .unwrap();
        migrate(&mut conn, 1).unwrap();
        let description: Option<String> = conn
            .query_row("SELECT description FROM hours_of_operation", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(description.as_deref(), Some("Basic Hours"));
        let openings: Vec<(String, i64, i64)> = conn
            .prepare(
                "SELECT day, start_minute, end_minute FROM hours_of_operation_config \
                 WHERE hours_id = 'h' ORDER BY position",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let week = roster_domain::hours::WeeklyHours::from_stored(openings).unwrap();
        assert_eq!(week, roster_domain::hours::WeeklyHours::always_open());
    }

    #[test]
    fn a_database_past_version_6_gets_it_and_its_queues_their_settings() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
        )
        .unwrap();
        // As a build that knew 7 and 8 but not 6 left it.
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v != 6) {
            conn.execute_batch(sql).unwrap();
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
                [version],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO instances (id, account_id, region, identity_management_type, created_ms, \
                 inbound_calls_enabled, outbound_calls_enabled) VALUES ('i', 'a', 'r', 'SAML', 0, 1, 1);
             INSERT INTO queues (id, instance_id, name, queue_type, hours_of_operation_id, modified_ms, modified_region) \
                 VALUES ('q', 'i', 'BasicQueue', 'STANDARD', 'h', 0, 'r');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn, 1).unwrap(), vec![6]);
        let (description, status, max): (Option<String>, String, Option<i64>) = conn
            .query_row(
                "SELECT description, status, max_contacts FROM queues WHERE id = 'q'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            description.as_deref(),
            Some(roster_domain::queues::BASIC_QUEUE_DESCRIPTION)
        );
        assert_eq!(status, "ENABLED");
        assert_eq!(max, None);
        assert!(migrate(&mut conn, 2).unwrap().is_empty());
    }

    fn trigram_hits(conn: &Connection, needle: &str) -> i64 {
        conn.query_row(
            "SELECT count(*) FROM users_fts WHERE users_fts MATCH ?1",
            [format!("username_lower : \"{needle}\"")],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn trigram_changes_wait_in_the_queue_until_flushed() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrate(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO instances (id, account_id, region, identity_management_type, created_ms, \
                 inbound_calls_enabled, outbound_calls_enabled) VALUES ('i', 'a', 'r', 'SAML', 0, 1, 1);
             INSERT INTO users (id, instance_id, username, username_lower, routing_profile_id, \
                 voice_auto_accept, voice_acw, chat_auto_accept, chat_acw, task_auto_accept, task_acw, \
                 email_auto_accept, email_acw, phone_type, persistent_connection, voice_enhancement, \
                 modified_ms, modified_region) \
                 VALUES ('u', 'i', 'Annabel', 'annabel', 'rp', 0, 0, 0, 0, 0, 0, 0, 0, 'SOFT_PHONE', 0, 'NONE', 0, 'r');",
        )
        .unwrap();
        assert_eq!(trigram_hits(&conn, "nab"), 0);
        conn.execute_batch(FLUSH_TRIGRAMS).unwrap();
        assert_eq!(trigram_hits(&conn, "nab"), 1);

        // A rename queues the removal of the old trigrams and the new ones, applied in
        // that order, twice in one flush.
        conn.execute_batch(
            "UPDATE users SET username = 'Bella', username_lower = 'bella' WHERE id = 'u';
             UPDATE users SET username = 'Bellamy', username_lower = 'bellamy' WHERE id = 'u';",
        )
        .unwrap();
        conn.execute_batch(FLUSH_TRIGRAMS).unwrap();
        assert_eq!(trigram_hits(&conn, "nab"), 0);
        assert_eq!(trigram_hits(&conn, "lam"), 1);
        let queued: i64 = conn
            .query_row("SELECT count(*) FROM users_fts_queue", [], |r| r.get(0))
            .unwrap();
        assert_eq!(queued, 0);

        conn.execute("DELETE FROM instances WHERE id = 'i'", [])
            .unwrap();
        conn.execute_batch(FLUSH_TRIGRAMS).unwrap();
        assert_eq!(trigram_hits(&conn, "lam"), 0);
    }
}
