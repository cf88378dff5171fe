//! Routing profiles, queues and hours of operation.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{
    HoursOfOperation, MediaConcurrency, Queue, QueueType, RoutingProfile, RoutingProfileQueue,
};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, duplicate, holders, in_use, limit, missing, not_found};
use roster_store::PageRequest;
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::scope;
use crate::tags;

fn modified(row: &Row, ms: usize) -> Result<Modified> {
    Ok(Modified {
        time: Timestamp(row.try_get(ms)?),
        region: row.try_get(ms + 1)?,
    })
}

// ---- hours of operation and queues --------------------------------------------------

pub(crate) async fn insert_hours(
    tx: &Tx<'_>,
    instance_id: &str,
    h: &HoursOfOperation,
) -> Result<()> {
    execute(
        tx,
        "INSERT INTO hours_of_operation (id, instance_id, name, time_zone, modified_ms, modified_region) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&h.id, &instance_id, &h.name, &h.time_zone, &h.modified.time.0, &h.modified.region],
    )
    .await?;
    Ok(())
}

pub(crate) async fn insert_queue(tx: &Tx<'_>, instance_id: &str, q: &Queue) -> Result<()> {
    if !scope::exists_in(
        tx,
        "hours_of_operation",
        instance_id,
        &q.hours_of_operation_id,
    )
    .await?
    {
        return Err(missing(
            ResourceKind::HoursOfOperation,
            &q.hours_of_operation_id,
        ));
    }
    execute(
        tx,
        "INSERT INTO queues (id, instance_id, name, queue_type, hours_of_operation_id, modified_ms, modified_region) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &q.id,
            &instance_id,
            &q.name,
            &q.queue_type.as_str(),
            &q.hours_of_operation_id,
            &q.modified.time.0,
            &q.modified.region,
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn list_queues(
    tx: &Tx<'_>,
    at: &InstanceRef,
    types: &[QueueType],
    page: &PageRequest,
) -> Result<Vec<Queue>> {
    scope::check(tx, at).await?;
    // Both types, or none named: no filter. Otherwise the one type named.
    let only = match types {
        [] => None,
        [first, rest @ ..] if rest.iter().all(|t| t == first) => Some(first.as_str()),
        _ => None,
    };
    let rows = query(
        tx,
        "SELECT id, name, queue_type, hours_of_operation_id, modified_ms, modified_region FROM queues \
         WHERE instance_id = $1 AND id > $2 AND ($3::text IS NULL OR queue_type = $3::text) ORDER BY id LIMIT $4",
        &[&at.instance_id, &page.after.as_deref().unwrap_or(""), &only, &limit(page)],
    )
    .await?;
    rows.iter()
        .map(|row| {
            let queue_type: String = row.try_get(2)?;
            Ok(Queue {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                queue_type: QueueType::parse(&queue_type)
                    .ok_or_else(|| corrupt(format!("queue type {queue_type:?}")))?,
                hours_of_operation_id: row.try_get(3)?,
                modified: modified(row, 4)?,
            })
        })
        .collect()
}

// ---- routing profiles ---------------------------------------------------------------

/// Creates a routing profile in the instance.
pub(crate) async fn create_routing_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    p: &RoutingProfile,
) -> Result<()> {
    scope::check(tx, at).await?;
    insert_routing_profile(tx, &at.instance_id, p).await
}

pub(crate) async fn insert_routing_profile(
    tx: &Tx<'_>,
    instance_id: &str,
    p: &RoutingProfile,
) -> Result<()> {
    let taken_name = || format!("Routing profile with name '{}'", p.name);
    let taken = exists(
        tx,
        "SELECT 1 FROM routing_profiles WHERE instance_id = $1 AND name = $2",
        &[&instance_id, &p.name],
    )
    .await?;
    if taken {
        return Err(duplicate(taken_name()));
    }
    for queue_id in
        std::iter::once(&p.default_outbound_queue_id).chain(p.queues.iter().map(|q| &q.queue_id))
    {
        if !scope::exists_in(tx, "queues", instance_id, queue_id).await? {
            return Err(missing(ResourceKind::Queue, queue_id));
        }
    }
    execute_raw(
        tx,
        "INSERT INTO routing_profiles (id, instance_id, name, description, default_outbound_queue_id, \
         agent_availability_timer, modified_ms, modified_region) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &p.id,
            &instance_id,
            &p.name,
            &p.description,
            &p.default_outbound_queue_id,
            &p.agent_availability_timer,
            &p.modified.time.0,
            &p.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "routing_profiles_name_unique", taken_name))?;
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
    tags::insert_new(
        tx,
        instance_id,
        ResourceKind::RoutingProfile,
        &p.id,
        &p.tags,
    )
    .await
}

const ROUTING_PROFILE_COLUMNS: &str =
    "id, name, description, default_outbound_queue_id, agent_availability_timer, modified_ms, modified_region";

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
    let tags = tags::load(tx, ResourceKind::RoutingProfile, &id).await?;
    Ok(RoutingProfile {
        name: row.try_get(1)?,
        description: row.try_get(2)?,
        default_outbound_queue_id: row.try_get(3)?,
        media_concurrencies,
        queues,
        agent_availability_timer: row.try_get(4)?,
        tags,
        modified: modified(row, 5)?,
        id,
    })
}

pub(crate) async fn get_routing_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
) -> Result<RoutingProfile> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {ROUTING_PROFILE_COLUMNS} FROM routing_profiles WHERE id = $1 AND instance_id = $2"
    );
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => routing_profile_from_row(tx, &row).await,
        None => Err(not_found(ResourceKind::RoutingProfile, id)),
    }
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
    tags::delete_all(tx, ResourceKind::RoutingProfile, id).await?;
    execute(tx, "DELETE FROM routing_profiles WHERE id = $1", &[&id]).await?;
    Ok(())
}
