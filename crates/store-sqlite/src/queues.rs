//! Queues: one row per standard queue, their tags in `tags`. Agent queues are the
//! instance's users, read from `users`.

use roster_domain::arn::ResourceKind;
use roster_domain::queues::{
    OutboundCaller, Queue, QueueChange, QueueStatus, QueueSummary, QueueType, MAX_PER_INSTANCE,
};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, duplicate, in_use, limit, missing, not_found, profiles_route};
use roster_store::{PageRequest, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::scope;
use crate::tags;

fn taken(name: &str) -> String {
    format!("Queue with name '{name}'")
}

fn name_taken(conn: &Connection, instance_id: &str, name: &str, other_than: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM queues WHERE instance_id = ?1 AND name = ?2 AND id <> ?3")?
        .exists(params![instance_id, name, other_than])?)
}

fn check_hours(conn: &Connection, instance_id: &str, hours_id: &str) -> Result<()> {
    if !scope::exists_in(conn, "hours_of_operation", instance_id, hours_id)? {
        return Err(missing(ResourceKind::HoursOfOperation, hours_id));
    }
    Ok(())
}

/// Creates a standard queue in the instance.
pub(crate) fn create(
    conn: &Connection,
    at: &InstanceRef,
    q: &Queue,
    quick_connect_ids: &[String],
) -> Result<()> {
    scope::check(conn, at)?;
    let count: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM queues WHERE instance_id = ?1")?
        .query_row([&at.instance_id], |r| r.get(0))?;
    if count as u64 >= MAX_PER_INSTANCE {
        return Err(StoreError::QuotaReached {
            kind: ResourceKind::Queue,
            limit: MAX_PER_INSTANCE,
        }
        .into());
    }
    insert(conn, &at.instance_id, q)?;
    if quick_connect_ids.is_empty() {
        return Ok(());
    }
    crate::quick_connects::associate(conn, at, &q.id, quick_connect_ids, &q.modified)
}

/// Stores a new standard queue (the caller has checked the instance).
pub(crate) fn insert(conn: &Connection, instance_id: &str, q: &Queue) -> Result<()> {
    check_hours(conn, instance_id, &q.hours_of_operation_id)?;
    if name_taken(conn, instance_id, &q.name, &q.id)? {
        return Err(duplicate(taken(&q.name)));
    }
    conn.prepare_cached(
        "INSERT INTO queues (id, instance_id, name, queue_type, hours_of_operation_id, description, \
         max_contacts, status, outbound_caller_id_name, outbound_caller_id_number_id, outbound_flow_id, \
         outbound_email_address_id, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, 'STANDARD', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        q.id,
        instance_id,
        q.name,
        q.hours_of_operation_id,
        q.description,
        q.max_contacts,
        q.status.as_str(),
        q.outbound_caller.caller_id_name,
        q.outbound_caller.caller_id_number_id,
        q.outbound_caller.flow_id,
        q.outbound_email_address_id,
        q.modified.time.0,
        q.modified.region
    ])?;
    tags::insert_new(conn, instance_id, ResourceKind::Queue, &q.id, &q.tags)
}

const COLUMNS: &str = "id, name, hours_of_operation_id, description, max_contacts, status, \
     outbound_caller_id_name, outbound_caller_id_number_id, outbound_flow_id, \
     outbound_email_address_id, modified_ms, modified_region";

fn from_row(conn: &Connection, row: &Row<'_>) -> Result<Queue> {
    let id: String = row.get(0)?;
    let status: String = row.get(5)?;
    let status = QueueStatus::from_stored(&status)
        .ok_or_else(|| corrupt(format!("queue status {status:?}")))?;
    let tags = tags::load(conn, ResourceKind::Queue, &id)?;
    Ok(Queue {
        name: row.get(1)?,
        hours_of_operation_id: row.get(2)?,
        description: row.get(3)?,
        max_contacts: row.get(4)?,
        status,
        outbound_caller: OutboundCaller {
            caller_id_name: row.get(6)?,
            caller_id_number_id: row.get(7)?,
            flow_id: row.get(8)?,
        },
        outbound_email_address_id: row.get(9)?,
        tags,
        modified: Modified {
            time: Timestamp(row.get(10)?),
            region: row.get(11)?,
        },
        id,
    })
}

fn load(conn: &Connection, at: &InstanceRef, id: &str) -> Result<Queue> {
    let sql = format!(
        "SELECT {COLUMNS} FROM queues WHERE id = ?1 AND instance_id = ?2 AND queue_type = 'STANDARD'"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(not_found(ResourceKind::Queue, id)),
    }
}

pub(crate) fn get(conn: &Connection, at: &InstanceRef, id: &str) -> Result<Queue> {
    scope::check(conn, at)?;
    load(conn, at, id)
}

pub(crate) fn list(
    conn: &Connection,
    at: &InstanceRef,
    types: &[QueueType],
    page: &PageRequest,
) -> Result<Vec<QueueSummary>> {
    scope::check(conn, at)?;
    let standard = types.is_empty() || types.contains(&QueueType::Standard);
    let agent = types.is_empty() || types.contains(&QueueType::Agent);
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind, modified_ms, modified_region FROM ( \
             SELECT id, name, 'STANDARD' AS kind, modified_ms, modified_region FROM queues \
             WHERE ?1 AND instance_id = ?3 AND id > ?4 AND queue_type = 'STANDARD' \
             UNION ALL \
             SELECT id, NULL, 'AGENT', modified_ms, modified_region FROM users \
             WHERE ?2 AND instance_id = ?3 AND id > ?4) \
         ORDER BY id LIMIT ?5",
    )?;
    let mut rows = stmt.query(params![
        standard,
        agent,
        at.instance_id,
        page.after.as_deref().unwrap_or(""),
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(2)?;
        out.push(QueueSummary {
            id: row.get(0)?,
            name: row.get(1)?,
            queue_type: QueueType::parse(&kind)
                .ok_or_else(|| corrupt(format!("queue type {kind:?}")))?,
            modified: Modified {
                time: Timestamp(row.get(3)?),
                region: row.get(4)?,
            },
        });
    }
    Ok(out)
}

pub(crate) fn update(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
    change: &QueueChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(conn, at)?;
    let mut q = load(conn, at, id)?;
    change.apply(&mut q, modified);
    if change.renames() && name_taken(conn, &at.instance_id, &q.name, id)? {
        return Err(duplicate(taken(&q.name)));
    }
    if let Some(hours) = change.hours() {
        check_hours(conn, &at.instance_id, hours)?;
    }
    conn.prepare_cached(
        "UPDATE queues SET name = ?2, hours_of_operation_id = ?3, description = ?4, max_contacts = ?5, \
         status = ?6, outbound_caller_id_name = ?7, outbound_caller_id_number_id = ?8, \
         outbound_flow_id = ?9, outbound_email_address_id = ?10, modified_ms = ?11, \
         modified_region = ?12 WHERE id = ?1",
    )?
    .execute(params![
        id,
        q.name,
        q.hours_of_operation_id,
        q.description,
        q.max_contacts,
        q.status.as_str(),
        q.outbound_caller.caller_id_name,
        q.outbound_caller.caller_id_number_id,
        q.outbound_caller.flow_id,
        q.outbound_email_address_id,
        q.modified.time.0,
        q.modified.region
    ])?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    load(conn, at, id)?;
    // The routing profiles that refer to the queue: how many, and the first in id
    // order with its name.
    let using: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT COUNT(*), MIN(p.id) FROM routing_profiles p WHERE p.instance_id = ?1 AND ( \
                 p.default_outbound_queue_id = ?2 \
                 OR EXISTS (SELECT 1 FROM routing_profile_queues r WHERE r.routing_profile_id = p.id AND r.queue_id = ?2) \
                 OR EXISTS (SELECT 1 FROM routing_profile_manual_queues r WHERE r.routing_profile_id = p.id AND r.queue_id = ?2)) \
             HAVING COUNT(*) > 0",
        )?
        .query_row(params![at.instance_id, id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((n, first_id)) = using {
        let first_name: String = conn
            .prepare_cached("SELECT name FROM routing_profiles WHERE id = ?1")?
            .query_row([&first_id], |r| r.get(0))?;
        let why = profiles_route(n, &first_name, &first_id);
        return Err(in_use(ResourceKind::Queue, id, why));
    }
    tags::delete_all(conn, ResourceKind::Queue, id)?;
    crate::quick_connects::remove_queue_associations(conn, id)?;
    conn.prepare_cached("DELETE FROM queues WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
