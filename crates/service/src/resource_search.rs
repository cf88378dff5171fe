//! The searches of the resources around users. Each kind's criteria decode with one
//! function into the domain's [`Query`] (string conditions on the kind's documented
//! fields, And/Or nesting to SearchUsers' depth, the shared tag filters), which runs
//! over the instance's resources of that kind with the domain's evaluator; pages follow
//! id order, tokens are tied to the query, and `ApproximateTotalCount` counts every
//! match.

use std::future::Future;

use roster_api::{
    CommonAttributeAndCondition, ControlPlaneAttributeFilter, ControlPlaneTagFilter, Failure,
    HoursOfOperationSearchCriteria, QueueSearchCriteria, QuickConnectSearchCriteria,
    RoutingProfileSearchCriteria, SecurityProfileSearchCriteria, StringCondition,
    UserHierarchyGroupSearchCriteria,
};
use roster_domain::resource_search::{Facts, Fields, Query};
use roster_domain::search::MAX_DEPTH;
use roster_domain::DomainError;
use roster_store::{PageRequest, StoreResult};

use crate::search::{one_member, string_match, tag, tag_filter, Budget};
use crate::token;

/// The criteria shape of one Search* operation: the same three members in every kind
/// (plus, for some, a leaf of its own).
pub(crate) trait Criteria: Sized {
    fn or(&self) -> Option<&Vec<Self>>;
    fn and(&self) -> Option<&Vec<Self>>;
    fn string(&self) -> Option<&StringCondition>;
    /// The kind's own leaf, as its member name and the query it means.
    fn own(&self) -> Result<Option<(&'static str, Query)>, DomainError> {
        Ok(None)
    }
}

macro_rules! criteria {
    ($($t:ty),* $(,)?) => {$(
        impl Criteria for $t {
            fn or(&self) -> Option<&Vec<Self>> {
                self.or_conditions.as_ref()
            }
            fn and(&self) -> Option<&Vec<Self>> {
                self.and_conditions.as_ref()
            }
            fn string(&self) -> Option<&StringCondition> {
                self.string_condition.as_ref()
            }
        }
    )*};
}

criteria!(
    HoursOfOperationSearchCriteria,
    QuickConnectSearchCriteria,
    RoutingProfileSearchCriteria,
    SecurityProfileSearchCriteria,
    UserHierarchyGroupSearchCriteria
);

/// SearchQueues' criteria have a leaf of their own, `QueueTypeCondition`, whose one
/// value (`STANDARD`, checked at the edge) every queue a search sees satisfies:
/// SearchQueues searches the standard queues.
impl Criteria for QueueSearchCriteria {
    fn or(&self) -> Option<&Vec<Self>> {
        self.or_conditions.as_ref()
    }
    fn and(&self) -> Option<&Vec<Self>> {
        self.and_conditions.as_ref()
    }
    fn string(&self) -> Option<&StringCondition> {
        self.string_condition.as_ref()
    }
    fn own(&self) -> Result<Option<(&'static str, Query)>, DomainError> {
        Ok(self
            .queue_type_condition
            .as_ref()
            .map(|_| ("QueueTypeCondition", Query::All)))
    }
}

/// The query of a search whose filter is a `ControlPlaneTagFilter`: the filter's tag
/// conditions AND the criteria.
pub(crate) fn tag_filtered<C: Criteria>(
    filter: Option<&ControlPlaneTagFilter>,
    crit: Option<&C>,
    fields: &Fields,
) -> Result<Query, DomainError> {
    let mut budget = Budget::default();
    let filter = match filter {
        Some(f) => tag_filter(f, &mut budget)?,
        None => Query::All,
    };
    let crit = match crit {
        Some(c) => criteria("SearchCriteria", c, fields, 1)?,
        None => Query::All,
    };
    Ok(filter.and(crit))
}

/// A kind's criteria as one query.
pub(crate) fn criteria<C: Criteria>(
    path: &str,
    c: &C,
    fields: &Fields,
    depth: usize,
) -> Result<Query, DomainError> {
    if depth > MAX_DEPTH {
        return Err(DomainError::param(
            path,
            format!("conditions may nest at most {MAX_DEPTH} levels deep"),
        ));
    }
    let own = c.own()?;
    let set = [
        c.or().is_some(),
        c.and().is_some(),
        c.string().is_some(),
        own.is_some(),
    ];
    let names = match &own {
        Some((name, _)) => format!("OrConditions, AndConditions, StringCondition, {name}"),
        None => "OrConditions, AndConditions, StringCondition".to_string(),
    };
    one_member(path, set.iter().filter(|s| **s).count(), &names)?;
    let nested = |list: &Vec<C>, name: &str| {
        list.iter()
            .enumerate()
            .map(|(i, c)| criteria(&format!("{path}.{name}[{i}]"), c, fields, depth + 1))
            .collect::<Result<Vec<_>, _>>()
    };
    if let Some(or) = c.or() {
        return Ok(Query::Or(nested(or, "OrConditions")?));
    }
    if let Some(and) = c.and() {
        return Ok(Query::And(nested(and, "AndConditions")?));
    }
    if let Some(s) = c.string() {
        let sp = format!("{path}.StringCondition");
        let field = fields.parse(
            &format!("{sp}.FieldName"),
            s.field_name
                .as_deref()
                .ok_or_else(|| DomainError::request(format!("{sp}.FieldName"), "is required"))?,
        )?;
        let matcher = string_match(&sp, s, field.case_insensitive)?;
        return Ok(Query::String { field, matcher });
    }
    Ok(own.map(|(_, q)| q).unwrap_or(Query::All))
}

/// A `ControlPlaneAttributeFilter` (tag conditions only), as SearchUserHierarchyGroups
/// sends it.
pub(crate) fn attribute_filter(
    f: &ControlPlaneAttributeFilter,
    budget: &mut Budget,
) -> Result<Query, DomainError> {
    let p = "SearchFilter.AttributeFilter";
    let set = [
        f.or_conditions.is_some(),
        f.and_condition.is_some(),
        f.tag_condition.is_some(),
    ];
    one_member(
        p,
        set.iter().filter(|s| **s).count(),
        "OrConditions, AndCondition, TagCondition",
    )?;
    let and = |path: String, a: &CommonAttributeAndCondition, budget: &mut Budget| {
        a.tag_conditions
            .iter()
            .flatten()
            .enumerate()
            .map(|(j, t)| tag(&format!("{path}.TagConditions[{j}]"), t, budget))
            .collect::<Result<Vec<Query>, _>>()
            .map(Query::And)
    };
    if let Some(or) = &f.or_conditions {
        let any = or
            .iter()
            .enumerate()
            .map(|(i, a)| and(format!("{p}.OrConditions[{i}]"), a, budget))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Query::Or(any));
    }
    if let Some(a) = &f.and_condition {
        return and(format!("{p}.AndCondition"), a, budget);
    }
    match &f.tag_condition {
        Some(t) => tag(&format!("{p}.TagCondition"), t, budget),
        None => Ok(Query::All),
    }
}

/// Every resource of a kind, read from a store listing a chunk at a time.
pub(crate) async fn everything<T, F, Fut>(
    mut fetch: F,
    id: impl Fn(&T) -> String,
) -> StoreResult<Vec<T>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = StoreResult<Vec<T>>>,
{
    const CHUNK: usize = 1000;
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = fetch(PageRequest {
            after: after.take(),
            limit: CHUNK,
        })
        .await?;
        let full = page.len() == CHUNK;
        after = page.last().map(&id);
        all.extend(page);
        if !full {
            return Ok(all);
        }
    }
}

/// One page of a search's matches.
pub(crate) struct Found<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
    pub total: i64,
}

/// The request's paging: `MaxResults` (default 100) and the token, which resumes only
/// the query (`fingerprint`) of the kind (`listing`) in the instance that made it.
pub(crate) struct Paging<'a> {
    pub listing: &'a str,
    pub instance: &'a str,
    pub fingerprint: String,
    pub next_token: Option<&'a String>,
    pub max_results: Option<i32>,
}

impl Paging<'_> {
    /// The matches of `query` among `items` (in id order), one page of them.
    pub(crate) fn run<T: Facts>(
        &self,
        items: Vec<T>,
        id: impl Fn(&T) -> &str,
        query: &Query,
    ) -> Result<Found<T>, Failure> {
        let listing = format!("{}:{}", self.listing, self.fingerprint);
        let after = self
            .next_token
            .map(|t| token::decode(&listing, self.instance, t))
            .transpose()?;
        let size = self.max_results.map(|m| m.max(1) as usize).unwrap_or(100);
        let mut total = 0i64;
        let mut page = Vec::new();
        let mut more = false;
        for item in items {
            if !query.matches(&item) {
                continue;
            }
            total += 1;
            if after.as_deref().is_some_and(|a| id(&item) <= a) {
                continue;
            }
            if page.len() < size {
                page.push(item);
            } else {
                more = true;
            }
        }
        let next_token = if more {
            page.last()
                .map(|last| token::encode(&listing, self.instance, id(last)))
        } else {
            None
        };
        Ok(Found {
            items: page,
            next_token,
            total,
        })
    }
}
