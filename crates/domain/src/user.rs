//! Users and the rules of their identity, driven by the instance's identity
//! management type.

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::is_nfc;

use crate::channel::{validate_e164, UserConfig};
use crate::instance::IdentityManagementType;
use crate::tags::Tags;
use crate::time::Modified;
use crate::DomainError;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentityInfo {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub secondary_email: Option<String>,
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: Username,
    pub identity: IdentityInfo,
    pub directory_user_id: Option<String>,
    /// An argon2id PHC string; never leaves the service.
    pub password_hash: Option<String>,
    pub security_profile_ids: SecurityProfileIds,
    pub routing_profile_id: String,
    pub hierarchy_group_id: Option<String>,
    pub config: UserConfig,
    pub tags: Tags,
    pub modified: Modified,
}

/// A username that obeys the rules of its instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Characters `[a-zA-Z0-9_-.@]`; `@` only as `local@domain.tld`; at most 20
    /// characters, or 64 on SAML instances.
    pub fn parse(s: &str, idm: IdentityManagementType) -> Result<Self, DomainError> {
        let max = if idm == IdentityManagementType::Saml {
            64
        } else {
            20
        };
        if s.is_empty() {
            return Err(DomainError::param("Username", "must not be empty"));
        }
        if s.chars().count() > max {
            let which = if idm == IdentityManagementType::Saml {
                "SAML".to_string()
            } else {
                idm.as_str().to_string()
            };
            return Err(DomainError::param(
                "Username",
                format!("must be at most {max} characters for instances using {which} identity management"),
            ));
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "_-.@".contains(*c)))
        {
            return Err(DomainError::param(
                "Username",
                format!("may contain only letters, digits and _ - . @ (found {bad:?})"),
            ));
        }
        if s.contains('@') && !email_shaped(s) {
            return Err(DomainError::param(
                "Username",
                "may contain @ only in an email format such as name@example.com",
            ));
        }
        Ok(Username(s.to_string()))
    }

    /// A name read back from the store, which only ever holds parsed names.
    pub fn from_stored(s: String) -> Self {
        Username(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key that makes usernames unique per instance: lowercase.
    pub fn unique_key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// `local@domain.tld` with non-empty parts and one `@`.
fn email_shaped(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty() && labels.len() >= 2 && labels.iter().all(|l| !l.is_empty())
}

fn email_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$")
            .expect("valid email pattern")
    })
}

/// The seed's email pattern: `(?=^.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}`.
pub fn validate_email(field: &str, email: &str) -> Result<(), DomainError> {
    if email.chars().count() > 265 || !email_regex().is_match(email) {
        return Err(DomainError::param(
            field,
            "must be an email address such as name@example.com",
        ));
    }
    Ok(())
}

fn validate_name(field: &str, v: &str, max: usize) -> Result<(), DomainError> {
    if v.chars().count() > max {
        return Err(DomainError::param(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if !is_nfc(v) {
        return Err(DomainError::param(
            field,
            "must be in Unicode Normalization Form C (NFC); decomposed characters and combining marks are not accepted",
        ));
    }
    Ok(())
}

impl IdentityInfo {
    /// Checks every member; `prefix` is the request member holding it (`IdentityInfo`).
    pub fn validate(&self, prefix: &str, idm: IdentityManagementType) -> Result<(), DomainError> {
        let f = |m: &str| format!("{prefix}.{m}");
        let names_required = matches!(
            idm,
            IdentityManagementType::ConnectManaged | IdentityManagementType::Saml
        );
        for (member, value, max) in [
            ("FirstName", &self.first_name, 255),
            ("LastName", &self.last_name, 300),
        ] {
            match value {
                Some(v) if !(names_required && v.trim().is_empty()) => {
                    validate_name(&f(member), v, max)?
                }
                _ if names_required => {
                    return Err(DomainError::request(
                        f(member),
                        format!(
                            "is required for instances using {} identity management",
                            idm.as_str()
                        ),
                    ))
                }
                _ => {}
            }
        }
        if let Some(e) = &self.email {
            validate_email(&f("Email"), e)?;
        }
        if let Some(e) = &self.secondary_email {
            validate_email(&f("SecondaryEmail"), e)?;
        }
        if let Some(m) = &self.mobile {
            validate_e164(&f("Mobile"), m)?;
        }
        Ok(())
    }
}

/// `DirectoryUserId` is refused on SAML instances.
pub fn validate_directory_user_id(
    id: Option<&str>,
    idm: IdentityManagementType,
) -> Result<(), DomainError> {
    if id.is_some() && idm == IdentityManagementType::Saml {
        return Err(DomainError::request(
            "DirectoryUserId",
            "must not be sent for instances using SAML identity management",
        ));
    }
    Ok(())
}

/// A user's security profiles: 1 to 10 ids, none twice (`SecurityProfileIds`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityProfileIds(Vec<String>);

impl SecurityProfileIds {
    pub fn parse(ids: Vec<String>) -> Result<Self, DomainError> {
        if ids.is_empty() || ids.len() > 10 {
            return Err(DomainError::param(
                "SecurityProfileIds",
                "must name 1 to 10 security profiles",
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].contains(id) {
                return Err(DomainError::param(
                    format!("SecurityProfileIds[{i}]"),
                    format!("security profile {id} is listed more than once"),
                ));
            }
        }
        Ok(SecurityProfileIds(ids))
    }

    /// Ids a store kept, read back in its order.
    pub fn from_stored(ids: Vec<String>) -> Self {
        SecurityProfileIds(ids)
    }

    /// One more id a store kept, while it reads a user back.
    pub fn push_stored(&mut self, id: String) {
        self.0.push(id);
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

impl std::ops::Deref for SecurityProfileIds {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentityManagementType::*;

    #[test]
    fn usernames() {
        assert!(Username::parse("agent_1.x-y", ConnectManaged).is_ok());
        assert!(Username::parse("jane@example.com", ConnectManaged).is_ok());
        assert!(Username::parse(&"a".repeat(20), ConnectManaged).is_ok());
        let e = Username::parse(&"a".repeat(21), ConnectManaged).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Username: must be at most 20 characters for instances using CONNECT_MANAGED identity management"
        );
        assert!(Username::parse(&"a".repeat(64), Saml).is_ok());
        assert!(Username::parse(&"a".repeat(65), Saml).is_err());
        for bad in [
            "a b",
            "é",
            "a@b",
            "@b.com",
            "a@b@c.com",
            "a@.com",
            "a@b.",
            "x!",
        ] {
            assert!(Username::parse(bad, Saml).is_err(), "{bad}");
        }
        assert_eq!(Username::parse("Bob", Saml).unwrap().unique_key(), "bob");
    }

    #[test]
    fn identity_rules_follow_the_instance_type() {
        let none = IdentityInfo::default();
        assert!(matches!(
            none.validate("IdentityInfo", ConnectManaged),
            Err(DomainError::InvalidRequest { .. })
        ));
        assert!(none.validate("IdentityInfo", Saml).is_err());
        assert!(none.validate("IdentityInfo", ExistingDirectory).is_ok());
        let mut ok = IdentityInfo {
            first_name: Some("Zoë".into()),
            last_name: Some("Brontë".into()),
            email: Some("zoe@example.com".into()),
            secondary_email: None,
            mobile: Some("+447700900123".into()),
        };
        assert!(ok.validate("IdentityInfo", ConnectManaged).is_ok());
        ok.first_name = Some("Zoe\u{0308}".into());
        let e = ok.validate("IdentityInfo", ConnectManaged).unwrap_err();
        assert_eq!(e.field(), "IdentityInfo.FirstName");
        ok.first_name = Some("Zoë".into());
        ok.email = Some("not-an-email".into());
        assert_eq!(
            ok.validate("IdentityInfo", ConnectManaged)
                .unwrap_err()
                .field(),
            "IdentityInfo.Email"
        );
        ok.email = None;
        ok.mobile = Some("555-1234".into());
        assert_eq!(
            ok.validate("IdentityInfo", ConnectManaged)
                .unwrap_err()
                .field(),
            "IdentityInfo.Mobile"
        );
        ok.mobile = None;
        ok.last_name = Some("x".repeat(301));
        assert!(ok.validate("IdentityInfo", ConnectManaged).is_err());
    }

    #[test]
    fn directory_user_id_and_profiles() {
        assert!(validate_directory_user_id(Some("x"), Saml).is_err());
        assert!(validate_directory_user_id(Some("x"), ExistingDirectory).is_ok());
        assert!(SecurityProfileIds::parse(vec![]).is_err());
        assert!(SecurityProfileIds::parse(vec!["a".into(), "a".into()]).is_err());
        let eleven: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        assert!(SecurityProfileIds::parse(eleven).is_err());
    }
}
