//! A scratch database per test: created through the admin URL in
//! `ROSTER_TEST_DATABASE_URL`, dropped (best effort) when the guard goes, also when
//! the test panics.

#![allow(dead_code)]

use tokio_postgres::NoTls;

pub mod searching;

pub const ENV: &str = "ROSTER_TEST_DATABASE_URL";

/// The admin URL, or `None` after saying loudly that the tests are skipped.
pub fn admin_url() -> Option<String> {
    match std::env::var(ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            // Written to the stream itself: the test harness captures eprintln!.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {ENV} is not set; PostgreSQL tests did not run"
            );
            None
        }
    }
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let (scheme, rest) = base.split_once("://").expect("a postgres:// URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

async fn admin(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .expect("connect to the admin database");
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

/// A database that exists while this lives.
pub struct ScratchDb {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl ScratchDb {
    pub async fn create(admin_url: &str) -> ScratchDb {
        let name = format!("roster_test_{}", uuid::Uuid::new_v4().simple());
        admin(admin_url)
            .await
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the scratch database");
        ScratchDb {
            admin_url: admin_url.to_string(),
            url: with_database(admin_url, &name),
            name,
        }
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // A runtime of its own on a thread of its own: drop may run inside a runtime.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async {
                admin(&admin_url)
                    .await
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: could not drop the scratch database {}", self.name);
        }
    }
}
