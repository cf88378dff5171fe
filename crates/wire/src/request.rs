//! Merging the parts of a request into the operation's input value.

use percent_encoding::percent_decode_str;
use roster_api::spec::{Kind, Location};
use roster_api::{ApiError, ErrorCode};
use serde_json::{Map, Value};

use crate::Matched;

fn serialization(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Serialization, msg)
}

/// Decodes one query-string component: `+` is a space, `%XX` a byte.
fn query_decode(s: &str) -> Result<String, ApiError> {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| serialization("query string: percent-encoded bytes are not valid UTF-8"))
}

fn typed(kind: Kind, name: &str, raw: &str) -> Result<Value, ApiError> {
    match kind {
        Kind::Str | Kind::StrList => Ok(Value::String(raw.to_string())),
        Kind::Int => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| serialization(format!("{name}: expected an integer, got {raw:?}"))),
        Kind::Bool => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(serialization(format!(
                "{name}: expected true or false, got {raw:?}"
            ))),
        },
    }
}

/// Builds the operation's input: the JSON body's members, then the path labels, query
/// members and headers the model binds, each under its member name.
pub fn build_input(
    matched: &Matched,
    raw_query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Value, ApiError> {
    let mut input = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(serialization("request body: expected a JSON object")),
            Err(e) => {
                return Err(serialization(format!(
                    "request body is not valid JSON: {e}"
                )))
            }
        }
    };
    let mut query: Vec<(String, String)> = Vec::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query.push((query_decode(k)?, query_decode(v)?));
    }
    for binding in matched.spec.bindings {
        // A member bound outside the body is taken from there only.
        input.remove(binding.member);
        let value = match binding.location {
            Location::Label => matched
                .labels
                .iter()
                .find(|(name, _)| *name == binding.name)
                .map(|(_, v)| Value::String(v.clone())),
            Location::Query if binding.kind == Kind::StrList => {
                let all: Vec<Value> = query
                    .iter()
                    .filter(|(k, _)| k == binding.name)
                    .map(|(_, v)| Value::String(v.clone()))
                    .collect();
                (!all.is_empty()).then_some(Value::Array(all))
            }
            Location::Query => match query.iter().rev().find(|(k, _)| k == binding.name) {
                Some((_, v)) => Some(typed(binding.kind, binding.name, v)?),
                None => None,
            },
            Location::Header => match headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(binding.name))
            {
                Some((_, v)) => Some(typed(binding.kind, binding.name, v)?),
                None => None,
            },
        };
        if let Some(v) = value {
            input.insert(binding.member.to_string(), v);
        }
    }
    Ok(Value::Object(input))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Router;
    use serde_json::json;

    fn input(method: &str, path: &str, query: &str, body: &str) -> Result<Value, ApiError> {
        let m = Router::new().route(method, path).unwrap();
        build_input(&m, query, &[], body.as_bytes())
    }

    #[test]
    fn merges_labels_query_and_body() {
        let v = input(
            "GET",
            "/users-summary/i-1",
            "maxResults=5&nextToken=a%2Bb",
            "",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"InstanceId": "i-1", "MaxResults": 5, "NextToken": "a+b"})
        );
        let v = input(
            "PUT",
            "/users/i-1",
            "",
            r#"{"Username":"bob","InstanceId":"other"}"#,
        )
        .unwrap();
        assert_eq!(v, json!({"InstanceId": "i-1", "Username": "bob"}));
    }

    #[test]
    fn list_query_members_collect_every_value() {
        let v = input("DELETE", "/tags/arn", "tagKeys=a&tagKeys=b%20c", "").unwrap();
        assert_eq!(v["tagKeys"], json!(["a", "b c"]));
    }

    #[test]
    fn malformed_parts_are_serialization_errors() {
        for (q, b) in [
            ("maxResults=x", ""),
            ("", "{"),
            ("", "[1]"),
            ("", "\"s\""),
            ("a=%FF", ""),
        ] {
            let e = input("GET", "/users-summary/i-1", q, b).unwrap_err();
            assert_eq!(e.code, ErrorCode::Serialization, "{q} {b}");
        }
    }
}
