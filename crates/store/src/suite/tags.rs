//! Tags on every kind of resource that has them, and their limit.

use roster_domain::arn::ResourceKind;
use roster_domain::tags::Tags;
use roster_domain::{new_id, DomainError, InstanceRef};

use crate::{Store, StoreError, StoreResult};

use super::fixtures::{group, plain_user, resource, setup, structure, tags_of};

/// Add, overwrite, remove, ignore absent keys, on every kind that has tags.
pub async fn tags(store: &dyn Store) {
    let fx = setup(store).await;
    store
        .set_hierarchy_structure(&fx.at, structure(&["Top"], 1))
        .await
        .unwrap();
    let g = group("Tagged", None);
    store
        .create_hierarchy_group(&fx.at, g.clone())
        .await
        .unwrap();
    let user = plain_user(&fx, "tagged");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();

    let instance_tags = store.instance_tags(&fx.at).await.unwrap();
    let targets = [
        (
            resource(ResourceKind::Instance, &fx.instance.id),
            instance_tags,
        ),
        (resource(ResourceKind::User, &user.id), Tags::new()),
        (
            resource(ResourceKind::SecurityProfile, &fx.admin_profile),
            Tags::new(),
        ),
        (
            resource(ResourceKind::RoutingProfile, &fx.routing_profile),
            Tags::new(),
        ),
        (resource(ResourceKind::HierarchyGroup, &g.id), Tags::new()),
    ];
    for (r, initial) in &targets {
        let mut expected = initial.clone();
        assert_eq!(store.list_tags(&fx.at, r).await.unwrap(), expected, "{r:?}");
        store
            .tag_resource(&fx.at, r, &tags_of(&[("a", "1"), ("b", "2")]))
            .await
            .unwrap();
        expected.extend(tags_of(&[("a", "1"), ("b", "2")]));
        assert_eq!(store.list_tags(&fx.at, r).await.unwrap(), expected, "{r:?}");
        // Overwrite one, add one.
        store
            .tag_resource(&fx.at, r, &tags_of(&[("b", "two"), ("c", "3")]))
            .await
            .unwrap();
        expected.insert("b".into(), "two".into());
        expected.insert("c".into(), "3".into());
        assert_eq!(store.list_tags(&fx.at, r).await.unwrap(), expected, "{r:?}");
        // Remove one present and one absent key.
        store
            .untag_resource(&fx.at, r, &["a".into(), "never-there".into()])
            .await
            .unwrap();
        expected.remove("a");
        assert_eq!(store.list_tags(&fx.at, r).await.unwrap(), expected, "{r:?}");
        // Removing only absent keys, or none, changes nothing.
        store
            .untag_resource(&fx.at, r, &["zzz".into()])
            .await
            .unwrap();
        store.untag_resource(&fx.at, r, &[]).await.unwrap();
        store.tag_resource(&fx.at, r, &Tags::new()).await.unwrap();
        assert_eq!(store.list_tags(&fx.at, r).await.unwrap(), expected, "{r:?}");
    }

    // Tags show on the resources themselves at once.
    let u = store.get_user(&fx.at, &user.id).await.unwrap();
    assert_eq!(u.tags, tags_of(&[("b", "two"), ("c", "3")]));
    let sp = store
        .get_security_profile(&fx.at, &fx.admin_profile)
        .await
        .unwrap();
    assert_eq!(sp.tags, tags_of(&[("b", "two"), ("c", "3")]));
    let rp = store
        .get_routing_profile(&fx.at, &fx.routing_profile)
        .await
        .unwrap();
    assert_eq!(rp.tags, tags_of(&[("b", "two"), ("c", "3")]));
    let hg = store.get_hierarchy_group(&fx.at, &g.id).await.unwrap();
    assert_eq!(hg.tags, tags_of(&[("b", "two"), ("c", "3")]));
    let it = store.instance_tags(&fx.at).await.unwrap();
    assert_eq!(it.get("c").map(String::as_str), Some("3"));

    // Tags of one resource are not another's: the same key on two users.
    let other_user = plain_user(&fx, "tagged2");
    store
        .create_user(&fx.at, other_user.clone(), 100)
        .await
        .unwrap();
    store
        .tag_resource(
            &fx.at,
            &resource(ResourceKind::User, &other_user.id),
            &tags_of(&[("b", "other")]),
        )
        .await
        .unwrap();
    assert_eq!(
        store.get_user(&fx.at, &user.id).await.unwrap().tags,
        tags_of(&[("b", "two"), ("c", "3")])
    );
    assert_eq!(
        store.get_user(&fx.at, &other_user.id).await.unwrap().tags,
        tags_of(&[("b", "other")])
    );
}

/// At most 50 tags per resource; a call that would pass the limit changes nothing.
pub async fn tag_limit(store: &dyn Store) {
    let fx = setup(store).await;
    let user = plain_user(&fx, "many.tags");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let r = resource(ResourceKind::User, &user.id);
    let forty_nine: Tags = (0..49)
        .map(|i| (format!("k{i:02}"), format!("v{i}")))
        .collect();
    store.tag_resource(&fx.at, &r, &forty_nine).await.unwrap();

    let two_more = tags_of(&[("new1", "x"), ("new2", "y")]);
    assert_err!(
        store.tag_resource(&fx.at, &r, &two_more).await,
        StoreError::Rejected(DomainError::InvalidParameter { .. })
    );
    assert_eq!(store.list_tags(&fx.at, &r).await.unwrap(), forty_nine);

    // An overwrite plus one new key reaches exactly 50.
    let mut fifty = forty_nine.clone();
    fifty.insert("k00".into(), "changed".into());
    fifty.insert("new1".into(), "x".into());
    store
        .tag_resource(&fx.at, &r, &tags_of(&[("k00", "changed"), ("new1", "x")]))
        .await
        .unwrap();
    assert_eq!(store.list_tags(&fx.at, &r).await.unwrap(), fifty);
    // Overwriting at the limit is fine; one more key is not.
    store
        .tag_resource(&fx.at, &r, &tags_of(&[("k01", "again")]))
        .await
        .unwrap();
    fifty.insert("k01".into(), "again".into());
    assert_err!(
        store
            .tag_resource(
                &fx.at,
                &r,
                &tags_of(&[("k01", "third"), ("one-too-many", "z")])
            )
            .await,
        StoreError::Rejected(_)
    );
    assert_eq!(store.list_tags(&fx.at, &r).await.unwrap(), fifty);

    // Creating a resource with more than 50 tags is refused too.
    let mut crowded = plain_user(&fx, "crowded");
    crowded.tags = (0..51).map(|i| (format!("k{i}"), String::new())).collect();
    assert_err!(
        store.create_user(&fx.at, crowded.clone(), 100).await,
        StoreError::Rejected(_)
    );
    assert_err!(
        store.get_user(&fx.at, &crowded.id).await,
        StoreError::NotFound { .. }
    );
}

/// Tag calls on resources that do not exist in the instance are `NotFound` of their kind.
pub async fn tags_not_found(store: &dyn Store) {
    let fx = setup(store).await;
    let other = setup(store).await;
    let foreign_user = plain_user(&other, "foreign");
    store
        .create_user(&other.at, foreign_user.clone(), 100)
        .await
        .unwrap();
    let t = tags_of(&[("k", "v")]);
    let missing = [
        resource(ResourceKind::User, &new_id()),
        resource(ResourceKind::User, &foreign_user.id),
        resource(ResourceKind::SecurityProfile, &new_id()),
        resource(ResourceKind::SecurityProfile, &other.admin_profile),
        resource(ResourceKind::RoutingProfile, &other.routing_profile),
        resource(ResourceKind::HierarchyGroup, &new_id()),
        resource(ResourceKind::Instance, &other.instance.id),
    ];
    for r in &missing {
        let check = |res: StoreResult<()>| match res {
            Err(StoreError::NotFound { kind, id }) => {
                assert_eq!(kind, r.kind);
                assert_eq!(id, r.id);
            }
            other => panic!("expected NotFound for {r:?}, got {other:?}"),
        };
        check(store.tag_resource(&fx.at, r, &t).await);
        check(store.untag_resource(&fx.at, r, &["k".into()]).await);
        check(store.list_tags(&fx.at, r).await.map(|_| ()));
    }
    // Nothing reached the other instance's resources.
    assert!(store
        .list_tags(&other.at, &resource(ResourceKind::User, &foreign_user.id))
        .await
        .unwrap()
        .is_empty());
    // An instance that does not exist.
    let ghost = InstanceRef {
        scope: fx.at.scope.clone(),
        instance_id: new_id(),
    };
    assert_err!(
        store
            .tag_resource(
                &ghost,
                &resource(ResourceKind::Instance, &ghost.instance_id),
                &t
            )
            .await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
}
