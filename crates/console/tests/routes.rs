//! The console's routes over a real service and embedded store: sign-in, the session
//! cookie, and forms refused without their CSRF token (changing nothing).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use roster_api::{ops, ListInstancesRequest, RequestContext};
use roster_service::{ConnectService, ServiceConfig};
use roster_sigv4::{Credential, Credentials, Mode};
use tower::ServiceExt;

struct Console {
    app: axum::Router,
    service: Arc<ConnectService>,
    _dir: tempfile::TempDir,
}

fn console(mode: Mode) -> Console {
    let dir = tempfile::tempdir().unwrap();
    let store = roster_store_sqlite::SqliteStore::open(dir.path(), Default::default()).unwrap();
    let service = Arc::new(ConnectService::new(
        Arc::new(store),
        ServiceConfig::default(),
    ));
    Console {
        app: roster_console::router(service.clone(), mode),
        service,
        _dir: dir,
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> (Response<Body>, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        Response::from_parts(parts, Body::empty()),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

fn post(path: &str, cookie: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap()
}

/// `name=value` of every `Set-Cookie` of a response, with its attributes.
fn set_cookies(resp: &Response<Body>) -> Vec<String> {
    resp.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn cookie_pair(set: &[String], name: &str) -> Option<String> {
    set.iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

fn csrf_of(page: &str) -> String {
    let at = page.find(r#"name="csrf" value=""#).expect("a csrf field") + 19;
    page[at..at + 64].to_string()
}

/// Signs in and answers the session's `Cookie` header.
async fn sign_in(app: &axum::Router, fields: &str) -> Result<String, (StatusCode, Vec<String>)> {
    let (resp, page) = send(app, get("/console/sign-in", "")).await;
    let nonce = cookie_pair(&set_cookies(&resp), "roster_console_signin").unwrap();
    let token = csrf_of(&page);
    let (resp, _) = send(
        app,
        post(
            "/console/sign-in",
            &nonce,
            &format!("csrf={token}&{fields}"),
        ),
    )
    .await;
    let set = set_cookies(&resp);
    match cookie_pair(&set, "roster_console") {
        Some(c) if resp.status() == StatusCode::SEE_OTHER && !c.ends_with('=') => Ok(c),
        _ => Err((resp.status(), set)),
    }
}

async fn instances(service: &ConnectService, account: &str) -> usize {
    let ctx = RequestContext {
        request_id: "t".into(),
        account_id: account.into(),
        region: "us-east-1".into(),
        access_key_id: account.into(),
    };
    ops::ListInstances::list_instances(service, &ctx, ListInstancesRequest::default())
        .await
        .map_err(roster_api::ApiError::from)
        .unwrap()
        .instance_summary_list
        .unwrap_or_default()
        .len()
}

#[tokio::test]
async fn pages_need_a_session_and_the_session_cookie_is_strict() {
    let c = console(Mode::Permissive);
    let (resp, _) = send(&c.app, get("/console/instances", "")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[header::LOCATION], "/console/sign-in");

    let (resp, page) = send(&c.app, get("/console/sign-in", "")).await;
    let nonce = cookie_pair(&set_cookies(&resp), "roster_console_signin").unwrap();
    let token = csrf_of(&page);
    let (resp, _) = send(
        &c.app,
        post(
            "/console/sign-in",
            &nonce,
            &format!("csrf={token}&account_id=123456789012&region=us-east-1"),
        ),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set = set_cookies(&resp);
    let session = set
        .iter()
        .find(|c| c.starts_with("roster_console="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(session.contains(attribute), "{session}");
    }
    let cookie = cookie_pair(&set, "roster_console").unwrap();
    let (resp, page) = send(&c.app, get("/console/instances", &cookie)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(page.contains("Account 123456789012"));

    // A changed cookie names no session.
    let forged = format!("{}0", &cookie[..cookie.len() - 1]);
    let (resp, _) = send(&c.app, get("/console/instances", &forged)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_sign_in_without_its_token_is_refused() {
    let c = console(Mode::Permissive);
    let (resp, _) = send(&c.app, get("/console/sign-in", "")).await;
    let nonce = cookie_pair(&set_cookies(&resp), "roster_console_signin").unwrap();
    for form in [
        "account_id=123456789012&region=us-east-1".to_string(),
        format!(
            "csrf={}&account_id=123456789012&region=us-east-1",
            "0".repeat(64)
        ),
    ] {
        let (resp, _) = send(&c.app, post("/console/sign-in", &nonce, &form)).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert!(cookie_pair(&set_cookies(&resp), "roster_console").is_none());
    }
}

/// Posts the instances page's create form `create` with the CSRF token `token` as the
/// session `cookie`: the status answered.
async fn create_as(app: &axum::Router, cookie: &str, token: &str, create: &str) -> StatusCode {
    let form = format!("csrf={token}&{create}");
    send(app, post("/console/instances", cookie, &form))
        .await
        .0
        .status()
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_403_and_changes_nothing() {
    let c = console(Mode::Permissive);
    let cookie = sign_in(&c.app, "account_id=123456789012&region=us-east-1")
        .await
        .unwrap();
    let (_, page) = send(&c.app, get("/console/instances", &cookie)).await;
    let token = csrf_of(&page);
    let create = "instance_alias=made&identity_management_type=SAML&inbound=on&outbound=on";
    for form in [
        create.to_string(),
        format!("csrf=&{create}"),
        format!("csrf={}&{create}", "f".repeat(64)),
    ] {
        let (resp, _) = send(&c.app, post("/console/instances", &cookie, &form)).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{form}");
    }
    // Another session's token does not do either.
    let other = sign_in(&c.app, "account_id=123456789012&region=us-east-1")
        .await
        .unwrap();
    assert_eq!(
        create_as(&c.app, &other, &token, create).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(instances(&c.service, "123456789012").await, 0);

    assert_eq!(
        create_as(&c.app, &cookie, &token, create).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(instances(&c.service, "123456789012").await, 1);

    // Signing out needs the token too, and ends the session.
    let (resp, _) = send(&c.app, post("/console/sign-out", &cookie, "")).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let (resp, _) = send(
        &c.app,
        post("/console/sign-out", &cookie, &format!("csrf={token}")),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (resp, _) = send(&c.app, get("/console/instances", &cookie)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        create_as(&c.app, &cookie, &token, create).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(instances(&c.service, "123456789012").await, 1);
}

#[tokio::test]
async fn strict_mode_signs_in_only_with_the_listed_secret() {
    let creds = Credentials::new(vec![Credential {
        access_key_id: "AKIACONSOLE".into(),
        secret_access_key: "the-secret".into(),
        account_id: "111111111111".into(),
    }])
    .unwrap();
    let c = console(Mode::Strict(creds));
    for fields in [
        "access_key_id=AKIACONSOLE&secret=wrong&region=us-east-1",
        "access_key_id=AKIACONSOLE&secret=&region=us-east-1",
        "access_key_id=AKIAOTHER&secret=the-secret&region=us-east-1",
        // Permissive mode's fields choose nothing in strict mode.
        "account_id=111111111111&region=us-east-1",
    ] {
        let (status, set) = sign_in(&c.app, fields).await.unwrap_err();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{fields}");
        assert!(cookie_pair(&set, "roster_console").is_none());
    }
    let cookie = sign_in(
        &c.app,
        "access_key_id=AKIACONSOLE&secret=the-secret&region=eu-west-2",
    )
    .await
    .unwrap();
    let (_, page) = send(&c.app, get("/console/instances", &cookie)).await;
    assert!(page.contains("Account 111111111111 · eu-west-2"));
}

#[tokio::test]
async fn unknown_console_paths_are_404_pages() {
    let c = console(Mode::Permissive);
    let (resp, page) = send(&c.app, get("/console/no/such/page", "")).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(page.contains("There is no console page here."));
}
