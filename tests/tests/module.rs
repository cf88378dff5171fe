//! A whole contact-centre module, as a team's Terraform module declares it, applied
//! through a real client in dependency order and destroyed in reverse: an instance, its
//! hours, twelve queues, a routing profile over them, a security profile with
//! permissions, a three-level hierarchy and twenty users spread over it. Every read-back
//! equals what was sent, and while a resource is still referenced its deletion is
//! refused with the error its operation's model allows. The integration run repeats
//! this on each store (`ROSTER_TEST_BACKEND`).

use std::collections::{BTreeMap, BTreeSet};

use roster_tests::aws_sdk_connect::types::{
    Channel, HierarchyLevelUpdate, HierarchyStructureUpdate, HoursOfOperationConfig,
    HoursOfOperationDays, HoursOfOperationTimeSlice, MediaConcurrency, OutboundCallerConfig,
    PhoneType, QueueStatus, RoutingProfileQueueConfig, RoutingProfileQueueReference,
    UserIdentityInfo, UserPhoneConfig,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

const QUEUES: usize = 12;
const USERS: usize = 20;
const PERMISSIONS: [&str; 4] = [
    "BasicAgentAccess",
    "OutboundCallAccess",
    "ListenCallRecordings",
    "AccessMetrics.RealTimeMetrics.Access",
];

fn slice(hours: i32, minutes: i32) -> HoursOfOperationTimeSlice {
    HoursOfOperationTimeSlice::builder()
        .hours(hours)
        .minutes(minutes)
        .build()
        .unwrap()
}

fn weekday_hours() -> Vec<HoursOfOperationConfig> {
    use HoursOfOperationDays::*;
    [Monday, Tuesday, Wednesday, Thursday, Friday]
        .into_iter()
        .map(|day| {
            HoursOfOperationConfig::builder()
                .day(day)
                .start_time(slice(8, 30))
                .end_time(slice(18, 0))
                .build()
                .unwrap()
        })
        .collect()
}

fn queue_config(queue: &str, channel: Channel, priority: i32) -> RoutingProfileQueueConfig {
    RoutingProfileQueueConfig::builder()
        .queue_reference(
            RoutingProfileQueueReference::builder()
                .queue_id(queue)
                .channel(channel)
                .build()
                .unwrap(),
        )
        .priority(priority)
        .delay(priority * 5)
        .build()
        .unwrap()
}

/// Every routing-profile queue config, read as the provider reads it (60 a page).
async fn routing_queues(
    client: &Client,
    instance: &str,
    profile: &str,
) -> BTreeMap<(String, String), (i32, i32)> {
    let mut out = BTreeMap::new();
    let mut token = None;
    loop {
        let page = client
            .list_routing_profile_queues()
            .instance_id(instance)
            .routing_profile_id(profile)
            .max_results(60)
            .set_next_token(token)
            .send()
            .await
            .expect("list routing profile queues");
        for q in page.routing_profile_queue_config_summary_list() {
            out.insert(
                (q.queue_id().to_string(), q.channel().as_str().to_string()),
                (q.priority(), q.delay()),
            );
        }
        token = page.next_token;
        if token.is_none() {
            return out;
        }
    }
}

struct Applied {
    instance: String,
    hours: String,
    queues: Vec<String>,
    routing_profile: String,
    security_profile: String,
    /// Every group, each after its parent.
    groups: Vec<String>,
    teams: Vec<String>,
    users: Vec<String>,
}

async fn apply(client: &Client) -> Applied {
    let instance = create_instance(client, "CONNECT_MANAGED").await;

    let hours = client
        .create_hours_of_operation()
        .instance_id(&instance)
        .name("Office hours")
        .description("Weekdays 08:30 to 18:00")
        .time_zone("Europe/London")
        .set_config(Some(weekday_hours()))
        .tags("module", "contact-centre")
        .send()
        .await
        .expect("create hours")
        .hours_of_operation_id
        .unwrap();

    let mut queues = Vec::new();
    for n in 0..QUEUES {
        let id = client
            .create_queue()
            .instance_id(&instance)
            .name(format!("Queue {n:02}"))
            .description(format!("Module queue number {n}"))
            .hours_of_operation_id(&hours)
            .max_contacts(10 + n as i32)
            .outbound_caller_config(
                OutboundCallerConfig::builder()
                    .outbound_caller_id_name(format!("Team {n}"))
                    .build(),
            )
            .tags("module", "contact-centre")
            .send()
            .await
            .expect("create queue")
            .queue_id
            .unwrap();
        queues.push(id);
    }

    // The provider creates the profile with at most 10 queue configs and associates the
    // rest in chunks of 10.
    let mut configs: Vec<RoutingProfileQueueConfig> = queues
        .iter()
        .enumerate()
        .map(|(n, q)| queue_config(q, Channel::Voice, 1 + n as i32))
        .collect();
    configs.push(queue_config(&queues[0], Channel::Chat, 2));
    let rest = configs.split_off(10);
    let routing_profile = client
        .create_routing_profile()
        .instance_id(&instance)
        .name("Module agents")
        .description("Routes the module's queues")
        .default_outbound_queue_id(&queues[0])
        .media_concurrencies(
            MediaConcurrency::builder()
                .channel(Channel::Voice)
                .concurrency(1)
                .build()
                .unwrap(),
        )
        .media_concurrencies(
            MediaConcurrency::builder()
                .channel(Channel::Chat)
                .concurrency(3)
                .build()
                .unwrap(),
        )
        .set_queue_configs(Some(configs))
        .tags("module", "contact-centre")
        .send()
        .await
        .expect("create routing profile")
        .routing_profile_id
        .unwrap();
    client
        .associate_routing_profile_queues()
        .instance_id(&instance)
        .routing_profile_id(&routing_profile)
        .set_queue_configs(Some(rest))
        .send()
        .await
        .expect("associate the remaining queues");

    let mut security = client
        .create_security_profile()
        .instance_id(&instance)
        .security_profile_name("Module agents")
        .description("What the module's agents may do")
        .tags("module", "contact-centre");
    for p in PERMISSIONS {
        security = security.permissions(p);
    }
    let security_profile = security
        .send()
        .await
        .expect("create security profile")
        .security_profile_id
        .unwrap();

    let level = |n: &str| Some(HierarchyLevelUpdate::builder().name(n).build().unwrap());
    client
        .update_user_hierarchy_structure()
        .instance_id(&instance)
        .hierarchy_structure(
            HierarchyStructureUpdate::builder()
                .set_level_one(level("Company"))
                .set_level_two(level("Site"))
                .set_level_three(level("Team"))
                .build(),
        )
        .send()
        .await
        .expect("hierarchy structure");
    let group = |name: String, parent: Option<String>| {
        let client = client.clone();
        let instance = instance.clone();
        async move {
            client
                .create_user_hierarchy_group()
                .instance_id(instance)
                .name(name)
                .set_parent_group_id(parent)
                .send()
                .await
                .expect("create hierarchy group")
                .hierarchy_group_id
                .unwrap()
        }
    };
    let top = group("Example Ltd".into(), None).await;
    let mut groups = vec![top.clone()];
    let mut teams = Vec::new();
    for site in ["Leeds", "York"] {
        let s = group(site.to_string(), Some(top.clone())).await;
        groups.push(s.clone());
        for team in ["Sales", "Support"] {
            let t = group(format!("{site} {team}"), Some(s.clone())).await;
            groups.push(t.clone());
            teams.push(t);
        }
    }

    let mut users = Vec::new();
    for n in 0..USERS {
        let id = client
            .create_user()
            .instance_id(&instance)
            .username(format!("agent{n:02}"))
            .password("Module-Passw0rd!")
            .identity_info(
                UserIdentityInfo::builder()
                    .first_name(format!("Agent{n}"))
                    .last_name("Module")
                    .email(format!("agent{n}@example.com"))
                    .build(),
            )
            .phone_config(
                UserPhoneConfig::builder()
                    .phone_type(if n % 2 == 0 {
                        PhoneType::SoftPhone
                    } else {
                        PhoneType::DeskPhone
                    })
                    .set_desk_phone_number((n % 2 == 1).then(|| format!("+4411300000{n:02}")))
                    .auto_accept(n % 3 == 0)
                    .after_contact_work_time_limit(30)
                    .build(),
            )
            .security_profile_ids(&security_profile)
            .routing_profile_id(&routing_profile)
            .hierarchy_group_id(&teams[n % teams.len()])
            .tags("module", "contact-centre")
            .send()
            .await
            .expect("create user")
            .user_id
            .unwrap();
        users.push(id);
    }
    Applied {
        instance,
        hours,
        queues,
        routing_profile,
        security_profile,
        groups,
        teams,
        users,
    }
}

fn module_tags() -> Option<std::collections::HashMap<String, String>> {
    Some([("module".to_string(), "contact-centre".to_string())].into())
}

/// Reads everything back and compares it with what `apply` sent.
async fn read_back(client: &Client, m: &Applied) {
    let i = &m.instance;
    let hours = client
        .describe_hours_of_operation()
        .instance_id(i)
        .hours_of_operation_id(&m.hours)
        .send()
        .await
        .unwrap()
        .hours_of_operation
        .unwrap();
    assert_eq!(hours.name(), Some("Office hours"));
    assert_eq!(hours.description(), Some("Weekdays 08:30 to 18:00"));
    assert_eq!(hours.time_zone(), Some("Europe/London"));
    let mut sent = weekday_hours();
    let mut got = hours.config().to_vec();
    let key = |c: &HoursOfOperationConfig| c.day().as_str().to_string();
    sent.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, sent, "hours config drifted");
    assert_eq!(hours.tags, module_tags());

    for (n, q) in m.queues.iter().enumerate() {
        let queue = client
            .describe_queue()
            .instance_id(i)
            .queue_id(q)
            .send()
            .await
            .unwrap()
            .queue
            .unwrap();
        assert_eq!(queue.name(), Some(format!("Queue {n:02}").as_str()));
        assert_eq!(
            queue.description(),
            Some(format!("Module queue number {n}").as_str())
        );
        assert_eq!(queue.hours_of_operation_id(), Some(m.hours.as_str()));
        assert_eq!(queue.max_contacts(), Some(10 + n as i32));
        assert_eq!(queue.status(), Some(&QueueStatus::Enabled));
        assert_eq!(
            queue
                .outbound_caller_config()
                .and_then(|c| c.outbound_caller_id_name()),
            Some(format!("Team {n}").as_str())
        );
        assert_eq!(queue.tags, module_tags());
    }
    let listed: BTreeSet<String> = client
        .list_queues()
        .instance_id(i)
        .queue_types("STANDARD".into())
        .max_results(100)
        .send()
        .await
        .unwrap()
        .queue_summary_list()
        .iter()
        .filter_map(|q| q.id().map(str::to_string))
        .collect();
    for q in &m.queues {
        assert!(listed.contains(q), "ListQueues misses {q}");
    }

    let profile = client
        .describe_routing_profile()
        .instance_id(i)
        .routing_profile_id(&m.routing_profile)
        .send()
        .await
        .unwrap()
        .routing_profile
        .unwrap();
    assert_eq!(profile.name(), Some("Module agents"));
    assert_eq!(profile.description(), Some("Routes the module's queues"));
    assert_eq!(
        profile.default_outbound_queue_id(),
        Some(m.queues[0].as_str())
    );
    let concurrency: BTreeMap<String, i32> = profile
        .media_concurrencies()
        .iter()
        .map(|c| (c.channel().as_str().to_string(), c.concurrency()))
        .collect();
    assert_eq!(concurrency.get("VOICE"), Some(&1));
    assert_eq!(concurrency.get("CHAT"), Some(&3));
    assert_eq!(
        profile.number_of_associated_queues(),
        Some(QUEUES as i64),
        "distinct queues, whatever their channels"
    );
    assert_eq!(profile.number_of_associated_users(), Some(USERS as i64));
    assert_eq!(profile.tags, module_tags());
    let mut want = BTreeMap::new();
    for (n, q) in m.queues.iter().enumerate() {
        want.insert(
            (q.clone(), "VOICE".to_string()),
            (1 + n as i32, 5 + 5 * n as i32),
        );
    }
    want.insert((m.queues[0].clone(), "CHAT".to_string()), (2, 10));
    assert_eq!(
        routing_queues(client, i, &m.routing_profile).await,
        want,
        "routing profile queues drifted"
    );

    let security = client
        .describe_security_profile()
        .instance_id(i)
        .security_profile_id(&m.security_profile)
        .send()
        .await
        .unwrap()
        .security_profile
        .unwrap();
    assert_eq!(security.security_profile_name(), Some("Module agents"));
    assert_eq!(
        security.description(),
        Some("What the module's agents may do")
    );
    assert_eq!(security.tags, module_tags());
    let permissions: BTreeSet<String> = client
        .list_security_profile_permissions()
        .instance_id(i)
        .security_profile_id(&m.security_profile)
        .send()
        .await
        .unwrap()
        .permissions
        .unwrap_or_default()
        .into_iter()
        .collect();
    assert_eq!(
        permissions,
        PERMISSIONS.iter().map(|p| p.to_string()).collect()
    );

    for (n, u) in m.users.iter().enumerate() {
        let user = client
            .describe_user()
            .instance_id(i)
            .user_id(u)
            .send()
            .await
            .unwrap()
            .user
            .unwrap();
        assert_eq!(user.username(), Some(format!("agent{n:02}").as_str()));
        let info = user.identity_info().unwrap();
        assert_eq!(info.first_name(), Some(format!("Agent{n}").as_str()));
        assert_eq!(info.last_name(), Some("Module"));
        assert_eq!(info.email(), Some(format!("agent{n}@example.com").as_str()));
        let phone = user.phone_config().unwrap();
        assert_eq!(phone.auto_accept(), n % 3 == 0);
        assert_eq!(phone.after_contact_work_time_limit(), 30);
        if n % 2 == 1 {
            assert_eq!(phone.phone_type(), &PhoneType::DeskPhone);
            assert_eq!(
                phone.desk_phone_number(),
                Some(format!("+4411300000{n:02}").as_str())
            );
        } else {
            assert_eq!(phone.phone_type(), &PhoneType::SoftPhone);
        }
        assert_eq!(
            user.security_profile_ids(),
            std::slice::from_ref(&m.security_profile)
        );
        assert_eq!(user.routing_profile_id(), Some(m.routing_profile.as_str()));
        assert_eq!(
            user.hierarchy_group_id(),
            Some(m.teams[n % m.teams.len()].as_str())
        );
        assert_eq!(user.tags, module_tags());
    }
}

async fn destroy(client: &Client, m: &Applied) {
    let i = &m.instance;
    for u in &m.users {
        client
            .delete_user()
            .instance_id(i)
            .user_id(u)
            .send()
            .await
            .expect("delete user");
    }
    for g in m.groups.iter().rev() {
        client
            .delete_user_hierarchy_group()
            .instance_id(i)
            .hierarchy_group_id(g)
            .send()
            .await
            .expect("delete hierarchy group");
    }
    client
        .update_user_hierarchy_structure()
        .instance_id(i)
        .hierarchy_structure(HierarchyStructureUpdate::builder().build())
        .send()
        .await
        .expect("remove the hierarchy structure");
    client
        .delete_security_profile()
        .instance_id(i)
        .security_profile_id(&m.security_profile)
        .send()
        .await
        .expect("delete security profile");
    client
        .delete_routing_profile()
        .instance_id(i)
        .routing_profile_id(&m.routing_profile)
        .send()
        .await
        .expect("delete routing profile");
    for q in &m.queues {
        client
            .delete_queue()
            .instance_id(i)
            .queue_id(q)
            .send()
            .await
            .expect("delete queue");
    }
    client
        .delete_hours_of_operation()
        .instance_id(i)
        .hours_of_operation_id(&m.hours)
        .send()
        .await
        .expect("delete hours");
}

#[tokio::test]
async fn a_contact_centre_module_applies_reads_back_and_destroys() {
    let server = Server::start();
    let client = server.client();
    let m = apply(&client).await;
    read_back(&client, &m).await;

    // While referenced, nothing goes.
    let i = &m.instance;
    let why = rejected(
        client
            .delete_queue()
            .instance_id(i)
            .queue_id(&m.queues[5])
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert!(why.contains(&m.routing_profile), "{why}");
    rejected(
        client
            .delete_routing_profile()
            .instance_id(i)
            .routing_profile_id(&m.routing_profile)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    rejected(
        client
            .delete_security_profile()
            .instance_id(i)
            .security_profile_id(&m.security_profile)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    rejected(
        client
            .delete_user_hierarchy_group()
            .instance_id(i)
            .hierarchy_group_id(&m.teams[0])
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    rejected(
        client
            .delete_hours_of_operation()
            .instance_id(i)
            .hours_of_operation_id(&m.hours)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    // The refusals changed nothing.
    read_back(&client, &m).await;

    destroy(&client, &m).await;
    for q in &m.queues {
        rejected(
            client
                .describe_queue()
                .instance_id(i)
                .queue_id(q)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
    }
    rejected(
        client
            .describe_routing_profile()
            .instance_id(i)
            .routing_profile_id(&m.routing_profile)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        client
            .describe_hours_of_operation()
            .instance_id(i)
            .hours_of_operation_id(&m.hours)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    let left = client
        .list_users()
        .instance_id(i)
        .send()
        .await
        .unwrap()
        .user_summary_list
        .unwrap_or_default();
    assert!(left.is_empty(), "users left: {left:?}");
    client
        .delete_instance()
        .instance_id(i)
        .send()
        .await
        .expect("delete instance");
    rejected(
        client.describe_instance().instance_id(i).send().await,
        "ResourceNotFoundException",
        404,
    );
}
