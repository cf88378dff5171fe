//! Vectors from the AWS SigV4 signing test suite (see `tests/vectors/README.md`): canonical
//! request, string to sign and signature for non-S3 cases, and full verification.

mod common;

use std::path::{Path, PathBuf};

use common::{at, split_target, OwnedRequest, SUITE_TIME};
use roster_sigv4::{
    canonical_request_for, compute_signature, derive_signing_key, parse_request_authorization,
    payload_hash, string_to_sign, Credential, Credentials, Mode, Verifier,
};

const CASES: &[&str] = &[
    "get-vanilla",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-order-encoded",
    "get-vanilla-query-unreserved",
    "get-vanilla-utf8-query",
    "get-vanilla-empty-query-key",
    "get-vanilla-with-session-token",
    "get-header-value-trim",
    "get-header-key-duplicate",
    "get-header-value-order",
    "get-utf8",
    "get-space-normalized",
    "get-slashes-normalized",
    "get-relative-relative-normalized",
    "post-vanilla-query",
    "post-x-www-form-urlencoded",
    "post-sts-header-before",
];

fn dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(case)
}

fn read(case: &str, file: &str) -> String {
    let path = dir(case).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses a `header-signed-request.txt`: request line (the ` HTTP/1.1` suffix is optional),
/// `Name:value` headers, blank line, body.
fn parse_signed_request(text: &str) -> OwnedRequest {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let target = rest.strip_suffix(" HTTP/1.1").unwrap_or(rest);
    let (path, query) = split_target(target);
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.to_string(), value.to_string())
        })
        .collect();
    OwnedRequest {
        method: method.to_string(),
        path,
        query,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// Extracts a string field from the flat `context.json` files.
fn json_field(json: &str, key: &str) -> String {
    let needle = format!("\"{key}\": \"");
    let start = json.find(&needle).expect(key) + needle.len();
    let end = json[start..].find('"').expect("closing quote") + start;
    json[start..end].to_string()
}

#[test]
fn canonical_request_string_to_sign_and_signature_match_the_suite() {
    for case in CASES {
        let context = read(case, "context.json");
        assert!(context.contains("\"normalize\": true"), "{case}");
        let secret = json_field(&context, "secret_access_key");
        let region = json_field(&context, "region");
        let service = json_field(&context, "service");

        let req = parse_signed_request(&read(case, "header-signed-request.txt"));
        let parts = req.parts();
        let auth = parse_request_authorization(&parts).unwrap();
        assert_eq!(auth.scope.region, region, "{case}");
        assert_eq!(auth.scope.service, service, "{case}");

        let hash = payload_hash(&parts).unwrap();
        let creq = canonical_request_for(&parts, &auth, &hash).unwrap();
        assert_eq!(creq, read(case, "header-canonical-request.txt"), "{case}");

        let amz_date = req.header("x-amz-date").unwrap();
        let sts = string_to_sign(amz_date, &auth.scope.date, &region, &service, &creq);
        assert_eq!(sts, read(case, "header-string-to-sign.txt"), "{case}");

        let key = derive_signing_key(&secret, &auth.scope.date, &region, &service);
        let signature = hex::encode(compute_signature(&key, &sts));
        assert_eq!(
            signature,
            read(case, "header-signature.txt").trim(),
            "{case}"
        );
        assert_eq!(signature, hex::encode(auth.signature), "{case}");
    }
}

#[test]
fn suite_requests_verify_in_strict_mode() {
    for case in CASES {
        let context = read(case, "context.json");
        let verifier = Verifier::new(Mode::Strict(
            Credentials::new(vec![Credential {
                access_key_id: json_field(&context, "access_key_id"),
                secret_access_key: json_field(&context, "secret_access_key"),
                account_id: "111122223333".into(),
            }])
            .unwrap(),
        ))
        .with_service("service");
        let req = parse_signed_request(&read(case, "header-signed-request.txt"));
        let identity = verifier
            .verify(&req.parts(), at(SUITE_TIME))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(identity.access_key_id, "AKIDEXAMPLE");
        assert_eq!(identity.account_id, "111122223333");
        assert_eq!(identity.region, "us-east-1");

        // The same request with a wrong secret fails.
        let wrong = Verifier::new(Mode::Strict(
            Credentials::new(vec![Credential {
                access_key_id: "AKIDEXAMPLE".into(),
                secret_access_key: "not-the-secret".into(),
                account_id: "111122223333".into(),
            }])
            .unwrap(),
        ))
        .with_service("service");
        let err = wrong.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
        assert_eq!(
            err.kind,
            roster_sigv4::AuthErrorKind::InvalidSignature,
            "{case}"
        );
    }
}

/// A double-encoded ARN path (Lambda); only canonical request and string to sign are given.
#[test]
fn double_url_encode_vector() {
    let case = "double-url-encode";
    let req = parse_signed_request(&read(case, "header-signed-request.txt"));
    let parts = req.parts();
    let auth = parse_request_authorization(&parts).unwrap();
    let hash = payload_hash(&parts).unwrap();
    let creq = canonical_request_for(&parts, &auth, &hash).unwrap();
    assert_eq!(creq, read(case, "header-canonical-request.txt"));
    let sts = string_to_sign(
        req.header("x-amz-date").unwrap(),
        &auth.scope.date,
        &auth.scope.region,
        &auth.scope.service,
        &creq,
    );
    // This older-format file ends with a newline.
    assert_eq!(sts, read(case, "header-string-to-sign.txt").trim_end());
}
