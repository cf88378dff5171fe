//! Starting a `roster serve` child on a free port with its own data directory, reading its
//! memory use, and stopping it with SIGTERM.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const READY_PREFIX: &str = "roster listening on ";

/// A running `roster serve`.
pub struct Spawned {
    child: Child,
    pid: u32,
    /// `http://ADDR` from the ready line.
    pub endpoint: String,
    /// Holds the data directory and the server's log; removed on drop.
    dir: tempfile::TempDir,
}

impl Spawned {
    /// Starts `binary serve --listen 127.0.0.1:0 --data <tempdir>/data`, with standard error
    /// (one line per request) written to `<tempdir>/roster.log`, and waits for the ready line.
    pub async fn start(binary: &Path, max_users: u64) -> anyhow::Result<Spawned> {
        let dir = tempfile::Builder::new()
            .prefix("roster-bench-")
            .tempdir()
            .context("creating a temporary directory")?;
        let data = dir.path().join("data");
        let log = fs::File::create(dir.path().join("roster.log"))?;
        let mut child = Command::new(binary)
            .arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(&data)
            .arg("--max-users-per-instance")
            .arg(max_users.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("the server exited at once"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(addr) = line.trim().strip_prefix(READY_PREFIX) {
                    return Ok::<_, anyhow::Error>(Some(addr.to_string()));
                }
            }
            Ok(None)
        })
        .await;
        let endpoint = match ready {
            Ok(Ok(Some(addr))) => addr,
            Ok(Ok(None)) => {
                let log = fs::read_to_string(dir.path().join("roster.log")).unwrap_or_default();
                bail!("the server closed its output before it was ready; its log:\n{log}");
            }
            Ok(Err(e)) => return Err(e).context("reading the server's output"),
            Err(_) => bail!("the server did not print its ready line within 60 s"),
        };
        // Keep draining standard output so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Spawned {
            child,
            pid,
            endpoint,
            dir,
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
    fn sums_file_sizes() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a"), [0u8; 10]).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/b"), [0u8; 5]).unwrap();
        assert_eq!(dir_size(dir.path()), 15);
    }
}
