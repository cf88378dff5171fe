//! Predefined attributes (values and purposes in order) and user proficiencies.

use roster_domain::arn::ResourceKind;
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Timestamp};
use roster_store::sql::{duplicate, in_use, limit, missing, not_found};
use roster_store::PageRequest;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::scope;

fn strings(
    conn: &Connection,
    table: &str,
    column: &str,
    instance_id: &str,
    name: &str,
) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT {column} FROM {table} WHERE instance_id = ?1 AND name = ?2 ORDER BY position"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![instance_id, name], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

fn load(conn: &Connection, instance_id: &str, name: &str) -> Result<PredefinedAttribute> {
    let row = conn
        .prepare_cached(
            "SELECT enable_value_validation, modified_ms, modified_region FROM predefined_attributes \
             WHERE instance_id = ?1 AND name = ?2",
        )?
        .query_row(params![instance_id, name], |r| {
            Ok((r.get::<_, Option<bool>>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    let Some((validation, ms, region)) = row else {
        return Err(not_found(ResourceKind::PredefinedAttribute, name));
    };
    Ok(PredefinedAttribute {
        name: name.to_string(),
        values: strings(
            conn,
            "predefined_attribute_values",
            "value",
            instance_id,
            name,
        )?,
        purposes: strings(
            conn,
            "predefined_attribute_purposes",
            "purpose",
            instance_id,
            name,
        )?,
        enable_value_validation_on_association: validation,
        modified: Modified {
            time: Timestamp(ms),
            region,
        },
    })
}

fn write_lists(conn: &Connection, instance_id: &str, a: &PredefinedAttribute) -> Result<()> {
    for (table, column, list) in [
        ("predefined_attribute_values", "value", &a.values),
        ("predefined_attribute_purposes", "purpose", &a.purposes),
    ] {
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE instance_id = ?1 AND name = ?2"
        ))?
        .execute(params![instance_id, a.name])?;
        let mut insert = conn.prepare_cached(&format!(
            "INSERT INTO {table} (instance_id, name, position, {column}) VALUES (?1, ?2, ?3, ?4)"
        ))?;
        for (i, v) in list.iter().enumerate() {
            insert.execute(params![instance_id, a.name, i as i64, v])?;
        }
    }
    Ok(())
}

pub(crate) fn create(conn: &Connection, at: &InstanceRef, a: &PredefinedAttribute) -> Result<()> {
    scope::check(conn, at)?;
    // Writes are serialized by the single writer, so checking first is race-free.
    let taken: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM predefined_attributes WHERE instance_id = ?1 AND name = ?2")?
        .query_row(params![at.instance_id, a.name], |r| r.get(0))
        .optional()?;
    if taken.is_some() {
        return Err(duplicate(format!(
            "Predefined attribute with name '{}'",
            a.name
        )));
    }
    conn.prepare_cached(
        "INSERT INTO predefined_attributes (instance_id, name, enable_value_validation, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![at.instance_id, a.name, a.enable_value_validation_on_association, a.modified.time.0, a.modified.region])?;
    write_lists(conn, &at.instance_id, a)
}

pub(crate) fn get(conn: &Connection, at: &InstanceRef, name: &str) -> Result<PredefinedAttribute> {
    scope::check(conn, at)?;
    load(conn, &at.instance_id, name)
}

pub(crate) fn list(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<PredefinedAttribute>> {
    scope::check(conn, at)?;
    let names = conn
        .prepare_cached(
            "SELECT name FROM predefined_attributes WHERE instance_id = ?1 AND name > ?2 ORDER BY name LIMIT ?3",
        )?
        .query_map(params![at.instance_id, page.after.as_deref().unwrap_or(""), limit(page)], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    names
        .iter()
        .map(|n| load(conn, &at.instance_id, n))
        .collect()
}

/// Whether any user of the instance holds `name` (with `value`, when given).
fn held(
    conn: &Connection,
    instance_id: &str,
    name: &str,
    value: Option<&str>,
) -> Result<Option<String>> {
    let user: Option<String> = match value {
        Some(v) => conn
            .prepare_cached(
                "SELECT user_id FROM user_proficiencies WHERE instance_id = ?1 AND attribute_name = ?2 \
                 AND attribute_value = ?3 LIMIT 1",
            )?
            .query_row(params![instance_id, name, v], |r| r.get(0))
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT user_id FROM user_proficiencies WHERE instance_id = ?1 AND attribute_name = ?2 LIMIT 1",
            )?
            .query_row(params![instance_id, name], |r| r.get(0))
            .optional()?,
    };
    Ok(user)
}

pub(crate) fn update(conn: &Connection, at: &InstanceRef, a: &PredefinedAttribute) -> Result<()> {
    scope::check(conn, at)?;
    let before = load(conn, &at.instance_id, &a.name)?;
    for removed in before.values.iter().filter(|v| !a.values.contains(v)) {
        if let Some(user) = held(conn, &at.instance_id, &a.name, Some(removed))? {
            return Err(in_use(
                ResourceKind::PredefinedAttribute,
                &a.name,
                format!("user {user} holds a proficiency in its value {removed:?}"),
            ));
        }
    }
    conn.prepare_cached(
        "UPDATE predefined_attributes SET enable_value_validation = ?3, modified_ms = ?4, modified_region = ?5 \
         WHERE instance_id = ?1 AND name = ?2",
    )?
    .execute(params![at.instance_id, a.name, a.enable_value_validation_on_association, a.modified.time.0, a.modified.region])?;
    write_lists(conn, &at.instance_id, a)
}

pub(crate) fn delete(conn: &Connection, at: &InstanceRef, name: &str) -> Result<()> {
    scope::check(conn, at)?;
    load(conn, &at.instance_id, name)?;
    if let Some(user) = held(conn, &at.instance_id, name, None)? {
        return Err(in_use(
            ResourceKind::PredefinedAttribute,
            name,
            format!("user {user} holds a proficiency in it"),
        ));
    }
    conn.prepare_cached("DELETE FROM predefined_attributes WHERE instance_id = ?1 AND name = ?2")?
        .execute(params![at.instance_id, name])?;
    Ok(())
}

fn user_exists(conn: &Connection, at: &InstanceRef, user_id: &str) -> Result<()> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM users WHERE id = ?1 AND instance_id = ?2")?
        .query_row(params![user_id, at.instance_id], |r| r.get(0))
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| not_found(ResourceKind::User, user_id))
}

fn load_proficiencies(conn: &Connection, user_id: &str) -> Result<Vec<UserProficiency>> {
    let mut stmt = conn.prepare_cached(
        "SELECT attribute_name, attribute_value, level FROM user_proficiencies WHERE user_id = ?1 \
         ORDER BY attribute_name, attribute_value",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok(UserProficiency {
            attribute_name: r.get(0)?,
            attribute_value: r.get(1)?,
            level: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn change(
    conn: &Connection,
    at: &InstanceRef,
    user_id: &str,
    change: &ProficiencyChange,
    modified: &Modified,
) -> Result<()> {
    scope::check(conn, at)?;
    user_exists(conn, at, user_id)?;
    let added: &[UserProficiency] = match change {
        ProficiencyChange::Associate(l) | ProficiencyChange::Update(l) => l,
        ProficiencyChange::Disassociate(_) => &[],
    };
    for p in added {
        let known: Option<i64> = conn
            .prepare_cached(
                "SELECT 1 FROM predefined_attribute_values WHERE instance_id = ?1 AND name = ?2 AND value = ?3",
            )?
            .query_row(params![at.instance_id, p.attribute_name, p.attribute_value], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(missing(
                ResourceKind::PredefinedAttribute,
                &format!("{}={}", p.attribute_name, p.attribute_value),
            ));
        }
    }
    let mut list = load_proficiencies(conn, user_id)?;
    change.apply(&mut list)?;
    conn.prepare_cached("DELETE FROM user_proficiencies WHERE user_id = ?1")?
        .execute([user_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO user_proficiencies (user_id, instance_id, attribute_name, attribute_value, level) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in &list {
        insert.execute(params![
            user_id,
            at.instance_id,
            p.attribute_name,
            p.attribute_value,
            p.level
        ])?;
    }
    conn.prepare_cached(
        "UPDATE users SET proficiencies_modified_ms = ?2, proficiencies_modified_region = ?3 WHERE id = ?1",
    )?
    .execute(params![user_id, modified.time.0, modified.region])?;
    Ok(())
}

pub(crate) fn list_for_user(
    conn: &Connection,
    at: &InstanceRef,
    user_id: &str,
) -> Result<(Vec<UserProficiency>, Option<Modified>)> {
    scope::check(conn, at)?;
    user_exists(conn, at, user_id)?;
    let stamp: (Option<i64>, Option<String>) = conn
        .prepare_cached("SELECT proficiencies_modified_ms, proficiencies_modified_region FROM users WHERE id = ?1")?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let modified = match stamp {
        (Some(ms), Some(region)) => Some(Modified {
            time: Timestamp(ms),
            region,
        }),
        _ => None,
    };
    Ok((load_proficiencies(conn, user_id)?, modified))
}
