//! Instances: creation, isolation between accounts and regions, aliases, atomic
//! creation, cascading deletion and attributes.

use roster_domain::arn::ResourceKind;
use roster_domain::instance::{Instance, InstanceAttributeType};
use roster_domain::{new_id, InstanceRef, Scope};

use crate::{Store, StoreError, StoreResult};

use super::fixtures::{
    all_pages, fresh_scope, full_user, group, new_instance, page, plain_user, resource, setup,
    setup_in, structure, tags_of,
};

/// Create, get, list with paging, instance tags, delete.
pub async fn instances(store: &dyn Store) {
    let scope = fresh_scope();
    let mut made = Vec::new();
    for alias in ["center-a", "center-b", "center-c"] {
        let (new, fx) = new_instance(&scope, Some(alias));
        let tags = new.tags.clone();
        store.create_instance(new).await.unwrap();
        assert_eq!(
            store.get_instance(&scope, &fx.instance.id).await.unwrap(),
            fx.instance
        );
        assert_eq!(store.instance_tags(&fx.at).await.unwrap(), tags);
        made.push(fx.instance);
    }
    // Instances without an alias do not clash with each other.
    for _ in 0..2 {
        let (new, fx) = new_instance(&scope, None);
        store.create_instance(new).await.unwrap();
        made.push(fx.instance);
    }
    made.sort_by(|a, b| a.id.cmp(&b.id));

    let listed = store
        .list_instances(&scope, &page(None, 100))
        .await
        .unwrap();
    assert_eq!(listed, made);
    let scope_ref = &scope;
    let paged = all_pages(
        2,
        |i: &Instance| i.id.clone(),
        |p| async move { store.list_instances(scope_ref, &p).await },
    )
    .await;
    assert_eq!(paged, made);
    let after_last = store
        .list_instances(&scope, &page(Some(&made[4].id), 10))
        .await
        .unwrap();
    assert!(after_last.is_empty());

    store.delete_instance(&scope, &made[0].id).await.unwrap();
    assert_err!(
        store.get_instance(&scope, &made[0].id).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert_err!(
        store.delete_instance(&scope, &made[0].id).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert_eq!(
        store
            .list_instances(&scope, &page(None, 100))
            .await
            .unwrap(),
        made[1..].to_vec()
    );
    assert_err!(
        store.get_instance(&scope, &new_id()).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
}

/// An instance exists only for the account and region that made it.
pub async fn instance_isolation(store: &dyn Store) {
    let scope = fresh_scope();
    let fx = setup_in(store, &scope).await;
    let user = plain_user(&fx, "isolated");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let other_account = Scope {
        account_id: fresh_scope().account_id,
        region: scope.region.clone(),
    };
    let other_region = Scope {
        account_id: scope.account_id.clone(),
        region: "eu-central-1".into(),
    };
    for other in [other_account, other_region] {
        let at = InstanceRef {
            scope: other.clone(),
            instance_id: fx.instance.id.clone(),
        };
        let not_found = |r: StoreResult<()>| match r {
            Err(StoreError::NotFound {
                kind: ResourceKind::Instance,
                id,
            }) => assert_eq!(id, fx.instance.id),
            other => panic!("expected NotFound(Instance), got {other:?}"),
        };
        not_found(
            store
                .get_instance(&other, &fx.instance.id)
                .await
                .map(|_| ()),
        );
        assert!(store
            .list_instances(&other, &page(None, 100))
            .await
            .unwrap()
            .is_empty());
        not_found(store.instance_tags(&at).await.map(|_| ()));
        not_found(store.list_instance_attributes(&at).await.map(|_| ()));
        not_found(store.get_user(&at, &user.id).await.map(|_| ()));
        not_found(store.list_users(&at, &page(None, 10)).await.map(|_| ()));
        not_found(
            store
                .create_user(&at, plain_user(&fx, "intruder"), 100)
                .await,
        );
        not_found(
            store
                .update_user(&at, &user.id, Box::new(|_| Ok(())))
                .await
                .map(|_| ()),
        );
        not_found(store.delete_user(&at, &user.id).await);
        not_found(
            store
                .get_security_profile(&at, &fx.admin_profile)
                .await
                .map(|_| ()),
        );
        not_found(
            store
                .list_security_profiles(&at, &page(None, 10))
                .await
                .map(|_| ()),
        );
        not_found(
            store
                .get_routing_profile(&at, &fx.routing_profile)
                .await
                .map(|_| ()),
        );
        not_found(
            store
                .list_queues(&at, &[], &page(None, 10))
                .await
                .map(|_| ()),
        );
        not_found(store.get_hierarchy_structure(&at).await.map(|_| ()));
        not_found(
            store
                .list_hierarchy_groups(&at, &page(None, 10))
                .await
                .map(|_| ()),
        );
        not_found(
            store
                .list_tags(&at, &resource(ResourceKind::User, &user.id))
                .await
                .map(|_| ()),
        );
        not_found(
            store
                .tag_resource(
                    &at,
                    &resource(ResourceKind::Instance, &fx.instance.id),
                    &tags_of(&[("k", "v")]),
                )
                .await,
        );
        not_found(
            store
                .untag_resource(&at, &resource(ResourceKind::User, &user.id), &["k".into()])
                .await,
        );
        not_found(store.delete_instance(&other, &fx.instance.id).await);
    }
    // Nothing above changed the instance.
    assert_eq!(
        store.get_instance(&scope, &fx.instance.id).await.unwrap(),
        fx.instance
    );
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), user);
    assert_eq!(
        store
            .list_users(&fx.at, &page(None, 10))
            .await
            .unwrap()
            .len(),
        1
    );
}

/// An alias is unique in its account and region, and only there.
pub async fn instance_alias(store: &dyn Store) {
    let scope = fresh_scope();
    let (first, _) = new_instance(&scope, Some("my-center"));
    store.create_instance(first).await.unwrap();
    let (again, fx) = new_instance(&scope, Some("my-center"));
    match store.create_instance(again).await {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("my-center"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_err!(
        store.get_instance(&scope, &fx.instance.id).await,
        StoreError::NotFound { .. }
    );
    let elsewhere = Scope {
        account_id: scope.account_id.clone(),
        region: "eu-west-1".into(),
    };
    let (other_region, _) = new_instance(&elsewhere, Some("my-center"));
    store.create_instance(other_region).await.unwrap();
    let (other_account, _) = new_instance(&fresh_scope(), Some("my-center"));
    store.create_instance(other_account).await.unwrap();
    assert_eq!(
        store
            .list_instances(&scope, &page(None, 10))
            .await
            .unwrap()
            .len(),
        1
    );
}

/// A new instance whose default resources clash is not created at all.
pub async fn instance_creation_is_atomic(store: &dyn Store) {
    let scope = fresh_scope();
    let (mut new, fx) = new_instance(&scope, Some("atomic"));
    let mut clash = new.security_profiles[0].clone();
    clash.id = new_id();
    new.security_profiles.push(clash);
    assert_err!(
        store.create_instance(new).await,
        StoreError::Duplicate { .. }
    );
    assert_err!(
        store.get_instance(&scope, &fx.instance.id).await,
        StoreError::NotFound { .. }
    );
    assert!(store
        .list_instances(&scope, &page(None, 10))
        .await
        .unwrap()
        .is_empty());
    // The alias was not taken either.
    let (retry, _) = new_instance(&scope, Some("atomic"));
    store.create_instance(retry).await.unwrap();
}

/// Deleting an instance removes everything in it and nothing elsewhere.
pub async fn delete_instance_cascades(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, Some("doomed"));
    store.create_instance(new).await.unwrap();
    let keep = setup_in(store, &scope).await;

    store
        .set_hierarchy_structure(&fx.at, structure(&["Region", "Site"], 1))
        .await
        .unwrap();
    let top = group("North", None);
    let site = group("North-1", Some(&top));
    store
        .create_hierarchy_group(&fx.at, top.clone())
        .await
        .unwrap();
    store
        .create_hierarchy_group(&fx.at, site.clone())
        .await
        .unwrap();
    let user = full_user(&fx, "doomed.user", Some(&site.id));
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let kept = full_user(&keep, "doomed.user", None);
    store
        .create_user(&keep.at, kept.clone(), 100)
        .await
        .unwrap();
    store
        .set_instance_attribute(&fx.at, InstanceAttributeType::ContactflowLogs, true)
        .await
        .unwrap();

    store
        .delete_instance(&scope, &fx.instance.id)
        .await
        .unwrap();
    assert_err!(
        store.get_instance(&scope, &fx.instance.id).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert_err!(
        store.get_user(&fx.at, &user.id).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert_err!(
        store.instance_tags(&fx.at).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );

    // The other instance of the scope is untouched.
    assert_eq!(store.get_user(&keep.at, &kept.id).await.unwrap(), kept);
    assert_eq!(
        store.list_instances(&scope, &page(None, 10)).await.unwrap(),
        vec![keep.instance.clone()]
    );

    // The alias is free again, and the new instance starts empty.
    let (again, fx2) = new_instance(&scope, Some("doomed"));
    store.create_instance(again).await.unwrap();
    assert!(store
        .list_users(&fx2.at, &page(None, 10))
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .list_hierarchy_groups(&fx2.at, &page(None, 10))
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .get_hierarchy_structure(&fx2.at)
        .await
        .unwrap()
        .levels
        .is_empty());
    assert!(!store
        .get_instance_attribute(&fx2.at, InstanceAttributeType::ContactflowLogs)
        .await
        .unwrap());
}

/// Attributes have the real defaults, change one at a time, and list in model order.
pub async fn instance_attributes(store: &dyn Store) {
    let fx = setup(store).await;
    let defaults: Vec<_> = InstanceAttributeType::ALL
        .into_iter()
        .map(|a| (a, a.default_value(true, false)))
        .collect();
    assert_eq!(
        store.list_instance_attributes(&fx.at).await.unwrap(),
        defaults
    );
    for (a, v) in &defaults {
        assert_eq!(
            store.get_instance_attribute(&fx.at, *a).await.unwrap(),
            *v,
            "{}",
            a.as_str()
        );
    }

    store
        .set_instance_attribute(&fx.at, InstanceAttributeType::ContactflowLogs, true)
        .await
        .unwrap();
    store
        .set_instance_attribute(&fx.at, InstanceAttributeType::ContactLens, false)
        .await
        .unwrap();
    assert!(store
        .get_instance_attribute(&fx.at, InstanceAttributeType::ContactflowLogs)
        .await
        .unwrap());
    assert!(!store
        .get_instance_attribute(&fx.at, InstanceAttributeType::ContactLens)
        .await
        .unwrap());
    // Setting a value twice is fine.
    store
        .set_instance_attribute(&fx.at, InstanceAttributeType::ContactLens, false)
        .await
        .unwrap();

    // The call flags are the instance's own.
    store
        .set_instance_attribute(&fx.at, InstanceAttributeType::InboundCalls, false)
        .await
        .unwrap();
    store
        .set_instance_attribute(&fx.at, InstanceAttributeType::OutboundCalls, true)
        .await
        .unwrap();
    let instance = store
        .get_instance(&fx.at.scope, &fx.instance.id)
        .await
        .unwrap();
    assert!(!instance.inbound_calls_enabled);
    assert!(instance.outbound_calls_enabled);

    let listed = store.list_instance_attributes(&fx.at).await.unwrap();
    let order: Vec<_> = listed.iter().map(|(a, _)| *a).collect();
    assert_eq!(order, InstanceAttributeType::ALL.to_vec());
    for (a, v) in listed {
        let expected = match a {
            InstanceAttributeType::ContactflowLogs => true,
            InstanceAttributeType::ContactLens => false,
            InstanceAttributeType::InboundCalls => false,
            InstanceAttributeType::OutboundCalls => true,
            other => other.default_value(true, false),
        };
        assert_eq!(v, expected, "{}", a.as_str());
    }

    // Another instance keeps its own values.
    let other = setup(store).await;
    assert!(!store
        .get_instance_attribute(&other.at, InstanceAttributeType::ContactflowLogs)
        .await
        .unwrap());
}
