//! Quick connects through the real binary and `aws-sdk-connect`: every destination
//! type and member of Create/Describe/List/Update/Delete, the queues that offer them
//! (Associate/Disassociate/ListQueueQuickConnects), SearchQuickConnects, tags on
//! their ARN, the per-instance quota, bad requests, and a replay of the calls
//! Terraform's `aws_connect_quick_connect` makes, in its order.

use std::collections::{BTreeSet, HashMap};

use roster_tests::aws_sdk_connect::types::{
    ControlPlaneTagFilter, FlowQuickConnectConfig, PhoneNumberQuickConnectConfig,
    QueueQuickConnectConfig, QuickConnect, QuickConnectConfig, QuickConnectSearchCriteria,
    QuickConnectSearchFilter, QuickConnectSummary, QuickConnectType, StringComparisonType,
    StringCondition, TagCondition, UserQuickConnectConfig,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

const FLOW: &str = "c7b1a3e2-5d4f-4b6a-9e8d-1f2a3b4c5d6e";

fn phone(number: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::PhoneNumber)
        .phone_config(
            PhoneNumberQuickConnectConfig::builder()
                .phone_number(number)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn to_user(user: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::User)
        .user_config(
            UserQuickConnectConfig::builder()
                .user_id(user)
                .contact_flow_id(FLOW)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn to_queue(queue: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::Queue)
        .queue_config(
            QueueQuickConnectConfig::builder()
                .queue_id(queue)
                .contact_flow_id(FLOW)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn to_flow(flow: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::Flow)
        .flow_config(
            FlowQuickConnectConfig::builder()
                .contact_flow_id(flow)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn tags(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn arn_prefix(fx: &Fx) -> String {
    format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}/transfer-destination/",
        fx.instance
    )
}

async fn create(fx: &Fx, name: &str, config: QuickConnectConfig) -> String {
    fx.client
        .create_quick_connect()
        .instance_id(&fx.instance)
        .name(name)
        .quick_connect_config(config)
        .send()
        .await
        .unwrap_or_else(|e| panic!("create {name}: {:?} {}", error_of(&e), message_of(&e)))
        .quick_connect_id
        .expect("id")
}

async fn describe(client: &Client, instance: &str, id: &str) -> QuickConnect {
    client
        .describe_quick_connect()
        .instance_id(instance)
        .quick_connect_id(id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("describe {id}: {:?} {}", error_of(&e), message_of(&e)))
        .quick_connect
        .expect("QuickConnect")
}

/// Every quick connect of the types asked, `size` at a time.
async fn all_listed(
    client: &Client,
    instance: &str,
    types: &[QuickConnectType],
    size: i32,
) -> Vec<QuickConnectSummary> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_quick_connects()
            .instance_id(instance)
            .set_quick_connect_types(Some(types.to_vec()).filter(|t| !t.is_empty()))
            .max_results(size)
            .set_next_token(token)
            .send()
            .await
            .expect("list quick connects");
        let page = out.quick_connect_summary_list();
        assert!(page.len() <= size as usize);
        all.extend(page.iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
        assert_eq!(
            page.len(),
            size as usize,
            "a page followed by a token is full"
        );
    }
}

fn ids(list: &[QuickConnectSummary]) -> Vec<String> {
    list.iter().map(|s| s.id().unwrap().to_string()).collect()
}

/// Every quick connect the queue offers, `size` at a time.
async fn offered(fx: &Fx, queue: &str, size: i32) -> Vec<String> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = fx
            .client
            .list_queue_quick_connects()
            .instance_id(&fx.instance)
            .queue_id(queue)
            .max_results(size)
            .set_next_token(token)
            .send()
            .await
            .expect("list queue quick connects");
        assert!(out.last_modified_time().is_some());
        assert_eq!(out.last_modified_region(), Some("us-east-1"));
        all.extend(ids(out.quick_connect_summary_list()));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
    }
}

#[tokio::test]
async fn every_destination_type_round_trips_and_lists_by_type() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let user = fx.new_user("qc.agent").await;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    let flow_arn = format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}/contact-flow/{FLOW}",
        fx.instance
    );
    let made = [
        ("Agent", to_user(&user)),
        ("Basic queue", to_queue(&queue)),
        ("Pager", phone("+12065550100")),
        ("Survey", to_flow(&flow_arn)),
    ];
    let mut by_type = HashMap::new();
    for (name, config) in &made {
        let out = c
            .create_quick_connect()
            .instance_id(&fx.instance)
            .name(*name)
            .description(format!("Transfers to {name}"))
            .quick_connect_config(config.clone())
            .tags("team", "support")
            .send()
            .await
            .expect("create");
        let id = out.quick_connect_id().unwrap().to_string();
        assert_eq!(
            out.quick_connect_arn(),
            Some(format!("{}{id}", arn_prefix(&fx)).as_str())
        );
        let q = describe(c, &fx.instance, &id).await;
        assert_eq!(q.quick_connect_id(), Some(id.as_str()));
        assert_eq!(q.quick_connect_arn(), out.quick_connect_arn());
        assert_eq!(q.name(), Some(*name));
        assert_eq!(
            q.description(),
            Some(format!("Transfers to {name}").as_str())
        );
        assert_eq!(q.quick_connect_config(), Some(config));
        assert_eq!(q.tags(), Some(&tags(&[("team", "support")])));
        assert_eq!(q.last_modified_region(), Some("us-east-1"));
        assert!(q.last_modified_time().is_some());
        by_type.insert(config.quick_connect_type().clone(), id);
    }
    // The instance ARN names the instance too.
    let arn = format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}",
        fx.instance
    );
    let q = describe(c, &arn, &by_type[&QuickConnectType::User]).await;
    assert_eq!(q.name(), Some("Agent"));

    let mut all: Vec<String> = by_type.values().cloned().collect();
    all.sort();
    let listed = all_listed(c, &fx.instance, &[], 3).await;
    assert_eq!(ids(&listed), all, "every quick connect, in id order");
    for s in &listed {
        let q = describe(c, &fx.instance, s.id().unwrap()).await;
        assert_eq!(s.name(), q.name());
        assert_eq!(s.arn(), q.quick_connect_arn());
        assert_eq!(
            s.quick_connect_type(),
            Some(q.quick_connect_config().unwrap().quick_connect_type())
        );
        assert_eq!(s.last_modified_time(), q.last_modified_time());
        assert_eq!(s.last_modified_region(), Some("us-east-1"));
    }
    let phones = all_listed(c, &fx.instance, &[QuickConnectType::PhoneNumber], 1).await;
    assert_eq!(
        ids(&phones),
        [by_type[&QuickConnectType::PhoneNumber].clone()]
    );
    let mut people_and_queues = vec![
        by_type[&QuickConnectType::User].clone(),
        by_type[&QuickConnectType::Queue].clone(),
    ];
    people_and_queues.sort();
    let got = all_listed(
        c,
        &fx.instance,
        &[QuickConnectType::Queue, QuickConnectType::User],
        1,
    )
    .await;
    assert_eq!(ids(&got), people_and_queues);

    // A token resumes only the filter that made it.
    let first = c
        .list_quick_connects()
        .instance_id(&fx.instance)
        .quick_connect_types(QuickConnectType::User)
        .quick_connect_types(QuickConnectType::Queue)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let token = first.next_token().expect("a second page").to_string();
    rejected(
        c.list_quick_connects()
            .instance_id(&fx.instance)
            .next_token(&token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );

    // A user's quick connect outlives the user: the service's documentation has
    // clients delete it after DeleteUser.
    c.delete_user()
        .instance_id(&fx.instance)
        .user_id(&user)
        .send()
        .await
        .expect("delete user");
    let q = describe(c, &fx.instance, &by_type[&QuickConnectType::User]).await;
    assert_eq!(q.quick_connect_config(), Some(&to_user(&user)));
}

/// The calls `aws_connect_quick_connect` makes: Create (with tags) and Describe;
/// UpdateQuickConnectName (name and description together) and
/// UpdateQuickConnectConfig, each followed by Describe; TagResource/UntagResource;
/// an update removing the description (sent empty); Delete, and Describe finding
/// nothing. Every value read back is the value sent.
#[tokio::test]
async fn terraform_replay_reads_back_what_it_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let sent_tags = tags(&[("Name", "Example Quick Connect")]);
    let created = c
        .create_quick_connect()
        .instance_id(&fx.instance)
        .name("Example Name")
        .description("quick connect phone number")
        .quick_connect_config(phone("+12345678912"))
        .set_tags(Some(sent_tags.clone()))
        .send()
        .await
        .expect("create");
    let id = created.quick_connect_id().unwrap().to_string();
    let arn = created.quick_connect_arn().unwrap().to_string();
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.quick_connect_arn(), Some(arn.as_str()));
    assert_eq!(q.name(), Some("Example Name"));
    assert_eq!(q.description(), Some("quick connect phone number"));
    assert_eq!(q.quick_connect_config(), Some(&phone("+12345678912")));
    assert_eq!(q.tags(), Some(&sent_tags));
    let created_at = q.last_modified_time().copied().unwrap();

    c.update_quick_connect_name()
        .instance_id(&fx.instance)
        .quick_connect_id(&id)
        .name("Example Name Updated")
        .description("quick connect phone number updated")
        .send()
        .await
        .expect("update name");
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.name(), Some("Example Name Updated"));
    assert_eq!(q.description(), Some("quick connect phone number updated"));
    assert_eq!(q.quick_connect_config(), Some(&phone("+12345678912")));
    assert!(q.last_modified_time().copied().unwrap() >= created_at);

    let queue = basic_queue(&fx.client, &fx.instance).await;
    c.update_quick_connect_config()
        .instance_id(&fx.instance)
        .quick_connect_id(&id)
        .quick_connect_config(to_queue(&queue))
        .send()
        .await
        .expect("update config");
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.quick_connect_config(), Some(&to_queue(&queue)));
    assert_eq!(q.name(), Some("Example Name Updated"));
    assert_eq!(q.tags(), Some(&sent_tags), "updates keep the tags");

    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(tags(&[("Key2", "Value2"), ("Name", "Renamed")])))
        .send()
        .await
        .expect("tag");
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("Key2")
        .send()
        .await
        .expect("untag");
    let want = tags(&[("Name", "Renamed")]);
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("list tags");
    assert_eq!(listed.tags(), Some(&want));
    assert_eq!(describe(c, &fx.instance, &id).await.tags(), Some(&want));

    // Removing the description: the provider sends the name and an empty description.
    c.update_quick_connect_name()
        .instance_id(&fx.instance)
        .quick_connect_id(&id)
        .name("Example Name Updated")
        .description("")
        .send()
        .await
        .expect("update without description");
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.description(), None);
    assert_eq!(q.name(), Some("Example Name Updated"));

    // The data source reads it by name from the list, then describes it.
    let found = all_listed(c, &fx.instance, &[], 60)
        .await
        .into_iter()
        .find(|s| s.name() == Some("Example Name Updated"))
        .expect("found by name");
    assert_eq!(found.id(), Some(id.as_str()));
    assert_eq!(found.quick_connect_type(), Some(&QuickConnectType::Queue));

    c.delete_quick_connect()
        .instance_id(&fx.instance)
        .quick_connect_id(&id)
        .send()
        .await
        .expect("delete");
    rejected(
        c.describe_quick_connect()
            .instance_id(&fx.instance)
            .quick_connect_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.delete_quick_connect()
            .instance_id(&fx.instance)
            .quick_connect_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.list_tags_for_resource().resource_arn(&arn).send().await,
        "ResourceNotFoundException",
        404,
    );
}

#[tokio::test]
async fn queues_offer_quick_connects() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    let mut qcs = Vec::new();
    for n in 0..4 {
        qcs.push(create(&fx, &format!("Line {n}"), phone(&format!("+1206555010{n}"))).await);
    }
    assert!(offered(&fx, &queue, 100).await.is_empty());
    c.associate_queue_quick_connects()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .set_quick_connect_ids(Some(qcs[..3].to_vec()))
        .send()
        .await
        .expect("associate");
    // Associating what the queue offers already changes nothing.
    c.associate_queue_quick_connects()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .quick_connect_ids(&qcs[0])
        .send()
        .await
        .expect("associate again");
    let mut want = qcs[..3].to_vec();
    want.sort();
    assert_eq!(offered(&fx, &queue, 1).await, want);
    assert_eq!(offered(&fx, &queue, 100).await, want);
    let page = c
        .list_queue_quick_connects()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .send()
        .await
        .unwrap();
    let summary = &page.quick_connect_summary_list()[0];
    assert_eq!(
        summary.quick_connect_type(),
        Some(&QuickConnectType::PhoneNumber)
    );
    assert!(summary.arn().unwrap().starts_with(&arn_prefix(&fx)));

    // Offered by a queue, a quick connect is not deleted.
    let msg = rejected(
        c.delete_quick_connect()
            .instance_id(&fx.instance)
            .quick_connect_id(&want[0])
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains(&queue), "{msg}");
    describe(c, &fx.instance, &want[0]).await;

    // A call naming a quick connect that is not there names the entry; nothing changes.
    let missing = uuid::Uuid::new_v4().to_string();
    let msg = rejected(
        c.associate_queue_quick_connects()
            .instance_id(&fx.instance)
            .queue_id(&queue)
            .quick_connect_ids(&qcs[3])
            .quick_connect_ids(&missing)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.starts_with("QuickConnectIds[1]"), "{msg}");
    assert!(msg.contains(&missing), "{msg}");
    assert_eq!(offered(&fx, &queue, 100).await, want);
    // A queue that is not there is not found.
    rejected(
        c.associate_queue_quick_connects()
            .instance_id(&fx.instance)
            .queue_id(&missing)
            .quick_connect_ids(&qcs[0])
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.disassociate_queue_quick_connects()
            .instance_id(&fx.instance)
            .queue_id(&missing)
            .quick_connect_ids(&qcs[0])
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.list_queue_quick_connects()
            .instance_id(&fx.instance)
            .queue_id(&missing)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    // The model's limits on the id list, and an id twice.
    let many: Vec<String> = (0..51).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for list in [vec![], many, vec![qcs[0].clone(), qcs[0].clone()]] {
        let msg = rejected(
            c.associate_queue_quick_connects()
                .instance_id(&fx.instance)
                .queue_id(&queue)
                .set_quick_connect_ids(Some(list))
                .send()
                .await,
            "InvalidParameterException",
            400,
        );
        assert!(msg.starts_with("QuickConnectIds"), "{msg}");
    }
    // A token of another queue's listing is refused.
    let token = c
        .list_queue_quick_connects()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .max_results(1)
        .send()
        .await
        .unwrap()
        .next_token()
        .expect("a second page")
        .to_string();
    rejected(
        c.list_quick_connects()
            .instance_id(&fx.instance)
            .next_token(&token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );

    // Disassociating ignores what the queue does not offer.
    c.disassociate_queue_quick_connects()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .quick_connect_ids(&want[0])
        .quick_connect_ids(&qcs[3])
        .send()
        .await
        .expect("disassociate");
    assert_eq!(offered(&fx, &queue, 100).await, want[1..].to_vec());
    c.delete_quick_connect()
        .instance_id(&fx.instance)
        .quick_connect_id(&want[0])
        .send()
        .await
        .expect("delete once no queue offers it");
}

#[tokio::test]
async fn bad_requests_name_the_member_and_change_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    let kept = create(&fx, "Tier 2", phone("+12065550100")).await;
    let other = create(&fx, "Tier 3", phone("+12065550101")).await;
    let before = all_listed(c, &fx.instance, &[], 100).await;
    let missing = uuid::Uuid::new_v4().to_string();

    let no_member = QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::User)
        .build()
        .unwrap();
    let two_members = QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::Queue)
        .queue_config(
            QueueQuickConnectConfig::builder()
                .queue_id(&queue)
                .contact_flow_id(FLOW)
                .build()
                .unwrap(),
        )
        .phone_config(
            PhoneNumberQuickConnectConfig::builder()
                .phone_number("+12065550100")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let empty_flow = QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::Flow)
        .flow_config(
            FlowQuickConnectConfig::builder()
                .contact_flow_id("")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let cases: Vec<(QuickConnectConfig, &str, &str)> = vec![
        (
            no_member,
            "InvalidRequestException",
            "QuickConnectConfig.UserConfig",
        ),
        (
            two_members,
            "InvalidParameterException",
            "QuickConnectConfig.PhoneConfig",
        ),
        (
            phone("2065550100"),
            "InvalidParameterException",
            "QuickConnectConfig.PhoneConfig.PhoneNumber",
        ),
        (
            phone("+1 206 555 0100"),
            "InvalidParameterException",
            "QuickConnectConfig.PhoneConfig.PhoneNumber",
        ),
        (
            to_user(&missing),
            "InvalidParameterException",
            "QuickConnectConfig.UserConfig.UserId",
        ),
        (
            to_queue(&missing),
            "InvalidParameterException",
            "QuickConnectConfig.QueueConfig.QueueId",
        ),
        (
            empty_flow,
            "InvalidParameterException",
            "QuickConnectConfig.FlowConfig.ContactFlowId",
        ),
        (
            to_flow(&"f".repeat(501)),
            "InvalidParameterException",
            "QuickConnectConfig.FlowConfig.ContactFlowId",
        ),
    ];
    for (config, code, member) in cases {
        let msg = rejected(
            c.create_quick_connect()
                .instance_id(&fx.instance)
                .name("Refused")
                .quick_connect_config(config.clone())
                .send()
                .await,
            code,
            400,
        );
        assert!(msg.starts_with(member), "{member}: {msg}");
        let msg = rejected(
            c.update_quick_connect_config()
                .instance_id(&fx.instance)
                .quick_connect_id(&kept)
                .quick_connect_config(config)
                .send()
                .await,
            code,
            400,
        );
        assert!(msg.starts_with(member), "{member}: {msg}");
    }
    // The model's lengths.
    for (name, description, member) in [
        ("x".repeat(128), None, "Name"),
        ("Fine".to_string(), Some(String::new()), "Description"),
        ("Fine".to_string(), Some("d".repeat(251)), "Description"),
    ] {
        let msg = rejected(
            c.create_quick_connect()
                .instance_id(&fx.instance)
                .name(name)
                .set_description(description)
                .quick_connect_config(phone("+12065550100"))
                .send()
                .await,
            "InvalidParameterException",
            400,
        );
        assert!(msg.starts_with(member), "{member}: {msg}");
    }
    // Tags keep their rules.
    rejected(
        c.create_quick_connect()
            .instance_id(&fx.instance)
            .name("Tagged")
            .quick_connect_config(phone("+12065550100"))
            .tags("aws:reserved", "x")
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    // Names are unique in the instance: 409 on create, and on rename (whose model
    // list has no DuplicateResourceException) 400.
    rejected(
        c.create_quick_connect()
            .instance_id(&fx.instance)
            .name("Tier 2")
            .quick_connect_config(to_flow(FLOW))
            .send()
            .await,
        "DuplicateResourceException",
        409,
    );
    let msg = rejected(
        c.update_quick_connect_name()
            .instance_id(&fx.instance)
            .quick_connect_id(&other)
            .name("Tier 2")
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.starts_with("Name"), "{msg}");
    let msg = rejected(
        c.update_quick_connect_name()
            .instance_id(&fx.instance)
            .quick_connect_id(&other)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains("Name") && msg.contains("Description"), "{msg}");
    rejected(
        c.update_quick_connect_name()
            .instance_id(&fx.instance)
            .quick_connect_id(&other)
            .name("")
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    // Unknown types in the list filter.
    rejected(
        c.list_quick_connects()
            .instance_id(&fx.instance)
            .quick_connect_types(QuickConnectType::from("AGENT"))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    // Quick connects that are not there, and instances of other accounts.
    for id in [missing.as_str()] {
        rejected(
            c.describe_quick_connect()
                .instance_id(&fx.instance)
                .quick_connect_id(id)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            c.update_quick_connect_name()
                .instance_id(&fx.instance)
                .quick_connect_id(id)
                .name("x")
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            c.update_quick_connect_config()
                .instance_id(&fx.instance)
                .quick_connect_id(id)
                .quick_connect_config(phone("+12065550100"))
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
    }
    let stranger = fx.server.client_as("111111111111", "secret", "us-east-1");
    rejected(
        stranger
            .describe_quick_connect()
            .instance_id(&fx.instance)
            .quick_connect_id(&kept)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    let elsewhere = fx.server.client_as("AKIDEXAMPLE", "secret", "eu-west-1");
    rejected(
        elsewhere
            .list_quick_connects()
            .instance_id(&fx.instance)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );

    let after = all_listed(c, &fx.instance, &[], 100).await;
    assert_eq!(after, before, "nothing refused was written");
    assert_eq!(
        describe(c, &fx.instance, &kept)
            .await
            .quick_connect_config(),
        Some(&phone("+12065550100"))
    );
}

#[tokio::test]
async fn an_instance_holds_at_most_100_quick_connects() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    for n in 0..100 {
        create(&fx, &format!("Line {n}"), to_flow(FLOW)).await;
    }
    // LimitExceededException is throttling to SDKs: ask once.
    let once = without_retries(&fx.client);
    let msg = rejected(
        once.create_quick_connect()
            .instance_id(&fx.instance)
            .name("One too many")
            .quick_connect_config(to_flow(FLOW))
            .send()
            .await,
        "LimitExceededException",
        429,
    );
    assert!(msg.contains("100"), "{msg}");
    assert_eq!(
        all_listed(&fx.client, &fx.instance, &[], 1000).await.len(),
        100
    );
}

fn string(field: &str, c: StringComparisonType, value: &str) -> QuickConnectSearchCriteria {
    QuickConnectSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name(field)
                .value(value)
                .comparison_type(c)
                .build(),
        )
        .build()
}

async fn search(
    fx: &Fx,
    filter: Option<QuickConnectSearchFilter>,
    criteria: Option<QuickConnectSearchCriteria>,
) -> (BTreeSet<String>, i64) {
    let out = fx
        .client
        .search_quick_connects()
        .instance_id(&fx.instance)
        .set_search_filter(filter)
        .set_search_criteria(criteria)
        .send()
        .await
        .unwrap_or_else(|e| panic!("search: {:?} {}", error_of(&e), message_of(&e)));
    let names = out
        .quick_connects()
        .iter()
        .map(|q| q.name().unwrap().to_string())
        .collect();
    (names, out.approximate_total_count().unwrap())
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[tokio::test]
async fn search_quick_connects_by_name_description_id_and_tags() {
    use StringComparisonType::{Contains, Exact, StartsWith};
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let mut ids = HashMap::new();
    for (name, description, team) in [
        ("Sales line", Some("Calls for Sales"), "red"),
        ("Sales desk", None, "blue"),
        ("Support", Some("Second-line support"), "red"),
        ("Billing", Some("Invoices and sales tax"), "green"),
    ] {
        let out = c
            .create_quick_connect()
            .instance_id(&fx.instance)
            .name(name)
            .set_description(description.map(str::to_string))
            .quick_connect_config(phone("+12065550100"))
            .tags("team", team)
            .send()
            .await
            .expect("create");
        ids.insert(name, out.quick_connect_id.unwrap());
    }

    let (all, total) = search(&fx, None, None).await;
    assert_eq!(total, 4);
    assert_eq!(all.len(), 4);
    assert_eq!(
        search(&fx, None, Some(string("name", StartsWith, "sales"))).await,
        (set(&["Sales line", "Sales desk"]), 2),
        "names compare ignoring case"
    );
    assert_eq!(
        search(&fx, None, Some(string("description", Contains, "SALES"))).await,
        (set(&["Sales line", "Billing"]), 2)
    );
    assert_eq!(
        search(
            &fx,
            None,
            Some(string("resourceID", Exact, &ids["Support"]))
        )
        .await,
        (set(&["Support"]), 1)
    );
    assert_eq!(
        search(
            &fx,
            None,
            Some(string("resourceID", Exact, &ids["Support"].to_uppercase()))
        )
        .await,
        (set(&[]), 0),
        "ids compare exactly"
    );
    let red = QuickConnectSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(
                    TagCondition::builder()
                        .tag_key("team")
                        .tag_value("red")
                        .build(),
                )
                .build(),
        )
        .build();
    assert_eq!(
        search(
            &fx,
            Some(red.clone()),
            Some(string("name", Contains, "sales"))
        )
        .await,
        (set(&["Sales line"]), 1)
    );
    let either = QuickConnectSearchCriteria::builder()
        .or_conditions(string("name", Exact, "billing"))
        .or_conditions(string("description", StartsWith, "second"))
        .build();
    assert_eq!(
        search(&fx, None, Some(either)).await,
        (set(&["Billing", "Support"]), 2)
    );
    let both = QuickConnectSearchCriteria::builder()
        .and_conditions(string("name", StartsWith, "sales"))
        .and_conditions(string("name", Contains, "desk"))
        .build();
    assert_eq!(search(&fx, Some(red), Some(both)).await, (set(&[]), 0));

    // Pages of one, resumed by the token; the total is on every page.
    let mut seen = BTreeSet::new();
    let mut token = None;
    loop {
        let out = c
            .search_quick_connects()
            .instance_id(&fx.instance)
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        assert_eq!(out.approximate_total_count(), Some(4));
        for q in out.quick_connects() {
            assert!(seen.insert(q.name().unwrap().to_string()));
            assert!(q.quick_connect_config().is_some());
            assert!(q.tags().is_some());
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, all);

    let msg = rejected(
        c.search_quick_connects()
            .instance_id(&fx.instance)
            .search_criteria(string("phoneNumber", Exact, "+12065550100"))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("name, description, resourceID"), "{msg}");
}

/// CreateQueue's `QuickConnectIds`: the new queue offers them at once; an id that is
/// no quick connect of the instance refuses the whole creation; deleting the queue
/// ends what it offered, so the quick connect can then go.
#[tokio::test]
async fn a_queue_created_with_quick_connects_offers_them_until_it_is_deleted() {
    let fx = Fx::new("SAML").await;
    let c = &fx.client;
    let basic = basic_queue(&fx.client, &fx.instance).await;
    let hours = basic_hours(&fx.client, &fx.instance).await;
    let first = create(&fx, "Front desk", phone("+442079460000")).await;
    let second = create(&fx, "Escalations", to_queue(&basic)).await;
    let mut sent = vec![first.clone(), second.clone()];
    sent.sort();

    let missing = "00000000-0000-4000-8000-000000000001";
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name("Refused")
            .hours_of_operation_id(&hours)
            .quick_connect_ids(&first)
            .quick_connect_ids(missing)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        msg.contains("QuickConnectIds[1]") && msg.contains(missing),
        "{msg}"
    );
    let names: Vec<String> = c
        .list_queues()
        .instance_id(&fx.instance)
        .send()
        .await
        .unwrap()
        .queue_summary_list()
        .iter()
        .filter_map(|q| q.name().map(str::to_string))
        .collect();
    assert!(
        !names.contains(&"Refused".to_string()),
        "a refused creation wrote its queue: {names:?}"
    );

    let queue = c
        .create_queue()
        .instance_id(&fx.instance)
        .name("Offers two")
        .hours_of_operation_id(&hours)
        .quick_connect_ids(&second)
        .quick_connect_ids(&first)
        .send()
        .await
        .expect("create queue with quick connects")
        .queue_id
        .unwrap();
    let mut got = offered(&fx, &queue, 1).await;
    got.sort();
    assert_eq!(got, sent);

    let msg = rejected(
        c.delete_quick_connect()
            .instance_id(&fx.instance)
            .quick_connect_id(&first)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains(&queue), "{msg}");
    c.delete_queue()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .send()
        .await
        .expect("delete queue");
    c.delete_quick_connect()
        .instance_id(&fx.instance)
        .quick_connect_id(&first)
        .send()
        .await
        .expect("a deleted queue no longer holds its quick connects");
}
