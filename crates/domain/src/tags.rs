//! Resource tags and their rules.

use std::collections::BTreeMap;

use crate::DomainError;

pub type Tags = BTreeMap<String, String>;

pub const MAX_TAGS: usize = 50;

/// A tag key: 1–128 characters of letters, digits, spaces and `_ . : / = + - @`,
/// not starting with `aws:`.
pub fn validate_key(field: &str, key: &str) -> Result<(), DomainError> {
    let n = key.chars().count();
    if !(1..=128).contains(&n) {
        return Err(DomainError::param(
            field,
            "tag keys must be 1-128 characters",
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(DomainError::param(
            field,
            "tag keys must not start with \"aws:\"",
        ));
    }
    if !key.chars().all(allowed_char) {
        return Err(DomainError::param(
            field,
            "tag keys may contain only letters, digits, spaces and _ . : / = + - @",
        ));
    }
    Ok(())
}

/// A tag value: at most 256 characters.
pub fn validate_value(field: &str, value: &str) -> Result<(), DomainError> {
    if value.chars().count() > 256 {
        return Err(DomainError::param(
            field,
            "tag values must be at most 256 characters",
        ));
    }
    Ok(())
}

fn allowed_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

/// Checks a whole tag map as sent in a request member named `field`.
pub fn validate_tags(field: &str, tags: &Tags) -> Result<(), DomainError> {
    if tags.len() > MAX_TAGS {
        return Err(DomainError::param(
            field,
            format!("must have at most {MAX_TAGS} tags"),
        ));
    }
    for (k, v) in tags {
        validate_key(&format!("{field}[{k}]"), k)?;
        validate_value(&format!("{field}[{k}]"), v)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        assert!(validate_key("k", "dept").is_ok());
        assert!(validate_key("k", "a b_c.d:e/f=g+h-i@j").is_ok());
        assert!(validate_key("k", "aws:x").is_err());
        assert!(validate_key("k", "").is_err());
        assert!(validate_key("k", &"k".repeat(129)).is_err());
        assert!(validate_key("k", "a*b").is_err());
        assert!(validate_value("v", &"v".repeat(256)).is_ok());
        assert!(validate_value("v", &"v".repeat(257)).is_err());
        let many: Tags = (0..51)
            .map(|i| (format!("k{i}"), "v".to_string()))
            .collect();
        assert!(validate_tags("Tags", &many).is_err());
    }
}
