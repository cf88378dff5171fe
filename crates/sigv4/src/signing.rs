//! String to sign, signing key derivation, signature computation and comparison
//! (steps 2 to 4 of SigV4), plus a small cache of derived signing keys.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The only signing algorithm supported.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The fixed last element of a SigV4 credential scope.
pub const SCOPE_TERMINATOR: &str = "aws4_request";

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC is defined for keys of any length, so construction cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Builds the string to sign:
///
/// ```text
/// AWS4-HMAC-SHA256\n<amz_date>\n<date>/<region>/<service>/aws4_request\n<hex sha256(canonical_request)>
/// ```
pub fn string_to_sign(
    amz_date: &str,
    scope_date: &str,
    region: &str,
    service: &str,
    canonical_request: &str,
) -> String {
    let hashed = hex::encode(Sha256::digest(canonical_request.as_bytes()));
    format!("{ALGORITHM}\n{amz_date}\n{scope_date}/{region}/{service}/{SCOPE_TERMINATOR}\n{hashed}")
}

/// Derives the SigV4 signing key:
/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn derive_signing_key(
    secret_access_key: &str,
    scope_date: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    let mut secret = Vec::with_capacity(4 + secret_access_key.len());
    secret.extend_from_slice(b"AWS4");
    secret.extend_from_slice(secret_access_key.as_bytes());
    let k_date = hmac_sha256(&secret, scope_date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, SCOPE_TERMINATOR.as_bytes())
}

/// The raw signature bytes: HMAC-SHA256 of the string to sign under the signing key.
/// Its lowercase hex form is what clients send as `Signature=`.
pub fn compute_signature(signing_key: &[u8; 32], string_to_sign: &str) -> [u8; 32] {
    hmac_sha256(signing_key, string_to_sign.as_bytes())
}

/// Constant-time equality of two signatures. Slices of different lengths compare unequal.
pub fn signatures_match(expected: &[u8], provided: &[u8]) -> bool {
    expected.ct_eq(provided).into()
}

/// Identifies one derived signing key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CacheKey {
    access_key_id: String,
    scope_date: String,
    region: String,
    service: String,
}

/// A bounded cache of derived signing keys, keyed by (access key id, date, region, service).
///
/// Keys are only valid for the secret they were derived from; the owner must not reuse one cache
/// for different secrets under the same access key id. When the cache holds more than
/// `capacity` entries it is emptied.
#[derive(Debug)]
pub struct SigningKeyCache {
    capacity: usize,
    entries: Mutex<HashMap<CacheKey, [u8; 32]>>,
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl SigningKeyCache {
    /// Default maximum number of cached keys.
    pub const DEFAULT_CAPACITY: usize = 1024;

    /// An empty cache holding at most `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Returns the cached key, if any.
    pub fn get(
        &self,
        access_key_id: &str,
        scope_date: &str,
        region: &str,
        service: &str,
    ) -> Option<[u8; 32]> {
        let key = CacheKey {
            access_key_id: access_key_id.to_owned(),
            scope_date: scope_date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
        };
        self.entries.lock().get(&key).copied()
    }

    /// Stores a key, emptying the cache first if it is full.
    pub fn insert(
        &self,
        access_key_id: &str,
        scope_date: &str,
        region: &str,
        service: &str,
        signing_key: [u8; 32],
    ) {
        let key = CacheKey {
            access_key_id: access_key_id.to_owned(),
            scope_date: scope_date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
        };
        let mut entries = self.entries.lock();
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, signing_key);
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.entries.lock().len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.lock().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn signing_key_matches_aws_documentation_example() {
        // Example from the AWS SigV4 documentation ("Examples of how to derive a signing key").
        let key = derive_signing_key(SECRET, "20120215", "us-east-1", "iam");
        assert_eq!(
            hex::encode(key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn string_to_sign_for_get_vanilla() {
        let creq = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let sts = string_to_sign("20150830T123600Z", "20150830", "us-east-1", "service", creq);
        assert_eq!(
            sts,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n\
             bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        );
        let key = derive_signing_key(SECRET, "20150830", "us-east-1", "service");
        assert_eq!(
            hex::encode(compute_signature(&key, &sts)),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn hmac_rfc4231_case_2() {
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn signature_comparison() {
        let a = [7u8; 32];
        let mut b = a;
        assert!(signatures_match(&a, &b));
        b[31] ^= 1;
        assert!(!signatures_match(&a, &b));
        assert!(!signatures_match(&a, &a[..31]));
        assert!(!signatures_match(&a, &[]));
    }

    #[test]
    fn cache_is_bounded() {
        let cache = SigningKeyCache::new(3);
        assert!(cache.is_empty());
        for i in 0..3 {
            cache.insert(
                "AK",
                &format!("2015083{i}"),
                "us-east-1",
                "connect",
                [i; 32],
            );
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(
            cache.get("AK", "20150831", "us-east-1", "connect"),
            Some([1; 32])
        );
        // Re-inserting an existing key does not clear.
        cache.insert("AK", "20150831", "us-east-1", "connect", [9; 32]);
        assert_eq!(cache.len(), 3);
        // A new key when full clears first.
        cache.insert("AK", "20150901", "us-east-1", "connect", [4; 32]);
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get("AK", "20150831", "us-east-1", "connect"), None);
        assert_eq!(
            cache.get("AK", "20150901", "us-east-1", "connect"),
            Some([4; 32])
        );
        assert_eq!(cache.get("AK", "20150901", "us-west-2", "connect"), None);
    }
}
