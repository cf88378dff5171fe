//! The fixture, created through the public API: a SAML instance, a three-level hierarchy,
//! security and routing profiles, predefined attributes, then users in batches.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use bytes::Bytes;
use http::Method;
use serde::Serialize;
use serde_json::{json, Value};

use crate::client::{new_client, send, Api, HttpClient};
use crate::data::{Names, LANGUAGES, SKILLS};
use crate::stats::{Summary, Tally};

/// Level-1 groups, level-2 groups under each, level-3 groups under each of those.
pub const HIERARCHY_SHAPE: [usize; 3] = [5, 4, 5];
/// Security profiles created besides the instance's default ones.
const EXTRA_SECURITY_PROFILES: [&str; 3] = ["BenchSupervisor", "BenchBackOffice", "BenchTrainee"];
/// Routing profiles created besides the instance's `Basic Routing Profile`.
const EXTRA_ROUTING_PROFILES: [&str; 3] = ["Bench Voice", "Bench Chat", "Bench Overflow"];

/// Ids of what users refer to.
#[derive(Debug, Clone, Serialize)]
pub struct Fixture {
    pub instance_id: String,
    pub alias: String,
    /// The default `Agent` profile followed by the created ones.
    pub security_profiles: Vec<String>,
    /// The default `Basic Routing Profile` followed by the created ones.
    pub routing_profiles: Vec<String>,
    pub level1_groups: Vec<String>,
    pub level2_groups: Vec<String>,
    pub leaf_groups: Vec<String>,
    /// Whether `Language` and `Skill` exist, so users get proficiencies.
    pub proficiencies: bool,
    /// Why proficiencies are missing, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proficiencies_note: Option<String>,
}

fn find_id(list: &Value, list_member: &str, name: &str) -> anyhow::Result<String> {
    list[list_member]
        .as_array()
        .and_then(|items| items.iter().find(|s| s["Name"] == name))
        .and_then(|s| s["Id"].as_str())
        .map(str::to_string)
        .ok_or_else(|| anyhow!("{list_member} has no entry named {name:?}"))
}

fn str_member(v: &Value, member: &str) -> anyhow::Result<String> {
    v[member]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("response has no {member}: {v}"))
}

impl Fixture {
    /// Creates a SAML instance and everything users refer to.
    pub async fn create(api: &Api, alias: &str) -> anyhow::Result<Fixture> {
        Fixture::create_with(api, alias, "SAML").await
    }

    /// Creates an instance with the given `IdentityManagementType` (`SAML` or
    /// `CONNECT_MANAGED`) and everything users refer to.
    pub async fn create_with(
        api: &Api,
        alias: &str,
        identity_management_type: &str,
    ) -> anyhow::Result<Fixture> {
        let client = new_client();
        let c = &client;
        let instance = api
            .call_ok(
                c,
                Method::PUT,
                "/instance",
                "",
                Some(&json!({
                    "IdentityManagementType": identity_management_type,
                    "InstanceAlias": alias,
                    "InboundCallsEnabled": true,
                    "OutboundCallsEnabled": true,
                })),
            )
            .await
            .context("CreateInstance")?;
        let id = str_member(&instance, "Id")?;

        let profiles = api
            .call_ok(
                c,
                Method::GET,
                &format!("/security-profiles-summary/{id}"),
                "",
                None,
            )
            .await
            .context("ListSecurityProfiles")?;
        let mut security_profiles =
            vec![find_id(&profiles, "SecurityProfileSummaryList", "Agent")?];
        for name in EXTRA_SECURITY_PROFILES {
            let r = api
                .call_ok(
                    c,
                    Method::PUT,
                    &format!("/security-profiles/{id}"),
                    "",
                    Some(&json!({
                        "SecurityProfileName": name,
                        "Description": "roster-bench fixture",
                    })),
                )
                .await
                .context("CreateSecurityProfile")?;
            security_profiles.push(str_member(&r, "SecurityProfileId")?);
        }

        let queues = api
            .call_ok(c, Method::GET, &format!("/queues-summary/{id}"), "", None)
            .await
            .context("ListQueues")?;
        let basic_queue = find_id(&queues, "QueueSummaryList", "BasicQueue")?;
        let routing = api
            .call_ok(
                c,
                Method::GET,
                &format!("/routing-profiles-summary/{id}"),
                "",
                None,
            )
            .await
            .context("ListRoutingProfiles")?;
        let mut routing_profiles = vec![find_id(
            &routing,
            "RoutingProfileSummaryList",
            "Basic Routing Profile",
        )?];
        for name in EXTRA_ROUTING_PROFILES {
            let r = api
                .call_ok(
                    c,
                    Method::PUT,
                    &format!("/routing-profiles/{id}"),
                    "",
                    Some(&json!({
                        "Name": name,
                        "Description": "roster-bench fixture",
                        "DefaultOutboundQueueId": basic_queue,
                        "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 1}],
                    })),
                )
                .await
                .context("CreateRoutingProfile")?;
            routing_profiles.push(str_member(&r, "RoutingProfileId")?);
        }

        api.call_ok(
            c,
            Method::POST,
            &format!("/user-hierarchy-structure/{id}"),
            "",
            Some(&json!({"HierarchyStructure": {
                "LevelOne": {"Name": "Region"},
                "LevelTwo": {"Name": "Site"},
                "LevelThree": {"Name": "Team"},
            }})),
        )
        .await
        .context("UpdateUserHierarchyStructure")?;
        let create_group = |name: String, parent: Option<String>| {
            let path = format!("/user-hierarchy-groups/{id}");
            async move {
                let mut body = json!({"Name": name});
                if let Some(p) = parent {
                    body["ParentGroupId"] = json!(p);
                }
                let r = api
                    .call_ok(c, Method::PUT, &path, "", Some(&body))
                    .await
                    .context("CreateUserHierarchyGroup")?;
                str_member(&r, "HierarchyGroupId")
            }
        };
        let (mut level1_groups, mut level2_groups, mut leaf_groups) = (vec![], vec![], vec![]);
        for a in 0..HIERARCHY_SHAPE[0] {
            let g1 = create_group(format!("Region {a}"), None).await?;
            for b in 0..HIERARCHY_SHAPE[1] {
                let g2 = create_group(format!("Site {a}.{b}"), Some(g1.clone())).await?;
                for t in 0..HIERARCHY_SHAPE[2] {
                    leaf_groups
                        .push(create_group(format!("Team {a}.{b}.{t}"), Some(g2.clone())).await?);
                }
                level2_groups.push(g2);
            }
            level1_groups.push(g1);
        }

        let mut proficiencies = true;
        let mut proficiencies_note = None;
        for (name, values) in [("Language", &LANGUAGES[..]), ("Skill", &SKILLS[..])] {
            let reply = api
                .call(
                    c,
                    Method::PUT,
                    &format!("/predefined-attributes/{id}"),
                    "",
                    Some(&json!({"Name": name, "Values": {"StringList": values}})),
                )
                .await?;
            if reply.is_not_implemented() {
                let note = format!(
                    "CreatePredefinedAttribute answered {}: {}",
                    reply.status,
                    reply.text()
                );
                eprintln!("warning: users get no proficiencies: {note}");
                proficiencies = false;
                proficiencies_note = Some(note);
                break;
            }
            if reply.status != 200 {
                bail!(
                    "CreatePredefinedAttribute {name}: HTTP {}: {}",
                    reply.status,
                    reply.text()
                );
            }
        }

        Ok(Fixture {
            instance_id: id,
            alias: alias.to_string(),
            security_profiles,
            routing_profiles,
            level1_groups,
            level2_groups,
            leaf_groups,
            proficiencies,
            proficiencies_note,
        })
    }

    /// The CreateUser body of user `i`.
    pub fn create_user_body(&self, names: &Names, i: u64) -> Value {
        let u = names.user(
            i,
            self.leaf_groups.len(),
            self.security_profiles.len(),
            self.routing_profiles.len(),
        );
        let profiles: Vec<&str> = u
            .security_profiles
            .iter()
            .map(|&p| self.security_profiles[p].as_str())
            .collect();
        json!({
            "Username": u.username,
            "IdentityInfo": {"FirstName": u.first_name, "LastName": u.last_name},
            "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": false, "AfterContactWorkTimeLimit": 30},
            "SecurityProfileIds": profiles,
            "RoutingProfileId": self.routing_profiles[u.routing_profile],
            "HierarchyGroupId": self.leaf_groups[u.leaf_group],
            "Tags": {"dept": u.dept, "site": u.site},
        })
    }

    /// The AssociateUserProficiencies body of user `i`.
    pub fn proficiencies_body(&self, names: &Names, i: u64) -> Value {
        let u = names.user(
            i,
            self.leaf_groups.len(),
            self.security_profiles.len(),
            self.routing_profiles.len(),
        );
        let list: Vec<Value> = u
            .proficiencies
            .iter()
            .map(|p| json!({"AttributeName": p.attribute, "AttributeValue": p.value, "Level": p.level}))
            .collect();
        json!({ "UserProficiencies": list })
    }
}

/// The result of loading one batch of users.
#[derive(Debug, Clone, Serialize)]
pub struct LoadResult {
    pub from: u64,
    pub to: u64,
    pub create_user: Summary,
    pub proficiencies: Summary,
    /// The ids of the users created, in index order.
    #[serde(skip)]
    pub user_ids: Vec<String>,
}

/// Creates users `from..to` with `concurrency` workers (one connection each), then gives
/// them their proficiencies. Fails on the first CreateUser error: searches over an
/// incomplete fixture would measure something else.
pub async fn load_users(
    api: &Api,
    fixture: &mut Fixture,
    names: &Arc<Names>,
    from: u64,
    to: u64,
    concurrency: usize,
) -> anyhow::Result<LoadResult> {
    let fx = Arc::new(fixture.clone());
    let path = Arc::new(format!("/users/{}", fx.instance_id));
    let create = run_indexed(from, to, concurrency, {
        let (api, fx, names) = (api.clone(), fx.clone(), names.clone());
        move |client, i| {
            let (api, fx, names, path) = (api.clone(), fx.clone(), names.clone(), path.clone());
            async move {
                let body = Bytes::from(serde_json::to_vec(&fx.create_user_body(&names, i))?);
                let req = api.prepare(Method::PUT, &path, "", body)?;
                let start = Instant::now();
                let reply = send(&client, &req).await?;
                let latency = start.elapsed();
                if reply.status == 200 {
                    let id = str_member(&reply.json()?, "UserId")?;
                    Ok(Outcome::Ok(latency, Some(id)))
                } else {
                    Ok(Outcome::Err(
                        latency,
                        format!("CreateUser {i}: HTTP {}: {}", reply.status, reply.text()),
                    ))
                }
            }
        }
    })
    .await?;
    let create_user = create.tally.summary("CreateUser", create.elapsed);
    if create_user.errors > 0 {
        bail!(
            "{} of {} CreateUser requests failed; first: {}",
            create_user.errors,
            create_user.requests,
            create_user.first_error.as_deref().unwrap_or("?")
        );
    }
    let mut ids = create.ids;
    ids.sort_unstable_by_key(|(i, _)| *i);
    let ids: Arc<Vec<(u64, String)>> = Arc::new(ids);

    let proficiencies = if !fixture.proficiencies {
        Summary::skipped(
            "AssociateUserProficiencies",
            "the predefined attributes could not be created",
        )
    } else {
        let unsupported = Arc::new(AtomicBool::new(false));
        let n = ids.len() as u64;
        let run = run_indexed(0, n, concurrency, {
            let (api, fx, names, ids, unsupported) = (
                api.clone(),
                fx.clone(),
                names.clone(),
                ids.clone(),
                unsupported.clone(),
            );
            move |client, k| {
                let (api, fx, names, ids, unsupported) = (
                    api.clone(),
                    fx.clone(),
                    names.clone(),
                    ids.clone(),
                    unsupported.clone(),
                );
                async move {
                    if unsupported.load(Ordering::Relaxed) {
                        return Ok(Outcome::Stop);
                    }
                    let (i, user_id) = &ids[k as usize];
                    let body = Bytes::from(serde_json::to_vec(&fx.proficiencies_body(&names, *i))?);
                    let path = format!(
                        "/users/{}/{user_id}/associate-proficiencies",
                        fx.instance_id
                    );
                    let req = api.prepare(Method::POST, &path, "", body)?;
                    let start = Instant::now();
                    let reply = send(&client, &req).await?;
                    let latency = start.elapsed();
                    if reply.status == 200 {
                        Ok(Outcome::Ok(latency, None))
                    } else if reply.is_not_implemented() {
                        if !unsupported.swap(true, Ordering::Relaxed) {
                            eprintln!(
                                "warning: users get no proficiencies: AssociateUserProficiencies answered {}: {}",
                                reply.status,
                                reply.text()
                            );
                        }
                        Ok(Outcome::Stop)
                    } else {
                        Ok(Outcome::Err(
                            latency,
                            format!(
                                "AssociateUserProficiencies {i}: HTTP {}: {}",
                                reply.status,
                                reply.text()
                            ),
                        ))
                    }
                }
            }
        })
        .await?;
        if unsupported.load(Ordering::Relaxed) {
            fixture.proficiencies = false;
            fixture.proficiencies_note =
                Some("AssociateUserProficiencies is not implemented by the server".into());
            Summary::skipped(
                "AssociateUserProficiencies",
                "not implemented by the server",
            )
        } else {
            let s = run.tally.summary("AssociateUserProficiencies", run.elapsed);
            if s.errors > 0 {
                bail!(
                    "{} of {} AssociateUserProficiencies requests failed; first: {}",
                    s.errors,
                    s.requests,
                    s.first_error.as_deref().unwrap_or("?")
                );
            }
            s
        }
    };

    Ok(LoadResult {
        from,
        to,
        create_user,
        proficiencies,
        user_ids: ids.iter().map(|(_, id)| id.clone()).collect(),
    })
}

/// What one indexed request came to.
enum Outcome {
    /// Success, with the created id when there is one.
    Ok(Duration, Option<String>),
    Err(Duration, String),
    /// Stop every worker (the operation is not available).
    Stop,
}

struct IndexedRun {
    tally: Tally,
    ids: Vec<(u64, String)>,
    elapsed: Duration,
}

/// Runs `job(client, i)` for every `i` in `from..to` with `concurrency` workers, each with
/// its own client, taking the next index from a shared counter.
async fn run_indexed<F, Fut>(
    from: u64,
    to: u64,
    concurrency: usize,
    job: F,
) -> anyhow::Result<IndexedRun>
where
    F: Fn(HttpClient, u64) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Outcome>> + Send,
{
    let next = Arc::new(AtomicU64::new(from));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let (next, stop, job) = (next.clone(), stop.clone(), job.clone());
        workers.push(tokio::spawn(async move {
            let client = new_client();
            let mut tally = Tally::default();
            let mut ids = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= to {
                    break;
                }
                match job(client.clone(), i).await {
                    Ok(Outcome::Ok(latency, id)) => {
                        tally.ok(latency);
                        if let Some(id) = id {
                            ids.push((i, id));
                        }
                    }
                    Ok(Outcome::Err(latency, e)) => {
                        tally.error(latency, || e);
                        stop.store(true, Ordering::Relaxed);
                    }
                    Ok(Outcome::Stop) => stop.store(true, Ordering::Relaxed),
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                }
            }
            Ok::<_, anyhow::Error>((tally, ids))
        }));
    }
    let mut tally = Tally::default();
    let mut ids = Vec::new();
    let mut failure = None;
    for w in workers {
        match w.await.context("load worker panicked")? {
            Ok((t, i)) => {
                tally.merge(t);
                ids.extend(i);
            }
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(IndexedRun {
        tally,
        ids,
        elapsed: start.elapsed(),
    })
}
