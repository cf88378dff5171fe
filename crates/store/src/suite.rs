//! Behaviour every backend must show.
//!
//! Each function takes a store and checks one area of the [`Store`] contract. They
//! make their own instances under a fresh account id, so they can run one after the
//! other (or at once) against one database. [`run_all`] runs them all; a backend's
//! tests call it with a freshly opened store.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use roster_domain::arn::ResourceKind;
use roster_domain::channel::{AcwSeconds, Channel, PhoneType, UserConfig, VoiceEnhancementMode};
use roster_domain::entities::{
    HoursOfOperation, MediaConcurrency, Queue, QueueType, RoutingProfile, RoutingProfileQueue,
    SecurityProfile,
};
use roster_domain::hierarchy::{HierarchyGroup, HierarchyLevel, HierarchyStructure};
use roster_domain::instance::{IdentityManagementType, Instance, InstanceAttributeType};
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch, UserFacts, CONTAINS_MAX, CONTAINS_MIN,
};
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::user::{IdentityInfo, User, Username};
use roster_domain::{new_id, DomainError, InstanceRef, Scope, Timestamp};

use crate::{
    NewInstance, PageRequest, ResourceRef, SearchRequest, Store, StoreError, StoreResult,
    UserCursor, UserEdit,
};

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

/// Runs every test of the suite in turn.
pub async fn run_all(store: &dyn Store) {
    instances(store).await;
    instance_isolation(store).await;
    instance_alias(store).await;
    instance_creation_is_atomic(store).await;
    delete_instance_cascades(store).await;
    instance_attributes(store).await;
    security_profiles(store).await;
    routing_profiles(store).await;
    queues_by_type(store).await;
    tags(store).await;
    tag_limit(store).await;
    tags_not_found(store).await;
    users_round_trip(store).await;
    users_duplicate_username(store).await;
    users_missing_references(store).await;
    users_quota(store).await;
    users_paging(store).await;
    update_user(store).await;
    delete_user(store).await;
    hierarchy_structure(store).await;
    hierarchy_groups(store).await;
    hierarchy_delete_in_use(store).await;
    concurrent_same_username(store).await;
    concurrent_channel_edits(store).await;
    search_matches_reference(store).await;
}

// ---- fixtures -----------------------------------------------------------------------

const REGION: &str = "us-west-2";

/// A scope no other test uses: a fresh 12-digit account id.
pub fn fresh_scope() -> Scope {
    let digits: String = new_id()
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    Scope {
        account_id: digits[..12].to_string(),
        region: REGION.to_string(),
    }
}

fn modified_at(ms: i64) -> Modified {
    Modified {
        time: Timestamp(ms),
        region: REGION.to_string(),
    }
}

fn modified() -> Modified {
    modified_at(1_700_000_000_123)
}

fn tags_of(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn page(after: Option<&str>, limit: usize) -> PageRequest {
    PageRequest {
        after: after.map(str::to_string),
        limit,
    }
}

fn acw(seconds: i64) -> AcwSeconds {
    AcwSeconds::parse("AfterContactWorkTimeLimit", seconds).expect("a valid limit")
}

fn resource(kind: ResourceKind, id: &str) -> ResourceRef {
    ResourceRef {
        kind,
        id: id.to_string(),
    }
}

/// An instance made by [`setup`] and the ids of its default resources.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub at: InstanceRef,
    pub instance: Instance,
    pub admin_profile: String,
    pub agent_profile: String,
    pub routing_profile: String,
    pub standard_queue: String,
    pub agent_queue: String,
    pub hours: String,
}

/// A new instance like the service makes: four security profiles, hours, a standard
/// and an agent queue, a routing profile, every attribute, and two tags.
pub fn new_instance(scope: &Scope, alias: Option<&str>) -> (NewInstance, Fixture) {
    let m = modified();
    let instance = Instance {
        id: new_id(),
        scope: scope.clone(),
        identity_management_type: IdentityManagementType::ConnectManaged,
        alias: alias.map(str::to_string),
        directory_id: None,
        created_time: Timestamp(1_700_000_000_000),
        inbound_calls_enabled: true,
        outbound_calls_enabled: false,
    };
    let profile = |name: &str, permissions: &[&str]| SecurityProfile {
        id: new_id(),
        name: name.to_string(),
        description: Some(format!("The {name} profile")),
        permissions: permissions.iter().map(|p| p.to_string()).collect(),
        tags: Tags::new(),
        modified: m.clone(),
    };
    let security_profiles = vec![
        profile("Admin", &["Users.View", "Users.Edit", "AccessMetrics"]),
        profile("Agent", &["BasicAgentAccess", "OutboundCallAccess"]),
        profile("CallCenterManager", &["Users.View"]),
        profile("QualityAnalyst", &[]),
    ];
    let hours = HoursOfOperation {
        id: new_id(),
        name: "Basic Hours".into(),
        time_zone: "America/New_York".into(),
        modified: m.clone(),
    };
    let standard = Queue {
        id: new_id(),
        name: "BasicQueue".into(),
        queue_type: QueueType::Standard,
        hours_of_operation_id: hours.id.clone(),
        modified: m.clone(),
    };
    let agent = Queue {
        id: new_id(),
        name: "AgentQueue".into(),
        queue_type: QueueType::Agent,
        hours_of_operation_id: hours.id.clone(),
        modified: m.clone(),
    };
    let routing = RoutingProfile {
        id: new_id(),
        name: "Basic Routing Profile".into(),
        description: "Default routing profile".into(),
        default_outbound_queue_id: standard.id.clone(),
        media_concurrencies: vec![
            MediaConcurrency {
                channel: "VOICE".into(),
                concurrency: 1,
                cross_channel_behavior: None,
            },
            MediaConcurrency {
                channel: "CHAT".into(),
                concurrency: 3,
                cross_channel_behavior: Some("ROUTE_ANY_CHANNEL".into()),
            },
        ],
        queues: vec![RoutingProfileQueue {
            queue_id: standard.id.clone(),
            channel: "VOICE".into(),
            priority: 1,
            delay: 0,
        }],
        agent_availability_timer: Some("TIME_SINCE_LAST_ACTIVITY".into()),
        tags: Tags::new(),
        modified: m,
    };
    let fixture = Fixture {
        at: InstanceRef {
            scope: scope.clone(),
            instance_id: instance.id.clone(),
        },
        instance: instance.clone(),
        admin_profile: security_profiles[0].id.clone(),
        agent_profile: security_profiles[1].id.clone(),
        routing_profile: routing.id.clone(),
        standard_queue: standard.id.clone(),
        agent_queue: agent.id.clone(),
        hours: hours.id.clone(),
    };
    let new = NewInstance {
        attributes: InstanceAttributeType::ALL
            .into_iter()
            .map(|a| (a, a.default_value(true, false)))
            .collect(),
        instance,
        tags: tags_of(&[("env", "test"), ("team", "contact-center")]),
        security_profiles,
        hours_of_operation: vec![hours],
        queues: vec![standard, agent],
        routing_profiles: vec![routing],
    };
    (new, fixture)
}

/// Creates an instance in a fresh scope.
pub async fn setup(store: &dyn Store) -> Fixture {
    setup_in(store, &fresh_scope()).await
}

async fn setup_in(store: &dyn Store, scope: &Scope) -> Fixture {
    let (new, fixture) = new_instance(scope, None);
    store
        .create_instance(new)
        .await
        .expect("create the instance");
    fixture
}

/// A user with only what CreateUser requires.
pub fn plain_user(fx: &Fixture, username: &str) -> User {
    User {
        id: new_id(),
        username: Username::parse(username, IdentityManagementType::ConnectManaged)
            .expect("a valid username"),
        identity: IdentityInfo {
            first_name: Some("Pat".into()),
            last_name: Some("Doe".into()),
            ..IdentityInfo::default()
        },
        directory_user_id: None,
        password_hash: None,
        security_profile_ids: vec![fx.agent_profile.clone()],
        routing_profile_id: fx.routing_profile.clone(),
        hierarchy_group_id: None,
        config: UserConfig::default(),
        tags: Tags::new(),
        modified: modified(),
    }
}

/// A user with every member set to something other than its default.
pub fn full_user(fx: &Fixture, username: &str, group: Option<&str>) -> User {
    let mut config = UserConfig::default();
    {
        let [voice, chat, task, email] = &mut config.channels;
        voice.auto_accept = true;
        voice.after_contact_work = acw(30);
        voice.agent_first_callback_auto_accept = Some(true);
        voice.agent_first_callback_after_contact_work = Some(acw(45));
        chat.after_contact_work = acw(60);
        task.auto_accept = true;
        email.after_contact_work = acw(AcwSeconds::MAX);
    }
    config.phone_type = PhoneType::DeskPhone;
    config.desk_phone_number = Some("+12065550100".into());
    config.persistent_connection = true;
    config.voice_enhancement = VoiceEnhancementMode::NoiseSuppression;
    User {
        id: new_id(),
        username: Username::parse(username, IdentityManagementType::ConnectManaged)
            .expect("a valid username"),
        identity: IdentityInfo {
            first_name: Some("Zoë".into()),
            last_name: Some("Brontë-O'Neill".into()),
            email: Some("zoe@example.com".into()),
            secondary_email: Some("zoe.b@example.org".into()),
            mobile: Some("+447700900123".into()),
        },
        directory_user_id: Some("dir-user-1".into()),
        password_hash: Some(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
        ),
        // Not in id order: the order given is kept.
        security_profile_ids: vec![fx.agent_profile.clone(), fx.admin_profile.clone()],
        routing_profile_id: fx.routing_profile.clone(),
        hierarchy_group_id: group.map(str::to_string),
        config,
        tags: tags_of(&[("dept", "sales"), ("site", "Zürich"), ("empty", "")]),
        modified: modified(),
    }
}

fn structure(names: &[&str], ms: i64) -> HierarchyStructure {
    HierarchyStructure {
        levels: names
            .iter()
            .enumerate()
            .map(|(i, n)| HierarchyLevel {
                id: (i + 1).to_string(),
                name: n.to_string(),
                modified: modified_at(ms),
            })
            .collect(),
    }
}

/// A group below `parent` (the top level when `None`).
fn group(name: &str, parent: Option<&HierarchyGroup>) -> HierarchyGroup {
    let id = new_id();
    let mut path = parent.map(|p| p.path.clone()).unwrap_or_default();
    path.push(id.clone());
    HierarchyGroup {
        id,
        name: name.to_string(),
        level: path.len(),
        path,
        tags: Tags::new(),
        modified: modified(),
    }
}

/// Every item of a listing, fetched `limit` at a time; checks each page is in id
/// order and that pages follow each other.
async fn all_pages<T, F, Fut>(limit: usize, id: impl Fn(&T) -> String, mut fetch: F) -> Vec<T>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = StoreResult<Vec<T>>>,
{
    let mut out: Vec<T> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let items = fetch(page(after.as_deref(), limit))
            .await
            .expect("list a page");
        assert!(items.len() <= limit, "a page holds at most its limit");
        for item in &items {
            let item_id = id(item);
            if let Some(prev) = &after {
                assert!(
                    item_id > *prev,
                    "ids ascend across and within pages: {item_id} after {prev}"
                );
            }
            after = Some(item_id);
        }
        let done = items.len() < limit;
        out.extend(items);
        if done {
            return out;
        }
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Drives all `futures` on the current task until each is done; their results in
/// order. The store sees the calls at the same time.
async fn join_all<T>(futures: Vec<BoxFuture<'_, T>>) -> Vec<T> {
    let mut slots: Vec<(Option<BoxFuture<'_, T>>, Option<T>)> =
        futures.into_iter().map(|f| (Some(f), None)).collect();
    std::future::poll_fn(move |cx| {
        let mut pending = false;
        for (future, out) in slots.iter_mut() {
            if let Some(f) = future {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => {
                        *out = Some(v);
                        *future = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(
                slots
                    .iter_mut()
                    .map(|(_, out)| out.take().expect("a finished future"))
                    .collect(),
            )
        }
    })
    .await
}

// ---- instances ----------------------------------------------------------------------

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

// ---- profiles and queues ------------------------------------------------------------

pub async fn security_profiles(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, None);
    let defaults = new.security_profiles.clone();
    store.create_instance(new).await.unwrap();
    for p in &defaults {
        assert_eq!(store.get_security_profile(&fx.at, &p.id).await.unwrap(), *p);
    }

    let custom = SecurityProfile {
        id: new_id(),
        name: "Supervisors".into(),
        description: None,
        permissions: vec!["Zeta.Edit".into(), "Alpha.View".into(), "Mid.Create".into()],
        tags: tags_of(&[("owner", "ops")]),
        modified: modified_at(1_700_000_999_001),
    };
    store
        .create_security_profile(&fx.at, custom.clone())
        .await
        .unwrap();
    assert_eq!(
        store
            .get_security_profile(&fx.at, &custom.id)
            .await
            .unwrap(),
        custom
    );
    assert_eq!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::SecurityProfile, &custom.id))
            .await
            .unwrap(),
        custom.tags
    );

    let same_name = SecurityProfile {
        id: new_id(),
        ..custom.clone()
    };
    match store
        .create_security_profile(&fx.at, same_name.clone())
        .await
    {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Supervisors"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_err!(
        store.get_security_profile(&fx.at, &same_name.id).await,
        StoreError::NotFound { .. }
    );
    // The same name in another instance is fine.
    let other = setup(store).await;
    store
        .create_security_profile(&other.at, same_name.clone())
        .await
        .unwrap();
    // A profile is found only through its own instance.
    assert_err!(
        store.get_security_profile(&fx.at, &same_name.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store.delete_security_profile(&fx.at, &same_name.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );

    let mut expected: Vec<SecurityProfile> = defaults.clone();
    expected.push(custom.clone());
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    let listed = all_pages(
        2,
        |p: &SecurityProfile| p.id.clone(),
        |p| async move { store.list_security_profiles(at, &p).await },
    )
    .await;
    assert_eq!(listed, expected);

    // In use while a user holds it, also as its second profile.
    let mut user = plain_user(&fx, "holder");
    user.security_profile_ids = vec![fx.agent_profile.clone(), custom.id.clone()];
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    match store.delete_security_profile(&fx.at, &custom.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::SecurityProfile,
            id,
            ..
        }) => assert_eq!(id, custom.id),
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(
        store
            .get_security_profile(&fx.at, &custom.id)
            .await
            .unwrap(),
        custom
    );
    store.delete_user(&fx.at, &user.id).await.unwrap();
    store
        .delete_security_profile(&fx.at, &custom.id)
        .await
        .unwrap();
    assert_err!(
        store.get_security_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::SecurityProfile, &custom.id))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store.delete_security_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    // Its name can be used again.
    store
        .create_security_profile(
            &fx.at,
            SecurityProfile {
                id: new_id(),
                ..custom
            },
        )
        .await
        .unwrap();
}

pub async fn routing_profiles(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, None);
    let basic = new.routing_profiles[0].clone();
    store.create_instance(new).await.unwrap();
    assert_eq!(
        store.get_routing_profile(&fx.at, &basic.id).await.unwrap(),
        basic
    );

    let custom = RoutingProfile {
        id: new_id(),
        name: "Sales".into(),
        description: "Sales agents".into(),
        default_outbound_queue_id: fx.standard_queue.clone(),
        media_concurrencies: vec![
            MediaConcurrency {
                channel: "TASK".into(),
                concurrency: 10,
                cross_channel_behavior: None,
            },
            MediaConcurrency {
                channel: "VOICE".into(),
                concurrency: 1,
                cross_channel_behavior: Some("ROUTE_CURRENT_CHANNEL_ONLY".into()),
            },
        ],
        queues: vec![
            RoutingProfileQueue {
                queue_id: fx.standard_queue.clone(),
                channel: "VOICE".into(),
                priority: 2,
                delay: 5,
            },
            RoutingProfileQueue {
                queue_id: fx.standard_queue.clone(),
                channel: "CHAT".into(),
                priority: 1,
                delay: 0,
            },
        ],
        agent_availability_timer: None,
        tags: tags_of(&[("cost-center", "42")]),
        modified: modified_at(1_700_000_500_000),
    };
    store
        .create_routing_profile(&fx.at, custom.clone())
        .await
        .unwrap();
    assert_eq!(
        store.get_routing_profile(&fx.at, &custom.id).await.unwrap(),
        custom
    );

    let dup = RoutingProfile {
        id: new_id(),
        ..custom.clone()
    };
    match store.create_routing_profile(&fx.at, dup).await {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Sales"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }

    // Queues it names must be queues of the instance.
    let other = setup(store).await;
    let missing_queue = new_id();
    let mut bad = RoutingProfile {
        id: new_id(),
        name: "Bad".into(),
        ..custom.clone()
    };
    bad.queues[1].queue_id = missing_queue.clone();
    match store.create_routing_profile(&fx.at, bad.clone()).await {
        Err(StoreError::MissingReference {
            kind: ResourceKind::Queue,
            id,
        }) => assert_eq!(id, missing_queue),
        other => panic!("expected MissingReference(Queue), got {other:?}"),
    }
    let mut bad_default = RoutingProfile {
        id: new_id(),
        name: "Bad".into(),
        ..custom.clone()
    };
    bad_default.default_outbound_queue_id = other.standard_queue.clone();
    match store
        .create_routing_profile(&fx.at, bad_default.clone())
        .await
    {
        Err(StoreError::MissingReference {
            kind: ResourceKind::Queue,
            id,
        }) => assert_eq!(id, other.standard_queue),
        other => panic!("expected MissingReference(Queue), got {other:?}"),
    }
    assert_err!(
        store.get_routing_profile(&fx.at, &bad.id).await,
        StoreError::NotFound { .. }
    );
    assert_err!(
        store.get_routing_profile(&fx.at, &bad_default.id).await,
        StoreError::NotFound { .. }
    );

    let mut expected = vec![basic.clone(), custom.clone()];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    let listed = all_pages(
        1,
        |p: &RoutingProfile| p.id.clone(),
        |p| async move { store.list_routing_profiles(at, &p).await },
    )
    .await;
    assert_eq!(listed, expected);

    // User counts and in-use deletion.
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &custom.id)
            .await
            .unwrap(),
        0
    );
    let mut users = Vec::new();
    for name in ["seller1", "seller2"] {
        let mut u = plain_user(&fx, name);
        u.routing_profile_id = custom.id.clone();
        store.create_user(&fx.at, u.clone(), 100).await.unwrap();
        users.push(u);
    }
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &custom.id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &basic.id)
            .await
            .unwrap(),
        0
    );
    assert_err!(
        store.routing_profile_user_count(&fx.at, &new_id()).await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    match store.delete_routing_profile(&fx.at, &custom.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::RoutingProfile,
            id,
            ..
        }) => assert_eq!(id, custom.id),
        other => panic!("expected InUse, got {other:?}"),
    }
    // Moving a user away frees the profile from that user.
    let moved_to = basic.id.clone();
    store
        .update_user(
            &fx.at,
            &users[0].id,
            Box::new(move |u: &mut User| {
                u.routing_profile_id = moved_to;
                Ok(())
            }),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .routing_profile_user_count(&fx.at, &custom.id)
            .await
            .unwrap(),
        1
    );
    store.delete_user(&fx.at, &users[1].id).await.unwrap();
    store
        .delete_routing_profile(&fx.at, &custom.id)
        .await
        .unwrap();
    assert_err!(
        store.get_routing_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::RoutingProfile, &custom.id))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
    assert_err!(
        store.delete_routing_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::RoutingProfile,
            ..
        }
    );
}

pub async fn queues_by_type(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, None);
    let mut all = new.queues.clone();
    store.create_instance(new).await.unwrap();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let standard: Vec<Queue> = all
        .iter()
        .filter(|q| q.queue_type == QueueType::Standard)
        .cloned()
        .collect();
    let agent: Vec<Queue> = all
        .iter()
        .filter(|q| q.queue_type == QueueType::Agent)
        .cloned()
        .collect();

    assert_eq!(
        store
            .list_queues(&fx.at, &[], &page(None, 100))
            .await
            .unwrap(),
        all
    );
    assert_eq!(
        store
            .list_queues(
                &fx.at,
                &[QueueType::Standard, QueueType::Agent],
                &page(None, 100)
            )
            .await
            .unwrap(),
        all
    );
    assert_eq!(
        store
            .list_queues(&fx.at, &[QueueType::Standard], &page(None, 100))
            .await
            .unwrap(),
        standard
    );
    assert_eq!(
        store
            .list_queues(&fx.at, &[QueueType::Agent], &page(None, 100))
            .await
            .unwrap(),
        agent
    );
    let at = &fx.at;
    let paged = all_pages(
        1,
        |q: &Queue| q.id.clone(),
        |p| async move { store.list_queues(at, &[], &p).await },
    )
    .await;
    assert_eq!(paged, all);
    assert_eq!(
        store
            .list_queues(&fx.at, &[], &page(Some(&all[0].id), 100))
            .await
            .unwrap(),
        all[1..].to_vec()
    );
}

// ---- tags ---------------------------------------------------------------------------

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

// ---- users --------------------------------------------------------------------------

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
    bare.config.channels[Channel::Voice as usize].agent_first_callback_auto_accept = None;
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
            Box::new(|u: &mut User, id: &str| u.security_profile_ids.push(id.into())),
        ),
        (
            ResourceKind::SecurityProfile,
            other.agent_profile.clone(),
            Box::new(|u: &mut User, id: &str| u.security_profile_ids = vec![id.into()]),
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
                u.config.channels[Channel::Chat as usize].after_contact_work = acw(90);
                u.hierarchy_group_id = Some(group_id);
                u.security_profile_ids = vec![admin];
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
    expected.config.channels[Channel::Chat as usize].after_contact_work = acw(90);
    expected.hierarchy_group_id = Some(g.id.clone());
    expected.security_profile_ids = vec![fx.admin_profile.clone()];
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
    let custom = SecurityProfile {
        id: new_id(),
        name: "Only for Bob".into(),
        description: None,
        permissions: vec![],
        tags: Tags::new(),
        modified: modified(),
    };
    store
        .create_security_profile(&fx.at, custom.clone())
        .await
        .unwrap();
    let mut bob = full_user(&fx, "Bob", None);
    bob.security_profile_ids = vec![custom.id.clone()];
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

// ---- hierarchy ----------------------------------------------------------------------

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
        team.path,
        vec![region.id.clone(), site.id.clone(), team.id.clone()]
    );
    assert_eq!(team.level, 3);

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
    assert_eq!(
        renamed,
        HierarchyGroup {
            name: "Munich".into(),
            modified: later.clone(),
            ..site.clone()
        }
    );
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

// ---- concurrency --------------------------------------------------------------------

/// Of 20 simultaneous creates of one username in different cases, exactly one wins.
pub async fn concurrent_same_username(store: &dyn Store) {
    let fx = setup(store).await;
    let base = "agentsmith";
    let names: Vec<String> = (0..20u32)
        .map(|n| {
            base.chars()
                .enumerate()
                .map(|(i, c)| {
                    if (n >> (i % 10)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect();
    let futures: Vec<BoxFuture<'_, StoreResult<()>>> = names
        .iter()
        .map(|n| {
            let u = plain_user(&fx, n);
            let at = fx.at.clone();
            Box::pin(async move { store.create_user(&at, u, 1000).await }) as BoxFuture<'_, _>
        })
        .collect();
    let results = join_all(futures).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let dup = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Duplicate { .. })))
        .count();
    assert_eq!((ok, dup), (1, 19), "{results:?}");
    assert_eq!(
        store
            .list_users(&fx.at, &page(None, 100))
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Simultaneous edits of different settings of one user all survive.
pub async fn concurrent_channel_edits(store: &dyn Store) {
    let fx = setup(store).await;
    let user = plain_user(&fx, "busy");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    let futures: Vec<BoxFuture<'_, StoreResult<User>>> = Channel::ALL
        .into_iter()
        .enumerate()
        .map(|(i, channel)| {
            let at = fx.at.clone();
            let id = user.id.clone();
            let edit: UserEdit = Box::new(move |u: &mut User| {
                u.config.channels[channel as usize].after_contact_work = acw(100 + i as i64);
                u.config.channels[channel as usize].auto_accept = true;
                Ok(())
            });
            Box::pin(async move { store.update_user(&at, &id, edit).await }) as BoxFuture<'_, _>
        })
        .collect();
    for r in join_all(futures).await {
        r.unwrap();
    }
    let stored = store.get_user(&fx.at, &user.id).await.unwrap();
    for (i, channel) in Channel::ALL.into_iter().enumerate() {
        let s = stored.config.channel(channel);
        assert_eq!(
            s.after_contact_work,
            acw(100 + i as i64),
            "{}",
            channel.as_str()
        );
        assert!(s.auto_accept, "{}", channel.as_str());
    }
}

// ---- search -------------------------------------------------------------------------

/// A small xorshift64 generator: deterministic pseudo-random choices.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A stored user with what a search looks at besides the user itself.
struct Searchable {
    user: User,
    /// Group ids from the top level down to the user's group.
    path: Vec<String>,
    proficiencies: Vec<UserProficiency>,
}

impl Searchable {
    fn facts(&self) -> UserFacts<'_> {
        UserFacts {
            id: &self.user.id,
            username: self.user.username.as_str(),
            first_name: self.user.identity.first_name.as_deref(),
            last_name: self.user.identity.last_name.as_deref(),
            routing_profile_id: &self.user.routing_profile_id,
            security_profile_ids: &self.user.security_profile_ids,
            hierarchy_path: &self.path,
            tags: Some(&self.user.tags),
            proficiencies: &self.proficiencies,
        }
    }
}

const SEARCH_USERNAMES: [&str; 40] = [
    "ann",
    "Anna",
    "HANNAH",
    "jo",
    "JoAnn",
    "joanna.b",
    "mar",
    "Mary",
    "MaryAnn",
    "zoe",
    "Zed",
    "_x",
    "a_b",
    "aBc",
    "ABD",
    "1st",
    "sam",
    "Sam.Smith",
    "sanders",
    "ed",
    "ED2",
    "x.y",
    "li@q.io",
    "Obi-Wan",
    "o.d",
    "Odysseas",
    "pap",
    "ng",
    "NG.2",
    "van",
    "b-b",
    "B_B",
    "c.c",
    "Chris",
    "chris.2",
    "dana",
    "DIANA",
    "diane",
    "ivan",
    "IVANA",
];
const SEARCH_FIRST_NAMES: [Option<&str>; 14] = [
    Some("Anna"),
    Some("Hannah"),
    Some("Joanna"),
    Some("ANNE"),
    Some("Zoë"),
    Some("Οδυσσέας"),
    Some("ΟΔΥΣΣΕΑΣ"),
    Some("Émile"),
    Some("Straße"),
    Some("Mary-Ann"),
    Some("Samuel"),
    Some("ſamuel"),
    None,
    None,
];
const SEARCH_LAST_NAMES: [Option<&str>; 11] = [
    Some("Anderson"),
    Some("Sanders"),
    Some("SANDERSON"),
    Some("Smith"),
    Some("Goldsmith"),
    Some("Brontë-O'Neill"),
    Some("ΠΑΠΑΔΟΠΟΥΛΟΣ"),
    Some("Ng"),
    Some("van der Berg"),
    Some("ΟΔΥΣΣΕΑΣ"),
    None,
];
const SEARCH_ATTRIBUTES: [(&str, &[&str]); 2] = [
    ("Language", &["English", "French", "German"]),
    ("Skill", &["Billing", "Tech", "Sales"]),
];
const SEARCH_TAGS: [(&str, &[&str]); 3] = [
    ("dept", &["sales", "Sales", "support"]),
    ("site", &["berlin", "austin", ""]),
    ("vip", &["yes"]),
];
/// Needles that tell exact substring matching from looser ones: case folding that
/// treats final sigma or long s as s, and strings the data does not hold.
const TRICKY_NEEDLES: [&str; 9] = ["ΔΥΣ", "ΥΣΣ", "ΣΣ", "SAM", "sa", "ss", "an", "ANN", "zzz"];

/// What conditions are drawn from.
struct Pools<'a> {
    users: &'a [Searchable],
    groups: Vec<String>,
    routing_profiles: Vec<String>,
    security_profiles: Vec<String>,
}

/// Part of `s`: all of it for EXACT, a prefix for STARTS_WITH, a substring of 2 to 25
/// characters for CONTAINS (all of `s` when shorter).
fn part_of(rng: &mut XorShift, s: &str, comparison: Comparison) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    match comparison {
        Comparison::Exact => s.to_string(),
        Comparison::StartsWith => chars[..rng.between(0, n)].iter().collect(),
        Comparison::Contains => {
            if n <= 2 {
                return s.to_string();
            }
            let len = rng.between(2, n.min(25));
            let start = rng.between(0, n - len);
            chars[start..start + len].iter().collect()
        }
    }
}

/// Changes the case of some characters.
fn mixed_case(rng: &mut XorShift, s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let v: Vec<char> = if rng.chance(50) {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            v
        })
        .collect()
}

fn random_leaf(rng: &mut XorShift, p: &Pools<'_>) -> Condition {
    let comparisons = [
        Comparison::Exact,
        Comparison::StartsWith,
        Comparison::Contains,
    ];
    match rng.below(20) {
        0..=7 => {
            let fields = [
                StringField::Username,
                StringField::FirstName,
                StringField::LastName,
                StringField::RoutingProfileId,
                StringField::SecurityProfileId,
                StringField::ResourceId,
            ];
            let field = *rng.pick(&fields);
            let comparison = *rng.pick(&comparisons);
            let user = &rng.pick(p.users).user;
            let source = match field {
                StringField::Username => Some(user.username.as_str().to_string()),
                StringField::FirstName => user.identity.first_name.clone(),
                StringField::LastName => user.identity.last_name.clone(),
                StringField::RoutingProfileId => Some(rng.pick(&p.routing_profiles).clone()),
                StringField::SecurityProfileId => Some(rng.pick(&p.security_profiles).clone()),
                StringField::ResourceId => Some(user.id.clone()),
            };
            let mut value = match source {
                Some(s) if !rng.chance(15) => part_of(rng, &s, comparison),
                _ => rng.pick(&TRICKY_NEEDLES).to_string(),
            };
            if field.case_insensitive() || rng.chance(10) {
                value = mixed_case(rng, &value);
            }
            let n = value.chars().count();
            if comparison == Comparison::Contains && !(CONTAINS_MIN..=CONTAINS_MAX).contains(&n) {
                value = "an".to_string();
            }
            Condition::String {
                field,
                matcher: StringMatch::new("f", comparison, &value, field.case_insensitive())
                    .expect("a valid string condition"),
            }
        }
        8..=10 => {
            let group_id = if rng.chance(10) {
                new_id()
            } else {
                rng.pick(&p.groups).clone()
            };
            let matching = if rng.chance(50) {
                HierarchyMatch::Exact
            } else {
                HierarchyMatch::WithChildGroups
            };
            Condition::Hierarchy { group_id, matching }
        }
        11..=14 => {
            let conditions = (0..rng.between(1, 3))
                .map(|_| {
                    let (name, values) = rng.pick(&SEARCH_ATTRIBUTES);
                    let comparison = *rng.pick(&comparisons);
                    match rng.below(3) {
                        0 => {
                            let v = part_of(rng, name, comparison);
                            ProficiencyCondition::AttributeName(
                                StringMatch::new("f", comparison, &v, false).unwrap(),
                            )
                        }
                        1 => {
                            let value = rng_value(rng, values);
                            let v = part_of(rng, value, comparison);
                            ProficiencyCondition::AttributeValue(
                                StringMatch::new("f", comparison, &v, false).unwrap(),
                            )
                        }
                        _ => {
                            let level = |rng: &mut XorShift| rng.between(2, 10) as f64 / 2.0;
                            let (a, b) = (level(rng), level(rng));
                            ProficiencyCondition::Level(match rng.below(7) {
                                0 => LevelCondition::GreaterOrEqual(a),
                                1 => LevelCondition::Greater(a),
                                2 => LevelCondition::LesserOrEqual(a),
                                3 => LevelCondition::Lesser(a),
                                4 => LevelCondition::Equal(a),
                                5 => LevelCondition::NotEqual(a),
                                _ => LevelCondition::Range(a.min(b), a.max(b)),
                            })
                        }
                    }
                })
                .collect();
            Condition::Proficiency(conditions)
        }
        15..=18 => {
            let (key, values) = if rng.chance(10) {
                ("nope", &["x"][..])
            } else {
                *rng.pick(&SEARCH_TAGS)
            };
            let value = if rng.chance(20) {
                None
            } else if rng.chance(10) {
                Some("other".to_string())
            } else {
                Some(rng_value(rng, values).to_string())
            };
            Condition::Tag {
                key: key.to_string(),
                value,
            }
        }
        _ => Condition::All,
    }
}

fn rng_value<'a>(rng: &mut XorShift, values: &[&'a str]) -> &'a str {
    values[rng.below(values.len())]
}

/// The profiles and groups a generated user may hold.
struct Holdings<'a> {
    groups: &'a [String],
    routing_profiles: &'a [String],
    security_profiles: &'a [String],
}

/// A user of `fx` with random names, profiles, group and tags, and random
/// proficiencies to give it.
fn random_user(
    rng: &mut XorShift,
    fx: &Fixture,
    username: &str,
    h: &Holdings<'_>,
) -> (User, Vec<UserProficiency>) {
    let mut u = plain_user(fx, username);
    u.identity.first_name = rng.pick(&SEARCH_FIRST_NAMES).map(str::to_string);
    u.identity.last_name = rng.pick(&SEARCH_LAST_NAMES).map(str::to_string);
    u.routing_profile_id = rng.pick(h.routing_profiles).clone();
    let mut profiles: Vec<String> = h
        .security_profiles
        .iter()
        .filter(|_| rng.chance(40))
        .cloned()
        .collect();
    if profiles.is_empty() {
        profiles.push(rng.pick(h.security_profiles).clone());
    }
    // Half of them in reverse id order: stores keep the order given.
    if rng.chance(50) {
        profiles.reverse();
    }
    u.security_profile_ids = profiles;
    u.hierarchy_group_id = if rng.chance(20) || h.groups.is_empty() {
        None
    } else {
        Some(rng.pick(h.groups).clone())
    };
    for (key, values) in SEARCH_TAGS {
        if rng.chance(60) {
            u.tags
                .insert(key.to_string(), rng_value(rng, values).to_string());
        }
    }
    let mut proficiencies: Vec<UserProficiency> = Vec::new();
    for (name, values) in SEARCH_ATTRIBUTES {
        for value in values {
            if rng.chance(25) {
                proficiencies.push(UserProficiency {
                    attribute_name: name.to_string(),
                    attribute_value: value.to_string(),
                    level: rng.between(2, 10) as f64 / 2.0,
                });
            }
        }
    }
    (u, proficiencies)
}

/// A random condition tree whose root is at level `depth` (1 at the top); leaves sit
/// at level 3 at most.
fn random_condition(rng: &mut XorShift, p: &Pools<'_>, depth: usize) -> Condition {
    if depth < 3 && rng.chance(45) {
        let children = (0..rng.between(0, 4))
            .map(|_| random_condition(rng, p, depth + 1))
            .collect();
        if rng.chance(50) {
            Condition::And(children)
        } else {
            Condition::Or(children)
        }
    } else {
        random_leaf(rng, p)
    }
}

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
        .map(|g| (g.id.clone(), g.path.clone()))
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
