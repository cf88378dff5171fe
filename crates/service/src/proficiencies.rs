//! Predefined attributes and user proficiencies.

use roster_api::*;
use roster_domain::proficiency::{self as dp, ProficiencyChange};
use roster_domain::DomainError;

use roster_store::StoreError;

use crate::errors::OrApi;
use crate::{instance_ref, modified, token, ConnectService};

fn values(v: &Option<PredefinedAttributeValues>) -> Result<Vec<String>, Failure> {
    let list = v
        .as_ref()
        .and_then(|v| v.string_list.clone())
        .ok_or_else(|| Failure::invalid_request("Values.StringList: is required"))?;
    dp::validate_values("Values.StringList", &list).api()?;
    Ok(list)
}

impl ops::CreatePredefinedAttribute for ConnectService {
    async fn create_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: CreatePredefinedAttributeRequest,
    ) -> Result<(), CreatePredefinedAttributeError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let name = &i.name.clone();
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
        self.store
            .create_predefined_attribute(&at, attr)
            .await
            .map_err(|e| -> CreatePredefinedAttributeError {
                match e {
                    roster_store::StoreError::Duplicate { .. } => {
                        DuplicateResourceException::new(format!(
                    "Name: a predefined attribute named {name} already exists in this instance"
                ))
                        .into()
                    }
                    other => crate::errors::store(other).into(),
                }
            })
    }
}

impl ops::DescribePredefinedAttribute for ConnectService {
    async fn describe_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: DescribePredefinedAttributeRequest,
    ) -> Result<DescribePredefinedAttributeResponse, DescribePredefinedAttributeError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let a = self
            .store
            .get_predefined_attribute(&at, &i.name)
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
}

impl ops::ListPredefinedAttributes for ConnectService {
    async fn list_predefined_attributes(
        &self,
        ctx: &RequestContext,
        i: ListPredefinedAttributesRequest,
    ) -> Result<ListPredefinedAttributesResponse, ListPredefinedAttributesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let list = token::Listing::new(
            "predefined-attributes",
            &at.instance_id,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let found = self
            .store
            .list_predefined_attributes(&at, &list.page)
            .await
            .api()?;
        let (found, next) = list.finish(found, |a| a.name.clone());
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
}

impl ops::UpdatePredefinedAttribute for ConnectService {
    async fn update_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: UpdatePredefinedAttributeRequest,
    ) -> Result<(), UpdatePredefinedAttributeError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let mut a = self
            .store
            .get_predefined_attribute(&at, &i.name)
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
        // The model gives UpdatePredefinedAttribute no ResourceInUseException: a value
        // that users still hold is an invalid request naming what refers to it.
        self.store
            .update_predefined_attribute(&at, a)
            .await
            .map_err(|e| match e {
                StoreError::InUse { id, why, .. } => InvalidRequestException::new(format!(
                    "Values: a value of predefined attribute {id} cannot be removed: {why}"
                ))
                .into(),
                other => UpdatePredefinedAttributeError::from(crate::errors::store(other)),
            })
    }
}

impl ops::DeletePredefinedAttribute for ConnectService {
    async fn delete_predefined_attribute(
        &self,
        ctx: &RequestContext,
        i: DeletePredefinedAttributeRequest,
    ) -> Result<(), DeletePredefinedAttributeError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        Ok(self
            .store
            .delete_predefined_attribute(&at, &i.name)
            .await
            .api()?)
    }
}

fn proficiencies(list: &[UserProficiency]) -> Result<Vec<dp::UserProficiency>, DomainError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let f = |m: &str| format!("UserProficiencies[{i}].{m}");
            dp::validate_level(&f("Level"), p.level)?;
            Ok(dp::UserProficiency {
                attribute_name: p.attribute_name.clone(),
                attribute_value: p.attribute_value.clone(),
                level: p.level,
            })
        })
        .collect()
}

async fn change(
    svc: &ConnectService,
    ctx: &RequestContext,
    instance: &str,
    user: &str,
    change: ProficiencyChange,
) -> Result<(), Failure> {
    let at = instance_ref(ctx, instance)?;
    svc.store
        .change_user_proficiencies(&at, user, change, &modified(ctx))
        .await
        .api()
}

impl ops::AssociateUserProficiencies for ConnectService {
    async fn associate_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: AssociateUserProficienciesRequest,
    ) -> Result<(), AssociateUserProficienciesError> {
        let list = proficiencies(&i.user_proficiencies).api()?;
        Ok(change(
            self,
            ctx,
            &i.instance_id,
            &i.user_id,
            ProficiencyChange::Associate(list),
        )
        .await?)
    }
}

impl ops::UpdateUserProficiencies for ConnectService {
    async fn update_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: UpdateUserProficienciesRequest,
    ) -> Result<(), UpdateUserProficienciesError> {
        let list = proficiencies(&i.user_proficiencies).api()?;
        Ok(change(
            self,
            ctx,
            &i.instance_id,
            &i.user_id,
            ProficiencyChange::Update(list),
        )
        .await?)
    }
}

impl ops::DisassociateUserProficiencies for ConnectService {
    async fn disassociate_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: DisassociateUserProficienciesRequest,
    ) -> Result<(), DisassociateUserProficienciesError> {
        let list = i
            .user_proficiencies
            .iter()
            .map(|p| (p.attribute_name.clone(), p.attribute_value.clone()))
            .collect();
        Ok(change(
            self,
            ctx,
            &i.instance_id,
            &i.user_id,
            ProficiencyChange::Disassociate(list),
        )
        .await?)
    }
}

impl ops::ListUserProficiencies for ConnectService {
    async fn list_user_proficiencies(
        &self,
        ctx: &RequestContext,
        i: ListUserProficienciesRequest,
    ) -> Result<ListUserProficienciesResponse, ListUserProficienciesError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let user = &i.user_id;
        let (all, modified) = self.store.list_user_proficiencies(&at, user).await.api()?;
        let owner = format!("{}/{}", at.instance_id, user);
        let list = token::Listing::new(
            "user-proficiencies",
            &owner,
            i.next_token.as_ref(),
            i.max_results,
            100,
        )?;
        let key =
            |p: &dp::UserProficiency| format!("{}\u{1f}{}", p.attribute_name, p.attribute_value);
        let start = match &list.page.after {
            Some(after) => all
                .iter()
                .position(|p| &key(p) == after)
                .map(|n| n + 1)
                .unwrap_or(all.len()),
            None => 0,
        };
        let rest: Vec<_> = all.into_iter().skip(start).take(list.page.limit).collect();
        let (rest, next) = list.finish(rest, key);
        Ok(ListUserProficienciesResponse {
            next_token: next,
            user_proficiency_list: Some(
                rest.into_iter()
                    .map(|p| UserProficiency {
                        attribute_name: p.attribute_name,
                        attribute_value: p.attribute_value,
                        level: p.level,
                    })
                    .collect(),
            ),
            last_modified_time: modified.as_ref().map(|m| m.time.epoch_seconds()),
            last_modified_region: modified.map(|m| m.region),
        })
    }
}
