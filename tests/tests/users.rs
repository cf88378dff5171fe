//! The user lifecycle end to end: CreateUser, DescribeUser, ListUsers, DeleteUser, the
//! UpdateUser* calls and tags on user ARNs, then every validation rule of contract §6
//! with its error code and HTTP status, each checked to have changed nothing.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use roster_tests::aws_sdk_connect::primitives::DateTime;
use roster_tests::aws_sdk_connect::types::{
    Channel, HierarchyLevelUpdate, HierarchyStructureUpdate, MediaConcurrency,
    PersistentConnectionConfig, PhoneType, UserIdentityInfo, UserPhoneConfig,
    VoiceEnhancementConfig, VoiceEnhancementMode,
};
use roster_tests::*;
use serde_json::json;

/// What some tests make besides users.
trait Extras {
    async fn hierarchy_group(&self, name: &str) -> String;
    async fn second_routing_profile(&self) -> String;
}

impl Extras for Fx {
    async fn hierarchy_group(&self, name: &str) -> String {
        self.client
            .update_user_hierarchy_structure()
            .instance_id(&self.instance)
            .hierarchy_structure(
                HierarchyStructureUpdate::builder()
                    .level_one(
                        HierarchyLevelUpdate::builder()
                            .name("Region")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("hierarchy structure");
        self.client
            .create_user_hierarchy_group()
            .instance_id(&self.instance)
            .name(name)
            .send()
            .await
            .expect("create hierarchy group")
            .hierarchy_group_id
            .expect("group id")
    }

    async fn second_routing_profile(&self) -> String {
        let queues = self
            .client
            .list_queues()
            .instance_id(&self.instance)
            .send()
            .await
            .expect("list queues");
        let basic = queues
            .queue_summary_list()
            .iter()
            .find(|q| q.name() == Some("BasicQueue"))
            .and_then(|q| q.id())
            .expect("BasicQueue")
            .to_string();
        self.client
            .create_routing_profile()
            .instance_id(&self.instance)
            .name("Chat only")
            .description("chat agents")
            .default_outbound_queue_id(basic)
            .media_concurrencies(
                MediaConcurrency::builder()
                    .channel(Channel::Chat)
                    .concurrency(2)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("create routing profile")
            .routing_profile_id
            .expect("routing profile id")
    }
}

fn millis(t: Option<&DateTime>) -> i64 {
    t.expect("LastModifiedTime").to_millis().expect("millis")
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

// ---- success paths -------------------------------------------------------------------

#[tokio::test]
async fn create_then_describe_returns_every_member() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let admin = security_profile_id(&fx.client, &fx.instance, "Admin").await;
    let group = fx.hierarchy_group("North").await;
    let before = now_millis();
    let out = fx
        .client
        .create_user()
        .instance_id(&fx.instance)
        .username("Jane.Doe")
        .password(PASSWORD)
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Jane")
                .last_name("Doe")
                .email("jane@example.com")
                .secondary_email("jane.doe@example.org")
                .mobile("+447700900123")
                .build(),
        )
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550100")
                .auto_accept(true)
                .after_contact_work_time_limit(30)
                .build(),
        )
        .security_profile_ids(&fx.agent)
        .security_profile_ids(&admin)
        .routing_profile_id(&fx.rp)
        .hierarchy_group_id(&group)
        .tags("team", "blue")
        .tags("cost-center", "42")
        .send()
        .await
        .expect("create user");
    let id = out.user_id().expect("UserId").to_string();
    let arn = out.user_arn().expect("UserArn").to_string();
    assert_eq!(
        arn,
        format!(
            "arn:aws:connect:us-east-1:123456789012:instance/{}/agent/{id}",
            fx.instance
        )
    );
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "user id {id} is a UUID");

    let u = fx.describe(&id).await;
    assert_eq!(u.id(), Some(id.as_str()));
    assert_eq!(u.arn(), Some(arn.as_str()));
    assert_eq!(u.username(), Some("Jane.Doe"));
    let info = u.identity_info().expect("IdentityInfo");
    assert_eq!(info.first_name(), Some("Jane"));
    assert_eq!(info.last_name(), Some("Doe"));
    assert_eq!(info.email(), Some("jane@example.com"));
    assert_eq!(info.secondary_email(), Some("jane.doe@example.org"));
    assert_eq!(info.mobile(), Some("+447700900123"));
    let phone = u.phone_config().expect("PhoneConfig");
    assert_eq!(phone.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(phone.desk_phone_number(), Some("+12065550100"));
    assert!(phone.auto_accept());
    assert_eq!(phone.after_contact_work_time_limit(), 30);
    assert_eq!(phone.persistent_connection(), Some(false));
    assert_eq!(u.directory_user_id(), None);
    assert_eq!(
        sorted(u.security_profile_ids()),
        sorted(&[fx.agent.clone(), admin.clone()])
    );
    assert_eq!(u.routing_profile_id(), Some(fx.rp.as_str()));
    assert_eq!(u.hierarchy_group_id(), Some(group.as_str()));
    let tags: HashMap<String, String> = [
        ("team".to_string(), "blue".to_string()),
        ("cost-center".to_string(), "42".to_string()),
    ]
    .into();
    assert_eq!(u.tags(), Some(&tags));
    assert_eq!(u.auto_accept_configs().len(), 4);
    assert_eq!(u.after_contact_work_configs().len(), 4);
    assert_eq!(u.phone_number_configs().len(), 1);
    assert_eq!(u.persistent_connection_configs().len(), 1);
    assert_eq!(u.voice_enhancement_configs().len(), 1);
    let t = millis(u.last_modified_time());
    assert!(
        t >= before - 1000 && t <= now_millis() + 1000,
        "LastModifiedTime {t} is about now"
    );
    assert_eq!(u.last_modified_region(), Some("us-east-1"));

    // The password is never returned.
    let raw = raw_json_request(
        &fx.server.addr,
        "GET",
        &format!("/users/{}/{id}", fx.instance),
        None,
    )
    .await;
    assert_eq!(raw.status, 200);
    let text = String::from_utf8_lossy(&raw.body);
    assert!(
        !text.contains(PASSWORD) && !text.contains("Password") && !text.contains("argon"),
        "{text}"
    );

    // ListUsers shows the same summary.
    let listed = fx.users().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id(), Some(id.as_str()));
    assert_eq!(listed[0].arn(), Some(arn.as_str()));
    assert_eq!(listed[0].username(), Some("Jane.Doe"));
    assert_eq!(listed[0].last_modified_time(), u.last_modified_time());
    assert_eq!(listed[0].last_modified_region(), Some("us-east-1"));
}

#[tokio::test]
async fn every_write_bumps_last_modified_time_and_records_the_signing_region() {
    let server = Server::start();
    let client = server.client_as("AKIDEXAMPLE", "secret", "eu-west-2");
    let fx = Fx::with_client(server, client, "CONNECT_MANAGED").await;
    let group = fx.hierarchy_group("West").await;
    let rp2 = fx.second_routing_profile().await;
    let admin = security_profile_id(&fx.client, &fx.instance, "Admin").await;
    let id = fx.new_user("mover").await;
    let first = fx.describe(&id).await;
    assert_eq!(first.last_modified_region(), Some("eu-west-2"));
    assert!(first
        .arn()
        .unwrap()
        .starts_with("arn:aws:connect:eu-west-2:123456789012:instance/"));
    let mut last = millis(first.last_modified_time());

    let c = &fx.client;
    let i = fx.instance.as_str();
    for step in 0..8 {
        tokio::time::sleep(Duration::from_millis(15)).await;
        let what = match step {
            0 => {
                c.update_user_identity_info()
                    .instance_id(i)
                    .user_id(&id)
                    .identity_info(names("Grace", "Hopper"))
                    .send()
                    .await
                    .expect("identity");
                "UpdateUserIdentityInfo"
            }
            1 => {
                c.update_user_phone_config()
                    .instance_id(i)
                    .user_id(&id)
                    .phone_config(UserPhoneConfig::builder().auto_accept(true).build())
                    .send()
                    .await
                    .expect("phone");
                "UpdateUserPhoneConfig"
            }
            2 => {
                c.update_user_config()
                    .instance_id(i)
                    .user_id(&id)
                    .voice_enhancement_configs(
                        VoiceEnhancementConfig::builder()
                            .channel(Channel::Voice)
                            .voice_enhancement_mode(VoiceEnhancementMode::NoiseSuppression)
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .expect("config");
                "UpdateUserConfig"
            }
            3 => {
                c.update_user_routing_profile()
                    .instance_id(i)
                    .user_id(&id)
                    .routing_profile_id(&rp2)
                    .send()
                    .await
                    .expect("routing");
                "UpdateUserRoutingProfile"
            }
            4 => {
                c.update_user_security_profiles()
                    .instance_id(i)
                    .user_id(&id)
                    .security_profile_ids(&admin)
                    .send()
                    .await
                    .expect("security");
                "UpdateUserSecurityProfiles"
            }
            5 => {
                c.update_user_hierarchy()
                    .instance_id(i)
                    .user_id(&id)
                    .hierarchy_group_id(&group)
                    .send()
                    .await
                    .expect("hierarchy");
                "UpdateUserHierarchy (set)"
            }
            6 => {
                c.update_user_hierarchy()
                    .instance_id(i)
                    .user_id(&id)
                    .send()
                    .await
                    .expect("hierarchy");
                "UpdateUserHierarchy (remove)"
            }
            _ => {
                c.update_user_identity_info()
                    .instance_id(i)
                    .user_id(&id)
                    .identity_info(names("Grace", "Brewster"))
                    .send()
                    .await
                    .expect("identity");
                "UpdateUserIdentityInfo again"
            }
        };
        let u = fx.describe(&id).await;
        let t = millis(u.last_modified_time());
        assert!(
            t > last,
            "{what} did not move LastModifiedTime forward ({last} -> {t})"
        );
        assert_eq!(u.last_modified_region(), Some("eu-west-2"), "after {what}");
        let summary = fx
            .users()
            .await
            .into_iter()
            .find(|s| s.id() == Some(id.as_str()))
            .unwrap();
        assert_eq!(
            summary.last_modified_time(),
            u.last_modified_time(),
            "ListUsers agrees after {what}"
        );
        assert_eq!(summary.last_modified_region(), Some("eu-west-2"));
        last = t;
    }

    // The instance does not exist in another region of the same account.
    let east = fx.server.client();
    let err = east
        .describe_user()
        .instance_id(&fx.instance)
        .user_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
}

#[tokio::test]
async fn list_users_pages_return_each_user_exactly_once() {
    let fx = Fx::new("SAML").await;
    let mut created = BTreeSet::new();
    for n in 0..7 {
        created.insert(fx.new_user(&format!("pager{n}")).await);
    }
    for size in [1, 2, 3, 6, 7, 1000] {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let out = fx
                .client
                .list_users()
                .instance_id(&fx.instance)
                .max_results(size)
                .set_next_token(token.clone())
                .send()
                .await
                .expect("list users");
            pages += 1;
            let page = out.user_summary_list();
            assert!(
                page.len() <= size as usize,
                "page of {} with maxResults {size}",
                page.len()
            );
            for s in page {
                let id = s.id().unwrap().to_string();
                assert_eq!(
                    s.arn(),
                    Some(
                        format!(
                            "arn:aws:connect:us-east-1:123456789012:instance/{}/agent/{id}",
                            fx.instance
                        )
                        .as_str()
                    )
                );
                assert!(s.username().unwrap().starts_with("pager"));
                assert!(s.last_modified_time().is_some());
                assert_eq!(s.last_modified_region(), Some("us-east-1"));
                seen.push(id);
            }
            match out.next_token() {
                Some(t) => {
                    assert_eq!(
                        page.len(),
                        size as usize,
                        "a page followed by a token is full"
                    );
                    token = Some(t.to_string());
                }
                None => break,
            }
            assert!(pages <= 8, "paging does not end");
        }
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "maxResults {size}: a user was returned twice"
        );
        assert_eq!(unique, created, "maxResults {size}: every user once");
    }
    // Without maxResults, one page holds them all.
    let out = fx
        .client
        .list_users()
        .instance_id(&fx.instance)
        .send()
        .await
        .unwrap();
    assert_eq!(out.user_summary_list().len(), 7);
    assert!(out.next_token().is_none());

    for bad in [0, 1001, -1] {
        let r = fx
            .client
            .list_users()
            .instance_id(&fx.instance)
            .max_results(bad)
            .send()
            .await;
        let msg = rejected(r, "InvalidParameterException", 400);
        assert!(msg.contains("MaxResults"), "{msg}");
    }
    let r = fx
        .client
        .list_users()
        .instance_id(&fx.instance)
        .next_token("not-a-token")
        .send()
        .await;
    rejected(r, "InvalidRequestException", 400);
}

#[tokio::test]
async fn delete_user_then_describe_is_not_found() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let keep = fx.new_user("keeper").await;
    let gone = fx.new_user("leaver").await;
    fx.client
        .delete_user()
        .instance_id(&fx.instance)
        .user_id(&gone)
        .send()
        .await
        .expect("delete user");

    let r = fx
        .client
        .describe_user()
        .instance_id(&fx.instance)
        .user_id(&gone)
        .send()
        .await;
    rejected(r, "ResourceNotFoundException", 404);
    let r = fx
        .client
        .delete_user()
        .instance_id(&fx.instance)
        .user_id(&gone)
        .send()
        .await;
    rejected(r, "ResourceNotFoundException", 404);
    let r = fx
        .client
        .update_user_identity_info()
        .instance_id(&fx.instance)
        .user_id(&gone)
        .identity_info(names("A", "B"))
        .send()
        .await;
    rejected(r, "ResourceNotFoundException", 404);
    let ids: Vec<String> = fx
        .users()
        .await
        .iter()
        .map(|u| u.id().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec![keep.clone()]);
    assert_eq!(fx.describe(&keep).await.username(), Some("keeper"));
}

#[tokio::test]
async fn update_user_identity_info_replaces_the_identity() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let id = fx
        .create("ident")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Ada")
                .last_name("Lovelace")
                .email("ada@example.com")
                .secondary_email("ada@example.org")
                .mobile("+447700900123")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    let before = fx.describe(&id).await;
    fx.client
        .update_user_identity_info()
        .instance_id(&fx.instance)
        .user_id(&id)
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Augusta")
                .last_name("King")
                .email("ak@example.com")
                .build(),
        )
        .send()
        .await
        .expect("update identity");
    let after = fx.describe(&id).await;
    let info = after.identity_info().unwrap();
    assert_eq!(info.first_name(), Some("Augusta"));
    assert_eq!(info.last_name(), Some("King"));
    assert_eq!(info.email(), Some("ak@example.com"));
    // Members not sent are cleared: the identity is replaced as a whole.
    assert_eq!(info.secondary_email(), None);
    assert_eq!(info.mobile(), None);
    // Nothing else moved.
    assert_eq!(after.username(), before.username());
    assert_eq!(after.phone_config(), before.phone_config());
    assert_eq!(after.security_profile_ids(), before.security_profile_ids());
    assert_eq!(after.routing_profile_id(), before.routing_profile_id());
    assert_eq!(after.auto_accept_configs(), before.auto_accept_configs());

    // The same rules as CreateUser apply.
    let c = &fx.client;
    let upd = |info: UserIdentityInfo| {
        c.update_user_identity_info()
            .instance_id(&fx.instance)
            .user_id(&id)
            .identity_info(info)
            .send()
    };
    fx.update_rejected(
        &id,
        upd(UserIdentityInfo::builder().first_name("Only").build()),
        "InvalidRequestException",
        400,
    )
    .await;
    fx.update_rejected(
        &id,
        upd(names("Zoe\u{0308}", "X")),
        "InvalidParameterException",
        400,
    )
    .await;
    fx.update_rejected(
        &id,
        upd(names(&"a".repeat(256), "X")),
        "InvalidParameterException",
        400,
    )
    .await;
    fx.update_rejected(
        &id,
        upd(UserIdentityInfo::builder()
            .first_name("A")
            .last_name("B")
            .mobile("12065550100")
            .build()),
        "InvalidParameterException",
        400,
    )
    .await;
    fx.update_rejected(
        &id,
        upd(UserIdentityInfo::builder()
            .first_name("A")
            .last_name("B")
            .email("nope")
            .build()),
        "InvalidParameterException",
        400,
    )
    .await;
    let r = c
        .update_user_identity_info()
        .instance_id(&fx.instance)
        .user_id(&id)
        .send();
    fx.update_rejected(&id, r, "InvalidRequestException", 400)
        .await;
}

#[tokio::test]
async fn update_user_phone_config_routing_profile_and_security_profiles() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("switcher").await;
    let c = &fx.client;
    let i = fx.instance.as_str();

    c.update_user_phone_config()
        .instance_id(i)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550100")
                .auto_accept(true)
                .after_contact_work_time_limit(45)
                .persistent_connection(true)
                .build(),
        )
        .send()
        .await
        .expect("phone config");
    let u = fx.describe(&id).await;
    let p = u.phone_config().unwrap();
    assert_eq!(p.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(p.desk_phone_number(), Some("+12065550100"));
    assert!(p.auto_accept());
    assert_eq!(p.after_contact_work_time_limit(), 45);
    assert_eq!(p.persistent_connection(), Some(true));

    let rp2 = fx.second_routing_profile().await;
    c.update_user_routing_profile()
        .instance_id(i)
        .user_id(&id)
        .routing_profile_id(&rp2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fx.describe(&id).await.routing_profile_id(),
        Some(rp2.as_str())
    );

    let admin = security_profile_id(c, i, "Admin").await;
    let qa = security_profile_id(c, i, "QualityAnalyst").await;
    c.update_user_security_profiles()
        .instance_id(i)
        .user_id(&id)
        .security_profile_ids(&admin)
        .security_profile_ids(&qa)
        .send()
        .await
        .unwrap();
    assert_eq!(
        sorted(fx.describe(&id).await.security_profile_ids()),
        sorted(&[admin.clone(), qa.clone()])
    );

    // Refusals change nothing.
    let missing = uuid::Uuid::new_v4().to_string();
    let msg = fx
        .update_rejected(
            &id,
            c.update_user_routing_profile()
                .instance_id(i)
                .user_id(&id)
                .routing_profile_id(&missing)
                .send(),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(
        msg.contains(&missing) && msg.contains("RoutingProfileId"),
        "{msg}"
    );
    let msg = fx
        .update_rejected(
            &id,
            c.update_user_security_profiles()
                .instance_id(i)
                .user_id(&id)
                .security_profile_ids(&admin)
                .security_profile_ids(&missing)
                .send(),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(
        msg.contains(&missing) && msg.contains("SecurityProfileIds"),
        "{msg}"
    );
    fx.update_rejected(
        &id,
        c.update_user_security_profiles()
            .instance_id(i)
            .user_id(&id)
            .set_security_profile_ids(Some(vec![]))
            .send(),
        "InvalidParameterException",
        400,
    )
    .await;
    let eleven: Vec<String> = (0..11).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    fx.update_rejected(
        &id,
        c.update_user_security_profiles()
            .instance_id(i)
            .user_id(&id)
            .set_security_profile_ids(Some(eleven))
            .send(),
        "InvalidParameterException",
        400,
    )
    .await;
    fx.update_rejected(
        &id,
        c.update_user_security_profiles()
            .instance_id(i)
            .user_id(&id)
            .security_profile_ids(&admin)
            .security_profile_ids(&admin)
            .send(),
        "InvalidParameterException",
        400,
    )
    .await;
    for bad in [-1, 2_000_001] {
        fx.update_rejected(
            &id,
            c.update_user_phone_config()
                .instance_id(i)
                .user_id(&id)
                .phone_config(
                    UserPhoneConfig::builder()
                        .after_contact_work_time_limit(bad)
                        .build(),
                )
                .send(),
            "InvalidParameterException",
            400,
        )
        .await;
    }
    fx.update_rejected(
        &id,
        c.update_user_phone_config()
            .instance_id(i)
            .user_id(&id)
            .phone_config(
                UserPhoneConfig::builder()
                    .phone_type(PhoneType::DeskPhone)
                    .build(),
            )
            .send(),
        "InvalidParameterException",
        400,
    )
    .await;
}

#[tokio::test]
async fn update_user_hierarchy_sets_and_removes_the_group() {
    let fx = Fx::new("SAML").await;
    let group = fx.hierarchy_group("East").await;
    let id = fx.new_user("climber").await;
    assert_eq!(fx.describe(&id).await.hierarchy_group_id(), None);
    let c = &fx.client;
    c.update_user_hierarchy()
        .instance_id(&fx.instance)
        .user_id(&id)
        .hierarchy_group_id(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fx.describe(&id).await.hierarchy_group_id(),
        Some(group.as_str())
    );

    let missing = uuid::Uuid::new_v4().to_string();
    let msg = fx
        .update_rejected(
            &id,
            c.update_user_hierarchy()
                .instance_id(&fx.instance)
                .user_id(&id)
                .hierarchy_group_id(&missing)
                .send(),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(
        msg.contains(&missing) && msg.contains("HierarchyGroupId"),
        "{msg}"
    );

    c.update_user_hierarchy()
        .instance_id(&fx.instance)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(fx.describe(&id).await.hierarchy_group_id(), None);
}

#[tokio::test]
async fn tags_on_the_user_arn_show_in_describe_user_at_once() {
    let fx = Fx::new("SAML").await;
    let out = fx
        .create("tagged")
        .tags("team", "blue")
        .send()
        .await
        .unwrap();
    let id = out.user_id.unwrap();
    let arn = out.user_arn.unwrap();
    let c = &fx.client;
    let listed = |arn: String| async move {
        c.list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .expect("list tags")
            .tags
            .unwrap_or_default()
    };
    let tags = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(listed(arn.clone()).await, tags(&[("team", "blue")]));

    c.tag_resource()
        .resource_arn(&arn)
        .tags("site", "lisbon")
        .tags("team", "green")
        .send()
        .await
        .expect("tag");
    let want = tags(&[("team", "green"), ("site", "lisbon")]);
    assert_eq!(listed(arn.clone()).await, want);
    assert_eq!(fx.describe(&id).await.tags(), Some(&want));

    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .tag_keys("absent")
        .send()
        .await
        .expect("untag");
    let want = tags(&[("site", "lisbon")]);
    assert_eq!(listed(arn.clone()).await, want);
    assert_eq!(fx.describe(&id).await.tags(), Some(&want));

    // Refused tag changes leave the tags alone.
    let r = c
        .tag_resource()
        .resource_arn(&arn)
        .tags("aws:owner", "me")
        .send()
        .await;
    rejected(r, "InvalidParameterException", 400);
    let mut many = c.tag_resource().resource_arn(&arn);
    for n in 0..50 {
        many = many.tags(format!("k{n}"), "v");
    }
    // 50 new keys plus "site" would make 51.
    rejected(many.send().await, "InvalidParameterException", 400);
    assert_eq!(listed(arn.clone()).await, want);
    assert_eq!(fx.describe(&id).await.tags(), Some(&want));

    // Tags of a deleted user are gone with it.
    c.delete_user()
        .instance_id(&fx.instance)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    let r = c.list_tags_for_resource().resource_arn(&arn).send().await;
    rejected(r, "ResourceNotFoundException", 404);
}

// ---- validation ----------------------------------------------------------------------

#[tokio::test]
async fn username_length_depends_on_identity_management() {
    let cm = Fx::new("CONNECT_MANAGED").await;
    let msg = cm
        .create_rejected(cm.create(&"a".repeat(21)), "InvalidParameterException", 400)
        .await;
    assert!(
        msg.contains("Username") && msg.contains("20 characters"),
        "{msg}"
    );
    cm.new_user(&"a".repeat(20)).await;

    let ed = Fx::on(Server::start(), "EXISTING_DIRECTORY").await;
    let msg = ed
        .create_rejected(ed.create(&"b".repeat(21)), "InvalidParameterException", 400)
        .await;
    assert!(
        msg.contains("Username") && msg.contains("20 characters"),
        "{msg}"
    );

    let saml = Fx::on(Server::start(), "SAML").await;
    let long = format!("{}@example.com", "s".repeat(52));
    assert_eq!(long.len(), 64);
    saml.new_user(&long).await;
    saml.new_user(&"c".repeat(21)).await;
    let too_long = format!("{}@example.com", "t".repeat(53));
    let msg = saml
        .create_rejected(saml.create(&too_long), "InvalidParameterException", 400)
        .await;
    assert!(msg.contains("Username") && msg.contains("64"), "{msg}");
}

#[tokio::test]
async fn username_characters_and_email_format() {
    let fx = Fx::new("SAML").await;
    for bad in [
        "john doe", "john!", "jöhn", "john#1", "jo/hn", "jo,hn", "jo+hn", "",
    ] {
        let msg = fx
            .create_rejected(fx.create(bad), "InvalidParameterException", 400)
            .await;
        assert!(msg.contains("Username"), "{bad:?}: {msg}");
    }
    for bad in [
        "john@",
        "@example.com",
        "john@example",
        "john@@example.com",
        "a@b@c.com",
        "john@.com",
        "john@example.",
    ] {
        let msg = fx
            .create_rejected(fx.create(bad), "InvalidParameterException", 400)
            .await;
        assert!(
            msg.contains("Username") && msg.contains('@'),
            "{bad:?}: {msg}"
        );
    }
    for good in ["john.doe", "john_doe-2", "J.D@example.co.uk", "x@y.io"] {
        fx.new_user(good).await;
    }
    let cm = Fx::on(Server::start(), "CONNECT_MANAGED").await;
    cm.new_user("jd@example.com").await;
}

#[tokio::test]
async fn usernames_are_unique_per_instance_ignoring_case() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    fx.new_user("Agent.Smith").await;
    for clash in ["agent.smith", "AGENT.SMITH", "Agent.Smith"] {
        let msg = fx
            .create_rejected(fx.create(clash), "DuplicateResourceException", 409)
            .await;
        assert!(msg.contains("Username"), "{msg}");
    }
    // Another instance has its own usernames.
    let other = create_instance(&fx.client, "CONNECT_MANAGED").await;
    let agent = security_profile_id(&fx.client, &other, "Agent").await;
    let rp = basic_routing_profile(&fx.client, &other).await;
    fx.client
        .create_user()
        .instance_id(&other)
        .username("agent.smith")
        .password(PASSWORD)
        .identity_info(names("A", "S"))
        .security_profile_ids(agent)
        .routing_profile_id(rp)
        .send()
        .await
        .expect("same name in another instance");
}

#[tokio::test]
async fn password_rules_follow_identity_management() {
    let cm = Fx::new("CONNECT_MANAGED").await;
    let msg = cm
        .create_rejected(
            cm.create("nopass").set_password(None),
            "InvalidRequestException",
            400,
        )
        .await;
    assert!(msg.contains("Password"), "{msg}");
    let too_long = format!("Aa1{}", "x".repeat(62));
    for weak in [
        "Abcde12",
        too_long.as_str(),
        "ABCDEFG1",
        "abcdefg1",
        "Abcdefgh",
        "Abcd efg1",
    ] {
        let msg = cm
            .create_rejected(
                cm.create("weak").password(weak),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(msg.contains("Password"), "{weak:?}: {msg}");
        assert!(
            !msg.contains(weak),
            "the message repeats the password: {msg}"
        );
    }
    cm.create("eight")
        .password("Abcdefg1")
        .send()
        .await
        .expect("8 characters");
    cm.create("sixtyfour")
        .password(format!("Aa1{}", "x".repeat(61)))
        .send()
        .await
        .expect("64 characters");

    let saml = Fx::on(Server::start(), "SAML").await;
    let msg = saml
        .create_rejected(
            saml.create("pw").password(PASSWORD),
            "InvalidRequestException",
            400,
        )
        .await;
    assert!(msg.contains("Password"), "{msg}");
    let ed = Fx::on(Server::start(), "EXISTING_DIRECTORY").await;
    let msg = ed
        .create_rejected(
            ed.create("pw").password(PASSWORD),
            "InvalidRequestException",
            400,
        )
        .await;
    assert!(msg.contains("Password"), "{msg}");
}

#[tokio::test]
async fn first_and_last_name_rules() {
    for idm in ["CONNECT_MANAGED", "SAML"] {
        let fx = Fx::new(idm).await;
        let only_last = UserIdentityInfo::builder().last_name("Lovelace").build();
        let msg = fx
            .create_rejected(
                fx.create("n1").identity_info(only_last),
                "InvalidRequestException",
                400,
            )
            .await;
        assert!(msg.contains("FirstName"), "{idm}: {msg}");
        let only_first = UserIdentityInfo::builder().first_name("Ada").build();
        let msg = fx
            .create_rejected(
                fx.create("n2").identity_info(only_first),
                "InvalidRequestException",
                400,
            )
            .await;
        assert!(msg.contains("LastName"), "{idm}: {msg}");
        fx.create_rejected(
            fx.create("n3").set_identity_info(None),
            "InvalidRequestException",
            400,
        )
        .await;

        let msg = fx
            .create_rejected(
                fx.create("n4").identity_info(names("Zoe\u{0308}", "X")),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(
            msg.contains("FirstName") && msg.contains("NFC"),
            "{idm}: {msg}"
        );
        let msg = fx
            .create_rejected(
                fx.create("n5")
                    .identity_info(names("Zoe", "Bronte\u{0308}")),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(msg.contains("LastName"), "{idm}: {msg}");
        let msg = fx
            .create_rejected(
                fx.create("n6").identity_info(names(&"f".repeat(256), "X")),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(
            msg.contains("FirstName") && msg.contains("255"),
            "{idm}: {msg}"
        );
        let msg = fx
            .create_rejected(
                fx.create("n7").identity_info(names("X", &"l".repeat(301))),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(
            msg.contains("LastName") && msg.contains("300"),
            "{idm}: {msg}"
        );

        // The limits are in characters, and NFC text is fine.
        let id = fx
            .create("n8")
            .identity_info(names(&"é".repeat(255), &"l".repeat(300)))
            .send()
            .await
            .unwrap()
            .user_id
            .unwrap();
        let u = fx.describe(&id).await;
        assert_eq!(
            u.identity_info().unwrap().first_name(),
            Some("é".repeat(255).as_str())
        );
        let id = fx
            .create("n9")
            .identity_info(names("Zoë", "Brontë"))
            .send()
            .await
            .unwrap()
            .user_id
            .unwrap();
        assert_eq!(
            fx.describe(&id).await.identity_info().unwrap().first_name(),
            Some("Zoë")
        );
    }

    let ed = Fx::new("EXISTING_DIRECTORY").await;
    let id = ed.new_user("nameless").await;
    let info = ed
        .describe(&id)
        .await
        .identity_info()
        .cloned()
        .unwrap_or_else(|| UserIdentityInfo::builder().build());
    assert_eq!(info.first_name(), None);
    assert_eq!(info.last_name(), None);
    ed.create("halfnamed")
        .identity_info(UserIdentityInfo::builder().first_name("Solo").build())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn email_secondary_email_and_mobile_formats() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let info = |email: Option<&str>, secondary: Option<&str>, mobile: Option<&str>| {
        UserIdentityInfo::builder()
            .first_name("A")
            .last_name("B")
            .set_email(email.map(str::to_string))
            .set_secondary_email(secondary.map(str::to_string))
            .set_mobile(mobile.map(str::to_string))
            .build()
    };
    for bad in [
        "not-an-email",
        "a@b",
        "a@b.c",
        "a b@example.com",
        "@example.com",
        "a@example.c0m",
    ] {
        let msg = fx
            .create_rejected(
                fx.create("e1").identity_info(info(Some(bad), None, None)),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(msg.contains("IdentityInfo.Email"), "{bad}: {msg}");
        let msg = fx
            .create_rejected(
                fx.create("e2").identity_info(info(None, Some(bad), None)),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(msg.contains("IdentityInfo.SecondaryEmail"), "{bad}: {msg}");
    }
    for bad in [
        "2065550100",
        "+0123456",
        "+1 206 555 0100",
        "phone",
        "+",
        "+1234567890123456",
    ] {
        let msg = fx
            .create_rejected(
                fx.create("m1").identity_info(info(None, None, Some(bad))),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(msg.contains("IdentityInfo.Mobile"), "{bad}: {msg}");
    }
    let id = fx
        .create("contact")
        .identity_info(info(
            Some("a.b+c@example.co.uk"),
            Some("x_y%z@mail.example.org"),
            Some("+12065550100"),
        ))
        .send()
        .await
        .expect("good email and mobile")
        .user_id
        .unwrap();
    let u = fx.describe(&id).await;
    let i = u.identity_info().unwrap();
    assert_eq!(i.email(), Some("a.b+c@example.co.uk"));
    assert_eq!(i.secondary_email(), Some("x_y%z@mail.example.org"));
    assert_eq!(i.mobile(), Some("+12065550100"));
}

#[tokio::test]
async fn directory_user_id_by_identity_management() {
    let saml = Fx::new("SAML").await;
    let msg = saml
        .create_rejected(
            saml.create("dir").directory_user_id("d-user-1"),
            "InvalidRequestException",
            400,
        )
        .await;
    assert!(msg.contains("DirectoryUserId"), "{msg}");

    let ed = Fx::on(Server::start(), "EXISTING_DIRECTORY").await;
    let id = ed
        .create("dir")
        .directory_user_id("d-user-1")
        .send()
        .await
        .expect("directory user id")
        .user_id
        .unwrap();
    assert_eq!(ed.describe(&id).await.directory_user_id(), Some("d-user-1"));
}

#[tokio::test]
async fn security_profile_ids_routing_profile_and_group_must_exist() {
    let fx = Fx::new("SAML").await;
    let missing = uuid::Uuid::new_v4().to_string();

    fx.create_rejected(
        fx.create("sp0").set_security_profile_ids(Some(vec![])),
        "InvalidParameterException",
        400,
    )
    .await;
    let eleven: Vec<String> = (0..11).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let msg = fx
        .create_rejected(
            fx.create("sp11").set_security_profile_ids(Some(eleven)),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(msg.contains("SecurityProfileIds"), "{msg}");
    let msg = fx
        .create_rejected(
            fx.create("spx")
                .set_security_profile_ids(Some(vec![fx.agent.clone(), missing.clone()])),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(
        msg.contains("SecurityProfileIds") && msg.contains(&missing),
        "{msg}"
    );
    fx.create_rejected(
        fx.create("spdup")
            .set_security_profile_ids(Some(vec![fx.agent.clone(), fx.agent.clone()])),
        "InvalidParameterException",
        400,
    )
    .await;
    let msg = fx
        .create_rejected(
            fx.create("rpx").routing_profile_id(&missing),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(
        msg.contains("RoutingProfileId") && msg.contains(&missing),
        "{msg}"
    );
    let msg = fx
        .create_rejected(
            fx.create("hgx").hierarchy_group_id(&missing),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(
        msg.contains("HierarchyGroupId") && msg.contains(&missing),
        "{msg}"
    );

    // A profile of another instance does not exist in this one.
    let other = create_instance(&fx.client, "SAML").await;
    let foreign = security_profile_id(&fx.client, &other, "Agent").await;
    let msg = fx
        .create_rejected(
            fx.create("foreign")
                .set_security_profile_ids(Some(vec![foreign.clone()])),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(msg.contains(&foreign), "{msg}");

    let ten: Vec<String> = {
        let mut ids = Vec::new();
        for n in 0..10 {
            let out = fx
                .client
                .create_security_profile()
                .instance_id(&fx.instance)
                .security_profile_name(format!("Profile {n}"))
                .send()
                .await
                .expect("create security profile");
            ids.push(out.security_profile_id.unwrap());
        }
        ids
    };
    let id = fx
        .create("ten")
        .set_security_profile_ids(Some(ten.clone()))
        .send()
        .await
        .expect("ten profiles")
        .user_id
        .unwrap();
    assert_eq!(
        sorted(fx.describe(&id).await.security_profile_ids()),
        sorted(&ten)
    );
}

#[tokio::test]
async fn after_contact_work_limits() {
    let fx = Fx::new("SAML").await;
    for bad in [-1, 2_000_001] {
        let msg = fx
            .create_rejected(
                fx.create("acw").phone_config(
                    UserPhoneConfig::builder()
                        .after_contact_work_time_limit(bad)
                        .build(),
                ),
                "InvalidParameterException",
                400,
            )
            .await;
        assert!(msg.contains("AfterContactWorkTimeLimit"), "{bad}: {msg}");
    }
    let id = fx
        .create("acwmax")
        .phone_config(
            UserPhoneConfig::builder()
                .after_contact_work_time_limit(2_000_000)
                .build(),
        )
        .send()
        .await
        .expect("2,000,000 seconds")
        .user_id
        .unwrap();
    assert_eq!(
        fx.describe(&id)
            .await
            .phone_config()
            .unwrap()
            .after_contact_work_time_limit(),
        2_000_000
    );

    // An explicit 0 (which the SDK leaves out) is accepted too.
    let body = json!({
        "Username": "acwzero",
        "IdentityInfo": {"FirstName": "A", "LastName": "Z"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 0, "AutoAccept": false},
        "SecurityProfileIds": [fx.agent],
        "RoutingProfileId": fx.rp,
    });
    let r = raw_json_request(
        &fx.server.addr,
        "PUT",
        &format!("/users/{}", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let zero = r.json()["UserId"].as_str().unwrap().to_string();
    assert_eq!(
        fx.describe(&zero)
            .await
            .phone_config()
            .unwrap()
            .after_contact_work_time_limit(),
        0
    );

    // UpdateUserPhoneConfig: 2,000,000 then 0 are accepted.
    fx.client
        .update_user_phone_config()
        .instance_id(&fx.instance)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .after_contact_work_time_limit(7)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let body = json!({"PhoneConfig": {"AfterContactWorkTimeLimit": 0}});
    let r = raw_json_request(
        &fx.server.addr,
        "POST",
        &format!("/users/{}/{id}/phone-config", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        fx.describe(&id)
            .await
            .phone_config()
            .unwrap()
            .after_contact_work_time_limit(),
        0
    );
}

#[tokio::test]
async fn tag_rules_on_create_user() {
    let fx = Fx::new("SAML").await;
    let msg = fx
        .create_rejected(
            fx.create("t1").tags("aws:team", "x"),
            "InvalidParameterException",
            400,
        )
        .await;
    assert!(msg.contains("aws:"), "{msg}");
    let mut many = fx.create("t51");
    for n in 0..51 {
        many = many.tags(format!("key{n}"), "v");
    }
    let msg = fx
        .create_rejected(many, "InvalidParameterException", 400)
        .await;
    assert!(msg.contains("Tags"), "{msg}");
    fx.create_rejected(
        fx.create("t2").tags("k".repeat(129), "v"),
        "InvalidParameterException",
        400,
    )
    .await;
    fx.create_rejected(
        fx.create("t3").tags("k", "v".repeat(257)),
        "InvalidParameterException",
        400,
    )
    .await;

    let mut fifty = fx.create("t50");
    for n in 0..50 {
        fifty = fifty.tags(format!("key{n}"), "v".repeat(256));
    }
    let id = fifty.send().await.expect("50 tags").user_id.unwrap();
    assert_eq!(fx.describe(&id).await.tags().map(|t| t.len()), Some(50));
}

#[tokio::test]
async fn unknown_instance_or_user_is_not_found() {
    let fx = Fx::new("SAML").await;
    let c = &fx.client;
    let nowhere = uuid::Uuid::new_v4().to_string();
    let nobody = uuid::Uuid::new_v4().to_string();
    let nf = ("ResourceNotFoundException".to_string(), 404);

    let mut req = fx.create("ghost");
    req = req.instance_id(&nowhere);
    assert_eq!(error_of(&req.send().await.unwrap_err()), nf);
    assert_eq!(
        error_of(
            &c.list_users()
                .instance_id(&nowhere)
                .send()
                .await
                .unwrap_err()
        ),
        nf
    );
    assert_eq!(
        error_of(
            &c.describe_user()
                .instance_id(&nowhere)
                .user_id(&nobody)
                .send()
                .await
                .unwrap_err()
        ),
        nf
    );
    let arn = format!("arn:aws:connect:us-east-1:123456789012:instance/{nowhere}");
    assert_eq!(
        error_of(&c.list_users().instance_id(&arn).send().await.unwrap_err()),
        nf
    );

    for instance in [fx.instance.as_str(), nowhere.as_str()] {
        let i = instance;
        let u = nobody.as_str();
        assert_eq!(
            error_of(
                &c.describe_user()
                    .instance_id(i)
                    .user_id(u)
                    .send()
                    .await
                    .unwrap_err()
            ),
            nf
        );
        assert_eq!(
            error_of(
                &c.delete_user()
                    .instance_id(i)
                    .user_id(u)
                    .send()
                    .await
                    .unwrap_err()
            ),
            nf
        );
        let e = c
            .update_user_identity_info()
            .instance_id(i)
            .user_id(u)
            .identity_info(names("A", "B"))
            .send()
            .await;
        assert_eq!(error_of(&e.unwrap_err()), nf);
        let e = c
            .update_user_phone_config()
            .instance_id(i)
            .user_id(u)
            .phone_config(UserPhoneConfig::builder().auto_accept(true).build())
            .send()
            .await;
        assert_eq!(error_of(&e.unwrap_err()), nf);
        let e = c
            .update_user_config()
            .instance_id(i)
            .user_id(u)
            .persistent_connection_configs(
                PersistentConnectionConfig::builder()
                    .channel(Channel::Voice)
                    .persistent_connection(true)
                    .build()
                    .unwrap(),
            )
            .send()
            .await;
        assert_eq!(error_of(&e.unwrap_err()), nf);
        let e = c
            .update_user_routing_profile()
            .instance_id(i)
            .user_id(u)
            .routing_profile_id(&fx.rp)
            .send()
            .await;
        assert_eq!(error_of(&e.unwrap_err()), nf);
        let e = c
            .update_user_security_profiles()
            .instance_id(i)
            .user_id(u)
            .security_profile_ids(&fx.agent)
            .send()
            .await;
        assert_eq!(error_of(&e.unwrap_err()), nf);
        let e = c
            .update_user_hierarchy()
            .instance_id(i)
            .user_id(u)
            .send()
            .await;
        assert_eq!(error_of(&e.unwrap_err()), nf);
    }
    assert!(fx.users().await.is_empty());
}

#[tokio::test]
async fn users_per_instance_quota() {
    let server = Server::start_with(ServerOptions {
        args: vec!["--max-users-per-instance".into(), "3".into()],
        ..Default::default()
    });
    let mut fx = Fx::on(server, "SAML").await;
    fx.client = without_retries(&fx.client);
    let a = fx.new_user("q1").await;
    fx.new_user("q2").await;
    fx.new_user("q3").await;
    let msg = fx
        .create_rejected(fx.create("q4"), "LimitExceededException", 429)
        .await;
    assert!(msg.contains("--max-users-per-instance"), "{msg}");
    assert_eq!(fx.users().await.len(), 3);

    // Deleting a user frees its place.
    fx.client
        .delete_user()
        .instance_id(&fx.instance)
        .user_id(&a)
        .send()
        .await
        .unwrap();
    fx.new_user("q4").await;
    fx.create_rejected(fx.create("q5"), "LimitExceededException", 429)
        .await;
    assert_eq!(
        fx.usernames().await,
        ["q2", "q3", "q4"].map(String::from).into()
    );

    // The quota is per instance.
    let other = create_instance(&fx.client, "SAML").await;
    let agent = security_profile_id(&fx.client, &other, "Agent").await;
    let rp = basic_routing_profile(&fx.client, &other).await;
    for n in 0..3 {
        fx.client
            .create_user()
            .instance_id(&other)
            .username(format!("o{n}"))
            .identity_info(names("O", "P"))
            .security_profile_ids(&agent)
            .routing_profile_id(&rp)
            .send()
            .await
            .expect("another instance has its own quota");
    }
}

#[tokio::test]
async fn a_deleted_users_username_can_be_used_again() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let first = fx.new_user("Recycled").await;
    fx.client
        .delete_user()
        .instance_id(&fx.instance)
        .user_id(&first)
        .send()
        .await
        .unwrap();
    let second = fx.new_user("recycled").await;
    assert_ne!(first, second);
    assert_eq!(fx.describe(&second).await.username(), Some("recycled"));
    assert_eq!(fx.usernames().await, ["recycled".to_string()].into());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_username_admit_exactly_one() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let base = "racecondition";
    let mut tasks = Vec::new();
    for n in 0..20u32 {
        // A different mix of upper and lower case for every task.
        let name: String = base
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                if (n >> (i % 10)) & 1 == 1 {
                    ch.to_ascii_uppercase()
                } else {
                    ch
                }
            })
            .collect();
        let req = fx.create(&name);
        tasks.push(tokio::spawn(async move { (name, req.send().await) }));
    }
    let mut names_tried = BTreeSet::new();
    let mut winners = Vec::new();
    let mut duplicates = 0;
    for t in tasks {
        let (name, res) = t.await.unwrap();
        names_tried.insert(name.clone());
        match res {
            Ok(out) => winners.push((name, out.user_id.unwrap())),
            Err(e) => {
                assert_eq!(
                    error_of(&e),
                    ("DuplicateResourceException".to_string(), 409),
                    "{}",
                    message_of(&e)
                );
                duplicates += 1;
            }
        }
    }
    assert_eq!(names_tried.len(), 20, "the 20 usernames differ");
    assert_eq!(winners.len(), 1, "exactly one create succeeds: {winners:?}");
    assert_eq!(duplicates, 19);
    let users = fx.users().await;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id(), Some(winners[0].1.as_str()));
    assert_eq!(users[0].username(), Some(winners[0].0.as_str()));
}
