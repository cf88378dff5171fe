//! Security profiles: the profile row, and one table for each list it keeps
//! (permissions, access-control tags, restricted resources, applications and their
//! permissions, flow modules, AI agents, primary-attribute values and their values).
//! The lists of a page of profiles are read with one statement per table; an update
//! rewrites the row and every list.

use std::collections::HashMap;

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
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
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
pub(crate) async fn create(tx: &Tx<'_>, at: &InstanceRef, p: &SecurityProfile) -> Result<()> {
    scope::check(tx, at).await?;
    insert(tx, &at.instance_id, p).await
}

/// Inserts a profile of an instance known to exist (also for a new instance's
/// defaults).
pub(crate) async fn insert(tx: &Tx<'_>, instance_id: &str, p: &SecurityProfile) -> Result<()> {
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
    check_group(tx, instance_id, p).await?;
    let depth = p
        .granular_access_control
        .as_ref()
        .map(|g| i64::from(g.depth()));
    execute_raw(
        tx,
        "INSERT INTO security_profiles (id, instance_id, name, description, allowed_hierarchy_group_id, \
         granular_depth, modified_ms, modified_region) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &p.id,
            &instance_id,
            &p.name,
            &p.description,
            &p.allowed_access_control_hierarchy_group_id,
            &depth,
            &p.modified.time.0,
            &p.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "security_profiles_name_unique", taken_name))?;
    insert_lists(tx, p).await?;
    tags::insert_new(
        tx,
        instance_id,
        ResourceKind::SecurityProfile,
        &p.id,
        &p.tags,
    )
    .await
}

/// `MissingReference` unless the hierarchy group the profile restricts access to is
/// a group of the instance.
async fn check_group(tx: &Tx<'_>, instance_id: &str, p: &SecurityProfile) -> Result<()> {
    if let Some(group) = &p.allowed_access_control_hierarchy_group_id {
        if !scope::exists_in(tx, "hierarchy_groups", instance_id, group).await? {
            return Err(missing(ResourceKind::HierarchyGroup, group));
        }
    }
    Ok(())
}

fn positions(n: usize) -> Vec<i64> {
    (0..n as i64).collect()
}

async fn insert_lists(tx: &Tx<'_>, p: &SecurityProfile) -> Result<()> {
    let id = &p.id;
    let permissions = p.permissions.as_slice();
    if !permissions.is_empty() {
        // One statement for the whole list: a new instance's Admin profile has
        // hundreds.
        execute(
            tx,
            "INSERT INTO security_profile_permissions (security_profile_id, position, permission) \
             SELECT $1, x.position, x.permission FROM unnest($2::bigint[], $3::text[]) AS x(position, permission)",
            &[id, &positions(permissions.len()), &permissions],
        )
        .await?;
    }
    for (k, v) in &p.allowed_access_control_tags {
        execute(
            tx,
            "INSERT INTO security_profile_access_tags (security_profile_id, key, value) VALUES ($1, $2, $3)",
            &[id, k, v],
        )
        .await?;
    }
    for (kind, list) in [
        (TAG_RESTRICTED, &p.tag_restricted_resources),
        (HIERARCHY_RESTRICTED, &p.hierarchy_restricted_resources),
    ] {
        for (i, r) in list.as_slice().iter().enumerate() {
            execute(
                tx,
                "INSERT INTO security_profile_restricted_resources (security_profile_id, kind, position, resource) \
                 VALUES ($1, $2, $3, $4)",
                &[id, &kind, &(i as i64), r],
            )
            .await?;
        }
    }
    for (i, a) in p.applications.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO security_profile_applications (security_profile_id, position, namespace, application_type) \
             VALUES ($1, $2, $3, $4)",
            &[id, &(i as i64), &a.namespace, &a.application_type],
        )
        .await?;
        execute(
            tx,
            "INSERT INTO security_profile_application_permissions (security_profile_id, application, position, permission) \
             SELECT $1, $2, x.position, x.permission FROM unnest($3::bigint[], $4::text[]) AS x(position, permission)",
            &[id, &(i as i64), &positions(a.permissions.len()), &a.permissions],
        )
        .await?;
    }
    for (i, m) in p.allowed_flow_modules.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO security_profile_flow_modules (security_profile_id, position, flow_module_id, module_type) \
             VALUES ($1, $2, $3, $4)",
            &[id, &(i as i64), &m.flow_module_id, &m.module_type],
        )
        .await?;
    }
    for (i, a) in p.allowed_ai_agents.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO security_profile_ai_agents (security_profile_id, position, arn, agent_type) \
             VALUES ($1, $2, $3, $4)",
            &[id, &(i as i64), &a.arn, &a.agent_type],
        )
        .await?;
    }
    if let Some(g) = &p.granular_access_control {
        for (i, v) in g.values().iter().enumerate() {
            execute(
                tx,
                "INSERT INTO security_profile_primary_attributes (security_profile_id, position, attribute_name, access_type) \
                 VALUES ($1, $2, $3, $4)",
                &[id, &(i as i64), &v.attribute_name, &v.access_type],
            )
            .await?;
            execute(
                tx,
                "INSERT INTO security_profile_primary_attribute_values (security_profile_id, attribute, position, value) \
                 SELECT $1, $2, x.position, x.value FROM unnest($3::bigint[], $4::text[]) AS x(position, value)",
                &[id, &(i as i64), &positions(v.values.len()), &v.values],
            )
            .await?;
        }
    }
    Ok(())
}

/// The lists of one profile, as read.
#[derive(Default)]
struct Lists {
    permissions: Vec<String>,
    access_tags: Tags,
    tag_restricted: Vec<String>,
    hierarchy_restricted: Vec<String>,
    applications: Vec<Application>,
    flow_modules: Vec<FlowModule>,
    ai_agents: Vec<AiAgent>,
    /// (attribute name, access type, values)
    primary: Vec<(String, Option<String>, Vec<String>)>,
    tags: Tags,
}

/// Rows of `sql` (whose first column is the profile id) for the profiles `ids`.
async fn rows_for(tx: &Tx<'_>, sql: &str, ids: &[String]) -> Result<Vec<Row>> {
    query(tx, sql, &[&ids]).await
}

/// The lists of the profiles `ids`, each read with one statement per table.
async fn load_lists(tx: &Tx<'_>, ids: &[String]) -> Result<HashMap<String, Lists>> {
    let mut all: HashMap<String, Lists> = ids
        .iter()
        .map(|id| (id.clone(), Lists::default()))
        .collect();
    fn entry(all: &mut HashMap<String, Lists>, id: String) -> Result<&mut Lists> {
        match all.get_mut(&id) {
            Some(l) => Ok(l),
            None => Err(corrupt(format!("a list row of unknown security profile {id}")).into()),
        }
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, permission FROM security_profile_permissions \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, position",
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?
            .permissions
            .push(r.try_get(1)?);
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, key, value FROM security_profile_access_tags \
         WHERE security_profile_id = ANY($1)",
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?
            .access_tags
            .insert(r.try_get(1)?, r.try_get(2)?);
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, kind, resource FROM security_profile_restricted_resources \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, kind, position",
        ids,
    )
    .await?
    {
        let kind: String = r.try_get(1)?;
        let l = entry(&mut all, r.try_get(0)?)?;
        match kind.as_str() {
            TAG_RESTRICTED => l.tag_restricted.push(r.try_get(2)?),
            HIERARCHY_RESTRICTED => l.hierarchy_restricted.push(r.try_get(2)?),
            other => return Err(corrupt(format!("restricted resource kind {other:?}")).into()),
        }
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, namespace, application_type FROM security_profile_applications \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, position",
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?.applications.push(Application {
            namespace: r.try_get(1)?,
            permissions: Vec::new(),
            application_type: r.try_get(2)?,
        });
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, application, permission FROM security_profile_application_permissions \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, application, position",
        ids,
    )
    .await?
    {
        let id: String = r.try_get(0)?;
        let app: i64 = r.try_get(1)?;
        let l = entry(&mut all, id.clone())?;
        let app = usize::try_from(app)
            .ok()
            .and_then(|i| l.applications.get_mut(i))
            .ok_or_else(|| corrupt(format!("application {app} of security profile {id}")))?;
        app.permissions.push(r.try_get(2)?);
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, flow_module_id, module_type FROM security_profile_flow_modules \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, position",
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?.flow_modules.push(FlowModule {
            flow_module_id: r.try_get(1)?,
            module_type: r.try_get(2)?,
        });
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, arn, agent_type FROM security_profile_ai_agents \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, position",
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?.ai_agents.push(AiAgent {
            arn: r.try_get(1)?,
            agent_type: r.try_get(2)?,
        });
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, attribute_name, access_type FROM security_profile_primary_attributes \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, position",
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?
            .primary
            .push((r.try_get(1)?, r.try_get(2)?, Vec::new()));
    }
    for r in rows_for(
        tx,
        "SELECT security_profile_id, attribute, value FROM security_profile_primary_attribute_values \
         WHERE security_profile_id = ANY($1) ORDER BY security_profile_id, attribute, position",
        ids,
    )
    .await?
    {
        let id: String = r.try_get(0)?;
        let attr: i64 = r.try_get(1)?;
        let l = entry(&mut all, id.clone())?;
        let attr = usize::try_from(attr)
            .ok()
            .and_then(|i| l.primary.get_mut(i))
            .ok_or_else(|| corrupt(format!("primary attribute {attr} of security profile {id}")))?;
        attr.2.push(r.try_get(2)?);
    }
    for r in rows_for(
        tx,
        &format!(
            "SELECT resource_id, key, value FROM tags WHERE resource_kind = '{}' AND resource_id = ANY($1)",
            ResourceKind::SecurityProfile.as_str()
        ),
        ids,
    )
    .await?
    {
        entry(&mut all, r.try_get(0)?)?.tags.insert(r.try_get(1)?, r.try_get(2)?);
    }
    Ok(all)
}

const COLUMNS: &str =
    "p.id, p.name, p.description, p.allowed_hierarchy_group_id, p.granular_depth, \
                       p.modified_ms, p.modified_region";

/// The profiles of `rows` (of [`COLUMNS`]) with their lists.
async fn with_lists(tx: &Tx<'_>, rows: Vec<Row>) -> Result<Vec<SecurityProfile>> {
    let ids = rows
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<Vec<String>, _>>()?;
    let mut lists = load_lists(tx, &ids).await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get(0)?;
            let l = lists.remove(&id).unwrap_or_default();
            let depth: Option<i64> = row.try_get(4)?;
            let granular = match depth {
                None => None,
                Some(depth) => {
                    let values = l
                        .primary
                        .into_iter()
                        .map(|(name, access, vals)| {
                            PrimaryAttributeValue::from_stored(access, name, vals)
                        })
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
                name: row.try_get(1)?,
                description: row.try_get(2)?,
                permissions: Permissions::from_stored(l.permissions),
                allowed_access_control_tags: l.access_tags,
                tag_restricted_resources: RestrictedResources::from_stored(l.tag_restricted),
                allowed_access_control_hierarchy_group_id: row.try_get(3)?,
                hierarchy_restricted_resources: RestrictedResources::from_stored(
                    l.hierarchy_restricted,
                ),
                applications: l.applications,
                allowed_flow_modules: l.flow_modules,
                allowed_ai_agents: l.ai_agents,
                granular_access_control: granular,
                tags: l.tags,
                modified: Modified {
                    time: Timestamp(row.try_get(5)?),
                    region: row.try_get(6)?,
                },
                id,
            })
        })
        .collect()
}

pub(crate) async fn get(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<SecurityProfile> {
    scope::check(tx, at).await?;
    let sql =
        format!("SELECT {COLUMNS} FROM security_profiles p WHERE p.id = $1 AND p.instance_id = $2");
    match query_opt(tx, &sql, &[&id, &at.instance_id]).await? {
        Some(row) => Ok(with_lists(tx, vec![row])
            .await?
            .pop()
            .expect("one row, one profile")),
        None => Err(not_found(ResourceKind::SecurityProfile, id)),
    }
}

pub(crate) async fn list(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<SecurityProfile>> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM security_profiles p WHERE p.instance_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3"
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
    with_lists(tx, rows).await
}

pub(crate) async fn update(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    update: &SecurityProfileUpdate,
) -> Result<()> {
    let mut p = get(tx, at, id).await?;
    update.apply(&mut p);
    check_group(tx, &at.instance_id, &p).await?;
    let depth = p
        .granular_access_control
        .as_ref()
        .map(|g| i64::from(g.depth()));
    execute(
        tx,
        "UPDATE security_profiles SET description = $2, allowed_hierarchy_group_id = $3, granular_depth = $4, \
         modified_ms = $5, modified_region = $6 WHERE id = $1",
        &[
            &p.id,
            &p.description,
            &p.allowed_access_control_hierarchy_group_id,
            &depth,
            &p.modified.time.0,
            &p.modified.region,
        ],
    )
    .await?;
    for table in LIST_TABLES {
        execute(
            tx,
            &format!("DELETE FROM {table} WHERE security_profile_id = $1"),
            &[&id],
        )
        .await?;
    }
    insert_lists(tx, &p).await
}

pub(crate) async fn delete(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
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
