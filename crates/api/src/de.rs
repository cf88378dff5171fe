//! One-pass decoding of an operation's input: from the body's bytes and the members the
//! model binds to the path, the query string and headers, straight to the typed input.
//!
//! The generated visitors read a structure only from a JSON object, a list only from an
//! array, a map only from an object, and each scalar only from its own JSON type: any
//! other JSON type, at any depth, is `SerializationException`, and nothing is applied
//! by position. A required member that is absent is `InvalidRequestException` naming
//! it; a string holding U+0000 (which no Connect value may contain and not every store
//! can keep) is `InvalidParameterException` naming where.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

use crate::{ApiError, ErrorCode};

/// Marks the custom error of an absent required member: `MISSING name MISSING`.
const MISSING: char = '\u{E000}';
/// Marks the custom error of a string holding U+0000: `NUL` or `NUL key NUL`.
const NUL: char = '\u{E001}';

/// The members of a request bound outside its body, already percent-decoded.
pub trait Bindings {
    /// A path label, by its name in the URI template.
    fn label(&self, name: &str) -> Option<&str>;
    /// A query member's last value.
    fn query(&self, name: &str) -> Option<&str>;
    /// Every value of a repeated query member, in order.
    fn query_all(&self, name: &str) -> Vec<String>;
    /// A header, by its name (case-insensitive).
    fn header(&self, name: &str) -> Option<&str>;
}

/// No bound members at all (tests, and inputs that bind none).
pub struct Unbound;

impl Bindings for Unbound {
    fn label(&self, _: &str) -> Option<&str> {
        None
    }
    fn query(&self, _: &str) -> Option<&str> {
        None
    }
    fn query_all(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn header(&self, _: &str) -> Option<&str> {
        None
    }
}

/// An operation's input, decoded from one request.
pub trait Input: Sized {
    fn decode(body: &[u8], bindings: &dyn Bindings) -> Result<Self, ApiError>;
}

/// A value decoded by its shape's rules (see the module's documentation).
pub trait Wire: Sized {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Adapts a [`Wire`] value to serde's `Deserialize`.
pub struct W<T>(pub T);

impl<'de, T: Wire> de::Deserialize<'de> for W<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::decode(d).map(W)
    }
}

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        no_nul(v)?;
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        no_nul(&v)?;
        Ok(v)
    }
}

fn no_nul<E: de::Error>(v: &str) -> Result<(), E> {
    if v.contains('\0') {
        return Err(E::custom(format!("{NUL}{NUL}")));
    }
    Ok(())
}

impl Wire for String {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_string(StringVisitor)
    }
}

macro_rules! wire_by_serde {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$t as de::Deserialize>::deserialize(d)
            }
        }
    )*};
}
wire_by_serde!(bool, i32, i64, f64);

impl<T: Wire> Wire for Box<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::decode(d).map(Box::new)
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Wire> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array (list)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(W(item)) = seq.next_element::<W<T>>()? {
            items.push(item);
        }
        Ok(items)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(ListVisitor(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: Wire> Visitor<'de> for MapVisitor<T> {
    type Value = BTreeMap<String, T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (map)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str().contains('\0') {
                return Err(A::Error::custom(format!("{NUL}{}{NUL}", key.as_str())));
            }
            let W(value) = map.next_value::<W<T>>()?;
            out.insert(key.0.into_owned(), value);
        }
        Ok(out)
    }
}

impl<T: Wire> Wire for BTreeMap<String, T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A member name or map key, borrowed from the body when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads one member's value into its slot; JSON `null` leaves it absent. A member sent
/// twice is refused.
pub fn member<'de, A: MapAccess<'de>, T: Wire>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::custom(format!("duplicate member `{name}`")));
    }
    *slot = map.next_value::<Option<W<T>>>()?.map(|w| w.0);
    Ok(())
}

/// A required member's value, or the error that names it.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &str) -> Result<T, E> {
    slot.ok_or_else(|| E::custom(format!("{MISSING}{name}{MISSING}")))
}

/// A member bound to a label, a query member or a header, parsed as its type.
pub fn bound<T: FromStr>(raw: Option<&str>, name: &str) -> Result<Option<T>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    if raw.contains('\0') {
        return Err(ApiError::invalid_parameter(format!(
            "{name}: must not contain the NUL character (U+0000)"
        )));
    }
    raw.parse::<T>().map(Some).map_err(|_| {
        ApiError::new(
            ErrorCode::Serialization,
            format!(
                "{name}: {raw:?} is not a valid {}",
                std::any::type_name::<T>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("value")
            ),
        )
    })
}

/// A list member bound to a repeated query member.
pub fn bound_list(values: Vec<String>, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    if values.iter().any(|v| v.contains('\0')) {
        return Err(ApiError::invalid_parameter(format!(
            "{name}: must not contain the NUL character (U+0000)"
        )));
    }
    Ok((!values.is_empty()).then_some(values))
}

/// Decodes the body with `seed` in one pass; an empty body is an empty object.
pub fn body<T>(
    bytes: &[u8],
    seed: impl for<'de> DeserializeSeed<'de, Value = T>,
) -> Result<T, ApiError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let mut track = serde_path_to_error::Track::new();
    let value = seed
        .deserialize(serde_path_to_error::Deserializer::new(
            &mut json, &mut track,
        ))
        .and_then(|v| json.end().map(|()| v));
    value.map_err(|e| classify(&track.path().to_string(), e))
}

/// The API error for a decoding failure at `path` (`.` at the top level).
fn classify(path: &str, e: serde_json::Error) -> ApiError {
    let text = e.to_string();
    let root = path == "." || path.is_empty();
    let at = |name: &str| {
        if root {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let marked = |mark: char| {
        text.strip_prefix(mark)
            .map(|rest| rest.split(mark).next().unwrap_or(""))
    };
    if let Some(name) = marked(MISSING) {
        return ApiError::invalid_request(format!("{}: is required", at(name)));
    }
    if let Some(key) = marked(NUL) {
        let place = if key.is_empty() {
            path.to_string()
        } else {
            at(key)
        };
        return ApiError::invalid_parameter(format!(
            "{place}: must not contain the NUL character (U+0000)"
        ));
    }
    if e.is_syntax() || e.is_eof() {
        return ApiError::new(
            ErrorCode::Serialization,
            format!("request body is not valid JSON: {text}"),
        );
    }
    if root {
        ApiError::new(ErrorCode::Serialization, format!("request body: {text}"))
    } else {
        ApiError::new(ErrorCode::Serialization, format!("{path}: {text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::*;

    fn decode<T: Input>(body: &str) -> Result<T, ApiError> {
        T::decode(body.as_bytes(), &Unbound)
    }

    struct Labels(&'static [(&'static str, &'static str)]);
    impl Bindings for Labels {
        fn label(&self, name: &str) -> Option<&str> {
            self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
        }
        fn query(&self, name: &str) -> Option<&str> {
            self.label(name)
        }
        fn query_all(&self, name: &str) -> Vec<String> {
            self.label(name).into_iter().map(str::to_owned).collect()
        }
        fn header(&self, _: &str) -> Option<&str> {
            None
        }
    }

    fn user_request(body: &str) -> Result<UpdateUserPhoneConfigRequest, ApiError> {
        UpdateUserPhoneConfigRequest::decode(
            body.as_bytes(),
            &Labels(&[("InstanceId", "i-1"), ("UserId", "u-1")]),
        )
    }

    #[test]
    fn nul_characters_are_refused_with_their_path() {
        let e = decode::<CreateUserRequest>(r#"{"IdentityInfo": {"FirstName": "a\u0000b"}}"#)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParameter);
        assert!(
            e.message.starts_with("IdentityInfo.FirstName: "),
            "{}",
            e.message
        );
        let e = decode::<CreateUserRequest>(r#"{"Tags": {"k\u0000": "v"}}"#).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParameter);
        assert!(e.message.starts_with("Tags.k"), "{}", e.message);
    }

    #[test]
    fn bound_members_come_from_outside_the_body_only() {
        let r = user_request(r#"{"InstanceId":"other","PhoneConfig":{"PhoneType":"SOFT_PHONE"}}"#)
            .unwrap();
        assert_eq!(r.instance_id, "i-1");
        assert_eq!(r.user_id, "u-1");
        assert_eq!(r.phone_config.phone_type.as_deref(), Some("SOFT_PHONE"));
    }

    #[test]
    fn absent_required_members_are_named() {
        let e = user_request("{}").unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::InvalidRequest, "PhoneConfig: is required")
        );
        let e = decode::<CreateUserRequest>(r#"{"PhoneNumberConfigs":[{"Channel":"VOICE"}]}"#)
            .unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                ErrorCode::InvalidRequest,
                "PhoneNumberConfigs[0].PhoneType: is required"
            )
        );
        let e = UpdateUserPhoneConfigRequest::decode(b"{}", &Unbound).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn a_wrong_json_type_is_a_serialization_error_at_any_depth() {
        // A list where a structure belongs is never applied by position.
        for body in [
            r#"{"PhoneConfig":["SOFT_PHONE",true,77]}"#,
            r#"{"PhoneConfig":{"PhoneType":"SOFT_PHONE","AutoAccept":"yes"}}"#,
            r#"{"PhoneConfig":{"PhoneType":"SOFT_PHONE","AfterContactWorkTimeLimit":"7"}}"#,
            r#"{"PhoneConfig":{"PhoneType":5}}"#,
            r#"{"PhoneConfig":"SOFT_PHONE"}"#,
            "[1]",
            "\"s\"",
        ] {
            let e = user_request(body).unwrap_err();
            assert_eq!(e.code, ErrorCode::Serialization, "{body}: {}", e.message);
        }
        for body in [
            r#"{"IdentityInfo":["Pos","Itional"]}"#,
            r#"{"IdentityInfo":[]}"#,
            r#"{"PhoneNumberConfigs":[[]]}"#,
            r#"{"PhoneNumberConfigs":{"Channel":"VOICE"}}"#,
            r#"{"SecurityProfileIds":"sp"}"#,
            r#"{"Tags":[["k","v"]]}"#,
        ] {
            let e = decode::<CreateUserRequest>(body).unwrap_err();
            assert_eq!(e.code, ErrorCode::Serialization, "{body}: {}", e.message);
        }
        for body in [
            r#"{"SearchCriteria":[]}"#,
            r#"{"SearchCriteria":{"StringCondition":["Username","bob","EXACT"]}}"#,
            r#"{"SearchCriteria":{"OrConditions":{"StringCondition":{}}}}"#,
            r#"{"SearchCriteria":{"AndConditions":[{"StringCondition":[]}]}}"#,
            r#"{"SearchCriteria":{"OrConditions":[{"AndConditions":[{"HierarchyGroupCondition":"k"}]}]}}"#,
            r#"{"SearchFilter":{"TagFilter":{"OrConditions":[{"TagKey":"k"}]}}}"#,
            r#"{"MaxResults":"5"}"#,
        ] {
            let e = decode::<SearchUsersRequest>(body).unwrap_err();
            assert_eq!(e.code, ErrorCode::Serialization, "{body}: {}", e.message);
        }
        let e = decode::<SearchUsersRequest>(
            r#"{"SearchCriteria":{"OrConditions":[{"StringCondition":[]}]}}"#,
        )
        .unwrap_err();
        assert!(
            e.message
                .starts_with("SearchCriteria.OrConditions[0].StringCondition: "),
            "{}",
            e.message
        );
    }

    #[test]
    fn nulls_and_unknown_members_are_absent() {
        let r = decode::<SearchUsersRequest>(
            r#"{"InstanceId":"i","SearchCriteria":null,"Other":[1,{"a":2}]}"#,
        );
        assert!(r.unwrap().search_criteria.is_none());
    }

    #[test]
    fn bound_members_are_typed() {
        let r =
            ListUsersRequest::decode(b"", &Labels(&[("InstanceId", "i-1"), ("maxResults", "7")]))
                .unwrap();
        assert_eq!(r.max_results, Some(7));
        let e =
            ListUsersRequest::decode(b"", &Labels(&[("InstanceId", "i-1"), ("maxResults", "x")]))
                .unwrap_err();
        assert_eq!(e.code, ErrorCode::Serialization);
        assert!(e.message.starts_with("maxResults: "), "{}", e.message);
    }
}
