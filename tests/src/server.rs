//! The `roster` binary under test: starting it, talking to it, stopping it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_connect::config::{BehaviorVersion, Region};
use aws_sdk_connect::Client;
use roster_scratch_db::{test_database_url, ScratchDatabase, TEST_DATABASE_URL_ENV};

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

/// The same client with retries turned off, so that a 429 answer comes back at once.
pub fn without_retries(client: &Client) -> Client {
    let conf = client
        .config()
        .to_builder()
        .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}
