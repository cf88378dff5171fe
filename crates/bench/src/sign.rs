//! SigV4 signing of outgoing requests with the pure functions of `roster-sigv4`.
//!
//! Signed headers are `content-type`, `host` and `x-amz-date`; the payload hash is the
//! SHA-256 of the body. A signature stays valid for the server's clock-skew window
//! (15 minutes in strict mode), so requests signed ahead of a measurement can be sent
//! repeatedly during it.

use std::time::{SystemTime, UNIX_EPOCH};

use roster_sigv4::{
    canonical_headers, canonical_query_string, canonical_request, canonical_uri, compute_signature,
    derive_signing_key, format_amz_date, sha256_hex, string_to_sign, ALGORITHM, SCOPE_TERMINATOR,
};

/// The signing name of Amazon Connect.
pub const SERVICE: &str = "connect";

const SIGNED_HEADERS: &str = "content-type;host;x-amz-date";

/// Credentials and scope used to sign every request of a run.
#[derive(Clone)]
pub struct Signer {
    access_key_id: String,
    secret_access_key: String,
    region: String,
}

/// The headers a signed request carries besides its body.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    pub amz_date: String,
    pub authorization: String,
}

impl Signer {
    pub fn new(access_key_id: &str, secret_access_key: &str, region: &str) -> Self {
        Signer {
            access_key_id: access_key_id.to_string(),
            secret_access_key: secret_access_key.to_string(),
            region: region.to_string(),
        }
    }

    /// Signs a request at the current time. `raw_path` is the path as sent (already
    /// percent-encoded), `raw_query` the query string without `?`.
    pub fn sign(
        &self,
        method: &str,
        host: &str,
        raw_path: &str,
        raw_query: &str,
        content_type: &str,
        body: &[u8],
    ) -> SignedHeaders {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        self.sign_at(
            method,
            host,
            raw_path,
            raw_query,
            content_type,
            body,
            &format_amz_date(secs),
        )
    }

    /// Signs a request for the given `X-Amz-Date` value (`YYYYMMDD'T'HHMMSS'Z'`).
    #[allow(clippy::too_many_arguments)]
    pub fn sign_at(
        &self,
        method: &str,
        host: &str,
        raw_path: &str,
        raw_query: &str,
        content_type: &str,
        body: &[u8],
        amz_date: &str,
    ) -> SignedHeaders {
        let scope_date = &amz_date[..8];
        let headers = [
            ("content-type".to_string(), content_type.to_string()),
            ("host".to_string(), host.to_string()),
            ("x-amz-date".to_string(), amz_date.to_string()),
        ];
        let names = ["content-type", "host", "x-amz-date"];
        let block = canonical_headers(&headers, &names)
            .expect("every signed header is in the list built above");
        let creq = canonical_request(
            method,
            &canonical_uri(raw_path),
            &canonical_query_string(raw_query),
            &block,
            SIGNED_HEADERS,
            &sha256_hex(body),
        );
        let sts = string_to_sign(amz_date, scope_date, &self.region, SERVICE, &creq);
        let key = derive_signing_key(&self.secret_access_key, scope_date, &self.region, SERVICE);
        let signature = hex::encode(compute_signature(&key, &sts));
        SignedHeaders {
            amz_date: amz_date.to_string(),
            authorization: format!(
                "{ALGORITHM} Credential={}/{scope_date}/{}/{SERVICE}/{SCOPE_TERMINATOR}, \
                 SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
                self.access_key_id, self.region
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use roster_sigv4::{Credential, Credentials, Mode, RequestParts, Verifier};

    use super::*;

    fn strict_verifier() -> Verifier {
        Verifier::new(Mode::Strict(
            Credentials::new(vec![Credential {
                access_key_id: "AKIDBENCH".into(),
                secret_access_key: "bench-secret".into(),
                account_id: "111122223333".into(),
            }])
            .unwrap(),
        ))
    }

    fn verify(signer: &Signer, path: &str, query: &str, body: &[u8]) -> bool {
        // 2024-01-02T03:04:05Z
        let now = UNIX_EPOCH + Duration::from_secs(1_704_164_645);
        let amz_date = "20240102T030405Z";
        let signed = signer.sign_at(
            "POST",
            "127.0.0.1:4599",
            path,
            query,
            "application/json",
            body,
            amz_date,
        );
        let headers = vec![
            ("Host".to_string(), "127.0.0.1:4599".to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-Amz-Date".to_string(), signed.amz_date.clone()),
            ("Authorization".to_string(), signed.authorization.clone()),
        ];
        let req = RequestParts {
            method: "POST",
            raw_path: path,
            raw_query: query,
            headers: &headers,
            body,
        };
        strict_verifier().verify(&req, now).is_ok()
    }

    #[test]
    fn strict_verifier_accepts_our_signatures() {
        let signer = Signer::new("AKIDBENCH", "bench-secret", "us-east-1");
        assert!(verify(
            &signer,
            "/search-users",
            "",
            br#"{"InstanceId":"x"}"#
        ));
        assert!(verify(
            &signer,
            "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A111122223333%3Ainstance%2Fabc",
            "maxResults=10&nextToken=a%2Bb",
            b"",
        ));
    }

    #[test]
    fn strict_verifier_rejects_a_wrong_secret() {
        let signer = Signer::new("AKIDBENCH", "other-secret", "us-east-1");
        assert!(!verify(&signer, "/search-users", "", b"{}"));
    }
}
