//! Console sessions: who signed in (account, region, access key id), kept on the
//! server and named by a cookie whose value is signed, and the CSRF token every form
//! of a session carries.
//!
//! The cookie holds `ID.MAC`: a random session id and its HMAC-SHA256 under a key
//! made when the process starts, so a cookie made elsewhere (or one of a previous
//! run) names no session. The CSRF token of a session is another HMAC of its id, so
//! it is bound to that session and needs no storage; signing out removes the session,
//! which ends the cookie and its token together.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The session cookie's name.
pub const COOKIE: &str = "roster_console";
/// The cookie of a browser that has not signed in yet: the nonce its sign-in form's
/// token is bound to.
pub const SIGN_IN_COOKIE: &str = "roster_console_signin";
/// How long a session lasts without use.
pub const IDLE_LIMIT: Duration = Duration::from_secs(8 * 60 * 60);

/// Who a session acts as: what an API caller's verified signature gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub account_id: String,
    pub region: String,
    pub access_key_id: String,
}

struct Entry {
    principal: Principal,
    last_used: Instant,
}

/// The signed-in sessions of this process.
pub struct Sessions {
    key: [u8; 32],
    live: Mutex<HashMap<String, Entry>>,
}

/// 32 random bytes from the operating system, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    hex::encode(bytes)
}

impl Sessions {
    /// Sessions signed with a key drawn from the operating system.
    pub fn new() -> Self {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).expect("the operating system's random source");
        Self::with_key(key)
    }

    pub fn with_key(key: [u8; 32]) -> Self {
        Sessions {
            key,
            live: Mutex::new(HashMap::new()),
        }
    }

    fn mac(&self, purpose: &str, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Starts a session; the answer is the cookie value that names it.
    pub fn start(&self, principal: Principal) -> String {
        let id = random_token();
        let mut live = self.live.lock();
        live.retain(|_, e| e.last_used.elapsed() < IDLE_LIMIT);
        live.insert(
            id.clone(),
            Entry {
                principal,
                last_used: Instant::now(),
            },
        );
        format!("{id}.{}", self.mac("session", &id))
    }

    /// The session a cookie value names, when its signature holds and the session is
    /// live: its id and principal.
    pub fn find(&self, cookie: &str) -> Option<(String, Principal)> {
        let (id, mac) = cookie.split_once('.')?;
        if !equal(&self.mac("session", id), mac) {
            return None;
        }
        let mut live = self.live.lock();
        let entry = live.get_mut(id)?;
        if entry.last_used.elapsed() >= IDLE_LIMIT {
            live.remove(id);
            return None;
        }
        entry.last_used = Instant::now();
        Some((id.to_string(), entry.principal.clone()))
    }

    /// Ends a session: its cookie and CSRF token name nothing from now on.
    pub fn end(&self, id: &str) {
        self.live.lock().remove(id);
    }

    /// The CSRF token of session `id`.
    pub fn csrf_token(&self, id: &str) -> String {
        self.mac("csrf", id)
    }

    /// Whether `token` is session `id`'s CSRF token (compared in constant time).
    pub fn csrf_ok(&self, id: &str, token: Option<&str>) -> bool {
        token.is_some_and(|t| equal(&self.csrf_token(id), t))
    }

    /// The sign-in form's token for a browser whose sign-in cookie holds `nonce`.
    pub fn sign_in_token(&self, nonce: &str) -> String {
        self.mac("sign-in", nonce)
    }

    pub fn sign_in_ok(&self, nonce: Option<&str>, token: Option<&str>) -> bool {
        match (nonce, token) {
            (Some(n), Some(t)) if !n.is_empty() => equal(&self.sign_in_token(n), t),
            _ => false,
        }
    }
}

impl Default for Sessions {
    fn default() -> Self {
        Self::new()
    }
}

fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The `Set-Cookie` value that stores `value` under `name` for the console's paths.
pub fn set_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/console; HttpOnly; SameSite=Strict")
}

/// The `Set-Cookie` value that removes cookie `name`.
pub fn clear_cookie(name: &str) -> String {
    format!("{name}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal() -> Principal {
        Principal {
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            access_key_id: "console".into(),
        }
    }

    #[test]
    fn a_started_session_is_found_by_its_cookie() {
        let s = Sessions::with_key([7; 32]);
        let cookie = s.start(principal());
        let (_, p) = s.find(&cookie).expect("live session");
        assert_eq!(p, principal());
    }

    #[test]
    fn a_cookie_with_a_changed_id_or_signature_names_nothing() {
        let s = Sessions::with_key([7; 32]);
        let cookie = s.start(principal());
        let (id, mac) = cookie.split_once('.').unwrap();
        let mut forged_id = id.to_string();
        forged_id.replace_range(0..1, if id.starts_with('0') { "1" } else { "0" });
        assert!(s.find(&format!("{forged_id}.{mac}")).is_none());
        assert!(s.find(&format!("{id}.{}", "0".repeat(64))).is_none());
        assert!(s.find(id).is_none());
        assert!(s.find("").is_none());
    }

    #[test]
    fn a_cookie_signed_with_another_key_names_nothing() {
        let a = Sessions::with_key([1; 32]);
        let b = Sessions::with_key([2; 32]);
        let cookie = a.start(principal());
        assert!(b.find(&cookie).is_none());
    }

    #[test]
    fn ending_a_session_ends_its_cookie_and_its_csrf_token_stays_bound_to_it() {
        let s = Sessions::with_key([7; 32]);
        let cookie = s.start(principal());
        let (id, _) = s.find(&cookie).unwrap();
        let token = s.csrf_token(&id);
        assert!(s.csrf_ok(&id, Some(&token)));
        s.end(&id);
        assert!(s.find(&cookie).is_none());
    }

    #[test]
    fn csrf_tokens_are_per_session_and_required() {
        let s = Sessions::with_key([7; 32]);
        let one = s.find(&s.start(principal())).unwrap().0;
        let two = s.find(&s.start(principal())).unwrap().0;
        assert_ne!(s.csrf_token(&one), s.csrf_token(&two));
        assert!(!s.csrf_ok(&one, Some(&s.csrf_token(&two))));
        assert!(!s.csrf_ok(&one, None));
        assert!(!s.csrf_ok(&one, Some("")));
        assert!(s.csrf_ok(&one, Some(&s.csrf_token(&one))));
    }

    #[test]
    fn the_sign_in_token_is_bound_to_the_browsers_nonce() {
        let s = Sessions::with_key([7; 32]);
        let token = s.sign_in_token("abc");
        assert!(s.sign_in_ok(Some("abc"), Some(&token)));
        assert!(!s.sign_in_ok(Some("abd"), Some(&token)));
        assert!(!s.sign_in_ok(None, Some(&token)));
        assert!(!s.sign_in_ok(Some(""), Some(&s.sign_in_token(""))));
        assert!(!s.sign_in_ok(Some("abc"), None));
    }

    #[test]
    fn cookies_are_http_only_strict_and_scoped_to_the_console() {
        let c = set_cookie(COOKIE, "v");
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict"));
        assert!(c.contains("Path=/console"));
        assert_eq!(
            cookie_value("a=1; roster_console=xyz; b=2", COOKIE),
            Some("xyz")
        );
        assert_eq!(cookie_value("a=1", COOKIE), None);
    }
}
