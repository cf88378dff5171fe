//! SigV4 authentication in strict and permissive mode, and the isolation of accounts
//! and regions.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_smithy_async::time::StaticTimeSource;
use roster_tests::aws_sdk_connect::config::interceptors::{
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef,
};
use roster_tests::aws_sdk_connect::config::retry::RetryConfig;
use roster_tests::aws_sdk_connect::config::{ConfigBag, Intercept, RuntimeComponents};
use roster_tests::aws_sdk_connect::types::UserIdentityInfo;
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A strict server accepting only AKIAEXAMPLE1 / secret1 (account 111111111111). The
/// temp dir holds the credentials file.
fn strict_server() -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("credentials.toml");
    std::fs::write(
        &path,
        concat!(
            "[[credentials]]\n",
            "access_key_id = \"AKIAEXAMPLE1\"\n",
            "secret_access_key = \"secret1\"\n",
            "account_id = \"111111111111\"\n",
        ),
    )
    .expect("write credentials file");
    let server = Server::start_with(ServerOptions {
        args: vec![
            "--auth".into(),
            "strict".into(),
            "--credentials".into(),
            path.display().to_string(),
        ],
        data_dir: None,
    });
    (server, dir)
}

/// `client` with retries off and its clock (the time it signs with) set to `at`.
fn signing_at(client: &Client, at: SystemTime) -> Client {
    let conf = client
        .config()
        .to_builder()
        .retry_config(RetryConfig::disabled())
        .time_source(StaticTimeSource::new(at))
        .build();
    Client::from_conf(conf)
}

/// Records the `X-Amz-Date` header of every request sent.
#[derive(Debug, Default, Clone)]
struct DateRecorder(Arc<Mutex<Vec<String>>>);

impl Intercept for DateRecorder {
    fn name(&self) -> &'static str {
        "DateRecorder"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let date = context
            .request()
            .headers()
            .get("x-amz-date")
            .unwrap_or("")
            .to_string();
        self.0.lock().unwrap().push(date);
        Ok(())
    }
}

/// Changes a signed request before it is sent: replaces `from` by `to` in the body
/// (same length) or in the URI.
#[derive(Debug, Clone)]
struct Tamper {
    in_body: bool,
    from: &'static str,
    to: &'static str,
}

impl Intercept for Tamper {
    fn name(&self) -> &'static str {
        "Tamper"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        assert_eq!(self.from.len(), self.to.len());
        let request = context.request_mut();
        if self.in_body {
            let body = request.body().bytes().ok_or("body not in memory")?;
            let text = String::from_utf8(body.to_vec())?;
            assert!(
                text.contains(self.from),
                "{} not in the body {text}",
                self.from
            );
            *request.body_mut() = text.replacen(self.from, self.to, 1).into_bytes().into();
        } else {
            let uri = request.uri().to_string();
            assert!(
                uri.contains(self.from),
                "{} not in the URI {uri}",
                self.from
            );
            request
                .set_uri(uri.replacen(self.from, self.to, 1))
                .map_err(|_| "bad uri")?;
        }
        Ok(())
    }
}

fn with_interceptor(client: &Client, interceptor: impl Intercept + 'static) -> Client {
    let conf = client
        .config()
        .to_builder()
        .retry_config(RetryConfig::disabled())
        .interceptor(interceptor)
        .build();
    Client::from_conf(conf)
}

#[tokio::test]
async fn strict_mode_checks_keys_and_secrets() {
    let (server, _creds) = strict_server();
    let good = server.client_as("AKIAEXAMPLE1", "secret1", "us-east-1");
    let out = good
        .create_instance()
        .identity_management_type("CONNECT_MANAGED".into())
        .instance_alias("strict-one")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect("the configured key works");
    let id = out.id().expect("id").to_string();
    assert_eq!(
        out.arn(),
        Some(format!("arn:aws:connect:us-east-1:111111111111:instance/{id}").as_str()),
        "the account is the one the credentials file gives"
    );
    good.describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect("describe with the right key");
    good.list_security_profiles()
        .instance_id(&id)
        .send()
        .await
        .expect("GET with query-less path");
    good.list_instances()
        .max_results(3)
        .send()
        .await
        .expect("GET with a query string");

    let wrong_secret = server.client_as("AKIAEXAMPLE1", "not-the-secret", "us-east-1");
    let err = wrong_secret
        .describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect_err("wrong secret");
    assert_eq!(
        error_of(&err),
        ("InvalidSignatureException".to_string(), 403)
    );
    let err = wrong_secret
        .create_instance()
        .identity_management_type("CONNECT_MANAGED".into())
        .instance_alias("strict-two")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect_err("wrong secret on a write");
    assert_eq!(
        error_of(&err),
        ("InvalidSignatureException".to_string(), 403)
    );

    let unknown = server.client_as("AKIAUNKNOWN9", "secret1", "us-east-1");
    let err = unknown
        .describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect_err("unknown key");
    assert_eq!(
        error_of(&err),
        ("UnrecognizedClientException".to_string(), 403)
    );

    // In strict mode a 12-digit key is just an unknown key.
    let digits = server.client_as("111111111111", "secret1", "us-east-1");
    let err = digits
        .describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect_err("unknown 12-digit key");
    assert_eq!(
        error_of(&err),
        ("UnrecognizedClientException".to_string(), 403)
    );

    // The refused write created nothing.
    let listed = good.list_instances().send().await.expect("list");
    assert_eq!(listed.instance_summary_list().len(), 1);
}

#[tokio::test]
async fn strict_mode_checks_the_signing_time() {
    let (server, _creds) = strict_server();
    let good = server.client_as("AKIAEXAMPLE1", "secret1", "us-east-1");
    let now = SystemTime::now();

    for (label, at) in [
        ("20 minutes old", now - Duration::from_secs(20 * 60)),
        ("20 minutes ahead", now + Duration::from_secs(20 * 60)),
    ] {
        let recorder = DateRecorder::default();
        let client = with_interceptor(&signing_at(&good, at), recorder.clone());
        let err = client.list_instances().send().await.expect_err(label);
        assert_eq!(
            error_of(&err),
            ("InvalidSignatureException".to_string(), 403),
            "X-Amz-Date {label}"
        );
        let sent = recorder.0.lock().unwrap().clone();
        let expected = amz_date(at);
        assert_eq!(
            sent,
            vec![expected],
            "the request carried the skewed X-Amz-Date ({label})"
        );
    }

    // Within the 15-minute window the request is accepted.
    let client = signing_at(&good, now - Duration::from_secs(10 * 60));
    client
        .list_instances()
        .send()
        .await
        .expect("X-Amz-Date 10 minutes old is accepted");
    let client = signing_at(&good, now + Duration::from_secs(10 * 60));
    client
        .list_instances()
        .send()
        .await
        .expect("X-Amz-Date 10 minutes ahead is accepted");
}

/// `t` in the SigV4 basic format, `YYYYMMDDTHHMMSSZ`.
fn amz_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[tokio::test]
async fn strict_mode_signature_covers_body_and_query() {
    let (server, _creds) = strict_server();
    let good = server.client_as("AKIAEXAMPLE1", "secret1", "us-east-1");
    let inst = good
        .create_instance()
        .identity_management_type("CONNECT_MANAGED".into())
        .instance_alias("strict-tamper")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect("create")
        .id
        .expect("id");

    let tampered_body = with_interceptor(
        &good,
        Tamper {
            in_body: true,
            from: "Tamper1",
            to: "Tamper2",
        },
    );
    let err = tampered_body
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Tamper1")
        .send()
        .await
        .expect_err("body changed after signing");
    assert_eq!(
        error_of(&err),
        ("InvalidSignatureException".to_string(), 403),
        "body hash is verified"
    );
    let listed = good
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .expect("list");
    assert!(
        listed
            .security_profile_summary_list()
            .iter()
            .all(|p| !p.name().unwrap_or("").starts_with("Tamper")),
        "a request with a bad signature changed nothing"
    );

    let tampered_query = with_interceptor(
        &good,
        Tamper {
            in_body: false,
            from: "maxResults=5",
            to: "maxResults=6",
        },
    );
    let err = tampered_query
        .list_security_profiles()
        .instance_id(&inst)
        .max_results(5)
        .send()
        .await
        .expect_err("query changed after signing");
    assert_eq!(
        error_of(&err),
        ("InvalidSignatureException".to_string(), 403),
        "query string is verified"
    );

    // The same request, untampered and through an interceptor-carrying client, passes.
    let recorder = DateRecorder::default();
    with_interceptor(&good, recorder.clone())
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Tamper1")
        .send()
        .await
        .expect("untampered request");
    assert_eq!(recorder.0.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn permissive_mode_accepts_any_secret() {
    let server = Server::start();
    let a = server.client_as("AKIDEXAMPLE", "one-secret", "us-east-1");
    let b = server.client_as("AKIDEXAMPLE", "another-secret", "us-east-1");
    let id = create_instance(&a, "CONNECT_MANAGED").await;
    let described = b
        .describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect("same key, other secret");
    assert_eq!(
        described.instance().and_then(|i| i.arn()),
        Some(format!("arn:aws:connect:us-east-1:123456789012:instance/{id}").as_str()),
        "a key that is not 12 digits is account 123456789012"
    );
    // Another non-numeric key is the same default account.
    let c = server.client_as("AKIAOTHERKEY", "x", "us-east-1");
    c.describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect("default account for any non-numeric key");

    let numeric = server.client_as("333333333333", "whatever", "eu-west-1");
    let out = numeric
        .create_instance()
        .identity_management_type("SAML".into())
        .instance_alias("numeric-account")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect("create");
    let nid = out.id().expect("id");
    assert_eq!(
        out.arn(),
        Some(format!("arn:aws:connect:eu-west-1:333333333333:instance/{nid}").as_str())
    );
}

fn expect_not_found<T: std::fmt::Debug, E>(
    what: &str,
    result: Result<
        T,
        roster_tests::aws_sdk_connect::error::SdkError<
            E,
            roster_tests::aws_sdk_connect::config::http::HttpResponse,
        >,
    >,
) where
    E: roster_tests::aws_sdk_connect::error::ProvideErrorMetadata + std::fmt::Debug,
{
    match result {
        Ok(v) => panic!("{what}: expected 404, got {v:?}"),
        Err(e) => assert_eq!(
            error_of(&e),
            ("ResourceNotFoundException".to_string(), 404),
            "{what}"
        ),
    }
}

#[tokio::test]
async fn accounts_and_regions_are_isolated() {
    let server = Server::start();
    let owner = server.client_as("111111111111", "secret", "us-east-1");
    let inst = create_instance(&owner, "CONNECT_MANAGED").await;
    let arn = format!("arn:aws:connect:us-east-1:111111111111:instance/{inst}");
    let described = owner
        .describe_instance()
        .instance_id(&arn)
        .send()
        .await
        .expect("owner by ARN");
    assert_eq!(
        described.instance().and_then(|i| i.id()),
        Some(inst.as_str())
    );
    owner
        .tag_resource()
        .resource_arn(&arn)
        .tags("k", "v")
        .send()
        .await
        .expect("tag");
    let sp = security_profile_id(&owner, &inst, "Agent").await;
    let sp_arn = format!("{arn}/security-profile/{sp}");
    let routing = basic_routing_profile(&owner, &inst).await;
    let user = owner
        .create_user()
        .instance_id(&inst)
        .username("isolated")
        .password("Secret123")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("I")
                .last_name("S")
                .build(),
        )
        .security_profile_ids(&sp)
        .routing_profile_id(&routing)
        .send()
        .await
        .expect("create user")
        .user_id
        .expect("user id");
    let user_arn = format!("{arn}/agent/{user}");

    let other_account = server.client_as("222222222222", "secret", "us-east-1");
    let other_region = server.client_as("111111111111", "secret", "us-west-2");
    for (who, c) in [
        ("account 222222222222", &other_account),
        ("us-west-2", &other_region),
    ] {
        for name in [&inst, &arn] {
            expect_not_found(
                &format!("{who}: DescribeInstance {name}"),
                c.describe_instance().instance_id(name).send().await,
            );
            expect_not_found(
                &format!("{who}: ListSecurityProfiles {name}"),
                c.list_security_profiles().instance_id(name).send().await,
            );
            expect_not_found(
                &format!("{who}: DescribeSecurityProfile in {name}"),
                c.describe_security_profile()
                    .instance_id(name)
                    .security_profile_id(&sp)
                    .send()
                    .await,
            );
            expect_not_found(
                &format!("{who}: DescribeUser in {name}"),
                c.describe_user()
                    .instance_id(name)
                    .user_id(&user)
                    .send()
                    .await,
            );
            expect_not_found(
                &format!("{who}: CreateUser in {name}"),
                c.create_user()
                    .instance_id(name)
                    .username("intruder")
                    .password("Secret123")
                    .identity_info(
                        UserIdentityInfo::builder()
                            .first_name("I")
                            .last_name("N")
                            .build(),
                    )
                    .security_profile_ids(&sp)
                    .routing_profile_id(&routing)
                    .send()
                    .await,
            );
            expect_not_found(
                &format!("{who}: DescribeInstanceAttribute {name}"),
                c.describe_instance_attribute()
                    .instance_id(name)
                    .attribute_type("CONTACT_LENS".into())
                    .send()
                    .await,
            );
        }
        for tagged in [&arn, &sp_arn, &user_arn] {
            expect_not_found(
                &format!("{who}: ListTagsForResource {tagged}"),
                c.list_tags_for_resource().resource_arn(tagged).send().await,
            );
            expect_not_found(
                &format!("{who}: TagResource {tagged}"),
                c.tag_resource()
                    .resource_arn(tagged)
                    .tags("x", "y")
                    .send()
                    .await,
            );
            expect_not_found(
                &format!("{who}: UntagResource {tagged}"),
                c.untag_resource()
                    .resource_arn(tagged)
                    .tag_keys("k")
                    .send()
                    .await,
            );
        }
        expect_not_found(
            &format!("{who}: DeleteInstance"),
            c.delete_instance().instance_id(&inst).send().await,
        );
        expect_not_found(
            &format!("{who}: DeleteInstance by ARN"),
            c.delete_instance().instance_id(&arn).send().await,
        );
        let listed = c.list_instances().send().await.expect("list");
        assert!(
            listed.instance_summary_list().is_empty(),
            "{who} lists no instances: {:?}",
            listed.instance_summary_list()
        );
    }

    // Nothing the others tried changed the owner's data.
    let described = owner
        .describe_instance()
        .instance_id(&inst)
        .send()
        .await
        .expect("still there");
    assert_eq!(
        described
            .instance()
            .and_then(|i| i.tags())
            .and_then(|t| t.get("k"))
            .map(String::as_str),
        Some("v")
    );
    let tags = owner
        .list_tags_for_resource()
        .resource_arn(&sp_arn)
        .send()
        .await
        .expect("owner tags");
    assert!(tags.tags().is_none_or(|t| t.is_empty()));
    let users = owner
        .list_users()
        .instance_id(&inst)
        .send()
        .await
        .expect("users");
    assert_eq!(users.user_summary_list().len(), 1);
}

/// roster's control endpoint is authenticated like an API call: in strict mode a
/// request without a valid signature is refused and changes no rule.
#[tokio::test]
async fn strict_mode_guards_the_control_endpoint() {
    let (server, _creds) = strict_server();
    let put = raw_json_request(
        &server.addr,
        "PUT",
        "/_roster/faults",
        Some(&serde_json::json!({"rules": [{"operation": "*", "rate": 1, "error": "InternalServiceException"}]})),
    )
    .await;
    assert_eq!(put.status, 403, "{}", String::from_utf8_lossy(&put.body));
    let good = server.client_as("AKIAEXAMPLE1", "secret1", "us-east-1");
    good.list_instances()
        .send()
        .await
        .expect("no fault rule was set");
}
