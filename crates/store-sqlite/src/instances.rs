//! Instances and their attributes.

use roster_domain::arn::ResourceKind;
use roster_domain::instance::{IdentityManagementType, Instance, InstanceAttributeType};
use roster_domain::{InstanceRef, Scope, Timestamp};
use roster_store::sql::{corrupt, duplicate, limit, not_found};
use roster_store::{NewInstance, PageRequest};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::{hours, queues, routing, scope, security_profiles, tags};

const COLUMNS: &str =
    "id, account_id, region, identity_management_type, alias, directory_id, created_ms, \
                       inbound_calls_enabled, outbound_calls_enabled";

fn from_row(row: &Row<'_>) -> Result<Instance> {
    let idm: String = row.get(3)?;
    Ok(Instance {
        id: row.get(0)?,
        scope: Scope {
            account_id: row.get(1)?,
            region: row.get(2)?,
        },
        identity_management_type: IdentityManagementType::parse(&idm)
            .map_err(|_| corrupt(format!("identity management type {idm:?}")))?,
        alias: row.get(4)?,
        directory_id: row.get(5)?,
        created_time: Timestamp(row.get(6)?),
        inbound_calls_enabled: row.get(7)?,
        outbound_calls_enabled: row.get(8)?,
    })
}

pub(crate) fn load(conn: &Connection, scope: &Scope, id: &str) -> Result<Instance> {
    let sql = format!(
        "SELECT {COLUMNS} FROM instances WHERE id = ?1 AND account_id = ?2 AND region = ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, scope.account_id, scope.region])?;
    match rows.next()? {
        Some(row) => from_row(row),
        None => Err(not_found(ResourceKind::Instance, id)),
    }
}

pub(crate) fn list(conn: &Connection, scope: &Scope, page: &PageRequest) -> Result<Vec<Instance>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM instances WHERE account_id = ?1 AND region = ?2 AND id > ?3 ORDER BY id LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        scope.account_id,
        scope.region,
        page.after.as_deref().unwrap_or(""),
        limit(page)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(row)?);
    }
    Ok(out)
}

pub(crate) fn scopes(conn: &Connection) -> Result<Vec<Scope>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT account_id, region FROM instances ORDER BY account_id, region",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Scope {
            account_id: r.get(0)?,
            region: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn create(conn: &Connection, new: &NewInstance) -> Result<()> {
    let i = &new.instance;
    if let Some(alias) = &i.alias {
        let taken = conn
            .prepare_cached(
                "SELECT 1 FROM instances WHERE account_id = ?1 AND region = ?2 AND alias = ?3",
            )?
            .exists(params![i.scope.account_id, i.scope.region, alias])?;
        if taken {
            return Err(duplicate(format!("Instance with alias '{alias}'")));
        }
    }
    let id_taken = conn
        .prepare_cached("SELECT 1 FROM instances WHERE id = ?1")?
        .exists([&i.id])?;
    if id_taken {
        return Err(duplicate(format!("Instance with id '{}'", i.id)));
    }
    conn.prepare_cached(
        "INSERT INTO instances (id, account_id, region, identity_management_type, alias, directory_id, \
         created_ms, inbound_calls_enabled, outbound_calls_enabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        i.id,
        i.scope.account_id,
        i.scope.region,
        i.identity_management_type.as_str(),
        i.alias,
        i.directory_id,
        i.created_time.0,
        i.inbound_calls_enabled,
        i.outbound_calls_enabled,
    ])?;
    tags::insert_new(conn, &i.id, ResourceKind::Instance, &i.id, &new.tags)?;
    for (attribute, value) in &new.attributes {
        write_attribute(conn, &i.id, *attribute, *value)?;
    }
    for h in &new.hours_of_operation {
        hours::insert(conn, &i.id, h)?;
    }
    for q in &new.queues {
        queues::insert(conn, &i.id, q)?;
    }
    for p in &new.routing_profiles {
        routing::insert_routing_profile(conn, &i.id, p)?;
    }
    for p in &new.security_profiles {
        security_profiles::insert(conn, &i.id, p)?;
    }
    Ok(())
}

pub(crate) fn delete(conn: &Connection, scope: &Scope, id: &str) -> Result<()> {
    let at = InstanceRef {
        scope: scope.clone(),
        instance_id: id.to_string(),
    };
    scope::check(conn, &at)?;
    // Every table of the instance cascades from the instance row.
    conn.prepare_cached("DELETE FROM instances WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

fn attribute_value(
    conn: &Connection,
    at: &InstanceRef,
    attribute: InstanceAttributeType,
) -> Result<bool> {
    let instance = load(conn, &at.scope, &at.instance_id)?;
    stored_or_default(conn, &instance, attribute)
}

fn stored_or_default(
    conn: &Connection,
    instance: &Instance,
    attribute: InstanceAttributeType,
) -> Result<bool> {
    match attribute {
        InstanceAttributeType::InboundCalls => return Ok(instance.inbound_calls_enabled),
        InstanceAttributeType::OutboundCalls => return Ok(instance.outbound_calls_enabled),
        _ => {}
    }
    let stored: Option<bool> = conn
        .prepare_cached(
            "SELECT value FROM instance_attributes WHERE instance_id = ?1 AND attribute = ?2",
        )?
        .query_row(params![instance.id, attribute.as_str()], |r| r.get(0))
        .optional()?;
    Ok(stored.unwrap_or_else(|| {
        attribute.default_value(
            instance.inbound_calls_enabled,
            instance.outbound_calls_enabled,
        )
    }))
}

pub(crate) fn get_attribute(
    conn: &Connection,
    at: &InstanceRef,
    attribute: &InstanceAttributeType,
) -> Result<bool> {
    attribute_value(conn, at, *attribute)
}

pub(crate) fn list_attributes(
    conn: &Connection,
    at: &InstanceRef,
) -> Result<Vec<(InstanceAttributeType, bool)>> {
    let instance = load(conn, &at.scope, &at.instance_id)?;
    InstanceAttributeType::ALL
        .into_iter()
        .map(|a| Ok((a, stored_or_default(conn, &instance, a)?)))
        .collect()
}

pub(crate) fn set_attribute(
    conn: &Connection,
    at: &InstanceRef,
    attribute: &InstanceAttributeType,
    value: &bool,
) -> Result<()> {
    scope::check(conn, at)?;
    write_attribute(conn, &at.instance_id, *attribute, *value)
}

/// INBOUND_CALLS and OUTBOUND_CALLS are the instance's own flags; the others are
/// rows of `instance_attributes`.
fn write_attribute(
    conn: &Connection,
    instance_id: &str,
    attribute: InstanceAttributeType,
    value: bool,
) -> Result<()> {
    match attribute {
        InstanceAttributeType::InboundCalls => {
            conn.prepare_cached("UPDATE instances SET inbound_calls_enabled = ?2 WHERE id = ?1")?
                .execute(params![instance_id, value])?;
        }
        InstanceAttributeType::OutboundCalls => {
            conn.prepare_cached("UPDATE instances SET outbound_calls_enabled = ?2 WHERE id = ?1")?
                .execute(params![instance_id, value])?;
        }
        _ => {
            conn.prepare_cached(
                "INSERT INTO instance_attributes (instance_id, attribute, value) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (instance_id, attribute) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![instance_id, attribute.as_str(), value])?;
        }
    }
    Ok(())
}
