//! Routing profiles' rules: the concurrency each channel allows, and the queues a
//! profile routes, changed only through the operations' own edits so that each keeps
//! its rule (one entry per queue and channel, the service's limits).

use crate::entities::{MediaConcurrency, RoutingProfile, RoutingProfileQueue};
use crate::DomainError;

/// The channels of the model's `Channel` enum.
pub const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];

/// Queues one routing profile may route (Amazon Connect's "Queues per routing profile"
/// quota).
pub const MAX_QUEUES: usize = 50;

/// The most contacts of one channel an agent may hold at once: one call at a time, up
/// to ten of each other channel (the model's documentation of `Concurrency`).
pub fn max_concurrency(channel: &str) -> i32 {
    if channel == "VOICE" {
        1
    } else {
        10
    }
}

/// Checks a `MediaConcurrencies` list: each channel once, within its range.
pub fn check_media(member: &str, list: &[MediaConcurrency]) -> Result<(), DomainError> {
    if list.is_empty() {
        return Err(DomainError::param(member, "must hold at least one channel"));
    }
    for (n, m) in list.iter().enumerate() {
        if list[..n].iter().any(|x| x.channel == m.channel) {
            return Err(DomainError::param(
                format!("{member}[{n}].Channel"),
                format!("channel {} appears more than once", m.channel),
            ));
        }
        let max = max_concurrency(&m.channel);
        if !(1..=max).contains(&m.concurrency) {
            return Err(DomainError::param(
                format!("{member}[{n}].Concurrency"),
                format!("must be between 1 and {max} for {}", m.channel),
            ));
        }
    }
    Ok(())
}

/// A queue of a routing profile and the channel it is routed on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueRef {
    pub queue_id: String,
    pub channel: String,
}

fn refs_unique(member: &str, refs: &[QueueRef]) -> Result<(), DomainError> {
    for (n, r) in refs.iter().enumerate() {
        if refs[..n].contains(r) {
            return Err(DomainError::param(
                format!("{member}[{n}]"),
                format!(
                    "queue {} on {} appears more than once",
                    r.queue_id, r.channel
                ),
            ));
        }
    }
    Ok(())
}

fn queue_ref(q: &RoutingProfileQueue) -> QueueRef {
    QueueRef {
        queue_id: q.queue_id.clone(),
        channel: q.channel.clone(),
    }
}

fn manual_channel(member: &str, n: usize, r: &QueueRef) -> Result<(), DomainError> {
    if r.channel == "VOICE" {
        return Err(DomainError::param(
            format!("{member}[{n}].QueueReference.Channel"),
            "manual assignment queues take CHAT, TASK or EMAIL, not VOICE",
        ));
    }
    Ok(())
}

impl RoutingProfile {
    fn check_queue_count(&self) -> Result<(), DomainError> {
        let mut ids: Vec<&str> = self
            .queues
            .iter()
            .map(|q| q.queue_id.as_str())
            .chain(self.manual_queues.iter().map(|q| q.queue_id.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_QUEUES {
            return Err(DomainError::param(
                "QueueConfigs",
                format!(
                    "a routing profile may route at most {MAX_QUEUES} queues; this change would make it {}",
                    ids.len()
                ),
            ));
        }
        Ok(())
    }

    /// Adds queue configs (`QueueConfigs`) and manual assignment queues; a pair of
    /// queue and channel the profile already routes, or one sent twice, is refused.
    pub fn associate(
        &mut self,
        configs: Vec<RoutingProfileQueue>,
        manual: Vec<QueueRef>,
    ) -> Result<(), DomainError> {
        let refs: Vec<QueueRef> = configs.iter().map(queue_ref).collect();
        refs_unique("QueueConfigs", &refs)?;
        refs_unique("ManualAssignmentQueueConfigs", &manual)?;
        for (n, r) in refs.iter().enumerate() {
            if self.queues.iter().any(|q| queue_ref(q) == *r) {
                return Err(DomainError::param(
                    format!("QueueConfigs[{n}].QueueReference"),
                    format!(
                        "queue {} is already routed on {}; update it with UpdateRoutingProfileQueues",
                        r.queue_id, r.channel
                    ),
                ));
            }
        }
        for (n, r) in manual.iter().enumerate() {
            manual_channel("ManualAssignmentQueueConfigs", n, r)?;
            if self.manual_queues.contains(r) {
                return Err(DomainError::param(
                    format!("ManualAssignmentQueueConfigs[{n}].QueueReference"),
                    format!(
                        "queue {} is already a manual assignment queue on {}",
                        r.queue_id, r.channel
                    ),
                ));
            }
        }
        self.queues.extend(configs);
        self.manual_queues.extend(manual);
        self.check_queue_count()
    }

    /// Changes the priority and delay of queues the profile routes.
    pub fn update_queues(&mut self, configs: Vec<RoutingProfileQueue>) -> Result<(), DomainError> {
        let refs: Vec<QueueRef> = configs.iter().map(queue_ref).collect();
        refs_unique("QueueConfigs", &refs)?;
        for (n, c) in configs.into_iter().enumerate() {
            match self.queues.iter_mut().find(|q| queue_ref(q) == refs[n]) {
                Some(q) => *q = c,
                None => {
                    return Err(DomainError::param(
                        format!("QueueConfigs[{n}].QueueReference"),
                        format!(
                            "queue {} is not routed on {} by this profile; associate it first",
                            refs[n].queue_id, refs[n].channel
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Removes queues from the profile; each must be routed (or be a manual
    /// assignment queue) on the channel named.
    pub fn disassociate(
        &mut self,
        refs: Vec<QueueRef>,
        manual: Vec<QueueRef>,
    ) -> Result<(), DomainError> {
        refs_unique("QueueReferences", &refs)?;
        refs_unique("ManualAssignmentQueueReferences", &manual)?;
        for (n, r) in refs.iter().enumerate() {
            let before = self.queues.len();
            self.queues.retain(|q| queue_ref(q) != *r);
            if self.queues.len() == before {
                return Err(DomainError::param(
                    format!("QueueReferences[{n}]"),
                    format!(
                        "queue {} is not routed on {} by this profile",
                        r.queue_id, r.channel
                    ),
                ));
            }
        }
        for (n, r) in manual.iter().enumerate() {
            let before = self.manual_queues.len();
            self.manual_queues.retain(|q| q != r);
            if self.manual_queues.len() == before {
                return Err(DomainError::param(
                    format!("ManualAssignmentQueueReferences[{n}]"),
                    format!(
                        "queue {} is not a manual assignment queue on {} of this profile",
                        r.queue_id, r.channel
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Every queue id the profile names: its default outbound queue, the queues it
    /// routes and its manual assignment queues.
    pub fn queue_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.default_outbound_queue_id.as_str())
            .chain(self.queues.iter().map(|q| q.queue_id.as_str()))
            .chain(self.manual_queues.iter().map(|q| q.queue_id.as_str()))
    }

    /// A new profile's queues, as CreateRoutingProfile sends them.
    pub fn with_queues(
        mut self,
        configs: Vec<RoutingProfileQueue>,
        manual: Vec<QueueRef>,
    ) -> Result<Self, DomainError> {
        self.queues.clear();
        self.manual_queues.clear();
        self.associate(configs, manual)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::Tags;
    use crate::time::Modified;
    use crate::Timestamp;

    fn profile() -> RoutingProfile {
        RoutingProfile {
            id: "rp".into(),
            name: "P".into(),
            description: "d".into(),
            default_outbound_queue_id: "q0".into(),
            media_concurrencies: vec![],
            queues: vec![],
            manual_queues: vec![],
            agent_availability_timer: None,
            is_default: false,
            tags: Tags::new(),
            modified: Modified {
                time: Timestamp(0),
                region: "us-east-1".into(),
            },
        }
    }

    fn config(q: &str, ch: &str, priority: i32) -> RoutingProfileQueue {
        RoutingProfileQueue {
            queue_id: q.into(),
            channel: ch.into(),
            priority,
            delay: 0,
        }
    }

    fn r(q: &str, ch: &str) -> QueueRef {
        QueueRef {
            queue_id: q.into(),
            channel: ch.into(),
        }
    }

    #[test]
    fn concurrency_ranges_per_channel() {
        let m = |ch: &str, c| MediaConcurrency {
            channel: ch.into(),
            concurrency: c,
            cross_channel_behavior: None,
        };
        assert!(check_media("M", &[m("VOICE", 1), m("CHAT", 10)]).is_ok());
        let e = check_media("M", &[m("VOICE", 2)]).unwrap_err();
        assert!(e.to_string().contains("M[0].Concurrency"), "{e}");
        assert!(check_media("M", &[m("CHAT", 0)]).is_err());
        assert!(check_media("M", &[m("TASK", 11)]).is_err());
        assert!(check_media("M", &[m("CHAT", 2), m("CHAT", 3)]).is_err());
        assert!(check_media("M", &[]).is_err());
    }

    #[test]
    fn queues_are_associated_updated_and_removed_by_queue_and_channel() {
        let mut p = profile()
            .with_queues(
                vec![config("q1", "VOICE", 1), config("q1", "CHAT", 2)],
                vec![],
            )
            .unwrap();
        assert!(p.associate(vec![config("q1", "VOICE", 5)], vec![]).is_err());
        assert_eq!(
            p.queues.len(),
            2,
            "a refused change changes nothing it was not given"
        );
        p.update_queues(vec![config("q1", "CHAT", 7)]).unwrap();
        assert_eq!(p.queues[1].priority, 7);
        assert!(p.update_queues(vec![config("q2", "CHAT", 7)]).is_err());
        p.disassociate(vec![r("q1", "VOICE")], vec![]).unwrap();
        assert_eq!(p.queues, vec![config("q1", "CHAT", 7)]);
        assert!(p.disassociate(vec![r("q1", "VOICE")], vec![]).is_err());
        assert!(p.associate(vec![], vec![r("q3", "VOICE")]).is_err());
        p.associate(vec![], vec![r("q3", "TASK")]).unwrap();
        assert_eq!(p.queue_ids().collect::<Vec<_>>(), vec!["q0", "q1", "q3"]);
    }

    #[test]
    fn at_most_fifty_queues() {
        let many: Vec<_> = (0..MAX_QUEUES)
            .map(|i| config(&format!("q{i}"), "VOICE", 1))
            .collect();
        let mut p = profile().with_queues(many, vec![]).unwrap();
        assert!(
            p.associate(vec![config("q0", "CHAT", 1)], vec![]).is_ok(),
            "same queue, other channel"
        );
        assert!(p
            .associate(vec![config("extra", "CHAT", 1)], vec![])
            .is_err());
    }
}
