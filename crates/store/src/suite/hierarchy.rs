//! The hierarchy: its structure, groups, and what keeps a group from being deleted.

use roster_domain::arn::ResourceKind;
use roster_domain::hierarchy::{HierarchyGroup, HierarchyStructure};
use roster_domain::new_id;
use roster_domain::user::User;

use crate::{Store, StoreError};

use super::fixtures::{
    all_pages, group, modified_at, page, plain_user, resource, setup, structure, tags_of,
};

pub async fn hierarchy_structure(store: &dyn Store) {
    let fx = setup(store).await;
    assert_eq!(
        store.get_hierarchy_structure(&fx.at).await.unwrap(),
        HierarchyStructure::default()
    );

    let three = structure(&["Region", "Site", "Team"], 10);
    store
        .set_hierarchy_structure(&fx.at, three.clone())
        .await
        .unwrap();
    assert_eq!(store.get_hierarchy_structure(&fx.at).await.unwrap(), three);
    let five = structure(&["L1", "L2", "L3", "L4", "L5"], 20);
    store
        .set_hierarchy_structure(&fx.at, five.clone())
        .await
        .unwrap();
    assert_eq!(store.get_hierarchy_structure(&fx.at).await.unwrap(), five);

    // Levels that no group uses can go.
    let one = structure(&["Only"], 30);
    store
        .set_hierarchy_structure(&fx.at, one.clone())
        .await
        .unwrap();
    assert_eq!(store.get_hierarchy_structure(&fx.at).await.unwrap(), one);

    let top = group("Top group", None);
    store
        .create_hierarchy_group(&fx.at, top.clone())
        .await
        .unwrap();
    // Renaming a level that groups use is allowed; removing it is not.
    let renamed = structure(&["Renamed", "Second"], 40);
    store
        .set_hierarchy_structure(&fx.at, renamed.clone())
        .await
        .unwrap();
    match store
        .set_hierarchy_structure(&fx.at, HierarchyStructure::default())
        .await
    {
        Err(StoreError::InUse {
            kind: ResourceKind::HierarchyGroup,
            id,
            ..
        }) => assert_eq!(id, top.id),
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(
        store.get_hierarchy_structure(&fx.at).await.unwrap(),
        renamed
    );

    let child = group("Child group", Some(&top));
    store
        .create_hierarchy_group(&fx.at, child.clone())
        .await
        .unwrap();
    match store
        .set_hierarchy_structure(&fx.at, structure(&["Renamed"], 50))
        .await
    {
        Err(StoreError::InUse {
            kind: ResourceKind::HierarchyGroup,
            id,
            ..
        }) => assert_eq!(id, child.id),
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(
        store.get_hierarchy_structure(&fx.at).await.unwrap(),
        renamed
    );

    store
        .delete_hierarchy_group(&fx.at, &child.id)
        .await
        .unwrap();
    store.delete_hierarchy_group(&fx.at, &top.id).await.unwrap();
    store
        .set_hierarchy_structure(&fx.at, HierarchyStructure::default())
        .await
        .unwrap();
    assert_eq!(
        store.get_hierarchy_structure(&fx.at).await.unwrap(),
        HierarchyStructure::default()
    );

    // Another instance has its own structure.
    let other = setup(store).await;
    assert!(store
        .get_hierarchy_structure(&other.at)
        .await
        .unwrap()
        .levels
        .is_empty());
}

pub async fn hierarchy_groups(store: &dyn Store) {
    let fx = setup(store).await;
    // No levels yet: a top group needs level 1.
    let early = group("Early", None);
    assert_err!(
        store.create_hierarchy_group(&fx.at, early.clone()).await,
        StoreError::MissingLevel { level: 1 }
    );

    store
        .set_hierarchy_structure(&fx.at, structure(&["Region", "Site", "Team"], 1))
        .await
        .unwrap();
    let mut region = group("EMEA", None);
    region.tags = tags_of(&[("kind", "region")]);
    let site = group("Berlin", Some(&region));
    let team = group("Berlin Sales", Some(&site));
    for g in [&region, &site, &team] {
        store
            .create_hierarchy_group(&fx.at, g.clone())
            .await
            .unwrap();
    }
    for g in [&region, &site, &team] {
        assert_eq!(store.get_hierarchy_group(&fx.at, &g.id).await.unwrap(), *g);
    }
    assert_eq!(
        team.path(),
        [region.id.clone(), site.id.clone(), team.id.clone()]
    );
    assert_eq!(team.level(), 3);

    // Below level 3 there is no level.
    let too_deep = group("Too deep", Some(&team));
    assert_err!(
        store.create_hierarchy_group(&fx.at, too_deep.clone()).await,
        StoreError::MissingLevel { level: 4 }
    );
    // A parent that does not exist, or exists in another instance.
    let orphan_parent = group("Ghost", None);
    let orphan = group("Orphan", Some(&orphan_parent));
    match store.create_hierarchy_group(&fx.at, orphan.clone()).await {
        Err(StoreError::MissingReference {
            kind: ResourceKind::HierarchyGroup,
            id,
        }) => {
            assert_eq!(id, orphan_parent.id)
        }
        other => panic!("expected MissingReference, got {other:?}"),
    }
    let other = setup(store).await;
    store
        .set_hierarchy_structure(&other.at, structure(&["Region", "Site"], 1))
        .await
        .unwrap();
    let foreign = group("Foreign", None);
    store
        .create_hierarchy_group(&other.at, foreign.clone())
        .await
        .unwrap();
    let cross = group("Cross", Some(&foreign));
    assert_err!(
        store.create_hierarchy_group(&fx.at, cross.clone()).await,
        StoreError::MissingReference { .. }
    );
    assert_err!(
        store.get_hierarchy_group(&fx.at, &foreign.id).await,
        StoreError::NotFound {
            kind: ResourceKind::HierarchyGroup,
            ..
        }
    );
    // Names are unique in the instance, and only there.
    let dup = group("Berlin", Some(&region));
    match store.create_hierarchy_group(&fx.at, dup.clone()).await {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Berlin"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    store
        .create_hierarchy_group(&other.at, group("Berlin", None))
        .await
        .unwrap();
    for g in [&early, &too_deep, &orphan, &cross, &dup] {
        assert_err!(
            store.get_hierarchy_group(&fx.at, &g.id).await,
            StoreError::NotFound { .. }
        );
    }

    // Listing.
    let mut expected = vec![region.clone(), site.clone(), team.clone()];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    let listed = all_pages(
        2,
        |g: &HierarchyGroup| g.id.clone(),
        |p| async move { store.list_hierarchy_groups(at, &p).await },
    )
    .await;
    assert_eq!(listed, expected);

    // Renaming.
    let later = modified_at(1_800_000_000_000);
    store
        .rename_hierarchy_group(&fx.at, &site.id, "Munich", &later)
        .await
        .unwrap();
    let renamed = store.get_hierarchy_group(&fx.at, &site.id).await.unwrap();
    let mut expected_site = site.clone();
    expected_site.name = "Munich".into();
    expected_site.modified = later.clone();
    assert_eq!(renamed, expected_site);
    // The old name is free, a used one is not, its own name is fine.
    store
        .create_hierarchy_group(&fx.at, group("Berlin", Some(&region)))
        .await
        .unwrap();
    assert_err!(
        store
            .rename_hierarchy_group(&fx.at, &team.id, "EMEA", &later)
            .await,
        StoreError::Duplicate { .. }
    );
    store
        .rename_hierarchy_group(&fx.at, &team.id, "Berlin Sales", &later)
        .await
        .unwrap();
    assert_err!(
        store
            .rename_hierarchy_group(&fx.at, &new_id(), "Nobody", &later)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HierarchyGroup,
            ..
        }
    );
    assert_err!(
        store
            .rename_hierarchy_group(&fx.at, &foreign.id, "Stolen", &later)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HierarchyGroup,
            ..
        }
    );
    assert_eq!(
        store
            .get_hierarchy_group(&other.at, &foreign.id)
            .await
            .unwrap(),
        foreign
    );
}

/// A group with child groups or users cannot be deleted.
pub async fn hierarchy_delete_in_use(store: &dyn Store) {
    let fx = setup(store).await;
    store
        .set_hierarchy_structure(&fx.at, structure(&["Region", "Site"], 1))
        .await
        .unwrap();
    let region = group("Americas", None);
    let site = group("Seattle", Some(&region));
    store
        .create_hierarchy_group(&fx.at, region.clone())
        .await
        .unwrap();
    store
        .create_hierarchy_group(&fx.at, site.clone())
        .await
        .unwrap();
    store
        .tag_resource(
            &fx.at,
            &resource(ResourceKind::HierarchyGroup, &site.id),
            &tags_of(&[("k", "v")]),
        )
        .await
        .unwrap();
    let user = plain_user(&fx, "grouped");
    store
        .create_user(
            &fx.at,
            User {
                hierarchy_group_id: Some(site.id.clone()),
                ..user.clone()
            },
            100,
        )
        .await
        .unwrap();

    match store.delete_hierarchy_group(&fx.at, &region.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::HierarchyGroup,
            id,
            ..
        }) => assert_eq!(id, region.id),
        other => panic!("expected InUse (child groups), got {other:?}"),
    }
    match store.delete_hierarchy_group(&fx.at, &site.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::HierarchyGroup,
            id,
            ..
        }) => assert_eq!(id, site.id),
        other => panic!("expected InUse (users), got {other:?}"),
    }
    store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(|u: &mut User| {
                u.hierarchy_group_id = None;
                Ok(())
            }),
        )
        .await
        .unwrap();
    store
        .delete_hierarchy_group(&fx.at, &site.id)
        .await
        .unwrap();
    assert_err!(
        store.get_hierarchy_group(&fx.at, &site.id).await,
        StoreError::NotFound {
            kind: ResourceKind::HierarchyGroup,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::HierarchyGroup, &site.id))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HierarchyGroup,
            ..
        }
    );
    store
        .delete_hierarchy_group(&fx.at, &region.id)
        .await
        .unwrap();
    assert_err!(
        store.delete_hierarchy_group(&fx.at, &region.id).await,
        StoreError::NotFound {
            kind: ResourceKind::HierarchyGroup,
            ..
        }
    );
    assert!(store
        .list_hierarchy_groups(&fx.at, &page(None, 10))
        .await
        .unwrap()
        .is_empty());
    // A deleted group's name is free.
    store
        .create_hierarchy_group(&fx.at, group("Americas", None))
        .await
        .unwrap();
}
