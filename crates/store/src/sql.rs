//! What the two SQL stores share: the store outcomes their checks produce, the report
//! of a stored value they cannot read back, the table of [`Store`](crate::Store)
//! methods and the area functions serving them
//! ([`sql_store_calls!`](crate::sql_store_calls)), and the SQL spellings that do not
//! depend on the database (tables by resource kind, a page's `LIMIT`, proficiency
//! level conditions). Each store keeps its own driver's errors, its placeholder style
//! and its way of running a call.

use roster_domain::arn::ResourceKind;
use roster_domain::search::LevelCondition;
use roster_domain::tags::MAX_TAGS;
use roster_domain::DomainError;

use crate::{PageRequest, StoreError};

// ---- outcomes ------------------------------------------------------------------------
//
// Each is a `StoreError` in whatever error type the store's code returns, so that
// `return Err(not_found(kind, id))` reads the same in both stores.

/// The resource addressed does not exist in the instance.
pub fn not_found<E: From<StoreError>>(kind: ResourceKind, id: &str) -> E {
    StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
    .into()
}

/// A change names a resource that does not exist in the instance.
pub fn missing<E: From<StoreError>>(kind: ResourceKind, id: &str) -> E {
    StoreError::MissingReference {
        kind,
        id: id.to_string(),
    }
    .into()
}

/// A unique name is taken; `what` says which (`User with username 'Bob'`).
pub fn duplicate<E: From<StoreError>>(what: String) -> E {
    StoreError::Duplicate { what }.into()
}

/// The resource is still used; `why` says by what.
pub fn in_use<E: From<StoreError>>(kind: ResourceKind, id: &str, why: String) -> E {
    StoreError::InUse {
        kind,
        id: id.to_string(),
        why,
    }
    .into()
}

/// Why a profile held by `n` users is in use: "1 user holds it" / "3 users hold it".
pub fn holders(n: i64) -> String {
    if n == 1 {
        "1 user holds it".to_string()
    } else {
        format!("{n} users hold it")
    }
}

/// Why hours of operation are in use by `n` queues, `first` (in id order) among them.
pub fn queues_use(n: i64, first: &str) -> String {
    match n {
        1 => format!("queue {first} uses it"),
        _ => format!("{n} queues use it, queue {first} among them"),
    }
}

/// Why hours of operation are in use as the parent of `n` others, `first` among them.
pub fn linked_as_parent(n: i64, first: &str) -> String {
    match n {
        1 => format!("hours of operation {first} link to it as a parent"),
        _ => format!("{n} hours of operation link to it as a parent, {first} among them"),
    }
}

/// Why a quick connect that `n` queues offer, `first` (in id order) among them, is in
/// use.
pub fn queues_offer(n: i64, first: &str) -> String {
    match n {
        1 => format!("queue {first} offers it"),
        _ => format!("{n} queues offer it, queue {first} among them"),
    }
}

/// Why a queue is in use by `n` routing profiles, `first` (in id order, by name and id)
/// among them.
pub fn profiles_route(n: i64, first_name: &str, first_id: &str) -> String {
    match n {
        1 => format!("routing profile {first_name} ({first_id}) routes it"),
        _ => format!(
            "{n} routing profiles route it, routing profile {first_name} ({first_id}) among them"
        ),
    }
}

/// Why a hierarchy group that `n` security profiles restrict access to is in use.
pub fn restricting_profiles(n: i64) -> String {
    if n == 1 {
        "1 security profile restricts access to it".to_string()
    } else {
        format!("{n} security profiles restrict access to it")
    }
}

/// `Rejected` when a resource would carry `count` tags, more than [`MAX_TAGS`].
pub fn tag_limit(count: usize) -> Result<(), StoreError> {
    if count <= MAX_TAGS {
        return Ok(());
    }
    Err(StoreError::Rejected(DomainError::param(
        "tags",
        format!("a resource can have at most {MAX_TAGS} tags"),
    )))
}

/// A stored value that roster would never have written.
pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {what}"))
}

/// Implements the conversions of store outcomes into a store's own error type
/// `$error`, whose variant `Store` holds a [`StoreError`]: a `StoreError` is that
/// variant, and a [`DomainError`] (an edit or a check that refused) is
/// `Store(Rejected)`.
#[macro_export]
macro_rules! store_outcomes {
    ($error:ident) => {
        impl From<$crate::StoreError> for $error {
            fn from(e: $crate::StoreError) -> Self {
                $error::Store(e)
            }
        }

        impl From<$crate::sql::__DomainError> for $error {
            fn from(e: $crate::sql::__DomainError) -> Self {
                $error::Store($crate::StoreError::Rejected(e))
            }
        }
    };
}

/// For [`store_outcomes!`].
#[doc(hidden)]
pub use roster_domain::DomainError as __DomainError;

// ---- the Store methods -----------------------------------------------------------------

/// Hands `$store!` the methods of [`Store`](crate::Store) that a SQL store runs as one
/// call of one of its area functions, after the methods the store writes out itself
/// (the `{ … }`: `backend`, `close`, `create_user`, `create_users`, `update_user`,
/// `search_users`).
/// Each entry is `kind name(parameters as the trait declares them) -> output =
/// area::function;`, the kind being `write`, `read`, or `read_point` (a read of one
/// bounded thing). Both SQL stores have the same area modules and functions, so this
/// table is theirs in common; how a kind runs, and how the parameters reach the area
/// function, is each store's. The names in it resolve where the store invokes it.
#[macro_export]
macro_rules! sql_store_calls {
    ($store:ident! { $($written:tt)* }) => {
        $store! {
            { $($written)* }

            // ---- instances ------------------------------------------------------------------

            write create_instance(new: NewInstance) -> () = instances::create;
            read_point get_instance(scope: &Scope, instance_id: &str) -> Instance = instances::load;
            read list_instances(scope: &Scope, page: &PageRequest) -> Vec<Instance>
                = instances::list;
            write delete_instance(scope: &Scope, instance_id: &str) -> () = instances::delete;
            read_point instance_tags(at: &InstanceRef) -> Tags = tags::of_instance;
            read_point get_instance_attribute(at: &InstanceRef, attribute: InstanceAttributeType)
                -> bool = instances::get_attribute;
            write set_instance_attribute(
                at: &InstanceRef,
                attribute: InstanceAttributeType,
                value: bool,
            ) -> () = instances::set_attribute;
            read list_instance_attributes(at: &InstanceRef) -> Vec<(InstanceAttributeType, bool)>
                = instances::list_attributes;

            // ---- security profiles, routing profiles ------------------------------------------

            write create_security_profile(at: &InstanceRef, profile: SecurityProfile) -> ()
                = security_profiles::create;
            read_point get_security_profile(at: &InstanceRef, id: &str) -> SecurityProfile
                = security_profiles::get;
            read list_security_profiles(at: &InstanceRef, page: &PageRequest)
                -> Vec<SecurityProfile> = security_profiles::list;
            write delete_security_profile(at: &InstanceRef, id: &str) -> ()
                = security_profiles::delete;
            write update_security_profile(
                at: &InstanceRef,
                id: &str,
                update: SecurityProfileUpdate,
            ) -> () = security_profiles::update;
            write create_routing_profile(at: &InstanceRef, profile: RoutingProfile) -> ()
                = routing::create_routing_profile;
            read_point get_routing_profile(at: &InstanceRef, id: &str) -> RoutingProfile
                = routing::get_routing_profile;
            read list_routing_profiles(at: &InstanceRef, page: &PageRequest) -> Vec<RoutingProfile>
                = routing::list_routing_profiles;
            write delete_routing_profile(at: &InstanceRef, id: &str) -> ()
                = routing::delete_routing_profile;
            read routing_profile_user_count(at: &InstanceRef, id: &str) -> u64
                = routing::routing_profile_user_count;

            // ---- queues -----------------------------------------------------------------------

            write create_queue(at: &InstanceRef, queue: Queue, quick_connect_ids: &[String]) -> ()
                = queues::create;
            read_point get_queue(at: &InstanceRef, id: &str) -> Queue = queues::get;
            read list_queues(at: &InstanceRef, types: &[QueueType], page: &PageRequest)
                -> Vec<QueueSummary> = queues::list;
            write update_queue(
                at: &InstanceRef,
                id: &str,
                change: QueueChange,
                modified: &Modified,
            ) -> () = queues::update;
            write delete_queue(at: &InstanceRef, id: &str) -> () = queues::delete;

            // ---- hours of operation -------------------------------------------------------

            write create_hours_of_operation(at: &InstanceRef, hours: HoursOfOperation) -> ()
                = hours::create;
            read_point get_hours_of_operation(at: &InstanceRef, id: &str) -> HoursOfOperation
                = hours::get;
            read list_hours_of_operations(at: &InstanceRef, page: &PageRequest)
                -> Vec<HoursOfOperation> = hours::list;
            write update_hours_of_operation(
                at: &InstanceRef,
                id: &str,
                change: HoursChange,
                modified: &Modified,
            ) -> () = hours::update;
            write delete_hours_of_operation(at: &InstanceRef, id: &str) -> () = hours::delete;

            // ---- quick connects -------------------------------------------------------------

            write create_quick_connect(at: &InstanceRef, quick_connect: QuickConnect) -> ()
                = quick_connects::create;
            read_point get_quick_connect(at: &InstanceRef, id: &str) -> QuickConnect
                = quick_connects::get;
            read list_quick_connects(
                at: &InstanceRef,
                types: &[QuickConnectType],
                page: &PageRequest,
            ) -> Vec<QuickConnect> = quick_connects::list;
            write update_quick_connect(
                at: &InstanceRef,
                id: &str,
                change: QuickConnectChange,
                modified: &Modified,
            ) -> () = quick_connects::update;
            write delete_quick_connect(at: &InstanceRef, id: &str) -> () = quick_connects::delete;
            write associate_queue_quick_connects(
                at: &InstanceRef,
                queue_id: &str,
                quick_connect_ids: &[String],
                modified: &Modified,
            ) -> () = quick_connects::associate;
            write disassociate_queue_quick_connects(
                at: &InstanceRef,
                queue_id: &str,
                quick_connect_ids: &[String],
                modified: &Modified,
            ) -> () = quick_connects::disassociate;
            read list_queue_quick_connects(at: &InstanceRef, queue_id: &str, page: &PageRequest)
                -> (Vec<QuickConnect>, Modified) = quick_connects::list_for_queue;

            // ---- tags -------------------------------------------------------------------------

            write tag_resource(at: &InstanceRef, resource: &ResourceRef, tags: &Tags) -> ()
                = tags::tag;
            write untag_resource(at: &InstanceRef, resource: &ResourceRef, keys: &[String]) -> ()
                = tags::untag;
            read_point list_tags(at: &InstanceRef, resource: &ResourceRef) -> Tags = tags::list;

            // ---- users (creating and editing one is each store's own) -----------------------

            read_point get_user(at: &InstanceRef, id: &str) -> User = users::get;
            read list_users(at: &InstanceRef, page: &PageRequest) -> Vec<UserSummary> = users::list;
            write delete_user(at: &InstanceRef, id: &str) -> () = users::delete;

            // ---- hierarchy --------------------------------------------------------------------

            read_point get_hierarchy_structure(at: &InstanceRef) -> HierarchyStructure
                = hierarchy::get_structure;
            write set_hierarchy_structure(at: &InstanceRef, structure: HierarchyStructure) -> ()
                = hierarchy::set_structure;
            write create_hierarchy_group(at: &InstanceRef, group: HierarchyGroup) -> ()
                = hierarchy::create_group;
            read_point get_hierarchy_group(at: &InstanceRef, id: &str) -> HierarchyGroup
                = hierarchy::get_group;
            read list_hierarchy_groups(at: &InstanceRef, page: &PageRequest) -> Vec<HierarchyGroup>
                = hierarchy::list_groups;
            write rename_hierarchy_group(
                at: &InstanceRef,
                id: &str,
                name: &str,
                modified: &Modified,
            ) -> () = hierarchy::rename_group;
            write delete_hierarchy_group(at: &InstanceRef, id: &str) -> ()
                = hierarchy::delete_group;

            // ---- proficiencies ----------------------------------------------------------------

            write create_predefined_attribute(at: &InstanceRef, attribute: PredefinedAttribute)
                -> () = proficiencies::create;
            read_point get_predefined_attribute(at: &InstanceRef, name: &str) -> PredefinedAttribute
                = proficiencies::get;
            read list_predefined_attributes(at: &InstanceRef, page: &PageRequest)
                -> Vec<PredefinedAttribute> = proficiencies::list;
            write update_predefined_attribute(at: &InstanceRef, attribute: PredefinedAttribute)
                -> () = proficiencies::update;
            write delete_predefined_attribute(at: &InstanceRef, name: &str) -> ()
                = proficiencies::delete;
            write change_user_proficiencies(
                at: &InstanceRef,
                user_id: &str,
                change: ProficiencyChange,
                modified: &Modified,
            ) -> () = proficiencies::change;
            read list_user_proficiencies(at: &InstanceRef, user_id: &str)
                -> (Vec<UserProficiency>, Option<Modified>) = proficiencies::list_for_user;
        }
    };
}

// ---- spellings -----------------------------------------------------------------------

/// The `LIMIT` of a page.
pub fn limit(page: &PageRequest) -> i64 {
    i64::try_from(page.limit).unwrap_or(i64::MAX)
}

/// The table holding taggable resources of `kind`; `None` for the instance itself and
/// for kinds that cannot be tagged.
pub fn tagged_table(kind: ResourceKind) -> Option<&'static str> {
    Some(match kind {
        ResourceKind::Instance => return None,
        ResourceKind::User => "users",
        ResourceKind::SecurityProfile => "security_profiles",
        ResourceKind::RoutingProfile => "routing_profiles",
        ResourceKind::Queue => "queues",
        ResourceKind::HierarchyGroup => "hierarchy_groups",
        ResourceKind::HoursOfOperation => "hours_of_operation",
        ResourceKind::QuickConnect => "quick_connects",
        // Not taggable: no ARN names one, so no tag call reaches here with it.
        ResourceKind::PredefinedAttribute => return None,
    })
}

/// A proficiency level condition as SQL: a comparison of `level` with one value, or a
/// closed range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LevelTest {
    /// `level <op> value`
    Compare(&'static str, f64),
    /// `level BETWEEN low AND high`
    Between(f64, f64),
}

/// The SQL test of `level` that `l` asks for.
pub fn level_test(l: LevelCondition) -> LevelTest {
    match l {
        LevelCondition::GreaterOrEqual(v) => LevelTest::Compare(">=", v),
        LevelCondition::Greater(v) => LevelTest::Compare(">", v),
        LevelCondition::LesserOrEqual(v) => LevelTest::Compare("<=", v),
        LevelCondition::Lesser(v) => LevelTest::Compare("<", v),
        LevelCondition::Equal(v) => LevelTest::Compare("=", v),
        LevelCondition::NotEqual(v) => LevelTest::Compare("<>", v),
        LevelCondition::Range(lo, hi) => LevelTest::Between(lo, hi),
    }
}
