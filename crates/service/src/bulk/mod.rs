//! Bulk import and export of an instance's users as CSV files (the admin website's
//! template and roster's extended one; see [`format`]).
//!
//! An import checks every row against every rule of CreateUser (each row is made
//! into a `CreateUserRequest` and goes through the model's constraints and
//! [`new_user`], as an API call does) and against the instance and the other rows
//! (names that must resolve, logins repeated in the file or already taken, the
//! users quota for the whole file), and reports every error it finds by row and
//! column. Only a file without errors is written, in one atomic store call
//! ([`Store::create_users`](roster_store::Store::create_users)).

mod format;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::time::{Duration, Instant};

use roster_api::check::Validate;
use roster_api::{CreateUserRequest, Failure, RequestContext, UserIdentityInfo, UserPhoneConfig};
use roster_domain::channel::{Channel, PhoneType};
use roster_domain::hierarchy::HierarchyGroup;
use roster_domain::password::Password;
use roster_domain::search::Condition;
use roster_domain::user::{User, Username};
use roster_domain::InstanceRef;
use roster_store::{PageRequest, SearchRequest, StoreError, StoreResult, UserCursor};

pub use format::{header_csv, CsvTemplate, EXTENDED_COLUMNS, OFFICIAL_COLUMNS, USER_ID_COLUMN};

use format::Column;

use crate::errors::OrApi;
use crate::users::new_user;
use crate::{instance_ref, ConnectService};

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 1000;

/// How far an import has got, reported as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportProgress {
    /// Data rows in the file.
    pub rows: usize,
    /// Rows checked so far.
    pub checked: usize,
    /// Passwords to hash (the rows of a CONNECT_MANAGED instance), once checking is done.
    pub to_hash: usize,
    /// Passwords hashed so far.
    pub hashed: usize,
    /// Whether every user has been written (the last report of a successful import).
    pub written: bool,
}

/// A user an import created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedUser {
    /// The 1-based data row it came from.
    pub row: usize,
    pub user_id: String,
    pub username: String,
}

/// What a successful import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The template the file's header is in.
    pub template: CsvTemplate,
    /// Every user created, in the file's order.
    pub users: Vec<ImportedUser>,
    /// How long each step took.
    pub timings: ImportTimings,
}

/// The wall-clock time of each step of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportTimings {
    /// Reading the file, loading the instance's names and checking every row.
    pub checking: Duration,
    /// Hashing the passwords (zero on SAML and EXISTING_DIRECTORY instances).
    pub hashing: Duration,
    /// The one store write.
    pub writing: Duration,
}

/// One thing wrong with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based data row (the first row after the header is 1); 0 for the file as
    /// a whole (its header, its number of rows, the quota).
    pub row: usize,
    /// The header text of the column at fault; empty when no one column is.
    pub column: String,
    pub message: String,
}

/// Why an import wrote nothing.
#[derive(Debug, Clone)]
pub enum ImportFailure {
    /// The file has errors: every one found, in row order.
    Rows(Vec<RowError>),
    /// The request failed as an API call would (instance not found, storage failure,
    /// the instance changed during the import).
    Request(Failure),
}

impl From<Failure> for ImportFailure {
    fn from(f: Failure) -> Self {
        ImportFailure::Request(f)
    }
}

/// Every item of a listing, page after page.
async fn every<T, F, Fut>(id: impl Fn(&T) -> String, mut fetch: F) -> Result<Vec<T>, Failure>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = StoreResult<Vec<T>>>,
{
    const PAGE: usize = 1000;
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = fetch(PageRequest {
            after: after.take(),
            limit: PAGE,
        })
        .await
        .api()?;
        let full = page.len() == PAGE;
        after = page.last().map(&id);
        all.extend(page);
        if !full {
            return Ok(all);
        }
    }
}

/// The names of an instance's profiles and groups, both ways.
struct Names {
    routing_by_name: HashMap<String, String>,
    routing_by_id: HashMap<String, String>,
    security_by_name: HashMap<String, String>,
    security_by_id: HashMap<String, String>,
    /// (parent id, name) → group id.
    group_by_parent_and_name: HashMap<(Option<String>, String), String>,
    groups: HashMap<String, HierarchyGroup>,
}

impl Names {
    async fn load(svc: &ConnectService, at: &InstanceRef) -> Result<Names, Failure> {
        let store = &svc.store;
        let (routing, security, groups) = tokio::try_join!(
            every(
                |p: &roster_domain::entities::RoutingProfile| p.id.clone(),
                |page| {
                    let at = at.clone();
                    async move { store.list_routing_profiles(&at, &page).await }
                }
            ),
            every(
                |p: &roster_domain::security::SecurityProfile| p.id.clone(),
                |page| {
                    let at = at.clone();
                    async move { store.list_security_profiles(&at, &page).await }
                }
            ),
            every(
                |g: &HierarchyGroup| g.id.clone(),
                |page| {
                    let at = at.clone();
                    async move { store.list_hierarchy_groups(&at, &page).await }
                }
            ),
        )?;
        Ok(Names {
            routing_by_name: routing
                .iter()
                .map(|p| (p.name.clone(), p.id.clone()))
                .collect(),
            routing_by_id: routing.into_iter().map(|p| (p.id, p.name)).collect(),
            security_by_name: security
                .iter()
                .map(|p| (p.name.clone(), p.id.clone()))
                .collect(),
            security_by_id: security.into_iter().map(|p| (p.id, p.name)).collect(),
            group_by_parent_and_name: groups
                .iter()
                .map(|g| {
                    (
                        (g.parent_id().map(str::to_string), g.name.clone()),
                        g.id.clone(),
                    )
                })
                .collect(),
            groups: groups.into_iter().map(|g| (g.id.clone(), g)).collect(),
        })
    }

    /// The group a path of names leads to, from the top level down.
    fn group_at(&self, names: &[String]) -> Result<String, String> {
        let mut parent: Option<String> = None;
        for (i, name) in names.iter().enumerate() {
            match self
                .group_by_parent_and_name
                .get(&(parent.clone(), name.clone()))
            {
                Some(id) => parent = Some(id.clone()),
                None if i == 0 => {
                    return Err(format!(
                        "no top-level hierarchy group named '{name}' exists in this instance"
                    ))
                }
                None => {
                    return Err(format!(
                        "the hierarchy group '{}' has no child group named '{name}'",
                        names[i - 1]
                    ))
                }
            }
        }
        parent.ok_or_else(|| "is empty".to_string())
    }

    /// A group's path of names, as an export writes it.
    fn path_of(&self, group_id: &str) -> String {
        let Some(group) = self.groups.get(group_id) else {
            return String::new();
        };
        let names: Vec<&str> = group
            .path()
            .iter()
            .map(|id| self.groups.get(id).map_or(id.as_str(), |g| g.name.as_str()))
            .collect();
        format::write_path(&names)
    }
}

/// A cell, trimmed; `None` when empty.
fn cell(record: &csv::StringRecord, column: Column) -> Option<String> {
    record
        .get(column as usize)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The column a CreateUser error names (its message starts `Member: rule`) and the
/// rule; the row as a whole when no column holds the member.
fn column_of(message: &str) -> (String, String) {
    let Some((field, rule)) = message.split_once(": ") else {
        return (String::new(), message.to_string());
    };
    let column = match field.split(['[', '.']).next().unwrap_or(field) {
        "Username" => Some(Column::Login),
        "Password" => Some(Column::Password),
        "IdentityInfo" => match field.strip_prefix("IdentityInfo.") {
            Some("FirstName") => Some(Column::FirstName),
            Some("LastName") => Some(Column::LastName),
            Some("Email") => Some(Column::Email),
            Some("SecondaryEmail") => Some(Column::SecondaryEmail),
            Some("Mobile") => Some(Column::Mobile),
            _ => None,
        },
        "PhoneConfig" => match field.strip_prefix("PhoneConfig.") {
            Some("DeskPhoneNumber") => Some(Column::PhoneNumber),
            Some("AutoAccept") => Some(Column::AutoAccept),
            Some("AfterContactWorkTimeLimit") => Some(Column::Acw),
            _ => Some(Column::PhoneType),
        },
        "SecurityProfileIds" => Some(Column::SecurityProfiles),
        "RoutingProfileId" => Some(Column::RoutingProfile),
        "HierarchyGroupId" => Some(Column::HierarchyPath),
        "Tags" => Some(Column::Tags),
        _ => None,
    };
    match column {
        Some(c) => (c.title().to_string(), rule.to_string()),
        None => (String::new(), message.to_string()),
    }
}

/// One data row, made into a CreateUser request with its names resolved, and the
/// errors of the cells that could not be.
fn row_request(
    instance_id: &str,
    names: &Names,
    template: CsvTemplate,
    record: &csv::StringRecord,
    errors: &mut Vec<(Column, String)>,
) -> CreateUserRequest {
    let mut fail = |c: Column, m: String| errors.push((c, m));

    let routing_profile_id = match cell(record, Column::RoutingProfile) {
        None => {
            fail(
                Column::RoutingProfile,
                "is required: the name of a routing profile of the instance".into(),
            );
            String::new()
        }
        Some(name) => match names.routing_by_name.get(&name) {
            Some(id) => id.clone(),
            None => {
                fail(
                    Column::RoutingProfile,
                    format!("no routing profile named '{name}' exists in this instance"),
                );
                String::new()
            }
        },
    };

    let mut unknown = Vec::new();
    let security_profile_ids: Vec<String> = cell(record, Column::SecurityProfiles)
        .unwrap_or_default()
        .split('|')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| match names.security_by_name.get(name) {
            Some(id) => id.clone(),
            None => {
                unknown.push(format!("'{name}'"));
                // Kept as given, so that the count and repeats are still checked.
                name.to_string()
            }
        })
        .collect();
    if !unknown.is_empty() {
        fail(
            Column::SecurityProfiles,
            format!(
                "no security profile named {} exists in this instance",
                unknown.join(", ")
            ),
        );
    }

    let phone_type = match cell(record, Column::PhoneType).map(|t| t.to_lowercase()) {
        None => Some(PhoneType::SoftPhone),
        Some(t) if t == "soft" || t == "soft_phone" => Some(PhoneType::SoftPhone),
        Some(t) if t == "desk" || t == "desk_phone" => Some(PhoneType::DeskPhone),
        Some(_) => {
            fail(Column::PhoneType, "must be soft or desk".into());
            None
        }
    };
    let auto_accept = match cell(record, Column::AutoAccept).map(|t| t.to_lowercase()) {
        None => Some(false),
        Some(t) if t == "yes" => Some(true),
        Some(t) if t == "no" => Some(false),
        Some(_) => {
            fail(Column::AutoAccept, "must be yes or no".into());
            None
        }
    };
    let acw = match cell(record, Column::Acw) {
        None => Some(0),
        Some(t) => match t.parse::<i32>() {
            Ok(s) => Some(s),
            Err(_) => {
                fail(
                    Column::Acw,
                    "must be a whole number of seconds (0 for no limit)".into(),
                );
                None
            }
        },
    };

    let extended = template != CsvTemplate::Official;
    let hierarchy_group_id = match cell(record, Column::HierarchyPath).filter(|_| extended) {
        None => None,
        Some(path) => match format::parse_path(&path).and_then(|p| names.group_at(&p)) {
            Ok(id) => Some(id),
            Err(e) => {
                fail(Column::HierarchyPath, e);
                None
            }
        },
    };
    let tags = match cell(record, Column::Tags).filter(|_| extended) {
        None => None,
        Some(text) => match format::parse_tags(&text) {
            Ok(t) if t.is_empty() => None,
            Ok(t) => Some(t),
            Err(e) => {
                fail(Column::Tags, e);
                None
            }
        },
    };

    CreateUserRequest {
        instance_id: instance_id.to_string(),
        // The login is the one cell kept exactly as written.
        username: record.get(Column::Login as usize).unwrap_or("").to_string(),
        password: record
            .get(Column::Password as usize)
            .filter(|p| !p.is_empty())
            .map(str::to_string),
        identity_info: Some(UserIdentityInfo {
            first_name: cell(record, Column::FirstName),
            last_name: cell(record, Column::LastName),
            email: cell(record, Column::Email),
            secondary_email: cell(record, Column::SecondaryEmail),
            mobile: cell(record, Column::Mobile),
        }),
        phone_config: Some(UserPhoneConfig {
            phone_type: phone_type.map(|t| t.as_str().to_string()),
            auto_accept,
            after_contact_work_time_limit: acw,
            desk_phone_number: cell(record, Column::PhoneNumber),
            persistent_connection: None,
        }),
        security_profile_ids,
        routing_profile_id,
        hierarchy_group_id,
        tags,
        ..CreateUserRequest::default()
    }
}

/// The rows of a file after its header; a record that is not UTF-8 is an error of
/// its row.
struct Parsed {
    template: CsvTemplate,
    /// (1-based data row, record) of every row that is not blank.
    rows: Vec<(usize, csv::StringRecord)>,
}

fn parse_file(csv: &[u8], errors: &mut Vec<RowError>) -> Option<Parsed> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv);
    let mut records = reader.records();
    let file_error = |message: String| RowError {
        row: 0,
        column: String::new(),
        message,
    };
    let header = match records.next() {
        None => {
            errors.push(file_error(
                "the file is empty; it needs a header row and 1 to 1000 rows of users".into(),
            ));
            return None;
        }
        Some(Err(e)) => {
            errors.push(file_error(format!("the header row cannot be read: {e}")));
            return None;
        }
        Some(Ok(h)) => h,
    };
    let header: Vec<String> = header.iter().map(str::to_string).collect();
    let template = match CsvTemplate::detect(&header) {
        Ok(t) => t,
        Err(e) => {
            errors.push(file_error(e));
            return None;
        }
    };
    let width = template.columns().len();
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        let row = i + 1;
        match record {
            Err(e) => errors.push(RowError {
                row,
                column: String::new(),
                message: format!("cannot be read: {e}"),
            }),
            // Spreadsheets save trailing rows of empty cells; they are not users.
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) if r.len() != width => errors.push(RowError {
                row,
                column: String::new(),
                message: format!("has {} cells; the header has {width} columns", r.len()),
            }),
            Ok(r) => rows.push((row, r)),
        }
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    if rows.len() > MAX_ROWS {
        errors.push(file_error(format!(
            "the file has more than {MAX_ROWS} rows of users; split it into files of at most {MAX_ROWS}"
        )));
        return None;
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(file_error(
            "the file has no rows of users after its header; it needs 1 to 1000".into(),
        ));
        return None;
    }
    Some(Parsed { template, rows })
}

impl ConnectService {
    /// The header row of a template, as the "download template" file.
    pub fn csv_template(&self, template: CsvTemplate) -> Vec<u8> {
        header_csv(template)
    }

    /// Creates the users of a CSV file (1 to [`MAX_ROWS`] rows, in the official or the
    /// extended template) in the instance, all of them or none. Every error in the
    /// file is reported; when there is any, nothing is written. `progress` is called
    /// as rows are checked, passwords hashed and the users written.
    pub async fn import_users_csv(
        &self,
        ctx: &RequestContext,
        instance_id: &str,
        csv: &[u8],
        progress: impl Fn(ImportProgress) + Send + Sync,
    ) -> Result<ImportReport, ImportFailure> {
        let started = Instant::now();
        let at = instance_ref(ctx, instance_id)?;
        let idm = crate::users::instance_type(self, &at).await?;

        let mut errors = Vec::new();
        let Some(parsed) = parse_file(csv, &mut errors) else {
            return Err(ImportFailure::Rows(errors));
        };
        let mut state = ImportProgress {
            rows: parsed.rows.len(),
            ..ImportProgress::default()
        };
        progress(state);

        let store = &self.store;
        let (names, existing) = tokio::try_join!(
            Names::load(self, &at),
            every(
                |u: &roster_store::UserSummary| u.id.clone(),
                |page| {
                    let at = at.clone();
                    async move { store.list_users(&at, &page).await }
                }
            ),
        )?;
        let taken: HashSet<String> = existing
            .iter()
            .map(|u| Username::from_stored(u.username.clone()).unique_key())
            .collect();

        // login key → the first row that has it
        let mut logins: HashMap<String, usize> = HashMap::new();
        let mut made: Vec<(usize, User, Option<Password>)> = Vec::new();
        for (row, record) in &parsed.rows {
            let row = *row;
            let mut cell_errors = Vec::new();
            let request = row_request(
                &at.instance_id,
                &names,
                parsed.template,
                record,
                &mut cell_errors,
            );
            let mut row_errors: Vec<(String, String)> = cell_errors
                .into_iter()
                .map(|(c, m)| (c.title().to_string(), m))
                .collect();
            let checked = request
                .validate()
                .map_err(Failure::from)
                .and_then(|()| new_user(ctx, idm, &request));
            match checked {
                Ok((user, password)) if row_errors.is_empty() => {
                    made.push((row, user, password));
                }
                Ok(_) => {}
                Err(f) => {
                    let (column, message) = column_of(f.message());
                    // A cell already reported says why; its placeholder is not news.
                    if !row_errors.iter().any(|(c, _)| *c == column) {
                        row_errors.push((column, message));
                    }
                }
            }
            if let Ok(name) = Username::parse(&request.username, idm) {
                let key = name.unique_key();
                if taken.contains(&key) {
                    row_errors.push((
                        Column::Login.title().to_string(),
                        format!(
                            "a user named {} already exists in this instance (logins are compared without regard to case)",
                            name.as_str()
                        ),
                    ));
                } else if let Some(first) = logins.get(&key) {
                    row_errors.push((
                        Column::Login.title().to_string(),
                        format!(
                            "repeats the login of row {first} (logins are compared without regard to case)"
                        ),
                    ));
                } else {
                    logins.insert(key, row);
                }
            }
            errors.extend(row_errors.into_iter().map(|(column, message)| RowError {
                row,
                column,
                message,
            }));
            state.checked += 1;
            progress(state);
        }

        let max = self.config.max_users_per_instance;
        let held = existing.len() as u64;
        if held + parsed.rows.len() as u64 > max {
            errors.push(RowError {
                row: 0,
                column: String::new(),
                message: format!(
                    "the instance holds {held} users and may hold {max}; the file's {} users would make {}. Delete users, split the file, or start roster with --max-users-per-instance set higher.",
                    parsed.rows.len(),
                    held + parsed.rows.len() as u64
                ),
            });
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(ImportFailure::Rows(errors));
        }

        let mut timings = ImportTimings {
            checking: started.elapsed(),
            ..ImportTimings::default()
        };
        let hashing = Instant::now();
        let users = self.hash_all(made, &mut state, &progress).await?;
        timings.hashing = hashing.elapsed();
        let writing = Instant::now();
        let mut report = ImportReport {
            template: parsed.template,
            users: users
                .iter()
                .map(|(row, u)| ImportedUser {
                    row: *row,
                    user_id: u.id.clone(),
                    username: u.username.as_str().to_string(),
                })
                .collect(),
            timings,
        };
        self.store
            .create_users(
                &at,
                users.into_iter().map(|(_, u)| u).collect(),
                max,
            )
            .await
            .map_err(|e| match e {
                // Checked above: another writer got there between the check and the write.
                e @ (StoreError::Duplicate { .. }
                | StoreError::MissingReference { .. }
                | StoreError::UserLimit { .. }) => Failure::invalid_request(format!(
                    "the instance changed while the file was checked, and nothing was imported: {}; upload the file again",
                    crate::errors::store(e).message()
                )),
                other => crate::errors::store(other),
            })?;
        report.timings.writing = writing.elapsed();
        state.written = true;
        progress(state);
        Ok(report)
    }

    /// The users with their password hashes, hashed in parallel (one hash per core at
    /// most, shared with CreateUser).
    async fn hash_all(
        &self,
        made: Vec<(usize, User, Option<Password>)>,
        state: &mut ImportProgress,
        progress: &(impl Fn(ImportProgress) + Send + Sync),
    ) -> Result<Vec<(usize, User)>, Failure> {
        let mut users: Vec<(usize, User)> = Vec::with_capacity(made.len());
        let mut hashing = tokio::task::JoinSet::new();
        for (i, (row, user, password)) in made.into_iter().enumerate() {
            users.push((row, user));
            if let Some(p) = password {
                let permits = self.hashing.clone();
                hashing.spawn(async move {
                    let _permit = permits
                        .acquire_owned()
                        .await
                        .map_err(|e| Failure::internal(format!("password hashing failed: {e}")))?;
                    let hash = tokio::task::spawn_blocking(move || p.hash())
                        .await
                        .map_err(|e| Failure::internal(format!("password hashing failed: {e}")))?;
                    Ok::<_, Failure>((i, hash))
                });
            }
        }
        state.to_hash = hashing.len();
        progress(*state);
        while let Some(done) = hashing.join_next().await {
            let (i, hash) =
                done.map_err(|e| Failure::internal(format!("password hashing failed: {e}")))??;
            users[i].1.password_hash = Some(hash);
            state.hashed += 1;
            progress(*state);
        }
        Ok(users)
    }

    /// The instance's users (those matching `filter`, when given: the same search as
    /// SearchUsers) as a CSV file in the extended template plus the user id, in
    /// username order, passwords blank. It imports unchanged into an instance with
    /// routing profiles, security profiles and hierarchy groups of the same names.
    pub async fn export_users_csv(
        &self,
        ctx: &RequestContext,
        instance_id: &str,
        filter: Option<Condition>,
    ) -> Result<Vec<u8>, Failure> {
        let at = instance_ref(ctx, instance_id)?;
        self.store
            .get_instance(&at.scope, &at.instance_id)
            .await
            .api()?;
        let names = Names::load(self, &at).await?;
        let condition = filter.unwrap_or(Condition::All);
        let mut out = csv::Writer::from_writer(Vec::new());
        let write = |out: &mut csv::Writer<Vec<u8>>, record: Vec<String>| {
            out.write_record(record)
                .map_err(|e| Failure::internal(format!("the CSV file could not be written: {e}")))
        };
        write(
            &mut out,
            CsvTemplate::ExtendedWithUserId
                .columns()
                .into_iter()
                .map(str::to_string)
                .collect(),
        )?;
        const PAGE: usize = 500;
        let mut after = None;
        loop {
            let page = self
                .store
                .search_users(
                    &at,
                    &SearchRequest {
                        condition: condition.clone(),
                        after: after.take(),
                        limit: PAGE,
                    },
                )
                .await
                .api()?;
            let full = page.users.len() == PAGE;
            after = page.users.last().map(|u| UserCursor {
                username_lower: u.username.unique_key(),
                id: u.id.clone(),
            });
            for u in &page.users {
                write(&mut out, export_record(&names, u))?;
            }
            if !full {
                break;
            }
        }
        out.into_inner()
            .map_err(|e| Failure::internal(format!("the CSV file could not be written: {e}")))
    }
}

/// A user as a row of the extended template plus its id; the password cell is blank.
fn export_record(names: &Names, u: &User) -> Vec<String> {
    let id = &u.identity;
    let phone = u.config.phone_config();
    let voice = u.config.channel(Channel::Voice);
    let name_of = |map: &HashMap<String, String>, id: &str| {
        map.get(id).cloned().unwrap_or_else(|| id.to_string())
    };
    vec![
        id.first_name.clone().unwrap_or_default(),
        id.last_name.clone().unwrap_or_default(),
        id.email.clone().unwrap_or_default(),
        id.secondary_email.clone().unwrap_or_default(),
        id.mobile.clone().unwrap_or_default(),
        String::new(),
        u.username.as_str().to_string(),
        name_of(&names.routing_by_id, &u.routing_profile_id),
        u.security_profile_ids
            .iter()
            .map(|sp| name_of(&names.security_by_id, sp))
            .collect::<Vec<_>>()
            .join("|"),
        match phone.phone_type {
            PhoneType::SoftPhone => "soft".to_string(),
            PhoneType::DeskPhone => "desk".to_string(),
        },
        phone.desk_phone_number.clone().unwrap_or_default(),
        if voice.auto_accept { "yes" } else { "no" }.to_string(),
        voice.after_contact_work.seconds().to_string(),
        u.hierarchy_group_id
            .as_deref()
            .map(|g| names.path_of(g))
            .unwrap_or_default(),
        format::write_tags(&u.tags),
        u.id.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_user_errors_name_their_column() {
        let cases = [
            ("Username: must not be empty", "user login"),
            ("Password: must be 8-64 characters", "password"),
            (
                "IdentityInfo.Email: is not an email address",
                "email address",
            ),
            ("IdentityInfo.SecondaryEmail: x", "secondary email address"),
            ("IdentityInfo.Mobile: x", "mobile"),
            ("IdentityInfo.FirstName: is required", "first name"),
            ("PhoneConfig.DeskPhoneNumber: x", "phone number"),
            (
                "PhoneConfig.AfterContactWorkTimeLimit: x",
                "ACW timeout (seconds)",
            ),
            ("PhoneConfig.PhoneType: x", "phone type (soft/desk)"),
            (
                "SecurityProfileIds: must not repeat",
                "security_profile_name_1|security_profile_name_2",
            ),
            ("Tags[a b]: x", "tags"),
        ];
        for (message, column) in cases {
            assert_eq!(column_of(message).0, column, "{message}");
        }
        assert_eq!(column_of("Password: must be long").1, "must be long");
        assert_eq!(
            column_of("Something else: odd"),
            (String::new(), "Something else: odd".to_string())
        );
    }

    fn parse(text: &str) -> (Option<Parsed>, Vec<RowError>) {
        let mut errors = Vec::new();
        let parsed = parse_file(text.as_bytes(), &mut errors);
        (parsed, errors)
    }

    #[test]
    fn files_need_a_known_header_and_1_to_1000_rows() {
        let header = String::from_utf8(header_csv(CsvTemplate::Official)).unwrap();
        let (_, errors) = parse("");
        assert_eq!(errors[0].row, 0);
        let (_, errors) = parse(&header);
        assert!(errors[0].message.contains("no rows"), "{errors:?}");
        let (_, errors) = parse("a,b,c\n1,2,3\n");
        assert!(errors[0].message.contains("header row"), "{errors:?}");

        let row = "Ann,Lee,,,,,ann,Basic Routing Profile,Agent,soft,,no,0\n";
        let (parsed, errors) = parse(&format!("{header}{row}\n,,,,,,,,,,,,\n{row}"));
        assert!(errors.is_empty(), "{errors:?}");
        let parsed = parsed.unwrap();
        assert_eq!(parsed.template, CsvTemplate::Official);
        // The blank line is skipped by the reader, the row of empty cells by us.
        assert_eq!(parsed.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 3]);

        let (_, errors) = parse(&format!("{header}{}", row.repeat(MAX_ROWS + 1)));
        assert!(errors[0].message.contains("more than 1000"), "{errors:?}");
        let (parsed, errors) = parse(&format!("{header}{}", row.repeat(MAX_ROWS)));
        assert!(errors.is_empty());
        assert_eq!(parsed.unwrap().rows.len(), MAX_ROWS);

        // Bytes that are not UTF-8 are an error of their row; an unclosed quote ends
        // the file inside its cell, which then has too few cells.
        let mut bytes = format!("{header}{row}").into_bytes();
        bytes.extend(b"Ann,L\xffe,,,,,x,Basic Routing Profile,Agent,soft,,no,0\n");
        bytes.extend(format!("{row}\"Ann,Lee\n").into_bytes());
        let mut errors = Vec::new();
        let parsed = parse_file(&bytes, &mut errors).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].row, 2);
        assert!(errors[0].message.contains("UTF-8"), "{errors:?}");
        assert_eq!(errors[1].row, 4);
        let mut errors = Vec::new();
        assert!(parse_file(b"\xff\xfe,a\n", &mut errors).is_none());
        assert!(errors[0].message.contains("header row"), "{errors:?}");

        let (_, errors) = parse(&format!("{header}Ann,Lee\n{row}"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 1);
        assert!(errors[0].message.contains("has 2 cells"));
    }
}
