//! CSV upload and download: the templates, an upload run as a background job whose
//! progress page refreshes itself (no script needed) until it shows the users created
//! or every error by row and column, and the download of the instance's users or of
//! the current search's matches.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use parking_lot::Mutex;
use roster_service::{CsvTemplate, ImportFailure, ImportProgress, ImportReport, MAX_ROWS};

use crate::form::Fields;
use crate::instances::describe;
use crate::session::random_token;
use crate::users::Search;
use crate::view::{self, page, respond};
use crate::{Shared, Signed};

/// How long an upload's request waits for the import before it answers with the
/// progress page.
const FIRST_WAIT: Duration = Duration::from_millis(1500);

/// How long a finished upload's result stays viewable.
const KEEP: Duration = Duration::from_secs(60 * 60);

/// One upload: whose it is, how far it has got, and how it ended.
pub(crate) struct Job {
    session_id: String,
    instance: String,
    file_name: String,
    started: Instant,
    progress: Mutex<ImportProgress>,
    outcome: Mutex<Option<(Result<ImportReport, ImportFailure>, Duration)>>,
}

#[derive(Default)]
pub(crate) struct Jobs(Mutex<HashMap<String, Arc<Job>>>);

impl Jobs {
    fn add(&self, job: Job) -> (String, Arc<Job>) {
        let id = random_token()[..32].to_string();
        let job = Arc::new(job);
        let mut all = self.0.lock();
        all.retain(|_, j| j.started.elapsed() < KEEP);
        all.insert(id.clone(), job.clone());
        (id, job)
    }

    fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.0.lock().get(id).cloned()
    }
}

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            ("content-type", "text/csv; charset=utf-8".to_string()),
            (
                "content-disposition",
                format!("attachment; filename=\"{name}\""),
            ),
            ("cache-control", "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn template(
    State(state): State<Shared>,
    s: Signed,
    Path((instance, kind)): Path<(String, String)>,
) -> Response {
    if let Err(e) = describe(&state, &s, &instance).await {
        return view::api_error(s.who(), &e);
    }
    let (template, name) = match kind.as_str() {
        "official.csv" => (CsvTemplate::Official, "users-template.csv"),
        "extended.csv" => (CsvTemplate::Extended, "users-template-extended.csv"),
        _ => return view::not_found(s.who(), "There is no such template."),
    };
    csv_response(name, state.service.csv_template(template))
}

pub(crate) async fn download(
    State(state): State<Shared>,
    s: Signed,
    Path(instance): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let search = Search::from_fields(&Fields::from_query(query.as_deref()));
    let ctx = s.ctx();
    match state
        .service
        .export_search_csv(&ctx, &search.request(&instance, None))
        .await
    {
        Ok(body) => csv_response(&format!("users-{instance}.csv"), body),
        Err(e) => view::api_error(s.who(), &e),
    }
}

fn upload_form(s: &Signed, instance: &str, alias: &str) -> Markup {
    html! {
        p { a href="/console/instances" { "Instances" } " › "
            a href={"/console/instances/" (instance) "/users"} { (alias) " users" } }
        h1 { "Upload users (CSV)" }
        section {
            p { "A file of 1 to " (MAX_ROWS) " users in the admin website's template, or in roster's extended template, which adds a hierarchy group path (group names from the top level down, separated by " code { "/" } ") and tags (" code { "key=value;key2=value2" } "). Every row is checked before anything is written: if any row has an error, no user is created and every error is listed." }
            ul {
                li { a href={"/console/instances/" (instance) "/template/official.csv"} download { "Download the template" } " (13 columns)" }
                li { a href={"/console/instances/" (instance) "/template/extended.csv"} download { "Download the extended template" } " (15 columns)" }
            }
            form method="post" action={"/console/instances/" (instance) "/upload"} enctype="multipart/form-data" {
                (view::csrf_field(&s.csrf))
                label for="file" { "CSV file" }
                input #file type="file" name="file" accept=".csv,text/csv" required;
                p { button type="submit" { "Upload" } }
            }
        }
    }
}

pub(crate) async fn upload_page(
    State(state): State<Shared>,
    s: Signed,
    Path(instance): Path<String>,
) -> Response {
    match describe(&state, &s, &instance).await {
        Ok(i) => respond(
            StatusCode::OK,
            page(
                "Upload users",
                s.who(),
                upload_form(&s, &instance, &i.instance_alias.unwrap_or_default()),
            ),
        ),
        Err(e) => view::api_error(s.who(), &e),
    }
}

pub(crate) async fn upload(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(instance): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let mut csrf = None;
    let mut file = None;
    let mut file_name = String::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "file" {
                    file_name = field.file_name().unwrap_or("").to_string();
                }
                match field.bytes().await {
                    Ok(b) if name == "csrf" => {
                        csrf = Some(String::from_utf8_lossy(&b).into_owned())
                    }
                    Ok(b) if name == "file" => file = Some(b),
                    Ok(_) => {}
                    Err(e) => return bad_upload(&e.body_text()),
                }
            }
            Ok(None) => break,
            Err(e) => return bad_upload(&e.body_text()),
        }
    }
    // The token is checked before the file is looked at.
    let fields = Fields::parse(
        format!("csrf={}", crate::form::enc(csrf.as_deref().unwrap_or(""))).as_bytes(),
    );
    let s = match crate::signed_post(&state, &headers, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    if let Err(e) = describe(&state, &s, &instance).await {
        return view::api_error(s.who(), &e);
    }
    let Some(file) = file else {
        return bad_upload("the form has no file");
    };
    let (id, job) = state.jobs.add(Job {
        session_id: s.session_id.clone(),
        instance: instance.clone(),
        file_name,
        started: Instant::now(),
        progress: Mutex::new(ImportProgress::default()),
        outcome: Mutex::new(None),
    });
    let service = state.service.clone();
    let ctx = s.ctx();
    let mut task = tokio::spawn(async move {
        let started = Instant::now();
        let report = job.clone();
        let outcome = service
            .import_users_csv(&ctx, &job.instance, &file, move |p| {
                *report.progress.lock() = p;
            })
            .await;
        *job.outcome.lock() = Some((outcome, started.elapsed()));
    });
    // A small file is done within moments: answer with its result rather than a
    // progress page that would only show it on its first refresh.
    let _ = tokio::time::timeout(FIRST_WAIT, &mut task).await;
    view::redirect(&format!("/console/instances/{instance}/upload/{id}"))
}

fn bad_upload(why: &str) -> Response {
    respond(
        StatusCode::BAD_REQUEST,
        page(
            "Upload refused",
            None,
            html! { h1 { "The upload could not be read" } p { (why) } },
        ),
    )
}

/// The share of the work done, in thousandths: checking the rows, then hashing the
/// passwords (when the instance keeps them), then writing.
fn done_of(p: &ImportProgress) -> (u64, &'static str) {
    let total = (p.rows + p.to_hash).max(1) as u64 + 1;
    let done = (p.checked + p.hashed) as u64 + u64::from(p.written);
    let phase = if p.written {
        "written"
    } else if p.to_hash > 0 && p.checked >= p.rows {
        "hashing passwords"
    } else {
        "checking rows"
    };
    (done * 1000 / total, phase)
}

pub(crate) async fn job_page(
    State(state): State<Shared>,
    s: Signed,
    Path((instance, id)): Path<(String, String)>,
) -> Response {
    let job = match state.jobs.get(&id) {
        Some(j) if j.session_id == s.session_id && j.instance == instance => j,
        _ => return view::not_found(s.who(), "There is no such upload."),
    };
    let alias = match describe(&state, &s, &instance).await {
        Ok(i) => i.instance_alias.unwrap_or_default(),
        Err(e) => return view::api_error(s.who(), &e),
    };
    let progress = *job.progress.lock();
    let outcome = job.outcome.lock().clone();
    let users = format!("/console/instances/{instance}/users");
    let crumbs = html! {
        p { a href="/console/instances" { "Instances" } " › " a href=(users) { (alias) " users" } " › "
            a href={"/console/instances/" (instance) "/upload"} { "Upload" } }
    };
    let Some((outcome, took)) = outcome else {
        let (done, phase) = done_of(&progress);
        let body = html! {
            (crumbs)
            h1 { "Uploading " (job.file_name) }
            label for="progress" { "Progress: " (phase) }
            progress #progress max="1000" value=(done) { (done / 10) "%" }
            p #progress-text aria-live="polite" {
                (progress.checked) " of " (progress.rows) " rows checked"
                @if progress.to_hash > 0 { ", " (progress.hashed) " of " (progress.to_hash) " passwords hashed" }
            }
            p.muted { "This page refreshes itself until the upload is done." }
        };
        let mut r = respond(StatusCode::OK, page("Uploading", s.who(), body));
        if let Ok(v) = "1".parse() {
            r.headers_mut().insert("refresh", v);
        }
        return r;
    };
    let seconds = format!("{:.2}", took.as_secs_f64());
    let body = match outcome {
        Ok(report) => html! {
            (crumbs)
            h1 { "Upload done" }
            div.notice #upload-result role="status" { (report.users.len()) " users created in " (seconds) " s." }
            div.scroll { table #upload-users {
                thead { tr { th { "Row" } th { "User login" } } }
                tbody { @for u in &report.users { tr {
                    td { (u.row) }
                    td { a href={(users) "/" (u.user_id)} { (u.username) } }
                } } }
            } }
        },
        Err(ImportFailure::Rows(errors)) => html! {
            (crumbs)
            h1 { "Upload refused" }
            div.errors #upload-result role="alert" { (errors.len()) " errors: nothing was imported. Correct the file and upload it again." }
            div.scroll { table #upload-errors {
                thead { tr { th { "Row" } th { "Column" } th { "Error" } } }
                tbody { @for e in &errors { tr {
                    td { @if e.row == 0 { "file" } @else { (e.row) } }
                    td { (e.column) }
                    td { (e.message) }
                } } }
            } }
            p { a href={"/console/instances/" (instance) "/upload"} { "Upload another file" } }
        },
        Err(ImportFailure::Request(f)) => html! {
            (crumbs)
            h1 { "Upload failed" }
            div.errors #upload-result role="alert" { "Nothing was imported: " (f.message()) }
        },
    };
    respond(StatusCode::OK, page("Upload", s.who(), body))
}
