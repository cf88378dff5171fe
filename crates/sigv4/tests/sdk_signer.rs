//! Requests signed by the AWS SDK for Rust signer (`aws-sigv4`) with the settings the SDK uses
//! for `connect` (double URI encoding, path normalisation, no `x-amz-content-sha256` header),
//! verified by this crate.

mod common;

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials as SdkCredentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity as SdkIdentity;
use common::{at, OwnedRequest};
use roster_sigv4::{AuthErrorKind, Credential, Credentials, Mode, Verifier};

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ACCOUNT: &str = "444455556666";
const REGION: &str = "us-west-2";
const ENDPOINT: &str = "https://connect.us-west-2.amazonaws.com";
/// 2024-03-01T10:20:30Z.
const T: u64 = 1_709_288_430;

const INSTANCE_ARN_PATH: &str =
    "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2Fabc";

struct Sign<'a> {
    method: &'a str,
    /// Path and query, as the SDK puts them on the wire.
    target: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: &'a [u8],
    access_key_id: &'a str,
    secret: &'a str,
    session_token: Option<&'a str>,
    time: u64,
    endpoint: &'a str,
    settings: SigningSettings,
    signable_body: Option<SignableBody<'a>>,
}

impl<'a> Sign<'a> {
    fn new(method: &'a str, target: &'a str) -> Self {
        Self {
            method,
            target,
            headers: Vec::new(),
            body: b"",
            access_key_id: AKID,
            secret: SECRET,
            session_token: None,
            time: T,
            endpoint: ENDPOINT,
            settings: SigningSettings::default(),
            signable_body: None,
        }
    }

    fn json(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self.headers.push(("content-type", "application/json"));
        self
    }

    /// Headers the SDK adds to every `connect` request before signing.
    fn sdk_headers(mut self) -> Self {
        self.headers.extend([
            ("user-agent", "aws-sdk-rust/1.3.9 os/linux lang/rust/1.85.0"),
            (
                "x-amz-user-agent",
                "aws-sdk-rust/1.3.9 ua/2.1 api/connect/1.220.0 os/linux lang/rust/1.85.0",
            ),
            (
                "amz-sdk-invocation-id",
                "6a5c0f4e-1f5b-4b6e-9d2a-3c1e2f4a5b6c",
            ),
            ("amz-sdk-request", "attempt=1; max=3"),
        ]);
        self
    }

    /// Signs with `aws-sigv4` and returns the request as a server would receive it.
    fn run(self) -> OwnedRequest {
        let uri = format!("{}{}", self.endpoint, self.target);
        let mut request = http::Request::builder()
            .method(self.method)
            .uri(&uri)
            .body(self.body.to_vec())
            .unwrap();
        let content_length = self.body.len().to_string();
        let mut headers = self.headers.clone();
        if !self.body.is_empty() {
            headers.push(("content-length", &content_length));
        }
        for (name, value) in &headers {
            request.headers_mut().append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }

        let identity: SdkIdentity = SdkCredentials::new(
            self.access_key_id,
            self.secret,
            self.session_token.map(str::to_string),
            None,
            "test",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name("connect")
            .time(at(self.time))
            .settings(self.settings)
            .build()
            .unwrap()
            .into();
        let signable = SignableRequest::new(
            self.method,
            uri.as_str(),
            request
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str(), v.to_str().unwrap())),
            self.signable_body.unwrap_or(SignableBody::Bytes(self.body)),
        )
        .unwrap();
        let (instructions, _signature) = sign(signable, &params).unwrap().into_parts();
        instructions.apply_to_request_http1x(&mut request);

        // What an HTTP/1.1 client puts on the wire: a Host header without the default port.
        let parsed = request.uri().clone();
        let host = match (parsed.scheme_str(), parsed.port_u16()) {
            (Some("https"), Some(443)) | (Some("http"), Some(80)) | (_, None) => {
                parsed.host().unwrap().to_string()
            }
            _ => parsed.authority().unwrap().to_string(),
        };
        let mut wire_headers = vec![("host".to_string(), host)];
        for (name, value) in request.headers() {
            wire_headers.push((name.to_string(), value.to_str().unwrap().to_string()));
        }
        OwnedRequest {
            method: self.method.to_string(),
            path: parsed.path().to_string(),
            query: parsed.query().unwrap_or("").to_string(),
            headers: wire_headers,
            body: request.into_body(),
        }
    }
}

fn strict() -> Verifier {
    Verifier::new(Mode::Strict(
        Credentials::new(vec![
            Credential {
                access_key_id: AKID.into(),
                secret_access_key: SECRET.into(),
                account_id: ACCOUNT.into(),
            },
            Credential {
                access_key_id: "AKIDOTHER".into(),
                secret_access_key: "other-secret".into(),
                account_id: "777788889999".into(),
            },
        ])
        .unwrap(),
    ))
}

fn assert_verifies(req: &OwnedRequest) {
    let identity = strict()
        .verify(&req.parts(), at(T))
        .unwrap_or_else(|e| panic!("{e}\nrequest: {req:#?}"));
    assert_eq!(identity.access_key_id, AKID);
    assert_eq!(identity.account_id, ACCOUNT);
    assert_eq!(identity.region, REGION);
}

fn assert_rejected(
    verifier: &Verifier,
    req: &OwnedRequest,
    now: SystemTime,
    kind: AuthErrorKind,
) -> String {
    let err = verifier
        .verify(&req.parts(), now)
        .expect_err("request must be rejected");
    assert_eq!(err.kind, kind, "{}", err.message);
    err.message
}

#[test]
fn get_with_query() {
    let req = Sign::new(
        "GET",
        "/users-summary/inst-1?maxResults=10&nextToken=a%2Bb%3D",
    )
    .sdk_headers()
    .run();
    assert_eq!(req.query, "maxResults=10&nextToken=a%2Bb%3D");
    assert_verifies(&req);
}

#[test]
fn json_body_post() {
    let body = br#"{"Username":"jane","PhoneConfig":{"PhoneType":"SOFT_PHONE"},"SecurityProfileIds":["a"],"RoutingProfileId":"r"}"#;
    let req = Sign::new("PUT", "/users/inst-1")
        .sdk_headers()
        .json(body)
        .run();
    assert_verifies(&req);
}

#[test]
fn percent_encoded_arn_in_path() {
    let req = Sign::new("GET", INSTANCE_ARN_PATH).sdk_headers().run();
    assert_eq!(req.path, INSTANCE_ARN_PATH);
    assert_verifies(&req);

    let req = Sign::new("POST", INSTANCE_ARN_PATH)
        .sdk_headers()
        .json(br#"{"tags":{"k":"v"}}"#)
        .run();
    assert_verifies(&req);
}

#[test]
fn percent_encoded_arn_with_query() {
    let target = format!("{INSTANCE_ARN_PATH}?tagKeys=a%2Fb&tagKeys=c%20d");
    let req = Sign::new("DELETE", &target).sdk_headers().run();
    assert_verifies(&req);
}

#[test]
fn with_session_token() {
    let mut s = Sign::new("GET", "/users/inst-1/user-1").sdk_headers();
    s.session_token = Some("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+/=");
    let req = s.run();
    assert!(req.header("x-amz-security-token").is_some());
    assert!(req
        .header("authorization")
        .unwrap()
        .contains("x-amz-security-token"));
    assert_verifies(&req);
}

#[test]
fn raw_plus_and_unusual_characters_in_query() {
    // A raw `+` is a space to the SDK signer.
    let req = Sign::new("GET", "/users-summary/inst-1?nextToken=a+b&x=%7E%21").run();
    assert_verifies(&req);
    // Lowercase escapes, empty values, repeated names in any order.
    let req = Sign::new("GET", "/users-summary/inst-1?b=%2f&a&c=&b=%2b").run();
    assert_verifies(&req);
}

#[test]
fn dot_segments_and_double_slashes_are_normalised_by_the_signer() {
    for target in [
        "/users/./inst-1/../inst-2",
        "//users//inst-1/",
        "/users/inst.1/a..b",
    ] {
        let req = Sign::new("GET", target).run();
        assert_eq!(req.path, target.split('?').next().unwrap());
        assert_verifies(&req);
    }
}

#[test]
fn non_default_port_in_host() {
    let mut s = Sign::new("GET", "/users/inst-1/user-1");
    s.endpoint = "http://127.0.0.1:8080";
    let req = s.run();
    assert_eq!(req.header("host"), Some("127.0.0.1:8080"));
    assert_verifies(&req);
}

#[test]
fn content_sha256_header() {
    let mut s = Sign::new("POST", "/users/inst-1").json(br#"{"a":1}"#);
    s.settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    let req = s.run();
    assert!(req.header("x-amz-content-sha256").is_some());
    assert_verifies(&req);

    // A header that disagrees with the body is rejected even before the signature check.
    let mut bad = req.clone();
    bad.set_header(
        "x-amz-content-sha256",
        "0000000000000000000000000000000000000000000000000000000000000000",
    );
    let msg = assert_rejected(&strict(), &bad, at(T), AuthErrorKind::InvalidSignature);
    assert!(msg.contains("x-amz-content-sha256"), "{msg}");

    // UNSIGNED-PAYLOAD leaves the body out of the signature.
    let mut s = Sign::new("POST", "/users/inst-1").json(br#"{"a":1}"#);
    s.settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    s.signable_body = Some(SignableBody::UnsignedPayload);
    let mut req = s.run();
    assert_eq!(req.header("x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert_verifies(&req);
    req.body = br#"{"a":2}"#.to_vec();
    assert_verifies(&req);
}

#[test]
fn wrong_secret_is_invalid_signature() {
    let mut s = Sign::new("GET", "/users-summary/inst-1?maxResults=10");
    s.secret = "wrong-secret";
    let req = s.run();
    let msg = assert_rejected(&strict(), &req, at(T), AuthErrorKind::InvalidSignature);
    assert!(
        msg.contains(
            "The request signature we calculated does not match the signature you provided"
        ),
        "{msg}"
    );
}

#[test]
fn unknown_key_is_unrecognized_client() {
    let mut s = Sign::new("GET", "/users-summary/inst-1");
    s.access_key_id = "AKIAUNKNOWN000000000";
    let req = s.run();
    let msg = assert_rejected(&strict(), &req, at(T), AuthErrorKind::UnrecognizedClient);
    assert!(msg.contains("AKIAUNKNOWN000000000"), "{msg}");
}

#[test]
fn tampering_is_invalid_signature() {
    let body = br#"{"Username":"jane"}"#;
    let req = Sign::new("PUT", "/users/inst-1")
        .sdk_headers()
        .json(body)
        .run();
    assert_verifies(&req);

    let mut tampered = req.clone();
    tampered.body = br#"{"Username":"jim!"}"#.to_vec();
    assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);

    let mut tampered = req.clone();
    tampered.path = "/users/inst-2".into();
    assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);

    let mut tampered = req.clone();
    tampered.query = "x=1".into();
    assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);

    let mut tampered = req.clone();
    tampered.method = "POST".into();
    assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);

    let mut tampered = req.clone();
    tampered.set_header("content-type", "text/plain");
    assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);

    let mut tampered = req.clone();
    tampered.set_header("host", "connect.us-east-1.amazonaws.com");
    assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);

    let mut tampered = req.clone();
    tampered.remove_header("amz-sdk-request");
    let msg = assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);
    assert!(msg.contains("amz-sdk-request"), "{msg}");

    // Unsigned headers may change freely.
    let mut changed = req.clone();
    changed.set_header("user-agent", "something else");
    changed.headers.push(("x-extra".into(), "1".into()));
    assert_verifies(&changed);

    // Every single-digit change of the signature is detected.
    let auth = req.header("authorization").unwrap().to_string();
    let sig_start = auth.find("Signature=").unwrap() + "Signature=".len();
    for i in sig_start..auth.len() {
        let mut bytes = auth.clone().into_bytes();
        bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
        let mut tampered = req.clone();
        tampered.set_header("authorization", std::str::from_utf8(&bytes).unwrap());
        assert_rejected(&strict(), &tampered, at(T), AuthErrorKind::InvalidSignature);
    }
}

#[test]
fn clock_skew() {
    let req = Sign::new("GET", "/users-summary/inst-1").run();
    let verifier = strict();
    let sixteen = Duration::from_secs(16 * 60);
    let fourteen = Duration::from_secs(14 * 60);

    let msg = assert_rejected(
        &verifier,
        &req,
        at(T) + sixteen,
        AuthErrorKind::InvalidSignature,
    );
    assert_eq!(
        msg,
        "Signature expired: 20240301T102030Z is now earlier than 20240301T102130Z \
         (20240301T103630Z - 15 min.)"
    );
    let msg = assert_rejected(
        &verifier,
        &req,
        at(T) - sixteen,
        AuthErrorKind::InvalidSignature,
    );
    assert!(
        msg.starts_with("Signature not yet current: 20240301T102030Z"),
        "{msg}"
    );

    assert!(verifier.verify(&req.parts(), at(T) + fourteen).is_ok());
    assert!(verifier.verify(&req.parts(), at(T) - fourteen).is_ok());
    assert!(verifier
        .verify(&req.parts(), at(T) + Duration::from_secs(15 * 60))
        .is_ok());

    // Permissive mode does not look at the clock.
    let permissive = Verifier::new(Mode::Permissive);
    assert!(permissive
        .verify(&req.parts(), at(T) + sixteen * 100)
        .is_ok());
}

#[test]
fn permissive_mode_accepts_any_secret() {
    let verifier = Verifier::new(Mode::Permissive);

    let mut s = Sign::new("GET", INSTANCE_ARN_PATH);
    s.access_key_id = "AKIDANYTHING";
    s.secret = "whatever";
    let req = s.run();
    let identity = verifier.verify(&req.parts(), at(T)).unwrap();
    assert_eq!(identity.access_key_id, "AKIDANYTHING");
    assert_eq!(identity.account_id, "123456789012");
    assert_eq!(identity.region, REGION);

    let mut s = Sign::new("PUT", "/users/inst-1").json(b"{}");
    s.access_key_id = "111122223333";
    s.secret = "x";
    let mut req = s.run();
    let identity = verifier.verify(&req.parts(), at(T)).unwrap();
    assert_eq!(identity.account_id, "111122223333");
    // Body and signature are not checked.
    req.body = b"changed".to_vec();
    assert!(verifier.verify(&req.parts(), at(T)).is_ok());

    // Access key ids that are not exactly 12 digits map to the default account.
    for akid in ["11112222333", "1111222233334", "test"] {
        let mut s = Sign::new("GET", "/users-summary/inst-1");
        s.access_key_id = akid;
        let req = s.run();
        let identity = verifier.verify(&req.parts(), at(T)).unwrap();
        assert_eq!(identity.account_id, "123456789012", "{akid}");
    }
}

#[test]
fn signing_keys_are_cached_and_reused() {
    let verifier = strict();
    for i in 0..5 {
        let target = format!("/users-summary/inst-{i}");
        let req = Sign::new("GET", &target).run();
        assert!(verifier.verify(&req.parts(), at(T)).is_ok());
    }
    assert_eq!(verifier.cached_signing_keys(), 1);
    // A different date needs a different key.
    let mut s = Sign::new("GET", "/users-summary/inst-1");
    s.time = T + 86_400;
    let req = s.run();
    assert!(verifier.verify(&req.parts(), at(T + 86_400)).is_ok());
    assert_eq!(verifier.cached_signing_keys(), 2);
    // Failed verifications do not add keys.
    let mut s = Sign::new("GET", "/users-summary/inst-1");
    s.secret = "wrong";
    s.time = T + 3600;
    let req = s.run();
    assert!(verifier.verify(&req.parts(), at(T + 3600)).is_err());
    assert_eq!(verifier.cached_signing_keys(), 2);
    // A cached key still verifies.
    let req = Sign::new("GET", "/users-summary/inst-9").run();
    assert!(verifier.verify(&req.parts(), at(T)).is_ok());
    assert_eq!(verifier.cached_signing_keys(), 2);
}

#[test]
fn service_and_scope_checks_in_strict_mode() {
    // Signed for another service.
    let uri = format!("{ENDPOINT}/users-summary/inst-1");
    let identity: SdkIdentity = SdkCredentials::new(AKID, SECRET, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("iam")
        .time(at(T))
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let signable = SignableRequest::new(
        "GET",
        uri.as_str(),
        std::iter::empty(),
        SignableBody::Bytes(b""),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut headers = vec![(
        "host".to_string(),
        "connect.us-west-2.amazonaws.com".to_string(),
    )];
    for (n, v) in instructions.headers() {
        headers.push((n.to_string(), v.to_string()));
    }
    let req = OwnedRequest {
        method: "GET".into(),
        path: "/users-summary/inst-1".into(),
        query: String::new(),
        headers,
        body: Vec::new(),
    };
    let msg = assert_rejected(&strict(), &req, at(T), AuthErrorKind::InvalidSignature);
    assert_eq!(
        msg,
        "Credential should be scoped to correct service: 'connect'."
    );
    // The same verifier configured for that service accepts it.
    assert!(strict()
        .with_service("iam")
        .verify(&req.parts(), at(T))
        .is_ok());

    // Scope date that does not match X-Amz-Date.
    let signed = Sign::new("GET", "/users-summary/inst-1").run();
    let mut req = signed.clone();
    let auth = req
        .header("authorization")
        .unwrap()
        .replace("/20240301/", "/20240302/");
    req.set_header("authorization", &auth);
    let msg = assert_rejected(&strict(), &req, at(T), AuthErrorKind::InvalidSignature);
    assert!(msg.contains("'20240302' != '20240301'"), "{msg}");

    // host must be signed.
    let mut req = signed.clone();
    let auth = req
        .header("authorization")
        .unwrap()
        .replace("SignedHeaders=host;", "SignedHeaders=");
    req.set_header("authorization", &auth);
    let msg = assert_rejected(&strict(), &req, at(T), AuthErrorKind::IncompleteSignature);
    assert!(msg.contains("'host' must be a 'SignedHeader'"), "{msg}");
    // ... but permissive mode does not care.
    assert!(Verifier::new(Mode::Permissive)
        .verify(&req.parts(), at(T))
        .is_ok());
}
