//! CreateInstance, DescribeInstance, ListInstances, DeleteInstance and the instance
//! attributes.

use roster_api::*;
use roster_domain::arn::{instance_arn, resource_arn, ResourceKind};
use roster_domain::entities::{Queue, RoutingProfile};
use roster_domain::hours::HoursOfOperation;
use roster_domain::instance::{
    self as inst, IdentityManagementType, Instance, InstanceAttributeType,
};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, Timestamp};
use roster_store::NewInstance;

use crate::errors::OrApi;
use crate::{instance_ref, modified, scope, token, ConnectService};

impl ops::CreateInstance for ConnectService {
    async fn create_instance(
        &self,
        ctx: &RequestContext,
        i: CreateInstanceRequest,
    ) -> Result<CreateInstanceResponse, CreateInstanceError> {
        let idm = IdentityManagementType::parse(&i.identity_management_type).api()?;
        if let Some(alias) = &i.instance_alias {
            inst::validate_alias(alias).api()?;
        }
        match (idm, &i.directory_id) {
            (IdentityManagementType::ExistingDirectory, None) => {
                return Err(InvalidRequestException::new(
                    "DirectoryId: is required when IdentityManagementType is EXISTING_DIRECTORY",
                )
                .into())
            }
            (IdentityManagementType::ExistingDirectory, Some(d)) => {
                inst::validate_directory_id(d).api()?
            }
            (_, Some(_)) => return Err(InvalidRequestException::new(
                "DirectoryId: may be sent only when IdentityManagementType is EXISTING_DIRECTORY",
            )
            .into()),
            (_, None) => {}
        }
        if idm != IdentityManagementType::ExistingDirectory && i.instance_alias.is_none() {
            return Err(InvalidRequestException::new(format!(
                "InstanceAlias: is required when IdentityManagementType is {}",
                idm.as_str()
            ))
            .into());
        }
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let inbound = i.inbound_calls_enabled;
        let outbound = i.outbound_calls_enabled;

        let scope = scope(ctx);
        let id = new_id();
        let m = modified(ctx);
        let instance = Instance {
            id: id.clone(),
            scope: scope.clone(),
            identity_management_type: idm,
            alias: i.instance_alias.clone(),
            directory_id: i.directory_id.clone(),
            created_time: Timestamp::now(),
            inbound_calls_enabled: inbound,
            outbound_calls_enabled: outbound,
        };
        let hours = HoursOfOperation::basic(new_id(), m.clone());
        let queue = Queue::basic(new_id(), hours.id.clone(), m.clone());
        let routing = RoutingProfile::basic(new_id(), queue.id.clone(), m.clone());
        // Admin, Agent, CallCenterManager and QualityAnalyst, with their permissions.
        let security_profiles = roster_domain::security::default_profiles(&m);
        let attributes = InstanceAttributeType::ALL
            .iter()
            .map(|a| (*a, a.default_value(inbound, outbound)))
            .collect();
        self.store
        .create_instance(NewInstance {
            instance,
            tags,
            attributes,
            security_profiles,
            hours_of_operation: vec![hours],
            queues: vec![queue],
            routing_profiles: vec![routing],
        })
        .await
        .map_err(|e| -> CreateInstanceError { match e {
            roster_store::StoreError::Duplicate { .. } => InvalidRequestException::new(format!(
                "InstanceAlias: an instance with alias {} already exists in this account and region",
                i.instance_alias.as_deref().unwrap_or("")
            )).into(),
            other => crate::errors::store(other).into(),
        }})?;
        Ok(CreateInstanceResponse {
            arn: Some(instance_arn(&scope, &id)),
            id: Some(id),
        })
    }
}

fn access_url(instance: &Instance) -> String {
    match &instance.alias {
        Some(alias) => format!("https://{alias}.my.connect.aws"),
        None => format!("https://{}.my.connect.aws", instance.id),
    }
}

fn service_role(instance: &Instance) -> String {
    let suffix: String = instance.id.chars().filter(|c| *c != '-').take(20).collect();
    format!(
        "arn:aws:iam::{}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_{suffix}",
        instance.scope.account_id,
    )
}

impl ops::DescribeInstance for ConnectService {
    async fn describe_instance(
        &self,
        ctx: &RequestContext,
        i: DescribeInstanceRequest,
    ) -> Result<DescribeInstanceResponse, DescribeInstanceError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let instance = self
            .store
            .get_instance(&at.scope, &at.instance_id)
            .await
            .api()?;
        let tags = self.store.instance_tags(&at).await.api()?;
        Ok(DescribeInstanceResponse {
            instance: Some(roster_api::Instance {
                id: Some(instance.id.clone()),
                arn: Some(instance_arn(&instance.scope, &instance.id)),
                identity_management_type: Some(instance.identity_management_type.as_str().into()),
                instance_alias: instance.alias.clone(),
                created_time: Some(instance.created_time.epoch_seconds()),
                service_role: Some(service_role(&instance)),
                instance_status: Some("ACTIVE".into()),
                status_reason: None,
                inbound_calls_enabled: Some(instance.inbound_calls_enabled),
                outbound_calls_enabled: Some(instance.outbound_calls_enabled),
                instance_access_url: Some(access_url(&instance)),
                tags: (!tags.is_empty()).then_some(tags),
            }),
            replication_configuration: None,
        })
    }
}

impl ops::ListInstances for ConnectService {
    async fn list_instances(
        &self,
        ctx: &RequestContext,
        i: ListInstancesRequest,
    ) -> Result<ListInstancesResponse, ListInstancesError> {
        let scope = scope(ctx);
        let owner = format!("{}:{}", scope.account_id, scope.region);
        let list = token::Listing::new(
            "instances",
            &owner,
            i.next_token.as_ref(),
            i.max_results,
            10,
        )?;
        let found = self.store.list_instances(&scope, &list.page).await.api()?;
        let (found, next) = list.finish(found, |x| x.id.clone());
        Ok(ListInstancesResponse {
            instance_summary_list: Some(
                found
                    .iter()
                    .map(|inst| InstanceSummary {
                        id: Some(inst.id.clone()),
                        arn: Some(instance_arn(&inst.scope, &inst.id)),
                        identity_management_type: Some(
                            inst.identity_management_type.as_str().into(),
                        ),
                        instance_alias: inst.alias.clone(),
                        created_time: Some(inst.created_time.epoch_seconds()),
                        service_role: Some(service_role(inst)),
                        instance_status: Some("ACTIVE".into()),
                        inbound_calls_enabled: Some(inst.inbound_calls_enabled),
                        outbound_calls_enabled: Some(inst.outbound_calls_enabled),
                        instance_access_url: Some(access_url(inst)),
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}

impl ops::DeleteInstance for ConnectService {
    async fn delete_instance(
        &self,
        ctx: &RequestContext,
        i: DeleteInstanceRequest,
    ) -> Result<(), DeleteInstanceError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        Ok(self
            .store
            .delete_instance(&at.scope, &at.instance_id)
            .await
            .api()?)
    }
}

fn attribute_type(raw: &str) -> Result<InstanceAttributeType, Failure> {
    InstanceAttributeType::parse(raw).ok_or_else(|| {
        Failure::invalid_parameter(format!(
            "AttributeType: {raw} is not an instance attribute type"
        ))
    })
}

impl ops::DescribeInstanceAttribute for ConnectService {
    async fn describe_instance_attribute(
        &self,
        ctx: &RequestContext,
        i: DescribeInstanceAttributeRequest,
    ) -> Result<DescribeInstanceAttributeResponse, DescribeInstanceAttributeError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let attr = attribute_type(&i.attribute_type)?;
        let value = self.store.get_instance_attribute(&at, attr).await.api()?;
        Ok(DescribeInstanceAttributeResponse {
            attribute: Some(Attribute {
                attribute_type: Some(attr.as_str().into()),
                value: Some(value.to_string()),
            }),
        })
    }
}

impl ops::UpdateInstanceAttribute for ConnectService {
    async fn update_instance_attribute(
        &self,
        ctx: &RequestContext,
        i: UpdateInstanceAttributeRequest,
    ) -> Result<(), UpdateInstanceAttributeError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let attr = attribute_type(&i.attribute_type)?;
        let value = inst::parse_attribute_value(&i.value).api()?;
        Ok(self
            .store
            .set_instance_attribute(&at, attr, value)
            .await
            .api()?)
    }
}

impl ops::ListInstanceAttributes for ConnectService {
    async fn list_instance_attributes(
        &self,
        ctx: &RequestContext,
        i: ListInstanceAttributesRequest,
    ) -> Result<ListInstanceAttributesResponse, ListInstanceAttributesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let all = self.store.list_instance_attributes(&at).await.api()?;
        let list = token::Listing::new(
            "attributes",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            7,
        )?;
        let start = match &list.page.after {
            Some(after) => all
                .iter()
                .position(|(a, _)| a.as_str() == after)
                .map(|p| p + 1)
                .unwrap_or(all.len()),
            None => 0,
        };
        let rest: Vec<_> = all.into_iter().skip(start).take(list.page.limit).collect();
        let (rest, next) = list.finish(rest, |(a, _)| a.as_str().to_string());
        Ok(ListInstanceAttributesResponse {
            attributes: Some(
                rest.into_iter()
                    .map(|(a, v)| Attribute {
                        attribute_type: Some(a.as_str().into()),
                        value: Some(v.to_string()),
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}

/// The ARN of a resource in the instance `at`.
pub(crate) fn arn_in(at: &roster_domain::InstanceRef, kind: ResourceKind, id: &str) -> String {
    resource_arn(&at.scope, &at.instance_id, kind, id)
}
