//! SearchUsers scenarios: request bodies built from the fixture, signed ahead of the run,
//! sent in rotation by concurrent workers for a fixed time.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use serde_json::{json, Value};

use crate::client::{approximate_total_count, new_client, send, Api, Prepared, Reply};
use crate::data::{
    first_name_infixes, last_name_prefixes, username_prefixes, Names, Rng, DEPTS, LANGUAGES, SKILLS,
};
use crate::drive::{self, Use};
use crate::fixture::Fixture;
use crate::stats::{Summary, Tally};

/// How many distinct parameter values a scenario rotates through (at most).
const VARIANTS: usize = 64;

/// The scenarios, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// SearchFilter.TagFilter.TagCondition dept=X.
    Tag,
    /// HierarchyGroupCondition on a level-1 group, WITH_CHILD_GROUPS.
    Hierarchy,
    /// Username STARTS_WITH a 3-4 letter prefix.
    UsernamePrefix,
    /// FirstName CONTAINS a 3-letter infix.
    FirstNameContains,
    /// ListCondition on proficiencies: attribute, value, minimum level.
    Proficiency,
    /// AND of (LastName STARTS_WITH OR FirstName CONTAINS), a level-2 group
    /// WITH_CHILD_GROUPS, and a proficiency ListCondition.
    Nested,
}

impl Scenario {
    pub const ALL: [Scenario; 6] = [
        Scenario::Tag,
        Scenario::Hierarchy,
        Scenario::UsernamePrefix,
        Scenario::FirstNameContains,
        Scenario::Proficiency,
        Scenario::Nested,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Tag => "tag",
            Scenario::Hierarchy => "hierarchy",
            Scenario::UsernamePrefix => "username-prefix",
            Scenario::FirstNameContains => "firstname-contains",
            Scenario::Proficiency => "proficiency",
            Scenario::Nested => "nested",
        }
    }
}

fn string_condition(field: &str, value: &str, comparison: &str) -> Value {
    json!({"StringCondition": {"FieldName": field, "Value": value, "ComparisonType": comparison}})
}

fn hierarchy_condition(group: &str) -> Value {
    json!({"HierarchyGroupCondition": {"Value": group, "HierarchyGroupMatchType": "WITH_CHILD_GROUPS"}})
}

/// A proficiency ListCondition: attribute `name` with `value` at `min_level` or above.
/// `NumberCondition.MinValue` is an integer in the model.
fn proficiency_condition(name: &str, value: &str, min_level: i32) -> Value {
    json!({"ListCondition": {
        "TargetListType": "PROFICIENCIES",
        "Conditions": [
            {"StringCondition": {"FieldName": "AttributeName", "Value": name, "ComparisonType": "EXACT"}},
            {"StringCondition": {"FieldName": "AttributeValue", "Value": value, "ComparisonType": "EXACT"}},
            {"NumberCondition": {"FieldName": "Level", "MinValue": min_level, "ComparisonType": "GREATER_OR_EQUAL"}},
        ],
    }})
}

/// Attribute, value and minimum level for proficiency conditions, in rotation order.
fn proficiency_params() -> Vec<(&'static str, &'static str, i32)> {
    let mut out = Vec::new();
    for level in [4, 3, 5] {
        for v in LANGUAGES {
            out.push(("Language", v, level));
        }
        for v in SKILLS {
            out.push(("Skill", v, level));
        }
    }
    out
}

/// The request bodies of a scenario, and a note on how it differs from its description.
pub fn bodies(
    scenario: Scenario,
    fx: &Fixture,
    names: &Names,
    max_results: u32,
) -> (Vec<Value>, Option<String>) {
    let base = |extra: Value| {
        let mut body = json!({"InstanceId": fx.instance_id, "MaxResults": max_results});
        for (k, v) in extra.as_object().expect("an object").iter() {
            body[k] = v.clone();
        }
        body
    };
    let mut note = None;
    let list: Vec<Value> = match scenario {
        Scenario::Tag => DEPTS
            .iter()
            .map(|d| {
                base(json!({"SearchFilter": {"TagFilter": {
                    "TagCondition": {"TagKey": "dept", "TagValue": d}
                }}}))
            })
            .collect(),
        Scenario::Hierarchy => fx
            .level1_groups
            .iter()
            .map(|g| base(json!({"SearchCriteria": hierarchy_condition(g)})))
            .collect(),
        Scenario::UsernamePrefix => username_prefixes(VARIANTS)
            .iter()
            .map(|p| {
                base(json!({"SearchCriteria": string_condition("Username", p, "STARTS_WITH")}))
            })
            .collect(),
        Scenario::FirstNameContains => first_name_infixes(names, VARIANTS)
            .iter()
            .map(|p| base(json!({"SearchCriteria": string_condition("FirstName", p, "CONTAINS")})))
            .collect(),
        Scenario::Proficiency => proficiency_params()
            .into_iter()
            .map(|(n, v, l)| base(json!({"SearchCriteria": proficiency_condition(n, v, l)})))
            .collect(),
        Scenario::Nested => {
            if !fx.proficiencies {
                note = Some("without the ListCondition: the fixture has no proficiencies".into());
            }
            let last = last_name_prefixes(VARIANTS);
            let infixes = first_name_infixes(names, VARIANTS * 2);
            let profs = proficiency_params();
            let mut rng = Rng::new(0x000e_57ed);
            (0..VARIANTS)
                .map(|k| {
                    let mut and = vec![
                        json!({"OrConditions": [
                            string_condition("LastName", &last[k], "STARTS_WITH"),
                            string_condition("FirstName", &infixes[VARIANTS + k], "CONTAINS"),
                        ]}),
                        hierarchy_condition(rng.pick(&fx.level2_groups).as_str()),
                    ];
                    if fx.proficiencies {
                        let (n, v, _) = *rng.pick(&profs);
                        // Lower minimum levels here: the other two conditions already narrow.
                        and.push(proficiency_condition(n, v, 2 + (k % 3) as i32));
                    }
                    base(json!({"SearchCriteria": {"AndConditions": and}}))
                })
                .collect()
        }
    };
    (list, note)
}

/// Signs every body for `POST /search-users`.
pub fn prepare(api: &Api, bodies: &[Value]) -> anyhow::Result<Vec<Prepared>> {
    bodies
        .iter()
        .map(|b| {
            let body = Bytes::from(serde_json::to_vec(b)?);
            api.prepare(Method::POST, "/search-users", "", body)
        })
        .collect()
}

/// How one request went.
pub enum Check {
    /// 200 with `ApproximateTotalCount`.
    Ok(u64),
    NotImplemented(String),
    Error(String),
}

/// Sends one request and checks the reply.
pub async fn probe(req: &Prepared) -> anyhow::Result<Check> {
    let reply = send(&new_client(), req).await?;
    Ok(check(
        reply.status,
        &reply.body,
        || reply.text(),
        reply.is_not_implemented(),
    ))
}

fn check(status: u16, body: &[u8], text: impl FnOnce() -> String, not_impl: bool) -> Check {
    if not_impl {
        return Check::NotImplemented(text());
    }
    if status != 200 {
        return Check::Error(format!("HTTP {status}: {}", text()));
    }
    match approximate_total_count(body) {
        Some(n) => Check::Ok(n),
        None => Check::Error(format!(
            "HTTP 200 without ApproximateTotalCount: {}",
            text()
        )),
    }
}

/// Sends `requests` in rotation with `concurrency` workers (one connection each) for
/// `duration`, after an unrecorded `warmup`.
pub async fn measure(
    name: &str,
    requests: Vec<Prepared>,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
) -> anyhow::Result<Summary> {
    let requests = Arc::new(requests);
    if !warmup.is_zero() {
        run_for(&requests, concurrency, warmup).await?;
    }
    let (tally, elapsed) = run_for(&requests, concurrency, duration).await?;
    Ok(tally.search_summary(name, elapsed))
}

async fn run_for(
    requests: &Arc<Vec<Prepared>>,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<(Tally, Duration)> {
    let run = drive::run_for(requests, Use::Rotate, concurrency, duration, search_check).await?;
    Ok((run.tally, run.elapsed))
}

/// A search succeeds with a 200 carrying `ApproximateTotalCount`.
fn search_check(reply: &Reply) -> Result<u64, String> {
    match check(
        reply.status,
        &reply.body,
        || reply.text(),
        reply.is_not_implemented(),
    ) {
        Check::Ok(n) => Ok(n),
        Check::NotImplemented(e) | Check::Error(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(proficiencies: bool) -> Fixture {
        Fixture {
            instance_id: "i".into(),
            alias: "a".into(),
            security_profiles: vec!["s".into()],
            routing_profiles: vec!["r".into()],
            level1_groups: (0..5).map(|i| format!("g1-{i}")).collect(),
            level2_groups: (0..20).map(|i| format!("g2-{i}")).collect(),
            leaf_groups: (0..100).map(|i| format!("g3-{i}")).collect(),
            proficiencies,
            proficiencies_note: None,
        }
    }

    #[test]
    fn every_scenario_has_varied_bodies() {
        let names = Names::default();
        for s in Scenario::ALL {
            let (list, _) = bodies(s, &fixture(true), &names, 100);
            assert!(list.len() >= 5, "{s:?}");
            let distinct: std::collections::HashSet<String> =
                list.iter().map(|b| b.to_string()).collect();
            assert!(distinct.len() >= 5, "{s:?}");
            for b in &list {
                assert_eq!(b["InstanceId"], "i");
                assert_eq!(b["MaxResults"], 100);
            }
        }
    }

    #[test]
    fn nested_drops_the_list_condition_without_proficiencies() {
        let names = Names::default();
        let (with, note) = bodies(Scenario::Nested, &fixture(true), &names, 100);
        assert!(note.is_none());
        assert_eq!(
            with[0]["SearchCriteria"]["AndConditions"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        let (without, note) = bodies(Scenario::Nested, &fixture(false), &names, 100);
        assert!(note.is_some());
        assert_eq!(
            without[0]["SearchCriteria"]["AndConditions"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
}
