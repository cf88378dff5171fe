//! Error types.

use std::fmt;

/// Why a request was not authenticated. The variant names are the AWS error codes (without the
/// `Exception` suffix) that an AWS service returns in the same situation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthErrorKind {
    /// The request has no `Authorization` header.
    MissingAuthenticationToken,
    /// The `Authorization` header or a header it depends on (`X-Amz-Date`, ...) is malformed or
    /// missing a required part.
    IncompleteSignature,
    /// The access key id is not known (strict mode only).
    UnrecognizedClient,
    /// The signature does not match, has expired or is scoped wrongly (strict mode only).
    InvalidSignature,
}

impl AuthErrorKind {
    /// The AWS error code, e.g. `IncompleteSignatureException`.
    pub fn aws_error_code(self) -> &'static str {
        match self {
            AuthErrorKind::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            AuthErrorKind::IncompleteSignature => "IncompleteSignatureException",
            AuthErrorKind::UnrecognizedClient => "UnrecognizedClientException",
            AuthErrorKind::InvalidSignature => "InvalidSignatureException",
        }
    }

    /// The HTTP status for this kind: 403 for all of them, as AWS restJson1 services answer
    /// authentication failures at their front door (some AWS documentation lists 400 for
    /// `IncompleteSignature`).
    pub fn http_status(self) -> u16 {
        403
    }
}

impl fmt::Display for AuthErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            AuthErrorKind::MissingAuthenticationToken => "MissingAuthenticationToken",
            AuthErrorKind::IncompleteSignature => "IncompleteSignature",
            AuthErrorKind::UnrecognizedClient => "UnrecognizedClient",
            AuthErrorKind::InvalidSignature => "InvalidSignature",
        };
        f.write_str(name)
    }
}

/// An authentication failure: what kind, and a human-readable message suitable for returning to
/// the client.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct AuthError {
    /// The failure class.
    pub kind: AuthErrorKind,
    /// A message naming what is wrong.
    pub message: String,
}

impl AuthError {
    /// Creates an error.
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn missing(message: impl Into<String>) -> Self {
        Self::new(AuthErrorKind::MissingAuthenticationToken, message)
    }

    pub(crate) fn incomplete(message: impl Into<String>) -> Self {
        Self::new(AuthErrorKind::IncompleteSignature, message)
    }

    pub(crate) fn unrecognized(message: impl Into<String>) -> Self {
        Self::new(AuthErrorKind::UnrecognizedClient, message)
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(AuthErrorKind::InvalidSignature, message)
    }
}

/// A problem with a credentials list passed to [`crate::Credentials::new`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// The list is empty; strict mode would reject every request.
    #[error("the credentials list is empty")]
    Empty,
    /// Two entries have the same access key id.
    #[error("duplicate access key id '{0}'")]
    DuplicateAccessKeyId(String),
    /// An access key id is empty, longer than 128 characters, or contains characters other
    /// than ASCII letters, digits, `-`, `_` and `.`.
    #[error(
        "invalid access key id '{0}': expected 1 to 128 ASCII letters, digits, '-', '_' or '.'"
    )]
    InvalidAccessKeyId(String),
    /// A secret access key is empty.
    #[error("the secret access key for '{0}' is empty")]
    EmptySecret(String),
    /// An account id is not exactly 12 ASCII digits.
    #[error(
        "invalid account id '{account_id}' for access key id '{access_key_id}': expected 12 digits"
    )]
    InvalidAccountId {
        /// The entry's access key id.
        access_key_id: String,
        /// The rejected account id.
        account_id: String,
    },
}

/// Shortens untrusted text for inclusion in an error message: at most `max` characters, with
/// control characters replaced, and `...` appended when cut.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().nth(max).is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_truncates_on_char_boundaries() {
        assert_eq!(excerpt("abc", 5), "abc");
        assert_eq!(excerpt("abcdef", 3), "abc...");
        assert_eq!(excerpt("ééééé", 2), "éé...");
        assert_eq!(excerpt("a\nb", 5), "a?b");
    }

    #[test]
    fn codes_and_statuses() {
        assert_eq!(
            AuthErrorKind::InvalidSignature.aws_error_code(),
            "InvalidSignatureException"
        );
        assert_eq!(AuthErrorKind::IncompleteSignature.http_status(), 403);
        assert_eq!(AuthErrorKind::UnrecognizedClient.http_status(), 403);
        let e = AuthError::invalid("nope");
        assert_eq!(e.to_string(), "InvalidSignature: nope");
    }
}
