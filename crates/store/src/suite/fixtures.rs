//! What the contracts build on: fresh scopes, an instance like the service makes,
//! users, hierarchy groups, and helpers to page through listings and to run calls
//! at the same time.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use roster_domain::arn::ResourceKind;
use roster_domain::channel::{
    AcwSeconds, AfterContactWorkEntry, AutoAcceptEntry, Channel, ChannelSettings, ConfigChange,
    PhoneType, UserConfig, VoiceEnhancementMode,
};
use roster_domain::entities::{
    MediaConcurrency, Queue, RoutingProfile, RoutingProfileQueue, SecurityProfile,
};
use roster_domain::hierarchy::{HierarchyGroup, HierarchyLevel, HierarchyStructure};
use roster_domain::hours::HoursOfOperation;
use roster_domain::instance::{IdentityManagementType, Instance, InstanceAttributeType};
use roster_domain::security::Permissions;
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::user::{IdentityInfo, SecurityProfileIds, User, Username};
use roster_domain::{new_id, InstanceRef, Scope, Timestamp};

use crate::{NewInstance, PageRequest, ResourceRef, Store, StoreResult};

pub(super) const REGION: &str = "us-west-2";

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

pub(super) fn modified_at(ms: i64) -> Modified {
    Modified {
        time: Timestamp(ms),
        region: REGION.to_string(),
    }
}

pub(super) fn modified() -> Modified {
    modified_at(1_700_000_000_123)
}

pub(super) fn tags_of(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(super) fn page(after: Option<&str>, limit: usize) -> PageRequest {
    PageRequest {
        after: after.map(str::to_string),
        limit,
    }
}

pub(super) fn acw(seconds: i64) -> AcwSeconds {
    AcwSeconds::parse("AfterContactWorkTimeLimit", seconds).expect("a valid limit")
}

pub(super) fn resource(kind: ResourceKind, id: &str) -> ResourceRef {
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
    pub hours: String,
}

/// A new instance like the service makes: four security profiles, hours, the
/// `BasicQueue`, a routing profile, every attribute, and two tags.
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
        description: Some(format!("The {name} profile")),
        permissions: Permissions::from_stored(permissions.iter().map(|p| p.to_string()).collect()),
        ..SecurityProfile::new(new_id(), name.to_string(), m.clone())
    };
    let security_profiles = vec![
        profile("Admin", &["Users.View", "Users.Edit", "AccessMetrics"]),
        profile("Agent", &["BasicAgentAccess", "OutboundCallAccess"]),
        profile("CallCenterManager", &["Users.View"]),
        profile("QualityAnalyst", &[]),
    ];
    let hours = HoursOfOperation::basic(new_id(), m.clone());
    let standard = Queue::basic(new_id(), hours.id.clone(), m.clone());
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
        manual_queues: vec![],
        is_default: true,
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
        queues: vec![standard],
        routing_profiles: vec![routing],
    };
    (new, fixture)
}

/// Creates an instance in a fresh scope.
pub async fn setup(store: &dyn Store) -> Fixture {
    setup_in(store, &fresh_scope()).await
}

pub(super) async fn setup_in(store: &dyn Store, scope: &Scope) -> Fixture {
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
        security_profile_ids: profiles(&[&fx.agent_profile]),
        routing_profile_id: fx.routing_profile.clone(),
        hierarchy_group_id: None,
        config: UserConfig::default(),
        tags: Tags::new(),
        modified: modified(),
    }
}

/// A user with every member set to something other than its default.
pub fn full_user(fx: &Fixture, username: &str, group: Option<&str>) -> User {
    let voice = ChannelSettings {
        auto_accept: true,
        after_contact_work: acw(30),
        agent_first_callback_auto_accept: Some(true),
        agent_first_callback_after_contact_work: Some(acw(45)),
    };
    let config = UserConfig::from_stored(
        voice,
        [
            (false, acw(60)),
            (true, AcwSeconds::ZERO),
            (false, acw(AcwSeconds::MAX)),
        ],
        PhoneType::DeskPhone,
        Some("+12065550100".into()),
        true,
        VoiceEnhancementMode::NoiseSuppression,
    );
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
        security_profile_ids: profiles(&[&fx.agent_profile, &fx.admin_profile]),
        routing_profile_id: fx.routing_profile.clone(),
        hierarchy_group_id: group.map(str::to_string),
        config,
        tags: tags_of(&[("dept", "sales"), ("site", "Zürich"), ("empty", "")]),
        modified: modified(),
    }
}

pub(super) fn structure(names: &[&str], ms: i64) -> HierarchyStructure {
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
pub(super) fn group(name: &str, parent: Option<&HierarchyGroup>) -> HierarchyGroup {
    let (id, name) = (new_id(), name.to_string());
    match parent {
        None => HierarchyGroup::top(id, name, Tags::new(), modified()),
        Some(p) => HierarchyGroup::child_of(p, id, name, Tags::new(), modified()),
    }
    .expect("a group the domain allows")
}

/// A valid list of security profile ids.
pub fn profiles(ids: &[&String]) -> SecurityProfileIds {
    SecurityProfileIds::parse(ids.iter().map(|s| s.to_string()).collect()).expect("valid ids")
}

/// `config` with `channel`'s auto-accept and after-contact work set, as an
/// UpdateUserConfig would set them.
pub fn set_channel(
    config: &mut UserConfig,
    channel: Channel,
    auto_accept: bool,
    after_contact_work: AcwSeconds,
) {
    config
        .apply(&ConfigChange {
            auto_accept: Some(vec![AutoAcceptEntry {
                channel,
                auto_accept,
                agent_first_callback_auto_accept: None,
            }]),
            after_contact_work: Some(vec![AfterContactWorkEntry {
                channel,
                after_contact_work,
                agent_first_callback_after_contact_work: None,
            }]),
            ..ConfigChange::default()
        })
        .expect("valid settings");
}

/// Every item of a listing, fetched `limit` at a time; checks each page is in id
/// order and that pages follow each other.
pub(super) async fn all_pages<T, F, Fut>(
    limit: usize,
    id: impl Fn(&T) -> String,
    mut fetch: F,
) -> Vec<T>
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

pub(super) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Drives all `futures` on the current task until each is done; their results in
/// order. The store sees the calls at the same time.
pub(super) async fn join_all<T>(futures: Vec<BoxFuture<'_, T>>) -> Vec<T> {
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
