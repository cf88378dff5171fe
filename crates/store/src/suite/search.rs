//! SearchUsers against the reference evaluator of the query language.

use std::collections::HashMap;

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{MediaConcurrency, RoutingProfile};
use roster_domain::hierarchy::HierarchyGroup;
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::search::{Comparison, Condition, StringField, StringMatch};
use roster_domain::tags::Tags;
use roster_domain::{new_id, InstanceRef};

use crate::{ResourceRef, SearchRequest, Store, StoreError, UserCursor};

use super::fixtures::{group, modified, page, setup, structure};
use super::generator::{
    random_condition, random_user, Holdings, Pools, Searchable, XorShift, SEARCH_ATTRIBUTES,
    SEARCH_TAGS, SEARCH_USERNAMES,
};

/// Every user of the instance with its group path and proficiencies, in result order.
async fn stored_searchables(
    store: &dyn Store,
    at: &InstanceRef,
    paths: &HashMap<String, Vec<String>>,
) -> Vec<Searchable> {
    let mut users = Vec::new();
    for summary in store.list_users(at, &page(None, 1000)).await.unwrap() {
        let user = store.get_user(at, &summary.id).await.unwrap();
        let (proficiencies, _) = store.list_user_proficiencies(at, &user.id).await.unwrap();
        let path = user
            .hierarchy_group_id
            .as_ref()
            .map(|g| paths[g].clone())
            .unwrap_or_default();
        users.push(Searchable {
            user,
            path,
            proficiencies,
        });
    }
    users.sort_by_key(|s| (s.user.username.unique_key(), s.user.id.clone()));
    users
}

/// Checks each condition against the reference evaluator, in one page and in small
/// pages. Returns how many conditions matched some users but not all.
async fn check_conditions(
    store: &dyn Store,
    at: &InstanceRef,
    users: &[Searchable],
    conditions: &[Condition],
    rng: &mut XorShift,
) -> usize {
    let mut telling = 0;
    for condition in conditions {
        let expected: Vec<&str> = users
            .iter()
            .filter(|s| condition.matches(&s.facts()))
            .map(|s| s.user.id.as_str())
            .collect();
        if !expected.is_empty() && expected.len() < users.len() {
            telling += 1;
        }
        let all = store
            .search_users(
                at,
                &SearchRequest {
                    condition: condition.clone(),
                    after: None,
                    limit: 1000,
                },
            )
            .await
            .unwrap();
        let got: Vec<&str> = all.users.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(got, expected, "{condition:?}");
        assert_eq!(all.total, expected.len() as u64, "{condition:?}");
        // The users come whole: what get_user returns.
        for u in &all.users {
            let known = users.iter().find(|s| s.user.id == u.id).unwrap();
            assert_eq!(*u, known.user, "{condition:?}");
        }

        // The same, a few at a time.
        let limit = rng.between(1, 7);
        let mut paged: Vec<String> = Vec::new();
        let mut after: Option<UserCursor> = None;
        loop {
            let page = store
                .search_users(
                    at,
                    &SearchRequest {
                        condition: condition.clone(),
                        after: after.clone(),
                        limit,
                    },
                )
                .await
                .unwrap();
            assert!(page.users.len() <= limit);
            assert_eq!(page.total, expected.len() as u64, "{condition:?}");
            if let Some(last) = page.users.last() {
                after = Some(UserCursor {
                    username_lower: last.username.unique_key(),
                    id: last.id.clone(),
                });
            }
            let done = page.users.len() < limit;
            paged.extend(page.users.into_iter().map(|u| u.id));
            if done {
                break;
            }
        }
        assert_eq!(paged, expected, "paged by {limit}: {condition:?}");
    }
    telling
}

/// `search_users` returns exactly the users for which the reference evaluator
/// `Condition::matches` holds, in (lowered username, id) order with their number, for
/// a few hundred generated condition trees; paging with small limits yields the same.
pub async fn search_matches_reference(store: &dyn Store) {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let fx = setup(store).await;
    let other = setup(store).await;

    // Three levels; two top groups with children and grandchildren.
    let mut groups: Vec<HierarchyGroup> = Vec::new();
    for at in [&fx.at, &other.at] {
        store
            .set_hierarchy_structure(at, structure(&["Region", "Site", "Team"], 1))
            .await
            .unwrap();
    }
    let (north, south) = (group("North", None), group("South", None));
    let (north_a, north_b, south_a) = (
        group("North-A", Some(&north)),
        group("North-B", Some(&north)),
        group("South-A", Some(&south)),
    );
    let low = [
        group("North-A-1", Some(&north_a)),
        group("North-A-2", Some(&north_a)),
        group("South-A-1", Some(&south_a)),
    ];
    groups.extend([north, south, north_a, north_b, south_a]);
    groups.extend(low);
    for g in &groups {
        store
            .create_hierarchy_group(&fx.at, g.clone())
            .await
            .unwrap();
    }
    let foreign_group = group("North", None);
    store
        .create_hierarchy_group(&other.at, foreign_group.clone())
        .await
        .unwrap();

    let second_rp = RoutingProfile {
        id: new_id(),
        name: "Second".into(),
        description: "Another routing profile".into(),
        default_outbound_queue_id: fx.standard_queue.clone(),
        media_concurrencies: vec![MediaConcurrency {
            channel: "CHAT".into(),
            concurrency: 2,
            cross_channel_behavior: None,
        }],
        queues: vec![],
        agent_availability_timer: None,
        manual_queues: vec![],
        is_default: false,
        tags: Tags::new(),
        modified: modified(),
    };
    store
        .create_routing_profile(&fx.at, second_rp.clone())
        .await
        .unwrap();
    let routing_profiles = vec![fx.routing_profile.clone(), second_rp.id.clone()];
    let security_profiles: Vec<String> = store
        .list_security_profiles(&fx.at, &page(None, 100))
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(security_profiles.len(), 4);

    for at in [&fx.at, &other.at] {
        for (name, values) in SEARCH_ATTRIBUTES {
            store
                .create_predefined_attribute(
                    at,
                    PredefinedAttribute {
                        name: name.into(),
                        values: values.iter().map(|v| v.to_string()).collect(),
                        purposes: vec![],
                        enable_value_validation_on_association: None,
                        modified: modified(),
                    },
                )
                .await
                .unwrap();
        }
    }

    let group_ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let holdings = Holdings {
        groups: &group_ids,
        routing_profiles: &routing_profiles,
        security_profiles: &security_profiles,
    };
    for username in SEARCH_USERNAMES {
        let (u, proficiencies) = random_user(&mut rng, &fx, username, &holdings);
        store.create_user(&fx.at, u.clone(), 1000).await.unwrap();
        if !proficiencies.is_empty() {
            store
                .change_user_proficiencies(
                    &fx.at,
                    &u.id,
                    ProficiencyChange::Associate(proficiencies),
                    &modified(),
                )
                .await
                .unwrap();
        }
    }
    // Users of another instance that match much the same: never part of the results.
    let foreign = Holdings {
        groups: std::slice::from_ref(&foreign_group.id),
        routing_profiles: std::slice::from_ref(&other.routing_profile),
        security_profiles: &[other.agent_profile.clone(), other.admin_profile.clone()],
    };
    for username in ["ann", "Mary", "sam", "zoe"] {
        let (u, proficiencies) = random_user(&mut rng, &other, username, &foreign);
        store.create_user(&other.at, u.clone(), 1000).await.unwrap();
        store
            .change_user_proficiencies(
                &other.at,
                &u.id,
                ProficiencyChange::Associate(proficiencies),
                &modified(),
            )
            .await
            .unwrap();
    }

    // The facts as stored.
    let paths: HashMap<String, Vec<String>> = groups
        .iter()
        .map(|g| (g.id.clone(), g.path().to_vec()))
        .collect();
    let users = stored_searchables(store, &fx.at, &paths).await;
    assert_eq!(users.len(), SEARCH_USERNAMES.len());

    let mut pool_groups = group_ids.clone();
    pool_groups.push(foreign_group.id.clone());
    let pools = Pools {
        users: &users,
        groups: pool_groups,
        routing_profiles: routing_profiles.clone(),
        security_profiles: security_profiles.clone(),
    };

    // A few fixed conditions first, then generated ones.
    let name = |field, comparison, value: &str| Condition::String {
        field,
        matcher: StringMatch::new("f", comparison, value, true).unwrap(),
    };
    let mut conditions = vec![
        Condition::All,
        Condition::And(vec![]),
        Condition::Or(vec![]),
        name(StringField::FirstName, Comparison::Contains, "ΔΥΣ"),
        name(StringField::LastName, Comparison::Contains, "ΥΣΣ"),
        name(StringField::FirstName, Comparison::Contains, "SAM"),
        name(StringField::FirstName, Comparison::Contains, "ss"),
        name(StringField::FirstName, Comparison::StartsWith, "ſ"),
        name(StringField::FirstName, Comparison::Exact, "ΟΔΥΣΣΕΑΣ"),
        name(StringField::Username, Comparison::Contains, "a_"),
    ];
    for _ in 0..300 {
        conditions.push(random_condition(&mut rng, &pools, 1));
    }

    let telling = check_conditions(store, &fx.at, &users, &conditions, &mut rng).await;
    assert!(
        telling * 2 > conditions.len(),
        "only {telling} of {} conditions tell users apart",
        conditions.len()
    );

    // The search postings follow every change: new groups, profiles and names, tags
    // set and removed, proficiency levels changed and removed, users deleted. Then
    // the same questions again.
    let ids: Vec<String> = users.iter().map(|s| s.user.id.clone()).collect();
    for (i, id) in ids.iter().enumerate() {
        let user = ResourceRef {
            kind: ResourceKind::User,
            id: id.clone(),
        };
        match i % 6 {
            0 => {
                let (shape, _) = random_user(&mut rng, &fx, "shape", &holdings);
                store
                    .update_user(
                        &fx.at,
                        id,
                        Box::new(move |u| {
                            u.hierarchy_group_id = shape.hierarchy_group_id;
                            u.security_profile_ids = shape.security_profile_ids;
                            u.routing_profile_id = shape.routing_profile_id;
                            u.identity.first_name = shape.identity.first_name;
                            Ok(())
                        }),
                    )
                    .await
                    .unwrap();
            }
            1 => {
                let (shape, _) = random_user(&mut rng, &fx, "shape", &holdings);
                store
                    .tag_resource(&fx.at, &user, &shape.tags)
                    .await
                    .unwrap();
                let keys: Vec<String> = SEARCH_TAGS
                    .iter()
                    .map(|(k, _)| k.to_string())
                    .filter(|k| !shape.tags.contains_key(k))
                    .collect();
                store.untag_resource(&fx.at, &user, &keys).await.unwrap();
            }
            2 => {
                let (held, _) = store.list_user_proficiencies(&fx.at, id).await.unwrap();
                let (gone, kept): (Vec<_>, Vec<_>) = held.into_iter().partition(|_| rng.chance(40));
                let kept: Vec<UserProficiency> = kept
                    .into_iter()
                    .map(|p| UserProficiency {
                        level: rng.between(2, 10) as f64 / 2.0,
                        ..p
                    })
                    .collect();
                let mut changes = Vec::new();
                if !kept.is_empty() {
                    changes.push(ProficiencyChange::Update(kept));
                }
                if !gone.is_empty() {
                    changes.push(ProficiencyChange::Disassociate(
                        gone.into_iter()
                            .map(|p| (p.attribute_name, p.attribute_value))
                            .collect(),
                    ));
                }
                for change in changes {
                    store
                        .change_user_proficiencies(&fx.at, id, change, &modified())
                        .await
                        .unwrap();
                }
            }
            3 => store.delete_user(&fx.at, id).await.unwrap(),
            _ => {}
        }
    }
    let changed = stored_searchables(store, &fx.at, &paths).await;
    assert!(changed.len() < users.len());
    let questions: Vec<Condition> = conditions.iter().take(120).cloned().collect();
    check_conditions(store, &fx.at, &changed, &questions, &mut rng).await;

    // An instance that does not exist.
    let missing = InstanceRef {
        scope: fx.at.scope.clone(),
        instance_id: new_id(),
    };
    assert_err!(
        store
            .search_users(
                &missing,
                &SearchRequest {
                    condition: Condition::All,
                    after: None,
                    limit: 10,
                },
            )
            .await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
}
