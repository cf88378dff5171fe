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

/// Turns the merged request members (labels, query, body) into an operation input.
pub fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
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
    let value = serde_json::to_value(output)
        .map_err(|e| ApiError::internal(format!("encoding the response: {e}")))?;
    if value.is_null() {
        return Ok(b"{}".to_vec());
    }
    serde_json::to_vec(&value)
        .map_err(|e| ApiError::internal(format!("encoding the response: {e}")))
}
