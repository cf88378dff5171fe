//! Routing profiles, queues and hours of operation.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{
    HoursOfOperation, MediaConcurrency, Queue, QueueType, RoutingProfile, RoutingProfileQueue,
};
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

// ---- hours of operation and queues --------------------------------------------------

pub(crate) fn insert_hours(
    conn: &Connection,
    instance_id: &str,
    h: &HoursOfOperation,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO hours_of_operation (id, instance_id, name, time_zone, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![h.id, instance_id, h.name, h.time_zone, h.modified.time.0, h.modified.region])?;
    Ok(())
}

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

// ---- routing profiles ---------------------------------------------------------------

/// Creates a routing profile in the instance.
pub(crate) fn create_routing_profile(
    conn: &Connection,
    at: &InstanceRef,
    p: &RoutingProfile,
) -> Result<()> {
    scope::check(conn, at)?;
    insert_routing_profile(conn, &at.instance_id, p)
}

pub(crate) fn insert_routing_profile(
    conn: &Connection,
    instance_id: &str,
    p: &RoutingProfile,
) -> Result<()> {
    let taken = conn
        .prepare_cached("SELECT 1 FROM routing_profiles WHERE instance_id = ?1 AND name = ?2")?
        .exists(params![instance_id, p.name])?;
    if taken {
        return Err(duplicate(format!("Routing profile with name '{}'", p.name)));
    }
    for queue_id in
        std::iter::once(&p.default_outbound_queue_id).chain(p.queues.iter().map(|q| &q.queue_id))
    {
        if !scope::exists_in(conn, "queues", instance_id, queue_id)? {
            return Err(missing(ResourceKind::Queue, queue_id));
        }
    }
    conn.prepare_cached(
        "INSERT INTO routing_profiles (id, instance_id, name, description, default_outbound_queue_id, \
         agent_availability_timer, modified_ms, modified_region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        p.id,
        instance_id,
        p.name,
        p.description,
        p.default_outbound_queue_id,
        p.agent_availability_timer,
        p.modified.time.0,
        p.modified.region
    ])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO routing_profile_media_concurrencies (routing_profile_id, position, channel, concurrency, \
         cross_channel_behavior) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, m) in p.media_concurrencies.iter().enumerate() {
        stmt.execute(params![
            p.id,
            i as i64,
            m.channel,
            m.concurrency,
            m.cross_channel_behavior
        ])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO routing_profile_queues (routing_profile_id, position, queue_id, channel, priority, delay) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, q) in p.queues.iter().enumerate() {
        stmt.execute(params![
            p.id, i as i64, q.queue_id, q.channel, q.priority, q.delay
        ])?;
    }
    tags::insert_new(
        conn,
        instance_id,
        ResourceKind::RoutingProfile,
        &p.id,
        &p.tags,
    )
}

const ROUTING_PROFILE_COLUMNS: &str =
    "id, name, description, default_outbound_queue_id, agent_availability_timer, modified_ms, modified_region";

fn routing_profile_from_row(conn: &Connection, row: &Row<'_>) -> Result<RoutingProfile> {
    let id: String = row.get(0)?;
    let media_concurrencies = conn
        .prepare_cached(
            "SELECT channel, concurrency, cross_channel_behavior FROM routing_profile_media_concurrencies \
             WHERE routing_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(MediaConcurrency { channel: r.get(0)?, concurrency: r.get(1)?, cross_channel_behavior: r.get(2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let queues = conn
        .prepare_cached(
            "SELECT queue_id, channel, priority, delay FROM routing_profile_queues \
             WHERE routing_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(RoutingProfileQueue {
                queue_id: r.get(0)?,
                channel: r.get(1)?,
                priority: r.get(2)?,
                delay: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let tags = tags::load(conn, ResourceKind::RoutingProfile, &id)?;
    Ok(RoutingProfile {
        name: row.get(1)?,
        description: row.get(2)?,
        default_outbound_queue_id: row.get(3)?,
        media_concurrencies,
        queues,
        agent_availability_timer: row.get(4)?,
        tags,
        modified: modified(row, 5)?,
        id,
    })
}

pub(crate) fn get_routing_profile(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
) -> Result<RoutingProfile> {
    scope::check(conn, at)?;
    let sql = format!(
        "SELECT {ROUTING_PROFILE_COLUMNS} FROM routing_profiles WHERE id = ?1 AND instance_id = ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => routing_profile_from_row(conn, row),
        None => Err(not_found(ResourceKind::RoutingProfile, id)),
    }
}

pub(crate) fn list_routing_profiles(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<RoutingProfile>> {
    scope::check(conn, at)?;
    let sql = format!(
        "SELECT {ROUTING_PROFILE_COLUMNS} FROM routing_profiles WHERE instance_id = ?1 AND id > ?2 \
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
        out.push(routing_profile_from_row(conn, row)?);
    }
    Ok(out)
}

pub(crate) fn routing_profile_user_count(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
) -> Result<u64> {
    scope::check(conn, at)?;
    if !scope::exists_in(conn, "routing_profiles", &at.instance_id, id)? {
        return Err(not_found(ResourceKind::RoutingProfile, id));
    }
    let n: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM users WHERE instance_id = ?1 AND routing_profile_id = ?2",
        )?
        .query_row(params![at.instance_id, id], |r| r.get(0))?;
    Ok(n as u64)
}

pub(crate) fn delete_routing_profile(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    let users = routing_profile_user_count(conn, at, id)?;
    if users > 0 {
        return Err(in_use(
            ResourceKind::RoutingProfile,
            id,
            holders(users as i64),
        ));
    }
    tags::delete_all(conn, ResourceKind::RoutingProfile, id)?;
    conn.prepare_cached("DELETE FROM routing_profiles WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
