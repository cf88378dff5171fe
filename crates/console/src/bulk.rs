//! Bulk edit of the selected users, or of every match of the current search. Each
//! user's change goes through `ConnectService::change_user`: every part is checked
//! before anything is written and the settings are one atomic edit, so a user gets
//! the whole change or none of it; the page lists the outcome per user.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use roster_api::*;
use roster_service::UserChange;

use crate::form::{tag_lines, Fields};
use crate::instances::describe;
use crate::users::{instance_and_names, search_page, Search, CHANNELS};
use crate::view::{self, page, respond};
use crate::{call, every_page, Posted, Shared, Signed};

const UNCHANGED: &str = "__unchanged";

/// The users a bulk form names: (id, username).
async fn targets(
    state: &Shared,
    s: &Signed,
    instance: &str,
    f: &Fields,
) -> Result<Vec<(String, String)>, ApiError> {
    if f.get("scope") == "all" {
        let search = &Search::from_fields(f);
        return every_page(|token| async move {
            let r = search_page(state, s, instance, search, token).await?;
            let users = r.users.unwrap_or_default().into_iter();
            let users = users.map(|u| (u.id.unwrap_or_default(), u.username.unwrap_or_default()));
            Ok((users.collect(), r.next_token))
        })
        .await;
    }
    let mut out = Vec::new();
    for id in f.all("user") {
        let ctx = s.ctx();
        let u = call(
            DescribeUserRequest {
                user_id: id.clone(),
                instance_id: instance.into(),
            },
            |r| ops::DescribeUser::describe_user(&*state.service, &ctx, r),
        )
        .await?;
        out.push((id, u.user.and_then(|u| u.username).unwrap_or_default()));
    }
    Ok(out)
}

pub(crate) async fn form(
    State(state): State<Shared>,
    Path(instance): Path<String>,
    Posted(s, f): Posted,
) -> Response {
    let loaded = async {
        let (inst, names) = instance_and_names(&state, &s, &instance).await?;
        let users = targets(&state, &s, &instance, &f).await?;
        Ok::<_, ApiError>((inst, names, users))
    }
    .await;
    let (inst, names, users) = match loaded {
        Ok(v) => v,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let alias = inst.instance_alias.unwrap_or_default();
    let back = format!("/console/instances/{instance}/users");
    let body = html! {
        p { a href="/console/instances" { "Instances" } " › " a href=(back) { (alias) " users" } }
        h1 { "Edit " (users.len()) " users" }
        @if users.is_empty() {
            p { "No users were selected. " a href=(back) { "Back to the users" } }
        } @else {
            p.muted { "Fields left unchanged stay as each user has them. Each user gets the whole change or none of it." }
            details { summary { "The users" } ul { @for (_, name) in &users { li { (name) } } } }
            form method="post" action={"/console/instances/" (instance) "/bulk/apply"} {
                (view::csrf_field(&s.csrf))
                @for (id, _) in &users { input type="hidden" name="user" value=(id); }
                fieldset {
                    legend { "Security profiles" }
                    div { input #set_security type="checkbox" name="set_security"; label.inline for="set_security" { "Replace the security profiles with those ticked below" } }
                    @for (id, name) in &names.security {
                        div { input type="checkbox" name="security" id={"sp-" (id)} value=(id); label.inline for={"sp-" (id)} { (name) } }
                    }
                }
                fieldset {
                    legend { "Routing and hierarchy" }
                    label for="routing" { "Routing profile" }
                    select #routing name="routing" {
                        option value=(UNCHANGED) selected { "(unchanged)" }
                        @for (id, name) in &names.routing { option value=(id) { (name) } }
                    }
                    label for="group" { "Hierarchy group" }
                    select #group name="group" {
                        option value=(UNCHANGED) selected { "(unchanged)" }
                        option value="" { "(none)" }
                        @for (id, name) in &names.groups { option value=(id) { (name) } }
                    }
                }
                fieldset {
                    legend { "Channel settings" }
                    label for="phone_type" { "Phone type" }
                    select #phone_type name="phone_type" {
                        option value="" selected { "(unchanged)" }
                        option value="SOFT_PHONE" { "Soft phone" }
                        option value="DESK_PHONE" { "Desk phone (each user keeps their number)" }
                    }
                    div.scroll { table {
                        thead { tr { th { "Channel" } th { "Auto-accept" } th { "After contact work (seconds; empty: unchanged)" } } }
                        tbody { @for c in CHANNELS { tr {
                            th scope="row" { (c) }
                            td { label.sr for={"aa_" (c)} { "Auto-accept " (c) }
                                select id={"aa_" (c)} name={"aa_" (c)} {
                                    option value="" selected { "(unchanged)" }
                                    option value="on" { "On" }
                                    option value="off" { "Off" }
                                } }
                            td { label.sr for={"acw_" (c)} { "After contact work seconds " (c) }
                                input type="number" id={"acw_" (c)} name={"acw_" (c)} class="seconds"; }
                        } } }
                    } }
                }
                fieldset {
                    legend { "Tags" }
                    label for="add_tags" { "Add or overwrite tags, one key=value a line" }
                    textarea #add_tags name="add_tags" {}
                    label for="remove_tags" { "Remove tag keys, one a line" }
                    textarea #remove_tags name="remove_tags" {}
                }
                p { button type="submit" { "Apply to " (users.len()) " users" } " " a.button.secondary href=(back) { "Cancel" } }
            }
        }
    };
    respond(StatusCode::OK, page("Bulk edit", s.who(), body))
}

/// The change the bulk form asks of one user, given how the user is now (its ARN, its
/// desk phone number and VOICE callback settings, which the change keeps).
fn change_for(f: &Fields, instance: &str, user: &User) -> Result<UserChange, ApiError> {
    let id = user.id.clone().unwrap_or_default();
    let arn = user.arn.clone().unwrap_or_default();
    let mut change = UserChange::default();
    if f.checked("set_security") {
        change.security_profiles = Some(UpdateUserSecurityProfilesRequest {
            security_profile_ids: f.all("security"),
            user_id: id.clone(),
            instance_id: instance.into(),
        });
    }
    let routing = f.get("routing");
    if !routing.is_empty() && routing != UNCHANGED {
        change.routing_profile = Some(UpdateUserRoutingProfileRequest {
            routing_profile_id: routing.into(),
            user_id: id.clone(),
            instance_id: instance.into(),
        });
    }
    let group = f.raw("group").unwrap_or(UNCHANGED);
    if group != UNCHANGED {
        change.hierarchy = Some(UpdateUserHierarchyRequest {
            hierarchy_group_id: (!group.is_empty()).then(|| group.to_string()),
            user_id: id.clone(),
            instance_id: instance.into(),
        });
    }
    let mut config = UpdateUserConfigRequest {
        user_id: id.clone(),
        instance_id: instance.into(),
        ..Default::default()
    };
    let voice_aa = user
        .auto_accept_configs
        .iter()
        .flatten()
        .find(|a| a.channel == "VOICE");
    let voice_acw = user
        .after_contact_work_configs
        .iter()
        .flatten()
        .find(|a| a.channel == "VOICE");
    let mut aa = Vec::new();
    let mut acw = Vec::new();
    for (i, c) in CHANNELS.iter().enumerate() {
        let voice = *c == "VOICE";
        match f.get(&format!("aa_{c}")) {
            "on" | "off" => aa.push(AutoAcceptConfig {
                channel: c.to_string(),
                auto_accept: f.get(&format!("aa_{c}")) == "on",
                agent_first_callback_auto_accept: if voice {
                    voice_aa.and_then(|a| a.agent_first_callback_auto_accept)
                } else {
                    None
                },
            }),
            _ => {}
        }
        let seconds = f.get(&format!("acw_{c}")).trim();
        if !seconds.is_empty() {
            let limit = seconds.parse::<i32>().map_err(|_| {
                ApiError::new(
                    ErrorCode::InvalidParameter,
                    format!("AfterContactWorkConfigs[{i}].AfterContactWorkConfig.AfterContactWorkTimeLimit: must be a whole number of seconds, not {seconds:?}"),
                )
            })?;
            acw.push(AfterContactWorkConfigPerChannel {
                channel: c.to_string(),
                after_contact_work_config: AfterContactWorkConfig {
                    after_contact_work_time_limit: Some(limit),
                },
                agent_first_callback_after_contact_work_config: if voice {
                    voice_acw.and_then(|a| a.agent_first_callback_after_contact_work_config.clone())
                } else {
                    None
                },
            });
        }
    }
    if !aa.is_empty() {
        config.auto_accept_configs = Some(aa);
    }
    if !acw.is_empty() {
        config.after_contact_work_configs = Some(acw);
    }
    let phone_type = f.get("phone_type");
    if !phone_type.is_empty() {
        let number = user
            .phone_number_configs
            .iter()
            .flatten()
            .find(|p| p.channel == "VOICE")
            .and_then(|p| p.phone_number.clone());
        config.phone_number_configs = Some(vec![PhoneNumberConfig {
            channel: "VOICE".into(),
            phone_type: phone_type.into(),
            phone_number: number,
        }]);
    }
    if config.auto_accept_configs.is_some()
        || config.after_contact_work_configs.is_some()
        || config.phone_number_configs.is_some()
    {
        change.config = Some(config);
    }
    let add = tag_lines(f.get("add_tags"));
    if !add.is_empty() {
        change.tag = Some(TagResourceRequest {
            resource_arn: arn.clone(),
            tags: add,
        });
    }
    let remove: Vec<String> = f
        .get("remove_tags")
        .lines()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect();
    if !remove.is_empty() {
        change.untag = Some(UntagResourceRequest {
            resource_arn: arn,
            tag_keys: remove,
        });
    }
    Ok(change)
}

enum Outcome {
    Changed,
    Refused(String),
    Partly(String),
}

pub(crate) async fn apply(
    State(state): State<Shared>,
    Path(instance): Path<String>,
    Posted(s, f): Posted,
) -> Response {
    let inst = match describe(&state, &s, &instance).await {
        Ok(i) => i,
        Err(e) => return view::api_error(s.who(), &e),
    };
    let mut results: Vec<(String, String, Outcome)> = Vec::new();
    for id in f.all("user") {
        let ctx = s.ctx();
        let user = call(
            DescribeUserRequest {
                user_id: id.clone(),
                instance_id: instance.clone(),
            },
            |r| ops::DescribeUser::describe_user(&*state.service, &ctx, r),
        )
        .await
        .and_then(|r| r.user.ok_or_else(|| ApiError::internal("no user")));
        let user = match user {
            Ok(u) => u,
            Err(e) => {
                results.push((id, String::new(), Outcome::Refused(e.message)));
                continue;
            }
        };
        let username = user.username.clone().unwrap_or_default();
        let outcome = match change_for(&f, &instance, &user) {
            Err(e) => Outcome::Refused(e.message),
            Ok(change) => match state
                .service
                .change_user(&ctx, &instance, &id, change)
                .await
            {
                Ok(()) => Outcome::Changed,
                Err(e) if e.settings_written => Outcome::Partly(e.error.message),
                Err(e) => Outcome::Refused(e.error.message),
            },
        };
        results.push((id, username, outcome));
    }
    let changed = results
        .iter()
        .filter(|r| matches!(r.2, Outcome::Changed))
        .count();
    let alias = inst.instance_alias.unwrap_or_default();
    let back = format!("/console/instances/{instance}/users");
    let body = html! {
        p { a href="/console/instances" { "Instances" } " › " a href=(back) { (alias) " users" } }
        h1 { "Bulk edit: results" }
        p #bulk-summary role="status" { (changed) " of " (results.len()) " users changed." }
        div.scroll { table #bulk-results {
            thead { tr { th { "User" } th { "Result" } } }
            tbody { @for (id, name, outcome) in &results { tr {
                td { a href={"/console/instances/" (instance) "/users/" (id)} { @if name.is_empty() { (id) } @else { (name) } } }
                td { @match outcome {
                    Outcome::Changed => { "Changed" },
                    Outcome::Refused(m) => { span.error { "Not changed: " (m) } },
                    Outcome::Partly(m) => { span.error { "Settings changed, but the tags were not: " (m) } },
                } }
            } } }
        } }
        p { a href=(back) { "Back to the users" } }
    };
    respond(StatusCode::OK, page("Bulk edit results", s.who(), body))
}
