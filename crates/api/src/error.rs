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
    /// A request head over the server's limits (size or number of header fields). No
    /// model shape has status 431; the name follows `RequestEntityTooLargeException`.
    RequestHeaderFieldsTooLarge,
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
            ErrorCode::RequestHeaderFieldsTooLarge => "RequestHeaderFieldsTooLargeException",
            ErrorCode::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorCode::IncompleteSignature => "IncompleteSignatureException",
            ErrorCode::UnrecognizedClient => "UnrecognizedClientException",
            ErrorCode::InvalidSignature => "InvalidSignatureException",
        }
    }

    /// Whether the error belongs to the protocol (decoding, signatures, routing) rather
    /// than to an operation's model list.
    pub fn is_protocol(self) -> bool {
        matches!(
            self,
            ErrorCode::Serialization
                | ErrorCode::UnknownOperation
                | ErrorCode::RequestEntityTooLarge
                | ErrorCode::RequestHeaderFieldsTooLarge
                | ErrorCode::MissingAuthenticationToken
                | ErrorCode::IncompleteSignature
                | ErrorCode::UnrecognizedClient
                | ErrorCode::InvalidSignature
        )
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
            ErrorCode::RequestHeaderFieldsTooLarge => 431,
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
    /// Every problem of a whole file, for roster's own endpoints (a CSV import's
    /// errors by row and column); empty for the Connect API's errors.
    /// Boxed, so that the errors that have none (all the API's) stay small.
    problems: Option<Box<Problems>>,
}

/// The problems of [`ApiError::with_problems`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problems(Vec<Problem>);

/// One problem of a file a roster endpoint was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based data row; 0 for the file as a whole.
    pub row: usize,
    /// The column's header text; empty when no one column is at fault.
    pub column: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            reason: None,
            resource: None,
            problems: None,
        }
    }
    /// The problems of a file, listed in the error's body.
    pub fn with_problems(mut self, problems: Vec<Problem>) -> Self {
        self.problems = (!problems.is_empty()).then(|| Box::new(Problems(problems)));
        self
    }
    /// The problems of a file; empty for the Connect API's errors.
    pub fn problems(&self) -> &[Problem] {
        self.problems.as_deref().map_or(&[], |p| &p.0)
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

impl ApiError {
    /// The same error as another shape (an operation whose model list lacks this one).
    pub fn recoded(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }
}

/// A refusal from below the operations (a domain rule, the store, a shared helper),
/// by the error shape it calls for. Each operation's error enum takes it in through
/// its generated `From<Failure>`, which keeps the answer inside the model's list.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure(ApiError);

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure(ApiError::new(code, message))
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
    /// `ResourceInUseException`'s `ResourceType` and `ResourceId`.
    pub fn with_resource(mut self, kind: impl Into<String>, id: impl Into<String>) -> Self {
        self.0.resource = Some((kind.into(), id.into()));
        self
    }
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
    pub fn message(&self) -> &str {
        &self.0.message
    }
    pub fn into_inner(self) -> ApiError {
        self.0
    }
}

impl From<crate::check::Violation> for Failure {
    fn from(v: crate::check::Violation) -> Self {
        Failure(v.into())
    }
}

/// A failure whose shape the operation's model list does not hold: a defect in roster,
/// answered as `InternalServiceException` and logged.
pub(crate) fn outside_model(operation: &str, e: ApiError) -> ApiError {
    tracing::error!(
        operation,
        error = e.code.shape(),
        message = %e.message,
        "an error outside the operation's model list was answered as InternalServiceException"
    );
    ApiError::internal("The service could not complete the request; try again")
}

/// A decoding error as the operation may answer it: protocol errors as they are,
/// model errors through the operation's list.
pub(crate) fn within<E>(e: ApiError) -> ApiError
where
    E: From<Failure>,
    ApiError: From<E>,
{
    if e.code.is_protocol() {
        e
    } else {
        ApiError::from(E::from(Failure(e)))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.shape(), self.message)
    }
}

impl std::error::Error for ApiError {}
