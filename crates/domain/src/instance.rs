//! Connect instances and their attributes.

use crate::{DomainError, Scope, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityManagementType {
    ConnectManaged,
    Saml,
    ExistingDirectory,
}

impl IdentityManagementType {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityManagementType::ConnectManaged => "CONNECT_MANAGED",
            IdentityManagementType::Saml => "SAML",
            IdentityManagementType::ExistingDirectory => "EXISTING_DIRECTORY",
        }
    }
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "CONNECT_MANAGED" => Ok(IdentityManagementType::ConnectManaged),
            "SAML" => Ok(IdentityManagementType::Saml),
            "EXISTING_DIRECTORY" => Ok(IdentityManagementType::ExistingDirectory),
            _ => Err(DomainError::param(
                "IdentityManagementType",
                "must be one of SAML, CONNECT_MANAGED, EXISTING_DIRECTORY",
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub id: String,
    pub scope: Scope,
    pub identity_management_type: IdentityManagementType,
    pub alias: Option<String>,
    pub directory_id: Option<String>,
    pub created_time: Timestamp,
    pub inbound_calls_enabled: bool,
    pub outbound_calls_enabled: bool,
}

/// The instance attributes of the model, in the model's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceAttributeType {
    InboundCalls,
    OutboundCalls,
    ContactflowLogs,
    ContactLens,
    AutoResolveBestVoices,
    UseCustomTtsVoices,
    EarlyMedia,
    MultiPartyConference,
    HighVolumeOutbound,
    EnhancedContactMonitoring,
    EnhancedChatMonitoring,
    MultiPartyChatConference,
    MessageStreaming,
}

impl InstanceAttributeType {
    pub const ALL: [InstanceAttributeType; 13] = [
        InstanceAttributeType::InboundCalls,
        InstanceAttributeType::OutboundCalls,
        InstanceAttributeType::ContactflowLogs,
        InstanceAttributeType::ContactLens,
        InstanceAttributeType::AutoResolveBestVoices,
        InstanceAttributeType::UseCustomTtsVoices,
        InstanceAttributeType::EarlyMedia,
        InstanceAttributeType::MultiPartyConference,
        InstanceAttributeType::HighVolumeOutbound,
        InstanceAttributeType::EnhancedContactMonitoring,
        InstanceAttributeType::EnhancedChatMonitoring,
        InstanceAttributeType::MultiPartyChatConference,
        InstanceAttributeType::MessageStreaming,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InstanceAttributeType::InboundCalls => "INBOUND_CALLS",
            InstanceAttributeType::OutboundCalls => "OUTBOUND_CALLS",
            InstanceAttributeType::ContactflowLogs => "CONTACTFLOW_LOGS",
            InstanceAttributeType::ContactLens => "CONTACT_LENS",
            InstanceAttributeType::AutoResolveBestVoices => "AUTO_RESOLVE_BEST_VOICES",
            InstanceAttributeType::UseCustomTtsVoices => "USE_CUSTOM_TTS_VOICES",
            InstanceAttributeType::EarlyMedia => "EARLY_MEDIA",
            InstanceAttributeType::MultiPartyConference => "MULTI_PARTY_CONFERENCE",
            InstanceAttributeType::HighVolumeOutbound => "HIGH_VOLUME_OUTBOUND",
            InstanceAttributeType::EnhancedContactMonitoring => "ENHANCED_CONTACT_MONITORING",
            InstanceAttributeType::EnhancedChatMonitoring => "ENHANCED_CHAT_MONITORING",
            InstanceAttributeType::MultiPartyChatConference => "MULTI_PARTY_CHAT_CONFERENCE",
            InstanceAttributeType::MessageStreaming => "MESSAGE_STREAMING",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The value a new instance has, as the real service sets it.
    pub fn default_value(self, inbound_calls: bool, outbound_calls: bool) -> bool {
        match self {
            InstanceAttributeType::InboundCalls => inbound_calls,
            InstanceAttributeType::OutboundCalls => outbound_calls,
            InstanceAttributeType::ContactLens
            | InstanceAttributeType::EarlyMedia
            | InstanceAttributeType::AutoResolveBestVoices => true,
            _ => false,
        }
    }
}

/// Parses an attribute value: the service stores `"true"` / `"false"`.
pub fn parse_attribute_value(value: &str) -> Result<bool, DomainError> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(DomainError::param("Value", "must be \"true\" or \"false\"")),
    }
}

/// `InstanceAlias`: 1–45 letters, digits and inner hyphens, not starting with `d-`.
pub fn validate_alias(alias: &str) -> Result<(), DomainError> {
    let ok_chars = alias.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let len = alias.chars().count();
    if !(1..=45).contains(&len)
        || !ok_chars
        || alias.starts_with("d-")
        || alias.starts_with('-')
        || alias.ends_with('-')
    {
        return Err(DomainError::param(
            "InstanceAlias",
            "must be 1-45 letters, digits and hyphens, must not start or end with a hyphen, and must not start with \"d-\"",
        ));
    }
    Ok(())
}

/// `DirectoryId`: `d-` followed by ten lowercase hex digits.
pub fn validate_directory_id(id: &str) -> Result<(), DomainError> {
    let ok = id.len() == 12
        && id.starts_with("d-")
        && id[2..]
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    if ok {
        Ok(())
    } else {
        Err(DomainError::param(
            "DirectoryId",
            "must match ^d-[0-9a-f]{10}$",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_real_service() {
        use InstanceAttributeType::*;
        assert!(ContactLens.default_value(false, false));
        assert!(EarlyMedia.default_value(false, false));
        assert!(AutoResolveBestVoices.default_value(false, false));
        assert!(!ContactflowLogs.default_value(true, true));
        assert!(InboundCalls.default_value(true, false));
        assert!(!OutboundCalls.default_value(true, false));
        for a in InstanceAttributeType::ALL {
            assert_eq!(InstanceAttributeType::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn aliases() {
        assert!(validate_alias("my-center-1").is_ok());
        for bad in ["", "d-abc", "-x", "x-", "a_b", &"a".repeat(46)] {
            assert!(validate_alias(bad).is_err(), "{bad}");
        }
        assert!(validate_directory_id("d-0123456789").is_ok());
        assert!(validate_directory_id("d-012345678Z").is_err());
    }
}
