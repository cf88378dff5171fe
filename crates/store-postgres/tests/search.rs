//! SearchUsers on PostgreSQL gives exactly what the embedded store gives, and what
//! the reference evaluator of the query language says, for one data set and many
//! conditions. (Predefined attributes and proficiencies are contracts of the store
//! suite, which both engines run.)

mod common;

use common::searching::{conditions, data_set, facts_match, load, search_all};
use roster_domain::new_id;
use roster_domain::search::Condition;
use roster_scratch_db::{admin_url, ScratchDatabase};
use roster_store::{SearchRequest, Store, StoreError};
use roster_store_postgres::{PostgresOptions, PostgresStore};
use roster_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_match_the_embedded_store_and_the_reference() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let pg = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap();
    assert!(
        pg.trigram_indexes(),
        "pg_trgm is available on the test server"
    );
    let dir = tempfile::tempdir().unwrap();
    let lite = SqliteStore::open(dir.path(), Default::default()).unwrap();

    let d = data_set();
    load(&pg, &d).await;
    load(&lite, &d).await;

    let all = conditions(&d);
    let mut non_empty = 0;
    for c in &all {
        let expected = facts_match(&d, c);
        let (pg_ids, pg_totals) = search_all(&pg, &d.fx, c).await;
        let (lite_ids, lite_totals) = search_all(&lite, &d.fx, c).await;
        assert_eq!(pg_ids, expected, "postgres vs reference for {c:?}");
        assert_eq!(lite_ids, expected, "sqlite vs reference for {c:?}");
        assert!(
            pg_totals.iter().all(|t| *t as usize == expected.len()),
            "{c:?}: {pg_totals:?}"
        );
        assert_eq!(pg_totals, lite_totals, "{c:?}");
        if !expected.is_empty() {
            non_empty += 1;
        }
    }
    assert!(
        non_empty > all.len() / 3,
        "the conditions exercise the data"
    );

    // Search results carry the whole user, tags and profiles included.
    let page = pg
        .search_users(
            &d.fx.at,
            &SearchRequest {
                condition: Condition::All,
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    for u in &page.users {
        let stored = d.users.iter().find(|x| x.id == u.id).unwrap();
        assert_eq!(u, stored);
    }

    // An unknown instance.
    let ghost = roster_domain::InstanceRef {
        scope: d.fx.at.scope.clone(),
        instance_id: new_id(),
    };
    assert!(matches!(
        pg.search_users(
            &ghost,
            &SearchRequest {
                condition: Condition::All,
                after: None,
                limit: 10
            }
        )
        .await,
        Err(StoreError::NotFound { .. })
    ));
    lite.close().await;
    Store::close(&pg).await;
}
