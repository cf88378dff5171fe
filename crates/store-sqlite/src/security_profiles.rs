//! Security profiles: the profile row, and one table for each list it keeps
//! (permissions, access-control tags, restricted resources, applications and their
//! permissions, flow modules, AI agents, primary-attribute values and their values).
//! An update rewrites the row and every list.

use roster_domain::arn::ResourceKind;
use roster_domain::security::{
    AiAgent, Application, FlowModule, GranularAccessControl, Permissions, PrimaryAttributeValue,
    RestrictedResources, SecurityProfile, SecurityProfileUpdate,
};
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{corrupt, duplicate, holders, in_use, limit, missing, not_found};
use roster_store::PageRequest;
use rusqlite::{params, Connection, Row};

use crate::error::Result;
use crate::scope;
use crate::tags;

/// The lists a profile keeps in tables of their own; each is deleted with its
/// profile (`ON DELETE CASCADE`).
const LIST_TABLES: &[&str] = &[
    "security_profile_permissions",
    "security_profile_access_tags",
    "security_profile_restricted_resources",
    "security_profile_applications",
    "security_profile_application_permissions",
    "security_profile_flow_modules",
    "security_profile_ai_agents",
    "security_profile_primary_attributes",
    "security_profile_primary_attribute_values",
];

/// `kind` of `security_profile_restricted_resources`.
const TAG_RESTRICTED: &str = "tag";
const HIERARCHY_RESTRICTED: &str = "hierarchy";

/// Creates a security profile in the instance.
pub(crate) fn create(conn: &Connection, at: &InstanceRef, p: &SecurityProfile) -> Result<()> {
    scope::check(conn, at)?;
    insert(conn, &at.instance_id, p)
}

/// Inserts a profile of an instance known to exist (also for a new instance's
/// defaults).
pub(crate) fn insert(conn: &Connection, instance_id: &str, p: &SecurityProfile) -> Result<()> {
    let taken = conn
        .prepare_cached("SELECT 1 FROM security_profiles WHERE instance_id = ?1 AND name = ?2")?
        .exists(params![instance_id, p.name])?;
    if taken {
        return Err(duplicate(format!(
            "Security profile with name '{}'",
            p.name
        )));
    }
    check_group(conn, instance_id, p)?;
    conn.prepare_cached(
        "INSERT INTO security_profiles (id, instance_id, name, description, allowed_hierarchy_group_id, \
         granular_depth, modified_ms, modified_region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        p.id,
        instance_id,
        p.name,
        p.description,
        p.allowed_access_control_hierarchy_group_id,
        p.granular_access_control.as_ref().map(|g| g.depth()),
        p.modified.time.0,
        p.modified.region
    ])?;
    insert_lists(conn, p)?;
    tags::insert_new(
        conn,
        instance_id,
        ResourceKind::SecurityProfile,
        &p.id,
        &p.tags,
    )
}

/// `MissingReference` unless the hierarchy group the profile restricts access to is
/// a group of the instance.
fn check_group(conn: &Connection, instance_id: &str, p: &SecurityProfile) -> Result<()> {
    match &p.allowed_access_control_hierarchy_group_id {
        Some(group) if !scope::exists_in(conn, "hierarchy_groups", instance_id, group)? => {
            Err(missing(ResourceKind::HierarchyGroup, group))
        }
        _ => Ok(()),
    }
}

fn insert_lists(conn: &Connection, p: &SecurityProfile) -> Result<()> {
    let id = &p.id;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO security_profile_permissions (security_profile_id, position, permission) VALUES (?1, ?2, ?3)",
    )?;
    for (i, perm) in p.permissions.as_slice().iter().enumerate() {
        stmt.execute(params![id, i as i64, perm])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO security_profile_access_tags (security_profile_id, key, value) VALUES (?1, ?2, ?3)",
    )?;
    for (k, v) in &p.allowed_access_control_tags {
        stmt.execute(params![id, k, v])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO security_profile_restricted_resources (security_profile_id, kind, position, resource) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (kind, list) in [
        (TAG_RESTRICTED, &p.tag_restricted_resources),
        (HIERARCHY_RESTRICTED, &p.hierarchy_restricted_resources),
    ] {
        for (i, r) in list.as_slice().iter().enumerate() {
            stmt.execute(params![id, kind, i as i64, r])?;
        }
    }
    let mut apps = conn.prepare_cached(
        "INSERT INTO security_profile_applications (security_profile_id, position, namespace, application_type) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut app_perms = conn.prepare_cached(
        "INSERT INTO security_profile_application_permissions (security_profile_id, application, position, permission) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, a) in p.applications.iter().enumerate() {
        apps.execute(params![id, i as i64, a.namespace, a.application_type])?;
        for (j, perm) in a.permissions.iter().enumerate() {
            app_perms.execute(params![id, i as i64, j as i64, perm])?;
        }
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO security_profile_flow_modules (security_profile_id, position, flow_module_id, module_type) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, m) in p.allowed_flow_modules.iter().enumerate() {
        stmt.execute(params![id, i as i64, m.flow_module_id, m.module_type])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO security_profile_ai_agents (security_profile_id, position, arn, agent_type) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, a) in p.allowed_ai_agents.iter().enumerate() {
        stmt.execute(params![id, i as i64, a.arn, a.agent_type])?;
    }
    if let Some(g) = &p.granular_access_control {
        let mut attrs = conn.prepare_cached(
            "INSERT INTO security_profile_primary_attributes (security_profile_id, position, attribute_name, access_type) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut values = conn.prepare_cached(
            "INSERT INTO security_profile_primary_attribute_values (security_profile_id, attribute, position, value) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, v) in g.values().iter().enumerate() {
            attrs.execute(params![id, i as i64, v.attribute_name, v.access_type])?;
            for (j, value) in v.values.iter().enumerate() {
                values.execute(params![id, i as i64, j as i64, value])?;
            }
        }
    }
    Ok(())
}

const COLUMNS: &str =
    "id, name, description, allowed_hierarchy_group_id, granular_depth, modified_ms, modified_region";

/// Strings of one list of a profile, in position order.
fn strings(conn: &Connection, sql: &str, id: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?)
}

fn restricted(conn: &Connection, id: &str, kind: &str) -> Result<RestrictedResources> {
    let names = conn
        .prepare_cached(
            "SELECT resource FROM security_profile_restricted_resources \
             WHERE security_profile_id = ?1 AND kind = ?2 ORDER BY position",
        )?
        .query_map(params![id, kind], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(RestrictedResources::from_stored(names))
}

fn from_row(conn: &Connection, row: &Row<'_>) -> Result<SecurityProfile> {
    let id: String = row.get(0)?;
    let permissions = Permissions::from_stored(strings(
        conn,
        "SELECT permission FROM security_profile_permissions WHERE security_profile_id = ?1 ORDER BY position",
        &id,
    )?);
    let access_tags = conn
        .prepare_cached(
            "SELECT key, value FROM security_profile_access_tags WHERE security_profile_id = ?1",
        )?
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Tags>>()?;
    let mut applications = conn
        .prepare_cached(
            "SELECT namespace, application_type FROM security_profile_applications \
             WHERE security_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(Application {
                namespace: r.get(0)?,
                permissions: Vec::new(),
                application_type: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT application, permission FROM security_profile_application_permissions \
         WHERE security_profile_id = ?1 ORDER BY application, position",
    )?;
    let mut rows = stmt.query([&id])?;
    while let Some(r) = rows.next()? {
        let app: i64 = r.get(0)?;
        let app = usize::try_from(app)
            .ok()
            .and_then(|i| applications.get_mut(i))
            .ok_or_else(|| corrupt(format!("application {app} of security profile {id}")))?;
        app.permissions.push(r.get(1)?);
    }
    let flow_modules = conn
        .prepare_cached(
            "SELECT flow_module_id, module_type FROM security_profile_flow_modules \
             WHERE security_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(FlowModule {
                flow_module_id: r.get(0)?,
                module_type: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let ai_agents = conn
        .prepare_cached(
            "SELECT arn, agent_type FROM security_profile_ai_agents \
             WHERE security_profile_id = ?1 ORDER BY position",
        )?
        .query_map([&id], |r| {
            Ok(AiAgent {
                arn: r.get(0)?,
                agent_type: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let depth: Option<i64> = row.get(4)?;
    let granular = match depth {
        None => None,
        Some(depth) => {
            let mut values = conn
                .prepare_cached(
                    "SELECT attribute_name, access_type FROM security_profile_primary_attributes \
                     WHERE security_profile_id = ?1 ORDER BY position",
                )?
                .query_map([&id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
                })?
                .map(|r| r.map(|(name, access)| (name, access, Vec::new())))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = conn.prepare_cached(
                "SELECT attribute, value FROM security_profile_primary_attribute_values \
                 WHERE security_profile_id = ?1 ORDER BY attribute, position",
            )?;
            let mut rows = stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                let attr: i64 = r.get(0)?;
                let attr = usize::try_from(attr)
                    .ok()
                    .and_then(|i| values.get_mut(i))
                    .ok_or_else(|| {
                        corrupt(format!("primary attribute {attr} of security profile {id}"))
                    })?;
                attr.2.push(r.get(1)?);
            }
            let values = values
                .into_iter()
                .map(|(name, access, vals)| PrimaryAttributeValue::from_stored(access, name, vals))
                .collect();
            Some(
                GranularAccessControl::from_stored(depth, values).ok_or_else(|| {
                    corrupt(format!(
                        "granular access control of depth {depth} of security profile {id}"
                    ))
                })?,
            )
        }
    };
    Ok(SecurityProfile {
        name: row.get(1)?,
        description: row.get(2)?,
        permissions,
        allowed_access_control_tags: access_tags,
        tag_restricted_resources: restricted(conn, &id, TAG_RESTRICTED)?,
        allowed_access_control_hierarchy_group_id: row.get(3)?,
        hierarchy_restricted_resources: restricted(conn, &id, HIERARCHY_RESTRICTED)?,
        applications,
        allowed_flow_modules: flow_modules,
        allowed_ai_agents: ai_agents,
        granular_access_control: granular,
        tags: tags::load(conn, ResourceKind::SecurityProfile, &id)?,
        modified: Modified {
            time: Timestamp(row.get(5)?),
            region: row.get(6)?,
        },
        id,
    })
}

pub(crate) fn get(conn: &Connection, at: &InstanceRef, id: &str) -> Result<SecurityProfile> {
    scope::check(conn, at)?;
    let sql = format!("SELECT {COLUMNS} FROM security_profiles WHERE id = ?1 AND instance_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, at.instance_id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(not_found(ResourceKind::SecurityProfile, id)),
    }
}

pub(crate) fn list(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<SecurityProfile>> {
    scope::check(conn, at)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM security_profiles WHERE instance_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
    );
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

pub(crate) fn update(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
    update: &SecurityProfileUpdate,
) -> Result<()> {
    let mut p = get(conn, at, id)?;
    update.apply(&mut p);
    check_group(conn, &at.instance_id, &p)?;
    conn.prepare_cached(
        "UPDATE security_profiles SET description = ?2, allowed_hierarchy_group_id = ?3, granular_depth = ?4, \
         modified_ms = ?5, modified_region = ?6 WHERE id = ?1",
    )?
    .execute(params![
        p.id,
        p.description,
        p.allowed_access_control_hierarchy_group_id,
        p.granular_access_control.as_ref().map(|g| g.depth()),
        p.modified.time.0,
        p.modified.region
    ])?;
    for table in LIST_TABLES {
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE security_profile_id = ?1"
        ))?
        .execute([id])?;
    }
    insert_lists(conn, &p)
}

pub(crate) fn delete(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    if !scope::exists_in(conn, "security_profiles", &at.instance_id, id)? {
        return Err(not_found(ResourceKind::SecurityProfile, id));
    }
    let users: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM user_security_profiles WHERE security_profile_id = ?1",
        )?
        .query_row([id], |r| r.get(0))?;
    if users > 0 {
        return Err(in_use(ResourceKind::SecurityProfile, id, holders(users)));
    }
    tags::delete_all(conn, ResourceKind::SecurityProfile, id)?;
    conn.prepare_cached("DELETE FROM security_profiles WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
