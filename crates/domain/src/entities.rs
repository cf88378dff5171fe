//! Security profiles and routing profiles; queues are in [`crate::queues`], hours of operation in
//! [`crate::hours`].

use crate::tags::Tags;
use crate::time::Modified;

/// Security profiles and their rules live in [`crate::security`].
pub use crate::security::SecurityProfile;

#[derive(Debug, Clone, PartialEq)]
pub struct MediaConcurrency {
    /// `VOICE`, `CHAT`, `TASK` or `EMAIL`.
    pub channel: String,
    pub concurrency: i32,
    /// `ROUTE_CURRENT_CHANNEL_ONLY` or `ROUTE_ANY_CHANNEL`, when set.
    pub cross_channel_behavior: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingProfileQueue {
    pub queue_id: String,
    pub channel: String,
    pub priority: i32,
    pub delay: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingProfile {
    pub id: String,
    pub name: String,
    pub description: String,
    pub default_outbound_queue_id: String,
    pub media_concurrencies: Vec<MediaConcurrency>,
    pub queues: Vec<RoutingProfileQueue>,
    /// Queues agents pick contacts from themselves (CHAT, TASK or EMAIL).
    pub manual_queues: Vec<crate::routing::QueueRef>,
    /// `TIME_SINCE_LAST_ACTIVITY` or `TIME_SINCE_LAST_INBOUND`, when set.
    pub agent_availability_timer: Option<String>,
    /// The instance's own Basic Routing Profile.
    pub is_default: bool,
    pub tags: Tags,
    pub modified: Modified,
}

/// Queues and their rules live in [`crate::queues`].
pub use crate::queues::{Queue, QueueType};
