//! The user hierarchy: the levels of an instance and its groups.

use roster_domain::arn::ResourceKind;
use roster_domain::hierarchy::{HierarchyGroup, HierarchyLevel, HierarchyStructure};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{
    corrupt, duplicate, in_use, limit, missing, not_found, restricting_profiles,
};
use roster_store::{PageRequest, StoreError};
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::scope;
use crate::tags;

/// Ids of a path are stored joined by this separator.
const SEP: char = '/';

pub(crate) async fn get_structure(tx: &Tx<'_>, at: &InstanceRef) -> Result<HierarchyStructure> {
    scope::check(tx, at).await?;
    let rows = query(
        tx,
        "SELECT level, name, modified_ms, modified_region FROM hierarchy_levels WHERE instance_id = $1 \
         ORDER BY level",
        &[&at.instance_id],
    )
    .await?;
    let levels = rows
        .iter()
        .map(|r| {
            Ok(HierarchyLevel {
                id: r.try_get::<_, i64>(0)?.to_string(),
                name: r.try_get(1)?,
                modified: Modified {
                    time: Timestamp(r.try_get(2)?),
                    region: r.try_get(3)?,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(HierarchyStructure { levels })
}

pub(crate) async fn set_structure(
    tx: &Tx<'_>,
    at: &InstanceRef,
    structure: &HierarchyStructure,
) -> Result<()> {
    scope::check(tx, at).await?;
    let n = structure.levels.len();
    // The domain's constructor numbered the levels from 1, at most five.
    let in_removed_level = query_opt(
        tx,
        "SELECT id, level FROM hierarchy_groups WHERE instance_id = $1 AND level > $2 \
         ORDER BY level, id LIMIT 1",
        &[&at.instance_id, &(n as i64)],
    )
    .await?;
    if let Some(row) = in_removed_level {
        let group: String = row.try_get(0)?;
        let level: i64 = row.try_get(1)?;
        return Err(in_use(
            ResourceKind::HierarchyGroup,
            &group,
            format!("it is at level {level}, which the new hierarchy structure removes"),
        ));
    }
    execute(
        tx,
        "DELETE FROM hierarchy_levels WHERE instance_id = $1 AND level > $2",
        &[&at.instance_id, &(n as i64)],
    )
    .await?;
    for (i, level) in structure.levels.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO hierarchy_levels (instance_id, level, name, modified_ms, modified_region) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (instance_id, level) DO UPDATE SET \
             name = excluded.name, modified_ms = excluded.modified_ms, modified_region = excluded.modified_region",
            &[
                &at.instance_id,
                &((i + 1) as i64),
                &level.name,
                &level.modified.time.0,
                &level.modified.region,
            ],
        )
        .await?;
    }
    Ok(())
}

fn path_text(path: &[String]) -> String {
    path.join(&SEP.to_string())
}

pub(crate) async fn create_group(
    tx: &Tx<'_>,
    at: &InstanceRef,
    group: &HierarchyGroup,
) -> Result<()> {
    scope::check(tx, at).await?;
    // The group's level and path come from its domain constructor; what only the
    // database knows is whether the parent is (still) there.
    if let Some(parent) = group.parent_id() {
        let present = exists(
            tx,
            "SELECT 1 FROM hierarchy_groups WHERE id = $1 AND instance_id = $2",
            &[&parent, &at.instance_id],
        )
        .await?;
        if !present {
            return Err(missing(ResourceKind::HierarchyGroup, parent));
        }
    }
    let level_exists = exists(
        tx,
        "SELECT 1 FROM hierarchy_levels WHERE instance_id = $1 AND level = $2",
        &[&at.instance_id, &(group.level() as i64)],
    )
    .await?;
    if !level_exists {
        return Err(StoreError::MissingLevel {
            level: group.level(),
        }
        .into());
    }
    let taken_name = || format!("Hierarchy group with name '{}'", group.name);
    let taken = exists(
        tx,
        "SELECT 1 FROM hierarchy_groups WHERE instance_id = $1 AND name = $2",
        &[&at.instance_id, &group.name],
    )
    .await?;
    if taken {
        return Err(duplicate(taken_name()));
    }
    execute_raw(
        tx,
        "INSERT INTO hierarchy_groups (id, instance_id, name, level, parent_id, path, modified_ms, modified_region) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &group.id,
            &at.instance_id,
            &group.name,
            &(group.level() as i64),
            &group.parent_id(),
            &path_text(group.path()),
            &group.modified.time.0,
            &group.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "hierarchy_groups_name_unique", taken_name))?;
    tags::insert_new(
        tx,
        &at.instance_id,
        ResourceKind::HierarchyGroup,
        &group.id,
        &group.tags,
    )
    .await
}

fn columns() -> String {
    format!(
        "g.id, g.name, g.level, g.path, g.modified_ms, g.modified_region, {}",
        tags::arrays_sql(ResourceKind::HierarchyGroup, "g.id")
    )
}

fn from_row(row: &Row) -> Result<HierarchyGroup> {
    let path: String = row.try_get(3)?;
    let modified = Modified {
        time: Timestamp(row.try_get(4)?),
        region: row.try_get(5)?,
    };
    let tags = tags::from_arrays(row.try_get(6)?, row.try_get(7)?);
    let ids = path.split(SEP).map(str::to_string).collect();
    HierarchyGroup::from_stored(row.try_get(0)?, row.try_get(1)?, ids, tags, modified)
        .ok_or_else(|| corrupt(format!("hierarchy group path {path:?}")).into())
}

pub(crate) async fn get_group(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<HierarchyGroup> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {} FROM hierarchy_groups g WHERE g.id = $1 AND g.instance_id = $2",
        columns()
    );
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::HierarchyGroup, id)),
    }
}

pub(crate) async fn list_groups(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<HierarchyGroup>> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {} FROM hierarchy_groups g WHERE g.instance_id = $1 AND g.id > $2 ORDER BY g.id LIMIT $3",
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

async fn group_exists(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    let found = exists(
        tx,
        "SELECT 1 FROM hierarchy_groups WHERE id = $1 AND instance_id = $2",
        &[&id, &at.instance_id],
    )
    .await?;
    if found {
        Ok(())
    } else {
        Err(not_found(ResourceKind::HierarchyGroup, id))
    }
}

pub(crate) async fn rename_group(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    name: &str,
    modified: &Modified,
) -> Result<()> {
    scope::check(tx, at).await?;
    group_exists(tx, at, id).await?;
    let taken_name = || format!("Hierarchy group with name '{name}'");
    let taken = exists(
        tx,
        "SELECT 1 FROM hierarchy_groups WHERE instance_id = $1 AND name = $2 AND id <> $3",
        &[&at.instance_id, &name, &id],
    )
    .await?;
    if taken {
        return Err(duplicate(taken_name()));
    }
    execute_raw(
        tx,
        "UPDATE hierarchy_groups SET name = $2, modified_ms = $3, modified_region = $4 WHERE id = $1",
        &[&id, &name, &modified.time.0, &modified.region],
    )
    .await?
    .map_err(|e| on_unique(e, "hierarchy_groups_name_unique", taken_name))?;
    Ok(())
}

pub(crate) async fn delete_group(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    crate::db::lock_user_count(tx, &at.instance_id).await?;
    scope::check(tx, at).await?;
    group_exists(tx, at, id).await?;
    let children: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM hierarchy_groups WHERE parent_id = $1",
        &[&id],
    )
    .await?
    .try_get(0)?;
    if children > 0 {
        let why = if children == 1 {
            "it has 1 child group".to_string()
        } else {
            format!("it has {children} child groups")
        };
        return Err(in_use(ResourceKind::HierarchyGroup, id, why));
    }
    let users: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM users WHERE instance_id = $1 AND hierarchy_group_id = $2",
        &[&at.instance_id, &id],
    )
    .await?
    .try_get(0)?;
    if users > 0 {
        let why = if users == 1 {
            "1 user is assigned to it".to_string()
        } else {
            format!("{users} users are assigned to it")
        };
        return Err(in_use(ResourceKind::HierarchyGroup, id, why));
    }
    let profiles: i64 = query_one(
        tx,
        "SELECT COUNT(*) FROM security_profiles WHERE instance_id = $1 AND allowed_hierarchy_group_id = $2",
        &[&at.instance_id, &id],
    )
    .await?
    .try_get(0)?;
    if profiles > 0 {
        return Err(in_use(
            ResourceKind::HierarchyGroup,
            id,
            restricting_profiles(profiles),
        ));
    }
    tags::delete_all(tx, ResourceKind::HierarchyGroup, id).await?;
    execute(tx, "DELETE FROM hierarchy_groups WHERE id = $1", &[&id]).await?;
    Ok(())
}
