//! Instances and their attributes.

use roster_domain::arn::ResourceKind;
use roster_domain::instance::{IdentityManagementType, Instance, InstanceAttributeType};
use roster_domain::{InstanceRef, Scope, Timestamp};
use roster_store::sql::{corrupt, duplicate, limit, not_found};
use roster_store::{NewInstance, PageRequest};
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::{hours, queues, routing, scope, security_profiles, tags};

const COLUMNS: &str =
    "id, account_id, region, identity_management_type, alias, directory_id, created_ms, \
     inbound_calls_enabled, outbound_calls_enabled";

fn from_row(row: &Row) -> Result<Instance> {
    let idm: String = row.try_get(3)?;
    Ok(Instance {
        id: row.try_get(0)?,
        scope: Scope {
            account_id: row.try_get(1)?,
            region: row.try_get(2)?,
        },
        identity_management_type: IdentityManagementType::parse(&idm)
            .map_err(|_| corrupt(format!("identity management type {idm:?}")))?,
        alias: row.try_get(4)?,
        directory_id: row.try_get(5)?,
        created_time: Timestamp(row.try_get(6)?),
        inbound_calls_enabled: row.try_get(7)?,
        outbound_calls_enabled: row.try_get(8)?,
    })
}

pub(crate) async fn load(tx: &Tx<'_>, scope: &Scope, id: &str) -> Result<Instance> {
    let sql = format!(
        "SELECT {COLUMNS} FROM instances WHERE id = $1 AND account_id = $2 AND region = $3"
    );
    match query_opt(tx, &sql, &[&id, &scope.account_id, &scope.region]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::Instance, id)),
    }
}

pub(crate) async fn list(tx: &Tx<'_>, scope: &Scope, page: &PageRequest) -> Result<Vec<Instance>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM instances WHERE account_id = $1 AND region = $2 AND id > $3 \
         ORDER BY id LIMIT $4"
    );
    let rows = query(
        tx,
        &sql,
        &[
            &scope.account_id,
            &scope.region,
            &page.after.as_deref().unwrap_or(""),
            &limit(page),
        ],
    )
    .await?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn scopes(tx: &Tx<'_>) -> Result<Vec<Scope>> {
    let rows = query(
        tx,
        "SELECT DISTINCT account_id, region FROM instances ORDER BY account_id, region",
        &[],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Scope {
                account_id: r.try_get(0)?,
                region: r.try_get(1)?,
            })
        })
        .collect()
}

pub(crate) async fn create(tx: &Tx<'_>, new: &NewInstance) -> Result<()> {
    let i = &new.instance;
    let alias_taken = || format!("Instance with alias '{}'", i.alias.as_deref().unwrap_or(""));
    if let Some(alias) = &i.alias {
        let taken = exists(
            tx,
            "SELECT 1 FROM instances WHERE account_id = $1 AND region = $2 AND alias = $3",
            &[&i.scope.account_id, &i.scope.region, alias],
        )
        .await?;
        if taken {
            return Err(duplicate(alias_taken()));
        }
    }
    if exists(tx, "SELECT 1 FROM instances WHERE id = $1", &[&i.id]).await? {
        return Err(duplicate(format!("Instance with id '{}'", i.id)));
    }
    execute_raw(
        tx,
        "INSERT INTO instances (id, account_id, region, identity_management_type, alias, directory_id, \
         created_ms, inbound_calls_enabled, outbound_calls_enabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &i.id,
            &i.scope.account_id,
            &i.scope.region,
            &i.identity_management_type.as_str(),
            &i.alias,
            &i.directory_id,
            &i.created_time.0,
            &i.inbound_calls_enabled,
            &i.outbound_calls_enabled,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "instances_alias_unique", alias_taken))?;
    execute(
        tx,
        "INSERT INTO instance_user_slots (instance_id, slot, used) \
         SELECT $1, s::SMALLINT, 0 FROM generate_series(0, $2::INTEGER - 1) AS s",
        &[&i.id, &i32::from(crate::users::QUOTA_SLOTS)],
    )
    .await?;
    tags::insert_new(tx, &i.id, ResourceKind::Instance, &i.id, &new.tags).await?;
    for (attribute, value) in &new.attributes {
        write_attribute(tx, &i.id, *attribute, *value).await?;
    }
    for h in &new.hours_of_operation {
        hours::insert(tx, &i.id, h).await?;
    }
    for q in &new.queues {
        queues::insert(tx, &i.id, q).await?;
    }
    for p in &new.routing_profiles {
        routing::insert_routing_profile(tx, &i.id, p).await?;
    }
    for p in &new.security_profiles {
        security_profiles::insert(tx, &i.id, p).await?;
    }
    Ok(())
}

pub(crate) async fn delete(tx: &Tx<'_>, scope: &Scope, id: &str) -> Result<()> {
    let at = InstanceRef {
        scope: scope.clone(),
        instance_id: id.to_string(),
    };
    scope::check(tx, &at).await?;
    // Every table of the instance cascades from the instance row.
    execute(tx, "DELETE FROM instances WHERE id = $1", &[&id]).await?;
    Ok(())
}

async fn stored_or_default(
    tx: &Tx<'_>,
    instance: &Instance,
    attribute: InstanceAttributeType,
) -> Result<bool> {
    match attribute {
        InstanceAttributeType::InboundCalls => return Ok(instance.inbound_calls_enabled),
        InstanceAttributeType::OutboundCalls => return Ok(instance.outbound_calls_enabled),
        _ => {}
    }
    let stored = query_opt(
        tx,
        "SELECT value FROM instance_attributes WHERE instance_id = $1 AND attribute = $2",
        &[&instance.id, &attribute.as_str()],
    )
    .await?;
    Ok(match stored {
        Some(row) => row.try_get(0)?,
        None => attribute.default_value(
            instance.inbound_calls_enabled,
            instance.outbound_calls_enabled,
        ),
    })
}

pub(crate) async fn get_attribute(
    tx: &Tx<'_>,
    at: &InstanceRef,
    attribute: &InstanceAttributeType,
) -> Result<bool> {
    let instance = load(tx, &at.scope, &at.instance_id).await?;
    stored_or_default(tx, &instance, *attribute).await
}

pub(crate) async fn list_attributes(
    tx: &Tx<'_>,
    at: &InstanceRef,
) -> Result<Vec<(InstanceAttributeType, bool)>> {
    let instance = load(tx, &at.scope, &at.instance_id).await?;
    let rows = query(
        tx,
        "SELECT attribute, value FROM instance_attributes WHERE instance_id = $1",
        &[&instance.id],
    )
    .await?;
    let mut stored = Vec::with_capacity(rows.len());
    for row in &rows {
        stored.push((row.try_get::<_, String>(0)?, row.try_get::<_, bool>(1)?));
    }
    Ok(InstanceAttributeType::ALL
        .into_iter()
        .map(|a| {
            let value = match a {
                InstanceAttributeType::InboundCalls => instance.inbound_calls_enabled,
                InstanceAttributeType::OutboundCalls => instance.outbound_calls_enabled,
                _ => stored
                    .iter()
                    .find(|(name, _)| name == a.as_str())
                    .map(|(_, v)| *v)
                    .unwrap_or_else(|| {
                        a.default_value(
                            instance.inbound_calls_enabled,
                            instance.outbound_calls_enabled,
                        )
                    }),
            };
            (a, value)
        })
        .collect())
}

pub(crate) async fn set_attribute(
    tx: &Tx<'_>,
    at: &InstanceRef,
    attribute: &InstanceAttributeType,
    value: &bool,
) -> Result<()> {
    scope::check(tx, at).await?;
    write_attribute(tx, &at.instance_id, *attribute, *value).await
}

/// INBOUND_CALLS and OUTBOUND_CALLS are the instance's own flags; the others are
/// rows of `instance_attributes`.
async fn write_attribute(
    tx: &Tx<'_>,
    instance_id: &str,
    attribute: InstanceAttributeType,
    value: bool,
) -> Result<()> {
    match attribute {
        InstanceAttributeType::InboundCalls => {
            execute(
                tx,
                "UPDATE instances SET inbound_calls_enabled = $2 WHERE id = $1",
                &[&instance_id, &value],
            )
            .await?;
        }
        InstanceAttributeType::OutboundCalls => {
            execute(
                tx,
                "UPDATE instances SET outbound_calls_enabled = $2 WHERE id = $1",
                &[&instance_id, &value],
            )
            .await?;
        }
        _ => {
            execute(
                tx,
                "INSERT INTO instance_attributes (instance_id, attribute, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (instance_id, attribute) DO UPDATE SET value = excluded.value",
                &[&instance_id, &attribute.as_str(), &value],
            )
            .await?;
        }
    }
    Ok(())
}
