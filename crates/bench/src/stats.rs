//! Per-worker counters and latency histograms, merged into one summary per scenario.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Latencies are recorded in microseconds, from 1 µs to 10 minutes, with 3 significant digits.
fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// What one worker (or, after merging, all workers) saw.
pub struct Tally {
    pub hist: Histogram<u64>,
    pub requests: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Sum of `ApproximateTotalCount` over the successful search responses.
    pub matched: u64,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            hist: new_histogram(),
            requests: 0,
            errors: 0,
            first_error: None,
            matched: 0,
        }
    }
}

impl Tally {
    pub fn ok(&mut self, latency: Duration) {
        self.requests += 1;
        self.record(latency);
    }

    pub fn error(&mut self, latency: Duration, what: impl FnOnce() -> String) {
        self.requests += 1;
        self.errors += 1;
        self.record(latency);
        if self.first_error.is_none() {
            self.first_error = Some(what());
        }
    }

    fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.hist.saturating_record(micros.max(1));
    }

    pub fn merge(&mut self, other: Tally) {
        self.hist.add(&other.hist).expect("histograms share bounds");
        self.requests += other.requests;
        self.errors += other.errors;
        self.matched += other.matched;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    pub fn summary(&self, name: &str, elapsed: Duration) -> Summary {
        let ms = |q: f64| self.hist.value_at_quantile(q) as f64 / 1000.0;
        let secs = elapsed.as_secs_f64();
        Summary {
            name: name.to_string(),
            concurrency: None,
            requests: self.requests,
            errors: self.errors,
            seconds: secs,
            throughput: if secs > 0.0 {
                self.requests as f64 / secs
            } else {
                0.0
            },
            p50_ms: ms(0.50),
            p90_ms: ms(0.90),
            p99_ms: ms(0.99),
            max_ms: self.hist.max() as f64 / 1000.0,
            mean_matches: None,
            first_error: self.first_error.clone(),
            note: None,
        }
    }

    /// Like [`Tally::summary`], with the mean `ApproximateTotalCount` of the successes.
    pub fn search_summary(&self, name: &str, elapsed: Duration) -> Summary {
        let ok = self.requests - self.errors;
        let mut s = self.summary(name, elapsed);
        s.mean_matches = (ok > 0).then(|| self.matched as f64 / ok as f64);
        s
    }
}

/// One scenario's result, as printed and as written to the JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub name: String,
    /// Concurrent workers (searches only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<usize>,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    /// Requests per second.
    pub throughput: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Mean `ApproximateTotalCount` of the successful responses (searches only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_matches: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Summary {
    /// A scenario that was not run, with the reason.
    pub fn skipped(name: &str, why: &str) -> Summary {
        Summary {
            name: name.to_string(),
            concurrency: None,
            requests: 0,
            errors: 0,
            seconds: 0.0,
            throughput: 0.0,
            p50_ms: 0.0,
            p90_ms: 0.0,
            p99_ms: 0.0,
            max_ms: 0.0,
            mean_matches: None,
            first_error: None,
            note: Some(format!("skipped: {why}")),
        }
    }

    pub fn is_skipped(&self) -> bool {
        self.requests == 0
            && self
                .note
                .as_deref()
                .is_some_and(|n| n.starts_with("skipped"))
    }
}

/// Prints summaries as a plain-text table, with notes and first errors below it.
pub fn print_table(title: &str, rows: &[Summary]) {
    println!("\n{title}");
    println!(
        "{:<26} {:>9} {:>7} {:>10} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "scenario",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "matches"
    );
    for r in rows {
        if r.is_skipped() {
            println!("{:<26} {}", r.name, r.note.as_deref().unwrap_or("skipped"));
            continue;
        }
        let matches = r
            .mean_matches
            .map(|m| format!("{m:.0}"))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<26} {:>9} {:>7} {:>10.1} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9}",
            r.name,
            r.requests,
            r.errors,
            r.throughput,
            r.p50_ms,
            r.p90_ms,
            r.p99_ms,
            r.max_ms,
            matches
        );
    }
    for r in rows {
        if let (Some(note), false) = (&r.note, r.is_skipped()) {
            println!("  {}: {note}", r.name);
        }
        if let Some(e) = &r.first_error {
            println!("  {}: first error: {e}", r.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_summarises() {
        let mut a = Tally::default();
        for ms in 1..=100 {
            a.ok(Duration::from_millis(ms));
        }
        a.matched = 500;
        let mut b = Tally::default();
        b.error(Duration::from_millis(200), || "boom".into());
        b.error(Duration::from_millis(1), || "second".into());
        a.merge(b);
        let s = a.search_summary("x", Duration::from_secs(2));
        assert_eq!(s.requests, 102);
        assert_eq!(s.errors, 2);
        assert!((s.throughput - 51.0).abs() < 1e-9);
        assert!((s.p50_ms - 50.0).abs() < 0.1, "{}", s.p50_ms);
        assert!((s.max_ms - 200.0).abs() < 0.2);
        assert_eq!(s.mean_matches, Some(5.0));
        assert_eq!(s.first_error.as_deref(), Some("boom"));
    }
}
