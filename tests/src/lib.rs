//! Shared harness for roster's end-to-end tests: start the real `roster` binary on a
//! free port with its own data directory, wait for its ready line, and hand out
//! `aws-sdk-connect` clients pointed at it.
//!
//! By default each server uses the embedded store in its data directory. With
//! `ROSTER_TEST_BACKEND=postgres` and `ROSTER_TEST_DATABASE_URL` (an admin URL such
//! as `postgres://postgres@127.0.0.1:5432/postgres`) set, each server started
//! without `--database-url` gets a fresh PostgreSQL database of its own instead,
//! created through the admin URL and dropped when the server is dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_connect::config::{BehaviorVersion, Region};
use aws_sdk_connect::Client;

pub use aws_sdk_connect;
/// Scratch PostgreSQL databases, shared with the PostgreSQL store's tests.
pub use roster_scratch_db::{
    admin_url, test_database_url, with_database, ScratchDatabase, TEST_DATABASE_URL_ENV,
};

/// Path of the `roster` binary built by cargo for this test run.
pub fn roster_binary() -> PathBuf {
    if let Ok(p) = std::env::var("ROSTER_BIN") {
        return PathBuf::from(p);
    }
    // tests run from target/<profile>/deps; the binary sits in target/<profile>.
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target profile dir");
    let bin = profile_dir.join(format!("roster{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} not found: build it first with `cargo build -p roster` (cargo test --workspace does)",
        bin.display()
    );
    bin
}

/// How to start a server.
#[derive(Clone, Debug, Default)]
pub struct ServerOptions {
    /// Extra command-line arguments after `serve`.
    pub args: Vec<String>,
    /// Reuse this data directory instead of a fresh one (for restart tests).
    pub data_dir: Option<PathBuf>,
}

/// The variable choosing the backend of [`Server::start`]: `postgres` or `sqlite`.
pub const TEST_BACKEND_ENV: &str = "ROSTER_TEST_BACKEND";

/// The admin URL when servers started by this harness use PostgreSQL
/// (`ROSTER_TEST_BACKEND=postgres` and `ROSTER_TEST_DATABASE_URL` set).
pub fn postgres_backend() -> Option<String> {
    let wanted = std::env::var(TEST_BACKEND_ENV)
        .map(|b| b.eq_ignore_ascii_case("postgres"))
        .unwrap_or(false);
    if !wanted {
        return None;
    }
    let url = test_database_url();
    assert!(
        url.is_some(),
        "{TEST_BACKEND_ENV}=postgres needs {TEST_DATABASE_URL_ENV} (an admin URL such as \
         postgres://postgres@127.0.0.1:5432/postgres)"
    );
    url
}

/// Databases of servers whose data directory a test kept for a restart
/// ([`Server::take_tempdir`]): the next server started on that directory takes
/// the database over.
static KEPT_DATABASES: Mutex<Option<HashMap<PathBuf, ScratchDatabase>>> = Mutex::new(None);

fn kept_databases() -> std::sync::MutexGuard<'static, Option<HashMap<PathBuf, ScratchDatabase>>> {
    KEPT_DATABASES.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running `roster serve`, killed when dropped.
pub struct Server {
    child: Option<Child>,
    pub addr: String,
    pub data_dir: PathBuf,
    /// The PostgreSQL database this server uses, when the harness made one for it.
    pub database: Option<ScratchDatabase>,
    _tmp: Option<tempfile::TempDir>,
}

impl Server {
    pub fn start() -> Server {
        Self::start_with(ServerOptions::default())
    }

    pub fn start_with(opts: ServerOptions) -> Server {
        let (tmp, data_dir) = match opts.data_dir {
            Some(d) => (None, d),
            None => {
                let t = tempfile::tempdir().expect("temp dir");
                let d = t.path().join("data");
                (Some(t), d)
            }
        };
        let names_database = opts.args.iter().any(|a| a == "--database-url");
        let database = match postgres_backend() {
            Some(admin) if !names_database => Some(
                kept_databases()
                    .as_mut()
                    .and_then(|kept| kept.remove(&data_dir))
                    .unwrap_or_else(|| ScratchDatabase::create(&admin)),
            ),
            _ => None,
        };
        let mut cmd = Command::new(roster_binary());
        cmd.arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(&data_dir)
            .args(&opts.args);
        if let Some(db) = &database {
            cmd.arg("--database-url").arg(&db.url);
        }
        cmd.env(
            "ROSTER_LOG",
            std::env::var("ROSTER_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .env_remove("ROSTER_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("spawn roster");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if let Some(addr) = line.strip_prefix("roster listening on http://") {
                    let _ = tx.send(addr.to_string());
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!("roster did not print its ready line within 30 s");
            }
        };
        Server {
            child: Some(child),
            addr,
            data_dir,
            database,
            _tmp: tmp,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client signing as `access_key` / `secret` in `region`.
    pub fn client_as(&self, access_key: &str, secret: &str, region: &str) -> Client {
        let http = aws_smithy_http_client::Builder::new().build_http();
        let conf = aws_sdk_connect::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(self.endpoint())
            .region(Region::new(region.to_string()))
            .credentials_provider(Credentials::new(
                access_key,
                secret,
                None,
                None,
                "roster-tests",
            ))
            .http_client(http)
            .build();
        Client::from_conf(conf)
    }

    /// A client for account 123456789012 in us-east-1.
    pub fn client(&self) -> Client {
        self.client_as("AKIDEXAMPLE", "secret", "us-east-1")
    }

    /// SIGKILL: no shutdown, no flushing.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, then wait for the exit status.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("server running");
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(c.id().to_string())
            .status();
        for _ in 0..100 {
            if let Some(status) = c.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = c.kill();
        panic!("roster did not exit within 10 s of SIGTERM");
    }

    /// Keeps the data directory alive past this server (for restarts). A database
    /// the harness made for this server is kept too, for the next server started on
    /// the same data directory.
    pub fn take_tempdir(&mut self) -> Option<tempfile::TempDir> {
        if let Some(db) = self.database.take() {
            kept_databases()
                .get_or_insert_with(HashMap::new)
                .insert(self.data_dir.clone(), db);
        }
        self._tmp.take()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Creates a CONNECT_MANAGED instance and returns its id.
pub async fn create_instance(client: &Client, idm: &str) -> String {
    let mut req = client
        .create_instance()
        .identity_management_type(idm.into())
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true);
    if idm == "EXISTING_DIRECTORY" {
        req = req.directory_id("d-0123456789");
    } else {
        req = req.instance_alias(format!(
            "t-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ));
    }
    req.send()
        .await
        .expect("create instance")
        .id
        .expect("instance id")
}

/// The id of the named security profile of an instance.
pub async fn security_profile_id(client: &Client, instance: &str, name: &str) -> String {
    let out = client
        .list_security_profiles()
        .instance_id(instance)
        .send()
        .await
        .expect("list security profiles");
    out.security_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some(name))
        .and_then(|p| p.id().map(str::to_string))
        .unwrap_or_else(|| panic!("security profile {name} not found"))
}

/// The id of the "Basic Routing Profile" of an instance.
pub async fn basic_routing_profile(client: &Client, instance: &str) -> String {
    let out = client
        .list_routing_profiles()
        .instance_id(instance)
        .send()
        .await
        .expect("list routing profiles");
    out.routing_profile_summary_list()
        .iter()
        .find(|p| p.name() == Some("Basic Routing Profile"))
        .and_then(|p| p.id().map(str::to_string))
        .expect("Basic Routing Profile")
}

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};

/// The error code (`x-amzn-ErrorType`) and HTTP status of a failed SDK call.
pub fn error_of<E: ProvideErrorMetadata + std::fmt::Debug>(
    err: &SdkError<E, HttpResponse>,
) -> (String, u16) {
    match err {
        SdkError::ServiceError(se) => (
            se.err().code().unwrap_or("<none>").to_string(),
            se.raw().status().as_u16(),
        ),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// The message of a failed SDK call.
pub fn message_of<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> String {
    match err {
        SdkError::ServiceError(se) => se.err().message().unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// A response to a request sent with [`raw_json_request`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `x-amzn-ErrorType` header, if any.
    pub fn error_type(&self) -> Option<&str> {
        self.header("x-amzn-errortype")
    }

    /// The body parsed as JSON (panics if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends one HTTP/1.1 request with a JSON body (or none) to the server, carrying a
/// syntactically valid SigV4 `Authorization` header for account 123456789012 in
/// us-east-1, which `--auth permissive` (the default) accepts. Unlike the SDK, this
/// sends exactly the members given, including `false` and `0` values the SDK leaves out.
pub async fn raw_json_request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let body = body
        .map(|b| serde_json::to_vec(b).expect("serialize body"))
        .unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nX-Amz-Date: 20260210T120000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260210/us-east-1/connect/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature={}\r\n\r\n",
        body.len(),
        "0".repeat(64)
    )
    .into_bytes();
    head.extend_from_slice(&body);
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to roster");
    stream.write_all(&head).await.expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read response");
    parse_http_response(&raw)
}

fn parse_http_response(raw: &[u8]) -> RawResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no end of headers in response: {}",
                String::from_utf8_lossy(raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let rest = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    RawResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("chunk size");
        data = &data[eol + 2..];
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// The same client with retries turned off, so that a 429 answer comes back at once.
pub fn without_retries(client: &Client) -> Client {
    let conf = client
        .config()
        .to_builder()
        .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}
