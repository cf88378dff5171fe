//! Routing profiles: what each channel allows at once, the queues a profile routes
//! (and those agents pick from by hand), and their searches.

use std::collections::HashMap;

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::entities::{self as ent, QueueType};
use roster_domain::resource_search::ROUTING_PROFILE_FIELDS;
use roster_domain::routing::{check_media, QueueRef};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, InstanceRef};
use roster_store::RoutingProfileEdit;

use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::resource_search::{everything, tag_filtered, Paging};
use crate::search::fingerprint;
use crate::{instance_ref, modified, token, ConnectService};

fn media(list: &[MediaConcurrency]) -> Result<Vec<ent::MediaConcurrency>, Failure> {
    let mut out = Vec::with_capacity(list.len());
    for (n, m) in list.iter().enumerate() {
        out.push(ent::MediaConcurrency {
            channel: m.channel.clone(),
            // The model leaves it optional beside WorkloadTypeConcurrencies, which roster
            // does not keep; without them a concurrency is what the channel needs.
            concurrency: m.concurrency.ok_or_else(|| {
                Failure::invalid_request(format!(
                    "MediaConcurrencies[{n}].Concurrency: is required"
                ))
            })?,
            cross_channel_behavior: m
                .cross_channel_behavior
                .as_ref()
                .map(|b| b.behavior_type.clone()),
        });
    }
    check_media("MediaConcurrencies", &out).api()?;
    Ok(out)
}

fn configs(list: Option<&Vec<RoutingProfileQueueConfig>>) -> Vec<ent::RoutingProfileQueue> {
    list.into_iter()
        .flatten()
        .map(|q| ent::RoutingProfileQueue {
            queue_id: q.queue_reference.queue_id.clone(),
            channel: q.queue_reference.channel.clone(),
            priority: q.priority,
            delay: q.delay,
        })
        .collect()
}

fn refs(list: Option<&Vec<RoutingProfileQueueReference>>) -> Vec<QueueRef> {
    list.into_iter()
        .flatten()
        .map(|r| QueueRef {
            queue_id: r.queue_id.clone(),
            channel: r.channel.clone(),
        })
        .collect()
}

fn manual(list: Option<&Vec<RoutingProfileManualAssignmentQueueConfig>>) -> Vec<QueueRef> {
    list.into_iter()
        .flatten()
        .map(|m| QueueRef {
            queue_id: m.queue_reference.queue_id.clone(),
            channel: m.queue_reference.channel.clone(),
        })
        .collect()
}

impl ConnectService {
    /// Applies `edit` to the profile, stamped with the request's time and region.
    async fn edit_routing_profile(
        &self,
        ctx: &RequestContext,
        at: &InstanceRef,
        id: &str,
        edit: impl FnOnce(&mut ent::RoutingProfile) -> Result<(), roster_domain::DomainError>
            + Send
            + 'static,
    ) -> Result<(), Failure> {
        let stamp = modified(ctx);
        let edit: RoutingProfileEdit = Box::new(move |p| {
            edit(p)?;
            p.modified = stamp;
            Ok(())
        });
        self.store
            .update_routing_profile(at, id, edit)
            .await
            .api()?;
        Ok(())
    }
}

impl ops::CreateRoutingProfile for ConnectService {
    async fn create_routing_profile(
        &self,
        ctx: &RequestContext,
        i: CreateRoutingProfileRequest,
    ) -> Result<CreateRoutingProfileResponse, CreateRoutingProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let media_concurrencies = media(&i.media_concurrencies)?;
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let profile = ent::RoutingProfile {
            id: new_id(),
            name: i.name.clone(),
            description: i.description.clone(),
            default_outbound_queue_id: i.default_outbound_queue_id.clone(),
            media_concurrencies,
            queues: Vec::new(),
            manual_queues: Vec::new(),
            agent_availability_timer: i.agent_availability_timer.clone(),
            is_default: false,
            tags,
            modified: modified(ctx),
        }
        .with_queues(
            configs(i.queue_configs.as_ref()),
            manual(i.manual_assignment_queue_configs.as_ref()),
        )
        .api()?;
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
            routing_profile: Some(render(&at, p, users)),
        })
    }
}

/// The distinct ids of a list of queue references, in first-seen order.
fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// A routing profile as Describe and Search answer it.
fn render(at: &InstanceRef, p: ent::RoutingProfile, users: u64) -> RoutingProfile {
    let queue_ids = distinct(p.queues.iter().map(|q| q.queue_id.as_str()));
    let manual_ids = distinct(p.manual_queues.iter().map(|q| q.queue_id.as_str()));
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
        number_of_associated_queues: Some(queue_ids.len() as i64),
        number_of_associated_manual_assignment_queues: Some(manual_ids.len() as i64),
        number_of_associated_users: Some(users as i64),
        agent_availability_timer: p.agent_availability_timer,
        last_modified_time: Some(p.modified.time.epoch_seconds()),
        last_modified_region: Some(p.modified.region),
        is_default: Some(p.is_default),
        associated_queue_ids: Some(queue_ids),
        associated_manual_assignment_queue_ids: Some(manual_ids),
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

impl ops::UpdateRoutingProfileConcurrency for ConnectService {
    async fn update_routing_profile_concurrency(
        &self,
        ctx: &RequestContext,
        i: UpdateRoutingProfileConcurrencyRequest,
    ) -> Result<(), UpdateRoutingProfileConcurrencyError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let media = media(&i.media_concurrencies)?;
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                p.media_concurrencies = media;
                Ok(())
            })
            .await?)
    }
}

impl ops::UpdateRoutingProfileDefaultOutboundQueue for ConnectService {
    async fn update_routing_profile_default_outbound_queue(
        &self,
        ctx: &RequestContext,
        i: UpdateRoutingProfileDefaultOutboundQueueRequest,
    ) -> Result<(), UpdateRoutingProfileDefaultOutboundQueueError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let queue = i.default_outbound_queue_id;
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                p.default_outbound_queue_id = queue;
                Ok(())
            })
            .await?)
    }
}

impl ops::UpdateRoutingProfileName for ConnectService {
    async fn update_routing_profile_name(
        &self,
        ctx: &RequestContext,
        i: UpdateRoutingProfileNameRequest,
    ) -> Result<(), UpdateRoutingProfileNameError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        if i.name.is_none() && i.description.is_none() {
            return Err(InvalidRequestException::new(
                "Name, Description: send at least one of them",
            )
            .into());
        }
        let (name, description) = (i.name, i.description);
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                if let Some(name) = name {
                    p.name = name;
                }
                if let Some(description) = description {
                    p.description = description;
                }
                Ok(())
            })
            .await?)
    }
}

impl ops::UpdateRoutingProfileAgentAvailabilityTimer for ConnectService {
    async fn update_routing_profile_agent_availability_timer(
        &self,
        ctx: &RequestContext,
        i: UpdateRoutingProfileAgentAvailabilityTimerRequest,
    ) -> Result<(), UpdateRoutingProfileAgentAvailabilityTimerError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let timer = i.agent_availability_timer;
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                p.agent_availability_timer = Some(timer);
                Ok(())
            })
            .await?)
    }
}

impl ops::UpdateRoutingProfileQueues for ConnectService {
    async fn update_routing_profile_queues(
        &self,
        ctx: &RequestContext,
        i: UpdateRoutingProfileQueuesRequest,
    ) -> Result<(), UpdateRoutingProfileQueuesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let configs = configs(Some(&i.queue_configs));
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                p.update_queues(configs)
            })
            .await?)
    }
}

impl ops::AssociateRoutingProfileQueues for ConnectService {
    async fn associate_routing_profile_queues(
        &self,
        ctx: &RequestContext,
        i: AssociateRoutingProfileQueuesRequest,
    ) -> Result<(), AssociateRoutingProfileQueuesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let configs = configs(i.queue_configs.as_ref());
        let manual = manual(i.manual_assignment_queue_configs.as_ref());
        if configs.is_empty() && manual.is_empty() {
            return Err(InvalidRequestException::new(
                "QueueConfigs, ManualAssignmentQueueConfigs: send at least one of them",
            )
            .into());
        }
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                p.associate(configs, manual)
            })
            .await?)
    }
}

/// Disassociate takes at most 10 references per list (the operation's documentation).
const MAX_DISASSOCIATE: usize = 10;

impl ops::DisassociateRoutingProfileQueues for ConnectService {
    async fn disassociate_routing_profile_queues(
        &self,
        ctx: &RequestContext,
        i: DisassociateRoutingProfileQueuesRequest,
    ) -> Result<(), DisassociateRoutingProfileQueuesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let queues = refs(i.queue_references.as_ref());
        let manual = refs(i.manual_assignment_queue_references.as_ref());
        for (member, list) in [
            ("QueueReferences", &queues),
            ("ManualAssignmentQueueReferences", &manual),
        ] {
            if list.len() > MAX_DISASSOCIATE {
                return Err(InvalidParameterException::new(format!(
                    "{member}: at most {MAX_DISASSOCIATE} queue references per call"
                ))
                .into());
            }
        }
        if queues.is_empty() && manual.is_empty() {
            return Err(InvalidRequestException::new(
                "QueueReferences, ManualAssignmentQueueReferences: send at least one of them",
            )
            .into());
        }
        Ok(self
            .edit_routing_profile(ctx, &at, &i.routing_profile_id, move |p| {
                p.disassociate(queues, manual)
            })
            .await?)
    }
}

impl ConnectService {
    /// The names of the instance's standard queues, by id.
    async fn queue_names(&self, at: &InstanceRef) -> Result<HashMap<String, String>, Failure> {
        let queues = everything(
            |page| async move {
                self.store
                    .list_queues(at, &[QueueType::Standard], &page)
                    .await
            },
            |q| q.id.clone(),
        )
        .await
        .api()?;
        Ok(queues
            .into_iter()
            .filter_map(|q| Some((q.id, q.name?)))
            .collect())
    }
}

/// The key a routing profile's queue pages are ordered and resumed by.
fn queue_key(queue_id: &str, channel: &str) -> String {
    format!("{queue_id}/{channel}")
}

impl ops::ListRoutingProfileQueues for ConnectService {
    async fn list_routing_profile_queues(
        &self,
        ctx: &RequestContext,
        i: ListRoutingProfileQueuesRequest,
    ) -> Result<ListRoutingProfileQueuesResponse, ListRoutingProfileQueuesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let p = self
            .store
            .get_routing_profile(&at, &i.routing_profile_id)
            .await
            .api()?;
        let list = token::Listing::new(
            "routing-profile-queues",
            &p.id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let names = self.queue_names(&at).await?;
        let mut queues = p.queues;
        queues.sort_by_key(|q| queue_key(&q.queue_id, &q.channel));
        let (page, next) = list.page_of(queues, |q| queue_key(&q.queue_id, &q.channel));
        Ok(ListRoutingProfileQueuesResponse {
            routing_profile_queue_config_summary_list: Some(
                page.into_iter()
                    .map(|q| RoutingProfileQueueConfigSummary {
                        queue_arn: arn_in(&at, ResourceKind::Queue, &q.queue_id),
                        queue_name: names.get(&q.queue_id).cloned().unwrap_or_default(),
                        queue_id: q.queue_id,
                        priority: q.priority,
                        delay: q.delay,
                        channel: q.channel,
                    })
                    .collect(),
            ),
            next_token: next,
            last_modified_time: Some(p.modified.time.epoch_seconds()),
            last_modified_region: Some(p.modified.region),
        })
    }
}

impl ops::ListRoutingProfileManualAssignmentQueues for ConnectService {
    async fn list_routing_profile_manual_assignment_queues(
        &self,
        ctx: &RequestContext,
        i: ListRoutingProfileManualAssignmentQueuesRequest,
    ) -> Result<
        ListRoutingProfileManualAssignmentQueuesResponse,
        ListRoutingProfileManualAssignmentQueuesError,
    > {
        let at = instance_ref(ctx, &i.instance_id)?;
        let p = self
            .store
            .get_routing_profile(&at, &i.routing_profile_id)
            .await
            .api()?;
        let list = token::Listing::new(
            "routing-profile-manual-queues",
            &p.id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let names = self.queue_names(&at).await?;
        let mut queues = p.manual_queues;
        queues.sort_by_key(|q| queue_key(&q.queue_id, &q.channel));
        let (page, next) = list.page_of(queues, |q| queue_key(&q.queue_id, &q.channel));
        Ok(ListRoutingProfileManualAssignmentQueuesResponse {
            routing_profile_manual_assignment_queue_config_summary_list: Some(
                page.into_iter()
                    .map(|q| RoutingProfileManualAssignmentQueueConfigSummary {
                        queue_arn: arn_in(&at, ResourceKind::Queue, &q.queue_id),
                        queue_name: names.get(&q.queue_id).cloned().unwrap_or_default(),
                        queue_id: q.queue_id,
                        channel: q.channel,
                    })
                    .collect(),
            ),
            next_token: next,
            last_modified_time: Some(p.modified.time.epoch_seconds()),
            last_modified_region: Some(p.modified.region),
        })
    }
}

impl ops::SearchRoutingProfiles for ConnectService {
    async fn search_routing_profiles(
        &self,
        ctx: &RequestContext,
        i: SearchRoutingProfilesRequest,
    ) -> Result<SearchRoutingProfilesResponse, SearchRoutingProfilesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let query = tag_filtered(
            i.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()),
            i.search_criteria.as_ref(),
            &ROUTING_PROFILE_FIELDS,
        )
        .api()?;
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
            out.push(render(&at, p, users));
        }
        Ok(SearchRoutingProfilesResponse {
            routing_profiles: Some(out),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}
