//! Several roster processes serving over one PostgreSQL database: what one writes the
//! other reads at once, names stay unique across them, concurrent edits of one user
//! through both lose nothing, search pages stay stable while the other process
//! writes, a process killed mid-load loses nothing it acknowledged, and processes
//! starting together on an empty database migrate it once.
//!
//! Needs `ROSTER_TEST_DATABASE_URL` (an admin URL such as
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test makes a database of
//! its own and drops it at the end. Without the variable every test says so on
//! stderr and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use roster_tests::aws_sdk_connect::error::SdkError;
use roster_tests::aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel,
    StringComparisonType, StringCondition, User, UserIdentityInfo, UserSearchCriteria,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

fn start_on(url: &str) -> Server {
    start_with_quota(url, 500)
}

fn start_with_quota(url: &str, max_users: u64) -> Server {
    Server::start_with(ServerOptions {
        args: vec![
            "--database-url".into(),
            url.into(),
            "--max-users-per-instance".into(),
            max_users.to_string(),
        ],
        ..Default::default()
    })
}

/// Two servers on one fresh database, and an instance made through the first.
/// The servers are declared before the database so that they stop before it goes.
struct Fleet {
    a: Server,
    b: Server,
    ca: Client,
    cb: Client,
    instance: String,
    agent: String,
    rp: String,
    /// Kept for its lifetime: dropping it drops the database.
    _db: ScratchDatabase,
}

impl Fleet {
    async fn start() -> Option<Fleet> {
        Self::with_quota(500).await
    }

    async fn with_quota(max_users: u64) -> Option<Fleet> {
        let admin = admin_url()?;
        let db = ScratchDatabase::create(&admin);
        let a = start_with_quota(&db.url, max_users);
        let b = start_with_quota(&db.url, max_users);
        let (ca, cb) = (a.client(), b.client());
        let instance = create_instance(&ca, "SAML").await;
        let agent = security_profile_id(&ca, &instance, "Agent").await;
        let rp = basic_routing_profile(&ca, &instance).await;
        Some(Fleet {
            a,
            b,
            ca,
            cb,
            instance,
            agent,
            rp,
            _db: db,
        })
    }

    fn user(&self) -> NewUser {
        NewUser {
            instance: self.instance.clone(),
            agent: self.agent.clone(),
            rp: self.rp.clone(),
        }
    }
}

/// What CreateUser needs, cheap to move into tasks.
#[derive(Clone)]
struct NewUser {
    instance: String,
    agent: String,
    rp: String,
}

impl NewUser {
    async fn create(&self, client: &Client, username: &str) -> Result<String, (String, u16)> {
        client
            .create_user()
            .instance_id(&self.instance)
            .username(username)
            .identity_info(
                UserIdentityInfo::builder()
                    .first_name("Ada")
                    .last_name("Lovelace")
                    .build(),
            )
            .security_profile_ids(&self.agent)
            .routing_profile_id(&self.rp)
            .send()
            .await
            .map(|o| o.user_id.expect("user id"))
            .map_err(|e| match &e {
                SdkError::ServiceError(_) => error_of(&e),
                // No answer at all: the process is gone.
                _ => ("<no response>".to_string(), 0),
            })
    }
}

async fn describe(client: &Client, instance: &str, id: &str) -> Result<User, (String, u16)> {
    client
        .describe_user()
        .instance_id(instance)
        .user_id(id)
        .send()
        .await
        .map(|o| o.user.expect("user"))
        .map_err(|e| error_of(&e))
}

async fn user_ids(client: &Client, instance: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut token = None;
    loop {
        let out = client
            .list_users()
            .instance_id(instance)
            .max_results(1000)
            .set_next_token(token)
            .send()
            .await
            .expect("list users");
        ids.extend(out.user_summary_list().iter().filter_map(|u| u.id.clone()));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return ids;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn what_one_process_writes_the_other_reads_at_once() {
    let Some(f) = Fleet::start().await else {
        return;
    };
    // The instance made through A is there for B.
    let described =
        f.cb.describe_instance()
            .instance_id(&f.instance)
            .send()
            .await
            .expect("describe instance through B");
    assert_eq!(
        described.instance().and_then(|i| i.id()),
        Some(f.instance.as_str())
    );
    let nu = f.user();
    for i in 0..10 {
        let (writer, reader) = if i % 2 == 0 {
            (&f.ca, &f.cb)
        } else {
            (&f.cb, &f.ca)
        };
        let id = nu
            .create(writer, &format!("seen{i}"))
            .await
            .expect("create");
        let u = describe(reader, &f.instance, &id)
            .await
            .expect("the user is visible through the other process at once");
        assert_eq!(u.username(), Some(format!("seen{i}").as_str()));
        // A change through the reader shows through the writer at once.
        reader
            .update_user_identity_info()
            .instance_id(&f.instance)
            .user_id(&id)
            .identity_info(
                UserIdentityInfo::builder()
                    .first_name(format!("Changed{i}"))
                    .last_name("Lovelace")
                    .build(),
            )
            .send()
            .await
            .expect("update identity");
        let u = describe(writer, &f.instance, &id).await.unwrap();
        assert_eq!(
            u.identity_info().and_then(|x| x.first_name()),
            Some(format!("Changed{i}").as_str())
        );
        if i == 9 {
            writer
                .delete_user()
                .instance_id(&f.instance)
                .user_id(&id)
                .send()
                .await
                .expect("delete");
            assert_eq!(
                describe(reader, &f.instance, &id).await.unwrap_err(),
                ("ResourceNotFoundException".to_string(), 404)
            );
        }
    }
    assert_eq!(
        user_ids(&f.ca, &f.instance).await,
        user_ids(&f.cb, &f.instance).await
    );
    assert_eq!(user_ids(&f.cb, &f.instance).await.len(), 9);
    // Health reports the backend on both.
    for s in [&f.a, &f.b] {
        let r = raw_json_request(&s.addr, "GET", "/health", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.json(),
            serde_json::json!({"status": "ok", "store": "postgres"})
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_username_created_through_both_processes_at_once_wins_once() {
    let Some(f) = Fleet::start().await else {
        return;
    };
    let nu = f.user();
    let tasks: Vec<_> = (0..20u32)
        .map(|n| {
            let name: String = "agentsmith"
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if (n >> (i % 10)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            let client = if n % 2 == 0 {
                f.ca.clone()
            } else {
                f.cb.clone()
            };
            let nu = nu.clone();
            tokio::spawn(async move { (name.clone(), nu.create(&client, &name).await) })
        })
        .collect();
    let mut won = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap() {
            (name, Ok(id)) => won.push((name, id)),
            (_, Err((code, 409))) if code == "DuplicateResourceException" => conflicts += 1,
            (name, Err(e)) => panic!("{name}: unexpected {e:?}"),
        }
    }
    assert_eq!((won.len(), conflicts), (1, 19), "{won:?}");
    let ids = user_ids(&f.cb, &f.instance).await;
    assert_eq!(ids, BTreeSet::from([won[0].1.clone()]));
}

/// The quota holds exactly across processes: 64 creations at once through both into
/// an instance 10 below its quota, 10 created and 54 refused with 429
/// `LimitExceededException`, and the instance holds exactly the quota.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn creations_racing_for_the_last_places_of_the_quota_through_both_processes() {
    let Some(f) = Fleet::with_quota(50).await else {
        return;
    };
    let nu = f.user();
    for n in 0..40 {
        nu.create(if n % 2 == 0 { &f.ca } else { &f.cb }, &format!("early{n}"))
            .await
            .unwrap();
    }
    let tasks: Vec<_> = (0..64u32)
        .map(|n| {
            let client = if n % 2 == 0 {
                f.ca.clone()
            } else {
                f.cb.clone()
            };
            let nu = nu.clone();
            tokio::spawn(async move { nu.create(&client, &format!("late{n}")).await })
        })
        .collect();
    let (mut created, mut limited) = (BTreeSet::new(), 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(id) => {
                created.insert(id);
            }
            Err((code, 429)) if code == "LimitExceededException" => limited += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((created.len(), limited), (10, 54));
    let ids = user_ids(&f.ca, &f.instance).await;
    assert_eq!(ids.len(), 50);
    assert!(created.is_subset(&ids));
    // A deletion frees one place, which the next creation takes.
    let victim = created.iter().next().unwrap().clone();
    f.cb.delete_user()
        .instance_id(&f.instance)
        .user_id(&victim)
        .send()
        .await
        .unwrap();
    nu.create(&f.ca, "afterwards").await.unwrap();
    assert_eq!(
        nu.create(&f.cb, "one-too-many").await.unwrap_err(),
        ("LimitExceededException".to_string(), 429)
    );
}

fn auto_accept(channel: &str, on: bool) -> AutoAcceptConfig {
    AutoAcceptConfig::builder()
        .channel(Channel::from(channel))
        .auto_accept(on)
        .build()
        .unwrap()
}

fn acw(channel: &str, seconds: i32) -> AfterContactWorkConfigPerChannel {
    AfterContactWorkConfigPerChannel::builder()
        .channel(Channel::from(channel))
        .after_contact_work_config(
            AfterContactWorkConfig::builder()
                .after_contact_work_time_limit(seconds)
                .build(),
        )
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_channel_updates_through_both_processes_lose_nothing() {
    let Some(f) = Fleet::start().await else {
        return;
    };
    let id = f.user().create(&f.ca, "busy").await.unwrap();
    const ROUNDS: i32 = 12;
    let channels = ["VOICE", "CHAT", "TASK", "EMAIL"];
    let tasks: Vec<_> = channels
        .iter()
        .enumerate()
        .map(|(c, channel)| {
            let (channel, instance, id) = (channel.to_string(), f.instance.clone(), id.clone());
            let (ca, cb) = (f.ca.clone(), f.cb.clone());
            tokio::spawn(async move {
                for round in 0..ROUNDS {
                    // Alternate processes round by round, and start on different ones.
                    let client = if (round + c as i32) % 2 == 0 {
                        &ca
                    } else {
                        &cb
                    };
                    client
                        .update_user_config()
                        .instance_id(&instance)
                        .user_id(&id)
                        .auto_accept_configs(auto_accept(&channel, round % 2 == 0))
                        .after_contact_work_configs(acw(&channel, (c as i32 + 1) * 1000 + round))
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("{channel} round {round}: {:?}", error_of(&e)));
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    for client in [&f.ca, &f.cb] {
        let u = describe(client, &f.instance, &id).await.unwrap();
        let acws: BTreeMap<String, i32> = u
            .after_contact_work_configs()
            .iter()
            .map(|e| {
                (
                    e.channel().as_str().to_string(),
                    e.after_contact_work_config()
                        .map(|c| c.after_contact_work_time_limit())
                        .unwrap_or(-1),
                )
            })
            .collect();
        let accepts: BTreeMap<String, bool> = u
            .auto_accept_configs()
            .iter()
            .map(|e| (e.channel().as_str().to_string(), e.auto_accept()))
            .collect();
        for (c, channel) in channels.iter().enumerate() {
            assert_eq!(
                acws.get(*channel),
                Some(&((c as i32 + 1) * 1000 + ROUNDS - 1)),
                "{channel}: {acws:?}"
            );
            assert_eq!(
                accepts.get(*channel),
                Some(&((ROUNDS - 1) % 2 == 0)),
                "{channel}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn search_pages_through_one_process_while_the_other_creates() {
    let Some(f) = Fleet::start().await else {
        return;
    };
    let nu = f.user();
    let mut before = BTreeSet::new();
    for i in 0..30 {
        before.insert(nu.create(&f.ca, &format!("pre{:02}", i * 3)).await.unwrap());
    }
    // Also users that do not match.
    for i in 0..5 {
        nu.create(&f.ca, &format!("other{i}")).await.unwrap();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let created = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (cb, nu, stop, created) = (f.cb.clone(), nu.clone(), stop.clone(), created.clone());
        tokio::spawn(async move {
            // Names that sort between, before and after the pre-existing ones.
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) && i < 90 {
                let name = format!("pre{:02}x", (i * 7) % 90);
                let id = nu.create(&cb, &name).await.expect("create during search");
                created.lock().unwrap().push(id);
                i += 1;
            }
        })
    };
    let criteria = UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name("Username")
                .value("PRE")
                .comparison_type(StringComparisonType::StartsWith)
                .build(),
        )
        .build();
    let mut seen: Vec<String> = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let out =
            f.ca.search_users()
                .instance_id(&f.instance)
                .search_criteria(criteria.clone())
                .max_results(3)
                .set_next_token(token.clone())
                .send()
                .await
                .expect("search");
        pages += 1;
        for u in out.users() {
            seen.push(u.id().expect("id").to_string());
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a user came back twice");
    for id in &before {
        assert!(unique.contains(id), "pre-existing user {id} was skipped");
    }
    let created = created.lock().unwrap().clone();
    assert!(
        !created.is_empty(),
        "the other process wrote during the search"
    );
    assert!(pages >= 10, "{pages} pages");
    // Everything seen is a matching user: pre-existing or created meanwhile.
    for id in &unique {
        assert!(before.contains(id) || created.contains(id), "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_process_loses_nothing_it_acknowledged() {
    let Some(mut f) = Fleet::start().await else {
        return;
    };
    let nu = f.user();
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let failed = Arc::new(Mutex::new(0usize));
    let loaders: Vec<_> = (0..3)
        .map(|t| {
            let (ca, nu, acknowledged, failed) = (
                f.ca.clone(),
                nu.clone(),
                acknowledged.clone(),
                failed.clone(),
            );
            tokio::spawn(async move {
                let client = without_retries(&ca);
                for i in 0..400 {
                    let name = format!("load{t}x{i}");
                    match nu.create(&client, &name).await {
                        Ok(id) => acknowledged.lock().unwrap().push((name, id)),
                        Err((_, 0)) => {
                            *failed.lock().unwrap() += 1;
                            return;
                        }
                        Err(other) => panic!("{name}: unexpected {other:?}"),
                    }
                }
            })
        })
        .collect();
    // Kill A once it has acknowledged a good number of users, mid-load.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 30 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the load did not start"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    f.a.kill();
    for l in loaders {
        // A loader panics only on an unexpected outcome; a refused connection ends it.
        let _ = tokio::time::timeout(Duration::from_secs(120), l).await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(*failed.lock().unwrap() > 0, "the kill interrupted the load");
    // Every acknowledged user is there through B.
    let ids = user_ids(&f.cb, &f.instance).await;
    for (name, id) in &acknowledged {
        assert!(
            ids.contains(id),
            "{name} ({id}) was acknowledged but is gone"
        );
        let u = describe(&f.cb, &f.instance, id)
            .await
            .expect("describe through B");
        assert_eq!(u.username(), Some(name.as_str()));
    }
    // B keeps serving reads and writes; names taken through A stay taken.
    let fresh = nu
        .create(&f.cb, "after.kill")
        .await
        .expect("B still writes");
    assert!(describe(&f.cb, &f.instance, &fresh).await.is_ok());
    let (taken, _) = &acknowledged[0];
    assert_eq!(
        nu.create(&f.cb, &taken.to_uppercase()).await.unwrap_err(),
        ("DuplicateResourceException".to_string(), 409)
    );
    eprintln!(
        "{} users acknowledged through A before SIGKILL, all visible through B",
        acknowledged.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_starting_together_on_an_empty_database_migrate_it_once() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let url = db.url.clone();
            std::thread::spawn(move || start_on(&url))
        })
        .collect();
    let servers: Vec<Server> = starts
        .into_iter()
        .map(|t| t.join().expect("every server starts"))
        .collect();
    let clients: Vec<Client> = servers.iter().map(Server::client).collect();
    let instance = create_instance(&clients[2], "SAML").await;
    let agent = security_profile_id(&clients[1], &instance, "Agent").await;
    let rp = basic_routing_profile(&clients[0], &instance).await;
    let nu = NewUser {
        instance,
        agent,
        rp,
    };
    for (i, c) in clients.iter().enumerate() {
        nu.create(c, &format!("from{i}")).await.expect("create");
    }
    for c in &clients {
        assert_eq!(user_ids(c, &nu.instance).await.len(), 3);
    }
    // One row per migration, however many processes raced.
    let url = db.url.clone();
    let versions = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            let rows = client
                .query(
                    "SELECT version FROM schema_migrations ORDER BY version",
                    &[],
                )
                .await
                .unwrap();
            rows.iter().map(|r| r.get::<_, i64>(0)).collect::<Vec<_>>()
        })
    })
    .join()
    .unwrap();
    assert_eq!(versions, roster_store_postgres::schema_versions());
    drop(servers);
}

#[tokio::test]
async fn an_unreachable_database_stops_start_up_without_showing_the_password() {
    if admin_url().is_none() {
        return;
    }
    let out = std::process::Command::new(roster_binary())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "postgres://roster:pw-s3cret@127.0.0.1:1/roster",
        ])
        .env("ROSTER_LOG", "debug")
        .env_remove("ROSTER_DATABASE_URL")
        .output()
        .expect("run roster");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stderr.contains("pw-s3cret"), "{stderr}");
    assert!(!stdout.contains("pw-s3cret"), "{stdout}");
    assert!(
        stderr.contains("postgres://roster:***@127.0.0.1:1/roster"),
        "{stderr}"
    );
}
