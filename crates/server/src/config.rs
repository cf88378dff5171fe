//! Command-line flags (each also settable through a `ROSTER_*` variable) and the
//! credentials file of strict mode.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{bail, Context};
use roster_sigv4::{Credential, Credentials, Mode};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthMode {
    /// Accept any well-formed SigV4 signature without checking the secret.
    Permissive,
    /// Accept only signatures made with a key from --credentials.
    Strict,
}

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free port).
    #[arg(long, env = "ROSTER_LISTEN", default_value = "127.0.0.1:4599")]
    pub listen: String,
    /// Directory of the embedded durable store.
    #[arg(long, env = "ROSTER_DATA", default_value = "./roster-data")]
    pub data: PathBuf,
    /// Use PostgreSQL instead of the embedded store (postgres://user:password@host/db).
    /// Several roster processes may serve over one database.
    #[arg(long, env = "ROSTER_DATABASE_URL")]
    pub database_url: Option<DatabaseUrl>,
    /// Connections to PostgreSQL this process keeps at most (with --database-url).
    #[arg(long, env = "ROSTER_DATABASE_POOL_SIZE", default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_pool_size: u32,
    /// How requests are authenticated.
    #[arg(long, env = "ROSTER_AUTH", value_enum, default_value = "permissive")]
    pub auth: AuthMode,
    /// TOML file listing the accepted keys, for --auth strict.
    #[arg(long, env = "ROSTER_CREDENTIALS")]
    pub credentials: Option<PathBuf>,
    /// Users an instance may hold (the real service's default quota is 500).
    #[arg(long, env = "ROSTER_MAX_USERS_PER_INSTANCE", default_value_t = 500)]
    pub max_users_per_instance: u64,
    /// Throttling emulation: off; aws (each API's real quota per account and Region:
    /// 2 requests per second with a burst of 5 unless documented otherwise); or
    /// RATE:BURST for every API (e.g. --throttle 10:20). Past it: 429 ThrottlingException.
    #[arg(long, env = "ROSTER_THROTTLE", default_value = "off",
          value_parser = crate::throttle::ThrottleMode::from_str)]
    pub throttle: crate::throttle::ThrottleMode,
    /// Fault rules to start with (JSON: {"seed": 7, "rules": [{"operation":
    /// "CreateUser", "rate": 0.5, "error": "InternalServiceException"}]}); replaced at
    /// run time with PUT /_roster/faults.
    #[arg(long, env = "ROSTER_FAULTS")]
    pub faults: Option<PathBuf>,
    /// Serve Prometheus metrics at GET /metrics (e.g. --metrics): requests by
    /// operation and status, latencies, throttled and faulted requests, connections,
    /// users, the embedded store's write groups and commit latency.
    #[arg(long, env = "ROSTER_METRICS")]
    pub metrics: bool,
    /// Keep the last N requests (1,000 when N is left out; e.g. --inspect or
    /// --inspect 200), bodies redacted, at GET /_roster/requests?operation=…&status=…
    #[arg(long, env = "ROSTER_INSPECT", num_args = 0..=1, default_missing_value = "1000",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub inspect: Option<u32>,
    /// How log lines are written to stderr: text, or json (one object a line, e.g.
    /// --log-format json).
    #[arg(long, env = "ROSTER_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Seed file (YAML) applied at start, before listening: instances, hierarchy,
    /// profiles, hours, queues, quick connects, attributes and users that do not exist yet are created,
    /// what exists is left alone (e.g. --seed docs/examples/seed.yaml).
    #[arg(long, env = "ROSTER_SEED")]
    pub seed: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Directory of the embedded store to export (no server may be running on it).
    #[arg(long, env = "ROSTER_DATA", default_value = "./roster-data")]
    pub data: PathBuf,
    /// Export this PostgreSQL database instead of --data, as `serve` would use it
    /// (postgres://user:password@host/db); servers may be running on it.
    #[arg(long, env = "ROSTER_DATABASE_URL")]
    pub database_url: Option<DatabaseUrl>,
    /// Write the file here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// A database URL whose password never shows in logs or `Debug`.
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }

    /// The URL as given, password included: for connecting, never for logs.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(DatabaseUrl(s.to_string()))
        } else {
            Err("must start with postgres:// or postgresql://".into())
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[derive(Deserialize)]
struct CredentialsFile {
    credentials: Vec<CredentialEntry>,
}

#[derive(Deserialize)]
struct CredentialEntry {
    access_key_id: String,
    secret_access_key: String,
    account_id: String,
}

/// Reads the TOML credentials file of strict mode.
pub fn load_credentials(path: &Path) -> anyhow::Result<Credentials> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the credentials file {}", path.display()))?;
    let file: CredentialsFile = toml::from_str(&text)
        .with_context(|| format!("parsing the credentials file {}", path.display()))?;
    let list = file
        .credentials
        .into_iter()
        .map(|c| Credential {
            access_key_id: c.access_key_id,
            secret_access_key: c.secret_access_key,
            account_id: c.account_id,
        })
        .collect();
    Credentials::new(list)
        .map_err(|e| anyhow::anyhow!("the credentials file {}: {e}", path.display()))
}

impl ServeArgs {
    pub fn auth_mode(&self) -> anyhow::Result<Mode> {
        match (self.auth, &self.credentials) {
            (AuthMode::Permissive, None) => Ok(Mode::Permissive),
            (AuthMode::Permissive, Some(_)) => {
                bail!("--credentials is used only with --auth strict")
            }
            (AuthMode::Strict, Some(path)) => Ok(Mode::Strict(load_credentials(path)?)),
            (AuthMode::Strict, None) => bail!("--auth strict needs --credentials FILE"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        let u: DatabaseUrl = "postgres://roster:s3cret@db:5432/roster?sslmode=disable"
            .parse()
            .unwrap();
        assert_eq!(
            u.redacted(),
            "postgres://roster:***@db:5432/roster?sslmode=disable"
        );
        assert!(!format!("{u:?}").contains("s3cret"));
        assert!(!format!("{u}").contains("s3cret"));
        let plain: DatabaseUrl = "postgres://postgres@127.0.0.1/roster".parse().unwrap();
        assert_eq!(plain.redacted(), "postgres://postgres@127.0.0.1/roster");
        assert!("mysql://x".parse::<DatabaseUrl>().is_err());
    }

    #[test]
    fn credentials_file() {
        let dir = std::env::temp_dir().join(format!("roster-cred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.toml");
        std::fs::write(
            &path,
            "[[credentials]]\naccess_key_id = \"AKIAEXAMPLE1\"\nsecret_access_key = \"secret1\"\naccount_id = \"111111111111\"\n",
        )
        .unwrap();
        let c = load_credentials(&path).unwrap();
        assert_eq!(c.get("AKIAEXAMPLE1").unwrap().account_id, "111111111111");
        std::fs::write(&path, "nonsense = [").unwrap();
        assert!(load_credentials(&path).is_err());
    }
}
