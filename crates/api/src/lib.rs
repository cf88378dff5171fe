//! The Amazon Connect API as roster serves it, generated from the model: every
//! [`Operation`], the served operations' input and output shapes as typed Rust values
//! with one-pass decoding ([`de`]) and the model's constraint checks ([`check`]), an
//! error enum per operation built from its model list, a trait per operation
//! ([`ops`]) and [`Connect`], the service as a whole; [`dispatch`] runs one.
//!
//! Nothing here knows HTTP: the wire crate finds the operation and the bound members
//! and renders [`ApiError`]s; the service crate implements the operations.

pub mod check;
pub mod de;
mod error;
#[rustfmt::skip]
pub mod generated;
pub mod spec;

pub use error::{ApiError, ErrorCode, Failure, Problem};
pub use generated::*;

/// Who is calling and where: derived from the verified request signature.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: String,
    pub account_id: String,
    pub region: String,
    pub access_key_id: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_error_enum_answers_only_its_model_list() {
        // A failure of every shape, through each served operation's enum: what comes out
        // is always in the operation's list.
        let codes = [
            ErrorCode::InvalidRequest,
            ErrorCode::InvalidParameter,
            ErrorCode::ResourceNotFound,
            ErrorCode::DuplicateResource,
            ErrorCode::ResourceInUse,
            ErrorCode::LimitExceeded,
            ErrorCode::ServiceQuotaExceeded,
            ErrorCode::Throttling,
            ErrorCode::AccessDenied,
            ErrorCode::InternalService,
            ErrorCode::ConditionalOperationFailed,
        ];
        let served: Vec<_> = Operation::ALL.iter().filter(|o| o.spec().served).collect();
        assert!(served.len() > 40);
        for code in codes {
            let f = Failure::new(code, "m");
            let out = [
                ApiError::from(DescribeUserError::from(f.clone())),
                ApiError::from(CreateInstanceError::from(f.clone())),
                ApiError::from(SearchUsersError::from(f.clone())),
                ApiError::from(UpdatePredefinedAttributeError::from(f.clone())),
            ];
            let ops = [
                Operation::DescribeUser,
                Operation::CreateInstance,
                Operation::SearchUsers,
                Operation::UpdatePredefinedAttribute,
            ];
            for (e, op) in out.iter().zip(ops) {
                assert!(op.spec().allows(e.code), "{op:?} answered {:?}", e.code);
            }
        }
        // CreateInstance has no InvalidParameterException: such a failure is its
        // InvalidRequestException.
        let e = ApiError::from(CreateInstanceError::from(Failure::invalid_parameter("x")));
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert_eq!(
            ApiError::from(SearchUsersError::from(Failure::new(
                ErrorCode::AccessDenied,
                "x"
            )))
            .code,
            ErrorCode::AccessDenied
        );
    }

    #[test]
    fn operations_know_their_binding() {
        let s = Operation::DescribeUser.spec();
        assert_eq!((s.method, s.uri), ("GET", "/users/{InstanceId}/{UserId}"));
        assert!(s.served);
        assert!(!Operation::ListContactFlows.spec().served);
        for (i, op) in Operation::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i);
        }
    }
}
