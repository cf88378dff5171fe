//! Routing profiles and queues.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::entities::{self as ent, QueueType};
use roster_domain::new_id;
use roster_domain::tags::{validate_tags, Tags};

use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::{instance_ref, modified, token, ConnectService};

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
        let mut queue_ids: Vec<String> = p.queues.iter().map(|q| q.queue_id.clone()).collect();
        queue_ids.dedup();
        Ok(DescribeRoutingProfileResponse {
            routing_profile: Some(RoutingProfile {
                instance_id: Some(at.instance_id.clone()),
                name: Some(p.name),
                routing_profile_arn: Some(arn_in(&at, ResourceKind::RoutingProfile, &p.id)),
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
            }),
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
