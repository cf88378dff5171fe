//! Applying a seed file: every instance is planned first (each entry checked by the
//! domain's rules, every reference resolved, what already exists left out), and only
//! when the whole file is valid is each instance's plan written, in one store call.

use std::collections::{HashMap, HashSet};

use roster_api::check::{self, Path as CheckPath, Violation};
use roster_domain::channel::{
    parse_entries as entries, AcwSeconds, AfterContactWorkEntry, AutoAcceptEntry, Channel,
    ConfigChange, PersistentConnectionEntry, PhoneConfigChange, PhoneNumberEntry, PhoneType,
    UserConfig, VoiceEnhancementEntry, VoiceEnhancementMode,
};
use roster_domain::entities::{
    MediaConcurrency, Queue, RoutingProfile, RoutingProfileQueue, BASIC_ROUTING_PROFILE,
};
use roster_domain::hierarchy::{self as dh, HierarchyGroup, HierarchyStructure, MAX_LEVELS};
use roster_domain::hours::{
    self as dhours, Day, HoursOfOperation, Opening, ParentHours, TimeOfDay, TimeZone, WeeklyHours,
};
use roster_domain::instance::{
    self as inst, IdentityManagementType, Instance, InstanceAttributeType,
};
use roster_domain::password::password_for;
use roster_domain::proficiency::{self as dp, PredefinedAttribute, UserProficiency};
use roster_domain::queues::{self as dq, OutboundCaller, QueueStatus, QueueType};
use roster_domain::quick_connect::{self as dqc, ConfigParts, Destination, QuickConnect};
use roster_domain::routing::{check_media, QueueRef};
use roster_domain::security::{
    self as sec, AiAgent, Application, DataTableAccessControl, FlowModule, GranularAccessControl,
    Permissions, PrimaryAttributeAccessControl, PrimaryAttributeValue, RestrictedResources,
    SecurityProfile,
};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::time::Modified;
use roster_domain::user::{self as du, IdentityInfo, SecurityProfileIds, User, Username};
use roster_domain::{new_id, DomainError, InstanceRef, Scope, Timestamp};
use roster_store::{Import, NewInstance, PageRequest, Store, StoreError};

use super::format::*;
use super::time::parse_time;

/// The account of permissive mode, when an instance names none.
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// The Region of an instance that names none.
pub const DEFAULT_REGION: &str = "us-east-1";

/// What applying a file did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Instances created.
    pub instances: usize,
    /// Entities created inside instances (defaults included).
    pub entities: usize,
    /// Entries left alone because they exist already.
    pub existing: usize,
}

/// Why a file was refused: the entry (`Instances[0].Users[3].Username`) and the rule.
pub type Refusal = String;

fn at(path: &str, e: impl std::fmt::Display) -> Refusal {
    format!("{path}: {e}")
}

/// A domain error of the member `path` of an entry: the domain names the field
/// itself, so only the entry's path is put in front.
fn dom(path: &str, e: DomainError) -> Refusal {
    format!("{path}.{e}")
}

/// Reads the whole file and applies it (see the module's comment).
pub async fn apply(store: &dyn Store, file: &SeedFile, max_users: u64) -> Result<Applied, Refusal> {
    ids_unique(file)?;
    let now = Timestamp::now();
    let mut plans = Vec::new();
    let mut applied = Applied::default();
    let mut aliases: HashSet<(String, String, String)> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (i, entry) in file.instances.iter().enumerate() {
        let path = format!("Instances[{i}]");
        let plan = plan_instance(store, &path, entry, now, max_users, &mut applied).await?;
        if let Some(alias) = &entry.instance_alias {
            let key = (
                plan.at.scope.account_id.clone(),
                plan.at.scope.region.clone(),
                alias.clone(),
            );
            if !aliases.insert(key) {
                return Err(at(&format!("{path}.InstanceAlias"), format!("{alias} is the alias of an earlier instance of the file in the same account and Region")));
            }
        }
        if !ids.insert(plan.at.instance_id.clone()) {
            return Err(at(
                &format!("{path}.Id"),
                format!("instance {} is listed twice", plan.at.instance_id),
            ));
        }
        plans.push((path, entry, plan));
    }
    for (path, entry, mut plan) in plans {
        // Another process applying the same file to the same database may write an
        // entry between this plan and its import: the import then finds it taken, and
        // planning again leaves it alone.
        let mut attempts = 1;
        loop {
            if plan.instance.is_none() && is_empty(&plan) {
                break;
            }
            match store.import(plan).await {
                Ok(()) => break,
                Err(StoreError::Duplicate { .. }) if attempts < REPLANS => {
                    attempts += 1;
                    let mut ignored = Applied::default();
                    plan = plan_instance(store, &path, entry, now, max_users, &mut ignored).await?;
                }
                Err(e) => return Err(at(&path, store_refusal(e))),
            }
        }
    }
    Ok(applied)
}

/// How often an instance is planned again when its import finds an entry taken.
const REPLANS: u32 = 5;

/// Ids are unique across instances too (a user id names one user of one instance), so
/// the file may not give one twice, whatever the kinds.
fn ids_unique(file: &SeedFile) -> Result<(), Refusal> {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, e) in file.instances.iter().enumerate() {
        let p = format!("Instances[{i}]");
        let mut given: Vec<(String, Option<String>)> = vec![(p.clone(), e.id.clone())];
        let mut add = |kind: &str, ids: Vec<&Option<String>>| {
            for (n, id) in ids.into_iter().enumerate() {
                given.push((format!("{p}.{kind}[{n}]"), id.clone()));
            }
        };
        add(
            "HierarchyGroups",
            e.hierarchy_groups.iter().map(|x| &x.id).collect(),
        );
        add(
            "SecurityProfiles",
            e.security_profiles.iter().map(|x| &x.id).collect(),
        );
        add(
            "HoursOfOperations",
            e.hours_of_operations.iter().map(|x| &x.id).collect(),
        );
        add("Queues", e.queues.iter().map(|x| &x.id).collect());
        add(
            "RoutingProfiles",
            e.routing_profiles.iter().map(|x| &x.id).collect(),
        );
        add("Users", e.users.iter().map(|x| &x.id).collect());
        add(
            "QuickConnects",
            e.quick_connects.iter().map(|x| &x.id).collect(),
        );
        for (path, id) in given {
            let Some(id) = id else { continue };
            if let Some(first) = seen.get(&id) {
                return Err(at(
                    &format!("{path}.Id"),
                    format!("{id} is the id of {first} already"),
                ));
            }
            seen.insert(id, path);
        }
    }
    Ok(())
}

fn store_refusal(e: StoreError) -> String {
    match e {
        StoreError::Backend(text) => format!("the store failed: {text}"),
        other => other.to_string(),
    }
}

fn is_empty(p: &Import) -> bool {
    p.hierarchy_structure.is_none()
        && p.hierarchy_groups.is_empty()
        && p.security_profiles.is_empty()
        && p.hours_of_operation.is_empty()
        && p.queues.is_empty()
        && p.routing_profiles.is_empty()
        && p.predefined_attributes.is_empty()
        && p.users.is_empty()
        && p.user_proficiencies.is_empty()
        && p.quick_connects.is_empty()
}

/// The entities of one kind in an instance, stored and planned, by id and by name.
#[derive(Default)]
struct Names {
    by_id: HashMap<String, String>,
    by_name: HashMap<String, String>,
    stored: HashSet<String>,
    /// Names compare without regard to case (usernames).
    fold: bool,
}

/// Where an entry of the file stands.
enum Place {
    /// It exists (by id or by name): left alone.
    Stored,
    /// It is new, with this id.
    New(String),
}

impl Names {
    fn folded() -> Names {
        Names {
            fold: true,
            ..Names::default()
        }
    }

    fn key(&self, name: &str) -> String {
        if self.fold {
            name.to_lowercase()
        } else {
            name.to_string()
        }
    }

    fn add(&mut self, id: &str, name: &str, stored: bool) {
        self.by_id.insert(id.to_string(), name.to_string());
        self.by_name.insert(self.key(name), id.to_string());
        if stored {
            self.stored.insert(id.to_string());
        }
    }

    /// The id a reference (an id, else a name) names.
    fn resolve(&self, r: &str) -> Option<String> {
        if self.by_id.contains_key(r) {
            return Some(r.to_string());
        }
        self.by_name.get(&self.key(r)).cloned()
    }

    fn has_name(&self, name: &str) -> bool {
        self.by_name.contains_key(&self.key(name))
    }

    /// Places an entry of the file: an id given is kept, a missing one made.
    fn place(
        &mut self,
        path: &str,
        kind: &str,
        id: &Option<String>,
        name: &str,
    ) -> Result<Place, Refusal> {
        match id {
            Some(id) => {
                check_uuid(&format!("{path}.Id"), id)?;
                if self.stored.contains(id) {
                    return Ok(Place::Stored);
                }
                if self.by_id.contains_key(id) {
                    return Err(at(
                        &format!("{path}.Id"),
                        format!("{kind} {id} is listed twice"),
                    ));
                }
                if let Some(other) = self.by_name.get(&self.key(name)) {
                    return Err(at(
                        path,
                        format!("a {kind} named {name} exists already with id {other}"),
                    ));
                }
                self.add(id, name, false);
                Ok(Place::New(id.clone()))
            }
            None => {
                if let Some(other) = self.by_name.get(&self.key(name)).cloned() {
                    if self.stored.contains(&other) {
                        return Ok(Place::Stored);
                    }
                    return Err(at(path, format!("a {kind} named {name} is listed twice")));
                }
                let id = new_id();
                self.add(&id, name, false);
                Ok(Place::New(id))
            }
        }
    }
}

fn check_uuid(path: &str, id: &str) -> Result<(), Refusal> {
    match uuid::Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(()),
        _ => Err(at(
            path,
            format!("{id:?} is not a lowercase UUID (8-4-4-4-12 hex digits)"),
        )),
    }
}

fn stamp(
    path: &str,
    time: &Option<String>,
    region: &Option<String>,
    now: Timestamp,
    default_region: &str,
) -> Result<Modified, Refusal> {
    let time = match time {
        Some(t) => parse_time(t).map_err(|e| at(&format!("{path}.LastModifiedTime"), e))?,
        None => now,
    };
    let region = match region {
        Some(r) => {
            check_region(&format!("{path}.LastModifiedRegion"), r)?;
            r.clone()
        }
        None => default_region.to_string(),
    };
    Ok(Modified { time, region })
}

fn check_region(path: &str, r: &str) -> Result<(), Refusal> {
    let ok = !r.is_empty()
        && r.len() <= 64
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(at(
            path,
            format!("{r:?} is not a Region name (lowercase letters, digits and -)"),
        ))
    }
}

fn check_name(path: &str, name: &str, max: usize) -> Result<(), Refusal> {
    let n = name.chars().count();
    if (1..=max).contains(&n) {
        Ok(())
    } else {
        Err(at(
            &format!("{path}.Name"),
            format!("must be 1-{max} characters"),
        ))
    }
}

/// A constraint of the model's shapes (lengths, counts, ranges), checked by the same
/// functions that check API requests.
fn model(path: &str, r: Result<(), Violation>) -> Result<(), Refusal> {
    r.map_err(|v| match v {
        Violation::Missing(member) => at(&format!("{path}.{member}"), "is required"),
        Violation::Invalid { path: member, rule } => at(&format!("{path}.{member}"), rule),
    })
}

fn member(name: &str) -> CheckPath {
    CheckPath::root().member(name)
}

/// An optional description of at most 250 characters, at least `min`.
fn description(path: &str, d: &Option<String>, min: usize) -> Result<(), Refusal> {
    match d {
        Some(d) => model(path, check::str_len(&member("Description"), d, min, 250)),
        None => Ok(()),
    }
}

fn tags(path: &str, t: &TagMap) -> Result<Tags, Refusal> {
    let tags: Tags = t.clone();
    validate_tags("Tags", &tags).map_err(|e| dom(path, e))?;
    Ok(tags)
}

fn missing(path: &str, kind: &str, r: &str) -> Refusal {
    at(
        path,
        format!("no {kind} {r:?} (by id or name) in the file or the instance"),
    )
}

/// Every page of a listing.
pub(super) async fn all<T, F, Fut>(
    mut page: F,
    id: impl Fn(&T) -> String,
) -> Result<Vec<T>, StoreError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, StoreError>>,
{
    const PAGE: usize = 1000;
    let mut out: Vec<T> = Vec::new();
    loop {
        let after = out.last().map(&id);
        let batch = page(PageRequest { after, limit: PAGE }).await?;
        let done = batch.len() < PAGE;
        out.extend(batch);
        if done {
            return Ok(out);
        }
    }
}

/// What the instance holds already.
#[derive(Default)]
struct Stored {
    structure: HierarchyStructure,
    groups: Vec<HierarchyGroup>,
    security_profiles: Vec<SecurityProfile>,
    hours: Vec<HoursOfOperation>,
    queues: Vec<(String, String)>,
    routing_profiles: Vec<RoutingProfile>,
    attributes: Vec<PredefinedAttribute>,
    users: Vec<(String, String)>,
    quick_connects: Vec<(String, String)>,
}

async fn stored(store: &dyn Store, at: &InstanceRef) -> Result<Stored, StoreError> {
    let queues = all(
        |p| async move { store.list_queues(at, &[QueueType::Standard], &p).await },
        |q| q.id.clone(),
    )
    .await?;
    Ok(Stored {
        structure: store.get_hierarchy_structure(at).await?,
        groups: all(
            |p| async move { store.list_hierarchy_groups(at, &p).await },
            |g| g.id.clone(),
        )
        .await?,
        security_profiles: all(
            |p| async move { store.list_security_profiles(at, &p).await },
            |s| s.id.clone(),
        )
        .await?,
        hours: all(
            |p| async move { store.list_hours_of_operations(at, &p).await },
            |h| h.id.clone(),
        )
        .await?,
        queues: queues
            .into_iter()
            .map(|q| (q.id, q.name.unwrap_or_default()))
            .collect(),
        routing_profiles: all(
            |p| async move { store.list_routing_profiles(at, &p).await },
            |r| r.id.clone(),
        )
        .await?,
        attributes: all(
            |p| async move { store.list_predefined_attributes(at, &p).await },
            |a| a.name.clone(),
        )
        .await?,
        users: all(
            |p| async move { store.list_users(at, &p).await },
            |u| u.id.clone(),
        )
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect(),
        quick_connects: all(
            |p| async move { store.list_quick_connects(at, &[], &p).await },
            |q| q.id.clone(),
        )
        .await?
        .into_iter()
        .map(|q| (q.id, q.name))
        .collect(),
    })
}

async fn plan_instance(
    store: &dyn Store,
    path: &str,
    e: &InstanceEntry,
    now: Timestamp,
    max_users: u64,
    applied: &mut Applied,
) -> Result<Import, Refusal> {
    let account = e
        .account_id
        .clone()
        .unwrap_or_else(|| DEFAULT_ACCOUNT.to_string());
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(at(&format!("{path}.AccountId"), "must be 12 digits"));
    }
    let region = e
        .region
        .clone()
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    check_region(&format!("{path}.Region"), &region)?;
    let scope = Scope {
        account_id: account,
        region: region.clone(),
    };
    let idm =
        IdentityManagementType::parse(&e.identity_management_type).map_err(|e| dom(path, e))?;
    if let Some(alias) = &e.instance_alias {
        inst::validate_alias(alias).map_err(|e| dom(path, e))?;
    }
    match (idm, &e.directory_id) {
        (IdentityManagementType::ExistingDirectory, None) => {
            return Err(at(
                &format!("{path}.DirectoryId"),
                "is required when IdentityManagementType is EXISTING_DIRECTORY",
            ))
        }
        (IdentityManagementType::ExistingDirectory, Some(d)) => {
            inst::validate_directory_id(d).map_err(|e| dom(path, e))?
        }
        (_, Some(_)) => {
            return Err(at(
                &format!("{path}.DirectoryId"),
                "may be given only when IdentityManagementType is EXISTING_DIRECTORY",
            ))
        }
        (_, None) => {}
    }
    if e.id.is_none() && e.instance_alias.is_none() {
        return Err(at(
            path,
            "needs an Id or an InstanceAlias, by which it is found when the file is applied again",
        ));
    }
    if let Some(id) = &e.id {
        check_uuid(&format!("{path}.Id"), id)?;
    }
    let backend = |e: StoreError| at(path, store_refusal(e));

    // The instance: by id, else by alias.
    let listed = all(
        |p| {
            let scope = &scope;
            async move { store.list_instances(scope, &p).await }
        },
        |i| i.id.clone(),
    )
    .await
    .map_err(backend)?;
    let by_alias = e.instance_alias.as_ref().and_then(|a| {
        listed
            .iter()
            .find(|i| i.alias.as_deref() == Some(a.as_str()))
    });
    let existing: Option<Instance> = match &e.id {
        Some(id) => match listed.iter().find(|i| &i.id == id) {
            Some(i) => Some(i.clone()),
            None => {
                if let Some(other) = by_alias {
                    return Err(at(
                        &format!("{path}.InstanceAlias"),
                        format!(
                            "{} is the alias of instance {} already",
                            e.instance_alias.as_deref().unwrap_or(""),
                            other.id
                        ),
                    ));
                }
                None
            }
        },
        None => by_alias.cloned(),
    };
    let instance_id = existing
        .as_ref()
        .map(|i| i.id.clone())
        .or_else(|| e.id.clone())
        .unwrap_or_else(new_id);
    let at_ref = InstanceRef {
        scope: scope.clone(),
        instance_id: instance_id.clone(),
    };
    let is_new = existing.is_none();
    let have = match &existing {
        Some(_) => stored(store, &at_ref).await.map_err(backend)?,
        None => Stored::default(),
    };
    let idm = existing
        .as_ref()
        .map(|i| i.identity_management_type)
        .unwrap_or(idm);
    let m = |p: &str, t: &Option<String>, r: &Option<String>| stamp(p, t, r, now, &region);
    let fresh = Modified {
        time: now,
        region: region.clone(),
    };

    let mut import = Import::new(at_ref.clone(), max_users);
    if is_new {
        let created_time = match &e.created_time {
            Some(t) => parse_time(t).map_err(|e| at(&format!("{path}.CreatedTime"), e))?,
            None => now,
        };
        let mut attributes: Vec<(InstanceAttributeType, bool)> = InstanceAttributeType::ALL
            .iter()
            .map(|a| {
                (
                    *a,
                    a.default_value(e.inbound_calls_enabled, e.outbound_calls_enabled),
                )
            })
            .collect();
        for (name, value) in &e.attributes {
            let Some(t) = InstanceAttributeType::parse(name) else {
                return Err(at(
                    &format!("{path}.Attributes.{name}"),
                    "is not an instance attribute type",
                ));
            };
            if let Some(slot) = attributes.iter_mut().find(|(a, _)| *a == t) {
                slot.1 = *value;
            }
        }
        import.instance = Some(NewInstance {
            instance: Instance {
                id: instance_id.clone(),
                scope: scope.clone(),
                identity_management_type: idm,
                alias: e.instance_alias.clone(),
                directory_id: e.directory_id.clone(),
                created_time,
                inbound_calls_enabled: e.inbound_calls_enabled,
                outbound_calls_enabled: e.outbound_calls_enabled,
            },
            tags: tags(path, &e.tags)?,
            attributes,
            security_profiles: Vec::new(),
            hours_of_operation: Vec::new(),
            queues: Vec::new(),
            routing_profiles: Vec::new(),
        });
        applied.instances += 1;
    } else {
        applied.existing += 1;
    }
    let defaults = is_new && e.default_resources;

    // ---- hierarchy structure ----------------------------------------------------------
    let mut structure = have.structure.clone();
    if !e.hierarchy_structure.is_empty() {
        let p = format!("{path}.HierarchyStructure");
        if e.hierarchy_structure.len() > MAX_LEVELS {
            return Err(at(&p, format!("must have at most {MAX_LEVELS} levels")));
        }
        if structure.levels.is_empty() {
            let mut names: [Option<String>; MAX_LEVELS] = Default::default();
            for (n, l) in e.hierarchy_structure.iter().enumerate() {
                names[n] = Some(l.name.clone());
            }
            let mut built =
                HierarchyStructure::from_names(names, &fresh).map_err(|e| dom(path, e))?;
            for (n, l) in e.hierarchy_structure.iter().enumerate() {
                built.levels[n].modified = m(
                    &format!("{p}[{n}]"),
                    &l.last_modified_time,
                    &l.last_modified_region,
                )?;
            }
            structure = built.clone();
            import.hierarchy_structure = Some(built);
            applied.entities += 1;
        } else {
            applied.existing += 1;
        }
    }

    // ---- hierarchy groups ---------------------------------------------------------------
    let mut groups = Names::default();
    let mut group_values: HashMap<String, HierarchyGroup> = HashMap::new();
    for g in &have.groups {
        groups.add(&g.id, &g.name, true);
        group_values.insert(g.id.clone(), g.clone());
    }
    let mut pending: Vec<(String, String, &GroupEntry)> = Vec::new();
    for (n, g) in e.hierarchy_groups.iter().enumerate() {
        let p = format!("{path}.HierarchyGroups[{n}]");
        dh::validate_group_name("Name", &g.name).map_err(|e| dom(&p, e))?;
        match groups.place(&p, "hierarchy group", &g.id, &g.name)? {
            Place::Stored => applied.existing += 1,
            Place::New(id) => pending.push((p, id, g)),
        }
    }
    // Parents first: each round builds the groups whose parent is known.
    while !pending.is_empty() {
        let mut next = Vec::new();
        let before = pending.len();
        for (p, id, g) in pending {
            let parent = match &g.parent_group {
                None => None,
                Some(r) => {
                    let pid = groups.resolve(r).ok_or_else(|| {
                        missing(&format!("{p}.ParentGroup"), "hierarchy group", r)
                    })?;
                    match group_values.get(&pid) {
                        Some(v) => Some(v.clone()),
                        None => {
                            next.push((p, id, g));
                            continue;
                        }
                    }
                }
            };
            let t = tags(&p, &g.tags)?;
            let modified = m(&p, &g.last_modified_time, &g.last_modified_region)?;
            let group = match &parent {
                None => HierarchyGroup::top(id.clone(), g.name.clone(), t, modified),
                Some(parent) => {
                    HierarchyGroup::child_of(parent, id.clone(), g.name.clone(), t, modified)
                }
            }
            .map_err(|e| dom(&p, e))?;
            if structure.level(group.level()).is_none() {
                return Err(at(&p, format!("is at level {} of the hierarchy, which the structure does not have ({} levels)", group.level(), structure.levels.len())));
            }
            group_values.insert(id.clone(), group.clone());
            import.hierarchy_groups.push(group);
            applied.entities += 1;
        }
        if next.len() == before {
            let (p, _, _) = &next[0];
            return Err(at(
                &format!("{p}.ParentGroup"),
                "the parent groups form a cycle",
            ));
        }
        pending = next;
    }

    // ---- security profiles --------------------------------------------------------------
    let mut profiles = Names::default();
    for s in &have.security_profiles {
        profiles.add(&s.id, &s.name, true);
    }
    let mut built_profiles = Vec::new();
    for (n, s) in e.security_profiles.iter().enumerate() {
        let p = format!("{path}.SecurityProfiles[{n}]");
        check_name(&p, &s.name, 127)?;
        sec::validate_name(&s.name).map_err(|e| dom(&p, e))?;
        description(&p, &s.description, 0)?;
        model(
            &p,
            check::count(&member("Permissions"), s.permissions.len(), 0, 500),
        )?;
        model(
            &p,
            check::count(
                &member("AllowedAccessControlTags"),
                s.allowed_access_control_tags.len(),
                0,
                4,
            ),
        )?;
        model(
            &p,
            check::count(
                &member("TagRestrictedResources"),
                s.tag_restricted_resources.len(),
                0,
                10,
            ),
        )?;
        model(
            &p,
            check::count(&member("Applications"), s.applications.len(), 0, 10),
        )?;
        model(
            &p,
            check::count(
                &member("AllowedFlowModules"),
                s.allowed_flow_modules.len(),
                0,
                10,
            ),
        )?;
        if let Place::New(id) = profiles.place(&p, "security profile", &s.id, &s.name)? {
            built_profiles.push((p, id, s));
        } else {
            applied.existing += 1;
        }
    }
    if defaults {
        for d in sec::default_profiles(&fresh) {
            if !profiles.has_name(&d.name) {
                profiles.add(&d.id, &d.name, false);
                import.security_profiles.push(d);
                applied.entities += 1;
            }
        }
    }
    for (p, id, s) in built_profiles {
        let f = |m: &str| format!("{p}.{m}");
        let group = match &s.allowed_access_control_hierarchy_group {
            None => None,
            Some(r) => Some(groups.resolve(r).ok_or_else(|| {
                missing(
                    &f("AllowedAccessControlHierarchyGroup"),
                    "hierarchy group",
                    r,
                )
            })?),
        };
        let applications: Vec<Application> = s
            .applications
            .iter()
            .map(|a| Application {
                namespace: a.namespace.clone(),
                permissions: a.application_permissions.clone(),
                application_type: a.application_type.clone(),
            })
            .collect();
        sec::check_applications("Applications", &applications).map_err(|e| dom(&p, e))?;
        let modules: Vec<FlowModule> = s
            .allowed_flow_modules
            .iter()
            .map(|a| FlowModule {
                flow_module_id: a.flow_module_id.clone(),
                module_type: a.module_type.clone(),
            })
            .collect();
        sec::check_flow_modules("AllowedFlowModules", &modules).map_err(|e| dom(&p, e))?;
        let agents: Vec<AiAgent> = s
            .allowed_ai_agents
            .iter()
            .map(|a| AiAgent {
                arn: a.arn.clone(),
                agent_type: a.agent_type.clone(),
            })
            .collect();
        sec::check_ai_agents("AllowedAIAgents", &agents).map_err(|e| dom(&p, e))?;
        let access_tags: Tags = s.allowed_access_control_tags.clone();
        validate_tags("AllowedAccessControlTags", &access_tags).map_err(|e| dom(&p, e))?;
        let profile = SecurityProfile {
            description: s.description.clone(),
            permissions: Permissions::parse("Permissions", s.permissions.clone())
                .map_err(|e| dom(&p, e))?,
            allowed_access_control_tags: access_tags,
            tag_restricted_resources: RestrictedResources::tag(
                "TagRestrictedResources",
                s.tag_restricted_resources.clone(),
            )
            .map_err(|e| dom(&p, e))?,
            allowed_access_control_hierarchy_group_id: group,
            hierarchy_restricted_resources: RestrictedResources::hierarchy(
                "HierarchyRestrictedResources",
                s.hierarchy_restricted_resources.clone(),
            )
            .map_err(|e| dom(&p, e))?,
            applications,
            allowed_flow_modules: modules,
            allowed_ai_agents: agents,
            granular_access_control: s
                .granular_access_control_configuration
                .as_ref()
                .map(|g| granular(&p, g))
                .transpose()?,
            tags: tags(&p, &s.tags)?,
            ..SecurityProfile::new(
                id,
                s.name.clone(),
                m(&p, &s.last_modified_time, &s.last_modified_region)?,
            )
        };
        import.security_profiles.push(profile);
        applied.entities += 1;
    }

    // ---- hours of operation --------------------------------------------------------------
    let mut hours = Names::default();
    for h in &have.hours {
        hours.add(&h.id, &h.name, true);
    }
    let mut planned_hours = Vec::new();
    for (n, h) in e.hours_of_operations.iter().enumerate() {
        let p = format!("{path}.HoursOfOperations[{n}]");
        check_name(&p, &h.name, 127)?;
        description(&p, &h.description, 1)?;
        if let Place::New(id) = hours.place(&p, "hours of operation", &h.id, &h.name)? {
            planned_hours.push((p, id, h));
        } else {
            applied.existing += 1;
        }
    }
    let mut built_hours: Vec<HoursOfOperation> = Vec::new();
    if defaults && !hours.has_name(dhours::BASIC_HOURS) {
        let basic = HoursOfOperation::basic(new_id(), fresh.clone());
        hours.add(&basic.id, &basic.name, false);
        built_hours.push(basic);
    }
    for (p, id, h) in &planned_hours {
        let mut openings = Vec::with_capacity(h.config.len());
        for (k, c) in h.config.iter().enumerate() {
            let field = format!("Config[{k}]");
            let start = TimeOfDay::parse(
                &format!("{field}.StartTime"),
                c.start_time.hours,
                c.start_time.minutes,
            )
            .map_err(|e| dom(p, e))?;
            let end = TimeOfDay::parse(
                &format!("{field}.EndTime"),
                c.end_time.hours,
                c.end_time.minutes,
            )
            .map_err(|e| dom(p, e))?;
            let day = Day::parse(&format!("{field}.Day"), &c.day).map_err(|e| dom(p, e))?;
            openings.push(Opening::new(&field, day, start, end).map_err(|e| dom(p, e))?);
        }
        let mut parent_ids = Vec::new();
        for (k, r) in h.parent_hours_of_operations.iter().enumerate() {
            let field = format!("{p}.ParentHoursOfOperations[{k}]");
            let pid = hours
                .resolve(r)
                .ok_or_else(|| missing(&field, "hours of operation", r))?;
            if &pid == id {
                return Err(at(&field, "hours of operation cannot be their own parent"));
            }
            parent_ids.push(Some(pid));
        }
        built_hours.push(HoursOfOperation {
            id: id.clone(),
            name: h.name.clone(),
            description: h.description.clone(),
            time_zone: TimeZone::parse("TimeZone", &h.time_zone).map_err(|e| dom(p, e))?,
            config: WeeklyHours::new("Config", openings).map_err(|e| dom(p, e))?,
            parents: ParentHours::parse("ParentHoursOfOperations", parent_ids)
                .map_err(|e| dom(p, e))?,
            tags: tags(p, &h.tags)?,
            modified: m(p, &h.last_modified_time, &h.last_modified_region)?,
        });
    }
    if have.hours.len() + built_hours.len() > dhours::MAX_PER_INSTANCE as usize {
        return Err(at(
            path,
            format!(
                "an instance holds at most {} hours of operation",
                dhours::MAX_PER_INSTANCE
            ),
        ));
    }
    // Parents first.
    let mut placed: HashSet<String> = have.hours.iter().map(|h| h.id.clone()).collect();
    while !built_hours.is_empty() {
        let before = built_hours.len();
        let (ready, rest): (Vec<_>, Vec<_>) = built_hours
            .into_iter()
            .partition(|h| h.parents.ids().iter().all(|p| placed.contains(p)));
        for h in ready {
            placed.insert(h.id.clone());
            import.hours_of_operation.push(h);
            applied.entities += 1;
        }
        if rest.len() == before {
            return Err(at(
                path,
                format!(
                    "the parents of hours of operation {} form a cycle",
                    rest[0].name
                ),
            ));
        }
        built_hours = rest;
    }

    // ---- queues ----------------------------------------------------------------------------
    let mut queues = Names::default();
    for (id, name) in &have.queues {
        queues.add(id, name, true);
    }
    let mut planned_queues = Vec::new();
    for (n, q) in e.queues.iter().enumerate() {
        let p = format!("{path}.Queues[{n}]");
        check_name(&p, &q.name, 127)?;
        description(&p, &q.description, 1)?;
        if let Place::New(id) = queues.place(&p, "queue", &q.id, &q.name)? {
            planned_queues.push((p, id, q));
        } else {
            applied.existing += 1;
        }
    }
    if defaults && !queues.has_name(dq::BASIC_QUEUE) {
        let hours_id = hours
            .resolve(dhours::BASIC_HOURS)
            .ok_or_else(|| missing(path, "hours of operation", dhours::BASIC_HOURS))?;
        let basic = Queue::basic(new_id(), hours_id, fresh.clone());
        queues.add(&basic.id, &basic.name, false);
        import.queues.push(basic);
        applied.entities += 1;
    }
    let mut offers: Vec<(String, String, &Vec<String>)> = Vec::new();
    for (p, id, q) in planned_queues {
        if !q.quick_connects.is_empty() {
            offers.push((p.clone(), id.clone(), &q.quick_connects));
        }
        let hours_id = hours.resolve(&q.hours_of_operation).ok_or_else(|| {
            missing(
                &format!("{p}.HoursOfOperation"),
                "hours of operation",
                &q.hours_of_operation,
            )
        })?;
        let caller = match &q.outbound_caller_config {
            Some(c) => OutboundCaller::new(
                "OutboundCallerConfig",
                c.outbound_caller_id_name.clone(),
                c.outbound_caller_id_number_id.clone(),
                c.outbound_flow_id.clone(),
            )
            .map_err(|e| dom(&p, e))?,
            None => OutboundCaller::default(),
        };
        if let Some(max) = q.max_contacts {
            if max < 0 {
                return Err(at(&format!("{p}.MaxContacts"), "must be 0 or more"));
            }
        }
        import.queues.push(Queue {
            description: q.description.clone(),
            max_contacts: q.max_contacts,
            status: match &q.status {
                Some(s) => QueueStatus::parse("Status", s).map_err(|e| dom(&p, e))?,
                None => QueueStatus::Enabled,
            },
            outbound_caller: caller,
            outbound_email_address_id: q.outbound_email_address_id.clone(),
            tags: tags(&p, &q.tags)?,
            ..Queue::new(
                id,
                q.name.clone(),
                hours_id,
                m(&p, &q.last_modified_time, &q.last_modified_region)?,
            )
        });
        applied.entities += 1;
    }
    if have.queues.len() + import.queues.len() > dq::MAX_PER_INSTANCE as usize {
        return Err(at(
            path,
            format!(
                "an instance holds at most {} standard queues",
                dq::MAX_PER_INSTANCE
            ),
        ));
    }

    // ---- routing profiles ----------------------------------------------------------------
    let mut routing = Names::default();
    for r in &have.routing_profiles {
        routing.add(&r.id, &r.name, true);
    }
    let mut planned_routing = Vec::new();
    for (n, r) in e.routing_profiles.iter().enumerate() {
        let p = format!("{path}.RoutingProfiles[{n}]");
        check_name(&p, &r.name, 127)?;
        for (k, c) in r.media_concurrencies.iter().enumerate() {
            let f = member("MediaConcurrencies").index(k);
            model(
                &p,
                check::one_of(
                    &f.member("Channel"),
                    &c.channel,
                    &["VOICE", "CHAT", "TASK", "EMAIL"],
                ),
            )?;
            model(
                &p,
                check::range(
                    &f.member("Concurrency"),
                    c.concurrency as f64,
                    Some(0.0),
                    Some(10.0),
                ),
            )?;
        }
        for (k, c) in r.queue_configs.iter().enumerate() {
            let f = member("QueueConfigs").index(k);
            model(
                &p,
                check::range(
                    &f.member("Priority"),
                    c.priority as f64,
                    Some(1.0),
                    Some(99.0),
                ),
            )?;
            model(
                &p,
                check::range(&f.member("Delay"), c.delay as f64, Some(0.0), Some(9999.0)),
            )?;
        }
        if let Place::New(id) = routing.place(&p, "routing profile", &r.id, &r.name)? {
            if r.is_default
                && (!is_new
                    || planned_routing
                        .iter()
                        .any(|(_, _, o): &(String, String, &RoutingProfileEntry)| o.is_default))
            {
                return Err(at(
                    &format!("{p}.IsDefault"),
                    "an instance has one default routing profile, made with the instance",
                ));
            }
            planned_routing.push((p, id, r));
        } else {
            applied.existing += 1;
        }
    }
    let has_default = planned_routing.iter().any(|(_, _, r)| r.is_default);
    if defaults && !has_default && !routing.has_name(BASIC_ROUTING_PROFILE) {
        let queue = queues
            .resolve(dq::BASIC_QUEUE)
            .ok_or_else(|| missing(path, "queue", dq::BASIC_QUEUE))?;
        let basic = RoutingProfile::basic(new_id(), queue, fresh.clone());
        routing.add(&basic.id, &basic.name, false);
        import.routing_profiles.push(basic);
        applied.entities += 1;
    }
    for (p, id, r) in planned_routing {
        let queue = |field: &str, q: &str| {
            queues
                .resolve(q)
                .ok_or_else(|| missing(&format!("{p}.{field}"), "queue", q))
        };
        let media: Vec<MediaConcurrency> = r
            .media_concurrencies
            .iter()
            .map(|c| MediaConcurrency {
                channel: c.channel.clone(),
                concurrency: c.concurrency,
                cross_channel_behavior: c.cross_channel_behavior.clone(),
            })
            .collect();
        check_media("MediaConcurrencies", &media).map_err(|e| dom(&p, e))?;
        let mut configs = Vec::new();
        for (k, c) in r.queue_configs.iter().enumerate() {
            configs.push(RoutingProfileQueue {
                queue_id: queue(&format!("QueueConfigs[{k}].Queue"), &c.queue)?,
                channel: c.channel.clone(),
                priority: c.priority,
                delay: c.delay,
            });
        }
        let mut manual = Vec::new();
        for (k, c) in r.manual_assignment_queue_configs.iter().enumerate() {
            manual.push(QueueRef {
                queue_id: queue(
                    &format!("ManualAssignmentQueueConfigs[{k}].Queue"),
                    &c.queue,
                )?,
                channel: c.channel.clone(),
            });
        }
        let description_len = r.description.chars().count();
        if !(1..=250).contains(&description_len) {
            return Err(at(&format!("{p}.Description"), "must be 1-250 characters"));
        }
        let profile = RoutingProfile {
            id,
            name: r.name.clone(),
            description: r.description.clone(),
            default_outbound_queue_id: queue("DefaultOutboundQueue", &r.default_outbound_queue)?,
            media_concurrencies: media,
            queues: Vec::new(),
            manual_queues: Vec::new(),
            agent_availability_timer: r.agent_availability_timer.clone(),
            is_default: r.is_default,
            tags: tags(&p, &r.tags)?,
            modified: m(&p, &r.last_modified_time, &r.last_modified_region)?,
        }
        .with_queues(configs, manual)
        .map_err(|e| dom(&p, e))?;
        import.routing_profiles.push(profile);
        applied.entities += 1;
    }

    // ---- predefined attributes --------------------------------------------------------------
    let mut values: HashMap<String, Vec<String>> = have
        .attributes
        .iter()
        .map(|a| (a.name.clone(), a.values.clone()))
        .collect();
    for (n, a) in e.predefined_attributes.iter().enumerate() {
        let p = format!("{path}.PredefinedAttributes[{n}]");
        check_name(&p, &a.name, 100)?;
        model(
            &p,
            check::count(&member("Purposes"), a.purposes.len(), 0, 10),
        )?;
        if have.attributes.iter().any(|s| s.name == a.name) {
            applied.existing += 1;
            continue;
        }
        if import
            .predefined_attributes
            .iter()
            .any(|s| s.name == a.name)
        {
            return Err(at(
                &p,
                format!("a predefined attribute named {} is listed twice", a.name),
            ));
        }
        dp::validate_values("Values", &a.values).map_err(|e| dom(&p, e))?;
        values.insert(a.name.clone(), a.values.clone());
        import.predefined_attributes.push(PredefinedAttribute {
            name: a.name.clone(),
            values: a.values.clone(),
            purposes: a.purposes.clone(),
            enable_value_validation_on_association: a.enable_value_validation_on_association,
            modified: m(&p, &a.last_modified_time, &a.last_modified_region)?,
        });
        applied.entities += 1;
    }

    // ---- users ------------------------------------------------------------------------------
    let mut users = Names::folded();
    for (id, name) in &have.users {
        users.add(id, name, true);
    }
    let mut hashing = Vec::new();
    for (n, u) in e.users.iter().enumerate() {
        let p = format!("{path}.Users[{n}]");
        let username = Username::parse(&u.username, idm).map_err(|e| dom(&p, e))?;
        let id = match users.place(&p, "user", &u.id, &u.username)? {
            Place::Stored => {
                applied.existing += 1;
                continue;
            }
            Place::New(id) => id,
        };
        let password = match (&u.password, &u.password_hash) {
            (Some(_), Some(_)) => {
                return Err(at(
                    &format!("{p}.PasswordHash"),
                    "cannot be given together with Password",
                ))
            }
            (plain, None) => password_for(plain.as_deref(), idm)
                .map_err(|e| dom(&p, e))?
                .map(Secret::Plain),
            (None, Some(hash)) => {
                if idm != IdentityManagementType::ConnectManaged {
                    return Err(at(
                        &format!("{p}.PasswordHash"),
                        format!(
                            "must not be given for instances using {} identity management",
                            idm.as_str()
                        ),
                    ));
                }
                check_hash(&format!("{p}.PasswordHash"), hash)?;
                Some(Secret::Hash(hash.clone()))
            }
        };
        let identity = u
            .identity_info
            .as_ref()
            .map(|i| IdentityInfo {
                first_name: i.first_name.clone(),
                last_name: i.last_name.clone(),
                email: i.email.clone(),
                secondary_email: i.secondary_email.clone(),
                mobile: i.mobile.clone(),
            })
            .unwrap_or_default();
        identity
            .validate("IdentityInfo", idm)
            .map_err(|e| dom(&p, e))?;
        du::validate_directory_user_id(u.directory_user_id.as_deref(), idm)
            .map_err(|e| dom(&p, e))?;
        let mut sp = Vec::new();
        for (k, r) in u.security_profiles.iter().enumerate() {
            sp.push(profiles.resolve(r).ok_or_else(|| {
                missing(&format!("{p}.SecurityProfiles[{k}]"), "security profile", r)
            })?);
        }
        let security_profile_ids = SecurityProfileIds::parse(sp).map_err(|e| dom(&p, e))?;
        let routing_profile_id = routing.resolve(&u.routing_profile).ok_or_else(|| {
            missing(
                &format!("{p}.RoutingProfile"),
                "routing profile",
                &u.routing_profile,
            )
        })?;
        let hierarchy_group_id =
            match &u.hierarchy_group {
                None => None,
                Some(r) => Some(groups.resolve(r).ok_or_else(|| {
                    missing(&format!("{p}.HierarchyGroup"), "hierarchy group", r)
                })?),
            };
        let config = user_config(u).map_err(|e| dom(&p, e))?;
        let modified = m(&p, &u.last_modified_time, &u.last_modified_region)?;
        let mut proficiencies = Vec::new();
        for (k, x) in u.proficiencies.iter().enumerate() {
            let f = format!("{p}.Proficiencies[{k}]");
            dp::validate_level("Level", x.level).map_err(|e| dom(&f, e))?;
            let known = values
                .get(&x.attribute_name)
                .is_some_and(|v| v.contains(&x.attribute_value));
            if !known {
                return Err(at(
                    &f,
                    format!(
                        "no predefined attribute {} with value {} in the file or the instance",
                        x.attribute_name, x.attribute_value
                    ),
                ));
            }
            if proficiencies.iter().any(|q: &UserProficiency| {
                q.attribute_name == x.attribute_name && q.attribute_value == x.attribute_value
            }) {
                return Err(at(&f, "is listed twice"));
            }
            proficiencies.push(UserProficiency {
                attribute_name: x.attribute_name.clone(),
                attribute_value: x.attribute_value.clone(),
                level: x.level,
            });
        }
        if !proficiencies.is_empty() || u.proficiencies_last_modified_time.is_some() {
            let stamp = stamp(
                &format!("{p}.Proficiencies"),
                &u.proficiencies_last_modified_time,
                &u.proficiencies_last_modified_region,
                now,
                &region,
            )?;
            import
                .user_proficiencies
                .push((id.clone(), proficiencies, stamp));
        }
        hashing.push(password);
        import.users.push(User {
            id,
            username,
            identity,
            directory_user_id: u.directory_user_id.clone(),
            password_hash: None,
            security_profile_ids,
            routing_profile_id,
            hierarchy_group_id,
            config,
            tags: tags(&p, &u.tags)?,
            modified,
        });
        applied.entities += 1;
    }
    // ---- quick connects ---------------------------------------------------------------------
    let mut quick = Names::default();
    for (id, name) in &have.quick_connects {
        quick.add(id, name, true);
    }
    for (n, q) in e.quick_connects.iter().enumerate() {
        let p = format!("{path}.QuickConnects[{n}]");
        check_name(&p, &q.name, 127)?;
        description(&p, &q.description, 1)?;
        let id = match quick.place(&p, "quick connect", &q.id, &q.name)? {
            Place::Stored => {
                applied.existing += 1;
                continue;
            }
            Place::New(id) => id,
        };
        let c = &q.quick_connect_config;
        let field = "QuickConnectConfig";
        let user = match &c.user_config {
            None => None,
            Some(u) => Some((
                users.resolve(&u.user).ok_or_else(|| {
                    missing(&format!("{p}.{field}.UserConfig.User"), "user", &u.user)
                })?,
                u.contact_flow_id.as_str(),
            )),
        };
        let queue = match &c.queue_config {
            None => None,
            Some(r) => Some((
                queues.resolve(&r.queue).ok_or_else(|| {
                    missing(&format!("{p}.{field}.QueueConfig.Queue"), "queue", &r.queue)
                })?,
                r.contact_flow_id.as_str(),
            )),
        };
        let destination = Destination::parse(
            field,
            &c.quick_connect_type,
            ConfigParts {
                user: user.as_ref().map(|(id, f)| (id.as_str(), *f)),
                queue: queue.as_ref().map(|(id, f)| (id.as_str(), *f)),
                phone: c.phone_config.as_ref().map(|x| x.phone_number.as_str()),
                flow: c.flow_config.as_ref().map(|x| x.contact_flow_id.as_str()),
            },
        )
        .map_err(|e| dom(&p, e))?;
        import.quick_connects.push(QuickConnect {
            id,
            name: q.name.clone(),
            description: q.description.clone(),
            destination,
            tags: tags(&p, &q.tags)?,
            modified: m(&p, &q.last_modified_time, &q.last_modified_region)?,
        });
        applied.entities += 1;
    }
    if have.quick_connects.len() + import.quick_connects.len() > dqc::MAX_PER_INSTANCE as usize {
        return Err(at(
            path,
            format!(
                "an instance holds at most {} quick connects",
                dqc::MAX_PER_INSTANCE
            ),
        ));
    }
    for (p, queue_id, refs) in offers {
        let mut ids = Vec::new();
        for (k, r) in refs.iter().enumerate() {
            let id = quick
                .resolve(r)
                .ok_or_else(|| missing(&format!("{p}.QuickConnects[{k}]"), "quick connect", r))?;
            if ids.contains(&id) {
                return Err(at(
                    &format!("{p}.QuickConnects[{k}]"),
                    format!("quick connect {r} is listed twice"),
                ));
            }
            ids.push(id);
        }
        let stamp = import
            .queues
            .iter()
            .find(|q| q.id == queue_id)
            .map(|q| q.modified.clone())
            .unwrap_or_else(|| fresh.clone());
        import.queue_quick_connects.push((queue_id, ids, stamp));
    }

    if have.users.len() + import.users.len() > max_users as usize {
        return Err(at(path, format!("the instance would hold {} users, more than the quota of {max_users} (--max-users-per-instance raises it)", have.users.len() + import.users.len())));
    }
    // Hash the plain passwords off the async workers, one thread per core.
    let hashes = tokio::task::spawn_blocking(move || hash_all(hashing))
        .await
        .map_err(|e| at(path, format!("password hashing failed: {e}")))?;
    for (user, hash) in import.users.iter_mut().zip(hashes) {
        user.password_hash = hash;
    }
    Ok(import)
}

/// A security profile's `GranularAccessControlConfiguration`, each value checked.
fn granular(path: &str, g: &GranularEntry) -> Result<GranularAccessControl, Refusal> {
    let data_table = match &g.data_table_access_control_configuration {
        None => None,
        Some(d) => Some(DataTableAccessControl {
            primary_attributes: match &d.primary_attribute_access_control_configuration {
                None => None,
                Some(p) => Some(PrimaryAttributeAccessControl {
                    values: match &p.primary_attribute_values {
                        None => None,
                        Some(values) => Some(
                            values
                                .iter()
                                .enumerate()
                                .map(|(i, v)| {
                                    let field = format!(
                                        "GranularAccessControlConfiguration.DataTableAccessControlConfiguration.\
                                         PrimaryAttributeAccessControlConfiguration.PrimaryAttributeValues[{i}]"
                                    );
                                    PrimaryAttributeValue::new(
                                        &field,
                                        v.access_type.clone(),
                                        v.attribute_name.clone(),
                                        v.values.clone(),
                                    )
                                    .map_err(|e| dom(path, e))
                                })
                                .collect::<Result<Vec<_>, Refusal>>()?,
                        ),
                    },
                }),
            },
        }),
    };
    Ok(GranularAccessControl { data_table })
}

/// The stored hash of each user's secret, in order; argon2id is slow on purpose, so
/// the plain passwords are hashed on as many threads as there are cores.
fn hash_all(secrets: Vec<Option<Secret>>) -> Vec<Option<String>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let chunk = secrets.len().div_ceil(threads).max(1);
    let hash = |s: Option<Secret>| match s {
        Some(Secret::Plain(p)) => Some(p.hash()),
        Some(Secret::Hash(h)) => Some(h),
        None => None,
    };
    let mut chunks: Vec<Vec<Option<Secret>>> = Vec::new();
    let mut rest = secrets.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(chunk).collect());
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|c| scope.spawn(move || c.into_iter().map(hash).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("hashing a password does not panic"))
            .collect()
    })
}

enum Secret {
    Plain(roster_domain::password::Password),
    Hash(String),
}

/// An argon2id hash in PHC string form.
fn check_hash(path: &str, hash: &str) -> Result<(), Refusal> {
    match argon2::PasswordHash::new(hash) {
        Ok(h) if h.algorithm.as_str() == "argon2id" && h.hash.is_some() && h.salt.is_some() => {
            Ok(())
        }
        _ => Err(at(
            path,
            "must be an argon2id hash in PHC form ($argon2id$v=19$m=...,t=...,p=...$salt$hash)",
        )),
    }
}

/// The user's per-channel settings from the lists and the `PhoneConfig` given, as
/// CreateUser makes them.
fn user_config(u: &UserEntry) -> Result<UserConfig, DomainError> {
    let lists = ConfigChange {
        auto_accept: entries(&u.auto_accept_configs, "AutoAcceptConfigs", |f, e| {
            Ok(AutoAcceptEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                auto_accept: e.auto_accept,
                agent_first_callback_auto_accept: e.agent_first_callback_auto_accept,
            })
        })?,
        after_contact_work: entries(
            &u.after_contact_work_configs,
            "AfterContactWorkConfigs",
            |f, e| {
                Ok(AfterContactWorkEntry {
                    channel: Channel::parse(&f("Channel"), &e.channel)?,
                    after_contact_work: AcwSeconds::parse(
                        &f("AfterContactWorkTimeLimit"),
                        e.after_contact_work_time_limit,
                    )?,
                    agent_first_callback_after_contact_work: e
                        .agent_first_callback_after_contact_work_time_limit
                        .map(|s| {
                            AcwSeconds::parse(&f("AgentFirstCallbackAfterContactWorkTimeLimit"), s)
                        })
                        .transpose()?,
                })
            },
        )?,
        phone_numbers: entries(&u.phone_number_configs, "PhoneNumberConfigs", |f, e| {
            Ok(PhoneNumberEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                phone_type: PhoneType::parse(&f("PhoneType"), &e.phone_type)?,
                phone_number: e.phone_number.clone(),
            })
        })?,
        persistent_connection: entries(
            &u.persistent_connection_configs,
            "PersistentConnectionConfigs",
            |f, e| {
                Ok(PersistentConnectionEntry {
                    channel: Channel::parse(&f("Channel"), &e.channel)?,
                    persistent_connection: e.persistent_connection,
                })
            },
        )?,
        voice_enhancement: entries(
            &u.voice_enhancement_configs,
            "VoiceEnhancementConfigs",
            |f, e| {
                Ok(VoiceEnhancementEntry {
                    channel: Channel::parse(&f("Channel"), &e.channel)?,
                    mode: VoiceEnhancementMode::parse(
                        &f("VoiceEnhancementMode"),
                        &e.voice_enhancement_mode,
                    )?,
                })
            },
        )?,
    };
    lists.validate()?;
    let phone = match &u.phone_config {
        Some(p) => PhoneConfigChange {
            phone_type: p
                .phone_type
                .as_deref()
                .map(|t| PhoneType::parse("PhoneConfig.PhoneType", t))
                .transpose()?,
            auto_accept: p.auto_accept,
            after_contact_work: p
                .after_contact_work_time_limit
                .map(|s| AcwSeconds::parse("PhoneConfig.AfterContactWorkTimeLimit", s))
                .transpose()?,
            desk_phone_number: p.desk_phone_number.clone(),
            persistent_connection: p.persistent_connection,
        },
        None => PhoneConfigChange::default(),
    };
    lists.check_no_overlap(&phone)?;
    let mut config = UserConfig::default();
    config.apply(&lists)?;
    config.apply_phone_config(&phone)?;
    Ok(config)
}
