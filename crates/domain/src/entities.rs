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

/// The name (and description) of the routing profile every new instance has.
pub const BASIC_ROUTING_PROFILE: &str = "Basic Routing Profile";

/// The channels the Basic Routing Profile takes contacts on.
const BASIC_CHANNELS: [&str; 3] = ["VOICE", "CHAT", "TASK"];

impl RoutingProfile {
    /// The `Basic Routing Profile` every new instance has: the instance's default,
    /// one contact at a time on VOICE, CHAT and TASK, each routed from `queue_id`
    /// (its default outbound queue too) at priority 1 and no delay.
    pub fn basic(id: String, queue_id: String, modified: Modified) -> RoutingProfile {
        RoutingProfile {
            id,
            name: BASIC_ROUTING_PROFILE.into(),
            description: BASIC_ROUTING_PROFILE.into(),
            default_outbound_queue_id: queue_id.clone(),
            media_concurrencies: BASIC_CHANNELS
                .iter()
                .map(|c| MediaConcurrency {
                    channel: c.to_string(),
                    concurrency: 1,
                    cross_channel_behavior: None,
                })
                .collect(),
            queues: BASIC_CHANNELS
                .iter()
                .map(|c| RoutingProfileQueue {
                    queue_id: queue_id.clone(),
                    channel: c.to_string(),
                    priority: 1,
                    delay: 0,
                })
                .collect(),
            manual_queues: Vec::new(),
            agent_availability_timer: None,
            is_default: true,
            tags: Tags::new(),
            modified,
        }
    }
}

/// Queues and their rules live in [`crate::queues`].
pub use crate::queues::{Queue, QueueType};
