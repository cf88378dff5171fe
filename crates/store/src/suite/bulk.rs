//! Users created in one batch: all of them or none.

use roster_domain::arn::ResourceKind;
use roster_domain::instance::IdentityManagementType;
use roster_domain::user::Username;
use roster_domain::{new_id, InstanceRef};

use crate::{PageRequest, Store, StoreError};

use super::fixtures::{full_user, group, plain_user, setup, structure, Fixture};

/// The ids of every user of the instance, sorted.
async fn user_ids(store: &dyn Store, at: &InstanceRef) -> Vec<String> {
    let mut ids: Vec<String> = store
        .list_users(
            at,
            &PageRequest {
                after: None,
                limit: 10_000,
            },
        )
        .await
        .expect("list the users")
        .into_iter()
        .map(|u| u.id)
        .collect();
    ids.sort();
    ids
}

fn batch(fx: &Fixture, prefix: &str, n: usize) -> Vec<roster_domain::user::User> {
    (0..n)
        .map(|i| plain_user(fx, &format!("{prefix}{i:03}")))
        .collect()
}

/// A batch is written whole: every user reads back as given, and counts in the quota.
pub async fn create_users_batch(store: &dyn Store) {
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
    let mut users = batch(&fx, "bulk", 120);
    users.push(full_user(&fx, "Full.Member", Some(&g.id)));
    store
        .create_users(&fx.at, users.clone(), 121)
        .await
        .unwrap();
    for u in &users {
        assert_eq!(&store.get_user(&fx.at, &u.id).await.unwrap(), u);
    }
    let mut want: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    want.sort();
    assert_eq!(user_ids(store, &fx.at).await, want);
    // The batch took its places in the quota: the instance is full.
    assert_err!(
        store
            .create_user(&fx.at, plain_user(&fx, "one.more"), 121)
            .await,
        StoreError::UserLimit { limit: 121 }
    );
    store
        .create_user(&fx.at, plain_user(&fx, "one.more"), 122)
        .await
        .unwrap();
}

/// Any refusal leaves the instance as it was: a username repeated in the batch
/// (ignoring case) or already in the instance, a missing reference in the last user,
/// a batch larger than the room left, an instance that does not exist.
pub async fn create_users_all_or_nothing(store: &dyn Store) {
    let fx = setup(store).await;
    let existing = plain_user(&fx, "Taken.Name");
    store
        .create_user(&fx.at, existing.clone(), 100)
        .await
        .unwrap();
    let before = user_ids(store, &fx.at).await;

    // The same username twice in the batch, in different case.
    let mut users = batch(&fx, "dup", 30);
    let mut twin = plain_user(&fx, "x");
    twin.username = Username::parse("DUP007", IdentityManagementType::ConnectManaged).unwrap();
    users.push(twin);
    assert_err!(
        store.create_users(&fx.at, users, 100).await,
        StoreError::Duplicate { .. }
    );
    assert_eq!(user_ids(store, &fx.at).await, before);

    // A username the instance has already.
    let mut users = batch(&fx, "clash", 30);
    users.push(plain_user(&fx, "taken.name"));
    assert_err!(
        store.create_users(&fx.at, users, 100).await,
        StoreError::Duplicate { .. }
    );
    assert_eq!(user_ids(store, &fx.at).await, before);

    // The last user names a routing profile the instance does not have.
    let mut users = batch(&fx, "ref", 30);
    let mut dangling = plain_user(&fx, "dangling");
    dangling.routing_profile_id = new_id();
    users.push(dangling);
    assert_err!(
        store.create_users(&fx.at, users, 100).await,
        StoreError::MissingReference {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    assert_eq!(user_ids(store, &fx.at).await, before);

    // One user more than the room left (1 held, 10 allowed, 10 sent).
    assert_err!(
        store
            .create_users(&fx.at, batch(&fx, "quota", 10), 10)
            .await,
        StoreError::UserLimit { limit: 10 }
    );
    assert_eq!(user_ids(store, &fx.at).await, before);
    // The quota was not taken either: exactly the room left fits.
    store
        .create_users(&fx.at, batch(&fx, "fits", 9), 10)
        .await
        .unwrap();
    assert_eq!(user_ids(store, &fx.at).await.len(), 10);

    // An instance of another scope.
    let other = setup(store).await;
    let ghost = InstanceRef {
        scope: other.at.scope.clone(),
        instance_id: new_id(),
    };
    assert_err!(
        store
            .create_users(&ghost, batch(&other, "ghost", 3), 100)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert!(user_ids(store, &other.at).await.is_empty());
}
