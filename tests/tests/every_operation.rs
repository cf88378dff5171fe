//! Every operation roster serves, sent bodies that do not fit its input (empty, wrong
//! types, junk, nesting), with unknown ids in its path: each answer is a 2xx or a 4xx in
//! AWS's error shape, never a 5xx, and the server goes on serving.

use roster_api::Operation;
use roster_tests::*;
use serde_json::json;

/// The operation's path with `instance` for `{InstanceId}` and an unknown id for every
/// other label.
fn path_of(uri: &str, instance: &str) -> String {
    let mut out = String::new();
    let mut rest = uri;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closed label") + start;
        let label = rest[start + 1..end].trim_end_matches('+');
        if label == "InstanceId" {
            out.push_str(instance);
        } else {
            out.push_str("00000000-0000-4000-8000-00000000abcd");
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn no_served_operation_answers_a_5xx_to_bodies_that_do_not_fit() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    let bodies = [
        json!({}),
        json!({"Name": 5, "Tags": "x", "MaxResults": "many", "NextToken": 7}),
        json!({"SearchCriteria": {"AndConditions": [[[[]]]]}, "Config": [{"Day": 1}]}),
        json!({"QueueConfigs": [{"QueueReference": null}], "Permissions": [null, 1]}),
        json!([1, 2, 3]),
        json!("text"),
    ];
    let mut checked = 0;
    for op in Operation::ALL.iter().filter(|op| op.spec().served) {
        let spec = op.spec();
        for instance in [fx.instance.as_str(), "00000000-0000-4000-8000-000000000000"] {
            // Its input is the path alone: it would succeed, and leave the rest of the
            // run no instance to work in.
            if *op == Operation::DeleteInstance && instance == fx.instance {
                continue;
            }
            let path = path_of(spec.uri, instance);
            for body in &bodies {
                let r = raw_json_request(&addr, spec.method, &path, Some(body)).await;
                assert!(
                    r.status < 500,
                    "{} {} {} with {body}: {} {}",
                    spec.name,
                    spec.method,
                    path,
                    r.status,
                    String::from_utf8_lossy(&r.body)
                );
                assert!(
                    r.header("x-amzn-requestid").is_some(),
                    "{}: no request id",
                    spec.name
                );
                if r.status >= 400 {
                    assert!(
                        r.error_type().is_some(),
                        "{} with {body}: {} without x-amzn-ErrorType",
                        spec.name,
                        r.status
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} requests were checked");
    // Still serving, and the instance still there.
    fx.client
        .describe_instance()
        .instance_id(&fx.instance)
        .send()
        .await
        .expect("the server still answers");
}
