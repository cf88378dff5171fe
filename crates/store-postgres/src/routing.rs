//! Routing profiles: their row, media concurrencies, routed queues and manual
//! assignment queues.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{MediaConcurrency, RoutingProfile, RoutingProfileQueue};
use roster_domain::routing::QueueRef;
use roster_domain::time::Modified;
use roster_domain::{DomainError, InstanceRef, Timestamp};
use roster_store::sql::{duplicate, holders, in_use, limit, missing, not_found};
use roster_store::PageRequest;
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, PendingEdit, Tx};
use crate::error::{on_unique, Result};
use crate::scope;
use crate::tags;

/// Creates a routing profile in the instance.
pub(crate) async fn create_routing_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    p: &RoutingProfile,
) -> Result<()> {
    scope::check(tx, at).await?;
    insert_routing_profile(tx, &at.instance_id, p).await
}

fn taken_name(p: &RoutingProfile) -> impl FnOnce() -> String + '_ {
    move || format!("Routing profile with name '{}'", p.name)
}

pub(crate) async fn insert_routing_profile(
    tx: &Tx<'_>,
    instance_id: &str,
    p: &RoutingProfile,
) -> Result<()> {
    check_name(tx, instance_id, p).await?;
    check_queues(tx, instance_id, p).await?;
    execute_raw(
        tx,
        "INSERT INTO routing_profiles (id, instance_id, name, description, default_outbound_queue_id, \
         agent_availability_timer, modified_ms, modified_region, is_default) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &p.id,
            &instance_id,
            &p.name,
            &p.description,
            &p.default_outbound_queue_id,
            &p.agent_availability_timer,
            &p.modified.time.0,
            &p.modified.region,
            &p.is_default,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "routing_profiles_name_unique", taken_name(p)))?;
    write_children(tx, p).await?;
    tags::insert_new(
        tx,
        instance_id,
        ResourceKind::RoutingProfile,
        &p.id,
        &p.tags,
    )
    .await
}

/// A name another profile of the instance has is `Duplicate`.
async fn check_name(tx: &Tx<'_>, instance_id: &str, p: &RoutingProfile) -> Result<()> {
    let taken = exists(
        tx,
        "SELECT 1 FROM routing_profiles WHERE instance_id = $1 AND name = $2 AND id <> $3",
        &[&instance_id, &p.name, &p.id],
    )
    .await?;
    if taken {
        return Err(duplicate(taken_name(p)()));
    }
    Ok(())
}

/// Every queue the profile names is a standard queue of the instance.
async fn check_queues(tx: &Tx<'_>, instance_id: &str, p: &RoutingProfile) -> Result<()> {
    for queue_id in p.queue_ids() {
        let found = exists(
            tx,
            "SELECT 1 FROM queues WHERE id = $1 AND instance_id = $2 AND queue_type = 'STANDARD'",
            &[&queue_id, &instance_id],
        )
        .await?;
        if !found {
            return Err(missing(ResourceKind::Queue, queue_id));
        }
    }
    Ok(())
}

/// Writes the profile's lists (after removing any stored ones).
async fn write_children(tx: &Tx<'_>, p: &RoutingProfile) -> Result<()> {
    for table in [
        "routing_profile_media_concurrencies",
        "routing_profile_queues",
        "routing_profile_manual_queues",
    ] {
        execute(
            tx,
            &format!("DELETE FROM {table} WHERE routing_profile_id = $1"),
            &[&p.id],
        )
        .await?;
    }
    for (i, m) in p.media_concurrencies.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO routing_profile_media_concurrencies (routing_profile_id, position, channel, concurrency, \
             cross_channel_behavior) VALUES ($1, $2, $3, $4, $5)",
            &[&p.id, &(i as i64), &m.channel, &m.concurrency, &m.cross_channel_behavior],
        )
        .await?;
    }
    for (i, q) in p.queues.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO routing_profile_queues (routing_profile_id, position, queue_id, channel, priority, delay) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&p.id, &(i as i64), &q.queue_id, &q.channel, &q.priority, &q.delay],
        )
        .await?;
    }
    for (i, q) in p.manual_queues.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO routing_profile_manual_queues (routing_profile_id, position, queue_id, channel) \
             VALUES ($1, $2, $3, $4)",
            &[&p.id, &(i as i64), &q.queue_id, &q.channel],
        )
        .await?;
    }
    Ok(())
}

const ROUTING_PROFILE_COLUMNS: &str = "id, name, description, default_outbound_queue_id, \
     agent_availability_timer, modified_ms, modified_region, is_default";

async fn routing_profile_from_row(tx: &Tx<'_>, row: &Row) -> Result<RoutingProfile> {
    let id: String = row.try_get(0)?;
    let media_concurrencies = query(
        tx,
        "SELECT channel, concurrency, cross_channel_behavior FROM routing_profile_media_concurrencies \
         WHERE routing_profile_id = $1 ORDER BY position",
        &[&id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(MediaConcurrency {
            channel: r.try_get(0)?,
            concurrency: r.try_get(1)?,
            cross_channel_behavior: r.try_get(2)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let queues = query(
        tx,
        "SELECT queue_id, channel, priority, delay FROM routing_profile_queues \
         WHERE routing_profile_id = $1 ORDER BY position",
        &[&id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(RoutingProfileQueue {
            queue_id: r.try_get(0)?,
            channel: r.try_get(1)?,
            priority: r.try_get(2)?,
            delay: r.try_get(3)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let manual_queues = query(
        tx,
        "SELECT queue_id, channel FROM routing_profile_manual_queues \
         WHERE routing_profile_id = $1 ORDER BY position",
        &[&id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(QueueRef {
            queue_id: r.try_get(0)?,
            channel: r.try_get(1)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let tags = tags::load(tx, ResourceKind::RoutingProfile, &id).await?;
    Ok(RoutingProfile {
        name: row.try_get(1)?,
        description: row.try_get(2)?,
        default_outbound_queue_id: row.try_get(3)?,
        media_concurrencies,
        queues,
        manual_queues,
        agent_availability_timer: row.try_get(4)?,
        is_default: row.try_get(7)?,
        tags,
        modified: Modified {
            time: Timestamp(row.try_get(5)?),
            region: row.try_get(6)?,
        },
        id,
    })
}

async fn load(tx: &Tx<'_>, instance_id: &str, id: &str, lock: bool) -> Result<RoutingProfile> {
    let sql = format!(
        "SELECT {ROUTING_PROFILE_COLUMNS} FROM routing_profiles WHERE id = $1 AND instance_id = $2{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    match query_opt(tx, &sql, &[&id, &instance_id]).await? {
        Some(row) => routing_profile_from_row(tx, &row).await,
        None => Err(not_found(ResourceKind::RoutingProfile, id)),
    }
}

pub(crate) async fn get_routing_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
) -> Result<RoutingProfile> {
    scope::check(tx, at).await?;
    load(tx, &at.instance_id, id, false).await
}

pub(crate) async fn list_routing_profiles(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<RoutingProfile>> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {ROUTING_PROFILE_COLUMNS} FROM routing_profiles WHERE instance_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    );
    let rows = query(
        tx,
        &sql,
        &[
            &at.instance_id,
            &page.after.as_deref().unwrap_or(""),
            &limit(page),
        ],
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(routing_profile_from_row(tx, row).await?);
    }
    Ok(out)
}

pub(crate) async fn update_routing_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    pending: &mut PendingEdit<RoutingProfile>,
) -> Result<RoutingProfile> {
    scope::check(tx, at).await?;
    // Locked first, as for users: a concurrent edit fails this attempt before the
    // edit runs.
    let before = load(tx, &at.instance_id, id, true).await?;
    let mut p = pending.apply(&before)?;
    if p.id != before.id || p.is_default != before.is_default {
        return Err(DomainError::request(
            "RoutingProfileId",
            "an edit cannot change a profile's id or whether it is the default",
        )
        .into());
    }
    p.tags = before.tags.clone();
    check_name(tx, &at.instance_id, &p).await?;
    check_queues(tx, &at.instance_id, &p).await?;
    execute_raw(
        tx,
        "UPDATE routing_profiles SET name = $2, description = $3, default_outbound_queue_id = $4, \
         agent_availability_timer = $5, modified_ms = $6, modified_region = $7 WHERE id = $1",
        &[
            &p.id,
            &p.name,
            &p.description,
            &p.default_outbound_queue_id,
            &p.agent_availability_timer,
            &p.modified.time.0,
            &p.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "routing_profiles_name_unique", taken_name(&p)))?;
    write_children(tx, &p).await?;
    Ok(p)
}

pub(crate) async fn routing_profile_user_count(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
) -> Result<u64> {
    scope::check(tx, at).await?;
    if !scope::exists_in(tx, "routing_profiles", &at.instance_id, id).await? {
        return Err(not_found(ResourceKind::RoutingProfile, id));
    }
    let n: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM users WHERE instance_id = $1 AND routing_profile_id = $2",
        &[&at.instance_id, &id],
    )
    .await?
    .try_get(0)?;
    Ok(n as u64)
}

pub(crate) async fn delete_routing_profile(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    crate::db::lock_user_count(tx, &at.instance_id).await?;
    let users = routing_profile_user_count(tx, at, id).await?;
    if users > 0 {
        return Err(in_use(
            ResourceKind::RoutingProfile,
            id,
            holders(users as i64),
        ));
    }
    let default: bool = query_one(
        tx,
        "SELECT is_default FROM routing_profiles WHERE id = $1",
        &[&id],
    )
    .await?
    .try_get(0)?;
    if default {
        return Err(in_use(
            ResourceKind::RoutingProfile,
            id,
            "it is the instance's default routing profile".to_string(),
        ));
    }
    tags::delete_all(tx, ResourceKind::RoutingProfile, id).await?;
    execute(tx, "DELETE FROM routing_profiles WHERE id = $1", &[&id]).await?;
    Ok(())
}
