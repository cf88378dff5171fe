//! Security profiles, routing profiles and queues.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::entities::{self as ent, QueueType};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, DomainError};

use roster_domain::resource_search::{Query, ROUTING_PROFILE_FIELDS};
use roster_domain::InstanceRef;

use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::resource_search::{criteria, everything, Paging};
use crate::search::{fingerprint, tag_filter, Budget};
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

impl ops::CreateRoutingProfile for ConnectService {
    async fn create_routing_profile(
        &self,
        ctx: &RequestContext,
        i: CreateRoutingProfileRequest,
    ) -> Result<CreateRoutingProfileResponse, CreateRoutingProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let name = &i.name;
        let description = &i.description;
        let default_queue = &i.default_outbound_queue_id;
        let media = &i.media_concurrencies;
        let mut media_concurrencies = Vec::new();
        for (n, m) in media.iter().enumerate() {
            let channel = &m.channel;
            if media_concurrencies
                .iter()
                .any(|x: &ent::MediaConcurrency| &x.channel == channel)
            {
                return Err(InvalidParameterException::new(format!(
                    "MediaConcurrencies[{n}].Channel: channel {channel} appears more than once"
                ))
                .into());
            }
            media_concurrencies.push(ent::MediaConcurrency {
                channel: channel.clone(),
                // The model leaves it optional beside WorkloadTypeConcurrencies, which roster
                // does not keep; without them a concurrency is what the channel needs.
                concurrency: m.concurrency.ok_or_else(|| {
                    InvalidRequestException::new(format!(
                        "MediaConcurrencies[{n}].Concurrency: is required"
                    ))
                })?,
                cross_channel_behavior: m
                    .cross_channel_behavior
                    .as_ref()
                    .map(|b| b.behavior_type.clone()),
            });
        }
        let mut queues = Vec::new();
        for (n, q) in i.queue_configs.iter().flatten().enumerate() {
            let _ = n;
            let reference = &q.queue_reference;
            queues.push(ent::RoutingProfileQueue {
                queue_id: reference.queue_id.clone(),
                channel: reference.channel.clone(),
                priority: q.priority,
                delay: q.delay,
            });
        }
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let profile = ent::RoutingProfile {
            id: new_id(),
            name: name.clone(),
            description: description.clone(),
            default_outbound_queue_id: default_queue.clone(),
            media_concurrencies,
            queues,
            agent_availability_timer: i.agent_availability_timer.clone(),
            tags,
            modified: modified(ctx),
        };
        let id = profile.id.clone();
        self.store
            .create_routing_profile(&at, profile)
            .await
            .api()?;
        Ok(CreateRoutingProfileResponse {
            routing_profile_arn: Some(arn_in(&at, ResourceKind::RoutingProfile, &id)),
            routing_profile_id: Some(id),
        })
    }
}

impl ops::DescribeRoutingProfile for ConnectService {
    async fn describe_routing_profile(
        &self,
        ctx: &RequestContext,
        i: DescribeRoutingProfileRequest,
    ) -> Result<DescribeRoutingProfileResponse, DescribeRoutingProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let id = &i.routing_profile_id;
        let p = self.store.get_routing_profile(&at, id).await.api()?;
        let users = self.store.routing_profile_user_count(&at, id).await.api()?;
        Ok(DescribeRoutingProfileResponse {
            routing_profile: Some(render_routing_profile(&at, p, users)),
        })
    }
}

/// A routing profile as Describe and Search answer it.
fn render_routing_profile(at: &InstanceRef, p: ent::RoutingProfile, users: u64) -> RoutingProfile {
    let mut queue_ids: Vec<String> = p.queues.iter().map(|q| q.queue_id.clone()).collect();
    queue_ids.dedup();
    RoutingProfile {
        instance_id: Some(at.instance_id.clone()),
        name: Some(p.name),
        routing_profile_arn: Some(arn_in(at, ResourceKind::RoutingProfile, &p.id)),
        routing_profile_id: Some(p.id),
        description: Some(p.description),
        media_concurrencies: Some(
            p.media_concurrencies
                .into_iter()
                .map(|m| MediaConcurrency {
                    channel: m.channel,
                    concurrency: Some(m.concurrency),
                    cross_channel_behavior: m
                        .cross_channel_behavior
                        .map(|b| CrossChannelBehavior { behavior_type: b }),
                    workload_type_concurrencies: None,
                })
                .collect(),
        ),
        default_outbound_queue_id: Some(p.default_outbound_queue_id),
        tags: Some(p.tags),
        number_of_associated_queues: Some(p.queues.len() as i64),
        number_of_associated_users: Some(users as i64),
        agent_availability_timer: p.agent_availability_timer,
        last_modified_time: Some(p.modified.time.epoch_seconds()),
        last_modified_region: Some(p.modified.region),
        associated_queue_ids: Some(queue_ids),
        ..Default::default()
    }
}

impl ops::SearchRoutingProfiles for ConnectService {
    async fn search_routing_profiles(
        &self,
        ctx: &RequestContext,
        i: SearchRoutingProfilesRequest,
    ) -> Result<SearchRoutingProfilesResponse, SearchRoutingProfilesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let mut budget = Budget::default();
        let filter = match i.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()) {
            Some(f) => tag_filter(f, &mut budget).api()?,
            None => Query::All,
        };
        let crit = match &i.search_criteria {
            Some(c) => criteria("SearchCriteria", c, &ROUTING_PROFILE_FIELDS, 1).api()?,
            None => Query::All,
        };
        let query = filter.and(crit);
        let profiles = everything(
            |page| {
                let at = &at;
                async move { self.store.list_routing_profiles(at, &page).await }
            },
            |p| p.id.clone(),
        )
        .await
        .api()?;
        let paging = Paging {
            listing: "search-routing-profiles",
            instance: &at.instance_id,
            fingerprint: fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria),
            next_token: i.next_token.as_ref(),
            max_results: i.max_results,
        };
        let found = paging.run(profiles, |p| p.id.as_str(), &query)?;
        let mut out = Vec::with_capacity(found.items.len());
        for p in found.items {
            let users = self
                .store
                .routing_profile_user_count(&at, &p.id)
                .await
                .api()?;
            out.push(render_routing_profile(&at, p, users));
        }
        Ok(SearchRoutingProfilesResponse {
            routing_profiles: Some(out),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}

impl ops::ListRoutingProfiles for ConnectService {
    async fn list_routing_profiles(
        &self,
        ctx: &RequestContext,
        i: ListRoutingProfilesRequest,
    ) -> Result<ListRoutingProfilesResponse, ListRoutingProfilesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let list = token::Listing::new(
            "routing-profiles",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_routing_profiles(&at, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |p| p.id.clone());
        Ok(ListRoutingProfilesResponse {
            routing_profile_summary_list: Some(
                found
                    .into_iter()
                    .map(|p| RoutingProfileSummary {
                        arn: Some(arn_in(&at, ResourceKind::RoutingProfile, &p.id)),
                        id: Some(p.id),
                        name: Some(p.name),
                        last_modified_time: Some(p.modified.time.epoch_seconds()),
                        last_modified_region: Some(p.modified.region),
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}

impl ops::DeleteRoutingProfile for ConnectService {
    async fn delete_routing_profile(
        &self,
        ctx: &RequestContext,
        i: DeleteRoutingProfileRequest,
    ) -> Result<(), DeleteRoutingProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        Ok(self
            .store
            .delete_routing_profile(&at, &i.routing_profile_id)
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
