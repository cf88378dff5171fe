//! Quick connects: one row each (the destination in the columns of its type), the
//! queues that offer them in `queue_quick_connects`, their tags in `tags`.

use roster_domain::arn::ResourceKind;
use roster_domain::quick_connect::{
    Destination, QuickConnect, QuickConnectChange, QuickConnectType, MAX_PER_INSTANCE,
};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, duplicate, in_use, limit, missing, not_found, queues_offer};
use roster_store::{PageRequest, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::scope;
use crate::tags;

fn taken(name: &str) -> String {
    format!("Quick connect with name '{name}'")
}

fn name_taken(conn: &Connection, instance_id: &str, name: &str, other_than: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM quick_connects WHERE instance_id = ?1 AND name = ?2 AND id <> ?3",
        )?
        .exists(params![instance_id, name, other_than])?)
}

/// `MissingReference` unless the user or standard queue a destination names is in the
/// instance.
fn check_destination(conn: &Connection, instance_id: &str, d: &Destination) -> Result<()> {
    if let Some(user) = d.user_id() {
        if !scope::exists_in(conn, "users", instance_id, user)? {
            return Err(missing(ResourceKind::User, user));
        }
    }
    if let Some(queue) = d.queue_id() {
        let standard = conn
            .prepare_cached(
                "SELECT 1 FROM queues WHERE id = ?1 AND instance_id = ?2 AND queue_type = 'STANDARD'",
            )?
            .exists(params![queue, instance_id])?;
        if !standard {
            return Err(missing(ResourceKind::Queue, queue));
        }
    }
    Ok(())
}

pub(crate) fn create(conn: &Connection, at: &InstanceRef, q: &QuickConnect) -> Result<()> {
    scope::check(conn, at)?;
    let count: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM quick_connects WHERE instance_id = ?1")?
        .query_row([&at.instance_id], |r| r.get(0))?;
    if count as u64 >= MAX_PER_INSTANCE {
        return Err(StoreError::QuotaReached {
            kind: ResourceKind::QuickConnect,
            limit: MAX_PER_INSTANCE,
        }
        .into());
    }
    check_destination(conn, &at.instance_id, &q.destination)?;
    if name_taken(conn, &at.instance_id, &q.name, &q.id)? {
        return Err(duplicate(taken(&q.name)));
    }
    let d = &q.destination;
    conn.prepare_cached(
        "INSERT INTO quick_connects (id, instance_id, name, description, quick_connect_type, user_id, \
         queue_id, contact_flow_id, phone_number, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        q.id,
        at.instance_id,
        q.name,
        q.description,
        d.kind().as_str(),
        d.user_id(),
        d.queue_id(),
        d.contact_flow_id(),
        d.phone_number(),
        q.modified.time.0,
        q.modified.region
    ])?;
    tags::insert_new(
        conn,
        &at.instance_id,
        ResourceKind::QuickConnect,
        &q.id,
        &q.tags,
    )
}

const COLUMNS: &str = "q.id, q.name, q.description, q.quick_connect_type, q.user_id, q.queue_id, \
                       q.contact_flow_id, q.phone_number, q.modified_ms, q.modified_region";

fn from_row(conn: &Connection, row: &Row<'_>) -> Result<QuickConnect> {
    let id: String = row.get(0)?;
    let kind: String = row.get(3)?;
    let destination =
        Destination::from_stored(&kind, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?)
            .ok_or_else(|| corrupt(format!("destination of quick connect {id}")))?;
    let tags = tags::load(conn, ResourceKind::QuickConnect, &id)?;
    Ok(QuickConnect {
        name: row.get(1)?,
        description: row.get(2)?,
        destination,
        tags,
        modified: Modified {
            time: Timestamp(row.get(8)?),
            region: row.get(9)?,
        },
        id,
    })
}

fn load(conn: &Connection, at: &InstanceRef, id: &str) -> Result<QuickConnect> {
    let sql =
        format!("SELECT {COLUMNS} FROM quick_connects q WHERE q.id = ?1 AND q.instance_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(not_found(ResourceKind::QuickConnect, id)),
    }
}

pub(crate) fn get(conn: &Connection, at: &InstanceRef, id: &str) -> Result<QuickConnect> {
    scope::check(conn, at)?;
    load(conn, at, id)
}

/// The types as the list `,USER,QUEUE,` that a type is looked up in; `None` for all.
fn type_list(types: &[QuickConnectType]) -> Option<String> {
    if types.is_empty() {
        return None;
    }
    let mut s = String::from(",");
    for t in types {
        s.push_str(t.as_str());
        s.push(',');
    }
    Some(s)
}

pub(crate) fn list(
    conn: &Connection,
    at: &InstanceRef,
    types: &[QuickConnectType],
    page: &PageRequest,
) -> Result<Vec<QuickConnect>> {
    scope::check(conn, at)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM quick_connects q WHERE q.instance_id = ?1 AND q.id > ?2 \
         AND (?3 IS NULL OR instr(?3, ',' || q.quick_connect_type || ',') > 0) ORDER BY q.id LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        at.instance_id,
        page.after.as_deref().unwrap_or(""),
        type_list(types),
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
    change: &QuickConnectChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(conn, at)?;
    let mut q = load(conn, at, id)?;
    change.apply(&mut q, modified);
    if change.name.is_some() && name_taken(conn, &at.instance_id, &q.name, id)? {
        return Err(duplicate(taken(&q.name)));
    }
    if let Some(d) = &change.destination {
        check_destination(conn, &at.instance_id, d)?;
    }
    let d = &q.destination;
    conn.prepare_cached(
        "UPDATE quick_connects SET name = ?2, description = ?3, quick_connect_type = ?4, user_id = ?5, \
         queue_id = ?6, contact_flow_id = ?7, phone_number = ?8, modified_ms = ?9, modified_region = ?10 \
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        q.name,
        q.description,
        d.kind().as_str(),
        d.user_id(),
        d.queue_id(),
        d.contact_flow_id(),
        d.phone_number(),
        q.modified.time.0,
        q.modified.region
    ])?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    if !scope::exists_in(conn, "quick_connects", &at.instance_id, id)? {
        return Err(not_found(ResourceKind::QuickConnect, id));
    }
    let queues: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT COUNT(*), MIN(queue_id) FROM queue_quick_connects WHERE quick_connect_id = ?1 \
             HAVING COUNT(*) > 0",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((n, first)) = queues {
        return Err(in_use(
            ResourceKind::QuickConnect,
            id,
            queues_offer(n, &first),
        ));
    }
    tags::delete_all(conn, ResourceKind::QuickConnect, id)?;
    conn.prepare_cached("DELETE FROM quick_connects WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// `NotFound(Queue)` unless the queue is in the instance.
fn check_queue(conn: &Connection, at: &InstanceRef, queue_id: &str) -> Result<()> {
    if scope::exists_in(conn, "queues", &at.instance_id, queue_id)? {
        Ok(())
    } else {
        Err(not_found(ResourceKind::Queue, queue_id))
    }
}

/// Checks the queue and the quick connects, then stamps the queue.
fn prepare_queue_change(
    conn: &Connection,
    at: &InstanceRef,
    queue_id: &str,
    ids: &[String],
    modified: &Modified,
) -> Result<()> {
    scope::check(conn, at)?;
    check_queue(conn, at, queue_id)?;
    for id in ids {
        if !scope::exists_in(conn, "quick_connects", &at.instance_id, id)? {
            return Err(missing(ResourceKind::QuickConnect, id));
        }
    }
    conn.prepare_cached("UPDATE queues SET modified_ms = ?2, modified_region = ?3 WHERE id = ?1")?
        .execute(params![queue_id, modified.time.0, modified.region])?;
    Ok(())
}

pub(crate) fn associate(
    conn: &Connection,
    at: &InstanceRef,
    queue_id: &str,
    ids: &[String],
    modified: &Modified,
) -> Result<()> {
    prepare_queue_change(conn, at, queue_id, ids, modified)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO queue_quick_connects (instance_id, queue_id, quick_connect_id) VALUES (?1, ?2, ?3) \
         ON CONFLICT (queue_id, quick_connect_id) DO NOTHING",
    )?;
    for id in ids {
        stmt.execute(params![at.instance_id, queue_id, id])?;
    }
    Ok(())
}

pub(crate) fn disassociate(
    conn: &Connection,
    at: &InstanceRef,
    queue_id: &str,
    ids: &[String],
    modified: &Modified,
) -> Result<()> {
    prepare_queue_change(conn, at, queue_id, ids, modified)?;
    let mut stmt = conn.prepare_cached(
        "DELETE FROM queue_quick_connects WHERE queue_id = ?1 AND quick_connect_id = ?2",
    )?;
    for id in ids {
        stmt.execute(params![queue_id, id])?;
    }
    Ok(())
}

pub(crate) fn list_for_queue(
    conn: &Connection,
    at: &InstanceRef,
    queue_id: &str,
    page: &PageRequest,
) -> Result<(Vec<QuickConnect>, Modified)> {
    scope::check(conn, at)?;
    let queue_modified = conn
        .prepare_cached(
            "SELECT modified_ms, modified_region FROM queues WHERE id = ?1 AND instance_id = ?2",
        )?
        .query_row(params![queue_id, at.instance_id], |r| {
            Ok(Modified {
                time: Timestamp(r.get(0)?),
                region: r.get(1)?,
            })
        })
        .optional()?
        .ok_or_else(|| not_found::<Error>(ResourceKind::Queue, queue_id))?;
    let sql = format!(
        "SELECT {COLUMNS} FROM queue_quick_connects a JOIN quick_connects q ON q.id = a.quick_connect_id \
         WHERE a.queue_id = ?1 AND a.quick_connect_id > ?2 ORDER BY a.quick_connect_id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        queue_id,
        page.after.as_deref().unwrap_or(""),
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(conn, row)?);
    }
    Ok((out, queue_modified))
}

/// Makes the queue offer no quick connect: for DeleteQueue, inside its transaction,
/// before the queue's row goes. The quick connects themselves stay.
pub(crate) fn remove_queue_associations(conn: &Connection, queue_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM queue_quick_connects WHERE queue_id = ?1")?
        .execute([queue_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_a_queues_associations_leaves_other_queues_and_the_quick_connects() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        crate::schema::migrate(&mut conn, 0).unwrap();
        conn.execute_batch(
            "INSERT INTO instances (id, account_id, region, identity_management_type, created_ms, \
             inbound_calls_enabled, outbound_calls_enabled) VALUES ('i', 'a', 'r', 'CONNECT_MANAGED', 0, 1, 1);
             INSERT INTO quick_connects (id, instance_id, name, quick_connect_type, contact_flow_id, \
             modified_ms, modified_region) VALUES ('qc1', 'i', 'One', 'FLOW', 'f', 0, 'r'), \
             ('qc2', 'i', 'Two', 'FLOW', 'f', 0, 'r');
             INSERT INTO queue_quick_connects (instance_id, queue_id, quick_connect_id) VALUES \
             ('i', 'gone', 'qc1'), ('i', 'gone', 'qc2'), ('i', 'kept', 'qc1');",
        )
        .unwrap();
        remove_queue_associations(&conn, "gone").unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count("SELECT COUNT(*) FROM queue_quick_connects WHERE queue_id = 'gone'"),
            0
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM queue_quick_connects WHERE queue_id = 'kept'"),
            1
        );
        assert_eq!(count("SELECT COUNT(*) FROM quick_connects"), 2);
    }
}
