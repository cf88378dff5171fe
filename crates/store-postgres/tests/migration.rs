//! Schema version 10 moves the users-per-instance quota from one count per instance
//! to quota slots: a database with users counted the old way comes out with every
//! user counted once, in slots within their shares, and the quota still exact.

mod common;

use roster_scratch_db::{admin_url, ScratchDatabase};
use roster_store::suite::{plain_user, setup};
use roster_store::{Store, StoreError};
use roster_store_postgres::{PostgresOptions, PostgresStore};
use tokio_postgres::NoTls;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_counted_the_old_way_are_dealt_into_quota_slots() {
    let Some(admin) = admin_url() else {
        return;
    };
    let db = ScratchDatabase::create(&admin);
    let store = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap();
    let fx = setup(&store).await;
    for n in 0..70 {
        store
            .create_user(&fx.at, plain_user(&fx, &format!("before{n}")), 100)
            .await
            .unwrap();
    }
    store.close();

    // Back to the shape of version 9: one count row per instance.
    let (sql, conn) = tokio_postgres::connect(&db.url, NoTls).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    sql.batch_execute(
        "CREATE TABLE instance_user_counts (
             instance_id TEXT COLLATE \"C\" PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
             user_count  BIGINT NOT NULL);
         INSERT INTO instance_user_counts
             SELECT i.id, (SELECT count(*) FROM users u WHERE u.instance_id = i.id) FROM instances i;
         DROP TABLE instance_user_slots;
         ALTER TABLE users DROP COLUMN quota_slot;
         DELETE FROM schema_migrations WHERE version = 10;",
    )
    .await
    .unwrap();

    let store = PostgresStore::connect(&db.url, PostgresOptions::default())
        .await
        .unwrap();
    let slots = sql
        .query(
            "SELECT slot, used, (SELECT count(*) FROM users u WHERE u.instance_id = s.instance_id AND u.quota_slot = s.slot)
             FROM instance_user_slots s WHERE instance_id = $1 ORDER BY slot",
            &[&fx.at.instance_id],
        )
        .await
        .unwrap();
    assert_eq!(slots.len(), 32);
    let mut total = 0;
    for row in &slots {
        let (slot, used, counted): (i16, i64, i64) = (row.get(0), row.get(1), row.get(2));
        assert_eq!(used, counted, "slot {slot}");
        // 70 over 32 slots: the first 6 hold 3, the others 2.
        assert_eq!(used, if slot < 6 { 3 } else { 2 }, "slot {slot}");
        total += used;
    }
    assert_eq!(total, 70);

    // The quota of 100 leaves exactly 30 places.
    let mut created = 0;
    loop {
        match store
            .create_user(&fx.at, plain_user(&fx, &format!("after{created}")), 100)
            .await
        {
            Ok(()) => created += 1,
            Err(StoreError::UserLimit { limit: 100 }) => break,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(created, 30);
    let old: Option<tokio_postgres::Row> = sql
        .query_opt(
            "SELECT 1 FROM information_schema.tables WHERE table_name = 'instance_user_counts'",
            &[],
        )
        .await
        .unwrap();
    assert!(old.is_none(), "the old count table is gone");
    store.close();
}
