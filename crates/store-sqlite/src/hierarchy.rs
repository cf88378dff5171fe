//! The user hierarchy: the levels of an instance and its groups.

use roster_domain::arn::ResourceKind;
use roster_domain::hierarchy::{HierarchyGroup, HierarchyLevel, HierarchyStructure};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{
    corrupt, duplicate, in_use, limit, missing, not_found, restricting_profiles,
};
use roster_store::{PageRequest, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::scope;
use crate::tags;

/// Ids of a path are stored joined by this separator.
const SEP: char = '/';

pub(crate) fn get_structure(conn: &Connection, at: &InstanceRef) -> Result<HierarchyStructure> {
    scope::check(conn, at)?;
    let mut stmt = conn.prepare_cached(
        "SELECT level, name, modified_ms, modified_region FROM hierarchy_levels WHERE instance_id = ?1 \
         ORDER BY level",
    )?;
    let levels = stmt
        .query_map([&at.instance_id], |r| {
            Ok(HierarchyLevel {
                id: r.get::<_, i64>(0)?.to_string(),
                name: r.get(1)?,
                modified: Modified {
                    time: Timestamp(r.get(2)?),
                    region: r.get(3)?,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(HierarchyStructure { levels })
}

pub(crate) fn set_structure(
    conn: &Connection,
    at: &InstanceRef,
    structure: &HierarchyStructure,
) -> Result<()> {
    scope::check(conn, at)?;
    let n = structure.levels.len();
    // The domain's constructor numbered the levels from 1, at most five.
    let in_removed_level: Option<(String, i64)> = conn
        .prepare_cached(
            "SELECT id, level FROM hierarchy_groups WHERE instance_id = ?1 AND level > ?2 ORDER BY level, id LIMIT 1",
        )?
        .query_row(params![at.instance_id, n as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((group, level)) = in_removed_level {
        return Err(in_use(
            ResourceKind::HierarchyGroup,
            &group,
            format!("it is at level {level}, which the new hierarchy structure removes"),
        ));
    }
    conn.prepare_cached("DELETE FROM hierarchy_levels WHERE instance_id = ?1 AND level > ?2")?
        .execute(params![at.instance_id, n as i64])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO hierarchy_levels (instance_id, level, name, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (instance_id, level) DO UPDATE SET \
         name = excluded.name, modified_ms = excluded.modified_ms, modified_region = excluded.modified_region",
    )?;
    for (i, level) in structure.levels.iter().enumerate() {
        stmt.execute(params![
            at.instance_id,
            (i + 1) as i64,
            level.name,
            level.modified.time.0,
            level.modified.region
        ])?;
    }
    Ok(())
}

fn path_text(path: &[String]) -> String {
    path.join(&SEP.to_string())
}

pub(crate) fn create_group(
    conn: &Connection,
    at: &InstanceRef,
    group: &HierarchyGroup,
) -> Result<()> {
    scope::check(conn, at)?;
    // The group's level and path come from its domain constructor; what only the
    // database knows is whether the parent is (still) there.
    if let Some(parent) = group.parent_id() {
        let present = conn
            .prepare_cached("SELECT 1 FROM hierarchy_groups WHERE id = ?1 AND instance_id = ?2")?
            .exists(params![parent, at.instance_id])?;
        if !present {
            return Err(missing(ResourceKind::HierarchyGroup, parent));
        }
    }
    let level_exists = conn
        .prepare_cached("SELECT 1 FROM hierarchy_levels WHERE instance_id = ?1 AND level = ?2")?
        .exists(params![at.instance_id, group.level() as i64])?;
    if !level_exists {
        return Err(StoreError::MissingLevel {
            level: group.level(),
        }
        .into());
    }
    let taken = conn
        .prepare_cached("SELECT 1 FROM hierarchy_groups WHERE instance_id = ?1 AND name = ?2")?
        .exists(params![at.instance_id, group.name])?;
    if taken {
        return Err(duplicate(format!(
            "Hierarchy group with name '{}'",
            group.name
        )));
    }
    conn.prepare_cached(
        "INSERT INTO hierarchy_groups (id, instance_id, name, level, parent_id, path, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        group.id,
        at.instance_id,
        group.name,
        group.level() as i64,
        group.parent_id(),
        path_text(group.path()),
        group.modified.time.0,
        group.modified.region
    ])?;
    tags::insert_new(
        conn,
        &at.instance_id,
        ResourceKind::HierarchyGroup,
        &group.id,
        &group.tags,
    )
}

const COLUMNS: &str = "id, name, level, path, modified_ms, modified_region";

fn from_row(conn: &Connection, row: &Row<'_>) -> Result<HierarchyGroup> {
    let id: String = row.get(0)?;
    let path: String = row.get(3)?;
    let tags = tags::load(conn, ResourceKind::HierarchyGroup, &id)?;
    let modified = Modified {
        time: Timestamp(row.get(4)?),
        region: row.get(5)?,
    };
    let ids = path.split(SEP).map(str::to_string).collect();
    HierarchyGroup::from_stored(id, row.get(1)?, ids, tags, modified)
        .ok_or_else(|| corrupt(format!("hierarchy group path {path:?}")).into())
}

pub(crate) fn get_group(conn: &Connection, at: &InstanceRef, id: &str) -> Result<HierarchyGroup> {
    scope::check(conn, at)?;
    let sql = format!("SELECT {COLUMNS} FROM hierarchy_groups WHERE id = ?1 AND instance_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(not_found(ResourceKind::HierarchyGroup, id)),
    }
}

pub(crate) fn list_groups(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<HierarchyGroup>> {
    scope::check(conn, at)?;
    let sql =
        format!("SELECT {COLUMNS} FROM hierarchy_groups WHERE instance_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        at.instance_id,
        page.after.as_deref().unwrap_or(""),
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(conn, row)?);
    }
    Ok(out)
}

fn group_exists(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    let found = conn
        .prepare_cached("SELECT 1 FROM hierarchy_groups WHERE id = ?1 AND instance_id = ?2")?
        .exists(params![id, at.instance_id])?;
    if found {
        Ok(())
    } else {
        Err(not_found(ResourceKind::HierarchyGroup, id))
    }
}

pub(crate) fn rename_group(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
    name: &str,
    modified: &Modified,
) -> Result<()> {
    scope::check(conn, at)?;
    group_exists(conn, at, id)?;
    let taken = conn
        .prepare_cached(
            "SELECT 1 FROM hierarchy_groups WHERE instance_id = ?1 AND name = ?2 AND id <> ?3",
        )?
        .exists(params![at.instance_id, name, id])?;
    if taken {
        return Err(duplicate(format!("Hierarchy group with name '{name}'")));
    }
    conn.prepare_cached(
        "UPDATE hierarchy_groups SET name = ?2, modified_ms = ?3, modified_region = ?4 WHERE id = ?1",
    )?
    .execute(params![id, name, modified.time.0, modified.region])?;
    Ok(())
}

pub(crate) fn delete_group(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    group_exists(conn, at, id)?;
    let children: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM hierarchy_groups WHERE parent_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if children > 0 {
        let why = if children == 1 {
            "it has 1 child group".to_string()
        } else {
            format!("it has {children} child groups")
        };
        return Err(in_use(ResourceKind::HierarchyGroup, id, why));
    }
    let users: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM users WHERE instance_id = ?1 AND hierarchy_group_id = ?2",
        )?
        .query_row(params![at.instance_id, id], |r| r.get(0))?;
    if users > 0 {
        let why = if users == 1 {
            "1 user is assigned to it".to_string()
        } else {
            format!("{users} users are assigned to it")
        };
        return Err(in_use(ResourceKind::HierarchyGroup, id, why));
    }
    let profiles: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM security_profiles WHERE instance_id = ?1 AND allowed_hierarchy_group_id = ?2",
        )?
        .query_row(params![at.instance_id, id], |r| r.get(0))?;
    if profiles > 0 {
        return Err(in_use(
            ResourceKind::HierarchyGroup,
            id,
            restricting_profiles(profiles),
        ));
    }
    tags::delete_all(conn, ResourceKind::HierarchyGroup, id)?;
    conn.prepare_cached("DELETE FROM hierarchy_groups WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
