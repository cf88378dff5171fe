//! Queues: CreateQueue, DescribeQueue, ListQueues, the UpdateQueue* operations and
//! DeleteQueue; and SearchQueues.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::queues::{self as dq, OutboundCaller, QueueChange, QueueStatus, QueueType};
use roster_domain::quick_connect::QuickConnectIds;
use roster_domain::resource_search::QUEUE_FIELDS;
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, DomainError, InstanceRef};
use roster_store::StoreError;

use crate::errors::{self, OrApi};
use crate::instances::arn_in;
use crate::quick_connects::queue_call_failure;
use crate::resource_search::{everything, tag_filtered, Paging};
use crate::search::fingerprint;
use crate::{instance_ref, modified, token, ConnectService};

/// The queue's outbound caller settings from the request's structure.
fn outbound_caller(field: &str, c: &OutboundCallerConfig) -> Result<OutboundCaller, DomainError> {
    OutboundCaller::new(
        field,
        c.outbound_caller_id_name.clone(),
        c.outbound_caller_id_number_id.clone(),
        c.outbound_flow_id.clone(),
    )
}

fn outbound_caller_shape(c: &OutboundCaller) -> Option<OutboundCallerConfig> {
    (!c.is_empty()).then(|| OutboundCallerConfig {
        outbound_caller_id_name: c.caller_id_name.clone(),
        outbound_caller_id_number_id: c.caller_id_number_id.clone(),
        outbound_flow_id: c.flow_id.clone(),
    })
}

/// Email addresses are not resources roster keeps (no operation creates or lists them,
/// nor a queue's), so a request associating some is refused.
fn check_email_addresses(config: Option<&[EmailAddressConfig]>) -> Result<(), DomainError> {
    match config {
        Some(list) if !list.is_empty() => Err(DomainError::request(
            "EmailAddressesConfig",
            "email addresses are not kept by roster, so none can be associated with a queue; \
             create the queue without them",
        )),
        _ => Ok(()),
    }
}

fn duplicate_name(name: &str) -> String {
    format!("Name: a queue named {name} already exists in this instance")
}

impl ops::CreateQueue for ConnectService {
    async fn create_queue(
        &self,
        ctx: &RequestContext,
        i: CreateQueueRequest,
    ) -> Result<CreateQueueResponse, CreateQueueError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let quick_connects = match i.quick_connect_ids.as_deref() {
            Some(ids) if !ids.is_empty() => {
                Some(QuickConnectIds::parse("QuickConnectIds", ids).api()?)
            }
            _ => None,
        };
        check_email_addresses(i.email_addresses_config.as_deref()).api()?;
        let max_contacts = dq::checked_max_contacts(i.max_contacts).api()?;
        let caller = i
            .outbound_caller_config
            .as_ref()
            .map(|c| outbound_caller("OutboundCallerConfig", c))
            .transpose()
            .api()?
            .unwrap_or_default();
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let queue = dq::Queue {
            description: i.description.clone(),
            max_contacts,
            outbound_caller: caller,
            outbound_email_address_id: i
                .outbound_email_config
                .as_ref()
                .and_then(|c| c.outbound_email_address_id.clone()),
            tags,
            ..dq::Queue::new(
                new_id(),
                i.name.clone(),
                i.hours_of_operation_id.clone(),
                modified(ctx),
            )
        };
        let id = queue.id.clone();
        self.store
            .create_queue(
                &at,
                queue,
                quick_connects.as_ref().map(|q| q.ids()).unwrap_or_default(),
            )
            .await
            .map_err(|e| -> CreateQueueError {
                match e {
                    e @ StoreError::MissingReference {
                        kind: ResourceKind::QuickConnect,
                        ..
                    } => match &quick_connects {
                        Some(ids) => queue_call_failure(ids, e).into(),
                        None => errors::store(e).into(),
                    },
                    StoreError::Duplicate { .. } => {
                        DuplicateResourceException::new(duplicate_name(&i.name)).into()
                    }
                    // The operation's model list names LimitExceededException for
                    // quotas, not ServiceQuotaExceededException.
                    StoreError::QuotaReached { limit, .. } => LimitExceededException::new(format!(
                        "The instance already has {limit} queues, the most it may hold; delete a queue first"
                    ))
                    .into(),
                    other => errors::store(other).into(),
                }
            })?;
        Ok(CreateQueueResponse {
            queue_arn: Some(arn_in(&at, ResourceKind::Queue, &id)),
            queue_id: Some(id),
        })
    }
}

impl ops::DescribeQueue for ConnectService {
    async fn describe_queue(
        &self,
        ctx: &RequestContext,
        i: DescribeQueueRequest,
    ) -> Result<DescribeQueueResponse, DescribeQueueError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let q = match self.store.get_queue(&at, &i.queue_id).await {
            Ok(q) => q,
            Err(StoreError::NotFound {
                kind: ResourceKind::Queue,
                id,
            }) => return Err(self.queue_not_found(&at, &id).await.into()),
            Err(e) => return Err(errors::store(e).into()),
        };
        Ok(DescribeQueueResponse {
            queue: Some(queue_shape(&at, q)),
        })
    }
}

/// A queue as DescribeQueue and SearchQueues answer it.
fn queue_shape(at: &InstanceRef, q: dq::Queue) -> Queue {
    Queue {
        queue_arn: Some(arn_in(at, ResourceKind::Queue, &q.id)),
        queue_id: Some(q.id),
        name: Some(q.name),
        description: q.description,
        outbound_caller_config: outbound_caller_shape(&q.outbound_caller),
        outbound_email_config: q.outbound_email_address_id.map(|id| OutboundEmailConfig {
            outbound_email_address_id: Some(id),
        }),
        hours_of_operation_id: Some(q.hours_of_operation_id),
        max_contacts: q.max_contacts,
        status: Some(q.status.as_str().to_string()),
        tags: Some(q.tags),
        last_modified_time: Some(q.modified.time.epoch_seconds()),
        last_modified_region: Some(q.modified.region),
    }
}

impl ops::SearchQueues for ConnectService {
    async fn search_queues(
        &self,
        ctx: &RequestContext,
        i: SearchQueuesRequest,
    ) -> Result<SearchQueuesResponse, SearchQueuesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let query = tag_filtered(
            i.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()),
            i.search_criteria.as_ref(),
            &QUEUE_FIELDS,
        )
        .api()?;
        // An instance holds at most `dq::MAX_PER_INSTANCE` standard queues: read each.
        let listed = everything(
            |page| {
                let at = &at;
                async move {
                    self.store
                        .list_queues(at, &[QueueType::Standard], &page)
                        .await
                }
            },
            |q| q.id.clone(),
        )
        .await
        .api()?;
        let mut all = Vec::with_capacity(listed.len());
        for summary in listed {
            match self.store.get_queue(&at, &summary.id).await {
                Ok(q) => all.push(q),
                // Deleted between the two reads.
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(errors::store(e).into()),
            }
        }
        let paging = Paging {
            listing: "search-queues",
            instance: &at.instance_id,
            fingerprint: fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria),
            next_token: i.next_token.as_ref(),
            max_results: i.max_results,
        };
        let found = paging.run(all, |q| q.id.as_str(), &query)?;
        Ok(SearchQueuesResponse {
            queues: Some(
                found
                    .items
                    .into_iter()
                    .map(|q| queue_shape(&at, q))
                    .collect(),
            ),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}

impl ConnectService {
    /// The answer for a queue id that names no standard queue: it may be a user's
    /// agent queue, which has no settings to describe or change.
    async fn queue_not_found(&self, at: &InstanceRef, id: &str) -> Failure {
        match self.store.get_user(at, id).await {
            Ok(_) => Failure::new(
                ErrorCode::ResourceNotFound,
                format!(
                    "Queue {id} is the agent queue of user {id}; agent queues are listed by \
                     ListQueues but have no settings of their own"
                ),
            ),
            Err(StoreError::NotFound { .. }) => {
                Failure::new(ErrorCode::ResourceNotFound, format!("Queue {id} not found"))
            }
            Err(e) => errors::store(e),
        }
    }

    /// Applies one UpdateQueue* change.
    async fn change_queue(
        &self,
        ctx: &RequestContext,
        at: &InstanceRef,
        id: &str,
        change: QueueChange,
    ) -> Result<(), Failure> {
        let name = match &change {
            QueueChange::Name { name, .. } => name.clone(),
            _ => None,
        };
        match self
            .store
            .update_queue(at, id, change, &modified(ctx))
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound {
                kind: ResourceKind::Queue,
                id,
            }) => Err(self.queue_not_found(at, &id).await),
            Err(StoreError::Duplicate { .. }) => Err(Failure::new(
                ErrorCode::DuplicateResource,
                duplicate_name(name.as_deref().unwrap_or_default()),
            )),
            Err(e) => Err(errors::store(e)),
        }
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
                        arn: Some(match q.queue_type {
                            QueueType::Standard => arn_in(&at, ResourceKind::Queue, &q.id),
                            // The agent queue's ARN: the queue segment, then agent/ and
                            // the user's id.
                            QueueType::Agent => {
                                arn_in(&at, ResourceKind::Queue, &format!("agent/{}", q.id))
                            }
                        }),
                        id: Some(q.id),
                        name: q.name,
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

impl ops::UpdateQueueHoursOfOperation for ConnectService {
    async fn update_queue_hours_of_operation(
        &self,
        ctx: &RequestContext,
        i: UpdateQueueHoursOfOperationRequest,
    ) -> Result<(), UpdateQueueHoursOfOperationError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = QueueChange::HoursOfOperation(i.hours_of_operation_id.clone());
        Ok(self.change_queue(ctx, &at, &i.queue_id, change).await?)
    }
}

impl ops::UpdateQueueMaxContacts for ConnectService {
    async fn update_queue_max_contacts(
        &self,
        ctx: &RequestContext,
        i: UpdateQueueMaxContactsRequest,
    ) -> Result<(), UpdateQueueMaxContactsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = QueueChange::max_contacts(i.max_contacts).api()?;
        Ok(self.change_queue(ctx, &at, &i.queue_id, change).await?)
    }
}

impl ops::UpdateQueueName for ConnectService {
    async fn update_queue_name(
        &self,
        ctx: &RequestContext,
        i: UpdateQueueNameRequest,
    ) -> Result<(), UpdateQueueNameError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = QueueChange::name(i.name.clone(), i.description.clone()).api()?;
        Ok(self.change_queue(ctx, &at, &i.queue_id, change).await?)
    }
}

impl ops::UpdateQueueOutboundCallerConfig for ConnectService {
    async fn update_queue_outbound_caller_config(
        &self,
        ctx: &RequestContext,
        i: UpdateQueueOutboundCallerConfigRequest,
    ) -> Result<(), UpdateQueueOutboundCallerConfigError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let caller = outbound_caller("OutboundCallerConfig", &i.outbound_caller_config).api()?;
        let change = QueueChange::OutboundCaller(caller);
        Ok(self.change_queue(ctx, &at, &i.queue_id, change).await?)
    }
}

impl ops::UpdateQueueOutboundEmailConfig for ConnectService {
    async fn update_queue_outbound_email_config(
        &self,
        ctx: &RequestContext,
        i: UpdateQueueOutboundEmailConfigRequest,
    ) -> Result<(), UpdateQueueOutboundEmailConfigError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change =
            QueueChange::OutboundEmail(i.outbound_email_config.outbound_email_address_id.clone());
        Ok(self.change_queue(ctx, &at, &i.queue_id, change).await?)
    }
}

impl ops::UpdateQueueStatus for ConnectService {
    async fn update_queue_status(
        &self,
        ctx: &RequestContext,
        i: UpdateQueueStatusRequest,
    ) -> Result<(), UpdateQueueStatusError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = QueueChange::Status(QueueStatus::parse("Status", &i.status).api()?);
        Ok(self.change_queue(ctx, &at, &i.queue_id, change).await?)
    }
}

impl ops::DeleteQueue for ConnectService {
    async fn delete_queue(
        &self,
        ctx: &RequestContext,
        i: DeleteQueueRequest,
    ) -> Result<(), DeleteQueueError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        match self.store.delete_queue(&at, &i.queue_id).await {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound {
                kind: ResourceKind::Queue,
                id,
            }) => Err(self.queue_not_found(&at, &id).await.into()),
            Err(e) => Err(errors::store(e).into()),
        }
    }
}
