//! From domain and store failures to the API errors the model prescribes.

use roster_api::{ErrorCode, Failure};
use roster_domain::arn::ResourceKind;
use roster_domain::DomainError;
use roster_store::StoreError;

pub(crate) fn domain(e: DomainError) -> Failure {
    match e {
        DomainError::InvalidParameter { field, rule } => {
            Failure::new(ErrorCode::InvalidParameter, format!("{field}: {rule}"))
        }
        DomainError::InvalidRequest { field, rule } => {
            Failure::new(ErrorCode::InvalidRequest, format!("{field}: {rule}"))
        }
    }
}

fn kind_title(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Instance => "Instance",
        ResourceKind::User => "User",
        ResourceKind::SecurityProfile => "Security profile",
        ResourceKind::RoutingProfile => "Routing profile",
        ResourceKind::Queue => "Queue",
        ResourceKind::HierarchyGroup => "Hierarchy group",
        ResourceKind::HoursOfOperation => "Hours of operation",
        ResourceKind::QuickConnect => "Quick connect",
        ResourceKind::PredefinedAttribute => "Predefined attribute",
    }
}

/// The request member that names a resource of this kind.
fn kind_field(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Instance => "InstanceId",
        ResourceKind::User => "UserId",
        ResourceKind::SecurityProfile => "SecurityProfileIds",
        ResourceKind::RoutingProfile => "RoutingProfileId",
        ResourceKind::Queue => "QueueId",
        ResourceKind::HierarchyGroup => "HierarchyGroupId",
        ResourceKind::HoursOfOperation => "HoursOfOperationId",
        ResourceKind::QuickConnect => "QuickConnectIds",
        ResourceKind::PredefinedAttribute => "UserProficiencies",
    }
}

/// The model's `ResourceType` value for `ResourceInUseException`, where it has one.
fn resource_type(kind: ResourceKind) -> Option<&'static str> {
    match kind {
        ResourceKind::Instance => Some("INSTANCE"),
        ResourceKind::User => Some("USER"),
        ResourceKind::HierarchyGroup => Some("HIERARCHY_GROUP"),
        _ => None,
    }
}

pub(crate) fn store(e: StoreError) -> Failure {
    match e {
        StoreError::NotFound { kind, id } => {
            Failure::new(ErrorCode::ResourceNotFound, format!("{} {id} not found", kind_title(kind)))
        }
        e @ StoreError::Duplicate { .. } => Failure::new(ErrorCode::DuplicateResource, e.to_string()),
        StoreError::InUse { kind, id, why } => {
            let err = Failure::new(
                ErrorCode::ResourceInUse,
                format!("{} {id} cannot be removed: {why}", kind_title(kind)),
            );
            match resource_type(kind) {
                Some(t) => err.with_resource(t, id),
                None => err,
            }
        }
        StoreError::MissingReference { kind, id } => Failure::new(
            ErrorCode::InvalidParameter,
            format!("{}: {} {id} does not exist in this instance", kind_field(kind), kind.as_str()),
        ),
        StoreError::MissingLevel { level } => Failure::new(
            ErrorCode::InvalidRequest,
            format!(
                "ParentGroupId: a group at level {level} needs level {level} in the hierarchy structure; add it with UpdateUserHierarchyStructure"
            ),
        ),
        StoreError::UserLimit { limit } => Failure::new(
            ErrorCode::LimitExceeded,
            format!(
                "The instance already has {limit} users, the most it may hold. Delete users, or start roster with --max-users-per-instance (or ROSTER_MAX_USERS_PER_INSTANCE) set higher."
            ),
        ),
        StoreError::QuotaReached { kind, limit } => Failure::new(
            ErrorCode::ServiceQuotaExceeded,
            format!(
                "The instance already has {limit} resources of kind {}, the most it may hold; delete some first.",
                kind.as_str()
            ),
        ),
        StoreError::Rejected(d) => domain(d),
        StoreError::Backend(detail) => {
            tracing::error!(%detail, "storage failure");
            Failure::internal("The service could not complete the request; try again")
        }
    }
}

pub(crate) trait OrApi<T> {
    fn api(self) -> Result<T, Failure>;
}

impl<T> OrApi<T> for Result<T, StoreError> {
    fn api(self) -> Result<T, Failure> {
        self.map_err(store)
    }
}

impl<T> OrApi<T> for Result<T, DomainError> {
    fn api(self) -> Result<T, Failure> {
        self.map_err(domain)
    }
}
