//! Durability: whatever the server acknowledged survives SIGKILL and SIGTERM, and a
//! restarted server answers exactly as before.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use roster_tests::aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel,
    InstanceAttributeType, PersistentConnectionConfig, PhoneNumberConfig, PhoneType,
    UserIdentityInfo, UserPhoneConfig,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

/// What DescribeUser answered, as JSON: every member, sensitive ones included (the
/// SDK's `Debug` redacts those).
async fn user_snapshot(server: &Server, instance: &str, user: &str) -> serde_json::Value {
    let r = raw_json_request(
        &server.addr,
        "GET",
        &format!("/users/{instance}/{user}"),
        None,
    )
    .await;
    assert_eq!(
        r.status,
        200,
        "describe user {user}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

/// What DescribeInstance answered, as JSON.
async fn instance_snapshot(server: &Server, instance: &str) -> serde_json::Value {
    let r = raw_json_request(&server.addr, "GET", &format!("/instance/{instance}"), None).await;
    assert_eq!(
        r.status,
        200,
        "describe instance {instance}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

async fn attribute(client: &Client, instance: &str, t: InstanceAttributeType) -> String {
    client
        .describe_instance_attribute()
        .instance_id(instance)
        .attribute_type(t)
        .send()
        .await
        .expect("describe attribute")
        .attribute
        .and_then(|a| a.value)
        .expect("value")
}

/// Every user id of an instance, through all pages of ListUsers.
async fn all_user_ids(client: &Client, instance: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .list_users()
            .instance_id(instance)
            .max_results(20)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("list users");
        for u in out.user_summary_list() {
            assert!(
                ids.insert(u.id().expect("id").to_string()),
                "user listed twice"
            );
        }
        match out.next_token() {
            Some(t) => token = Some(t.to_string()),
            None => return ids,
        }
    }
}

/// Starts a server on an existing data directory (whose temp dir the caller keeps).
fn restart(data_dir: std::path::PathBuf) -> Server {
    Server::start_with(ServerOptions {
        args: Vec::new(),
        data_dir: Some(data_dir),
    })
}

fn user_request(
    client: &Client,
    instance: &str,
    username: &str,
    sp: &str,
    rp: &str,
) -> roster_tests::aws_sdk_connect::operation::create_user::builders::CreateUserFluentBuilder {
    client
        .create_user()
        .instance_id(instance)
        .username(username)
        .password("Secret123")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Dur")
                .last_name(username)
                .build(),
        )
        .security_profile_ids(sp)
        .routing_profile_id(rp)
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let mut server = Server::start();
    let client = server.client();

    let instance = client
        .create_instance()
        .identity_management_type("CONNECT_MANAGED".into())
        .instance_alias(format!(
            "dur-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ))
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(false)
        .tags("env", "durability")
        .send()
        .await
        .expect("create instance")
        .id
        .expect("instance id");
    let sp_agent = security_profile_id(&client, &instance, "Agent").await;
    let sp_admin = security_profile_id(&client, &instance, "Admin").await;
    let rp = basic_routing_profile(&client, &instance).await;

    let mut users: BTreeMap<String, serde_json::Value> = BTreeMap::new();

    // A user with legacy phone settings, email and tags.
    let u1 = user_request(&client, &instance, "alice", &sp_agent, &rp)
        .security_profile_ids(&sp_admin)
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Alice")
                .last_name("Émond")
                .email("alice@example.com")
                .mobile("+14155550100")
                .build(),
        )
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+14155550199")
                .auto_accept(true)
                .after_contact_work_time_limit(45)
                .build(),
        )
        .tags("team", "north")
        .send()
        .await
        .expect("create alice")
        .user_id
        .expect("id");
    users.insert(u1.clone(), user_snapshot(&server, &instance, &u1).await);
    assert_eq!(
        users[&u1]["User"]["IdentityInfo"]["Email"], "alice@example.com",
        "{}",
        users[&u1]
    );
    assert_eq!(
        users[&u1]["User"]["PhoneConfig"]["DeskPhoneNumber"], "+14155550199",
        "{}",
        users[&u1]
    );

    // A user with per-channel settings.
    let u2 = user_request(&client, &instance, "bob", &sp_agent, &rp)
        .auto_accept_configs(
            AutoAcceptConfig::builder()
                .channel(Channel::Voice)
                .auto_accept(true)
                .build()
                .expect("auto accept"),
        )
        .after_contact_work_configs(
            AfterContactWorkConfigPerChannel::builder()
                .channel(Channel::Chat)
                .after_contact_work_config(
                    AfterContactWorkConfig::builder()
                        .after_contact_work_time_limit(120)
                        .build(),
                )
                .build()
                .expect("acw"),
        )
        .send()
        .await
        .expect("create bob")
        .user_id
        .expect("id");
    users.insert(u2.clone(), user_snapshot(&server, &instance, &u2).await);

    // A plain user.
    let u3 = user_request(&client, &instance, "carol", &sp_agent, &rp)
        .send()
        .await
        .expect("create carol")
        .user_id
        .expect("id");
    users.insert(u3.clone(), user_snapshot(&server, &instance, &u3).await);

    // Tag one user.
    let u3_arn = format!("arn:aws:connect:us-east-1:123456789012:instance/{instance}/agent/{u3}");
    client
        .tag_resource()
        .resource_arn(&u3_arn)
        .tags("shift", "night")
        .tags("desk", "7")
        .send()
        .await
        .expect("tag carol");
    users.insert(u3.clone(), user_snapshot(&server, &instance, &u3).await);
    assert_eq!(
        users[&u3]["User"]["Tags"]["shift"], "night",
        "the tag shows in DescribeUser: {}",
        users[&u3]
    );

    // Change per-channel settings of another.
    client
        .update_user_config()
        .instance_id(&instance)
        .user_id(&u2)
        .auto_accept_configs(
            AutoAcceptConfig::builder()
                .channel(Channel::Chat)
                .auto_accept(true)
                .build()
                .expect("aa"),
        )
        .after_contact_work_configs(
            AfterContactWorkConfigPerChannel::builder()
                .channel(Channel::Voice)
                .after_contact_work_config(
                    AfterContactWorkConfig::builder()
                        .after_contact_work_time_limit(600)
                        .build(),
                )
                .build()
                .expect("acw"),
        )
        .phone_number_configs(
            PhoneNumberConfig::builder()
                .channel(Channel::Voice)
                .phone_type(PhoneType::DeskPhone)
                .phone_number("+442071838750")
                .build()
                .expect("phone"),
        )
        .persistent_connection_configs(
            PersistentConnectionConfig::builder()
                .channel(Channel::Voice)
                .persistent_connection(true)
                .build()
                .expect("pc"),
        )
        .send()
        .await
        .expect("update bob's config");
    let bob = user_snapshot(&server, &instance, &u2).await;
    assert_ne!(bob, users[&u2], "UpdateUserConfig changed DescribeUser");
    users.insert(u2.clone(), bob);

    client
        .update_instance_attribute()
        .instance_id(&instance)
        .attribute_type(InstanceAttributeType::ContactflowLogs)
        .value("true")
        .send()
        .await
        .expect("update attribute");
    let sp_custom = client
        .create_security_profile()
        .instance_id(&instance)
        .security_profile_name("Durable")
        .description("survives")
        .send()
        .await
        .expect("create security profile")
        .security_profile_id
        .expect("id");
    let instance_before = instance_snapshot(&server, &instance).await;

    let _keep = server.take_tempdir();
    let data_dir = server.data_dir.clone();
    server.kill();

    let server = restart(data_dir);
    let client = server.client();
    assert_eq!(
        instance_snapshot(&server, &instance).await,
        instance_before,
        "DescribeInstance after SIGKILL"
    );
    for (id, before) in &users {
        assert_eq!(
            &user_snapshot(&server, &instance, id).await,
            before,
            "DescribeUser {id} after SIGKILL"
        );
    }
    assert_eq!(
        all_user_ids(&client, &instance).await,
        users.keys().cloned().collect::<HashSet<_>>()
    );
    assert_eq!(
        attribute(&client, &instance, InstanceAttributeType::ContactflowLogs).await,
        "true"
    );
    assert_eq!(
        attribute(&client, &instance, InstanceAttributeType::OutboundCalls).await,
        "false"
    );
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&u3_arn)
        .send()
        .await
        .expect("tags");
    assert_eq!(tags.tags().map(|t| t.len()), Some(2));
    let sp = client
        .describe_security_profile()
        .instance_id(&instance)
        .security_profile_id(&sp_custom)
        .send()
        .await
        .expect("security profile after restart");
    assert_eq!(
        sp.security_profile().and_then(|p| p.description()),
        Some("survives")
    );

    // The restarted server keeps working: usernames still clash, new writes work.
    let err = user_request(&client, &instance, "ALICE", &sp_agent, &rp)
        .send()
        .await
        .expect_err("username taken");
    assert_eq!(
        error_of(&err),
        ("DuplicateResourceException".to_string(), 409)
    );
    user_request(&client, &instance, "dave", &sp_agent, &rp)
        .send()
        .await
        .expect("create after restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_survive_sigkill() {
    let mut server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "CONNECT_MANAGED").await;
    let sp = security_profile_id(&client, &instance, "Agent").await;
    let rp = basic_routing_profile(&client, &instance).await;

    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..50 {
        let req = user_request(&client, &instance, &format!("burst{n:02}"), &sp, &rp);
        tasks.spawn(async move { req.send().await.map(|o| o.user_id.expect("id")) });
    }
    let mut created = HashSet::new();
    while let Some(joined) = tasks.join_next().await {
        let id = joined
            .expect("task")
            .unwrap_or_else(|e| panic!("concurrent CreateUser failed: {e:?}"));
        created.insert(id);
    }
    // SIGKILL right after the last acknowledgement.
    let _keep = server.take_tempdir();
    let data_dir = server.data_dir.clone();
    server.kill();
    assert_eq!(created.len(), 50);

    let server = restart(data_dir);
    let client = server.client();
    let listed = all_user_ids(&client, &instance).await;
    let missing: Vec<_> = created.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "acknowledged users lost by SIGKILL: {missing:?}"
    );
    assert_eq!(listed.len(), 50);
    for id in created.iter().take(5) {
        let out = client
            .describe_user()
            .instance_id(&instance)
            .user_id(id)
            .send()
            .await
            .expect("describe");
        assert!(out
            .user()
            .and_then(|u| u.username())
            .is_some_and(|n| n.starts_with("burst")));
    }
}

#[tokio::test]
async fn sigterm_exits_zero_and_keeps_data() {
    let mut server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "CONNECT_MANAGED").await;
    let sp = security_profile_id(&client, &instance, "Agent").await;
    let rp = basic_routing_profile(&client, &instance).await;
    let user = user_request(&client, &instance, "term", &sp, &rp)
        .send()
        .await
        .expect("create")
        .user_id
        .expect("id");
    let before = user_snapshot(&server, &instance, &user).await;
    let instance_before = instance_snapshot(&server, &instance).await;

    let _keep = server.take_tempdir();
    let data_dir = server.data_dir.clone();
    let started = Instant::now();
    let status = server.terminate();
    let took = started.elapsed();
    assert_eq!(
        status.code(),
        Some(0),
        "exit status after SIGTERM: {status:?}"
    );
    assert!(
        took < Duration::from_secs(5),
        "SIGTERM took {took:?} to stop the server"
    );

    let server = restart(data_dir);
    assert_eq!(user_snapshot(&server, &instance, &user).await, before);
    assert_eq!(instance_snapshot(&server, &instance).await, instance_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_during_writes_loses_nothing_acknowledged() {
    let mut server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "CONNECT_MANAGED").await;
    let sp = security_profile_id(&client, &instance, "Agent").await;
    let rp = basic_routing_profile(&client, &instance).await;
    // No retries: a request refused because the server is stopping stays refused.
    let client = without_retries(&client);

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for n in 0..40 {
        let req = user_request(&client, &instance, &format!("wave{n:02}"), &sp, &rp);
        let tx = tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(req.send().await);
        });
    }
    drop(tx);

    // Stop the server once a few writes have been acknowledged, with others in flight.
    let mut results = Vec::new();
    while results.len() < 5 {
        results.push(rx.recv().await.expect("a result"));
    }
    let _keep = server.take_tempdir();
    let data_dir = server.data_dir.clone();
    let (server, status) = tokio::task::spawn_blocking(move || {
        let status = server.terminate();
        (server, status)
    })
    .await
    .expect("terminate");
    drop(server);
    while let Some(r) = rx.recv().await {
        results.push(r);
    }
    assert_eq!(
        status.code(),
        Some(0),
        "exit status after SIGTERM: {status:?}"
    );

    let mut acknowledged = HashSet::new();
    for r in results {
        match r {
            Ok(out) => {
                acknowledged.insert(out.user_id.expect("id"));
            }
            Err(e) => {
                if let roster_tests::aws_sdk_connect::error::SdkError::ServiceError(se) = &e {
                    panic!(
                        "a request during shutdown got a service error: {} {:?}",
                        se.raw().status(),
                        se.err()
                    );
                }
            }
        }
    }
    assert!(acknowledged.len() >= 5);

    let server = restart(data_dir);
    let listed = all_user_ids(&server.client(), &instance).await;
    let missing: Vec<_> = acknowledged.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "acknowledged users lost across SIGTERM: {missing:?}"
    );
}

/// The embedded store belongs to one process: a second `roster serve` on the same data
/// directory stops with an error naming the database instead of sharing it.
#[tokio::test]
async fn a_second_process_on_the_same_data_directory_is_refused() {
    if postgres_backend().is_some() {
        // With PostgreSQL the data directory holds no database.
        return;
    }
    let server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "SAML").await;

    let mut second = std::process::Command::new(roster_binary())
        .arg("serve")
        .arg("--listen")
        .arg("127.0.0.1:0")
        .arg("--data")
        .arg(&server.data_dir)
        .env("ROSTER_LOG", "warn")
        .env_remove("ROSTER_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run a second roster");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = second.try_wait().expect("wait for the second roster") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("the second server was still running after 30 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        !status.success(),
        "the second server exited with {status:?}"
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().expect("stderr"), &mut stderr)
        .expect("read stderr");
    assert!(
        stderr.contains("roster.db") && stderr.contains("locked"),
        "stderr of the second server: {stderr}"
    );

    // The first server goes on serving.
    client
        .describe_instance()
        .instance_id(&instance)
        .send()
        .await
        .expect("describe after the refused start");
}
