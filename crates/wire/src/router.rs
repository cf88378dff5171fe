//! Routing by method and path template, for every operation of the model: one
//! compiled matcher (`matchit`) per HTTP method.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use roster_api::{ApiError, ErrorCode, Operation};

/// One operation's route: the model's label names, by position in the path.
struct Route {
    operation: Operation,
    labels: Vec<&'static str>,
}

/// The operation a request names, with its path labels percent-decoded.
#[derive(Debug)]
pub struct Matched {
    pub operation: Operation,
    /// (label name as in the URI template, decoded value)
    pub labels: Vec<(&'static str, String)>,
}

pub struct Router {
    methods: HashMap<&'static str, matchit::Router<Route>>,
}

impl Default for Router {
    fn default() -> Self {
        Self::new()
    }
}

/// The model's template with its labels named by position (`{p0}`, `{p1}`, …), so that
/// templates naming the same position differently share one matcher node, and the
/// model's names in order.
fn positional(uri: &'static str) -> (String, Vec<&'static str>) {
    let path = uri.split('?').next().unwrap_or("");
    let mut names = Vec::new();
    let template = path
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => {
                    names.push(label.trim_end_matches('+'));
                    format!("{{p{}}}", names.len() - 1)
                }
                None => segment.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/");
    (template, names)
}

impl Router {
    /// A router over every operation of the Connect model.
    pub fn new() -> Self {
        let mut methods: HashMap<&'static str, matchit::Router<Route>> = HashMap::new();
        for &operation in Operation::ALL {
            let spec = operation.spec();
            let (template, labels) = positional(spec.uri);
            methods
                .entry(spec.method)
                .or_default()
                .insert(template, Route { operation, labels })
                .unwrap_or_else(|e| panic!("{}: {} does not route: {e}", spec.name, spec.uri));
        }
        Router { methods }
    }

    /// Finds the operation for `method` and the raw (still percent-encoded) path; a
    /// literal segment wins over a label.
    pub fn route(&self, method: &str, raw_path: &str) -> Result<Matched, ApiError> {
        let unknown = || {
            ApiError::new(
                ErrorCode::UnknownOperation,
                format!("no operation matches {method} {raw_path}"),
            )
        };
        let path = match raw_path.strip_suffix('/') {
            Some(p) if !p.is_empty() => p,
            _ => raw_path,
        };
        let found = self
            .methods
            .get(method)
            .and_then(|m| m.at(path).ok())
            .ok_or_else(unknown)?;
        let route = found.value;
        let mut labels = Vec::with_capacity(route.labels.len());
        for (i, (_, raw)) in found.params.iter().enumerate() {
            let value = percent_decode_str(raw).decode_utf8().map_err(|_| {
                ApiError::new(
                    ErrorCode::Serialization,
                    "request path: percent-encoded bytes are not valid UTF-8",
                )
            })?;
            if value.is_empty() {
                return Err(unknown());
            }
            labels.push((route.labels[i], value.into_owned()));
        }
        Ok(Matched {
            operation: route.operation,
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
        assert_eq!(m.operation, Operation::DescribeUser);
        assert_eq!(
            m.labels,
            vec![
                ("InstanceId", "i-1".to_string()),
                ("UserId", "u-1".to_string())
            ]
        );
        assert_eq!(
            r.route("POST", "/users/i-1/u-1/config").unwrap().operation,
            Operation::UpdateUserConfig
        );
        assert_eq!(
            r.route("PUT", "/users/i-1").unwrap().operation,
            Operation::CreateUser
        );
        assert_eq!(
            r.route("POST", "/search-users").unwrap().operation,
            Operation::SearchUsers
        );
        assert_eq!(
            r.route("GET", "/users-summary/i-1/").unwrap().operation,
            Operation::ListUsers
        );
    }

    #[test]
    fn every_operation_routes_to_itself() {
        let r = Router::new();
        for &op in Operation::ALL {
            let spec = op.spec();
            let path = spec
                .uri
                .split('?')
                .next()
                .unwrap()
                .split('/')
                .map(|s| if s.starts_with('{') { "x-1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            assert_eq!(r.route(spec.method, &path).unwrap().operation, op, "{path}");
        }
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
        assert_eq!(m.operation, Operation::ListTagsForResource);
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
        assert_eq!(
            r.route("GET", "").unwrap_err().code,
            ErrorCode::UnknownOperation
        );
    }

    #[test]
    fn knows_operations_roster_does_not_serve() {
        let r = Router::new();
        let m = r.route("GET", "/contact-flows-summary/i-1").unwrap();
        assert_eq!(m.operation, Operation::ListContactFlows);
        assert!(!m.operation.spec().served);
    }
}
