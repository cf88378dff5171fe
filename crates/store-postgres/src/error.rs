//! The crate's internal error: a store outcome, or a PostgreSQL or pool failure that
//! becomes [`StoreError::Backend`] at the crate's boundary. The outcomes themselves
//! (`not_found`, `duplicate`, …) are [`roster_store::sql`]'s.

use roster_store::sql::duplicate;
use roster_store::StoreError;
use tokio_postgres::error::SqlState;

#[derive(Debug)]
pub(crate) enum Error {
    Store(StoreError),
    Pg(tokio_postgres::Error),
    /// No connection could be had from the pool.
    Pool(String),
}

impl Error {
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            Error::Store(e) => e,
            Error::Pg(e) if e.code() == Some(&SqlState::CHARACTER_NOT_IN_REPERTOIRE) => {
                // PostgreSQL text cannot hold U+0000; no stored value contains it.
                StoreError::Rejected(roster_domain::DomainError::param(
                    "request",
                    "text values must not contain the NUL character (U+0000)",
                ))
            }
            Error::Pg(e) if e.code() == Some(&SqlState::UNTRANSLATABLE_CHARACTER) => {
                StoreError::Rejected(roster_domain::DomainError::param(
                    "request",
                    "a text value has characters the database's encoding cannot hold",
                ))
            }
            Error::Pg(e) => StoreError::Backend(format!("postgres: {}", describe(&e))),
            Error::Pool(e) => StoreError::Backend(format!("postgres connection pool: {e}")),
        }
    }

    /// A conflict with a concurrent transaction (serialization failure, deadlock):
    /// running the whole transaction again may succeed.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            Error::Pg(e) => matches!(
                e.code(),
                Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
            ),
            _ => false,
        }
    }

    /// The SQLSTATE of a database error, when this is one.
    pub(crate) fn code(&self) -> Option<&SqlState> {
        match self {
            Error::Pg(e) => e.code(),
            _ => None,
        }
    }
}

/// A database error with its detail, or any other client error as it displays.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({}): {detail}", db.message(), db.code().code()),
            None => format!("{} ({})", db.message(), db.code().code()),
        },
        None => e.to_string(),
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Store(e) => write!(f, "{e}"),
            Error::Pg(e) => f.write_str(&describe(e)),
            Error::Pool(e) => f.write_str(e),
        }
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        Error::Pg(e)
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => Error::Pg(e),
            other => Error::Pool(other.to_string()),
        }
    }
}

roster_store::store_outcomes!(Error);

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// The constraint a unique violation (SQLSTATE 23505) names, if `e` is one.
pub(crate) fn unique_violation(e: &tokio_postgres::Error) -> Option<&str> {
    let db = e.as_db_error()?;
    if *db.code() == SqlState::UNIQUE_VIOLATION {
        Some(db.constraint().unwrap_or(""))
    } else {
        None
    }
}

/// Turns a unique violation of `constraint` into `Duplicate { what }`; other errors
/// pass through.
pub(crate) fn on_unique(
    e: tokio_postgres::Error,
    constraint: &str,
    what: impl FnOnce() -> String,
) -> Error {
    if unique_violation(&e) == Some(constraint) {
        duplicate(what())
    } else {
        Error::Pg(e)
    }
}
