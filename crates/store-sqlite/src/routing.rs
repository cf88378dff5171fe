//! Routing profiles: their row, media concurrencies, routed queues and manual
//! assignment queues.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{MediaConcurrency, RoutingProfile, RoutingProfileQueue};
use roster_domain::routing::QueueRef;
use roster_domain::time::Modified;
use roster_domain::{DomainError, InstanceRef, Timestamp};
use roster_store::sql::{duplicate, holders, in_use, limit, missing, not_found};
use roster_store::{PageRequest, RoutingProfileEdit};
use rusqlite::{params, Connection, Row};

use crate::error::Result;
use crate::scope;
use crate::tags;

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
    check_name(conn, instance_id, p)?;
    check_queues(conn, instance_id, p)?;
    conn.prepare_cached(
        "INSERT INTO routing_profiles (id, instance_id, name, description, default_outbound_queue_id, \
         agent_availability_timer, modified_ms, modified_region, is_default) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        p.id,
        instance_id,
        p.name,
        p.description,
        p.default_outbound_queue_id,
        p.agent_availability_timer,
        p.modified.time.0,
        p.modified.region,
        p.is_default
    ])?;
    write_children(conn, p)?;
    tags::insert_new(
        conn,
        instance_id,
        ResourceKind::RoutingProfile,
        &p.id,
        &p.tags,
    )
}

/// A name another profile of the instance has is `Duplicate`.
fn check_name(conn: &Connection, instance_id: &str, p: &RoutingProfile) -> Result<()> {
    let taken = conn
        .prepare_cached(
            "SELECT 1 FROM routing_profiles WHERE instance_id = ?1 AND name = ?2 AND id <> ?3",
        )?
        .exists(params![instance_id, p.name, p.id])?;
    if taken {
        return Err(duplicate(format!("Routing profile with name '{}'", p.name)));
    }
    Ok(())
}

/// Every queue the profile names is a standard queue of the instance.
fn check_queues(conn: &Connection, instance_id: &str, p: &RoutingProfile) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM queues WHERE id = ?1 AND instance_id = ?2 AND queue_type = 'STANDARD'",
    )?;
    for queue_id in p.queue_ids() {
        if !stmt.exists(params![queue_id, instance_id])? {
            return Err(missing(ResourceKind::Queue, queue_id));
        }
    }
    Ok(())
}

/// Writes the profile's lists (after removing any stored ones).
fn write_children(conn: &Connection, p: &RoutingProfile) -> Result<()> {
    for table in [
        "routing_profile_media_concurrencies",
        "routing_profile_queues",
        "routing_profile_manual_queues",
    ] {
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE routing_profile_id = ?1"
        ))?
        .execute([&p.id])?;
    }
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
    let mut stmt = conn.prepare_cached(
        "INSERT INTO routing_profile_manual_queues (routing_profile_id, position, queue_id, channel) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, q) in p.manual_queues.iter().enumerate() {
        stmt.execute(params![p.id, i as i64, q.queue_id, q.channel])?;
    }
    Ok(())
}

const ROUTING_PROFILE_COLUMNS: &str = "id, name, description, default_outbound_queue_id, \
     agent_availability_timer, modified_ms, modified_region, is_default";

fn routing_profile_from_row(conn: &Connection, row: &Row<'_>) -> Result<RoutingProfile> {
    let id: String = row.get(0)?;
    let media_concurrencies = conn
        .prepare_cached(
            "SELECT channel, concurrency, cross_channel_behavior FROM routing_profile_media_concurrencies \
             WHERE routing_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(MediaConcurrency {
                channel: r.get(0)?,
                concurrency: r.get(1)?,
                cross_channel_behavior: r.get(2)?,
            })
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
    let manual_queues = conn
        .prepare_cached(
            "SELECT queue_id, channel FROM routing_profile_manual_queues \
             WHERE routing_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(QueueRef {
                queue_id: r.get(0)?,
                channel: r.get(1)?,
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
        manual_queues,
        agent_availability_timer: row.get(4)?,
        is_default: row.get(7)?,
        tags,
        modified: Modified {
            time: Timestamp(row.get(5)?),
            region: row.get(6)?,
        },
        id,
    })
}

fn load(conn: &Connection, instance_id: &str, id: &str) -> Result<RoutingProfile> {
    let sql = format!(
        "SELECT {ROUTING_PROFILE_COLUMNS} FROM routing_profiles WHERE id = ?1 AND instance_id = ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, instance_id])?;
    match rows.next()? {
        Some(row) => routing_profile_from_row(conn, row),
        None => Err(not_found(ResourceKind::RoutingProfile, id)),
    }
}

pub(crate) fn get_routing_profile(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
) -> Result<RoutingProfile> {
    scope::check(conn, at)?;
    load(conn, &at.instance_id, id)
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

pub(crate) fn update_routing_profile(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
    edit: RoutingProfileEdit,
) -> Result<RoutingProfile> {
    scope::check(conn, at)?;
    let before = load(conn, &at.instance_id, id)?;
    let mut p = before.clone();
    edit(&mut p)?;
    if p.id != before.id || p.is_default != before.is_default {
        return Err(DomainError::request(
            "RoutingProfileId",
            "an edit cannot change a profile's id or whether it is the default",
        )
        .into());
    }
    p.tags = before.tags;
    check_name(conn, &at.instance_id, &p)?;
    check_queues(conn, &at.instance_id, &p)?;
    conn.prepare_cached(
        "UPDATE routing_profiles SET name = ?2, description = ?3, default_outbound_queue_id = ?4, \
         agent_availability_timer = ?5, modified_ms = ?6, modified_region = ?7 WHERE id = ?1",
    )?
    .execute(params![
        p.id,
        p.name,
        p.description,
        p.default_outbound_queue_id,
        p.agent_availability_timer,
        p.modified.time.0,
        p.modified.region
    ])?;
    write_children(conn, &p)?;
    Ok(p)
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
    let default: bool = conn
        .prepare_cached("SELECT is_default FROM routing_profiles WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if default {
        return Err(in_use(
            ResourceKind::RoutingProfile,
            id,
            "it is the instance's default routing profile".to_string(),
        ));
    }
    tags::delete_all(conn, ResourceKind::RoutingProfile, id)?;
    conn.prepare_cached("DELETE FROM routing_profiles WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
