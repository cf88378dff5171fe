//! Routing by method and path template, for every operation of the model.

use percent_encoding::percent_decode_str;
use roster_api::spec::OperationSpec;
use roster_api::{ApiError, ErrorCode, OPERATIONS};

#[derive(Debug)]
enum Segment {
    Literal(&'static str),
    Label(&'static str),
}

#[derive(Debug)]
struct Route {
    spec: &'static OperationSpec,
    segments: Vec<Segment>,
    literals: usize,
}

/// The operation a request names, with its path labels percent-decoded.
#[derive(Debug)]
pub struct Matched {
    pub spec: &'static OperationSpec,
    /// (label name as in the URI template, decoded value)
    pub labels: Vec<(&'static str, String)>,
}

pub struct Router {
    routes: Vec<Route>,
}

impl Default for Router {
    fn default() -> Self {
        Self::new()
    }
}

impl Router {
    /// A router over every operation of the Connect model.
    pub fn new() -> Self {
        let routes = OPERATIONS
            .iter()
            .map(|spec| {
                let path = spec.uri.split('?').next().unwrap_or("");
                let segments: Vec<Segment> = path
                    .trim_start_matches('/')
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(label) => Segment::Label(label.trim_end_matches('+')),
                            None => Segment::Literal(s),
                        },
                    )
                    .collect();
                let literals = segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count();
                Route {
                    spec,
                    segments,
                    literals,
                }
            })
            .collect();
        Router { routes }
    }

    /// Finds the operation for `method` and the raw (still percent-encoded) path.
    /// When several templates match, the one with the most literal segments wins.
    pub fn route(&self, method: &str, raw_path: &str) -> Result<Matched, ApiError> {
        let raw: Vec<&str> = raw_path.trim_start_matches('/').split('/').collect();
        let raw: Vec<&str> = if raw.len() > 1 && raw.last() == Some(&"") {
            raw[..raw.len() - 1].to_vec()
        } else {
            raw
        };
        let mut decoded = Vec::with_capacity(raw.len());
        for seg in &raw {
            match percent_decode_str(seg).decode_utf8() {
                Ok(s) => decoded.push(s.into_owned()),
                Err(_) => {
                    return Err(ApiError::new(
                        ErrorCode::Serialization,
                        "request path: percent-encoded bytes are not valid UTF-8",
                    ))
                }
            }
        }
        let mut best: Option<&Route> = None;
        for route in &self.routes {
            if route.spec.method != method || route.segments.len() != decoded.len() {
                continue;
            }
            let fits = route
                .segments
                .iter()
                .zip(&decoded)
                .all(|(seg, value)| match seg {
                    Segment::Literal(l) => l == value,
                    Segment::Label(_) => !value.is_empty(),
                });
            if fits && best.is_none_or(|b| route.literals > b.literals) {
                best = Some(route);
            }
        }
        let route = best.ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownOperation,
                format!("no operation matches {method} {raw_path}"),
            )
        })?;
        let labels = route
            .segments
            .iter()
            .zip(decoded)
            .filter_map(|(seg, value)| match seg {
                Segment::Label(name) => Some((*name, value)),
                Segment::Literal(_) => None,
            })
            .collect();
        Ok(Matched {
            spec: route.spec,
            labels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_user_operations() {
        let r = Router::new();
        let m = r.route("GET", "/users/i-1/u-1").unwrap();
        assert_eq!(m.spec.name, "DescribeUser");
        assert_eq!(
            m.labels,
            vec![
                ("InstanceId", "i-1".to_string()),
                ("UserId", "u-1".to_string())
            ]
        );
        assert_eq!(
            r.route("POST", "/users/i-1/u-1/config").unwrap().spec.name,
            "UpdateUserConfig"
        );
        assert_eq!(
            r.route("PUT", "/users/i-1").unwrap().spec.name,
            "CreateUser"
        );
        assert_eq!(
            r.route("POST", "/search-users").unwrap().spec.name,
            "SearchUsers"
        );
    }

    #[test]
    fn decodes_percent_encoded_arns() {
        let r = Router::new();
        let m = r
            .route(
                "GET",
                "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2Fabc",
            )
            .unwrap();
        assert_eq!(m.spec.name, "ListTagsForResource");
        assert_eq!(
            m.labels[0].1,
            "arn:aws:connect:us-east-1:123456789012:instance/abc"
        );
    }

    #[test]
    fn unknown_routes_and_bad_encoding() {
        let r = Router::new();
        assert_eq!(
            r.route("GET", "/nope").unwrap_err().code,
            ErrorCode::UnknownOperation
        );
        assert_eq!(
            r.route("PATCH", "/users/i-1").unwrap_err().code,
            ErrorCode::UnknownOperation
        );
        assert_eq!(
            r.route("GET", "/users/%FF%FE/x").unwrap_err().code,
            ErrorCode::Serialization
        );
        assert_eq!(
            r.route("GET", "/users//u").unwrap_err().code,
            ErrorCode::UnknownOperation
        );
    }

    #[test]
    fn knows_operations_roster_does_not_serve() {
        let r = Router::new();
        let m = r.route("GET", "/contact-flows-summary/i-1").unwrap();
        assert_eq!(m.spec.name, "ListContactFlows");
        assert!(!m.spec.served);
    }
}
