//! Hours of operation: one row each, their openings in order in
//! `hours_of_operation_config` (times as minutes since midnight), the parents they
//! link to in `hours_of_operation_parents`, their tags in `tags`.

use roster_domain::arn::ResourceKind;
use roster_domain::hours::{
    HoursChange, HoursOfOperation, ParentHours, TimeZone, WeeklyHours, MAX_PER_INSTANCE,
};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{
    corrupt, duplicate, in_use, limit, linked_as_parent, missing, not_found, queues_use,
};
use roster_store::{PageRequest, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::scope;
use crate::tags;

fn taken(name: &str) -> String {
    format!("Hours of operation with name '{name}'")
}

fn name_taken(conn: &Connection, instance_id: &str, name: &str, other_than: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM hours_of_operation WHERE instance_id = ?1 AND name = ?2 AND id <> ?3",
        )?
        .exists(params![instance_id, name, other_than])?)
}

/// Creates hours of operation in the instance.
pub(crate) fn create(conn: &Connection, at: &InstanceRef, h: &HoursOfOperation) -> Result<()> {
    scope::check(conn, at)?;
    let count: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM hours_of_operation WHERE instance_id = ?1")?
        .query_row([&at.instance_id], |r| r.get(0))?;
    if count as u64 >= MAX_PER_INSTANCE {
        return Err(StoreError::QuotaReached {
            kind: ResourceKind::HoursOfOperation,
            limit: MAX_PER_INSTANCE,
        }
        .into());
    }
    for parent in h.parents.ids() {
        if !scope::exists_in(conn, "hours_of_operation", &at.instance_id, parent)? {
            return Err(missing(ResourceKind::HoursOfOperation, parent));
        }
    }
    insert(conn, &at.instance_id, h)
}

/// Stores new hours of operation (the caller has checked the instance).
pub(crate) fn insert(conn: &Connection, instance_id: &str, h: &HoursOfOperation) -> Result<()> {
    if name_taken(conn, instance_id, &h.name, &h.id)? {
        return Err(duplicate(taken(&h.name)));
    }
    conn.prepare_cached(
        "INSERT INTO hours_of_operation (id, instance_id, name, description, time_zone, modified_ms, \
         modified_region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        h.id,
        instance_id,
        h.name,
        h.description,
        h.time_zone.as_str(),
        h.modified.time.0,
        h.modified.region
    ])?;
    write_config(conn, &h.id, &h.config)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO hours_of_operation_parents (hours_id, position, parent_id) VALUES (?1, ?2, ?3)",
    )?;
    for (i, parent) in h.parents.ids().iter().enumerate() {
        stmt.execute(params![h.id, i as i64, parent])?;
    }
    tags::insert_new(
        conn,
        instance_id,
        ResourceKind::HoursOfOperation,
        &h.id,
        &h.tags,
    )
}

/// Replaces the openings of hours `id`.
fn write_config(conn: &Connection, id: &str, config: &WeeklyHours) -> Result<()> {
    conn.prepare_cached("DELETE FROM hours_of_operation_config WHERE hours_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO hours_of_operation_config (hours_id, position, day, start_minute, end_minute) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, o) in config.openings().iter().enumerate() {
        stmt.execute(params![
            id,
            i as i64,
            o.day().as_str(),
            o.start().minute_of_day(),
            o.end().minute_of_day()
        ])?;
    }
    Ok(())
}

const COLUMNS: &str = "id, name, description, time_zone, modified_ms, modified_region";

fn from_row(conn: &Connection, row: &Row<'_>) -> Result<HoursOfOperation> {
    let id: String = row.get(0)?;
    let openings = conn
        .prepare_cached(
            "SELECT day, start_minute, end_minute FROM hours_of_operation_config WHERE hours_id = ?1 \
             ORDER BY position",
        )?
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<(String, i64, i64)>>>()?;
    let config = WeeklyHours::from_stored(openings)
        .ok_or_else(|| corrupt(format!("openings of hours of operation {id}")))?;
    let parents = conn
        .prepare_cached(
            "SELECT parent_id FROM hours_of_operation_parents WHERE hours_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let parents = ParentHours::from_stored(parents)
        .ok_or_else(|| corrupt(format!("parents of hours of operation {id}")))?;
    let time_zone: String = row.get(3)?;
    let time_zone = TimeZone::from_stored(time_zone.clone())
        .ok_or_else(|| corrupt(format!("time zone {time_zone:?}")))?;
    let tags = tags::load(conn, ResourceKind::HoursOfOperation, &id)?;
    Ok(HoursOfOperation {
        name: row.get(1)?,
        description: row.get(2)?,
        time_zone,
        config,
        parents,
        tags,
        modified: Modified {
            time: Timestamp(row.get(4)?),
            region: row.get(5)?,
        },
        id,
    })
}

fn load(conn: &Connection, at: &InstanceRef, id: &str) -> Result<HoursOfOperation> {
    let sql =
        format!("SELECT {COLUMNS} FROM hours_of_operation WHERE id = ?1 AND instance_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(not_found(ResourceKind::HoursOfOperation, id)),
    }
}

pub(crate) fn get(conn: &Connection, at: &InstanceRef, id: &str) -> Result<HoursOfOperation> {
    scope::check(conn, at)?;
    load(conn, at, id)
}

pub(crate) fn list(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<HoursOfOperation>> {
    scope::check(conn, at)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM hours_of_operation WHERE instance_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        at.instance_id,
        page.after.as_deref().unwrap_or(""),
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(conn, row)?);
    }
    Ok(out)
}

pub(crate) fn update(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
    change: &HoursChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(conn, at)?;
    let mut h = load(conn, at, id)?;
    change.apply(&mut h, modified);
    if change.name.is_some() && name_taken(conn, &at.instance_id, &h.name, id)? {
        return Err(duplicate(taken(&h.name)));
    }
    conn.prepare_cached(
        "UPDATE hours_of_operation SET name = ?2, description = ?3, time_zone = ?4, modified_ms = ?5, \
         modified_region = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        h.name,
        h.description,
        h.time_zone.as_str(),
        h.modified.time.0,
        h.modified.region
    ])?;
    if change.config.is_some() {
        write_config(conn, id, &h.config)?;
    }
    Ok(())
}

pub(crate) fn delete(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    if !scope::exists_in(conn, "hours_of_operation", &at.instance_id, id)? {
        return Err(not_found(ResourceKind::HoursOfOperation, id));
    }
    let queues: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT COUNT(*), MIN(id) FROM queues WHERE instance_id = ?1 AND hours_of_operation_id = ?2 \
             HAVING COUNT(*) > 0",
        )?
        .query_row(params![at.instance_id, id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((n, first)) = queues {
        let why = queues_use(n, &first);
        return Err(in_use(ResourceKind::HoursOfOperation, id, why));
    }
    let children: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT COUNT(*), MIN(hours_id) FROM hours_of_operation_parents WHERE parent_id = ?1 \
             HAVING COUNT(*) > 0",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((n, first)) = children {
        let why = linked_as_parent(n, &first);
        return Err(in_use(ResourceKind::HoursOfOperation, id, why));
    }
    tags::delete_all(conn, ResourceKind::HoursOfOperation, id)?;
    conn.prepare_cached("DELETE FROM hours_of_operation WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
