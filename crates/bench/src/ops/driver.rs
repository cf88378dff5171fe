//! Running the scenarios: loading the store, signing the requests, driving them
//! against the server and the baseline, and measuring CPU, memory and restarts.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use http::Method;

use crate::client::{new_client, send, Api, Prepared};
use crate::data::{Names, Rng};
use crate::drive::{self, status_ok, Use};
use crate::fixture::{load_users, Fixture, LoadResult};
use crate::server::{cpu_time_of, dir_size, memory_of, Spawned};
use crate::sign::Signer;
use crate::{cpu_model, mib, Machine};

use super::report::{
    hash_share, print_growth, print_headline, print_rows, print_step_footer, OpsReport, Row, Step,
};
use super::scenarios::{sign_all, Op, Spec, CREATE_WARMUP_POOL};
use super::OpsArgs;

/// The state of one run: the server's API, the instances and the users in them.
pub(super) struct Bench {
    pub(super) api: Api,
    pub(super) signer: Signer,
    pub(super) names: Arc<Names>,
    pub(super) alias: String,
    /// Instances holding the fixture's users, and how many each holds.
    pub(super) fixtures: Vec<Fixture>,
    pub(super) loaded: Vec<u64>,
    /// (fixture index, user id) of every loaded user.
    pub(super) users: Vec<(usize, String)>,
    pub(super) saml: Option<Fixture>,
    pub(super) managed: Option<Fixture>,
    pub(super) bare_instance: Option<String>,
    /// Users added by the create scenarios so far (their usernames are numbered).
    pub(super) created: u64,
    pub(super) rng: Rng,
    pub(super) describe_user_bytes: Option<usize>,
}

impl Bench {
    pub(super) fn new(args: &OpsArgs, endpoint: &str) -> anyhow::Result<Bench> {
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

    pub(super) async fn run(
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
