//! Timestamps, kept as whole milliseconds since the Unix epoch so that they survive a
//! round trip through any store unchanged.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Timestamp(ms)
    }
    pub fn millis(self) -> i64 {
        self.0
    }
    /// Epoch seconds, fractional, as the wire carries them.
    pub fn epoch_seconds(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

/// When and from which region a resource was last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modified {
    pub time: Timestamp,
    pub region: String,
}
