//! Behaviour of the SQLite store itself: group commit, concurrency, durability,
//! schema versions.

use std::sync::Arc;

use roster_domain::channel::{AcwSeconds, Channel};
use roster_domain::user::User;
use roster_store::suite::fixtures::set_channel;
use roster_store::suite::{plain_user, setup};
use roster_store::{PageRequest, Store, StoreError};
use roster_store_sqlite::{SqliteOptions, SqliteStore, DATABASE_FILE, SCHEMA_VERSION};

fn open(dir: &std::path::Path) -> SqliteStore {
    SqliteStore::open(dir, SqliteOptions::default()).expect("open the store")
}

fn all() -> PageRequest {
    PageRequest {
        after: None,
        limit: 10_000,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_are_committed_in_groups() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(dir.path()));
    let fx = setup(store.as_ref()).await;
    let before = store.stats();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let store = store.clone();
            let at = fx.at.clone();
            let user = plain_user(&fx, &format!("agent{i}"));
            tokio::spawn(async move { store.create_user(&at, user, 1000).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let after = store.stats();
    let (jobs, commits) = (after.jobs - before.jobs, after.commits - before.commits);
    assert_eq!(jobs, 200);
    assert!(commits < jobs, "{commits} commits for {jobs} jobs");
    assert_eq!(store.list_users(&fx.at, &all()).await.unwrap().len(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_of_twenty_same_usernames_wins() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(dir.path()));
    let fx = setup(store.as_ref()).await;
    let tasks: Vec<_> = (0..20u32)
        .map(|n| {
            let name: String = "mixedcase"
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if (n >> i) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            let store = store.clone();
            let at = fx.at.clone();
            let user = plain_user(&fx, &name);
            tokio::spawn(async move { store.create_user(&at, user, 1000).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(StoreError::Duplicate { what }) => {
                assert!(what.to_lowercase().contains("mixedcase"), "{what}")
            }
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(store.list_users(&fx.at, &all()).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_of_one_user_all_survive() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(dir.path()));
    let fx = setup(store.as_ref()).await;
    let user = plain_user(&fx, "contended");
    store.create_user(&fx.at, user.clone(), 10).await.unwrap();
    for round in 1..=5i64 {
        let tasks: Vec<_> = Channel::ALL
            .into_iter()
            .map(|channel| {
                let store = store.clone();
                let at = fx.at.clone();
                let id = user.id.clone();
                tokio::spawn(async move {
                    store
                        .update_user(
                            &at,
                            &id,
                            Box::new(move |u: &mut User| {
                                let acw = AcwSeconds::parse("acw", round * 100 + channel as i64)?;
                                let auto_accept = u.config.channel(channel).auto_accept;
                                set_channel(&mut u.config, channel, auto_accept, acw);
                                Ok(())
                            }),
                        )
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let stored = store.get_user(&fx.at, &user.id).await.unwrap();
        for channel in Channel::ALL {
            assert_eq!(
                stored.config.channel(channel).after_contact_work.seconds() as i64,
                round * 100 + channel as i64,
                "round {round}, {}",
                channel.as_str()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a").join("b");
    let (fx, user) = {
        let store = open(&nested);
        let fx = setup(&store).await;
        let user = plain_user(&fx, "durable");
        store.create_user(&fx.at, user.clone(), 10).await.unwrap();
        store.close().await;
        // Reads keep working after close; writes do not.
        assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), user);
        match store.delete_user(&fx.at, &user.id).await {
            Err(StoreError::Backend(msg)) => assert!(msg.contains("closed"), "{msg}"),
            other => panic!("expected a closed store, got {other:?}"),
        }
        (fx, user)
    };
    assert!(nested.join(DATABASE_FILE).exists());
    let store = open(&nested);
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), user);
    assert_eq!(
        store
            .get_instance(&fx.at.scope, &fx.instance.id)
            .await
            .unwrap(),
        fx.instance
    );
    // Dropping without close also finishes cleanly.
    let second = plain_user(&fx, "second");
    store.create_user(&fx.at, second.clone(), 10).await.unwrap();
    drop(store);
    let store = open(&nested);
    assert_eq!(store.get_user(&fx.at, &second.id).await.unwrap(), second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answered_write_is_in_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let fx = setup(&store).await;
    let user = plain_user(&fx, "visible");
    store.create_user(&fx.at, user.clone(), 10).await.unwrap();
    // A connection of its own, outside the store (another process cannot open the
    // database while the store has it open).
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let name: String = conn
        .query_row(
            "SELECT username FROM users WHERE id = ?1",
            [&user.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "visible");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_versions() {
    let dir = tempfile::tempdir().unwrap();
    open(dir.path()).close().await;
    let db = dir.path().join(DATABASE_FILE);
    let versions = |db: &std::path::Path| -> Vec<i64> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(versions(&db), roster_store_sqlite::schema_versions());
    // Reopening applies nothing again.
    open(dir.path()).close().await;
    assert_eq!(versions(&db), roster_store_sqlite::schema_versions());

    // A database from a newer roster is refused.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
        [SCHEMA_VERSION + 1],
    )
    .unwrap();
    drop(conn);
    match SqliteStore::open(dir.path(), SqliteOptions::default()) {
        Err(StoreError::Backend(msg)) => assert!(msg.contains("newer roster"), "{msg}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_edit_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(dir.path()));
    let fx = setup(store.as_ref()).await;
    let user = plain_user(&fx, "steady");
    store.create_user(&fx.at, user.clone(), 10).await.unwrap();
    let panicking = {
        let store = store.clone();
        let at = fx.at.clone();
        let id = user.id.clone();
        tokio::spawn(async move {
            store
                .update_user(
                    &at,
                    &id,
                    Box::new(|u: &mut User| {
                        u.identity.first_name = Some("half-done".into());
                        panic!("an edit that panics");
                    }),
                )
                .await
        })
    };
    let others: Vec<_> = (0..10)
        .map(|i| {
            let store = store.clone();
            let at = fx.at.clone();
            let u = plain_user(&fx, &format!("bystander{i}"));
            tokio::spawn(async move { store.create_user(&at, u, 100).await })
        })
        .collect();
    assert!(matches!(
        panicking.await.unwrap(),
        Err(StoreError::Backend(_))
    ));
    for t in others {
        t.await.unwrap().unwrap();
    }
    // The store keeps working and the user is as it was.
    assert_eq!(store.get_user(&fx.at, &user.id).await.unwrap(), user);
    let renamed = store
        .update_user(
            &fx.at,
            &user.id,
            Box::new(|u: &mut User| {
                u.identity.first_name = Some("after".into());
                Ok(())
            }),
        )
        .await
        .unwrap();
    assert_eq!(renamed.identity.first_name.as_deref(), Some("after"));
    assert_eq!(store.list_users(&fx.at, &all()).await.unwrap().len(), 11);
}
