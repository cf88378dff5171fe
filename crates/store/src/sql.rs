//! What the two SQL stores share: the store outcomes their checks produce, the report
//! of a stored value they cannot read back, and the SQL spellings that do not depend
//! on the database (tables by resource kind, a page's `LIMIT`, proficiency level
//! conditions). Each store keeps its own driver's errors and its placeholder style.

use roster_domain::arn::ResourceKind;
use roster_domain::search::LevelCondition;
use roster_domain::tags::MAX_TAGS;
use roster_domain::DomainError;

use crate::{PageRequest, StoreError};

// ---- outcomes ------------------------------------------------------------------------
//
// Each is a `StoreError` in whatever error type the store's code returns, so that
// `return Err(not_found(kind, id))` reads the same in both stores.

/// The resource addressed does not exist in the instance.
pub fn not_found<E: From<StoreError>>(kind: ResourceKind, id: &str) -> E {
    StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
    .into()
}

/// A change names a resource that does not exist in the instance.
pub fn missing<E: From<StoreError>>(kind: ResourceKind, id: &str) -> E {
    StoreError::MissingReference {
        kind,
        id: id.to_string(),
    }
    .into()
}

/// A unique name is taken; `what` says which (`User with username 'Bob'`).
pub fn duplicate<E: From<StoreError>>(what: String) -> E {
    StoreError::Duplicate { what }.into()
}

/// The resource is still used; `why` says by what.
pub fn in_use<E: From<StoreError>>(kind: ResourceKind, id: &str, why: String) -> E {
    StoreError::InUse {
        kind,
        id: id.to_string(),
        why,
    }
    .into()
}

/// Why a profile held by `n` users is in use: "1 user holds it" / "3 users hold it".
pub fn holders(n: i64) -> String {
    if n == 1 {
        "1 user holds it".to_string()
    } else {
        format!("{n} users hold it")
    }
}

/// A resource would carry more than [`MAX_TAGS`] tags.
pub fn too_many_tags<E: From<StoreError>>() -> E {
    StoreError::Rejected(DomainError::param(
        "tags",
        format!("a resource can have at most {MAX_TAGS} tags"),
    ))
    .into()
}

/// A stored value that roster would never have written.
pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable stored value: {what}"))
}

/// Implements the conversions of store outcomes into a store's own error type
/// `$error`, whose variant `Store` holds a [`StoreError`]: a `StoreError` is that
/// variant, and a [`DomainError`] (an edit or a check that refused) is
/// `Store(Rejected)`.
#[macro_export]
macro_rules! store_outcomes {
    ($error:ident) => {
        impl From<$crate::StoreError> for $error {
            fn from(e: $crate::StoreError) -> Self {
                $error::Store(e)
            }
        }

        impl From<$crate::sql::__DomainError> for $error {
            fn from(e: $crate::sql::__DomainError) -> Self {
                $error::Store($crate::StoreError::Rejected(e))
            }
        }
    };
}

/// For [`store_outcomes!`].
#[doc(hidden)]
pub use roster_domain::DomainError as __DomainError;

// ---- spellings -----------------------------------------------------------------------

/// The `LIMIT` of a page.
pub fn limit(page: &PageRequest) -> i64 {
    i64::try_from(page.limit).unwrap_or(i64::MAX)
}

/// The table holding taggable resources of `kind`; `None` for the instance itself and
/// for kinds that cannot be tagged.
pub fn tagged_table(kind: ResourceKind) -> Option<&'static str> {
    Some(match kind {
        ResourceKind::Instance => return None,
        ResourceKind::User => "users",
        ResourceKind::SecurityProfile => "security_profiles",
        ResourceKind::RoutingProfile => "routing_profiles",
        ResourceKind::Queue => "queues",
        ResourceKind::HierarchyGroup => "hierarchy_groups",
        ResourceKind::HoursOfOperation => "hours_of_operation",
        // Not taggable: no ARN names one, so no tag call reaches here with it.
        ResourceKind::PredefinedAttribute => return None,
    })
}

/// A proficiency level condition as SQL: a comparison of `level` with one value, or a
/// closed range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LevelTest {
    /// `level <op> value`
    Compare(&'static str, f64),
    /// `level BETWEEN low AND high`
    Between(f64, f64),
}

/// The SQL test of `level` that `l` asks for.
pub fn level_test(l: LevelCondition) -> LevelTest {
    match l {
        LevelCondition::GreaterOrEqual(v) => LevelTest::Compare(">=", v),
        LevelCondition::Greater(v) => LevelTest::Compare(">", v),
        LevelCondition::LesserOrEqual(v) => LevelTest::Compare("<=", v),
        LevelCondition::Lesser(v) => LevelTest::Compare("<", v),
        LevelCondition::Equal(v) => LevelTest::Compare("=", v),
        LevelCondition::NotEqual(v) => LevelTest::Compare("<>", v),
        LevelCondition::Range(lo, hi) => LevelTest::Between(lo, hi),
    }
}
