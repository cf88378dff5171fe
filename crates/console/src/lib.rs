//! The admin console: server-rendered pages at `/console` over the same
//! [`ConnectService`] the API runs on. Every read and change is an operation of the
//! API called with a [`RequestContext`] made from the session (the account and region
//! signed in), its request shape checked by the model's constraints first, so a
//! console user sees and may do exactly what an API caller with that account and
//! region may, with the API's error messages.

mod bulk;
mod csv;
mod form;
mod instances;
pub mod session;
mod users;
mod view;

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use maud::html;
use roster_api::check::Validate;
use roster_api::{ApiError, Failure, RequestContext};
use roster_service::ConnectService;
use roster_sigv4::{Mode, Verifier, DEFAULT_ACCOUNT_ID};
use tracing::info;

use crate::form::Fields;
use crate::session::{Principal, Sessions};
use crate::view::{page, respond};

pub(crate) struct Console {
    service: Arc<ConnectService>,
    verifier: Verifier,
    sessions: Sessions,
    jobs: csv::Jobs,
}

type Shared = Arc<Console>;

/// The console's routes, all under `/console`, for the server to merge before its API
/// fallback. `mode` is the server's authentication mode: strict mode signs in with a
/// key pair of its credentials file.
pub fn router(service: Arc<ConnectService>, mode: Mode) -> axum::Router {
    let state: Shared = Arc::new(Console {
        service,
        verifier: Verifier::new(mode),
        sessions: Sessions::new(),
        jobs: csv::Jobs::default(),
    });
    axum::Router::new()
        .route("/console", get(home))
        .route("/console/", get(home))
        .route("/console/static/console.css", get(css))
        .route("/console/static/icon.svg", get(icon))
        .route("/console/sign-in", get(sign_in_page).post(sign_in))
        .route("/console/sign-out", post(sign_out))
        .route(
            "/console/instances",
            get(instances::list).post(instances::create),
        )
        .route("/console/instances/{instance}", get(instances::open))
        .route("/console/instances/{instance}/users", get(users::list))
        .route(
            "/console/instances/{instance}/users/new",
            get(users::new_form).post(users::create),
        )
        .route(
            "/console/instances/{instance}/users/{user}",
            get(users::show).post(users::save),
        )
        .route(
            "/console/instances/{instance}/users/{user}/password",
            post(users::reset_password),
        )
        .route(
            "/console/instances/{instance}/users/{user}/proficiencies",
            post(users::proficiencies),
        )
        .route(
            "/console/instances/{instance}/users/{user}/delete",
            get(users::confirm_delete).post(users::delete),
        )
        .route(
            "/console/instances/{instance}/upload",
            get(csv::upload_page).post(csv::upload),
        )
        .route(
            "/console/instances/{instance}/upload/{job}",
            get(csv::job_page),
        )
        .route(
            "/console/instances/{instance}/template/{kind}",
            get(csv::template),
        )
        .route("/console/instances/{instance}/download", get(csv::download))
        .route("/console/instances/{instance}/bulk", post(bulk::form))
        .route(
            "/console/instances/{instance}/bulk/apply",
            post(bulk::apply),
        )
        .route("/console/{*rest}", any(unknown))
        .with_state(state)
        .layer(axum::middleware::from_fn(log_request))
}

/// One log line per console request, as the API has: method, path (never the query
/// or the body, which may hold what a person typed), status and latency.
async fn log_request(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    info!(%method, %path, status = response.status().as_u16(), latency_ms, "console");
    response
}

/// A signed-in request: who, and the session's CSRF token for the forms it renders.
pub(crate) struct Signed {
    pub session_id: String,
    pub principal: Principal,
    pub csrf: String,
}

impl Signed {
    pub fn who(&self) -> Option<(&Principal, &str)> {
        Some((&self.principal, self.csrf.as_str()))
    }

    /// The context an API call signed by this principal would have.
    pub fn ctx(&self) -> RequestContext {
        RequestContext {
            request_id: uuid::Uuid::new_v4().to_string(),
            account_id: self.principal.account_id.clone(),
            region: self.principal.region.clone(),
            access_key_id: self.principal.access_key_id.clone(),
        }
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| session::cookie_value(h, name))
}

/// The session of a request, or a redirect to the sign-in page.
pub(crate) fn signed(state: &Console, headers: &HeaderMap) -> Result<Signed, Box<Response>> {
    let found = cookie(headers, session::COOKIE).and_then(|c| state.sessions.find(c));
    match found {
        Some((session_id, principal)) => Ok(Signed {
            csrf: state.sessions.csrf_token(&session_id),
            session_id,
            principal,
        }),
        None => Err(Box::new(view::redirect("/console/sign-in"))),
    }
}

/// The session of a form post whose CSRF token is this session's: otherwise 403 (and
/// nothing is done).
pub(crate) fn signed_post(
    state: &Console,
    headers: &HeaderMap,
    fields: &Fields,
) -> Result<Signed, Box<Response>> {
    let s = match signed(state, headers) {
        Ok(s) => s,
        Err(_) => return Err(Box::new(view::forbidden())),
    };
    if !state.sessions.csrf_ok(&s.session_id, fields.raw("csrf")) {
        return Err(Box::new(view::forbidden()));
    }
    Ok(s)
}

/// A page's session, as a handler's argument: a request without one is sent to the
/// sign-in page.
impl FromRequestParts<Shared> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        signed(state, &parts.headers).map_err(|r| *r)
    }
}

/// A form post's session and fields, as a handler's argument: a post without the
/// session's CSRF token is refused with 403 before the handler runs.
pub(crate) struct Posted(pub Signed, pub Fields);

impl FromRequest<Shared> for Posted {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &Shared) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let f = Fields::parse(&body);
        let s = signed_post(state, &headers, &f).map_err(|r| *r)?;
        Ok(Posted(s, f))
    }
}

/// Runs an operation as the API does: the model's constraints on its request shape
/// first, then the operation.
pub(crate) async fn call<I, O, E, F, Fut>(input: I, op: F) -> Result<O, ApiError>
where
    I: Validate,
    E: From<Failure>,
    ApiError: From<E>,
    F: FnOnce(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    if let Err(v) = input.validate() {
        return Err(ApiError::from(E::from(Failure::from(v))));
    }
    op(input).await.map_err(ApiError::from)
}

/// Every page of a listing, in order: `page` fetches the page a token names (the
/// first page for none) and answers its items and the next token.
pub(crate) async fn every_page<T, F, Fut>(mut page: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ApiError>>,
{
    let mut out = Vec::new();
    let mut next = None;
    loop {
        let (items, token) = page(next).await?;
        out.extend(items);
        match token {
            Some(t) => next = Some(t),
            None => return Ok(out),
        }
    }
}

async fn css() -> Response {
    (
        [
            ("content-type", "text/css; charset=utf-8"),
            ("cache-control", "max-age=300"),
        ],
        view::CSS,
    )
        .into_response()
}

async fn icon() -> Response {
    (
        [
            ("content-type", "image/svg+xml"),
            ("cache-control", "max-age=300"),
        ],
        view::ICON,
    )
        .into_response()
}

async fn home(State(state): State<Shared>, headers: HeaderMap) -> Response {
    match signed(&state, &headers) {
        Ok(_) => view::redirect("/console/instances"),
        Err(r) => *r,
    }
}

async fn unknown(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let s = signed(&state, &headers).ok();
    view::not_found(
        s.as_ref().and_then(|s| s.who()),
        "There is no console page here.",
    )
}

fn strict(state: &Console) -> bool {
    matches!(state.verifier.mode(), Mode::Strict(_))
}

fn sign_in_form(state: &Console, nonce: &str, error: Option<&str>, f: &Fields) -> Response {
    let token = state.sessions.sign_in_token(nonce);
    let region = f.text("region").unwrap_or_else(|| "us-east-1".into());
    let body = html! {
        h1 { "Sign in" }
        @if let Some(e) = error { div.errors role="alert" { (e) } }
        section {
            form method="post" action="/console/sign-in" {
                input type="hidden" name="csrf" value=(token);
                @if strict(state) {
                    p.muted { "This server checks keys: sign in with an access key id and secret access key from its credentials file." }
                    label for="access_key_id" { "Access key id" }
                    input #access_key_id type="text" name="access_key_id" autocomplete="username" required value=(f.get("access_key_id"));
                    label for="secret" { "Secret access key" }
                    input #secret type="password" name="secret" autocomplete="current-password" required;
                } @else {
                    p.muted { "This server accepts any caller: choose the account and Region to work in." }
                    label for="account_id" { "Account id" }
                    input #account_id type="text" name="account_id" inputmode="numeric" pattern="[0-9]{12}" required
                        value=(f.text("account_id").unwrap_or_else(|| DEFAULT_ACCOUNT_ID.into()));
                }
                label for="region" { "Region" }
                input #region type="text" name="region" required value=(region);
                p { button type="submit" { "Sign in" } }
            }
        }
    };
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let mut r = respond(status, page("Sign in", None, body));
    if let Ok(v) = session::set_cookie(session::SIGN_IN_COOKIE, nonce).parse() {
        r.headers_mut().append("set-cookie", v);
    }
    r
}

async fn sign_in_page(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let nonce = cookie(&headers, session::SIGN_IN_COOKIE)
        .filter(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
        .unwrap_or_else(session::random_token);
    sign_in_form(&state, &nonce, None, &Fields::default())
}

fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 32
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

async fn sign_in(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let f = Fields::parse(&body);
    let nonce = cookie(&headers, session::SIGN_IN_COOKIE).map(str::to_string);
    if !state.sessions.sign_in_ok(nonce.as_deref(), f.raw("csrf")) {
        return view::forbidden();
    }
    let nonce = nonce.unwrap_or_default();
    let region = f.get("region").trim().to_string();
    if !valid_region(&region) {
        return sign_in_form(
            &state,
            &nonce,
            Some("Region: must be a Region name such as us-east-1"),
            &f,
        );
    }
    let principal = if strict(&state) {
        let akid = f.get("access_key_id").trim();
        match state.verifier.check_secret(akid, f.get("secret"), &region) {
            Ok(id) => Principal {
                account_id: id.account_id,
                region: id.region,
                access_key_id: id.access_key_id,
            },
            Err(_) => {
                info!(access_key_id = akid, "console sign-in refused");
                return sign_in_form(
                    &state,
                    &nonce,
                    Some("The access key id and secret access key do not match a key this server accepts."),
                    &f,
                );
            }
        }
    } else {
        let account = f.get("account_id").trim();
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return sign_in_form(&state, &nonce, Some("Account id: must be 12 digits"), &f);
        }
        Principal {
            account_id: account.to_string(),
            region: region.clone(),
            access_key_id: account.to_string(),
        }
    };
    info!(account = %principal.account_id, region = %principal.region, "console sign-in");
    let cookie_value = state.sessions.start(principal);
    let mut r = view::redirect("/console/instances");
    for c in [
        session::set_cookie(session::COOKIE, &cookie_value),
        session::clear_cookie(session::SIGN_IN_COOKIE),
    ] {
        if let Ok(v) = c.parse() {
            r.headers_mut().append("set-cookie", v);
        }
    }
    r
}

async fn sign_out(State(state): State<Shared>, Posted(s, _): Posted) -> Response {
    state.sessions.end(&s.session_id);
    let mut r = view::redirect("/console/sign-in");
    if let Ok(v) = session::clear_cookie(session::COOKIE).parse() {
        r.headers_mut().append("set-cookie", v);
    }
    r
}
