//! Starting a `roster serve` child (or the baseline server) on a free port with its own
//! directory, reading its memory and CPU use, restarting it on the same data, and
//! stopping it with SIGTERM.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use bytes::Bytes;
use http::{Request, Uri};
use http_body_util::Full;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::client::new_client;

const READY_PREFIX: &str = "roster listening on ";
/// The ready line of `roster-bench baseline-server`.
pub const BASELINE_READY_PREFIX: &str = "baseline listening on ";

/// Keys written to the credentials file of a server started in strict mode.
#[derive(Debug, Clone)]
pub struct StrictKeys {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub account_id: String,
}

impl StrictKeys {
    /// The TOML credentials file `roster serve --credentials` reads.
    pub fn to_toml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
        format!(
            "[[credentials]]\naccess_key_id = {}\nsecret_access_key = {}\naccount_id = {}\n",
            q(&self.access_key_id),
            q(&self.secret_access_key),
            q(&self.account_id)
        )
    }
}

/// How to start `roster serve`.
#[derive(Debug, Clone)]
pub struct RosterOptions {
    pub max_users_per_instance: u64,
    /// `--auth strict` with these keys; permissive when `None`.
    pub strict: Option<StrictKeys>,
}

/// How long a restart took.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Restart {
    /// Exit code of the stopped server.
    pub exit_code: Option<i32>,
    /// From SIGTERM to the old process's exit.
    pub stop_ms: f64,
    /// From starting the new process to its ready line.
    pub ready_ms: f64,
    /// From starting the new process to the first 200 from `GET /health`.
    pub healthy_ms: f64,
}

/// A running server child.
pub struct Spawned {
    child: Child,
    pid: u32,
    /// `http://ADDR` from the ready line.
    pub endpoint: String,
    /// Holds the data directory and the server's log; removed on drop.
    dir: tempfile::TempDir,
    program: PathBuf,
    /// Arguments besides `--listen`.
    args: Vec<OsString>,
    ready_prefix: &'static str,
}

impl Spawned {
    /// Starts `binary serve --listen 127.0.0.1:0 --data <tempdir>/data` in permissive mode,
    /// with standard error (one line per request) written to `<tempdir>/roster.log`, and
    /// waits for the ready line.
    pub async fn start(binary: &Path, max_users: u64) -> anyhow::Result<Spawned> {
        let options = RosterOptions {
            max_users_per_instance: max_users,
            strict: None,
        };
        Spawned::start_roster(binary, &options).await
    }

    /// Like [`Spawned::start`], with the options given; in strict mode the credentials file
    /// is written to `<tempdir>/credentials.toml`.
    pub async fn start_roster(binary: &Path, options: &RosterOptions) -> anyhow::Result<Spawned> {
        let dir = temp_dir()?;
        let mut args: Vec<OsString> = vec![
            "serve".into(),
            "--data".into(),
            dir.path().join("data").into(),
            "--max-users-per-instance".into(),
            options.max_users_per_instance.to_string().into(),
        ];
        match &options.strict {
            Some(keys) => {
                let path = dir.path().join("credentials.toml");
                fs::write(&path, keys.to_toml()).context("writing the credentials file")?;
                args.extend([
                    "--auth".into(),
                    "strict".into(),
                    "--credentials".into(),
                    path.into(),
                ]);
            }
            None => args.extend(["--auth".into(), "permissive".into()]),
        }
        Spawned::launch(binary.to_path_buf(), args, dir, READY_PREFIX, "127.0.0.1:0").await
    }

    /// Starts this executable's `baseline-server` answering a fixed body of `body_bytes`.
    pub async fn start_baseline(body_bytes: usize) -> anyhow::Result<Spawned> {
        let exe = std::env::current_exe().context("finding roster-bench's own executable")?;
        let args: Vec<OsString> = vec![
            "baseline-server".into(),
            "--body-bytes".into(),
            body_bytes.to_string().into(),
        ];
        Spawned::launch(exe, args, temp_dir()?, BASELINE_READY_PREFIX, "127.0.0.1:0").await
    }

    async fn launch(
        program: PathBuf,
        args: Vec<OsString>,
        dir: tempfile::TempDir,
        ready_prefix: &'static str,
        listen: &str,
    ) -> anyhow::Result<Spawned> {
        let (child, pid, endpoint) = run_child(&program, &args, &dir, ready_prefix, listen).await?;
        Ok(Spawned {
            child,
            pid,
            endpoint,
            dir,
            program,
            args,
            ready_prefix,
        })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("roster.log")
    }

    /// Current and peak resident set size.
    pub fn memory(&self) -> Option<Memory> {
        memory_of(self.pid)
    }

    /// Sends SIGTERM and waits up to 30 s for the server to exit; returns its exit code.
    pub async fn stop(mut self) -> anyhow::Result<Option<i32>> {
        self.terminate().await
    }

    /// Stops the server with SIGTERM and starts it again on the same address and data,
    /// timing how long it takes until it is ready and until `/health` answers 200.
    pub async fn restart(&mut self) -> anyhow::Result<Restart> {
        let t0 = Instant::now();
        let exit_code = self.terminate().await?;
        let stop_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let listen = self
            .endpoint
            .strip_prefix("http://")
            .unwrap_or(&self.endpoint)
            .to_string();
        let t1 = Instant::now();
        let (child, pid, endpoint) = run_child(
            &self.program,
            &self.args,
            &self.dir,
            self.ready_prefix,
            &listen,
        )
        .await?;
        let ready_ms = t1.elapsed().as_secs_f64() * 1000.0;
        self.child = child;
        self.pid = pid;
        self.endpoint = endpoint;
        wait_healthy(&self.endpoint, Duration::from_secs(60)).await?;
        let healthy_ms = t1.elapsed().as_secs_f64() * 1000.0;
        Ok(Restart {
            exit_code,
            stop_ms,
            ready_ms,
            healthy_ms,
        })
    }

    async fn terminate(&mut self) -> anyhow::Result<Option<i32>> {
        let pid = libc::pid_t::try_from(self.pid).context("pid out of range")?;
        // SAFETY: kill(2) with a pid this process started and still owns (the child has
        // not been waited for, so the pid cannot have been reused).
        let rc = unsafe { libc::kill(pid, libc::SIGTERM) };
        if rc != 0 {
            bail!(
                "sending SIGTERM to {}: {}",
                self.pid,
                std::io::Error::last_os_error()
            );
        }
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => Ok(status?.code()),
            Err(_) => {
                self.child.kill().await.ok();
                bail!("the server did not exit within 30 s of SIGTERM; killed it")
            }
        }
    }
}

fn temp_dir() -> anyhow::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("roster-bench-")
        .tempdir()
        .context("creating a temporary directory")
}

/// Starts `program args --listen LISTEN`, standard error appended to `<dir>/roster.log`,
/// and waits for the line starting with `ready_prefix`; returns the child, its pid and
/// the address from that line.
async fn run_child(
    program: &Path,
    args: &[OsString],
    dir: &tempfile::TempDir,
    ready_prefix: &str,
    listen: &str,
) -> anyhow::Result<(Child, u32, String)> {
    let log_path = dir.path().join("roster.log");
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)?;
    let mut child = Command::new(program)
        .args(args)
        .arg("--listen")
        .arg(listen)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", program.display()))?;
    let pid = child
        .id()
        .ok_or_else(|| anyhow!("the server exited at once"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(addr) = line.trim().strip_prefix(ready_prefix) {
                return Ok::<_, anyhow::Error>(Some(addr.to_string()));
            }
        }
        Ok(None)
    })
    .await;
    let endpoint = match ready {
        Ok(Ok(Some(addr))) => addr,
        Ok(Ok(None)) => {
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            bail!("the server closed its output before it was ready; its log:\n{log}");
        }
        Ok(Err(e)) => return Err(e).context("reading the server's output"),
        Err(_) => bail!("the server did not print its ready line within 60 s"),
    };
    // Keep draining standard output so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, pid, endpoint))
}

/// Polls `GET /health` every millisecond until it answers 200.
pub async fn wait_healthy(endpoint: &str, limit: Duration) -> anyhow::Result<()> {
    let uri: Uri = format!("{}/health", endpoint.trim_end_matches('/')).parse()?;
    let client = new_client();
    let deadline = Instant::now() + limit;
    loop {
        let req = Request::get(uri.clone()).body(Full::new(Bytes::new()))?;
        if let Ok(resp) = client.request(req).await {
            if resp.status() == 200 {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            bail!("{uri} did not answer 200 within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// User plus system CPU time of a process, from `/proc/<pid>/stat`.
pub fn cpu_time_of(pid: u32) -> Option<Duration> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start with the state, the
    // third field; utime and stime are the 14th and 15th.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks <= 0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        (utime + stime) as f64 / ticks as f64,
    ))
}

/// Resident memory of a process, from `/proc/<pid>/status`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Memory {
    pub rss_bytes: u64,
    pub peak_rss_bytes: u64,
}

pub fn memory_of(pid: u32) -> Option<Memory> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib * 1024)
    };
    Some(Memory {
        rss_bytes: field("VmRSS:")?,
        peak_rss_bytes: field("VmHWM:")?,
    })
}

/// Total size of the regular files under `dir`.
pub fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_memory() {
        let m = memory_of(std::process::id()).expect("/proc is readable");
        assert!(m.rss_bytes > 0 && m.peak_rss_bytes >= m.rss_bytes);
    }

    #[test]
    fn reads_own_cpu_time() {
        let t0 = cpu_time_of(std::process::id()).expect("/proc is readable");
        let start = Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(50) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(x > 0);
        let t1 = cpu_time_of(std::process::id()).unwrap();
        assert!(t1 >= t0);
    }

    #[test]
    fn credentials_file_is_toml() {
        let keys = StrictKeys {
            access_key_id: "AKID1".into(),
            secret_access_key: "s\"ecret".into(),
            account_id: "111122223333".into(),
        };
        let text = keys.to_toml();
        assert!(text.starts_with("[[credentials]]\n"));
        assert!(text.contains("access_key_id = \"AKID1\""));
        assert!(text.contains("secret_access_key = \"s\\\"ecret\""));
    }

    #[test]
    fn sums_file_sizes() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a"), [0u8; 10]).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/b"), [0u8; 5]).unwrap();
        assert_eq!(dir_size(dir.path()), 15);
    }
}
