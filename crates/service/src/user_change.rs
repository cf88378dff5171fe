//! Several changes to one user made together (the console's user page and bulk
//! edit), and a password reset. Each part is the request shape of the UpdateUser*
//! operation that makes it alone, checked by the model's constraints and the same
//! parsing that operation does; the parts then apply as one store edit, so a user
//! gets all of them or none.

use std::collections::BTreeMap;

use roster_api::check::Validate;
use roster_api::*;
use roster_domain::instance::IdentityManagementType;
use roster_domain::password::password_for;
use roster_domain::tags::{validate_key, validate_tags, MAX_TAGS};
use roster_domain::user::SecurityProfileIds;
use roster_domain::DomainError;
use roster_store::ResourceRef;

use crate::convert::{config_change, hierarchy_update, phone_update};
use crate::errors::OrApi;
use crate::users::{edit_user, identity, instance_type};
use crate::{instance_ref, ConnectService};

/// What to change on one user; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub identity_info: Option<UpdateUserIdentityInfoRequest>,
    pub security_profiles: Option<UpdateUserSecurityProfilesRequest>,
    pub routing_profile: Option<UpdateUserRoutingProfileRequest>,
    pub hierarchy: Option<UpdateUserHierarchyRequest>,
    pub phone_config: Option<UpdateUserPhoneConfigRequest>,
    pub config: Option<UpdateUserConfigRequest>,
    /// Tags added or overwritten.
    pub tag: Option<TagResourceRequest>,
    /// Tag keys removed.
    pub untag: Option<UntagResourceRequest>,
}

/// Why a change did not apply (or applied only in part).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeFailure {
    /// The error as the API would answer it; its message names the field.
    pub error: ApiError,
    /// True when the user's settings were written but the tags then failed: the
    /// settings stay, the tags are as before that step.
    pub settings_written: bool,
}

fn refused<E>(v: roster_api::check::Violation) -> ChangeFailure
where
    E: From<Failure>,
    ApiError: From<E>,
{
    ChangeFailure {
        error: ApiError::from(E::from(Failure::from(v))),
        settings_written: false,
    }
}

fn failed<E>(f: Failure) -> ChangeFailure
where
    E: From<Failure>,
    ApiError: From<E>,
{
    ChangeFailure {
        error: ApiError::from(E::from(f)),
        settings_written: false,
    }
}

impl ConnectService {
    /// Applies `change` to user `user_id` of `instance_id`: every part is checked first
    /// (nothing is written if one is refused), then the settings are one atomic store
    /// edit (which also checks that the routing profile, security profiles and group
    /// exist), then the tags are removed and added.
    pub async fn change_user(
        &self,
        ctx: &RequestContext,
        instance_id: &str,
        user_id: &str,
        change: UserChange,
    ) -> Result<(), ChangeFailure> {
        let at = instance_ref(ctx, instance_id).map_err(failed::<DescribeUserError>)?;
        // Check everything before writing anything.
        let mut identity_info = None;
        if let Some(r) = &change.identity_info {
            r.validate()
                .map_err(refused::<UpdateUserIdentityInfoError>)?;
            let idm = instance_type(self, &at)
                .await
                .map_err(failed::<UpdateUserIdentityInfoError>)?;
            let info = identity(&r.identity_info);
            info.validate("IdentityInfo", idm)
                .api()
                .map_err(failed::<UpdateUserIdentityInfoError>)?;
            identity_info = Some(info);
        }
        let mut security_profiles = None;
        if let Some(r) = &change.security_profiles {
            r.validate()
                .map_err(refused::<UpdateUserSecurityProfilesError>)?;
            security_profiles = Some(
                SecurityProfileIds::parse(r.security_profile_ids.clone())
                    .api()
                    .map_err(failed::<UpdateUserSecurityProfilesError>)?,
            );
        }
        let mut routing_profile = None;
        if let Some(r) = &change.routing_profile {
            r.validate()
                .map_err(refused::<UpdateUserRoutingProfileError>)?;
            routing_profile = Some(r.routing_profile_id.clone());
        }
        let mut hierarchy = None;
        if let Some(r) = &change.hierarchy {
            r.validate().map_err(refused::<UpdateUserHierarchyError>)?;
            hierarchy = Some(hierarchy_update(&r.hierarchy_group_id));
        }
        let mut phone = None;
        if let Some(r) = &change.phone_config {
            r.validate()
                .map_err(refused::<UpdateUserPhoneConfigError>)?;
            phone = Some(
                phone_update(&r.phone_config)
                    .api()
                    .map_err(failed::<UpdateUserPhoneConfigError>)?,
            );
        }
        let mut config = None;
        if let Some(r) = &change.config {
            r.validate().map_err(refused::<UpdateUserConfigError>)?;
            let c = config_change(
                &r.auto_accept_configs,
                &r.after_contact_work_configs,
                &r.phone_number_configs,
                &r.persistent_connection_configs,
                &r.voice_enhancement_configs,
            )
            .api()
            .map_err(failed::<UpdateUserConfigError>)?;
            if !c.is_empty() {
                config = Some(c);
            }
        }
        let user_ref = ResourceRef {
            kind: roster_domain::arn::ResourceKind::User,
            id: user_id.to_string(),
        };
        let current = self
            .store
            .get_user(&at, user_id)
            .await
            .api()
            .map_err(failed::<DescribeUserError>)?;
        let mut tags_after: BTreeMap<String, String> = current.tags.clone();
        if let Some(r) = &change.untag {
            r.validate().map_err(refused::<UntagResourceError>)?;
            for k in &r.tag_keys {
                validate_key("tagKeys", k)
                    .api()
                    .map_err(failed::<UntagResourceError>)?;
                tags_after.remove(k);
            }
        }
        if let Some(r) = &change.tag {
            r.validate().map_err(refused::<TagResourceError>)?;
            validate_tags("tags", &r.tags)
                .api()
                .map_err(failed::<TagResourceError>)?;
            tags_after.extend(r.tags.clone());
            if tags_after.len() > MAX_TAGS {
                return Err(failed::<TagResourceError>(Failure::invalid_parameter(
                    format!(
                        "tags: a user may have at most {MAX_TAGS} tags; this change would leave {}",
                        tags_after.len()
                    ),
                )));
            }
        }

        // The settings: one edit, applied whole or not at all.
        let any_setting = identity_info.is_some()
            || security_profiles.is_some()
            || routing_profile.is_some()
            || hierarchy.is_some()
            || phone.is_some()
            || config.is_some();
        if any_setting {
            edit_user(self, ctx, &at, user_id, move |u| {
                if let Some(i) = identity_info {
                    u.identity = i;
                }
                if let Some(s) = security_profiles {
                    u.security_profile_ids = s;
                }
                if let Some(r) = routing_profile {
                    u.routing_profile_id = r;
                }
                if let Some(h) = hierarchy {
                    u.hierarchy_group_id = h;
                }
                if let Some(p) = &phone {
                    u.config.apply_phone_config(p)?;
                }
                if let Some(c) = &config {
                    u.config.apply(c)?;
                }
                Ok::<(), DomainError>(())
            })
            .await
            .map_err(failed::<UpdateUserConfigError>)?;
        }

        // The tags, checked above against the limit, last.
        let after_settings = |f: Failure| ChangeFailure {
            error: f.into_inner(),
            settings_written: any_setting,
        };
        if let Some(r) = &change.untag {
            self.store
                .untag_resource(&at, &user_ref, &r.tag_keys)
                .await
                .api()
                .map_err(after_settings)?;
        }
        if let Some(r) = &change.tag {
            self.store
                .tag_resource(&at, &user_ref, &r.tags)
                .await
                .api()
                .map_err(after_settings)?;
        }
        Ok(())
    }

    /// Sets a new password on a user of a CONNECT_MANAGED instance, checked by the
    /// same rules as CreateUser's `Password` and stored only as its argon2id hash.
    /// The model has no operation for this; the admin website has.
    pub async fn reset_user_password(
        &self,
        ctx: &RequestContext,
        instance_id: &str,
        user_id: &str,
        password: &str,
    ) -> Result<(), ApiError> {
        let fail = |f: Failure| ApiError::from(UpdateUserIdentityInfoError::from(f));
        let at = instance_ref(ctx, instance_id).map_err(fail)?;
        let idm = instance_type(self, &at).await.map_err(fail)?;
        if idm != IdentityManagementType::ConnectManaged {
            return Err(fail(Failure::invalid_request(
                "Password: only users of CONNECT_MANAGED instances have a password in Connect",
            )));
        }
        let password = password_for(Some(password), idm)
            .api()
            .map_err(fail)?
            .ok_or_else(|| fail(Failure::invalid_request("Password: is required")))?;
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))?;
        let hash = tokio::task::spawn_blocking(move || password.hash())
            .await
            .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))?;
        drop(_permit);
        edit_user(self, ctx, &at, user_id, move |u| {
            u.password_hash = Some(hash);
            Ok(())
        })
        .await
        .map_err(fail)
    }
}
