//! Routing profiles completely: media concurrencies, the queues a profile routes and
//! those agents pick by hand, each update operation, and the calls the Terraform
//! provider makes for `aws_connect_routing_profile`, read back with no drift.

use roster_tests::aws_sdk_connect::types::{
    AgentAvailabilityTimer, Channel, MediaConcurrency, RoutingProfile,
    RoutingProfileManualAssignmentQueueConfig, RoutingProfileQueueConfig,
    RoutingProfileQueueConfigSummary, RoutingProfileQueueReference,
};
use roster_tests::*;

fn media(channel: Channel, concurrency: i32) -> MediaConcurrency {
    MediaConcurrency::builder()
        .channel(channel)
        .concurrency(concurrency)
        .build()
        .unwrap()
}

fn reference(queue: &str, channel: Channel) -> RoutingProfileQueueReference {
    RoutingProfileQueueReference::builder()
        .queue_id(queue)
        .channel(channel)
        .build()
        .unwrap()
}

fn config(queue: &str, channel: Channel, priority: i32, delay: i32) -> RoutingProfileQueueConfig {
    RoutingProfileQueueConfig::builder()
        .queue_reference(reference(queue, channel))
        .priority(priority)
        .delay(delay)
        .build()
        .unwrap()
}

async fn describe(fx: &Fx, id: &str) -> RoutingProfile {
    fx.client
        .describe_routing_profile()
        .instance_id(&fx.instance)
        .routing_profile_id(id)
        .send()
        .await
        .expect("describe routing profile")
        .routing_profile
        .unwrap()
}

/// Every queue config, read as the provider reads them: 60 at a time, all pages.
async fn queue_configs(fx: &Fx, id: &str) -> Vec<RoutingProfileQueueConfigSummary> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = fx
            .client
            .list_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(id)
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .expect("list routing profile queues");
        all.extend(
            out.routing_profile_queue_config_summary_list()
                .iter()
                .cloned(),
        );
        token = out.next_token;
        if token.is_none() {
            return all;
        }
    }
}

fn summary_of(c: &RoutingProfileQueueConfigSummary) -> (String, String, i32, i32) {
    (
        c.queue_id().to_string(),
        c.channel().as_str().to_string(),
        c.priority(),
        c.delay(),
    )
}

#[tokio::test]
async fn the_default_profile_is_default_and_cannot_be_deleted() {
    let fx = Fx::new("SAML").await;
    let p = describe(&fx, &fx.rp).await;
    assert_eq!(p.name(), Some("Basic Routing Profile"));
    assert!(p.is_default());
    let queue = basic_queue(&fx.client, &fx.instance).await;
    assert_eq!(p.default_outbound_queue_id(), Some(queue.as_str()));
    assert_eq!(p.associated_queue_ids(), std::slice::from_ref(&queue));
    assert_eq!(p.number_of_associated_queues(), Some(1));
    let channels: Vec<_> = p
        .media_concurrencies()
        .iter()
        .map(|m| (m.channel().as_str().to_string(), m.concurrency()))
        .collect();
    assert_eq!(
        channels,
        [("VOICE".into(), 1), ("CHAT".into(), 1), ("TASK".into(), 1)]
    );
    let e = rejected(
        fx.client
            .delete_routing_profile()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert!(e.contains("default"), "{e}");
}

#[tokio::test]
async fn terraform_routing_profile_lifecycle_reads_back_what_was_sent() {
    let fx = Fx::new("SAML").await;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    // Create with at most 10 queue configs.
    let created = fx
        .client
        .create_routing_profile()
        .instance_id(&fx.instance)
        .name("Support")
        .description("Support agents")
        .default_outbound_queue_id(&queue)
        .media_concurrencies(media(Channel::Voice, 1))
        .media_concurrencies(media(Channel::Chat, 3))
        .queue_configs(config(&queue, Channel::Voice, 1, 0))
        .queue_configs(config(&queue, Channel::Chat, 2, 30))
        .tags("team", "support")
        .send()
        .await
        .expect("create");
    let id = created.routing_profile_id.unwrap();
    assert!(created
        .routing_profile_arn
        .unwrap()
        .ends_with(&format!("/routing-profile/{id}")));
    // More configs go through AssociateRoutingProfileQueues.
    fx.client
        .associate_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .queue_configs(config(&queue, Channel::Task, 5, 100))
        .send()
        .await
        .expect("associate");

    let p = describe(&fx, &id).await;
    assert_eq!(p.name(), Some("Support"));
    assert_eq!(p.description(), Some("Support agents"));
    assert_eq!(p.default_outbound_queue_id(), Some(queue.as_str()));
    assert!(!p.is_default());
    assert_eq!(p.number_of_associated_queues(), Some(1));
    assert_eq!(p.number_of_associated_users(), Some(0));
    assert_eq!(
        p.tags().unwrap().get("team").map(String::as_str),
        Some("support")
    );
    let m: Vec<_> = p
        .media_concurrencies()
        .iter()
        .map(|m| (m.channel().as_str().to_string(), m.concurrency()))
        .collect();
    assert_eq!(m, [("VOICE".into(), 1), ("CHAT".into(), 3)]);
    let mut read: Vec<_> = queue_configs(&fx, &id)
        .await
        .iter()
        .map(summary_of)
        .collect();
    read.sort();
    let mut sent = vec![
        (queue.clone(), "VOICE".to_string(), 1, 0),
        (queue.clone(), "CHAT".to_string(), 2, 30),
        (queue.clone(), "TASK".to_string(), 5, 100),
    ];
    sent.sort();
    assert_eq!(read, sent);
    let listed = queue_configs(&fx, &id).await;
    assert!(listed
        .iter()
        .all(|c| c.queue_name() == "BasicQueue"
            && c.queue_arn().ends_with(&format!("/queue/{queue}"))));

    // Update as the provider does: concurrency, default outbound queue, name, then the
    // queue diff (disassociate removed, associate added).
    fx.client
        .update_routing_profile_concurrency()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .media_concurrencies(media(Channel::Voice, 1))
        .media_concurrencies(media(Channel::Chat, 5))
        .media_concurrencies(media(Channel::Task, 10))
        .send()
        .await
        .expect("concurrency");
    fx.client
        .update_routing_profile_default_outbound_queue()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .default_outbound_queue_id(&queue)
        .send()
        .await
        .expect("default outbound queue");
    fx.client
        .update_routing_profile_name()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .name("Support Tier 2")
        .description("Second line")
        .send()
        .await
        .expect("name");
    fx.client
        .update_routing_profile_agent_availability_timer()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .agent_availability_timer(AgentAvailabilityTimer::TimeSinceLastInbound)
        .send()
        .await
        .expect("agent availability timer");
    fx.client
        .disassociate_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .queue_references(reference(&queue, Channel::Task))
        .send()
        .await
        .expect("disassociate");
    fx.client
        .update_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .queue_configs(config(&queue, Channel::Chat, 9, 45))
        .send()
        .await
        .expect("update queues");

    let p = describe(&fx, &id).await;
    assert_eq!(p.name(), Some("Support Tier 2"));
    assert_eq!(p.description(), Some("Second line"));
    assert_eq!(
        p.agent_availability_timer(),
        Some(&AgentAvailabilityTimer::TimeSinceLastInbound)
    );
    let m: Vec<_> = p
        .media_concurrencies()
        .iter()
        .map(|m| (m.channel().as_str().to_string(), m.concurrency()))
        .collect();
    assert_eq!(
        m,
        [("VOICE".into(), 1), ("CHAT".into(), 5), ("TASK".into(), 10)]
    );
    let mut read: Vec<_> = queue_configs(&fx, &id)
        .await
        .iter()
        .map(summary_of)
        .collect();
    read.sort();
    let mut sent = vec![
        (queue.clone(), "VOICE".to_string(), 1, 0),
        (queue.clone(), "CHAT".to_string(), 9, 45),
    ];
    sent.sort();
    assert_eq!(read, sent);

    fx.client
        .delete_routing_profile()
        .instance_id(&fx.instance)
        .routing_profile_id(&id)
        .send()
        .await
        .expect("delete");
    rejected(
        fx.client
            .describe_routing_profile()
            .instance_id(&fx.instance)
            .routing_profile_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
}

#[tokio::test]
async fn queue_pages_follow_tokens() {
    let fx = Fx::new("SAML").await;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    fx.client
        .associate_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&fx.rp)
        .queue_configs(config(&queue, Channel::Email, 3, 0))
        .send()
        .await
        .expect("associate email");
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let out = fx
            .client
            .list_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert!(out.routing_profile_queue_config_summary_list().len() <= 1);
        seen.extend(
            out.routing_profile_queue_config_summary_list()
                .iter()
                .map(summary_of),
        );
        assert!(out.last_modified_time.is_some());
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    let channels: Vec<_> = seen.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(channels.len(), 4);
    let mut sorted = channels.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 4, "no config twice: {channels:?}");
}

#[tokio::test]
async fn manual_assignment_queues_are_kept_and_listed() {
    let fx = Fx::new("SAML").await;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    let manual = |ch| {
        RoutingProfileManualAssignmentQueueConfig::builder()
            .queue_reference(reference(&queue, ch))
            .build()
    };
    fx.client
        .associate_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&fx.rp)
        .manual_assignment_queue_configs(manual(Channel::Chat))
        .send()
        .await
        .expect("associate manual");
    let e = rejected(
        fx.client
            .associate_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .manual_assignment_queue_configs(manual(Channel::Voice))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        e.contains("ManualAssignmentQueueConfigs[0].QueueReference.Channel"),
        "{e}"
    );
    let p = describe(&fx, &fx.rp).await;
    assert_eq!(p.number_of_associated_manual_assignment_queues(), Some(1));
    assert_eq!(
        p.associated_manual_assignment_queue_ids(),
        std::slice::from_ref(&queue)
    );
    let out = fx
        .client
        .list_routing_profile_manual_assignment_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&fx.rp)
        .send()
        .await
        .unwrap();
    let list = out.routing_profile_manual_assignment_queue_config_summary_list();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].queue_id(), queue);
    assert_eq!(list[0].channel().as_str(), "CHAT");
    fx.client
        .disassociate_routing_profile_queues()
        .instance_id(&fx.instance)
        .routing_profile_id(&fx.rp)
        .manual_assignment_queue_references(reference(&queue, Channel::Chat))
        .send()
        .await
        .expect("disassociate manual");
    assert_eq!(
        describe(&fx, &fx.rp)
            .await
            .number_of_associated_manual_assignment_queues(),
        Some(0)
    );
}

#[tokio::test]
async fn bad_changes_name_the_member_and_change_nothing() {
    let fx = Fx::new("SAML").await;
    let queue = basic_queue(&fx.client, &fx.instance).await;
    let before = describe(&fx, &fx.rp).await;
    let missing = "00000000-0000-4000-8000-000000000000";

    let e = rejected(
        fx.client
            .update_routing_profile_concurrency()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .media_concurrencies(media(Channel::Voice, 2))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        e.contains("MediaConcurrencies[0].Concurrency") && e.contains("VOICE"),
        "{e}"
    );
    let e = rejected(
        fx.client
            .update_routing_profile_concurrency()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .media_concurrencies(media(Channel::Chat, 2))
            .media_concurrencies(media(Channel::Chat, 3))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains("MediaConcurrencies[1].Channel"), "{e}");
    let e = rejected(
        fx.client
            .update_routing_profile_default_outbound_queue()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .default_outbound_queue_id(missing)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains(missing), "{e}");
    let e = rejected(
        fx.client
            .associate_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .queue_configs(config(&queue, Channel::Voice, 1, 0))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains("already routed"), "{e}");
    let e = rejected(
        fx.client
            .associate_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .queue_configs(config(missing, Channel::Voice, 1, 0))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains(missing), "{e}");
    let e = rejected(
        fx.client
            .update_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .queue_configs(config(&queue, Channel::Email, 1, 0))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains("QueueConfigs[0].QueueReference"), "{e}");
    let e = rejected(
        fx.client
            .disassociate_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .queue_references(reference(&queue, Channel::Email))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains("QueueReferences[0]"), "{e}");
    let e = rejected(
        fx.client
            .update_routing_profile_queues()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .queue_configs(config(&queue, Channel::Voice, 100, 0))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(e.contains("Priority"), "{e}");
    rejected(
        fx.client
            .update_routing_profile_name()
            .instance_id(&fx.instance)
            .routing_profile_id(&fx.rp)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    let other = fx
        .client
        .create_routing_profile()
        .instance_id(&fx.instance)
        .name("Other")
        .description("d")
        .default_outbound_queue_id(&queue)
        .media_concurrencies(media(Channel::Chat, 1))
        .send()
        .await
        .unwrap()
        .routing_profile_id
        .unwrap();
    rejected(
        fx.client
            .update_routing_profile_name()
            .instance_id(&fx.instance)
            .routing_profile_id(&other)
            .name("Basic Routing Profile")
            .send()
            .await,
        "DuplicateResourceException",
        409,
    );
    assert_eq!(describe(&fx, &fx.rp).await, before, "nothing changed");
}
