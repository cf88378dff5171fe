//! Hours of operation: CreateHoursOfOperation, DescribeHoursOfOperation,
//! ListHoursOfOperations, UpdateHoursOfOperation, DeleteHoursOfOperation and
//! SearchHoursOfOperations.

use roster_api::*;
use roster_domain::arn::ResourceKind;
use roster_domain::hours::{
    self as dh, Day, HoursChange, Opening, ParentHours, TimeOfDay, TimeZone, WeeklyHours,
};
use roster_domain::resource_search::HOURS_OF_OPERATION_FIELDS;
use roster_domain::tags::{validate_tags, Tags};
use roster_domain::{new_id, DomainError, InstanceRef};
use roster_store::StoreError;

use crate::errors::{self, OrApi};
use crate::instances::arn_in;
use crate::resource_search::{everything, tag_filtered, Paging};
use crate::search::fingerprint;
use crate::{instance_ref, modified, token, ConnectService};

/// The `Config` list of a request as the week's openings.
fn weekly_hours(config: &[HoursOfOperationConfig]) -> Result<WeeklyHours, DomainError> {
    let mut openings = Vec::with_capacity(config.len());
    for (i, c) in config.iter().enumerate() {
        let field = format!("Config[{i}]");
        let time = |member: &str, t: &HoursOfOperationTimeSlice| {
            TimeOfDay::parse(
                &format!("{field}.{member}"),
                i64::from(t.hours),
                i64::from(t.minutes),
            )
        };
        openings.push(Opening::new(
            &field,
            Day::parse(&format!("{field}.Day"), &c.day)?,
            time("StartTime", &c.start_time)?,
            time("EndTime", &c.end_time)?,
        )?);
    }
    WeeklyHours::new("Config", openings)
}

fn config_shape(config: &WeeklyHours) -> Vec<HoursOfOperationConfig> {
    let slice = |t: TimeOfDay| HoursOfOperationTimeSlice {
        hours: i32::from(t.hours()),
        minutes: i32::from(t.minutes()),
    };
    config
        .openings()
        .iter()
        .map(|o| HoursOfOperationConfig {
            day: o.day().as_str().to_string(),
            start_time: slice(o.start()),
            end_time: slice(o.end()),
        })
        .collect()
}

fn duplicate_name(name: &str) -> DuplicateResourceException {
    DuplicateResourceException::new(format!(
        "Name: hours of operation named {name} already exist in this instance"
    ))
}

impl ops::CreateHoursOfOperation for ConnectService {
    async fn create_hours_of_operation(
        &self,
        ctx: &RequestContext,
        i: CreateHoursOfOperationRequest,
    ) -> Result<CreateHoursOfOperationResponse, CreateHoursOfOperationError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let time_zone = TimeZone::parse("TimeZone", &i.time_zone).api()?;
        let config = weekly_hours(&i.config).api()?;
        let parents = ParentHours::parse(
            "ParentHoursOfOperationConfigs",
            i.parent_hours_of_operation_configs
                .iter()
                .flatten()
                .map(|p| p.hours_of_operation_id.clone())
                .collect(),
        )
        .api()?;
        let tags: Tags = i.tags.clone().unwrap_or_default();
        validate_tags("Tags", &tags).api()?;
        let hours = dh::HoursOfOperation {
            id: new_id(),
            name: i.name.clone(),
            description: i.description.clone(),
            time_zone,
            config,
            parents,
            tags,
            modified: modified(ctx),
        };
        let id = hours.id.clone();
        self.store
            .create_hours_of_operation(&at, hours)
            .await
            .map_err(|e| -> CreateHoursOfOperationError {
                match e {
                    StoreError::Duplicate { .. } => duplicate_name(&i.name).into(),
                    StoreError::MissingReference {
                        kind: ResourceKind::HoursOfOperation,
                        id,
                    } => InvalidParameterException::new(format!(
                        "ParentHoursOfOperationConfigs: hours of operation {id} do not exist in this instance"
                    ))
                    .into(),
                    other => errors::store(other).into(),
                }
            })?;
        Ok(CreateHoursOfOperationResponse {
            hours_of_operation_arn: Some(arn_in(&at, ResourceKind::HoursOfOperation, &id)),
            hours_of_operation_id: Some(id),
        })
    }
}

impl ops::DescribeHoursOfOperation for ConnectService {
    async fn describe_hours_of_operation(
        &self,
        ctx: &RequestContext,
        i: DescribeHoursOfOperationRequest,
    ) -> Result<DescribeHoursOfOperationResponse, DescribeHoursOfOperationError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let h = self
            .store
            .get_hours_of_operation(&at, &i.hours_of_operation_id)
            .await
            .api()?;
        let parents = self.parents(&at, &h).await?;
        Ok(DescribeHoursOfOperationResponse {
            hours_of_operation: Some(shape(&at, h, parents)),
        })
    }
}

/// Hours as Describe and Search answer them.
fn shape(
    at: &InstanceRef,
    h: dh::HoursOfOperation,
    parents: Option<Vec<HoursOfOperationsIdentifier>>,
) -> HoursOfOperation {
    HoursOfOperation {
        hours_of_operation_arn: Some(arn_in(at, ResourceKind::HoursOfOperation, &h.id)),
        hours_of_operation_id: Some(h.id),
        name: Some(h.name),
        description: h.description,
        time_zone: Some(h.time_zone.as_str().to_string()),
        config: Some(config_shape(&h.config)),
        parent_hours_of_operations: parents,
        tags: Some(h.tags),
        last_modified_time: Some(h.modified.time.epoch_seconds()),
        last_modified_region: Some(h.modified.region),
    }
}

impl ops::SearchHoursOfOperations for ConnectService {
    async fn search_hours_of_operations(
        &self,
        ctx: &RequestContext,
        i: SearchHoursOfOperationsRequest,
    ) -> Result<SearchHoursOfOperationsResponse, SearchHoursOfOperationsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let query = tag_filtered(
            i.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()),
            i.search_criteria.as_ref(),
            &HOURS_OF_OPERATION_FIELDS,
        )
        .api()?;
        let all = everything(
            |page| {
                let at = &at;
                async move { self.store.list_hours_of_operations(at, &page).await }
            },
            |h| h.id.clone(),
        )
        .await
        .api()?;
        let paging = Paging {
            listing: "search-hours-of-operations",
            instance: &at.instance_id,
            fingerprint: fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria),
            next_token: i.next_token.as_ref(),
            max_results: i.max_results,
        };
        let found = paging.run(all, |h| h.id.as_str(), &query)?;
        let mut out = Vec::with_capacity(found.items.len());
        for h in found.items {
            let parents = self.parents(&at, &h).await?;
            out.push(shape(&at, h, parents));
        }
        Ok(SearchHoursOfOperationsResponse {
            hours_of_operations: Some(out),
            next_token: found.next_token,
            approximate_total_count: Some(found.total),
        })
    }
}

impl ConnectService {
    /// The parents `h` links to, by name, id and ARN; `None` when it links to none.
    async fn parents(
        &self,
        at: &InstanceRef,
        h: &dh::HoursOfOperation,
    ) -> Result<Option<Vec<HoursOfOperationsIdentifier>>, Failure> {
        if h.parents.ids().is_empty() {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(h.parents.ids().len());
        for id in h.parents.ids() {
            // A parent cannot be deleted while linked, so it is there.
            let parent = self.store.get_hours_of_operation(at, id).await.api()?;
            out.push(HoursOfOperationsIdentifier {
                name: parent.name,
                arn: Some(arn_in(at, ResourceKind::HoursOfOperation, id)),
                id: parent.id,
            });
        }
        Ok(Some(out))
    }
}

impl ops::ListHoursOfOperations for ConnectService {
    async fn list_hours_of_operations(
        &self,
        ctx: &RequestContext,
        i: ListHoursOfOperationsRequest,
    ) -> Result<ListHoursOfOperationsResponse, ListHoursOfOperationsError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let list = token::Listing::new(
            "hours-of-operations",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_hours_of_operations(&at, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |h| h.id.clone());
        Ok(ListHoursOfOperationsResponse {
            hours_of_operation_summary_list: Some(
                found
                    .into_iter()
                    .map(|h| HoursOfOperationSummary {
                        arn: Some(arn_in(&at, ResourceKind::HoursOfOperation, &h.id)),
                        id: Some(h.id),
                        name: Some(h.name),
                        last_modified_time: Some(h.modified.time.epoch_seconds()),
                        last_modified_region: Some(h.modified.region),
                    })
                    .collect(),
            ),
            next_token: next,
        })
    }
}

impl ops::UpdateHoursOfOperation for ConnectService {
    async fn update_hours_of_operation(
        &self,
        ctx: &RequestContext,
        i: UpdateHoursOfOperationRequest,
    ) -> Result<(), UpdateHoursOfOperationError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let change = HoursChange {
            name: i.name.clone(),
            // The update's description may be empty (the create's may not): it removes
            // the description.
            description: i
                .description
                .clone()
                .map(|d| Some(d).filter(|d| !d.is_empty())),
            time_zone: i
                .time_zone
                .as_deref()
                .map(|tz| TimeZone::parse("TimeZone", tz))
                .transpose()
                .api()?,
            config: i.config.as_deref().map(weekly_hours).transpose().api()?,
        };
        self.store
            .update_hours_of_operation(&at, &i.hours_of_operation_id, change, &modified(ctx))
            .await
            .map_err(|e| -> UpdateHoursOfOperationError {
                match e {
                    StoreError::Duplicate { .. } => {
                        duplicate_name(i.name.as_deref().unwrap_or_default()).into()
                    }
                    other => errors::store(other).into(),
                }
            })
    }
}

impl ops::DeleteHoursOfOperation for ConnectService {
    async fn delete_hours_of_operation(
        &self,
        ctx: &RequestContext,
        i: DeleteHoursOfOperationRequest,
    ) -> Result<(), DeleteHoursOfOperationError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        self.store
            .delete_hours_of_operation(&at, &i.hours_of_operation_id)
            .await
            .map_err(|e| -> DeleteHoursOfOperationError {
                match e {
                    // The operation's model list has no ResourceInUseException (contract §11).
                    StoreError::InUse { id, why, .. } => InvalidRequestException::new(format!(
                        "HoursOfOperationId: hours of operation {id} cannot be deleted while in use: {why}"
                    ))
                    .into(),
                    other => errors::store(other).into(),
                }
            })
    }
}
