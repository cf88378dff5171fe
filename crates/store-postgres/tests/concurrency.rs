//! Several stores on one database, as several roster processes have: start-up
//! migrations racing, creations racing for names and for the quota, and what the
//! store shows of its connection string.

mod common;

use std::sync::Arc;

use roster_scratch_db::{admin_url, ScratchDatabase};
use roster_store::suite::{new_instance, plain_user, setup};
use roster_store::{PageRequest, Store, StoreError};
use roster_store_postgres::{schema_versions, PostgresOptions, PostgresStore, SCHEMA_VERSION};
use tokio_postgres::NoTls;

async fn sql(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_starting_together_migrate_once() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let starts: Vec<_> = (0..6)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(
                async move { PostgresStore::connect(&url, PostgresOptions::default()).await },
            )
        })
        .collect();
    let mut stores = Vec::new();
    for s in starts {
        stores.push(s.await.unwrap().expect("every process starts"));
    }
    let client = sql(&db.url).await;
    let rows = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .unwrap();
    let versions: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, schema_versions());
    assert!(stores.iter().all(|s| s.trigram_indexes()));
    // Each store works on the schema the first one made.
    let fx = setup(&stores[0]).await;
    for (i, s) in stores.iter().enumerate() {
        s.create_user(&fx.at, plain_user(&fx, &format!("u{i}")), 100)
            .await
            .unwrap();
    }
    assert_eq!(
        stores[5]
            .list_users(
                &fx.at,
                &PageRequest {
                    after: None,
                    limit: 100
                }
            )
            .await
            .unwrap()
            .len(),
        6
    );
    // Starting again applies nothing.
    let again = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap();
    let n: i64 = client
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, schema_versions().len() as i64);
    again.close();
    for s in &stores {
        s.close();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_schema_is_refused() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap()
        .close();
    sql(&db.url)
        .await
        .execute(
            "INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, 0)",
            &[&(SCHEMA_VERSION + 1)],
        )
        .await
        .unwrap();
    let err = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("newer roster"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_creations_across_stores_keep_names_unique_and_the_quota() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let a = Arc::new(
        PostgresStore::connect(&db.url, PostgresOptions::default())
            .await
            .unwrap(),
    );
    let b = Arc::new(
        PostgresStore::connect(&db.url, PostgresOptions::default())
            .await
            .unwrap(),
    );
    let fx = setup(a.as_ref()).await;

    // 40 different users at once through two stores, under a quota of 25.
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (at, user) = (fx.at.clone(), plain_user(&fx, &format!("racer{i}")));
            tokio::spawn(async move { store.create_user(&at, user, 25).await })
        })
        .collect();
    let mut ok = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(StoreError::UserLimit { limit: 25 }) => limited += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((ok, limited), (25, 15));
    let listed = b
        .list_users(
            &fx.at,
            &PageRequest {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 25);

    // The same name in different cases through both stores: one wins.
    let fx2 = setup(a.as_ref()).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let name: String = "samename"
                .chars()
                .enumerate()
                .map(|(j, c)| {
                    if (i >> (j % 5)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            let (at, user) = (fx2.at.clone(), plain_user(&fx2, &name));
            tokio::spawn(async move { store.create_user(&at, user, 500).await })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let wins = results.iter().filter(|r| r.is_ok()).count();
    let dups = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Duplicate { what }) if what.starts_with("User with username '")))
        .count();
    assert_eq!((wins, dups), (1, 19), "{results:?}");
    let (sa, sb) = (a.stats(), b.stats());
    eprintln!("transaction conflicts: store A {sa:?}, store B {sb:?}");
    assert_eq!(sa.exhausted + sb.exhausted, 0, "{sa:?} {sb:?}");
    a.close();
    b.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aliases_race_across_stores() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let a = Arc::new(
        PostgresStore::connect(&db.url, PostgresOptions::default())
            .await
            .unwrap(),
    );
    let b = Arc::new(
        PostgresStore::connect(&db.url, PostgresOptions::default())
            .await
            .unwrap(),
    );
    let scope = roster_store::suite::fresh_scope();
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (new, _) = new_instance(&scope, Some("contested"));
            tokio::spawn(async move { store.create_instance(new).await })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.iter().all(|r| match r {
        Ok(()) => true,
        Err(StoreError::Duplicate { what }) => what == "Instance with alias 'contested'",
        Err(_) => false,
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_never_shows() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    // The test server trusts local connections, so any password is accepted.
    let (scheme, rest) = db.url.split_once("://").unwrap();
    let with_password = match rest.split_once('@') {
        Some((user, host)) => format!(
            "{scheme}://{}:s3cret-pw@{host}",
            user.split(':').next().unwrap()
        ),
        None => format!("{scheme}://postgres:s3cret-pw@{rest}"),
    };
    let store = PostgresStore::connect(&with_password, PostgresOptions::default())
        .await
        .unwrap();
    let shown = format!("{store:?} {}", store.target());
    assert!(!shown.contains("s3cret-pw"), "{shown}");
    assert!(shown.contains(&db.name), "{shown}");
    store.ping().await.unwrap();
    store.close();
    // A refused connection names the target, not the password.
    let mut unreachable = with_password.clone();
    unreachable = unreachable.replacen(
        unreachable
            .split("://")
            .nth(1)
            .and_then(|r| r.split('@').nth(1))
            .and_then(|h| h.split('/').next())
            .unwrap(),
        "127.0.0.1:1",
        1,
    );
    let err = PostgresStore::connect(
        &unreachable,
        PostgresOptions {
            connect_timeout: std::time::Duration::from_secs(2),
            ..PostgresOptions::default()
        },
    )
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("s3cret-pw"), "{text}");
    assert!(text.contains("127.0.0.1:1"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_pg_trgm_searches_scan_and_still_match() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    // A role that may create tables in the database but not extensions.
    let role = format!(
        "roster_limited_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    sql(&admin)
        .await
        .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .await
        .unwrap();
    sql(&db.url)
        .await
        .batch_execute(&format!(
            "GRANT USAGE, CREATE ON SCHEMA public TO {role}; REVOKE CREATE ON DATABASE {} FROM PUBLIC",
            db.name
        ))
        .await
        .unwrap();
    let (scheme, rest) = db.url.split_once("://").unwrap();
    let host_and_db = rest.split_once('@').map(|(_, h)| h).unwrap_or(rest);
    let limited_url = format!("{scheme}://{role}@{host_and_db}");
    let outcome = async move {
        let store = PostgresStore::connect(&limited_url, PostgresOptions::default())
            .await
            .expect("connect without the right to create extensions");
        assert!(!store.trigram_indexes());
        let d = common::searching::data_set();
        common::searching::load(&store, &d).await;
        for c in common::searching::conditions(&d) {
            let (ids, totals) = common::searching::search_all(&store, &d.fx, &c).await;
            let expected = common::searching::facts_match(&d, &c);
            assert_eq!(ids, expected, "{c:?}");
            assert!(
                totals.iter().all(|t| *t as usize == expected.len()),
                "{c:?}"
            );
        }
        store.close();
    };
    // Run, then clean up the role whatever happened.
    let result = tokio::spawn(outcome).await;
    drop(db);
    let _ = sql(&admin)
        .await
        .batch_execute(&format!("DROP ROLE IF EXISTS {role}"))
        .await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_the_database_cannot_hold_is_refused_not_a_failure() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let store = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap();
    let fx = setup(&store).await;
    // PostgreSQL text cannot hold U+0000: such values are refused as parameters,
    // in lookups and in writes alike, and nothing is written.
    let refused = |r: Result<(), StoreError>| match r {
        Err(StoreError::Rejected(e)) => assert!(e.to_string().contains("NUL"), "{e}"),
        other => panic!("expected Rejected, got {other:?}"),
    };
    refused(store.get_user(&fx.at, "a\0b").await.map(|_| ()));
    let mut u = plain_user(&fx, "nul");
    u.identity.first_name = Some("A\0B".into());
    refused(store.create_user(&fx.at, u.clone(), 10).await);
    let mut tagged = plain_user(&fx, "tagged");
    tagged.tags.insert("k".into(), "v\0".into());
    refused(store.create_user(&fx.at, tagged, 10).await);
    assert!(store
        .list_users(
            &fx.at,
            &PageRequest {
                after: None,
                limit: 10
            }
        )
        .await
        .unwrap()
        .is_empty());
    // The quota count was not taken either.
    u.identity.first_name = Some("AB".into());
    store.create_user(&fx.at, u, 1).await.unwrap();
    store.close();
}
