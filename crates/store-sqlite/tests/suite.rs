//! The backend-agnostic suite against a fresh SQLite store.

use roster_store_sqlite::{SqliteOptions, SqliteStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_suite() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path(), SqliteOptions::default()).unwrap();
    roster_store::suite::run_all(&store).await;
    store.close().await;
}

/// The suite again, with one read connection and groups of one job: every call
/// waits for the previous, and nothing depends on grouping.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_suite_minimal_pool() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions {
        read_connections: 1,
        max_group: 1,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open(dir.path(), options).unwrap();
    roster_store::suite::run_all(&store).await;
    let stats = store.stats();
    assert_eq!(stats.commits, stats.jobs);
}

/// The suite again with searches that never count in memory: every search that
/// cannot read in result order counts and pages in two queries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_suite_searches_in_two_queries() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions {
        search_in_memory: 0,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open(dir.path(), options).unwrap();
    roster_store::suite::run_all(&store).await;
    store.close().await;
}
