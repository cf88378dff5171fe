//! Users: one row per user with a column per setting, their security profiles in
//! order in `user_security_profiles`, their tags in `tags`, and the per-instance
//! count of users in `instance_user_counts`.

use std::collections::HashSet;
use std::sync::OnceLock;

use roster_domain::arn::ResourceKind;
use roster_domain::channel::{AcwSeconds, Channel};
use roster_domain::time::Modified;
use roster_domain::user::{SecurityProfileIds, User, Username};
use roster_domain::{DomainError, InstanceRef, Timestamp};
use roster_store::columns::{user_from_columns, USER_COLUMNS};
use roster_store::sql::{duplicate, limit, missing, not_found};
use roster_store::{PageRequest, StoreError, UserSummary};
use tokio_postgres::Row;

use crate::db::{execute, execute_raw, exists, lock_user_count, query, query_opt, PendingEdit, Tx};
use crate::error::{on_unique, Error, Result};
use crate::scope;
use crate::tags;

/// The columns [`from_row`] reads, for a query over `users u`: the user's own
/// columns, then its security profile ids in order, then its tag keys and values.
pub(crate) fn columns() -> &'static str {
    static COLUMNS: OnceLock<String> = OnceLock::new();
    COLUMNS.get_or_init(|| {
        let own: Vec<String> = USER_COLUMNS.iter().map(|c| format!("u.{c}")).collect();
        format!(
            "{}, \
             ARRAY(SELECT s.security_profile_id FROM user_security_profiles s WHERE s.user_id = u.id ORDER BY s.position), \
             {}",
            own.join(", "),
            tags::arrays_sql(ResourceKind::User, "u.id")
        )
    })
}

fn duplicate_username(username: &Username) -> Error {
    duplicate(format!("User with username '{}'", username.as_str()))
}

/// A `tokio-postgres` row as [`Columns`](roster_store::columns::Columns).
struct PgColumns<'a>(&'a Row);

impl PgColumns<'_> {
    fn get<'r, T: tokio_postgres::types::FromSql<'r>>(
        &'r self,
        i: usize,
    ) -> std::result::Result<T, StoreError> {
        self.0.try_get(i).map_err(|e| Error::from(e).into_store())
    }
}

roster_store::columns_by_get!(PgColumns<'_>);

/// A user from a row of [`columns`].
pub(crate) fn from_row(row: &Row) -> Result<User> {
    let mut user = user_from_columns(&PgColumns(row))?;
    user.security_profile_ids = SecurityProfileIds::from_stored(row.try_get(USER_COLUMNS.len())?);
    user.tags = tags::from_arrays(
        row.try_get(USER_COLUMNS.len() + 1)?,
        row.try_get(USER_COLUMNS.len() + 2)?,
    );
    Ok(user)
}

/// The user with `id` in the instance; the instance is not checked. With `lock`,
/// the row is locked against other writers until the transaction ends.
async fn load(tx: &Tx<'_>, instance_id: &str, id: &str, lock: bool) -> Result<User> {
    let sql = format!(
        "SELECT {} FROM users u WHERE u.id = $1 AND u.instance_id = $2{}",
        columns(),
        if lock { " FOR UPDATE" } else { "" }
    );
    match query_opt(tx, &sql, &[&id, &instance_id]).await? {
        Some(row) => from_row(&row),
        None => Err(not_found(ResourceKind::User, id)),
    }
}

/// `MissingReference` unless the user's profiles and group are in the instance. The
/// references found are added to `found` (`table/id`), and those already in it are
/// not looked up again.
async fn check_references(
    tx: &Tx<'_>,
    instance_id: &str,
    user: &User,
    found: &mut HashSet<String>,
) -> Result<()> {
    let refs = std::iter::once((
        "routing_profiles",
        ResourceKind::RoutingProfile,
        &user.routing_profile_id,
    ))
    .chain(
        user.security_profile_ids
            .iter()
            .map(|sp| ("security_profiles", ResourceKind::SecurityProfile, sp)),
    )
    .chain(
        user.hierarchy_group_id
            .iter()
            .map(|g| ("hierarchy_groups", ResourceKind::HierarchyGroup, g)),
    );
    for (table, kind, id) in refs {
        let key = format!("{table}/{id}");
        if found.contains(&key) {
            continue;
        }
        if !scope::exists_in(tx, table, instance_id, id).await? {
            return Err(missing(kind, id));
        }
        found.insert(key);
    }
    Ok(())
}

fn lower(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|v| v.to_lowercase())
}

const INSERT: &str = "INSERT INTO users (id, instance_id, username, username_lower, first_name, first_name_lower, \
     last_name, last_name_lower, email, secondary_email, mobile, directory_user_id, password_hash, \
     routing_profile_id, hierarchy_group_id, voice_auto_accept, voice_acw, voice_afc_auto_accept, voice_afc_acw, \
     chat_auto_accept, chat_acw, task_auto_accept, task_acw, email_auto_accept, email_acw, phone_type, \
     desk_phone_number, persistent_connection, voice_enhancement, modified_ms, modified_region) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
     $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)";

const UPDATE: &str = "UPDATE users SET username = $3, username_lower = $4, first_name = $5, first_name_lower = $6, \
     last_name = $7, last_name_lower = $8, email = $9, secondary_email = $10, mobile = $11, \
     directory_user_id = $12, password_hash = $13, routing_profile_id = $14, hierarchy_group_id = $15, \
     voice_auto_accept = $16, voice_acw = $17, voice_afc_auto_accept = $18, voice_afc_acw = $19, \
     chat_auto_accept = $20, chat_acw = $21, task_auto_accept = $22, task_acw = $23, \
     email_auto_accept = $24, email_acw = $25, phone_type = $26, desk_phone_number = $27, \
     persistent_connection = $28, voice_enhancement = $29, modified_ms = $30, modified_region = $31 \
     WHERE id = $1 AND instance_id = $2";

/// Writes every column of `user`: an INSERT when `insert`, else an UPDATE of its row.
async fn write_row(tx: &Tx<'_>, instance_id: &str, user: &User, insert: bool) -> Result<()> {
    let c = &user.config;
    let [voice, chat, task, email] = Channel::ALL.map(|ch| c.channel(ch));
    let seconds = |a: AcwSeconds| i64::from(a.seconds());
    let id = &user.identity;
    let result = execute_raw(
        tx,
        if insert { INSERT } else { UPDATE },
        &[
            &user.id,
            &instance_id,
            &user.username.as_str(),
            &user.username.unique_key(),
            &id.first_name,
            &lower(&id.first_name),
            &id.last_name,
            &lower(&id.last_name),
            &id.email,
            &id.secondary_email,
            &id.mobile,
            &user.directory_user_id,
            &user.password_hash,
            &user.routing_profile_id,
            &user.hierarchy_group_id,
            &voice.auto_accept,
            &seconds(voice.after_contact_work),
            &voice.agent_first_callback_auto_accept,
            &voice.agent_first_callback_after_contact_work.map(seconds),
            &chat.auto_accept,
            &seconds(chat.after_contact_work),
            &task.auto_accept,
            &seconds(task.after_contact_work),
            &email.auto_accept,
            &seconds(email.after_contact_work),
            &c.phone_type.as_str(),
            &c.desk_phone_number,
            &c.persistent_connection,
            &c.voice_enhancement.as_str(),
            &user.modified.time.0,
            &user.modified.region,
        ],
    )
    .await?;
    result.map(|_| ()).map_err(|e| {
        on_unique(e, "users_username_unique", || {
            format!("User with username '{}'", user.username.as_str())
        })
    })
}

async fn write_security_profiles(tx: &Tx<'_>, user: &User, replace: bool) -> Result<()> {
    if replace {
        execute(
            tx,
            "DELETE FROM user_security_profiles WHERE user_id = $1",
            &[&user.id],
        )
        .await?;
    }
    for (i, sp) in user.security_profile_ids.iter().enumerate() {
        execute(
            tx,
            "INSERT INTO user_security_profiles (user_id, position, security_profile_id) VALUES ($1, $2, $3)",
            &[&user.id, &(i as i64), sp],
        )
        .await?;
    }
    Ok(())
}

async fn username_taken(tx: &Tx<'_>, instance_id: &str, user: &User) -> Result<bool> {
    exists(
        tx,
        "SELECT 1 FROM users WHERE instance_id = $1 AND username_lower = $2 AND id <> $3",
        &[&instance_id, &user.username.unique_key(), &user.id],
    )
    .await
}

pub(crate) async fn create(
    tx: &Tx<'_>,
    at: &InstanceRef,
    user: &User,
    max_users: u64,
) -> Result<()> {
    // Runs at READ COMMITTED (`Mode::Queued`): creations in one instance queue here.
    lock_user_count(tx, &at.instance_id).await?;
    scope::check(tx, at).await?;
    check_references(tx, &at.instance_id, user, &mut HashSet::new()).await?;
    if username_taken(tx, &at.instance_id, user).await? {
        return Err(duplicate_username(&user.username));
    }
    if exists(tx, "SELECT 1 FROM users WHERE id = $1", &[&user.id]).await? {
        return Err(duplicate(format!("User with id '{}'", user.id)));
    }
    // Takes a place in the quota; the row is locked above, so the count is current.
    let max = i64::try_from(max_users).unwrap_or(i64::MAX);
    let counted = execute(
        tx,
        "UPDATE instance_user_counts SET user_count = user_count + 1 \
         WHERE instance_id = $1 AND user_count < $2",
        &[&at.instance_id, &max],
    )
    .await?;
    if counted == 0 {
        return Err(StoreError::UserLimit { limit: max_users }.into());
    }
    write_row(tx, &at.instance_id, user, true).await?;
    write_security_profiles(tx, user, false).await?;
    tags::insert_new(
        tx,
        &at.instance_id,
        ResourceKind::User,
        &user.id,
        &user.tags,
    )
    .await
}

/// Creates `users`, each checked as [`create`] checks one and against the users
/// before it; any refusal is the outcome, and the transaction, rolled back, writes
/// none of them. A batch runs in a few statements whatever its size: each distinct
/// reference is checked once, the usernames and ids in one query each, the rows sent
/// in one pipeline, and the security profiles and tags of all the users in one
/// statement each.
pub(crate) async fn create_all(
    tx: &Tx<'_>,
    at: &InstanceRef,
    users: &[User],
    max_users: u64,
) -> Result<()> {
    // Runs at READ COMMITTED (`Mode::Queued`): creations in one instance queue here.
    lock_user_count(tx, &at.instance_id).await?;
    scope::check(tx, at).await?;
    let mut checked = HashSet::new();
    for user in users {
        check_references(tx, &at.instance_id, user, &mut checked).await?;
    }
    let mut keys = HashSet::new();
    for user in users {
        if !keys.insert(user.username.unique_key()) {
            return Err(duplicate_username(&user.username));
        }
    }
    let keys: Vec<String> = users.iter().map(|u| u.username.unique_key()).collect();
    let taken: HashSet<String> = query(
        tx,
        "SELECT username_lower FROM users WHERE instance_id = $1 AND username_lower = ANY($2)",
        &[&at.instance_id, &keys],
    )
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    if let Some(user) = users
        .iter()
        .find(|u| taken.contains(&u.username.unique_key()))
    {
        return Err(duplicate_username(&user.username));
    }
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    if let Some(row) = query_opt(
        tx,
        "SELECT id FROM users WHERE id = ANY($1) LIMIT 1",
        &[&ids],
    )
    .await?
    {
        let id: String = row.get(0);
        return Err(duplicate(format!("User with id '{id}'")));
    }
    // Takes the batch's places in the quota, after the users' own checks as for one
    // user; the row is locked above, so the count is current.
    let max = i64::try_from(max_users).unwrap_or(i64::MAX);
    let n = i64::try_from(users.len()).unwrap_or(i64::MAX);
    let counted = execute(
        tx,
        "UPDATE instance_user_counts SET user_count = user_count + $3::BIGINT \
         WHERE instance_id = $1 AND user_count + $3::BIGINT <= $2::BIGINT",
        &[&at.instance_id, &max, &n],
    )
    .await?;
    if counted == 0 {
        return Err(StoreError::UserLimit { limit: max_users }.into());
    }

    // The first row prepares the statement; the others follow in one pipeline.
    let Some((first, rest)) = users.split_first() else {
        return Ok(());
    };
    write_row(tx, &at.instance_id, first, true).await?;
    futures_util::future::try_join_all(
        rest.iter().map(|u| write_row(tx, &at.instance_id, u, true)),
    )
    .await?;

    let mut owners = Vec::new();
    let mut positions = Vec::new();
    let mut profiles = Vec::new();
    for user in users {
        for (i, sp) in user.security_profile_ids.iter().enumerate() {
            owners.push(user.id.as_str());
            positions.push(i as i64);
            profiles.push(sp.as_str());
        }
    }
    execute(
        tx,
        "INSERT INTO user_security_profiles (user_id, position, security_profile_id) \
         SELECT * FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::TEXT[])",
        &[&owners, &positions, &profiles],
    )
    .await?;
    let mut tagged = Vec::new();
    let mut tag_keys = Vec::new();
    let mut tag_values = Vec::new();
    for user in users {
        roster_store::sql::tag_limit(user.tags.len())?;
        for (k, v) in &user.tags {
            tagged.push(user.id.as_str());
            tag_keys.push(k.as_str());
            tag_values.push(v.as_str());
        }
    }
    if !tagged.is_empty() {
        tags::insert_many_new(
            tx,
            &at.instance_id,
            ResourceKind::User,
            &tagged,
            &tag_keys,
            &tag_values,
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn get(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<User> {
    scope::check(tx, at).await?;
    load(tx, &at.instance_id, id, false).await
}

pub(crate) async fn list(
    tx: &Tx<'_>,
    at: &InstanceRef,
    page: &PageRequest,
) -> Result<Vec<UserSummary>> {
    scope::check(tx, at).await?;
    let rows = query(
        tx,
        "SELECT id, username, modified_ms, modified_region FROM users WHERE instance_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3",
        &[&at.instance_id, &page.after.as_deref().unwrap_or(""), &limit(page)],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UserSummary {
                id: r.try_get(0)?,
                username: r.try_get(1)?,
                modified: Modified {
                    time: Timestamp(r.try_get(2)?),
                    region: r.try_get(3)?,
                },
            })
        })
        .collect()
}

pub(crate) async fn update(
    tx: &Tx<'_>,
    at: &InstanceRef,
    id: &str,
    pending: &mut PendingEdit<User>,
) -> Result<User> {
    scope::check(tx, at).await?;
    // Locked first: a concurrent edit of the same user makes this attempt fail here,
    // before the edit runs, and the next attempt edits what that one stored.
    let before = load(tx, &at.instance_id, id, true).await?;
    let mut user = pending.apply(&before)?;
    if user.id != before.id {
        return Err(DomainError::request("UserId", "a user's id cannot be changed").into());
    }
    // Tags are not changed by edits.
    user.tags = before.tags.clone();
    check_references(tx, &at.instance_id, &user, &mut HashSet::new()).await?;
    if user.username.unique_key() != before.username.unique_key()
        && username_taken(tx, &at.instance_id, &user).await?
    {
        return Err(duplicate_username(&user.username));
    }
    write_row(tx, &at.instance_id, &user, false).await?;
    if user.security_profile_ids != before.security_profile_ids {
        write_security_profiles(tx, &user, true).await?;
    }
    Ok(user)
}

pub(crate) async fn delete(tx: &Tx<'_>, at: &InstanceRef, id: &str) -> Result<()> {
    scope::check(tx, at).await?;
    let deleted = execute(
        tx,
        "DELETE FROM users WHERE id = $1 AND instance_id = $2",
        &[&id, &at.instance_id],
    )
    .await?;
    if deleted == 0 {
        return Err(not_found(ResourceKind::User, id));
    }
    execute(
        tx,
        "UPDATE instance_user_counts SET user_count = user_count - 1 WHERE instance_id = $1",
        &[&at.instance_id],
    )
    .await?;
    // Its security profile links and proficiencies go by cascade.
    tags::delete_all(tx, ResourceKind::User, id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_store::suite::{fresh_scope, new_instance, plain_user};

    #[test]
    fn an_edit_runs_once_and_its_result_is_reused_only_on_the_same_user() {
        let (_, fx) = new_instance(&fresh_scope(), None);
        let before = plain_user(&fx, "edited");
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = runs.clone();
        let mut pending = PendingEdit::new(Box::new(move |u: &mut User| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            u.identity.first_name = Some("Edited".into());
            Ok(())
        }));
        let first = pending.apply(&before).unwrap();
        assert_eq!(first.identity.first_name.as_deref(), Some("Edited"));
        // A retry on the same stored user writes the same result without running
        // the edit again.
        assert_eq!(pending.apply(&before).unwrap(), first);
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        // A user changed in between is not overwritten.
        let mut changed = before.clone();
        changed.identity.last_name = Some("Other".into());
        assert!(matches!(
            pending.apply(&changed),
            Err(Error::Store(StoreError::Backend(_)))
        ));
    }

    #[test]
    fn a_refused_edit_is_the_domain_error() {
        let (_, fx) = new_instance(&fresh_scope(), None);
        let before = plain_user(&fx, "refused");
        let mut pending = PendingEdit::new(Box::new(|_: &mut User| {
            Err(DomainError::param("Field", "no"))
        }));
        assert!(matches!(
            pending.apply(&before),
            Err(Error::Store(StoreError::Rejected(_)))
        ));
    }
}
