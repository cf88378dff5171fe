//! The user hierarchy: its structure of up to five levels, and its groups.

use std::collections::HashMap;

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::hierarchy::{self as dh, HierarchyStructure as Structure};
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, InstanceRef};
use roster_store::StoreError;

use roster_domain::resource_search::{Query, HIERARCHY_GROUP_FIELDS};

use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::resource_search::{attribute_filter, criteria, everything, Paging};
use crate::search::{fingerprint, Budget};
use crate::{instance_ref, modified, token, ConnectService};

fn level_arn(at: &InstanceRef, level_id: &str) -> String {
    format!(
        "{}/agent-group-level/{level_id}",
        roster_domain::arn::instance_arn(&at.scope, &at.instance_id)
    )
}

impl ops::UpdateUserHierarchyStructure for ConnectService {
    async fn update_user_hierarchy_structure(
        &self,
        ctx: &RequestContext,
        i: UpdateUserHierarchyStructureRequest,
    ) -> Result<(), UpdateUserHierarchyStructureError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let s = &i.hierarchy_structure;
        let name = |l: &Option<HierarchyLevelUpdate>| l.as_ref().map(|l| l.name.clone());
        let structure = Structure::from_names(
            [
                name(&s.level_one),
                name(&s.level_two),
                name(&s.level_three),
                name(&s.level_four),
                name(&s.level_five),
            ],
            &modified(ctx),
        )
        .api()?;
        self.store.set_hierarchy_structure(&at, structure).await.map_err(|e| -> UpdateUserHierarchyStructureError { match e {
        StoreError::InUse { kind: ResourceKind::HierarchyGroup, id, why } => {
            ResourceInUseException::new(format!("HierarchyStructure: a level cannot be removed while groups use it: group {id} {why}"))
                .with_resource("HIERARCHY_LEVEL", id)
                .into()
        }
        other => crate::errors::store(other).into(),
    }})
    }
}

impl ops::DescribeUserHierarchyStructure for ConnectService {
    async fn describe_user_hierarchy_structure(
        &self,
        ctx: &RequestContext,
        i: DescribeUserHierarchyStructureRequest,
    ) -> Result<DescribeUserHierarchyStructureResponse, DescribeUserHierarchyStructureError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let s = self.store.get_hierarchy_structure(&at).await.api()?;
        let level = |n: usize| {
            s.level(n).map(|l| HierarchyLevel {
                id: Some(l.id.clone()),
                arn: Some(level_arn(&at, &l.id)),
                name: Some(l.name.clone()),
                last_modified_time: Some(l.modified.time.epoch_seconds()),
                last_modified_region: Some(l.modified.region.clone()),
            })
        };
        Ok(DescribeUserHierarchyStructureResponse {
            hierarchy_structure: Some(HierarchyStructure {
                level_one: level(1),
                level_two: level(2),
                level_three: level(3),
                level_four: level(4),
                level_five: level(5),
            }),
        })
    }
}

impl ops::CreateUserHierarchyGroup for ConnectService {
    async fn create_user_hierarchy_group(
        &self,
        ctx: &RequestContext,
        i: CreateUserHierarchyGroupRequest,
    ) -> Result<CreateUserHierarchyGroupResponse, CreateUserHierarchyGroupError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let name = &i.name;
        dh::validate_group_name("Name", name).api()?;
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let id = new_id();
        let group = match i.parent_group_id.as_deref().filter(|p| !p.is_empty()) {
            None => dh::HierarchyGroup::top(id.clone(), name.clone(), tags, modified(ctx)),
            Some(parent_id) => {
                let parent = self
                    .store
                    .get_hierarchy_group(&at, parent_id)
                    .await
                    .map_err(|e| -> CreateUserHierarchyGroupError {
                        match e {
                            StoreError::NotFound {
                                kind: ResourceKind::HierarchyGroup,
                                ..
                            } => InvalidParameterException::new(format!(
                                "ParentGroupId: hierarchy group {parent_id} does not exist in this instance"
                            ))
                            .into(),
                            other => crate::errors::store(other).into(),
                        }
                    })?;
                dh::HierarchyGroup::child_of(&parent, id.clone(), name.clone(), tags, modified(ctx))
            }
        }
        .api()?;
        self.store
            .create_hierarchy_group(&at, group)
            .await
            .map_err(|e| -> CreateUserHierarchyGroupError {
                match e {
                    StoreError::MissingReference {
                        kind: ResourceKind::HierarchyGroup,
                        id,
                    } => InvalidParameterException::new(format!(
                        "ParentGroupId: hierarchy group {id} does not exist in this instance"
                    ))
                    .into(),
                    StoreError::Duplicate { .. } => DuplicateResourceException::new(format!(
                        "Name: a hierarchy group named {name} already exists in this instance"
                    ))
                    .into(),
                    other => crate::errors::store(other).into(),
                }
            })?;
        Ok(CreateUserHierarchyGroupResponse {
            hierarchy_group_arn: Some(arn_in(&at, ResourceKind::HierarchyGroup, &id)),
            hierarchy_group_id: Some(id),
        })
    }
}

fn summary(at: &InstanceRef, g: &dh::HierarchyGroup) -> HierarchyGroupSummary {
    HierarchyGroupSummary {
        id: Some(g.id.clone()),
        arn: Some(arn_in(at, ResourceKind::HierarchyGroup, &g.id)),
        name: Some(g.name.clone()),
        last_modified_time: Some(g.modified.time.epoch_seconds()),
        last_modified_region: Some(g.modified.region.clone()),
    }
}

impl ops::DescribeUserHierarchyGroup for ConnectService {
    async fn describe_user_hierarchy_group(
        &self,
        ctx: &RequestContext,
        i: DescribeUserHierarchyGroupRequest,
    ) -> Result<DescribeUserHierarchyGroupResponse, DescribeUserHierarchyGroupError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let g = self
            .store
            .get_hierarchy_group(&at, &i.hierarchy_group_id)
            .await
            .api()?;
        let mut ancestors = Vec::with_capacity(g.path().len());
        for id in &g.path()[..g.path().len().saturating_sub(1)] {
            ancestors.push(self.store.get_hierarchy_group(&at, id).await.api()?);
        }
        Ok(DescribeUserHierarchyGroupResponse {
            hierarchy_group: Some(render(&at, &g, |id| ancestors.iter().find(|a| a.id == id))),
        })
    }
}

/// A group as Describe and Search answer it; `ancestor` finds the groups of its path.
fn render<'a>(
    at: &InstanceRef,
    g: &'a dh::HierarchyGroup,
    ancestor: impl Fn(&str) -> Option<&'a dh::HierarchyGroup>,
) -> HierarchyGroup {
    let mut levels = g.path().iter().map(|id| {
        if *id == g.id {
            Some(summary(at, g))
        } else {
            ancestor(id).map(|a| summary(at, a))
        }
    });
    let mut next = || levels.next().flatten();
    let hierarchy_path = HierarchyPath {
        level_one: next(),
        level_two: next(),
        level_three: next(),
        level_four: next(),
        level_five: next(),
    };
    HierarchyGroup {
        id: Some(g.id.clone()),
        arn: Some(arn_in(at, ResourceKind::HierarchyGroup, &g.id)),
        name: Some(g.name.clone()),
        level_id: Some(g.level().to_string()),
        hierarchy_path: Some(hierarchy_path),
        tags: Some(g.tags.clone()),
        last_modified_time: Some(g.modified.time.epoch_seconds()),
        last_modified_region: Some(g.modified.region.clone()),
    }
}

impl ops::SearchUserHierarchyGroups for ConnectService {
    async fn search_user_hierarchy_groups(
        &self,
        ctx: &RequestContext,
        i: SearchUserHierarchyGroupsRequest,
    ) -> Result<SearchUserHierarchyGroupsResponse, SearchUserHierarchyGroupsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let mut budget = Budget::default();
        let filter = match i
            .search_filter
            .as_ref()
            .and_then(|f| f.attribute_filter.as_ref())
        {
            Some(f) => attribute_filter(f, &mut budget).api()?,
            None => Query::All,
        };
        let crit = match &i.search_criteria {
            Some(c) => criteria("SearchCriteria", c, &HIERARCHY_GROUP_FIELDS, 1).api()?,
            None => Query::All,
        };
        let query = filter.and(crit);
        let groups = everything(
            |page| {
                let at = &at;
                async move { self.store.list_hierarchy_groups(at, &page).await }
            },
            |g| g.id.clone(),
        )
        .await
        .api()?;
        let paging = Paging {
            listing: "search-hierarchy-groups",
            instance: &at.instance_id,
            fingerprint: fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria),
            next_token: i.next_token.as_ref(),
            max_results: i.max_results,
        };
        let by_id: HashMap<&str, &dh::HierarchyGroup> =
            groups.iter().map(|g| (g.id.as_str(), g)).collect();
        let found = paging.run(groups.iter().collect(), |g| g.id.as_str(), &query)?;
        Ok(SearchUserHierarchyGroupsResponse {
            user_hierarchy_groups: Some(
                found
                    .items
                    .into_iter()
                    .map(|g| render(&at, g, |id| by_id.get(id).copied()))
                    .collect(),
            ),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}

impl ops::ListUserHierarchyGroups for ConnectService {
    async fn list_user_hierarchy_groups(
        &self,
        ctx: &RequestContext,
        i: ListUserHierarchyGroupsRequest,
    ) -> Result<ListUserHierarchyGroupsResponse, ListUserHierarchyGroupsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let list = token::Listing::new(
            "hierarchy-groups",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_hierarchy_groups(&at, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |g| g.id.clone());
        Ok(ListUserHierarchyGroupsResponse {
            user_hierarchy_group_summary_list: Some(
                found.iter().map(|g| summary(&at, g)).collect(),
            ),
            next_token: next,
        })
    }
}

impl ops::UpdateUserHierarchyGroupName for ConnectService {
    async fn update_user_hierarchy_group_name(
        &self,
        ctx: &RequestContext,
        i: UpdateUserHierarchyGroupNameRequest,
    ) -> Result<(), UpdateUserHierarchyGroupNameError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let name = &i.name;
        dh::validate_group_name("Name", name).api()?;
        let id = &i.hierarchy_group_id;
        self.store
            .rename_hierarchy_group(&at, id, name, &modified(ctx))
            .await
            .map_err(|e| -> UpdateUserHierarchyGroupNameError {
                match e {
                    StoreError::Duplicate { .. } => DuplicateResourceException::new(format!(
                        "Name: a hierarchy group named {name} already exists in this instance"
                    ))
                    .into(),
                    other => crate::errors::store(other).into(),
                }
            })
    }
}

impl ops::DeleteUserHierarchyGroup for ConnectService {
    async fn delete_user_hierarchy_group(
        &self,
        ctx: &RequestContext,
        i: DeleteUserHierarchyGroupRequest,
    ) -> Result<(), DeleteUserHierarchyGroupError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        Ok(self
            .store
            .delete_hierarchy_group(&at, &i.hierarchy_group_id)
            .await
            .api()?)
    }
}
