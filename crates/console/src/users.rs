//! The Users page (SearchUsers, 100 a page), a user's page, Add user, password reset,
//! proficiencies and deletion.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use roster_api::*;
use roster_service::UserChange;

use crate::form::{enc, tag_lines, Fields};
use crate::instances::describe;
use crate::view::{self, page, respond, Errors};
use crate::{call, every_page, Posted, Shared, Signed};

pub(crate) const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];
pub(crate) const PAGE_SIZE: i32 = 100;

/// The names the pages show for ids: routing profiles, security profiles and
/// hierarchy groups of the instance.
#[derive(Default)]
pub(crate) struct Names {
    pub routing: Vec<(String, String)>,
    pub security: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
}

impl Names {
    pub fn name<'a>(list: &'a [(String, String)], id: &'a str) -> &'a str {
        list.iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.as_str())
            .unwrap_or(id)
    }
}

pub(crate) async fn names(state: &Shared, s: &Signed, instance: &str) -> Result<Names, ApiError> {
    let svc = &*state.service;
    let mut n = Names {
        routing: every_page(|next| async move {
            let ctx = s.ctx();
            let r = call(
                ListRoutingProfilesRequest {
                    instance_id: instance.into(),
                    next_token: next,
                    max_results: Some(1000),
                },
                |r| ops::ListRoutingProfiles::list_routing_profiles(svc, &ctx, r),
            )
            .await?;
            let list = r.routing_profile_summary_list.unwrap_or_default();
            Ok((id_names(list, |p| (p.id, p.name)), r.next_token))
        })
        .await?,
        security: every_page(|next| async move {
            let ctx = s.ctx();
            let r = call(
                ListSecurityProfilesRequest {
                    instance_id: instance.into(),
                    next_token: next,
                    max_results: Some(1000),
                },
                |r| ops::ListSecurityProfiles::list_security_profiles(svc, &ctx, r),
            )
            .await?;
            let list = r.security_profile_summary_list.unwrap_or_default();
            Ok((id_names(list, |p| (p.id, p.name)), r.next_token))
        })
        .await?,
        groups: every_page(|next| async move {
            let ctx = s.ctx();
            let r = call(
                ListUserHierarchyGroupsRequest {
                    instance_id: instance.into(),
                    next_token: next,
                    max_results: Some(1000),
                },
                |r| ops::ListUserHierarchyGroups::list_user_hierarchy_groups(svc, &ctx, r),
            )
            .await?;
            let list = r.user_hierarchy_group_summary_list.unwrap_or_default();
            Ok((id_names(list, |p| (p.id, p.name)), r.next_token))
        })
        .await?,
    };
    for list in [&mut n.routing, &mut n.security, &mut n.groups] {
        list.sort_by_key(|a| a.1.to_lowercase());
    }
    Ok(n)
}

/// The (id, name) pairs of a page of summaries.
fn id_names<T>(
    list: Vec<T>,
    parts: impl Fn(T) -> (Option<String>, Option<String>),
) -> Vec<(String, String)> {
    list.into_iter()
        .map(|p| {
            let (id, name) = parts(p);
            (id.unwrap_or_default(), name.unwrap_or_default())
        })
        .collect()
}

/// The instance and the names its pages show.
pub(crate) async fn instance_and_names(
    state: &Shared,
    s: &Signed,
    instance: &str,
) -> Result<(Instance, Names), ApiError> {
    let inst = describe(state, s, instance).await?;
    let names = names(state, s, instance).await?;
    Ok((inst, names))
}

/// The Users page's search: the box and the filters, as the query string carries them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Search {
    pub q: String,
    pub how: String,
    pub routing: String,
    pub security: String,
    pub group: String,
    pub tag_key: String,
    pub tag_value: String,
}

fn string(field: &str, value: &str, how: &str) -> UserSearchCriteria {
    UserSearchCriteria {
        string_condition: Some(StringCondition {
            field_name: Some(field.into()),
            value: Some(value.into()),
            comparison_type: Some(how.into()),
        }),
        ..Default::default()
    }
}

impl Search {
    pub fn from_fields(f: &Fields) -> Self {
        let how = match f.get("how") {
            "CONTAINS" => "CONTAINS",
            _ => "STARTS_WITH",
        };
        Search {
            q: f.get("q").trim().to_string(),
            how: how.to_string(),
            routing: f.get("routing").to_string(),
            security: f.get("security").to_string(),
            group: f.get("group").to_string(),
            tag_key: f.get("tag_key").trim().to_string(),
            tag_value: f.get("tag_value").trim().to_string(),
        }
    }

    /// The search as query-string pairs (paging aside).
    pub fn query(&self) -> String {
        [
            ("q", &self.q),
            ("how", &self.how),
            ("routing", &self.routing),
            ("security", &self.security),
            ("group", &self.group),
            ("tag_key", &self.tag_key),
            ("tag_value", &self.tag_value),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    pub fn hidden(&self) -> Markup {
        html! {
            input type="hidden" name="q" value=(self.q);
            input type="hidden" name="how" value=(self.how);
            input type="hidden" name="routing" value=(self.routing);
            input type="hidden" name="security" value=(self.security);
            input type="hidden" name="group" value=(self.group);
            input type="hidden" name="tag_key" value=(self.tag_key);
            input type="hidden" name="tag_value" value=(self.tag_value);
        }
    }

    /// The SearchUsers request for this search.
    pub fn request(&self, instance: &str, next_token: Option<String>) -> SearchUsersRequest {
        let mut all = Vec::new();
        if !self.q.is_empty() {
            all.push(UserSearchCriteria {
                or_conditions: Some(
                    ["Username", "FirstName", "LastName"]
                        .iter()
                        .map(|f| string(f, &self.q, &self.how))
                        .collect(),
                ),
                ..Default::default()
            });
        }
        if !self.routing.is_empty() {
            all.push(string("RoutingProfileId", &self.routing, "EXACT"));
        }
        if !self.security.is_empty() {
            all.push(string("SecurityProfileId", &self.security, "EXACT"));
        }
        if !self.group.is_empty() {
            all.push(UserSearchCriteria {
                hierarchy_group_condition: Some(HierarchyGroupCondition {
                    value: Some(self.group.clone()),
                    hierarchy_group_match_type: Some("WITH_CHILD_GROUPS".into()),
                }),
                ..Default::default()
            });
        }
        let criteria = match all.len() {
            0 => None,
            1 => all.pop(),
            _ => Some(UserSearchCriteria {
                and_conditions: Some(all),
                ..Default::default()
            }),
        };
        let filter = (!self.tag_key.is_empty()).then(|| UserSearchFilter {
            tag_filter: Some(ControlPlaneTagFilter {
                tag_condition: Some(TagCondition {
                    tag_key: Some(self.tag_key.clone()),
                    tag_value: (!self.tag_value.is_empty()).then(|| self.tag_value.clone()),
                }),
                ..Default::default()
            }),
            user_attribute_filter: None,
        });
        SearchUsersRequest {
            instance_id: instance.to_string(),
            next_token,
            max_results: Some(PAGE_SIZE),
            search_filter: filter,
            search_criteria: criteria,
        }
    }
}

/// One page of a search.
pub(crate) async fn search_page(
    state: &Shared,
    s: &Signed,
    instance: &str,
    search: &Search,
    token: Option<String>,
) -> Result<SearchUsersResponse, ApiError> {
    let ctx = s.ctx();
    call(search.request(instance, token), |r| {
        ops::SearchUsers::search_users(&*state.service, &ctx, r)
    })
    .await
}

fn select(
    id: &str,
    name: &str,
    options: &[(String, String)],
    chosen: &str,
    empty: Option<&str>,
) -> Markup {
    html! {
        select id=(id) name=(name) {
            @if let Some(e) = empty { option value="" selected[chosen.is_empty()] { (e) } }
            @for (v, label) in options {
                option value=(v) selected[chosen == v] { (label) }
            }
        }
    }
}

pub(crate) async fn list(
    State(state): State<Shared>,
    s: Signed,
    Path(instance): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let (inst, names) = match instance_and_names(&state, &s, &instance).await {
        Ok(v) => v,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let f = Fields::from_query(query.as_deref());
    let search = Search::from_fields(&f);
    let token = f.text("page");
    let back: Vec<String> = f
        .get("back")
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let (found, error) = match search_page(&state, &s, &instance, &search, token.clone()).await {
        Ok(r) => (r, None),
        Err(e) => (SearchUsersResponse::default(), Some(e)),
    };
    let users = found.users.clone().unwrap_or_default();
    let total = found.approximate_total_count.unwrap_or(0);
    let base = format!("/console/instances/{instance}/users?{}", search.query());
    let next_link = found.next_token.as_ref().map(|t| {
        let mut b = back.clone();
        b.push(token.clone().unwrap_or_else(|| "-".into()));
        format!("{base}&page={}&back={}", enc(t), enc(&b.join(",")))
    });
    let prev_link = (!back.is_empty()).then(|| {
        let mut b = back.clone();
        let last = b.pop().unwrap_or_default();
        let page = if last == "-" { String::new() } else { last };
        format!("{base}&page={}&back={}", enc(&page), enc(&b.join(",")))
    });
    let start = back.len() as i64 * PAGE_SIZE as i64;
    let alias = inst
        .instance_alias
        .clone()
        .unwrap_or_else(|| instance.clone());
    let body = html! {
        p { a href="/console/instances" { "Instances" } " › " (alias) }
        h1 { "Users" }
        p {
            a.button href={"/console/instances/" (instance) "/users/new"} { "Add user" } " "
            a.button.secondary href={"/console/instances/" (instance) "/upload"} { "Upload users (CSV)" } " "
            a.button.secondary href={"/console/instances/" (instance) "/download?" (search.query())} download { "Download " (total) " matching users (CSV)" }
        }
        section aria-labelledby="search-h" {
            h2 #search-h { "Search" }
            form method="get" action={"/console/instances/" (instance) "/users"} role="search" {
                div.row {
                    div {
                        label for="q" { "Username, first or last name" }
                        input #q type="search" name="q" value=(search.q);
                    }
                    div {
                        label for="how" { "Match" }
                        select #how name="how" {
                            option value="STARTS_WITH" selected[search.how == "STARTS_WITH"] { "starts with" }
                            option value="CONTAINS" selected[search.how == "CONTAINS"] { "contains" }
                        }
                    }
                }
                div.row {
                    div { label for="f-routing" { "Routing profile" } (select("f-routing", "routing", &names.routing, &search.routing, Some("Any"))) }
                    div { label for="f-security" { "Security profile" } (select("f-security", "security", &names.security, &search.security, Some("Any"))) }
                    div { label for="f-group" { "Hierarchy group (with its children)" } (select("f-group", "group", &names.groups, &search.group, Some("Any"))) }
                }
                div.row {
                    div { label for="tag_key" { "Tag key" } input #tag_key type="text" name="tag_key" value=(search.tag_key); }
                    div { label for="tag_value" { "Tag value (empty: any)" } input #tag_value type="text" name="tag_value" value=(search.tag_value); }
                }
                p { button type="submit" { "Search" } " " a.button.secondary href={"/console/instances/" (instance) "/users"} { "Clear" } }
            }
        }
        @if let Some(e) = &error { div.errors role="alert" { (e.message) } }
        p #match-count aria-live="polite" { strong { (total) } " matching " @if total == 1 { "user" } @else { "users" }
            @if !users.is_empty() { " · showing " (start + 1) "–" (start + users.len() as i64) } }
        form method="post" action={"/console/instances/" (instance) "/bulk"} {
            (view::csrf_field(&s.csrf))
            (search.hidden())
            div.scroll { table #users {
                thead { tr {
                    th { span.sr { "Select" } }
                    th { "Username" } th { "First name" } th { "Last name" }
                    th { "Routing profile" } th { "Security profiles" } th { "Hierarchy group" }
                } }
                tbody {
                    @for u in &users {
                        @let id = u.id.clone().unwrap_or_default();
                        @let username = u.username.clone().unwrap_or_default();
                        @let info = u.identity_info.clone().unwrap_or_default();
                        tr {
                            td { input type="checkbox" name="user" value=(id) id={"sel-" (id)}; label.sr for={"sel-" (id)} { "Select " (username) } }
                            td { a href={"/console/instances/" (instance) "/users/" (id)} { (username) } }
                            td { (info.first_name.unwrap_or_default()) }
                            td { (info.last_name.unwrap_or_default()) }
                            td { (Names::name(&names.routing, u.routing_profile_id.as_deref().unwrap_or(""))) }
                            td { (u.security_profile_ids.clone().unwrap_or_default().iter().map(|i| Names::name(&names.security, i).to_string()).collect::<Vec<_>>().join(", ")) }
                            td { (u.hierarchy_group_id.as_deref().map(|g| Names::name(&names.groups, g).to_string()).unwrap_or_default()) }
                        }
                    }
                }
            } }
            @if !users.is_empty() {
                p {
                    button type="submit" name="scope" value="selected" { "Edit selected users" } " "
                    button.secondary type="submit" name="scope" value="all" { "Edit all " (total) " matches" }
                }
            }
        }
        nav.pages aria-label="Pages" {
            @if let Some(p) = &prev_link { a href=(p) rel="prev" { "‹ Previous 100" } }
            @if let Some(n) = &next_link { a href=(n) rel="next" { "Next 100 ›" } }
        }
    };
    respond(StatusCode::OK, page("Users", s.who(), body))
}

// ---- a user's form -------------------------------------------------------------------

/// Every field of the user form as text, from a stored user or from a posted form.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserForm {
    pub username: String,
    pub directory_user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub secondary_email: String,
    pub mobile: String,
    pub security: Vec<String>,
    pub routing: String,
    pub group: String,
    pub auto_accept: [bool; 4],
    pub acw: [String; 4],
    pub phone_type: String,
    pub phone_number: String,
    pub persistent: bool,
    pub voice_enhancement: String,
    /// The VOICE agent-first callback settings, which the form carries unchanged.
    pub callback_auto_accept: String,
    pub callback_acw: String,
    pub tags: String,
}

fn tag_text(tags: &BTreeMap<String, String>) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl UserForm {
    pub fn blank(names: &Names) -> Self {
        UserForm {
            routing: names
                .routing
                .first()
                .map(|r| r.0.clone())
                .unwrap_or_default(),
            acw: Default::default(),
            phone_type: "SOFT_PHONE".into(),
            voice_enhancement: "NONE".into(),
            ..Default::default()
        }
    }

    pub fn from_user(u: &User) -> Self {
        let info = u.identity_info.clone().unwrap_or_default();
        let mut f = UserForm {
            username: u.username.clone().unwrap_or_default(),
            directory_user_id: u.directory_user_id.clone().unwrap_or_default(),
            first_name: info.first_name.unwrap_or_default(),
            last_name: info.last_name.unwrap_or_default(),
            email: info.email.unwrap_or_default(),
            secondary_email: info.secondary_email.unwrap_or_default(),
            mobile: info.mobile.unwrap_or_default(),
            security: u.security_profile_ids.clone().unwrap_or_default(),
            routing: u.routing_profile_id.clone().unwrap_or_default(),
            group: u.hierarchy_group_id.clone().unwrap_or_default(),
            phone_type: "SOFT_PHONE".into(),
            voice_enhancement: "NONE".into(),
            tags: tag_text(&u.tags.clone().unwrap_or_default()),
            ..Default::default()
        };
        for a in u.auto_accept_configs.iter().flatten() {
            if let Some(i) = CHANNELS.iter().position(|c| *c == a.channel) {
                f.auto_accept[i] = a.auto_accept;
            }
            if a.channel == "VOICE" {
                if let Some(cb) = a.agent_first_callback_auto_accept {
                    f.callback_auto_accept = cb.to_string();
                }
            }
        }
        for a in u.after_contact_work_configs.iter().flatten() {
            if let Some(i) = CHANNELS.iter().position(|c| *c == a.channel) {
                f.acw[i] = a
                    .after_contact_work_config
                    .after_contact_work_time_limit
                    .unwrap_or(0)
                    .to_string();
            }
            if a.channel == "VOICE" {
                if let Some(cb) = &a.agent_first_callback_after_contact_work_config {
                    f.callback_acw = cb.after_contact_work_time_limit.unwrap_or(0).to_string();
                }
            }
        }
        for p in u.phone_number_configs.iter().flatten() {
            f.phone_type = p.phone_type.clone();
            f.phone_number = p.phone_number.clone().unwrap_or_default();
        }
        for p in u.persistent_connection_configs.iter().flatten() {
            f.persistent = p.persistent_connection;
        }
        for v in u.voice_enhancement_configs.iter().flatten() {
            f.voice_enhancement = v.voice_enhancement_mode.clone();
        }
        f
    }

    pub fn from_fields(f: &Fields) -> Self {
        let mut u = UserForm {
            username: f.get("username").trim().to_string(),
            directory_user_id: f.get("directory_user_id").trim().to_string(),
            first_name: f.get("first_name").to_string(),
            last_name: f.get("last_name").to_string(),
            email: f.get("email").trim().to_string(),
            secondary_email: f.get("secondary_email").trim().to_string(),
            mobile: f.get("mobile").trim().to_string(),
            security: f.all("security"),
            routing: f.get("routing").to_string(),
            group: f.get("group").to_string(),
            phone_type: f.get("phone_type").to_string(),
            phone_number: f.get("phone_number").trim().to_string(),
            persistent: f.checked("persistent"),
            voice_enhancement: f.get("voice_enhancement").to_string(),
            callback_auto_accept: f.get("callback_auto_accept").to_string(),
            callback_acw: f.get("callback_acw").to_string(),
            tags: f.get("tags").to_string(),
            ..Default::default()
        };
        for (i, c) in CHANNELS.iter().enumerate() {
            u.auto_accept[i] = f.checked(&format!("aa_{c}"));
            u.acw[i] = f.get(&format!("acw_{c}")).trim().to_string();
        }
        u
    }

    fn opt(s: &str) -> Option<String> {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    pub fn identity(&self) -> UserIdentityInfo {
        UserIdentityInfo {
            first_name: Self::opt(&self.first_name),
            last_name: Self::opt(&self.last_name),
            email: Self::opt(&self.email),
            secondary_email: Self::opt(&self.secondary_email),
            mobile: Self::opt(&self.mobile),
        }
    }

    /// The five per-channel lists, or the field whose text is not a number.
    #[allow(clippy::type_complexity)]
    pub fn channel_lists(
        &self,
    ) -> Result<
        (
            Vec<AutoAcceptConfig>,
            Vec<AfterContactWorkConfigPerChannel>,
            Vec<PhoneNumberConfig>,
            Vec<PersistentConnectionConfig>,
            Vec<VoiceEnhancementConfig>,
        ),
        ApiError,
    > {
        let seconds = |path: String, s: &str| -> Result<i32, ApiError> {
            if s.trim().is_empty() {
                return Ok(0);
            }
            s.trim().parse::<i32>().map_err(|_| {
                ApiError::new(
                    ErrorCode::InvalidParameter,
                    format!("{path}: must be a whole number of seconds, not {s:?}"),
                )
            })
        };
        let callback_acw = match self.callback_acw.trim() {
            "" => None,
            s => Some(AfterContactWorkConfig {
                after_contact_work_time_limit: Some(seconds(
                    "AfterContactWorkConfigs[0].AgentFirstCallbackAfterContactWorkConfig.AfterContactWorkTimeLimit".into(),
                    s,
                )?),
            }),
        };
        let mut aa = Vec::new();
        let mut acw = Vec::new();
        for (i, c) in CHANNELS.iter().enumerate() {
            let voice = *c == "VOICE";
            aa.push(AutoAcceptConfig {
                channel: c.to_string(),
                auto_accept: self.auto_accept[i],
                agent_first_callback_auto_accept: if voice {
                    self.callback_auto_accept.parse().ok()
                } else {
                    None
                },
            });
            acw.push(AfterContactWorkConfigPerChannel {
                channel: c.to_string(),
                after_contact_work_config: AfterContactWorkConfig {
                    after_contact_work_time_limit: Some(seconds(
                        format!("AfterContactWorkConfigs[{i}].AfterContactWorkConfig.AfterContactWorkTimeLimit"),
                        &self.acw[i],
                    )?),
                },
                agent_first_callback_after_contact_work_config: if voice {
                    callback_acw.clone()
                } else {
                    None
                },
            });
        }
        Ok((
            aa,
            acw,
            vec![PhoneNumberConfig {
                channel: "VOICE".into(),
                phone_type: self.phone_type.clone(),
                phone_number: Self::opt(&self.phone_number),
            }],
            vec![PersistentConnectionConfig {
                channel: "VOICE".into(),
                persistent_connection: self.persistent,
            }],
            vec![VoiceEnhancementConfig {
                channel: "VOICE".into(),
                voice_enhancement_mode: self.voice_enhancement.clone(),
            }],
        ))
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum FormKind {
    New,
    Edit,
}

fn channel_table(u: &UserForm, errors: &Errors) -> Markup {
    html! {
        fieldset #channels {
            legend { "Channel settings" }
            div.scroll { table {
                thead { tr { th { "Channel" } th { "Auto-accept" } th { "After contact work (seconds, 0 = no limit)" } th { "Phone type" } th { "Desk phone number" } th { "Persistent connection" } th { "Voice enhancement" } } }
                tbody {
                    @for (i, c) in CHANNELS.iter().enumerate() {
                        tr {
                            th scope="row" { (c) }
                            td { input type="checkbox" id={"aa_" (c)} name={"aa_" (c)} checked[u.auto_accept[i]]; label.sr for={"aa_" (c)} { "Auto-accept " (c) } }
                            td { label.sr for={"acw_" (c)} { "After contact work seconds " (c) } input type="number" id={"acw_" (c)} name={"acw_" (c)} value=(u.acw[i]) class="seconds"; }
                            @if *c == "VOICE" {
                                td { label.sr for="phone_type" { "Phone type" }
                                    select #phone_type name="phone_type" {
                                        option value="SOFT_PHONE" selected[u.phone_type == "SOFT_PHONE"] { "Soft phone" }
                                        option value="DESK_PHONE" selected[u.phone_type == "DESK_PHONE"] { "Desk phone" }
                                    } }
                                td { label.sr for="phone_number" { "Desk phone number" } input #phone_number type="text" name="phone_number" value=(u.phone_number) placeholder="+15555550100"; }
                                td { input #persistent type="checkbox" name="persistent" checked[u.persistent]; label.sr for="persistent" { "Persistent connection" } }
                                td { label.sr for="voice_enhancement" { "Voice enhancement" }
                                    select #voice_enhancement name="voice_enhancement" {
                                        @for m in ["NONE", "VOICE_ISOLATION", "NOISE_SUPPRESSION"] {
                                            option value=(m) selected[u.voice_enhancement == m] { (m) }
                                        }
                                    } }
                            } @else {
                                td.muted { "—" } td.muted { "—" } td.muted { "—" } td.muted { "—" }
                            }
                        }
                    }
                }
            } }
            input type="hidden" name="callback_auto_accept" value=(u.callback_auto_accept);
            input type="hidden" name="callback_acw" value=(u.callback_acw);
            @for field in ["AutoAcceptConfigs", "AfterContactWorkConfigs", "PhoneNumberConfigs", "PersistentConnectionConfigs", "VoiceEnhancementConfigs", "PhoneConfig"] {
                (errors.beside(field))
            }
        }
    }
}

fn user_fields(kind: FormKind, idm: &str, u: &UserForm, names: &Names, errors: &Errors) -> Markup {
    html! {
        fieldset {
            legend { "Identity" }
            @if kind == FormKind::New {
                label for="username" { "User login (username)" }
                input #username type="text" name="username" required value=(u.username) autocomplete="off";
                (errors.beside("Username"))
                @if idm == "CONNECT_MANAGED" {
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="new-password";
                    p.muted { "8–64 characters with an uppercase letter, a lowercase letter and a number." }
                    (errors.beside("Password"))
                }
                @if idm == "EXISTING_DIRECTORY" {
                    label for="directory_user_id" { "Directory user id" }
                    input #directory_user_id type="text" name="directory_user_id" value=(u.directory_user_id);
                    (errors.beside("DirectoryUserId"))
                }
            }
            div.row {
                div { label for="first_name" { "First name" } input #first_name type="text" name="first_name" value=(u.first_name); (errors.beside("IdentityInfo.FirstName")) }
                div { label for="last_name" { "Last name" } input #last_name type="text" name="last_name" value=(u.last_name); (errors.beside("IdentityInfo.LastName")) }
            }
            div.row {
                div { label for="email" { "Email address" } input #email type="text" name="email" value=(u.email); (errors.beside("IdentityInfo.Email")) }
                div { label for="secondary_email" { "Secondary email address" } input #secondary_email type="text" name="secondary_email" value=(u.secondary_email); (errors.beside("IdentityInfo.SecondaryEmail")) }
                div { label for="mobile" { "Mobile" } input #mobile type="text" name="mobile" value=(u.mobile); (errors.beside("IdentityInfo.Mobile")) }
            }
        }
        fieldset {
            legend { "Security profiles" }
            @for (id, name) in &names.security {
                div { input type="checkbox" name="security" id={"sp-" (id)} value=(id) checked[u.security.contains(id)]; label.inline for={"sp-" (id)} { (name) } }
            }
            (errors.beside("SecurityProfileIds"))
        }
        fieldset {
            legend { "Routing and hierarchy" }
            label for="routing" { "Routing profile" }
            (select("routing", "routing", &names.routing, &u.routing, None))
            (errors.beside("RoutingProfileId"))
            label for="group" { "Hierarchy group" }
            (select("group", "group", &names.groups, &u.group, Some("(none)")))
            (errors.beside("HierarchyGroupId"))
        }
        (channel_table(u, errors))
        fieldset {
            legend { "Tags" }
            label for="tags" { "Tags, one key=value a line" }
            textarea #tags name="tags" { (u.tags) }
            (errors.beside("Tags"))
            (errors.beside("tags"))
            (errors.beside("tagKeys"))
        }
    }
}

fn crumbs(instance: &str, alias: &str) -> Markup {
    html! {
        p { a href="/console/instances" { "Instances" } " › "
            a href={"/console/instances/" (instance) "/users"} { (alias) " users" } }
    }
}

// ---- Add user ------------------------------------------------------------------------

fn new_page(
    s: &Signed,
    instance: &str,
    inst: &Instance,
    names: &Names,
    u: &UserForm,
    errors: &Errors,
) -> Markup {
    let idm = inst.identity_management_type.clone().unwrap_or_default();
    let alias = inst.instance_alias.clone().unwrap_or_default();
    html! {
        (crumbs(instance, &alias))
        h1 { "Add user" }
        (errors.summary())
        form method="post" action={"/console/instances/" (instance) "/users/new"} {
            (view::csrf_field(&s.csrf))
            (user_fields(FormKind::New, &idm, u, names, errors))
            p { button type="submit" { "Create user" } }
        }
    }
}

pub(crate) async fn new_form(
    State(state): State<Shared>,
    s: Signed,
    Path(instance): Path<String>,
) -> Response {
    let (inst, names) = match instance_and_names(&state, &s, &instance).await {
        Ok(v) => v,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let u = UserForm::blank(&names);
    respond(
        StatusCode::OK,
        page(
            "Add user",
            s.who(),
            new_page(&s, &instance, &inst, &names, &u, &Errors::none()),
        ),
    )
}

pub(crate) async fn create(
    State(state): State<Shared>,
    Path(instance): Path<String>,
    Posted(s, f): Posted,
) -> Response {
    let (inst, names) = match instance_and_names(&state, &s, &instance).await {
        Ok(v) => v,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let u = UserForm::from_fields(&f);
    let outcome = async {
        let (aa, acw, phones, persistent, voice) = u.channel_lists()?;
        let tags = tag_lines(&u.tags);
        let req = CreateUserRequest {
            username: u.username.clone(),
            password: f
                .raw("password")
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            identity_info: Some(u.identity()),
            phone_config: None,
            directory_user_id: UserForm::opt(&u.directory_user_id),
            security_profile_ids: u.security.clone(),
            routing_profile_id: u.routing.clone(),
            hierarchy_group_id: UserForm::opt(&u.group),
            instance_id: instance.clone(),
            auto_accept_configs: Some(aa),
            after_contact_work_configs: Some(acw),
            phone_number_configs: Some(phones),
            persistent_connection_configs: Some(persistent),
            voice_enhancement_configs: Some(voice),
            tags: (!tags.is_empty()).then_some(tags),
        };
        let ctx = s.ctx();
        call(req, |r| {
            ops::CreateUser::create_user(&*state.service, &ctx, r)
        })
        .await
    }
    .await;
    match outcome {
        Ok(r) => view::redirect(&format!(
            "/console/instances/{instance}/users/{}?created=1",
            r.user_id.unwrap_or_default()
        )),
        Err(e) => respond(
            StatusCode::BAD_REQUEST,
            page(
                "Add user",
                s.who(),
                new_page(&s, &instance, &inst, &names, &u, &Errors::from_api(&e)),
            ),
        ),
    }
}

// ---- a user's page -------------------------------------------------------------------

async fn describe_user(
    state: &Shared,
    s: &Signed,
    instance: &str,
    user: &str,
) -> Result<User, ApiError> {
    let ctx = s.ctx();
    let r = call(
        DescribeUserRequest {
            user_id: user.into(),
            instance_id: instance.into(),
        },
        |r| ops::DescribeUser::describe_user(&*state.service, &ctx, r),
    )
    .await?;
    r.user
        .ok_or_else(|| ApiError::internal("DescribeUser answered no user"))
}

async fn proficiencies_of(
    state: &Shared,
    s: &Signed,
    instance: &str,
    user: &str,
) -> Result<Vec<UserProficiency>, ApiError> {
    every_page(|next| async move {
        let ctx = s.ctx();
        let r = call(
            ListUserProficienciesRequest {
                instance_id: instance.into(),
                user_id: user.into(),
                next_token: next,
                max_results: Some(100),
            },
            |r| ops::ListUserProficiencies::list_user_proficiencies(&*state.service, &ctx, r),
        )
        .await?;
        Ok((r.user_proficiency_list.unwrap_or_default(), r.next_token))
    })
    .await
}

/// What the user page shows besides the stored user.
#[derive(Default)]
pub(crate) struct Shown {
    pub form: Option<UserForm>,
    pub errors: Errors,
    pub notice: Option<String>,
    pub status: Option<StatusCode>,
}

async fn user_page(
    state: &Shared,
    s: &Signed,
    instance: &str,
    user_id: &str,
    shown: Shown,
) -> Response {
    let loaded = async {
        let inst = describe(state, s, instance).await?;
        let user = describe_user(state, s, instance, user_id).await?;
        let names = names(state, s, instance).await?;
        let profs = proficiencies_of(state, s, instance, user_id).await?;
        Ok::<_, ApiError>((inst, user, names, profs))
    }
    .await;
    let (inst, user, names, profs) = match loaded {
        Ok(v) => v,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let idm = inst.identity_management_type.clone().unwrap_or_default();
    let alias = inst.instance_alias.clone().unwrap_or_default();
    let u = shown.form.unwrap_or_else(|| UserForm::from_user(&user));
    let username = user.username.clone().unwrap_or_default();
    let base = format!("/console/instances/{instance}/users/{user_id}");
    let errors = &shown.errors;
    let body = html! {
        (crumbs(instance, &alias))
        h1 { "User " (username) }
        @if let Some(n) = &shown.notice { div.notice role="status" { (n) } }
        (errors.summary())
        section {
            dl {
                dt { "Username" } dd { (username) }
                dt { "User id" } dd { code { (user_id) } }
                @if let Some(d) = &user.directory_user_id { dt { "Directory user id" } dd { (d) } }
                dt { "Identity management" } dd { (idm) }
            }
        }
        form method="post" action=(base) {
            (view::csrf_field(&s.csrf))
            (user_fields(FormKind::Edit, &idm, &u, &names, errors))
            p { button type="submit" { "Save" } }
        }
        @if idm == "CONNECT_MANAGED" {
            section aria-labelledby="pw-h" {
                h2 #pw-h { "Reset password" }
                form method="post" action={(base) "/password"} {
                    (view::csrf_field(&s.csrf))
                    label for="new_password" { "New password" }
                    input #new_password type="password" name="password" autocomplete="new-password" required;
                    (errors.beside("Password"))
                    p { button type="submit" { "Reset password" } }
                }
            }
        }
        section aria-labelledby="prof-h" {
            h2 #prof-h { "Proficiencies" }
            @if profs.is_empty() { p.muted { "None." } } @else {
                table {
                    thead { tr { th { "Attribute" } th { "Value" } th { "Level" } th { span.sr { "Remove" } } } }
                    tbody { @for p in &profs { tr {
                        td { (p.attribute_name) } td { (p.attribute_value) } td { (p.level) }
                        td { form method="post" action={(base) "/proficiencies"} {
                            (view::csrf_field(&s.csrf))
                            input type="hidden" name="action" value="remove";
                            input type="hidden" name="attribute_name" value=(p.attribute_name);
                            input type="hidden" name="attribute_value" value=(p.attribute_value);
                            button.secondary type="submit" aria-label={"Remove " (p.attribute_name) " " (p.attribute_value)} { "Remove" }
                        } }
                    } } }
                }
            }
            form method="post" action={(base) "/proficiencies"} {
                (view::csrf_field(&s.csrf))
                input type="hidden" name="action" value="add";
                div.row {
                    div { label for="p-name" { "Attribute name" } input #p-name type="text" name="attribute_name"; }
                    div { label for="p-value" { "Attribute value" } input #p-value type="text" name="attribute_value"; }
                    div { label for="p-level" { "Level (1–5)" } input #p-level type="number" name="level" min="1" max="5" step="1" value="1"; }
                }
                (errors.beside("UserProficiencies"))
                p { button.secondary type="submit" { "Add proficiency" } }
            }
        }
        section aria-labelledby="del-h" {
            h2 #del-h { "Delete" }
            p { a.button.secondary href={(base) "/delete"} { "Delete this user…" } }
        }
    };
    respond(
        shown.status.unwrap_or(StatusCode::OK),
        page(&format!("User {username}"), s.who(), body),
    )
}

pub(crate) async fn show(
    State(state): State<Shared>,
    s: Signed,
    Path((instance, user)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let f = Fields::from_query(query.as_deref());
    let notice = if f.checked("created") {
        Some("User created.".to_string())
    } else if f.checked("saved") {
        Some("Saved.".to_string())
    } else {
        None
    };
    user_page(
        &state,
        &s,
        &instance,
        &user,
        Shown {
            notice,
            ..Default::default()
        },
    )
    .await
}

pub(crate) async fn save(
    State(state): State<Shared>,
    Path((instance, user)): Path<(String, String)>,
    Posted(s, f): Posted,
) -> Response {
    let u = UserForm::from_fields(&f);
    let outcome = async {
        let current = describe_user(&state, &s, &instance, &user).await?;
        let arn = current.arn.clone().unwrap_or_default();
        let (aa, acw, phones, persistent, voice) = u.channel_lists()?;
        let new_tags = tag_lines(&u.tags);
        let old_tags = current.tags.clone().unwrap_or_default();
        let removed: Vec<String> = old_tags
            .keys()
            .filter(|k| !new_tags.contains_key(*k))
            .cloned()
            .collect();
        let changed: BTreeMap<String, String> = new_tags
            .into_iter()
            .filter(|(k, v)| old_tags.get(k) != Some(v))
            .collect();
        let (i, uid) = (instance.clone(), user.clone());
        let change = UserChange {
            identity_info: Some(UpdateUserIdentityInfoRequest {
                identity_info: u.identity(),
                user_id: uid.clone(),
                instance_id: i.clone(),
            }),
            security_profiles: Some(UpdateUserSecurityProfilesRequest {
                security_profile_ids: u.security.clone(),
                user_id: uid.clone(),
                instance_id: i.clone(),
            }),
            routing_profile: Some(UpdateUserRoutingProfileRequest {
                routing_profile_id: u.routing.clone(),
                user_id: uid.clone(),
                instance_id: i.clone(),
            }),
            hierarchy: Some(UpdateUserHierarchyRequest {
                hierarchy_group_id: UserForm::opt(&u.group),
                user_id: uid.clone(),
                instance_id: i.clone(),
            }),
            phone_config: None,
            config: Some(UpdateUserConfigRequest {
                auto_accept_configs: Some(aa),
                after_contact_work_configs: Some(acw),
                phone_number_configs: Some(phones),
                persistent_connection_configs: Some(persistent),
                voice_enhancement_configs: Some(voice),
                user_id: uid.clone(),
                instance_id: i.clone(),
            }),
            tag: (!changed.is_empty()).then(|| TagResourceRequest {
                resource_arn: arn.clone(),
                tags: changed,
            }),
            untag: (!removed.is_empty()).then(|| UntagResourceRequest {
                resource_arn: arn.clone(),
                tag_keys: removed,
            }),
        };
        let ctx = s.ctx();
        state
            .service
            .change_user(&ctx, &instance, &user, change)
            .await
            .map_err(|f| f.error)
    }
    .await;
    match outcome {
        Ok(()) => view::redirect(&format!(
            "/console/instances/{instance}/users/{user}?saved=1"
        )),
        Err(e) if e.code == ErrorCode::ResourceNotFound && e.message.contains(&user) => {
            view::api_error(s.who(), &e)
        }
        Err(e) => {
            user_page(
                &state,
                &s,
                &instance,
                &user,
                Shown {
                    form: Some(u),
                    errors: Errors::from_api(&e),
                    status: Some(StatusCode::BAD_REQUEST),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

pub(crate) async fn reset_password(
    State(state): State<Shared>,
    Path((instance, user)): Path<(String, String)>,
    Posted(s, f): Posted,
) -> Response {
    let ctx = s.ctx();
    let shown = match state
        .service
        .reset_user_password(&ctx, &instance, &user, f.get("password"))
        .await
    {
        Ok(()) => Shown {
            notice: Some("Password changed.".into()),
            ..Default::default()
        },
        Err(e) => Shown {
            errors: Errors::from_api(&e),
            status: Some(StatusCode::BAD_REQUEST),
            ..Default::default()
        },
    };
    user_page(&state, &s, &instance, &user, shown).await
}

pub(crate) async fn proficiencies(
    State(state): State<Shared>,
    Path((instance, user)): Path<(String, String)>,
    Posted(s, f): Posted,
) -> Response {
    let ctx = s.ctx();
    let svc = &*state.service;
    let name = f.get("attribute_name").trim().to_string();
    let value = f.get("attribute_value").trim().to_string();
    let outcome = if f.get("action") == "remove" {
        call(
            DisassociateUserProficienciesRequest {
                instance_id: instance.clone(),
                user_id: user.clone(),
                user_proficiencies: vec![UserProficiencyDisassociate {
                    attribute_name: name,
                    attribute_value: value,
                }],
            },
            |r| ops::DisassociateUserProficiencies::disassociate_user_proficiencies(svc, &ctx, r),
        )
        .await
    } else {
        match f.get("level").trim().parse::<f64>() {
            Ok(level) => {
                call(
                    AssociateUserProficienciesRequest {
                        instance_id: instance.clone(),
                        user_id: user.clone(),
                        user_proficiencies: vec![UserProficiency {
                            attribute_name: name,
                            attribute_value: value,
                            level,
                        }],
                    },
                    |r| ops::AssociateUserProficiencies::associate_user_proficiencies(svc, &ctx, r),
                )
                .await
            }
            Err(_) => Err(ApiError::new(
                ErrorCode::InvalidParameter,
                "UserProficiencies[0].Level: must be a number",
            )),
        }
    };
    let shown = match outcome {
        Ok(()) => Shown {
            notice: Some("Proficiencies saved.".into()),
            ..Default::default()
        },
        Err(e) => Shown {
            errors: Errors::from_api(&e),
            status: Some(StatusCode::BAD_REQUEST),
            ..Default::default()
        },
    };
    user_page(&state, &s, &instance, &user, shown).await
}

pub(crate) async fn confirm_delete(
    State(state): State<Shared>,
    s: Signed,
    Path((instance, user)): Path<(String, String)>,
) -> Response {
    let u = match describe_user(&state, &s, &instance, &user).await {
        Ok(u) => u,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let username = u.username.unwrap_or_default();
    let body = html! {
        h1 { "Delete user " (username) "?" }
        p { "The user, its settings, proficiencies and tags are removed. This cannot be undone." }
        form method="post" action={"/console/instances/" (instance) "/users/" (user) "/delete"} {
            (view::csrf_field(&s.csrf))
            button.danger type="submit" { "Delete " (username) }
            " "
            a.button.secondary href={"/console/instances/" (instance) "/users/" (user)} { "Cancel" }
        }
    };
    respond(StatusCode::OK, page("Delete user", s.who(), body))
}

pub(crate) async fn delete(
    State(state): State<Shared>,
    Path((instance, user)): Path<(String, String)>,
    Posted(s, _): Posted,
) -> Response {
    let ctx = s.ctx();
    match call(
        DeleteUserRequest {
            instance_id: instance.clone(),
            user_id: user.clone(),
        },
        |r| ops::DeleteUser::delete_user(&*state.service, &ctx, r),
    )
    .await
    {
        Ok(()) => view::redirect(&format!("/console/instances/{instance}/users")),
        Err(e) => view::api_error(s.who(), &e),
    }
}
