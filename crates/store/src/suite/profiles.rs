//! Routing profiles.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{MediaConcurrency, RoutingProfile, RoutingProfileQueue};
use roster_domain::new_id;
use roster_domain::user::User;

use crate::{Store, StoreError};

use super::fixtures::{
    all_pages, fresh_scope, modified_at, new_instance, plain_user, resource, setup, tags_of,
};

pub async fn routing_profiles(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, None);
    let basic = new.routing_profiles[0].clone();
    store.create_instance(new).await.unwrap();
    assert_eq!(
        store.get_routing_profile(&fx.at, &basic.id).await.unwrap(),
        basic
    );

    let custom = RoutingProfile {
        id: new_id(),
        name: "Sales".into(),
        description: "Sales agents".into(),
        default_outbound_queue_id: fx.standard_queue.clone(),
        media_concurrencies: vec![
            MediaConcurrency {
                channel: "TASK".into(),
                concurrency: 10,
                cross_channel_behavior: None,
            },
            MediaConcurrency {
                channel: "VOICE".into(),
                concurrency: 1,
                cross_channel_behavior: Some("ROUTE_CURRENT_CHANNEL_ONLY".into()),
            },
        ],
        queues: vec![
            RoutingProfileQueue {
                queue_id: fx.standard_queue.clone(),
                channel: "VOICE".into(),
                priority: 2,
                delay: 5,
            },
            RoutingProfileQueue {
                queue_id: fx.standard_queue.clone(),
                channel: "CHAT".into(),
                priority: 1,
                delay: 0,
            },
        ],
        agent_availability_timer: None,
        manual_queues: vec![],
        is_default: false,
        tags: tags_of(&[("cost-center", "42")]),
        modified: modified_at(1_700_000_500_000),
    };
    store
        .create_routing_profile(&fx.at, custom.clone())
        .await
        .unwrap();
    assert_eq!(
        store.get_routing_profile(&fx.at, &custom.id).await.unwrap(),
        custom
    );

    let dup = RoutingProfile {
        id: new_id(),
        ..custom.clone()
    };
    match store.create_routing_profile(&fx.at, dup).await {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Sales"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }

    // Queues it names must be queues of the instance.
    let other = setup(store).await;
    let missing_queue = new_id();
    let mut bad = RoutingProfile {
        id: new_id(),
        name: "Bad".into(),
        ..custom.clone()
    };
    bad.queues[1].queue_id = missing_queue.clone();
    match store.create_routing_profile(&fx.at, bad.clone()).await {
        Err(StoreError::MissingReference {
            kind: ResourceKind::Queue,
            id,
        }) => assert_eq!(id, missing_queue),
        other => panic!("expected MissingReference(Queue), got {other:?}"),
    }
    let mut bad_default = RoutingProfile {
        id: new_id(),
        name: "Bad".into(),
        ..custom.clone()
    };
    bad_default.default_outbound_queue_id = other.standard_queue.clone();
    match store
        .create_routing_profile(&fx.at, bad_default.clone())
        .await
    {
        Err(StoreError::MissingReference {
            kind: ResourceKind::Queue,
            id,
        }) => assert_eq!(id, other.standard_queue),
        other => panic!("expected MissingReference(Queue), got {other:?}"),
    }
    assert_err!(
        store.get_routing_profile(&fx.at, &bad.id).await,
        StoreError::NotFound { .. }
    );
    assert_err!(
        store.get_routing_profile(&fx.at, &bad_default.id).await,
        StoreError::NotFound { .. }
    );

    let mut expected = vec![basic.clone(), custom.clone()];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    let listed = all_pages(
        1,
        |p: &RoutingProfile| p.id.clone(),
        |p| async move { store.list_routing_profiles(at, &p).await },
    )
    .await;
    assert_eq!(listed, expected);

    // User counts and in-use deletion.
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &custom.id)
            .await
            .unwrap(),
        0
    );
    let mut users = Vec::new();
    for name in ["seller1", "seller2"] {
        let mut u = plain_user(&fx, name);
        u.routing_profile_id = custom.id.clone();
        store.create_user(&fx.at, u.clone(), 100).await.unwrap();
        users.push(u);
    }
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &custom.id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &basic.id)
            .await
            .unwrap(),
        0
    );
    assert_err!(
        store.routing_profile_user_count(&fx.at, &new_id()).await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    match store.delete_routing_profile(&fx.at, &custom.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::RoutingProfile,
            id,
            ..
        }) => assert_eq!(id, custom.id),
        other => panic!("expected InUse, got {other:?}"),
    }
    // Moving a user away frees the profile from that user.
    let moved_to = basic.id.clone();
    store
        .update_user(
            &fx.at,
            &users[0].id,
            Box::new(move |u: &mut User| {
                u.routing_profile_id = moved_to;
                Ok(())
            }),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &custom.id)
            .await
            .unwrap(),
        1
    );
    store.delete_user(&fx.at, &users[1].id).await.unwrap();
    store
        .delete_routing_profile(&fx.at, &custom.id)
        .await
        .unwrap();
    assert_err!(
        store.get_routing_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::RoutingProfile, &custom.id))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    assert_err!(
        store.delete_routing_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
}
