//! Users: round trips, unique usernames, references, the quota, paging, edits and
//! deletion.

use roster_domain::arn::ResourceKind;
use roster_domain::channel::{Channel, ChannelSettings, UserConfig};
use roster_domain::entities::SecurityProfile;
use roster_domain::instance::IdentityManagementType;
use roster_domain::user::{IdentityInfo, User, Username};
use roster_domain::{new_id, DomainError, InstanceRef};

use crate::{Store, StoreError};

use super::fixtures::{
    acw, all_pages, full_user, group, modified, modified_at, page, plain_user, profiles, resource,
    set_channel, setup, structure, tags_of,
};

/// The store's user count covers every instance and follows creations and deletions.
pub async fn users_counted(store: &dyn Store) {
    let before = store.user_count().await.unwrap();
    let a = setup(store).await;
    let b = setup(store).await;
    let first = plain_user(&a, "counted.one");
    store.create_user(&a.at, first.clone(), 100).await.unwrap();
    store
        .create_user(&b.at, plain_user(&b, "counted.two"), 100)
        .await
        .unwrap();
    assert_eq!(store.user_count().await.unwrap(), before + 2);
    store.delete_user(&a.at, &first.id).await.unwrap();
    assert_eq!(store.user_count().await.unwrap(), before + 1);
}

/// A user reads back exactly as written.
pub async fn users_round_trip(store: &dyn Store) {
    let fx = setup(store).await;
    store
        .set_hierarchy_structure(&fx.at, structure(&["Region"], 1))
        .await
        .unwrap();
    let g = group("EMEA", None);
    store
        .create_hierarchy_group(&fx.at, g.clone())
        .await
        .unwrap();

    let full = full_user(&fx, "Zoe.Bronte", Some(&g.id));
    store.create_user(&fx.at, full.clone(), 100).await.unwrap();
    assert_eq!(store.get_user(&fx.at, &full.id).await.unwrap(), full);

    let plain = plain_user(&fx, "plain");
    store.create_user(&fx.at, plain.clone(), 100).await.unwrap();
    assert_eq!(store.get_user(&fx.at, &plain.id).await.unwrap(), plain);

    // Names absent altogether, as on EXISTING_DIRECTORY instances.
    let mut bare = plain_user(&fx, "bare@example.com");
    bare.identity = IdentityInfo::default();
    // A VOICE setting without an agent-first callback value, as a store may hold it.
    let defaults = UserConfig::default();
    bare.config = UserConfig::from_stored(
        ChannelSettings {
            agent_first_callback_auto_accept: None,
            ..*defaults.channel(Channel::Voice)
        },
        [Channel::Chat, Channel::Task, Channel::Email].map(|c| {
            let s = defaults.channel(c);
            (s.auto_accept, s.after_contact_work)
        }),
        defaults.phone_type,
        None,
        defaults.persistent_connection,
        defaults.voice_enhancement,
    );
    store.create_user(&fx.at, bare.clone(), 100).await.unwrap();
    assert_eq!(store.get_user(&fx.at, &bare.id).await.unwrap(), bare);

    let mut summaries = store.list_users(&fx.at, &page(None, 100)).await.unwrap();
    let mut expected = vec![
        (full.id.clone(), "Zoe.Bronte".to_string()),
        (plain.id.clone(), "plain".to_string()),
        (bare.id.clone(), "bare@example.com".to_string()),
    ];
    expected.sort();
    summaries.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        summaries
            .iter()
            .map(|s| (s.id.clone(), s.username.clone()))
            .collect::<Vec<_>>(),
        expected
    );
    assert!(summaries.iter().all(|s| s.modified == modified()));

    assert_err!(
        store.get_user(&fx.at, &new_id()).await,
        StoreError::NotFound {
            kind: ResourceKind::User,
            ..
        }
    );
    let other = setup(store).await;
    assert_err!(
        store.get_user(&other.at, &full.id).await,
        StoreError::NotFound {
            kind: ResourceKind::User,
            ..
        }
    );
}

/// Usernames are unique per instance, ignoring case.
pub async fn users_duplicate_username(store: &dyn Store) {
    let fx = setup(store).await;
    let first = plain_user(&fx, "Jane.Doe");
    store.create_user(&fx.at, first.clone(), 100).await.unwrap();
    for clash in ["Jane.Doe", "jane.doe", "JANE.DOE", "jAnE.dOe"] {
        let u = plain_user(&fx, clash);
        match store.create_user(&fx.at, u.clone(), 100).await {
            Err(StoreError::Duplicate { what }) => assert!(what.contains(clash), "{what}"),
            other => panic!("expected Duplicate for {clash}, got {other:?}"),
        }
        assert_err!(
            store.get_user(&fx.at, &u.id).await,
            StoreError::NotFound { .. }
        );
    }
    assert_eq!(
        store
            .list_users(&fx.at, &page(None, 100))
            .await
            .unwrap()
            .len(),
        1
    );
    // Another instance has its own usernames.
    let other = setup(store).await;
    store
        .create_user(&other.at, plain_user(&other, "jane.doe"), 100)
        .await
        .unwrap();
    // A user id already in use is not a second user.
    let mut same_id = plain_user(&fx, "someone.else");
    same_id.id = first.id.clone();
    assert!(store.create_user(&fx.at, same_id, 100).await.is_err());
    assert_eq!(store.get_user(&fx.at, &first.id).await.unwrap(), first);
}

/// Profiles and groups a user names must exist in the same instance.
pub async fn users_missing_references(store: &dyn Store) {
    let fx = setup(store).await;
    let other = setup(store).await;
    store
        .set_hierarchy_structure(&other.at, structure(&["Top"], 1))
        .await
        .unwrap();
    let foreign_group = group("Foreign", None);
    store
        .create_hierarchy_group(&other.at, foreign_group.clone())
        .await
        .unwrap();

    type Point = Box<dyn Fn(&mut User, &str)>;
    let cases: Vec<(ResourceKind, String, Point)> = vec![
        (
            ResourceKind::RoutingProfile,
            new_id(),
            Box::new(|u: &mut User, id: &str| u.routing_profile_id = id.into()),
        ),
        (
            ResourceKind::RoutingProfile,
            other.routing_profile.clone(),
            Box::new(|u: &mut User, id: &str| u.routing_profile_id = id.into()),
        ),
        (
            ResourceKind::SecurityProfile,
            new_id(),
            Box::new(|u: &mut User, id: &str| u.security_profile_ids.push_stored(id.into())),
        ),
        (
            ResourceKind::SecurityProfile,
            other.agent_profile.clone(),
            Box::new(|u: &mut User, id: &str| {
                u.security_profile_ids = profiles(&[&id.to_string()])
            }),
        ),
        (
            ResourceKind::HierarchyGroup,
            new_id(),
            Box::new(|u: &mut User, id: &str| u.hierarchy_group_id = Some(id.into())),
        ),
        (
            ResourceKind::HierarchyGroup,
            foreign_group.id.clone(),
            Box::new(|u: &mut User, id: &str| u.hierarchy_group_id = Some(id.into())),
        ),
    ];
    for (kind, id, set) in &cases {
        let mut u = plain_user(&fx, "dangling");
        set(&mut u, id);
        match store.create_user(&fx.at, u.clone(), 100).await {
            Err(StoreError::MissingReference { kind: k, id: i }) => {
                assert_eq!((k, &i), (*kind, id));
            }
            other => panic!("expected MissingReference({kind:?}), got {other:?}"),
        }
    }
    assert!(store
        .list_users(&fx.at, &page(None, 100))
        .await
        .unwrap()
        .is_empty());
    // The username was never taken.
    store
        .create_user(&fx.at, plain_user(&fx, "dangling"), 100)
        .await
        .unwrap();
    // An instance that does not exist.
    let ghost = InstanceRef {
        scope: fx.at.scope.clone(),
        instance_id: new_id(),
    };
    assert_err!(
        store
            .create_user(&ghost, plain_user(&fx, "ghost"), 100)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
}

/// An instance holds at most `max_users` users; deleting one frees a place.
pub async fn users_quota(store: &dyn Store) {
    let fx = setup(store).await;
    let mut made = Vec::new();
    for i in 0..3 {
        let u = plain_user(&fx, &format!("quota{i}"));
        store.create_user(&fx.at, u.clone(), 3).await.unwrap();
        made.push(u);
    }
    let extra = plain_user(&fx, "quota3");
    assert_err!(
        store.create_user(&fx.at, extra.clone(), 3).await,
        StoreError::UserLimit { limit: 3 }
    );
    assert_err!(
        store.get_user(&fx.at, &extra.id).await,
        StoreError::NotFound { .. }
    );
    // A higher limit lets it in; the limit is the caller's.
    store.create_user(&fx.at, extra.clone(), 4).await.unwrap();
    assert_err!(
        store
            .create_user(&fx.at, plain_user(&fx, "quota4"), 4)
            .await,
        StoreError::UserLimit { limit: 4 }
    );
    store.delete_user(&fx.at, &made[0].id).await.unwrap();
    store
        .create_user(&fx.at, plain_user(&fx, "quota4"), 4)
        .await
        .unwrap();
    // Quotas are per instance.
    let other = setup(store).await;
    store
        .create_user(&other.at, plain_user(&other, "quota0"), 1)
        .await
        .unwrap();
    assert_err!(
        store
            .create_user(&other.at, plain_user(&other, "quota1"), 1)
            .await,
        StoreError::UserLimit { limit: 1 }
    );
    assert_err!(
        store.create_user(&fx.at, plain_user(&fx, "zero"), 0).await,
        StoreError::UserLimit { limit: 0 }
    );
}

pub async fn users_paging(store: &dyn Store) {
    let fx = setup(store).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let u = plain_user(&fx, &format!("pager{i}"));
        ids.push(u.id.clone());
        store.create_user(&fx.at, u, 100).await.unwrap();
    }
    ids.sort();
    for limit in [1, 3, 7, 50] {
        let at = &fx.at;
        let listed = all_pages(
            limit,
            |s: &crate::UserSummary| s.id.clone(),
            |p| async move { store.list_users(at, &p).await },
        )
        .await;
        assert_eq!(
            listed.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
            ids,
            "limit {limit}"
        );
    }
    assert!(store
        .list_users(&fx.at, &page(None, 0))
        .await
        .unwrap()
        .is_empty());
}

/// Edits apply atomically to the stored user; a refused edit changes nothing.
pub async fn update_user(store: &dyn Store) {
    let fx = setup(store).await;
    store
        .set_hierarchy_structure(&fx.at, structure(&["Top"], 1))
        .await
        .unwrap();
    let g = group("Team", None);
    store
        .create_hierarchy_group(&fx.at, g.clone())
        .await
        .unwrap();
    let user = full_user(&fx, "editable", None);
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let neighbour = plain_user(&fx, "neighbour");
    store
        .create_user(&fx.at, neighbour.clone(), 100)
        .await
        .unwrap();

    let group_id = g.id.clone();
    let admin = fx.admin_profile.clone();
    let edited = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(move |u: &mut User| {
                u.identity.first_name = Some("Zoé".into());
                set_channel(&mut u.config, Channel::Chat, false, acw(90));
                u.hierarchy_group_id = Some(group_id);
                u.security_profile_ids = profiles(&[&admin]);
                u.password_hash = None;
                u.modified = modified_at(1_800_000_000_000);
                // Edits do not change tags.
                u.tags.insert("sneaky".into(), "no".into());
                Ok(())
            }),
        )
        .await
        .unwrap();
    let mut expected = user.clone();
    expected.identity.first_name = Some("Zoé".into());
    set_channel(&mut expected.config, Channel::Chat, false, acw(90));
    expected.hierarchy_group_id = Some(g.id.clone());
    expected.security_profile_ids = profiles(&[&fx.admin_profile]);
    expected.password_hash = None;
    expected.modified = modified_at(1_800_000_000_000);
    assert_eq!(edited, expected);
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), expected);

    // A refused edit leaves the user as it was, whatever it changed before refusing.
    let refusal = DomainError::param("IdentityInfo.FirstName", "no");
    let r = refusal.clone();
    let result = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(move |u: &mut User| {
                u.identity.first_name = Some("Changed".into());
                u.routing_profile_id = "nothing".into();
                Err(r)
            }),
        )
        .await;
    assert_eq!(result, Err(StoreError::Rejected(refusal)));
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), expected);

    // The result's references are checked.
    let missing_rp = new_id();
    let m = missing_rp.clone();
    let result = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(move |u: &mut User| {
                u.identity.last_name = Some("Changed".into());
                u.routing_profile_id = m;
                Ok(())
            }),
        )
        .await;
    assert_eq!(
        result,
        Err(StoreError::MissingReference {
            kind: ResourceKind::RoutingProfile,
            id: missing_rp
        })
    );
    let missing_group = new_id();
    let m = missing_group.clone();
    let result = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(move |u: &mut User| {
                u.hierarchy_group_id = Some(m);
                Ok(())
            }),
        )
        .await;
    assert_eq!(
        result,
        Err(StoreError::MissingReference {
            kind: ResourceKind::HierarchyGroup,
            id: missing_group
        })
    );
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), expected);

    // A username may change case but not take another user's.
    let result = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(|u: &mut User| {
                u.username = Username::parse("NEIGHBOUR", IdentityManagementType::ConnectManaged)?;
                Ok(())
            }),
        )
        .await;
    assert_err!(result, StoreError::Duplicate { .. });
    let renamed = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(|u: &mut User| {
                u.username = Username::parse("EDITABLE", IdentityManagementType::ConnectManaged)?;
                Ok(())
            }),
        )
        .await
        .unwrap();
    assert_eq!(renamed.username.as_str(), "EDITABLE");
    assert_err!(
        store
            .create_user(&fx.at, plain_user(&fx, "editable"), 100)
            .await,
        StoreError::Duplicate { .. }
    );

    // Removing the user from its group.
    let out = store
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
    assert_eq!(out.hierarchy_group_id, None);
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), out);
    assert_eq!(
        store.get_user(&fx.at, &neighbour.id).await.unwrap(),
        neighbour
    );

    assert_err!(
        store
            .update_user(&fx.at, &new_id(), Box::new(|_| Ok(())))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::User,
            ..
        }
    );
}

/// A deleted user is gone with its tags and profile links; its username is free.
pub async fn delete_user(store: &dyn Store) {
    let fx = setup(store).await;
    let custom = SecurityProfile::new(new_id(), "Only for Bob".into(), modified());
    store
        .create_security_profile(&fx.at, custom.clone())
        .await
        .unwrap();
    let mut bob = full_user(&fx, "Bob", None);
    bob.security_profile_ids = profiles(&[&custom.id]);
    store.create_user(&fx.at, bob.clone(), 100).await.unwrap();
    assert_err!(
        store.delete_security_profile(&fx.at, &custom.id).await,
        StoreError::InUse { .. }
    );

    store.delete_user(&fx.at, &bob.id).await.unwrap();
    assert_err!(
        store.get_user(&fx.at, &bob.id).await,
        StoreError::NotFound {
            kind: ResourceKind::User,
            ..
        }
    );
    assert_err!(
        store.delete_user(&fx.at, &bob.id).await,
        StoreError::NotFound {
            kind: ResourceKind::User,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::User, &bob.id))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::User,
            ..
        }
    );
    assert!(store
        .list_users(&fx.at, &page(None, 10))
        .await
        .unwrap()
        .is_empty());
    // The profile is no longer held.
    store
        .delete_security_profile(&fx.at, &custom.id)
        .await
        .unwrap();

    // The username can be used again, in any case, by a new user without old tags.
    let mut bob2 = plain_user(&fx, "BOB");
    bob2.tags = tags_of(&[("fresh", "yes")]);
    store.create_user(&fx.at, bob2.clone(), 100).await.unwrap();
    assert_eq!(store.get_user(&fx.at, &bob2.id).await.unwrap(), bob2);
    // A new user with the deleted user's id starts without its tags.
    let mut reborn = plain_user(&fx, "reborn");
    reborn.id = bob.id.clone();
    store
        .create_user(&fx.at, reborn.clone(), 100)
        .await
        .unwrap();
    assert_eq!(store.get_user(&fx.at, &bob.id).await.unwrap(), reborn);
}
