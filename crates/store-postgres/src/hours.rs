//! Hours of operation: one row each, their openings in order in
//! `hours_of_operation_config` (times as minutes since midnight), the parents they
//! link to in `hours_of_operation_parents`, their tags in `tags`.

use roster_domain::arn::ResourceKind;
use roster_domain::hours::{
    HoursChange, HoursOfOperation, ParentHours, TimeZone, WeeklyHours, MAX_PER_INSTANCE,
};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{
    corrupt, duplicate, in_use, limit, linked_as_parent, missing, not_found, queues_use,
};
use roster_store::{PageRequest, StoreError};
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::scope;
use crate::tags;

const NAME_UNIQUE: &str = "hours_of_operation_name_unique";

fn taken(name: &str) -> String {
    format!("Hours of operation with name '{name}'")
}

async fn name_taken(tx: &Tx<'_>, instance_id: &str, name: &str, other_than: &str) -> Result<bool> {
    exists(
        tx,
        "SELECT 1 FROM hours_of_operation WHERE instance_id = $1 AND name = $2 AND id <> $3",
        &[&instance_id, &name, &other_than],
    )
    .await
}

/// Creates hours of operation in the instance.
pub(crate) async fn create(tx: &Tx<'_>, at: &InstanceRef, h: &HoursOfOperation) -> Result<()> {
    scope::check(tx, at).await?;
    let count: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM hours_of_operation WHERE instance_id = $1",
        &[&at.instance_id],
    )
    .await?
    .try_get(0)?;
    if count as u64 >= MAX_PER_INSTANCE {
        return Err(StoreError::QuotaReached {
            kind: ResourceKind::HoursOfOperation,
            limit: MAX_PER_INSTANCE,
        }
        .into());
    }
    for parent in h.parents.ids() {
        if !scope::exists_in(tx, "hours_of_operation", &at.instance_id, parent).await? {
            return Err(missing(ResourceKind::HoursOfOperation, parent));
        }
    }
    insert(tx, &at.instance_id, h).await
}

/// Stores new hours of operation (the caller has checked the instance).
pub(crate) async fn insert(tx: &Tx<'_>, instance_id: &str, h: &HoursOfOperation) -> Result<()> {
    if name_taken(tx, instance_id, &h.name, &h.id).await? {
        return Err(duplicate(taken(&h.name)));
    }
    execute_raw(
        tx,
        "INSERT INTO hours_of_operation (id, instance_id, name, description, time_zone, modified_ms, \
         modified_region) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &h.id,
            &instance_id,
            &h.name,
            &h.description,
            &h.time_zone.as_str(),
            &h.modified.time.0,
            &h.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, NAME_UNIQUE, || taken(&h.name)))?;
    write_config(tx, &h.id, &h.config).await?;
    for (i, parent) in h.parents.ids().iter().enumerate() {
        execute(
            tx,
            "INSERT INTO hours_of_operation_parents (hours_id, position, parent_id) VALUES ($1, $2, $3)",
            &[&h.id, &(i as i64), parent],
        )
        .await?;
    }
    tags::insert_new(
        tx,
        instance_id,
        ResourceKind::HoursOfOperation,
        &h.id,
        &h.tags,
    )
    .await
}

/// Replaces the openings of hours `id`.
async fn write_config(tx: &Tx<'_>, id: &str, config: &WeeklyHours) -> Result<()> {
    execute(
        tx,
        "DELETE FROM hours_of_operation_config WHERE hours_id = $1",
        &[&id],
    )
    .await?;
    for (i, o) in config.openings().iter().enumerate() {
        execute(
            tx,
            "INSERT INTO hours_of_operation_config (hours_id, position, day, start_minute, end_minute) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &id,
                &(i as i64),
                &o.day().as_str(),
                &i32::from(o.start().minute_of_day()),
                &i32::from(o.end().minute_of_day()),
            ],
        )
        .await?;
    }
    Ok(())
}

/// The columns [`from_row`] reads, for a query over `hours_of_operation h`: its own,
/// its openings as three arrays in order, its parents in order, its tags.
fn columns() -> String {
    let opening = |column: &str| {
        format!(
            "ARRAY(SELECT c.{column} FROM hours_of_operation_config c WHERE c.hours_id = h.id \
             ORDER BY c.position)"
        )
    };
    format!(
        "h.id, h.name, h.description, h.time_zone, h.modified_ms, h.modified_region, {}, {}, {}, \
         ARRAY(SELECT p.parent_id FROM hours_of_operation_parents p WHERE p.hours_id = h.id \
         ORDER BY p.position), {}",
        opening("day"),
        opening("start_minute"),
        opening("end_minute"),
        tags::arrays_sql(ResourceKind::HoursOfOperation, "h.id")
    )
}

fn from_row(row: &Row) -> Result<HoursOfOperation> {
    let id: String = row.try_get(0)?;
    let days: Vec<String> = row.try_get(6)?;
    let starts: Vec<i32> = row.try_get(7)?;
    let ends: Vec<i32> = row.try_get(8)?;
    let openings = days
        .into_iter()
        .zip(starts)
        .zip(ends)
        .map(|((d, s), e)| (d, i64::from(s), i64::from(e)));
    let config = WeeklyHours::from_stored(openings)
        .ok_or_else(|| corrupt(format!("openings of hours of operation {id}")))?;
    let parents = ParentHours::from_stored(row.try_get(9)?)
        .ok_or_else(|| corrupt(format!("parents of hours of operation {id}")))?;
    let time_zone: String = row.try_get(3)?;
    let time_zone = TimeZone::from_stored(time_zone.clone())
        .ok_or_else(|| corrupt(format!("time zone {time_zone:?}")))?;
    Ok(HoursOfOperation {
        name: row.try_get(1)?,
        description: row.try_get(2)?,
        time_zone,
        config,
        parents,
        tags: tags::from_arrays(row.try_get(10)?, row.try_get(11)?),
        modified: Modified {
            time: Timestamp(row.try_get(4)?),
            region: row.try_get(5)?,
        },
        id,
    })
}

async fn load(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<HoursOfOperation> {
    let sql = format!(
        "SELECT {} FROM hours_of_operation h WHERE h.id = $1 AND h.instance_id = $2",
        columns()
    );
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::HoursOfOperation, id)),
    }
}

pub(crate) async fn get(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<HoursOfOperation> {
    scope::check(tx, at).await?;
    load(tx, at, id).await
}

pub(crate) async fn list(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<HoursOfOperation>> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {} FROM hours_of_operation h WHERE h.instance_id = $1 AND h.id > $2 ORDER BY h.id LIMIT $3",
        columns()
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
    rows.iter().map(from_row).collect()
}

pub(crate) async fn update(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    change: &HoursChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(tx, at).await?;
    let mut h = load(tx, at, id).await?;
    change.apply(&mut h, modified);
    if change.name.is_some() && name_taken(tx, &at.instance_id, &h.name, id).await? {
        return Err(duplicate(taken(&h.name)));
    }
    execute_raw(
        tx,
        "UPDATE hours_of_operation SET name = $2, description = $3, time_zone = $4, modified_ms = $5, \
         modified_region = $6 WHERE id = $1",
        &[
            &id,
            &h.name,
            &h.description,
            &h.time_zone.as_str(),
            &h.modified.time.0,
            &h.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, NAME_UNIQUE, || taken(&h.name)))?;
    if change.config.is_some() {
        write_config(tx, id, &h.config).await?;
    }
    Ok(())
}

pub(crate) async fn delete(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(tx, at).await?;
    if !scope::exists_in(tx, "hours_of_operation", &at.instance_id, id).await? {
        return Err(not_found(ResourceKind::HoursOfOperation, id));
    }
    let queues = query_opt(
        tx,
        "SELECT COUNT(*), MIN(id) FROM queues WHERE instance_id = $1 AND hours_of_operation_id = $2 \
         HAVING COUNT(*) > 0",
        &[&at.instance_id, &id],
    )
    .await?;
    if let Some(row) = queues {
        let why = queues_use(row.try_get(0)?, &row.try_get::<_, String>(1)?);
        return Err(in_use(ResourceKind::HoursOfOperation, id, why));
    }
    let children = query_opt(
        tx,
        "SELECT COUNT(*), MIN(hours_id) FROM hours_of_operation_parents WHERE parent_id = $1 \
         HAVING COUNT(*) > 0",
        &[&id],
    )
    .await?;
    if let Some(row) = children {
        let why = linked_as_parent(row.try_get(0)?, &row.try_get::<_, String>(1)?);
        return Err(in_use(ResourceKind::HoursOfOperation, id, why));
    }
    tags::delete_all(tx, ResourceKind::HoursOfOperation, id).await?;
    execute(tx, "DELETE FROM hours_of_operation WHERE id = $1", &[&id]).await?;
    Ok(())
}
