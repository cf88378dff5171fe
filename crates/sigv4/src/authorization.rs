//! Parsing of the SigV4 `Authorization` header:
//!
//! ```text
//! AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=<64 hex>
//! ```

use std::collections::HashSet;

use crate::date::parse_scope_date;
use crate::error::{excerpt, AuthError};
use crate::signing::{ALGORITHM, SCOPE_TERMINATOR};

/// Longest accepted access key id, region, service name or header name, in bytes.
const MAX_TOKEN_LEN: usize = 128;

/// The credential scope part of `Credential=`: `DATE/REGION/SERVICE/aws4_request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialScope {
    /// `YYYYMMDD`, validated as a calendar date.
    pub date: String,
    /// Region, e.g. `us-west-2`.
    pub region: String,
    /// Signing name of the service, e.g. `connect`.
    pub service: String,
}

/// A syntactically valid SigV4 `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedAuthorization {
    /// Access key id from `Credential=`.
    pub access_key_id: String,
    /// The rest of `Credential=`.
    pub scope: CredentialScope,
    /// `SignedHeaders=` exactly as sent (names separated by `;`).
    pub signed_headers_raw: String,
    /// The names from `SignedHeaders=`, in the order sent.
    pub signed_headers: Vec<String>,
    /// The decoded `Signature=` value.
    pub signature: [u8; 32],
}

impl ParsedAuthorization {
    /// Whether `name` (lowercase) is among the signed headers.
    pub fn signs_header(&self, name: &str) -> bool {
        self.signed_headers.iter().any(|h| h == name)
    }
}

/// Whether `s` is a non-empty access key id of at most 128 ASCII letters, digits, `-`, `_`
/// or `.`.
pub fn is_valid_access_key_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_TOKEN_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn is_valid_region(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_TOKEN_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_valid_service(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_TOKEN_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// RFC 9110 `tchar` without uppercase letters.
fn is_valid_header_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_TOKEN_LEN
        && s.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Parses an `Authorization` header value. Every failure is an
/// [`AuthErrorKind::IncompleteSignature`](crate::AuthErrorKind::IncompleteSignature) error whose
/// message names the problem.
pub fn parse_authorization(value: &str) -> Result<ParsedAuthorization, AuthError> {
    let value = value.trim_matches(is_ows);
    if value.is_empty() {
        return Err(AuthError::incomplete("The Authorization header is empty."));
    }
    let (algorithm, rest) = match value.find(is_ows) {
        Some(i) => (&value[..i], &value[i..]),
        None => (value, ""),
    };
    if algorithm != ALGORITHM {
        return Err(AuthError::incomplete(format!(
            "Unsupported Authorization type '{}': expected '{ALGORITHM} Credential=..., SignedHeaders=..., Signature=...'.",
            excerpt(algorithm, 40)
        )));
    }

    let mut credential: Option<&str> = None;
    let mut signed_headers: Option<&str> = None;
    let mut signature: Option<&str> = None;
    for component in rest.split(',') {
        let component = component.trim_matches(is_ows);
        if component.is_empty() {
            continue;
        }
        let Some((key, val)) = component.split_once('=') else {
            return Err(AuthError::incomplete(format!(
                "Authorization header component '{}' is not of the form key=value.",
                excerpt(component, 40)
            )));
        };
        let key = key.trim_matches(is_ows);
        let val = val.trim_matches(is_ows);
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            other => {
                return Err(AuthError::incomplete(format!(
                    "Unexpected Authorization header parameter '{}': expected only Credential, SignedHeaders and Signature.",
                    excerpt(other, 40)
                )))
            }
        };
        if slot.is_some() {
            return Err(AuthError::incomplete(format!(
                "Authorization header contains the '{key}' parameter more than once."
            )));
        }
        *slot = Some(val);
    }

    let mut missing = Vec::new();
    if credential.is_none() {
        missing.push("Authorization header requires 'Credential' parameter.");
    }
    if signature.is_none() {
        missing.push("Authorization header requires 'Signature' parameter.");
    }
    if signed_headers.is_none() {
        missing.push("Authorization header requires 'SignedHeaders' parameter.");
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(AuthError::incomplete(missing.join(" ")));
    };

    let (access_key_id, scope) = parse_credential(credential)?;
    let signed_header_names = parse_signed_headers(signed_headers)?;
    let signature = parse_signature(signature)?;

    Ok(ParsedAuthorization {
        access_key_id,
        scope,
        signed_headers_raw: signed_headers.to_owned(),
        signed_headers: signed_header_names,
        signature,
    })
}

fn parse_credential(credential: &str) -> Result<(String, CredentialScope), AuthError> {
    let parts: Vec<&str> = credential.splitn(6, '/').collect();
    let [akid, date, region, service, terminator] = parts.as_slice() else {
        return Err(AuthError::incomplete(format!(
            "Credential '{}' is malformed: expected 'ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/{SCOPE_TERMINATOR}'.",
            excerpt(credential, 80)
        )));
    };
    if !is_valid_access_key_id(akid) {
        return Err(AuthError::incomplete(format!(
            "Credential access key id '{}' is malformed: expected 1 to {MAX_TOKEN_LEN} ASCII letters, digits, '-', '_' or '.'.",
            excerpt(akid, 40)
        )));
    }
    if parse_scope_date(date).is_none() {
        return Err(AuthError::incomplete(format!(
            "Credential date '{}' is malformed: expected a valid date as YYYYMMDD.",
            excerpt(date, 40)
        )));
    }
    if !is_valid_region(region) {
        return Err(AuthError::incomplete(format!(
            "Credential region '{}' is malformed: expected lowercase letters, digits and '-'.",
            excerpt(region, 40)
        )));
    }
    if !is_valid_service(service) {
        return Err(AuthError::incomplete(format!(
            "Credential service '{}' is malformed.",
            excerpt(service, 40)
        )));
    }
    if *terminator != SCOPE_TERMINATOR {
        return Err(AuthError::incomplete(format!(
            "Credential should be scoped with a valid terminator: '{SCOPE_TERMINATOR}', not '{}'.",
            excerpt(terminator, 40)
        )));
    }
    Ok((
        (*akid).to_owned(),
        CredentialScope {
            date: (*date).to_owned(),
            region: (*region).to_owned(),
            service: (*service).to_owned(),
        },
    ))
}

fn parse_signed_headers(signed_headers: &str) -> Result<Vec<String>, AuthError> {
    if signed_headers.is_empty() {
        return Err(AuthError::incomplete("SignedHeaders is empty."));
    }
    let mut names: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for name in signed_headers.split(';') {
        if !is_valid_header_name(name) {
            return Err(AuthError::incomplete(format!(
                "SignedHeaders entry '{}' is not a valid lowercase header name.",
                excerpt(name, 40)
            )));
        }
        if !seen.insert(name) {
            return Err(AuthError::incomplete(format!(
                "SignedHeaders lists '{name}' more than once."
            )));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

fn parse_signature(signature: &str) -> Result<[u8; 32], AuthError> {
    let mut out = [0u8; 32];
    if signature.len() != 64 || hex::decode_to_slice(signature, &mut out).is_err() {
        return Err(AuthError::incomplete(format!(
            "Signature '{}' is malformed: expected 64 hexadecimal characters.",
            excerpt(signature, 80)
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuthErrorKind;

    const SIG: &str = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    fn header(credential: &str, signed: &str, sig: &str) -> String {
        format!("AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed}, Signature={sig}")
    }

    #[test]
    fn parses_sdk_header() {
        let h = header(
            "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
            "host;x-amz-date",
            SIG,
        );
        let p = parse_authorization(&h).unwrap();
        assert_eq!(p.access_key_id, "AKIDEXAMPLE");
        assert_eq!(
            p.scope,
            CredentialScope {
                date: "20150830".into(),
                region: "us-east-1".into(),
                service: "service".into()
            }
        );
        assert_eq!(p.signed_headers, vec!["host", "x-amz-date"]);
        assert_eq!(p.signed_headers_raw, "host;x-amz-date");
        assert_eq!(hex::encode(p.signature), SIG);
        assert!(p.signs_header("host"));
        assert!(!p.signs_header("content-type"));
    }

    #[test]
    fn tolerates_spacing_and_order() {
        let h = format!(
            "  AWS4-HMAC-SHA256   Signature={SIG},SignedHeaders=host ,  Credential=AK/20150830/us-east-1/connect/aws4_request ,"
        );
        let p = parse_authorization(&h).unwrap();
        assert_eq!(p.access_key_id, "AK");
        assert_eq!(p.signed_headers, vec!["host"]);
        // Uppercase hex is accepted.
        let h = header(
            "AK/20150830/us-east-1/connect/aws4_request",
            "host",
            &SIG.to_uppercase(),
        );
        assert_eq!(hex::encode(parse_authorization(&h).unwrap().signature), SIG);
    }

    fn err(h: &str) -> String {
        let e = parse_authorization(h).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::IncompleteSignature, "{h:?}");
        e.message
    }

    #[test]
    fn rejects_malformed_headers_with_clear_messages() {
        let good_cred = "AK/20150830/us-east-1/connect/aws4_request";
        assert!(err("").contains("empty"));
        assert!(err("Bearer abc").contains("Unsupported Authorization type 'Bearer'"));
        assert!(err("AWS4-HMAC-SHA256").contains("requires 'Credential'"));
        let m = err(&format!("AWS4-HMAC-SHA256 Credential={good_cred}"));
        assert!(m.contains("requires 'Signature'") && m.contains("requires 'SignedHeaders'"));
        assert!(
            err(&format!("AWS4-HMAC-SHA256 Credential={good_cred}, Foo=bar"))
                .contains("Unexpected Authorization header parameter 'Foo'")
        );
        assert!(err(&format!(
            "AWS4-HMAC-SHA256 Credential={good_cred}, Credential={good_cred}"
        ))
        .contains("more than once"));
        assert!(
            err(&format!("AWS4-HMAC-SHA256 Credential={good_cred}, junk")).contains("key=value")
        );
        assert!(err(&header("AK/20150830/us-east-1/connect", "host", SIG)).contains("malformed"));
        assert!(err(&header(
            "AK/20150830/us-east-1/connect/aws4_request/x",
            "host",
            SIG
        ))
        .contains("malformed"));
        assert!(err(&header(
            "/20150830/us-east-1/connect/aws4_request",
            "host",
            SIG
        ))
        .contains("access key id"));
        assert!(err(&header(
            "A K/20150830/us-east-1/connect/aws4_request",
            "host",
            SIG
        ))
        .contains("access key id"));
        assert!(err(&header(
            "AK/20151330/us-east-1/connect/aws4_request",
            "host",
            SIG
        ))
        .contains("Credential date '20151330'"));
        assert!(err(&header("AK/20150830//connect/aws4_request", "host", SIG)).contains("region"));
        assert!(err(&header(
            "AK/20150830/US_EAST/connect/aws4_request",
            "host",
            SIG
        ))
        .contains("region"));
        assert!(
            err(&header("AK/20150830/us-east-1//aws4_request", "host", SIG)).contains("service")
        );
        assert!(err(&header(
            "AK/20150830/us-east-1/connect/aws5_request",
            "host",
            SIG
        ))
        .contains("terminator"));
        assert!(err(&header(good_cred, "", SIG)).contains("SignedHeaders is empty"));
        assert!(err(&header(good_cred, "host;;x-amz-date", SIG)).contains("SignedHeaders entry"));
        assert!(err(&header(good_cred, "Host", SIG)).contains("lowercase"));
        assert!(err(&header(good_cred, "host;host", SIG)).contains("more than once"));
        assert!(err(&header(good_cred, "host", &SIG[..63])).contains("64 hexadecimal"));
        assert!(
            err(&header(good_cred, "host", &format!("{}g", &SIG[..63]))).contains("64 hexadecimal")
        );
        assert!(err(&header(good_cred, "host", &"é".repeat(32))).contains("64 hexadecimal"));
    }

    #[test]
    fn long_values_are_excerpted() {
        let long = "A".repeat(10_000);
        let m = err(&header(
            &format!("{long}/20150830/us-east-1/connect/aws4_request"),
            "host",
            SIG,
        ));
        assert!(m.len() < 300, "{m}");
    }
}
