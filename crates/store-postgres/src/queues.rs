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
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::scope;
use crate::tags;

const NAME_UNIQUE: &str = "queues_name_unique";

fn taken(name: &str) -> String {
    format!("Queue with name '{name}'")
}

async fn name_taken(tx: &Tx<'_>, instance_id: &str, name: &str, other_than: &str) -> Result<bool> {
    exists(
        tx,
        "SELECT 1 FROM queues WHERE instance_id = $1 AND name = $2 AND id <> $3",
        &[&instance_id, &name, &other_than],
    )
    .await
}

async fn check_hours(tx: &Tx<'_>, instance_id: &str, hours_id: &str) -> Result<()> {
    if !scope::exists_in(tx, "hours_of_operation", instance_id, hours_id).await? {
        return Err(missing(ResourceKind::HoursOfOperation, hours_id));
    }
    Ok(())
}

/// Creates a standard queue in the instance.
pub(crate) async fn create(
    tx: &Tx<'_>,
    at: &InstanceRef,
    q: &Queue,
    quick_connect_ids: &[String],
) -> Result<()> {
    scope::check(tx, at).await?;
    let count: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM queues WHERE instance_id = $1",
        &[&at.instance_id],
    )
    .await?
    .try_get(0)?;
    if count as u64 >= MAX_PER_INSTANCE {
        return Err(StoreError::QuotaReached {
            kind: ResourceKind::Queue,
            limit: MAX_PER_INSTANCE,
        }
        .into());
    }
    insert(tx, &at.instance_id, q).await?;
    if quick_connect_ids.is_empty() {
        return Ok(());
    }
    crate::quick_connects::associate(tx, at, &q.id, quick_connect_ids, &q.modified).await
}

/// Stores a new standard queue (the caller has checked the instance).
pub(crate) async fn insert(tx: &Tx<'_>, instance_id: &str, q: &Queue) -> Result<()> {
    check_hours(tx, instance_id, &q.hours_of_operation_id).await?;
    if name_taken(tx, instance_id, &q.name, &q.id).await? {
        return Err(duplicate(taken(&q.name)));
    }
    execute_raw(
        tx,
        "INSERT INTO queues (id, instance_id, name, queue_type, hours_of_operation_id, description, \
         max_contacts, status, outbound_caller_id_name, outbound_caller_id_number_id, outbound_flow_id, \
         outbound_email_address_id, modified_ms, modified_region) \
         VALUES ($1, $2, $3, 'STANDARD', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            &q.id,
            &instance_id,
            &q.name,
            &q.hours_of_operation_id,
            &q.description,
            &q.max_contacts,
            &q.status.as_str(),
            &q.outbound_caller.caller_id_name,
            &q.outbound_caller.caller_id_number_id,
            &q.outbound_caller.flow_id,
            &q.outbound_email_address_id,
            &q.modified.time.0,
            &q.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, NAME_UNIQUE, || taken(&q.name)))?;
    tags::insert_new(tx, instance_id, ResourceKind::Queue, &q.id, &q.tags).await
}

/// The columns [`from_row`] reads, for a query over `queues q`, its tags last.
fn columns() -> String {
    format!(
        "q.id, q.name, q.hours_of_operation_id, q.description, q.max_contacts, q.status, \
         q.outbound_caller_id_name, q.outbound_caller_id_number_id, q.outbound_flow_id, \
         q.outbound_email_address_id, q.modified_ms, q.modified_region, {}",
        tags::arrays_sql(ResourceKind::Queue, "q.id")
    )
}

fn from_row(row: &Row) -> Result<Queue> {
    let status: String = row.try_get(5)?;
    let status = QueueStatus::from_stored(&status)
        .ok_or_else(|| corrupt(format!("queue status {status:?}")))?;
    Ok(Queue {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        hours_of_operation_id: row.try_get(2)?,
        description: row.try_get(3)?,
        max_contacts: row.try_get(4)?,
        status,
        outbound_caller: OutboundCaller {
            caller_id_name: row.try_get(6)?,
            caller_id_number_id: row.try_get(7)?,
            flow_id: row.try_get(8)?,
        },
        outbound_email_address_id: row.try_get(9)?,
        modified: Modified {
            time: Timestamp(row.try_get(10)?),
            region: row.try_get(11)?,
        },
        tags: tags::from_arrays(row.try_get(12)?, row.try_get(13)?),
    })
}

async fn load(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<Queue> {
    let sql = format!(
        "SELECT {} FROM queues q WHERE q.id = $1 AND q.instance_id = $2 AND q.queue_type = 'STANDARD'",
        columns()
    );
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::Queue, id)),
    }
}

pub(crate) async fn get(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<Queue> {
    scope::check(tx, at).await?;
    load(tx, at, id).await
}

pub(crate) async fn list(
    tx: &Tx<'_>,
    at: &InstanceRef,
    types: &[QueueType],
    page: &PageRequest,
) -> Result<Vec<QueueSummary>> {
    scope::check(tx, at).await?;
    let standard = types.is_empty() || types.contains(&QueueType::Standard);
    let agent = types.is_empty() || types.contains(&QueueType::Agent);
    let rows = query(
        tx,
        "SELECT id, name, kind, modified_ms, modified_region FROM ( \
             SELECT id, name, 'STANDARD' AS kind, modified_ms, modified_region FROM queues \
             WHERE $1 AND instance_id = $3 AND id > $4 AND queue_type = 'STANDARD' \
             UNION ALL \
             SELECT id, NULL, 'AGENT', modified_ms, modified_region FROM users \
             WHERE $2 AND instance_id = $3 AND id > $4) AS all_queues \
         ORDER BY id LIMIT $5",
        &[
            &standard,
            &agent,
            &at.instance_id,
            &page.after.as_deref().unwrap_or(""),
            &limit(page),
        ],
    )
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get(2)?;
            Ok(QueueSummary {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                queue_type: QueueType::parse(&kind)
                    .ok_or_else(|| corrupt(format!("queue type {kind:?}")))?,
                modified: Modified {
                    time: Timestamp(row.try_get(3)?),
                    region: row.try_get(4)?,
                },
            })
        })
        .collect()
}

pub(crate) async fn update(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    change: &QueueChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(tx, at).await?;
    let mut q = load(tx, at, id).await?;
    change.apply(&mut q, modified);
    if change.renames() && name_taken(tx, &at.instance_id, &q.name, id).await? {
        return Err(duplicate(taken(&q.name)));
    }
    if let Some(hours) = change.hours() {
        check_hours(tx, &at.instance_id, hours).await?;
    }
    execute_raw(
        tx,
        "UPDATE queues SET name = $2, hours_of_operation_id = $3, description = $4, max_contacts = $5, \
         status = $6, outbound_caller_id_name = $7, outbound_caller_id_number_id = $8, \
         outbound_flow_id = $9, outbound_email_address_id = $10, modified_ms = $11, \
         modified_region = $12 WHERE id = $1",
        &[
            &id,
            &q.name,
            &q.hours_of_operation_id,
            &q.description,
            &q.max_contacts,
            &q.status.as_str(),
            &q.outbound_caller.caller_id_name,
            &q.outbound_caller.caller_id_number_id,
            &q.outbound_caller.flow_id,
            &q.outbound_email_address_id,
            &q.modified.time.0,
            &q.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, NAME_UNIQUE, || taken(&q.name)))?;
    Ok(())
}

pub(crate) async fn delete(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(tx, at).await?;
    load(tx, at, id).await?;
    // The routing profiles that refer to the queue: how many, and the first in id
    // order with its name.
    let using = query_opt(
        tx,
        "SELECT COUNT(*), MIN(p.id) FROM routing_profiles p WHERE p.instance_id = $1 AND ( \
             p.default_outbound_queue_id = $2 \
             OR EXISTS (SELECT 1 FROM routing_profile_queues r WHERE r.routing_profile_id = p.id AND r.queue_id = $2) \
             OR EXISTS (SELECT 1 FROM routing_profile_manual_queues r WHERE r.routing_profile_id = p.id AND r.queue_id = $2)) \
         HAVING COUNT(*) > 0",
        &[&at.instance_id, &id],
    )
    .await?;
    if let Some(row) = using {
        let first: String = row.try_get(1)?;
        let name: String = query_one(
            tx,
            "SELECT name FROM routing_profiles WHERE id = $1",
            &[&first],
        )
        .await?
        .try_get(0)?;
        let why = profiles_route(row.try_get(0)?, &name, &first);
        return Err(in_use(ResourceKind::Queue, id, why));
    }
    tags::delete_all(tx, ResourceKind::Queue, id).await?;
    crate::quick_connects::remove_queue_associations(tx, id).await?;
    execute(tx, "DELETE FROM queues WHERE id = $1", &[&id]).await?;
    Ok(())
}
