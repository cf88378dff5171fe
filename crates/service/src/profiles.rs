//! Queues.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::entities::QueueType;

use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::{instance_ref, token, ConnectService};

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
