//! Queues: the instance's BasicQueue, creation with every member, the listing with
//! the users' agent queues, each update, unique names, the per-instance quota, and
//! deletion refused while a routing profile refers to the queue.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{RoutingProfile, RoutingProfileQueue};
use roster_domain::hours::HoursOfOperation;
use roster_domain::new_id;
use roster_domain::queues::{
    OutboundCaller, Queue, QueueChange, QueueStatus, QueueSummary, QueueType, BASIC_QUEUE,
    BASIC_QUEUE_DESCRIPTION, MAX_PER_INSTANCE,
};
use roster_domain::routing::QueueRef;

use crate::{Store, StoreError};

use super::fixtures::{
    all_pages, modified, modified_at, page, plain_user, resource, setup, tags_of, Fixture,
};

/// A queue with every member set.
fn sales(fx: &Fixture, name: &str) -> Queue {
    Queue {
        description: Some("Inbound sales calls".into()),
        max_contacts: Some(25),
        status: QueueStatus::Disabled,
        outbound_caller: OutboundCaller {
            caller_id_name: Some("Sales".into()),
            caller_id_number_id: Some(new_id()),
            flow_id: Some(new_id()),
        },
        outbound_email_address_id: Some(new_id()),
        tags: tags_of(&[("team", "sales"), ("site", "Zürich")]),
        ..Queue::new(
            new_id(),
            name.into(),
            fx.hours.clone(),
            modified_at(1_700_000_900_000),
        )
    }
}

pub async fn queues_round_trip(store: &dyn Store) {
    let fx = setup(store).await;
    // The instance's BasicQueue, on its Basic Hours.
    let basic = store.get_queue(&fx.at, &fx.standard_queue).await.unwrap();
    assert_eq!(basic.name, BASIC_QUEUE);
    assert_eq!(basic.description.as_deref(), Some(BASIC_QUEUE_DESCRIPTION));
    assert_eq!(basic.hours_of_operation_id, fx.hours);
    assert_eq!(basic.status, QueueStatus::Enabled);
    assert_eq!(basic.max_contacts, None);
    assert!(basic.outbound_caller.is_empty());

    let q = sales(&fx, "Sales");
    store.create_queue(&fx.at, q.clone(), &[]).await.unwrap();
    assert_eq!(store.get_queue(&fx.at, &q.id).await.unwrap(), q);
    assert_eq!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::Queue, &q.id))
            .await
            .unwrap(),
        q.tags
    );
    // A queue with nothing but its name and hours reads back so.
    let plain = Queue::new(new_id(), "Plain".into(), fx.hours.clone(), modified());
    store
        .create_queue(&fx.at, plain.clone(), &[])
        .await
        .unwrap();
    assert_eq!(store.get_queue(&fx.at, &plain.id).await.unwrap(), plain);

    // Hours of another instance, or none, are refused and nothing is stored.
    let other = setup(store).await;
    let mut elsewhere = sales(&fx, "Elsewhere");
    elsewhere.hours_of_operation_id = other.hours.clone();
    match store.create_queue(&fx.at, elsewhere.clone(), &[]).await {
        Err(StoreError::MissingReference {
            kind: ResourceKind::HoursOfOperation,
            id,
        }) => assert_eq!(id, other.hours),
        other => panic!("expected MissingReference(HoursOfOperation), got {other:?}"),
    }
    assert_err!(
        store.get_queue(&fx.at, &elsewhere.id).await,
        StoreError::NotFound {
            kind: ResourceKind::Queue,
            ..
        }
    );
    // Another instance's queue is not found in this one.
    assert_err!(
        store.get_queue(&other.at, &q.id).await,
        StoreError::NotFound {
            kind: ResourceKind::Queue,
            ..
        }
    );
    // A user's id names its agent queue, which has no stored settings.
    let user = plain_user(&fx, "ann");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    assert_err!(
        store.get_queue(&fx.at, &user.id).await,
        StoreError::NotFound {
            kind: ResourceKind::Queue,
            ..
        }
    );
}

pub async fn queues_listed_with_agent_queues(store: &dyn Store) {
    let fx = setup(store).await;
    let mut standard = vec![fx.standard_queue.clone()];
    for name in ["Sales", "Support", "Billing"] {
        let q = sales(&fx, name);
        standard.push(q.id.clone());
        store.create_queue(&fx.at, q, &[]).await.unwrap();
    }
    let mut agents = Vec::new();
    for name in ["ann", "bob"] {
        let u = plain_user(&fx, name);
        agents.push(u.id.clone());
        store.create_user(&fx.at, u, 100).await.unwrap();
    }
    standard.sort();
    agents.sort();
    let mut all: Vec<String> = standard.iter().chain(&agents).cloned().collect();
    all.sort();

    let ids = |list: Vec<QueueSummary>| list.into_iter().map(|q| q.id).collect::<Vec<_>>();
    let listed = store
        .list_queues(&fx.at, &[], &page(None, 100))
        .await
        .unwrap();
    for q in &listed {
        match q.queue_type {
            QueueType::Standard => {
                assert!(standard.contains(&q.id));
                assert!(q.name.is_some());
            }
            QueueType::Agent => {
                assert!(agents.contains(&q.id), "an agent queue's id is its user's");
                assert_eq!(q.name, None, "agent queues have no name");
            }
        }
    }
    let basic = listed.iter().find(|q| q.id == fx.standard_queue).unwrap();
    assert_eq!(basic.name.as_deref(), Some(BASIC_QUEUE));
    assert_eq!(ids(listed), all);
    let both = [QueueType::Standard, QueueType::Agent];
    assert_eq!(
        ids(store
            .list_queues(&fx.at, &both, &page(None, 100))
            .await
            .unwrap()),
        all
    );
    assert_eq!(
        ids(store
            .list_queues(&fx.at, &[QueueType::Standard], &page(None, 100))
            .await
            .unwrap()),
        standard
    );
    assert_eq!(
        ids(store
            .list_queues(&fx.at, &[QueueType::Agent], &page(None, 100))
            .await
            .unwrap()),
        agents
    );
    // Pages of one, across both kinds, in id order.
    let at = &fx.at;
    let paged = all_pages(
        1,
        |q: &QueueSummary| q.id.clone(),
        |p| async move { store.list_queues(at, &[], &p).await },
    )
    .await;
    assert_eq!(ids(paged), all);
    assert_eq!(
        ids(store
            .list_queues(&fx.at, &[], &page(Some(&all[1]), 100))
            .await
            .unwrap()),
        all[2..].to_vec()
    );
    // A deleted user takes its agent queue with it.
    store.delete_user(&fx.at, &agents[0]).await.unwrap();
    assert_eq!(
        ids(store
            .list_queues(&fx.at, &[QueueType::Agent], &page(None, 100))
            .await
            .unwrap()),
        agents[1..].to_vec()
    );
}

pub async fn queue_updates(store: &dyn Store) {
    let fx = setup(store).await;
    let q = sales(&fx, "Sales");
    store.create_queue(&fx.at, q.clone(), &[]).await.unwrap();
    let mut expected = q.clone();
    let night = HoursOfOperation::basic(new_id(), modified());
    let night = HoursOfOperation {
        name: "Night".into(),
        ..night
    };
    store
        .create_hours_of_operation(&fx.at, night.clone())
        .await
        .unwrap();
    let changes = [
        QueueChange::HoursOfOperation(night.id.clone()),
        QueueChange::max_contacts(Some(0)).unwrap(),
        QueueChange::max_contacts(None).unwrap(),
        QueueChange::name(None, Some("Calls about orders".into())).unwrap(),
        QueueChange::name(Some("Orders".into()), None).unwrap(),
        QueueChange::name(Some("Orders".into()), Some("Same name".into())).unwrap(),
        QueueChange::OutboundCaller(OutboundCaller {
            caller_id_name: None,
            caller_id_number_id: None,
            flow_id: Some(new_id()),
        }),
        QueueChange::OutboundCaller(OutboundCaller::default()),
        QueueChange::OutboundEmail(None),
        QueueChange::OutboundEmail(Some(new_id())),
        QueueChange::Status(QueueStatus::Enabled),
    ];
    for (n, change) in changes.into_iter().enumerate() {
        let stamp = modified_at(1_700_001_000_000 + n as i64);
        store
            .update_queue(&fx.at, &q.id, change.clone(), &stamp)
            .await
            .unwrap();
        change.apply(&mut expected, &stamp);
        let stored = store.get_queue(&fx.at, &q.id).await.unwrap();
        assert_eq!(stored, expected, "after change {n}: {change:?}");
    }
    assert_eq!(expected.hours_of_operation_id, night.id);
    assert_eq!(expected.name, "Orders");
    assert_eq!(expected.tags, q.tags, "updates leave tags alone");

    // Refused changes change nothing.
    let before = store.get_queue(&fx.at, &q.id).await.unwrap();
    let missing = new_id();
    assert_err!(
        store
            .update_queue(
                &fx.at,
                &q.id,
                QueueChange::HoursOfOperation(missing.clone()),
                &modified()
            )
            .await,
        StoreError::MissingReference {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
    assert_err!(
        store
            .update_queue(
                &fx.at,
                &q.id,
                QueueChange::name(Some(BASIC_QUEUE.into()), None).unwrap(),
                &modified()
            )
            .await,
        StoreError::Duplicate { .. }
    );
    assert_eq!(store.get_queue(&fx.at, &q.id).await.unwrap(), before);
    // Unknown queues, agent queues and other instances' queues are not found.
    let user = plain_user(&fx, "ann");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let other = setup(store).await;
    for (at, id) in [
        (&fx.at, new_id()),
        (&fx.at, user.id.clone()),
        (&other.at, q.id.clone()),
    ] {
        assert_err!(
            store
                .update_queue(
                    at,
                    &id,
                    QueueChange::Status(QueueStatus::Disabled),
                    &modified()
                )
                .await,
            StoreError::NotFound {
                kind: ResourceKind::Queue,
                ..
            }
        );
    }
}

pub async fn queue_names_unique(store: &dyn Store) {
    let fx = setup(store).await;
    let q = sales(&fx, "Sales");
    store.create_queue(&fx.at, q.clone(), &[]).await.unwrap();
    for name in ["Sales", BASIC_QUEUE] {
        let dup = sales(&fx, name);
        assert_err!(
            store.create_queue(&fx.at, dup.clone(), &[]).await,
            StoreError::Duplicate { .. }
        );
        assert_err!(
            store.get_queue(&fx.at, &dup.id).await,
            StoreError::NotFound { .. }
        );
    }
    // Names compare exactly, and per instance.
    store
        .create_queue(&fx.at, sales(&fx, "sales"), &[])
        .await
        .unwrap();
    let other = setup(store).await;
    store
        .create_queue(&other.at, sales(&other, "Sales"), &[])
        .await
        .unwrap();
    // A rename to its own name is no clash.
    store
        .update_queue(
            &fx.at,
            &q.id,
            QueueChange::name(Some("Sales".into()), Some("Again".into())).unwrap(),
            &modified(),
        )
        .await
        .unwrap();
}

pub async fn queue_delete_in_use(store: &dyn Store) {
    let fx = setup(store).await;
    let routed = sales(&fx, "Routed");
    let manual = sales(&fx, "Manual");
    let outbound = sales(&fx, "Outbound");
    let free = sales(&fx, "Free");
    for q in [&routed, &manual, &outbound, &free] {
        store.create_queue(&fx.at, q.clone(), &[]).await.unwrap();
    }
    let basic = store
        .get_routing_profile(&fx.at, &fx.routing_profile)
        .await
        .unwrap();
    let profile = RoutingProfile {
        id: new_id(),
        name: "Custom".into(),
        default_outbound_queue_id: outbound.id.clone(),
        queues: vec![RoutingProfileQueue {
            queue_id: routed.id.clone(),
            channel: "VOICE".into(),
            priority: 1,
            delay: 0,
        }],
        manual_queues: vec![QueueRef {
            queue_id: manual.id.clone(),
            channel: "CHAT".into(),
        }],
        is_default: false,
        ..basic
    };
    store
        .create_routing_profile(&fx.at, profile.clone())
        .await
        .unwrap();
    // Routed, manual assignment and default outbound queues are in use; the reason
    // names the profile.
    for id in [&routed.id, &manual.id, &outbound.id] {
        match store.delete_queue(&fx.at, id).await {
            Err(StoreError::InUse {
                kind: ResourceKind::Queue,
                id: refused,
                why,
            }) => {
                assert_eq!(&refused, id);
                assert!(why.contains("Custom") && why.contains(&profile.id), "{why}");
            }
            other => panic!("expected InUse, got {other:?}"),
        }
        assert!(store.get_queue(&fx.at, id).await.is_ok());
    }
    // The BasicQueue is the Basic Routing Profile's.
    match store.delete_queue(&fx.at, &fx.standard_queue).await {
        Err(StoreError::InUse { why, .. }) => {
            assert!(why.contains("Basic Routing Profile"), "{why}")
        }
        other => panic!("expected InUse, got {other:?}"),
    }
    // Its hours cannot go while it uses them; a free queue can.
    store.delete_queue(&fx.at, &free.id).await.unwrap();
    assert_err!(
        store.get_queue(&fx.at, &free.id).await,
        StoreError::NotFound { .. }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::Queue, &free.id))
            .await,
        StoreError::NotFound { .. }
    );
    assert_err!(
        store.delete_queue(&fx.at, &free.id).await,
        StoreError::NotFound {
            kind: ResourceKind::Queue,
            ..
        }
    );
    // Its name is free again.
    store
        .create_queue(
            &fx.at,
            Queue {
                id: new_id(),
                ..free
            },
            &[],
        )
        .await
        .unwrap();
    // Once the profile is gone, its queues can be deleted.
    store
        .delete_routing_profile(&fx.at, &profile.id)
        .await
        .unwrap();
    for id in [&routed.id, &manual.id, &outbound.id] {
        store.delete_queue(&fx.at, id).await.unwrap();
    }
}

pub async fn queue_quota(store: &dyn Store) {
    let fx = setup(store).await;
    // The BasicQueue counts.
    for n in 1..MAX_PER_INSTANCE {
        store
            .create_queue(&fx.at, sales(&fx, &format!("Queue {n}")), &[])
            .await
            .unwrap();
    }
    let over = sales(&fx, "One too many");
    assert_err!(
        store.create_queue(&fx.at, over.clone(), &[]).await,
        StoreError::QuotaReached {
            kind: ResourceKind::Queue,
            limit: MAX_PER_INSTANCE
        }
    );
    assert_err!(
        store.get_queue(&fx.at, &over.id).await,
        StoreError::NotFound { .. }
    );
    // Users (and so agent queues) do not count.
    store
        .create_user(&fx.at, plain_user(&fx, "ann"), 100)
        .await
        .unwrap();
    // Quotas are per instance.
    let other = setup(store).await;
    store
        .create_queue(&other.at, sales(&other, "One too many"), &[])
        .await
        .unwrap();
}
