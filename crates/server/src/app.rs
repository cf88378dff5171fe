//! The application: one handler that authenticates, routes, decodes, dispatches and
//! renders every API request, plus `/health`; served by [`crate::http`] until the
//! shutdown signal.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use roster_api::{ApiError, ErrorCode, Problem, RequestContext};
use roster_service::{ConnectService, CsvTemplate, ImportFailure, ServiceConfig};
use roster_sigv4::{AuthErrorKind, RequestParts, Verifier};
use roster_store::Store;
use roster_store_postgres::{PostgresOptions, PostgresStore};
use roster_wire::{
    error_response, ok_response_as, Bound, Router, CONTENT_TYPE_JSON, MAX_BODY_BYTES,
};
use tracing::{error, info, warn};

use crate::config::{DatabaseUrl, ExportArgs, LogFormat, ServeArgs};
use crate::faults::{injected, Fault, FaultSpec, Faults};
use crate::inspector::{self, Inspector, Record};
use crate::metrics::Metrics;
use crate::throttle::Throttle;

struct AppState {
    router: Router,
    verifier: Verifier,
    service: Arc<ConnectService>,
    store: Arc<dyn Store>,
    /// The PostgreSQL store, when that is the backend: `/health` checks that it
    /// answers.
    postgres: Option<Arc<PostgresStore>>,
    throttle: Throttle,
    faults: Faults,
    /// With `--metrics`.
    metrics: Option<Arc<Metrics>>,
    /// With `--inspect`.
    inspector: Option<Inspector>,
}

/// How long `/health` waits for the database to answer.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// Opens the store the flags name: PostgreSQL with `--database-url`, else the
/// embedded store in `--data`.
async fn open_store(
    args: &ServeArgs,
    metrics: Option<&Metrics>,
) -> anyhow::Result<(Arc<dyn Store>, Option<Arc<PostgresStore>>)> {
    open_store_at(
        &args.data,
        args.database_url.as_ref(),
        args.database_pool_size,
        metrics,
    )
    .await
}

async fn open_store_at(
    data: &std::path::Path,
    database_url: Option<&DatabaseUrl>,
    pool_size: u32,
    metrics: Option<&Metrics>,
) -> anyhow::Result<(Arc<dyn Store>, Option<Arc<PostgresStore>>)> {
    match database_url {
        Some(url) => {
            let options = PostgresOptions {
                pool_size: pool_size as usize,
                ..PostgresOptions::default()
            };
            let store = PostgresStore::connect(url.reveal(), options)
                .await
                .with_context(|| format!("opening the PostgreSQL store at {}", url.redacted()))?;
            let store = Arc::new(store);
            info!(
                backend = %store.backend(),
                database = %url.redacted(),
                pool_size,
                trigram_indexes = store.trigram_indexes(),
                "store open"
            );
            Ok((store.clone(), Some(store)))
        }
        None => {
            let store = roster_store_sqlite::SqliteStore::open(data, Default::default())
                .with_context(|| format!("opening the store in {}", data.display()))?;
            info!(backend = %store.backend(), data = %data.display(), "store open");
            if let Some(metrics) = metrics {
                store.observe_commits(metrics.commit_observer());
            }
            Ok((Arc::new(store), None))
        }
    }
}

/// Applies the `--seed` file, read at `path`, to the open store.
async fn apply_seed(
    path: &std::path::Path,
    file: &crate::seed::SeedFile,
    max_users: u64,
    store: &dyn Store,
) -> anyhow::Result<()> {
    match crate::seed::load::apply(store, file, max_users).await {
        Ok(applied) => {
            info!(
                seed = %path.display(),
                instances_created = applied.instances,
                entities_created = applied.entities,
                left_as_they_were = applied.existing,
                "seed applied"
            );
            Ok(())
        }
        Err(refusal) => Err(anyhow::anyhow!(
            "the seed file {} was not applied: {refusal}",
            path.display()
        )),
    }
}

/// `roster export`: the store's whole state as a seed file.
pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let _log = init_logging(LogFormat::Text);
    if args.database_url.is_none() && !args.data.join(roster_store_sqlite::DATABASE_FILE).is_file()
    {
        anyhow::bail!(
            "{} holds no roster store ({} is missing)",
            args.data.display(),
            roster_store_sqlite::DATABASE_FILE
        );
    }
    let (store, _) = open_store_at(&args.data, args.database_url.as_ref(), 2, None)
        .await
        .context("the embedded store is open in one process at a time: stop the server using it, or export its PostgreSQL database")?;
    let exported = crate::seed::export::export(store.as_ref()).await;
    store.close().await;
    let file = exported.context("reading the store")?;
    let text = crate::seed::render(&file)?;
    match &args.output {
        Some(path) => {
            write_durably(path, text.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            info!(output = %path.display(), instances = file.instances.len(), "exported");
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("writing to standard output")?;
        }
    }
    Ok(())
}

/// Writes the file through a temporary sibling, synced, then renamed into place.
fn write_durably(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp-export");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

/// The rules `--faults` names, or none.
fn fault_spec(args: &ServeArgs) -> anyhow::Result<FaultSpec> {
    let Some(path) = &args.faults else {
        return Ok(FaultSpec::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the fault rules in {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("the fault rules in {}", path.display()))
}

/// Log lines go to stderr through a buffer that a thread of its own drains, so that
/// a request never waits for the terminal or pipe; the returned guard flushes it when
/// dropped. Lines are never dropped: past 128,000 queued, writers wait.
fn init_logging(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("roster-log")
        .finish(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROSTER_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(writer);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => builder.json().with_current_span(false).init(),
    }
    guard
}

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let _log = init_logging(args.log_format);

    let mode = args.auth_mode()?;
    // A seed file that does not parse is refused before the store is opened.
    let seed = match &args.seed {
        Some(path) => Some((path, crate::seed::read(path)?)),
        None => None,
    };
    let metrics = args.metrics.then(|| Arc::new(Metrics::new()));
    let (store, postgres) = open_store(&args, metrics.as_deref()).await?;
    if let Some((path, file)) = &seed {
        if let Err(e) = apply_seed(path, file, args.max_users_per_instance, store.as_ref()).await {
            store.close().await;
            return Err(e);
        }
    }

    let service = Arc::new(ConnectService::new(
        store.clone(),
        ServiceConfig {
            max_users_per_instance: args.max_users_per_instance,
        },
    ));
    let state = Arc::new(AppState {
        router: Router::new(),
        verifier: Verifier::new(mode.clone()),
        service: service.clone(),
        store: store.clone(),
        postgres,
        throttle: Throttle::new(args.throttle),
        faults: Faults::new(fault_spec(&args)?).map_err(|e| anyhow::anyhow!("--faults: {e}"))?,
        metrics: metrics.clone(),
        inspector: args.inspect.map(|n| Inspector::new(n as usize)),
    });
    let mut app = axum::Router::new().route("/health", get(health));
    if let Some(m) = &metrics {
        let (m, store) = (m.clone(), store.clone());
        app = app.route("/metrics", get(move || scrape(m.clone(), store.clone())));
    }
    // The console's pages at /console, routed before the API's fallback.
    let app = app
        .fallback(handle)
        .with_state(state)
        .merge(roster_console::router(service, mode));

    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr()?;
    info!(%addr, "listening");
    // The ready line: tests and scripts wait for it on stdout.
    println!("roster listening on http://{addr}");

    let connections = metrics.as_ref().map(|m| m.connections());
    crate::http::serve(listener, app, connections, shutdown_signal()).await;
    info!("shutting down: in-flight requests finished, closing the store");
    store.close().await;
    info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// 200 `{"status":"ok","store":BACKEND}` while the store can serve; with
/// PostgreSQL, 503 `{"status":"unavailable",…}` when the database does not answer
/// within [`HEALTH_TIMEOUT`], so that a load balancer stops sending requests here.
async fn health(State(state): State<Arc<AppState>>) -> Response {
    let backend = state.store.backend();
    let unavailable = match &state.postgres {
        None => None,
        Some(pg) => match tokio::time::timeout(HEALTH_TIMEOUT, pg.ping()).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some(format!(
                "the database did not answer within {} s",
                HEALTH_TIMEOUT.as_secs()
            )),
        },
    };
    let (status, body) = match unavailable {
        None => (
            StatusCode::OK,
            serde_json::json!({"status": "ok", "store": backend}),
        ),
        Some(why) => {
            warn!(store = backend, error = %why, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"status": "unavailable", "store": backend}),
            )
        }
    };
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `GET /metrics`: every instrument, after counting the store's users (left at
/// the last count if the store does not answer within [`HEALTH_TIMEOUT`]).
async fn scrape(metrics: Arc<Metrics>, store: Arc<dyn Store>) -> Response {
    let users = match tokio::time::timeout(HEALTH_TIMEOUT, store.user_count()).await {
        Ok(Ok(n)) => Some(n),
        Ok(Err(e)) => {
            warn!(error = %e, "counting the store's users for /metrics failed");
            None
        }
        Err(_) => None,
    };
    (
        StatusCode::OK,
        [("content-type", crate::metrics::CONTENT_TYPE)],
        metrics.render(store.backend(), users),
    )
        .into_response()
}

fn auth_error(kind: AuthErrorKind, message: String) -> ApiError {
    let code = match kind {
        AuthErrorKind::MissingAuthenticationToken => ErrorCode::MissingAuthenticationToken,
        AuthErrorKind::IncompleteSignature => ErrorCode::IncompleteSignature,
        AuthErrorKind::UnrecognizedClient => ErrorCode::UnrecognizedClient,
        AuthErrorKind::InvalidSignature => ErrorCode::InvalidSignature,
    };
    ApiError::new(code, message)
}

/// Every API request: read the body (1 MiB at most), verify the signature, find the
/// operation, merge its input, run it, render the outcome.
async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    if !headers.iter().any(|(k, _)| k == "host") {
        if let Some(authority) = parts.uri.authority() {
            headers.push(("host".into(), authority.to_string()));
        }
    }

    let mut operation = "-";
    let mut content_type = CONTENT_TYPE_JSON;
    // roster's own endpoints take whole files (a CSV import of 1,000 users).
    let body_limit = if path.starts_with("/_roster/") {
        CONTROL_MAX_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    // Who called, for the inspector.
    let mut caller: Option<(String, String)> = None;
    let mut request_body = bytes::Bytes::new();
    let outcome: Result<Vec<u8>, ApiError> = async {
        let body = axum::body::to_bytes(body, body_limit).await.map_err(|e| {
            let too_large = std::error::Error::source(&e)
                .map(|s| s.to_string().contains("length limit"))
                .unwrap_or(false)
                || e.to_string().contains("length limit");
            if too_large {
                ApiError::new(
                    ErrorCode::RequestEntityTooLarge,
                    format!("request body: must be at most {body_limit} bytes"),
                )
            } else {
                ApiError::new(
                    ErrorCode::Serialization,
                    format!("request body could not be read: {e}"),
                )
            }
        })?;
        let request = RequestParts {
            method: &method,
            raw_path: &path,
            raw_query: &query,
            headers: &headers,
            body: &body,
        };
        let identity = state
            .verifier
            .verify(&request, SystemTime::now())
            .map_err(|e| auth_error(e.kind, e.message.clone()))?;
        if state.inspector.is_some() {
            caller = Some((identity.account_id.clone(), identity.region.clone()));
            let declared = headers
                .iter()
                .find(|(k, _)| k == "content-type")
                .map(|(_, v)| v.as_str());
            request_body = inspector::kept(declared, &body);
        }
        if let Some(control) = path.strip_prefix("/_roster/") {
            operation = CONTROL;
            let ctx = RequestContext {
                request_id: request_id.clone(),
                account_id: identity.account_id,
                region: identity.region,
                access_key_id: identity.access_key_id,
            };
            let (answer, kind) =
                control_request(&state, ctx, &method, control, &query, body).await?;
            content_type = kind;
            return Ok(answer);
        }
        let matched = state.router.route(&method, &path)?;
        let op = matched.operation;
        operation = op.name();
        if let Err(e) = state
            .throttle
            .check(operation, &identity.account_id, &identity.region)
        {
            if let Some(m) = &state.metrics {
                m.throttled(operation);
            }
            return Err(e);
        }
        match state.faults.decide(operation) {
            Some(Fault::Error(code)) => {
                if let Some(m) = &state.metrics {
                    m.faulted(operation, code.shape());
                }
                return Err(injected(code, operation));
            }
            Some(Fault::Delay(wait)) => {
                if let Some(m) = &state.metrics {
                    m.faulted(operation, "delay");
                }
                tokio::time::sleep(wait).await
            }
            None => {}
        }
        if !op.spec().served {
            return Err(ApiError::not_implemented(operation));
        }
        let ctx = RequestContext {
            request_id: request_id.clone(),
            account_id: identity.account_id,
            region: identity.region,
            access_key_id: identity.access_key_id,
        };
        let service = state.service.clone();
        let query = query.clone();
        let headers = std::mem::take(&mut headers);
        // A panic in an operation must not drop the connection: run it as its own task
        // and answer 500 if it fails.
        tokio::spawn(async move {
            let bound = Bound::new(matched, &query, &headers)?;
            roster_api::dispatch(service.as_ref(), &ctx, op, &body, &bound).await
        })
        .await
        .unwrap_or_else(|e| {
            Err(ApiError::internal(format!(
                "the operation failed unexpectedly: {e}"
            )))
        })
    }
    .await;

    let elapsed = started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    let rendered = match outcome {
        Ok(body) => {
            let rendered = ok_response_as(body, content_type, &request_id);
            info!(%request_id, operation, status = rendered.status, latency_ms, "request");
            rendered
        }
        Err(err) => {
            if err.code == ErrorCode::InternalService {
                error!(%request_id, operation, message = %err.message, "internal error");
            }
            let rendered = error_response(&err, &request_id);
            warn!(%request_id, operation, status = rendered.status, latency_ms, error = err.code.shape(), "request");
            rendered
        }
    };
    if let Some(m) = &state.metrics {
        m.answered(operation, rendered.status, elapsed);
    }
    if let Some(inspector) = &state.inspector {
        // Reading the inspector is not itself kept.
        if !(operation == CONTROL && path == "/_roster/requests") {
            let (account_id, region) = caller.unzip();
            inspector.record(Record {
                time_ms: roster_domain::Timestamp::now().0,
                request_id,
                operation,
                account_id,
                region,
                method,
                path,
                status: rendered.status,
                latency_ms,
                request_body,
                response_body: inspector::kept(
                    rendered
                        .headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                        .map(|(_, v)| v.as_str()),
                    &rendered.body,
                ),
            });
        }
    }
    into_http(rendered)
}

/// The most bytes a request to one of roster's own endpoints may carry.
const CONTROL_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

const CONTENT_TYPE_CSV: &str = "text/csv; charset=utf-8";

/// The operation name requests to roster's own endpoints are counted and kept under.
const CONTROL: &str = "roster-control";

/// roster's own control endpoints (authenticated like an API call, acting as the
/// signing account and region):
/// - `/_roster/faults`: the fault rules — GET them, PUT a new set (`FaultSpec`
///   JSON), DELETE them all;
/// - `GET /_roster/requests`: with `--inspect`, the last requests;
/// - `POST /_roster/instances/{InstanceId}/users/import`: a CSV file of users (body),
///   created all or none; 200 with the users made, or 400 with every error by row
///   and column;
/// - `GET /_roster/instances/{InstanceId}/users/export`: the instance's users as CSV.
///
/// Answers the body and its content type.
async fn control_request(
    state: &AppState,
    ctx: RequestContext,
    method: &str,
    path: &str,
    query: &str,
    body: bytes::Bytes,
) -> Result<(Vec<u8>, &'static str), ApiError> {
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        ["faults"] => faults_request(state, method, &body).map(|b| (b, CONTENT_TYPE_JSON)),
        ["requests"] => requests_request(state, method, query).map(|b| (b, CONTENT_TYPE_JSON)),
        ["instances", instance, "users", action @ ("import" | "export")] => {
            let instance = percent_encoding::percent_decode_str(instance)
                .decode_utf8()
                .map_err(|_| {
                    ApiError::invalid_parameter("InstanceId: is not UTF-8 once percent-decoded")
                })?
                .into_owned();
            match (*action, method) {
                ("import", "POST") => users_import(state, ctx, instance, body).await,
                ("export", "GET") => users_export(state, ctx, instance).await,
                (action, _) => Err(ApiError::new(
                    ErrorCode::UnknownOperation,
                    format!(
                        "/_roster/instances/{{InstanceId}}/users/{action} answers {}, not {method}",
                        if action == "import" { "POST" } else { "GET" }
                    ),
                )),
            }
        }
        _ => Err(ApiError::new(
            ErrorCode::UnknownOperation,
            format!(
                "/_roster/{path} is not one of roster's endpoints (/_roster/faults, /_roster/requests, /_roster/instances/{{InstanceId}}/users/import, /_roster/instances/{{InstanceId}}/users/export)"
            ),
        )),
    }
}

/// Runs `work` as its own task, so that a panic in it answers 500 and keeps the
/// connection, as for API operations.
async fn in_task<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T, ApiError>> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::spawn(work).await.unwrap_or_else(|e| {
        Err(ApiError::internal(format!(
            "the operation failed unexpectedly: {e}"
        )))
    })
}

async fn users_import(
    state: &AppState,
    ctx: RequestContext,
    instance: String,
    body: bytes::Bytes,
) -> Result<(Vec<u8>, &'static str), ApiError> {
    let service = state.service.clone();
    let report = in_task(async move {
        service
            .import_users_csv(&ctx, &instance, &body, |_| {})
            .await
            .map_err(|failure| match failure {
                ImportFailure::Request(f) => f.into_inner(),
                ImportFailure::Rows(rows) => ApiError::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "the file has {} error{}; nothing was imported",
                        rows.len(),
                        if rows.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_problems(
                    rows.into_iter()
                        .map(|r| Problem {
                            row: r.row,
                            column: r.column,
                            message: r.message,
                        })
                        .collect(),
                ),
            })
    })
    .await?;
    let ms = |d: Duration| (d.as_secs_f64() * 1000.0).round() as u64;
    let t = report.timings;
    info!(
        users = report.users.len(),
        checking_ms = ms(t.checking),
        hashing_ms = ms(t.hashing),
        writing_ms = ms(t.writing),
        "users imported"
    );
    let users: Vec<serde_json::Value> = report
        .users
        .iter()
        .map(|u| serde_json::json!({"Row": u.row, "UserId": u.user_id, "Username": u.username}))
        .collect();
    let template = match report.template {
        CsvTemplate::Official => "official",
        CsvTemplate::Extended | CsvTemplate::ExtendedWithUserId => "extended",
    };
    let answer = serde_json::json!({
        "Template": template,
        "Users": users,
        "TimingsMs": {
            "Checking": ms(t.checking),
            "Hashing": ms(t.hashing),
            "Writing": ms(t.writing),
        },
    });
    Ok((answer.to_string().into_bytes(), CONTENT_TYPE_JSON))
}

async fn users_export(
    state: &AppState,
    ctx: RequestContext,
    instance: String,
) -> Result<(Vec<u8>, &'static str), ApiError> {
    let service = state.service.clone();
    let csv = in_task(async move {
        service
            .export_users_csv(&ctx, &instance, None)
            .await
            .map_err(|f| f.into_inner())
    })
    .await?;
    Ok((csv, CONTENT_TYPE_CSV))
}

/// `/_roster/faults`: GET the rules, PUT a new set (`FaultSpec` JSON), DELETE them all.
fn faults_request(state: &AppState, method: &str, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let answer =
        |spec: FaultSpec| serde_json::to_vec(&spec).map_err(|e| ApiError::internal(e.to_string()));
    match method {
        "GET" => answer(state.faults.spec()),
        "PUT" => {
            let spec: FaultSpec = serde_json::from_slice(body).map_err(|e| {
                ApiError::new(
                    ErrorCode::Serialization,
                    format!("the fault rules could not be read: {e}"),
                )
            })?;
            state
                .faults
                .replace(spec)
                .map_err(|e| ApiError::new(ErrorCode::InvalidParameter, e))?;
            info!(
                rules = state.faults.spec().rules.len(),
                "fault rules replaced"
            );
            answer(state.faults.spec())
        }
        "DELETE" => {
            state
                .faults
                .replace(FaultSpec::default())
                .map_err(|e| ApiError::new(ErrorCode::InvalidParameter, e))?;
            info!("fault rules removed");
            answer(state.faults.spec())
        }
        _ => Err(ApiError::new(
            ErrorCode::UnknownOperation,
            format!("/_roster/faults answers GET, PUT and DELETE, not {method}"),
        )),
    }
}

/// `GET /_roster/requests`: with `--inspect`, the last requests.
fn requests_request(state: &AppState, method: &str, query: &str) -> Result<Vec<u8>, ApiError> {
    if method != "GET" {
        return Err(ApiError::new(
            ErrorCode::UnknownOperation,
            format!("/_roster/requests answers GET, not {method}"),
        ));
    }
    let Some(inspector) = &state.inspector else {
        return Err(ApiError::new(
            ErrorCode::UnknownOperation,
            "/_roster/requests answers only when roster runs with --inspect".to_string(),
        ));
    };
    let filter = inspector::Filter::parse(query)
        .map_err(|e| ApiError::new(ErrorCode::InvalidParameter, e))?;
    serde_json::to_vec(&inspector.show(&filter)).map_err(|e| ApiError::internal(e.to_string()))
}

fn into_http(r: roster_wire::Response) -> Response {
    let mut resp = Response::new(Body::from(r.body));
    *resp.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in r.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    resp
}
