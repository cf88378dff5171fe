//! The members of a request bound outside its body: path labels, query members and
//! headers, decoded once for the operation's generated decoder.

use percent_encoding::percent_decode_str;
use roster_api::de::Bindings;
use roster_api::{ApiError, ErrorCode};

use crate::Matched;

/// A request's bound members, for [`roster_api::de::Input::decode`].
#[derive(Debug)]
pub struct Bound<'a> {
    labels: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: &'a [(String, String)],
}

/// Decodes one query-string component: `+` is a space, `%XX` a byte.
fn query_decode(s: &str) -> Result<String, ApiError> {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            ApiError::new(
                ErrorCode::Serialization,
                "query string: percent-encoded bytes are not valid UTF-8",
            )
        })
}

impl<'a> Bound<'a> {
    pub fn new(
        matched: Matched,
        raw_query: &str,
        headers: &'a [(String, String)],
    ) -> Result<Self, ApiError> {
        let mut query = Vec::new();
        for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            query.push((query_decode(k)?, query_decode(v)?));
        }
        Ok(Bound {
            labels: matched.labels,
            query,
            headers,
        })
    }
}

impl Bindings for Bound<'_> {
    fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn query_all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Router;
    use roster_api::de::Input;
    use roster_api::{ListUsersRequest, UntagResourceRequest};

    fn bound<'a>(method: &str, path: &str, query: &str) -> Result<Bound<'a>, ApiError> {
        let m = Router::new().route(method, path).unwrap();
        Bound::new(m, query, &[])
    }

    #[test]
    fn merges_labels_query_and_body() {
        let b = bound("GET", "/users-summary/i-1", "maxResults=5&nextToken=a%2Bb").unwrap();
        let r = ListUsersRequest::decode(b"", &b).unwrap();
        assert_eq!(r.instance_id, "i-1");
        assert_eq!(r.max_results, Some(5));
        assert_eq!(r.next_token.as_deref(), Some("a+b"));
    }

    #[test]
    fn list_query_members_collect_every_value() {
        let b = bound("DELETE", "/tags/arn", "tagKeys=a&tagKeys=b%20c").unwrap();
        let r = UntagResourceRequest::decode(b"", &b).unwrap();
        assert_eq!(r.tag_keys, vec!["a".to_string(), "b c".to_string()]);
    }

    #[test]
    fn malformed_parts_are_serialization_errors() {
        for (q, body) in [
            ("maxResults=x", ""),
            ("", "{"),
            ("", "[1]"),
            ("", "\"s\""),
            ("", "{} x"),
        ] {
            let b = bound("GET", "/users-summary/i-1", q).unwrap();
            let e = ListUsersRequest::decode(body.as_bytes(), &b).unwrap_err();
            assert_eq!(e.code, ErrorCode::Serialization, "{q} {body}");
        }
        assert_eq!(
            bound("GET", "/users-summary/i-1", "a=%FF")
                .unwrap_err()
                .code,
            ErrorCode::Serialization
        );
    }
}
