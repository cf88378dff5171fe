//! The errors of failed SDK calls.

use std::fmt::Debug;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};

/// The error code (`x-amzn-ErrorType`) and HTTP status of a failed SDK call.
pub fn error_of<E: ProvideErrorMetadata + Debug>(err: &SdkError<E, HttpResponse>) -> (String, u16) {
    match err {
        SdkError::ServiceError(se) => (
            se.err().code().unwrap_or("<none>").to_string(),
            se.raw().status().as_u16(),
        ),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// The message of a failed SDK call.
pub fn message_of<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> String {
    match err {
        SdkError::ServiceError(se) => se.err().message().unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// The error of a call that must fail with `code` and HTTP `status`; returns its message.
#[track_caller]
pub fn rejected<T: Debug, E: ProvideErrorMetadata + Debug>(
    res: Result<T, SdkError<E, HttpResponse>>,
    code: &str,
    status: u16,
) -> String {
    match res {
        Ok(v) => panic!("expected {status} {code}, got success: {v:?}"),
        Err(e) => {
            assert_eq!(
                error_of(&e),
                (code.to_string(), status),
                "message: {}",
                message_of(&e)
            );
            message_of(&e)
        }
    }
}
