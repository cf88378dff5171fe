//! The searches of the resources around users (SearchQueues, SearchRoutingProfiles,
//! SearchUserHierarchyGroups, …): one condition tree over a kind's documented string
//! fields and its tags, with SearchUsers' string comparisons ([`StringMatch`]) and tag
//! meaning ([`tag_holds`]), evaluated over each resource's facts.

use crate::search::{tag_holds, StringMatch};
use crate::tags::Tags;
use crate::DomainError;

/// A string field a kind's search criteria may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The name clients send in `StringCondition.FieldName` (`name`, `resourceID`, …).
    pub name: &'static str,
    /// Names and descriptions compare without regard to case; ids exactly.
    pub case_insensitive: bool,
}

impl Field {
    pub const fn text(name: &'static str) -> Field {
        Field {
            name,
            case_insensitive: true,
        }
    }
    pub const fn id(name: &'static str) -> Field {
        Field {
            name,
            case_insensitive: false,
        }
    }
}

/// The fields of one kind of resource, in the order its documentation lists them.
#[derive(Debug, Clone, Copy)]
pub struct Fields(pub &'static [Field]);

impl Fields {
    /// The field a client named; an unknown name is a bad parameter that lists the
    /// supported ones.
    pub fn parse(&self, member: &str, name: &str) -> Result<Field, DomainError> {
        self.0
            .iter()
            .find(|f| f.name == name)
            .copied()
            .ok_or_else(|| {
                let names: Vec<&str> = self.0.iter().map(|f| f.name).collect();
                DomainError::param(
                    member,
                    format!(
                        "{name:?} is not a searchable field; use one of {}",
                        names.join(", ")
                    ),
                )
            })
    }
}

/// A search condition over resources of one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// Matches every resource.
    All,
    And(Vec<Query>),
    Or(Vec<Query>),
    String {
        field: Field,
        matcher: StringMatch,
    },
    Tag {
        key: String,
        value: Option<String>,
    },
}

/// What a query is evaluated against: one resource's searchable facts.
pub trait Facts {
    /// The values of a field (several for a list such as `associatedQueueIds`, none
    /// when unset).
    fn values(&self, field: &str) -> Vec<&str>;
    fn tags(&self) -> &Tags;
}

impl<T: Facts> Facts for &T {
    fn values(&self, field: &str) -> Vec<&str> {
        (**self).values(field)
    }
    fn tags(&self) -> &Tags {
        (**self).tags()
    }
}

impl Query {
    pub fn matches(&self, r: &impl Facts) -> bool {
        match self {
            Query::All => true,
            Query::And(qs) => qs.iter().all(|q| q.matches(r)),
            Query::Or(qs) => qs.iter().any(|q| q.matches(r)),
            Query::String { field, matcher } => r.values(field.name).into_iter().any(|v| {
                if field.case_insensitive {
                    matcher.holds(&v.to_lowercase())
                } else {
                    matcher.holds(v)
                }
            }),
            Query::Tag { key, value } => tag_holds(r.tags(), key, value.as_deref()),
        }
    }

    /// Joins two queries with AND, dropping `All`.
    pub fn and(self, other: Query) -> Query {
        match (self, other) {
            (Query::All, q) | (q, Query::All) => q,
            (a, b) => Query::And(vec![a, b]),
        }
    }
}

/// SearchUserHierarchyGroups' fields.
pub const HIERARCHY_GROUP_FIELDS: Fields = Fields(&[
    Field::text("name"),
    Field::id("parentId"),
    Field::id("levelId"),
    Field::id("resourceID"),
]);

impl Facts for crate::hierarchy::HierarchyGroup {
    fn values(&self, field: &str) -> Vec<&str> {
        match field {
            "name" => vec![self.name.as_str()],
            "parentId" => self.parent_id().into_iter().collect(),
            "levelId" => vec![LEVEL_IDS[self.level() - 1]],
            "resourceID" => vec![self.id.as_str()],
            _ => vec![],
        }
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// A hierarchy level's id is its number (see `hierarchy`).
const LEVEL_IDS: [&str; 5] = ["1", "2", "3", "4", "5"];

/// SearchRoutingProfiles' fields.
pub const ROUTING_PROFILE_FIELDS: Fields = Fields(&[
    Field::id("associatedQueueIds"),
    Field::text("name"),
    Field::text("description"),
    Field::id("resourceID"),
]);

/// The fields most kinds share: `name`, `description` (when set) and `resourceID`.
fn common<'a>(
    field: &str,
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
) -> Vec<&'a str> {
    match field {
        "name" => vec![name],
        "description" => description.into_iter().collect(),
        "resourceID" => vec![id],
        _ => vec![],
    }
}

impl Facts for crate::entities::RoutingProfile {
    fn values(&self, field: &str) -> Vec<&str> {
        match field {
            "associatedQueueIds" => self.queues.iter().map(|q| q.queue_id.as_str()).collect(),
            _ => common(field, &self.id, &self.name, Some(&self.description)),
        }
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// SearchHoursOfOperations' fields.
pub const HOURS_OF_OPERATION_FIELDS: Fields = Fields(&[
    Field::text("name"),
    Field::text("description"),
    Field::text("timezone"),
    Field::id("resourceID"),
]);

impl Facts for crate::hours::HoursOfOperation {
    fn values(&self, field: &str) -> Vec<&str> {
        match field {
            "timezone" => vec![self.time_zone.as_str()],
            _ => common(field, &self.id, &self.name, self.description.as_deref()),
        }
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// SearchQueues' fields.
pub const QUEUE_FIELDS: Fields = Fields(&[
    Field::text("name"),
    Field::text("description"),
    Field::id("resourceID"),
]);

impl Facts for crate::queues::Queue {
    fn values(&self, field: &str) -> Vec<&str> {
        common(field, &self.id, &self.name, self.description.as_deref())
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// SearchQuickConnects' fields.
pub const QUICK_CONNECT_FIELDS: Fields = Fields(&[
    Field::text("name"),
    Field::text("description"),
    Field::id("resourceID"),
]);

impl Facts for crate::quick_connect::QuickConnect {
    fn values(&self, field: &str) -> Vec<&str> {
        common(field, &self.id, &self.name, self.description.as_deref())
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// SearchSecurityProfiles' fields: the API reference documents `name` and
/// `description` only.
pub const SECURITY_PROFILE_FIELDS: Fields =
    Fields(&[Field::text("name"), Field::text("description")]);

impl Facts for crate::security::SecurityProfile {
    fn values(&self, field: &str) -> Vec<&str> {
        // Not `resourceID`: SECURITY_PROFILE_FIELDS refuses it before evaluation.
        common(field, &self.id, &self.name, self.description.as_deref())
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Comparison;

    struct Q {
        name: &'static str,
        queues: Vec<&'static str>,
        tags: Tags,
    }

    impl Facts for Q {
        fn values(&self, field: &str) -> Vec<&str> {
            match field {
                "name" => vec![self.name],
                "associatedQueueIds" => self.queues.clone(),
                _ => vec![],
            }
        }
        fn tags(&self) -> &Tags {
            &self.tags
        }
    }

    const FIELDS: Fields = Fields(&[Field::text("name"), Field::id("associatedQueueIds")]);

    fn string(field: &str, c: Comparison, v: &str) -> Query {
        let f = FIELDS.parse("f", field).unwrap();
        Query::String {
            field: f,
            matcher: StringMatch::new("v", c, v, f.case_insensitive).unwrap(),
        }
    }

    #[test]
    fn names_fold_case_ids_do_not_and_lists_match_any_value() {
        let mut tags = Tags::new();
        tags.insert("team".into(), "blue".into());
        let r = Q {
            name: "Sales Queue",
            queues: vec!["q-1", "Q-2"],
            tags,
        };
        assert!(string("name", Comparison::StartsWith, "sales").matches(&r));
        assert!(string("name", Comparison::Contains, "S Q").matches(&r));
        assert!(!string("name", Comparison::Exact, "sales").matches(&r));
        assert!(string("associatedQueueIds", Comparison::Exact, "Q-2").matches(&r));
        assert!(!string("associatedQueueIds", Comparison::Exact, "q-2").matches(&r));
        let tag = |k: &str, v: Option<&str>| Query::Tag {
            key: k.into(),
            value: v.map(str::to_string),
        };
        assert!(tag("team", None).matches(&r));
        assert!(!tag("team", Some("red")).matches(&r));
        let q = Query::Or(vec![
            tag("team", Some("red")),
            string("name", Comparison::Contains, "queue"),
        ]);
        assert!(q.matches(&r));
        assert!(!Query::And(vec![q, tag("x", None)]).matches(&r));
    }

    #[test]
    fn unknown_fields_name_the_supported_ones() {
        let e = FIELDS
            .parse("SearchCriteria.StringCondition.FieldName", "Name")
            .unwrap_err();
        assert!(e.to_string().contains("name, associatedQueueIds"), "{e}");
    }
}
