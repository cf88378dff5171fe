//! The request inspector (with `--inspect N`): the last N API requests with their
//! operation, caller, status, latency and bodies, answered as JSON at
//! `GET /_roster/requests`. Each body keeps its first [`BODY_KEPT`] bytes, so the
//! inspector holds at most about N × 2 × [`BODY_KEPT`] bytes of bodies (8.5 MiB at
//! N = 1,000). Only JSON bodies are kept (the API's; a CSV import's cells hold
//! passwords no member name marks). Passwords and secrets are redacted when the
//! entries are shown; a kept body that is not complete JSON (cut off at
//! [`BODY_KEPT`], or not JSON despite its content type) is withheld, with its length.

use std::collections::VecDeque;
use std::sync::Mutex;

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

/// Bytes of each request and response body kept.
pub const BODY_KEPT: usize = 4096;

/// The answer's stand-in for a redacted value.
pub const REDACTED: &str = "***";

/// What one request did.
pub struct Record {
    pub time_ms: i64,
    pub request_id: String,
    pub operation: &'static str,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub latency_ms: f64,
    pub request_body: Bytes,
    pub response_body: Bytes,
}

/// What is kept of a body of `content_type`: the first [`BODY_KEPT`] bytes of a JSON
/// body, nothing of any other.
pub fn kept(content_type: Option<&str>, body: &[u8]) -> Bytes {
    let json = content_type.is_some_and(|t| {
        let t = t
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        t == "application/json"
            || (t.starts_with("application/") && t.ends_with("+json"))
            || t.starts_with("application/x-amz-json")
    });
    if !json {
        return Bytes::new();
    }
    Bytes::copy_from_slice(&body[..body.len().min(BODY_KEPT)])
}

pub struct Inspector {
    capacity: usize,
    records: Mutex<VecDeque<(u64, Record)>>,
    next: std::sync::atomic::AtomicU64,
}

/// Which records a reader asks for.
#[derive(Debug, Default, PartialEq)]
pub struct Filter {
    pub operation: Option<String>,
    pub status: Option<u16>,
    pub limit: Option<usize>,
}

impl Filter {
    /// From a query string: `operation=CreateUser&status=400&limit=20`.
    pub fn parse(query: &str) -> Result<Filter, String> {
        let mut filter = Filter::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "operation" => filter.operation = Some(value.into_owned()),
                "status" => {
                    filter.status = Some(value.parse().map_err(|_| {
                        format!("status: must be an HTTP status code, not {value:?}")
                    })?)
                }
                "limit" => {
                    filter.limit = Some(value.parse().map_err(|_| {
                        format!("limit: must be a number of requests, not {value:?}")
                    })?)
                }
                other => {
                    return Err(format!(
                        "{other}: not a filter of /_roster/requests (operation, status, limit)"
                    ))
                }
            }
        }
        Ok(filter)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shown<'a> {
    sequence: u64,
    time_ms: i64,
    request_id: &'a str,
    operation: &'a str,
    account_id: Option<&'a str>,
    region: Option<&'a str>,
    method: &'a str,
    path: &'a str,
    status: u16,
    latency_ms: f64,
    request_body: Value,
    response_body: Value,
}

impl Inspector {
    pub fn new(capacity: usize) -> Inspector {
        Inspector {
            capacity,
            records: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
            next: Default::default(),
        }
    }

    pub fn record(&self, record: Record) {
        let seq = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut records = self.records.lock().unwrap_or_else(|p| p.into_inner());
        if records.len() == self.capacity {
            records.pop_front();
        }
        records.push_back((seq, record));
    }

    /// The records that pass `filter`, newest first, as the JSON answer.
    pub fn show(&self, filter: &Filter) -> Value {
        let records = self.records.lock().unwrap_or_else(|p| p.into_inner());
        let shown: Vec<Value> = records
            .iter()
            .rev()
            .filter(|(_, r)| {
                filter
                    .operation
                    .as_deref()
                    .is_none_or(|op| op == r.operation)
                    && filter.status.is_none_or(|s| s == r.status)
            })
            .take(filter.limit.unwrap_or(usize::MAX))
            .map(|(seq, r)| {
                serde_json::to_value(Shown {
                    sequence: *seq,
                    time_ms: r.time_ms,
                    request_id: &r.request_id,
                    operation: r.operation,
                    account_id: r.account_id.as_deref(),
                    region: r.region.as_deref(),
                    method: &r.method,
                    path: &r.path,
                    status: r.status,
                    latency_ms: r.latency_ms,
                    request_body: redacted_body(&r.request_body),
                    response_body: redacted_body(&r.response_body),
                })
                .unwrap_or(Value::Null)
            })
            .collect();
        serde_json::json!({ "capacity": self.capacity, "bodyBytesKept": BODY_KEPT, "requests": shown })
    }
}

/// A member whose value is never shown: a password or a secret of any kind.
fn secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("password") || key.contains("secret")
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (key, v) in members.iter_mut() {
                if secret_key(key) {
                    *v = Value::String(REDACTED.into());
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// A kept body as shown: JSON with its secrets redacted; none as null; anything else
/// (a body cut off at [`BODY_KEPT`]) only as a note of its length, since it may hold
/// a secret no member name marks.
fn redacted_body(body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut json) => {
            redact(&mut json);
            json
        }
        Err(_) => Value::String(format!(
            "[{} bytes withheld: not complete JSON, and may hold a secret]",
            body.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(operation: &'static str, status: u16, body: &str) -> Record {
        Record {
            time_ms: 0,
            request_id: "r".into(),
            operation,
            account_id: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            method: "PUT".into(),
            path: "/users/x".into(),
            status,
            latency_ms: 1.0,
            request_body: kept(Some("application/json"), body.as_bytes()),
            response_body: Bytes::new(),
        }
    }

    #[test]
    fn keeps_the_last_n_newest_first() {
        let inspector = Inspector::new(3);
        for status in [200, 201, 202, 203, 204] {
            inspector.record(record("CreateUser", status, "{}"));
        }
        let shown = inspector.show(&Filter::default());
        let statuses: Vec<u64> = shown["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_u64().unwrap())
            .collect();
        assert_eq!(statuses, [204, 203, 202]);
    }

    #[test]
    fn filters_by_operation_status_and_limit() {
        let inspector = Inspector::new(10);
        inspector.record(record("CreateUser", 200, "{}"));
        inspector.record(record("DescribeUser", 404, "{}"));
        inspector.record(record("CreateUser", 400, "{}"));
        let f = Filter::parse("operation=CreateUser").unwrap();
        assert_eq!(inspector.show(&f)["requests"].as_array().unwrap().len(), 2);
        let f = Filter::parse("operation=CreateUser&status=400").unwrap();
        assert_eq!(inspector.show(&f)["requests"].as_array().unwrap().len(), 1);
        let f = Filter::parse("limit=1").unwrap();
        let shown = inspector.show(&f);
        assert_eq!(shown["requests"][0]["status"], 400);
        assert!(Filter::parse("status=abc").is_err());
        assert!(Filter::parse("colour=red").is_err());
    }

    #[test]
    fn secrets_never_show() {
        let inspector = Inspector::new(10);
        inspector.record(record(
            "CreateUser",
            200,
            r#"{"Username":"a","Password":"Hunter2hunter","Nested":[{"SecretAccessKey":"k"}]}"#,
        ));
        // Cut off, so not JSON: withheld.
        inspector.record(record("CreateUser", 400, r#"{"Password":"Hunter2hunt"#));
        let text = inspector.show(&Filter::default()).to_string();
        assert!(!text.contains("Hunter2"), "{text}");
        assert!(text.contains(r#""Password":"***""#), "{text}");
        assert!(text.contains(r#""SecretAccessKey":"***""#), "{text}");
        assert!(text.contains("withheld"), "{text}");
        assert!(text.contains(r#""Username":"a""#), "{text}");
    }

    #[test]
    fn bodies_are_bounded() {
        let json = Some("application/json");
        assert_eq!(kept(json, &vec![b'x'; 10 * BODY_KEPT]).len(), BODY_KEPT);
    }

    #[test]
    fn only_json_bodies_are_kept() {
        let csv = b"password,user login\nHunter2hunter,a";
        assert!(kept(Some("text/csv"), csv).is_empty());
        assert!(kept(None, csv).is_empty());
        assert!(!kept(Some("application/json; charset=utf-8"), b"{}").is_empty());
        assert!(!kept(Some("application/x-amz-json-1.1"), b"{}").is_empty());
    }
}
