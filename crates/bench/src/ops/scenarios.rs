//! The scenarios: which operations are measured, and the requests each sends.

use anyhow::{anyhow, Context};
use bytes::Bytes;
use http::Method;
use serde::Serialize;
use serde_json::{json, Value};

use crate::client::{new_client, Api, Prepared};
use crate::fixture::Fixture;

use super::driver::Bench;
use super::OpsArgs;

/// The operations measured, in the order they run at each store size. Creations come
/// last so that the users they add do not change what the reads see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// DescribeUser of users picked at random across every instance.
    DescribeUser,
    /// ListUsers, MaxResults 100: the first pages of every instance.
    ListUsers,
    /// UpdateUserConfig: the VOICE after-contact-work time limit of random users.
    UpdateUserConfig,
    /// DescribeInstance of the fixture's instances.
    DescribeInstance,
    /// CreateUser with a new username on a SAML instance (no password to hash).
    CreateUserSaml,
    /// CreateUser with a password on a CONNECT_MANAGED instance (argon2id hash).
    CreateUserPassword,
}

impl Op {
    pub const ALL: [Op; 6] = [
        Op::DescribeUser,
        Op::ListUsers,
        Op::UpdateUserConfig,
        Op::DescribeInstance,
        Op::CreateUserSaml,
        Op::CreateUserPassword,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::DescribeUser => "describe-user",
            Op::ListUsers => "list-users",
            Op::UpdateUserConfig => "update-user-config",
            Op::DescribeInstance => "describe-instance",
            Op::CreateUserSaml => "create-user-saml",
            Op::CreateUserPassword => "create-user-password",
        }
    }

    pub(super) fn needs_users(self) -> bool {
        matches!(
            self,
            Op::DescribeUser | Op::ListUsers | Op::UpdateUserConfig
        )
    }

    pub(super) fn creates(self) -> bool {
        matches!(self, Op::CreateUserSaml | Op::CreateUserPassword)
    }
}

/// Distinct requests a read scenario rotates through (at most).
const READ_POOL: usize = 4096;
/// Users UpdateUserConfig rotates through (each gets two alternating values).
const UPDATE_USERS: usize = 2048;
/// Pages of ListUsers per instance (the first ones), and instances used.
const LIST_PAGES: usize = 5;
const LIST_INSTANCES: usize = 10;
/// Requests signed for the warm-up of a create scenario.
pub(super) const CREATE_WARMUP_POOL: usize = 20_000;
/// The password of CreateUser with a password: valid under the model's rule.
const PASSWORD: &str = "BenchPass1234";

/// A request before signing: signed for one server or another.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    method: Method,
    path: String,
    query: String,
    body: Bytes,
}

impl Spec {
    pub(super) fn get(path: String, query: String) -> Spec {
        Spec {
            method: Method::GET,
            path,
            query,
            body: Bytes::new(),
        }
    }

    pub(super) fn with_body(method: Method, path: String, body: &Value) -> Spec {
        Spec {
            method,
            path,
            query: String::new(),
            body: Bytes::from(body.to_string()),
        }
    }
}

pub(super) fn sign_all(api: &Api, specs: &[Spec]) -> anyhow::Result<Vec<Prepared>> {
    specs
        .iter()
        .map(|s| api.prepare(s.method.clone(), &s.path, &s.query, s.body.clone()))
        .collect()
}

/// Percent-encodes a query parameter value (everything but the unreserved characters).
fn query_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Bench {
    fn random_users(&mut self, n: usize) -> Vec<(usize, String)> {
        (0..n.min(self.users.len()).max(1))
            .map(|_| self.rng.pick(&self.users).clone())
            .collect()
    }

    pub(super) fn user_path(&self, (k, id): &(usize, String)) -> String {
        format!("/users/{}/{id}", self.fixtures[*k].instance_id)
    }

    /// The instances DescribeInstance rotates through, creating one when there is none.
    async fn instances_to_describe(&mut self, args: &OpsArgs) -> anyhow::Result<Vec<String>> {
        if let Some(id) = &args.instance_id {
            return Ok(vec![id.clone()]);
        }
        if !self.fixtures.is_empty() {
            return Ok(self
                .fixtures
                .iter()
                .map(|f| f.instance_id.clone())
                .collect());
        }
        if self.bare_instance.is_none() {
            // Only CreateInstance: other servers (moto) may implement no more.
            let body = json!({
                "IdentityManagementType": "SAML",
                "InstanceAlias": format!("{}-bare", self.alias),
                "InboundCallsEnabled": true,
                "OutboundCallsEnabled": true,
            });
            let v = self
                .api
                .call_ok(&new_client(), Method::PUT, "/instance", "", Some(&body))
                .await
                .context("CreateInstance")?;
            let id = v["Id"]
                .as_str()
                .ok_or_else(|| anyhow!("CreateInstance answered without Id: {v}"))?;
            println!("instance {id} created for describe-instance");
            self.bare_instance = Some(id.to_string());
        }
        Ok(vec![self.bare_instance.clone().expect("set above")])
    }

    /// The requests of a read or update scenario.
    pub(super) async fn read_specs(&mut self, op: Op, args: &OpsArgs) -> anyhow::Result<Vec<Spec>> {
        Ok(match op {
            Op::DescribeUser => self
                .random_users(READ_POOL)
                .iter()
                .map(|u| Spec::get(self.user_path(u), String::new()))
                .collect(),
            Op::ListUsers => {
                let mut specs = Vec::new();
                let client = new_client();
                for fx in self.fixtures.iter().take(LIST_INSTANCES) {
                    let path = format!("/users-summary/{}", fx.instance_id);
                    let mut query = "maxResults=100".to_string();
                    for _ in 0..LIST_PAGES {
                        specs.push(Spec::get(path.clone(), query.clone()));
                        let page = self
                            .api
                            .call_ok(&client, Method::GET, &path, &query, None)
                            .await
                            .context("ListUsers")?;
                        match page["NextToken"].as_str() {
                            Some(t) => {
                                query = format!("maxResults=100&nextToken={}", query_encode(t))
                            }
                            None => break,
                        }
                    }
                }
                specs
            }
            Op::UpdateUserConfig => {
                let users = self.random_users(UPDATE_USERS);
                // Every user twice, with two values: each request changes what it updates.
                [(30, 0), (60, 1)]
                    .iter()
                    .flat_map(|&(base, round)| {
                        users.iter().enumerate().map(move |(j, u)| (base, round, j, u))
                    })
                    .map(|(base, round, j, u)| {
                        let body = json!({
                            "AfterContactWorkConfigs": [{
                                "Channel": "VOICE",
                                "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": base + (j % 30) as i64},
                            }],
                            "AutoAcceptConfigs": [{"Channel": "VOICE", "AutoAccept": round == 1}],
                        });
                        Spec::with_body(Method::POST, format!("{}/config", self.user_path(u)), &body)
                    })
                    .collect()
            }
            Op::DescribeInstance => self
                .instances_to_describe(args)
                .await?
                .into_iter()
                .map(|id| Spec::get(format!("/instance/{id}"), String::new()))
                .collect(),
            Op::CreateUserSaml | Op::CreateUserPassword => {
                unreachable!("creations are signed in batches")
            }
        })
    }

    /// The instance a create scenario adds users to, made on first use.
    pub(super) async fn create_target(&mut self, op: Op) -> anyhow::Result<Fixture> {
        let (slot, idm, suffix) = match op {
            Op::CreateUserSaml => (&mut self.saml, "SAML", "new-saml"),
            _ => (&mut self.managed, "CONNECT_MANAGED", "new-managed"),
        };
        if slot.is_none() {
            let alias = format!("{}-{suffix}", self.alias);
            let fx = Fixture::create_with(&self.api, &alias, idm).await?;
            println!(
                "instance {} ({alias}, {idm}) for {}",
                fx.instance_id,
                op.name()
            );
            *slot = Some(fx);
        }
        Ok(slot.clone().expect("set above"))
    }

    /// `n` CreateUser requests with new usernames, signed now.
    pub(super) fn create_pool(
        &mut self,
        fx: &Fixture,
        password: bool,
        n: usize,
    ) -> anyhow::Result<Vec<Prepared>> {
        let path = format!("/users/{}", fx.instance_id);
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let seq = self.created;
            self.created += 1;
            let mut body = fx.create_user_body(&self.names, seq);
            body["Username"] = json!(format!("new{seq:09}"));
            if password {
                body["Password"] = json!(PASSWORD);
            }
            out.push(
                self.api
                    .prepare(Method::PUT, &path, "", Bytes::from(body.to_string()))?,
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(query_encode("abc-_.~XYZ09"), "abc-_.~XYZ09");
        assert_eq!(query_encode("a+b/c="), "a%2Bb%2Fc%3D");
    }

    #[test]
    fn scenarios_run_creations_last() {
        let first_create = Op::ALL.iter().position(|op| op.creates()).unwrap();
        assert!(Op::ALL[first_create..].iter().all(|op| op.creates()));
        assert!(!Op::DescribeInstance.needs_users());
    }
}
