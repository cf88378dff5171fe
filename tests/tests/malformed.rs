//! Requests that are not well formed, sent as raw HTTP/1.1: each gets a 4xx error
//! with `x-amzn-ErrorType`, a JSON body and a request id, and the server keeps
//! serving. Ends with a deterministic stream of random requests.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use roster_tests::aws_sdk_connect::types::UserIdentityInfo;
use roster_tests::*;

/// A syntactically valid SigV4 `Authorization` header; permissive mode accepts it.
const AUTH: &str =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/aws4_request, \
                    SignedHeaders=host;x-amz-date, \
                    Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const AMZ_DATE: &str = "20260101T000000Z";

#[derive(Debug)]
struct Reply {
    status: u16,
    /// Header names in lowercase.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` on a new connection and reads the whole response (the request
/// should say `Connection: close`). The request is written from another thread so
/// that a server answering before it has read everything does not block the test.
fn send_bytes(addr: &str, request: Vec<u8>) -> Result<Reply, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .expect("write timeout");
    let mut writer = stream.try_clone().expect("clone stream");
    let sender = std::thread::spawn(move || {
        // The server may answer and close before reading a large body: a failed
        // write is not the test's concern, a missing response is.
        let _ = writer.write_all(&request);
        let _ = writer.flush();
    });
    let mut raw = Vec::new();
    let read = stream.read_to_end(&mut raw);
    let _ = sender.join();
    if let Err(e) = read {
        if raw.is_empty() {
            return Err(format!("reading the response: {e}"));
        }
    }
    parse(&raw)
}

fn parse(raw: &[u8]) -> Result<Reply, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| {
            format!(
                "no complete response head in {:?}",
                String::from_utf8_lossy(raw)
            )
        })?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        body = dechunk(&body)?;
    } else if let Some(len) = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        if body.len() < len {
            return Err(format!(
                "response body cut short: {} of {len} bytes",
                body.len()
            ));
        }
        body.truncate(len);
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("chunk size line missing")?;
        let text = String::from_utf8_lossy(&data[..eol]).into_owned();
        let size = usize::from_str_radix(text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {text:?}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("chunk cut short".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
}

/// Builds a request. `auth: None` leaves `Authorization` out; `X-Amz-Date` is always sent.
fn request(addr: &str, method: &str, target: &[u8], auth: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 512);
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(target);
    out.extend_from_slice(b" HTTP/1.1\r\n");
    out.extend_from_slice(
        format!("Host: {addr}\r\nConnection: close\r\nX-Amz-Date: {AMZ_DATE}\r\n").as_bytes(),
    );
    if let Some(a) = auth {
        out.extend_from_slice(format!("Authorization: {a}\r\n").as_bytes());
    }
    if !body.is_empty() || method != "GET" {
        out.extend_from_slice(
            format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// A user of the instance can still be listed with the SDK, over a fresh connection.
async fn assert_alive(server: &Server, instance: &str, after: &str) {
    let client = server.client();
    let out = client
        .list_users()
        .instance_id(instance)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the server stopped answering after {after}: {e:?}"));
    assert_eq!(out.user_summary_list().len(), 1, "after {after}");
}

/// The checks every error response here passes: a 4xx, a request id, an error type,
/// JSON with a `Message`.
fn assert_error_shape(case: &str, r: &Reply) {
    assert!(
        (400..500).contains(&r.status),
        "{case}: status {} ({})",
        r.status,
        r.text()
    );
    let rid = r
        .header("x-amzn-requestid")
        .unwrap_or_else(|| panic!("{case}: no x-amzn-RequestId in {:?}", r.headers));
    assert!(
        uuid::Uuid::parse_str(rid).is_ok(),
        "{case}: request id {rid} is not a UUID"
    );
    assert!(
        r.header("x-amzn-errortype").is_some(),
        "{case}: no x-amzn-ErrorType in {:?}",
        r.headers
    );
    assert_eq!(
        r.header("content-type"),
        Some("application/json"),
        "{case}: content type"
    );
    let body = r.json();
    let message = body
        .get("Message")
        .and_then(|m| m.as_str())
        .unwrap_or_else(|| panic!("{case}: no Message in {body}"));
    assert!(!message.is_empty(), "{case}: empty Message");
}

/// A malformed request and what it must get.
struct Case {
    name: &'static str,
    method: &'static str,
    target: String,
    auth: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    /// The `x-amzn-ErrorType`, or `None` when any is fine.
    error_type: Option<&'static str>,
    /// Text the message must contain.
    mentions: Option<&'static str>,
}

impl Case {
    /// A signed request expected to fail with `status` and `error_type`.
    fn new(
        name: &'static str,
        method: &'static str,
        target: impl Into<String>,
        body: &[u8],
    ) -> Case {
        Case {
            name,
            method,
            target: target.into(),
            auth: Some(AUTH),
            body: body.to_vec(),
            status: 400,
            error_type: Some("SerializationException"),
            mentions: None,
        }
    }

    fn fails(mut self, status: u16, error_type: Option<&'static str>) -> Case {
        self.status = status;
        self.error_type = error_type;
        self
    }

    fn auth(mut self, auth: Option<&'static str>) -> Case {
        self.auth = auth;
        self
    }

    fn mentions(mut self, text: &'static str) -> Case {
        self.mentions = Some(text);
        self
    }
}

struct Setup {
    server: Server,
    instance: String,
    user: String,
}

async fn setup() -> Setup {
    let server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "CONNECT_MANAGED").await;
    let sp = security_profile_id(&client, &instance, "Agent").await;
    let rp = basic_routing_profile(&client, &instance).await;
    let user = client
        .create_user()
        .instance_id(&instance)
        .username("steady")
        .password("Secret123")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("S")
                .last_name("T")
                .build(),
        )
        .security_profile_ids(sp)
        .routing_profile_id(rp)
        .send()
        .await
        .expect("create user")
        .user_id
        .expect("user id");
    Setup {
        server,
        instance,
        user,
    }
}

#[tokio::test]
async fn malformed_requests_get_clean_errors() {
    let Setup {
        server,
        instance,
        user,
    } = setup().await;
    let addr = server.addr.clone();
    let users = format!("/users/{instance}");
    let big = {
        let mut b = b"{\"Username\":\"".to_vec();
        b.resize(1024 * 1024 + 1, b'a');
        b
    };
    let mut huge = big.clone();
    huge.resize(8 * 1024 * 1024, b'a');

    let user_path = |rest: &str| format!("/users/{instance}/{user}/{rest}");
    let cases = vec![
        Case::new("bad JSON", "PUT", &users, b"{\"Username\": "),
        Case::new("JSON array body", "PUT", &users, b"[1, 2, 3]"),
        Case::new("JSON string body", "PUT", &users, b"\"user\""),
        Case::new("body not UTF-8", "PUT", &users, &[b'{', 0xff, 0xfe, b'}']),
        Case::new(
            "number for a string member",
            "PUT",
            &users,
            br#"{"Username": 5}"#,
        )
        .mentions("Username"),
        Case::new(
            "string for a structure member",
            "PUT",
            &users,
            br#"{"Username": "bob", "IdentityInfo": "Bob"}"#,
        )
        .mentions("IdentityInfo"),
        Case::new(
            "string for a list member",
            "POST",
            user_path("security-profiles"),
            br#"{"SecurityProfileIds": "abc"}"#,
        )
        .mentions("SecurityProfileIds"),
        Case::new(
            "string for a boolean member",
            "POST",
            user_path("phone-config"),
            br#"{"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": "yes"}}"#,
        )
        .mentions("AutoAccept"),
        Case::new(
            "maxResults not a number",
            "GET",
            format!("/users-summary/{instance}?maxResults=abc"),
            b"",
        )
        .mentions("maxResults"),
        Case::new("query not UTF-8", "GET", "/instance?nextToken=%FF%FE", b""),
        Case::new("path not UTF-8", "GET", "/users/%FF%FE/x", b""),
        Case::new("unknown path", "GET", "/no/such/operation", b"")
            .fails(404, Some("UnknownOperationException")),
        Case::new("unknown method", "PATCH", &users, b"{}")
            .fails(404, Some("UnknownOperationException")),
        Case::new("body of 1 MiB + 1 byte", "PUT", &users, &big).fails(413, None),
        // The server stops reading long before the end of this one.
        Case::new("body of 8 MiB", "PUT", &users, &huge).fails(413, None),
        Case::new(
            "no Authorization",
            "GET",
            format!("/instance/{instance}"),
            b"",
        )
        .auth(None)
        .fails(403, Some("MissingAuthenticationTokenException")),
        Case::new(
            "garbage Authorization",
            "GET",
            format!("/instance/{instance}"),
            b"",
        )
        .auth(Some("Bearer not-a-signature"))
        .fails(403, Some("IncompleteSignatureException")),
        Case::new(
            "SigV4 Authorization without Signature",
            "GET",
            format!("/instance/{instance}"),
            b"",
        )
        .auth(Some(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/aws4_request, \
             SignedHeaders=host",
        ))
        .fails(403, Some("IncompleteSignatureException")),
        Case::new(
            "operation roster does not serve",
            "GET",
            format!("/contact-flows-summary/{instance}"),
            b"",
        )
        .fails(400, None)
        .mentions("not implemented"),
    ];

    for c in cases {
        let case = c.name;
        let r = send_bytes(
            &addr,
            request(&addr, c.method, c.target.as_bytes(), c.auth, &c.body),
        )
        .unwrap_or_else(|e| panic!("{case}: no response: {e}"));
        assert_eq!(r.status, c.status, "{case}: {}", r.text());
        assert_error_shape(case, &r);
        if let Some(error_type) = c.error_type {
            assert_eq!(
                r.header("x-amzn-errortype"),
                Some(error_type),
                "{case}: {}",
                r.text()
            );
        }
        if let Some(text) = c.mentions {
            let message = r.json()["Message"].as_str().unwrap_or("").to_string();
            assert!(
                message.contains(text),
                "{case}: message {message:?} should mention {text:?}"
            );
        }
        assert_alive(&server, &instance, case).await;
    }

    // A well-formed request through the same raw path works: the helper is not the cause.
    let r = send_bytes(
        &addr,
        request(
            &addr,
            "GET",
            format!("/users/{instance}/{user}").as_bytes(),
            Some(AUTH),
            b"",
        ),
    )
    .expect("response");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["User"]["Username"], "steady");
    assert!(r.header("x-amzn-requestid").is_some());
}

#[tokio::test]
async fn health() {
    let server = Server::start();
    let addr = server.addr.clone();
    for auth in [None, Some(AUTH)] {
        let r = send_bytes(&addr, request(&addr, "GET", b"/health", auth, b""))
            .expect("health response");
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        assert!(body.is_object(), "{body}");
        assert_eq!(body["status"], "ok", "{body}");
    }
}

/// xorshift64*: deterministic, good enough to scatter bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The characters RFC 3986 allows in a path segment besides percent escapes.
const PATH_CHARS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@";

/// Characters a request target may not hold. The HTTP layer refuses most of them (a
/// space ends the target) before any operation sees the request, with an error
/// shaped like the others.
const NOT_PATH_CHARS: &[u8] = b" \"<>\\^`{|}\x7f";

/// A random request target: path characters and percent escapes of any byte,
/// optionally with a query string.
fn random_target(rng: &mut Rng, prefixes: &[String]) -> Vec<u8> {
    let mut t = rng.pick(prefixes).clone().into_bytes();
    for _ in 0..rng.below(40) {
        match rng.below(4) {
            // Mostly escapes of ASCII, which decode; sometimes of any byte, which
            // may not be UTF-8.
            0 => {
                let byte = if rng.below(8) == 0 {
                    rng.next() as u8
                } else {
                    0x20 + rng.below(0x5f) as u8
                };
                t.extend_from_slice(format!("%{byte:02X}").as_bytes());
            }
            1 => t.push(b'/'),
            2 if rng.below(30) == 0 => t.push(*rng.pick(NOT_PATH_CHARS)),
            _ => t.push(*rng.pick(PATH_CHARS)),
        }
    }
    if rng.below(3) == 0 {
        t.extend_from_slice(b"?maxResults=");
        let n = rng.next() as i64;
        t.extend_from_slice(n.to_string().as_bytes());
        t.extend_from_slice(b"&nextToken=");
        t.extend_from_slice(format!("%{:02X}", rng.next() as u8).as_bytes());
    }
    t
}

/// A valid CreateUser body with random damage: bytes changed, cut short, or values
/// replaced.
fn mangled_json(rng: &mut Rng) -> Vec<u8> {
    let mut b = concat!(
        r#"{"Username":"fuzz","Password":"Secret123","#,
        r#""IdentityInfo":{"FirstName":"F","LastName":"Z"},"#,
        r#""PhoneConfig":{"PhoneType":"SOFT_PHONE","AutoAccept":false,"#,
        r#""AfterContactWorkTimeLimit":0},"#,
        r#""SecurityProfileIds":["x"],"RoutingProfileId":"y","Tags":{"a":"b"},"#,
        r#""AutoAcceptConfigs":[{"Channel":"CHAT","AutoAccept":true}]}"#
    )
    .as_bytes()
    .to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(6) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
        }
        1 => {
            let n = rng.below(b.len());
            b.truncate(n);
        }
        2 => {
            // Well-typed but random string values: reaches validation.
            let text = String::from_utf8(b).expect("utf-8");
            let mut out = String::new();
            for (i, piece) in text.split('"').enumerate() {
                if i > 0 {
                    out.push('"');
                }
                if i % 2 == 1
                    && i > 1
                    && text
                        .split('"')
                        .nth(i - 1)
                        .is_some_and(|p| p.ends_with(':') || p.ends_with('['))
                    && rng.below(3) == 0
                {
                    out.push_str(&random_string(rng));
                } else {
                    out.push_str(piece);
                }
            }
            b = out.into_bytes();
        }
        _ => {
            let junk = [
                "null",
                "true",
                "-1",
                "1e999",
                "[]",
                "{}",
                "\"\"",
                "[[[[[[[[[[]]]]]]]]]]",
                "\"\\ud800\"",
                "18446744073709551616",
            ];
            let text = String::from_utf8(b).expect("utf-8");
            let mut out = String::new();
            for (i, piece) in text.split(':').enumerate() {
                if i > 0 {
                    out.push(':');
                    if rng.below(4) == 0 {
                        let j: &&str = rng.pick(&junk);
                        out.push_str(j);
                        out.push_str(&piece[piece.find([',', '}', ']']).unwrap_or(piece.len())..]);
                        continue;
                    }
                }
                out.push_str(piece);
            }
            b = out.into_bytes();
        }
    }
    b
}

/// A random string, JSON-escaped: ASCII, accents, CJK, emoji, escapes; sometimes long.
fn random_string(rng: &mut Rng) -> String {
    let alphabet = [
        'a', 'Z', '0', '9', '-', '_', '.', '@', ' ', 'é', 'ß', '中', '😀', '\u{301}', '\u{0}', '/',
        '+',
    ];
    let len = if rng.below(10) == 0 {
        300 + rng.below(300)
    } else {
        rng.below(30)
    };
    let s: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
    let quoted = serde_json::to_string(&s).expect("json string");
    quoted[1..quoted.len() - 1].to_string()
}

#[tokio::test]
async fn random_requests_never_break_the_server() {
    let Setup {
        server,
        instance,
        user,
    } = setup().await;
    let addr = server.addr.clone();
    // A client whose pooled connection stays open while the noise goes on.
    let steady = server.client();
    steady
        .describe_user()
        .instance_id(&instance)
        .user_id(&user)
        .send()
        .await
        .expect("before");

    let routes: Vec<(&str, String)> = vec![
        ("PUT", format!("/users/{instance}")),
        ("POST", format!("/users/{instance}/{user}/config")),
        ("POST", format!("/users/{instance}/{user}/phone-config")),
        ("POST", format!("/users/{instance}/{user}/identity-info")),
        (
            "POST",
            format!("/users/{instance}/{user}/security-profiles"),
        ),
        ("POST", "/search-users".to_string()),
        ("PUT", "/instance".to_string()),
        (
            "POST",
            format!("/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2F{instance}"),
        ),
        ("PUT", format!("/security-profiles/{instance}")),
        ("PUT", format!("/user-hierarchy-groups/{instance}")),
    ];
    let prefixes: Vec<String> = vec![
        "/".into(),
        format!("/users/{instance}/"),
        format!("/users-summary/{instance}"),
        "/instance/".into(),
        "/tags/".into(),
        format!("/security-profiles-summary/{instance}"),
        format!("/user-hierarchy-groups/{instance}/"),
    ];
    let methods = ["GET", "POST", "PUT", "DELETE"];

    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut statuses = std::collections::BTreeMap::new();
    let mut request_ids = std::collections::HashSet::new();
    for n in 0..200 {
        let (method, target, body) = match rng.below(4) {
            0 => {
                let (m, p) = rng.pick(&routes);
                let len = rng.below(2000);
                (m.to_string(), p.clone().into_bytes(), rng.bytes(len))
            }
            1 => {
                let (m, p) = rng.pick(&routes);
                (
                    m.to_string(),
                    p.clone().into_bytes(),
                    mangled_json(&mut rng),
                )
            }
            2 => (
                rng.pick(&methods).to_string(),
                random_target(&mut rng, &prefixes),
                Vec::new(),
            ),
            _ => {
                let len = rng.below(300);
                (
                    rng.pick(&methods).to_string(),
                    random_target(&mut rng, &prefixes),
                    rng.bytes(len),
                )
            }
        };
        let case = format!(
            "random request {n}: {method} {} with {} body bytes",
            String::from_utf8_lossy(&target),
            body.len()
        );
        let r = send_bytes(&addr, request(&addr, &method, &target, Some(AUTH), &body))
            .unwrap_or_else(|e| panic!("{case}: no response (connection dropped?): {e}"));
        assert!(r.status < 500, "{case}: status {} {}", r.status, r.text());
        let rid = r
            .header("x-amzn-requestid")
            .unwrap_or_else(|| panic!("{case}: no request id ({} {})", r.status, r.text()));
        assert!(
            request_ids.insert(rid.to_string()),
            "{case}: request id {rid} seen before"
        );
        if r.status >= 400 {
            assert_error_shape(&case, &r);
        }
        *statuses.entry(r.status).or_insert(0) += 1;
    }
    // The noise reached more than one kind of answer (routing, decoding, validation).
    assert!(statuses.len() >= 3, "statuses seen: {statuses:?}");

    steady
        .describe_user()
        .instance_id(&instance)
        .user_id(&user)
        .send()
        .await
        .expect("the long-lived client still works after the noise");
    assert_alive(&server, &instance, "the random requests").await;
    let r = send_bytes(&addr, request(&addr, "GET", b"/health", None, b"")).expect("health");
    assert_eq!(r.status, 200);
}
