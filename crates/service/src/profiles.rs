//! Security profiles and queues.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::entities::{self as ent, QueueType};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, DomainError};

use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::{instance_ref, modified, token, ConnectService};

/// `CreateSecurityProfileName`: 1–127 of letters, digits, spaces, `_`, `@`, `-`.
fn validate_security_profile_name(name: &str) -> Result<(), DomainError> {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _@-".contains(c))
    {
        Ok(())
    } else {
        Err(DomainError::param(
            "SecurityProfileName",
            "may contain only letters, digits, spaces and _ @ -",
        ))
    }
}

impl ops::CreateSecurityProfile for ConnectService {
    async fn create_security_profile(
        &self,
        ctx: &RequestContext,
        i: CreateSecurityProfileRequest,
    ) -> Result<CreateSecurityProfileResponse, CreateSecurityProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let name = &i.security_profile_name;
        validate_security_profile_name(name).api()?;
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let profile = ent::SecurityProfile {
            id: new_id(),
            name: name.clone(),
            description: i.description.clone(),
            permissions: i.permissions.clone().unwrap_or_default(),
            tags,
            modified: modified(ctx),
        };
        let id = profile.id.clone();
        self.store
            .create_security_profile(&at, profile)
            .await
            .api()?;
        Ok(CreateSecurityProfileResponse {
            security_profile_arn: Some(arn_in(&at, ResourceKind::SecurityProfile, &id)),
            security_profile_id: Some(id),
        })
    }
}

impl ops::DescribeSecurityProfile for ConnectService {
    async fn describe_security_profile(
        &self,
        ctx: &RequestContext,
        i: DescribeSecurityProfileRequest,
    ) -> Result<DescribeSecurityProfileResponse, DescribeSecurityProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let p = self
            .store
            .get_security_profile(&at, &i.security_profile_id)
            .await
            .api()?;
        Ok(DescribeSecurityProfileResponse {
            security_profile: Some(SecurityProfile {
                arn: Some(arn_in(&at, ResourceKind::SecurityProfile, &p.id)),
                id: Some(p.id),
                organization_resource_id: Some(at.instance_id.clone()),
                security_profile_name: Some(p.name),
                description: p.description,
                tags: Some(p.tags),
                last_modified_time: Some(p.modified.time.epoch_seconds()),
                last_modified_region: Some(p.modified.region),
                ..Default::default()
            }),
        })
    }
}

impl ops::ListSecurityProfiles for ConnectService {
    async fn list_security_profiles(
        &self,
        ctx: &RequestContext,
        i: ListSecurityProfilesRequest,
    ) -> Result<ListSecurityProfilesResponse, ListSecurityProfilesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let list = token::Listing::new(
            "security-profiles",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_security_profiles(&at, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |p| p.id.clone());
        Ok(ListSecurityProfilesResponse {
            security_profile_summary_list: Some(
                found
                    .into_iter()
                    .map(|p| SecurityProfileSummary {
                        arn: Some(arn_in(&at, ResourceKind::SecurityProfile, &p.id)),
                        id: Some(p.id),
                        name: Some(p.name),
                        last_modified_time: Some(p.modified.time.epoch_seconds()),
                        last_modified_region: Some(p.modified.region),
                        r#type: None,
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}

impl ops::DeleteSecurityProfile for ConnectService {
    async fn delete_security_profile(
        &self,
        ctx: &RequestContext,
        i: DeleteSecurityProfileRequest,
    ) -> Result<(), DeleteSecurityProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        Ok(self
            .store
            .delete_security_profile(&at, &i.security_profile_id)
            .await
            .api()?)
    }
}

impl ops::ListQueues for ConnectService {
    async fn list_queues(
        &self,
        ctx: &RequestContext,
        i: ListQueuesRequest,
    ) -> Result<ListQueuesResponse, ListQueuesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let types: Vec<QueueType> = i
            .queue_types
            .iter()
            .flatten()
            .map(|t| {
                QueueType::parse(t).ok_or_else(|| {
                    InvalidParameterException::new(format!(
                        "QueueTypes: {t} is not STANDARD or AGENT"
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        let listing = format!(
            "queues:{}",
            types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let list = token::Listing::new(
            &listing,
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_queues(&at, &types, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |q| q.id.clone());
        Ok(ListQueuesResponse {
            queue_summary_list: Some(
                found
                    .into_iter()
                    .map(|q| QueueSummary {
                        arn: Some(arn_in(&at, ResourceKind::Queue, &q.id)),
                        id: Some(q.id),
                        name: Some(q.name),
                        queue_type: Some(q.queue_type.as_str().into()),
                        last_modified_time: Some(q.modified.time.epoch_seconds()),
                        last_modified_region: Some(q.modified.region),
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}
