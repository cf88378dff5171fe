//! `GET /metrics` (with `--metrics`): roster's instruments in the OpenMetrics text
//! format, which Prometheus scrapes: requests by operation and status, latency by
//! operation, throttled and faulted requests, open connections, users in the store,
//! and the embedded store's write groups and commit (fsync) latency.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use roster_store::CommitObserver;

/// The content type of the answer: OpenMetrics 1.0 text, which Prometheus reads.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FaultLabels {
    operation: &'static str,
    /// The modelled error answered, or `delay`.
    fault: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StoreLabels {
    store: &'static str,
}

type Latencies = Family<OperationLabels, Histogram, fn() -> Histogram>;

/// 100 µs to about 3.3 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// The instruments of one process.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latencies,
    throttled: Family<OperationLabels, Counter>,
    faulted: Family<FaultLabels, Counter>,
    connections: Gauge,
    users: Family<StoreLabels, Gauge>,
    commits: Arc<CommitMetrics>,
}

/// The embedded store's writer, as it commits.
pub struct CommitMetrics {
    group_size: Histogram,
    commit_seconds: Histogram,
}

impl CommitObserver for CommitMetrics {
    fn committed(&self, calls: usize, commit: Duration) {
        self.group_size.observe(calls as f64);
        self.commit_seconds.observe(commit.as_secs_f64());
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("roster");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "API requests answered, by operation and HTTP status",
            requests.clone(),
        );
        let latency: Latencies = Family::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "request_duration",
            "Time from a request's arrival to its answer, by operation",
            Unit::Seconds,
            latency.clone(),
        );
        let throttled = Family::<OperationLabels, Counter>::default();
        registry.register(
            "throttled_requests",
            "Requests answered ThrottlingException by --throttle, by operation",
            throttled.clone(),
        );
        let faulted = Family::<FaultLabels, Counter>::default();
        registry.register(
            "faulted_requests",
            "Requests a fault rule answered with an error or delayed, by operation and fault",
            faulted.clone(),
        );
        let connections = Gauge::default();
        registry.register(
            "open_connections",
            "HTTP connections open now",
            connections.clone(),
        );
        let users = Family::<StoreLabels, Gauge>::default();
        registry.register(
            "users",
            "Users the store holds over every account, Region and instance, read at each scrape",
            users.clone(),
        );
        let commits = Arc::new(CommitMetrics {
            group_size: Histogram::new(exponential_buckets(1.0, 2.0, 10)),
            commit_seconds: latency_histogram(),
        });
        registry.register(
            "store_write_group_size",
            "Store calls the embedded store's writer made durable in one commit",
            commits.group_size.clone(),
        );
        registry.register_with_unit(
            "store_commit_duration",
            "How long each of the embedded store's commits (its fsync) took",
            Unit::Seconds,
            commits.commit_seconds.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            throttled,
            faulted,
            connections,
            users,
            commits,
        }
    }

    /// What the embedded store's writer reports to.
    pub fn commit_observer(&self) -> Arc<CommitMetrics> {
        self.commits.clone()
    }

    /// The gauge of open connections, for the accept loop.
    pub fn connections(&self) -> Gauge {
        self.connections.clone()
    }

    /// One request answered.
    pub fn answered(&self, operation: &'static str, status: u16, latency: Duration) {
        self.requests
            .get_or_create(&RequestLabels { operation, status })
            .inc();
        self.latency
            .get_or_create(&OperationLabels { operation })
            .observe(latency.as_secs_f64());
    }

    pub fn throttled(&self, operation: &'static str) {
        self.throttled
            .get_or_create(&OperationLabels { operation })
            .inc();
    }

    pub fn faulted(&self, operation: &'static str, fault: &'static str) {
        self.faulted
            .get_or_create(&FaultLabels { operation, fault })
            .inc();
    }

    /// The text of a scrape, after recording how many users `store` holds.
    pub fn render(&self, store: &'static str, users: Option<u64>) -> String {
        if let Some(n) = users {
            self.users
                .get_or_create(&StoreLabels { store })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_appear_in_the_text() {
        let m = Metrics::new();
        m.answered("DescribeUser", 200, Duration::from_micros(300));
        m.answered("DescribeUser", 200, Duration::from_micros(300));
        m.answered("CreateUser", 400, Duration::from_millis(2));
        m.throttled("CreateUser");
        m.faulted("CreateUser", "InternalServiceException");
        m.commit_observer().committed(3, Duration::from_millis(1));
        let text = m.render("sqlite", Some(42));
        assert!(text.contains(r#"roster_requests_total{operation="DescribeUser",status="200"} 2"#));
        assert!(text.contains(r#"roster_requests_total{operation="CreateUser",status="400"} 1"#));
        assert!(text.contains(r#"roster_throttled_requests_total{operation="CreateUser"} 1"#));
        assert!(text.contains(
            r#"roster_faulted_requests_total{operation="CreateUser",fault="InternalServiceException"} 1"#
        ));
        assert!(text.contains(r#"roster_users{store="sqlite"} 42"#));
        assert!(
            text.contains(r#"roster_request_duration_seconds_count{operation="DescribeUser"} 2"#)
        );
        assert!(text.contains("roster_store_write_group_size_count 1"));
        assert!(text.contains("roster_store_commit_duration_seconds_count 1"));
        assert!(text.ends_with("# EOF\n"));
    }
}
