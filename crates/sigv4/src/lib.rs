//! Server-side verification of AWS Signature Version 4 (`AWS4-HMAC-SHA256` in the
//! `Authorization` header), as sent by the AWS SDKs and the AWS CLI to a restJson1 service with
//! signing name `connect`.
//!
//! # Usage
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use roster_sigv4::{AuthErrorKind, Credential, Credentials, Mode, RequestParts, Verifier};
//!
//! let verifier = Verifier::new(Mode::Strict(
//!     Credentials::new(vec![Credential {
//!         access_key_id: "AKIDEXAMPLE".into(),
//!         secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
//!         account_id: "111122223333".into(),
//!     }])
//!     .unwrap(),
//! ));
//! let headers = vec![
//!     ("Host".to_string(), "connect.us-west-2.amazonaws.com".to_string()),
//!     ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
//! ];
//! let req = RequestParts {
//!     method: "GET",
//!     raw_path: "/users-summary/abc",
//!     raw_query: "maxResults=10",
//!     headers: &headers,
//!     body: b"",
//! };
//! let now = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
//! let err = verifier.verify(&req, now).unwrap_err();
//! assert_eq!(err.kind, AuthErrorKind::MissingAuthenticationToken);
//! ```
//!
//! The caller converts its HTTP request into [`RequestParts`] (method, raw percent-encoded path,
//! raw query, all headers as `(name, value)` pairs — non-UTF-8 values converted lossily — and the
//! complete body) and passes the current time. Nothing here performs I/O or reads the clock.
//!
//! # Public API
//!
//! Verification:
//! - [`Verifier::new`]`(mode: Mode) -> Verifier`, [`Verifier::with_service`],
//!   [`Verifier::with_max_clock_skew`], [`Verifier::mode`], [`Verifier::service`],
//!   [`Verifier::cached_signing_keys`]. `Verifier` is `Send + Sync`.
//! - [`Verifier::verify`]`(&self, req: &RequestParts<'_>, now: SystemTime) -> Result<Identity, AuthError>`.
//! - [`RequestParts`]`<'a> { method: &'a str, raw_path: &'a str, raw_query: &'a str,
//!   headers: &'a [(String, String)], body: &'a [u8] }`.
//! - [`Mode`]`::{Permissive, Strict(Credentials)}` (default `Permissive`).
//! - [`Credentials::new`]`(Vec<Credential>) -> Result<Credentials, CredentialsError>`,
//!   [`Credentials::get`], [`Credentials::len`], [`Credentials::iter`].
//! - [`Credential`]` { access_key_id: String, secret_access_key: String, account_id: String }`
//!   (its `Debug` output redacts the secret).
//! - [`Identity`]` { access_key_id: String, account_id: String, region: String }`.
//! - [`AuthError`]` { kind: AuthErrorKind, message: String }`, [`AuthErrorKind`]`::{
//!   MissingAuthenticationToken, IncompleteSignature, UnrecognizedClient, InvalidSignature }`
//!   with [`AuthErrorKind::aws_error_code`] (e.g. `"InvalidSignatureException"`) and
//!   [`AuthErrorKind::http_status`].
//!
//! Pure building blocks (all `fn(...) -> String` or similar, no state):
//! - [`canonical_uri`], [`normalize_path`], [`canonical_query_string`],
//!   [`canonical_query_string_verbatim`], [`form_decode`], [`uri_encode`], [`uri_encode_path`],
//!   [`trim_header_value`], [`canonical_headers`], [`canonical_request`], [`sha256_hex`],
//!   [`canonical_request_for`], [`payload_hash`].
//! - [`string_to_sign`], [`derive_signing_key`], [`compute_signature`], [`signatures_match`]
//!   (constant time), [`hmac_sha256`], [`SigningKeyCache`].
//! - [`parse_authorization`] / [`parse_request_authorization`] -> [`ParsedAuthorization`].
//! - [`parse_amz_date`], [`parse_scope_date`], [`format_amz_date`], [`check_clock_skew`].
//!
//! # Behaviour
//!
//! Both modes:
//! - No `Authorization` header: [`AuthErrorKind::MissingAuthenticationToken`].
//! - An `Authorization` header that is not
//!   `AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/REGION/SERVICE/aws4_request, SignedHeaders=h1;h2, Signature=<64 hex>`
//!   (parameters in any order, each once), more than one `Authorization` header, or a missing,
//!   repeated or malformed `X-Amz-Date` (`YYYYMMDD'T'HHMMSS'Z'`):
//!   [`AuthErrorKind::IncompleteSignature`], with a message naming the problem. Access key ids
//!   are 1 to 128 ASCII letters, digits, `-`, `_`, `.`; regions are lowercase letters, digits
//!   and `-`.
//!
//! Permissive mode accepts any request passing the checks above. The account id is the access
//! key id when that is exactly 12 ASCII digits, otherwise [`DEFAULT_ACCOUNT_ID`]
//! (`123456789012`). The region is the credential scope's region.
//!
//! Strict mode additionally requires, in this order:
//! - `host` and `x-amz-date` among the signed headers (else `IncompleteSignature`);
//! - a known access key id (else [`AuthErrorKind::UnrecognizedClient`]);
//! - the credential scope's service equal to the verifier's service (`connect` by default), the
//!   scope date equal to the date part of `X-Amz-Date`, and `X-Amz-Date` at most 15 minutes from
//!   `now` (else [`AuthErrorKind::InvalidSignature`], e.g. `Signature expired: 20150830T123600Z is
//!   now earlier than 20150830T124600Z (20150830T130100Z - 15 min.)`);
//! - an `x-amz-content-sha256` header, if present, equal to the SHA-256 of the body or
//!   `UNSIGNED-PAYLOAD` (else `InvalidSignature`); without it the body's SHA-256 is used;
//! - every signed header present in the request, and the signature equal to the one computed
//!   over the full canonical request (else `InvalidSignature`). The account id is the one of the
//!   matching [`Credential`].
//!
//! # Canonical request
//!
//! The canonical request follows the AWS SDK signers' defaults for non-S3 services:
//! - Canonical URI: the raw path (as sent, already percent-encoded) with `.`/`..` segments
//!   resolved and empty segments removed when it contains `.` or `//`, then percent-encoded
//!   again except unreserved characters and `/`. `%3A` becomes `%253A`, `%2F` becomes `%252F`.
//! - Canonical query: the raw query is split on `&` and `=`, names and values are
//!   form-decoded (`+` is a space, malformed escapes stay literal), re-encoded keeping only
//!   unreserved characters (`a+b` → `a%20b`, `a%2Bb` → `a%2Bb`), sorted by name then value, and
//!   empty values written as `name=`. If this fails to verify and the raw query differs from
//!   its canonical form, the raw pairs sorted without re-encoding (botocore's form for URLs it
//!   did not encode itself) are tried as well.
//! - Canonical headers: the signed headers in the order listed, lowercase, values with spaces
//!   trimmed and runs of spaces collapsed, repeated headers joined with `,`.
//!
//! Derived signing keys are cached per (access key id, date, region, service) in a bounded
//! cache (emptied when it reaches 1024 entries); only keys that verified a request are stored.
//!
//! No input makes these functions panic: malformed input yields an [`AuthError`].

mod authorization;
mod canonical;
mod date;
mod error;
mod signing;
mod verifier;

pub use authorization::{
    is_valid_access_key_id, parse_authorization, CredentialScope, ParsedAuthorization,
};
pub use canonical::{
    canonical_headers, canonical_query_string, canonical_query_string_verbatim, canonical_request,
    canonical_uri, form_decode, normalize_path, sha256_hex, trim_header_value, uri_encode,
    uri_encode_path, EMPTY_PAYLOAD_SHA256, UNSIGNED_PAYLOAD,
};
pub use date::{
    format_amz_date, parse_amz_date, parse_scope_date, system_time_from_unix, unix_seconds,
};
pub use error::{AuthError, AuthErrorKind, CredentialsError};
pub use signing::{
    compute_signature, derive_signing_key, hmac_sha256, signatures_match, string_to_sign,
    SigningKeyCache, ALGORITHM, SCOPE_TERMINATOR,
};
pub use verifier::{
    canonical_request_for, check_clock_skew, is_account_id, parse_request_authorization,
    payload_hash, Credential, Credentials, Identity, Mode, RequestParts, Verifier,
    DEFAULT_ACCOUNT_ID, DEFAULT_SERVICE, MAX_CLOCK_SKEW,
};
