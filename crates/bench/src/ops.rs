//! `roster-bench ops`: throughput and latency of single user operations, each run next to
//! the baseline server, at one or more store sizes, with the server's CPU and memory,
//! the data directory's size and the server's start-up time.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context};
use bytes::Bytes;
use clap::Args;
use http::Method;
use serde::Serialize;
use serde_json::{json, Value};

use crate::client::{new_client, send, Api, Prepared};
use crate::data::{Names, Rng};
use crate::drive::{self, status_ok, Use};
use crate::fixture::{load_users, Fixture, LoadResult};
use crate::server::{
    cpu_time_of, dir_size, memory_of, Memory, Restart, RosterOptions, Spawned, StrictKeys,
};
use crate::sign::Signer;
use crate::stats::Summary;
use crate::{cpu_model, mib, parse_duration, Machine};

/// The operations measured, in the order they run at each store size. Creations come
/// last so that the users they add do not change what the reads see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// DescribeUser of users picked at random across every instance.
    DescribeUser,
    /// ListUsers, MaxResults 100: the first pages of every instance.
    ListUsers,
    /// UpdateUserConfig: the VOICE after-contact-work time limit of random users.
    UpdateUserConfig,
    /// DescribeInstance of the fixture's instances.
    DescribeInstance,
    /// CreateUser with a new username on a SAML instance (no password to hash).
    CreateUserSaml,
    /// CreateUser with a password on a CONNECT_MANAGED instance (argon2id hash).
    CreateUserPassword,
}

impl Op {
    pub const ALL: [Op; 6] = [
        Op::DescribeUser,
        Op::ListUsers,
        Op::UpdateUserConfig,
        Op::DescribeInstance,
        Op::CreateUserSaml,
        Op::CreateUserPassword,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::DescribeUser => "describe-user",
            Op::ListUsers => "list-users",
            Op::UpdateUserConfig => "update-user-config",
            Op::DescribeInstance => "describe-instance",
            Op::CreateUserSaml => "create-user-saml",
            Op::CreateUserPassword => "create-user-password",
        }
    }

    fn needs_users(self) -> bool {
        matches!(
            self,
            Op::DescribeUser | Op::ListUsers | Op::UpdateUserConfig
        )
    }

    fn creates(self) -> bool {
        matches!(self, Op::CreateUserSaml | Op::CreateUserPassword)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// The spawned server checks every signature against a credentials file.
    Strict,
    /// The spawned server accepts any well-formed signature.
    Permissive,
}

#[derive(Args)]
pub struct OpsArgs {
    /// A running server (e.g. http://127.0.0.1:4599); it must allow --users-per-instance
    /// users per instance, plus the users the create scenarios add.
    #[arg(long, required_unless_present = "spawn", conflicts_with = "spawn")]
    pub endpoint: Option<String>,
    /// Start this roster binary on a free port with a temporary data directory, and stop
    /// it with SIGTERM at the end.
    #[arg(long, value_name = "PATH_TO_ROSTER")]
    pub spawn: Option<PathBuf>,
    /// How the spawned server checks signatures. In strict mode the bench writes a
    /// credentials file with --access-key-id/--secret-access-key/--account-id.
    #[arg(long, value_enum, default_value = "strict")]
    pub auth: Auth,
    /// With --endpoint: the server's process id, to report its CPU and memory.
    #[arg(long, conflicts_with = "spawn")]
    pub server_pid: Option<u32>,
    /// Users in the store (ignored when --growth is given); 0 with only
    /// describe-instance and create scenarios.
    #[arg(long, default_value_t = 10_000)]
    pub users: u64,
    /// Store sizes to measure at, e.g. 10000,100000,1000000.
    #[arg(long, value_delimiter = ',')]
    pub growth: Vec<u64>,
    /// Users per instance: larger stores are spread across several instances.
    #[arg(long, default_value_t = 100_000)]
    pub users_per_instance: u64,
    /// Scenarios to run (default: all).
    #[arg(long, value_delimiter = ',', value_enum)]
    pub scenarios: Vec<Op>,
    /// Concurrent clients of the read and update scenarios and of the baseline, each with
    /// its own keep-alive connection; a list (e.g. 4,16,64) measures at each level.
    #[arg(long, value_delimiter = ',', default_value = "16")]
    pub concurrency: Vec<usize>,
    /// Concurrent clients of the create scenarios.
    #[arg(long, default_value_t = 64)]
    pub create_concurrency: usize,
    /// Concurrent clients while loading the store.
    #[arg(long, default_value_t = 64)]
    pub load_concurrency: usize,
    /// How long each scenario is measured (e.g. 10s, 500ms, 1m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Unrecorded traffic before each measurement.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub warmup: Duration,
    /// Do not measure the baseline server.
    #[arg(long)]
    pub no_baseline: bool,
    /// Size of the baseline's response (default: a DescribeUser response from the server).
    #[arg(long)]
    pub baseline_body_bytes: Option<usize>,
    /// Do not restart the spawned server after each size to time its start-up.
    #[arg(long)]
    pub no_startup: bool,
    /// DescribeInstance this instance instead of creating one (with --endpoint).
    #[arg(long)]
    pub instance_id: Option<String>,
    /// Most requests signed ahead for one create measurement.
    #[arg(long, default_value_t = 400_000)]
    pub max_pool: usize,
    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    #[arg(long, default_value = "AKIDROSTERBENCH")]
    pub access_key_id: String,
    #[arg(long, default_value = "roster-bench-secret")]
    pub secret_access_key: String,
    /// Account of the key in the credentials file written for strict mode.
    #[arg(long, default_value = "111122223333")]
    pub account_id: String,
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// Prefix of instance aliases (default: one made from the process id and the time).
    #[arg(long)]
    pub alias: Option<String>,
}

/// Distinct requests a read scenario rotates through (at most).
const READ_POOL: usize = 4096;
/// Users UpdateUserConfig rotates through (each gets two alternating values).
const UPDATE_USERS: usize = 2048;
/// Pages of ListUsers per instance (the first ones), and instances used.
const LIST_PAGES: usize = 5;
const LIST_INSTANCES: usize = 10;
/// Requests signed for the warm-up of a create scenario.
const CREATE_WARMUP_POOL: usize = 20_000;
/// The password of CreateUser with a password: valid under the model's rule.
const PASSWORD: &str = "BenchPass1234";

/// A request before signing: signed for one server or another.
#[derive(Debug, Clone)]
struct Spec {
    method: Method,
    path: String,
    query: String,
    body: Bytes,
}

impl Spec {
    fn get(path: String, query: String) -> Spec {
        Spec {
            method: Method::GET,
            path,
            query,
            body: Bytes::new(),
        }
    }

    fn with_body(method: Method, path: String, body: &Value) -> Spec {
        Spec {
            method,
            path,
            query: String::new(),
            body: Bytes::from(body.to_string()),
        }
    }
}

fn sign_all(api: &Api, specs: &[Spec]) -> anyhow::Result<Vec<Prepared>> {
    specs
        .iter()
        .map(|s| api.prepare(s.method.clone(), &s.path, &s.query, s.body.clone()))
        .collect()
}

/// Percent-encodes a query parameter value (everything but the unreserved characters).
fn query_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One measured scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub summary: Summary,
    /// The server's user + system CPU time over the measurement, in % of one core.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_cpu_pct: Option<f64>,
    /// The bench's own CPU time over the measurement, in % of one core.
    pub client_cpu_pct: Option<f64>,
    /// Server CPU time per request, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_cpu_ms_per_request: Option<f64>,
    /// Throughput as a fraction of the baseline's at the same concurrency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_baseline: Option<f64>,
}

/// Everything measured at one store size.
#[derive(Debug, Serialize)]
pub struct Step {
    /// Users loaded as the fixture, across `instances` instances.
    pub users: u64,
    pub instances: usize,
    /// Users the create scenarios had added to the store before this step's reads.
    pub created_before: u64,
    pub load: Vec<LoadResult>,
    pub rows: Vec<Row>,
    /// At the end of the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_memory: Option<Memory>,
    /// After the reads, before the create scenarios.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_before_creates: Option<Memory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir_bytes: Option<u64>,
    /// After the server was stopped (the SQLite log checkpointed into the database).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir_bytes_at_rest: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<Restart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rss_after_restart_bytes: Option<u64>,
    /// Share of a password creation's server CPU time not spent by a SAML creation: the
    /// argon2id hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_hash_cpu_share: Option<f64>,
}

#[derive(Serialize)]
pub struct OpsReport {
    tool: &'static str,
    version: &'static str,
    machine: Machine,
    endpoint: String,
    spawned: bool,
    auth: Auth,
    concurrency: Vec<usize>,
    create_concurrency: usize,
    duration_s: f64,
    warmup_s: f64,
    users_per_instance: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_body_bytes: Option<usize>,
    steps: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_exit_code: Option<i32>,
}

/// Returns whether the run was clean: no failed request and a clean server exit.
pub async fn run_ops(args: OpsArgs) -> anyhow::Result<bool> {
    let scenarios: Vec<Op> = if args.scenarios.is_empty() {
        Op::ALL.to_vec()
    } else {
        Op::ALL
            .into_iter()
            .filter(|op| args.scenarios.contains(op))
            .collect()
    };
    let mut sizes = if args.growth.is_empty() {
        vec![args.users]
    } else {
        args.growth.clone()
    };
    sizes.sort_unstable();
    sizes.dedup();
    if scenarios.iter().any(|op| op.needs_users()) && sizes.first() == Some(&0) {
        bail!("describe-user, list-users and update-user-config need --users above 0");
    }
    if args.concurrency.is_empty()
        || args.concurrency.contains(&0)
        || args.create_concurrency == 0
        || args.load_concurrency == 0
        || args.users_per_instance == 0
    {
        bail!("concurrency levels and --users-per-instance must be positive");
    }

    let keys = StrictKeys {
        access_key_id: args.access_key_id.clone(),
        secret_access_key: args.secret_access_key.clone(),
        account_id: args.account_id.clone(),
    };
    let mut spawned = match &args.spawn {
        Some(path) => {
            let options = RosterOptions {
                // The creations go to instances of their own, which may outgrow the
                // fixture's: the quota is not what is measured here.
                max_users_per_instance: args.users_per_instance.max(100_000_000),
                strict: (args.auth == Auth::Strict).then(|| keys.clone()),
            };
            let s = Spawned::start_roster(path, &options).await?;
            println!(
                "started {} (pid {}, --auth {}) at {}, data in {}, log in {}",
                path.display(),
                s.pid(),
                if args.auth == Auth::Strict {
                    "strict"
                } else {
                    "permissive"
                },
                s.endpoint,
                s.data_dir().display(),
                s.log_path().display()
            );
            Some(s)
        }
        None => None,
    };
    let endpoint = match (&spawned, &args.endpoint) {
        (Some(s), _) => s.endpoint.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => bail!("give --endpoint or --spawn"),
    };
    let mut baseline: Option<Spawned> = None;
    let outcome = Bench::new(&args, &endpoint)?
        .run(&args, &sizes, &scenarios, spawned.as_mut(), &mut baseline)
        .await;
    if let Some(b) = baseline {
        b.stop().await.ok();
    }
    let exit_code = match spawned {
        Some(s) => match s.stop().await {
            Ok(code) => {
                println!("\nserver stopped with SIGTERM, exit code {code:?}");
                code
            }
            Err(e) => {
                eprintln!("roster-bench: {e:#}");
                Some(-1)
            }
        },
        None => None,
    };
    let mut report = outcome?;
    report.server_exit_code = exit_code;
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    let failed: Vec<&Row> = report
        .steps
        .iter()
        .flat_map(|s| s.rows.iter())
        .filter(|r| r.summary.errors > 0)
        .collect();
    for r in &failed {
        eprintln!(
            "roster-bench: FAILED: {} of {} {} requests failed; first: {}",
            r.summary.errors,
            r.summary.requests,
            r.summary.name,
            r.summary.first_error.as_deref().unwrap_or("?")
        );
    }
    Ok(failed.is_empty() && exit_code.unwrap_or(0) == 0)
}

/// The state of one run: the server's API, the instances and the users in them.
struct Bench {
    api: Api,
    signer: Signer,
    names: Arc<Names>,
    alias: String,
    /// Instances holding the fixture's users, and how many each holds.
    fixtures: Vec<Fixture>,
    loaded: Vec<u64>,
    /// (fixture index, user id) of every loaded user.
    users: Vec<(usize, String)>,
    saml: Option<Fixture>,
    managed: Option<Fixture>,
    bare_instance: Option<String>,
    /// Users added by the create scenarios so far (their usernames are numbered).
    created: u64,
    rng: Rng,
    describe_user_bytes: Option<usize>,
}

impl Bench {
    fn new(args: &OpsArgs, endpoint: &str) -> anyhow::Result<Bench> {
        let signer = Signer::new(&args.access_key_id, &args.secret_access_key, &args.region);
        let alias = args.alias.clone().unwrap_or_else(|| {
            let secs = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            format!("ops-{}-{secs}", std::process::id())
        });
        Ok(Bench {
            api: Api::new(endpoint, signer.clone())?,
            signer,
            names: Arc::new(Names::default()),
            alias,
            fixtures: Vec::new(),
            loaded: Vec::new(),
            users: Vec::new(),
            saml: None,
            managed: None,
            bare_instance: None,
            created: 0,
            rng: Rng::new(0x0b5e_55ed),
            describe_user_bytes: None,
        })
    }

    async fn run(
        mut self,
        args: &OpsArgs,
        sizes: &[u64],
        scenarios: &[Op],
        mut spawned: Option<&mut Spawned>,
        baseline: &mut Option<Spawned>,
    ) -> anyhow::Result<OpsReport> {
        let health = self
            .api
            .call(&new_client(), Method::GET, "/health", "", None)
            .await
            .with_context(|| format!("GET {}/health", self.api.base()))?;
        if health.status != 200 {
            if spawned.is_some() {
                bail!("GET /health: HTTP {}: {}", health.status, health.text());
            }
            // Another implementation (moto) may have no /health: it answered, go on.
            println!(
                "note: GET /health answered HTTP {}; not a roster server?",
                health.status
            );
        }
        let mut steps = Vec::new();
        let mut baseline_body_bytes = None;
        for &size in sizes {
            let load = self.grow(size, args).await?;
            let created_before = self.created;
            let server_pid = spawned.as_deref().map(Spawned::pid).or(args.server_pid);
            let mut rows = Vec::new();

            for &concurrency in &args.concurrency {
                let mut table = Vec::new();
                let mut base: Option<Row> = None;
                if !args.no_baseline {
                    let (row, bytes) = self
                        .measure_baseline(args, scenarios, concurrency, baseline)
                        .await?;
                    baseline_body_bytes = Some(bytes);
                    base = Some(row.clone());
                    table.push(row);
                }
                for &op in scenarios.iter().filter(|op| !op.creates()) {
                    let specs = self.read_specs(op, args).await?;
                    let pool = Arc::new(sign_all(&self.api, &specs)?);
                    let mut row = measure(
                        op.name(),
                        &pool,
                        Use::Rotate,
                        concurrency,
                        args.warmup,
                        args.duration,
                        server_pid,
                    )
                    .await?;
                    if let Some(b) = &base {
                        row.vs_baseline = Some(row.summary.throughput / b.summary.throughput);
                    }
                    table.push(row);
                }
                if !table.is_empty() {
                    print_rows(
                        &format!(
                            "{size} users in {} instance(s), concurrency {concurrency}, {:.1} s each",
                            self.fixtures.len(),
                            args.duration.as_secs_f64()
                        ),
                        &table,
                    );
                }
                rows.extend(table);
            }

            // Before the creations: hashing passwords takes memory the allocator may keep.
            let memory_before_creates = server_pid.and_then(memory_of);
            let mut table = Vec::new();
            for &op in scenarios.iter().filter(|op| op.creates()) {
                table.push(self.measure_creates(op, args, server_pid).await?);
            }
            if !table.is_empty() {
                print_rows(
                    &format!(
                        "{size} users, CreateUser at concurrency {}, {:.1} s each",
                        args.create_concurrency,
                        args.duration.as_secs_f64()
                    ),
                    &table,
                );
            }
            let password_hash_cpu_share = hash_share(&table);
            if let Some(share) = password_hash_cpu_share {
                println!(
                    "  argon2id hashing: {:.1} % of the server CPU time of a CreateUser with a password",
                    share * 100.0
                );
            }
            rows.extend(table);

            let server_memory = server_pid.and_then(memory_of);
            let data_dir_bytes = spawned.as_deref().map(|s| dir_size(&s.data_dir()));
            let (mut restart, mut at_rest, mut rss_after) = (None, None, None);
            if let (Some(s), false) = (spawned.as_deref_mut(), args.no_startup) {
                let r = s.restart().await.context("restarting the server")?;
                at_rest = Some(dir_size(&s.data_dir()));
                rss_after = s.memory().map(|m| m.rss_bytes);
                if r.exit_code != Some(0) {
                    bail!("the server exited with {:?} on SIGTERM", r.exit_code);
                }
                restart = Some(r);
            }
            if let (Some(m), true) = (
                memory_before_creates,
                scenarios.iter().any(|op| op.creates()),
            ) {
                println!(
                    "server at {size} users before the creations: RSS {:.1} MiB",
                    mib(m.rss_bytes)
                );
            }
            print_step_footer(
                size,
                server_memory,
                data_dir_bytes,
                at_rest,
                restart.as_ref(),
            );
            steps.push(Step {
                users: size,
                instances: self.fixtures.len(),
                created_before,
                load,
                rows,
                server_memory,
                memory_before_creates,
                data_dir_bytes,
                data_dir_bytes_at_rest: at_rest,
                restart,
                rss_after_restart_bytes: rss_after,
                password_hash_cpu_share,
            });
        }
        if steps.len() > 1 {
            print_growth(&steps);
        }
        print_headline(&steps);

        Ok(OpsReport {
            tool: "roster-bench ops",
            version: env!("CARGO_PKG_VERSION"),
            machine: Machine {
                cores: std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1),
                cpu: cpu_model(),
            },
            endpoint: self.api.base().to_string(),
            spawned: spawned.is_some(),
            auth: args.auth,
            concurrency: args.concurrency.clone(),
            create_concurrency: args.create_concurrency,
            duration_s: args.duration.as_secs_f64(),
            warmup_s: args.warmup.as_secs_f64(),
            users_per_instance: args.users_per_instance,
            baseline_body_bytes,
            steps,
            server_exit_code: None,
        })
    }

    /// Loads users until the store holds `size`, filling instances of
    /// `--users-per-instance` users one after the other.
    async fn grow(&mut self, size: u64, args: &OpsArgs) -> anyhow::Result<Vec<LoadResult>> {
        let per = args.users_per_instance;
        let instances = size.div_ceil(per) as usize;
        let mut results = Vec::new();
        for k in 0..instances {
            if k == self.fixtures.len() {
                let t0 = Instant::now();
                let alias = format!("{}-u{k}", self.alias);
                let mut fx = Fixture::create(&self.api, &alias).await?;
                // DescribeUser, ListUsers and UpdateUserConfig do not show proficiencies:
                // loading is faster without them.
                fx.proficiencies = false;
                println!(
                    "instance {} ({alias}, SAML) set up in {:.1} s",
                    fx.instance_id,
                    t0.elapsed().as_secs_f64()
                );
                self.fixtures.push(fx);
                self.loaded.push(0);
            }
            let target = per.min(size - k as u64 * per);
            if self.loaded[k] >= target {
                continue;
            }
            let from = self.loaded[k];
            let r = load_users(
                &self.api,
                &mut self.fixtures[k],
                &self.names,
                from,
                target,
                args.load_concurrency,
            )
            .await?;
            let c = &r.create_user;
            println!(
                "loaded users {from}..{target} of instance {k}: {:.0} CreateUser/s (p50 {:.1} ms, p99 {:.1} ms, concurrency {})",
                c.throughput, c.p50_ms, c.p99_ms, args.load_concurrency
            );
            self.users
                .extend(r.user_ids.iter().map(|id| (k, id.clone())));
            self.loaded[k] = target;
            results.push(r);
        }
        Ok(results)
    }

    fn random_users(&mut self, n: usize) -> Vec<(usize, String)> {
        (0..n.min(self.users.len()).max(1))
            .map(|_| self.rng.pick(&self.users).clone())
            .collect()
    }

    fn user_path(&self, (k, id): &(usize, String)) -> String {
        format!("/users/{}/{id}", self.fixtures[*k].instance_id)
    }

    /// The instances DescribeInstance rotates through, creating one when there is none.
    async fn instances_to_describe(&mut self, args: &OpsArgs) -> anyhow::Result<Vec<String>> {
        if let Some(id) = &args.instance_id {
            return Ok(vec![id.clone()]);
        }
        if !self.fixtures.is_empty() {
            return Ok(self
                .fixtures
                .iter()
                .map(|f| f.instance_id.clone())
                .collect());
        }
        if self.bare_instance.is_none() {
            // Only CreateInstance: other servers (moto) may implement no more.
            let body = json!({
                "IdentityManagementType": "SAML",
                "InstanceAlias": format!("{}-bare", self.alias),
                "InboundCallsEnabled": true,
                "OutboundCallsEnabled": true,
            });
            let v = self
                .api
                .call_ok(&new_client(), Method::PUT, "/instance", "", Some(&body))
                .await
                .context("CreateInstance")?;
            let id = v["Id"]
                .as_str()
                .ok_or_else(|| anyhow!("CreateInstance answered without Id: {v}"))?;
            println!("instance {id} created for describe-instance");
            self.bare_instance = Some(id.to_string());
        }
        Ok(vec![self.bare_instance.clone().expect("set above")])
    }

    /// The requests of a read or update scenario.
    async fn read_specs(&mut self, op: Op, args: &OpsArgs) -> anyhow::Result<Vec<Spec>> {
        Ok(match op {
            Op::DescribeUser => self
                .random_users(READ_POOL)
                .iter()
                .map(|u| Spec::get(self.user_path(u), String::new()))
                .collect(),
            Op::ListUsers => {
                let mut specs = Vec::new();
                let client = new_client();
                for fx in self.fixtures.iter().take(LIST_INSTANCES) {
                    let path = format!("/users-summary/{}", fx.instance_id);
                    let mut query = "maxResults=100".to_string();
                    for _ in 0..LIST_PAGES {
                        specs.push(Spec::get(path.clone(), query.clone()));
                        let page = self
                            .api
                            .call_ok(&client, Method::GET, &path, &query, None)
                            .await
                            .context("ListUsers")?;
                        match page["NextToken"].as_str() {
                            Some(t) => {
                                query = format!("maxResults=100&nextToken={}", query_encode(t))
                            }
                            None => break,
                        }
                    }
                }
                specs
            }
            Op::UpdateUserConfig => {
                let users = self.random_users(UPDATE_USERS);
                // Every user twice, with two values: each request changes what it updates.
                [(30, 0), (60, 1)]
                    .iter()
                    .flat_map(|&(base, round)| {
                        users.iter().enumerate().map(move |(j, u)| (base, round, j, u))
                    })
                    .map(|(base, round, j, u)| {
                        let body = json!({
                            "AfterContactWorkConfigs": [{
                                "Channel": "VOICE",
                                "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": base + (j % 30) as i64},
                            }],
                            "AutoAcceptConfigs": [{"Channel": "VOICE", "AutoAccept": round == 1}],
                        });
                        Spec::with_body(Method::POST, format!("{}/config", self.user_path(u)), &body)
                    })
                    .collect()
            }
            Op::DescribeInstance => self
                .instances_to_describe(args)
                .await?
                .into_iter()
                .map(|id| Spec::get(format!("/instance/{id}"), String::new()))
                .collect(),
            Op::CreateUserSaml | Op::CreateUserPassword => {
                unreachable!("creations are signed in batches")
            }
        })
    }

    /// Measures the baseline at `concurrency` with the requests of the first read scenario
    /// (DescribeUser when it runs), starting the baseline server on first use.
    async fn measure_baseline(
        &mut self,
        args: &OpsArgs,
        scenarios: &[Op],
        concurrency: usize,
        baseline: &mut Option<Spawned>,
    ) -> anyhow::Result<(Row, usize)> {
        let op = scenarios
            .iter()
            .copied()
            .find(|op| !op.creates())
            .unwrap_or(Op::DescribeInstance);
        let specs = self.read_specs(op, args).await?;
        let bytes = match (args.baseline_body_bytes, self.describe_user_bytes) {
            (Some(n), _) | (None, Some(n)) => n,
            (None, None) => {
                let (spec, what) = if self.users.is_empty() {
                    (specs[0].clone(), op.name())
                } else {
                    let u = self.users[0].clone();
                    (
                        Spec::get(self.user_path(&u), String::new()),
                        "describe-user",
                    )
                };
                let reply = send(&new_client(), &sign_all(&self.api, &[spec])?[0]).await?;
                if reply.status != 200 {
                    bail!("{what}: HTTP {}: {}", reply.status, reply.text());
                }
                println!(
                    "a {what} response from the server is {} bytes: the baseline answers that many",
                    reply.body.len()
                );
                self.describe_user_bytes = Some(reply.body.len());
                reply.body.len()
            }
        };
        if baseline.is_none() {
            let b = Spawned::start_baseline(bytes).await?;
            println!("baseline server (pid {}) at {}", b.pid(), b.endpoint);
            *baseline = Some(b);
        }
        let b = baseline.as_ref().expect("started above");
        let api = Api::new(&b.endpoint, self.signer.clone())?;
        let pool = Arc::new(sign_all(&api, &specs)?);
        let mut row = measure(
            &format!("baseline ({})", op.name()),
            &pool,
            Use::Rotate,
            concurrency,
            args.warmup,
            args.duration,
            Some(b.pid()),
        )
        .await?;
        row.vs_baseline = Some(1.0);
        Ok((row, bytes))
    }

    /// The instance a create scenario adds users to, made on first use.
    async fn create_target(&mut self, op: Op) -> anyhow::Result<Fixture> {
        let (slot, idm, suffix) = match op {
            Op::CreateUserSaml => (&mut self.saml, "SAML", "new-saml"),
            _ => (&mut self.managed, "CONNECT_MANAGED", "new-managed"),
        };
        if slot.is_none() {
            let alias = format!("{}-{suffix}", self.alias);
            let fx = Fixture::create_with(&self.api, &alias, idm).await?;
            println!(
                "instance {} ({alias}, {idm}) for {}",
                fx.instance_id,
                op.name()
            );
            *slot = Some(fx);
        }
        Ok(slot.clone().expect("set above"))
    }

    /// `n` CreateUser requests with new usernames, signed now.
    fn create_pool(
        &mut self,
        fx: &Fixture,
        password: bool,
        n: usize,
    ) -> anyhow::Result<Vec<Prepared>> {
        let path = format!("/users/{}", fx.instance_id);
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let seq = self.created;
            self.created += 1;
            let mut body = fx.create_user_body(&self.names, seq);
            body["Username"] = json!(format!("new{seq:09}"));
            if password {
                body["Password"] = json!(PASSWORD);
            }
            out.push(
                self.api
                    .prepare(Method::PUT, &path, "", Bytes::from(body.to_string()))?,
            );
        }
        Ok(out)
    }

    /// Measures a create scenario: a warm-up from a first batch of signed requests gives
    /// the rate, then enough requests for the measurement are signed (off the clock) and
    /// each is sent once.
    async fn measure_creates(
        &mut self,
        op: Op,
        args: &OpsArgs,
        server_pid: Option<u32>,
    ) -> anyhow::Result<Row> {
        let fx = self.create_target(op).await?;
        let password = op == Op::CreateUserPassword;
        let concurrency = args.create_concurrency;
        let mut rate = None;
        if !args.warmup.is_zero() {
            let pool = Arc::new(self.create_pool(&fx, password, CREATE_WARMUP_POOL)?);
            let run = drive::run_for(&pool, Use::Once, concurrency, args.warmup, status_ok).await?;
            if run.tally.errors > 0 {
                let row = row_of(op.name(), &run, concurrency, None, None);
                return Ok(row);
            }
            rate = Some(run.tally.requests as f64 / run.elapsed.as_secs_f64().max(1e-3));
        }
        let n = match rate {
            Some(r) => (r * args.duration.as_secs_f64() * 1.5) as usize + 4 * concurrency + 1000,
            None => 50_000,
        }
        .min(args.max_pool);
        let t0 = Instant::now();
        let pool = Arc::new(self.create_pool(&fx, password, n)?);
        println!(
            "  {}: signed {n} requests in {:.1} s",
            op.name(),
            t0.elapsed().as_secs_f64()
        );
        let row = measure(
            op.name(),
            &pool,
            Use::Once,
            concurrency,
            Duration::ZERO,
            args.duration,
            server_pid,
        )
        .await?;
        Ok(row)
    }
}

/// Warms up, then measures `pool` with the server's and the bench's CPU time.
async fn measure(
    name: &str,
    pool: &Arc<Vec<Prepared>>,
    mode: Use,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
    server_pid: Option<u32>,
) -> anyhow::Result<Row> {
    if !warmup.is_zero() {
        drive::run_for(pool, mode, concurrency, warmup, status_ok).await?;
    }
    let me = std::process::id();
    let (s0, c0) = (server_pid.and_then(cpu_time_of), cpu_time_of(me));
    let run = drive::run_for(pool, mode, concurrency, duration, status_ok).await?;
    let (s1, c1) = (server_pid.and_then(cpu_time_of), cpu_time_of(me));
    let cpu = |a: Option<Duration>, b: Option<Duration>| Some(b?.saturating_sub(a?));
    Ok(row_of(name, &run, concurrency, cpu(s0, s1), cpu(c0, c1)))
}

fn row_of(
    name: &str,
    run: &drive::Run,
    concurrency: usize,
    server_cpu: Option<Duration>,
    client_cpu: Option<Duration>,
) -> Row {
    let mut summary = run.tally.summary(name, run.elapsed);
    summary.concurrency = Some(concurrency);
    if run.exhausted {
        summary.note = Some(format!(
            "the signed requests ran out after {:.1} s",
            run.elapsed.as_secs_f64()
        ));
    }
    let secs = run.elapsed.as_secs_f64().max(1e-9);
    let pct = |d: Option<Duration>| d.map(|d| d.as_secs_f64() / secs * 100.0);
    Row {
        server_cpu_pct: pct(server_cpu),
        client_cpu_pct: pct(client_cpu),
        server_cpu_ms_per_request: server_cpu
            .filter(|_| summary.requests > 0)
            .map(|d| d.as_secs_f64() * 1000.0 / summary.requests as f64),
        vs_baseline: None,
        summary,
    }
}

/// 1 − (server CPU per SAML creation) / (server CPU per creation with a password).
fn hash_share(rows: &[Row]) -> Option<f64> {
    let per = |name: &str| {
        rows.iter()
            .find(|r| r.summary.name == name)
            .and_then(|r| r.server_cpu_ms_per_request)
    };
    let (saml, password) = (
        per(Op::CreateUserSaml.name())?,
        per(Op::CreateUserPassword.name())?,
    );
    (password > 0.0).then(|| (1.0 - saml / password).clamp(0.0, 1.0))
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".into())
}

fn print_rows(title: &str, rows: &[Row]) {
    println!("\n{title}");
    println!(
        "{:<32} {:>5} {:>9} {:>6} {:>9} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "scenario",
        "conc",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "srv CPU%",
        "cli CPU%",
        "vs base"
    );
    for r in rows {
        let s = &r.summary;
        println!(
            "{:<32} {:>5} {:>9} {:>6} {:>9.0} {:>7.2} {:>7.2} {:>7.2} {:>8.2} {:>8} {:>8} {:>8}",
            s.name,
            s.concurrency.unwrap_or(0),
            s.requests,
            s.errors,
            s.throughput,
            s.p50_ms,
            s.p90_ms,
            s.p99_ms,
            s.max_ms,
            opt(r.server_cpu_pct, 0),
            opt(r.client_cpu_pct, 0),
            opt(r.vs_baseline, 3)
        );
    }
    for r in rows {
        if let Some(note) = &r.summary.note {
            println!("  {}: {note}", r.summary.name);
        }
        if let Some(e) = &r.summary.first_error {
            println!("  {}: FIRST ERROR: {e}", r.summary.name);
        }
    }
}

fn print_step_footer(
    size: u64,
    memory: Option<Memory>,
    data: Option<u64>,
    at_rest: Option<u64>,
    restart: Option<&Restart>,
) {
    let mut parts = Vec::new();
    if let Some(m) = memory {
        parts.push(format!(
            "RSS {:.1} MiB (peak {:.1} MiB)",
            mib(m.rss_bytes),
            mib(m.peak_rss_bytes)
        ));
    }
    if let Some(d) = data {
        parts.push(format!("data directory {:.1} MiB", mib(d)));
    }
    if let Some(d) = at_rest {
        parts.push(format!("{:.1} MiB at rest", mib(d)));
    }
    if let Some(r) = restart {
        parts.push(format!(
            "restart: stopped in {:.0} ms, ready in {:.0} ms, /health 200 after {:.0} ms",
            r.stop_ms, r.ready_ms, r.healthy_ms
        ));
    }
    if !parts.is_empty() {
        println!("server at {size} users: {}", parts.join(", "));
    }
}

fn find<'a>(step: &'a Step, name: &str) -> Option<&'a Row> {
    step.rows.iter().find(|r| r.summary.name == name)
}

fn print_growth(steps: &[Step]) {
    println!("\ngrowth");
    println!(
        "{:>10} {:>9} {:>14} {:>14} {:>10} {:>12} {:>10} {:>10} {:>10}",
        "users",
        "instances",
        "DescribeUser/s",
        "CreateUser/s",
        "data MiB",
        "RSS pre-cr.",
        "RSS MiB",
        "ready ms",
        "health ms"
    );
    for s in steps {
        let tp = |name: &str| opt(find(s, name).map(|r| r.summary.throughput), 0);
        println!(
            "{:>10} {:>9} {:>14} {:>14} {:>10} {:>12} {:>10} {:>10} {:>10}",
            s.users,
            s.instances,
            tp(Op::DescribeUser.name()),
            tp(Op::CreateUserSaml.name()),
            opt(s.data_dir_bytes.map(mib), 1),
            opt(s.memory_before_creates.map(|m| mib(m.rss_bytes)), 1),
            opt(s.server_memory.map(|m| mib(m.rss_bytes)), 1),
            opt(s.restart.map(|r| r.ready_ms), 0),
            opt(s.restart.map(|r| r.healthy_ms), 0),
        );
    }
}

fn print_headline(steps: &[Step]) {
    for s in steps {
        for r in &s.rows {
            if r.summary.name == Op::DescribeUser.name() {
                if let Some(ratio) = r.vs_baseline {
                    println!(
                        "HEADLINE at {} users, concurrency {}: DescribeUser {:.0} req/s = {:.3} x baseline (p99 {:.2} ms)",
                        s.users,
                        r.summary.concurrency.unwrap_or(0),
                        r.summary.throughput,
                        ratio,
                        r.summary.p99_ms
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(query_encode("abc-_.~XYZ09"), "abc-_.~XYZ09");
        assert_eq!(query_encode("a+b/c="), "a%2Bb%2Fc%3D");
    }

    #[test]
    fn scenarios_run_creations_last() {
        let first_create = Op::ALL.iter().position(|op| op.creates()).unwrap();
        assert!(Op::ALL[first_create..].iter().all(|op| op.creates()));
        assert!(!Op::DescribeInstance.needs_users());
    }

    fn row(name: &str, cpu_ms: f64) -> Row {
        let mut summary = Summary::skipped(name, "x");
        summary.note = None;
        Row {
            summary,
            server_cpu_pct: None,
            client_cpu_pct: None,
            server_cpu_ms_per_request: Some(cpu_ms),
            vs_baseline: None,
        }
    }

    #[test]
    fn hash_share_compares_cpu_per_request() {
        let rows = [
            row("create-user-saml", 0.5),
            row("create-user-password", 20.0),
        ];
        let share = hash_share(&rows).unwrap();
        assert!((share - 0.975).abs() < 1e-9);
        assert!(hash_share(&rows[..1]).is_none());
    }
}
