//! Queues.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{Queue, QueueType};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, limit, missing};
use roster_store::PageRequest;
use tokio_postgres::Row;

use crate::db::{execute, query, Tx};
use crate::error::Result;
use crate::scope;

fn modified(row: &Row, ms: usize) -> Result<Modified> {
    Ok(Modified {
        time: Timestamp(row.try_get(ms)?),
        region: row.try_get(ms + 1)?,
    })
}

// ---- queues -------------------------------------------------------------------------

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
