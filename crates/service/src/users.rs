//! The user lifecycle: CreateUser, DescribeUser, ListUsers, DeleteUser and the
//! UpdateUser* calls.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::channel::UserConfig;
use roster_domain::instance::IdentityManagementType;
use roster_domain::password::{password_for, Password};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::user::{self as du, IdentityInfo, SecurityProfileIds, Username};
use roster_domain::{new_id, DomainError, InstanceRef};
use roster_store::UserEdit;

use crate::convert::{config_change, hierarchy_update, phone_change, phone_update, user_shape};
use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::{instance_ref, modified, token, ConnectService};

pub(crate) fn identity(i: &UserIdentityInfo) -> IdentityInfo {
    IdentityInfo {
        first_name: i.first_name.clone(),
        last_name: i.last_name.clone(),
        email: i.email.clone(),
        secondary_email: i.secondary_email.clone(),
        mobile: i.mobile.clone(),
    }
}

/// The instance named by the request, and how it manages identities.
pub(crate) async fn instance_type(
    svc: &ConnectService,
    at: &InstanceRef,
) -> Result<IdentityManagementType, Failure> {
    Ok(svc
        .store
        .get_instance(&at.scope, &at.instance_id)
        .await
        .api()?
        .identity_management_type)
}

/// A new user as CreateUser makes it from a request whose model constraints hold:
/// every rule of CreateUser checked but the references (the store checks those), its
/// password parsed but not yet hashed (`password_hash` is `None`). CreateUser and the
/// CSV import both make their users here.
pub(crate) fn new_user(
    ctx: &RequestContext,
    idm: IdentityManagementType,
    i: &CreateUserRequest,
) -> Result<(du::User, Option<Password>), Failure> {
    let username = Username::parse(&i.username, idm).api()?;
    let password = password_for(i.password.as_deref(), idm).api()?;
    let identity = i.identity_info.as_ref().map(identity).unwrap_or_default();
    identity.validate("IdentityInfo", idm).api()?;
    du::validate_directory_user_id(i.directory_user_id.as_deref(), idm).api()?;
    let security_profile_ids = SecurityProfileIds::parse(i.security_profile_ids.clone()).api()?;
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

    let user = du::User {
        id: new_id(),
        username,
        identity,
        directory_user_id: i.directory_user_id.clone(),
        password_hash: None,
        security_profile_ids,
        routing_profile_id: i.routing_profile_id.clone(),
        hierarchy_group_id: i.hierarchy_group_id.clone(),
        config,
        tags,
        modified: modified(ctx),
    };
    Ok((user, password))
}

impl ConnectService {
    /// The password's argon2id hash. Hashing is slow on purpose; it runs off the async
    /// workers, one per core at most (`hashing`).
    pub(crate) async fn hash_password(&self, password: Password) -> Result<String, Failure> {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| Failure::internal(format!("password hashing failed: {e}")))?;
        tokio::task::spawn_blocking(move || password.hash())
            .await
            .map_err(|e| Failure::internal(format!("password hashing failed: {e}")))
    }
}

impl ops::CreateUser for ConnectService {
    async fn create_user(
        &self,
        ctx: &RequestContext,
        i: CreateUserRequest,
    ) -> Result<CreateUserResponse, CreateUserError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let idm = instance_type(self, &at).await?;
        let (mut user, password) = new_user(ctx, idm, &i)?;
        if let Some(p) = password {
            user.password_hash = Some(self.hash_password(p).await?);
        }
        let id = user.id.clone();
        let username = user.username.as_str().to_string();
        self.store
        .create_user(&at, user, self.config.max_users_per_instance)
        .await
        .map_err(|e| -> CreateUserError { match e {
            roster_store::StoreError::Duplicate { .. } => DuplicateResourceException::new(
                format!("Username: a user named {username} already exists in this instance (usernames are compared without regard to case)"),
            ).into(),
            other => CreateUserError::from(crate::errors::store(other)),
        }})?;
        Ok(CreateUserResponse {
            user_arn: Some(arn_in(&at, ResourceKind::User, &id)),
            user_id: Some(id),
        })
    }
}

impl ops::DescribeUser for ConnectService {
    async fn describe_user(
        &self,
        ctx: &RequestContext,
        i: DescribeUserRequest,
    ) -> Result<DescribeUserResponse, DescribeUserError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let user = self.store.get_user(&at, &i.user_id).await.api()?;
        Ok(DescribeUserResponse {
            user: Some(user_shape(arn_in(&at, ResourceKind::User, &user.id), &user)),
        })
    }
}

impl ops::ListUsers for ConnectService {
    async fn list_users(
        &self,
        ctx: &RequestContext,
        i: ListUsersRequest,
    ) -> Result<ListUsersResponse, ListUsersError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let list = token::Listing::new(
            "users",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self.store.list_users(&at, &list.page).await.api()?;
        let (found, next) = list.finish(found, |u| u.id.clone());
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
}

impl ops::DeleteUser for ConnectService {
    async fn delete_user(
        &self,
        ctx: &RequestContext,
        i: DeleteUserRequest,
    ) -> Result<(), DeleteUserError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        Ok(self.store.delete_user(&at, &i.user_id).await.api()?)
    }
}

/// Applies `edit` to the user atomically and stamps the change with the request's
/// time and region.
pub(crate) async fn edit_user(
    svc: &ConnectService,
    ctx: &RequestContext,
    at: &InstanceRef,
    user_id: &str,
    edit: impl FnOnce(&mut du::User) -> Result<(), DomainError> + Send + 'static,
) -> Result<(), Failure> {
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

impl ops::UpdateUserIdentityInfo for ConnectService {
    async fn update_user_identity_info(
        &self,
        ctx: &RequestContext,
        i: UpdateUserIdentityInfoRequest,
    ) -> Result<(), UpdateUserIdentityInfoError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let idm = instance_type(self, &at).await?;
        let info = identity(&i.identity_info);
        info.validate("IdentityInfo", idm).api()?;
        Ok(edit_user(self, ctx, &at, &i.user_id, move |u| {
            u.identity = info;
            Ok(())
        })
        .await?)
    }
}

impl ops::UpdateUserPhoneConfig for ConnectService {
    async fn update_user_phone_config(
        &self,
        ctx: &RequestContext,
        i: UpdateUserPhoneConfigRequest,
    ) -> Result<(), UpdateUserPhoneConfigError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = phone_update(&i.phone_config).api()?;
        Ok(edit_user(self, ctx, &at, &i.user_id, move |u| {
            u.config.apply_phone_config(&change)
        })
        .await?)
    }
}

impl ops::UpdateUserConfig for ConnectService {
    async fn update_user_config(
        &self,
        ctx: &RequestContext,
        i: UpdateUserConfigRequest,
    ) -> Result<(), UpdateUserConfigError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = config_change(
            &i.auto_accept_configs,
            &i.after_contact_work_configs,
            &i.phone_number_configs,
            &i.persistent_connection_configs,
            &i.voice_enhancement_configs,
        )
        .api()?;
        if change.is_empty() {
            return Err(InvalidRequestException::new(
            "AutoAcceptConfigs: at least one of AutoAcceptConfigs, AfterContactWorkConfigs, PhoneNumberConfigs, PersistentConnectionConfigs or VoiceEnhancementConfigs is required",
        )
        .into());
        }
        Ok(edit_user(self, ctx, &at, &i.user_id, move |u| u.config.apply(&change)).await?)
    }
}

impl ops::UpdateUserRoutingProfile for ConnectService {
    async fn update_user_routing_profile(
        &self,
        ctx: &RequestContext,
        i: UpdateUserRoutingProfileRequest,
    ) -> Result<(), UpdateUserRoutingProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let rp = i.routing_profile_id.clone();
        Ok(edit_user(self, ctx, &at, &i.user_id, move |u| {
            u.routing_profile_id = rp;
            Ok(())
        })
        .await?)
    }
}

impl ops::UpdateUserSecurityProfiles for ConnectService {
    async fn update_user_security_profiles(
        &self,
        ctx: &RequestContext,
        i: UpdateUserSecurityProfilesRequest,
    ) -> Result<(), UpdateUserSecurityProfilesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let ids = SecurityProfileIds::parse(i.security_profile_ids.clone()).api()?;
        Ok(edit_user(self, ctx, &at, &i.user_id, move |u| {
            u.security_profile_ids = ids;
            Ok(())
        })
        .await?)
    }
}

impl ops::UpdateUserHierarchy for ConnectService {
    async fn update_user_hierarchy(
        &self,
        ctx: &RequestContext,
        i: UpdateUserHierarchyRequest,
    ) -> Result<(), UpdateUserHierarchyError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let group = hierarchy_update(&i.hierarchy_group_id);
        Ok(edit_user(self, ctx, &at, &i.user_id, move |u| {
            u.hierarchy_group_id = group;
            Ok(())
        })
        .await?)
    }
}
