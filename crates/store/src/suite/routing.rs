//! Routing profile edits: applied whole or not at all, with the profile's references
//! checked on the result, and the default profile kept.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::RoutingProfileQueue;
use roster_domain::new_id;
use roster_domain::routing::QueueRef;
use roster_domain::DomainError;

use crate::{RoutingProfileEdit, Store, StoreError};

use super::fixtures::{fresh_scope, modified_at, new_instance, plain_user, setup};

fn edit(
    f: impl FnOnce(&mut roster_domain::entities::RoutingProfile) -> Result<(), DomainError>
        + Send
        + 'static,
) -> RoutingProfileEdit {
    Box::new(f)
}

pub async fn routing_profile_edits(store: &dyn Store) {
    let (new, fx) = new_instance(&fresh_scope(), None);
    let basic = new.routing_profiles[0].clone();
    store.create_instance(new).await.unwrap();
    assert!(basic.is_default);

    // An edit is applied and stored whole, with the stamp it sets; tags stay.
    let stamp = modified_at(1_700_000_900_000);
    let (queue, s) = (fx.standard_queue.clone(), stamp.clone());
    let after = store
        .update_routing_profile(
            &fx.at,
            &basic.id,
            edit(move |p| {
                p.name = "Renamed".into();
                p.description = "New words".into();
                p.media_concurrencies[1].concurrency = 4;
                p.update_queues(vec![RoutingProfileQueue {
                    queue_id: queue.clone(),
                    channel: "VOICE".into(),
                    priority: 7,
                    delay: 30,
                }])?;
                p.associate(
                    vec![],
                    vec![QueueRef {
                        queue_id: queue,
                        channel: "TASK".into(),
                    }],
                )?;
                p.tags.clear();
                p.modified = s;
                Ok(())
            }),
        )
        .await
        .unwrap();
    let stored = store.get_routing_profile(&fx.at, &basic.id).await.unwrap();
    assert_eq!(stored, after);
    assert_eq!(stored.name, "Renamed");
    assert_eq!(stored.media_concurrencies[1].concurrency, 4);
    assert_eq!(stored.manual_queues.len(), 1);
    assert_eq!(stored.modified, stamp);
    assert_eq!(stored.tags, basic.tags, "edits leave tags alone");
    assert!(stored.is_default);

    // A refused edit, or one whose result names a missing or agent queue, or another
    // profile's name, changes nothing.
    let mut other = basic.clone();
    other.id = new_id();
    other.name = "Other".into();
    other.is_default = false;
    store
        .create_routing_profile(&fx.at, other.clone())
        .await
        .unwrap();
    let missing = new_id();
    let m = missing.clone();
    match store
        .update_routing_profile(
            &fx.at,
            &basic.id,
            edit(move |p| {
                p.name = "Changed".into();
                p.default_outbound_queue_id = m;
                Ok(())
            }),
        )
        .await
    {
        Err(StoreError::MissingReference {
            kind: ResourceKind::Queue,
            id,
        }) => assert_eq!(id, missing),
        other => panic!("expected MissingReference(Queue), got {other:?}"),
    }
    // A user's agent queue (its id is the user's) is not a standard queue.
    let agent = plain_user(&fx, "agent-queue");
    store.create_user(&fx.at, agent.clone(), 100).await.unwrap();
    let agent_queue = agent.id.clone();
    assert_err!(
        store
            .update_routing_profile(
                &fx.at,
                &basic.id,
                edit(move |p| {
                    p.associate(
                        vec![RoutingProfileQueue {
                            queue_id: agent_queue,
                            channel: "EMAIL".into(),
                            priority: 1,
                            delay: 0,
                        }],
                        vec![],
                    )
                }),
            )
            .await,
        StoreError::MissingReference { .. }
    );
    assert_err!(
        store
            .update_routing_profile(
                &fx.at,
                &basic.id,
                edit(|p| {
                    p.name = "Other".into();
                    Ok(())
                }),
            )
            .await,
        StoreError::Duplicate { .. }
    );
    assert_err!(
        store
            .update_routing_profile(
                &fx.at,
                &basic.id,
                edit(|p| {
                    p.name = "Half done".into();
                    Err(DomainError::param("X", "refused"))
                }),
            )
            .await,
        StoreError::Rejected(_)
    );
    assert_err!(
        store
            .update_routing_profile(
                &fx.at,
                &basic.id,
                edit(|p| {
                    p.is_default = false;
                    Ok(())
                }),
            )
            .await,
        StoreError::Rejected(_)
    );
    assert_eq!(
        store.get_routing_profile(&fx.at, &basic.id).await.unwrap(),
        after,
        "nothing refused was stored"
    );

    // Another instance's profile is not found; the default profile is never deleted.
    let elsewhere = setup(store).await;
    assert_err!(
        store
            .update_routing_profile(&elsewhere.at, &basic.id, edit(|_| Ok(())))
            .await,
        StoreError::NotFound { .. }
    );
    assert_err!(
        store.delete_routing_profile(&fx.at, &basic.id).await,
        StoreError::InUse { .. }
    );
    store
        .delete_routing_profile(&fx.at, &other.id)
        .await
        .unwrap();
}
