//! Hours of operation through the real binary and `aws-sdk-connect`: the instance's
//! default `Basic Hours`, every member and rule of Create/Describe/List/Update/Delete,
//! tags on their ARN, isolation between accounts and regions, and a replay of the
//! calls Terraform's `aws_connect_hours_of_operation` makes, in its order.

use std::collections::{BTreeSet, HashMap};

use roster_tests::aws_sdk_connect::types::{
    HoursOfOperation, HoursOfOperationConfig, HoursOfOperationDays, HoursOfOperationSummary,
    HoursOfOperationTimeSlice, ParentHoursOfOperationConfig,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;
use serde_json::json;

fn slice(hours: i32, minutes: i32) -> HoursOfOperationTimeSlice {
    HoursOfOperationTimeSlice::builder()
        .hours(hours)
        .minutes(minutes)
        .build()
        .unwrap()
}

fn opening(day: &str, from: (i32, i32), until: (i32, i32)) -> HoursOfOperationConfig {
    HoursOfOperationConfig::builder()
        .day(HoursOfOperationDays::from(day))
        .start_time(slice(from.0, from.1))
        .end_time(slice(until.0, until.1))
        .build()
        .unwrap()
}

/// A `Config` with no opening (closed every day): the member is required.
fn closed() -> Option<Vec<HoursOfOperationConfig>> {
    Some(Vec::new())
}

fn tags(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Openings as comparable tuples, in the order answered.
fn openings(h: &HoursOfOperation) -> Vec<(String, i32, i32, i32, i32)> {
    h.config()
        .iter()
        .map(|c| {
            let (s, e) = (c.start_time().unwrap(), c.end_time().unwrap());
            (
                c.day().as_str().to_string(),
                s.hours(),
                s.minutes(),
                e.hours(),
                e.minutes(),
            )
        })
        .collect()
}

fn arn_prefix(fx: &Fx) -> String {
    format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}/operating-hours/",
        fx.instance
    )
}

async fn describe(client: &Client, instance: &str, id: &str) -> HoursOfOperation {
    client
        .describe_hours_of_operation()
        .instance_id(instance)
        .hours_of_operation_id(id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("describe {id}: {:?} {}", error_of(&e), message_of(&e)))
        .hours_of_operation
        .expect("HoursOfOperation")
}

/// Every hours of operation of the instance, `size` at a time, as Terraform's data
/// source reads them.
async fn all_hours(client: &Client, instance: &str, size: i32) -> Vec<HoursOfOperationSummary> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_hours_of_operations()
            .instance_id(instance)
            .max_results(size)
            .set_next_token(token)
            .send()
            .await
            .expect("list hours of operation");
        let page = out.hours_of_operation_summary_list();
        assert!(page.len() <= size as usize);
        all.extend(page.iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
        assert_eq!(
            page.len(),
            size as usize,
            "a page followed by a token is full"
        );
    }
}

async fn create(fx: &Fx, name: &str) -> String {
    fx.client
        .create_hours_of_operation()
        .instance_id(&fx.instance)
        .name(name)
        .time_zone("UTC")
        .config(opening("MONDAY", (9, 0), (17, 0)))
        .send()
        .await
        .unwrap_or_else(|e| panic!("create {name}: {:?} {}", error_of(&e), message_of(&e)))
        .hours_of_operation_id
        .expect("id")
}

#[tokio::test]
async fn a_new_instance_has_basic_hours_open_all_week() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let listed = all_hours(&fx.client, &fx.instance, 100).await;
    assert_eq!(listed.len(), 1);
    let summary = &listed[0];
    assert_eq!(summary.name(), Some("Basic Hours"));
    let id = summary.id().unwrap();
    assert_eq!(summary.arn().unwrap(), format!("{}{id}", arn_prefix(&fx)));
    assert_eq!(summary.last_modified_region(), Some("us-east-1"));
    assert!(summary.last_modified_time().is_some());

    let h = describe(&fx.client, &fx.instance, id).await;
    assert_eq!(h.hours_of_operation_id(), Some(id));
    assert_eq!(h.hours_of_operation_arn(), summary.arn());
    assert_eq!(h.name(), Some("Basic Hours"));
    assert_eq!(h.description(), Some("Basic Hours"));
    assert_eq!(h.time_zone(), Some("America/New_York"));
    let all_day = [
        "SUNDAY",
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
    ]
    .map(|d| (d.to_string(), 0, 0, 0, 0));
    assert_eq!(openings(&h), all_day);
    assert!(h.parent_hours_of_operations().is_empty());
    assert_eq!(h.tags(), Some(&HashMap::new()));
    assert_eq!(h.last_modified_time(), summary.last_modified_time());
    assert_eq!(h.last_modified_region(), Some("us-east-1"));
}

/// The calls of `aws_connect_hours_of_operation`, in the provider's order: Create then
/// Describe; Update (every member, always) then Describe; tags through
/// TagResource/UntagResource; the data source's lookup by name (ListHoursOfOperations
/// with MaxResults 60, every page) and Describe; Delete, and Describe finding nothing.
/// Every value read back is the value sent.
#[tokio::test]
async fn terraform_replay_reads_back_what_it_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let sent_tags = tags(&[("Name", "Test Hours of Operation")]);
    let created = c
        .create_hours_of_operation()
        .instance_id(&fx.instance)
        .name("resource-test-terraform-hours")
        .description("original description")
        .time_zone("EST")
        .config(opening("MONDAY", (8, 0), (23, 8)))
        .set_tags(Some(sent_tags.clone()))
        .send()
        .await
        .expect("create");
    let id = created.hours_of_operation_id().unwrap().to_string();
    let arn = created.hours_of_operation_arn().unwrap().to_string();
    assert_eq!(arn, format!("{}{id}", arn_prefix(&fx)));

    let h = describe(c, &fx.instance, &id).await;
    assert_eq!(h.hours_of_operation_id(), Some(id.as_str()));
    assert_eq!(h.hours_of_operation_arn(), Some(arn.as_str()));
    assert_eq!(h.name(), Some("resource-test-terraform-hours"));
    assert_eq!(h.description(), Some("original description"));
    assert_eq!(h.time_zone(), Some("EST"));
    assert_eq!(openings(&h), [("MONDAY".to_string(), 8, 0, 23, 8)]);
    assert_eq!(h.tags(), Some(&sent_tags));
    assert_eq!(h.last_modified_region(), Some("us-east-1"));
    let created_at = h.last_modified_time().copied().unwrap();

    // An update sends every member; the config is a set, sent in any order.
    let config = vec![
        opening("TUESDAY", (9, 0), (21, 0)),
        opening("MONDAY", (8, 0), (23, 8)),
        opening("SATURDAY", (8, 0), (11, 0)),
        opening("SATURDAY", (13, 0), (0, 0)),
    ];
    c.update_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&id)
        .set_config(Some(config))
        .description("updated description")
        .name("resource-test-terraform-hours-2")
        .time_zone("America/Chicago")
        .send()
        .await
        .expect("update");
    let h = describe(c, &fx.instance, &id).await;
    assert_eq!(h.name(), Some("resource-test-terraform-hours-2"));
    assert_eq!(h.description(), Some("updated description"));
    assert_eq!(h.time_zone(), Some("America/Chicago"));
    assert_eq!(
        openings(&h),
        [
            ("TUESDAY".to_string(), 9, 0, 21, 0),
            ("MONDAY".to_string(), 8, 0, 23, 8),
            ("SATURDAY".to_string(), 8, 0, 11, 0),
            ("SATURDAY".to_string(), 13, 0, 0, 0),
        ]
    );
    assert_eq!(h.tags(), Some(&sent_tags));
    assert!(h.last_modified_time().copied().unwrap() >= created_at);

    // Tags: the provider tags what is new or changed and untags what went.
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(tags(&[("Key2", "Value2a")])))
        .send()
        .await
        .expect("tag");
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(tags(&[("Key2", "Value2b"), ("Key3", "Value3")])))
        .send()
        .await
        .expect("tag again");
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("Name")
        .send()
        .await
        .expect("untag");
    let want = tags(&[("Key2", "Value2b"), ("Key3", "Value3")]);
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("list tags");
    assert_eq!(listed.tags(), Some(&want));
    assert_eq!(describe(c, &fx.instance, &id).await.tags(), Some(&want));

    // Removing the description: Terraform sends it empty.
    c.update_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&id)
        .set_config(Some(vec![opening("MONDAY", (8, 0), (23, 8))]))
        .description("")
        .name("resource-test-terraform-hours-2")
        .time_zone("America/Chicago")
        .send()
        .await
        .expect("update without description");
    let h = describe(c, &fx.instance, &id).await;
    assert_eq!(h.description(), None);
    assert_eq!(openings(&h), [("MONDAY".to_string(), 8, 0, 23, 8)]);

    // The data source finds hours by name, reading every page.
    for n in 0..3 {
        create(&fx, &format!("filler {n}")).await;
    }
    let by_name = all_hours(c, &fx.instance, 60)
        .await
        .into_iter()
        .find(|s| s.name() == Some("resource-test-terraform-hours-2"))
        .expect("found by name");
    assert_eq!(by_name.id(), Some(id.as_str()));
    assert_eq!(by_name.arn(), Some(arn.as_str()));
    assert_eq!(by_name.last_modified_time(), h.last_modified_time());

    // Delete; reading it again finds nothing, and neither does deleting again.
    c.delete_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&id)
        .send()
        .await
        .expect("delete");
    rejected(
        c.describe_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.delete_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.list_tags_for_resource().resource_arn(&arn).send().await,
        "ResourceNotFoundException",
        404,
    );
}

#[tokio::test]
async fn bad_values_are_refused_naming_the_member_and_change_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let before = all_hours(c, &fx.instance, 100).await;
    let base = || {
        c.create_hours_of_operation()
            .instance_id(&fx.instance)
            .name("Rejected")
            .time_zone("UTC")
            .set_config(closed())
    };
    let cases = vec![
        (base().time_zone("Mars/Olympus"), "TimeZone"),
        (base().time_zone("america/new_york"), "TimeZone"),
        (
            base().config(opening("MONDAY", (24, 0), (0, 0))),
            "Config[0].StartTime.Hours",
        ),
        (
            base().config(opening("MONDAY", (9, 60), (10, 0))),
            "Config[0].StartTime.Minutes",
        ),
        (
            base().config(opening("MONDAY", (9, 0), (-1, 0))),
            "Config[0].EndTime.Hours",
        ),
        (
            base().config(opening("FUNDAY", (9, 0), (10, 0))),
            "Config[0].Day",
        ),
        (
            base()
                .config(opening("MONDAY", (9, 0), (17, 0)))
                .config(opening("MONDAY", (17, 0), (9, 0))),
            "Config[1].EndTime",
        ),
        (
            base().config(opening("MONDAY", (9, 0), (9, 0))),
            "Config[0].EndTime",
        ),
        (
            base()
                .config(opening("MONDAY", (9, 0), (13, 0)))
                .config(opening("TUESDAY", (9, 0), (13, 0)))
                .config(opening("MONDAY", (12, 0), (0, 0))),
            "Config[2]",
        ),
        (base().description(""), "Description"),
        (base().name("n".repeat(128)), "Name"),
        (base().tags("aws:reserved", "x"), "Tags"),
        (
            base().parent_hours_of_operation_configs(
                ParentHoursOfOperationConfig::builder()
                    .hours_of_operation_id("00000000-0000-4000-8000-000000000000")
                    .build(),
            ),
            "ParentHoursOfOperationConfigs",
        ),
    ];
    for (req, member) in cases {
        let msg = rejected(req.send().await, "InvalidParameterException", 400);
        assert!(msg.starts_with(member), "{member}: {msg}");
    }
    let many = (0..4).fold(base(), |b, _| {
        b.parent_hours_of_operation_configs(
            ParentHoursOfOperationConfig::builder()
                .hours_of_operation_id("x")
                .build(),
        )
    });
    let msg = rejected(many.send().await, "InvalidParameterException", 400);
    assert!(msg.starts_with("ParentHoursOfOperationConfigs"), "{msg}");
    let too_many = (0..101).fold(base(), |b, i| {
        b.config(opening("SUNDAY", (i % 23, 0), (i % 23, 30)))
    });
    let msg = rejected(too_many.send().await, "InvalidParameterException", 400);
    assert!(msg.starts_with("Config"), "{msg}");

    // Missing required members, as a client without the SDK's checks sends them.
    let path = format!("/hours-of-operations/{}", fx.instance);
    let addr = fx.server.addr.clone();
    for (body, member) in [
        (json!({"TimeZone": "UTC", "Config": []}), "Name"),
        (json!({"Name": "x", "Config": []}), "TimeZone"),
        (json!({"Name": "x", "TimeZone": "UTC"}), "Config"),
        (
            json!({"Name": "x", "TimeZone": "UTC", "Config": [{"Day": "MONDAY", "StartTime": {"Hours": 9}, "EndTime": {"Hours": 10, "Minutes": 0}}]}),
            "Config[0].StartTime.Minutes",
        ),
        (
            json!({"Name": "x", "TimeZone": "UTC", "Config": [], "ParentHoursOfOperationConfigs": [{}]}),
            "ParentHoursOfOperationConfigs[0].HoursOfOperationId",
        ),
    ] {
        let r = raw_json_request(&addr, "PUT", &path, Some(&body)).await;
        assert_eq!(
            r.status,
            400,
            "{member}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.error_type(), Some("InvalidRequestException"), "{member}");
        let msg = r.json()["Message"].as_str().unwrap_or("").to_string();
        assert!(msg.starts_with(member), "{member}: {msg}");
    }
    let r = raw_json_request(
        &addr,
        "PUT",
        &path,
        Some(&json!({"Name": "x", "TimeZone": "UTC", "Config": [{"Day": "MONDAY", "StartTime": {"Hours": "9", "Minutes": 0}, "EndTime": {"Hours": 10, "Minutes": 0}}]})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_type()),
        (400, Some("SerializationException"))
    );
    assert_eq!(all_hours(c, &fx.instance, 100).await, before);

    // An update that breaks a rule changes nothing.
    let id = basic_hours(&fx.client, &fx.instance).await;
    let was = describe(c, &fx.instance, &id).await;
    let update = || {
        c.update_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&id)
    };
    for (req, member) in [
        (update().time_zone("Nowhere"), "TimeZone"),
        (
            update()
                .name("Renamed")
                .config(opening("MONDAY", (10, 0), (9, 0))),
            "Config[0].EndTime",
        ),
        (update().name(""), "Name"),
        (update().description("d".repeat(251)), "Description"),
    ] {
        let msg = rejected(req.send().await, "InvalidParameterException", 400);
        assert!(msg.starts_with(member), "{member}: {msg}");
    }
    assert_eq!(describe(c, &fx.instance, &id).await, was);
    rejected(
        c.update_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id("00000000-0000-4000-8000-000000000000")
            .name("x")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
}

#[tokio::test]
async fn names_are_unique_in_an_instance() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let support = create(&fx, "Support").await;
    let msg = rejected(
        c.create_hours_of_operation()
            .instance_id(&fx.instance)
            .name("Support")
            .time_zone("UTC")
            .set_config(closed())
            .send()
            .await,
        "DuplicateResourceException",
        409,
    );
    assert!(msg.starts_with("Name"), "{msg}");
    let sales = create(&fx, "Sales").await;
    let was = describe(c, &fx.instance, &sales).await;
    rejected(
        c.update_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&sales)
            .name("Basic Hours")
            .time_zone("UTC")
            .send()
            .await,
        "DuplicateResourceException",
        409,
    );
    assert_eq!(describe(c, &fx.instance, &sales).await, was);
    // Its own name is no clash.
    c.update_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&support)
        .name("Support")
        .send()
        .await
        .expect("keep the name");
    // Another instance may use the name.
    let other = create_instance(c, "CONNECT_MANAGED").await;
    c.create_hours_of_operation()
        .instance_id(&other)
        .name("Support")
        .time_zone("UTC")
        .set_config(closed())
        .send()
        .await
        .expect("same name elsewhere");
}

#[tokio::test]
async fn hours_in_use_are_not_deleted() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let basic = basic_hours(&fx.client, &fx.instance).await;
    // BasicQueue uses Basic Hours.
    let msg = rejected(
        c.delete_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&basic)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains(&basic) && msg.contains("queue"), "{msg}");
    describe(c, &fx.instance, &basic).await;

    // A parent stays while other hours link to it.
    let holidays = create(&fx, "Holidays").await;
    let branch = c
        .create_hours_of_operation()
        .instance_id(&fx.instance)
        .name("Branch")
        .time_zone("Europe/London")
        .set_config(closed())
        .parent_hours_of_operation_configs(
            ParentHoursOfOperationConfig::builder()
                .hours_of_operation_id(&holidays)
                .build(),
        )
        .parent_hours_of_operation_configs(
            ParentHoursOfOperationConfig::builder()
                .hours_of_operation_id(&basic)
                .build(),
        )
        .send()
        .await
        .expect("create with parents")
        .hours_of_operation_id
        .unwrap();
    let h = describe(c, &fx.instance, &branch).await;
    let parents: Vec<(Option<&str>, &str, &str)> = h
        .parent_hours_of_operations()
        .iter()
        .map(|p| (p.arn(), p.id(), p.name()))
        .collect();
    let holidays_arn = format!("{}{holidays}", arn_prefix(&fx));
    let basic_arn = format!("{}{basic}", arn_prefix(&fx));
    assert_eq!(
        parents,
        [
            (Some(holidays_arn.as_str()), holidays.as_str(), "Holidays"),
            (Some(basic_arn.as_str()), basic.as_str(), "Basic Hours"),
        ]
    );
    let msg = rejected(
        c.delete_hours_of_operation()
            .instance_id(&fx.instance)
            .hours_of_operation_id(&holidays)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains(&branch), "{msg}");
    c.delete_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&branch)
        .send()
        .await
        .expect("delete the child");
    c.delete_hours_of_operation()
        .instance_id(&fx.instance)
        .hours_of_operation_id(&holidays)
        .send()
        .await
        .expect("delete the parent");
    let names: BTreeSet<String> = all_hours(c, &fx.instance, 100)
        .await
        .iter()
        .map(|h| h.name().unwrap().to_string())
        .collect();
    assert_eq!(names, BTreeSet::from(["Basic Hours".to_string()]));
}

#[tokio::test]
async fn listing_pages_with_tokens_tied_to_the_listing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let mut ids = BTreeSet::from([basic_hours(&fx.client, &fx.instance).await]);
    for n in 0..6 {
        ids.insert(create(&fx, &format!("Hours {n}")).await);
    }
    for size in [1, 2, 3, 1000] {
        let listed: Vec<String> = all_hours(c, &fx.instance, size)
            .await
            .iter()
            .map(|h| h.id().unwrap().to_string())
            .collect();
        assert_eq!(
            listed,
            ids.iter().cloned().collect::<Vec<_>>(),
            "pages of {size}"
        );
    }
    let token = c
        .list_hours_of_operations()
        .instance_id(&fx.instance)
        .max_results(2)
        .send()
        .await
        .unwrap()
        .next_token
        .expect("a token");
    // A token of another listing or instance is refused.
    rejected(
        c.list_security_profiles()
            .instance_id(&fx.instance)
            .next_token(&token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    let other = create_instance(c, "CONNECT_MANAGED").await;
    rejected(
        c.list_hours_of_operations()
            .instance_id(&other)
            .next_token(&token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    rejected(
        c.list_hours_of_operations()
            .instance_id(&fx.instance)
            .max_results(1001)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
}

#[tokio::test]
async fn other_accounts_and_regions_see_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let id = create(&fx, "Private").await;
    let arn = format!("{}{id}", arn_prefix(&fx));
    let before = describe(&fx.client, &fx.instance, &id).await;
    for stranger in [
        fx.server.client_as("111111111111", "secret", "us-east-1"),
        fx.server.client_as("AKIDEXAMPLE", "secret", "eu-west-1"),
    ] {
        let s = &stranger;
        rejected(
            s.describe_hours_of_operation()
                .instance_id(&fx.instance)
                .hours_of_operation_id(&id)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            s.list_hours_of_operations()
                .instance_id(&fx.instance)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            s.create_hours_of_operation()
                .instance_id(&fx.instance)
                .name("Intruder")
                .time_zone("UTC")
                .set_config(closed())
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            s.update_hours_of_operation()
                .instance_id(&fx.instance)
                .hours_of_operation_id(&id)
                .name("Taken over")
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            s.delete_hours_of_operation()
                .instance_id(&fx.instance)
                .hours_of_operation_id(&id)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            s.tag_resource()
                .resource_arn(&arn)
                .tags("k", "v")
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
        rejected(
            s.list_tags_for_resource().resource_arn(&arn).send().await,
            "ResourceNotFoundException",
            404,
        );
    }
    assert_eq!(describe(&fx.client, &fx.instance, &id).await, before);
    assert_eq!(all_hours(&fx.client, &fx.instance, 100).await.len(), 2);
}

#[tokio::test]
async fn an_instance_holds_at_most_100_hours_of_operation() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    // Basic Hours is one of them.
    for n in 1..100 {
        create(&fx, &format!("Hours {n}")).await;
    }
    let msg = rejected(
        fx.client
            .create_hours_of_operation()
            .instance_id(&fx.instance)
            .name("One too many")
            .time_zone("UTC")
            .set_config(closed())
            .send()
            .await,
        "ServiceQuotaExceededException",
        402,
    );
    assert!(msg.contains("100"), "{msg}");
    assert_eq!(all_hours(&fx.client, &fx.instance, 1000).await.len(), 100);
}
