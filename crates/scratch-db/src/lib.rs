//! A PostgreSQL database for one test: created through the admin URL in
//! `ROSTER_TEST_DATABASE_URL`, dropped (best effort) when the guard goes, also when the
//! test panics.
//!
//! Used by the PostgreSQL store's tests and by the end-to-end harness of `tests/`,
//! which depend on nothing else of each other. It is a crate of its own so that
//! neither has to build the other (the store tests stay clear of `aws-sdk-connect`),
//! and so that no feature a test enables reaches the server's build.

use tokio_postgres::NoTls;

/// The variable naming an admin URL of a PostgreSQL server for tests.
pub const TEST_DATABASE_URL_ENV: &str = "ROSTER_TEST_DATABASE_URL";

/// The admin URL of the test PostgreSQL server, if `ROSTER_TEST_DATABASE_URL` is set.
pub fn test_database_url() -> Option<String> {
    std::env::var(TEST_DATABASE_URL_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// The admin URL, or `None` after saying loudly that the PostgreSQL tests are skipped.
pub fn admin_url() -> Option<String> {
    let url = test_database_url();
    if url.is_none() {
        // Written to the stream itself: the test harness captures eprintln!.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {TEST_DATABASE_URL_ENV} is not set; PostgreSQL tests did not run"
        );
    }
    url
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let (scheme, rest) = base
        .split_once("://")
        .unwrap_or_else(|| panic!("{TEST_DATABASE_URL_ENV} must be a postgres:// URL"));
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

/// Runs `sql` on the admin database, on a thread and runtime of its own (callers
/// may be inside a runtime, or in a `Drop`).
fn admin_execute(admin_url: &str, sql: String) -> Result<(), String> {
    let admin_url = admin_url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async move {
            let (client, conn) = tokio_postgres::connect(&admin_url, NoTls)
                .await
                .map_err(|e| e.to_string())?;
            let conn = tokio::spawn(conn);
            let out = client.batch_execute(&sql).await.map_err(|e| e.to_string());
            drop(client);
            let _ = conn.await;
            out
        })
    })
    .join()
    .map_err(|_| "the admin thread panicked".to_string())?
}

/// A PostgreSQL database made for tests (`roster_test_<random>`) that exists while
/// this lives.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin_url: String,
    pub name: String,
    /// The URL of the new database.
    pub url: String,
}

impl ScratchDatabase {
    /// Creates a fresh, empty database through the admin URL. Blocks until it exists;
    /// safe to call inside a runtime.
    pub fn create(admin_url: &str) -> ScratchDatabase {
        let name = format!("roster_test_{}", uuid::Uuid::new_v4().simple());
        admin_execute(admin_url, format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("creating the test database {name}: {e}"));
        ScratchDatabase {
            admin_url: admin_url.to_string(),
            url: with_database(admin_url, &name),
            name,
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = admin_execute(&self.admin_url, sql) {
            eprintln!(
                "warning: could not drop the test database {}: {e}",
                self.name
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn with_database_replaces_only_the_name() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres", "x"),
            "postgres://u:p@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://h/postgres?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
