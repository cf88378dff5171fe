//! The user lifecycle: CreateUser, DescribeUser, ListUsers, DeleteUser and the
//! UpdateUser* calls.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::channel::{AcwSeconds, UserConfig};
use roster_domain::instance::IdentityManagementType;
use roster_domain::password::password_for;
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::user::{self as du, IdentityInfo, Username};
use roster_domain::{new_id, DomainError, InstanceRef};
use roster_store::UserEdit;

use crate::convert::{config_change, phone_change, user_shape};
use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::{instance_ref, modified, required, token, ConnectService};

fn identity(info: &Option<UserIdentityInfo>) -> IdentityInfo {
    info.as_ref()
        .map(|i| IdentityInfo {
            first_name: i.first_name.clone(),
            last_name: i.last_name.clone(),
            email: i.email.clone(),
            secondary_email: i.secondary_email.clone(),
            mobile: i.mobile.clone(),
        })
        .unwrap_or_default()
}

/// The instance named by the request, and how it manages identities.
async fn instance_type(
    svc: &ConnectService,
    at: &InstanceRef,
) -> Result<IdentityManagementType, ApiError> {
    Ok(svc
        .store
        .get_instance(&at.scope, &at.instance_id)
        .await
        .api()?
        .identity_management_type)
}

pub(crate) async fn create(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: CreateUserRequest,
) -> Result<CreateUserResponse, ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let idm = instance_type(svc, &at).await?;

    let username = Username::parse(required(&i.username, "Username")?, idm).api()?;
    let password = password_for(i.password.as_deref(), idm).api()?;
    let identity = identity(&i.identity_info);
    identity.validate("IdentityInfo", idm).api()?;
    du::validate_directory_user_id(i.directory_user_id.as_deref(), idm).api()?;
    let security_profile_ids = required(&i.security_profile_ids, "SecurityProfileIds")?.clone();
    du::validate_security_profile_ids(&security_profile_ids).api()?;
    let routing_profile_id = required(&i.routing_profile_id, "RoutingProfileId")?.clone();
    let tags: Tags = i.tags.clone().unwrap_or_default();
    validate_tags("Tags", &tags).api()?;

    let lists = config_change(
        &i.auto_accept_configs,
        &i.after_contact_work_configs,
        &i.phone_number_configs,
        &i.persistent_connection_configs,
        &i.voice_enhancement_configs,
    )
    .api()?;
    let phone = i
        .phone_config
        .as_ref()
        .map(phone_change)
        .transpose()
        .api()?
        .unwrap_or_default();
    lists.check_no_overlap(&phone).api()?;
    let mut config = UserConfig::default();
    config.apply(&lists).api()?;
    config.apply_phone_config(&phone).api()?;

    // Hashing is slow on purpose; keep it off the async workers, one per core.
    let password_hash = match password {
        Some(p) => {
            let _permit = svc
                .hashing
                .acquire()
                .await
                .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))?;
            Some(
                tokio::task::spawn_blocking(move || p.hash())
                    .await
                    .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))?,
            )
        }
        None => None,
    };

    let user = du::User {
        id: new_id(),
        username,
        identity,
        directory_user_id: i.directory_user_id.clone(),
        password_hash,
        security_profile_ids,
        routing_profile_id,
        hierarchy_group_id: i.hierarchy_group_id.clone(),
        config,
        tags,
        modified: modified(ctx),
    };
    let id = user.id.clone();
    let username = user.username.as_str().to_string();
    svc.store
        .create_user(&at, user, svc.config.max_users_per_instance)
        .await
        .map_err(|e| match e {
            roster_store::StoreError::Duplicate { .. } => ApiError::new(
                ErrorCode::DuplicateResource,
                format!("Username: a user named {username} already exists in this instance (usernames are compared without regard to case)"),
            ),
            other => crate::errors::store(other),
        })?;
    Ok(CreateUserResponse {
        user_arn: Some(arn_in(&at, ResourceKind::User, &id)),
        user_id: Some(id),
    })
}

pub(crate) async fn describe(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: DescribeUserRequest,
) -> Result<DescribeUserResponse, ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let user = svc
        .store
        .get_user(&at, required(&i.user_id, "UserId")?)
        .await
        .api()?;
    Ok(DescribeUserResponse {
        user: Some(user_shape(arn_in(&at, ResourceKind::User, &user.id), &user)),
    })
}

pub(crate) async fn list(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: ListUsersRequest,
) -> Result<ListUsersResponse, ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let (page, size) = token::page(
        "users",
        &at.instance_id,
        i.next_token.as_ref(),
        i.max_results,
        100,
    )?;
    let found = svc.store.list_users(&at, &page).await.api()?;
    let (found, next) = token::finish("users", &at.instance_id, found, size, |u| u.id.clone());
    Ok(ListUsersResponse {
        user_summary_list: Some(
            found
                .into_iter()
                .map(|u| UserSummary {
                    arn: Some(arn_in(&at, ResourceKind::User, &u.id)),
                    id: Some(u.id),
                    username: Some(u.username),
                    last_modified_time: Some(u.modified.time.epoch_seconds()),
                    last_modified_region: Some(u.modified.region),
                })
                .collect(),
        ),
        next_token: next,
    })
}

pub(crate) async fn delete(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: DeleteUserRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    svc.store
        .delete_user(&at, required(&i.user_id, "UserId")?)
        .await
        .api()
}

/// Applies `edit` to the user atomically and stamps the change with the request's
/// time and region.
async fn edit_user(
    svc: &ConnectService,
    ctx: &RequestContext,
    at: &InstanceRef,
    user_id: Option<&String>,
    edit: impl FnOnce(&mut du::User) -> Result<(), DomainError> + Send + 'static,
) -> Result<(), ApiError> {
    let user_id = user_id.ok_or_else(|| ApiError::invalid_request("UserId: is required"))?;
    let stamp = modified(ctx);
    let edit: UserEdit = Box::new(move |u: &mut du::User| {
        edit(u)?;
        u.modified = stamp;
        Ok(())
    });
    svc.store
        .update_user(at, user_id, edit)
        .await
        .api()
        .map(|_| ())
}

pub(crate) async fn update_identity_info(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserIdentityInfoRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let idm = instance_type(svc, &at).await?;
    required(&i.identity_info, "IdentityInfo")?;
    let info = identity(&i.identity_info);
    info.validate("IdentityInfo", idm).api()?;
    edit_user(svc, ctx, &at, i.user_id.as_ref(), move |u| {
        u.identity = info;
        Ok(())
    })
    .await
}

pub(crate) async fn update_phone_config(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserPhoneConfigRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let mut change = phone_change(required(&i.phone_config, "PhoneConfig")?).api()?;
    // The sent PhoneConfig is the whole legacy view: `AutoAccept` and
    // `AfterContactWorkTimeLimit` carry model defaults (false, 0) that SDKs leave out of
    // the request, so an absent one means its default, not "unchanged".
    change.auto_accept.get_or_insert(false);
    change.after_contact_work.get_or_insert(AcwSeconds::ZERO);
    edit_user(svc, ctx, &at, i.user_id.as_ref(), move |u| {
        u.config.apply_phone_config(&change)
    })
    .await
}

pub(crate) async fn update_config(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserConfigRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let change = config_change(
        &i.auto_accept_configs,
        &i.after_contact_work_configs,
        &i.phone_number_configs,
        &i.persistent_connection_configs,
        &i.voice_enhancement_configs,
    )
    .api()?;
    if change.is_empty() {
        return Err(ApiError::invalid_request(
            "AutoAcceptConfigs: at least one of AutoAcceptConfigs, AfterContactWorkConfigs, PhoneNumberConfigs, PersistentConnectionConfigs or VoiceEnhancementConfigs is required",
        ));
    }
    edit_user(svc, ctx, &at, i.user_id.as_ref(), move |u| {
        u.config.apply(&change)
    })
    .await
}

pub(crate) async fn update_routing_profile(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserRoutingProfileRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let rp = required(&i.routing_profile_id, "RoutingProfileId")?.clone();
    edit_user(svc, ctx, &at, i.user_id.as_ref(), move |u| {
        u.routing_profile_id = rp;
        Ok(())
    })
    .await
}

pub(crate) async fn update_security_profiles(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserSecurityProfilesRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let ids = required(&i.security_profile_ids, "SecurityProfileIds")?.clone();
    du::validate_security_profile_ids(&ids).api()?;
    edit_user(svc, ctx, &at, i.user_id.as_ref(), move |u| {
        u.security_profile_ids = ids;
        Ok(())
    })
    .await
}

pub(crate) async fn update_hierarchy(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserHierarchyRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let group = i.hierarchy_group_id.clone().filter(|g| !g.is_empty());
    edit_user(svc, ctx, &at, i.user_id.as_ref(), move |u| {
        u.hierarchy_group_id = group;
        Ok(())
    })
    .await
}
