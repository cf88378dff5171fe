//! Tags of every kind of resource, in one table keyed by kind and id.

use roster_domain::arn::ResourceKind;
use roster_domain::tags::Tags;
use roster_domain::InstanceRef;
use roster_store::sql::{not_found, tag_limit, tagged_table};
use roster_store::ResourceRef;

use crate::db::{execute, query, query_one, Tx};
use crate::error::Result;
use crate::scope;

/// Stores the tags of a resource being created.
pub(crate) async fn insert_new(
    tx: &Tx<'_>,
    instance_id: &str,
    kind: ResourceKind,
    resource_id: &str,
    tags: &Tags,
) -> Result<()> {
    tag_limit(tags.len())?;
    upsert(tx, instance_id, kind, resource_id, tags).await
}

/// The tags of many new resources of one kind, in one statement: the `i`-th key and
/// value belong to the `i`-th resource id. The caller checks each resource's count.
pub(crate) async fn insert_many_new(
    tx: &Tx<'_>,
    instance_id: &str,
    kind: ResourceKind,
    resource_ids: &[&str],
    keys: &[&str],
    values: &[&str],
) -> Result<()> {
    execute(
        tx,
        "INSERT INTO tags (instance_id, resource_kind, resource_id, key, value) \
         SELECT $1::TEXT, $2::TEXT, * FROM UNNEST($3::TEXT[], $4::TEXT[], $5::TEXT[])",
        &[&instance_id, &kind.as_str(), &resource_ids, &keys, &values],
    )
    .await?;
    Ok(())
}

async fn upsert(
    tx: &Tx<'_>,
    instance_id: &str,
    kind: ResourceKind,
    resource_id: &str,
    tags: &Tags,
) -> Result<()> {
    for (k, v) in tags {
        execute(
            tx,
            "INSERT INTO tags (instance_id, resource_kind, resource_id, key, value) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (resource_kind, resource_id, key) DO UPDATE SET value = excluded.value",
            &[&instance_id, &kind.as_str(), &resource_id, k, v],
        )
        .await?;
    }
    Ok(())
}

/// Tags from the two arrays of keys and values a query collected in key order.
pub(crate) fn from_arrays(keys: Vec<String>, values: Vec<String>) -> Tags {
    keys.into_iter().zip(values).collect()
}

/// SQL selecting the tag keys and the tag values (two arrays in the same order) of
/// the resource of `kind` whose id is the SQL expression `id`.
pub(crate) fn arrays_sql(kind: ResourceKind, id: &str) -> String {
    let kind = kind.as_str();
    format!(
        "ARRAY(SELECT t.key FROM tags t WHERE t.resource_kind = '{kind}' AND t.resource_id = {id} ORDER BY t.key), \
         ARRAY(SELECT t.value FROM tags t WHERE t.resource_kind = '{kind}' AND t.resource_id = {id} ORDER BY t.key)"
    )
}

pub(crate) async fn load(tx: &Tx<'_>, kind: ResourceKind, resource_id: &str) -> Result<Tags> {
    let rows = query(
        tx,
        "SELECT key, value FROM tags WHERE resource_kind = $1 AND resource_id = $2",
        &[&kind.as_str(), &resource_id],
    )
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub(crate) async fn delete_all(tx: &Tx<'_>, kind: ResourceKind, resource_id: &str) -> Result<()> {
    execute(
        tx,
        "DELETE FROM tags WHERE resource_kind = $1 AND resource_id = $2",
        &[&kind.as_str(), &resource_id],
    )
    .await?;
    Ok(())
}

/// `NotFound` unless the instance exists in the scope and holds the resource.
async fn check_resource(tx: &Tx<'_>, at: &InstanceRef, resource: &ResourceRef) -> Result<()> {
    scope::check(tx, at).await?;
    let found = match tagged_table(resource.kind) {
        None => resource.kind == ResourceKind::Instance && resource.id == at.instance_id,
        Some(table) => scope::exists_in(tx, table, &at.instance_id, &resource.id).await?,
    };
    if found {
        Ok(())
    } else {
        Err(not_found(resource.kind, &resource.id))
    }
}

pub(crate) async fn tag(
    tx: &Tx<'_>,
    at: &InstanceRef,
    resource: &ResourceRef,
    tags: &Tags,
) -> Result<()> {
    check_resource(tx, at, resource).await?;
    upsert(tx, &at.instance_id, resource.kind, &resource.id, tags).await?;
    let count: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM tags WHERE resource_kind = $1 AND resource_id = $2",
        &[&resource.kind.as_str(), &resource.id],
    )
    .await?
    .try_get(0)?;
    // Returning an error rolls the transaction back, upserts included.
    Ok(tag_limit(count as usize)?)
}

pub(crate) async fn untag(
    tx: &Tx<'_>,
    at: &InstanceRef,
    resource: &ResourceRef,
    keys: &[String],
) -> Result<()> {
    check_resource(tx, at, resource).await?;
    if keys.is_empty() {
        return Ok(());
    }
    execute(
        tx,
        "DELETE FROM tags WHERE resource_kind = $1 AND resource_id = $2 AND key = ANY($3)",
        &[&resource.kind.as_str(), &resource.id, &keys],
    )
    .await?;
    Ok(())
}

pub(crate) async fn list(tx: &Tx<'_>, at: &InstanceRef, resource: &ResourceRef) -> Result<Tags> {
    check_resource(tx, at, resource).await?;
    load(tx, resource.kind, &resource.id).await
}

/// The tags of the instance itself.
pub(crate) async fn of_instance(tx: &Tx<'_>, at: &InstanceRef) -> Result<Tags> {
    let instance = ResourceRef {
        kind: ResourceKind::Instance,
        id: at.instance_id.clone(),
    };
    list(tx, at, &instance).await
}
