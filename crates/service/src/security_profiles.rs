//! Security profiles: CreateSecurityProfile, DescribeSecurityProfile,
//! ListSecurityProfiles, UpdateSecurityProfile, DeleteSecurityProfile, and the lists
//! of a profile: ListSecurityProfilePermissions, ListSecurityProfileApplications,
//! ListSecurityProfileFlowModules, ListSecurityProfileAIAgents; and
//! SearchSecurityProfiles.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::resource_search::SECURITY_PROFILE_FIELDS;
use roster_domain::security::{
    self as sec, AiAgent, Application as DomainApplication, DataTableAccessControl,
    FlowModule as DomainFlowModule, GranularAccessControl, Permissions,
    PrimaryAttributeAccessControl, PrimaryAttributeValue as DomainPrimaryAttributeValue,
    RestrictedResources, SecurityProfile as DomainSecurityProfile, SecurityProfileUpdate,
};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, DomainError, InstanceRef};
use roster_store::StoreError;

use crate::errors::{self, OrApi};
use crate::instances::arn_in;
use crate::resource_search::{everything, tag_filtered, Paging};
use crate::search::fingerprint;
use crate::{instance_ref, modified, token, ConnectService};

/// What every roster security profile is: the customer's to change and delete. (The
/// service's own `AWS_MANAGED` profiles are none of roster's.)
const PROFILE_TYPE: &str = "CUSTOMER_MANAGED";

/// A member the model leaves optional that the profile cannot do without.
fn required<T>(value: Option<T>, field: impl FnOnce() -> String) -> Result<T, DomainError> {
    value.ok_or_else(|| DomainError::request(field(), "is required"))
}

fn applications(
    field: &str,
    apps: Vec<Application>,
) -> Result<Vec<DomainApplication>, DomainError> {
    let apps = apps
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(DomainApplication {
                namespace: required(a.namespace, || format!("{field}[{i}].Namespace"))?,
                permissions: required(a.application_permissions, || {
                    format!("{field}[{i}].ApplicationPermissions")
                })?,
                application_type: a.r#type,
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    sec::check_applications(field, &apps)?;
    Ok(apps)
}

fn flow_modules(
    field: &str,
    modules: Vec<FlowModule>,
) -> Result<Vec<DomainFlowModule>, DomainError> {
    let modules = modules
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            Ok(DomainFlowModule {
                flow_module_id: required(m.flow_module_id, || {
                    format!("{field}[{i}].FlowModuleId")
                })?,
                module_type: m.r#type,
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    sec::check_flow_modules(field, &modules)?;
    Ok(modules)
}

fn ai_agents(field: &str, agents: Vec<AIAgent>) -> Result<Vec<AiAgent>, DomainError> {
    let agents = agents
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(AiAgent {
                arn: required(a.arn, || format!("{field}[{i}].Arn"))?,
                agent_type: a.r#type,
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    sec::check_ai_agents(field, &agents)?;
    Ok(agents)
}

fn granular(
    field: &str,
    g: GranularAccessControlConfiguration,
) -> Result<GranularAccessControl, DomainError> {
    let data_table = match g.data_table_access_control_configuration {
        None => None,
        Some(d) => Some(DataTableAccessControl {
            primary_attributes: match d.primary_attribute_access_control_configuration {
                None => None,
                Some(p) => Some(PrimaryAttributeAccessControl {
                    values: match p.primary_attribute_values {
                        None => None,
                        Some(values) => Some(
                            values
                                .into_iter()
                                .enumerate()
                                .map(|(i, v)| {
                                    let at = format!(
                                        "{field}.DataTableAccessControlConfiguration.\
                                         PrimaryAttributeAccessControlConfiguration.PrimaryAttributeValues[{i}]"
                                    );
                                    DomainPrimaryAttributeValue::new(
                                        &at,
                                        v.access_type,
                                        required(v.attribute_name, || format!("{at}.AttributeName"))?,
                                        required(v.values, || format!("{at}.Values"))?,
                                    )
                                })
                                .collect::<Result<Vec<_>, DomainError>>()?,
                        ),
                    },
                }),
            },
        }),
    };
    Ok(GranularAccessControl { data_table })
}

fn granular_shape(g: &GranularAccessControl) -> GranularAccessControlConfiguration {
    GranularAccessControlConfiguration {
        data_table_access_control_configuration: g.data_table.as_ref().map(|d| {
            DataTableAccessControlConfiguration {
                primary_attribute_access_control_configuration: d.primary_attributes.as_ref().map(
                    |p| PrimaryAttributeAccessControlConfigurationItem {
                        primary_attribute_values: p.values.as_ref().map(|values| {
                            values
                                .iter()
                                .map(|v| PrimaryAttributeValue {
                                    access_type: v.access_type.clone(),
                                    attribute_name: Some(v.attribute_name.clone()),
                                    values: Some(v.values.clone()),
                                })
                                .collect()
                        }),
                    },
                ),
            }
        }),
    }
}

/// A store failure of a profile's write: a hierarchy group that does not exist is
/// named by the member that refers to it.
fn write_failure(e: StoreError) -> Failure {
    match e {
        StoreError::MissingReference {
            kind: ResourceKind::HierarchyGroup,
            id,
        } => Failure::invalid_parameter(format!(
            "AllowedAccessControlHierarchyGroupId: hierarchy group {id} does not exist in this instance"
        )),
        other => errors::store(other),
    }
}

impl ops::CreateSecurityProfile for ConnectService {
    async fn create_security_profile(
        &self,
        ctx: &RequestContext,
        i: CreateSecurityProfileRequest,
    ) -> Result<CreateSecurityProfileResponse, CreateSecurityProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        sec::validate_name(&i.security_profile_name).api()?;
        let tags: Tags = i.tags.unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let profile = DomainSecurityProfile {
            description: i.description,
            permissions: Permissions::parse("Permissions", i.permissions.unwrap_or_default())
                .api()?,
            allowed_access_control_tags: i.allowed_access_control_tags.unwrap_or_default(),
            tag_restricted_resources: RestrictedResources::tag(
                "TagRestrictedResources",
                i.tag_restricted_resources.unwrap_or_default(),
            )
            .api()?,
            allowed_access_control_hierarchy_group_id: i
                .allowed_access_control_hierarchy_group_id
                .and_then(sec::hierarchy_group),
            hierarchy_restricted_resources: RestrictedResources::hierarchy(
                "HierarchyRestrictedResources",
                i.hierarchy_restricted_resources.unwrap_or_default(),
            )
            .api()?,
            applications: applications("Applications", i.applications.unwrap_or_default()).api()?,
            allowed_flow_modules: flow_modules(
                "AllowedFlowModules",
                i.allowed_flow_modules.unwrap_or_default(),
            )
            .api()?,
            allowed_ai_agents: ai_agents(
                "AllowedAIAgents",
                i.allowed_ai_agents.unwrap_or_default(),
            )
            .api()?,
            granular_access_control: i
                .granular_access_control_configuration
                .map(|g| granular("GranularAccessControlConfiguration", g))
                .transpose()
                .api()?,
            tags,
            ..DomainSecurityProfile::new(new_id(), i.security_profile_name, modified(ctx))
        };
        let id = profile.id.clone();
        self.store
            .create_security_profile(&at, profile)
            .await
            .map_err(write_failure)?;
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
                organization_resource_id: Some(at.instance_id.clone()),
                security_profile_name: Some(p.name),
                description: p.description,
                tags: Some(p.tags),
                allowed_access_control_tags: Some(p.allowed_access_control_tags),
                tag_restricted_resources: Some(p.tag_restricted_resources.as_slice().to_vec()),
                last_modified_time: Some(p.modified.time.epoch_seconds()),
                last_modified_region: Some(p.modified.region),
                hierarchy_restricted_resources: Some(
                    p.hierarchy_restricted_resources.as_slice().to_vec(),
                ),
                allowed_access_control_hierarchy_group_id: p
                    .allowed_access_control_hierarchy_group_id,
                granular_access_control_configuration: p
                    .granular_access_control
                    .as_ref()
                    .map(granular_shape),
                r#type: Some(PROFILE_TYPE.into()),
                id: Some(p.id),
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
                        r#type: Some(PROFILE_TYPE.into()),
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}

impl ops::UpdateSecurityProfile for ConnectService {
    async fn update_security_profile(
        &self,
        ctx: &RequestContext,
        i: UpdateSecurityProfileRequest,
    ) -> Result<(), UpdateSecurityProfileError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let update = SecurityProfileUpdate {
            description: i.description,
            permissions: i
                .permissions
                .map(|p| Permissions::parse("Permissions", p))
                .transpose()
                .api()?,
            allowed_access_control_tags: i.allowed_access_control_tags,
            tag_restricted_resources: i
                .tag_restricted_resources
                .map(|r| RestrictedResources::tag("TagRestrictedResources", r))
                .transpose()
                .api()?,
            allowed_access_control_hierarchy_group_id: i
                .allowed_access_control_hierarchy_group_id
                .map(sec::hierarchy_group),
            hierarchy_restricted_resources: i
                .hierarchy_restricted_resources
                .map(|r| RestrictedResources::hierarchy("HierarchyRestrictedResources", r))
                .transpose()
                .api()?,
            applications: i
                .applications
                .map(|a| applications("Applications", a))
                .transpose()
                .api()?,
            allowed_flow_modules: i
                .allowed_flow_modules
                .map(|m| flow_modules("AllowedFlowModules", m))
                .transpose()
                .api()?,
            allowed_ai_agents: i
                .allowed_ai_agents
                .map(|a| ai_agents("AllowedAIAgents", a))
                .transpose()
                .api()?,
            granular_access_control: i
                .granular_access_control_configuration
                .map(|g| granular("GranularAccessControlConfiguration", g))
                .transpose()
                .api()?,
            modified: modified(ctx),
        };
        Ok(self
            .store
            .update_security_profile(&at, &i.security_profile_id, update)
            .await
            .map_err(write_failure)?)
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

/// One page of a list a profile keeps (its permissions, applications, flow modules or
/// AI agents): the positions of its items, and the token of the next page.
struct ProfileList {
    page: Vec<usize>,
    next: Option<String>,
}

impl ConnectService {
    /// The profile and a page of one of its lists (`which`, of `len` items). Lists
    /// are read whole from the stored profile and paged by position: each holds at
    /// most a few hundred items.
    async fn profile_list(
        &self,
        at: &InstanceRef,
        which: &str,
        profile_id: &str,
        next_token: Option<&String>,
        max_results: Option<i32>,
        len: impl FnOnce(&DomainSecurityProfile) -> usize,
    ) -> Result<(DomainSecurityProfile, ProfileList), Failure> {
        let listing = format!("security-profile-{which}:{profile_id}");
        let list = token::Listing::new(&listing, &at.instance_id, next_token, max_results, 100)?;
        let profile = self
            .store
            .get_security_profile(at, profile_id)
            .await
            .api()?;
        // Positions as fixed-width keys, so that their text order is their order.
        let (page, next) = list.page_of(0..len(&profile), |i| format!("{i:010}"));
        Ok((profile, ProfileList { page, next }))
    }
}

impl ops::ListSecurityProfilePermissions for ConnectService {
    async fn list_security_profile_permissions(
        &self,
        ctx: &RequestContext,
        i: ListSecurityProfilePermissionsRequest,
    ) -> Result<ListSecurityProfilePermissionsResponse, ListSecurityProfilePermissionsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let (p, list) = self
            .profile_list(
                &at,
                "permissions",
                &i.security_profile_id,
                i.next_token.as_ref(),
                i.max_results,
                |p| p.permissions.as_slice().len(),
            )
            .await?;
        let all = p.permissions.as_slice();
        Ok(ListSecurityProfilePermissionsResponse {
            permissions: Some(list.page.iter().map(|n| all[*n].clone()).collect()),
            next_token: list.next,
            last_modified_time: Some(p.modified.time.epoch_seconds()),
            last_modified_region: Some(p.modified.region),
        })
    }
}

impl ops::ListSecurityProfileApplications for ConnectService {
    async fn list_security_profile_applications(
        &self,
        ctx: &RequestContext,
        i: ListSecurityProfileApplicationsRequest,
    ) -> Result<ListSecurityProfileApplicationsResponse, ListSecurityProfileApplicationsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let (p, list) = self
            .profile_list(
                &at,
                "applications",
                &i.security_profile_id,
                i.next_token.as_ref(),
                i.max_results,
                |p| p.applications.len(),
            )
            .await?;
        Ok(ListSecurityProfileApplicationsResponse {
            applications: Some(
                list.page
                    .iter()
                    .map(|n| {
                        let a = &p.applications[*n];
                        Application {
                            namespace: Some(a.namespace.clone()),
                            application_permissions: Some(a.permissions.clone()),
                            r#type: a.application_type.clone(),
                        }
                    })
                    .collect(),
            ),
            next_token: list.next,
            last_modified_time: Some(p.modified.time.epoch_seconds()),
            last_modified_region: Some(p.modified.region.clone()),
        })
    }
}

impl ops::ListSecurityProfileFlowModules for ConnectService {
    async fn list_security_profile_flow_modules(
        &self,
        ctx: &RequestContext,
        i: ListSecurityProfileFlowModulesRequest,
    ) -> Result<ListSecurityProfileFlowModulesResponse, ListSecurityProfileFlowModulesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let (p, list) = self
            .profile_list(
                &at,
                "flow-modules",
                &i.security_profile_id,
                i.next_token.as_ref(),
                i.max_results,
                |p| p.allowed_flow_modules.len(),
            )
            .await?;
        Ok(ListSecurityProfileFlowModulesResponse {
            allowed_flow_modules: Some(
                list.page
                    .iter()
                    .map(|n| {
                        let m = &p.allowed_flow_modules[*n];
                        FlowModule {
                            r#type: m.module_type.clone(),
                            flow_module_id: Some(m.flow_module_id.clone()),
                        }
                    })
                    .collect(),
            ),
            next_token: list.next,
            last_modified_time: Some(p.modified.time.epoch_seconds()),
            last_modified_region: Some(p.modified.region.clone()),
        })
    }
}

impl ops::ListSecurityProfileAIAgents for ConnectService {
    async fn list_security_profile_ai_agents(
        &self,
        ctx: &RequestContext,
        i: ListSecurityProfileAIAgentsRequest,
    ) -> Result<ListSecurityProfileAIAgentsResponse, ListSecurityProfileAIAgentsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let (p, list) = self
            .profile_list(
                &at,
                "ai-agents",
                &i.security_profile_id,
                i.next_token.as_ref(),
                i.max_results,
                |p| p.allowed_ai_agents.len(),
            )
            .await?;
        Ok(ListSecurityProfileAIAgentsResponse {
            allowed_ai_agents: Some(
                list.page
                    .iter()
                    .map(|n| {
                        let a = &p.allowed_ai_agents[*n];
                        AIAgent {
                            arn: Some(a.arn.clone()),
                            r#type: a.agent_type.clone(),
                        }
                    })
                    .collect(),
            ),
            next_token: list.next,
            last_modified_time: Some(p.modified.time.epoch_seconds()),
            last_modified_region: Some(p.modified.region.clone()),
        })
    }
}

impl ops::SearchSecurityProfiles for ConnectService {
    async fn search_security_profiles(
        &self,
        ctx: &RequestContext,
        i: SearchSecurityProfilesRequest,
    ) -> Result<SearchSecurityProfilesResponse, SearchSecurityProfilesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let query = tag_filtered(
            i.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()),
            i.search_criteria.as_ref(),
            &SECURITY_PROFILE_FIELDS,
        )
        .api()?;
        let all = everything(
            |page| {
                let at = &at;
                async move { self.store.list_security_profiles(at, &page).await }
            },
            |p| p.id.clone(),
        )
        .await
        .api()?;
        let paging = Paging {
            listing: "search-security-profiles",
            instance: &at.instance_id,
            fingerprint: fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria),
            next_token: i.next_token.as_ref(),
            max_results: i.max_results,
        };
        let found = paging.run(all, |p| p.id.as_str(), &query)?;
        Ok(SearchSecurityProfilesResponse {
            security_profiles: Some(
                found
                    .items
                    .into_iter()
                    .map(|p| SecurityProfileSearchSummary {
                        arn: Some(arn_in(&at, ResourceKind::SecurityProfile, &p.id)),
                        organization_resource_id: Some(at.instance_id.clone()),
                        security_profile_name: Some(p.name),
                        description: p.description,
                        tags: Some(p.tags),
                        r#type: Some(PROFILE_TYPE.into()),
                        id: Some(p.id),
                    })
                    .collect(),
            ),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}
