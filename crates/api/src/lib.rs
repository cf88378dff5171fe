//! The Amazon Connect API as roster serves it: the model's shapes as typed Rust
//! values, the [`Connect`] trait with one method per operation, and [`ApiError`],
//! the one error type every operation returns.
//!
//! Nothing here knows HTTP: the wire crate turns requests into a JSON value for
//! [`dispatch`] and renders [`ApiError`]s; the service crate implements [`Connect`].

pub mod check;
mod error;
#[rustfmt::skip]
pub mod generated;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_refused_with_their_path() {
        let v = serde_json::json!({"IdentityInfo": {"FirstName": "a\u{0}b"}});
        let e = decode::<CreateUserRequest>(v).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParameter);
        assert!(
            e.message.starts_with("IdentityInfo.FirstName: "),
            "{}",
            e.message
        );
        let v = serde_json::json!({"Tags": {"k\u{0}": "v"}});
        assert!(decode::<CreateUserRequest>(v)
            .unwrap_err()
            .message
            .starts_with("Tags.k"));
        let ok = serde_json::json!({"Username": "bob"});
        assert!(decode::<CreateUserRequest>(ok).is_ok());
    }
}
pub mod spec;

pub use error::{ApiError, ErrorCode};
pub use generated::*;

/// Who is calling and where: derived from the verified request signature.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: String,
    pub account_id: String,
    pub region: String,
    pub access_key_id: String,
}

/// The path of the first string in `value` (keys included) holding U+0000, which no
/// Connect value may contain and not every store can keep.
fn find_nul(value: &serde_json::Value, path: &check::Path) -> Option<check::Path> {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(path.clone()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_nul(v, &path.index(i))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let p = path.member(k);
            if k.contains('\0') {
                Some(p)
            } else {
                find_nul(v, &p)
            }
        }),
        _ => None,
    }
}

/// Turns the merged request members (labels, query, body) into an operation input.
pub fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    if let Some(path) = find_nul(&value, &check::Path::root()) {
        return Err(ApiError::invalid_parameter(format!(
            "{path}: must not contain the NUL character (U+0000)"
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            ApiError::new(ErrorCode::Serialization, format!("request body: {inner}"))
        } else {
            ApiError::new(ErrorCode::Serialization, format!("{path}: {inner}"))
        }
    })
}

/// Renders an operation output as the response body; operations without output answer `{}`.
pub fn encode<T: serde::Serialize>(output: &T) -> Result<Vec<u8>, ApiError> {
    let body = serde_json::to_vec(output)
        .map_err(|e| ApiError::internal(format!("encoding the response: {e}")))?;
    // `()` (an operation without output) serializes as `null`.
    if body == b"null" {
        return Ok(b"{}".to_vec());
    }
    Ok(body)
}
