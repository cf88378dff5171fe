//! Canonical request construction (step 1 of SigV4), as performed by the AWS SDK signers for
//! services other than S3.
//!
//! All functions here are pure: they take the request exactly as it arrived on the wire and
//! return strings.

use std::borrow::Cow;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// Hex-encoded SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The literal payload hash used by clients that do not sign the body.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// RFC 3986 unreserved characters: `A-Z a-z 0-9 - . _ ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn push_pct(out: &mut String, b: u8) {
    out.push('%');
    out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
    out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
}

/// Percent-encodes every byte of the UTF-8 form of `s` except RFC 3986 unreserved characters,
/// using uppercase hex digits. This is the SigV4 `UriEncode` for query names and values.
pub fn uri_encode(s: &str) -> String {
    encode_except(s, is_unreserved)
}

/// Like [`uri_encode`] but also keeps `/` as is (used for the path, segment by segment).
pub fn uri_encode_path(s: &str) -> String {
    encode_except(s, |b| is_unreserved(b) || b == b'/')
}

fn encode_except(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            push_pct(&mut out, b);
        }
    }
    out
}

/// Normalises a raw request path the way the AWS SDK signers do for non-S3 services:
/// an empty path becomes `/`, a missing leading `/` is added, and if the path contains a `.`
/// or `//` the dot segments are resolved (RFC 3986 section 5.2.4) and empty segments dropped,
/// keeping a trailing slash.
///
/// Normalisation works on the raw (still percent-encoded) path: `%2E` is not a dot and `%2F` is
/// not a separator.
pub fn normalize_path(raw_path: &str) -> Cow<'_, str> {
    if raw_path.is_empty() {
        return Cow::Borrowed("/");
    }
    let path: Cow<'_, str> = if raw_path.starts_with('/') {
        Cow::Borrowed(raw_path)
    } else {
        Cow::Owned(format!("/{raw_path}"))
    };
    if !(path.contains('.') || path.contains("//")) {
        return path;
    }

    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut result = String::with_capacity(path.len());
    for segment in &segments {
        result.push('/');
        result.push_str(segment);
    }
    let ends_with_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|suffix| path.ends_with(suffix));
    if result.is_empty() || (ends_with_slash && !result.ends_with('/')) {
        result.push('/');
    }
    Cow::Owned(result)
}

/// The canonical URI: the raw path as sent on the wire, normalised with [`normalize_path`], then
/// percent-encoded once more (every byte except unreserved characters and `/`).
///
/// Because the raw path is already percent-encoded by the client, this encodes it a second
/// time: `/tags/arn%3Aaws%3A...%2Fabc` becomes `/tags/arn%253Aaws%253A...%252Fabc`.
pub fn canonical_uri(raw_path: &str) -> String {
    uri_encode_path(&normalize_path(raw_path))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` becomes a space, valid `%XX`
/// escapes become the byte they denote, malformed escapes are kept literally, and bytes that do
/// not form valid UTF-8 are replaced with U+FFFD.
pub fn form_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The canonical query string as the AWS SDK signers (aws-sigv4, and SDKs that sign the decoded
/// parameter list) compute it from a raw query string (without the leading `?`).
///
/// The raw query is split on `&` (empty pieces are skipped), each piece split at the first `=`
/// (a piece without `=` has an empty value), names and values are decoded with [`form_decode`]
/// (so a raw `+` means a space), re-encoded with [`uri_encode`], sorted by encoded name and then
/// encoded value, and joined as `name=value` pairs with `&`.
pub fn canonical_query_string(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (
                uri_encode(&form_decode(name)),
                uri_encode(&form_decode(value)),
            )
        })
        .collect();
    pairs.sort();
    join_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

/// The canonical query string as botocore computes it when the query is part of the URL: the raw
/// query is split on `&` and `=` and the raw pairs are sorted and re-joined without any decoding
/// or re-encoding.
///
/// For queries produced by the SDKs (which encode everything but unreserved characters with
/// uppercase hex) this equals [`canonical_query_string`]; it differs for raw queries that contain
/// `+`, lowercase escapes or other characters that would be encoded.
pub fn canonical_query_string_verbatim(raw_query: &str) -> String {
    if raw_query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(&str, &str)> = raw_query
        .split('&')
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
        .collect();
    pairs.sort();
    join_pairs(pairs.into_iter())
}

fn join_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Trims spaces at both ends of a header value and collapses runs of spaces into one space
/// (SigV4 `Trimall`). Only the space character is affected, as in the AWS SDK signers.
pub fn trim_header_value(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim_matches(' ');
    if !trimmed.contains("  ") {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut previous_space = false;
    for c in trimmed.chars() {
        if c == ' ' {
            if !previous_space {
                out.push(' ');
            }
            previous_space = true;
        } else {
            out.push(c);
            previous_space = false;
        }
    }
    Cow::Owned(out)
}

/// Builds the canonical headers block: one `name:value\n` line per signed header, in the order
/// given by `signed_headers` (which signers write sorted and lowercase).
///
/// Header names in `headers` are matched case-insensitively; when a name occurs several times
/// the trimmed values are joined with `,` in the order they appear. Returns the name of the
/// first signed header that does not occur in `headers` as the error.
pub fn canonical_headers<'h, S: AsRef<str>>(
    headers: &[(String, String)],
    signed_headers: &'h [S],
) -> Result<String, &'h str> {
    let mut out = String::new();
    for name in signed_headers {
        let name = name.as_ref();
        out.push_str(name);
        out.push(':');
        let mut found = false;
        for (header_name, value) in headers {
            if header_name.eq_ignore_ascii_case(name) {
                if found {
                    out.push(',');
                }
                out.push_str(&trim_header_value(value));
                found = true;
            }
        }
        if !found {
            return Err(name);
        }
        out.push('\n');
    }
    Ok(out)
}

/// Assembles the canonical request:
///
/// ```text
/// METHOD\nCANONICAL_URI\nCANONICAL_QUERY\nCANONICAL_HEADERS\nSIGNED_HEADERS\nPAYLOAD_HASH
/// ```
///
/// `canonical_headers` is the block produced by [`canonical_headers`] (each line already ends
/// with `\n`), `signed_headers` the `;`-separated list from the `Authorization` header.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(
        method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + canonical_headers.len()
            + signed_headers.len()
            + payload_hash.len()
            + 5,
    );
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{method}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty() {
        assert_eq!(sha256_hex(b""), EMPTY_PAYLOAD_SHA256);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved() {
        assert_eq!(uri_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            uri_encode(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}"),
            "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D"
        );
        assert_eq!(uri_encode("ሴ"), "%E1%88%B4");
        assert_eq!(uri_encode("\u{7f}\n"), "%7F%0A");
        assert_eq!(uri_encode_path("/a b/c"), "/a%20b/c");
    }

    #[test]
    fn normalize_path_like_the_sdk() {
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("foo"), "/foo");
        assert_eq!(normalize_path("/foo/bar/"), "/foo/bar/");
        assert_eq!(normalize_path("/foo//bar"), "/foo/bar");
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/./"), "/");
        assert_eq!(normalize_path("/foo/."), "/foo/");
        assert_eq!(normalize_path("/foo/bar/.."), "/foo/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/../foo"), "/foo");
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
        assert_eq!(normalize_path("/a.b/c"), "/a.b/c");
        assert_eq!(normalize_path("/a/%2E%2E/b"), "/a/%2E%2E/b");
        assert_eq!(normalize_path("/a/..b/c"), "/a/..b/c");
    }

    #[test]
    fn canonical_uri_double_encodes() {
        assert_eq!(
            canonical_uri("/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2Fabc"),
            "/tags/arn%253Aaws%253Aconnect%253Aus-east-1%253A123456789012%253Ainstance%252Fabc"
        );
        assert_eq!(
            canonical_uri("/test/@connections/JBDvjfGEIAMCERw%3D"),
            "/test/%40connections/JBDvjfGEIAMCERw%253D"
        );
        assert_eq!(canonical_uri("/example space/"), "/example%20space/");
        assert_eq!(canonical_uri("/ሴ"), "/%E1%88%B4");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/users/a+b"), "/users/a%2Bb");
    }

    #[test]
    fn form_decode_handles_plus_and_bad_escapes() {
        assert_eq!(form_decode("a+b"), "a b");
        assert_eq!(form_decode("a%2Bb%3D"), "a+b=");
        assert_eq!(form_decode("a%2bb"), "a+b");
        assert_eq!(form_decode("100%"), "100%");
        assert_eq!(form_decode("%zz%4"), "%zz%4");
        assert_eq!(form_decode("%E1%88%B4"), "ሴ");
        assert_eq!(form_decode("%FF"), "\u{FFFD}");
        assert_eq!(form_decode(""), "");
    }

    #[test]
    fn canonical_query_sorts_and_reencodes() {
        assert_eq!(canonical_query_string(""), "");
        assert_eq!(
            canonical_query_string("Param2=value2&Param1=value1"),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(
            canonical_query_string("maxResults=10&nextToken=a%2Bb%3D"),
            "maxResults=10&nextToken=a%2Bb%3D"
        );
        assert_eq!(canonical_query_string("nextToken=a+b"), "nextToken=a%20b");
        assert_eq!(canonical_query_string("a=%2b%2f"), "a=%2B%2F");
        assert_eq!(canonical_query_string("b&a="), "a=&b=");
        assert_eq!(canonical_query_string("a=2&a=1&&"), "a=1&a=2");
        assert_eq!(canonical_query_string("a=b=c"), "a=b%3Dc");
        assert_eq!(canonical_query_string("k=%"), "k=%25");
        assert_eq!(
            canonical_query_string("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
        );
        assert_eq!(canonical_query_string("ሴ=bar"), "%E1%88%B4=bar");
    }

    #[test]
    fn canonical_query_verbatim_keeps_raw_pairs() {
        assert_eq!(canonical_query_string_verbatim(""), "");
        assert_eq!(canonical_query_string_verbatim("b=2&a=1"), "a=1&b=2");
        assert_eq!(canonical_query_string_verbatim("t=a+b"), "t=a+b");
        assert_eq!(canonical_query_string_verbatim("t"), "t=");
        assert_eq!(canonical_query_string_verbatim("a&&b"), "=&a=&b=");
    }

    #[test]
    fn trim_header_value_only_touches_spaces() {
        assert_eq!(trim_header_value("value1"), "value1");
        assert_eq!(trim_header_value("  a   b   c  "), "a b c");
        assert_eq!(trim_header_value("\"a   b   c\""), "\"a b c\"");
        assert_eq!(trim_header_value("a\t\tb"), "a\t\tb");
        assert_eq!(trim_header_value("   "), "");
    }

    #[test]
    fn canonical_headers_joins_duplicates() {
        let headers = vec![
            ("Host".to_string(), "example.amazonaws.com".to_string()),
            ("My-Header1".to_string(), "value4".to_string()),
            ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
            ("my-header1".to_string(), "  value1  ".to_string()),
            ("Unsigned".to_string(), "x".to_string()),
        ];
        assert_eq!(
            canonical_headers(&headers, &["host", "my-header1", "x-amz-date"]).unwrap(),
            "host:example.amazonaws.com\nmy-header1:value4,value1\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(
            canonical_headers(&headers, &["host", "x-missing"]),
            Err("x-missing")
        );
    }

    #[test]
    fn canonical_request_layout() {
        let creq = canonical_request(
            "GET",
            "/",
            "",
            "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n",
            "host;x-amz-date",
            EMPTY_PAYLOAD_SHA256,
        );
        assert_eq!(
            creq,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
