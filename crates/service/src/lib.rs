//! roster's implementation of the Connect API: turns the model's shapes into domain
//! values (refusing bad ones with the error the model prescribes), calls the store,
//! and turns the results back into shapes.

mod convert;
mod errors;
mod hierarchy;
mod instances;
mod proficiencies;
mod profiles;
mod search;
mod tagging;
mod token;
mod users;

use std::sync::Arc;

use async_trait::async_trait;
use roster_api::*;
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Scope, Timestamp};
use roster_store::Store;

/// Limits a deployment can change.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Users an instance may hold (the real service's default quota is 500).
    pub max_users_per_instance: u64,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            max_users_per_instance: 500,
        }
    }
}

/// The Connect API over a [`Store`].
pub struct ConnectService {
    store: Arc<dyn Store>,
    config: ServiceConfig,
    /// Password hashes computed at once: one per core. Each argon2id hash holds
    /// 19 MiB while it runs, so without a bound, many concurrent creations would hold
    /// many times that and gain nothing, the cores being busy already.
    hashing: Arc<tokio::sync::Semaphore>,
}

impl ConnectService {
    pub fn new(store: Arc<dyn Store>, config: ServiceConfig) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        ConnectService {
            store,
            config,
            hashing: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}

fn scope(ctx: &RequestContext) -> Scope {
    Scope {
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
    }
}

fn modified(ctx: &RequestContext) -> Modified {
    Modified {
        time: Timestamp::now(),
        region: ctx.region.clone(),
    }
}

/// The instance a request names by id or by ARN. An ARN of another account or region
/// names an instance that does not exist for this caller.
fn instance_ref(ctx: &RequestContext, raw: Option<&String>) -> Result<InstanceRef, ApiError> {
    let raw = raw.ok_or_else(|| ApiError::invalid_request("InstanceId: is required"))?;
    let scope = scope(ctx);
    let id = if raw.starts_with("arn:") {
        match roster_domain::arn::parse_arn(raw) {
            Some(p) if p.kind == roster_domain::arn::ResourceKind::Instance && p.scope == scope => {
                p.instance_id
            }
            Some(p) if p.kind == roster_domain::arn::ResourceKind::Instance => {
                return Err(ApiError::not_found(format!(
                    "Instance {} not found",
                    p.instance_id
                )))
            }
            _ => {
                return Err(ApiError::invalid_parameter(
                    "InstanceId: is not an instance id or instance ARN",
                ))
            }
        }
    } else {
        raw.clone()
    };
    Ok(InstanceRef {
        scope,
        instance_id: id,
    })
}

fn required<'a, T>(v: &'a Option<T>, field: &str) -> Result<&'a T, ApiError> {
    v.as_ref()
        .ok_or_else(|| ApiError::invalid_request(format!("{field}: is required")))
}

#[async_trait]
impl Connect for ConnectService {
    async fn create_instance(
        &self,
        ctx: &RequestContext,
        i: CreateInstanceRequest,
    ) -> Result<CreateInstanceResponse, ApiError> {
        instances::create(self, ctx, i).await
    }
    async fn describe_instance(
        &self,
        ctx: &RequestContext,
        i: DescribeInstanceRequest,
    ) -> Result<DescribeInstanceResponse, ApiError> {
        instances::describe(self, ctx, i).await
    }
    async fn list_instances(
        &self,
        ctx: &RequestContext,
        i: ListInstancesRequest,
    ) -> Result<ListInstancesResponse, ApiError> {
        instances::list(self, ctx, i).await
    }
    async fn delete_instance(
        &self,
        ctx: &RequestContext,
        i: DeleteInstanceRequest,
    ) -> Result<(), ApiError> {
        instances::delete(self, ctx, i).await
    }
    async fn describe_instance_attribute(
        &self,
        ctx: &RequestContext,
        i: DescribeInstanceAttributeRequest,
    ) -> Result<DescribeInstanceAttributeResponse, ApiError> {
        instances::describe_attribute(self, ctx, i).await
    }
    async fn update_instance_attribute(
        &self,
        ctx: &RequestContext,
        i: UpdateInstanceAttributeRequest,
    ) -> Result<(), ApiError> {
        instances::update_attribute(self, ctx, i).await
    }
    async fn list_instance_attributes(
        &self,
        ctx: &RequestContext,
        i: ListInstanceAttributesRequest,
    ) -> Result<ListInstanceAttributesResponse, ApiError> {
        instances::list_attributes(self, ctx, i).await
    }

    async fn create_security_profile(
        &self,
        ctx: &RequestContext,
        i: CreateSecurityProfileRequest,
    ) -> Result<CreateSecurityProfileResponse, ApiError> {
        profiles::create_security_profile(self, ctx, i).await
    }
    async fn describe_security_profile(
        &self,
        ctx: &RequestContext,
        i: DescribeSecurityProfileRequest,
    ) -> Result<DescribeSecurityProfileResponse, ApiError> {
        profiles::describe_security_profile(self, ctx, i).await
    }
    async fn list_security_profiles(
        &self,
        ctx: &RequestContext,
        i: ListSecurityProfilesRequest,
    ) -> Result<ListSecurityProfilesResponse, ApiError> {
        profiles::list_security_profiles(self, ctx, i).await
    }
    async fn delete_security_profile(
        &self,
        ctx: &RequestContext,
        i: DeleteSecurityProfileRequest,
    ) -> Result<(), ApiError> {
        profiles::delete_security_profile(self, ctx, i).await
    }
    async fn create_routing_profile(
        &self,
        ctx: &RequestContext,
        i: CreateRoutingProfileRequest,
    ) -> Result<CreateRoutingProfileResponse, ApiError> {
        profiles::create_routing_profile(self, ctx, i).await
    }
    async fn describe_routing_profile(
        &self,
        ctx: &RequestContext,
        i: DescribeRoutingProfileRequest,
    ) -> Result<DescribeRoutingProfileResponse, ApiError> {
        profiles::describe_routing_profile(self, ctx, i).await
    }
    async fn list_routing_profiles(
        &self,
        ctx: &RequestContext,
        i: ListRoutingProfilesRequest,
    ) -> Result<ListRoutingProfilesResponse, ApiError> {
        profiles::list_routing_profiles(self, ctx, i).await
    }
    async fn delete_routing_profile(
        &self,
        ctx: &RequestContext,
        i: DeleteRoutingProfileRequest,
    ) -> Result<(), ApiError> {
        profiles::delete_routing_profile(self, ctx, i).await
    }
    async fn list_queues(
        &self,
        ctx: &RequestContext,
        i: ListQueuesRequest,
    ) -> Result<ListQueuesResponse, ApiError> {
        profiles::list_queues(self, ctx, i).await
    }

    async fn tag_resource(
        &self,
        ctx: &RequestContext,
        i: TagResourceRequest,
    ) -> Result<(), ApiError> {
        tagging::tag(self, ctx, i).await
    }
    async fn untag_resource(
        &self,
        ctx: &RequestContext,
        i: UntagResourceRequest,
    ) -> Result<(), ApiError> {
        tagging::untag(self, ctx, i).await
    }
    async fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        i: ListTagsForResourceRequest,
    ) -> Result<ListTagsForResourceResponse, ApiError> {
        tagging::list(self, ctx, i).await
    }

    async fn create_user(
        &self,
        ctx: &RequestContext,
        i: CreateUserRequest,
    ) -> Result<CreateUserResponse, ApiError> {
        users::create(self, ctx, i).await
    }
    async fn describe_user(
        &self,
        ctx: &RequestContext,
        i: DescribeUserRequest,
    ) -> Result<DescribeUserResponse, ApiError> {
        users::describe(self, ctx, i).await
    }
    async fn list_users(
        &self,
        ctx: &RequestContext,
        i: ListUsersRequest,
    ) -> Result<ListUsersResponse, ApiError> {
        users::list(self, ctx, i).await
    }
    async fn delete_user(
        &self,
        ctx: &RequestContext,
        i: DeleteUserRequest,
    ) -> Result<(), ApiError> {
        users::delete(self, ctx, i).await
    }
    async fn update_user_identity_info(
        &self,
        ctx: &RequestContext,
        i: UpdateUserIdentityInfoRequest,
    ) -> Result<(), ApiError> {
        users::update_identity_info(self, ctx, i).await
    }
    async fn update_user_phone_config(
        &self,
        ctx: &RequestContext,
        i: UpdateUserPhoneConfigRequest,
    ) -> Result<(), ApiError> {
        users::update_phone_config(self, ctx, i).await
    }
    async fn update_user_config(
        &self,
        ctx: &RequestContext,
        i: UpdateUserConfigRequest,
    ) -> Result<(), ApiError> {
        users::update_config(self, ctx, i).await
    }
    async fn update_user_routing_profile(
        &self,
        ctx: &RequestContext,
        i: UpdateUserRoutingProfileRequest,
    ) -> Result<(), ApiError> {
        users::update_routing_profile(self, ctx, i).await
    }
    async fn update_user_security_profiles(
        &self,
        ctx: &RequestContext,
        i: UpdateUserSecurityProfilesRequest,
    ) -> Result<(), ApiError> {
        users::update_security_profiles(self, ctx, i).await
    }
    async fn update_user_hierarchy(
        &self,
        ctx: &RequestContext,
        i: UpdateUserHierarchyRequest,
    ) -> Result<(), ApiError> {
        users::update_hierarchy(self, ctx, i).await
    }

    async fn update_user_hierarchy_structure(
        &self,
        ctx: &RequestContext,
        i: UpdateUserHierarchyStructureRequest,
    ) -> Result<(), ApiError> {
        hierarchy::update_structure(self, ctx, i).await
    }
    async fn describe_user_hierarchy_structure(
        &self,
        ctx: &RequestContext,
        i: DescribeUserHierarchyStructureRequest,
    ) -> Result<DescribeUserHierarchyStructureResponse, ApiError> {
        hierarchy::describe_structure(self, ctx, i).await
    }
    async fn create_user_hierarchy_group(
        &self,
        ctx: &RequestContext,
        i: CreateUserHierarchyGroupRequest,
    ) -> Result<CreateUserHierarchyGroupResponse, ApiError> {
        hierarchy::create_group(self, ctx, i).await
    }
    async fn describe_user_hierarchy_group(
        &self,
        ctx: &RequestContext,
        i: DescribeUserHierarchyGroupRequest,
    ) -> Result<DescribeUserHierarchyGroupResponse, ApiError> {
        hierarchy::describe_group(self, ctx, i).await
    }
    async fn list_user_hierarchy_groups(
        &self,
        ctx: &RequestContext,
        i: ListUserHierarchyGroupsRequest,
    ) -> Result<ListUserHierarchyGroupsResponse, ApiError> {
        hierarchy::list_groups(self, ctx, i).await
    }
    async fn update_user_hierarchy_group_name(
        &self,
        ctx: &RequestContext,
        i: UpdateUserHierarchyGroupNameRequest,
    ) -> Result<(), ApiError> {
        hierarchy::rename_group(self, ctx, i).await
    }
    async fn delete_user_hierarchy_group(
        &self,
        ctx: &RequestContext,
        i: DeleteUserHierarchyGroupRequest,
    ) -> Result<(), ApiError> {
        hierarchy::delete_group(self, ctx, i).await
    }

    async fn search_users(
        &self,
        ctx: &RequestContext,
        i: SearchUsersRequest,
    ) -> Result<SearchUsersResponse, ApiError> {
        search::search(self, ctx, i).await
    }

    async fn create_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: CreatePredefinedAttributeRequest,
    ) -> Result<(), ApiError> {
        proficiencies::create_attribute(self, ctx, i).await
    }
    async fn describe_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: DescribePredefinedAttributeRequest,
    ) -> Result<DescribePredefinedAttributeResponse, ApiError> {
        proficiencies::describe_attribute(self, ctx, i).await
    }
    async fn list_predefined_attributes(
        &self,
        ctx: &RequestContext,
        i: ListPredefinedAttributesRequest,
    ) -> Result<ListPredefinedAttributesResponse, ApiError> {
        proficiencies::list_attributes(self, ctx, i).await
    }
    async fn update_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: UpdatePredefinedAttributeRequest,
    ) -> Result<(), ApiError> {
        proficiencies::update_attribute(self, ctx, i).await
    }
    async fn delete_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: DeletePredefinedAttributeRequest,
    ) -> Result<(), ApiError> {
        proficiencies::delete_attribute(self, ctx, i).await
    }
    async fn associate_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: AssociateUserProficienciesRequest,
    ) -> Result<(), ApiError> {
        proficiencies::associate(self, ctx, i).await
    }
    async fn update_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: UpdateUserProficienciesRequest,
    ) -> Result<(), ApiError> {
        proficiencies::update(self, ctx, i).await
    }
    async fn disassociate_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: DisassociateUserProficienciesRequest,
    ) -> Result<(), ApiError> {
        proficiencies::disassociate(self, ctx, i).await
    }
    async fn list_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: ListUserProficienciesRequest,
    ) -> Result<ListUserProficienciesResponse, ApiError> {
        proficiencies::list(self, ctx, i).await
    }
}
