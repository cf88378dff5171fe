//! Requests the HTTP layer refuses before any operation sees them: request heads over
//! the limits (more than 100 header fields, more than 64 KiB) and heads that are not
//! HTTP/1.1. Each gets an answer shaped like every other roster error (status,
//! `x-amzn-ErrorType`, `x-amzn-RequestId`, a JSON `Message`), the connection is
//! closed, nothing is written, and the server goes on serving.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use roster_tests::*;

/// A syntactically valid SigV4 `Authorization` header; permissive mode accepts it.
const AUTH: &str =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/aws4_request, \
     SignedHeaders=host;x-amz-date, \
     Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// roster's limits on a request head.
const MAX_HEADER_FIELDS: usize = 100;
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// A signed request with `extra` header fields after the usual five
/// (`Host`, `X-Amz-Date`, `Authorization`, `Content-Type`, `Content-Length`).
fn request(addr: &str, method: &str, target: &str, extra: &[String], body: &str) -> Vec<u8> {
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Date: 20260101T000000Z\r\n\
         Authorization: {AUTH}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for field in extra {
        head.push_str(field);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head.push_str(body);
    head.into_bytes()
}

/// `n` header fields `X-Filler-<i>: <value>`.
fn fillers(n: usize, value: &str) -> Vec<String> {
    (0..n).map(|i| format!("X-Filler-{i}: {value}")).collect()
}

/// A CreateUser body the instance would accept.
fn create_user_body(fx: &Fx, username: &str) -> String {
    serde_json::json!({
        "Username": username,
        "Password": PASSWORD,
        "IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "SecurityProfileIds": [fx.agent],
        "RoutingProfileId": fx.rp,
    })
    .to_string()
}

/// Sends `bytes` on a new connection; the one answer, after which the server has
/// closed the connection.
async fn refused(addr: &str, bytes: &[u8]) -> RawResponse {
    let mut conn = RawConnection::connect(addr).await;
    let r = conn.exchange(bytes).await.expect("an answer");
    assert!(
        conn.is_closed().await,
        "the connection is closed after a refusal"
    );
    r
}

/// The answer is an AWS error: `status`, `x-amzn-ErrorType: shape`, a request id, JSON
/// with a `Message` naming the request head, `connection: close`. Returns the message.
fn assert_refusal(case: &str, r: &RawResponse, status: u16, shape: &str) -> String {
    let text = String::from_utf8_lossy(&r.body);
    assert_eq!(r.status, status, "{case}: {text}");
    assert_eq!(r.error_type(), Some(shape), "{case}: {:?}", r.headers);
    let rid = r
        .header("x-amzn-requestid")
        .unwrap_or_else(|| panic!("{case}: no x-amzn-RequestId in {:?}", r.headers));
    assert!(
        uuid::Uuid::parse_str(rid).is_ok(),
        "{case}: request id {rid}"
    );
    assert_eq!(r.header("content-type"), Some("application/json"), "{case}");
    assert_eq!(r.header("connection"), Some("close"), "{case}");
    let body = r.json();
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(1),
        "{case}: the body is just the Message: {body}"
    );
    let message = body["Message"]
        .as_str()
        .unwrap_or_else(|| panic!("{case}: no Message in {body}"))
        .to_string();
    assert!(
        message.starts_with("request head: must be"),
        "{case}: {message}"
    );
    message
}

/// The server still serves: a user can be created and is then listed.
async fn assert_serving(fx: &Fx, username: &str, after: &str) {
    fx.create(username)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the server stopped serving after {after}: {e:?}"));
    assert!(fx.usernames().await.contains(username), "after {after}");
}

#[tokio::test]
async fn a_flood_of_header_fields_gets_431_and_writes_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    let path = format!("/users/{}", fx.instance);
    let r = refused(
        &addr,
        &request(
            &addr,
            "PUT",
            &path,
            &fillers(200, "x"),
            &create_user_body(&fx, "flooded"),
        ),
    )
    .await;
    let message = assert_refusal(
        "200 header fields",
        &r,
        431,
        "RequestHeaderFieldsTooLargeException",
    );
    assert!(
        message.contains(&format!("at most {MAX_HEADER_FIELDS} header fields")),
        "{message}"
    );
    assert!(fx.usernames().await.is_empty(), "nothing was created");
    assert_serving(&fx, "after-flood", "200 header fields").await;
}

#[tokio::test]
async fn header_fields_are_counted_to_the_limit() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    let target = format!("/instance/{}", fx.instance);
    // The five fields `request` always sends, and fillers up to the limit.
    let at_limit = request(
        &addr,
        "GET",
        &target,
        &fillers(MAX_HEADER_FIELDS - 5, "x"),
        "",
    );
    let mut conn = RawConnection::connect(&addr).await;
    let r = conn.exchange(&at_limit).await.expect("an answer");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["Instance"]["Id"], fx.instance.as_str());

    let over = request(
        &addr,
        "GET",
        &target,
        &fillers(MAX_HEADER_FIELDS - 4, "x"),
        "",
    );
    let r = refused(&addr, &over).await;
    assert_refusal(
        "one header field over",
        &r,
        431,
        "RequestHeaderFieldsTooLargeException",
    );
}

#[tokio::test]
async fn an_oversized_head_gets_431_and_writes_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    let path = format!("/users/{}", fx.instance);

    let big = |kib: usize| vec![format!("X-Big: {}", "a".repeat(kib * 1024))];
    let mut request_ids = HashSet::new();
    // 70 KiB is within hyper's own default (about 400 KiB): refusing it shows the
    // limit is roster's.
    for kib in [100, 70] {
        let case = format!("one header field of {kib} KiB");
        let r = refused(
            &addr,
            &request(
                &addr,
                "PUT",
                &path,
                &big(kib),
                &create_user_body(&fx, "oversized"),
            ),
        )
        .await;
        let message = assert_refusal(&case, &r, 431, "RequestHeaderFieldsTooLargeException");
        assert!(
            message.contains(&format!("at most {MAX_HEAD_BYTES} bytes")),
            "{message}"
        );
        assert!(request_ids.insert(r.header("x-amzn-requestid").map(str::to_string)));
    }

    // A request target longer than the limit is refused the same way.
    let long_target = format!("/instance/{}?x={}", fx.instance, "a".repeat(70 * 1024));
    let r = refused(&addr, &request(&addr, "GET", &long_target, &[], "")).await;
    assert_refusal(
        "a 70 KiB request target",
        &r,
        431,
        "RequestHeaderFieldsTooLargeException",
    );
    assert!(fx.usernames().await.is_empty(), "nothing was created");

    // Just under the limit is served.
    let mut conn = RawConnection::connect(&addr).await;
    let r = conn
        .exchange(&request(
            &addr,
            "PUT",
            &path,
            &big(60),
            &create_user_body(&fx, "roomy"),
        ))
        .await
        .expect("an answer");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_serving(&fx, "after-oversized", "heads over 64 KiB").await;
}

#[tokio::test]
async fn a_malformed_head_gets_400_and_writes_nothing() {
    let mut fx = Fx::new("CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    let path = format!("/users/{}", fx.instance);
    let body = create_user_body(&fx, "malformed");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a space in the path",
            request(&addr, "PUT", &format!("{path}/a b"), &[], &body),
        ),
        (
            "a space in a header name",
            request(&addr, "PUT", &path, &["X Bad: 1".to_string()], &body),
        ),
        (
            "a control character in a header value",
            request(&addr, "PUT", &path, &["X-Bad: a\u{1}b".to_string()], &body),
        ),
        (
            "an unknown protocol version",
            format!("PUT {path} HTTP/7.1\r\nHost: {addr}\r\n\r\n").into_bytes(),
        ),
        (
            "bytes that are not HTTP (a TLS ClientHello)",
            vec![
                0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, b'\r', b'\n',
                b'\r', b'\n',
            ],
        ),
    ];
    let mut request_ids = HashSet::new();
    for (case, bytes) in cases {
        let r = refused(&addr, &bytes).await;
        assert_refusal(case, &r, 400, "SerializationException");
        assert!(
            request_ids.insert(r.header("x-amzn-requestid").map(str::to_string)),
            "{case}: a fresh request id"
        );
    }
    assert!(fx.usernames().await.is_empty(), "nothing was created");
    assert_serving(&fx, "after-malformed", "malformed heads").await;

    // Refused connections do not hold up a graceful stop.
    let started = Instant::now();
    let status = fx.server.terminate();
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn kept_alive_connections_get_the_same_answers() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let addr = fx.server.addr.clone();
    let describe = request(&addr, "GET", &format!("/instance/{}", fx.instance), &[], "");
    let malformed = format!(
        "GET /instance/{} x HTTP/1.1\r\nHost: {addr}\r\n\r\n",
        fx.instance
    );

    // Two requests answered on one connection, then a malformed one.
    let mut conn = RawConnection::connect(&addr).await;
    for n in 0..2 {
        let r = conn.exchange(&describe).await.expect("an answer");
        assert_eq!(
            r.status,
            200,
            "request {n}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.header("connection"), None, "request {n}: kept alive");
    }
    let r = conn
        .exchange(malformed.as_bytes())
        .await
        .expect("an answer");
    assert_refusal(
        "malformed after two requests",
        &r,
        400,
        "SerializationException",
    );
    assert!(conn.is_closed().await);

    // The same, pipelined in one write: the first answer is left as it is.
    let mut both = describe.clone();
    both.extend_from_slice(malformed.as_bytes());
    let mut conn = RawConnection::connect(&addr).await;
    let first = conn.exchange(&both).await.expect("the first answer");
    assert_eq!(
        first.status,
        200,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let second = conn.exchange(b"").await.expect("the second answer");
    assert_refusal(
        "malformed, pipelined",
        &second,
        400,
        "SerializationException",
    );
    assert!(conn.is_closed().await);

    // Too many fields after a request on the same connection.
    let mut conn = RawConnection::connect(&addr).await;
    let r = conn.exchange(&describe).await.expect("an answer");
    assert_eq!(r.status, 200);
    let flood = request(&addr, "GET", "/health", &fillers(200, "x"), "");
    let r = conn.exchange(&flood).await.expect("an answer");
    assert_refusal(
        "200 header fields after a request",
        &r,
        431,
        "RequestHeaderFieldsTooLargeException",
    );
    assert!(conn.is_closed().await);

    assert_serving(
        &fx,
        "after-keep-alive",
        "refusals on kept-alive connections",
    )
    .await;
}
