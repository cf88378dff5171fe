//! CSV bulk import and export through `roster users import` / `roster users export`
//! against the running binary, checked through the API: 1,000 rows, every error of a
//! bad file by row and column with nothing created, the quota for the whole file,
//! and a downloaded file uploaded unchanged into a second instance.

use std::collections::{BTreeMap, HashMap};
use std::process::{Command, Output};

use roster_tests::aws_sdk_connect::types::{
    HierarchyLevelUpdate, HierarchyStructureUpdate, StringComparisonType, StringCondition, User,
    UserSearchCriteria,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

const OFFICIAL: &str = "first name,last name,email address,secondary email address,mobile,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)";
const EXTENDED: &str = "first name,last name,email address,secondary email address,mobile,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds),hierarchy group path,tags";

/// `roster users ARGS` against `server`, signing with `key` / `secret` in us-east-1.
fn roster_users_command(server: &Server, key: &str, secret: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(roster_binary());
    cmd.arg("users")
        .args(args)
        .arg("--endpoint")
        .arg(server.endpoint())
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("ROSTER_ENDPOINT");
    cmd
}

/// Runs `roster users ARGS` signed as the default test client (account
/// 123456789012, us-east-1).
fn roster_users(server: &Server, args: &[&str]) -> Output {
    roster_users_command(server, "AKIDEXAMPLE", "secret", args)
        .output()
        .expect("run roster users")
}

/// Imports `csv` into `instance` through the CLI.
fn import(server: &Server, instance: &str, csv: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    std::fs::write(&file, csv).unwrap();
    roster_users(
        server,
        &["import", "--instance-id", instance, file.to_str().unwrap()],
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The user named `username`, found with SearchUsers and read with DescribeUser.
async fn find(client: &Client, instance: &str, username: &str) -> User {
    let found = client
        .search_users()
        .instance_id(instance)
        .search_criteria(
            UserSearchCriteria::builder()
                .string_condition(
                    StringCondition::builder()
                        .field_name("Username")
                        .value(username)
                        .comparison_type(StringComparisonType::Exact)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("search users");
    assert_eq!(found.users().len(), 1, "{username}");
    let id = found.users()[0].id().unwrap();
    client
        .describe_user()
        .instance_id(instance)
        .user_id(id)
        .send()
        .await
        .expect("describe user")
        .user
        .unwrap()
}

/// How many users of the instance SearchUsers counts.
async fn total(client: &Client, instance: &str) -> i64 {
    client
        .search_users()
        .instance_id(instance)
        .max_results(1)
        .send()
        .await
        .expect("search users")
        .approximate_total_count()
        .unwrap()
}

#[tokio::test]
async fn a_thousand_rows_import_through_the_cli() {
    let server = Server::start_with(ServerOptions {
        args: vec!["--max-users-per-instance".into(), "2000".into()],
        ..Default::default()
    });
    let fx = Fx::on(server, "SAML").await;
    let mut csv = format!("{OFFICIAL}\n");
    for i in 0..1000 {
        let (phone, number, profiles) = if i % 3 == 0 {
            ("desk", format!("+1206555{i:04}"), "Agent|CallCenterManager")
        } else {
            ("soft", String::new(), "Agent")
        };
        csv.push_str(&format!(
            "First{i},Last{i},agent{i}@example.com,,+4477009{i:05},,agent.{i:04},Basic Routing Profile,{profiles},{phone},{number},{},{}\n",
            if i % 2 == 0 { "yes" } else { "no" },
            i % 100
        ));
    }
    let started = std::time::Instant::now();
    let out = import(&fx.server, &fx.instance, &csv);
    let took = started.elapsed();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("imported 1000 users"));
    assert_eq!(text(&out.stdout).lines().count(), 1000);
    eprintln!("1,000 SAML rows imported in {took:?} (debug build, CLI included)");

    assert_eq!(total(&fx.client, &fx.instance).await, 1000);
    let manager = security_profile_id(&fx.client, &fx.instance, "CallCenterManager").await;
    let u = find(&fx.client, &fx.instance, "agent.0003").await;
    let info = u.identity_info().unwrap();
    assert_eq!(info.first_name(), Some("First3"));
    assert_eq!(info.last_name(), Some("Last3"));
    assert_eq!(info.email(), Some("agent3@example.com"));
    assert_eq!(info.mobile(), Some("+447700900003"));
    assert_eq!(u.routing_profile_id(), Some(fx.rp.as_str()));
    assert_eq!(u.security_profile_ids(), [fx.agent.clone(), manager]);
    let phone = u.phone_config().unwrap();
    assert_eq!(phone.phone_type().as_str(), "DESK_PHONE");
    assert_eq!(phone.desk_phone_number(), Some("+12065550003"));
    assert!(!phone.auto_accept());
    assert_eq!(phone.after_contact_work_time_limit(), 3);

    let u = find(&fx.client, &fx.instance, "agent.0998").await;
    assert_eq!(u.security_profile_ids(), std::slice::from_ref(&fx.agent));
    let phone = u.phone_config().unwrap();
    assert_eq!(phone.phone_type().as_str(), "SOFT_PHONE");
    assert!(phone.auto_accept());
    assert_eq!(phone.after_contact_work_time_limit(), 98);
}

#[tokio::test]
async fn connect_managed_rows_need_passwords_and_get_them_hashed() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let mut csv = format!("{OFFICIAL}\n");
    for i in 0..8 {
        csv.push_str(&format!(
            "Ann{i},Lee,,,,Secret12{i},ann.{i},Basic Routing Profile,Agent,soft,,no,0\n"
        ));
    }
    // Without a password the file is refused whole.
    let refused = format!("{csv}Bob,Lee,,,,,bob,Basic Routing Profile,Agent,soft,,no,0\n");
    let out = import(&fx.server, &fx.instance, &refused);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("row 9, column 'password': is required for instances using CONNECT_MANAGED"),
        "{err}"
    );
    assert!(fx.users().await.is_empty());

    let out = import(&fx.server, &fx.instance, &csv);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(fx.users().await.len(), 8);
    let u = find(&fx.client, &fx.instance, "ann.5").await;
    assert_eq!(u.identity_info().unwrap().first_name(), Some("Ann5"));
}

#[tokio::test]
async fn every_error_of_a_bad_file_is_reported_and_nothing_is_created() {
    let fx = Fx::new("SAML").await;
    fx.new_user("Existing.User").await;
    let mut rows: Vec<String> = (1..=10)
        .map(|i| {
            format!(
                "Ann{i},Lee,ann{i}@example.com,,,,ann.{i},Basic Routing Profile,Agent,soft,,no,0"
            )
        })
        .collect();
    // Row 2: a routing profile the instance does not have.
    rows[1] = rows[1].replace("Basic Routing Profile", "Night Shift");
    // Row 5: the login of row 1, in other case.
    rows[4] = rows[4].replace("ann.5", "ANN.1");
    // Row 8: an email address that is not one.
    rows[7] = rows[7].replace("ann8@example.com", "ann8-at-example");
    // Row 10: a login the instance has already, an unknown security profile and a
    // phone type that is neither soft nor desk.
    rows[9] = rows[9]
        .replace("ann.10", "existing.user")
        .replace(",Agent,soft,", ",Agent|Janitor,rotary,");
    let csv = format!("{OFFICIAL}\n{}\n", rows.join("\n"));
    let out = import(&fx.server, &fx.instance, &csv);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    for expected in [
        "row 2, column 'routing profile name': no routing profile named 'Night Shift' exists in this instance",
        "row 5, column 'user login': repeats the login of row 1",
        "row 8, column 'email address': ",
        "row 10, column 'user login': a user named existing.user already exists in this instance",
        "row 10, column 'security_profile_name_1|security_profile_name_2': no security profile named 'Janitor'",
        "row 10, column 'phone type (soft/desk)': must be soft or desk",
        "nothing was imported",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
    assert!(err.contains("the file has 6 errors"), "{err}");
    // Only rows 2, 5, 8 and 10 are named.
    for row in [1, 3, 4, 6, 7, 9] {
        assert!(
            !err.contains(&format!("row {row},")),
            "row {row} in:\n{err}"
        );
    }
    assert_eq!(
        fx.usernames().await.into_iter().collect::<Vec<_>>(),
        ["Existing.User"]
    );

    // A header that is no template's names the column at fault.
    let out = import(
        &fx.server,
        &fx.instance,
        &format!("{}\n{}\n", OFFICIAL.replace("user login", "login"), rows[0]),
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("file: the header row is neither the official 13-column template nor roster's extended template: column 7 is 'login'"),
        "{}",
        text(&out.stderr)
    );
    // An unknown instance is the API's 404.
    let out = import(&fx.server, "00000000-0000-0000-0000-000000000000", &csv);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("404"), "{}", text(&out.stderr));
    assert_eq!(fx.users().await.len(), 1);
}

#[tokio::test]
async fn a_file_past_the_quota_creates_nothing() {
    let server = Server::start_with(ServerOptions {
        args: vec!["--max-users-per-instance".into(), "5".into()],
        ..Default::default()
    });
    let fx = Fx::on(server, "SAML").await;
    fx.new_user("one").await;
    fx.new_user("two").await;
    let rows: Vec<String> = (0..4)
        .map(|i| format!("Ann,Lee,,,,,bulk.{i},Basic Routing Profile,Agent,soft,,no,0"))
        .collect();
    let out = import(
        &fx.server,
        &fx.instance,
        &format!("{OFFICIAL}\n{}\n", rows.join("\n")),
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "file: the instance holds 2 users and may hold 5; the file's 4 users would make 6"
        ),
        "{err}"
    );
    assert_eq!(fx.users().await.len(), 2);
    // Three fit exactly.
    let out = import(
        &fx.server,
        &fx.instance,
        &format!("{OFFICIAL}\n{}\n", rows[..3].join("\n")),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(fx.users().await.len(), 5);
}

/// A two-level hierarchy EMEA/UK and EMEA/"Sales/Leeds" (a name holding the path
/// separator), and a security profile `Team Lead`.
async fn furnish(client: &Client, instance: &str) -> HashMap<String, String> {
    client
        .update_user_hierarchy_structure()
        .instance_id(instance)
        .hierarchy_structure(
            HierarchyStructureUpdate::builder()
                .level_one(
                    HierarchyLevelUpdate::builder()
                        .name("Region")
                        .build()
                        .unwrap(),
                )
                .level_two(
                    HierarchyLevelUpdate::builder()
                        .name("Site")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .expect("hierarchy structure");
    let mut groups = HashMap::new();
    let emea = client
        .create_user_hierarchy_group()
        .instance_id(instance)
        .name("EMEA")
        .send()
        .await
        .expect("group")
        .hierarchy_group_id
        .unwrap();
    groups.insert(emea.clone(), "EMEA".to_string());
    for name in ["UK", "Sales/Leeds"] {
        let id = client
            .create_user_hierarchy_group()
            .instance_id(instance)
            .name(name)
            .parent_group_id(&emea)
            .send()
            .await
            .expect("group")
            .hierarchy_group_id
            .unwrap();
        groups.insert(id, name.to_string());
    }
    client
        .create_security_profile()
        .instance_id(instance)
        .security_profile_name("Team Lead")
        .send()
        .await
        .expect("security profile");
    groups
}

/// What a user is, with names in place of the ids of one instance.
async fn portable(client: &Client, instance: &str, u: &User) -> String {
    let mut profiles = HashMap::new();
    for p in client
        .list_security_profiles()
        .instance_id(instance)
        .send()
        .await
        .unwrap()
        .security_profile_summary_list()
    {
        profiles.insert(p.id().unwrap().to_string(), p.name().unwrap().to_string());
    }
    let rp = client
        .describe_routing_profile()
        .instance_id(instance)
        .routing_profile_id(u.routing_profile_id().unwrap())
        .send()
        .await
        .unwrap()
        .routing_profile
        .unwrap()
        .name
        .unwrap();
    let group = match u.hierarchy_group_id() {
        Some(g) => client
            .describe_user_hierarchy_group()
            .instance_id(instance)
            .hierarchy_group_id(g)
            .send()
            .await
            .unwrap()
            .hierarchy_group
            .unwrap()
            .name
            .unwrap(),
        None => String::new(),
    };
    let sps: Vec<&str> = u
        .security_profile_ids()
        .iter()
        .map(|id| profiles[id].as_str())
        .collect();
    let tags: BTreeMap<_, _> = u.tags().cloned().unwrap_or_default().into_iter().collect();
    format!(
        "{:?} {:?} {rp} {sps:?} {group} {tags:?} {:?}",
        u.username(),
        u.identity_info(),
        u.phone_config()
    )
}

#[tokio::test]
async fn a_downloaded_file_uploads_unchanged_into_another_instance() {
    let source = Fx::new("CONNECT_MANAGED").await;
    furnish(&source.client, &source.instance).await;
    let csv = format!(
        "{EXTENDED}\n\
         Zoë,Brontë-O'Neill,zoe@example.com,zoe.b@example.org,+447700900123,Secret123,zoe,Basic Routing Profile,Agent|Team Lead,desk,+12065550100,yes,45,EMEA/UK,team=blue;cost\\=centre=42\n\
         \"Smith, Jr.\",Lee,,,,Secret456,jr.smith,Basic Routing Profile,Team Lead,soft,,no,0,EMEA/Sales\\/Leeds,\n\
         Ann,Lee,,,,Secret789,ann,Basic Routing Profile,Agent,soft,,no,120,,\n"
    );
    let out = import(&source.server, &source.instance, &csv);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // One more made through the API.
    source.new_user("api.user").await;

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    let out = roster_users(
        &source.server,
        &[
            "export",
            "--instance-id",
            &source.instance,
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(lines[0], format!("{EXTENDED},user id"));
    assert_eq!(lines.len(), 5, "{exported}");
    // No password, nor any hash of one.
    for secret in ["Secret123", "Secret456", "Secret789", "argon2"] {
        assert!(!exported.contains(secret), "{secret} in {exported}");
    }
    let zoe = lines.iter().find(|l| l.contains(",zoe,")).unwrap();
    assert!(
        zoe.starts_with("Zoë,Brontë-O'Neill,zoe@example.com,zoe.b@example.org,+447700900123,,zoe,Basic Routing Profile,Agent|Team Lead,desk,+12065550100,yes,45,EMEA/UK,cost\\=centre=42;team=blue,"),
        "{zoe}"
    );
    assert!(exported.contains("\"Smith, Jr.\",Lee,,,,,jr.smith,Basic Routing Profile,Team Lead,soft,,no,0,EMEA/Sales\\/Leeds,,"), "{exported}");

    // The same file, unchanged, into a SAML instance of another server with the same names.
    let target = Fx::new("SAML").await;
    furnish(&target.client, &target.instance).await;
    let out = import(&target.server, &target.instance, &exported);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["zoe", "jr.smith", "ann", "api.user"] {
        let a = find(&source.client, &source.instance, name).await;
        let b = find(&target.client, &target.instance, name).await;
        assert_ne!(a.id(), b.id());
        assert_eq!(
            portable(&source.client, &source.instance, &a).await,
            portable(&target.client, &target.instance, &b).await
        );
    }
    let zoe = find(&target.client, &target.instance, "zoe").await;
    assert_eq!(
        zoe.tags().unwrap().get("cost=centre").map(String::as_str),
        Some("42")
    );
    assert_eq!(total(&target.client, &target.instance).await, 4);

    // Exported again, the second instance gives the same rows but for the ids.
    let out = roster_users(
        &target.server,
        &["export", "--instance-id", &target.instance],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let strip_ids = |t: &str| -> Vec<String> {
        t.lines()
            .skip(1)
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(strip_ids(&text(&out.stdout)), strip_ids(&exported));
}

#[tokio::test]
async fn the_cli_refuses_without_credentials_or_region() {
    let fx = Fx::new("SAML").await;
    // `roster users export` of the instance, with `extra` arguments; the environment
    // as each case sets it.
    let export = |extra: &[&str]| {
        let mut cmd = Command::new(roster_binary());
        cmd.args(["users", "export", "--instance-id", &fx.instance])
            .args(extra)
            .arg("--endpoint")
            .arg(fx.server.endpoint());
        cmd
    };
    let out = export(&[])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_REGION", "us-east-1")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no credentials"));
    let out = export(&[])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no region"));
    // Another region is another place: the instance is not there.
    let out = export(&["--region", "eu-west-1"])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("404"), "{}", text(&out.stderr));
}

/// In strict mode the CLI's requests are checked like API calls: the configured key
/// imports (here from standard input) into its own account, a wrong secret is refused
/// and changes nothing.
#[tokio::test]
async fn strict_mode_checks_the_cli_like_an_api_caller() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("credentials.toml");
    std::fs::write(
        &creds,
        "[[credentials]]\naccess_key_id = \"AKIAEXAMPLE1\"\nsecret_access_key = \"secret1\"\naccount_id = \"111111111111\"\n",
    )
    .unwrap();
    let server = Server::start_with(ServerOptions {
        args: vec![
            "--auth".into(),
            "strict".into(),
            "--credentials".into(),
            creds.display().to_string(),
        ],
        ..Default::default()
    });
    let client = server.client_as("AKIAEXAMPLE1", "secret1", "us-east-1");
    let fx = Fx::with_client(server, client, "SAML").await;
    let csv = format!("{OFFICIAL}\nAnn,Lee,,,,,ann,Basic Routing Profile,Agent,soft,,no,0\n");
    let run = |secret: &str| {
        use std::io::Write;
        let mut child = roster_users_command(
            &fx.server,
            "AKIAEXAMPLE1",
            secret,
            &["import", "--instance-id", &fx.instance, "-"],
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(csv.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("wrong");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("403"), "{}", text(&out.stderr));
    assert!(fx.users().await.is_empty());
    let out = run("secret1");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        fx.usernames().await.into_iter().collect::<Vec<_>>(),
        ["ann"]
    );
}

/// The request inspector keeps no body of an import, even one whose header is not
/// a template's, so passwords in its cells never show; the export it shows has none.
#[tokio::test]
async fn the_inspector_never_shows_an_imports_passwords() {
    let server = Server::start_with(ServerOptions {
        args: vec!["--inspect".into(), "20".into()],
        ..Default::default()
    });
    let fx = Fx::on(server, "CONNECT_MANAGED").await;
    let good = format!(
        "{OFFICIAL}\nAnn,Lee,,,,Inspect0rSecret1,ann,Basic Routing Profile,Agent,soft,,no,0\n"
    );
    let out = import(&fx.server, &fx.instance, &good);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let odd = "name,pw\nBob,Inspect0rSecret2\n";
    let out = import(&fx.server, &fx.instance, odd);
    assert!(!out.status.success());
    let out = roster_users(&fx.server, &["export", "--instance-id", &fx.instance]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let shown = raw_json_request(&fx.server.addr, "GET", "/_roster/requests", None).await;
    assert_eq!(shown.status, 200);
    let body = String::from_utf8_lossy(&shown.body).to_string();
    assert!(!body.contains("Inspect0rSecret"), "{body}");
    assert!(!body.contains("argon2"), "{body}");
    let requests = shown.json()["requests"].as_array().unwrap().clone();
    let imports: Vec<_> = requests
        .iter()
        .filter(|r| r["path"].as_str().unwrap_or("").ends_with("/users/import"))
        .collect();
    assert_eq!(imports.len(), 2, "{body}");
    assert!(imports.iter().all(|r| r["requestBody"].is_null()), "{body}");
}
