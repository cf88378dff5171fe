//! Queues through the real binary and `aws-sdk-connect`: the instance's `BasicQueue`,
//! every member and rule of CreateQueue, DescribeQueue, ListQueues (standard and the
//! users' agent queues), each UpdateQueue* operation and DeleteQueue, tags on their
//! ARN, the quota, and a replay of the calls Terraform's `aws_connect_queue` makes.

use std::collections::HashMap;

use roster_tests::aws_sdk_connect::types::{
    Channel, MediaConcurrency, OutboundCallerConfig, OutboundEmailConfig, Queue, QueueStatus,
    QueueSummary, QueueType, RoutingProfileQueueConfig, RoutingProfileQueueReference,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

fn tags(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn arn_prefix(fx: &Fx) -> String {
    format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}/queue/",
        fx.instance
    )
}

fn caller(name: Option<&str>, number: Option<&str>, flow: Option<&str>) -> OutboundCallerConfig {
    OutboundCallerConfig::builder()
        .set_outbound_caller_id_name(name.map(str::to_string))
        .set_outbound_caller_id_number_id(number.map(str::to_string))
        .set_outbound_flow_id(flow.map(str::to_string))
        .build()
}

async fn describe(client: &Client, instance: &str, id: &str) -> Queue {
    client
        .describe_queue()
        .instance_id(instance)
        .queue_id(id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("describe {id}: {:?} {}", error_of(&e), message_of(&e)))
        .queue
        .expect("Queue")
}

async fn all_queues(
    client: &Client,
    instance: &str,
    types: &[QueueType],
    size: i32,
) -> Vec<QueueSummary> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_queues()
            .instance_id(instance)
            .set_queue_types(Some(types.to_vec()).filter(|t| !t.is_empty()))
            .max_results(size)
            .set_next_token(token)
            .send()
            .await
            .expect("list queues");
        let page = out.queue_summary_list();
        assert!(page.len() <= size as usize);
        all.extend(page.iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
    }
}

async fn new_hours(fx: &Fx, name: &str) -> String {
    fx.client
        .create_hours_of_operation()
        .instance_id(&fx.instance)
        .name(name)
        .time_zone("UTC")
        .set_config(Some(Vec::new()))
        .send()
        .await
        .expect("create hours")
        .hours_of_operation_id
        .expect("id")
}

async fn create(fx: &Fx, name: &str, hours: &str) -> String {
    fx.client
        .create_queue()
        .instance_id(&fx.instance)
        .name(name)
        .hours_of_operation_id(hours)
        .send()
        .await
        .unwrap_or_else(|e| panic!("create {name}: {:?} {}", error_of(&e), message_of(&e)))
        .queue_id
        .expect("id")
}

#[tokio::test]
async fn a_new_instance_has_an_enabled_basic_queue_on_basic_hours() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let listed = all_queues(&fx.client, &fx.instance, &[QueueType::Standard], 100).await;
    assert_eq!(listed.len(), 1);
    let s = &listed[0];
    assert_eq!(s.name(), Some("BasicQueue"));
    assert_eq!(s.queue_type(), Some(&QueueType::Standard));
    let id = s.id().unwrap();
    assert_eq!(s.arn().unwrap(), format!("{}{id}", arn_prefix(&fx)));
    let q = describe(&fx.client, &fx.instance, id).await;
    assert_eq!(q.queue_id(), Some(id));
    assert_eq!(q.queue_arn(), s.arn());
    assert_eq!(q.name(), Some("BasicQueue"));
    assert_eq!(q.description(), Some("A simple, basic voice queue."));
    assert_eq!(
        q.hours_of_operation_id(),
        Some(basic_hours(&fx.client, &fx.instance).await.as_str())
    );
    assert_eq!(q.status(), Some(&QueueStatus::Enabled));
    assert_eq!(q.max_contacts(), None);
    assert_eq!(q.outbound_caller_config(), None);
    assert_eq!(q.outbound_email_config(), None);
    assert_eq!(q.tags(), Some(&HashMap::new()));
    assert_eq!(q.last_modified_region(), Some("us-east-1"));
    assert_eq!(q.last_modified_time(), s.last_modified_time());
}

/// The calls of `aws_connect_queue`, in the provider's order: Create then Describe and
/// the tags; each update (hours, max contacts, name and description together, outbound
/// caller config, status), each followed by Describe; tags through TagResource and
/// UntagResource; Delete, and Describe finding nothing. (Its read also lists the
/// queue's quick connects: `quick_connects.rs` covers those.) Every value read back
/// is the value sent.
#[tokio::test]
async fn terraform_replay_reads_back_what_it_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let hours = basic_hours(&fx.client, &fx.instance).await;
    let sent_tags = tags(&[("Name", "Example Queue")]);
    let number = "12345678-abcd-1234-abcd-123456789012";
    let flow = "87654321-abcd-1234-abcd-123456789012";
    let created = c
        .create_queue()
        .instance_id(&fx.instance)
        .name("Example Name")
        .description("Example Description")
        .hours_of_operation_id(&hours)
        .max_contacts(10)
        .outbound_caller_config(caller(Some("example"), Some(number), Some(flow)))
        .set_tags(Some(sent_tags.clone()))
        .send()
        .await
        .expect("create");
    let id = created.queue_id().unwrap().to_string();
    let arn = created.queue_arn().unwrap().to_string();
    assert_eq!(arn, format!("{}{id}", arn_prefix(&fx)));

    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.queue_arn(), Some(arn.as_str()));
    assert_eq!(q.name(), Some("Example Name"));
    assert_eq!(q.description(), Some("Example Description"));
    assert_eq!(q.hours_of_operation_id(), Some(hours.as_str()));
    assert_eq!(q.max_contacts(), Some(10));
    assert_eq!(q.status(), Some(&QueueStatus::Enabled));
    assert_eq!(
        q.outbound_caller_config(),
        Some(&caller(Some("example"), Some(number), Some(flow)))
    );
    assert_eq!(q.tags(), Some(&sent_tags));
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("list tags");
    assert_eq!(listed.tags(), Some(&sent_tags));
    let mut stamp = q.last_modified_time().copied().unwrap();

    // Each changed attribute has its own call; each is read back.
    let night = new_hours(&fx, "Night").await;
    c.update_queue_hours_of_operation()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .hours_of_operation_id(&night)
        .send()
        .await
        .expect("update hours");
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.hours_of_operation_id(), Some(night.as_str()));
    assert!(q.last_modified_time().copied().unwrap() >= stamp);
    stamp = q.last_modified_time().copied().unwrap();

    c.update_queue_max_contacts()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .max_contacts(0)
        .send()
        .await
        .expect("update max contacts");
    assert_eq!(describe(c, &fx.instance, &id).await.max_contacts(), Some(0));

    // Name and description go together, the unchanged one as it was.
    c.update_queue_name()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .name("Example Name")
        .description("Example Description Updated")
        .send()
        .await
        .expect("update name");
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.name(), Some("Example Name"));
    assert_eq!(q.description(), Some("Example Description Updated"));
    c.update_queue_name()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .name("Example Name Updated")
        .description("Example Description Updated")
        .send()
        .await
        .expect("rename");
    assert_eq!(
        describe(c, &fx.instance, &id).await.name(),
        Some("Example Name Updated")
    );

    // The whole outbound caller config is sent; members left out are removed.
    c.update_queue_outbound_caller_config()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .outbound_caller_config(caller(Some("updated"), None, Some(flow)))
        .send()
        .await
        .expect("update outbound caller config");
    assert_eq!(
        describe(c, &fx.instance, &id)
            .await
            .outbound_caller_config(),
        Some(&caller(Some("updated"), None, Some(flow)))
    );

    c.update_queue_status()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .status(QueueStatus::Disabled)
        .send()
        .await
        .expect("update status");
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.status(), Some(&QueueStatus::Disabled));
    assert!(q.last_modified_time().copied().unwrap() >= stamp);
    // Nothing else moved.
    assert_eq!(q.hours_of_operation_id(), Some(night.as_str()));
    assert_eq!(q.max_contacts(), Some(0));
    assert_eq!(q.description(), Some("Example Description Updated"));
    assert_eq!(q.tags(), Some(&sent_tags));

    // Tags: the provider tags what is new or changed and untags what went.
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(tags(&[("Key2", "Value2")])))
        .send()
        .await
        .expect("tag");
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("Name")
        .send()
        .await
        .expect("untag");
    let want = tags(&[("Key2", "Value2")]);
    assert_eq!(describe(c, &fx.instance, &id).await.tags(), Some(&want));

    // The outbound email address, set and read back.
    c.update_queue_outbound_email_config()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .outbound_email_config(
            OutboundEmailConfig::builder()
                .outbound_email_address_id("email-1")
                .build(),
        )
        .send()
        .await
        .expect("update outbound email config");
    assert_eq!(
        describe(c, &fx.instance, &id)
            .await
            .outbound_email_config()
            .and_then(|e| e.outbound_email_address_id()),
        Some("email-1")
    );

    c.delete_queue()
        .instance_id(&fx.instance)
        .queue_id(&id)
        .send()
        .await
        .expect("delete");
    rejected(
        c.describe_queue()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.delete_queue()
            .instance_id(&fx.instance)
            .queue_id(&id)
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
async fn every_user_has_an_agent_queue_in_the_listing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let ann = fx.new_user("ann").await;
    let bob = fx.new_user("bob").await;
    let agents = all_queues(&fx.client, &fx.instance, &[QueueType::Agent], 100).await;
    let mut ids: Vec<&str> = agents.iter().filter_map(|q| q.id()).collect();
    ids.sort();
    let mut want = vec![ann.as_str(), bob.as_str()];
    want.sort();
    assert_eq!(ids, want);
    for q in &agents {
        let id = q.id().unwrap();
        assert_eq!(q.queue_type(), Some(&QueueType::Agent));
        assert_eq!(q.name(), None, "agent queues have no name");
        assert_eq!(q.arn().unwrap(), format!("{}agent/{id}", arn_prefix(&fx)));
    }
    // Both kinds, when none is named; pages of one hold them all once.
    let all = all_queues(&fx.client, &fx.instance, &[], 1).await;
    assert_eq!(all.len(), 3);
    let both = all_queues(
        &fx.client,
        &fx.instance,
        &[QueueType::Standard, QueueType::Agent],
        100,
    )
    .await;
    assert_eq!(both, all);
    // An agent queue's ARN is not one roster tags.
    let agent_arn = agents[0].arn().unwrap().to_string();
    rejected(
        fx.client
            .tag_resource()
            .resource_arn(&agent_arn)
            .tags("k", "v")
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    // An agent queue has no settings to describe or change.
    let msg = rejected(
        fx.client
            .describe_queue()
            .instance_id(&fx.instance)
            .queue_id(&ann)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    assert!(msg.contains("agent queue"), "{msg}");
    rejected(
        fx.client
            .update_queue_status()
            .instance_id(&fx.instance)
            .queue_id(&ann)
            .status(QueueStatus::Disabled)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    // Deleting the user removes its agent queue.
    fx.client
        .delete_user()
        .instance_id(&fx.instance)
        .user_id(&ann)
        .send()
        .await
        .expect("delete user");
    let agents = all_queues(&fx.client, &fx.instance, &[QueueType::Agent], 100).await;
    assert_eq!(
        agents.iter().filter_map(|q| q.id()).collect::<Vec<_>>(),
        [bob.as_str()]
    );
}

#[tokio::test]
async fn bad_values_are_refused_naming_the_member_and_change_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let hours = basic_hours(&fx.client, &fx.instance).await;
    let id = create(&fx, "Sales", &hours).await;
    let before = describe(c, &fx.instance, &id).await;
    let count = || async {
        all_queues(c, &fx.instance, &[QueueType::Standard], 100)
            .await
            .len()
    };
    assert_eq!(count().await, 2);

    let missing = "00000000-0000-0000-0000-000000000000";
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name("Nowhere")
            .hours_of_operation_id(missing)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        msg.contains("HoursOfOperationId") && msg.contains(missing),
        "{msg}"
    );
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name("Negative")
            .hours_of_operation_id(&hours)
            .max_contacts(-1)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("MaxContacts"), "{msg}");
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name("Empty flow")
            .hours_of_operation_id(&hours)
            .outbound_caller_config(caller(None, None, Some("")))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("OutboundCallerConfig.OutboundFlowId"), "{msg}");
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name("With quick connects")
            .hours_of_operation_id(&hours)
            .quick_connect_ids("11111111-1111-1111-1111-111111111111")
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("QuickConnectIds[0]"), "{msg}");
    let long = "x".repeat(128);
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name(&long)
            .hours_of_operation_id(&hours)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("Name"), "{msg}");
    // A name another queue has, on create and on rename.
    let msg = rejected(
        c.create_queue()
            .instance_id(&fx.instance)
            .name("BasicQueue")
            .hours_of_operation_id(&hours)
            .send()
            .await,
        "DuplicateResourceException",
        409,
    );
    assert!(msg.contains("BasicQueue"), "{msg}");
    rejected(
        c.update_queue_name()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .name("BasicQueue")
            .send()
            .await,
        "DuplicateResourceException",
        409,
    );
    assert_eq!(count().await, 2);

    // Updates.
    let msg = rejected(
        c.update_queue_hours_of_operation()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .hours_of_operation_id(missing)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("HoursOfOperationId"), "{msg}");
    let msg = rejected(
        c.update_queue_max_contacts()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .max_contacts(-5)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("MaxContacts"), "{msg}");
    let msg = rejected(
        c.update_queue_name()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains("Name") && msg.contains("Description"), "{msg}");
    rejected(
        c.update_queue_status()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .status(QueueStatus::from("PAUSED"))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    rejected(
        c.update_queue_outbound_caller_config()
            .instance_id(&fx.instance)
            .queue_id(&id)
            .outbound_caller_config(caller(Some("n"), Some(""), None))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    rejected(
        c.update_queue_max_contacts()
            .instance_id(&fx.instance)
            .queue_id(missing)
            .max_contacts(1)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    assert_eq!(describe(c, &fx.instance, &id).await, before);
}

fn routed(queue: &str, channel: Channel) -> RoutingProfileQueueConfig {
    RoutingProfileQueueConfig::builder()
        .queue_reference(
            RoutingProfileQueueReference::builder()
                .queue_id(queue)
                .channel(channel)
                .build()
                .unwrap(),
        )
        .priority(1)
        .delay(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn queues_a_routing_profile_uses_are_not_deleted() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let hours = basic_hours(&fx.client, &fx.instance).await;
    let basic = basic_queue(&fx.client, &fx.instance).await;
    let queue = create(&fx, "Support", &hours).await;
    let profile = c
        .create_routing_profile()
        .instance_id(&fx.instance)
        .name("Support agents")
        .description("d")
        .default_outbound_queue_id(&queue)
        .media_concurrencies(
            MediaConcurrency::builder()
                .channel(Channel::Voice)
                .concurrency(1)
                .build()
                .unwrap(),
        )
        .queue_configs(routed(&queue, Channel::Voice))
        .send()
        .await
        .expect("create routing profile")
        .routing_profile_id
        .unwrap();
    let msg = rejected(
        c.delete_queue()
            .instance_id(&fx.instance)
            .queue_id(&queue)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert!(
        msg.contains("Support agents") && msg.contains(&profile),
        "{msg}"
    );
    describe(c, &fx.instance, &queue).await;
    // The BasicQueue is the Basic Routing Profile's default outbound queue.
    let msg = rejected(
        c.delete_queue()
            .instance_id(&fx.instance)
            .queue_id(&basic)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert!(msg.contains("Basic Routing Profile"), "{msg}");

    // Hours a queue uses are not deleted either, until the queue moves.
    let night = new_hours(&fx, "Night").await;
    c.update_queue_hours_of_operation()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .hours_of_operation_id(&night)
        .send()
        .await
        .expect("move the queue");
    let msg = rejected(
        c.delete_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&night)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains(&queue), "{msg}");

    // Without the profile's route, the queue goes, and then its hours can.
    c.disassociate_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&profile)
        .queue_references(
            RoutingProfileQueueReference::builder()
                .queue_id(&queue)
                .channel(Channel::Voice)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("disassociate");
    // Still its default outbound queue.
    let msg = rejected(
        c.delete_queue()
            .instance_id(&fx.instance)
            .queue_id(&queue)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert!(msg.contains("Support agents"), "{msg}");
    c.update_routing_profile_default_outbound_queue()
        .instance_id(&fx.instance)
        .routing_profile_id(&profile)
        .default_outbound_queue_id(&basic)
        .send()
        .await
        .expect("another default outbound queue");
    c.delete_queue()
        .instance_id(&fx.instance)
        .queue_id(&queue)
        .send()
        .await
        .expect("delete");
    c.delete_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&night)
        .send()
        .await
        .expect("delete hours");
}

#[tokio::test]
async fn an_instance_holds_at_most_50_queues() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let hours = basic_hours(&fx.client, &fx.instance).await;
    // The BasicQueue is one of them.
    for n in 1..50 {
        create(&fx, &format!("Queue {n}"), &hours).await;
    }
    let msg = rejected(
        without_retries(&fx.client)
            .create_queue()
            .instance_id(&fx.instance)
            .name("One too many")
            .hours_of_operation_id(&hours)
            .send()
            .await,
        "LimitExceededException",
        429,
    );
    assert!(msg.contains("50"), "{msg}");
    assert_eq!(
        all_queues(&fx.client, &fx.instance, &[QueueType::Standard], 1000)
            .await
            .len(),
        50
    );
}

#[tokio::test]
async fn other_accounts_see_no_queue() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let id = basic_queue(&fx.client, &fx.instance).await;
    for stranger in [
        fx.server.client_as("111111111111", "secret", "us-east-1"),
        fx.server.client_as("AKIDEXAMPLE", "secret", "eu-west-1"),
    ] {
        rejected(
            stranger
                .describe_queue()
                .instance_id(&fx.instance)
                .queue_id(&id)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            stranger
                .update_queue_status()
                .instance_id(&fx.instance)
                .queue_id(&id)
                .status(QueueStatus::Disabled)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
    }
    assert_eq!(
        describe(&fx.client, &fx.instance, &id).await.status(),
        Some(&QueueStatus::Enabled)
    );
}
