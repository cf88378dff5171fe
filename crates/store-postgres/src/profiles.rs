//! Security profiles, routing profiles and queues.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{Queue, QueueType, SecurityProfile};
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

// ---- security profiles --------------------------------------------------------------

/// Creates a security profile in the instance.
pub(crate) async fn create_security_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    p: &SecurityProfile,
) -> Result<()> {
    scope::check(tx, at).await?;
    insert_security_profile(tx, &at.instance_id, p).await
}

pub(crate) async fn insert_security_profile(
    tx: &Tx<'_>,
    instance_id: &str,
    p: &SecurityProfile,
) -> Result<()> {
    let taken_name = || format!("Security profile with name '{}'", p.name);
    let taken = exists(
        tx,
        "SELECT 1 FROM security_profiles WHERE instance_id = $1 AND name = $2",
        &[&instance_id, &p.name],
    )
    .await?;
    if taken {
        return Err(duplicate(taken_name()));
    }
    execute_raw(
        tx,
        "INSERT INTO security_profiles (id, instance_id, name, description, modified_ms, modified_region) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&p.id, &instance_id, &p.name, &p.description, &p.modified.time.0, &p.modified.region],
    )
    .await?
    .map_err(|e| on_unique(e, "security_profiles_name_unique", taken_name))?;
    for (i, perm) in p.permissions.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO security_profile_permissions (security_profile_id, position, permission) \
             VALUES ($1, $2, $3)",
            &[&p.id, &(i as i64), perm],
        )
        .await?;
    }
    tags::insert_new(
        tx,
        instance_id,
        ResourceKind::SecurityProfile,
        &p.id,
        &p.tags,
    )
    .await
}

fn security_profile_columns() -> String {
    format!(
        "p.id, p.name, p.description, p.modified_ms, p.modified_region, \
         ARRAY(SELECT permission FROM security_profile_permissions x WHERE x.security_profile_id = p.id ORDER BY position), \
         {}",
        tags::arrays_sql(ResourceKind::SecurityProfile, "p.id")
    )
}

fn security_profile_from_row(row: &Row) -> Result<SecurityProfile> {
    Ok(SecurityProfile {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        description: row.try_get(2)?,
        modified: modified(row, 3)?,
        permissions: row.try_get(5)?,
        tags: tags::from_arrays(row.try_get(6)?, row.try_get(7)?),
    })
}

pub(crate) async fn get_security_profile(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
) -> Result<SecurityProfile> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {} FROM security_profiles p WHERE p.id = $1 AND p.instance_id = $2",
        security_profile_columns()
    );
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => security_profile_from_row(&row),
        None => Err(not_found(ResourceKind::SecurityProfile, id)),
    }
}

pub(crate) async fn list_security_profiles(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<SecurityProfile>> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {} FROM security_profiles p WHERE p.instance_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3",
        security_profile_columns()
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
    rows.iter().map(security_profile_from_row).collect()
}

pub(crate) async fn delete_security_profile(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    crate::db::lock_user_count(tx, &at.instance_id).await?;
    scope::check(tx, at).await?;
    if !scope::exists_in(tx, "security_profiles", &at.instance_id, id).await? {
        return Err(not_found(ResourceKind::SecurityProfile, id));
    }
    let users: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM user_security_profiles WHERE security_profile_id = $1",
        &[&id],
    )
    .await?
    .try_get(0)?;
    if users > 0 {
        return Err(in_use(ResourceKind::SecurityProfile, id, holders(users)));
    }
    tags::delete_all(tx, ResourceKind::SecurityProfile, id).await?;
    execute(tx, "DELETE FROM security_profiles WHERE id = $1", &[&id]).await?;
    Ok(())
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
