//! The backend-agnostic store suite against a fresh PostgreSQL database.

mod common;

use roster_store::Store;
use roster_store_postgres::{PostgresOptions, PostgresStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_suite_passes_on_postgres() {
    let Some(admin) = common::admin_url() else {
        return;
    };
    let db = common::ScratchDb::create(&admin).await;
    let store = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .expect("connect");
    assert_eq!(store.backend(), "postgres");
    roster_store::suite::run_all(&store).await;
    Store::close(&store).await;
}
