//! Users: one row per user with a column per setting, their security profiles in
//! order in `user_security_profiles`, their tags in `tags`.

use roster_domain::arn::ResourceKind;
use roster_domain::channel::Channel;
use roster_domain::time::Modified;
use roster_domain::user::{SecurityProfileIds, User, Username};
use roster_domain::{DomainError, InstanceRef, Timestamp};
use roster_store::columns::user_from_columns;
use roster_store::sql::{duplicate, limit, missing, not_found};
use roster_store::{PageRequest, StoreError, UserEdit, UserSummary};
use rusqlite::{params, Connection, Row};

use crate::error::{is_unique_violation, Error, Result};
use crate::scope;
use crate::tags;

/// The users row's columns, in the order of
/// [`USER_COLUMNS`](roster_store::columns::USER_COLUMNS).
pub(crate) const COLUMNS: &str = "id, username, first_name, last_name, email, secondary_email, mobile, directory_user_id, \
    password_hash, routing_profile_id, hierarchy_group_id, \
    voice_auto_accept, voice_acw, voice_afc_auto_accept, voice_afc_acw, \
    chat_auto_accept, chat_acw, task_auto_accept, task_acw, email_auto_accept, email_acw, \
    phone_type, desk_phone_number, persistent_connection, voice_enhancement, modified_ms, modified_region";

fn duplicate_username(username: &Username) -> Error {
    duplicate(format!("User with username '{}'", username.as_str()))
}

/// A user from a row of [`COLUMNS`], with its security profiles and tags read too.
pub(crate) fn from_row(conn: &Connection, row: &Row<'_>) -> Result<User> {
    let mut user = from_columns(row)?;
    user.security_profile_ids = SecurityProfileIds::from_stored(
        conn.prepare_cached(
            "SELECT security_profile_id FROM user_security_profiles WHERE user_id = ?1 ORDER BY position",
        )?
        .query_map([&user.id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?,
    );
    user.tags = tags::load(conn, ResourceKind::User, &user.id)?;
    Ok(user)
}

/// A `rusqlite` row as [`Columns`](roster_store::columns::Columns).
struct SqliteColumns<'a, 'r>(&'a Row<'r>);

impl SqliteColumns<'_, '_> {
    fn get<T: rusqlite::types::FromSql>(&self, i: usize) -> std::result::Result<T, StoreError> {
        self.0.get(i).map_err(|e| Error::from(e).into_store())
    }
}

roster_store::columns_by_get!(SqliteColumns<'_, '_>);

/// A user from a row of [`COLUMNS`] alone: its security profiles and tags are left
/// empty for the caller to fill.
pub(crate) fn from_columns(row: &Row<'_>) -> Result<User> {
    Ok(user_from_columns(&SqliteColumns(row))?)
}

/// The user with `id` in the instance; the instance is not checked.
fn load(conn: &Connection, instance_id: &str, id: &str) -> Result<User> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?1 AND instance_id = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, instance_id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(not_found(ResourceKind::User, id)),
    }
}

/// `MissingReference` unless the user's profiles and group are in the instance.
fn check_references(conn: &Connection, instance_id: &str, user: &User) -> Result<()> {
    if !scope::exists_in(
        conn,
        "routing_profiles",
        instance_id,
        &user.routing_profile_id,
    )? {
        return Err(missing(
            ResourceKind::RoutingProfile,
            &user.routing_profile_id,
        ));
    }
    for sp in user.security_profile_ids.iter() {
        if !scope::exists_in(conn, "security_profiles", instance_id, sp)? {
            return Err(missing(ResourceKind::SecurityProfile, sp));
        }
    }
    if let Some(group) = &user.hierarchy_group_id {
        if !scope::exists_in(conn, "hierarchy_groups", instance_id, group)? {
            return Err(missing(ResourceKind::HierarchyGroup, group));
        }
    }
    Ok(())
}

fn lower(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|v| v.to_lowercase())
}

/// Writes every column of `user`: an INSERT when `insert`, else an UPDATE of its row.
fn write_row(conn: &Connection, instance_id: &str, user: &User, insert: bool) -> Result<()> {
    let c = &user.config;
    let [voice, chat, task, email] = Channel::ALL.map(|ch| c.channel(ch));
    let sql = if insert {
        "INSERT INTO users (id, instance_id, username, username_lower, first_name, first_name_lower, last_name, \
         last_name_lower, email, secondary_email, mobile, directory_user_id, password_hash, routing_profile_id, \
         hierarchy_group_id, voice_auto_accept, voice_acw, voice_afc_auto_accept, voice_afc_acw, \
         chat_auto_accept, chat_acw, task_auto_accept, task_acw, email_auto_accept, email_acw, phone_type, \
         desk_phone_number, persistent_connection, voice_enhancement, modified_ms, modified_region) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
         ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)"
    } else {
        "UPDATE users SET username = ?3, username_lower = ?4, first_name = ?5, first_name_lower = ?6, \
         last_name = ?7, last_name_lower = ?8, email = ?9, secondary_email = ?10, mobile = ?11, \
         directory_user_id = ?12, password_hash = ?13, routing_profile_id = ?14, hierarchy_group_id = ?15, \
         voice_auto_accept = ?16, voice_acw = ?17, voice_afc_auto_accept = ?18, voice_afc_acw = ?19, \
         chat_auto_accept = ?20, chat_acw = ?21, task_auto_accept = ?22, task_acw = ?23, \
         email_auto_accept = ?24, email_acw = ?25, phone_type = ?26, desk_phone_number = ?27, \
         persistent_connection = ?28, voice_enhancement = ?29, modified_ms = ?30, modified_region = ?31 \
         WHERE id = ?1 AND instance_id = ?2"
    };
    let id = &user.identity;
    let result = conn.prepare_cached(sql)?.execute(params![
        user.id,
        instance_id,
        user.username.as_str(),
        user.username.unique_key(),
        id.first_name,
        lower(&id.first_name),
        id.last_name,
        lower(&id.last_name),
        id.email,
        id.secondary_email,
        id.mobile,
        user.directory_user_id,
        user.password_hash,
        user.routing_profile_id,
        user.hierarchy_group_id,
        voice.auto_accept,
        voice.after_contact_work.seconds(),
        voice.agent_first_callback_auto_accept,
        voice
            .agent_first_callback_after_contact_work
            .map(|a| a.seconds()),
        chat.auto_accept,
        chat.after_contact_work.seconds(),
        task.auto_accept,
        task.after_contact_work.seconds(),
        email.auto_accept,
        email.after_contact_work.seconds(),
        c.phone_type.as_str(),
        c.desk_phone_number,
        c.persistent_connection,
        c.voice_enhancement.as_str(),
        user.modified.time.0,
        user.modified.region,
    ]);
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e, "users.instance_id, users.username_lower") => {
            Err(duplicate_username(&user.username))
        }
        Err(e) => Err(e.into()),
    }
}

fn write_security_profiles(conn: &Connection, user: &User) -> Result<()> {
    conn.prepare_cached("DELETE FROM user_security_profiles WHERE user_id = ?1")?
        .execute([&user.id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO user_security_profiles (user_id, position, security_profile_id) VALUES (?1, ?2, ?3)",
    )?;
    for (i, sp) in user.security_profile_ids.iter().enumerate() {
        stmt.execute(params![user.id, i as i64, sp])?;
    }
    Ok(())
}

fn username_taken(conn: &Connection, instance_id: &str, user: &User) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM users WHERE instance_id = ?1 AND username_lower = ?2 AND id <> ?3",
        )?
        .exists(params![instance_id, user.username.unique_key(), user.id])?)
}

pub(crate) fn create(
    conn: &Connection,
    at: &InstanceRef,
    user: &User,
    max_users: u64,
) -> Result<()> {
    create_all(conn, at, std::slice::from_ref(user), max_users)
}

/// Creates `users` in order, each checked as [`create`] checks one; the first refusal
/// is the outcome, and the caller's savepoint undoes the users written before it.
pub(crate) fn create_all(
    conn: &Connection,
    at: &InstanceRef,
    users: &[User],
    max_users: u64,
) -> Result<()> {
    scope::check(conn, at)?;
    let count: i64 = conn
        .prepare_cached("SELECT user_count FROM instances WHERE id = ?1")?
        .query_row([&at.instance_id], |r| r.get(0))?;
    for user in users {
        check_references(conn, &at.instance_id, user)?;
        if username_taken(conn, &at.instance_id, user)? {
            return Err(duplicate_username(&user.username));
        }
        if conn
            .prepare_cached("SELECT 1 FROM users WHERE id = ?1")?
            .exists([&user.id])?
        {
            return Err(duplicate(format!("User with id '{}'", user.id)));
        }
        write_row(conn, &at.instance_id, user, true)?;
        write_security_profiles(conn, user)?;
        tags::insert_new(
            conn,
            &at.instance_id,
            ResourceKind::User,
            &user.id,
            &user.tags,
        )?;
    }
    // Checked after the users' own checks, as for one user; the savepoint undoes the
    // rows written when the batch does not fit.
    if (count.max(0) as u64).saturating_add(users.len() as u64) > max_users {
        return Err(StoreError::UserLimit { limit: max_users }.into());
    }
    Ok(())
}

pub(crate) fn get(conn: &Connection, at: &InstanceRef, id: &str) -> Result<User> {
    scope::check(conn, at)?;
    load(conn, &at.instance_id, id)
}

pub(crate) fn list(
    conn: &Connection,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<UserSummary>> {
    scope::check(conn, at)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, username, modified_ms, modified_region FROM users WHERE instance_id = ?1 AND id > ?2 \
         ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(
        params![
            at.instance_id,
            page.after.as_deref().unwrap_or(""),
            limit(page)
        ],
        |r| {
            Ok(UserSummary {
                id: r.get(0)?,
                username: r.get(1)?,
                modified: Modified {
                    time: Timestamp(r.get(2)?),
                    region: r.get(3)?,
                },
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn update(
    conn: &Connection,
    at: &InstanceRef,
    id: &str,
    edit: UserEdit,
) -> Result<User> {
    scope::check(conn, at)?;
    let before = load(conn, &at.instance_id, id)?;
    let mut user = before.clone();
    edit(&mut user)?;
    if user.id != before.id {
        return Err(DomainError::request("UserId", "a user's id cannot be changed").into());
    }
    // Tags are not changed by edits.
    user.tags = before.tags;
    check_references(conn, &at.instance_id, &user)?;
    if user.username.unique_key() != before.username.unique_key()
        && username_taken(conn, &at.instance_id, &user)?
    {
        return Err(duplicate_username(&user.username));
    }
    write_row(conn, &at.instance_id, &user, false)?;
    if user.security_profile_ids != before.security_profile_ids {
        write_security_profiles(conn, &user)?;
    }
    Ok(user)
}

pub(crate) fn delete(conn: &Connection, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(conn, at)?;
    let deleted = conn
        .prepare_cached("DELETE FROM users WHERE id = ?1 AND instance_id = ?2")?
        .execute(params![id, at.instance_id])?;
    if deleted == 0 {
        return Err(not_found(ResourceKind::User, id));
    }
    // Its security profile links go by cascade.
    tags::delete_all(conn, ResourceKind::User, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_are_the_shared_users_row() {
        let listed: Vec<&str> = COLUMNS.split(',').map(str::trim).collect();
        assert_eq!(listed, roster_store::columns::USER_COLUMNS);
    }
}
