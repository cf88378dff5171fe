//! Quick connects: CreateQuickConnect, DescribeQuickConnect, ListQuickConnects,
//! UpdateQuickConnectName, UpdateQuickConnectConfig, DeleteQuickConnect and
//! SearchQuickConnects, and the queues that offer them
//! (AssociateQueueQuickConnects, DisassociateQueueQuickConnects,
//! ListQueueQuickConnects).

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::quick_connect::{
    self as dq, ConfigParts, Destination, QuickConnectChange, QuickConnectIds, QuickConnectType,
};
use roster_domain::resource_search::QUICK_CONNECT_FIELDS;
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, InstanceRef};
use roster_store::StoreError;

use crate::errors::{self, OrApi};
use crate::instances::arn_in;
use crate::resource_search::{everything, tag_filtered, Paging};
use crate::search::fingerprint;
use crate::{instance_ref, modified, token, ConnectService};

/// A request's `QuickConnectConfig` as a destination.
fn destination(c: &QuickConnectConfig) -> Result<Destination, Failure> {
    Destination::parse(
        "QuickConnectConfig",
        &c.quick_connect_type,
        ConfigParts {
            user: c
                .user_config
                .as_ref()
                .map(|u| (u.user_id.as_str(), u.contact_flow_id.as_str())),
            queue: c
                .queue_config
                .as_ref()
                .map(|q| (q.queue_id.as_str(), q.contact_flow_id.as_str())),
            phone: c.phone_config.as_ref().map(|p| p.phone_number.as_str()),
            flow: c.flow_config.as_ref().map(|f| f.contact_flow_id.as_str()),
        },
    )
    .api()
}

fn config_shape(d: &Destination) -> QuickConnectConfig {
    let mut c = QuickConnectConfig {
        quick_connect_type: d.kind().as_str().to_string(),
        user_config: None,
        queue_config: None,
        phone_config: None,
        flow_config: None,
    };
    match d {
        Destination::User {
            user_id,
            contact_flow_id,
        } => {
            c.user_config = Some(UserQuickConnectConfig {
                user_id: user_id.clone(),
                contact_flow_id: contact_flow_id.as_str().to_string(),
            })
        }
        Destination::Queue {
            queue_id,
            contact_flow_id,
        } => {
            c.queue_config = Some(QueueQuickConnectConfig {
                queue_id: queue_id.clone(),
                contact_flow_id: contact_flow_id.as_str().to_string(),
            })
        }
        Destination::PhoneNumber { phone_number } => {
            c.phone_config = Some(PhoneNumberQuickConnectConfig {
                phone_number: phone_number.clone(),
            })
        }
        Destination::Flow { contact_flow_id } => {
            c.flow_config = Some(FlowQuickConnectConfig {
                contact_flow_id: contact_flow_id.as_str().to_string(),
            })
        }
    }
    c
}

fn render(at: &InstanceRef, q: dq::QuickConnect) -> QuickConnect {
    QuickConnect {
        quick_connect_arn: Some(arn_in(at, ResourceKind::QuickConnect, &q.id)),
        quick_connect_config: Some(config_shape(&q.destination)),
        quick_connect_id: Some(q.id),
        name: Some(q.name),
        description: q.description,
        tags: Some(q.tags),
        last_modified_time: Some(q.modified.time.epoch_seconds()),
        last_modified_region: Some(q.modified.region),
    }
}

fn summary(at: &InstanceRef, q: dq::QuickConnect) -> QuickConnectSummary {
    QuickConnectSummary {
        arn: Some(arn_in(at, ResourceKind::QuickConnect, &q.id)),
        quick_connect_type: Some(q.destination.kind().as_str().to_string()),
        id: Some(q.id),
        name: Some(q.name),
        last_modified_time: Some(q.modified.time.epoch_seconds()),
        last_modified_region: Some(q.modified.region),
    }
}

/// Store failures of a create or an update: a destination's user or queue that is
/// not there names the member that sent it.
fn destination_failure(e: StoreError) -> Failure {
    match e {
        StoreError::MissingReference {
            kind: ResourceKind::User,
            id,
        } => Failure::invalid_parameter(format!(
            "QuickConnectConfig.UserConfig.UserId: user {id} does not exist in this instance"
        )),
        StoreError::MissingReference {
            kind: ResourceKind::Queue,
            id,
        } => Failure::invalid_parameter(format!(
            "QuickConnectConfig.QueueConfig.QueueId: queue {id} is not a standard queue of this instance"
        )),
        other => errors::store(other),
    }
}

fn name_clash(name: &str) -> String {
    format!("Name: a quick connect named {name} already exists in this instance")
}

impl ops::CreateQuickConnect for ConnectService {
    async fn create_quick_connect(
        &self,
        ctx: &RequestContext,
        i: CreateQuickConnectRequest,
    ) -> Result<CreateQuickConnectResponse, CreateQuickConnectError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let destination = destination(&i.quick_connect_config)?;
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let q = dq::QuickConnect {
            id: new_id(),
            name: i.name.clone(),
            description: i.description.clone(),
            destination,
            tags,
            modified: modified(ctx),
        };
        let id = q.id.clone();
        self.store
            .create_quick_connect(&at, q)
            .await
            .map_err(|e| -> CreateQuickConnectError {
                match e {
                    StoreError::Duplicate { .. } => {
                        DuplicateResourceException::new(name_clash(&i.name)).into()
                    }
                    // The only quota error of the operation's model list.
                    StoreError::QuotaReached { limit, .. } => LimitExceededException::new(format!(
                        "The instance already has {limit} quick connects, the most it may hold; \
                         delete some first"
                    ))
                    .into(),
                    other => destination_failure(other).into(),
                }
            })?;
        Ok(CreateQuickConnectResponse {
            quick_connect_arn: Some(arn_in(&at, ResourceKind::QuickConnect, &id)),
            quick_connect_id: Some(id),
        })
    }
}

impl ops::DescribeQuickConnect for ConnectService {
    async fn describe_quick_connect(
        &self,
        ctx: &RequestContext,
        i: DescribeQuickConnectRequest,
    ) -> Result<DescribeQuickConnectResponse, DescribeQuickConnectError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let q = self
            .store
            .get_quick_connect(&at, &i.quick_connect_id)
            .await
            .api()?;
        Ok(DescribeQuickConnectResponse {
            quick_connect: Some(render(&at, q)),
        })
    }
}

impl ops::ListQuickConnects for ConnectService {
    async fn list_quick_connects(
        &self,
        ctx: &RequestContext,
        i: ListQuickConnectsRequest,
    ) -> Result<ListQuickConnectsResponse, ListQuickConnectsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let mut types = Vec::new();
        for (n, t) in i.quick_connect_types.iter().flatten().enumerate() {
            let t = QuickConnectType::parse(&format!("QuickConnectTypes[{n}]"), t).api()?;
            if !types.contains(&t) {
                types.push(t);
            }
        }
        types.sort();
        // The token belongs to the filter it was made with.
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        let listing = format!("quick-connects:{}", names.join(","));
        let list = token::Listing::new(
            &listing,
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_quick_connects(&at, &types, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |q| q.id.clone());
        Ok(ListQuickConnectsResponse {
            quick_connect_summary_list: Some(found.into_iter().map(|q| summary(&at, q)).collect()),
            next_token: next,
        })
    }
}

impl ops::UpdateQuickConnectName for ConnectService {
    async fn update_quick_connect_name(
        &self,
        ctx: &RequestContext,
        i: UpdateQuickConnectNameRequest,
    ) -> Result<(), UpdateQuickConnectNameError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        if i.name.is_none() && i.description.is_none() {
            return Err(InvalidRequestException::new(
                "Name, Description: send at least one of them",
            )
            .into());
        }
        let change = QuickConnectChange {
            name: i.name.clone(),
            // The update's description may be empty (the create's may not): it removes
            // the description.
            description: i
                .description
                .clone()
                .map(|d| Some(d).filter(|d| !d.is_empty())),
            destination: None,
        };
        self.store
            .update_quick_connect(&at, &i.quick_connect_id, change, &modified(ctx))
            .await
            .map_err(|e| -> UpdateQuickConnectNameError {
                match e {
                    // The operation's model list has no DuplicateResourceException.
                    StoreError::Duplicate { .. } => InvalidParameterException::new(name_clash(
                        i.name.as_deref().unwrap_or_default(),
                    ))
                    .into(),
                    other => errors::store(other).into(),
                }
            })
    }
}

impl ops::UpdateQuickConnectConfig for ConnectService {
    async fn update_quick_connect_config(
        &self,
        ctx: &RequestContext,
        i: UpdateQuickConnectConfigRequest,
    ) -> Result<(), UpdateQuickConnectConfigError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = QuickConnectChange {
            destination: Some(destination(&i.quick_connect_config)?),
            ..QuickConnectChange::default()
        };
        Ok(self
            .store
            .update_quick_connect(&at, &i.quick_connect_id, change, &modified(ctx))
            .await
            .map_err(destination_failure)?)
    }
}

impl ops::DeleteQuickConnect for ConnectService {
    async fn delete_quick_connect(
        &self,
        ctx: &RequestContext,
        i: DeleteQuickConnectRequest,
    ) -> Result<(), DeleteQuickConnectError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        self.store
            .delete_quick_connect(&at, &i.quick_connect_id)
            .await
            .map_err(|e| -> DeleteQuickConnectError {
                match e {
                    // The operation's model list has no ResourceInUseException (contract §11).
                    StoreError::InUse { id, why, .. } => InvalidRequestException::new(format!(
                        "QuickConnectId: quick connect {id} cannot be deleted while in use: {why}; \
                         remove it from those queues with DisassociateQueueQuickConnects first"
                    ))
                    .into(),
                    other => errors::store(other).into(),
                }
            })
    }
}

/// A queue call's `QuickConnectIds`; an id that is not a quick connect of the
/// instance names the entry.
pub(crate) fn queue_call_failure(ids: &QuickConnectIds, e: StoreError) -> Failure {
    match e {
        StoreError::MissingReference {
            kind: ResourceKind::QuickConnect,
            id,
        } => {
            let n = ids.ids().iter().position(|i| *i == id).unwrap_or_default();
            Failure::invalid_parameter(format!(
                "QuickConnectIds[{n}]: quick connect {id} does not exist in this instance"
            ))
        }
        other => errors::store(other),
    }
}

impl ops::AssociateQueueQuickConnects for ConnectService {
    async fn associate_queue_quick_connects(
        &self,
        ctx: &RequestContext,
        i: AssociateQueueQuickConnectsRequest,
    ) -> Result<(), AssociateQueueQuickConnectsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let ids = QuickConnectIds::parse("QuickConnectIds", &i.quick_connect_ids).api()?;
        Ok(self
            .store
            .associate_queue_quick_connects(&at, &i.queue_id, ids.ids(), &modified(ctx))
            .await
            .map_err(|e| queue_call_failure(&ids, e))?)
    }
}

impl ops::DisassociateQueueQuickConnects for ConnectService {
    async fn disassociate_queue_quick_connects(
        &self,
        ctx: &RequestContext,
        i: DisassociateQueueQuickConnectsRequest,
    ) -> Result<(), DisassociateQueueQuickConnectsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let ids = QuickConnectIds::parse("QuickConnectIds", &i.quick_connect_ids).api()?;
        Ok(self
            .store
            .disassociate_queue_quick_connects(&at, &i.queue_id, ids.ids(), &modified(ctx))
            .await
            .map_err(|e| queue_call_failure(&ids, e))?)
    }
}

impl ops::ListQueueQuickConnects for ConnectService {
    async fn list_queue_quick_connects(
        &self,
        ctx: &RequestContext,
        i: ListQueueQuickConnectsRequest,
    ) -> Result<ListQueueQuickConnectsResponse, ListQueueQuickConnectsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        // The token belongs to the queue it was made for.
        let listing = format!("queue-quick-connects:{}", i.queue_id);
        let list = token::Listing::new(
            &listing,
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let (found, queue_modified) = self
            .store
            .list_queue_quick_connects(&at, &i.queue_id, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |q| q.id.clone());
        Ok(ListQueueQuickConnectsResponse {
            quick_connect_summary_list: Some(found.into_iter().map(|q| summary(&at, q)).collect()),
            next_token: next,
            last_modified_time: Some(queue_modified.time.epoch_seconds()),
            last_modified_region: Some(queue_modified.region),
        })
    }
}

impl ops::SearchQuickConnects for ConnectService {
    async fn search_quick_connects(
        &self,
        ctx: &RequestContext,
        i: SearchQuickConnectsRequest,
    ) -> Result<SearchQuickConnectsResponse, SearchQuickConnectsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let query = tag_filtered(
            i.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()),
            i.search_criteria.as_ref(),
            &QUICK_CONNECT_FIELDS,
        )
        .api()?;
        let all = everything(
            |page| {
                let at = &at;
                async move { self.store.list_quick_connects(at, &[], &page).await }
            },
            |q| q.id.clone(),
        )
        .await
        .api()?;
        let paging = Paging {
            listing: "search-quick-connects",
            instance: &at.instance_id,
            fingerprint: fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria),
            next_token: i.next_token.as_ref(),
            max_results: i.max_results,
        };
        let found = paging.run(all, |q| q.id.as_str(), &query)?;
        Ok(SearchQuickConnectsResponse {
            quick_connects: Some(found.items.into_iter().map(|q| render(&at, q)).collect()),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}
