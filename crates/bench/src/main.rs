//! `roster-bench`: loads a user fixture into a roster server through its HTTP API and
//! measures the user operations (`ops`, next to a bare baseline server) and SearchUsers
//! (`search`).

mod baseline;
mod client;
mod data;
mod drive;
mod fixture;
mod ops;
mod search;
mod server;
mod sign;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use http::Method;
use serde::Serialize;

use crate::client::{new_client, Api};
use crate::data::Names;
use crate::fixture::{load_users, Fixture, LoadResult};
use crate::search::{Check, Scenario};
use crate::server::{dir_size, Memory, Spawned};
use crate::sign::Signer;
use crate::stats::{print_table, Summary};

#[derive(Parser)]
#[command(
    name = "roster-bench",
    version,
    about = "Load generator for the roster server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load a user fixture through the API, then measure SearchUsers scenarios.
    Search(SearchArgs),
    /// Measure single user operations (DescribeUser, ListUsers, CreateUser, ...) against
    /// the baseline server, at one or more store sizes.
    Ops(ops::OpsArgs),
    /// The baseline: a bare HTTP server answering every request with one fixed JSON body.
    BaselineServer(BaselineArgs),
}

#[derive(Args)]
struct BaselineArgs {
    /// Address and port to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Size of the response body in bytes.
    #[arg(long, default_value_t = 1024)]
    body_bytes: usize,
}

#[derive(Args)]
struct SearchArgs {
    /// Users to load (ignored when --growth is given).
    #[arg(long, default_value_t = 100_000)]
    users: u64,
    /// A running server, e.g. http://127.0.0.1:4599. It must allow enough users per
    /// instance (--max-users-per-instance).
    #[arg(long, required_unless_present = "spawn", conflicts_with = "spawn")]
    endpoint: Option<String>,
    /// Start this roster binary on a free port with a temporary data directory, and stop
    /// it with SIGTERM at the end.
    #[arg(long, value_name = "PATH_TO_ROSTER")]
    spawn: Option<PathBuf>,
    /// How long each scenario is measured (e.g. 10s, 500ms, 1m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Unrecorded traffic before each measurement.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    warmup: Duration,
    /// Concurrent search workers, each with its own keep-alive connection; a list
    /// (e.g. 1,4) measures every scenario at each level.
    #[arg(long, value_delimiter = ',', default_value = "8")]
    concurrency: Vec<usize>,
    /// Concurrent workers while loading users.
    #[arg(long, default_value_t = 64)]
    load_concurrency: usize,
    /// Fixture sizes to measure at, growing one instance, e.g. 10000,100000.
    #[arg(long, value_delimiter = ',')]
    growth: Vec<u64>,
    /// Scenarios to run (default: all).
    #[arg(long, value_delimiter = ',', value_enum)]
    scenarios: Vec<Scenario>,
    /// MaxResults of every search.
    #[arg(long, default_value_t = 100)]
    max_results: u32,
    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Access key id to sign with (a 12-digit id is also the account in permissive mode).
    #[arg(long, default_value = "AKIDROSTERBENCH")]
    access_key_id: String,
    #[arg(long, default_value = "roster-bench-secret")]
    secret_access_key: String,
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Instance alias (default: one made from the process id and the time).
    #[arg(long)]
    alias: Option<String>,
}

/// Parses `250ms`, `10s`, `2m` or a plain number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (e.g. 10s, 500ms, 2m)"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("{s:?} is not a duration"));
    }
    Ok(Duration::from_secs_f64(v * scale))
}

#[derive(Serialize)]
struct Report {
    tool: &'static str,
    version: &'static str,
    machine: Machine,
    endpoint: String,
    spawned: bool,
    concurrency: Vec<usize>,
    load_concurrency: usize,
    duration_s: f64,
    warmup_s: f64,
    max_results: u32,
    fixture: FixtureInfo,
    steps: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_exit_code: Option<i32>,
}

#[derive(Serialize)]
struct Machine {
    cores: usize,
    cpu: Option<String>,
}

#[derive(Serialize)]
struct FixtureInfo {
    instance_id: String,
    identity_management_type: &'static str,
    hierarchy: String,
    security_profiles: usize,
    routing_profiles: usize,
    proficiencies: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    proficiencies_note: Option<String>,
}

#[derive(Serialize)]
struct Step {
    users: u64,
    load: LoadResult,
    search: Vec<Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_memory: Option<Memory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir_bytes: Option<u64>,
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_string())
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Search(args) => run_search(args).await,
        Command::Ops(args) => ops::run_ops(args).await,
        Command::BaselineServer(args) => baseline::serve(&args.listen, args.body_bytes)
            .await
            .map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("roster-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Returns whether the run was clean: no failed request and a clean server exit.
async fn run_search(args: SearchArgs) -> anyhow::Result<bool> {
    let mut sizes = if args.growth.is_empty() {
        vec![args.users]
    } else {
        args.growth.clone()
    };
    sizes.sort_unstable();
    sizes.dedup();
    if sizes.first() == Some(&0) {
        bail!("fixture sizes must be positive");
    }
    if args.concurrency.is_empty() || args.concurrency.contains(&0) || args.load_concurrency == 0 {
        bail!("concurrency levels must be positive");
    }
    let max_users = *sizes.last().expect("at least one size");
    let scenarios = if args.scenarios.is_empty() {
        Scenario::ALL.to_vec()
    } else {
        args.scenarios.clone()
    };

    let spawned = match &args.spawn {
        Some(path) => {
            let s = Spawned::start(path, max_users).await?;
            println!(
                "started {} (pid {}) at {}, data in {}, log in {}",
                path.display(),
                s.pid(),
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
    let outcome = run_against(&args, &endpoint, &sizes, &scenarios, spawned.as_ref()).await;
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
    let errors: u64 = report
        .steps
        .iter()
        .flat_map(|s| s.search.iter())
        .map(|s| s.errors)
        .sum();
    if errors > 0 {
        eprintln!("roster-bench: {errors} search requests failed");
    }
    Ok(errors == 0 && exit_code.unwrap_or(0) == 0)
}

async fn run_against(
    args: &SearchArgs,
    endpoint: &str,
    sizes: &[u64],
    scenarios: &[Scenario],
    spawned: Option<&Spawned>,
) -> anyhow::Result<Report> {
    let signer = Signer::new(&args.access_key_id, &args.secret_access_key, &args.region);
    let api = Api::new(endpoint, signer)?;
    let health = api
        .call(&new_client(), Method::GET, "/health", "", None)
        .await
        .with_context(|| format!("GET {}/health", api.base()))?;
    if health.status != 200 {
        bail!("GET /health: HTTP {}: {}", health.status, health.text());
    }

    let alias = args.alias.clone().unwrap_or_else(|| {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        format!("bench-{}-{secs}", std::process::id())
    });
    let t0 = std::time::Instant::now();
    let mut fixture = Fixture::create(&api, &alias).await?;
    println!(
        "instance {} ({alias}, SAML): {} security profiles, {} routing profiles, \
         hierarchy {}x{}x{} ({} leaf groups), proficiencies: {}; set up in {:.1} s",
        fixture.instance_id,
        fixture.security_profiles.len(),
        fixture.routing_profiles.len(),
        fixture::HIERARCHY_SHAPE[0],
        fixture::HIERARCHY_SHAPE[1],
        fixture::HIERARCHY_SHAPE[2],
        fixture.leaf_groups.len(),
        if fixture.proficiencies { "yes" } else { "no" },
        t0.elapsed().as_secs_f64()
    );

    let names = Arc::new(Names::default());
    let mut steps = Vec::new();
    let mut loaded = 0;
    let mut search_unavailable: Option<String> = None;
    for &size in sizes {
        let load = load_users(
            &api,
            &mut fixture,
            &names,
            loaded,
            size,
            args.load_concurrency,
        )
        .await?;
        loaded = size;
        print_table(
            &format!(
                "load users {}..{} (concurrency {})",
                load.from, load.to, args.load_concurrency
            ),
            &[load.create_user.clone(), load.proficiencies.clone()],
        );

        // Which scenarios can run: probed once per size.
        let mut runnable: Vec<(Scenario, Option<String>)> = Vec::new();
        let mut skipped: Vec<Summary> = Vec::new();
        for &scenario in scenarios {
            let name = scenario.name();
            if let Some(why) = &search_unavailable {
                skipped.push(Summary::skipped(name, why));
                continue;
            }
            if scenario == Scenario::Proficiency && !fixture.proficiencies {
                skipped.push(Summary::skipped(name, "the fixture has no proficiencies"));
                continue;
            }
            let (bodies, note) = search::bodies(scenario, &fixture, &names, args.max_results);
            let first = search::prepare(&api, &bodies[..1])?;
            match search::probe(&first[0]).await? {
                Check::NotImplemented(text) => {
                    eprintln!("warning: SearchUsers is not implemented by the server: {text}");
                    let why = "SearchUsers is not implemented by the server".to_string();
                    skipped.push(Summary::skipped(name, &why));
                    search_unavailable = Some(why);
                }
                Check::Ok(_) | Check::Error(_) => runnable.push((scenario, note)),
            }
        }

        let mut results = Vec::new();
        for &concurrency in &args.concurrency {
            let mut table = Vec::new();
            for (scenario, note) in &runnable {
                let (bodies, _) = search::bodies(*scenario, &fixture, &names, args.max_results);
                // Signed just before the measurement, so the signatures stay within the
                // server's clock-skew window however long the whole run takes.
                let prepared = search::prepare(&api, &bodies)?;
                let mut summary = search::measure(
                    scenario.name(),
                    prepared,
                    concurrency,
                    args.warmup,
                    args.duration,
                )
                .await?;
                summary.note = note.clone();
                summary.concurrency = Some(concurrency);
                table.push(summary);
            }
            table.extend(skipped.iter().cloned());
            print_table(
                &format!(
                    "SearchUsers at {size} users (concurrency {concurrency}, {:.1} s each, MaxResults {})",
                    args.duration.as_secs_f64(),
                    args.max_results
                ),
                &table,
            );
            results.extend(table);
        }

        let (server_memory, data_dir_bytes) = match spawned {
            Some(s) => (s.memory(), Some(dir_size(&s.data_dir()))),
            None => (None, None),
        };
        if let (Some(m), Some(d)) = (server_memory, data_dir_bytes) {
            println!(
                "server at {size} users: RSS {:.1} MiB (peak {:.1} MiB), data directory {:.1} MiB",
                mib(m.rss_bytes),
                mib(m.peak_rss_bytes),
                mib(d)
            );
        }
        steps.push(Step {
            users: size,
            load,
            search: results,
            server_memory,
            data_dir_bytes,
        });
    }

    if steps.len() > 1 {
        print_growth(&steps);
    }

    Ok(Report {
        tool: "roster-bench",
        version: env!("CARGO_PKG_VERSION"),
        machine: Machine {
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            cpu: cpu_model(),
        },
        endpoint: endpoint.to_string(),
        spawned: spawned.is_some(),
        concurrency: args.concurrency.clone(),
        load_concurrency: args.load_concurrency,
        duration_s: args.duration.as_secs_f64(),
        warmup_s: args.warmup.as_secs_f64(),
        max_results: args.max_results,
        fixture: FixtureInfo {
            instance_id: fixture.instance_id.clone(),
            identity_management_type: "SAML",
            hierarchy: format!(
                "{}x{}x{}",
                fixture::HIERARCHY_SHAPE[0],
                fixture::HIERARCHY_SHAPE[1],
                fixture::HIERARCHY_SHAPE[2]
            ),
            security_profiles: fixture.security_profiles.len(),
            routing_profiles: fixture.routing_profiles.len(),
            proficiencies: fixture.proficiencies,
            proficiencies_note: fixture.proficiencies_note.clone(),
        },
        steps,
        server_exit_code: None,
    })
}

/// Prints p50 / p99 of every scenario (at every concurrency) at every size.
fn print_growth(steps: &[Step]) {
    println!("\nlatency vs size (p50 / p99 ms)");
    print!("{:<26}", "scenario @ concurrency");
    for s in steps {
        print!(" {:>18}", format!("{} users", s.users));
    }
    println!();
    for first in &steps[0].search {
        let label = match first.concurrency {
            Some(c) => format!("{} @ {c}", first.name),
            None => first.name.clone(),
        };
        print!("{label:<26}");
        for s in steps {
            let same = s
                .search
                .iter()
                .find(|r| r.name == first.name && r.concurrency == first.concurrency);
            let cell = match same {
                Some(r) if !r.is_skipped() => format!("{:.2} / {:.2}", r.p50_ms, r.p99_ms),
                _ => "-".to_string(),
            };
            print!(" {cell:>18}");
        }
        println!();
    }
    print!("{:<26}", "CreateUser req/s (batch)");
    for s in steps {
        print!(" {:>18.0}", s.load.create_user.throughput);
    }
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from([
            "roster-bench",
            "search",
            "--spawn",
            "target/release/roster",
            "--growth",
            "10000,100000",
            "--scenarios",
            "tag,nested",
            "--concurrency",
            "1,4",
        ])
        .unwrap();
        let Command::Search(a) = cli.command else {
            panic!("not search")
        };
        assert_eq!(a.concurrency, vec![1, 4]);
        assert_eq!(a.growth, vec![10_000, 100_000]);
        assert_eq!(a.scenarios, vec![Scenario::Tag, Scenario::Nested]);
        assert!(Cli::try_parse_from(["roster-bench", "search"]).is_err());
        let cli = Cli::try_parse_from([
            "roster-bench",
            "ops",
            "--spawn",
            "target/release/roster",
            "--growth",
            "10000,100000",
            "--scenarios",
            "describe-user,create-user-saml",
        ])
        .unwrap();
        let Command::Ops(o) = cli.command else {
            panic!("not ops")
        };
        assert_eq!(
            o.scenarios,
            vec![ops::Op::DescribeUser, ops::Op::CreateUserSaml]
        );
        assert_eq!(o.auth, ops::Auth::Strict);
        assert_eq!(o.create_concurrency, 64);
        assert!(Cli::try_parse_from([
            "roster-bench",
            "search",
            "--spawn",
            "x",
            "--endpoint",
            "http://127.0.0.1:1"
        ])
        .is_err());
    }
}
