//! A JSON value of the wrong type, at any depth, is 400 `SerializationException` and
//! writes nothing: a list where a structure belongs, a structure where a list belongs, a
//! string where a number or boolean belongs, at the top level and inside nested search
//! criteria and per-channel lists. Sent as raw JSON through the real binary, since the
//! SDK cannot build such requests.

use roster_tests::aws_sdk_connect::types::{PhoneType, UserIdentityInfo, UserPhoneConfig};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;
use serde_json::{json, Value};

struct Fixture {
    server: Server,
    client: Client,
    instance: String,
    user: String,
}

async fn fixture() -> Fixture {
    let server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "CONNECT_MANAGED").await;
    let agent = security_profile_id(&client, &instance, "Agent").await;
    let routing = basic_routing_profile(&client, &instance).await;
    let user = client
        .create_user()
        .instance_id(&instance)
        .username("typed")
        .password("Secret123")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Ada")
                .last_name("Byron")
                .build(),
        )
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .auto_accept(false)
                .after_contact_work_time_limit(30)
                .build(),
        )
        .security_profile_ids(agent)
        .routing_profile_id(routing)
        .send()
        .await
        .expect("create user")
        .user_id
        .expect("user id");
    Fixture {
        server,
        client,
        instance,
        user,
    }
}

impl Fixture {
    async fn describe(&self) -> String {
        let u = self
            .client
            .describe_user()
            .instance_id(&self.instance)
            .user_id(&self.user)
            .send()
            .await
            .expect("describe user")
            .user
            .expect("user");
        // Everything but the modification stamp, which no rejected request may change
        // either.
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            u.identity_info,
            u.phone_config,
            u.security_profile_ids,
            u.routing_profile_id,
            u.hierarchy_group_id,
            u.auto_accept_configs,
            u.after_contact_work_configs,
            u.phone_number_configs,
            u.last_modified_time,
        )
    }

    /// Sends `body` and requires 400 `SerializationException` whose message starts with
    /// `path` (the member where the wrong type sits).
    async fn refused(&self, method: &str, path: &str, body: Value, member: &str) {
        let addr = self
            .server
            .endpoint()
            .trim_start_matches("http://")
            .to_string();
        let r = raw_json_request(&addr, method, path, Some(&body)).await;
        assert_eq!(r.status, 400, "{path} {body}: {}", r.json());
        assert_eq!(
            r.error_type(),
            Some("SerializationException"),
            "{path} {body}: {}",
            r.json()
        );
        let message = r.json()["Message"].as_str().unwrap_or_default().to_string();
        assert!(
            message.starts_with(member),
            "{body}: message {message:?} should start with {member:?}"
        );
        assert!(r.header("x-amzn-requestid").is_some());
    }
}

#[tokio::test]
async fn wrong_json_types_are_refused_at_any_depth_and_change_nothing() {
    let fx = fixture().await;
    let before = fx.describe().await;
    let (i, u) = (fx.instance.clone(), fx.user.clone());
    let phone = format!("/users/{i}/{u}/phone-config");
    let identity = format!("/users/{i}/{u}/identity-info");
    let config = format!("/users/{i}/{u}/config");
    let security = format!("/users/{i}/{u}/security-profiles");

    // A list where a structure belongs is never applied by position.
    fx.refused(
        "POST",
        &phone,
        json!({"PhoneConfig": ["SOFT_PHONE", true, 77]}),
        "PhoneConfig",
    )
    .await;
    fx.refused(
        "POST",
        &identity,
        json!({"IdentityInfo": ["Pos", "Itional"]}),
        "IdentityInfo",
    )
    .await;
    fx.refused(
        "POST",
        &identity,
        json!({"IdentityInfo": []}),
        "IdentityInfo",
    )
    .await;
    // A string where a boolean or a number belongs, inside a structure.
    fx.refused(
        "POST",
        &phone,
        json!({"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": "true"}}),
        "PhoneConfig.AutoAccept",
    )
    .await;
    fx.refused(
        "POST",
        &phone,
        json!({"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": "77"}}),
        "PhoneConfig.AfterContactWorkTimeLimit",
    )
    .await;
    // Per-channel lists: a list inside a list, a structure for a list, a string for a
    // number two levels down.
    fx.refused(
        "POST",
        &config,
        json!({"PhoneNumberConfigs": [[]]}),
        "PhoneNumberConfigs[0]",
    )
    .await;
    fx.refused(
        "POST",
        &config,
        json!({"AutoAcceptConfigs": {"Channel": "CHAT", "AutoAccept": true}}),
        "AutoAcceptConfigs",
    )
    .await;
    fx.refused(
        "POST",
        &config,
        json!({"AfterContactWorkConfigs": [{"Channel": "CHAT",
            "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": "30"}}]}),
        "AfterContactWorkConfigs[0].AfterContactWorkConfig.AfterContactWorkTimeLimit",
    )
    .await;
    fx.refused(
        "POST",
        &security,
        json!({"SecurityProfileIds": "one"}),
        "SecurityProfileIds",
    )
    .await;
    assert_eq!(
        fx.describe().await,
        before,
        "a refused request changed the user"
    );

    // CreateUser: a structure for a list creates nobody.
    fx.refused(
        "PUT",
        &format!("/users/{i}"),
        json!({"Username": "second", "Password": "Secret123",
            "SecurityProfileIds": {"Id": "x"}, "RoutingProfileId": "r"}),
        "SecurityProfileIds",
    )
    .await;
    let users = fx
        .client
        .list_users()
        .instance_id(&i)
        .send()
        .await
        .expect("list users");
    assert_eq!(users.user_summary_list().len(), 1);

    // SearchUsers: the criteria as a list, a condition as a list at depth, a number as
    // a string.
    let search = "/search-users";
    fx.refused(
        "POST",
        search,
        json!({"InstanceId": i, "SearchCriteria": []}),
        "SearchCriteria",
    )
    .await;
    fx.refused(
        "POST",
        search,
        json!({"InstanceId": i, "SearchCriteria": {"OrConditions": [
            {"StringCondition": ["Username", "typed", "EXACT"]}]}}),
        "SearchCriteria.OrConditions[0].StringCondition",
    )
    .await;
    fx.refused(
        "POST",
        search,
        json!({"InstanceId": i, "SearchCriteria": {"AndConditions": [
            {"OrConditions": {"StringCondition": {}}}]}}),
        "SearchCriteria.AndConditions[0].OrConditions",
    )
    .await;
    fx.refused(
        "POST",
        search,
        json!({"InstanceId": i, "SearchFilter": {"TagFilter": {"OrConditions": [
            {"TagKey": "k"}]}}}),
        "SearchFilter.TagFilter.OrConditions[0]",
    )
    .await;
    fx.refused(
        "POST",
        search,
        json!({"InstanceId": i, "MaxResults": "5"}),
        "MaxResults",
    )
    .await;

    // The same requests with the right types are accepted.
    let addr = fx
        .server
        .endpoint()
        .trim_start_matches("http://")
        .to_string();
    let ok = raw_json_request(
        &addr,
        "POST",
        &phone,
        Some(
            &json!({"PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": true,
            "AfterContactWorkTimeLimit": 77}}),
        ),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.json());
    assert_ne!(fx.describe().await, before);
}
