//! The crate's internal error: a store outcome, or a SQLite failure that becomes
//! [`StoreError::Backend`] at the crate's boundary.

use roster_domain::arn::ResourceKind;
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

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(e)
    }
}

impl From<roster_domain::DomainError> for Error {
    fn from(e: roster_domain::DomainError) -> Self {
        Error::Store(StoreError::Rejected(e))
    }
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn not_found(kind: ResourceKind, id: &str) -> Error {
    Error::Store(StoreError::NotFound {
        kind,
        id: id.to_string(),
    })
}

pub(crate) fn missing(kind: ResourceKind, id: &str) -> Error {
    Error::Store(StoreError::MissingReference {
        kind,
        id: id.to_string(),
    })
}

pub(crate) fn duplicate(what: String) -> Error {
    Error::Store(StoreError::Duplicate { what })
}

pub(crate) fn in_use(kind: ResourceKind, id: &str, why: String) -> Error {
    Error::Store(StoreError::InUse {
        kind,
        id: id.to_string(),
        why,
    })
}

/// A stored value this build cannot read back.
pub(crate) fn corrupt(what: impl std::fmt::Display) -> Error {
    Error::Store(StoreError::Backend(format!(
        "unreadable stored value: {what}"
    )))
}

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
