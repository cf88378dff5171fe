//! Security profiles, routing profiles and queues.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{Queue, QueueType, SecurityProfile};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, duplicate, holders, in_use, limit, missing, not_found};
use roster_store::PageRequest;
use rusqlite::{params, Connection, Row};

use crate::error::Result;
use crate::scope;
use crate::tags;

fn modified(row: &Row<'_>, ms: usize) -> rusqlite::Result<Modified> {
    Ok(Modified {
        time: Timestamp(row.get(ms)?),
        region: row.get(ms + 1)?,
    })
}

// ---- security profiles --------------------------------------------------------------

/// Creates a security profile in the instance.
pub(crate) fn create_security_profile(
    conn: &Connection,
    at: &InstanceRef,
    p: &SecurityProfile,
) -> Result<()> {
    scope::check(conn, at)?;
    insert_security_profile(conn, &at.instance_id, p)
}

pub(crate) fn insert_security_profile(
    conn: &Connection,
    instance_id: &str,
    p: &SecurityProfile,
) -> Result<()> {
    let taken = conn
        .prepare_cached("SELECT 1 FROM security_profiles WHERE instance_id = ?1 AND name = ?2")?
        .exists(params![instance_id, p.name])?;
    if taken {
        return Err(duplicate(format!(
            "Security profile with name '{}'",
            p.name
        )));
    }
    conn.prepare_cached(
        "INSERT INTO security_profiles (id, instance_id, name, description, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![p.id, instance_id, p.name, p.description, p.modified.time.0, p.modified.region])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO security_profile_permissions (security_profile_id, position, permission) VALUES (?1, ?2, ?3)",
    )?;
    for (i, perm) in p.permissions.iter().enumerate() {
        stmt.execute(params![p.id, i as i64, perm])?;
    }
    tags::insert_new(
        conn,
        instance_id,
        ResourceKind::SecurityProfile,
        &p.id,
        &p.tags,
    )
}

const SECURITY_PROFILE_COLUMNS: &str = "id, name, description, modified_ms, modified_region";

fn security_profile_from_row(conn: &Connection, row: &Row<'_>) -> Result<SecurityProfile> {
    let id: String = row.get(0)?;
    let permissions = conn
        .prepare_cached(
            "SELECT permission FROM security_profile_permissions WHERE security_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let tags = tags::load(conn, ResourceKind::SecurityProfile, &id)?;
    Ok(SecurityProfile {
        name: row.get(1)?,
        description: row.get(2)?,
        permissions,
        tags,
        modified: modified(row, 3)?,
        id,
    })
}

pub(crate) fn get_security_profile(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
) -> Result<SecurityProfile> {
    scope::check(conn, at)?;
    let sql = format!("SELECT {SECURITY_PROFILE_COLUMNS} FROM security_profiles WHERE id = ?1 AND instance_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => security_profile_from_row(conn, row),
        None => Err(not_found(ResourceKind::SecurityProfile, id)),
    }
}

pub(crate) fn list_security_profiles(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<SecurityProfile>> {
    scope::check(conn, at)?;
    let sql = format!(
        "SELECT {SECURITY_PROFILE_COLUMNS} FROM security_profiles WHERE instance_id = ?1 AND id > ?2 \
         ORDER BY id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        at.instance_id,
        page.after.as_deref().unwrap_or(""),
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(security_profile_from_row(conn, row)?);
    }
    Ok(out)
}

pub(crate) fn delete_security_profile(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    if !scope::exists_in(conn, "security_profiles", &at.instance_id, id)? {
        return Err(not_found(ResourceKind::SecurityProfile, id));
    }
    let users: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM user_security_profiles WHERE security_profile_id = ?1",
        )?
        .query_row([id], |r| r.get(0))?;
    if users > 0 {
        return Err(in_use(ResourceKind::SecurityProfile, id, holders(users)));
    }
    tags::delete_all(conn, ResourceKind::SecurityProfile, id)?;
    conn.prepare_cached("DELETE FROM security_profiles WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

// ---- queues -------------------------------------------------------------------------

pub(crate) fn insert_queue(conn: &Connection, instance_id: &str, q: &Queue) -> Result<()> {
    if !scope::exists_in(
        conn,
        "hours_of_operation",
        instance_id,
        &q.hours_of_operation_id,
    )? {
        return Err(missing(
            ResourceKind::HoursOfOperation,
            &q.hours_of_operation_id,
        ));
    }
    conn.prepare_cached(
        "INSERT INTO queues (id, instance_id, name, queue_type, hours_of_operation_id, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        q.id,
        instance_id,
        q.name,
        q.queue_type.as_str(),
        q.hours_of_operation_id,
        q.modified.time.0,
        q.modified.region
    ])?;
    Ok(())
}

pub(crate) fn list_queues(
    conn: &Connection,
    at: &InstanceRef,
    types: &[QueueType],
    page: &PageRequest,
) -> Result<Vec<Queue>> {
    scope::check(conn, at)?;
    // Both types, or none named: no filter. Otherwise the one type named.
    let only = match types {
        [] => None,
        [first, rest @ ..] if rest.iter().all(|t| t == first) => Some(first.as_str()),
        _ => None,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, queue_type, hours_of_operation_id, modified_ms, modified_region FROM queues \
         WHERE instance_id = ?1 AND id > ?2 AND (?3 IS NULL OR queue_type = ?3) ORDER BY id LIMIT ?4",
    )?;
    let mut rows = stmt.query(params![
        at.instance_id,
        page.after.as_deref().unwrap_or(""),
        only,
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let queue_type: String = row.get(2)?;
        out.push(Queue {
            id: row.get(0)?,
            name: row.get(1)?,
            queue_type: QueueType::parse(&queue_type)
                .ok_or_else(|| corrupt(format!("queue type {queue_type:?}")))?,
            hours_of_operation_id: row.get(3)?,
            modified: modified(row, 4)?,
        });
    }
    Ok(out)
}
