//! Quick connects: every kind of destination, paging and the type filter, updates,
//! unique names, references to users and standard queues, the per-instance quota,
//! the queues that offer them, and deletion refused while a queue offers one.

use roster_domain::arn::ResourceKind;
use roster_domain::new_id;
use roster_domain::queues::Queue;
use roster_domain::quick_connect::{
    ConfigParts, Destination, QuickConnect, QuickConnectChange, QuickConnectType, MAX_PER_INSTANCE,
};

use crate::{Store, StoreError};

use super::fixtures::{
    all_pages, modified, modified_at, page, plain_user, resource, setup, tags_of,
};

fn destination(kind: &str, parts: ConfigParts<'_>) -> Destination {
    Destination::parse("QuickConnectConfig", kind, parts).expect("a valid destination")
}

fn to_user(user_id: &str) -> Destination {
    destination(
        "USER",
        ConfigParts {
            user: Some((user_id, "flow-transfer-to-agent")),
            ..ConfigParts::default()
        },
    )
}

fn to_queue(queue_id: &str) -> Destination {
    destination(
        "QUEUE",
        ConfigParts {
            queue: Some((queue_id, "flow-transfer-to-queue")),
            ..ConfigParts::default()
        },
    )
}

fn to_phone(number: &str) -> Destination {
    destination(
        "PHONE_NUMBER",
        ConfigParts {
            phone: Some(number),
            ..ConfigParts::default()
        },
    )
}

fn to_flow() -> Destination {
    destination(
        "FLOW",
        ConfigParts {
            flow: Some("arn:aws:connect:us-west-2:111111111111:instance/i/contact-flow/f"),
            ..ConfigParts::default()
        },
    )
}

fn quick_connect(name: &str, destination: Destination) -> QuickConnect {
    QuickConnect {
        id: new_id(),
        name: name.to_string(),
        description: Some(format!("Transfers to {name}")),
        destination,
        tags: tags_of(&[("team", "support"), ("site", "Zürich")]),
        modified: modified_at(1_700_000_600_000),
    }
}

pub async fn quick_connects_round_trip(store: &dyn Store) {
    let fx = setup(store).await;
    let user = plain_user(&fx, "qc.agent");
    store.create_user(&fx.at, user.clone(), 500).await.unwrap();
    let mut created = vec![
        quick_connect("Agent", to_user(&user.id)),
        quick_connect("Basic queue", to_queue(&fx.standard_queue)),
        quick_connect("Pager", to_phone("+12065550100")),
        quick_connect("Survey", to_flow()),
    ];
    // Nothing optional: no description, no tags.
    created.push(QuickConnect {
        description: None,
        tags: tags_of(&[]),
        ..quick_connect("Bare", to_phone("+4930123456"))
    });
    for q in &created {
        store.create_quick_connect(&fx.at, q.clone()).await.unwrap();
        assert_eq!(store.get_quick_connect(&fx.at, &q.id).await.unwrap(), *q);
    }
    assert_eq!(
        store
            .list_tags(
                &fx.at,
                &resource(ResourceKind::QuickConnect, &created[0].id)
            )
            .await
            .unwrap(),
        created[0].tags
    );

    let mut by_id = created.clone();
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    let listed = all_pages(
        2,
        |q: &QuickConnect| q.id.clone(),
        |p| async move { store.list_quick_connects(at, &[], &p).await },
    )
    .await;
    assert_eq!(listed, by_id);

    // The type filter: one type, two types, every type.
    let of = |types: Vec<QuickConnectType>| {
        let at = fx.at.clone();
        async move {
            all_pages(
                1,
                |q: &QuickConnect| q.id.clone(),
                |p| {
                    let (at, types) = (at.clone(), types.clone());
                    async move { store.list_quick_connects(&at, &types, &p).await }
                },
            )
            .await
        }
    };
    let phones: Vec<QuickConnect> = by_id
        .iter()
        .filter(|q| q.destination.kind() == QuickConnectType::PhoneNumber)
        .cloned()
        .collect();
    assert_eq!(phones.len(), 2);
    assert_eq!(of(vec![QuickConnectType::PhoneNumber]).await, phones);
    let people_and_queues: Vec<QuickConnect> = by_id
        .iter()
        .filter(|q| {
            matches!(
                q.destination.kind(),
                QuickConnectType::User | QuickConnectType::Queue
            )
        })
        .cloned()
        .collect();
    assert_eq!(
        of(vec![QuickConnectType::Queue, QuickConnectType::User]).await,
        people_and_queues
    );
    assert_eq!(of(QuickConnectType::ALL.to_vec()).await, by_id);

    // Another instance sees none of them.
    let other = setup(store).await;
    assert_err!(
        store.get_quick_connect(&other.at, &created[0].id).await,
        StoreError::NotFound {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );
    assert!(store
        .list_quick_connects(&other.at, &[], &page(None, 100))
        .await
        .unwrap()
        .is_empty());

    // Deleting the instance takes them along.
    store
        .delete_instance(&fx.at.scope, &fx.at.instance_id)
        .await
        .unwrap();
    assert_err!(
        store.get_quick_connect(&fx.at, &created[0].id).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
}

pub async fn quick_connect_updates(store: &dyn Store) {
    let fx = setup(store).await;
    let q = quick_connect("Pager", to_phone("+12065550100"));
    store.create_quick_connect(&fx.at, q.clone()).await.unwrap();

    let later = modified_at(1_700_000_700_000);
    let rename = QuickConnectChange {
        name: Some("On-call pager".into()),
        ..QuickConnectChange::default()
    };
    store
        .update_quick_connect(&fx.at, &q.id, rename, &later)
        .await
        .unwrap();
    let got = store.get_quick_connect(&fx.at, &q.id).await.unwrap();
    assert_eq!(got.name, "On-call pager");
    assert_eq!(got.description, q.description, "a member not sent stays");
    assert_eq!(got.modified, later);
    assert_eq!(got.tags, q.tags, "updates keep the tags");

    let drop_description = QuickConnectChange {
        description: Some(None),
        ..QuickConnectChange::default()
    };
    store
        .update_quick_connect(&fx.at, &q.id, drop_description, &modified())
        .await
        .unwrap();
    assert_eq!(
        store
            .get_quick_connect(&fx.at, &q.id)
            .await
            .unwrap()
            .description,
        None
    );

    // A new destination may be of another type; the old one's columns go.
    let user = plain_user(&fx, "qc.target");
    store.create_user(&fx.at, user.clone(), 500).await.unwrap();
    for d in [
        to_user(&user.id),
        to_queue(&fx.standard_queue),
        to_flow(),
        to_phone("+33123456789"),
    ] {
        let change = QuickConnectChange {
            destination: Some(d.clone()),
            ..QuickConnectChange::default()
        };
        store
            .update_quick_connect(&fx.at, &q.id, change, &later)
            .await
            .unwrap();
        let got = store.get_quick_connect(&fx.at, &q.id).await.unwrap();
        assert_eq!(got.destination, d);
        assert_eq!(got.name, "On-call pager");
    }

    let missing = QuickConnectChange {
        name: Some("x".into()),
        ..QuickConnectChange::default()
    };
    assert_err!(
        store
            .update_quick_connect(&fx.at, &new_id(), missing, &later)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );
}

pub async fn quick_connect_names(store: &dyn Store) {
    let fx = setup(store).await;
    let a = quick_connect("Tier 2", to_phone("+12065550100"));
    let b = quick_connect("Tier 3", to_phone("+12065550101"));
    store.create_quick_connect(&fx.at, a.clone()).await.unwrap();
    store.create_quick_connect(&fx.at, b.clone()).await.unwrap();
    assert_err!(
        store
            .create_quick_connect(&fx.at, quick_connect("Tier 2", to_flow()))
            .await,
        StoreError::Duplicate { .. }
    );
    // Names compare exactly.
    store
        .create_quick_connect(&fx.at, quick_connect("tier 2", to_flow()))
        .await
        .unwrap();
    let clash = QuickConnectChange {
        name: Some("Tier 2".into()),
        description: Some(None),
        ..QuickConnectChange::default()
    };
    assert_err!(
        store
            .update_quick_connect(&fx.at, &b.id, clash, &modified())
            .await,
        StoreError::Duplicate { .. }
    );
    assert_eq!(
        store.get_quick_connect(&fx.at, &b.id).await.unwrap(),
        b,
        "a refused update changes nothing"
    );
    // Keeping one's own name is no clash; another instance may use it.
    let same = QuickConnectChange {
        name: Some("Tier 2".into()),
        ..QuickConnectChange::default()
    };
    store
        .update_quick_connect(&fx.at, &a.id, same, &modified())
        .await
        .unwrap();
    let other = setup(store).await;
    store
        .create_quick_connect(&other.at, quick_connect("Tier 2", to_flow()))
        .await
        .unwrap();
}

pub async fn quick_connect_references(store: &dyn Store) {
    let fx = setup(store).await;
    let other = setup(store).await;
    let stranger = plain_user(&other, "qc.stranger");
    store
        .create_user(&other.at, stranger.clone(), 500)
        .await
        .unwrap();
    // A user's agent queue is no standard queue.
    let agent = plain_user(&fx, "qc.agent.queue");
    store.create_user(&fx.at, agent.clone(), 500).await.unwrap();
    for (d, kind) in [
        (to_user(&new_id()), ResourceKind::User),
        (to_user(&stranger.id), ResourceKind::User),
        (to_queue(&new_id()), ResourceKind::Queue),
        (to_queue(&other.standard_queue), ResourceKind::Queue),
        // Only standard queues are destinations.
        (to_queue(&agent.id), ResourceKind::Queue),
    ] {
        let q = quick_connect("Nowhere", d);
        match store.create_quick_connect(&fx.at, q.clone()).await {
            Err(StoreError::MissingReference { kind: k, .. }) if k == kind => {}
            other => panic!("expected MissingReference({kind:?}), got {other:?}"),
        }
        assert_err!(
            store.get_quick_connect(&fx.at, &q.id).await,
            StoreError::NotFound { .. }
        );
    }
    let q = quick_connect("Pager", to_phone("+12065550100"));
    store.create_quick_connect(&fx.at, q.clone()).await.unwrap();
    let bad = QuickConnectChange {
        name: Some("Renamed".into()),
        destination: Some(to_queue(&agent.id)),
        ..QuickConnectChange::default()
    };
    assert_err!(
        store
            .update_quick_connect(&fx.at, &q.id, bad, &modified())
            .await,
        StoreError::MissingReference {
            kind: ResourceKind::Queue,
            ..
        }
    );
    assert_eq!(store.get_quick_connect(&fx.at, &q.id).await.unwrap(), q);

    // A user's quick connects outlive the user, as the service's documentation has
    // clients delete them after DeleteUser.
    let user = plain_user(&fx, "qc.leaver");
    store.create_user(&fx.at, user.clone(), 500).await.unwrap();
    let to_leaver = quick_connect("Leaver", to_user(&user.id));
    store
        .create_quick_connect(&fx.at, to_leaver.clone())
        .await
        .unwrap();
    store.delete_user(&fx.at, &user.id).await.unwrap();
    assert_eq!(
        store
            .get_quick_connect(&fx.at, &to_leaver.id)
            .await
            .unwrap(),
        to_leaver
    );
}

pub async fn queue_quick_connects(store: &dyn Store) {
    let fx = setup(store).await;
    let mut qcs: Vec<QuickConnect> = (0..5)
        .map(|n| quick_connect(&format!("Line {n}"), to_phone(&format!("+1206555010{n}"))))
        .collect();
    for q in &qcs {
        store.create_quick_connect(&fx.at, q.clone()).await.unwrap();
    }
    qcs.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<String> = qcs.iter().map(|q| q.id.clone()).collect();
    let listed = |queue: String| {
        let at = fx.at.clone();
        async move {
            all_pages(
                2,
                |q: &QuickConnect| q.id.clone(),
                |p| {
                    let (at, queue) = (at.clone(), queue.clone());
                    async move {
                        store
                            .list_queue_quick_connects(&at, &queue, &p)
                            .await
                            .map(|(found, _)| found)
                    }
                },
            )
            .await
        }
    };
    let queue = fx.standard_queue.clone();
    assert!(listed(queue.clone()).await.is_empty());

    let stamp = modified_at(1_700_000_800_000);
    store
        .associate_queue_quick_connects(&fx.at, &queue, &ids[..3], &stamp)
        .await
        .unwrap();
    // Associating again, with more, keeps what was there.
    store
        .associate_queue_quick_connects(&fx.at, &queue, &[ids[4].clone(), ids[0].clone()], &stamp)
        .await
        .unwrap();
    let expected: Vec<QuickConnect> = [0, 1, 2, 4].iter().map(|&i| qcs[i].clone()).collect();
    assert_eq!(listed(queue.clone()).await, expected);
    let (_, queue_modified) = store
        .list_queue_quick_connects(&fx.at, &queue, &page(None, 10))
        .await
        .unwrap();
    assert_eq!(queue_modified, stamp, "the queue is stamped");

    // A call naming one missing quick connect changes nothing.
    let later = modified_at(1_700_000_900_000);
    let missing = new_id();
    assert_err!(
        store
            .associate_queue_quick_connects(
                &fx.at,
                &queue,
                &[ids[3].clone(), missing.clone()],
                &later
            )
            .await,
        StoreError::MissingReference {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );
    assert_err!(
        store
            .disassociate_queue_quick_connects(&fx.at, &queue, &[ids[0].clone(), missing], &later)
            .await,
        StoreError::MissingReference {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );
    assert_eq!(listed(queue.clone()).await, expected);
    let (_, queue_modified) = store
        .list_queue_quick_connects(&fx.at, &queue, &page(None, 10))
        .await
        .unwrap();
    assert_eq!(
        queue_modified, stamp,
        "a refused call does not stamp the queue"
    );

    // Queues of other instances, and queues that do not exist, are not found.
    let other = setup(store).await;
    for (at, q) in [(&fx.at, new_id()), (&fx.at, other.standard_queue.clone())] {
        assert_err!(
            store
                .associate_queue_quick_connects(at, &q, &ids[..1], &later)
                .await,
            StoreError::NotFound {
                kind: ResourceKind::Queue,
                ..
            }
        );
        assert_err!(
            store
                .list_queue_quick_connects(at, &q, &page(None, 10))
                .await,
            StoreError::NotFound {
                kind: ResourceKind::Queue,
                ..
            }
        );
    }
    // Quick connects of another instance are not this instance's.
    assert_err!(
        store
            .associate_queue_quick_connects(&other.at, &other.standard_queue, &ids[..1], &later)
            .await,
        StoreError::MissingReference {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );

    // Offered by a queue, a quick connect is not deleted.
    match store.delete_quick_connect(&fx.at, &ids[0]).await {
        Err(StoreError::InUse { kind, id, why }) => {
            assert_eq!(kind, ResourceKind::QuickConnect);
            assert_eq!(id, ids[0]);
            assert!(why.contains(&queue), "{why}");
        }
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(
        store.get_quick_connect(&fx.at, &ids[0]).await.unwrap(),
        qcs[0]
    );
    // Another queue offering it too: both count.
    let second = Queue::new(new_id(), "Second".into(), fx.hours.clone(), modified());
    store
        .create_queue(&fx.at, second.clone(), &[])
        .await
        .unwrap();
    store
        .associate_queue_quick_connects(&fx.at, &second.id, &ids[..1], &later)
        .await
        .unwrap();
    match store.delete_quick_connect(&fx.at, &ids[0]).await {
        Err(StoreError::InUse { why, .. }) => assert!(why.starts_with("2 queues"), "{why}"),
        other => panic!("expected InUse, got {other:?}"),
    }

    // Disassociating ignores what the queue does not offer.
    store
        .disassociate_queue_quick_connects(
            &fx.at,
            &queue,
            &[ids[0].clone(), ids[3].clone()],
            &later,
        )
        .await
        .unwrap();
    store
        .disassociate_queue_quick_connects(&fx.at, &second.id, &ids[..1], &later)
        .await
        .unwrap();
    let expected: Vec<QuickConnect> = [1, 2, 4].iter().map(|&i| qcs[i].clone()).collect();
    assert_eq!(listed(queue.clone()).await, expected);
    let (_, queue_modified) = store
        .list_queue_quick_connects(&fx.at, &queue, &page(None, 10))
        .await
        .unwrap();
    assert_eq!(queue_modified, later);

    store.delete_quick_connect(&fx.at, &ids[0]).await.unwrap();
    assert_err!(
        store.get_quick_connect(&fx.at, &ids[0]).await,
        StoreError::NotFound {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );
    assert_err!(
        store.delete_quick_connect(&fx.at, &ids[0]).await,
        StoreError::NotFound {
            kind: ResourceKind::QuickConnect,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::QuickConnect, &ids[0]))
            .await,
        StoreError::NotFound { .. }
    );
}

pub async fn quick_connect_quota(store: &dyn Store) {
    let fx = setup(store).await;
    for n in 0..MAX_PER_INSTANCE {
        store
            .create_quick_connect(&fx.at, quick_connect(&format!("Line {n}"), to_flow()))
            .await
            .unwrap();
    }
    let over = quick_connect("One too many", to_flow());
    assert_err!(
        store.create_quick_connect(&fx.at, over.clone()).await,
        StoreError::QuotaReached {
            kind: ResourceKind::QuickConnect,
            limit: MAX_PER_INSTANCE
        }
    );
    assert_err!(
        store.get_quick_connect(&fx.at, &over.id).await,
        StoreError::NotFound { .. }
    );
    // Quotas are per instance.
    let other = setup(store).await;
    store.create_quick_connect(&other.at, over).await.unwrap();
}
