//! Behaviour every backend must show.
//!
//! Each function takes a store and checks one area of the [`Store`] contract. They
//! make their own instances under a fresh account id, so they can run one after the
//! other (or at once) against one database. [`run_all`] runs them all; a backend's
//! tests call it with a freshly opened store.
//!
//! One module per area; [`fixtures`] holds what they build on. The suite is compiled
//! only with the `suite` feature, which the backends enable for their tests.
//!
//! [`Store`]: crate::Store

use crate::Store;

/// Asserts that `$result` is `Err` matching `$pat`.
macro_rules! assert_err {
    ($result:expr, $pat:pat) => {
        match $result {
            Err($pat) => {}
            other => panic!(
                "expected Err({}), got {:?} at {}:{}",
                stringify!($pat),
                other,
                file!(),
                line!()
            ),
        }
    };
}

pub mod bulk;
pub mod concurrency;
pub mod fixtures;
mod generator;
pub mod hierarchy;
pub mod hours;
pub mod instances;
pub mod proficiencies;
pub mod profiles;
pub mod queues;
pub mod quick_connects;
pub mod routing;
pub mod search;
pub mod security_profiles;
pub mod tags;
pub mod users;

pub use fixtures::{fresh_scope, full_user, new_instance, plain_user, setup, Fixture};

/// Runs every test of the suite in turn.
pub async fn run_all(store: &dyn Store) {
    instances::instances(store).await;
    instances::instance_isolation(store).await;
    instances::instance_alias(store).await;
    instances::instance_creation_is_atomic(store).await;
    instances::delete_instance_cascades(store).await;
    instances::instance_attributes(store).await;
    security_profiles::security_profiles(store).await;
    security_profiles::security_profile_members(store).await;
    security_profiles::update_security_profile(store).await;
    security_profiles::security_profile_hierarchy_group(store).await;
    profiles::routing_profiles(store).await;
    queues::queues_round_trip(store).await;
    queues::queues_listed_with_agent_queues(store).await;
    queues::queue_updates(store).await;
    queues::queue_names_unique(store).await;
    queues::queue_delete_in_use(store).await;
    queues::queue_quota(store).await;
    routing::routing_profile_edits(store).await;
    tags::tags(store).await;
    tags::tag_limit(store).await;
    tags::tags_not_found(store).await;
    users::users_round_trip(store).await;
    users::users_duplicate_username(store).await;
    users::users_missing_references(store).await;
    users::users_quota(store).await;
    users::users_paging(store).await;
    users::update_user(store).await;
    users::delete_user(store).await;
    bulk::create_users_batch(store).await;
    bulk::create_users_all_or_nothing(store).await;
    hierarchy::hierarchy_structure(store).await;
    hierarchy::hierarchy_groups(store).await;
    hierarchy::hierarchy_delete_in_use(store).await;
    hours::hours_round_trip(store).await;
    hours::hours_update(store).await;
    hours::hours_duplicate_names(store).await;
    hours::hours_parents(store).await;
    hours::hours_delete_in_use(store).await;
    hours::hours_quota(store).await;
    quick_connects::quick_connects_round_trip(store).await;
    quick_connects::quick_connect_updates(store).await;
    quick_connects::quick_connect_names(store).await;
    quick_connects::quick_connect_references(store).await;
    quick_connects::queue_quick_connects(store).await;
    quick_connects::quick_connect_quota(store).await;
    proficiencies::predefined_attributes(store).await;
    proficiencies::user_proficiencies(store).await;
    concurrency::concurrent_same_username(store).await;
    concurrency::concurrent_channel_edits(store).await;
    search::search_matches_reference(store).await;
}
