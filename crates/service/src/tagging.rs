//! TagResource, UntagResource and ListTagsForResource on the ARNs of an instance and
//! the resources in it.

use roster_api::*;
use roster_domain::arn::parse_arn;
use roster_domain::tags::{validate_key, validate_tags};
use roster_domain::InstanceRef;
use roster_store::ResourceRef;

use crate::errors::OrApi;
use crate::{scope, ConnectService};

/// The instance and resource an ARN names. An ARN of another account or region names
/// nothing this caller can see.
fn target(ctx: &RequestContext, arn: &str) -> Result<(InstanceRef, ResourceRef), Failure> {
    let parsed = parse_arn(arn).ok_or_else(|| {
        Failure::invalid_parameter(format!(
            "resourceArn: {arn} is not the ARN of a Connect resource roster can tag"
        ))
    })?;
    let scope = scope(ctx);
    if parsed.scope != scope {
        return Err(Failure::not_found(format!("Resource {arn} not found")));
    }
    Ok((
        InstanceRef {
            scope,
            instance_id: parsed.instance_id,
        },
        ResourceRef {
            kind: parsed.kind,
            id: parsed.id,
        },
    ))
}

impl ops::TagResource for ConnectService {
    async fn tag_resource(
        &self,
        ctx: &RequestContext,
        i: TagResourceRequest,
    ) -> Result<(), TagResourceError> {
        let (at, resource) = target(ctx, &i.resource_arn)?;
        let tags = &i.tags;
        validate_tags("tags", tags).api()?;
        Ok(self.store.tag_resource(&at, &resource, tags).await.api()?)
    }
}

impl ops::UntagResource for ConnectService {
    async fn untag_resource(
        &self,
        ctx: &RequestContext,
        i: UntagResourceRequest,
    ) -> Result<(), UntagResourceError> {
        let (at, resource) = target(ctx, &i.resource_arn)?;
        let keys = &i.tag_keys;
        for k in keys {
            validate_key("tagKeys", k).api()?;
        }
        Ok(self
            .store
            .untag_resource(&at, &resource, keys)
            .await
            .api()?)
    }
}

impl ops::ListTagsForResource for ConnectService {
    async fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        i: ListTagsForResourceRequest,
    ) -> Result<ListTagsForResourceResponse, ListTagsForResourceError> {
        let (at, resource) = target(ctx, &i.resource_arn)?;
        let tags = self.store.list_tags(&at, &resource).await.api()?;
        Ok(ListTagsForResourceResponse { tags: Some(tags) })
    }
}
