//! The crate's internal error: a store outcome, or a SQLite failure that becomes
//! [`StoreError::Backend`] at the crate's boundary. The outcomes themselves
//! (`not_found`, `duplicate`, …) are [`roster_store::sql`]'s.

use roster_store::StoreError;

#[derive(Debug)]
pub(crate) enum Error {
    Store(StoreError),
    Sql(rusqlite::Error),
}

impl Error {
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            Error::Store(e) => e,
            Error::Sql(e) => StoreError::Backend(format!("sqlite: {e}")),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sql(e)
    }
}

roster_store::store_outcomes!(Error);

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether `e` is a UNIQUE constraint failure naming `columns` (as SQLite words it,
/// e.g. `users.instance_id, users.username_lower`).
pub(crate) fn is_unique_violation(e: &rusqlite::Error, columns: &str) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) => {
            f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE && msg.contains(columns)
        }
        _ => false,
    }
}
