//! Quick connects: named transfer destinations (a user, a queue, a phone number or a
//! flow) that agents pick from when they transfer a contact, and the queues that offer
//! them.

use crate::channel::validate_e164;
use crate::tags::Tags;
use crate::time::Modified;
use crate::DomainError;

/// Quick connects an instance may hold: the real service's default quota ("Quick
/// connects per instance").
pub const MAX_PER_INSTANCE: u64 = 100;
/// Quick connect ids one Associate/DisassociateQueueQuickConnects call may name (the
/// model's `QuickConnectsList` maximum).
pub const MAX_IDS_PER_CALL: usize = 50;
/// The longest contact flow id the model allows.
pub const MAX_CONTACT_FLOW_ID: usize = 500;

/// The model's `QuickConnectType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuickConnectType {
    User,
    Queue,
    PhoneNumber,
    Flow,
}

impl QuickConnectType {
    pub const ALL: [QuickConnectType; 4] = [
        QuickConnectType::User,
        QuickConnectType::Queue,
        QuickConnectType::PhoneNumber,
        QuickConnectType::Flow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuickConnectType::User => "USER",
            QuickConnectType::Queue => "QUEUE",
            QuickConnectType::PhoneNumber => "PHONE_NUMBER",
            QuickConnectType::Flow => "FLOW",
        }
    }

    /// The member of `QuickConnectConfig` that carries this type's settings.
    pub fn config_member(self) -> &'static str {
        match self {
            QuickConnectType::User => "UserConfig",
            QuickConnectType::Queue => "QueueConfig",
            QuickConnectType::PhoneNumber => "PhoneConfig",
            QuickConnectType::Flow => "FlowConfig",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<QuickConnectType, DomainError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                DomainError::param(
                    field,
                    format!("{s} is not a quick connect type (USER, QUEUE, PHONE_NUMBER, FLOW)"),
                )
            })
    }
}

/// The id of a contact flow. roster keeps no contact flows, so any id of the model's
/// form is taken as it is: not empty, at most [`MAX_CONTACT_FLOW_ID`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactFlowId(String);

impl ContactFlowId {
    pub fn parse(field: &str, id: &str) -> Result<ContactFlowId, DomainError> {
        if id.is_empty() {
            return Err(DomainError::param(field, "must not be empty"));
        }
        if id.chars().count() > MAX_CONTACT_FLOW_ID {
            return Err(DomainError::param(
                field,
                format!("must be at most {MAX_CONTACT_FLOW_ID} characters"),
            ));
        }
        Ok(ContactFlowId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a quick connect transfers to: exactly one destination, of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A user of the instance, through a flow of type Transfer to Agent.
    User {
        user_id: String,
        contact_flow_id: ContactFlowId,
    },
    /// A standard queue of the instance, through a flow of type Transfer to Queue.
    Queue {
        queue_id: String,
        contact_flow_id: ContactFlowId,
    },
    /// A phone number in E.164 format.
    PhoneNumber { phone_number: String },
    /// A flow.
    Flow { contact_flow_id: ContactFlowId },
}

/// The members of a `QuickConnectConfig` as sent, before they are checked together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigParts<'a> {
    /// `UserConfig`: `(UserId, ContactFlowId)`.
    pub user: Option<(&'a str, &'a str)>,
    /// `QueueConfig`: `(QueueId, ContactFlowId)`.
    pub queue: Option<(&'a str, &'a str)>,
    /// `PhoneConfig.PhoneNumber`.
    pub phone: Option<&'a str>,
    /// `FlowConfig.ContactFlowId`.
    pub flow: Option<&'a str>,
}

impl Destination {
    /// A `QuickConnectConfig` (named `field`) as a destination: the member of its type
    /// is required, the members of other types are refused, and each value keeps its
    /// rule (ids not empty, the phone number in E.164).
    pub fn parse(
        field: &str,
        quick_connect_type: &str,
        parts: ConfigParts<'_>,
    ) -> Result<Destination, DomainError> {
        let kind =
            QuickConnectType::parse(&format!("{field}.QuickConnectType"), quick_connect_type)?;
        let present = [
            (QuickConnectType::User, parts.user.is_some()),
            (QuickConnectType::Queue, parts.queue.is_some()),
            (QuickConnectType::PhoneNumber, parts.phone.is_some()),
            (QuickConnectType::Flow, parts.flow.is_some()),
        ];
        if let Some((other, _)) = present.iter().find(|(t, set)| *set && *t != kind) {
            return Err(DomainError::param(
                format!("{field}.{}", other.config_member()),
                format!(
                    "must not be set when QuickConnectType is {}; send only {}",
                    kind.as_str(),
                    kind.config_member()
                ),
            ));
        }
        let member = format!("{field}.{}", kind.config_member());
        let missing = || {
            DomainError::request(
                &member,
                format!("is required when QuickConnectType is {}", kind.as_str()),
            )
        };
        let id = |name: &str, value: &str| -> Result<String, DomainError> {
            if value.is_empty() {
                Err(DomainError::param(
                    format!("{member}.{name}"),
                    "must not be empty",
                ))
            } else {
                Ok(value.to_string())
            }
        };
        let flow = |value: &str| ContactFlowId::parse(&format!("{member}.ContactFlowId"), value);
        Ok(match kind {
            QuickConnectType::User => {
                let (user, f) = parts.user.ok_or_else(missing)?;
                Destination::User {
                    user_id: id("UserId", user)?,
                    contact_flow_id: flow(f)?,
                }
            }
            QuickConnectType::Queue => {
                let (queue, f) = parts.queue.ok_or_else(missing)?;
                Destination::Queue {
                    queue_id: id("QueueId", queue)?,
                    contact_flow_id: flow(f)?,
                }
            }
            QuickConnectType::PhoneNumber => {
                let number = parts.phone.ok_or_else(missing)?;
                validate_e164(&format!("{member}.PhoneNumber"), number)?;
                Destination::PhoneNumber {
                    phone_number: number.to_string(),
                }
            }
            QuickConnectType::Flow => Destination::Flow {
                contact_flow_id: flow(parts.flow.ok_or_else(missing)?)?,
            },
        })
    }

    pub fn kind(&self) -> QuickConnectType {
        match self {
            Destination::User { .. } => QuickConnectType::User,
            Destination::Queue { .. } => QuickConnectType::Queue,
            Destination::PhoneNumber { .. } => QuickConnectType::PhoneNumber,
            Destination::Flow { .. } => QuickConnectType::Flow,
        }
    }

    /// The user, for a USER quick connect.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Destination::User { user_id, .. } => Some(user_id),
            _ => None,
        }
    }

    /// The queue, for a QUEUE quick connect.
    pub fn queue_id(&self) -> Option<&str> {
        match self {
            Destination::Queue { queue_id, .. } => Some(queue_id),
            _ => None,
        }
    }

    pub fn contact_flow_id(&self) -> Option<&str> {
        match self {
            Destination::User {
                contact_flow_id, ..
            }
            | Destination::Queue {
                contact_flow_id, ..
            }
            | Destination::Flow { contact_flow_id } => Some(contact_flow_id.as_str()),
            Destination::PhoneNumber { .. } => None,
        }
    }

    pub fn phone_number(&self) -> Option<&str> {
        match self {
            Destination::PhoneNumber { phone_number } => Some(phone_number),
            _ => None,
        }
    }

    /// From a store's columns; `None` for a combination no constructor makes.
    pub fn from_stored(
        kind: &str,
        user_id: Option<String>,
        queue_id: Option<String>,
        contact_flow_id: Option<String>,
        phone_number: Option<String>,
    ) -> Option<Destination> {
        let kind = QuickConnectType::ALL
            .into_iter()
            .find(|t| t.as_str() == kind)?;
        let flow = |f: Option<String>| {
            f.filter(|f| !f.is_empty() && f.chars().count() <= MAX_CONTACT_FLOW_ID)
                .map(ContactFlowId)
        };
        let d = match (kind, user_id, queue_id, phone_number) {
            (QuickConnectType::User, Some(user_id), None, None) if !user_id.is_empty() => {
                Destination::User {
                    user_id,
                    contact_flow_id: flow(contact_flow_id)?,
                }
            }
            (QuickConnectType::Queue, None, Some(queue_id), None) if !queue_id.is_empty() => {
                Destination::Queue {
                    queue_id,
                    contact_flow_id: flow(contact_flow_id)?,
                }
            }
            (QuickConnectType::PhoneNumber, None, None, Some(phone_number))
                if contact_flow_id.is_none() =>
            {
                validate_e164("PhoneNumber", &phone_number).ok()?;
                Destination::PhoneNumber { phone_number }
            }
            (QuickConnectType::Flow, None, None, None) => Destination::Flow {
                contact_flow_id: flow(contact_flow_id)?,
            },
            _ => return None,
        };
        Some(d)
    }
}

/// A quick connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickConnect {
    pub id: String,
    /// Unique in the instance, compared exactly.
    pub name: String,
    pub description: Option<String>,
    pub destination: Destination,
    pub tags: Tags,
    pub modified: Modified,
}

/// A change to a stored quick connect: what UpdateQuickConnectName and
/// UpdateQuickConnectConfig send. Members not set stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickConnectChange {
    pub name: Option<String>,
    /// `Some(None)` removes the description.
    pub description: Option<Option<String>>,
    pub destination: Option<Destination>,
}

impl QuickConnectChange {
    /// Applies the change and stamps the quick connect with `modified`.
    pub fn apply(&self, q: &mut QuickConnect, modified: &Modified) {
        if let Some(name) = &self.name {
            q.name = name.clone();
        }
        if let Some(description) = &self.description {
            q.description = description.clone();
        }
        if let Some(destination) = &self.destination {
            q.destination = destination.clone();
        }
        q.modified = modified.clone();
    }
}

/// Quick connect ids one queue call names (`QuickConnectIds`): one to
/// [`MAX_IDS_PER_CALL`], none empty, none twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickConnectIds(Vec<String>);

impl QuickConnectIds {
    pub fn parse(field: &str, ids: &[String]) -> Result<QuickConnectIds, DomainError> {
        if ids.is_empty() || ids.len() > MAX_IDS_PER_CALL {
            return Err(DomainError::param(
                field,
                format!("must name 1 to {MAX_IDS_PER_CALL} quick connects"),
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() {
                return Err(DomainError::param(
                    format!("{field}[{i}]"),
                    "must not be empty",
                ));
            }
            if ids[..i].contains(id) {
                return Err(DomainError::param(
                    format!("{field}[{i}]"),
                    format!("{id} is listed more than once"),
                ));
            }
        }
        Ok(QuickConnectIds(ids.to_vec()))
    }

    pub fn ids(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> ConfigParts<'static> {
        ConfigParts::default()
    }

    #[test]
    fn each_type_takes_its_own_member() {
        let d = Destination::parse(
            "C",
            "USER",
            ConfigParts {
                user: Some(("u-1", "f-1")),
                ..parts()
            },
        )
        .unwrap();
        assert_eq!(d.kind(), QuickConnectType::User);
        assert_eq!(d.user_id(), Some("u-1"));
        assert_eq!(d.contact_flow_id(), Some("f-1"));
        let d = Destination::parse(
            "C",
            "PHONE_NUMBER",
            ConfigParts {
                phone: Some("+12065550100"),
                ..parts()
            },
        )
        .unwrap();
        assert_eq!(d.phone_number(), Some("+12065550100"));
        assert_eq!(d.contact_flow_id(), None);
        let d = Destination::parse(
            "C",
            "FLOW",
            ConfigParts {
                flow: Some("f-2"),
                ..parts()
            },
        )
        .unwrap();
        assert_eq!(
            d,
            Destination::Flow {
                contact_flow_id: ContactFlowId("f-2".into())
            }
        );
    }

    #[test]
    fn a_missing_or_foreign_member_is_refused_by_name() {
        let e = Destination::parse("C", "QUEUE", parts()).unwrap_err();
        assert!(matches!(e, DomainError::InvalidRequest { .. }), "{e}");
        assert!(e.to_string().contains("C.QueueConfig"), "{e}");
        let e = Destination::parse(
            "C",
            "QUEUE",
            ConfigParts {
                queue: Some(("q", "f")),
                phone: Some("+12065550100"),
                ..parts()
            },
        )
        .unwrap_err();
        assert!(matches!(e, DomainError::InvalidParameter { .. }), "{e}");
        assert!(e.to_string().contains("C.PhoneConfig"), "{e}");
        let e = Destination::parse("C", "AGENT", parts()).unwrap_err();
        assert!(e.to_string().contains("C.QuickConnectType"), "{e}");
    }

    #[test]
    fn values_keep_their_rules() {
        for bad in [
            "12065550100",
            "+0123",
            "+1",
            "+1234567890123456",
            "+1206 555",
        ] {
            let e = Destination::parse(
                "C",
                "PHONE_NUMBER",
                ConfigParts {
                    phone: Some(bad),
                    ..parts()
                },
            )
            .unwrap_err();
            assert!(
                e.to_string().contains("C.PhoneConfig.PhoneNumber"),
                "{bad}: {e}"
            );
        }
        let long = "f".repeat(501);
        let e = Destination::parse(
            "C",
            "USER",
            ConfigParts {
                user: Some(("u", &long)),
                ..parts()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("C.UserConfig.ContactFlowId"), "{e}");
        let e = Destination::parse(
            "C",
            "USER",
            ConfigParts {
                user: Some(("", "f")),
                ..parts()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("C.UserConfig.UserId"), "{e}");
        let ok = "f".repeat(500);
        assert!(Destination::parse(
            "C",
            "FLOW",
            ConfigParts {
                flow: Some(&ok),
                ..parts()
            }
        )
        .is_ok());
    }

    #[test]
    fn stored_destinations_round_trip_and_odd_rows_are_refused() {
        let all = [
            Destination::User {
                user_id: "u".into(),
                contact_flow_id: ContactFlowId("f".into()),
            },
            Destination::Queue {
                queue_id: "q".into(),
                contact_flow_id: ContactFlowId("f".into()),
            },
            Destination::PhoneNumber {
                phone_number: "+4930123456".into(),
            },
            Destination::Flow {
                contact_flow_id: ContactFlowId("f".into()),
            },
        ];
        let s = |v: Option<&str>| v.map(str::to_string);
        for d in all {
            let back = Destination::from_stored(
                d.kind().as_str(),
                s(d.user_id()),
                s(d.queue_id()),
                s(d.contact_flow_id()),
                s(d.phone_number()),
            );
            assert_eq!(back, Some(d));
        }
        assert_eq!(
            Destination::from_stored("USER", None, None, s(Some("f")), None),
            None
        );
        assert_eq!(
            Destination::from_stored("QUEUE", s(Some("u")), s(Some("q")), s(Some("f")), None),
            None
        );
        assert_eq!(
            Destination::from_stored("PHONE_NUMBER", None, None, None, s(Some("555"))),
            None
        );
        assert_eq!(
            Destination::from_stored("AGENT", None, None, s(Some("f")), None),
            None
        );
    }

    #[test]
    fn id_lists_hold_one_to_fifty_distinct_ids() {
        let ids = |n: usize| (0..n).map(|i| format!("q-{i}")).collect::<Vec<_>>();
        assert!(QuickConnectIds::parse("Ids", &ids(1)).is_ok());
        assert!(QuickConnectIds::parse("Ids", &ids(50)).is_ok());
        assert!(QuickConnectIds::parse("Ids", &ids(0)).is_err());
        assert!(QuickConnectIds::parse("Ids", &ids(51)).is_err());
        let e = QuickConnectIds::parse("Ids", &["a".into(), "b".into(), "a".into()]).unwrap_err();
        assert!(e.to_string().contains("Ids[2]"), "{e}");
    }

    #[test]
    fn changes_replace_what_they_carry_and_stamp() {
        let mut q = QuickConnect {
            id: "qc".into(),
            name: "A".into(),
            description: Some("d".into()),
            destination: Destination::PhoneNumber {
                phone_number: "+12065550100".into(),
            },
            tags: Tags::new(),
            modified: Modified {
                time: crate::Timestamp(1),
                region: "us-east-1".into(),
            },
        };
        let later = Modified {
            time: crate::Timestamp(2),
            region: "eu-west-1".into(),
        };
        QuickConnectChange {
            description: Some(None),
            ..Default::default()
        }
        .apply(&mut q, &later);
        assert_eq!(q.name, "A");
        assert_eq!(q.description, None);
        assert_eq!(q.modified, later);
    }
}
