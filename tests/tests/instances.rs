//! Instances and what comes with them: CreateInstance validation, Describe/List/
//! DeleteInstance, the default profiles and queue, instance attributes, security and
//! routing profiles, and tags on instance-level ARNs.

use std::collections::{BTreeMap, HashMap, HashSet};

use roster_tests::aws_sdk_connect::types::{
    Channel, DirectoryType, InstanceAttributeType, MediaConcurrency, QueueType, UserIdentityInfo,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

fn alias() -> String {
    format!("t-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

/// A fresh 12-digit access key: in permissive mode, an account of its own.
fn fresh_account() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 1_000_000_000_000;
    format!("{n:012}")
}

async fn create_user(
    client: &Client,
    instance: &str,
    username: &str,
    profiles: &[&str],
    routing: &str,
) -> String {
    let mut req = client
        .create_user()
        .instance_id(instance)
        .username(username)
        .password("Secret123")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Test")
                .last_name("User")
                .build(),
        )
        .routing_profile_id(routing);
    for p in profiles {
        req = req.security_profile_ids(*p);
    }
    req.send()
        .await
        .expect("create user")
        .user_id
        .expect("user id")
}

async fn instance_arn(client: &Client, instance: &str) -> String {
    let out = client
        .describe_instance()
        .instance_id(instance)
        .send()
        .await
        .expect("describe instance");
    out.instance()
        .and_then(|i| i.arn())
        .expect("instance arn")
        .to_string()
}

async fn tags_of(client: &Client, arn: &str) -> BTreeMap<String, String> {
    let out = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("list tags");
    out.tags()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect()
}

#[tokio::test]
async fn create_instance_with_each_identity_type() {
    let server = Server::start();
    let client = server.client();

    for (idm, directory) in [
        (DirectoryType::ConnectManaged, None),
        (DirectoryType::Saml, None),
        (DirectoryType::ExistingDirectory, Some("d-0123456789")),
    ] {
        let a = alias();
        let mut req = client
            .create_instance()
            .identity_management_type(idm.clone())
            .instance_alias(&a)
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(false);
        if let Some(d) = directory {
            req = req.directory_id(d);
        }
        let out = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("create {idm:?} instance: {e:?}"));
        let id = out.id().expect("id").to_string();
        let arn = out.arn().expect("arn").to_string();
        assert_eq!(
            uuid::Uuid::parse_str(&id).map(|u| u.get_version_num()).ok(),
            Some(4),
            "id {id} is not a UUID v4"
        );
        assert_eq!(id, id.to_lowercase());
        assert_eq!(
            arn,
            format!("arn:aws:connect:us-east-1:123456789012:instance/{id}")
        );

        let described = client
            .describe_instance()
            .instance_id(&id)
            .send()
            .await
            .expect("describe");
        let inst = described.instance().expect("instance");
        assert_eq!(inst.id(), Some(id.as_str()));
        assert_eq!(inst.arn(), Some(arn.as_str()));
        assert_eq!(inst.identity_management_type(), Some(&idm));
        assert_eq!(inst.instance_alias(), Some(a.as_str()));
        assert_eq!(inst.instance_status().map(|s| s.as_str()), Some("ACTIVE"));
        assert_eq!(inst.inbound_calls_enabled(), Some(true));
        assert_eq!(inst.outbound_calls_enabled(), Some(false));
        assert!(inst.created_time().is_some());
    }

    // EXISTING_DIRECTORY without an alias is fine.
    let out = client
        .create_instance()
        .identity_management_type(DirectoryType::ExistingDirectory)
        .directory_id("d-0123456789")
        .inbound_calls_enabled(false)
        .outbound_calls_enabled(false)
        .send()
        .await
        .expect("EXISTING_DIRECTORY without alias");
    assert!(out.id().is_some());
}

#[tokio::test]
async fn create_instance_validation() {
    let server = Server::start();
    let client = server.client();

    // CONNECT_MANAGED and SAML need an alias.
    for idm in [DirectoryType::ConnectManaged, DirectoryType::Saml] {
        let err = client
            .create_instance()
            .identity_management_type(idm.clone())
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .send()
            .await
            .expect_err("no alias");
        assert_eq!(
            error_of(&err),
            ("InvalidRequestException".to_string(), 400),
            "{idm:?} without alias"
        );
        assert!(
            message_of(&err).contains("InstanceAlias"),
            "message names the field: {}",
            message_of(&err)
        );
    }

    // EXISTING_DIRECTORY needs a DirectoryId.
    let err = client
        .create_instance()
        .identity_management_type(DirectoryType::ExistingDirectory)
        .instance_alias(alias())
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .expect_err("no directory id");
    let (code, status) = error_of(&err);
    assert_eq!(status, 400, "{code}");
    assert!(
        message_of(&err).contains("DirectoryId"),
        "{}",
        message_of(&err)
    );

    // The other types must not send one.
    for idm in [DirectoryType::ConnectManaged, DirectoryType::Saml] {
        let err = client
            .create_instance()
            .identity_management_type(idm.clone())
            .instance_alias(alias())
            .directory_id("d-0123456789")
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .send()
            .await
            .expect_err("directory id on a non-directory instance");
        let (code, status) = error_of(&err);
        assert_eq!(status, 400, "{idm:?} with DirectoryId: {code}");
        assert!(
            message_of(&err).contains("DirectoryId"),
            "{}",
            message_of(&err)
        );
    }
}

#[tokio::test]
async fn duplicate_alias_is_per_account_and_region() {
    let server = Server::start();
    let key = fresh_account();
    let east = server.client_as(&key, "secret", "us-east-1");
    let west = server.client_as(&key, "secret", "us-west-2");
    let other_account = server.client_as(&fresh_account(), "secret", "us-east-1");
    let a = alias();

    let create = |c: &Client| {
        c.create_instance()
            .identity_management_type(DirectoryType::ConnectManaged)
            .instance_alias(&a)
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .send()
    };
    create(&east).await.expect("first instance with the alias");
    let err = create(&east)
        .await
        .expect_err("same alias, same account and region");
    assert_eq!(error_of(&err), ("InvalidRequestException".to_string(), 400));
    assert!(
        message_of(&err).contains(&a),
        "message names the alias: {}",
        message_of(&err)
    );

    create(&west).await.expect("same alias in another region");
    create(&other_account)
        .await
        .expect("same alias in another account");
}

#[tokio::test]
async fn describe_by_id_and_arn_and_delete() {
    let server = Server::start();
    let client = server.client();
    let id = create_instance(&client, "CONNECT_MANAGED").await;
    let arn = instance_arn(&client, &id).await;

    let by_id = client
        .describe_instance()
        .instance_id(&id)
        .send()
        .await
        .expect("by id");
    let by_arn = client
        .describe_instance()
        .instance_id(&arn)
        .send()
        .await
        .expect("by arn");
    assert_eq!(
        format!("{:?}", by_id.instance()),
        format!("{:?}", by_arn.instance())
    );

    // Other calls take the ARN too.
    let profiles = client
        .list_security_profiles()
        .instance_id(&arn)
        .send()
        .await
        .expect("list by arn");
    assert_eq!(profiles.security_profile_summary_list().len(), 4);

    client
        .delete_instance()
        .instance_id(&id)
        .send()
        .await
        .expect("delete");
    for name in [&id, &arn] {
        let err = client
            .describe_instance()
            .instance_id(name)
            .send()
            .await
            .expect_err("deleted");
        assert_eq!(
            error_of(&err),
            ("ResourceNotFoundException".to_string(), 404),
            "describe {name} after delete"
        );
    }
    let err = client
        .list_security_profiles()
        .instance_id(&id)
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
    let err = client
        .delete_instance()
        .instance_id(&id)
        .send()
        .await
        .expect_err("deleted twice");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );

    let err = client
        .describe_instance()
        .instance_id(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect_err("never existed");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
}

#[tokio::test]
async fn list_instances_pages() {
    let server = Server::start();
    let client = server.client_as(&fresh_account(), "secret", "us-east-1");
    let mut created = HashSet::new();
    for _ in 0..7 {
        created.insert(create_instance(&client, "CONNECT_MANAGED").await);
    }

    // Without maxResults: the model's page of 10 holds all seven.
    let all = client.list_instances().send().await.expect("list");
    assert_eq!(all.instance_summary_list().len(), 7);
    assert!(all.next_token().is_none());
    let listed: HashSet<String> = all
        .instance_summary_list()
        .iter()
        .filter_map(|s| s.id().map(str::to_string))
        .collect();
    assert_eq!(listed, created);
    for s in all.instance_summary_list() {
        assert_eq!(
            s.identity_management_type(),
            Some(&DirectoryType::ConnectManaged)
        );
        assert!(s.arn().is_some_and(|a| a.ends_with(s.id().unwrap())));
        assert!(s.instance_alias().is_some());
    }

    for size in 1..=10 {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let out = client
                .list_instances()
                .max_results(size)
                .set_next_token(token.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("list page with maxResults {size}: {e:?}"));
            pages += 1;
            assert!(
                out.instance_summary_list().len() <= size as usize,
                "page larger than maxResults {size}"
            );
            seen.extend(
                out.instance_summary_list()
                    .iter()
                    .filter_map(|s| s.id().map(str::to_string)),
            );
            match out.next_token() {
                Some(t) => {
                    assert!(
                        !out.instance_summary_list().is_empty(),
                        "an empty page with a NextToken"
                    );
                    token = Some(t.to_string());
                }
                None => break,
            }
            assert!(pages <= 8, "paging with maxResults {size} does not end");
        }
        assert_eq!(
            seen.len(),
            7,
            "maxResults {size}: every instance exactly once, got {seen:?}"
        );
        assert_eq!(
            seen.iter().cloned().collect::<HashSet<_>>(),
            created,
            "maxResults {size}"
        );
        assert_eq!(
            pages,
            7usize.div_ceil(size as usize).max(1),
            "pages for maxResults {size}"
        );
    }

    let err = client
        .list_instances()
        .next_token("not-a-token")
        .send()
        .await
        .expect_err("bad token");
    assert_eq!(error_of(&err).1, 400);
}

#[tokio::test]
async fn default_resources() {
    let server = Server::start();
    let client = server.client();
    let inst = create_instance(&client, "CONNECT_MANAGED").await;

    let profiles = client
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .expect("list");
    let mut names: Vec<&str> = profiles
        .security_profile_summary_list()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"]
    );
    for p in profiles.security_profile_summary_list() {
        let id = p.id().expect("id");
        assert_eq!(
            p.arn(),
            Some(
                format!(
                    "arn:aws:connect:us-east-1:123456789012:instance/{inst}/security-profile/{id}"
                )
                .as_str()
            )
        );
    }

    let queues = client
        .list_queues()
        .instance_id(&inst)
        .send()
        .await
        .expect("list queues");
    let basic = queues
        .queue_summary_list()
        .iter()
        .find(|q| q.name() == Some("BasicQueue"))
        .expect("BasicQueue listed");
    assert_eq!(basic.queue_type(), Some(&QueueType::Standard));
    let basic_id = basic.id().expect("queue id").to_string();
    assert_eq!(
        basic.arn(),
        Some(
            format!("arn:aws:connect:us-east-1:123456789012:instance/{inst}/queue/{basic_id}")
                .as_str()
        )
    );

    let standard = client
        .list_queues()
        .instance_id(&inst)
        .queue_types(QueueType::Standard)
        .send()
        .await
        .expect("standard queues");
    assert!(standard
        .queue_summary_list()
        .iter()
        .any(|q| q.id() == Some(basic_id.as_str())));
    assert!(standard
        .queue_summary_list()
        .iter()
        .all(|q| q.queue_type() == Some(&QueueType::Standard)));
    let agent = client
        .list_queues()
        .instance_id(&inst)
        .queue_types(QueueType::Agent)
        .send()
        .await
        .expect("agent queues");
    assert!(
        agent
            .queue_summary_list()
            .iter()
            .all(|q| q.queue_type() == Some(&QueueType::Agent)),
        "queueTypes=AGENT returned {:?}",
        agent.queue_summary_list()
    );
    assert!(!agent
        .queue_summary_list()
        .iter()
        .any(|q| q.id() == Some(basic_id.as_str())));

    let routing = basic_routing_profile(&client, &inst).await;
    let described = client
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&routing)
        .send()
        .await
        .expect("describe routing profile");
    let rp = described.routing_profile().expect("routing profile");
    assert_eq!(rp.name(), Some("Basic Routing Profile"));
    assert_eq!(rp.default_outbound_queue_id(), Some(basic_id.as_str()));
    assert_eq!(rp.instance_id(), Some(inst.as_str()));
    assert!(!rp.media_concurrencies().is_empty());
}

#[tokio::test]
async fn instance_attributes() {
    let server = Server::start();
    let client = server.client();
    let inst = client
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .instance_alias(alias())
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(false)
        .send()
        .await
        .expect("create")
        .id
        .expect("id");

    let describe = |t: InstanceAttributeType| {
        let client = client.clone();
        let inst = inst.clone();
        async move {
            let out = client
                .describe_instance_attribute()
                .instance_id(&inst)
                .attribute_type(t.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("describe attribute {t:?}: {e:?}"));
            let attr = out.attribute().expect("attribute");
            assert_eq!(attr.attribute_type(), Some(&t));
            attr.value().expect("value").to_string()
        }
    };
    let expected = [
        (InstanceAttributeType::ContactLens, "true"),
        (InstanceAttributeType::EarlyMedia, "true"),
        (InstanceAttributeType::AutoResolveBestVoices, "true"),
        (InstanceAttributeType::ContactflowLogs, "false"),
        (InstanceAttributeType::InboundCalls, "true"),
        (InstanceAttributeType::OutboundCalls, "false"),
        (InstanceAttributeType::UseCustomTtsVoices, "false"),
        (InstanceAttributeType::MultiPartyConference, "false"),
    ];
    for (t, v) in &expected {
        assert_eq!(describe(t.clone()).await, *v, "default of {t:?}");
    }

    client
        .update_instance_attribute()
        .instance_id(&inst)
        .attribute_type(InstanceAttributeType::ContactflowLogs)
        .value("true")
        .send()
        .await
        .expect("update CONTACTFLOW_LOGS");
    client
        .update_instance_attribute()
        .instance_id(&inst)
        .attribute_type(InstanceAttributeType::ContactLens)
        .value("false")
        .send()
        .await
        .expect("update CONTACT_LENS");
    assert_eq!(
        describe(InstanceAttributeType::ContactflowLogs).await,
        "true"
    );
    assert_eq!(describe(InstanceAttributeType::ContactLens).await, "false");

    let err = client
        .update_instance_attribute()
        .instance_id(&inst)
        .attribute_type(InstanceAttributeType::EarlyMedia)
        .value("maybe")
        .send()
        .await
        .expect_err("not a boolean");
    assert_eq!(error_of(&err).1, 400);
    assert_eq!(
        describe(InstanceAttributeType::EarlyMedia).await,
        "true",
        "a refused update changes nothing"
    );

    // A first page of 7 (the model's maximum), then the whole list in pages of 5.
    let all = client
        .list_instance_attributes()
        .instance_id(&inst)
        .max_results(7)
        .send()
        .await
        .expect("list");
    let mut listed: HashMap<String, String> = HashMap::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let out = client
            .list_instance_attributes()
            .instance_id(&inst)
            .max_results(5)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("list attributes page");
        pages += 1;
        assert!(out.attributes().len() <= 5);
        for a in out.attributes() {
            let key = a.attribute_type().expect("type").as_str().to_string();
            assert!(
                listed
                    .insert(key.clone(), a.value().expect("value").to_string())
                    .is_none(),
                "{key} listed twice"
            );
        }
        match out.next_token() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
        assert!(pages < 10, "attribute paging does not end");
    }
    assert_eq!(pages, 3, "13 attributes in pages of 5");
    assert_eq!(listed.len(), 13, "every attribute type: {listed:?}");
    // The attribute types of the botocore model roster is generated from.
    for t in [
        "INBOUND_CALLS",
        "OUTBOUND_CALLS",
        "CONTACTFLOW_LOGS",
        "CONTACT_LENS",
        "AUTO_RESOLVE_BEST_VOICES",
        "USE_CUSTOM_TTS_VOICES",
        "EARLY_MEDIA",
        "MULTI_PARTY_CONFERENCE",
        "HIGH_VOLUME_OUTBOUND",
        "ENHANCED_CONTACT_MONITORING",
        "ENHANCED_CHAT_MONITORING",
        "MULTI_PARTY_CHAT_CONFERENCE",
        "MESSAGE_STREAMING",
    ] {
        assert!(
            listed.contains_key(t),
            "{t} missing from ListInstanceAttributes"
        );
    }
    assert_eq!(listed["CONTACTFLOW_LOGS"], "true");
    assert_eq!(listed["CONTACT_LENS"], "false");
    assert_eq!(listed["EARLY_MEDIA"], "true");
    assert_eq!(listed["AUTO_RESOLVE_BEST_VOICES"], "true");
    assert_eq!(listed["INBOUND_CALLS"], "true");
    assert_eq!(listed["OUTBOUND_CALLS"], "false");
    assert_eq!(all.attributes().len(), 7);
    assert!(all.next_token().is_some());

    let err = client
        .describe_instance_attribute()
        .instance_id(uuid::Uuid::new_v4().to_string())
        .attribute_type(InstanceAttributeType::ContactLens)
        .send()
        .await
        .expect_err("unknown instance");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
}

#[tokio::test]
async fn security_profiles_lifecycle() {
    let server = Server::start();
    let client = server.client();
    let inst = create_instance(&client, "CONNECT_MANAGED").await;

    let created = client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Supervisors")
        .description("floor supervisors")
        .tags("team", "north")
        .send()
        .await
        .expect("create security profile");
    let id = created.security_profile_id().expect("id").to_string();
    assert_eq!(
        created.security_profile_arn(),
        Some(
            format!("arn:aws:connect:us-east-1:123456789012:instance/{inst}/security-profile/{id}")
                .as_str()
        )
    );

    let described = client
        .describe_security_profile()
        .instance_id(&inst)
        .security_profile_id(&id)
        .send()
        .await
        .expect("describe");
    let p = described.security_profile().expect("profile");
    assert_eq!(p.id(), Some(id.as_str()));
    assert_eq!(p.security_profile_name(), Some("Supervisors"));
    assert_eq!(p.description(), Some("floor supervisors"));
    assert_eq!(
        p.tags().and_then(|t| t.get("team")).map(String::as_str),
        Some("north")
    );

    let listed = client
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.security_profile_summary_list().len(), 5);
    assert!(listed
        .security_profile_summary_list()
        .iter()
        .any(|s| s.id() == Some(id.as_str()) && s.name() == Some("Supervisors")));

    // Pages of 2 cover all five exactly once.
    let mut seen = HashSet::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .list_security_profiles()
            .instance_id(&inst)
            .max_results(2)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("page");
        assert!(out.security_profile_summary_list().len() <= 2);
        for s in out.security_profile_summary_list() {
            assert!(seen.insert(s.id().unwrap().to_string()), "listed twice");
        }
        match out.next_token() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);

    let err = client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Supervisors")
        .send()
        .await
        .expect_err("duplicate name");
    assert_eq!(
        error_of(&err),
        ("DuplicateResourceException".to_string(), 409)
    );
    let err = client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Agent")
        .send()
        .await
        .expect_err("duplicate of a default profile");
    assert_eq!(
        error_of(&err),
        ("DuplicateResourceException".to_string(), 409)
    );

    // In use by a user: 409 until the user lets go of it.
    let routing = basic_routing_profile(&client, &inst).await;
    let user = create_user(&client, &inst, "holder", &[&id], &routing).await;
    let err = client
        .delete_security_profile()
        .instance_id(&inst)
        .security_profile_id(&id)
        .send()
        .await
        .expect_err("profile in use");
    assert_eq!(error_of(&err), ("ResourceInUseException".to_string(), 409));
    client
        .describe_security_profile()
        .instance_id(&inst)
        .security_profile_id(&id)
        .send()
        .await
        .expect("still there after a refused delete");

    let agent = security_profile_id(&client, &inst, "Agent").await;
    client
        .update_user_security_profiles()
        .instance_id(&inst)
        .user_id(&user)
        .security_profile_ids(&agent)
        .send()
        .await
        .expect("move the user to Agent");
    client
        .delete_security_profile()
        .instance_id(&inst)
        .security_profile_id(&id)
        .send()
        .await
        .expect("delete once unused");
    let err = client
        .describe_security_profile()
        .instance_id(&inst)
        .security_profile_id(&id)
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
    let err = client
        .delete_security_profile()
        .instance_id(&inst)
        .security_profile_id(&id)
        .send()
        .await
        .expect_err("deleted twice");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
    let listed = client
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.security_profile_summary_list().len(), 4);

    // The name is free again.
    client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Supervisors")
        .send()
        .await
        .expect("name reusable after delete");
}

#[tokio::test]
async fn routing_profiles_lifecycle() {
    let server = Server::start();
    let client = server.client();
    let inst = create_instance(&client, "CONNECT_MANAGED").await;
    let queue = basic_queue(&client, &inst).await;
    let voice = MediaConcurrency::builder()
        .channel(Channel::Voice)
        .concurrency(1)
        .build()
        .expect("media");
    let chat = MediaConcurrency::builder()
        .channel(Channel::Chat)
        .concurrency(3)
        .build()
        .expect("media");

    let create = |name: &str| {
        client
            .create_routing_profile()
            .instance_id(&inst)
            .name(name)
            .description("sales floor")
            .default_outbound_queue_id(&queue)
            .media_concurrencies(voice.clone())
            .media_concurrencies(chat.clone())
            .tags("floor", "2")
            .send()
    };
    let created = create("Sales").await.expect("create routing profile");
    let id = created.routing_profile_id().expect("id").to_string();
    assert_eq!(
        created.routing_profile_arn(),
        Some(
            format!("arn:aws:connect:us-east-1:123456789012:instance/{inst}/routing-profile/{id}")
                .as_str()
        )
    );

    let described = client
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&id)
        .send()
        .await
        .expect("describe");
    let rp = described.routing_profile().expect("routing profile");
    assert_eq!(rp.name(), Some("Sales"));
    assert_eq!(rp.description(), Some("sales floor"));
    assert_eq!(rp.default_outbound_queue_id(), Some(queue.as_str()));
    assert_eq!(
        rp.tags().and_then(|t| t.get("floor")).map(String::as_str),
        Some("2")
    );
    let mut media: Vec<(String, i32)> = rp
        .media_concurrencies()
        .iter()
        .map(|m| (m.channel().as_str().to_string(), m.concurrency()))
        .collect();
    media.sort();
    assert_eq!(media, [("CHAT".to_string(), 3), ("VOICE".to_string(), 1)]);

    let listed = client
        .list_routing_profiles()
        .instance_id(&inst)
        .send()
        .await
        .expect("list");
    let mut names: Vec<&str> = listed
        .routing_profile_summary_list()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    names.sort();
    assert_eq!(names, ["Basic Routing Profile", "Sales"]);
    let page = client
        .list_routing_profiles()
        .instance_id(&inst)
        .max_results(1)
        .send()
        .await
        .expect("page 1");
    assert_eq!(page.routing_profile_summary_list().len(), 1);
    let token = page.next_token().expect("a second page").to_string();
    let page2 = client
        .list_routing_profiles()
        .instance_id(&inst)
        .max_results(1)
        .next_token(token)
        .send()
        .await
        .expect("page 2");
    assert_eq!(page2.routing_profile_summary_list().len(), 1);
    assert_ne!(
        page.routing_profile_summary_list()[0].id(),
        page2.routing_profile_summary_list()[0].id()
    );
    assert!(page2.next_token().is_none());

    let err = create("Sales").await.expect_err("duplicate name");
    assert_eq!(
        error_of(&err),
        ("DuplicateResourceException".to_string(), 409)
    );

    let agent = security_profile_id(&client, &inst, "Agent").await;
    let user = create_user(&client, &inst, "seller", &[&agent], &id).await;
    let described = client
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&id)
        .send()
        .await
        .expect("describe");
    assert_eq!(
        described
            .routing_profile()
            .and_then(|r| r.number_of_associated_users()),
        Some(1)
    );
    let err = client
        .delete_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&id)
        .send()
        .await
        .expect_err("in use");
    assert_eq!(error_of(&err), ("ResourceInUseException".to_string(), 409));

    let basic = basic_routing_profile(&client, &inst).await;
    client
        .update_user_routing_profile()
        .instance_id(&inst)
        .user_id(&user)
        .routing_profile_id(&basic)
        .send()
        .await
        .expect("move the user");
    client
        .delete_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&id)
        .send()
        .await
        .expect("delete once unused");
    let err = client
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&id)
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
}

#[tokio::test]
async fn tags_on_instance_level_arns() {
    let server = Server::start();
    let client = server.client();
    let inst = create_instance(&client, "CONNECT_MANAGED").await;
    let instance = instance_arn(&client, &inst).await;
    let sp = client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Tagged")
        .send()
        .await
        .expect("security profile")
        .security_profile_arn
        .expect("arn");
    let routing_id = basic_routing_profile(&client, &inst).await;
    let rp = client
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&routing_id)
        .send()
        .await
        .expect("describe routing profile")
        .routing_profile
        .and_then(|r| r.routing_profile_arn)
        .expect("routing profile arn");

    for arn in [&instance, &sp, &rp] {
        assert!(
            tags_of(&client, arn).await.is_empty(),
            "{arn} starts untagged"
        );
        client
            .tag_resource()
            .resource_arn(arn)
            .tags("team", "blue")
            .tags("cost-center", "42")
            .send()
            .await
            .unwrap_or_else(|e| panic!("tag {arn}: {e:?}"));
        assert_eq!(
            tags_of(&client, arn).await,
            BTreeMap::from([
                ("cost-center".to_string(), "42".to_string()),
                ("team".to_string(), "blue".to_string())
            ]),
            "{arn}"
        );
        // Tagging again overwrites values and adds keys.
        client
            .tag_resource()
            .resource_arn(arn)
            .tags("team", "red")
            .tags("env", "test")
            .send()
            .await
            .expect("retag");
        assert_eq!(tags_of(&client, arn).await.len(), 3);
        assert_eq!(tags_of(&client, arn).await["team"], "red");

        client
            .untag_resource()
            .resource_arn(arn)
            .tag_keys("team")
            .tag_keys("not-there")
            .send()
            .await
            .unwrap_or_else(|e| panic!("untag {arn} with an absent key: {e:?}"));
        assert_eq!(
            tags_of(&client, arn).await,
            BTreeMap::from([
                ("cost-center".to_string(), "42".to_string()),
                ("env".to_string(), "test".to_string())
            ]),
            "{arn}"
        );
        client
            .untag_resource()
            .resource_arn(arn)
            .tag_keys("absent-only")
            .send()
            .await
            .expect("untag only absent keys");

        let err = client
            .tag_resource()
            .resource_arn(arn)
            .tags("aws:reserved", "x")
            .send()
            .await
            .expect_err("aws: prefix");
        assert_eq!(error_of(&err).1, 400, "aws: key on {arn}");
        assert!(message_of(&err).contains("aws:"), "{}", message_of(&err));

        let mut too_many = client.tag_resource().resource_arn(arn);
        for n in 0..51 {
            too_many = too_many.tags(format!("k{n}"), "v");
        }
        let err = too_many.send().await.expect_err("51 tags");
        assert_eq!(error_of(&err).1, 400, "51 tags on {arn}");

        // 2 present + 49 new = 51: over the limit in total.
        let mut over_total = client.tag_resource().resource_arn(arn);
        for n in 0..49 {
            over_total = over_total.tags(format!("n{n}"), "v");
        }
        let err = over_total.send().await.expect_err("51 tags in total");
        assert_eq!(error_of(&err).1, 400, "51 tags in total on {arn}");
        assert_eq!(
            tags_of(&client, arn).await.len(),
            2,
            "refused tag calls change nothing on {arn}"
        );

        // Exactly 50 is fine.
        let mut fifty = client.tag_resource().resource_arn(arn);
        for n in 0..48 {
            fifty = fifty.tags(format!("n{n}"), "v");
        }
        fifty.send().await.expect("50 tags in total");
        assert_eq!(tags_of(&client, arn).await.len(), 50);
    }

    // Instance tags show in DescribeInstance, profile tags in DescribeSecurityProfile.
    let described = client
        .describe_instance()
        .instance_id(&inst)
        .send()
        .await
        .expect("describe");
    assert_eq!(
        described.instance().and_then(|i| i.tags()).map(|t| t.len()),
        Some(50)
    );

    // The same ARNs in another account: not found.
    for arn in [&instance, &sp, &rp] {
        let foreign = arn.replace(":123456789012:", ":999999999999:");
        let err = client
            .list_tags_for_resource()
            .resource_arn(&foreign)
            .send()
            .await
            .expect_err("other account");
        assert_eq!(
            error_of(&err),
            ("ResourceNotFoundException".to_string(), 404),
            "{foreign}"
        );
        let err = client
            .tag_resource()
            .resource_arn(&foreign)
            .tags("a", "b")
            .send()
            .await
            .expect_err("other account");
        assert_eq!(
            error_of(&err),
            ("ResourceNotFoundException".to_string(), 404),
            "{foreign}"
        );
        let err = client
            .untag_resource()
            .resource_arn(&foreign)
            .tag_keys("a")
            .send()
            .await
            .expect_err("other account");
        assert_eq!(
            error_of(&err),
            ("ResourceNotFoundException".to_string(), 404),
            "{foreign}"
        );
    }

    // An ARN naming a resource that does not exist in this account.
    let missing = format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{inst}/security-profile/{}",
        uuid::Uuid::new_v4()
    );
    let err = client
        .list_tags_for_resource()
        .resource_arn(&missing)
        .send()
        .await
        .expect_err("missing profile");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
    let missing_instance = format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}",
        uuid::Uuid::new_v4()
    );
    let err = client
        .list_tags_for_resource()
        .resource_arn(&missing_instance)
        .send()
        .await
        .expect_err("missing instance");
    assert_eq!(
        error_of(&err),
        ("ResourceNotFoundException".to_string(), 404)
    );
}

#[tokio::test]
async fn create_instance_tags_and_profile_tags_are_validated() {
    let server = Server::start();
    let client = server.client();
    let err = client
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .instance_alias(alias())
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .tags("aws:x", "y")
        .send()
        .await
        .expect_err("aws: tag on create");
    assert_eq!(error_of(&err).1, 400);

    let inst = create_instance(&client, "CONNECT_MANAGED").await;
    let err = client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Bad")
        .tags("aws:x", "y")
        .send()
        .await
        .expect_err("aws: tag on create");
    assert_eq!(error_of(&err).1, 400);
    let listed = client
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .expect("list");
    assert!(listed
        .security_profile_summary_list()
        .iter()
        .all(|p| p.name() != Some("Bad")));
}

#[tokio::test]
async fn operations_without_output_answer_an_empty_object() {
    let server = Server::start();
    let client = server.client();
    let inst = create_instance(&client, "CONNECT_MANAGED").await;
    let arn = instance_arn(&client, &inst).await;
    let encoded: String = arn
        .chars()
        .map(|c| match c {
            ':' => "%3A".to_string(),
            '/' => "%2F".to_string(),
            c => c.to_string(),
        })
        .collect();
    let sp = client
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Empty")
        .send()
        .await
        .expect("create")
        .security_profile_id
        .expect("id");

    let calls: Vec<(&str, String, Option<serde_json::Value>)> = vec![
        (
            "POST",
            format!("/instance/{inst}/attribute/CONTACTFLOW_LOGS"),
            Some(serde_json::json!({"Value": "true"})),
        ),
        (
            "POST",
            format!("/tags/{encoded}"),
            Some(serde_json::json!({"tags": {"a": "b"}})),
        ),
        ("DELETE", format!("/tags/{encoded}?tagKeys=a"), None),
        ("DELETE", format!("/security-profiles/{inst}/{sp}"), None),
        ("DELETE", format!("/instance/{inst}"), None),
    ];
    let mut request_ids = HashSet::new();
    for (method, path, body) in calls {
        let r = raw_json_request(&server.addr, method, &path, body.as_ref()).await;
        assert_eq!(
            r.status,
            200,
            "{method} {path}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.body, b"{}", "{method} {path} answers exactly {{}}");
        let rid = r
            .header("x-amzn-requestid")
            .expect("request id")
            .to_string();
        assert!(
            uuid::Uuid::parse_str(&rid).is_ok(),
            "request id {rid} is a UUID"
        );
        assert!(
            request_ids.insert(rid),
            "request ids differ on every response"
        );
    }
}
