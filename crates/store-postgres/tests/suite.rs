//! The backend-agnostic store suite against a fresh PostgreSQL database.

use roster_scratch_db::{admin_url, ScratchDatabase};
use roster_store::Store;
use roster_store_postgres::{PostgresOptions, PostgresStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_suite_passes_on_postgres() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let store = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .expect("connect");
    assert_eq!(store.backend(), "postgres");
    roster_store::suite::run_all(&store).await;
    Store::close(&store).await;
}
