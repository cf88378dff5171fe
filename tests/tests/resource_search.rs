//! The searches of the resources around users (SearchUserHierarchyGroups,
//! SearchRoutingProfiles, …): string conditions on each kind's documented fields, tag
//! filters, And/Or nesting, paging and ApproximateTotalCount, with one engine.

use std::collections::BTreeSet;

use roster_tests::aws_sdk_connect::types::{
    CommonAttributeAndCondition, ControlPlaneAttributeFilter, ControlPlaneTagFilter,
    HierarchyLevelUpdate, HierarchyStructureUpdate, HoursOfOperationConfig, HoursOfOperationDays,
    HoursOfOperationSearchCriteria, HoursOfOperationSearchFilter, HoursOfOperationTimeSlice,
    MediaConcurrency, QueueSearchCriteria, QueueSearchFilter, RoutingProfileSearchCriteria,
    RoutingProfileSearchFilter, SecurityProfileSearchCriteria, SecurityProfilesSearchFilter,
    StringComparisonType, StringCondition, TagCondition, UserHierarchyGroupSearchCriteria,
    UserHierarchyGroupSearchFilter,
};
use roster_tests::*;

fn string(field: &str, c: StringComparisonType, value: &str) -> StringCondition {
    StringCondition::builder()
        .field_name(field)
        .value(value)
        .comparison_type(c)
        .build()
}

fn tag(key: &str, value: &str) -> TagCondition {
    TagCondition::builder()
        .tag_key(key)
        .tag_value(value)
        .build()
}

async fn groups_fixture(fx: &Fx) -> Vec<String> {
    let level = |n: &str| Some(HierarchyLevelUpdate::builder().name(n).build().unwrap());
    fx.client
        .update_user_hierarchy_structure()
        .instance_id(&fx.instance)
        .hierarchy_structure(
            HierarchyStructureUpdate::builder()
                .set_level_one(level("Region"))
                .set_level_two(level("Site"))
                .build(),
        )
        .send()
        .await
        .expect("structure");
    let mut ids: Vec<String> = Vec::new();
    for (name, parent, team) in [
        ("North", None, "red"),
        ("South", None, "blue"),
        ("North Leeds", Some(0), "red"),
        ("North York", Some(0), "blue"),
        ("South Bath", Some(1), "red"),
    ] {
        let out = fx
            .client
            .create_user_hierarchy_group()
            .instance_id(&fx.instance)
            .name(name)
            .set_parent_group_id(parent.map(|p: usize| ids[p].clone()))
            .tags("team", team)
            .send()
            .await
            .expect("create group");
        ids.push(out.hierarchy_group_id.unwrap());
    }
    ids
}

async fn search_groups(
    fx: &Fx,
    filter: Option<UserHierarchyGroupSearchFilter>,
    criteria: Option<UserHierarchyGroupSearchCriteria>,
) -> (BTreeSet<String>, i64) {
    let out = fx
        .client
        .search_user_hierarchy_groups()
        .instance_id(&fx.instance)
        .set_search_filter(filter)
        .set_search_criteria(criteria)
        .send()
        .await
        .expect("search groups");
    let names = out
        .user_hierarchy_groups()
        .iter()
        .map(|g| g.name().unwrap().to_string())
        .collect();
    (names, out.approximate_total_count.unwrap())
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn hierarchy_groups_by_name_parent_level_and_tag() {
    let fx = Fx::new("SAML").await;
    let ids = groups_fixture(&fx).await;
    use StringComparisonType::*;
    let by = |c| {
        UserHierarchyGroupSearchCriteria::builder()
            .string_condition(c)
            .build()
    };

    let (names, total) = search_groups(&fx, None, None).await;
    assert_eq!(names.len(), 5);
    assert_eq!(total, 5);
    let (names, _) = search_groups(&fx, None, Some(by(string("name", StartsWith, "north")))).await;
    assert_eq!(
        names,
        set(&["North", "North Leeds", "North York"]),
        "names ignore case"
    );
    let (names, _) = search_groups(&fx, None, Some(by(string("parentId", Exact, &ids[0])))).await;
    assert_eq!(names, set(&["North Leeds", "North York"]));
    let (names, _) = search_groups(&fx, None, Some(by(string("levelId", Exact, "1")))).await;
    assert_eq!(names, set(&["North", "South"]));
    let (names, _) = search_groups(&fx, None, Some(by(string("resourceID", Exact, &ids[4])))).await;
    assert_eq!(names, set(&["South Bath"]));

    // Nesting: (level 2 AND name contains "or") OR name is exactly "South".
    let nested = UserHierarchyGroupSearchCriteria::builder()
        .or_conditions(
            UserHierarchyGroupSearchCriteria::builder()
                .and_conditions(by(string("levelId", Exact, "2")))
                .and_conditions(by(string("name", Contains, "or")))
                .build(),
        )
        .or_conditions(by(string("name", Exact, "South")))
        .build();
    let (names, total) = search_groups(&fx, None, Some(nested.clone())).await;
    assert_eq!(names, set(&["North Leeds", "North York", "South"]));
    assert_eq!(total, 3);

    // The tag filter and the criteria both hold.
    let red = UserHierarchyGroupSearchFilter::builder()
        .attribute_filter(
            ControlPlaneAttributeFilter::builder()
                .and_condition(
                    CommonAttributeAndCondition::builder()
                        .tag_conditions(tag("team", "red"))
                        .build(),
                )
                .build(),
        )
        .build();
    let (names, _) = search_groups(&fx, Some(red), Some(nested)).await;
    assert_eq!(names, set(&["North Leeds"]));

    // A described group and a searched one are the same answer.
    let described = fx
        .client
        .describe_user_hierarchy_group()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&ids[2])
        .send()
        .await
        .unwrap()
        .hierarchy_group
        .unwrap();
    let searched = fx
        .client
        .search_user_hierarchy_groups()
        .instance_id(&fx.instance)
        .search_criteria(by(string("resourceID", Exact, &ids[2])))
        .send()
        .await
        .unwrap()
        .user_hierarchy_groups
        .unwrap();
    assert_eq!(searched, vec![described]);
}

#[tokio::test]
async fn searches_page_with_tokens_and_count_every_match() {
    let fx = Fx::new("SAML").await;
    groups_fixture(&fx).await;
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let out = fx
            .client
            .search_user_hierarchy_groups()
            .instance_id(&fx.instance)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        assert_eq!(out.approximate_total_count, Some(5));
        assert!(out.user_hierarchy_groups().len() <= 2);
        seen.extend(
            out.user_hierarchy_groups()
                .iter()
                .map(|g| g.id().unwrap().to_string()),
        );
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 5);
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>().len(),
        5,
        "no group twice"
    );

    // A token resumes only the query that made it.
    let first = fx
        .client
        .search_user_hierarchy_groups()
        .instance_id(&fx.instance)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let other = UserHierarchyGroupSearchCriteria::builder()
        .string_condition(string("name", StringComparisonType::Contains, "th"))
        .build();
    let e = rejected(
        fx.client
            .search_user_hierarchy_groups()
            .instance_id(&fx.instance)
            .search_criteria(other)
            .set_next_token(first.next_token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(e.contains("NextToken"), "{e}");
}

#[tokio::test]
async fn bad_criteria_name_the_member_and_the_rule() {
    let fx = Fx::new("SAML").await;
    let cases = [
        (
            UserHierarchyGroupSearchCriteria::builder()
                .string_condition(string("Name", StringComparisonType::Exact, "x"))
                .build(),
            "InvalidParameterException",
            "SearchCriteria.StringCondition.FieldName",
            "name, parentId, levelId, resourceID",
        ),
        (
            UserHierarchyGroupSearchCriteria::builder()
                .string_condition(string("name", StringComparisonType::Contains, "x"))
                .build(),
            "InvalidParameterException",
            "SearchCriteria.StringCondition.Value",
            "CONTAINS",
        ),
        (
            UserHierarchyGroupSearchCriteria::builder()
                .string_condition(string("name", StringComparisonType::Exact, "x"))
                .and_conditions(
                    UserHierarchyGroupSearchCriteria::builder()
                        .string_condition(string("name", StringComparisonType::Exact, "y"))
                        .build(),
                )
                .build(),
            "InvalidParameterException",
            "SearchCriteria",
            "only one of",
        ),
    ];
    for (criteria, code, member, rule) in cases {
        let e = rejected(
            fx.client
                .search_user_hierarchy_groups()
                .instance_id(&fx.instance)
                .search_criteria(criteria)
                .send()
                .await,
            code,
            400,
        );
        assert!(
            e.contains(member) && e.contains(rule),
            "{member} / {rule}: {e}"
        );
    }
}

#[tokio::test]
async fn routing_profiles_by_queue_name_and_tag() {
    let fx = Fx::new("SAML").await;
    let basic = fx
        .client
        .describe_routing_profile()
        .instance_id(&fx.instance)
        .routing_profile_id(&fx.rp)
        .send()
        .await
        .unwrap()
        .routing_profile
        .unwrap();
    let basic_queue = basic.default_outbound_queue_id().unwrap().to_string();
    let created = fx
        .client
        .create_routing_profile()
        .instance_id(&fx.instance)
        .name("Sales Agents")
        .description("Outbound sales")
        .default_outbound_queue_id(&basic_queue)
        .media_concurrencies(
            MediaConcurrency::builder()
                .channel("VOICE".into())
                .concurrency(1)
                .build()
                .unwrap(),
        )
        .tags("team", "sales")
        .send()
        .await
        .expect("create profile")
        .routing_profile_id
        .unwrap();
    use StringComparisonType::*;
    let search = |filter: Option<RoutingProfileSearchFilter>, c: Option<StringCondition>| {
        let client = fx.client.clone();
        let instance = fx.instance.clone();
        async move {
            let out = client
                .search_routing_profiles()
                .instance_id(instance)
                .set_search_filter(filter)
                .set_search_criteria(c.map(|c| {
                    RoutingProfileSearchCriteria::builder()
                        .string_condition(c)
                        .build()
                }))
                .send()
                .await
                .expect("search profiles");
            let ids: BTreeSet<String> = out
                .routing_profiles()
                .iter()
                .map(|p| p.routing_profile_id().unwrap().to_string())
                .collect();
            (
                ids,
                out.approximate_total_count.unwrap(),
                out.routing_profiles.unwrap(),
            )
        }
    };
    let (ids, total, _) = search(None, None).await;
    assert_eq!((ids.len(), total), (2, 2));
    let (ids, _, _) = search(
        None,
        Some(string("associatedQueueIds", Exact, &basic_queue)),
    )
    .await;
    assert_eq!(
        ids,
        set(&[fx.rp.as_str()]),
        "only the basic profile routes BasicQueue"
    );
    let (ids, _, _) = search(None, Some(string("description", Contains, "SALES"))).await;
    assert_eq!(ids, set(&[created.as_str()]));
    let tagged = RoutingProfileSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .or_conditions(vec![tag("team", "sales")])
                .or_conditions(vec![tag("team", "none")])
                .build(),
        )
        .build();
    let (ids, total, found) = search(Some(tagged), None).await;
    assert_eq!((ids, total), (set(&[created.as_str()]), 1));
    let described = fx
        .client
        .describe_routing_profile()
        .instance_id(&fx.instance)
        .routing_profile_id(&created)
        .send()
        .await
        .unwrap()
        .routing_profile
        .unwrap();
    assert_eq!(
        found,
        vec![described],
        "a searched profile is its Describe answer"
    );
}

fn nine_to_five(day: HoursOfOperationDays) -> HoursOfOperationConfig {
    let at = |h| {
        HoursOfOperationTimeSlice::builder()
            .hours(h)
            .minutes(0)
            .build()
            .unwrap()
    };
    HoursOfOperationConfig::builder()
        .day(day)
        .start_time(at(9))
        .end_time(at(17))
        .build()
        .unwrap()
}

#[tokio::test]
async fn hours_of_operation_by_name_description_time_zone_id_and_tag() {
    let fx = Fx::new("SAML").await;
    let mut ids = Vec::new();
    for (name, zone, team) in [
        ("London Office", "Europe/London", "red"),
        ("Paris Office", "Europe/Paris", "blue"),
        ("Support Weekdays", "America/Chicago", "red"),
    ] {
        let out = fx
            .client
            .create_hours_of_operation()
            .instance_id(&fx.instance)
            .name(name)
            .description(format!("{name} opening times"))
            .time_zone(zone)
            .config(nine_to_five(HoursOfOperationDays::Monday))
            .tags("team", team)
            .send()
            .await
            .expect("create hours");
        ids.push(out.hours_of_operation_id.unwrap());
    }
    use StringComparisonType::*;
    let search = |filter: Option<HoursOfOperationSearchFilter>,
                  c: Option<HoursOfOperationSearchCriteria>| {
        let client = fx.client.clone();
        let instance = fx.instance.clone();
        async move {
            let out = client
                .search_hours_of_operations()
                .instance_id(instance)
                .set_search_filter(filter)
                .set_search_criteria(c)
                .send()
                .await
                .expect("search hours");
            let names: BTreeSet<String> = out
                .hours_of_operations()
                .iter()
                .map(|h| h.name().unwrap().to_string())
                .collect();
            (names, out.approximate_total_count.unwrap(), out)
        }
    };
    let leaf = |c: StringCondition| {
        Some(
            HoursOfOperationSearchCriteria::builder()
                .string_condition(c)
                .build(),
        )
    };
    let (names, total, _) = search(None, None).await;
    assert_eq!(total, 4, "the instance's Basic Hours and three more");
    assert!(names.contains("Basic Hours"), "{names:?}");
    let (names, _, _) = search(None, leaf(string("timezone", StartsWith, "europe/"))).await;
    assert_eq!(names, set(&["London Office", "Paris Office"]));
    let (names, _, _) = search(None, leaf(string("description", Contains, "WEEKDAYS"))).await;
    assert_eq!(names, set(&["Support Weekdays"]));
    let (names, _, _) = search(None, leaf(string("resourceID", Exact, &ids[1]))).await;
    assert_eq!(names, set(&["Paris Office"]));
    let (names, _, _) = search(
        None,
        leaf(string("resourceID", Exact, &ids[1].to_uppercase())),
    )
    .await;
    assert!(names.is_empty(), "ids compare exactly: {names:?}");
    let red = HoursOfOperationSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .or_conditions(vec![tag("team", "red")])
                .build(),
        )
        .build();
    let office = HoursOfOperationSearchCriteria::builder()
        .and_conditions(
            HoursOfOperationSearchCriteria::builder()
                .string_condition(string("name", Contains, "office"))
                .build(),
        )
        .and_conditions(
            HoursOfOperationSearchCriteria::builder()
                .string_condition(string("timezone", Exact, "Europe/London"))
                .build(),
        )
        .build();
    let (names, total, out) = search(Some(red), Some(office)).await;
    assert_eq!((names, total), (set(&["London Office"]), 1));
    let described = fx
        .client
        .describe_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&ids[0])
        .send()
        .await
        .unwrap()
        .hours_of_operation
        .unwrap();
    assert_eq!(
        out.hours_of_operations.unwrap(),
        vec![described],
        "a searched hours is its Describe answer"
    );
    let bad = rejected(
        fx.client
            .search_hours_of_operations()
            .instance_id(&fx.instance)
            .set_search_criteria(leaf(string("TimeZone", Exact, "UTC")))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        bad.contains("SearchCriteria.StringCondition.FieldName")
            && bad.contains("name, description, timezone, resourceID"),
        "{bad}"
    );
}

#[tokio::test]
async fn security_profiles_by_name_description_and_tag() {
    let fx = Fx::new("SAML").await;
    let created = fx
        .client
        .create_security_profile()
        .instance_id(&fx.instance)
        .security_profile_name("Night Supervisors")
        .description("Supervisors of the night shift")
        .permissions("BasicAgentAccess")
        .tags("shift", "night")
        .send()
        .await
        .expect("create profile")
        .security_profile_id
        .unwrap();
    use StringComparisonType::*;
    let search = |filter: Option<SecurityProfilesSearchFilter>, c: Option<StringCondition>| {
        let client = fx.client.clone();
        let instance = fx.instance.clone();
        async move {
            let out = client
                .search_security_profiles()
                .instance_id(instance)
                .set_search_filter(filter)
                .set_search_criteria(c.map(|c| {
                    SecurityProfileSearchCriteria::builder()
                        .string_condition(c)
                        .build()
                }))
                .send()
                .await
                .expect("search security profiles");
            let names: BTreeSet<String> = out
                .security_profiles()
                .iter()
                .map(|p| p.security_profile_name().unwrap().to_string())
                .collect();
            (names, out.approximate_total_count.unwrap(), out)
        }
    };
    let (names, total, _) = search(None, None).await;
    assert_eq!(
        (names, total),
        (
            set(&[
                "Admin",
                "Agent",
                "CallCenterManager",
                "Night Supervisors",
                "QualityAnalyst"
            ]),
            5
        )
    );
    let (names, _, _) = search(None, Some(string("name", StartsWith, "a"))).await;
    assert_eq!(names, set(&["Admin", "Agent"]));
    let (names, _, _) = search(None, Some(string("description", Contains, "NIGHT SHIFT"))).await;
    assert_eq!(names, set(&["Night Supervisors"]));
    let night = SecurityProfilesSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .or_conditions(vec![tag("shift", "night")])
                .build(),
        )
        .build();
    let (names, total, out) = search(Some(night), None).await;
    assert_eq!((names, total), (set(&["Night Supervisors"]), 1));
    let summary = &out.security_profiles()[0];
    assert_eq!(summary.id(), Some(created.as_str()));
    assert_eq!(
        summary.organization_resource_id(),
        Some(fx.instance.as_str())
    );
    assert_eq!(
        summary.description(),
        Some("Supervisors of the night shift")
    );
    assert_eq!(
        summary
            .tags()
            .and_then(|t| t.get("shift"))
            .map(String::as_str),
        Some("night")
    );
    assert!(
        summary
            .arn()
            .unwrap()
            .ends_with(&format!("/security-profile/{created}")),
        "{:?}",
        summary.arn()
    );
    let bad = rejected(
        fx.client
            .search_security_profiles()
            .instance_id(&fx.instance)
            .search_criteria(
                SecurityProfileSearchCriteria::builder()
                    .string_condition(string("resourceID", Exact, &created))
                    .build(),
            )
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(bad.contains("use one of name, description"), "{bad}");
}

#[tokio::test]
async fn queues_by_name_description_id_type_and_tag() {
    let fx = Fx::new("SAML").await;
    let c = &fx.client;
    let hours = basic_hours(&fx.client, &fx.instance).await;
    let mut ids = Vec::new();
    for (name, team) in [
        ("Sales Inbound", "red"),
        ("Sales Callbacks", "blue"),
        ("Billing", "red"),
    ] {
        let out = c
            .create_queue()
            .instance_id(&fx.instance)
            .name(name)
            .description(format!("{name} for the {team} team"))
            .hours_of_operation_id(&hours)
            .tags("team", team)
            .send()
            .await
            .expect("create queue");
        ids.push(out.queue_id.unwrap());
    }
    // A user has an agent queue, which a queue search does not return.
    fx.new_user("searcher").await;
    use StringComparisonType::*;
    let search = |filter: Option<QueueSearchFilter>, crit: Option<QueueSearchCriteria>| {
        let client = fx.client.clone();
        let instance = fx.instance.clone();
        async move {
            let out = client
                .search_queues()
                .instance_id(instance)
                .set_search_filter(filter)
                .set_search_criteria(crit)
                .send()
                .await
                .expect("search queues");
            let names: BTreeSet<String> = out
                .queues()
                .iter()
                .map(|q| q.name().unwrap().to_string())
                .collect();
            (names, out.approximate_total_count.unwrap(), out)
        }
    };
    let leaf =
        |c: StringCondition| Some(QueueSearchCriteria::builder().string_condition(c).build());
    let (names, total, _) = search(None, None).await;
    assert_eq!(
        (names, total),
        (
            set(&["BasicQueue", "Billing", "Sales Callbacks", "Sales Inbound"]),
            4
        )
    );
    let (names, _, _) = search(None, leaf(string("name", StartsWith, "sales"))).await;
    assert_eq!(names, set(&["Sales Callbacks", "Sales Inbound"]));
    let (names, _, _) = search(None, leaf(string("description", Contains, "RED TEAM"))).await;
    assert_eq!(names, set(&["Billing", "Sales Inbound"]));
    let (names, _, _) = search(None, leaf(string("resourceID", Exact, &ids[2]))).await;
    assert_eq!(names, set(&["Billing"]));
    let standard_sales = QueueSearchCriteria::builder()
        .and_conditions(
            QueueSearchCriteria::builder()
                .queue_type_condition("STANDARD".into())
                .build(),
        )
        .and_conditions(
            QueueSearchCriteria::builder()
                .string_condition(string("name", Contains, "sales"))
                .build(),
        )
        .build();
    let blue = QueueSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .or_conditions(vec![tag("team", "blue")])
                .build(),
        )
        .build();
    let (names, total, out) = search(Some(blue), Some(standard_sales)).await;
    assert_eq!((names, total), (set(&["Sales Callbacks"]), 1));
    let described = c
        .describe_queue()
        .instance_id(&fx.instance)
        .queue_id(&ids[1])
        .send()
        .await
        .unwrap()
        .queue
        .unwrap();
    assert_eq!(
        out.queues.unwrap(),
        vec![described],
        "a searched queue is its Describe answer"
    );
    let bad = rejected(
        c.search_queues()
            .instance_id(&fx.instance)
            .set_search_criteria(leaf(string("queueType", Exact, "AGENT")))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        bad.contains("use one of name, description, resourceID"),
        "{bad}"
    );
    let both = QueueSearchCriteria::builder()
        .queue_type_condition("STANDARD".into())
        .string_condition(string("name", Exact, "Billing"))
        .build();
    let bad = rejected(
        c.search_queues()
            .instance_id(&fx.instance)
            .search_criteria(both)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(bad.contains("QueueTypeCondition"), "{bad}");
}

#[tokio::test]
async fn searches_see_only_their_instance() {
    let fx = Fx::new("SAML").await;
    groups_fixture(&fx).await;
    let other = create_instance(&fx.client, "SAML").await;
    let out = fx
        .client
        .search_user_hierarchy_groups()
        .instance_id(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(out.approximate_total_count, Some(0));
    let missing = rejected(
        fx.client
            .search_routing_profiles()
            .instance_id("00000000-0000-4000-8000-000000000000")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    assert!(
        missing.contains("00000000-0000-4000-8000-000000000000"),
        "{missing}"
    );
}
