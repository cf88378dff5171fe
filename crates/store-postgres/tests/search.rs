//! SearchUsers on PostgreSQL gives exactly what the embedded store gives, and what
//! the reference evaluator of the query language says, for one data set and many
//! conditions; proficiencies and predefined attributes behave as there too.

mod common;

use common::searching::{conditions, data_set, facts_match, load, modified, search_all};
use roster_domain::proficiency::{ProficiencyChange, UserProficiency};
use roster_domain::search::Condition;
use roster_domain::time::Modified;
use roster_domain::{new_id, Timestamp};
use roster_store::{PageRequest, SearchRequest, Store, StoreError};
use roster_store_postgres::{PostgresOptions, PostgresStore};
use roster_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_match_the_embedded_store_and_the_reference() {
    let Some(admin) = common::admin_url() else {
        return;
    };
    let db = common::ScratchDb::create(&admin).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proficiencies_and_attributes_match_the_embedded_store() {
    let Some(admin) = common::admin_url() else {
        return;
    };
    let db = common::ScratchDb::create(&admin).await;
    let pg = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lite = SqliteStore::open(dir.path(), Default::default()).unwrap();
    let d = data_set();
    load(&pg, &d).await;
    load(&lite, &d).await;
    let stores: [&dyn Store; 2] = [&pg, &lite];
    let at = &d.fx.at;

    let mut outcomes = Vec::new();
    for store in stores {
        let mut seen: Vec<String> = Vec::new();
        // Attributes listed in name order, page by page.
        let mut after = None;
        loop {
            let page = store
                .list_predefined_attributes(
                    at,
                    &PageRequest {
                        after: after.clone(),
                        limit: 1,
                    },
                )
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            after = Some(page[0].name.clone());
            seen.push(format!("{page:?}"));
        }
        let user = &d.users[1].id;
        seen.push(format!(
            "{:?}",
            store.list_user_proficiencies(at, user).await
        ));
        // Unknown value, duplicate association, update, disassociate.
        let bad = store
            .change_user_proficiencies(
                at,
                user,
                ProficiencyChange::Associate(vec![UserProficiency {
                    attribute_name: "Language".into(),
                    attribute_value: "Klingon".into(),
                    level: 2.0,
                }]),
                &modified(),
            )
            .await;
        seen.push(format!("{bad:?}"));
        let dup = store
            .change_user_proficiencies(
                at,
                user,
                ProficiencyChange::Associate(vec![UserProficiency {
                    attribute_name: "Language".into(),
                    attribute_value: "English".into(),
                    level: 2.0,
                }]),
                &modified(),
            )
            .await;
        seen.push(format!("{dup:?}"));
        store
            .change_user_proficiencies(
                at,
                user,
                ProficiencyChange::Update(vec![UserProficiency {
                    attribute_name: "Language".into(),
                    attribute_value: "English".into(),
                    level: 4.5,
                }]),
                &Modified {
                    time: Timestamp(1_800_000_000_000),
                    region: "eu-west-1".into(),
                },
            )
            .await
            .unwrap();
        seen.push(format!(
            "{:?}",
            store.list_user_proficiencies(at, user).await
        ));
        // Values users hold cannot be removed; attributes users hold cannot go.
        let mut narrowed = d.attributes[0].clone();
        narrowed.values = vec!["French".into()];
        seen.push(format!(
            "{:?}",
            store.update_predefined_attribute(at, narrowed).await
        ));
        seen.push(format!(
            "{:?}",
            store.delete_predefined_attribute(at, "Language").await
        ));
        let mut widened = d.attributes[0].clone();
        widened.values.push("Spanish".into());
        widened.enable_value_validation_on_association = Some(false);
        store
            .update_predefined_attribute(at, widened)
            .await
            .unwrap();
        seen.push(format!(
            "{:?}",
            store.get_predefined_attribute(at, "Language").await
        ));
        seen.push(format!(
            "{:?}",
            store
                .create_predefined_attribute(at, d.attributes[1].clone())
                .await
        ));
        store
            .change_user_proficiencies(
                at,
                user,
                ProficiencyChange::Disassociate(vec![
                    ("Language".into(), "English".into()),
                    ("Nope".into(), "x".into()),
                ]),
                &modified(),
            )
            .await
            .unwrap();
        seen.push(format!(
            "{:?}",
            store.list_user_proficiencies(at, user).await
        ));
        seen.push(format!(
            "{:?}",
            store.get_predefined_attribute(at, "Nope").await
        ));
        outcomes.push(seen);
    }
    assert_eq!(outcomes[0], outcomes[1]);
    lite.close().await;
    Store::close(&pg).await;
}
