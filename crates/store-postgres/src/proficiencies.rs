//! Predefined attributes (values and purposes in order) and user proficiencies.

use roster_domain::arn::ResourceKind;
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{duplicate, in_use, limit, missing, not_found};
use roster_store::PageRequest;
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, query, query_one, query_opt, Tx};
use crate::error::{on_unique, Result};
use crate::scope;

const COLUMNS: &str = "a.name, a.enable_value_validation, a.modified_ms, a.modified_region, \
     ARRAY(SELECT v.value FROM predefined_attribute_values v \
           WHERE v.instance_id = a.instance_id AND v.name = a.name ORDER BY v.position), \
     ARRAY(SELECT p.purpose FROM predefined_attribute_purposes p \
           WHERE p.instance_id = a.instance_id AND p.name = a.name ORDER BY p.position)";

fn from_row(row: &Row) -> Result<PredefinedAttribute> {
    Ok(PredefinedAttribute {
        name: row.try_get(0)?,
        enable_value_validation_on_association: row.try_get(1)?,
        modified: Modified {
            time: Timestamp(row.try_get(2)?),
            region: row.try_get(3)?,
        },
        values: row.try_get(4)?,
        purposes: row.try_get(5)?,
    })
}

async fn load(tx: &Tx<'_>, instance_id: &str, name: &str) -> Result<PredefinedAttribute> {
    let sql = format!(
        "SELECT {COLUMNS} FROM predefined_attributes a WHERE a.instance_id = $1 AND a.name = $2"
    );
    match query_opt(tx, &sql, &[&instance_id, &name]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::PredefinedAttribute, name)),
    }
}

async fn write_lists(tx: &Tx<'_>, instance_id: &str, a: &PredefinedAttribute) -> Result<()> {
    for (table, column, list) in [
        ("predefined_attribute_values", "value", &a.values),
        ("predefined_attribute_purposes", "purpose", &a.purposes),
    ] {
        execute(
            tx,
            &format!("DELETE FROM {table} WHERE instance_id = $1 AND name = $2"),
            &[&instance_id, &a.name],
        )
        .await?;
        let insert = format!(
            "INSERT INTO {table} (instance_id, name, position, {column}) VALUES ($1, $2, $3, $4)"
        );
        for (i, v) in list.iter().enumerate() {
            execute(tx, &insert, &[&instance_id, &a.name, &(i as i64), v]).await?;
        }
    }
    Ok(())
}

pub(crate) async fn create(tx: &Tx<'_>, at: &InstanceRef, a: &PredefinedAttribute) -> Result<()> {
    scope::check(tx, at).await?;
    let taken_name = || format!("Predefined attribute with name '{}'", a.name);
    let taken = exists(
        tx,
        "SELECT 1 FROM predefined_attributes WHERE instance_id = $1 AND name = $2",
        &[&at.instance_id, &a.name],
    )
    .await?;
    if taken {
        return Err(duplicate(taken_name()));
    }
    execute_raw(
        tx,
        "INSERT INTO predefined_attributes (instance_id, name, enable_value_validation, modified_ms, modified_region) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &at.instance_id,
            &a.name,
            &a.enable_value_validation_on_association,
            &a.modified.time.0,
            &a.modified.region,
        ],
    )
    .await?
    .map_err(|e| on_unique(e, "predefined_attributes_pkey", taken_name))?;
    write_lists(tx, &at.instance_id, a).await
}

pub(crate) async fn get(tx: &Tx<'_>, at: &InstanceRef, name: &str) -> Result<PredefinedAttribute> {
    scope::check(tx, at).await?;
    load(tx, &at.instance_id, name).await
}

pub(crate) async fn list(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<PredefinedAttribute>> {
    scope::check(tx, at).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM predefined_attributes a WHERE a.instance_id = $1 AND a.name > $2 \
         ORDER BY a.name LIMIT $3"
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

/// A user of the instance holding `name` (with `value`, when given), if any.
async fn held(
    tx: &Tx<'_>,
    instance_id: &str,
    name: &str,
    value: Option<&str>,
) -> Result<Option<String>> {
    let row = match value {
        Some(v) => {
            query_opt(
                tx,
                "SELECT user_id FROM user_proficiencies WHERE instance_id = $1 AND attribute_name = $2 \
                 AND attribute_value = $3 LIMIT 1",
                &[&instance_id, &name, &v],
            )
            .await?
        }
        None => {
            query_opt(
                tx,
                "SELECT user_id FROM user_proficiencies WHERE instance_id = $1 AND attribute_name = $2 LIMIT 1",
                &[&instance_id, &name],
            )
            .await?
        }
    };
    Ok(match row {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

pub(crate) async fn update(tx: &Tx<'_>, at: &InstanceRef, a: &PredefinedAttribute) -> Result<()> {
    scope::check(tx, at).await?;
    let before = load(tx, &at.instance_id, &a.name).await?;
    for removed in before.values.iter().filter(|v| !a.values.contains(v)) {
        if let Some(user) = held(tx, &at.instance_id, &a.name, Some(removed)).await? {
            return Err(in_use(
                ResourceKind::PredefinedAttribute,
                &a.name,
                format!("user {user} holds a proficiency in its value {removed:?}"),
            ));
        }
    }
    execute(
        tx,
        "UPDATE predefined_attributes SET enable_value_validation = $3, modified_ms = $4, modified_region = $5 \
         WHERE instance_id = $1 AND name = $2",
        &[
            &at.instance_id,
            &a.name,
            &a.enable_value_validation_on_association,
            &a.modified.time.0,
            &a.modified.region,
        ],
    )
    .await?;
    write_lists(tx, &at.instance_id, a).await
}

pub(crate) async fn delete(tx: &Tx<'_>, at: &InstanceRef, name: &str) -> Result<()> {
    scope::check(tx, at).await?;
    load(tx, &at.instance_id, name).await?;
    if let Some(user) = held(tx, &at.instance_id, name, None).await? {
        return Err(in_use(
            ResourceKind::PredefinedAttribute,
            name,
            format!("user {user} holds a proficiency in it"),
        ));
    }
    execute(
        tx,
        "DELETE FROM predefined_attributes WHERE instance_id = $1 AND name = $2",
        &[&at.instance_id, &name],
    )
    .await?;
    Ok(())
}

async fn user_exists(tx: &Tx<'_>, at: &InstanceRef, user_id: &str, lock: bool) -> Result<()> {
    let sql = if lock {
        "SELECT 1 FROM users WHERE id = $1 AND instance_id = $2 FOR UPDATE"
    } else {
        "SELECT 1 FROM users WHERE id = $1 AND instance_id = $2"
    };
    if exists(tx, sql, &[&user_id, &at.instance_id]).await? {
        Ok(())
    } else {
        Err(not_found(ResourceKind::User, user_id))
    }
}

async fn load_proficiencies(tx: &Tx<'_>, user_id: &str) -> Result<Vec<UserProficiency>> {
    let rows = query(
        tx,
        "SELECT attribute_name, attribute_value, level FROM user_proficiencies WHERE user_id = $1 \
         ORDER BY attribute_name, attribute_value",
        &[&user_id],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UserProficiency {
                attribute_name: r.try_get(0)?,
                attribute_value: r.try_get(1)?,
                level: r.try_get(2)?,
            })
        })
        .collect()
}

pub(crate) async fn change(
    tx: &Tx<'_>,
    at: &InstanceRef,
    user_id: &str,
    change: &ProficiencyChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(tx, at).await?;
    // The user's row is the lock that orders changes of its proficiencies.
    user_exists(tx, at, user_id, true).await?;
    let added: &[UserProficiency] = match change {
        ProficiencyChange::Associate(l) | ProficiencyChange::Update(l) => l,
        ProficiencyChange::Disassociate(_) => &[],
    };
    for p in added {
        let known = exists(
            tx,
            "SELECT 1 FROM predefined_attribute_values WHERE instance_id = $1 AND name = $2 AND value = $3",
            &[&at.instance_id, &p.attribute_name, &p.attribute_value],
        )
        .await?;
        if !known {
            return Err(missing(
                ResourceKind::PredefinedAttribute,
                &format!("{}={}", p.attribute_name, p.attribute_value),
            ));
        }
    }
    let mut list = load_proficiencies(tx, user_id).await?;
    change.apply(&mut list)?;
    execute(
        tx,
        "DELETE FROM user_proficiencies WHERE user_id = $1",
        &[&user_id],
    )
    .await?;
    for p in &list {
        execute(
            tx,
            "INSERT INTO user_proficiencies (user_id, instance_id, attribute_name, attribute_value, level) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &user_id,
                &at.instance_id,
                &p.attribute_name,
                &p.attribute_value,
                &p.level,
            ],
        )
        .await?;
    }
    execute(
        tx,
        "UPDATE users SET proficiencies_modified_ms = $2, proficiencies_modified_region = $3 WHERE id = $1",
        &[&user_id, &modified.time.0, &modified.region],
    )
    .await?;
    Ok(())
}

pub(crate) async fn list_for_user(
    tx: &Tx<'_>,
    at: &InstanceRef,
    user_id: &str,
) -> Result<(Vec<UserProficiency>, Option<Modified>)> {
    scope::check(tx, at).await?;
    user_exists(tx, at, user_id, false).await?;
    let stamp = query_one(
        tx,
        "SELECT proficiencies_modified_ms, proficiencies_modified_region FROM users WHERE id = $1",
        &[&user_id],
    )
    .await?;
    let ms: Option<i64> = stamp.try_get(0)?;
    let region: Option<String> = stamp.try_get(1)?;
    let modified = match (ms, region) {
        (Some(ms), Some(region)) => Some(Modified {
            time: Timestamp(ms),
            region,
        }),
        _ => None,
    };
    Ok((load_proficiencies(tx, user_id).await?, modified))
}
