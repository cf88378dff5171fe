//! Predefined attributes and user proficiencies.

use roster_api::*;
use roster_domain::proficiency::{self as dp, ProficiencyChange};
use roster_domain::DomainError;

use crate::errors::OrApi;
use crate::{instance_ref, modified, required, token, ConnectService};

fn values(v: &Option<PredefinedAttributeValues>) -> Result<Vec<String>, ApiError> {
    let list = v
        .as_ref()
        .and_then(|v| v.string_list.clone())
        .ok_or_else(|| ApiError::invalid_request("Values.StringList: is required"))?;
    dp::validate_values("Values.StringList", &list).api()?;
    Ok(list)
}

pub(crate) async fn create_attribute(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: CreatePredefinedAttributeRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let name = required(&i.name, "Name")?.clone();
    let attr = dp::PredefinedAttribute {
        values: values(&i.values)?,
        purposes: i.purposes.clone().unwrap_or_default(),
        enable_value_validation_on_association: i
            .attribute_configuration
            .as_ref()
            .and_then(|c| c.enable_value_validation_on_association),
        modified: modified(ctx),
        name: name.clone(),
    };
    svc.store
        .create_predefined_attribute(&at, attr)
        .await
        .map_err(|e| match e {
            roster_store::StoreError::Duplicate { .. } => ApiError::new(
                ErrorCode::DuplicateResource,
                format!(
                    "Name: a predefined attribute named {name} already exists in this instance"
                ),
            ),
            other => crate::errors::store(other),
        })
}

pub(crate) async fn describe_attribute(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: DescribePredefinedAttributeRequest,
) -> Result<DescribePredefinedAttributeResponse, ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let a = svc
        .store
        .get_predefined_attribute(&at, required(&i.name, "Name")?)
        .await
        .api()?;
    Ok(DescribePredefinedAttributeResponse {
        predefined_attribute: Some(PredefinedAttribute {
            name: Some(a.name),
            values: Some(PredefinedAttributeValues {
                string_list: Some(a.values),
            }),
            purposes: (!a.purposes.is_empty()).then_some(a.purposes),
            attribute_configuration: a.enable_value_validation_on_association.map(|v| {
                PredefinedAttributeConfiguration {
                    enable_value_validation_on_association: Some(v),
                    is_read_only: Some(false),
                }
            }),
            last_modified_time: Some(a.modified.time.epoch_seconds()),
            last_modified_region: Some(a.modified.region),
        }),
    })
}

pub(crate) async fn list_attributes(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: ListPredefinedAttributesRequest,
) -> Result<ListPredefinedAttributesResponse, ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let (page, size) = token::page(
        "predefined-attributes",
        &at.instance_id,
        i.next_token.as_ref(),
        i.max_results,
        100,
    )?;
    let found = svc
        .store
        .list_predefined_attributes(&at, &page)
        .await
        .api()?;
    let (found, next) = token::finish("predefined-attributes", &at.instance_id, found, size, |a| {
        a.name.clone()
    });
    Ok(ListPredefinedAttributesResponse {
        predefined_attribute_summary_list: Some(
            found
                .into_iter()
                .map(|a| PredefinedAttributeSummary {
                    name: Some(a.name),
                    last_modified_time: Some(a.modified.time.epoch_seconds()),
                    last_modified_region: Some(a.modified.region),
                })
                .collect(),
        ),
        next_token: next,
    })
}

pub(crate) async fn update_attribute(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdatePredefinedAttributeRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let mut a = svc
        .store
        .get_predefined_attribute(&at, required(&i.name, "Name")?)
        .await
        .api()?;
    if i.values.is_some() {
        a.values = values(&i.values)?;
    }
    if let Some(p) = &i.purposes {
        a.purposes = p.clone();
    }
    if let Some(c) = &i.attribute_configuration {
        a.enable_value_validation_on_association = c.enable_value_validation_on_association;
    }
    a.modified = modified(ctx);
    svc.store.update_predefined_attribute(&at, a).await.api()
}

pub(crate) async fn delete_attribute(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: DeletePredefinedAttributeRequest,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    svc.store
        .delete_predefined_attribute(&at, required(&i.name, "Name")?)
        .await
        .api()
}

fn proficiencies(list: &[UserProficiency]) -> Result<Vec<dp::UserProficiency>, DomainError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let f = |m: &str| format!("UserProficiencies[{i}].{m}");
            let level = p
                .level
                .ok_or_else(|| DomainError::request(f("Level"), "is required"))?;
            dp::validate_level(&f("Level"), level)?;
            Ok(dp::UserProficiency {
                attribute_name: p
                    .attribute_name
                    .clone()
                    .ok_or_else(|| DomainError::request(f("AttributeName"), "is required"))?,
                attribute_value: p
                    .attribute_value
                    .clone()
                    .ok_or_else(|| DomainError::request(f("AttributeValue"), "is required"))?,
                level,
            })
        })
        .collect()
}

async fn change(
    svc: &ConnectService,
    ctx: &RequestContext,
    instance: Option<&String>,
    user: Option<&String>,
    change: ProficiencyChange,
) -> Result<(), ApiError> {
    let at = instance_ref(ctx, instance)?;
    let user = user.ok_or_else(|| ApiError::invalid_request("UserId: is required"))?;
    svc.store
        .change_user_proficiencies(&at, user, change, &modified(ctx))
        .await
        .api()
}

pub(crate) async fn associate(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: AssociateUserProficienciesRequest,
) -> Result<(), ApiError> {
    let list = proficiencies(required(&i.user_proficiencies, "UserProficiencies")?).api()?;
    change(
        svc,
        ctx,
        i.instance_id.as_ref(),
        i.user_id.as_ref(),
        ProficiencyChange::Associate(list),
    )
    .await
}

pub(crate) async fn update(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: UpdateUserProficienciesRequest,
) -> Result<(), ApiError> {
    let list = proficiencies(required(&i.user_proficiencies, "UserProficiencies")?).api()?;
    change(
        svc,
        ctx,
        i.instance_id.as_ref(),
        i.user_id.as_ref(),
        ProficiencyChange::Update(list),
    )
    .await
}

pub(crate) async fn disassociate(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: DisassociateUserProficienciesRequest,
) -> Result<(), ApiError> {
    let list = required(&i.user_proficiencies, "UserProficiencies")?
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let f = |m: &str| format!("UserProficiencies[{n}].{m}");
            Ok((
                required(&p.attribute_name, &f("AttributeName"))?.clone(),
                required(&p.attribute_value, &f("AttributeValue"))?.clone(),
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    change(
        svc,
        ctx,
        i.instance_id.as_ref(),
        i.user_id.as_ref(),
        ProficiencyChange::Disassociate(list),
    )
    .await
}

pub(crate) async fn list(
    svc: &ConnectService,
    ctx: &RequestContext,
    i: ListUserProficienciesRequest,
) -> Result<ListUserProficienciesResponse, ApiError> {
    let at = instance_ref(ctx, i.instance_id.as_ref())?;
    let user = required(&i.user_id, "UserId")?;
    let (all, modified) = svc.store.list_user_proficiencies(&at, user).await.api()?;
    let owner = format!("{}/{}", at.instance_id, user);
    let (page, size) = token::page(
        "user-proficiencies",
        &owner,
        i.next_token.as_ref(),
        i.max_results,
        100,
    )?;
    let key = |p: &dp::UserProficiency| format!("{}\u{1f}{}", p.attribute_name, p.attribute_value);
    let start = match &page.after {
        Some(after) => all
            .iter()
            .position(|p| &key(p) == after)
            .map(|n| n + 1)
            .unwrap_or(all.len()),
        None => 0,
    };
    let rest: Vec<_> = all.into_iter().skip(start).take(page.limit).collect();
    let (rest, next) = token::finish("user-proficiencies", &owner, rest, size, key);
    Ok(ListUserProficienciesResponse {
        next_token: next,
        user_proficiency_list: Some(
            rest.into_iter()
                .map(|p| UserProficiency {
                    attribute_name: Some(p.attribute_name),
                    attribute_value: Some(p.attribute_value),
                    level: Some(p.level),
                })
                .collect(),
        ),
        last_modified_time: modified.as_ref().map(|m| m.time.epoch_seconds()),
        last_modified_region: modified.map(|m| m.region),
    })
}
