//! The one place responses are rendered.

use bytes::Bytes;
use roster_api::ApiError;
use serde_json::{json, Map, Value};

pub const CONTENT_TYPE_JSON: &str = "application/json";

/// A rendered response: status, headers and body, independent of the HTTP server.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

/// The JSON body of an error: `Message`, plus `Reason` or `ResourceType`/`ResourceId`
/// where the error shape has them, and `Errors` (`Row`, `Column`, `Message` each) for
/// the problems of a file sent to one of roster's own endpoints.
pub fn error_body(err: &ApiError) -> Value {
    let mut body = Map::new();
    body.insert("Message".into(), json!(err.message));
    if let Some(reason) = &err.reason {
        body.insert("Reason".into(), json!(reason));
    }
    if let Some((kind, id)) = &err.resource {
        body.insert("ResourceType".into(), json!(kind));
        body.insert("ResourceId".into(), json!(id));
    }
    if !err.problems().is_empty() {
        let problems: Vec<Value> = err
            .problems()
            .iter()
            .map(|p| json!({"Row": p.row, "Column": p.column, "Message": p.message}))
            .collect();
        body.insert("Errors".into(), Value::Array(problems));
    }
    Value::Object(body)
}

/// An error: the status from the model, `x-amzn-ErrorType`, a JSON body, the request id.
pub fn error_response(err: &ApiError, request_id: &str) -> Response {
    let body = serde_json::to_vec(&error_body(err)).unwrap_or_else(|_| b"{}".to_vec());
    Response {
        status: err.code.status(),
        headers: vec![
            ("content-type", CONTENT_TYPE_JSON.to_string()),
            ("x-amzn-errortype", err.code.shape().to_string()),
            ("x-amzn-requestid", request_id.to_string()),
        ],
        body: Bytes::from(body),
    }
}

/// A success: 200 with the operation's JSON output.
pub fn ok_response(body: Vec<u8>, request_id: &str) -> Response {
    ok_response_as(body, CONTENT_TYPE_JSON, request_id)
}

/// A success whose body is not JSON (a CSV file from one of roster's own endpoints).
pub fn ok_response_as(body: Vec<u8>, content_type: &str, request_id: &str) -> Response {
    Response {
        status: 200,
        headers: vec![
            ("content-type", content_type.to_string()),
            ("x-amzn-requestid", request_id.to_string()),
        ],
        body: Bytes::from(body),
    }
}

impl Response {
    pub fn is_error(&self) -> bool {
        self.status >= 400
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_api::ErrorCode;

    #[test]
    fn errors_carry_type_status_and_message() {
        let e = ApiError::new(
            ErrorCode::DuplicateResource,
            "User with username 'bob' already exists",
        );
        let r = error_response(&e, "rid");
        assert_eq!(r.status, 409);
        assert!(r
            .headers
            .contains(&("x-amzn-errortype", "DuplicateResourceException".into())));
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            body,
            json!({"Message": "User with username 'bob' already exists"})
        );
        assert_eq!(
            error_response(&ApiError::new(ErrorCode::LimitExceeded, "x"), "r").status,
            429
        );
        assert_eq!(
            error_response(&ApiError::new(ErrorCode::UnknownOperation, "x"), "r").status,
            404
        );
        assert_eq!(
            error_response(&ApiError::new(ErrorCode::InvalidSignature, "x"), "r").status,
            403
        );
        let e = ApiError::new(ErrorCode::RequestHeaderFieldsTooLarge, "x");
        let r = error_response(&e, "r");
        assert_eq!(r.status, 431);
        assert!(r.headers.contains(&(
            "x-amzn-errortype",
            "RequestHeaderFieldsTooLargeException".into()
        )));
    }

    #[test]
    fn file_problems_are_listed_in_the_body() {
        let e =
            ApiError::new(ErrorCode::InvalidRequest, "the file has 2 errors").with_problems(vec![
                roster_api::Problem {
                    row: 0,
                    column: String::new(),
                    message: "too many users".into(),
                },
                roster_api::Problem {
                    row: 3,
                    column: "email address".into(),
                    message: "is not an email address".into(),
                },
            ]);
        let r = error_response(&e, "rid");
        assert_eq!(r.status, 400);
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            body,
            json!({
                "Message": "the file has 2 errors",
                "Errors": [
                    {"Row": 0, "Column": "", "Message": "too many users"},
                    {"Row": 3, "Column": "email address", "Message": "is not an email address"},
                ]
            })
        );
        let ok = ok_response_as(b"a,b\n".to_vec(), "text/csv; charset=utf-8", "rid");
        assert!(ok
            .headers
            .contains(&("content-type", "text/csv; charset=utf-8".into())));
    }
}
