//! TagResource, UntagResource and ListTagsForResource on the ARNs of an instance and
//! the resources in it.

use roster_api::*;
use roster_domain::arn::parse_arn;
use roster_domain::tags::{validate_key, validate_tags};
use roster_domain::InstanceRef;
use roster_store::ResourceRef;

use crate::errors::OrApi;
use crate::{required, scope, ConnectService};

/// The instance and resource an ARN names. An ARN of another account or region names
/// nothing this caller can see.
fn target(
    ctx: &RequestContext,
    arn: Option<&String>,
) -> Result<(InstanceRef, ResourceRef), ApiError> {
    let arn = arn.ok_or_else(|| ApiError::invalid_request("resourceArn: is required"))?;
    let parsed = parse_arn(arn).ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "resourceArn: {arn} is not the ARN of a Connect resource roster can tag"
        ))
    })?;
    let scope = scope(ctx);
    if parsed.scope != scope {
        return Err(ApiError::not_found(format!("Resource {arn} not found")));
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

pub(crate) async fn tag(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: TagResourceRequest,
) -> Result<(), ApiError> {
    let (at, resource) = target(ctx, i.resource_arn.as_ref())?;
    let tags = required(&i.tags, "tags")?;
    validate_tags("tags", tags).api()?;
    svc.store.tag_resource(&at, &resource, tags).await.api()
}

pub(crate) async fn untag(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UntagResourceRequest,
) -> Result<(), ApiError> {
    let (at, resource) = target(ctx, i.resource_arn.as_ref())?;
    let keys = required(&i.tag_keys, "tagKeys")?;
    for k in keys {
        validate_key("tagKeys", k).api()?;
    }
    svc.store.untag_resource(&at, &resource, keys).await.api()
}

pub(crate) async fn list(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let (at, resource) = target(ctx, i.resource_arn.as_ref())?;
    let tags = svc.store.list_tags(&at, &resource).await.api()?;
    Ok(ListTagsForResourceResponse { tags: Some(tags) })
}
