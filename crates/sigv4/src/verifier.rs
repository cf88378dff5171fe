//! Request verification: ties the pure building blocks together.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use crate::authorization::{is_valid_access_key_id, parse_authorization, ParsedAuthorization};
use crate::canonical::{
    canonical_headers, canonical_query_string, canonical_query_string_verbatim, canonical_request,
    canonical_uri, sha256_hex, UNSIGNED_PAYLOAD,
};
use crate::date::{format_amz_date, parse_amz_date, unix_seconds};
use crate::error::{excerpt, AuthError, CredentialsError};
use crate::signing::{
    compute_signature, derive_signing_key, signatures_match, string_to_sign, SigningKeyCache,
};

/// The service signing name this server answers to.
pub const DEFAULT_SERVICE: &str = "connect";

/// Account id reported in permissive mode when the access key id is not a 12-digit number.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";

/// Largest accepted distance between `X-Amz-Date` and the verifier's clock (strict mode).
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The parts of an HTTP request that SigV4 covers, as received on the wire.
#[derive(Clone, Copy, Debug)]
pub struct RequestParts<'a> {
    /// The HTTP method, e.g. `GET`, as sent (not case-normalised).
    pub method: &'a str,
    /// The request path exactly as sent, still percent-encoded, without the query
    /// (e.g. `/users/arn%3Aaws%3A...`).
    pub raw_path: &'a str,
    /// The raw query string without the leading `?` (empty when there is none).
    pub raw_query: &'a str,
    /// All request headers in the order received, names in any case. A name that occurs
    /// several times appears several times. For HTTP/2 requests the caller should supply the
    /// `:authority` pseudo-header as a `host` header.
    pub headers: &'a [(String, String)],
    /// The complete request body.
    pub body: &'a [u8],
}

impl<'a> RequestParts<'a> {
    /// All values of the header `name` (case-insensitive), in order.
    pub fn header_values<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The single value of header `name`: `Ok(None)` if absent, `Err(())` if it occurs more
    /// than once.
    fn single_header(&self, name: &str) -> Result<Option<&'a str>, ()> {
        let mut values = self.header_values(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(());
        }
        Ok(first)
    }
}

/// One accepted key pair (strict mode).
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// The access key id clients send in `Credential=`.
    pub access_key_id: String,
    /// The secret access key clients sign with.
    pub secret_access_key: String,
    /// The 12-digit account id requests signed with this key act in.
    pub account_id: String,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// The set of accepted key pairs, indexed by access key id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    by_access_key_id: HashMap<String, Credential>,
}

impl Credentials {
    /// Builds the set. Fails if the list is empty, an access key id occurs twice or is not
    /// 1 to 128 ASCII letters, digits, `-`, `_` or `.`, a secret is empty, or an account id is
    /// not exactly 12 ASCII digits.
    pub fn new(credentials: Vec<Credential>) -> Result<Self, CredentialsError> {
        if credentials.is_empty() {
            return Err(CredentialsError::Empty);
        }
        let mut by_access_key_id = HashMap::with_capacity(credentials.len());
        for c in credentials {
            if !is_valid_access_key_id(&c.access_key_id) {
                return Err(CredentialsError::InvalidAccessKeyId(c.access_key_id));
            }
            if c.secret_access_key.is_empty() {
                return Err(CredentialsError::EmptySecret(c.access_key_id));
            }
            if !is_account_id(&c.account_id) {
                return Err(CredentialsError::InvalidAccountId {
                    access_key_id: c.access_key_id,
                    account_id: c.account_id,
                });
            }
            if by_access_key_id.contains_key(&c.access_key_id) {
                return Err(CredentialsError::DuplicateAccessKeyId(c.access_key_id));
            }
            by_access_key_id.insert(c.access_key_id.clone(), c);
        }
        Ok(Self { by_access_key_id })
    }

    /// The entry for `access_key_id`, if any.
    pub fn get(&self, access_key_id: &str) -> Option<&Credential> {
        self.by_access_key_id.get(access_key_id)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.by_access_key_id.len()
    }

    /// Always false: construction rejects empty lists.
    pub fn is_empty(&self) -> bool {
        self.by_access_key_id.is_empty()
    }

    /// All entries, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Credential> {
        self.by_access_key_id.values()
    }
}

/// How requests are authenticated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Any syntactically valid SigV4 `Authorization` header with a valid `X-Amz-Date` is
    /// accepted; secret, signature, clock skew, service and body hash are not checked.
    #[default]
    Permissive,
    /// Only requests correctly signed with one of these credentials are accepted.
    Strict(Credentials),
}

/// Who made an accepted request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The access key id from the credential scope.
    pub access_key_id: String,
    /// The account the request acts in.
    pub account_id: String,
    /// The region from the credential scope.
    pub region: String,
}

/// Verifies SigV4 `Authorization` headers. Cheap to share between threads (`Sync`); keeps a
/// bounded cache of derived signing keys.
#[derive(Debug)]
pub struct Verifier {
    mode: Mode,
    service: String,
    max_clock_skew: Duration,
    key_cache: SigningKeyCache,
}

impl Verifier {
    /// A verifier for service [`DEFAULT_SERVICE`] with a clock skew allowance of
    /// [`MAX_CLOCK_SKEW`].
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            service: DEFAULT_SERVICE.to_owned(),
            max_clock_skew: MAX_CLOCK_SKEW,
            key_cache: SigningKeyCache::default(),
        }
    }

    /// Changes the service signing name required in strict mode.
    pub fn with_service(mut self, service: impl Into<String>) -> Self {
        self.service = service.into();
        self
    }

    /// Changes the allowed distance between `X-Amz-Date` and `now` in strict mode.
    pub fn with_max_clock_skew(mut self, max_clock_skew: Duration) -> Self {
        self.max_clock_skew = max_clock_skew;
        self
    }

    /// The configured mode.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The service signing name required in strict mode.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Number of signing keys currently cached.
    pub fn cached_signing_keys(&self) -> usize {
        self.key_cache.len()
    }

    /// Checks a key pair typed by a person rather than a signature (the console's
    /// sign-in): in strict mode the access key id must be listed and the secret must
    /// be its secret, compared in constant time; in permissive mode any well-formed
    /// access key id is accepted and acts as [`Verifier::verify`] would make it act.
    pub fn check_secret(
        &self,
        access_key_id: &str,
        secret_access_key: &str,
        region: &str,
    ) -> Result<Identity, AuthError> {
        if !is_valid_access_key_id(access_key_id) {
            return Err(AuthError::unrecognized(
                "The access key id must be 1 to 128 letters, digits, '-', '_' or '.'.",
            ));
        }
        let account_id =
            match &self.mode {
                Mode::Permissive if is_account_id(access_key_id) => access_key_id.to_owned(),
                Mode::Permissive => DEFAULT_ACCOUNT_ID.to_owned(),
                Mode::Strict(credentials) => {
                    // The comparison runs whether or not the key is known, against a
                    // stand-in secret when it is not, so timing tells nothing either way.
                    let known = credentials.get(access_key_id);
                    let expected = known.map_or("\0", |c| c.secret_access_key.as_str());
                    let same = signatures_match(expected.as_bytes(), secret_access_key.as_bytes());
                    match known {
                        Some(c) if same => c.account_id.clone(),
                        _ => return Err(AuthError::unrecognized(
                            "The access key id and secret access key do not match an accepted key.",
                        )),
                    }
                }
            };
        Ok(Identity {
            access_key_id: access_key_id.to_owned(),
            account_id,
            region: region.to_owned(),
        })
    }

    /// Authenticates `req` at time `now`.
    pub fn verify(&self, req: &RequestParts<'_>, now: SystemTime) -> Result<Identity, AuthError> {
        let auth = parse_request_authorization(req)?;
        let amz_date = request_amz_date(req)?;

        let credentials = match &self.mode {
            Mode::Permissive => {
                let account_id = if is_account_id(&auth.access_key_id) {
                    auth.access_key_id.clone()
                } else {
                    DEFAULT_ACCOUNT_ID.to_owned()
                };
                return Ok(Identity {
                    access_key_id: auth.access_key_id,
                    account_id,
                    region: auth.scope.region,
                });
            }
            Mode::Strict(credentials) => credentials,
        };

        for required in ["host", "x-amz-date"] {
            if !auth.signs_header(required) {
                return Err(AuthError::incomplete(format!(
                    "'{required}' must be a 'SignedHeader' in the AWS Authorization."
                )));
            }
        }

        let Some(credential) = credentials.get(&auth.access_key_id) else {
            return Err(AuthError::unrecognized(format!(
                "The security token included in the request is invalid: access key id '{}' is not recognized.",
                auth.access_key_id
            )));
        };

        if auth.scope.service != self.service {
            return Err(AuthError::invalid(format!(
                "Credential should be scoped to correct service: '{}'.",
                self.service
            )));
        }
        if !amz_date.value.starts_with(auth.scope.date.as_str()) {
            return Err(AuthError::invalid(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{}'.",
                auth.scope.date,
                &amz_date.value[..8],
                amz_date.value
            )));
        }
        check_clock_skew(amz_date.value, amz_date.unix, now, self.max_clock_skew)?;

        let payload_hash = payload_hash(req)?;
        let canonical_requests = canonical_request_candidates(req, &auth, &payload_hash)?;

        let cached = self.key_cache.get(
            &credential.access_key_id,
            &auth.scope.date,
            &auth.scope.region,
            &auth.scope.service,
        );
        let signing_key = cached.unwrap_or_else(|| {
            derive_signing_key(
                &credential.secret_access_key,
                &auth.scope.date,
                &auth.scope.region,
                &auth.scope.service,
            )
        });

        let mut matched = false;
        for creq in &canonical_requests {
            let sts = string_to_sign(
                amz_date.value,
                &auth.scope.date,
                &auth.scope.region,
                &auth.scope.service,
                creq,
            );
            let expected = compute_signature(&signing_key, &sts);
            matched |= signatures_match(&expected, &auth.signature);
        }
        if !matched {
            return Err(AuthError::invalid(
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method. Consult the service \
                 documentation for details.",
            ));
        }

        // Only keys that produced a valid signature are cached, so invalid requests cannot
        // churn the cache.
        if cached.is_none() {
            self.key_cache.insert(
                &credential.access_key_id,
                &auth.scope.date,
                &auth.scope.region,
                &auth.scope.service,
                signing_key,
            );
        }

        Ok(Identity {
            access_key_id: auth.access_key_id,
            account_id: credential.account_id.clone(),
            region: auth.scope.region,
        })
    }
}

/// Whether `s` is exactly 12 ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Finds and parses the request's single `Authorization` header.
pub fn parse_request_authorization(
    req: &RequestParts<'_>,
) -> Result<ParsedAuthorization, AuthError> {
    match req.single_header("authorization") {
        Ok(Some(value)) => parse_authorization(value),
        Ok(None) => {
            if req
                .raw_query
                .split('&')
                .any(|p| p.starts_with("X-Amz-Signature=") || p.starts_with("X-Amz-Credential="))
            {
                Err(AuthError::missing(
                    "Missing Authentication Token: query-string (presigned URL) authentication is \
                     not supported; sign requests with the Authorization header.",
                ))
            } else {
                Err(AuthError::missing("Missing Authentication Token"))
            }
        }
        Err(()) => Err(AuthError::incomplete(
            "The request contains more than one Authorization header.",
        )),
    }
}

struct AmzDate<'a> {
    value: &'a str,
    unix: i64,
}

fn request_amz_date<'r>(req: &RequestParts<'r>) -> Result<AmzDate<'r>, AuthError> {
    let raw = match req.single_header("x-amz-date") {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            return Err(AuthError::incomplete(
                "Authorization header requires existence of a 'X-Amz-Date' header.",
            ))
        }
        Err(()) => {
            return Err(AuthError::incomplete(
                "The request contains more than one X-Amz-Date header.",
            ))
        }
    };
    let value = raw.trim_matches(' ');
    match parse_amz_date(value) {
        Some(unix) => Ok(AmzDate { value, unix }),
        None => Err(AuthError::incomplete(format!(
            "X-Amz-Date '{}' is malformed: expected ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z', e.g. 20150830T123600Z.",
            excerpt(value, 40)
        ))),
    }
}

/// Fails with `InvalidSignature` if `amz_date` is further than `max_skew` from `now`.
pub fn check_clock_skew(
    amz_date: &str,
    amz_unix: i64,
    now: SystemTime,
    max_skew: Duration,
) -> Result<(), AuthError> {
    let now = unix_seconds(now);
    let skew = i64::try_from(max_skew.as_secs()).unwrap_or(i64::MAX);
    let minutes = max_skew.as_secs() / 60;
    let earliest = now.saturating_sub(skew);
    let latest = now.saturating_add(skew);
    if amz_unix < earliest {
        return Err(AuthError::invalid(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - {minutes} min.)",
            format_amz_date(earliest),
            format_amz_date(now)
        )));
    }
    if amz_unix > latest {
        return Err(AuthError::invalid(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + {minutes} min.)",
            format_amz_date(latest),
            format_amz_date(now)
        )));
    }
    Ok(())
}

/// The payload hash to put in the canonical request: the SHA-256 of the body, or the
/// `x-amz-content-sha256` header value if the client sent one that equals it (compared without
/// regard to case) or is `UNSIGNED-PAYLOAD`. Any other header value is an `InvalidSignature`
/// error.
pub fn payload_hash(req: &RequestParts<'_>) -> Result<String, AuthError> {
    let actual = sha256_hex(req.body);
    match req.single_header("x-amz-content-sha256") {
        Ok(None) => Ok(actual),
        Ok(Some(claimed)) => {
            let claimed = claimed.trim_matches(' ');
            if claimed == UNSIGNED_PAYLOAD || claimed.eq_ignore_ascii_case(&actual) {
                Ok(claimed.to_owned())
            } else {
                Err(AuthError::invalid(format!(
                    "The provided 'x-amz-content-sha256' header does not match what was computed: \
                     '{}' != '{actual}'.",
                    excerpt(claimed, 80)
                )))
            }
        }
        Err(()) => Err(AuthError::invalid(
            "The request contains more than one x-amz-content-sha256 header.",
        )),
    }
}

/// The canonical request for `req` as signed under `auth`, with the query canonicalised the way
/// the AWS SDK signers do ([`canonical_query_string`]).
pub fn canonical_request_for(
    req: &RequestParts<'_>,
    auth: &ParsedAuthorization,
    payload_hash: &str,
) -> Result<String, AuthError> {
    canonical_request_with_query(
        req,
        auth,
        payload_hash,
        &canonical_query_string(req.raw_query),
    )
}

fn canonical_request_with_query(
    req: &RequestParts<'_>,
    auth: &ParsedAuthorization,
    payload_hash: &str,
    canonical_query: &str,
) -> Result<String, AuthError> {
    let headers = canonical_headers(req.headers, &auth.signed_headers).map_err(|name| {
        AuthError::invalid(format!(
            "The header '{name}' is listed in SignedHeaders but is not present in the request."
        ))
    })?;
    Ok(canonical_request(
        req.method,
        &canonical_uri(req.raw_path),
        canonical_query,
        &headers,
        &auth.signed_headers_raw,
        payload_hash,
    ))
}

/// Canonical requests a legitimate client may have signed: the SDK form first, then, if it
/// differs, the form botocore produces for a query string it did not encode itself
/// ([`canonical_query_string_verbatim`]).
fn canonical_request_candidates(
    req: &RequestParts<'_>,
    auth: &ParsedAuthorization,
    payload_hash: &str,
) -> Result<Vec<String>, AuthError> {
    let sdk_query = canonical_query_string(req.raw_query);
    let verbatim_query = canonical_query_string_verbatim(req.raw_query);
    let mut candidates = vec![canonical_request_with_query(
        req,
        auth,
        payload_hash,
        &sdk_query,
    )?];
    if verbatim_query != sdk_query {
        candidates.push(canonical_request_with_query(
            req,
            auth,
            payload_hash,
            &verbatim_query,
        )?);
    }
    Ok(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_secret_accepts_only_the_listed_secret_in_strict_mode() {
        let creds = Credentials::new(vec![Credential {
            access_key_id: "AKIDCONSOLE".into(),
            secret_access_key: "right-secret".into(),
            account_id: "111111111111".into(),
        }])
        .unwrap();
        let v = Verifier::new(Mode::Strict(creds));
        let ok = v
            .check_secret("AKIDCONSOLE", "right-secret", "eu-west-2")
            .unwrap();
        assert_eq!(ok.account_id, "111111111111");
        assert_eq!(ok.region, "eu-west-2");
        for (akid, secret) in [
            ("AKIDCONSOLE", "wrong-secret"),
            ("AKIDCONSOLE", "right-secre"),
            ("AKIDCONSOLE", ""),
            ("AKIDOTHER", "right-secret"),
            ("", "right-secret"),
        ] {
            let e = v.check_secret(akid, secret, "us-east-1").unwrap_err();
            assert_eq!(e.kind, AuthErrorKind::UnrecognizedClient, "{akid}/{secret}");
        }
        let p = Verifier::new(Mode::Permissive);
        assert_eq!(
            p.check_secret("222222222222", "x", "us-east-1")
                .unwrap()
                .account_id,
            "222222222222"
        );
        assert_eq!(
            p.check_secret("AKID", "x", "us-east-1").unwrap().account_id,
            DEFAULT_ACCOUNT_ID
        );
    }
    use crate::date::system_time_from_unix;
    use crate::AuthErrorKind;

    fn cred(akid: &str, secret: &str, account: &str) -> Credential {
        Credential {
            access_key_id: akid.into(),
            secret_access_key: secret.into(),
            account_id: account.into(),
        }
    }

    #[test]
    fn credentials_validation() {
        let c = Credentials::new(vec![
            cred("AKID1", "s1", "111122223333"),
            cred("AKID2", "s2", "444455556666"),
        ])
        .unwrap();
        assert_eq!(c.len(), 2);
        assert!(!c.is_empty());
        assert_eq!(c.get("AKID2").unwrap().account_id, "444455556666");
        assert!(c.get("akid2").is_none());
        assert_eq!(c.iter().count(), 2);

        assert_eq!(Credentials::new(vec![]), Err(CredentialsError::Empty));
        assert_eq!(
            Credentials::new(vec![
                cred("A", "s", "111122223333"),
                cred("A", "t", "111122223333")
            ]),
            Err(CredentialsError::DuplicateAccessKeyId("A".into()))
        );
        assert_eq!(
            Credentials::new(vec![cred("A/B", "s", "111122223333")]),
            Err(CredentialsError::InvalidAccessKeyId("A/B".into()))
        );
        assert_eq!(
            Credentials::new(vec![cred("", "s", "111122223333")]),
            Err(CredentialsError::InvalidAccessKeyId(String::new()))
        );
        assert_eq!(
            Credentials::new(vec![cred("A", "", "111122223333")]),
            Err(CredentialsError::EmptySecret("A".into()))
        );
        assert!(matches!(
            Credentials::new(vec![cred("A", "s", "12345")]),
            Err(CredentialsError::InvalidAccountId { .. })
        ));
        assert!(matches!(
            Credentials::new(vec![cred("A", "s", "１11122223333")]),
            Err(CredentialsError::InvalidAccountId { .. })
        ));
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let c = Credentials::new(vec![cred("AKID1", "very-secret-value", "111122223333")]).unwrap();
        let v = Verifier::new(Mode::Strict(c));
        let printed = format!("{v:?}");
        assert!(printed.contains("AKID1"));
        assert!(!printed.contains("very-secret-value"), "{printed}");
    }

    #[test]
    fn verifier_is_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Verifier>();
        assert_send_sync::<AuthError>();
    }

    #[test]
    fn account_ids() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("1234567890123"));
        assert!(!is_account_id("12345678901a"));
    }

    #[test]
    fn clock_skew_messages() {
        let now = system_time_from_unix(1_440_939_061); // 20150830T125101Z
        let date = 1_440_938_160; // 20150830T123600Z
        let e = check_clock_skew("20150830T123600Z", date, now, MAX_CLOCK_SKEW).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::InvalidSignature);
        assert_eq!(
            e.message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z \
             (20150830T125101Z - 15 min.)"
        );
        // Exactly 15 minutes is still accepted.
        let now = system_time_from_unix(date + 900);
        assert!(check_clock_skew("20150830T123600Z", date, now, MAX_CLOCK_SKEW).is_ok());
        let now = system_time_from_unix(date - 901);
        let e = check_clock_skew("20150830T123600Z", date, now, MAX_CLOCK_SKEW).unwrap_err();
        assert_eq!(
            e.message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z \
             (20150830T122059Z + 15 min.)"
        );
    }

    fn request<'a>(headers: &'a [(String, String)], body: &'a [u8]) -> RequestParts<'a> {
        RequestParts {
            method: "GET",
            raw_path: "/",
            raw_query: "",
            headers,
            body,
        }
    }

    #[test]
    fn payload_hash_rules() {
        let body = b"{}";
        let actual = sha256_hex(body);
        assert_eq!(payload_hash(&request(&[], body)).unwrap(), actual);

        let h = vec![("X-Amz-Content-Sha256".to_string(), actual.to_uppercase())];
        assert_eq!(
            payload_hash(&request(&h, body)).unwrap(),
            actual.to_uppercase()
        );

        let h = vec![(
            "x-amz-content-sha256".to_string(),
            UNSIGNED_PAYLOAD.to_string(),
        )];
        assert_eq!(payload_hash(&request(&h, body)).unwrap(), UNSIGNED_PAYLOAD);

        let h = vec![("x-amz-content-sha256".to_string(), sha256_hex(b"other"))];
        let e = payload_hash(&request(&h, body)).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::InvalidSignature);

        let h = vec![
            ("x-amz-content-sha256".to_string(), actual.clone()),
            ("x-amz-content-sha256".to_string(), actual.clone()),
        ];
        assert!(payload_hash(&request(&h, body)).is_err());
    }

    #[test]
    fn permissive_identity() {
        let v = Verifier::new(Mode::default());
        assert_eq!(v.mode(), &Mode::Permissive);
        assert_eq!(v.service(), "connect");
        let make = |akid: &str| {
            vec![
                (
                    "authorization".to_string(),
                    format!(
                        "AWS4-HMAC-SHA256 Credential={akid}/20150830/eu-central-1/connect/aws4_request, \
                         SignedHeaders=host;x-amz-date, Signature={}",
                        "ab".repeat(32)
                    ),
                ),
                ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
            ]
        };
        let now = system_time_from_unix(0);
        let h = make("999988887777");
        let id = v.verify(&request(&h, b""), now).unwrap();
        assert_eq!(
            id,
            Identity {
                access_key_id: "999988887777".into(),
                account_id: "999988887777".into(),
                region: "eu-central-1".into(),
            }
        );
        let h = make("AKIDEXAMPLE");
        assert_eq!(
            v.verify(&request(&h, b""), now).unwrap().account_id,
            DEFAULT_ACCOUNT_ID
        );
    }
}
