//! The SearchUsers query language as a typed tree, its limits, and a reference
//! evaluator over one user's facts (the stores compile the same tree to SQL; the
//! evaluator pins the meaning and checks them in tests).

use crate::proficiency::UserProficiency;
use crate::DomainError;

/// The deepest nesting of `OrConditions`/`AndConditions` accepted.
pub const MAX_DEPTH: usize = 10;
/// Tag conditions per request, over the filter and the criteria.
pub const MAX_TAG_CONDITIONS: usize = 25;
/// Hierarchy group conditions per request.
pub const MAX_HIERARCHY_CONDITIONS: usize = 20;
/// `CONTAINS` values are 2 to 25 characters.
pub const CONTAINS_MIN: usize = 2;
pub const CONTAINS_MAX: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringField {
    Username,
    FirstName,
    LastName,
    RoutingProfileId,
    SecurityProfileId,
    ResourceId,
}

impl StringField {
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        Ok(match s {
            "Username" => StringField::Username,
            "FirstName" => StringField::FirstName,
            "LastName" => StringField::LastName,
            "RoutingProfileId" => StringField::RoutingProfileId,
            "SecurityProfileId" => StringField::SecurityProfileId,
            "ResourceId" => StringField::ResourceId,
            other => {
                return Err(DomainError::param(
                    field,
                    format!(
                        "{other:?} is not a searchable field; use Username, FirstName, LastName, RoutingProfileId, SecurityProfileId or ResourceId"
                    ),
                ))
            }
        })
    }

    /// Names compare without regard to case; ids compare exactly.
    pub fn case_insensitive(self) -> bool {
        matches!(
            self,
            StringField::Username | StringField::FirstName | StringField::LastName
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Exact,
    StartsWith,
    Contains,
}

impl Comparison {
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        match s {
            "EXACT" => Ok(Comparison::Exact),
            "STARTS_WITH" => Ok(Comparison::StartsWith),
            "CONTAINS" => Ok(Comparison::Contains),
            _ => Err(DomainError::param(
                field,
                "must be one of EXACT, STARTS_WITH, CONTAINS",
            )),
        }
    }

    /// Whether `haystack` satisfies this comparison with `needle` (both already
    /// lowered when the field is case-insensitive).
    pub fn holds(self, haystack: &str, needle: &str) -> bool {
        match self {
            Comparison::Exact => haystack == needle,
            Comparison::StartsWith => haystack.starts_with(needle),
            Comparison::Contains => haystack.contains(needle),
        }
    }
}

/// A string comparison whose value already obeys its limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringMatch {
    pub comparison: Comparison,
    /// Lowered when the field is case-insensitive.
    pub value: String,
}

impl StringMatch {
    pub fn new(
        field: &str,
        comparison: Comparison,
        value: &str,
        case_insensitive: bool,
    ) -> Result<Self, DomainError> {
        if comparison == Comparison::Contains {
            let n = value.chars().count();
            if !(CONTAINS_MIN..=CONTAINS_MAX).contains(&n) {
                return Err(DomainError::param(
                    field,
                    format!("CONTAINS values must be {CONTAINS_MIN}-{CONTAINS_MAX} characters"),
                ));
            }
        }
        let value = if case_insensitive {
            value.to_lowercase()
        } else {
            value.to_string()
        };
        Ok(StringMatch { comparison, value })
    }

    pub fn holds(&self, haystack: &str) -> bool {
        self.comparison.holds(haystack, &self.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HierarchyMatch {
    /// Users in the group itself.
    Exact,
    /// Users in the group or in any group below it.
    WithChildGroups,
}

/// A comparison on a proficiency's level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LevelCondition {
    GreaterOrEqual(f64),
    Greater(f64),
    LesserOrEqual(f64),
    Lesser(f64),
    Equal(f64),
    NotEqual(f64),
    Range(f64, f64),
}

impl LevelCondition {
    pub fn holds(self, level: f64) -> bool {
        match self {
            LevelCondition::GreaterOrEqual(v) => level >= v,
            LevelCondition::Greater(v) => level > v,
            LevelCondition::LesserOrEqual(v) => level <= v,
            LevelCondition::Lesser(v) => level < v,
            LevelCondition::Equal(v) => level == v,
            LevelCondition::NotEqual(v) => level != v,
            LevelCondition::Range(lo, hi) => lo <= level && level <= hi,
        }
    }
}

/// One condition on a single proficiency.
#[derive(Debug, Clone, PartialEq)]
pub enum ProficiencyCondition {
    AttributeName(StringMatch),
    AttributeValue(StringMatch),
    Level(LevelCondition),
}

impl ProficiencyCondition {
    pub fn holds(&self, p: &UserProficiency) -> bool {
        match self {
            ProficiencyCondition::AttributeName(m) => m.holds(&p.attribute_name),
            ProficiencyCondition::AttributeValue(m) => m.holds(&p.attribute_value),
            ProficiencyCondition::Level(l) => l.holds(p.level),
        }
    }
}

/// A search condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Matches every user.
    All,
    And(Vec<Condition>),
    Or(Vec<Condition>),
    String {
        field: StringField,
        matcher: StringMatch,
    },
    Hierarchy {
        group_id: String,
        matching: HierarchyMatch,
    },
    /// Every condition holds for one and the same proficiency of the user.
    Proficiency(Vec<ProficiencyCondition>),
    /// The user has the tag key, with this value when one is given.
    Tag {
        key: String,
        value: Option<String>,
    },
}

/// Whether `tags` carry `key`, with `value` when one is given: the meaning of a tag
/// condition in every search.
pub fn tag_holds(tags: &crate::tags::Tags, key: &str, value: Option<&str>) -> bool {
    match (tags.get(key), value) {
        (Some(_), None) => true,
        (Some(v), Some(want)) => v == want,
        (None, _) => false,
    }
}

/// What a condition is evaluated against: one user's searchable facts.
#[derive(Debug, Clone, Default)]
pub struct UserFacts<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub routing_profile_id: &'a str,
    pub security_profile_ids: &'a [String],
    /// The user's group and its ancestors' ids, top down; empty when in no group.
    pub hierarchy_path: &'a [String],
    pub tags: Option<&'a crate::tags::Tags>,
    pub proficiencies: &'a [UserProficiency],
}

impl Condition {
    /// The reference meaning of the query language.
    pub fn matches(&self, u: &UserFacts<'_>) -> bool {
        match self {
            Condition::All => true,
            Condition::And(cs) => cs.iter().all(|c| c.matches(u)),
            Condition::Or(cs) => cs.iter().any(|c| c.matches(u)),
            Condition::String { field, matcher } => {
                let lower = |s: &str| s.to_lowercase();
                match field {
                    StringField::Username => matcher.holds(&lower(u.username)),
                    StringField::FirstName => {
                        u.first_name.is_some_and(|v| matcher.holds(&lower(v)))
                    }
                    StringField::LastName => u.last_name.is_some_and(|v| matcher.holds(&lower(v))),
                    StringField::RoutingProfileId => matcher.holds(u.routing_profile_id),
                    StringField::SecurityProfileId => {
                        u.security_profile_ids.iter().any(|s| matcher.holds(s))
                    }
                    StringField::ResourceId => matcher.holds(u.id),
                }
            }
            Condition::Hierarchy { group_id, matching } => match matching {
                HierarchyMatch::Exact => u.hierarchy_path.last() == Some(group_id),
                HierarchyMatch::WithChildGroups => u.hierarchy_path.contains(group_id),
            },
            Condition::Proficiency(conds) => u
                .proficiencies
                .iter()
                .any(|p| conds.iter().all(|c| c.holds(p))),
            Condition::Tag { key, value } => {
                u.tags.is_some_and(|t| tag_holds(t, key, value.as_deref()))
            }
        }
    }

    /// Joins two conditions with AND, dropping `All`.
    pub fn and(self, other: Condition) -> Condition {
        match (self, other) {
            (Condition::All, c) | (c, Condition::All) => c,
            (a, b) => Condition::And(vec![a, b]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prof(name: &str, value: &str, level: f64) -> UserProficiency {
        UserProficiency {
            attribute_name: name.into(),
            attribute_value: value.into(),
            level,
        }
    }

    #[test]
    fn proficiency_conditions_hold_for_one_proficiency() {
        let profs = vec![
            prof("Language", "English", 2.0),
            prof("Skill", "Billing", 5.0),
        ];
        let u = UserFacts {
            proficiencies: &profs,
            ..Default::default()
        };
        let same = Condition::Proficiency(vec![
            ProficiencyCondition::AttributeName(
                StringMatch::new("f", Comparison::Exact, "Language", false).unwrap(),
            ),
            ProficiencyCondition::Level(LevelCondition::GreaterOrEqual(2.0)),
        ]);
        assert!(same.matches(&u));
        // Language at level >= 4 holds only across two different proficiencies.
        let across = Condition::Proficiency(vec![
            ProficiencyCondition::AttributeName(
                StringMatch::new("f", Comparison::Exact, "Language", false).unwrap(),
            ),
            ProficiencyCondition::Level(LevelCondition::GreaterOrEqual(4.0)),
        ]);
        assert!(!across.matches(&u));
    }

    #[test]
    fn strings_hierarchy_and_tags() {
        let path = vec!["top".to_string(), "mid".to_string()];
        let mut tags = crate::tags::Tags::new();
        tags.insert("dept".into(), "sales".into());
        let u = UserFacts {
            id: "u1",
            username: "Alice.Smith",
            first_name: Some("Alice"),
            hierarchy_path: &path,
            tags: Some(&tags),
            ..Default::default()
        };
        let s = |f, c, v: &str| Condition::String {
            field: f,
            matcher: StringMatch::new("x", c, v, true).unwrap(),
        };
        assert!(s(StringField::Username, Comparison::StartsWith, "ALICE").matches(&u));
        assert!(s(StringField::Username, Comparison::Contains, "e.sm").matches(&u));
        assert!(!s(StringField::LastName, Comparison::Contains, "sm").matches(&u));
        let h = |g: &str, m| Condition::Hierarchy {
            group_id: g.into(),
            matching: m,
        };
        assert!(h("mid", HierarchyMatch::Exact).matches(&u));
        assert!(!h("top", HierarchyMatch::Exact).matches(&u));
        assert!(h("top", HierarchyMatch::WithChildGroups).matches(&u));
        assert!(Condition::Tag {
            key: "dept".into(),
            value: Some("sales".into())
        }
        .matches(&u));
        assert!(Condition::Tag {
            key: "dept".into(),
            value: None
        }
        .matches(&u));
        assert!(!Condition::Tag {
            key: "dept".into(),
            value: Some("x".into())
        }
        .matches(&u));
    }

    #[test]
    fn contains_limits() {
        assert!(StringMatch::new("f", Comparison::Contains, "a", true).is_err());
        assert!(StringMatch::new("f", Comparison::Contains, &"a".repeat(26), true).is_err());
        assert!(StringMatch::new("f", Comparison::Exact, "a", true).is_ok());
    }

    #[test]
    fn levels() {
        assert!(LevelCondition::Range(2.0, 3.0).holds(3.0));
        assert!(!LevelCondition::Range(2.0, 3.0).holds(3.5));
        assert!(LevelCondition::NotEqual(2.0).holds(3.0));
        assert!(LevelCondition::Lesser(2.0).holds(1.0));
    }
}
