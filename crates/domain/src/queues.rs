//! Queues: the standard queues an instance keeps (name, description, hours of
//! operation, capacity, status, outbound caller and email settings, tags), and the
//! agent queues the service keeps for every user, which are derived from the users
//! and never stored.

use crate::tags::Tags;
use crate::time::Modified;
use crate::DomainError;

/// Standard queues an instance may hold: the real service's default quota
/// ("Queues per instance").
pub const MAX_PER_INSTANCE: u64 = 50;

/// The name of the standard queue every new instance has.
pub const BASIC_QUEUE: &str = "BasicQueue";
/// Its description, as the real service gives it.
pub const BASIC_QUEUE_DESCRIPTION: &str = "A simple, basic voice queue.";

/// The two kinds of queue ListQueues names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueType {
    Standard,
    /// One per user: contacts routed to that user alone. Its id is the user's.
    Agent,
}

impl QueueType {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueType::Standard => "STANDARD",
            QueueType::Agent => "AGENT",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "STANDARD" => Some(QueueType::Standard),
            "AGENT" => Some(QueueType::Agent),
            _ => None,
        }
    }
}

/// Whether a queue accepts contacts (the model's `QueueStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueStatus {
    Enabled,
    Disabled,
}

impl QueueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueStatus::Enabled => "ENABLED",
            QueueStatus::Disabled => "DISABLED",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<QueueStatus, DomainError> {
        match s {
            "ENABLED" => Ok(QueueStatus::Enabled),
            "DISABLED" => Ok(QueueStatus::Disabled),
            _ => Err(DomainError::param(
                field,
                format!("{s} is not ENABLED or DISABLED"),
            )),
        }
    }

    /// A status as a store kept it; `None` when it is neither.
    pub fn from_stored(s: &str) -> Option<QueueStatus> {
        QueueStatus::parse("Status", s).ok()
    }
}

/// The outbound caller ID name, number and whisper flow of a queue. The number and
/// the flow name resources roster does not keep (phone numbers, flows), so they are
/// kept as given; an empty one is refused, as the real service refuses it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutboundCaller {
    pub caller_id_name: Option<String>,
    pub caller_id_number_id: Option<String>,
    pub flow_id: Option<String>,
}

impl OutboundCaller {
    /// `field` names the structure (`OutboundCallerConfig`).
    pub fn new(
        field: &str,
        caller_id_name: Option<String>,
        caller_id_number_id: Option<String>,
        flow_id: Option<String>,
    ) -> Result<OutboundCaller, DomainError> {
        for (member, value) in [
            ("OutboundCallerIdName", &caller_id_name),
            ("OutboundCallerIdNumberId", &caller_id_number_id),
            ("OutboundFlowId", &flow_id),
        ] {
            if value.as_deref() == Some("") {
                return Err(DomainError::param(
                    format!("{field}.{member}"),
                    "must not be empty; leave the member out to set none",
                ));
            }
        }
        Ok(OutboundCaller {
            caller_id_name,
            caller_id_number_id,
            flow_id,
        })
    }

    /// Whether no member is set (the queue has no outbound caller settings).
    pub fn is_empty(&self) -> bool {
        self.caller_id_name.is_none()
            && self.caller_id_number_id.is_none()
            && self.flow_id.is_none()
    }
}

/// A standard queue. Agent queues are [`QueueSummary`] entries derived from users.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub hours_of_operation_id: String,
    /// Contacts the queue holds before it is full; `None` for no limit of its own.
    pub max_contacts: Option<i32>,
    pub status: QueueStatus,
    pub outbound_caller: OutboundCaller,
    /// The email address outbound email from the queue is sent from.
    pub outbound_email_address_id: Option<String>,
    pub tags: Tags,
    pub modified: Modified,
}

impl Queue {
    /// A new, enabled standard queue with no limits and no outbound settings.
    pub fn new(
        id: String,
        name: String,
        hours_of_operation_id: String,
        modified: Modified,
    ) -> Queue {
        Queue {
            id,
            name,
            description: None,
            hours_of_operation_id,
            max_contacts: None,
            status: QueueStatus::Enabled,
            outbound_caller: OutboundCaller::default(),
            outbound_email_address_id: None,
            tags: Tags::new(),
            modified,
        }
    }

    /// The `BasicQueue` every new instance has, on the instance's `Basic Hours`.
    pub fn basic(id: String, hours_of_operation_id: String, modified: Modified) -> Queue {
        Queue {
            description: Some(BASIC_QUEUE_DESCRIPTION.to_string()),
            ..Queue::new(id, BASIC_QUEUE.to_string(), hours_of_operation_id, modified)
        }
    }
}

/// A queue as ListQueues shows it: a standard queue, or a user's agent queue (whose id
/// is the user's, and which has no name).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSummary {
    pub id: String,
    pub name: Option<String>,
    pub queue_type: QueueType,
    pub modified: Modified,
}

/// What one of the UpdateQueue* operations changes; the rest of the queue stays.
#[derive(Debug, Clone, PartialEq)]
pub enum QueueChange {
    HoursOfOperation(String),
    /// `None` removes the queue's own limit.
    MaxContacts(Option<i32>),
    /// Name and description: at least one of them.
    Name {
        name: Option<String>,
        description: Option<String>,
    },
    /// Replaces the outbound caller settings as a whole.
    OutboundCaller(OutboundCaller),
    /// Replaces the outbound email address (`None` removes it).
    OutboundEmail(Option<String>),
    Status(QueueStatus),
}

impl QueueChange {
    /// UpdateQueueName's change: `Name`, `Description` or both.
    pub fn name(
        name: Option<String>,
        description: Option<String>,
    ) -> Result<QueueChange, DomainError> {
        if name.is_none() && description.is_none() {
            return Err(DomainError::request(
                "Name, Description",
                "send at least one of them",
            ));
        }
        Ok(QueueChange::Name { name, description })
    }

    /// A capacity: at least 0 (the model's minimum).
    pub fn max_contacts(max: Option<i32>) -> Result<QueueChange, DomainError> {
        Ok(QueueChange::MaxContacts(checked_max_contacts(max)?))
    }

    /// Whether the change gives the queue a name another queue may hold.
    pub fn renames(&self) -> bool {
        matches!(self, QueueChange::Name { name: Some(_), .. })
    }

    /// The hours of operation the change points the queue at, which must exist.
    pub fn hours(&self) -> Option<&str> {
        match self {
            QueueChange::HoursOfOperation(id) => Some(id),
            _ => None,
        }
    }

    /// The change made to `q`, stamped with `modified`.
    pub fn apply(&self, q: &mut Queue, modified: &Modified) {
        match self {
            QueueChange::HoursOfOperation(id) => q.hours_of_operation_id = id.clone(),
            QueueChange::MaxContacts(max) => q.max_contacts = *max,
            QueueChange::Name { name, description } => {
                if let Some(name) = name {
                    q.name = name.clone();
                }
                if let Some(description) = description {
                    q.description = Some(description.clone());
                }
            }
            QueueChange::OutboundCaller(c) => q.outbound_caller = c.clone(),
            QueueChange::OutboundEmail(e) => q.outbound_email_address_id = e.clone(),
            QueueChange::Status(s) => q.status = *s,
        }
        q.modified = modified.clone();
    }
}

/// `MaxContacts` as sent: at least 0.
pub fn checked_max_contacts(max: Option<i32>) -> Result<Option<i32>, DomainError> {
    match max {
        Some(n) if n < 0 => Err(DomainError::param(
            "MaxContacts",
            format!("{n} is below the minimum of 0"),
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    fn m(ms: i64) -> Modified {
        Modified {
            time: Timestamp(ms),
            region: "us-west-2".into(),
        }
    }

    #[test]
    fn the_basic_queue_is_enabled_on_the_hours_given() {
        let q = Queue::basic("q".into(), "h".into(), m(1));
        assert_eq!(q.name, BASIC_QUEUE);
        assert_eq!(q.description.as_deref(), Some(BASIC_QUEUE_DESCRIPTION));
        assert_eq!(q.hours_of_operation_id, "h");
        assert_eq!(q.status, QueueStatus::Enabled);
        assert_eq!(q.max_contacts, None);
        assert!(q.outbound_caller.is_empty());
    }

    #[test]
    fn statuses_and_types_parse_as_the_model_spells_them() {
        assert_eq!(
            QueueStatus::parse("Status", "DISABLED").unwrap(),
            QueueStatus::Disabled
        );
        assert_eq!(
            QueueStatus::from_stored("ENABLED"),
            Some(QueueStatus::Enabled)
        );
        let e = QueueStatus::parse("Status", "enabled").unwrap_err();
        assert_eq!(e.field(), "Status");
        assert_eq!(QueueType::parse("AGENT"), Some(QueueType::Agent));
        assert_eq!(QueueType::parse("agent"), None);
    }

    #[test]
    fn outbound_caller_members_may_be_absent_but_not_empty() {
        let c =
            OutboundCaller::new("OutboundCallerConfig", Some("Sales".into()), None, None).unwrap();
        assert!(!c.is_empty());
        let e = OutboundCaller::new("OutboundCallerConfig", None, None, Some(String::new()))
            .unwrap_err();
        assert_eq!(e.field(), "OutboundCallerConfig.OutboundFlowId");
        let e = OutboundCaller::new("C", None, Some(String::new()), None).unwrap_err();
        assert_eq!(e.field(), "C.OutboundCallerIdNumberId");
    }

    #[test]
    fn each_change_sets_only_its_members() {
        let mut q = Queue::basic("q".into(), "h".into(), m(1));
        QueueChange::name(None, Some("Calls".into()))
            .unwrap()
            .apply(&mut q, &m(2));
        assert_eq!(q.name, BASIC_QUEUE);
        assert_eq!(q.description.as_deref(), Some("Calls"));
        assert_eq!(q.modified, m(2));
        QueueChange::name(Some("Main".into()), None)
            .unwrap()
            .apply(&mut q, &m(3));
        assert_eq!(
            (q.name.as_str(), q.description.as_deref()),
            ("Main", Some("Calls"))
        );
        assert!(matches!(
            QueueChange::name(None, None),
            Err(DomainError::InvalidRequest { .. })
        ));
        QueueChange::max_contacts(Some(0))
            .unwrap()
            .apply(&mut q, &m(4));
        assert_eq!(q.max_contacts, Some(0));
        QueueChange::max_contacts(None)
            .unwrap()
            .apply(&mut q, &m(5));
        assert_eq!(q.max_contacts, None);
        assert_eq!(
            QueueChange::max_contacts(Some(-1)).unwrap_err().field(),
            "MaxContacts"
        );
        let caller =
            OutboundCaller::new("C", Some("Sales".into()), Some("n".into()), None).unwrap();
        QueueChange::OutboundCaller(caller.clone()).apply(&mut q, &m(6));
        assert_eq!(q.outbound_caller, caller);
        // The whole structure is replaced: members not sent are removed.
        let flow_only = OutboundCaller::new("C", None, None, Some("f".into())).unwrap();
        QueueChange::OutboundCaller(flow_only.clone()).apply(&mut q, &m(7));
        assert_eq!(q.outbound_caller, flow_only);
        QueueChange::OutboundEmail(Some("e".into())).apply(&mut q, &m(8));
        assert_eq!(q.outbound_email_address_id.as_deref(), Some("e"));
        QueueChange::Status(QueueStatus::Disabled).apply(&mut q, &m(9));
        assert_eq!(q.status, QueueStatus::Disabled);
        QueueChange::HoursOfOperation("h2".into()).apply(&mut q, &m(10));
        assert_eq!(q.hours_of_operation_id, "h2");
        assert_eq!(q.name, "Main");
        assert!(QueueChange::name(Some("x".into()), None).unwrap().renames());
        assert!(!QueueChange::Status(QueueStatus::Enabled).renames());
    }
}
