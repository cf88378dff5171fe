//! The instances page: the account's instances in the signed-in Region, and creating
//! one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use roster_api::*;

use crate::form::Fields;
use crate::view::{self, page, respond, Errors};
use crate::{call, every_page, Posted, Shared, Signed};

const TYPES: [(&str, &str); 3] = [
    ("CONNECT_MANAGED", "Store users within Amazon Connect"),
    ("SAML", "SAML 2.0-based authentication"),
    (
        "EXISTING_DIRECTORY",
        "Link to an existing directory (needs a directory id)",
    ),
];

async fn all_instances(state: &Shared, s: &Signed) -> Result<Vec<InstanceSummary>, ApiError> {
    every_page(|next| async move {
        let req = ListInstancesRequest {
            next_token: next,
            max_results: Some(10),
        };
        let ctx = s.ctx();
        let r = call(req, |r| {
            ops::ListInstances::list_instances(&*state.service, &ctx, r)
        })
        .await?;
        Ok((r.instance_summary_list.unwrap_or_default(), r.next_token))
    })
    .await
}

fn render(s: &Signed, list: &[InstanceSummary], f: &Fields, errors: &Errors) -> Markup {
    let chosen = f.text("identity_management_type");
    let chosen = chosen.as_deref().unwrap_or("CONNECT_MANAGED");
    html! {
        h1 { "Instances" }
        section aria-labelledby="list-h" {
            h2 #list-h { "Instances in " (s.principal.region) }
            @if list.is_empty() {
                p.muted { "No instances yet." }
            } @else {
                div.scroll { table {
                    thead { tr { th { "Alias" } th { "Identity management" } th.hide-narrow { "Status" } th.hide-narrow { "Id" } } }
                    tbody {
                        @for i in list {
                            @let id = i.id.clone().unwrap_or_default();
                            tr {
                                td { a href={"/console/instances/" (id) "/users"} { (i.instance_alias.clone().unwrap_or_else(|| id.clone())) } }
                                td { (i.identity_management_type.clone().unwrap_or_default()) }
                                td.hide-narrow { (i.instance_status.clone().unwrap_or_default()) }
                                td.hide-narrow { code { (id) } }
                            }
                        }
                    }
                } }
            }
        }
        section aria-labelledby="create-h" {
            h2 #create-h { "Create an instance" }
            (errors.summary())
            form method="post" action="/console/instances" {
                (view::csrf_field(&s.csrf))
                label for="alias" { "Instance alias" }
                input #alias type="text" name="instance_alias" value=(f.get("instance_alias"));
                (errors.beside("InstanceAlias"))
                fieldset {
                    legend { "Identity management" }
                    @for (value, text) in TYPES {
                        div {
                            input type="radio" name="identity_management_type" id={"idm-" (value)} value=(value) checked[chosen == value];
                            label.inline for={"idm-" (value)} { (text) " (" (value) ")" }
                        }
                    }
                    (errors.beside("IdentityManagementType"))
                }
                label for="directory" { "Directory id (for an existing directory)" }
                input #directory type="text" name="directory_id" value=(f.get("directory_id"));
                (errors.beside("DirectoryId"))
                div {
                    input #inbound type="checkbox" name="inbound" checked[f.checked("inbound") || f.raw("csrf").is_none()];
                    label.inline for="inbound" { "Inbound calls" }
                    input #outbound type="checkbox" name="outbound" checked[f.checked("outbound") || f.raw("csrf").is_none()];
                    label.inline for="outbound" { "Outbound calls" }
                }
                p { button type="submit" { "Create instance" } }
            }
        }
    }
}

pub(crate) async fn list(State(state): State<Shared>, s: Signed) -> Response {
    match all_instances(&state, &s).await {
        Ok(list) => respond(
            StatusCode::OK,
            page(
                "Instances",
                s.who(),
                render(&s, &list, &Fields::default(), &Errors::none()),
            ),
        ),
        Err(e) => view::api_error(s.who(), &e),
    }
}

pub(crate) async fn create(State(state): State<Shared>, Posted(s, f): Posted) -> Response {
    let req = CreateInstanceRequest {
        client_token: None,
        identity_management_type: f.get("identity_management_type").to_string(),
        instance_alias: f.text("instance_alias"),
        directory_id: f.text("directory_id"),
        inbound_calls_enabled: f.checked("inbound"),
        outbound_calls_enabled: f.checked("outbound"),
        tags: None,
    };
    let ctx = s.ctx();
    match call(req, |r| {
        ops::CreateInstance::create_instance(&*state.service, &ctx, r)
    })
    .await
    {
        Ok(r) => view::redirect(&format!(
            "/console/instances/{}/users",
            r.id.unwrap_or_default()
        )),
        Err(e) => {
            let list = all_instances(&state, &s).await.unwrap_or_default();
            respond(
                StatusCode::BAD_REQUEST,
                page(
                    "Instances",
                    s.who(),
                    render(&s, &list, &f, &Errors::from_api(&e)),
                ),
            )
        }
    }
}

/// The instance as the signed-in caller sees it (404 for anyone else's).
pub(crate) async fn describe(state: &Shared, s: &Signed, id: &str) -> Result<Instance, ApiError> {
    let ctx = s.ctx();
    let r = call(
        DescribeInstanceRequest {
            instance_id: id.to_string(),
        },
        |r| ops::DescribeInstance::describe_instance(&*state.service, &ctx, r),
    )
    .await?;
    r.instance
        .ok_or_else(|| ApiError::internal("DescribeInstance answered no instance"))
}

pub(crate) async fn open(
    State(state): State<Shared>,
    s: Signed,
    Path(instance): Path<String>,
) -> Response {
    match describe(&state, &s, &instance).await {
        Ok(_) => view::redirect(&format!("/console/instances/{instance}/users")),
        Err(e) => view::api_error(s.who(), &e),
    }
}
