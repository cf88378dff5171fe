//! The bulk import and export as the console calls them: progress while a file is
//! checked, hashed and written; the export filtered with a search condition.

use std::sync::{Arc, Mutex};

use roster_api::ops::{CreateInstance, TagResource};
use roster_api::{
    CreateInstanceRequest, RequestContext, SearchUsersRequest, StringCondition, TagResourceRequest,
    UserSearchCriteria,
};
use roster_domain::search::Condition;
use roster_service::{
    ConnectService, CsvTemplate, ImportFailure, ImportProgress, ServiceConfig, OFFICIAL_COLUMNS,
};
use roster_store_sqlite::SqliteStore;

fn ctx() -> RequestContext {
    RequestContext {
        request_id: "test".into(),
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
        access_key_id: "AKIDEXAMPLE".into(),
    }
}

async fn service_with_instance(dir: &std::path::Path, idm: &str) -> (ConnectService, String) {
    let store = SqliteStore::open(dir, Default::default()).unwrap();
    let svc = ConnectService::new(Arc::new(store), ServiceConfig::default());
    let made = svc
        .create_instance(
            &ctx(),
            CreateInstanceRequest {
                identity_management_type: idm.into(),
                instance_alias: Some(format!("bulk-{}", idm.to_lowercase().replace('_', "-"))),
                inbound_calls_enabled: true,
                outbound_calls_enabled: true,
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|_| panic!("create instance"));
    (svc, made.id.unwrap())
}

fn file(rows: &[String]) -> Vec<u8> {
    let mut text = String::from_utf8(roster_service::header_csv(CsvTemplate::Official)).unwrap();
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text.into_bytes()
}

#[tokio::test]
async fn progress_follows_checking_hashing_and_the_write() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, instance) = service_with_instance(dir.path(), "CONNECT_MANAGED").await;
    let rows: Vec<String> = (0..6)
        .map(|i| format!("Ann,Lee,,,,Secret12{i},ann.{i},Basic Routing Profile,Agent,soft,,no,0"))
        .collect();
    let seen = Mutex::new(Vec::<ImportProgress>::new());
    let report = svc
        .import_users_csv(&ctx(), &instance, &file(&rows), |p| {
            seen.lock().unwrap().push(p)
        })
        .await
        .unwrap_or_else(|_| panic!("import"));
    assert_eq!(report.template, CsvTemplate::Official);
    assert_eq!(report.users.len(), 6);
    assert_eq!(
        report.users.iter().map(|u| u.row).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert!(report.timings.hashing > std::time::Duration::ZERO);

    let seen = seen.into_inner().unwrap();
    assert!(seen.iter().all(|p| p.rows == 6));
    // Checked row by row, then hashed one by one, then written once, in that order.
    let checked: Vec<usize> = seen.iter().map(|p| p.checked).collect();
    assert!(checked.windows(2).all(|w| w[0] <= w[1]));
    assert!(checked.contains(&1) && checked.contains(&6));
    let hashed: Vec<usize> = seen
        .iter()
        .filter(|p| p.to_hash == 6 && !p.written)
        .map(|p| p.hashed)
        .collect();
    assert_eq!(hashed, [0, 1, 2, 3, 4, 5, 6]);
    assert!(seen.iter().filter(|p| p.hashed > 0).all(|p| p.checked == 6));
    let last = seen.last().unwrap();
    assert!(last.written && last.hashed == 6);
    assert_eq!(seen.iter().filter(|p| p.written).count(), 1);

    // A bad file stops after checking: nothing hashed or written.
    let seen = Mutex::new(Vec::<ImportProgress>::new());
    let bad = file(&[rows[0]
        .replace("ann.0", "ann.new")
        .replace("Secret120", "short")]);
    match svc
        .import_users_csv(&ctx(), &instance, &bad, |p| seen.lock().unwrap().push(p))
        .await
    {
        Err(ImportFailure::Rows(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].row, 1);
            assert_eq!(errors[0].column, OFFICIAL_COLUMNS[5]);
            assert!(!errors[0].message.contains("short"));
        }
        _ => panic!("a short password is refused"),
    }
    let seen = seen.into_inner().unwrap();
    assert!(seen.iter().all(|p| p.hashed == 0 && !p.written));
    // Unknown instances are the API's error.
    match svc
        .import_users_csv(&ctx(), "no-such-instance", &file(&rows), |_| {})
        .await
    {
        Err(ImportFailure::Request(f)) => assert!(f.message().contains("not found")),
        _ => panic!("an unknown instance is refused"),
    }
}

#[tokio::test]
async fn an_export_can_be_limited_to_a_search() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, instance) = service_with_instance(dir.path(), "SAML").await;
    let rows: Vec<String> = ["amy", "bob", "cat"]
        .iter()
        .map(|n| format!("{n},Lee,,,,,{n},Basic Routing Profile,Agent,soft,,no,0"))
        .collect();
    let report = svc
        .import_users_csv(&ctx(), &instance, &file(&rows), |_| {})
        .await
        .unwrap_or_else(|_| panic!("import"));
    let bob = &report.users[1];
    svc.tag_resource(
        &ctx(),
        TagResourceRequest {
            resource_arn: format!(
                "arn:aws:connect:us-east-1:123456789012:instance/{instance}/agent/{}",
                bob.user_id
            ),
            tags: [("team".to_string(), "blue".to_string())].into(),
        },
    )
    .await
    .unwrap_or_else(|_| panic!("tag"));

    let all = svc.export_users_csv(&ctx(), &instance, None).await.unwrap();
    let all = String::from_utf8(all).unwrap();
    assert_eq!(all.lines().count(), 4);
    let only = svc
        .export_users_csv(
            &ctx(),
            &instance,
            Some(Condition::Tag {
                key: "team".into(),
                value: Some("blue".into()),
            }),
        )
        .await
        .unwrap();
    let only = String::from_utf8(only).unwrap();
    let lines: Vec<&str> = only.lines().collect();
    assert_eq!(lines.len(), 2, "{only}");
    // The same search, written as SearchUsers' shapes.
    let criteria = UserSearchCriteria {
        string_condition: Some(StringCondition {
            field_name: Some("Username".into()),
            value: Some("bo".into()),
            comparison_type: Some("STARTS_WITH".into()),
        }),
        ..Default::default()
    };
    let search = |criteria: UserSearchCriteria| SearchUsersRequest {
        instance_id: instance.clone(),
        next_token: None,
        max_results: None,
        search_filter: None,
        search_criteria: Some(criteria),
    };
    let by_criteria = svc
        .export_search_csv(&ctx(), &search(criteria))
        .await
        .unwrap();
    assert_eq!(String::from_utf8(by_criteria).unwrap(), only);
    let bad = UserSearchCriteria {
        string_condition: Some(StringCondition {
            field_name: Some("Shoe size".into()),
            value: Some("9".into()),
            comparison_type: Some("EXACT".into()),
        }),
        ..Default::default()
    };
    assert!(svc.export_search_csv(&ctx(), &search(bad)).await.is_err());
    assert!(lines[0].ends_with("hierarchy group path,tags,user id"));
    assert!(
        lines[1].ends_with(&format!(",team=blue,{}", bob.user_id)),
        "{}",
        lines[1]
    );
}
