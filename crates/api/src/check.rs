//! The model's constraints (required members, lengths, ranges, enums), checked on
//! every decoded input before an operation runs. Patterns are not checked here: the
//! domain's types parse the values whose patterns matter.

use std::fmt;

use crate::{ApiError, ErrorCode};

pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Where in the input a value sits, e.g. `IdentityInfo.FirstName` or `Tags[dept]`.
#[derive(Debug, Clone, Default)]
pub struct Path(String);

impl Path {
    pub fn root() -> Self {
        Path(String::new())
    }
    pub fn member(&self, name: &str) -> Path {
        if self.0.is_empty() {
            Path(name.to_string())
        } else {
            Path(format!("{}.{name}", self.0))
        }
    }
    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{i}]", self.0))
    }
    pub fn key(&self, k: &str) -> Path {
        Path(format!("{}[{k}]", self.0))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A broken model constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// A required member is absent.
    Missing(String),
    /// A member's value breaks a constraint; the text names the rule.
    Invalid { path: String, rule: String },
}

impl Violation {
    pub fn missing(path: &Path) -> Self {
        Violation::Missing(path.to_string())
    }
    pub fn invalid(path: &Path, rule: impl Into<String>) -> Self {
        Violation::Invalid {
            path: path.to_string(),
            rule: rule.into(),
        }
    }
}

impl From<Violation> for ApiError {
    fn from(v: Violation) -> Self {
        match v {
            Violation::Missing(path) => {
                ApiError::new(ErrorCode::InvalidRequest, format!("{path}: is required"))
            }
            Violation::Invalid { path, rule } => {
                ApiError::new(ErrorCode::InvalidParameter, format!("{path}: {rule}"))
            }
        }
    }
}

pub trait Validate {
    fn validate_at(&self, path: &Path) -> Result<(), Violation>;
    fn validate(&self) -> Result<(), Violation> {
        self.validate_at(&Path::root())
    }
}

/// Length in Unicode code points, as the model counts it.
pub fn str_len(path: &Path, v: &str, min: usize, max: usize) -> Result<(), Violation> {
    let n = v.chars().count();
    if n < min {
        return Err(Violation::invalid(
            path,
            if min == 1 {
                "must not be empty".to_string()
            } else {
                format!("must be at least {min} characters")
            },
        ));
    }
    if n > max {
        return Err(Violation::invalid(
            path,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

pub fn range(path: &Path, v: f64, min: Option<f64>, max: Option<f64>) -> Result<(), Violation> {
    match (min, max) {
        (Some(lo), Some(hi)) if v < lo || v > hi => Err(Violation::invalid(
            path,
            format!("must be between {lo} and {hi}"),
        )),
        (Some(lo), None) if v < lo => {
            Err(Violation::invalid(path, format!("must be at least {lo}")))
        }
        (None, Some(hi)) if v > hi => {
            Err(Violation::invalid(path, format!("must be at most {hi}")))
        }
        _ => Ok(()),
    }
}

pub fn count(path: &Path, n: usize, min: usize, max: usize) -> Result<(), Violation> {
    if n < min {
        return Err(Violation::invalid(
            path,
            format!("must have at least {min} item(s)"),
        ));
    }
    if n > max {
        return Err(Violation::invalid(
            path,
            format!("must have at most {max} items"),
        ));
    }
    Ok(())
}

pub fn one_of(path: &Path, v: &str, allowed: &[&str]) -> Result<(), Violation> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(Violation::invalid(
            path,
            format!("must be one of {}", allowed.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_nested_members() {
        let p = Path::root().member("IdentityInfo").member("FirstName");
        assert_eq!(p.to_string(), "IdentityInfo.FirstName");
        assert_eq!(
            Path::root().member("Tags").key("dept").to_string(),
            "Tags[dept]"
        );
        assert_eq!(Path::root().member("L").index(2).to_string(), "L[2]");
    }

    #[test]
    fn lengths_count_code_points() {
        let p = Path::root().member("N");
        assert!(str_len(&p, "ééé", 1, 3).is_ok());
        assert!(str_len(&p, "éééé", 1, 3).is_err());
        assert!(str_len(&p, "", 1, 3).is_err());
    }

    #[test]
    fn generated_checks_find_missing_and_out_of_range() {
        use crate::generated::{CreateUserRequest, UserPhoneConfig};
        let mut req = CreateUserRequest {
            username: "a".into(),
            security_profile_ids: vec!["x".into()],
            routing_profile_id: "r".into(),
            instance_id: "i".into(),
            ..Default::default()
        };
        assert!(req.validate().is_ok());
        req.phone_config = Some(UserPhoneConfig {
            after_contact_work_time_limit: Some(-1),
            ..Default::default()
        });
        assert_eq!(
            req.validate().unwrap_err(),
            Violation::Invalid {
                path: "PhoneConfig.AfterContactWorkTimeLimit".into(),
                rule: "must be at least 0".into()
            }
        );
        req.phone_config = None;
        assert!(req.validate().is_ok());
    }

    #[test]
    fn sensitive_members_are_redacted_in_debug() {
        let req = crate::generated::CreateUserRequest {
            password: Some("Secret123".into()),
            ..Default::default()
        };
        let shown = format!("{req:?}");
        assert!(!shown.contains("Secret123"), "{shown}");
        assert!(shown.contains(REDACTED));
    }
}
