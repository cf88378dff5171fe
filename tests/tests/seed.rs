//! Seed files and snapshots: `roster serve --seed FILE` loads the documented example at
//! start, applying it again changes nothing, `roster export` of a store loaded into an
//! empty one reproduces every Describe and List answer, and a bad file refuses to
//! start and writes nothing. On the embedded store, or PostgreSQL with
//! `ROSTER_TEST_BACKEND=postgres`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use roster_tests::*;
use serde_json::Value;

/// The example of docs/seed.md, which these tests load.
fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/seed.yaml")
}

const ACME: &str = "2f0c5a1e-6a3b-4c7d-9e21-5b8f3a9d4c01";
const GLOBEX: &str = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";
/// The accounts and Regions of the example: the access key (twelve digits: that
/// account) and the Region to sign for.
const SCOPES: [(&str, &str); 2] = [("AKIDEXAMPLE", "us-east-1"), ("111111111111", "eu-west-1")];

fn seeded(file: &Path, data_dir: Option<PathBuf>) -> Server {
    Server::start_with(ServerOptions {
        args: vec!["--seed".into(), file.display().to_string()],
        data_dir,
    })
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Reader<'a> {
    server: &'a Server,
    key: &'a str,
    region: &'a str,
    answers: BTreeMap<String, Value>,
}

impl Reader<'_> {
    async fn get(&mut self, path: &str) -> Value {
        let r =
            raw_json_request_as(&self.server.addr, self.key, self.region, "GET", path, None).await;
        assert_eq!(
            r.status,
            200,
            "GET {path}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let v = r.json();
        self.answers
            .insert(format!("{} {} {path}", self.key, self.region), v.clone());
        v
    }

    /// Every page of a listing; the items of `member`.
    async fn list(&mut self, path: &str, member: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page_path = match &token {
                Some(t) => format!("{path}?nextToken={}", encode(t)),
                None => path.to_string(),
            };
            let page = self.get(&page_path).await;
            items.extend(page[member].as_array().cloned().unwrap_or_default());
            match page["NextToken"].as_str() {
                Some(t) => token = Some(t.to_string()),
                None => return items,
            }
        }
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["Id"].as_str().expect("an Id").to_string())
        .collect()
}

/// Every Describe and List answer about everything in the server's instances, by
/// request.
async fn snapshot(server: &Server) -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    for (key, region) in SCOPES {
        let mut r = Reader {
            server,
            key,
            region,
            answers: BTreeMap::new(),
        };
        let instances = r.list("/instance", "InstanceSummaryList").await;
        for i in ids(&instances) {
            let d = r.get(&format!("/instance/{i}")).await;
            let arn = d["Instance"]["Arn"].as_str().unwrap().to_string();
            r.get(&format!("/tags/{}", encode(&arn))).await;
            r.list(&format!("/instance/{i}/attributes"), "Attributes")
                .await;
            r.get(&format!("/user-hierarchy-structure/{i}")).await;
            let groups = r
                .list(
                    &format!("/user-hierarchy-groups-summary/{i}"),
                    "UserHierarchyGroupSummaryList",
                )
                .await;
            for g in ids(&groups) {
                r.get(&format!("/user-hierarchy-groups/{i}/{g}")).await;
            }
            let profiles = r
                .list(
                    &format!("/security-profiles-summary/{i}"),
                    "SecurityProfileSummaryList",
                )
                .await;
            for p in ids(&profiles) {
                r.get(&format!("/security-profiles/{i}/{p}")).await;
                r.list(
                    &format!("/security-profiles-permissions/{i}/{p}"),
                    "Permissions",
                )
                .await;
            }
            let hours = r
                .list(
                    &format!("/hours-of-operations-summary/{i}"),
                    "HoursOfOperationSummaryList",
                )
                .await;
            for h in ids(&hours) {
                r.get(&format!("/hours-of-operations/{i}/{h}")).await;
            }
            let queues = r
                .list(&format!("/queues-summary/{i}"), "QueueSummaryList")
                .await;
            for q in queues.iter().filter(|q| q["QueueType"] == "STANDARD") {
                let q = q["Id"].as_str().unwrap();
                r.get(&format!("/queues/{i}/{q}")).await;
                r.list(
                    &format!("/queues/{i}/{q}/quick-connects"),
                    "QuickConnectSummaryList",
                )
                .await;
            }
            let quick = r
                .list(&format!("/quick-connects/{i}"), "QuickConnectSummaryList")
                .await;
            for q in ids(&quick) {
                r.get(&format!("/quick-connects/{i}/{q}")).await;
            }
            let routing = r
                .list(
                    &format!("/routing-profiles-summary/{i}"),
                    "RoutingProfileSummaryList",
                )
                .await;
            for p in ids(&routing) {
                r.get(&format!("/routing-profiles/{i}/{p}")).await;
                r.list(
                    &format!("/routing-profiles/{i}/{p}/queues"),
                    "RoutingProfileQueueConfigSummaryList",
                )
                .await;
            }
            let attributes = r
                .list(
                    &format!("/predefined-attributes/{i}"),
                    "PredefinedAttributeSummaryList",
                )
                .await;
            for a in &attributes {
                r.get(&format!(
                    "/predefined-attributes/{i}/{}",
                    encode(a["Name"].as_str().unwrap())
                ))
                .await;
            }
            let search = serde_json::json!({"InstanceId": i, "MaxResults": 100});
            let found = raw_json_request_as(
                &server.addr,
                key,
                region,
                "POST",
                "/search-users",
                Some(&search),
            )
            .await;
            assert_eq!(found.status, 200);
            r.answers
                .insert(format!("{key} {region} SearchUsers {i}"), found.json());
            let users = r
                .list(&format!("/users-summary/{i}"), "UserSummaryList")
                .await;
            for u in ids(&users) {
                r.get(&format!("/users/{i}/{u}")).await;
                r.list(
                    &format!("/users/{i}/{u}/proficiencies"),
                    "UserProficiencyList",
                )
                .await;
            }
        }
        all.extend(r.answers);
    }
    all
}

fn assert_same(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>, what: &str) {
    let keys_before: Vec<&String> = before.keys().collect();
    let keys_after: Vec<&String> = after.keys().collect();
    assert_eq!(keys_before, keys_after, "{what}: the requests made differ");
    for (k, v) in before {
        assert_eq!(Some(v), after.get(k), "{what}: {k} answers differently");
    }
}

/// `roster export` of the store `server` uses, into `out`. The embedded store is
/// exported once its server has stopped.
fn export(server: &mut Server, out: &Path) {
    let mut cmd = Command::new(roster_binary());
    cmd.arg("export")
        .arg("--output")
        .arg(out)
        .env_remove("ROSTER_DATABASE_URL");
    match &server.database {
        Some(db) => {
            cmd.arg("--database-url").arg(&db.url);
        }
        None => {
            assert!(server.terminate().success());
            cmd.arg("--data").arg(&server.data_dir);
        }
    }
    let done = cmd.output().expect("run roster export");
    assert!(
        done.status.success(),
        "roster export failed: {}",
        String::from_utf8_lossy(&done.stderr)
    );
}

#[tokio::test]
async fn the_example_loads_at_start() {
    let server = seeded(&example(), None);
    let client = server.client();

    let acme = client
        .describe_instance()
        .instance_id(ACME)
        .send()
        .await
        .unwrap();
    let acme = acme.instance().unwrap();
    assert_eq!(acme.instance_alias(), Some("acme"));
    assert_eq!(
        acme.arn(),
        Some(format!("arn:aws:connect:us-east-1:123456789012:instance/{ACME}").as_str())
    );
    assert_eq!(acme.created_time().unwrap().secs(), 1_767_603_600);
    let globex = server.client_as("111111111111", "s", "eu-west-1");
    let g = globex
        .describe_instance()
        .instance_id(GLOBEX)
        .send()
        .await
        .unwrap();
    assert_eq!(g.instance().unwrap().instance_alias(), Some("globex"));
    // Another account does not see the second instance.
    assert!(client
        .describe_instance()
        .instance_id(GLOBEX)
        .send()
        .await
        .is_err());

    // 40 users and 10.
    let users = client.list_users().instance_id(ACME).send().await.unwrap();
    assert_eq!(users.user_summary_list().len(), 40);
    let users = globex
        .list_users()
        .instance_id(GLOBEX)
        .send()
        .await
        .unwrap();
    assert_eq!(users.user_summary_list().len(), 10);

    // The first user, by the id the file gives: every reference resolved by name.
    let user = client
        .describe_user()
        .instance_id(ACME)
        .user_id("3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b")
        .send()
        .await
        .unwrap();
    let user = user.user().unwrap();
    assert_eq!(user.username(), Some("ada.abbott00"));
    assert_eq!(
        user.security_profile_ids(),
        [
            "0b6f3c2d-9a8e-4f71-b2c3-d4e5f6a7b8c9".to_string(),
            security_profile_id(&client, ACME, "Agent").await
        ]
    );
    assert_eq!(
        user.routing_profile_id(),
        Some("9c8b7a6f-5e4d-4c3b-a291-8f7e6d5c4b3a")
    );
    let phone = user.phone_config().unwrap();
    assert_eq!(phone.phone_type().as_str(), "DESK_PHONE");
    assert_eq!(phone.desk_phone_number(), Some("+15550100000"));
    assert_eq!(phone.after_contact_work_time_limit(), 60);
    assert_eq!(
        user.tags().unwrap().get("badge").map(String::as_str),
        Some("1000")
    );

    // Its group is at the third level, under New York and Americas.
    let group = client
        .describe_user_hierarchy_group()
        .instance_id(ACME)
        .hierarchy_group_id(user.hierarchy_group_id().unwrap())
        .send()
        .await
        .unwrap();
    let group = group.hierarchy_group().unwrap();
    assert_eq!(group.name(), Some("Team Alpha"));
    assert_eq!(group.level_id(), Some("3"));
    let path = group.hierarchy_path().unwrap();
    assert_eq!(path.level_one().unwrap().name(), Some("Americas"));
    assert_eq!(
        path.level_one().unwrap().id(),
        Some("7d3e9a10-1b2c-4d5e-8f60-718293a4b5c6")
    );
    assert_eq!(path.level_two().unwrap().name(), Some("New York"));
    let structure = client
        .describe_user_hierarchy_structure()
        .instance_id(ACME)
        .send()
        .await
        .unwrap();
    let structure = structure.hierarchy_structure().unwrap();
    assert_eq!(structure.level_three().unwrap().name(), Some("Team"));
    assert!(structure.level_four().is_none());

    // The custom routing profile routes its queues as written.
    let queues = client
        .list_routing_profile_queues()
        .instance_id(ACME)
        .routing_profile_id("9c8b7a6f-5e4d-4c3b-a291-8f7e6d5c4b3a")
        .send()
        .await
        .unwrap();
    let mut routed: Vec<(String, String, i32, i32)> = queues
        .routing_profile_queue_config_summary_list()
        .iter()
        .map(|q| {
            (
                q.queue_name().to_string(),
                q.channel().as_str().to_string(),
                q.priority(),
                q.delay(),
            )
        })
        .collect();
    routed.sort();
    assert_eq!(
        routed,
        [
            ("Sales".to_string(), "VOICE".to_string(), 1, 0),
            ("Support".to_string(), "CHAT".to_string(), 1, 0),
            ("Support".to_string(), "VOICE".to_string(), 2, 30),
        ]
    );
    // A new instance's defaults are there beside the file's own resources.
    basic_routing_profile(&client, ACME).await;
    let hours = client
        .list_hours_of_operations()
        .instance_id(ACME)
        .send()
        .await
        .unwrap();
    let mut names: Vec<&str> = hours
        .hours_of_operation_summary_list()
        .iter()
        .filter_map(|h| h.name())
        .collect();
    names.sort();
    assert_eq!(names, ["Basic Hours", "Weekdays", "Weekend"]);

    // The support queue offers two of the three quick connects.
    let support = client
        .list_queues()
        .instance_id(ACME)
        .send()
        .await
        .unwrap()
        .queue_summary_list()
        .iter()
        .find(|q| q.name() == Some("Support"))
        .and_then(|q| q.id().map(str::to_string))
        .unwrap();
    let offered = client
        .list_queue_quick_connects()
        .instance_id(ACME)
        .queue_id(&support)
        .send()
        .await
        .unwrap();
    let mut offered: Vec<&str> = offered
        .quick_connect_summary_list()
        .iter()
        .filter_map(|q| q.name())
        .collect();
    offered.sort();
    assert_eq!(offered, ["Helpdesk line", "Transfer to Sales"]);

    // A profile with every restriction the format carries.
    let supervisor = security_profile_id(&client, ACME, "Supervisor").await;
    let p = client
        .describe_security_profile()
        .instance_id(ACME)
        .security_profile_id(&supervisor)
        .send()
        .await
        .unwrap();
    let p = p.security_profile().unwrap();
    assert_eq!(
        p.allowed_access_control_hierarchy_group_id(),
        Some("7d3e9a10-1b2c-4d5e-8f60-718293a4b5c6")
    );
    assert_eq!(p.hierarchy_restricted_resources(), ["User".to_string()]);
    assert_eq!(p.tag_restricted_resources(), ["User".to_string()]);
    assert_eq!(
        p.allowed_access_control_tags()
            .and_then(|t| t.get("site"))
            .map(String::as_str),
        Some("nyc")
    );
    let values = p
        .granular_access_control_configuration()
        .and_then(|g| g.data_table_access_control_configuration())
        .and_then(|d| d.primary_attribute_access_control_configuration())
        .map(|a| a.primary_attribute_values())
        .unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].attribute_name(), Some("region"));
    assert_eq!(values[0].values(), ["us".to_string(), "ca".to_string()]);

    // Proficiencies of the first user.
    let p = client
        .list_user_proficiencies()
        .instance_id(ACME)
        .user_id("3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b")
        .send()
        .await
        .unwrap();
    let p = p.user_proficiency_list();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].attribute_value(), "English");
    assert_eq!(p[0].level(), 1.0);
}

#[tokio::test]
async fn applying_the_example_again_changes_nothing() {
    let mut server = seeded(&example(), None);
    let before = snapshot(&server).await;
    assert!(before.len() > 150, "{} answers", before.len());
    let tmp = server.take_tempdir();
    assert!(server.terminate().success());
    let data_dir = server.data_dir.clone();

    let again = seeded(&example(), Some(data_dir));
    let after = snapshot(&again).await;
    assert_same(&before, &after, "after applying the file again");
    drop(tmp);
}

/// The example without a single `Id`: entries are then found again by their natural
/// keys (alias, username, names).
fn without_ids(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(rest) = trimmed.strip_prefix("- Id: ") {
            assert!(!rest.is_empty());
            // The next line becomes the list item.
            let next = lines.next().expect("a member after the id");
            out.push_str(&format!("{indent}- {}\n", next.trim_start()));
        } else if trimmed.starts_with("Id: ") {
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(
        !out.lines()
            .any(|l| l.trim_start().starts_with("Id: ") || l.trim_start().starts_with("- Id: ")),
        "an id is left"
    );
    out
}

#[tokio::test]
async fn without_ids_entries_are_found_again_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-ids.yaml");
    std::fs::write(
        &file,
        without_ids(&std::fs::read_to_string(example()).unwrap()),
    )
    .unwrap();
    let mut server = seeded(&file, None);
    let before = snapshot(&server).await;
    let tmp = server.take_tempdir();
    assert!(server.terminate().success());
    let again = seeded(&file, Some(server.data_dir.clone()));
    let after = snapshot(&again).await;
    assert_same(&before, &after, "after applying the file without ids again");
    for (key, region) in SCOPES {
        let r = raw_json_request_as(&again.addr, key, region, "GET", "/instance", None).await;
        assert_eq!(r.json()["InstanceSummaryList"].as_array().unwrap().len(), 1);
    }
    // The ids were made by roster.
    let ids: Vec<String> = before
        .keys()
        .filter(|k| k.contains("/instance/") && !k.contains("attributes"))
        .cloned()
        .collect();
    assert!(
        ids.iter().all(|k| !k.contains(ACME) && !k.contains(GLOBEX)),
        "{ids:?}"
    );
    drop(tmp);
}

#[tokio::test]
async fn an_export_seeds_an_empty_store_into_the_same_answers() {
    let mut server = seeded(&example(), None);
    let before = snapshot(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("export.yaml");
    export(&mut server, &exported);

    let text = std::fs::read_to_string(&exported).unwrap();
    // Hashes only: no plain password of the example, and no Password member.
    assert!(!text.contains("Passw0rd"), "a plain password was exported");
    assert!(!text.contains("Secret123"));
    assert!(!text
        .lines()
        .any(|l| l.trim_start().starts_with("Password:")));
    assert_eq!(text.matches("PasswordHash: ").count(), 40);
    assert_eq!(text.matches("$argon2id$").count(), 40);

    let mut copy = seeded(&exported, None);
    let after = snapshot(&copy).await;
    assert_same(&before, &after, "the export loaded into an empty store");

    // And the copy exports to the same file.
    let again = dir.path().join("again.yaml");
    export(&mut copy, &again);
    assert_eq!(text, std::fs::read_to_string(&again).unwrap());
}

/// Runs `roster serve --seed FILE` on `store` (a data directory, or the PostgreSQL
/// database `url`) expecting it to refuse; its standard error.
fn refused(file: &Path, data_dir: &Path, url: Option<&str>) -> String {
    let mut cmd = Command::new(roster_binary());
    cmd.arg("serve")
        .arg("--listen")
        .arg("127.0.0.1:0")
        .arg("--data")
        .arg(data_dir)
        .arg("--seed")
        .arg(file)
        .env_remove("ROSTER_DATABASE_URL")
        .env("ROSTER_LOG", "warn");
    if let Some(url) = url {
        cmd.arg("--database-url").arg(url);
    }
    let out = cmd.output().expect("run roster serve");
    assert!(!out.status.success(), "roster started with a bad seed file");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("listening"),
        "it listened"
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[tokio::test]
async fn a_bad_seed_refuses_to_start_names_the_entry_and_writes_nothing() {
    let example = std::fs::read_to_string(example()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let database = postgres_backend().map(|admin| ScratchDatabase::create(&admin));
    let url = database.as_ref().map(|d| d.url.as_str());
    let data_dir = dir.path().join("data");

    // Each bad file breaks only the second instance, so an early write of the first
    // would show.
    let second = example.find("  - Id: 8a7b6c5d").unwrap();
    let (first, rest) = example.split_at(second);
    let cases = [
        (
            rest.replacen(
                "RoutingProfile: Basic Routing Profile",
                "RoutingProfile: No Such Profile",
                1,
            ),
            "Instances[1].Users[0].RoutingProfile: no routing profile \"No Such Profile\"",
        ),
        (
            rest.replacen("Username: ", "Username: bad name ", 1),
            "Instances[1].Users[0].Username",
        ),
        (
            rest.replacen("TimeZone: Europe/London", "TimeZone: Mars/Olympus", 1),
            "Instances[1].HoursOfOperations[0].TimeZone",
        ),
        (
            rest.replacen(
                "InstanceAlias: globex",
                "InstanceAlias: acme\n    Region: us-east-1",
                1,
            )
            .replacen("    Region: eu-west-1\n", "", 1)
            .replacen("    AccountId: '111111111111'\n", "", 1),
            "Instances[1].InstanceAlias",
        ),
        (
            rest.replacen(
                "      - Name: Billing\n",
                "      - Id: 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d\n        Name: Billing\n",
                1,
            ),
            "Instances[1].Queues[0].Id: 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d is the id of Instances[0].Queues[0] already",
        ),
        (
            rest.replacen(
                "IdentityManagementType: SAML",
                "IdentityManagementTyp: SAML",
                1,
            ),
            "Instances[1]: unknown field `IdentityManagementTyp`",
        ),
    ];
    let mut files: Vec<(String, &str)> = cases
        .iter()
        .map(|(broken, expected)| (format!("{first}{broken}"), *expected))
        .collect();
    // And some in the first instance.
    let in_first = [
        (
            first.replacen("Priority: 2", "Priority: 100", 1),
            "Instances[0].RoutingProfiles[0].QueueConfigs[1].Priority",
        ),
        (
            first.replacen(
                "Description: New business",
                &format!("Description: {}", "x".repeat(251)),
                1,
            ),
            "Instances[0].Queues[0].Description",
        ),
        (
            first.replacen("PasswordHash: '$argon2id$", "PasswordHash: '$argon2i$", 1),
            "Instances[0].Users[1].PasswordHash: must be an argon2id hash",
        ),
        (
            first.replacen("Password: Passw0rd02", "Password: short", 1),
            "Instances[0].Users[2].Password: must be 8-64 characters",
        ),
        (
            first.replacen("AttributeValue: Spanish", "AttributeValue: Klingon", 1),
            "Instances[0].Users[4].Proficiencies[0]: no predefined attribute Language with value Klingon",
        ),
        (
            first.replacen("      - Name: Team\n", "", 1),
            "Instances[0].HierarchyGroups[4]: is at level 3 of the hierarchy, which the structure does not have",
        ),
        (
            first.replacen("ParentGroup: Americas", "ParentGroup: Team Alpha", 1),
            "Instances[0].HierarchyGroups[2].ParentGroup: the parent groups form a cycle",
        ),
        (
            first.replacen("Name: Support\n", "Name: Sales\n", 1),
            "Instances[0].Queues[1]: a queue named Sales is listed twice",
        ),
    ];
    for (text, expected) in in_first {
        assert!(text != first, "{expected}: the example changed");
        files.push((format!("{text}{rest}"), expected));
    }
    for (n, (text, expected)) in files.iter().enumerate() {
        let file = dir.path().join(format!("bad{n}.yaml"));
        std::fs::write(&file, text).unwrap();
        let stderr = refused(&file, &data_dir, url);
        assert!(
            stderr.contains(expected),
            "case {n}: the message does not name {expected:?}: {stderr}"
        );
        assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    }

    // Nothing was written.
    let mut args = Vec::new();
    if let Some(url) = url {
        args = vec!["--database-url".to_string(), url.to_string()];
    }
    let server = Server::start_with(ServerOptions {
        args,
        data_dir: Some(data_dir.clone()),
    });
    for (key, region) in SCOPES {
        let r = raw_json_request_as(&server.addr, key, region, "GET", "/instance", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.json()["InstanceSummaryList"],
            Value::Array(vec![]),
            "{key} {region}"
        );
    }
}

#[tokio::test]
async fn export_refuses_what_it_cannot_read_and_never_shows_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    let out = Command::new(roster_binary())
        .arg("export")
        .arg("--data")
        .arg(&missing)
        .env_remove("ROSTER_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holds no roster store"), "{stderr}");
    assert!(!missing.exists(), "export made the directory");

    let out = Command::new(roster_binary())
        .args([
            "export",
            "--database-url",
            "postgres://roster:s3cret@127.0.0.1:1/roster",
        ])
        .env_remove("ROSTER_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("roster:***@127.0.0.1:1/roster"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");

    // The embedded store of a running server is open in that process alone.
    if postgres_backend().is_none() {
        let server = seeded(&example(), None);
        let out = Command::new(roster_binary())
            .arg("export")
            .arg("--data")
            .arg(&server.data_dir)
            .env_remove("ROSTER_DATABASE_URL")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("stop the server using it"), "{stderr}");
    }
}

/// Processes starting together over one PostgreSQL database with the same file all
/// start, and the file is applied once.
#[tokio::test]
async fn servers_starting_together_on_one_database_apply_the_file_once() {
    let Some(admin) = postgres_backend() else {
        eprintln!(
            "SKIPPED: ROSTER_TEST_BACKEND is not postgres; the shared-database start did not run"
        );
        return;
    };
    let database = ScratchDatabase::create(&admin);
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let url = database.url.clone();
            std::thread::spawn(move || {
                Server::start_with(ServerOptions {
                    args: vec![
                        "--database-url".into(),
                        url,
                        "--seed".into(),
                        example().display().to_string(),
                    ],
                    data_dir: None,
                })
            })
        })
        .collect();
    let servers: Vec<Server> = starts.into_iter().map(|t| t.join().unwrap()).collect();
    let first = snapshot(&servers[0]).await;
    for (key, region) in SCOPES {
        let r = raw_json_request_as(&servers[0].addr, key, region, "GET", "/instance", None).await;
        assert_eq!(r.json()["InstanceSummaryList"].as_array().unwrap().len(), 1);
    }
    let users = raw_json_request(
        &servers[1].addr,
        "GET",
        &format!("/users-summary/{ACME}?maxResults=100"),
        None,
    )
    .await;
    assert_eq!(
        users.json()["UserSummaryList"].as_array().unwrap().len(),
        40
    );
    for other in &servers[1..] {
        assert_same(
            &first,
            &snapshot(other).await,
            "another server of the fleet",
        );
    }
}
