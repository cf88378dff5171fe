//! `roster-bench ops`: throughput and latency of single user operations, each run next to
//! the baseline server, at one or more store sizes, with the server's CPU and memory,
//! the data directory's size and the server's start-up time.
//!
//! [`scenarios`] says what is measured and builds the requests, [`driver`] loads the
//! store and runs and measures them, [`report`] prints the tables and holds what is
//! written as JSON.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use serde::Serialize;

use crate::parse_duration;
use crate::server::{RosterOptions, Spawned, StrictKeys};

use driver::Bench;
use report::Row;

mod driver;
mod report;
mod scenarios;

pub use scenarios::Op;

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
    /// Spread the measured load over these servers (e.g. two roster processes over one
    /// PostgreSQL database): worker i sends to the (i mod n)-th, each request signed for
    /// --endpoint, as a load balancer would forward it. The loading goes to --endpoint.
    #[arg(long, value_delimiter = ',', requires = "endpoint")]
    pub spread: Vec<String>,
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

    crate::client::spread_over(args.endpoint.as_deref(), &args.spread)?;
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
