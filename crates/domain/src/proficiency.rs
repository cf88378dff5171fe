//! Predefined attributes and the proficiencies users hold in them.

use crate::time::Modified;
use crate::DomainError;

#[derive(Debug, Clone, PartialEq)]
pub struct PredefinedAttribute {
    pub name: String,
    pub values: Vec<String>,
    pub purposes: Vec<String>,
    pub enable_value_validation_on_association: Option<bool>,
    pub modified: Modified,
}

/// A user's level in one value of a predefined attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct UserProficiency {
    pub attribute_name: String,
    pub attribute_value: String,
    /// 1.0 to 5.0.
    pub level: f64,
}

pub const MIN_LEVEL: f64 = 1.0;
pub const MAX_LEVEL: f64 = 5.0;

/// Checks a proficiency level: 1.0 to 5.0.
pub fn validate_level(field: &str, level: f64) -> Result<(), DomainError> {
    if (MIN_LEVEL..=MAX_LEVEL).contains(&level) {
        Ok(())
    } else {
        Err(DomainError::param(field, "must be between 1.0 and 5.0"))
    }
}

/// The values of a predefined attribute: at least one, no repeats.
pub fn validate_values(field: &str, values: &[String]) -> Result<(), DomainError> {
    if values.is_empty() {
        return Err(DomainError::param(field, "must list at least one value"));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(DomainError::param(
                format!("{field}[{i}]"),
                format!("value {v:?} is listed more than once"),
            ));
        }
    }
    Ok(())
}

/// How a change touches a user's proficiencies.
#[derive(Debug, Clone, PartialEq)]
pub enum ProficiencyChange {
    /// Adds proficiencies; one the user already has for the same attribute value is
    /// refused.
    Associate(Vec<UserProficiency>),
    /// Changes the level of proficiencies the user has; the others stay.
    Update(Vec<UserProficiency>),
    /// Removes proficiencies by attribute name and value; absent ones are ignored.
    Disassociate(Vec<(String, String)>),
}

impl ProficiencyChange {
    /// Applies the change to a user's list of proficiencies.
    pub fn apply(&self, list: &mut Vec<UserProficiency>) -> Result<(), DomainError> {
        let mut next = list.clone();
        let same =
            |p: &UserProficiency, n: &str, v: &str| p.attribute_name == n && p.attribute_value == v;
        match self {
            ProficiencyChange::Associate(add) => {
                for (i, p) in add.iter().enumerate() {
                    if next
                        .iter()
                        .any(|q| same(q, &p.attribute_name, &p.attribute_value))
                    {
                        return Err(DomainError::request(
                            format!("UserProficiencies[{i}]"),
                            format!(
                                "the user already has a proficiency in {}={}; use UpdateUserProficiencies to change its level",
                                p.attribute_name, p.attribute_value
                            ),
                        ));
                    }
                    next.push(p.clone());
                }
            }
            ProficiencyChange::Update(changes) => {
                for (i, p) in changes.iter().enumerate() {
                    match next.iter_mut().find(|q| same(q, &p.attribute_name, &p.attribute_value)) {
                        Some(q) => q.level = p.level,
                        None => {
                            return Err(DomainError::request(
                                format!("UserProficiencies[{i}]"),
                                format!(
                                    "the user has no proficiency in {}={}; use AssociateUserProficiencies to add it",
                                    p.attribute_name, p.attribute_value
                                ),
                            ))
                        }
                    }
                }
            }
            ProficiencyChange::Disassociate(remove) => {
                next.retain(|q| !remove.iter().any(|(n, v)| same(q, n, v)));
            }
        }
        *list = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: &str, v: &str, l: f64) -> UserProficiency {
        UserProficiency {
            attribute_name: n.into(),
            attribute_value: v.into(),
            level: l,
        }
    }

    #[test]
    fn associate_update_disassociate() {
        let mut list = vec![];
        ProficiencyChange::Associate(vec![p("Lang", "en", 2.0), p("Lang", "fr", 3.0)])
            .apply(&mut list)
            .unwrap();
        assert!(ProficiencyChange::Associate(vec![p("Lang", "en", 1.0)])
            .apply(&mut list)
            .is_err());
        ProficiencyChange::Update(vec![p("Lang", "en", 4.0)])
            .apply(&mut list)
            .unwrap();
        assert_eq!(list[0].level, 4.0);
        assert_eq!(list[1].level, 3.0);
        assert!(ProficiencyChange::Update(vec![p("Lang", "de", 4.0)])
            .apply(&mut list)
            .is_err());
        ProficiencyChange::Disassociate(vec![
            ("Lang".into(), "fr".into()),
            ("X".into(), "y".into()),
        ])
        .apply(&mut list)
        .unwrap();
        assert_eq!(list, vec![p("Lang", "en", 4.0)]);
        assert!(validate_level("Level", 0.5).is_err());
        assert!(validate_values("Values", &["a".into(), "a".into()]).is_err());
    }
}
