//! The instruments: `/metrics` (with `--metrics`) parses as Prometheus text and its
//! counters move as requests are made; the request inspector (with `--inspect`) shows
//! a CreateUser with its password redacted, filtered by operation and status; with
//! neither switch, neither endpoint exists.

use std::collections::HashMap;

use roster_tests::*;

/// The samples of a scrape, by metric name and sorted labels.
type Samples = HashMap<(String, Vec<(String, String)>), f64>;

async fn scrape(addr: &str) -> Samples {
    let r = raw_json_request(addr, "GET", "/metrics", None).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/openmetrics-text")),
        "{:?}",
        r.header("content-type")
    );
    let text = String::from_utf8(r.body).expect("utf-8");
    let lines = text.lines().map(|l| Ok(l.to_string()));
    let scraped = prometheus_parse::Scrape::parse(lines).expect("Prometheus text format");
    scraped
        .samples
        .into_iter()
        .filter_map(|s| {
            let value = match s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => v,
                _ => return None,
            };
            let mut labels: Vec<(String, String)> = s
                .labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            labels.sort();
            Some(((s.metric, labels), value))
        })
        .collect()
}

fn sample(samples: &Samples, name: &str, labels: &[(&str, &str)]) -> f64 {
    let mut key: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    key.sort();
    samples
        .get(&(name.to_string(), key))
        .copied()
        .unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_count_requests_by_operation_and_status() {
    let server = Server::start_with(ServerOptions {
        args: vec!["--metrics".into()],
        ..ServerOptions::default()
    });
    let fx = Fx::on(server, "SAML").await;
    let addr = fx.server.addr.clone();
    let before = scrape(&addr).await;

    for n in 0..3 {
        fx.create(&format!("metered{n}")).send().await.unwrap();
    }
    let missing = fx
        .client
        .describe_user()
        .instance_id(&fx.instance)
        .user_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await;
    assert!(missing.is_err());

    let after = scrape(&addr).await;
    let created = [("operation", "CreateUser"), ("status", "200")];
    assert_eq!(
        sample(&after, "roster_requests_total", &created)
            - sample(&before, "roster_requests_total", &created),
        3.0
    );
    let not_found = [("operation", "DescribeUser"), ("status", "404")];
    assert_eq!(sample(&after, "roster_requests_total", &not_found), 1.0);
    let users = sample(&after, "roster_users", &[("store", backend())]);
    assert_eq!(users, 3.0, "users in the store");
    assert!(sample(&after, "roster_open_connections", &[]) >= 1.0);
    let text =
        String::from_utf8(raw_json_request(&addr, "GET", "/metrics", None).await.body).unwrap();
    assert!(
        text.contains("roster_request_duration_seconds_bucket{"),
        "{text}"
    );
    if backend() == "sqlite" {
        // The instance and three users were written in groups, each one commit.
        let groups = text
            .lines()
            .find_map(|l| l.strip_prefix("roster_store_write_group_size_count "))
            .expect("group sizes");
        assert!(groups.trim().parse::<f64>().unwrap() >= 4.0, "{groups}");
        assert!(text.contains("roster_store_commit_duration_seconds_bucket{le="));
    }
}

fn backend() -> &'static str {
    if postgres_backend().is_some() {
        "postgres"
    } else {
        "sqlite"
    }
}

#[tokio::test]
async fn the_inspector_shows_requests_with_passwords_redacted() {
    let server = Server::start_with(ServerOptions {
        args: vec!["--inspect".into(), "50".into()],
        ..ServerOptions::default()
    });
    let fx = Fx::on(server, "CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    fx.create("inspected")
        .password("Inspect0rSecret!")
        .send()
        .await
        .unwrap();
    let refused = fx
        .create("inspected")
        .password("Inspect0rSecret!")
        .send()
        .await;
    assert!(refused.is_err(), "the username is taken");

    let all = raw_json_request(&addr, "GET", "/_roster/requests?operation=CreateUser", None).await;
    assert_eq!(all.status, 200, "{}", String::from_utf8_lossy(&all.body));
    let text = String::from_utf8_lossy(&all.body).to_string();
    assert!(!text.contains("Inspect0rSecret"), "{text}");
    let shown = all.json();
    let requests = shown["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{shown}");
    // Newest first.
    assert_eq!(requests[0]["status"], 409);
    assert_eq!(requests[1]["status"], 200);
    let created = &requests[1];
    assert_eq!(created["operation"], "CreateUser");
    assert_eq!(created["accountId"], "123456789012");
    assert_eq!(created["region"], "us-east-1");
    assert_eq!(created["method"], "PUT");
    assert_eq!(created["requestBody"]["Username"], "inspected");
    assert_eq!(created["requestBody"]["Password"], "***");
    assert!(created["responseBody"]["UserId"].is_string());
    assert!(created["latencyMs"].as_f64().unwrap() > 0.0);

    let conflicts = raw_json_request(
        &addr,
        "GET",
        "/_roster/requests?operation=CreateUser&status=409",
        None,
    )
    .await
    .json();
    assert_eq!(conflicts["requests"].as_array().unwrap().len(), 1);
    let bad = raw_json_request(&addr, "GET", "/_roster/requests?status=teapot", None).await;
    assert_eq!(bad.status, 400);
    assert!(String::from_utf8_lossy(&bad.body).contains("status"));

    // Bounded: 50 kept, whatever comes after.
    for _ in 0..60 {
        fx.client
            .list_users()
            .instance_id(&fx.instance)
            .send()
            .await
            .unwrap();
    }
    let kept = raw_json_request(&addr, "GET", "/_roster/requests", None)
        .await
        .json();
    assert_eq!(kept["requests"].as_array().unwrap().len(), 50);
    assert_eq!(kept["capacity"], 50);
}

#[tokio::test]
async fn without_the_switches_neither_endpoint_exists() {
    let server = Server::start();
    let addr = server.addr.clone();
    let metrics = raw_json_request(&addr, "GET", "/metrics", None).await;
    assert_eq!(metrics.status, 404);
    assert_eq!(metrics.error_type(), Some("UnknownOperationException"));
    let requests = raw_json_request(&addr, "GET", "/_roster/requests", None).await;
    assert_eq!(
        requests.status,
        404,
        "{}",
        String::from_utf8_lossy(&requests.body)
    );
}
