//! SearchUsers: the request's filter and criteria parsed into one condition tree, run
//! by the store with keyset pagination in (lowered username, id) order.

use roster_api::{
    ops, AccessDeniedException, AttributeAndCondition, ControlPlaneTagFilter,
    ControlPlaneUserAttributeFilter, Failure, HierarchyGroupCondition, ListCondition,
    NumberCondition, RequestContext, SearchUsersError, SearchUsersRequest, SearchUsersResponse,
    StringCondition, TagCondition, UserIdentityInfoLite, UserSearchCriteria, UserSearchFilter,
    UserSearchSummary,
};
use roster_domain::arn::ResourceKind;
use roster_domain::resource_search::Query;
use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch, MAX_DEPTH, MAX_HIERARCHY_CONDITIONS, MAX_TAG_CONDITIONS,
};
use roster_domain::DomainError;
use roster_store::{SearchRequest, UserCursor};

use crate::convert::{render_config, AcwUnit};
use crate::errors::OrApi;
use crate::instances::arn_in;
use crate::{instance_ref, ConnectService};

/// Counts of the conditions that have per-request caps.
#[derive(Default)]
pub(crate) struct Budget {
    tags: usize,
    hierarchy: usize,
}

impl Budget {
    pub(crate) fn tag(&mut self) -> Result<(), DomainError> {
        self.tags += 1;
        if self.tags > MAX_TAG_CONDITIONS {
            return Err(DomainError::param(
                "SearchFilter",
                format!("a search may use at most {MAX_TAG_CONDITIONS} tag conditions"),
            ));
        }
        Ok(())
    }
    fn hierarchy(&mut self) -> Result<(), DomainError> {
        self.hierarchy += 1;
        if self.hierarchy > MAX_HIERARCHY_CONDITIONS {
            return Err(DomainError::param(
                "SearchCriteria",
                format!("a search may use at most {MAX_HIERARCHY_CONDITIONS} hierarchy group conditions"),
            ));
        }
        Ok(())
    }
}

/// A condition tree that tag filters build: SearchUsers' [`Condition`] and the
/// resource searches' [`Query`], so that both decode tag filters with one function.
pub(crate) trait Tree: Sized {
    fn all() -> Self;
    fn and(all: Vec<Self>) -> Self;
    fn or(any: Vec<Self>) -> Self;
    fn tag(key: String, value: Option<String>) -> Self;
}

impl Tree for Condition {
    fn all() -> Self {
        Condition::All
    }
    fn and(all: Vec<Self>) -> Self {
        Condition::And(all)
    }
    fn or(any: Vec<Self>) -> Self {
        Condition::Or(any)
    }
    fn tag(key: String, value: Option<String>) -> Self {
        Condition::Tag { key, value }
    }
}

impl Tree for Query {
    fn all() -> Self {
        Query::All
    }
    fn and(all: Vec<Self>) -> Self {
        Query::And(all)
    }
    fn or(any: Vec<Self>) -> Self {
        Query::Or(any)
    }
    fn tag(key: String, value: Option<String>) -> Self {
        Query::Tag { key, value }
    }
}

pub(crate) fn tag<T: Tree>(
    path: &str,
    t: &TagCondition,
    budget: &mut Budget,
) -> Result<T, DomainError> {
    budget.tag()?;
    let key = t
        .tag_key
        .clone()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| DomainError::request(format!("{path}.TagKey"), "is required"))?;
    Ok(T::tag(key, t.tag_value.clone()))
}

fn hierarchy(
    path: &str,
    h: &HierarchyGroupCondition,
    budget: &mut Budget,
) -> Result<Condition, DomainError> {
    budget.hierarchy()?;
    let group_id = h
        .value
        .clone()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| DomainError::request(format!("{path}.Value"), "is required"))?;
    let matching = match h.hierarchy_group_match_type.as_deref() {
        None | Some("EXACT") => HierarchyMatch::Exact,
        Some("WITH_CHILD_GROUPS") => HierarchyMatch::WithChildGroups,
        Some(_) => {
            return Err(DomainError::param(
                format!("{path}.HierarchyGroupMatchType"),
                "must be EXACT or WITH_CHILD_GROUPS",
            ))
        }
    };
    Ok(Condition::Hierarchy { group_id, matching })
}

pub(crate) fn one_member(path: &str, set: usize, names: &str) -> Result<(), DomainError> {
    if set > 1 {
        return Err(DomainError::param(path, format!("set only one of {names}")));
    }
    Ok(())
}

/// A `ControlPlaneTagFilter`, as every search that has one reads it.
pub(crate) fn tag_filter<T: Tree>(
    f: &ControlPlaneTagFilter,
    budget: &mut Budget,
) -> Result<T, DomainError> {
    let p = "SearchFilter.TagFilter";
    let set = [
        f.or_conditions.is_some(),
        f.and_conditions.is_some(),
        f.tag_condition.is_some(),
    ];
    one_member(
        p,
        set.iter().filter(|s| **s).count(),
        "OrConditions, AndConditions, TagCondition",
    )?;
    if let Some(or) = &f.or_conditions {
        let mut any = Vec::new();
        for (i, and) in or.iter().enumerate() {
            let all = and
                .iter()
                .enumerate()
                .map(|(j, t)| tag(&format!("{p}.OrConditions[{i}][{j}]"), t, budget))
                .collect::<Result<Vec<_>, _>>()?;
            any.push(T::and(all));
        }
        return Ok(T::or(any));
    }
    if let Some(and) = &f.and_conditions {
        let all = and
            .iter()
            .enumerate()
            .map(|(j, t)| tag(&format!("{p}.AndConditions[{j}]"), t, budget))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(T::and(all));
    }
    match &f.tag_condition {
        Some(t) => tag(&format!("{p}.TagCondition"), t, budget),
        None => Ok(T::all()),
    }
}

fn attribute_and(
    path: &str,
    a: &AttributeAndCondition,
    budget: &mut Budget,
) -> Result<Condition, DomainError> {
    let mut all = Vec::new();
    for (j, t) in a.tag_conditions.iter().flatten().enumerate() {
        all.push(tag(&format!("{path}.TagConditions[{j}]"), t, budget)?);
    }
    if let Some(h) = &a.hierarchy_group_condition {
        all.push(hierarchy(
            &format!("{path}.HierarchyGroupCondition"),
            h,
            budget,
        )?);
    }
    Ok(Condition::And(all))
}

fn attribute_filter(
    f: &ControlPlaneUserAttributeFilter,
    budget: &mut Budget,
) -> Result<Condition, DomainError> {
    let p = "SearchFilter.UserAttributeFilter";
    let set = [
        f.or_conditions.is_some(),
        f.and_condition.is_some(),
        f.tag_condition.is_some(),
        f.hierarchy_group_condition.is_some(),
    ];
    one_member(
        p,
        set.iter().filter(|s| **s).count(),
        "OrConditions, AndCondition, TagCondition, HierarchyGroupCondition",
    )?;
    if let Some(or) = &f.or_conditions {
        let any = or
            .iter()
            .enumerate()
            .map(|(i, a)| attribute_and(&format!("{p}.OrConditions[{i}]"), a, budget))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Condition::Or(any));
    }
    if let Some(a) = &f.and_condition {
        return attribute_and(&format!("{p}.AndCondition"), a, budget);
    }
    if let Some(t) = &f.tag_condition {
        return tag(&format!("{p}.TagCondition"), t, budget);
    }
    match &f.hierarchy_group_condition {
        Some(h) => hierarchy(&format!("{p}.HierarchyGroupCondition"), h, budget),
        None => Ok(Condition::All),
    }
}

pub(crate) fn string_match(
    path: &str,
    s: &StringCondition,
    case_insensitive: bool,
) -> Result<StringMatch, DomainError> {
    let comparison = Comparison::parse(
        &format!("{path}.ComparisonType"),
        s.comparison_type
            .as_deref()
            .ok_or_else(|| DomainError::request(format!("{path}.ComparisonType"), "is required"))?,
    )?;
    let value = s
        .value
        .as_deref()
        .ok_or_else(|| DomainError::request(format!("{path}.Value"), "is required"))?;
    StringMatch::new(
        &format!("{path}.Value"),
        comparison,
        value,
        case_insensitive,
    )
}

fn level(path: &str, n: &NumberCondition) -> Result<LevelCondition, DomainError> {
    if n.field_name.as_deref() != Some("Level") {
        return Err(DomainError::param(
            format!("{path}.FieldName"),
            "must be Level",
        ));
    }
    let min = || {
        n.min_value.map(f64::from).ok_or_else(|| {
            DomainError::request(
                format!("{path}.MinValue"),
                "is required for this ComparisonType",
            )
        })
    };
    let max = || {
        n.max_value.map(f64::from).ok_or_else(|| {
            DomainError::request(
                format!("{path}.MaxValue"),
                "is required for this ComparisonType",
            )
        })
    };
    Ok(match n.comparison_type.as_deref() {
        Some("GREATER_OR_EQUAL") => LevelCondition::GreaterOrEqual(min()?),
        Some("GREATER") => LevelCondition::Greater(min()?),
        Some("LESSER_OR_EQUAL") => LevelCondition::LesserOrEqual(max()?),
        Some("LESSER") => LevelCondition::Lesser(max()?),
        Some("EQUAL") => LevelCondition::Equal(min()?),
        Some("NOT_EQUAL") => LevelCondition::NotEqual(min()?),
        Some("RANGE") => {
            let (lo, hi) = (min()?, max()?);
            if lo > hi {
                return Err(DomainError::param(format!("{path}.MinValue"), "must not be greater than MaxValue"));
            }
            LevelCondition::Range(lo, hi)
        }
        Some(_) => {
            return Err(DomainError::param(
                format!("{path}.ComparisonType"),
                "must be one of GREATER_OR_EQUAL, GREATER, LESSER_OR_EQUAL, LESSER, EQUAL, NOT_EQUAL, RANGE",
            ))
        }
        None => return Err(DomainError::request(format!("{path}.ComparisonType"), "is required")),
    })
}

fn list_condition(path: &str, l: &ListCondition) -> Result<Condition, DomainError> {
    if l.target_list_type.as_deref() != Some("PROFICIENCIES") {
        return Err(DomainError::param(
            format!("{path}.TargetListType"),
            "must be PROFICIENCIES",
        ));
    }
    let mut conds = Vec::new();
    for (i, c) in l.conditions.iter().flatten().enumerate() {
        let cp = format!("{path}.Conditions[{i}]");
        match (&c.string_condition, &c.number_condition) {
            (Some(s), None) => {
                let sp = format!("{cp}.StringCondition");
                let m = string_match(&sp, s, false)?;
                conds.push(match s.field_name.as_deref() {
                    Some("AttributeName") => ProficiencyCondition::AttributeName(m),
                    Some("AttributeValue") => ProficiencyCondition::AttributeValue(m),
                    _ => {
                        return Err(DomainError::param(
                            format!("{sp}.FieldName"),
                            "must be AttributeName or AttributeValue",
                        ))
                    }
                });
            }
            (None, Some(n)) => conds.push(ProficiencyCondition::Level(level(
                &format!("{cp}.NumberCondition"),
                n,
            )?)),
            _ => {
                return Err(DomainError::param(
                    cp,
                    "set exactly one of StringCondition, NumberCondition",
                ));
            }
        }
    }
    if conds.is_empty() {
        return Err(DomainError::request(
            format!("{path}.Conditions"),
            "must hold at least one condition",
        ));
    }
    Ok(Condition::Proficiency(conds))
}

fn criteria(
    path: &str,
    c: &UserSearchCriteria,
    depth: usize,
    budget: &mut Budget,
) -> Result<Condition, DomainError> {
    if depth > MAX_DEPTH {
        return Err(DomainError::param(
            path,
            format!("conditions may nest at most {MAX_DEPTH} levels deep"),
        ));
    }
    let set = [
        c.or_conditions.is_some(),
        c.and_conditions.is_some(),
        c.string_condition.is_some(),
        c.list_condition.is_some(),
        c.hierarchy_group_condition.is_some(),
    ];
    one_member(
        path,
        set.iter().filter(|s| **s).count(),
        "OrConditions, AndConditions, StringCondition, ListCondition, HierarchyGroupCondition",
    )?;
    let nested = |list: &Vec<UserSearchCriteria>, name: &str, budget: &mut Budget| {
        list.iter()
            .enumerate()
            .map(|(i, c)| criteria(&format!("{path}.{name}[{i}]"), c, depth + 1, budget))
            .collect::<Result<Vec<_>, _>>()
    };
    if let Some(or) = &c.or_conditions {
        return Ok(Condition::Or(nested(or, "OrConditions", budget)?));
    }
    if let Some(and) = &c.and_conditions {
        return Ok(Condition::And(nested(and, "AndConditions", budget)?));
    }
    if let Some(s) = &c.string_condition {
        let sp = format!("{path}.StringCondition");
        let field = StringField::parse(
            &format!("{sp}.FieldName"),
            s.field_name
                .as_deref()
                .ok_or_else(|| DomainError::request(format!("{sp}.FieldName"), "is required"))?,
        )?;
        let matcher = string_match(&sp, s, field.case_insensitive())?;
        return Ok(Condition::String { field, matcher });
    }
    if let Some(l) = &c.list_condition {
        return list_condition(&format!("{path}.ListCondition"), l);
    }
    match &c.hierarchy_group_condition {
        Some(h) => hierarchy(&format!("{path}.HierarchyGroupCondition"), h, budget),
        None => Ok(Condition::All),
    }
}

/// The whole request as one condition: the filter AND the criteria.
pub(crate) fn condition(
    filter: Option<&UserSearchFilter>,
    crit: Option<&UserSearchCriteria>,
) -> Result<Condition, SearchUsersError> {
    let mut budget = Budget::default();
    let f = match filter {
        Some(f) if f.tag_filter.is_some() && f.user_attribute_filter.is_some() => {
            // The seed's answer, declared in the generator's EXTRA_ERRORS.
            return Err(AccessDeniedException::new(
                "SearchFilter: TagFilter and UserAttributeFilter cannot be combined; send one of them",
            )
            .into());
        }
        Some(UserSearchFilter {
            tag_filter: Some(t),
            ..
        }) => tag_filter(t, &mut budget).api()?,
        Some(UserSearchFilter {
            user_attribute_filter: Some(a),
            ..
        }) => attribute_filter(a, &mut budget).api()?,
        _ => Condition::All,
    };
    let c = match crit {
        Some(c) => criteria("SearchCriteria", c, 1, &mut budget).api()?,
        None => Condition::All,
    };
    Ok(f.and(c))
}

/// A stable 64-bit FNV-1a fingerprint of a search, so a token only resumes the query
/// that made it.
pub(crate) fn fingerprint(
    instance: &str,
    filter: &impl serde::Serialize,
    crit: &impl serde::Serialize,
) -> String {
    let text = format!(
        "{instance}\n{}\n{}",
        serde_json::to_string(filter).unwrap_or_default(),
        serde_json::to_string(crit).unwrap_or_default()
    );
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

fn encode_token(fp: &str, cursor: &UserCursor) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "s1\n{fp}\n{}\n{}",
        cursor.username_lower, cursor.id
    ))
}

fn decode_token(fp: &str, token: &str) -> Result<UserCursor, Failure> {
    use base64::Engine;
    let invalid = || {
        Failure::invalid_request(
            "NextToken: is not a token this search returned; a token resumes only the query that made it",
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<&str> = text.splitn(4, '\n').collect();
    match parts.as_slice() {
        ["s1", f, name, id] if *f == fp && !id.is_empty() => Ok(UserCursor {
            username_lower: name.to_string(),
            id: id.to_string(),
        }),
        _ => Err(invalid()),
    }
}

impl ops::SearchUsers for ConnectService {
    async fn search_users(
        &self,
        ctx: &RequestContext,
        i: SearchUsersRequest,
    ) -> Result<SearchUsersResponse, SearchUsersError> {
        let at = instance_ref(ctx, &i.instance_id)?;
        let condition = condition(i.search_filter.as_ref(), i.search_criteria.as_ref())?;
        let fp = fingerprint(&at.instance_id, &i.search_filter, &i.search_criteria);
        let after = i
            .next_token
            .as_deref()
            .map(|t| decode_token(&fp, t))
            .transpose()?;
        let size = i.max_results.map(|m| m.max(1) as usize).unwrap_or(100);
        let page = self
            .store
            .search_users(
                &at,
                &SearchRequest {
                    condition,
                    after,
                    limit: size + 1,
                },
            )
            .await
            .api()?;
        let mut users = page.users;
        let next_token = if users.len() > size {
            users.truncate(size);
            users.last().map(|u| {
                encode_token(
                    &fp,
                    &UserCursor {
                        username_lower: u.username.unique_key(),
                        id: u.id.clone(),
                    },
                )
            })
        } else {
            None
        };
        Ok(SearchUsersResponse {
            users: Some(
                users
                    .into_iter()
                    .map(|u| {
                        let r = render_config(&u.config, AcwUnit::Milliseconds);
                        UserSearchSummary {
                            arn: Some(arn_in(&at, ResourceKind::User, &u.id)),
                            directory_user_id: u.directory_user_id,
                            hierarchy_group_id: u.hierarchy_group_id,
                            id: Some(u.id),
                            identity_info: Some(UserIdentityInfoLite {
                                first_name: u.identity.first_name,
                                last_name: u.identity.last_name,
                            }),
                            phone_config: Some(r.phone_config),
                            routing_profile_id: Some(u.routing_profile_id),
                            security_profile_ids: Some(u.security_profile_ids.into_vec()),
                            tags: Some(u.tags),
                            username: Some(u.username.as_str().to_string()),
                            auto_accept_configs: Some(r.auto_accept),
                            after_contact_work_configs: Some(r.after_contact_work),
                            phone_number_configs: Some(r.phone_numbers),
                            persistent_connection_configs: Some(r.persistent_connection),
                            voice_enhancement_configs: Some(r.voice_enhancement),
                        }
                    })
                    .collect(),
            ),
            next_token,
            approximate_total_count: Some(page.total as i64),
        })
    }
}

impl ConnectService {
    /// Every user a SearchUsers request matches (not one page: its `NextToken` and
    /// `MaxResults` are ignored) as [`ConnectService::export_users_csv`] writes them,
    /// the request checked as SearchUsers checks it.
    pub async fn export_search_csv(
        &self,
        ctx: &RequestContext,
        i: &SearchUsersRequest,
    ) -> Result<Vec<u8>, roster_api::ApiError> {
        if let Err(v) = roster_api::check::Validate::validate(i) {
            return Err(SearchUsersError::from(Failure::from(v)).into());
        }
        let c = condition(i.search_filter.as_ref(), i.search_criteria.as_ref())?;
        self.export_users_csv(ctx, &i.instance_id, Some(c))
            .await
            .map_err(|f| SearchUsersError::from(f).into())
    }
}
