//! What a run reports: the rows and steps written as JSON, and the tables printed.

use serde::Serialize;

use crate::fixture::LoadResult;
use crate::server::{Memory, Restart};
use crate::stats::Summary;
use crate::{mib, Machine};

use super::scenarios::Op;
use super::Auth;

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
    pub(super) tool: &'static str,
    pub(super) version: &'static str,
    pub(super) machine: Machine,
    pub(super) endpoint: String,
    pub(super) spawned: bool,
    pub(super) auth: Auth,
    pub(super) concurrency: Vec<usize>,
    pub(super) create_concurrency: usize,
    pub(super) duration_s: f64,
    pub(super) warmup_s: f64,
    pub(super) users_per_instance: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) baseline_body_bytes: Option<usize>,
    pub(super) steps: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) server_exit_code: Option<i32>,
}

/// 1 − (server CPU per SAML creation) / (server CPU per creation with a password).
pub(super) fn hash_share(rows: &[Row]) -> Option<f64> {
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

pub(super) fn print_rows(title: &str, rows: &[Row]) {
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

pub(super) fn print_step_footer(
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

pub(super) fn print_growth(steps: &[Step]) {
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

pub(super) fn print_headline(steps: &[Step]) {
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
    use crate::stats::Summary;

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
