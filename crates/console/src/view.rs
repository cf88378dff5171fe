//! The page frame, the style sheet and the pieces every page uses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use roster_api::ApiError;

use crate::session::Principal;

pub const CSS: &str = r#"
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#16191f;background:#f2f3f3}
header{background:#232f3e;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header a{color:#fff}
header .who{margin-left:auto;font-size:.9rem}
main{padding:1rem;max-width:1400px;margin:0 auto}
h1{font-size:1.4rem;margin:.4rem 0 1rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
section,fieldset{background:#fff;border:1px solid #d5dbdb;border-radius:4px;padding:.8rem 1rem;margin:0 0 1rem}
legend{font-weight:600}
label{display:block;font-weight:600;margin:.4rem 0 .15rem}
label.inline{display:inline;font-weight:normal;margin:0 .8rem 0 .2rem}
input[type=text],input[type=password],input[type=number],input[type=search],select,textarea{font:inherit;padding:.35rem .45rem;border:1px solid #879596;border-radius:3px;width:100%;max-width:28rem;background:#fff}
textarea{min-height:4.5rem}
input.seconds{max-width:8rem}
button,.button{font:inherit;padding:.4rem .9rem;border-radius:3px;border:1px solid #ec7211;background:#ec7211;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#16191f;border-color:#879596}
button.danger{background:#d13212;border-color:#d13212}
:focus-visible{outline:3px solid #0073bb;outline-offset:2px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #eaeded;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#fafafa}
.scroll{overflow-x:auto}
.error{color:#d13212;margin:.15rem 0}
.errors{border:2px solid #d13212;background:#fdf3f1;padding:.5rem 1rem;margin-bottom:1rem}
.notice{border:2px solid #1d8102;background:#f2f8f0;padding:.5rem 1rem;margin-bottom:1rem}
.row{display:flex;flex-wrap:wrap;gap:0 1rem}
.row>div{flex:1 1 14rem;min-width:0}
.muted{color:#687078}
nav.pages{margin:.8rem 0;display:flex;gap:1rem;align-items:center}
.sr{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
@media (max-width:600px){main{padding:.5rem}th,td{padding:.3rem}.hide-narrow{display:none}}
"#;

/// The browser tab's icon.
pub const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#232f3e"/><path d="M4 4h5a3 3 0 0 1 0 6H7l3 3H8L5 10V4zm2 2v2h3a1 1 0 0 0 0-2z" fill="#ec7211"/></svg>"##;

/// The pages load nothing but the console's style sheet, run no script, post only to
/// roster and are never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A whole page.
pub fn page(title: &str, who: Option<(&Principal, &str)>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · roster console" }
                link rel="stylesheet" href="/console/static/console.css";
                link rel="icon" href="/console/static/icon.svg" type="image/svg+xml";
            }
            body {
                header {
                    a href="/console/instances" { strong { "roster console" } }
                    @if let Some((p, csrf)) = who {
                        span.who {
                            "Account " (p.account_id) " · " (p.region)
                        }
                        form method="post" action="/console/sign-out" {
                            input type="hidden" name="csrf" value=(csrf);
                            button.secondary type="submit" { "Sign out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// The hidden CSRF field of a form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// Errors of a refused form, each kept with the field path its message starts with.
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn none() -> Self {
        Errors(Vec::new())
    }

    /// An API error; its message names the field (`IdentityInfo.FirstName: …`).
    pub fn from_api(e: &ApiError) -> Self {
        let mut errors = Errors::none();
        errors.push_api(e);
        errors
    }

    pub fn push_api(&mut self, e: &ApiError) {
        let path = e
            .message
            .split_once(':')
            .map(|(p, _)| p.trim().to_string())
            .filter(|p| !p.contains(' '))
            .unwrap_or_default();
        self.0.push((path, e.message.clone()));
    }

    /// The messages about `field` (its path or anything under it).
    pub fn at(&self, field: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(p, _)| {
                p == field
                    || p.strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// The messages beside a field, with an id the field can name in
    /// `aria-describedby`.
    pub fn beside(&self, field: &str) -> Markup {
        let msgs = self.at(field);
        html! {
            @for m in msgs {
                p.error id={"err-" (field)} role="alert" { (m) }
            }
        }
    }

    /// Every message, at the top of a form.
    pub fn summary(&self) -> Markup {
        html! {
            @if !self.0.is_empty() {
                div.errors role="alert" {
                    strong { "Nothing was saved:" }
                    ul { @for (_, m) in &self.0 { li { (m) } } }
                }
            }
        }
    }
}

/// An HTML response.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [
            ("content-type", "text/html; charset=utf-8"),
            ("cache-control", "no-store"),
            ("x-frame-options", "DENY"),
            ("content-security-policy", CSP),
        ],
        markup.into_string(),
    )
        .into_response()
}

pub fn not_found(who: Option<(&Principal, &str)>, what: &str) -> Response {
    respond(
        StatusCode::NOT_FOUND,
        page(
            "Not found",
            who,
            html! { h1 { "Not found" } p { (what) } p { a href="/console/instances" { "Back to instances" } } },
        ),
    )
}

/// An API error outside a form: not found as 404, the rest as an error page.
pub fn api_error(who: Option<(&Principal, &str)>, e: &ApiError) -> Response {
    match e.code {
        roster_api::ErrorCode::ResourceNotFound => not_found(who, &e.message),
        roster_api::ErrorCode::InternalService => respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            page(
                "Error",
                who,
                html! { h1 { "The request failed" } p { (e.message) } },
            ),
        ),
        _ => respond(
            StatusCode::BAD_REQUEST,
            page("Refused", who, html! { h1 { "Refused" } p { (e.message) } }),
        ),
    }
}

pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [("location", to.to_string())]).into_response()
}

pub fn forbidden() -> Response {
    respond(
        StatusCode::FORBIDDEN,
        page(
            "Forbidden",
            None,
            html! { h1 { "Forbidden" } p { "The form's security token is missing or does not belong to this session; nothing was changed. Reload the page and try again." } },
        ),
    )
}
