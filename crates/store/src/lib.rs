//! The storage contract of roster. Every backend (the embedded SQLite store, the
//! PostgreSQL store) implements [`Store`]; the test suite in `suite` (compiled with
//! the `suite` feature) runs against each of them, so they behave the same.
//!
//! Each method is one atomic unit: it either applies entirely and durably (on disk,
//! or committed) before it returns `Ok`, or changes nothing. Every method that acts
//! inside an instance takes an [`InstanceRef`] and answers `NotFound(Instance)` when
//! that instance does not exist in the caller's account and region.

use async_trait::async_trait;
use roster_domain::arn::ResourceKind;
use roster_domain::entities::{Queue, QueueType, RoutingProfile, SecurityProfile};
use roster_domain::hierarchy::{HierarchyGroup, HierarchyStructure};
use roster_domain::hours::{HoursChange, HoursOfOperation};
use roster_domain::instance::{Instance, InstanceAttributeType};
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::queues::{QueueChange, QueueSummary};
use roster_domain::quick_connect::{QuickConnect, QuickConnectChange, QuickConnectType};
use roster_domain::search::Condition;
use roster_domain::security::SecurityProfileUpdate;
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::user::User;
use roster_domain::{DomainError, InstanceRef, Scope};

pub mod columns;
pub mod sql;
#[cfg(feature = "suite")]
pub mod suite;

/// Why a store call did not apply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The resource addressed (or the instance it lives in) does not exist.
    #[error("{} {id} not found", kind.as_str())]
    NotFound { kind: ResourceKind, id: String },
    /// A unique name is taken (usernames compare case-insensitively).
    #[error("{what} already exists")]
    Duplicate { what: String },
    /// The resource is still used and cannot be deleted or removed.
    #[error("{} {id} is in use: {why}", kind.as_str())]
    InUse {
        kind: ResourceKind,
        id: String,
        why: String,
    },
    /// A change names a resource that does not exist in the instance.
    #[error("{} {id} does not exist in the instance", kind.as_str())]
    MissingReference { kind: ResourceKind, id: String },
    /// A hierarchy group names a level the structure does not have.
    #[error("hierarchy level {level} does not exist")]
    MissingLevel { level: usize },
    /// The instance holds as many users as it may.
    #[error("the instance already has {limit} users")]
    UserLimit { limit: u64 },
    /// The instance holds as many resources of this kind as it may.
    #[error("the instance already has {limit} of kind {}", kind.as_str())]
    QuotaReached { kind: ResourceKind, limit: u64 },
    /// An edit refused the stored state.
    #[error(transparent)]
    Rejected(#[from] DomainError),
    /// The backend failed; the text is for logs, never for clients.
    #[error("storage failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Where a page of a listing starts: after the item whose id is `after`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<String>,
    /// How many items at most. Backends return up to `limit` items.
    pub limit: usize,
}

/// A resource inside an instance, as tag calls address it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    pub kind: ResourceKind,
    /// The resource's id; for the instance itself, the instance id.
    pub id: String,
}

/// Everything a new instance holds, created in one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInstance {
    pub instance: Instance,
    pub tags: Tags,
    pub attributes: Vec<(InstanceAttributeType, bool)>,
    pub security_profiles: Vec<SecurityProfile>,
    pub hours_of_operation: Vec<HoursOfOperation>,
    pub queues: Vec<Queue>,
    pub routing_profiles: Vec<RoutingProfile>,
}

/// What a seed file adds to one instance, written in one unit: the instance itself when
/// it is new, then each list in order. Every entity keeps the id and timestamps it
/// carries; the rules of the matching `create_*` method apply to each (names unique,
/// references existing, parents before their children), and any failure writes nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub at: InstanceRef,
    /// The instance, when it does not exist yet. Its default resources are not added:
    /// the lists below carry whatever the instance holds.
    pub instance: Option<NewInstance>,
    /// Replaces the hierarchy structure when set.
    pub hierarchy_structure: Option<HierarchyStructure>,
    /// Parents before their children.
    pub hierarchy_groups: Vec<HierarchyGroup>,
    pub security_profiles: Vec<SecurityProfile>,
    /// Parents before the hours that name them.
    pub hours_of_operation: Vec<HoursOfOperation>,
    pub queues: Vec<Queue>,
    pub routing_profiles: Vec<RoutingProfile>,
    pub predefined_attributes: Vec<PredefinedAttribute>,
    pub users: Vec<User>,
    /// Proficiencies of users (new or existing), each list stamped with its time.
    pub user_proficiencies: Vec<(String, Vec<UserProficiency>, Modified)>,
    pub quick_connects: Vec<QuickConnect>,
    /// Quick connects a queue offers: the queue, their ids, and the time the queue is
    /// stamped with.
    pub queue_quick_connects: Vec<(String, Vec<String>, Modified)>,
    /// The users quota the users are created under.
    pub max_users: u64,
}

impl Import {
    /// An import into `at` that writes nothing yet, under a users quota of `max_users`.
    pub fn new(at: InstanceRef, max_users: u64) -> Import {
        Import {
            at,
            instance: None,
            hierarchy_structure: None,
            hierarchy_groups: Vec::new(),
            security_profiles: Vec::new(),
            hours_of_operation: Vec::new(),
            queues: Vec::new(),
            routing_profiles: Vec::new(),
            predefined_attributes: Vec::new(),
            users: Vec::new(),
            user_proficiencies: Vec::new(),
            quick_connects: Vec::new(),
            queue_quick_connects: Vec::new(),
            max_users,
        }
    }
}

/// A pure change to a stored user, applied inside the store's transaction so that
/// read-modify-write is atomic. Returning `Err` leaves the user unchanged.
pub type UserEdit = Box<dyn FnOnce(&mut User) -> Result<(), DomainError> + Send>;

/// A pure change to a stored routing profile, applied inside the store's transaction.
/// Returning `Err` leaves the profile unchanged.
pub type RoutingProfileEdit =
    Box<dyn FnOnce(&mut RoutingProfile) -> Result<(), DomainError> + Send>;

/// Where a page of search results starts: after this user in (lowered username, id)
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCursor {
    pub username_lower: String,
    pub id: String,
}

/// One page of a user search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub condition: Condition,
    pub after: Option<UserCursor>,
    /// How many users at most.
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    /// Matching users in (lowered username, id) order, after the cursor.
    pub users: Vec<User>,
    /// How many users of the instance match the condition, on every page.
    pub total: u64,
}

/// Users are listed in id order; summaries carry what ListUsers shows.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub modified: Modified,
}

/// Told of each durable write a backend commits: how many store calls the commit
/// made durable together and how long the commit itself (its fsync) took. For
/// instruments: it runs on the writing thread, so it must be quick and never block.
pub trait CommitObserver: Send + Sync + 'static {
    fn committed(&self, calls: usize, commit: std::time::Duration);
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A short name of the backend for logs ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    /// Finishes queued writes and releases the backend's resources. Called once, at
    /// shutdown, after the last request; later calls may fail.
    async fn close(&self) {}

    // ---- instances ------------------------------------------------------------------

    /// Creates an instance with its default resources. An alias already used in the
    /// scope is `Duplicate`.
    async fn create_instance(&self, new: NewInstance) -> StoreResult<()>;
    async fn get_instance(&self, scope: &Scope, instance_id: &str) -> StoreResult<Instance>;
    /// Instances of the scope in id order.
    async fn list_instances(&self, scope: &Scope, page: &PageRequest)
        -> StoreResult<Vec<Instance>>;
    /// Deletes the instance and everything in it.
    async fn delete_instance(&self, scope: &Scope, instance_id: &str) -> StoreResult<()>;
    async fn instance_tags(&self, at: &InstanceRef) -> StoreResult<Tags>;
    /// Every account and Region that holds an instance, in (account, Region) order.
    async fn list_scopes(&self) -> StoreResult<Vec<Scope>>;
    /// Writes everything `import` carries in one unit (see [`Import`]).
    async fn import(&self, import: Import) -> StoreResult<()>;

    async fn get_instance_attribute(
        &self,
        at: &InstanceRef,
        attribute: InstanceAttributeType,
    ) -> StoreResult<bool>;
    async fn set_instance_attribute(
        &self,
        at: &InstanceRef,
        attribute: InstanceAttributeType,
        value: bool,
    ) -> StoreResult<()>;
    /// All attributes in the order of [`InstanceAttributeType::ALL`].
    async fn list_instance_attributes(
        &self,
        at: &InstanceRef,
    ) -> StoreResult<Vec<(InstanceAttributeType, bool)>>;

    // ---- security profiles, routing profiles, queues ---------------------------------

    /// A name already used by a profile of the instance is `Duplicate`; a hierarchy
    /// group it restricts access to must exist in the instance (`MissingReference`).
    async fn create_security_profile(
        &self,
        at: &InstanceRef,
        profile: SecurityProfile,
    ) -> StoreResult<()>;
    async fn get_security_profile(
        &self,
        at: &InstanceRef,
        id: &str,
    ) -> StoreResult<SecurityProfile>;
    async fn list_security_profiles(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<SecurityProfile>>;
    /// `InUse` while any user holds it.
    async fn delete_security_profile(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;

    // ---- security profiles: updates --------------------------------------------------

    /// Applies `update` to the stored profile atomically. A hierarchy group the result
    /// restricts access to must exist in the instance (`MissingReference`).
    async fn update_security_profile(
        &self,
        at: &InstanceRef,
        id: &str,
        update: SecurityProfileUpdate,
    ) -> StoreResult<()>;

    /// A name already used is `Duplicate`; queues it names must exist (`MissingReference`).
    async fn create_routing_profile(
        &self,
        at: &InstanceRef,
        profile: RoutingProfile,
    ) -> StoreResult<()>;
    async fn get_routing_profile(&self, at: &InstanceRef, id: &str) -> StoreResult<RoutingProfile>;
    async fn list_routing_profiles(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<RoutingProfile>>;
    /// Applies `edit` to the stored profile atomically and stores the result: a name
    /// another profile of the instance has is `Duplicate`; every queue it names (the
    /// default outbound queue, routed and manual assignment queues) must be a standard
    /// queue of the instance (`MissingReference`). Tags are not changed by edits.
    async fn update_routing_profile(
        &self,
        at: &InstanceRef,
        id: &str,
        edit: RoutingProfileEdit,
    ) -> StoreResult<RoutingProfile>;
    /// `InUse` while any user holds it, and for the instance's default profile.
    async fn delete_routing_profile(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;
    /// How many users hold the routing profile.
    async fn routing_profile_user_count(&self, at: &InstanceRef, id: &str) -> StoreResult<u64>;

    // ---- queues -----------------------------------------------------------------------

    /// Creates a standard queue. A name another queue of the instance has is
    /// `Duplicate`; hours of operation that are not the instance's are
    /// `MissingReference`; an instance already holding
    /// [`roster_domain::queues::MAX_PER_INSTANCE`] standard queues is `QuotaReached`.
    /// The queue offers `quick_connect_ids` from the start; one that is not a quick
    /// connect of the instance is `MissingReference`, and nothing is written.
    async fn create_queue(
        &self,
        at: &InstanceRef,
        queue: Queue,
        quick_connect_ids: &[String],
    ) -> StoreResult<()>;
    /// A standard queue of the instance (agent queues are not stored: `NotFound`).
    async fn get_queue(&self, at: &InstanceRef, id: &str) -> StoreResult<Queue>;
    /// Queues of the given types (all when empty), in id order: the standard queues,
    /// and one agent queue per user of the instance, with the user's id and no name.
    async fn list_queues(
        &self,
        at: &InstanceRef,
        types: &[QueueType],
        page: &PageRequest,
    ) -> StoreResult<Vec<QueueSummary>>;
    /// Applies `change` to the stored standard queue atomically, stamped with
    /// `modified`. A new name another queue has is `Duplicate`; new hours of operation
    /// that are not the instance's are `MissingReference`.
    async fn update_queue(
        &self,
        at: &InstanceRef,
        id: &str,
        change: QueueChange,
        modified: &Modified,
    ) -> StoreResult<()>;
    /// `InUse` while a routing profile routes the queue (as a routed or a manual
    /// assignment queue) or has it as its default outbound queue; `why` names the
    /// first such profile in id order.
    async fn delete_queue(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;

    // ---- hours of operation -------------------------------------------------------------

    /// Creates hours of operation. A name already used in the instance is `Duplicate`;
    /// a parent that is not hours of operation of the instance is `MissingReference`;
    /// an instance already holding [`roster_domain::hours::MAX_PER_INSTANCE`] is
    /// `QuotaReached`.
    async fn create_hours_of_operation(
        &self,
        at: &InstanceRef,
        hours: HoursOfOperation,
    ) -> StoreResult<()>;
    async fn get_hours_of_operation(
        &self,
        at: &InstanceRef,
        id: &str,
    ) -> StoreResult<HoursOfOperation>;
    async fn list_hours_of_operations(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<HoursOfOperation>>;
    /// Applies `change` to the stored hours atomically, stamped with `modified`. A name
    /// used by other hours of the instance is `Duplicate`.
    async fn update_hours_of_operation(
        &self,
        at: &InstanceRef,
        id: &str,
        change: HoursChange,
        modified: &Modified,
    ) -> StoreResult<()>;
    /// `InUse` while a queue uses the hours or other hours name them as a parent.
    async fn delete_hours_of_operation(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;

    // ---- quick connects -------------------------------------------------------------------

    /// Creates a quick connect. A name already used in the instance is `Duplicate`; the
    /// user of a USER quick connect must be a user of the instance, the queue of a QUEUE
    /// one a standard queue of it (`MissingReference`); an instance already holding
    /// [`roster_domain::quick_connect::MAX_PER_INSTANCE`] is `QuotaReached`.
    async fn create_quick_connect(
        &self,
        at: &InstanceRef,
        quick_connect: QuickConnect,
    ) -> StoreResult<()>;
    async fn get_quick_connect(&self, at: &InstanceRef, id: &str) -> StoreResult<QuickConnect>;
    /// Quick connects of the given types (all when empty), in id order.
    async fn list_quick_connects(
        &self,
        at: &InstanceRef,
        types: &[QuickConnectType],
        page: &PageRequest,
    ) -> StoreResult<Vec<QuickConnect>>;
    /// Applies `change` to the stored quick connect atomically, stamped with
    /// `modified`. A name used by another quick connect of the instance is `Duplicate`;
    /// a new destination's user or standard queue must exist (`MissingReference`).
    async fn update_quick_connect(
        &self,
        at: &InstanceRef,
        id: &str,
        change: QuickConnectChange,
        modified: &Modified,
    ) -> StoreResult<()>;
    /// `InUse` while a queue offers it.
    async fn delete_quick_connect(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;
    /// Makes the queue offer the quick connects (those it offers already stay) and
    /// stamps the queue with `modified`. A queue not in the instance is
    /// `NotFound(Queue)`; an id that is not a quick connect of the instance is
    /// `MissingReference(QuickConnect)`, and nothing changes.
    async fn associate_queue_quick_connects(
        &self,
        at: &InstanceRef,
        queue_id: &str,
        quick_connect_ids: &[String],
        modified: &Modified,
    ) -> StoreResult<()>;
    /// Makes the queue stop offering the quick connects (those it does not offer are
    /// ignored) and stamps the queue with `modified`; errors as
    /// [`Store::associate_queue_quick_connects`].
    async fn disassociate_queue_quick_connects(
        &self,
        at: &InstanceRef,
        queue_id: &str,
        quick_connect_ids: &[String],
        modified: &Modified,
    ) -> StoreResult<()>;
    /// The quick connects the queue offers, in id order, and when the queue last
    /// changed. A queue not in the instance is `NotFound(Queue)`.
    async fn list_queue_quick_connects(
        &self,
        at: &InstanceRef,
        queue_id: &str,
        page: &PageRequest,
    ) -> StoreResult<(Vec<QuickConnect>, Modified)>;

    // ---- tags -------------------------------------------------------------------------

    /// Adds or overwrites tags on a resource of the instance (or the instance itself).
    /// More than 50 tags in all afterwards is `Rejected`.
    async fn tag_resource(
        &self,
        at: &InstanceRef,
        resource: &ResourceRef,
        tags: &Tags,
    ) -> StoreResult<()>;
    /// Removes tag keys; keys that are not there are ignored.
    async fn untag_resource(
        &self,
        at: &InstanceRef,
        resource: &ResourceRef,
        keys: &[String],
    ) -> StoreResult<()>;
    async fn list_tags(&self, at: &InstanceRef, resource: &ResourceRef) -> StoreResult<Tags>;

    // ---- users ------------------------------------------------------------------------

    /// Creates a user. A username equal to another's ignoring case is `Duplicate`; a
    /// routing profile, security profile or hierarchy group that does not exist is
    /// `MissingReference`; an instance already holding `max_users` users is `UserLimit`.
    async fn create_user(&self, at: &InstanceRef, user: User, max_users: u64) -> StoreResult<()>;
    /// Creates every user of `users` in one unit: each is checked as `create_user`
    /// checks one, against the instance and against the users before it in the batch
    /// (a username equal to an earlier one's ignoring case is `Duplicate`), and the
    /// instance must have room for all of them (`UserLimit` when it would hold more than
    /// `max_users`). Any refusal is the outcome and nothing is written.
    async fn create_users(
        &self,
        at: &InstanceRef,
        users: Vec<User>,
        max_users: u64,
    ) -> StoreResult<()>;
    async fn get_user(&self, at: &InstanceRef, id: &str) -> StoreResult<User>;
    async fn list_users(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<UserSummary>>;
    /// Applies `edit` to the stored user atomically, checks the references of the
    /// result as `create_user` does, stores it and returns it. Tags are not changed
    /// by edits.
    async fn update_user(&self, at: &InstanceRef, id: &str, edit: UserEdit) -> StoreResult<User>;
    async fn delete_user(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;
    /// How many users the store holds, over every account, Region and instance.
    async fn user_count(&self) -> StoreResult<u64>;

    // ---- hierarchy --------------------------------------------------------------------

    async fn get_hierarchy_structure(&self, at: &InstanceRef) -> StoreResult<HierarchyStructure>;
    /// Replaces the structure. Removing a level that groups use is `InUse`.
    async fn set_hierarchy_structure(
        &self,
        at: &InstanceRef,
        structure: HierarchyStructure,
    ) -> StoreResult<()>;
    /// Creates a group. Its parent (the second-last id of its path) must exist
    /// (`MissingReference`) and its level must exist in the structure (`MissingLevel`);
    /// a name already used in the instance is `Duplicate`.
    async fn create_hierarchy_group(
        &self,
        at: &InstanceRef,
        group: HierarchyGroup,
    ) -> StoreResult<()>;
    async fn get_hierarchy_group(&self, at: &InstanceRef, id: &str) -> StoreResult<HierarchyGroup>;
    async fn list_hierarchy_groups(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<HierarchyGroup>>;
    /// Renames a group; a name used by another group is `Duplicate`.
    async fn rename_hierarchy_group(
        &self,
        at: &InstanceRef,
        id: &str,
        name: &str,
        modified: &Modified,
    ) -> StoreResult<()>;
    /// `InUse` while the group has child groups or users, or a security profile
    /// restricts access to it.
    async fn delete_hierarchy_group(&self, at: &InstanceRef, id: &str) -> StoreResult<()>;

    // ---- proficiencies ----------------------------------------------------------------

    /// A name already used in the instance is `Duplicate`.
    async fn create_predefined_attribute(
        &self,
        at: &InstanceRef,
        attribute: PredefinedAttribute,
    ) -> StoreResult<()>;
    /// `NotFound { kind: PredefinedAttribute, id: name }` when absent.
    async fn get_predefined_attribute(
        &self,
        at: &InstanceRef,
        name: &str,
    ) -> StoreResult<PredefinedAttribute>;
    /// In name order; `page.after` is a name.
    async fn list_predefined_attributes(
        &self,
        at: &InstanceRef,
        page: &PageRequest,
    ) -> StoreResult<Vec<PredefinedAttribute>>;
    /// Replaces the attribute of the same name. Removing a value users hold is `InUse`.
    async fn update_predefined_attribute(
        &self,
        at: &InstanceRef,
        attribute: PredefinedAttribute,
    ) -> StoreResult<()>;
    /// `InUse` while users hold proficiencies in it.
    async fn delete_predefined_attribute(&self, at: &InstanceRef, name: &str) -> StoreResult<()>;
    /// Applies a change to the user's proficiencies atomically. Every proficiency the
    /// change adds or updates must name an existing attribute and one of its values
    /// (`MissingReference { kind: PredefinedAttribute, id: "name=value" }`). Stamps the
    /// user's proficiencies with `modified`.
    async fn change_user_proficiencies(
        &self,
        at: &InstanceRef,
        user_id: &str,
        change: ProficiencyChange,
        modified: &Modified,
    ) -> StoreResult<()>;
    /// The user's proficiencies in (attribute name, value) order, and when they last
    /// changed (`None` if never).
    async fn list_user_proficiencies(
        &self,
        at: &InstanceRef,
        user_id: &str,
    ) -> StoreResult<(Vec<UserProficiency>, Option<Modified>)>;

    // ---- search ---------------------------------------------------------------------

    /// The users of the instance matching the condition, one page at a time, with the
    /// number of all matches. Paging through while others write returns no user twice.
    async fn search_users(
        &self,
        at: &InstanceRef,
        request: &SearchRequest,
    ) -> StoreResult<SearchPage>;
}
