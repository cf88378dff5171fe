//! Fault injection: with `CreateUser` at rate 0.5 answering `InternalServiceException`
//! and a fixed seed, exactly the predicted requests fail, none of them creates anything,
//! and replacing the rules through `/_roster/faults` restores service without a restart.

use roster_tests::aws_sdk_connect::config::retry::RetryConfig;
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;
use serde_json::json;

/// The documented draw (`crates/server/src/faults.rs`): the `n`-th request rule `rule`
/// sees is hit when this is below the rule's rate.
fn unit(seed: u64, rule: u64, n: u64) -> f64 {
    let mut z =
        seed ^ rule.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[tokio::test]
async fn the_predicted_requests_fail_change_nothing_and_the_rules_change_at_run_time() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("faults.json");
    std::fs::write(
        &rules,
        json!({"seed": 42, "rules": [
            {"operation": "CreateUser", "rate": 0.5, "error": "InternalServiceException"}
        ]})
        .to_string(),
    )
    .unwrap();
    let server = Server::start_with(ServerOptions {
        args: vec!["--faults".into(), rules.display().to_string()],
        ..ServerOptions::default()
    });
    let client = server.client();
    let client = Client::from_conf(
        client
            .config()
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let fx = Fx::with_client(server, client, "SAML").await;
    let mut failed = Vec::new();
    for n in 0..30u64 {
        match fx.create(&format!("agent{n:02}")).send().await {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(
                    error_of(&e),
                    ("InternalServiceException".to_string(), 500),
                    "{}",
                    message_of(&e)
                );
                assert!(message_of(&e).contains("injected"), "{}", message_of(&e));
                failed.push(n);
            }
        }
    }
    let predicted: Vec<u64> = (0..30).filter(|n| unit(42, 0, *n) < 0.5).collect();
    assert_eq!(failed, predicted);
    assert!(!failed.is_empty() && failed.len() < 30, "{failed:?}");
    let names = fx.usernames().await;
    let expected: std::collections::BTreeSet<String> = (0..30u64)
        .filter(|n| !predicted.contains(n))
        .map(|n| format!("agent{n:02}"))
        .collect();
    assert_eq!(names, expected, "a faulted creation wrote nothing");

    // The rules as the control endpoint shows them, then none.
    let addr = fx.server.addr.clone();
    let shown = raw_json_request(&addr, "GET", "/_roster/faults", None).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json()["rules"][0]["operation"], "CreateUser");
    let bad = raw_json_request(
        &addr,
        "PUT",
        "/_roster/faults",
        Some(&json!({"rules": [{"operation": "CreateUser", "rate": 2, "error": "InternalServiceException"}]})),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(
        String::from_utf8_lossy(&bad.body).contains("rules[0].rate"),
        "{}",
        String::from_utf8_lossy(&bad.body)
    );
    let cleared =
        raw_json_request(&addr, "PUT", "/_roster/faults", Some(&json!({"rules": []}))).await;
    assert_eq!(cleared.status, 200);
    for n in 30..40 {
        fx.create(&format!("agent{n:02}"))
            .send()
            .await
            .expect("no rule, no fault");
    }

    // On again for one phase: every ListUsers waits, then answers.
    let slow = raw_json_request(
        &addr,
        "PUT",
        "/_roster/faults",
        Some(&json!({"seed": 1, "rules": [{"operation": "*", "rate": 1, "delay_ms": 300}]})),
    )
    .await;
    assert_eq!(slow.status, 200);
    let started = std::time::Instant::now();
    fx.users().await;
    assert!(started.elapsed().as_millis() >= 300);
    let off = raw_json_request(&addr, "DELETE", "/_roster/faults", None).await;
    assert_eq!(off.status, 200);
    assert_eq!(off.json()["rules"], json!([]));
    let unknown = raw_json_request(&addr, "GET", "/_roster/nothing", None).await;
    assert_eq!(unknown.status, 404);
}
