//! roster's domain: the entities of a Connect instance, the rules their values obey,
//! and the per-channel user settings. Nothing here knows HTTP, JSON or SQL.

pub mod arn;
pub mod channel;
pub mod entities;
pub mod error;
pub mod hierarchy;
pub mod hours;
pub mod instance;
pub mod password;
pub mod proficiency;
pub mod queues;
pub mod quick_connect;
pub mod resource_search;
pub mod routing;
pub mod search;
pub mod security;
pub mod tags;
pub mod time;
pub mod user;

pub use error::DomainError;
pub use time::Timestamp;

/// The account and region a request acts in. Instances, and everything in them,
/// exist only for the scope that created them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    pub account_id: String,
    pub region: String,
}

/// An instance as seen from a scope: every instance-level store call takes one, and
/// the store answers "not found" when the instance does not exist in that scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRef {
    pub scope: Scope,
    pub instance_id: String,
}

/// A new lowercase UUID v4, the form of every id roster makes.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
