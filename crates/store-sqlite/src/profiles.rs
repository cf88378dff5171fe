//! Queues.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{Queue, QueueType};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, limit, missing};
use roster_store::PageRequest;
use rusqlite::{params, Connection, Row};

use crate::error::Result;
use crate::scope;

fn modified(row: &Row<'_>, ms: usize) -> rusqlite::Result<Modified> {
    Ok(Modified {
        time: Timestamp(row.get(ms)?),
        region: row.get(ms + 1)?,
    })
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
