//! Tags of every kind of resource, in one table keyed by kind and id.

use roster_domain::arn::ResourceKind;
use roster_domain::tags::Tags;
use roster_domain::InstanceRef;
use roster_store::sql::{not_found, tag_limit, tagged_table};
use roster_store::ResourceRef;
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::scope;

/// Stores the tags of a resource being created.
pub(crate) fn insert_new(
    conn: &Connection,
    instance_id: &str,
    kind: ResourceKind,
    resource_id: &str,
    tags: &Tags,
) -> Result<()> {
    tag_limit(tags.len())?;
    upsert(conn, instance_id, kind, resource_id, tags)
}

fn upsert(
    conn: &Connection,
    instance_id: &str,
    kind: ResourceKind,
    resource_id: &str,
    tags: &Tags,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tags (instance_id, resource_kind, resource_id, key, value) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (resource_kind, resource_id, key) DO UPDATE SET value = excluded.value",
    )?;
    for (k, v) in tags {
        stmt.execute(params![instance_id, kind.as_str(), resource_id, k, v])?;
    }
    Ok(())
}

pub(crate) fn load(conn: &Connection, kind: ResourceKind, resource_id: &str) -> Result<Tags> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, value FROM tags WHERE resource_kind = ?1 AND resource_id = ?2",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), resource_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Tags>>()?)
}

pub(crate) fn delete_all(conn: &Connection, kind: ResourceKind, resource_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM tags WHERE resource_kind = ?1 AND resource_id = ?2")?
        .execute(params![kind.as_str(), resource_id])?;
    Ok(())
}

/// `NotFound` unless the instance exists in the scope and holds the resource.
fn check_resource(conn: &Connection, at: &InstanceRef, resource: &ResourceRef) -> Result<()> {
    scope::check(conn, at)?;
    let found = match tagged_table(resource.kind) {
        None => resource.kind == ResourceKind::Instance && resource.id == at.instance_id,
        Some(table) => scope::exists_in(conn, table, &at.instance_id, &resource.id)?,
    };
    if found {
        Ok(())
    } else {
        Err(not_found(resource.kind, &resource.id))
    }
}

pub(crate) fn tag(
    conn: &Connection,
    at: &InstanceRef,
    resource: &ResourceRef,
    tags: &Tags,
) -> Result<()> {
    check_resource(conn, at, resource)?;
    upsert(conn, &at.instance_id, resource.kind, &resource.id, tags)?;
    let count: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM tags WHERE resource_kind = ?1 AND resource_id = ?2")?
        .query_row(params![resource.kind.as_str(), resource.id], |r| r.get(0))?;
    // The caller's transaction (the job's savepoint) undoes the upserts above.
    Ok(tag_limit(count as usize)?)
}

pub(crate) fn untag(
    conn: &Connection,
    at: &InstanceRef,
    resource: &ResourceRef,
    keys: &[String],
) -> Result<()> {
    check_resource(conn, at, resource)?;
    let mut stmt = conn.prepare_cached(
        "DELETE FROM tags WHERE resource_kind = ?1 AND resource_id = ?2 AND key = ?3",
    )?;
    for k in keys {
        stmt.execute(params![resource.kind.as_str(), resource.id, k])?;
    }
    Ok(())
}

pub(crate) fn list(conn: &Connection, at: &InstanceRef, resource: &ResourceRef) -> Result<Tags> {
    check_resource(conn, at, resource)?;
    load(conn, resource.kind, &resource.id)
}

/// The tags of the instance itself.
pub(crate) fn of_instance(conn: &Connection, at: &InstanceRef) -> Result<Tags> {
    let instance = ResourceRef {
        kind: ResourceKind::Instance,
        id: at.instance_id.clone(),
    };
    list(conn, at, &instance)
}
