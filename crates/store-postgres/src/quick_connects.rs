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
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::scope;
use crate::tags;

const NAME_UNIQUE: &str = "quick_connects_name_unique";

fn taken(name: &str) -> String {
    format!("Quick connect with name '{name}'")
}

async fn name_taken(tx: &Tx<'_>, instance_id: &str, name: &str, other_than: &str) -> Result<bool> {
    exists(
        tx,
        "SELECT 1 FROM quick_connects WHERE instance_id = $1 AND name = $2 AND id <> $3",
        &[&instance_id, &name, &other_than],
    )
    .await
}

/// `MissingReference` unless the user or standard queue a destination names is in the
/// instance.
async fn check_destination(tx: &Tx<'_>, instance_id: &str, d: &Destination) -> Result<()> {
    if let Some(user) = d.user_id() {
        if !scope::exists_in(tx, "users", instance_id, user).await? {
            return Err(missing(ResourceKind::User, user));
        }
    }
    if let Some(queue) = d.queue_id() {
        let standard = exists(
            tx,
            "SELECT 1 FROM queues WHERE id = $1 AND instance_id = $2 AND queue_type = 'STANDARD'",
            &[&queue, &instance_id],
        )
        .await?;
        if !standard {
            return Err(missing(ResourceKind::Queue, queue));
        }
    }
    Ok(())
}

pub(crate) async fn create(tx: &Tx<'_>, at: &InstanceRef, q: &QuickConnect) -> Result<()> {
    scope::check(tx, at).await?;
    let count: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM quick_connects WHERE instance_id = $1",
        &[&at.instance_id],
    )
    .await?
    .try_get(0)?;
    if count as u64 >= MAX_PER_INSTANCE {
        return Err(StoreError::QuotaReached {
            kind: ResourceKind::QuickConnect,
            limit: MAX_PER_INSTANCE,
        }
        .into());
    }
    check_destination(tx, &at.instance_id, &q.destination).await?;
    if name_taken(tx, &at.instance_id, &q.name, &q.id).await? {
        return Err(duplicate(taken(&q.name)));
    }
    let d = &q.destination;
    execute_raw(
        tx,
        "INSERT INTO quick_connects (id, instance_id, name, description, quick_connect_type, user_id, \
         queue_id, contact_flow_id, phone_number, modified_ms, modified_region) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &q.id,
            &at.instance_id,
            &q.name,
            &q.description,
            &d.kind().as_str(),
            &d.user_id(),
            &d.queue_id(),
            &d.contact_flow_id(),
            &d.phone_number(),
            &q.modified.time.0,
            &q.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, NAME_UNIQUE, || taken(&q.name)))?;
    tags::insert_new(
        tx,
        &at.instance_id,
        ResourceKind::QuickConnect,
        &q.id,
        &q.tags,
    )
    .await
}

/// The columns [`from_row`] reads, for a query over `quick_connects q`: its own and
/// its tags.
fn columns() -> String {
    format!(
        "q.id, q.name, q.description, q.quick_connect_type, q.user_id, q.queue_id, q.contact_flow_id, \
         q.phone_number, q.modified_ms, q.modified_region, {}",
        tags::arrays_sql(ResourceKind::QuickConnect, "q.id")
    )
}

fn from_row(row: &Row) -> Result<QuickConnect> {
    let id: String = row.try_get(0)?;
    let kind: String = row.try_get(3)?;
    let destination = Destination::from_stored(
        &kind,
        row.try_get(4)?,
        row.try_get(5)?,
        row.try_get(6)?,
        row.try_get(7)?,
    )
    .ok_or_else(|| corrupt(format!("destination of quick connect {id}")))?;
    Ok(QuickConnect {
        name: row.try_get(1)?,
        description: row.try_get(2)?,
        destination,
        tags: tags::from_arrays(row.try_get(10)?, row.try_get(11)?),
        modified: Modified {
            time: Timestamp(row.try_get(8)?),
            region: row.try_get(9)?,
        },
        id,
    })
}

async fn load(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<QuickConnect> {
    let sql = format!(
        "SELECT {} FROM quick_connects q WHERE q.id = $1 AND q.instance_id = $2",
        columns()
    );
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::QuickConnect, id)),
    }
}

pub(crate) async fn get(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<QuickConnect> {
    scope::check(tx, at).await?;
    load(tx, at, id).await
}

pub(crate) async fn list(
    tx: &Tx<'_>,
    at: &InstanceRef,
    types: &[QuickConnectType],
    page: &PageRequest,
) -> Result<Vec<QuickConnect>> {
    scope::check(tx, at).await?;
    let types: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    let sql = format!(
        "SELECT {} FROM quick_connects q WHERE q.instance_id = $1 AND q.id > $2 \
         AND (cardinality($3::text[]) = 0 OR q.quick_connect_type = ANY($3::text[])) \
         ORDER BY q.id LIMIT $4",
        columns()
    );
    let rows = query(
        tx,
        &sql,
        &[
            &at.instance_id,
            &page.after.as_deref().unwrap_or(""),
            &types,
            &limit(page),
        ],
    )
    .await?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn update(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    change: &QuickConnectChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(tx, at).await?;
    let mut q = load(tx, at, id).await?;
    change.apply(&mut q, modified);
    if change.name.is_some() && name_taken(tx, &at.instance_id, &q.name, id).await? {
        return Err(duplicate(taken(&q.name)));
    }
    if let Some(d) = &change.destination {
        check_destination(tx, &at.instance_id, d).await?;
    }
    let d = &q.destination;
    execute_raw(
        tx,
        "UPDATE quick_connects SET name = $2, description = $3, quick_connect_type = $4, user_id = $5, \
         queue_id = $6, contact_flow_id = $7, phone_number = $8, modified_ms = $9, modified_region = $10 \
         WHERE id = $1",
        &[
            &id,
            &q.name,
            &q.description,
            &d.kind().as_str(),
            &d.user_id(),
            &d.queue_id(),
            &d.contact_flow_id(),
            &d.phone_number(),
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
    if !scope::exists_in(tx, "quick_connects", &at.instance_id, id).await? {
        return Err(not_found(ResourceKind::QuickConnect, id));
    }
    let queues = query_opt(
        tx,
        "SELECT COUNT(*), MIN(queue_id) FROM queue_quick_connects WHERE quick_connect_id = $1 \
         HAVING COUNT(*) > 0",
        &[&id],
    )
    .await?;
    if let Some(row) = queues {
        let why = queues_offer(row.try_get(0)?, &row.try_get::<_, String>(1)?);
        return Err(in_use(ResourceKind::QuickConnect, id, why));
    }
    tags::delete_all(tx, ResourceKind::QuickConnect, id).await?;
    execute(tx, "DELETE FROM quick_connects WHERE id = $1", &[&id]).await?;
    Ok(())
}

/// Checks the queue and the quick connects, then stamps the queue.
async fn prepare_queue_change(
    tx: &Tx<'_>,
    at: &InstanceRef,
    queue_id: &str,
    ids: &[String],
    modified: &Modified,
) -> Result<()> {
    scope::check(tx, at).await?;
    if !scope::exists_in(tx, "queues", &at.instance_id, queue_id).await? {
        return Err(not_found(ResourceKind::Queue, queue_id));
    }
    for id in ids {
        if !scope::exists_in(tx, "quick_connects", &at.instance_id, id).await? {
            return Err(missing(ResourceKind::QuickConnect, id));
        }
    }
    execute(
        tx,
        "UPDATE queues SET modified_ms = $2, modified_region = $3 WHERE id = $1",
        &[&queue_id, &modified.time.0, &modified.region],
    )
    .await?;
    Ok(())
}

pub(crate) async fn associate(
    tx: &Tx<'_>,
    at: &InstanceRef,
    queue_id: &str,
    ids: &[String],
    modified: &Modified,
) -> Result<()> {
    prepare_queue_change(tx, at, queue_id, ids, modified).await?;
    for id in ids {
        execute(
            tx,
            "INSERT INTO queue_quick_connects (instance_id, queue_id, quick_connect_id) \
             VALUES ($1, $2, $3) ON CONFLICT (queue_id, quick_connect_id) DO NOTHING",
            &[&at.instance_id, &queue_id, id],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn disassociate(
    tx: &Tx<'_>,
    at: &InstanceRef,
    queue_id: &str,
    ids: &[String],
    modified: &Modified,
) -> Result<()> {
    prepare_queue_change(tx, at, queue_id, ids, modified).await?;
    execute(
        tx,
        "DELETE FROM queue_quick_connects WHERE queue_id = $1 AND quick_connect_id = ANY($2::text[])",
        &[&queue_id, &ids],
    )
    .await?;
    Ok(())
}

pub(crate) async fn list_for_queue(
    tx: &Tx<'_>,
    at: &InstanceRef,
    queue_id: &str,
    page: &PageRequest,
) -> Result<(Vec<QuickConnect>, Modified)> {
    scope::check(tx, at).await?;
    let queue = query_opt(
        tx,
        "SELECT modified_ms, modified_region FROM queues WHERE id = $1 AND instance_id = $2",
        &[&queue_id, &at.instance_id],
    )
    .await?
    .ok_or_else(|| not_found::<crate::error::Error>(ResourceKind::Queue, queue_id))?;
    let queue_modified = Modified {
        time: Timestamp(queue.try_get(0)?),
        region: queue.try_get(1)?,
    };
    let sql = format!(
        "SELECT {} FROM queue_quick_connects a JOIN quick_connects q ON q.id = a.quick_connect_id \
         WHERE a.queue_id = $1 AND a.quick_connect_id > $2 ORDER BY a.quick_connect_id LIMIT $3",
        columns()
    );
    let rows = query(
        tx,
        &sql,
        &[
            &queue_id,
            &page.after.as_deref().unwrap_or(""),
            &limit(page),
        ],
    )
    .await?;
    let found = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    Ok((found, queue_modified))
}

/// Makes the queue offer no quick connect: for DeleteQueue, inside its transaction,
/// before the queue's row goes. The quick connects themselves stay.
pub(crate) async fn remove_queue_associations(tx: &Tx<'_>, queue_id: &str) -> Result<()> {
    execute(
        tx,
        "DELETE FROM queue_quick_connects WHERE queue_id = $1",
        &[&queue_id],
    )
    .await?;
    Ok(())
}
