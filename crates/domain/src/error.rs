use std::fmt;

/// Why a value or a change is refused. The service maps each kind to the API error
/// the model prescribes; the text names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// A value breaks a rule (maps to `InvalidParameterException`).
    InvalidParameter { field: String, rule: String },
    /// A member is missing, or members combine in a way that is not allowed
    /// (maps to `InvalidRequestException`).
    InvalidRequest { field: String, rule: String },
}

impl DomainError {
    pub fn param(field: impl Into<String>, rule: impl Into<String>) -> Self {
        DomainError::InvalidParameter {
            field: field.into(),
            rule: rule.into(),
        }
    }
    pub fn request(field: impl Into<String>, rule: impl Into<String>) -> Self {
        DomainError::InvalidRequest {
            field: field.into(),
            rule: rule.into(),
        }
    }
    pub fn field(&self) -> &str {
        match self {
            DomainError::InvalidParameter { field, .. }
            | DomainError::InvalidRequest { field, .. } => field,
        }
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DomainError::InvalidParameter { field, rule }
            | DomainError::InvalidRequest { field, rule } => {
                write!(f, "{field}: {rule}")
            }
        }
    }
}

impl std::error::Error for DomainError {}
