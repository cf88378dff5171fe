//! Robustness: arbitrary and adversarial input never panics and never takes long; it yields an
//! error (or, in permissive mode, an identity) instead.

mod common;

use std::time::{Duration, Instant};

use common::{at, OwnedRequest, EXAMPLE_SECRET, SUITE_TIME};
use roster_sigv4::{
    canonical_query_string, canonical_query_string_verbatim, canonical_uri, form_decode,
    normalize_path, parse_amz_date, parse_authorization, trim_header_value, AuthErrorKind,
    Credential, Credentials, Mode, Verifier,
};

/// xorshift64*: a small deterministic generator, so failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Fragments that exercise the parsers' edge cases.
const PIECES: &[&str] = &[
    "AWS4-HMAC-SHA256",
    "AWS4-HMAC-SHA256 ",
    "Credential=",
    "SignedHeaders=",
    "Signature=",
    "AKIDEXAMPLE",
    "123456789012",
    "/",
    "//",
    "20150830",
    "20150830T123600Z",
    "us-east-1",
    "service",
    "connect",
    "aws4_request",
    "host",
    "x-amz-date",
    ";",
    ",",
    ", ",
    "=",
    " ",
    "  ",
    "\t",
    "%",
    "%2",
    "%zz",
    "%2F",
    "%25",
    "+",
    "&",
    "?",
    ".",
    "..",
    "/./",
    "/../",
    "é",
    "ሴ",
    "\u{FFFD}",
    "\u{0}",
    "\r\n",
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    "0",
    "f",
    "Z",
    "T",
    "UNSIGNED-PAYLOAD",
];

fn garbage(rng: &mut Rng, max_pieces: usize) -> String {
    let n = rng.below(max_pieces + 1);
    let mut s = String::new();
    for _ in 0..n {
        if rng.below(8) == 0 {
            // A random char, including non-ASCII ones.
            let c = char::from_u32((rng.next() % 0x11_0000) as u32).unwrap_or('?');
            s.push(c);
        } else {
            s.push_str(rng.pick(PIECES));
        }
    }
    s
}

fn strict() -> Verifier {
    Verifier::new(Mode::Strict(
        Credentials::new(vec![Credential {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: EXAMPLE_SECRET.into(),
            account_id: "111122223333".into(),
        }])
        .unwrap(),
    ))
    .with_service("service")
}

/// A correctly signed request (the suite's `get-vanilla-query-order-key-case`).
fn signed_request() -> OwnedRequest {
    OwnedRequest {
        method: "GET".into(),
        path: "/".into(),
        query: "Param2=value2&Param1=value1".into(),
        headers: vec![
            ("Host".into(), "example.amazonaws.com".into()),
            ("X-Amz-Date".into(), "20150830T123600Z".into()),
            (
                "Authorization".into(),
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
                    .into(),
            ),
        ],
        body: Vec::new(),
    }
}

#[test]
fn the_base_request_verifies() {
    strict()
        .verify(&signed_request().parts(), at(SUITE_TIME))
        .unwrap();
}

#[test]
fn random_garbage_never_panics() {
    let strict = strict();
    let permissive = Verifier::new(Mode::Permissive);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let auth = garbage(&mut rng, 24);
        let _ = parse_authorization(&auth);
        let path = garbage(&mut rng, 12);
        let query = garbage(&mut rng, 12);
        let _ = canonical_uri(&path);
        let _ = normalize_path(&path);
        let _ = canonical_query_string(&query);
        let _ = canonical_query_string_verbatim(&query);
        let _ = form_decode(&query);
        let _ = trim_header_value(&auth);
        let date = garbage(&mut rng, 3);
        let _ = parse_amz_date(&date);

        let mut headers = vec![("Authorization".to_string(), auth.clone())];
        if rng.below(4) != 0 {
            headers.push(("X-Amz-Date".into(), date));
        }
        if rng.below(2) == 0 {
            headers.push(("host".into(), garbage(&mut rng, 4)));
        }
        if rng.below(4) == 0 {
            headers.push(("x-amz-content-sha256".into(), garbage(&mut rng, 3)));
        }
        if rng.below(8) == 0 {
            headers.push((garbage(&mut rng, 2), garbage(&mut rng, 4)));
        }
        let req = OwnedRequest {
            method: garbage(&mut rng, 2),
            path,
            query,
            headers,
            body: garbage(&mut rng, 4).into_bytes(),
        };
        let now = at(rng.next() % 4_000_000_000);
        for verifier in [&strict, &permissive] {
            if let Err(e) = verifier.verify(&req.parts(), now) {
                assert!(!e.message.is_empty());
            }
        }
    }
}

#[test]
fn mutated_valid_requests_never_panic_and_never_verify_a_changed_signature() {
    let strict = strict();
    let permissive = Verifier::new(Mode::Permissive);
    let base = signed_request();
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let mut req = base.clone();
        // Replace a random char range of one field with garbage.
        let field = rng.below(5);
        let target: &mut String = match field {
            0 => &mut req.headers[2].1,
            1 => &mut req.headers[1].1,
            2 => &mut req.path,
            3 => &mut req.query,
            _ => &mut req.headers[0].1,
        };
        let chars: Vec<char> = target.chars().collect();
        let start = rng.below(chars.len() + 1);
        let end = (start + rng.below(4)).min(chars.len());
        let replacement = garbage(&mut rng, 2);
        let mutated: String = chars[..start]
            .iter()
            .copied()
            .chain(replacement.chars())
            .chain(chars[end..].iter().copied())
            .collect();
        *target = mutated;

        let strict_result = strict.verify(&req.parts(), at(SUITE_TIME));
        let _ = permissive.verify(&req.parts(), at(SUITE_TIME));
        if let Ok(identity) = strict_result {
            // Only meaning-preserving edits (e.g. spacing in the Authorization header) may pass.
            assert_eq!(identity.access_key_id, "AKIDEXAMPLE");
            let auth = parse_authorization(&req.headers[2].1).unwrap();
            assert_eq!(
                hex::encode(auth.signature),
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
            );
        }
    }
}

#[test]
fn huge_inputs_are_handled_quickly() {
    let strict = strict();
    let permissive = Verifier::new(Mode::Permissive);
    let big = 1 << 20;
    let cases: Vec<OwnedRequest> = vec![
        // Huge Authorization header of various shapes.
        {
            let mut r = signed_request();
            r.headers[2].1 = "A".repeat(big);
            r
        },
        {
            let mut r = signed_request();
            r.headers[2].1 = format!("AWS4-HMAC-SHA256 {}", ",".repeat(big));
            r
        },
        {
            let mut r = signed_request();
            let names: Vec<String> = (0..100_000).map(|i| format!("h{i}")).collect();
            r.headers[2].1 = format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;{};x-amz-date, Signature={}",
                names.join(";"),
                "0".repeat(64)
            );
            r
        },
        {
            let mut r = signed_request();
            r.headers[2].1 = format!(
                "AWS4-HMAC-SHA256 Credential={}, SignedHeaders=host, Signature=0",
                "/".repeat(big)
            );
            r
        },
        // Huge path, query, header value and body.
        {
            let mut r = signed_request();
            r.path = "/..".repeat(big / 3);
            r
        },
        {
            let mut r = signed_request();
            r.path = "%".repeat(big);
            r
        },
        {
            let mut r = signed_request();
            r.query = "a=%&".repeat(big / 4);
            r
        },
        {
            let mut r = signed_request();
            r.headers[0].1 = " ".repeat(big);
            r
        },
        {
            let mut r = signed_request();
            r.body = vec![0xff; big];
            r
        },
        {
            let mut r = signed_request();
            for i in 0..2_000 {
                r.headers.push((format!("x-h{i}"), "v".repeat(100)));
            }
            r
        },
    ];
    for (i, req) in cases.iter().enumerate() {
        let started = Instant::now();
        let strict_result = strict.verify(&req.parts(), at(SUITE_TIME));
        let _ = permissive.verify(&req.parts(), at(SUITE_TIME));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "case {i} took {:?}",
            started.elapsed()
        );
        match strict_result {
            Err(err) => assert!(err.message.len() < 1_000, "case {i}: message too long"),
            // `/../../..` normalises to `/`, and unsigned extra headers do not matter.
            Ok(_) => assert!(i == 4 || i == 9, "case {i} must not verify"),
        }
    }
}

#[test]
fn missing_and_duplicate_headers() {
    let strict = strict();
    let permissive = Verifier::new(Mode::Permissive);

    let mut req = signed_request();
    req.remove_header("authorization");
    for v in [&strict, &permissive] {
        let e = v.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::MissingAuthenticationToken);
        assert_eq!(e.message, "Missing Authentication Token");
    }
    req.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Signature=b".into();
    let e = permissive.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
    assert_eq!(e.kind, AuthErrorKind::MissingAuthenticationToken);
    assert!(e.message.contains("presigned"), "{}", e.message);

    let mut req = signed_request();
    req.remove_header("x-amz-date");
    for v in [&strict, &permissive] {
        let e = v.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::IncompleteSignature);
        assert!(e.message.contains("X-Amz-Date"), "{}", e.message);
    }

    let mut req = signed_request();
    req.set_header("x-amz-date", "2015-08-30T12:36:00Z");
    for v in [&strict, &permissive] {
        let e = v.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::IncompleteSignature);
        assert!(
            e.message.contains("'2015-08-30T12:36:00Z' is malformed"),
            "{}",
            e.message
        );
    }

    let mut req = signed_request();
    req.headers
        .push(("x-amz-date".into(), "20150830T123600Z".into()));
    let e = permissive.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
    assert_eq!(e.kind, AuthErrorKind::IncompleteSignature);

    let mut req = signed_request();
    let auth = req.header("authorization").unwrap().to_string();
    req.headers.push(("authorization".into(), auth));
    let e = permissive.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
    assert_eq!(e.kind, AuthErrorKind::IncompleteSignature);
    assert!(
        e.message.contains("more than one Authorization"),
        "{}",
        e.message
    );

    let mut req = signed_request();
    req.set_header("authorization", "Basic dXNlcjpwYXNz");
    let e = permissive.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
    assert_eq!(e.kind, AuthErrorKind::IncompleteSignature);
    assert!(e.message.contains("'Basic'"), "{}", e.message);

    // A signed header missing from the request.
    let mut req = signed_request();
    req.remove_header("host");
    let e = strict.verify(&req.parts(), at(SUITE_TIME)).unwrap_err();
    assert_eq!(e.kind, AuthErrorKind::InvalidSignature);
    assert!(e.message.contains("'host'"), "{}", e.message);
    // Permissive mode only checks syntax.
    assert!(permissive.verify(&req.parts(), at(SUITE_TIME)).is_ok());

    // Times before the Unix epoch or far in the future do not panic.
    let req = signed_request();
    for now in [
        std::time::UNIX_EPOCH - Duration::from_secs(1_000_000),
        std::time::UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 1_000),
    ] {
        let e = strict.verify(&req.parts(), now).unwrap_err();
        assert_eq!(e.kind, AuthErrorKind::InvalidSignature);
    }
}
