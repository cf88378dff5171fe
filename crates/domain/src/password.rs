//! Passwords: checked against the model's rule, then kept only as argon2id hashes.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordHash, PasswordVerifier};

use crate::instance::IdentityManagementType;
use crate::DomainError;

/// A password that obeys the rule. Its `Debug` never shows it.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// 8–64 characters without spaces, with at least one lowercase letter, one
    /// uppercase letter and one digit.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let n = s.chars().count();
        let ok = (8..=64).contains(&n)
            && !s.chars().any(char::is_whitespace)
            && s.chars().any(|c| c.is_ascii_lowercase())
            && s.chars().any(|c| c.is_ascii_uppercase())
            && s.chars().any(|c| c.is_ascii_digit());
        if ok {
            Ok(Password(s.to_string()))
        } else {
            Err(DomainError::param(
                "Password",
                "must be 8-64 characters without spaces, with at least one lowercase letter, one uppercase letter and one digit",
            ))
        }
    }

    /// A salted argon2id hash in PHC form. Slow on purpose: call it off the async runtime.
    pub fn hash(&self) -> String {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .expect("argon2 with default parameters accepts any password")
    }
}

/// Whether `password` matches a stored hash.
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password is required on CONNECT_MANAGED instances and refused on the others.
pub fn password_for(
    sent: Option<&str>,
    idm: IdentityManagementType,
) -> Result<Option<Password>, DomainError> {
    match (sent, idm) {
        (Some(p), IdentityManagementType::ConnectManaged) => Password::parse(p).map(Some),
        (None, IdentityManagementType::ConnectManaged) => Err(DomainError::request(
            "Password",
            "is required for instances using CONNECT_MANAGED identity management",
        )),
        (Some(_), other) => Err(DomainError::request(
            "Password",
            format!(
                "must not be sent for instances using {} identity management",
                other.as_str()
            ),
        )),
        (None, _) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_and_hash() {
        for bad in [
            "short1A",
            "alllowercase1",
            "ALLUPPER1",
            "NoDigitsHere",
            "Has Space1a",
            &"aA1".repeat(22),
        ] {
            assert!(Password::parse(bad).is_err(), "{bad}");
        }
        let p = Password::parse("Secret123").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        let h = p.hash();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Secret123", &h));
        assert!(!verify("Secret124", &h));
    }

    #[test]
    fn required_by_type() {
        use IdentityManagementType::*;
        assert!(password_for(None, ConnectManaged).is_err());
        assert!(password_for(Some("Secret123"), Saml).is_err());
        assert!(password_for(Some("Secret123"), ExistingDirectory).is_err());
        assert!(password_for(None, Saml).unwrap().is_none());
    }
}
