//! The one error type of every operation. Rendering it on the wire (status,
//! `x-amzn-ErrorType`, JSON body) happens in one place, in the wire crate.

use std::fmt;

/// The error shapes roster answers with: the model's own plus the protocol-level ones
/// every AWS JSON service shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidRequest,
    InvalidParameter,
    ResourceNotFound,
    DuplicateResource,
    ResourceInUse,
    LimitExceeded,
    ServiceQuotaExceeded,
    Throttling,
    AccessDenied,
    InternalService,
    ConditionalOperationFailed,
    // protocol level
    Serialization,
    UnknownOperation,
    RequestEntityTooLarge,
    MissingAuthenticationToken,
    IncompleteSignature,
    UnrecognizedClient,
    InvalidSignature,
}

impl ErrorCode {
    /// The value of `x-amzn-ErrorType`: the model's error shape name.
    pub fn shape(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "InvalidRequestException",
            ErrorCode::InvalidParameter => "InvalidParameterException",
            ErrorCode::ResourceNotFound => "ResourceNotFoundException",
            ErrorCode::DuplicateResource => "DuplicateResourceException",
            ErrorCode::ResourceInUse => "ResourceInUseException",
            ErrorCode::LimitExceeded => "LimitExceededException",
            ErrorCode::ServiceQuotaExceeded => "ServiceQuotaExceededException",
            ErrorCode::Throttling => "ThrottlingException",
            ErrorCode::AccessDenied => "AccessDeniedException",
            ErrorCode::InternalService => "InternalServiceException",
            ErrorCode::ConditionalOperationFailed => "ConditionalOperationFailedException",
            ErrorCode::Serialization => "SerializationException",
            ErrorCode::UnknownOperation => "UnknownOperationException",
            ErrorCode::RequestEntityTooLarge => "RequestEntityTooLargeException",
            ErrorCode::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorCode::IncompleteSignature => "IncompleteSignatureException",
            ErrorCode::UnrecognizedClient => "UnrecognizedClientException",
            ErrorCode::InvalidSignature => "InvalidSignatureException",
        }
    }

    /// The HTTP status: the model's `httpStatusCode` for its error shapes, the
    /// usual AWS protocol statuses for the others.
    pub fn status(self) -> u16 {
        if let Some(status) = crate::generated::error_status(self.shape()) {
            return status;
        }
        match self {
            ErrorCode::Serialization => 400,
            ErrorCode::UnknownOperation => 404,
            ErrorCode::RequestEntityTooLarge => 413,
            ErrorCode::MissingAuthenticationToken
            | ErrorCode::IncompleteSignature
            | ErrorCode::UnrecognizedClient
            | ErrorCode::InvalidSignature => 403,
            _ => 500,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// `InvalidRequestException.Reason`, when there is one.
    pub reason: Option<String>,
    /// `ResourceInUseException.ResourceType` / `ResourceId`.
    pub resource: Option<(String, String)>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            reason: None,
            resource: None,
        }
    }
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameter, message)
    }
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ResourceNotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InternalService, message)
    }
    /// An operation of the model that roster does not serve. It is a client-side
    /// error (400) so that SDKs report it at once instead of retrying.
    pub fn not_implemented(operation: &str) -> Self {
        Self::new(
            ErrorCode::InvalidRequest,
            format!("{operation} is not implemented by roster"),
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.shape(), self.message)
    }
}

impl std::error::Error for ApiError {}
