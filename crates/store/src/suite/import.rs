//! Seed imports: everything an [`Import`] carries is written in one unit with the ids
//! and timestamps it carries, or nothing is; every instance's scope is listed.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::{Queue, RoutingProfile};
use roster_domain::hours::{HoursOfOperation, ParentHours};
use roster_domain::proficiency::{PredefinedAttribute, UserProficiency};
use roster_domain::quick_connect::{ContactFlowId, Destination, QuickConnect};
use roster_domain::{new_id, InstanceRef};

use super::fixtures::{
    fresh_scope, full_user, group, modified_at, new_instance, page, setup, structure, tags_of,
};
use crate::{Import, Store, StoreError};

fn empty(at: &InstanceRef) -> Import {
    Import::new(at.clone(), 10)
}

/// A new instance with a child group, hours linked to its Basic Hours, a queue on them,
/// a routing profile, an attribute and a user holding a proficiency, all with their own
/// timestamps, read back as given.
pub async fn import_writes_everything_as_given(store: &dyn Store) {
    let (new, fx) = new_instance(&fresh_scope(), Some("imported"));
    let mut import = empty(&fx.at);
    import.instance = Some(new.clone());
    import.hierarchy_structure = Some(structure(&["Region", "Team"], 1_600_000_000_001));
    let mut top = group("Americas", None);
    top.modified = modified_at(1_600_000_000_002);
    let mut child = group("Team A", Some(&top));
    child.tags = tags_of(&[("shift", "day")]);
    import.hierarchy_groups = vec![top.clone(), child.clone()];
    let hours = HoursOfOperation {
        name: "Weekdays".into(),
        parents: ParentHours::from_stored(vec![fx.hours.clone()]).unwrap(),
        ..HoursOfOperation::basic(new_id(), modified_at(1_600_000_000_003))
    };
    import.hours_of_operation = vec![hours.clone()];
    let queue = Queue {
        tags: tags_of(&[("line", "sales")]),
        ..Queue::new(
            new_id(),
            "Sales".into(),
            hours.id.clone(),
            modified_at(1_600_000_000_004),
        )
    };
    import.queues = vec![queue.clone()];
    let routing = RoutingProfile {
        id: new_id(),
        name: "Sales".into(),
        default_outbound_queue_id: queue.id.clone(),
        is_default: false,
        modified: modified_at(1_600_000_000_005),
        ..new.routing_profiles[0].clone()
    };
    import.routing_profiles = vec![routing.clone()];
    let attribute = PredefinedAttribute {
        name: "Language".into(),
        values: vec!["English".into(), "German".into()],
        purposes: vec![],
        enable_value_validation_on_association: None,
        modified: modified_at(1_600_000_000_006),
    };
    import.predefined_attributes = vec![attribute.clone()];
    let mut user = full_user(&fx, "imported.user", Some(&child.id));
    user.routing_profile_id = routing.id.clone();
    user.modified = modified_at(1_600_000_000_007);
    import.users = vec![user.clone()];
    let proficiency = UserProficiency {
        attribute_name: "Language".into(),
        attribute_value: "German".into(),
        level: 4.0,
    };
    import.user_proficiencies = vec![(
        user.id.clone(),
        vec![proficiency.clone()],
        modified_at(1_600_000_000_008),
    )];
    let quick = QuickConnect {
        id: new_id(),
        name: "Call the user".into(),
        description: Some("to the imported user".into()),
        destination: Destination::User {
            user_id: user.id.clone(),
            contact_flow_id: ContactFlowId::parse("ContactFlowId", "flow-1").unwrap(),
        },
        tags: tags_of(&[("k", "v")]),
        modified: modified_at(1_600_000_000_009),
    };
    import.quick_connects = vec![quick.clone()];
    import.queue_quick_connects = vec![(
        queue.id.clone(),
        vec![quick.id.clone()],
        queue.modified.clone(),
    )];
    store.import(import).await.expect("import");

    let at = &fx.at;
    assert_eq!(
        store
            .get_instance(&at.scope, &at.instance_id)
            .await
            .unwrap(),
        new.instance
    );
    assert_eq!(store.instance_tags(at).await.unwrap(), new.tags);
    assert_eq!(
        store.get_hierarchy_structure(at).await.unwrap(),
        structure(&["Region", "Team"], 1_600_000_000_001)
    );
    assert_eq!(store.get_hierarchy_group(at, &top.id).await.unwrap(), top);
    assert_eq!(
        store.get_hierarchy_group(at, &child.id).await.unwrap(),
        child
    );
    assert_eq!(
        store.get_hours_of_operation(at, &hours.id).await.unwrap(),
        hours
    );
    assert_eq!(store.get_queue(at, &queue.id).await.unwrap(), queue);
    assert_eq!(
        store.get_routing_profile(at, &routing.id).await.unwrap(),
        routing
    );
    assert_eq!(
        store
            .get_predefined_attribute(at, "Language")
            .await
            .unwrap(),
        attribute
    );
    assert_eq!(store.get_user(at, &user.id).await.unwrap(), user);
    assert_eq!(
        store.list_user_proficiencies(at, &user.id).await.unwrap(),
        (vec![proficiency], Some(modified_at(1_600_000_000_008)))
    );
    assert_eq!(store.get_quick_connect(at, &quick.id).await.unwrap(), quick);
    assert_eq!(
        store
            .list_queue_quick_connects(at, &queue.id, &page(None, 10))
            .await
            .unwrap(),
        (vec![quick], queue.modified.clone())
    );
    // The instance's own resources came with it.
    assert_eq!(
        store
            .get_security_profile(at, &fx.agent_profile)
            .await
            .unwrap(),
        new.security_profiles[1]
    );
}

/// An import that fails part way writes nothing: neither a new instance nor the
/// entities before the failure in an existing one.
pub async fn import_is_atomic(store: &dyn Store) {
    let (new, fx) = new_instance(&fresh_scope(), Some("atomic"));
    let mut import = empty(&fx.at);
    import.instance = Some(new);
    import.hierarchy_groups = vec![];
    import.queues = vec![Queue::new(
        new_id(),
        "Early".into(),
        fx.hours.clone(),
        modified_at(1),
    )];
    let mut user = full_user(&fx, "orphan", None);
    user.routing_profile_id = new_id();
    import.users = vec![user];
    assert_err!(
        store.import(import).await,
        StoreError::MissingReference {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    assert_err!(
        store.get_instance(&fx.at.scope, &fx.at.instance_id).await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );

    // Into an existing instance: the queue before the failing user is not kept.
    let fx = setup(store).await;
    let queue = Queue::new(new_id(), "Early".into(), fx.hours.clone(), modified_at(1));
    let mut import = empty(&fx.at);
    import.queues = vec![queue.clone()];
    let dup_a = full_user(&fx, "twin", None);
    let dup_b = full_user(&fx, "TWIN", None);
    import.users = vec![dup_a, dup_b];
    assert_err!(store.import(import).await, StoreError::Duplicate { .. });
    assert_err!(
        store.get_queue(&fx.at, &queue.id).await,
        StoreError::NotFound { .. }
    );
    let users = store.list_users(&fx.at, &page(None, 10)).await.unwrap();
    assert!(users.is_empty(), "{users:?}");

    // The users quota holds for imports too.
    let mut import = empty(&fx.at);
    import.max_users = 1;
    import.users = vec![full_user(&fx, "one", None), full_user(&fx, "two", None)];
    assert_err!(
        store.import(import).await,
        StoreError::UserLimit { limit: 1 }
    );
}

/// Every scope that holds an instance is listed, once, in (account, Region) order.
pub async fn scopes_listed(store: &dyn Store) {
    let a = setup(store).await;
    let b = setup(store).await;
    let _second_in_b = super::fixtures::setup_in(store, &b.at.scope).await;
    let scopes = store.list_scopes().await.unwrap();
    for s in [&a.at.scope, &b.at.scope] {
        assert_eq!(scopes.iter().filter(|x| x == &s).count(), 1, "{s:?}");
    }
    let keys: Vec<(&str, &str)> = scopes
        .iter()
        .map(|s| (s.account_id.as_str(), s.region.as_str()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    store
        .delete_instance(&a.at.scope, &a.at.instance_id)
        .await
        .unwrap();
    let scopes = store.list_scopes().await.unwrap();
    assert!(!scopes.contains(&a.at.scope));
}
