//! Users: one row per user with a column per setting, their security profiles in
//! order in `user_security_profiles`, their tags in `tags`, and the per-instance
//! quota of users counted in `instance_user_slots`.

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

/// A `tokio-postgres` row as [`Columns`](roster_store::columns::Columns), the users
/// row starting at column `.1`.
struct PgColumns<'a>(&'a Row, usize);

impl PgColumns<'_> {
    fn get<'r, T: tokio_postgres::types::FromSql<'r>>(
        &'r self,
        i: usize,
    ) -> std::result::Result<T, StoreError> {
        self.0
            .try_get(self.1 + i)
            .map_err(|e| Error::from(e).into_store())
    }
}

roster_store::columns_by_get!(PgColumns<'_>);

/// A user from a row of [`columns`].
pub(crate) fn from_row(row: &Row) -> Result<User> {
    from_row_at(row, 0)
}

/// A user from the columns of [`columns`] starting at column `first` of `row`.
fn from_row_at(row: &Row, first: usize) -> Result<User> {
    let n = first + USER_COLUMNS.len();
    let mut user = user_from_columns(&PgColumns(row, first))?;
    user.security_profile_ids = SecurityProfileIds::from_stored(row.try_get(n)?);
    user.tags = tags::from_arrays(row.try_get(n + 1)?, row.try_get(n + 2)?);
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

/// `MissingReference` unless the user's profiles and group are in the instance.
async fn check_references(tx: &Tx<'_>, instance_id: &str, user: &User) -> Result<()> {
    if !scope::exists_in(
        tx,
        "routing_profiles",
        instance_id,
        &user.routing_profile_id,
    )
    .await?
    {
        return Err(missing(
            ResourceKind::RoutingProfile,
            &user.routing_profile_id,
        ));
    }
    for sp in user.security_profile_ids.iter() {
        if !scope::exists_in(tx, "security_profiles", instance_id, sp).await? {
            return Err(missing(ResourceKind::SecurityProfile, sp));
        }
    }
    if let Some(group) = &user.hierarchy_group_id {
        if !scope::exists_in(tx, "hierarchy_groups", instance_id, group).await? {
            return Err(missing(ResourceKind::HierarchyGroup, group));
        }
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

/// The values of a user's row, in the order of [`INSERT`]'s parameters ($1 to $31).
struct RowValues<'u> {
    user: &'u User,
    instance_id: &'u str,
    username: &'u str,
    username_key: String,
    first_lower: Option<String>,
    last_lower: Option<String>,
    /// VOICE, CHAT, TASK and EMAIL's after-contact work, in seconds.
    acw: [i64; 4],
    afc_acw: Option<i64>,
    phone_type: &'static str,
    voice_enhancement: &'static str,
}

impl<'u> RowValues<'u> {
    fn new(instance_id: &'u str, user: &'u User) -> Self {
        let seconds = |a: AcwSeconds| i64::from(a.seconds());
        let c = &user.config;
        RowValues {
            user,
            instance_id,
            username: user.username.as_str(),
            username_key: user.username.unique_key(),
            first_lower: lower(&user.identity.first_name),
            last_lower: lower(&user.identity.last_name),
            acw: Channel::ALL.map(|ch| seconds(c.channel(ch).after_contact_work)),
            afc_acw: c
                .channel(Channel::Voice)
                .agent_first_callback_after_contact_work
                .map(seconds),
            phone_type: c.phone_type.as_str(),
            voice_enhancement: c.voice_enhancement.as_str(),
        }
    }

    fn params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 31] {
        let (user, id, c) = (self.user, &self.user.identity, &self.user.config);
        let [voice, chat, task, email] = Channel::ALL.map(|ch| c.channel(ch));
        [
            &user.id,
            &self.instance_id,
            &self.username,
            &self.username_key,
            &id.first_name,
            &self.first_lower,
            &id.last_name,
            &self.last_lower,
            &id.email,
            &id.secondary_email,
            &id.mobile,
            &user.directory_user_id,
            &user.password_hash,
            &user.routing_profile_id,
            &user.hierarchy_group_id,
            &voice.auto_accept,
            &self.acw[0],
            &voice.agent_first_callback_auto_accept,
            &self.afc_acw,
            &chat.auto_accept,
            &self.acw[1],
            &task.auto_accept,
            &self.acw[2],
            &email.auto_accept,
            &self.acw[3],
            &self.phone_type,
            &c.desk_phone_number,
            &c.persistent_connection,
            &self.voice_enhancement,
            &user.modified.time.0,
            &user.modified.region,
        ]
    }
}

/// Writes every column of `user`: an INSERT when `insert`, else an UPDATE of its row.
async fn write_row(tx: &Tx<'_>, instance_id: &str, user: &User, insert: bool) -> Result<()> {
    let values = RowValues::new(instance_id, user);
    let result = execute_raw(tx, if insert { INSERT } else { UPDATE }, &values.params()).await?;
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

/// Slots an instance's users-per-instance quota is kept in (`instance_user_slots`).
/// A creation locks one slot, so up to this many creations in one instance commit at
/// once; each slot holds an equal share of the quota ([`slot_share`]).
pub(crate) const QUOTA_SLOTS: i16 = 32;

/// How many users of a quota of `max` slot `slot` may count: an equal share, the
/// remainder spread over the first slots, so the shares add up to `max` exactly.
fn slot_share(max: u64, slot: i16) -> i64 {
    let k = QUOTA_SLOTS as u64;
    let share = max / k + u64::from((slot as u64) < max % k);
    i64::try_from(share).unwrap_or(i64::MAX)
}

/// The slot a creation tries first: spread by the (random) user id, so concurrent
/// creations seldom share one.
fn first_slot(user_id: &str) -> i16 {
    let h = user_id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    (h % QUOTA_SLOTS as u32) as i16
}

/// A creation in one statement, its parameters numbered as [`INSERT`]'s, then
/// $32 the slot, $33 its share, $34 and $35 the account and Region, $36 the security
/// profile ids in order, $37 and $38 the tag keys and values. It takes a place in the
/// slot only when the instance is the caller's and every reference exists, and writes
/// the user only when it took one; it answers what it found.
fn create_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        const TYPES: [&str; 31] = [
            "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT",
            "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BOOLEAN", "BIGINT", "BOOLEAN", "BIGINT",
            "BOOLEAN", "BIGINT", "BOOLEAN", "BIGINT", "BOOLEAN", "BIGINT", "TEXT", "TEXT",
            "BOOLEAN", "TEXT", "BIGINT", "TEXT",
        ];
        let values: Vec<String> = TYPES
            .iter()
            .enumerate()
            .map(|(i, t)| format!("${}::{t}", i + 1))
            .collect();
        let columns = &INSERT[INSERT.find('(').unwrap() + 1..INSERT.find(')').unwrap()];
        let user = ResourceKind::User.as_str();
        format!(
            "WITH inst AS (
                SELECT EXISTS (SELECT 1 FROM instances WHERE id = $2 AND account_id = $34 AND region = $35) AS ok
            ), refs AS (
                SELECT EXISTS (SELECT 1 FROM routing_profiles WHERE instance_id = $2 AND id = $14) AS routing,
                       (SELECT p.id FROM unnest($36::TEXT[]) WITH ORDINALITY AS p(id, n)
                         WHERE NOT EXISTS (SELECT 1 FROM security_profiles s WHERE s.instance_id = $2 AND s.id = p.id)
                         ORDER BY p.n LIMIT 1) AS missing_profile,
                       ($15::TEXT IS NULL OR EXISTS (SELECT 1 FROM hierarchy_groups WHERE instance_id = $2 AND id = $15)) AS grp
            ), slot AS (
                UPDATE instance_user_slots SET used = used + 1
                WHERE instance_id = $2 AND slot = $32::SMALLINT AND used < $33::BIGINT
                  AND (SELECT ok FROM inst)
                  AND (SELECT routing AND missing_profile IS NULL AND grp FROM refs)
                RETURNING slot
            ), u AS (
                INSERT INTO users ({columns}, quota_slot)
                SELECT {values}, slot.slot FROM slot
                RETURNING id
            ), sp AS (
                INSERT INTO user_security_profiles (user_id, position, security_profile_id)
                SELECT u.id, p.n - 1, p.id FROM u, unnest($36::TEXT[]) WITH ORDINALITY AS p(id, n)
            ), t AS (
                INSERT INTO tags (instance_id, resource_kind, resource_id, key, value)
                SELECT $2, '{user}', u.id, k.key, k.value FROM u, unnest($37::TEXT[], $38::TEXT[]) AS k(key, value)
            )
            SELECT (SELECT ok FROM inst), refs.routing, refs.missing_profile, refs.grp,
                   (SELECT count(*) FROM u) FROM refs",
            values = values.join(", ")
        )
    })
}

/// What one attempt at a creation found.
enum Attempt {
    Created,
    /// The slot holds its whole share.
    SlotFull,
    Refused(Error),
}

/// One attempt at creating `user` counted in `slot`: `BEGIN` at READ COMMITTED,
/// the slot's lock, the creation ([`create_sql`]) and `COMMIT`, sent together in
/// one round trip. The creation's statement starts after the lock is held, so it sees
/// every deletion of a profile or group committed before (those lock every slot).
/// When the creation fails (a username taken), the transaction is aborted and the
/// `COMMIT` rolls it back.
async fn attempt(
    client: &deadpool_postgres::Client,
    at: &InstanceRef,
    user: &User,
    slot: i16,
    share: i64,
) -> Result<Attempt> {
    let begin = client
        .prepare_cached("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await?;
    let lock = client
        .prepare_cached(
            "SELECT used FROM instance_user_slots WHERE instance_id = $1 AND slot = $2 FOR UPDATE",
        )
        .await?;
    let create = client.prepare_cached(create_sql()).await?;
    let commit = client.prepare_cached("COMMIT").await?;

    let profiles: Vec<&str> = user
        .security_profile_ids
        .iter()
        .map(String::as_str)
        .collect();
    let keys: Vec<&str> = user.tags.keys().map(String::as_str).collect();
    let values: Vec<&str> = user.tags.values().map(String::as_str).collect();
    let row = RowValues::new(&at.instance_id, user);
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = row.params().to_vec();
    params.extend([
        &slot as &(dyn tokio_postgres::types::ToSql + Sync),
        &share,
        &at.scope.account_id,
        &at.scope.region,
        &profiles,
        &keys,
        &values,
    ]);
    let lock_params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&at.instance_id, &slot];
    let (began, locked, created, committed) = tokio::join!(
        client.execute(&begin, &[]),
        client.execute(&lock, &lock_params),
        client.query_one(&create, &params),
        client.execute(&commit, &[]),
    );
    if let Err(e) = committed {
        // Leave no transaction open on a connection going back to the pool.
        let _ = client.batch_execute("ROLLBACK").await;
        return Err(e.into());
    }
    began?;
    locked?;
    let row = match created {
        Ok(row) => row,
        Err(e) => {
            let e = on_unique(e, "users_username_unique", || {
                format!("User with username '{}'", user.username.as_str())
            });
            return Err(match e {
                Error::Pg(e) if crate::error::unique_violation(&e) == Some("users_pkey") => {
                    duplicate(format!("User with id '{}'", user.id))
                }
                other => other,
            });
        }
    };
    let instance_ok: bool = row.try_get(0)?;
    let routing_ok: bool = row.try_get(1)?;
    let missing_profile: Option<String> = row.try_get(2)?;
    let group_ok: bool = row.try_get(3)?;
    let written: i64 = row.try_get(4)?;
    Ok(if !instance_ok {
        Attempt::Refused(not_found(ResourceKind::Instance, &at.instance_id))
    } else if !routing_ok {
        Attempt::Refused(missing(
            ResourceKind::RoutingProfile,
            &user.routing_profile_id,
        ))
    } else if let Some(profile) = missing_profile {
        Attempt::Refused(missing(ResourceKind::SecurityProfile, &profile))
    } else if !group_ok {
        Attempt::Refused(missing(
            ResourceKind::HierarchyGroup,
            user.hierarchy_group_id.as_deref().unwrap_or_default(),
        ))
    } else if written == 1 {
        Attempt::Created
    } else {
        Attempt::SlotFull
    })
}

/// Creates `user`, counted in the first slot with room from [`first_slot`] on: one
/// round trip while that slot has room. When every slot holds its share, the
/// instance holds `max_users` users (unless users were deleted from a slot already
/// tried meanwhile, when the creation is refused as a single count would have
/// refused it a moment earlier).
pub(crate) async fn create(
    store: &crate::PostgresStore,
    at: &InstanceRef,
    user: &User,
    max_users: u64,
) -> Result<()> {
    roster_store::sql::tag_limit(user.tags.len())?;
    let client = store.client().await?;
    let first = first_slot(&user.id);
    for i in 0..QUOTA_SLOTS {
        let slot = (first + i) % QUOTA_SLOTS;
        let share = slot_share(max_users, slot);
        if share == 0 {
            continue;
        }
        match attempt(&client, at, user, slot, share).await? {
            Attempt::Created => return Ok(()),
            Attempt::SlotFull => continue,
            Attempt::Refused(e) => return Err(e),
        }
    }
    // The instance is full. A taken username is still named as such, as it is
    // below the quota; the checks of instance and references ran in the attempts.
    let taken = query_opt_client(
        &client,
        "SELECT 1 FROM users WHERE instance_id = $1 AND username_lower = $2",
        &[&at.instance_id, &user.username.unique_key()],
    )
    .await?;
    if taken {
        return Err(duplicate_username(&user.username));
    }
    if max_users == 0 {
        // No slot has a share; the instance and references were not looked at.
        let instance = query_opt_client(
            &client,
            "SELECT 1 FROM instances WHERE id = $1 AND account_id = $2 AND region = $3",
            &[&at.instance_id, &at.scope.account_id, &at.scope.region],
        )
        .await?;
        if !instance {
            return Err(not_found(ResourceKind::Instance, &at.instance_id));
        }
    }
    Err(StoreError::UserLimit { limit: max_users }.into())
}

/// Creates `users` inside a transaction (a CSV import's, a seed's), each checked as
/// [`create`] checks one and against the users before it; any refusal is the outcome,
/// and the transaction, rolled back, writes none of them. Every quota slot of the instance is locked first
/// (in slot order, as deletions of what users refer to lock them), so no other
/// creation in the instance runs beside the batch, and the users take places in the
/// slots with room, in slot order. A batch runs in a few statements whatever its
/// size: each distinct reference is checked once, the usernames and ids in one query
/// each, the rows sent in one pipeline, and the slots, security profiles and tags of
/// all the users in one statement each.
pub(crate) async fn create_all(
    tx: &Tx<'_>,
    at: &InstanceRef,
    users: &[User],
    max_users: u64,
) -> Result<()> {
    lock_user_count(tx, &at.instance_id).await?;
    scope::check(tx, at).await?;
    let mut found = HashSet::new();
    for user in users {
        roster_store::sql::tag_limit(user.tags.len())?;
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
            if found.contains(&(table, id.as_str())) {
                continue;
            }
            if !scope::exists_in(tx, table, &at.instance_id, id).await? {
                return Err(missing(kind, id));
            }
            found.insert((table, id.as_str()));
        }
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

    // Places in the slots with room, in slot order; the slots are locked above. The
    // quota holds for the instance's total; should the slots' shares (of a quota
    // since changed) leave fewer places than that total allows, the rest go to the
    // first slots beyond their shares, which single creations then see as full.
    let held = query(
        tx,
        "SELECT slot, used FROM instance_user_slots WHERE instance_id = $1 ORDER BY slot",
        &[&at.instance_id],
    )
    .await?;
    let used_total: i64 = held.iter().map(|r| r.get::<_, i64>(1)).sum();
    if (used_total.max(0) as u64).saturating_add(users.len() as u64) > max_users || held.is_empty()
    {
        return Err(StoreError::UserLimit { limit: max_users }.into());
    }
    let mut slot_of: Vec<i16> = Vec::with_capacity(users.len());
    let mut placed: Vec<(i16, i64)> = Vec::new();
    for row in &held {
        let (slot, used): (i16, i64) = (row.get(0), row.get(1));
        let room = (slot_share(max_users, slot) - used).max(0);
        let take = room.min((users.len() - slot_of.len()) as i64);
        if take > 0 {
            placed.push((slot, take));
            slot_of.extend(std::iter::repeat_n(slot, take as usize));
        }
    }
    let mut beyond = held.iter().map(|r| r.get::<_, i16>(0)).cycle();
    while slot_of.len() < users.len() {
        let slot = beyond.next().expect("at least one slot");
        slot_of.push(slot);
        match placed.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, n)) => *n += 1,
            None => placed.push((slot, 1)),
        }
    }
    let (slots, counts): (Vec<i16>, Vec<i64>) = placed.into_iter().unzip();
    execute(
        tx,
        "UPDATE instance_user_slots s SET used = s.used + v.n \
         FROM UNNEST($2::SMALLINT[], $3::BIGINT[]) AS v(slot, n) \
         WHERE s.instance_id = $1 AND s.slot = v.slot",
        &[&at.instance_id, &slots, &counts],
    )
    .await?;

    // The first row prepares the statement; the others follow in one pipeline.
    let Some((first, rest)) = users.split_first() else {
        return Ok(());
    };
    write_row(tx, &at.instance_id, first, true).await?;
    futures_util::future::try_join_all(
        rest.iter().map(|u| write_row(tx, &at.instance_id, u, true)),
    )
    .await?;
    execute(
        tx,
        "UPDATE users u SET quota_slot = v.slot \
         FROM UNNEST($1::TEXT[], $2::SMALLINT[]) AS v(id, slot) WHERE u.id = v.id",
        &[&ids, &slot_of],
    )
    .await?;

    let mut owners = Vec::new();
    let mut positions = Vec::new();
    let mut profiles = Vec::new();
    let mut tagged = Vec::new();
    let mut tag_keys = Vec::new();
    let mut tag_values = Vec::new();
    for user in users {
        for (i, sp) in user.security_profile_ids.iter().enumerate() {
            owners.push(user.id.as_str());
            positions.push(i as i64);
            profiles.push(sp.as_str());
        }
        for (k, v) in &user.tags {
            tagged.push(user.id.as_str());
            tag_keys.push(k.as_str());
            tag_values.push(v.as_str());
        }
    }
    execute(
        tx,
        "INSERT INTO user_security_profiles (user_id, position, security_profile_id) \
         SELECT * FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::TEXT[])",
        &[&owners, &positions, &profiles],
    )
    .await?;
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

/// Whether a one-statement query outside any transaction finds a row.
async fn query_opt_client(
    client: &deadpool_postgres::Client,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<bool> {
    let stmt = client.prepare_cached(sql).await?;
    Ok(client.query_opt(&stmt, params).await?.is_some())
}

/// DescribeUser: the instance checked and the user read with its security profiles
/// and tags, in one statement.
pub(crate) async fn get(
    client: &deadpool_postgres::Client,
    at: &InstanceRef,
    id: &str,
) -> Result<User> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = SQL.get_or_init(|| {
        format!(
            "SELECT i.ok, u.id IS NOT NULL, {} FROM \
             (SELECT EXISTS (SELECT 1 FROM instances WHERE id = $2 AND account_id = $3 AND region = $4) AS ok) i \
             LEFT JOIN users u ON i.ok AND u.id = $1 AND u.instance_id = $2",
            columns()
        )
    });
    let stmt = client.prepare_cached(sql).await?;
    let row = client
        .query_one(
            &stmt,
            &[&id, &at.instance_id, &at.scope.account_id, &at.scope.region],
        )
        .await?;
    if !row.try_get::<_, bool>(0)? {
        return Err(not_found(ResourceKind::Instance, &at.instance_id));
    }
    if !row.try_get::<_, bool>(1)? {
        return Err(not_found(ResourceKind::User, id));
    }
    from_row_at(&row, 2)
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
    check_references(tx, &at.instance_id, &user).await?;
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
    // The user's place in its quota slot goes with it.
    let deleted = execute(
        tx,
        "WITH d AS (DELETE FROM users WHERE id = $1 AND instance_id = $2 RETURNING quota_slot) \
         UPDATE instance_user_slots s SET used = s.used - 1 FROM d \
         WHERE s.instance_id = $2 AND s.slot = d.quota_slot",
        &[&id, &at.instance_id],
    )
    .await?;
    if deleted == 0 {
        return Err(not_found(ResourceKind::User, id));
    }
    // Its security profile links and proficiencies go by cascade.
    tags::delete_all(tx, ResourceKind::User, id).await
}

/// Users over every instance, for the store's instruments.
pub(crate) async fn count_all(tx: &Tx<'_>) -> Result<u64> {
    let rows = query(tx, "SELECT count(*) FROM users", &[]).await?;
    let n: i64 = rows.first().map_or(0, |r| r.get(0));
    Ok(n as u64)
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
