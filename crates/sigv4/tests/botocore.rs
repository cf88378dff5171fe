//! Requests signed by botocore (the AWS CLI / boto3 signer), verified by this crate.
//!
//! Runs `python3` with botocore: once through a real `connect` client (requests are captured
//! before they are sent) and once through `botocore.auth.SigV4Auth` directly. The test is
//! skipped, with a message, when python3 or botocore is not available.

mod common;

use std::process::Command;

use common::{at, split_target, OwnedRequest};
use roster_sigv4::{AuthErrorKind, Credential, Credentials, Mode, Verifier};

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ACCOUNT: &str = "444455556666";
/// 2024-03-01T10:20:30Z, the time botocore is made to sign at.
const T: u64 = 1_709_288_430;

const SCRIPT: &str = r#"
import sys, datetime
from unittest import mock
import botocore.session
import botocore.auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

AKID, SECRET = sys.argv[1], sys.argv[2]
FIXED = datetime.datetime(2024, 3, 1, 10, 20, 30)

def emit(label, method, url, headers, body):
    print("REQUEST " + label)
    print("METHOD " + method)
    print("URL " + url)
    for k, v in headers.items():
        if isinstance(v, bytes):
            v = v.decode("utf-8")
        print("H " + k + "\t" + v)
    if body is None:
        body = b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    print("BODY " + body.hex())
    print("END")

class Raw:
    def stream(self, **kwargs):
        yield b"{}"

captured = []
def before_send(request, **kwargs):
    captured.append(request)
    return AWSResponse(request.url, 200, {}, Raw())

with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
    session = botocore.session.get_session()
    for token in (None, "FwoGZXIvYXdzEBYaDH//////////+sessiontoken=="):
        client = session.create_client(
            "connect", region_name="us-west-2",
            aws_access_key_id=AKID, aws_secret_access_key=SECRET, aws_session_token=token,
            endpoint_url="http://127.0.0.1:8080")
        client.meta.events.register("before-send.connect", before_send)
        suffix = "" if token is None else " with session token"
        client.list_tags_for_resource(
            resourceArn="arn:aws:connect:us-east-1:123456789012:instance/abc")
        client.list_users(InstanceId="inst-1", MaxResults=10, NextToken="a+b= c/d~é")
        client.create_user(
            InstanceId="inst-1", Username="jane",
            PhoneConfig={"PhoneType": "SOFT_PHONE"}, SecurityProfileIds=["a"],
            RoutingProfileId="r")
        client.describe_user(InstanceId="inst 1", UserId="u/1")
        for r in captured:
            emit("client " + r.url + suffix, r.method, r.url, r.headers, r.body)
        captured.clear()

    creds = Credentials(AKID, SECRET)
    for method, url, body in [
        ("GET", "https://connect.us-west-2.amazonaws.com/users-summary/inst-1?nextToken=a+b&maxResults=10", None),
        ("GET", "https://connect.us-west-2.amazonaws.com/users/./inst-1/../inst-2//u", None),
        ("POST", "https://connect.us-west-2.amazonaws.com/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2Fabc", b'{"tags":{"k":"v"}}'),
        ("GET", "https://connect.us-west-2.amazonaws.com/users-summary/inst-1?b=2&a=1&a=0&empty=", None),
    ]:
        headers = {"Content-Type": "application/json"} if body else {}
        request = AWSRequest(method=method, url=url, headers=headers, data=body)
        botocore.auth.SigV4Auth(creds, "connect", "us-west-2").add_auth(request)
        emit("auth " + url, method, url, request.headers, body)
"#;

/// What botocore produced for one request.
struct Signed {
    label: String,
    request: OwnedRequest,
}

fn host_from_url(url: &str) -> (String, &str) {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = match authority.rsplit_once(':') {
        Some((h, "443")) if scheme == "https" => h.to_string(),
        Some((h, "80")) if scheme == "http" => h.to_string(),
        _ => authority.to_string(),
    };
    (host, &rest[end..])
}

fn parse_output(out: &str) -> Vec<Signed> {
    let mut result = Vec::new();
    let mut label = String::new();
    let mut method = String::new();
    let mut url = String::new();
    let mut headers = Vec::new();
    let mut body = Vec::new();
    for line in out.lines() {
        if let Some(v) = line.strip_prefix("REQUEST ") {
            label = v.to_string();
            headers = Vec::new();
        } else if let Some(v) = line.strip_prefix("METHOD ") {
            method = v.to_string();
        } else if let Some(v) = line.strip_prefix("URL ") {
            url = v.to_string();
        } else if let Some(v) = line.strip_prefix("H ") {
            let (n, v) = v.split_once('\t').expect("tab");
            headers.push((n.to_string(), v.to_string()));
        } else if let Some(v) = line.strip_prefix("BODY ") {
            body = hex::decode(v).expect("hex body");
        } else if line == "END" {
            let (host, target) = host_from_url(&url);
            let (path, query) = split_target(target);
            let mut all_headers = vec![("Host".to_string(), host)];
            all_headers.append(&mut headers);
            result.push(Signed {
                label: label.clone(),
                request: OwnedRequest {
                    method: method.clone(),
                    path,
                    query,
                    headers: all_headers,
                    body: std::mem::take(&mut body),
                },
            });
        }
    }
    result
}

fn botocore_available() -> bool {
    Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn botocore_signatures_verify() {
    if !botocore_available() {
        eprintln!("==================================================");
        eprintln!("SKIPPED: botocore not available (python3 -c 'import botocore' failed)");
        eprintln!("==================================================");
        println!("SKIPPED: botocore not available");
        return;
    }
    let output = Command::new("python3")
        .args(["-c", SCRIPT, AKID, SECRET])
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "botocore script failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let signed = parse_output(&stdout);
    assert_eq!(signed.len(), 12, "{stdout}");

    let strict = Verifier::new(Mode::Strict(
        Credentials::new(vec![Credential {
            access_key_id: AKID.into(),
            secret_access_key: SECRET.into(),
            account_id: ACCOUNT.into(),
        }])
        .unwrap(),
    ));
    let permissive = Verifier::new(Mode::Permissive);

    for Signed { label, request } in &signed {
        let identity = strict
            .verify(&request.parts(), at(T))
            .unwrap_or_else(|e| panic!("{label}: {e}\n{request:#?}"));
        assert_eq!(identity.account_id, ACCOUNT, "{label}");
        assert_eq!(identity.region, "us-west-2", "{label}");
        let identity = permissive.verify(&request.parts(), at(T)).unwrap();
        assert_eq!(identity.account_id, "123456789012", "{label}");

        // Changing the body or the path breaks the signature.
        let mut tampered = request.clone();
        tampered.body.extend_from_slice(b" ");
        let err = strict.verify(&tampered.parts(), at(T)).unwrap_err();
        assert_eq!(err.kind, AuthErrorKind::InvalidSignature, "{label}");
        let mut tampered = request.clone();
        tampered.path.push('x');
        let err = strict.verify(&tampered.parts(), at(T)).unwrap_err();
        assert_eq!(err.kind, AuthErrorKind::InvalidSignature, "{label}");
    }

    // The ARN label is percent-encoded once on the wire.
    assert!(signed.iter().any(|s| s.request.path
        == "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2Fabc"));
    // The session token is sent and signed.
    assert!(signed
        .iter()
        .any(|s| s.label.ends_with("with session token")
            && s.request
                .header("authorization")
                .unwrap()
                .contains("x-amz-security-token")));
}
