//! Per-channel user settings (`UpdateUserConfig`, 2026-02-10) and the legacy
//! `PhoneConfig`, which is only a view of them.
//!
//! The per-channel lists are the truth. `PhoneConfig` reads the VOICE entries; when
//! written (CreateUser, UpdateUserPhoneConfig) its `AutoAccept`, phone type, desk
//! number and persistent connection change VOICE, and its after-contact-work limit
//! changes every channel, as the legacy API always did.

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Voice,
    Chat,
    Task,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Voice, Channel::Chat, Channel::Task, Channel::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Voice => "VOICE",
            Channel::Chat => "CHAT",
            Channel::Task => "TASK",
            Channel::Email => "EMAIL",
        }
    }
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| DomainError::param(field, "must be one of VOICE, CHAT, TASK, EMAIL"))
    }
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneType {
    SoftPhone,
    DeskPhone,
}

impl PhoneType {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneType::SoftPhone => "SOFT_PHONE",
            PhoneType::DeskPhone => "DESK_PHONE",
        }
    }
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        match s {
            "SOFT_PHONE" => Ok(PhoneType::SoftPhone),
            "DESK_PHONE" => Ok(PhoneType::DeskPhone),
            _ => Err(DomainError::param(
                field,
                "must be one of SOFT_PHONE, DESK_PHONE",
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceEnhancementMode {
    VoiceIsolation,
    NoiseSuppression,
    None,
}

impl VoiceEnhancementMode {
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceEnhancementMode::VoiceIsolation => "VOICE_ISOLATION",
            VoiceEnhancementMode::NoiseSuppression => "NOISE_SUPPRESSION",
            VoiceEnhancementMode::None => "NONE",
        }
    }
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        match s {
            "VOICE_ISOLATION" => Ok(VoiceEnhancementMode::VoiceIsolation),
            "NOISE_SUPPRESSION" => Ok(VoiceEnhancementMode::NoiseSuppression),
            "NONE" => Ok(VoiceEnhancementMode::None),
            _ => Err(DomainError::param(
                field,
                "must be one of VOICE_ISOLATION, NOISE_SUPPRESSION, NONE",
            )),
        }
    }
}

/// An after-contact-work limit in seconds: 0 (indefinite) to 2,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AcwSeconds(u32);

impl AcwSeconds {
    pub const MAX: i64 = 2_000_000;
    pub const ZERO: AcwSeconds = AcwSeconds(0);

    pub fn parse(field: &str, v: i64) -> Result<Self, DomainError> {
        if (0..=Self::MAX).contains(&v) {
            Ok(AcwSeconds(v as u32))
        } else {
            Err(DomainError::param(
                field,
                "must be between 0 and 2000000 seconds (0 means indefinite)",
            ))
        }
    }
    pub fn seconds(self) -> u32 {
        self.0
    }
}

/// An E.164 phone number: `+` then 2 to 15 digits, the first not 0.
pub fn validate_e164(field: &str, number: &str) -> Result<(), DomainError> {
    let digits = number.strip_prefix('+').unwrap_or("");
    let ok = (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(DomainError::param(
            field,
            "must be a phone number in E.164 format, e.g. +12065550100",
        ))
    }
}

/// One channel's auto-accept and after-contact-work settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelSettings {
    pub auto_accept: bool,
    pub after_contact_work: AcwSeconds,
    /// VOICE only.
    pub agent_first_callback_auto_accept: Option<bool>,
    /// VOICE only.
    pub agent_first_callback_after_contact_work: Option<AcwSeconds>,
}

/// Every per-channel setting of a user. The agent-first callback settings exist on
/// VOICE only: the channel settings change only through [`UserConfig::apply`] and
/// [`UserConfig::apply_phone_config`], which refuse them elsewhere, and a store reads
/// them back through [`UserConfig::from_stored`], which has no place for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserConfig {
    /// Indexed by [`Channel`]: VOICE, CHAT, TASK, EMAIL.
    channels: [ChannelSettings; 4],
    /// VOICE phone settings.
    pub phone_type: PhoneType,
    pub desk_phone_number: Option<String>,
    /// VOICE persistent connection.
    pub persistent_connection: bool,
    /// VOICE enhancement.
    pub voice_enhancement: VoiceEnhancementMode,
}

impl Default for UserConfig {
    /// A new user's settings: nothing auto-accepted, indefinite ACW on every channel,
    /// a soft phone, no persistent connection, no voice enhancement.
    fn default() -> Self {
        let plain = ChannelSettings {
            auto_accept: false,
            after_contact_work: AcwSeconds::ZERO,
            agent_first_callback_auto_accept: None,
            agent_first_callback_after_contact_work: None,
        };
        let mut channels = [plain; 4];
        channels[Channel::Voice.index()].agent_first_callback_auto_accept = Some(false);
        UserConfig {
            channels,
            phone_type: PhoneType::SoftPhone,
            desk_phone_number: None,
            persistent_connection: false,
            voice_enhancement: VoiceEnhancementMode::None,
        }
    }
}

impl UserConfig {
    /// Settings as a store kept them: VOICE's in full, and auto-accept and
    /// after-contact work for CHAT, TASK and EMAIL, in that order.
    pub fn from_stored(
        voice: ChannelSettings,
        others: [(bool, AcwSeconds); 3],
        phone_type: PhoneType,
        desk_phone_number: Option<String>,
        persistent_connection: bool,
        voice_enhancement: VoiceEnhancementMode,
    ) -> Self {
        let plain = |(auto_accept, after_contact_work): (bool, AcwSeconds)| ChannelSettings {
            auto_accept,
            after_contact_work,
            agent_first_callback_auto_accept: None,
            agent_first_callback_after_contact_work: None,
        };
        let [chat, task, email] = others;
        UserConfig {
            channels: [voice, plain(chat), plain(task), plain(email)],
            phone_type,
            desk_phone_number,
            persistent_connection,
            voice_enhancement,
        }
    }
}

/// The legacy `PhoneConfig`, derived from the channel settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneConfigView {
    pub phone_type: PhoneType,
    pub auto_accept: bool,
    pub after_contact_work: AcwSeconds,
    pub desk_phone_number: Option<String>,
    pub persistent_connection: bool,
}

/// The members of a `PhoneConfig` as sent in CreateUser or UpdateUserPhoneConfig;
/// absent members leave their settings as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneConfigChange {
    pub phone_type: Option<PhoneType>,
    pub auto_accept: Option<bool>,
    pub after_contact_work: Option<AcwSeconds>,
    pub desk_phone_number: Option<String>,
    pub persistent_connection: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoAcceptEntry {
    pub channel: Channel,
    pub auto_accept: bool,
    pub agent_first_callback_auto_accept: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterContactWorkEntry {
    pub channel: Channel,
    pub after_contact_work: AcwSeconds,
    pub agent_first_callback_after_contact_work: Option<AcwSeconds>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumberEntry {
    pub channel: Channel,
    pub phone_type: PhoneType,
    pub phone_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistentConnectionEntry {
    pub channel: Channel,
    pub persistent_connection: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceEnhancementEntry {
    pub channel: Channel,
    pub mode: VoiceEnhancementMode,
}

/// One per-channel list as sent, each entry parsed by `parse`, which names a member of
/// entry `i` as `list[i].member`. A list not sent stays `None`.
pub fn parse_entries<E, T>(
    list: &Option<Vec<E>>,
    name: &str,
    parse: impl Fn(&dyn Fn(&str) -> String, &E) -> Result<T, DomainError>,
) -> Result<Option<Vec<T>>, DomainError> {
    list.as_ref()
        .map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, e)| parse(&|m: &str| format!("{name}[{i}].{m}"), e))
                .collect()
        })
        .transpose()
}

/// The five per-channel lists of CreateUser / UpdateUserConfig. `None` means the list
/// was not sent; each entry replaces its channel's setting in its list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigChange {
    pub auto_accept: Option<Vec<AutoAcceptEntry>>,
    pub after_contact_work: Option<Vec<AfterContactWorkEntry>>,
    pub phone_numbers: Option<Vec<PhoneNumberEntry>>,
    pub persistent_connection: Option<Vec<PersistentConnectionEntry>>,
    pub voice_enhancement: Option<Vec<VoiceEnhancementEntry>>,
}

impl ConfigChange {
    pub fn is_empty(&self) -> bool {
        self.auto_accept.is_none()
            && self.after_contact_work.is_none()
            && self.phone_numbers.is_none()
            && self.persistent_connection.is_none()
            && self.voice_enhancement.is_none()
    }

    /// The rules a change obeys on its own: a channel at most once per list; the
    /// VOICE-only lists and members name VOICE only; a desk phone has a number.
    pub fn validate(&self) -> Result<(), DomainError> {
        fn once<T>(
            list: &str,
            entries: &[T],
            channel: impl Fn(&T) -> Channel,
        ) -> Result<(), DomainError> {
            let mut seen = Vec::new();
            for (i, e) in entries.iter().enumerate() {
                let c = channel(e);
                if seen.contains(&c) {
                    return Err(DomainError::param(
                        format!("{list}[{i}].Channel"),
                        format!("channel {} appears more than once in {list}", c.as_str()),
                    ));
                }
                seen.push(c);
            }
            Ok(())
        }
        fn voice_only(list: &str, i: usize, c: Channel, what: &str) -> Result<(), DomainError> {
            if c != Channel::Voice {
                return Err(DomainError::param(
                    format!("{list}[{i}].Channel"),
                    format!("{what} supports only the VOICE channel, not {}", c.as_str()),
                ));
            }
            Ok(())
        }
        if let Some(list) = &self.auto_accept {
            once("AutoAcceptConfigs", list, |e| e.channel)?;
            for (i, e) in list.iter().enumerate() {
                if e.agent_first_callback_auto_accept.is_some() {
                    voice_only(
                        "AutoAcceptConfigs",
                        i,
                        e.channel,
                        "AgentFirstCallbackAutoAccept",
                    )?;
                }
            }
        }
        if let Some(list) = &self.after_contact_work {
            once("AfterContactWorkConfigs", list, |e| e.channel)?;
            for (i, e) in list.iter().enumerate() {
                if e.agent_first_callback_after_contact_work.is_some() {
                    voice_only(
                        "AfterContactWorkConfigs",
                        i,
                        e.channel,
                        "AgentFirstCallbackAfterContactWorkConfig",
                    )?;
                }
            }
        }
        if let Some(list) = &self.phone_numbers {
            once("PhoneNumberConfigs", list, |e| e.channel)?;
            for (i, e) in list.iter().enumerate() {
                voice_only("PhoneNumberConfigs", i, e.channel, "PhoneNumberConfigs")?;
                match (&e.phone_type, &e.phone_number) {
                    (PhoneType::DeskPhone, None) => {
                        return Err(DomainError::param(
                            format!("PhoneNumberConfigs[{i}].PhoneNumber"),
                            "is required when PhoneType is DESK_PHONE",
                        ))
                    }
                    (_, Some(n)) => {
                        validate_e164(&format!("PhoneNumberConfigs[{i}].PhoneNumber"), n)?
                    }
                    _ => {}
                }
            }
        }
        if let Some(list) = &self.persistent_connection {
            once("PersistentConnectionConfigs", list, |e| e.channel)?;
            for (i, e) in list.iter().enumerate() {
                voice_only(
                    "PersistentConnectionConfigs",
                    i,
                    e.channel,
                    "PersistentConnectionConfigs",
                )?;
            }
        }
        if let Some(list) = &self.voice_enhancement {
            once("VoiceEnhancementConfigs", list, |e| e.channel)?;
            for (i, e) in list.iter().enumerate() {
                voice_only(
                    "VoiceEnhancementConfigs",
                    i,
                    e.channel,
                    "VoiceEnhancementConfigs",
                )?;
            }
        }
        Ok(())
    }

    /// CreateUser may set a setting through `PhoneConfig` or through its channel list,
    /// not both.
    pub fn check_no_overlap(&self, phone: &PhoneConfigChange) -> Result<(), DomainError> {
        let clash = |legacy: &str, list: &str| {
            Err(DomainError::request(
                format!("PhoneConfig.{legacy}"),
                format!("cannot be sent together with {list}; set it in one place"),
            ))
        };
        if phone.auto_accept.is_some() && self.auto_accept.is_some() {
            return clash("AutoAccept", "AutoAcceptConfigs");
        }
        if phone.after_contact_work.is_some() && self.after_contact_work.is_some() {
            return clash("AfterContactWorkTimeLimit", "AfterContactWorkConfigs");
        }
        if phone.phone_type.is_some() && self.phone_numbers.is_some() {
            return clash("PhoneType", "PhoneNumberConfigs");
        }
        if phone.desk_phone_number.is_some() && self.phone_numbers.is_some() {
            return clash("DeskPhoneNumber", "PhoneNumberConfigs");
        }
        if phone.persistent_connection.is_some() && self.persistent_connection.is_some() {
            return clash("PersistentConnection", "PersistentConnectionConfigs");
        }
        Ok(())
    }
}

impl UserConfig {
    pub fn channel(&self, c: Channel) -> &ChannelSettings {
        &self.channels[c.index()]
    }

    /// The legacy `PhoneConfig` view.
    pub fn phone_config(&self) -> PhoneConfigView {
        let voice = self.channel(Channel::Voice);
        PhoneConfigView {
            phone_type: self.phone_type,
            auto_accept: voice.auto_accept,
            after_contact_work: voice.after_contact_work,
            desk_phone_number: self.desk_phone_number.clone(),
            persistent_connection: self.persistent_connection,
        }
    }

    /// Merges a validated per-channel change: each entry replaces its channel's
    /// setting; channels and lists not sent stay as they were.
    pub fn apply(&mut self, change: &ConfigChange) -> Result<(), DomainError> {
        change.validate()?;
        let mut next = self.clone();
        for e in change.auto_accept.iter().flatten() {
            let s = &mut next.channels[e.channel.index()];
            s.auto_accept = e.auto_accept;
            if e.channel == Channel::Voice {
                s.agent_first_callback_auto_accept =
                    Some(e.agent_first_callback_auto_accept.unwrap_or(false));
            }
        }
        for e in change.after_contact_work.iter().flatten() {
            let s = &mut next.channels[e.channel.index()];
            s.after_contact_work = e.after_contact_work;
            if e.channel == Channel::Voice {
                s.agent_first_callback_after_contact_work =
                    e.agent_first_callback_after_contact_work;
            }
        }
        for e in change.phone_numbers.iter().flatten() {
            next.phone_type = e.phone_type;
            next.desk_phone_number = e.phone_number.clone();
        }
        for e in change.persistent_connection.iter().flatten() {
            next.persistent_connection = e.persistent_connection;
        }
        for e in change.voice_enhancement.iter().flatten() {
            next.voice_enhancement = e.mode;
        }
        *self = next;
        Ok(())
    }

    /// Writes through the legacy `PhoneConfig`: `AutoAccept`, phone type, desk number and
    /// persistent connection change VOICE; the after-contact-work limit changes every
    /// channel. Sending `PhoneType` replaces the desk number with the one sent.
    pub fn apply_phone_config(&mut self, change: &PhoneConfigChange) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(a) = change.auto_accept {
            next.channels[Channel::Voice.index()].auto_accept = a;
        }
        if let Some(acw) = change.after_contact_work {
            for s in next.channels.iter_mut() {
                s.after_contact_work = acw;
            }
        }
        if let Some(t) = change.phone_type {
            next.phone_type = t;
            next.desk_phone_number = change.desk_phone_number.clone();
        } else if let Some(n) = &change.desk_phone_number {
            next.desk_phone_number = Some(n.clone());
        }
        if let Some(p) = change.persistent_connection {
            next.persistent_connection = p;
        }
        if let Some(n) = &next.desk_phone_number {
            validate_e164("PhoneConfig.DeskPhoneNumber", n)?;
        }
        if next.phone_type == PhoneType::DeskPhone && next.desk_phone_number.is_none() {
            return Err(DomainError::param(
                "PhoneConfig.DeskPhoneNumber",
                "is required when PhoneType is DESK_PHONE",
            ));
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acw(s: i64) -> AcwSeconds {
        AcwSeconds::parse("x", s).unwrap()
    }

    #[test]
    fn defaults_match_a_new_user() {
        let c = UserConfig::default();
        for ch in Channel::ALL {
            assert!(!c.channel(ch).auto_accept);
            assert_eq!(c.channel(ch).after_contact_work, AcwSeconds::ZERO);
        }
        assert_eq!(
            c.channel(Channel::Voice).agent_first_callback_auto_accept,
            Some(false)
        );
        assert_eq!(
            c.channel(Channel::Chat).agent_first_callback_auto_accept,
            None
        );
        assert_eq!(c.phone_type, PhoneType::SoftPhone);
        assert_eq!(c.voice_enhancement, VoiceEnhancementMode::None);
    }

    #[test]
    fn acw_range() {
        assert!(AcwSeconds::parse("f", 0).is_ok());
        assert!(AcwSeconds::parse("f", 2_000_000).is_ok());
        assert!(AcwSeconds::parse("f", 2_000_001).is_err());
        assert!(AcwSeconds::parse("f", -1).is_err());
    }

    #[test]
    fn legacy_acw_sets_every_channel_and_auto_accept_only_voice() {
        let mut c = UserConfig::default();
        c.apply_phone_config(&PhoneConfigChange {
            auto_accept: Some(true),
            after_contact_work: Some(acw(30)),
            ..Default::default()
        })
        .unwrap();
        for ch in Channel::ALL {
            assert_eq!(c.channel(ch).after_contact_work, acw(30));
        }
        assert!(c.channel(Channel::Voice).auto_accept);
        assert!(!c.channel(Channel::Chat).auto_accept);
        let v = c.phone_config();
        assert!(v.auto_accept);
        assert_eq!(v.after_contact_work, acw(30));
    }

    #[test]
    fn merge_by_channel_keeps_the_rest() {
        let mut c = UserConfig::default();
        c.apply(&ConfigChange {
            after_contact_work: Some(vec![AfterContactWorkEntry {
                channel: Channel::Chat,
                after_contact_work: acw(60),
                agent_first_callback_after_contact_work: None,
            }]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.channel(Channel::Chat).after_contact_work, acw(60));
        assert_eq!(
            c.channel(Channel::Voice).after_contact_work,
            AcwSeconds::ZERO
        );
        assert_eq!(c.phone_config().after_contact_work, AcwSeconds::ZERO);
    }

    #[test]
    fn rejected_changes_leave_the_config_alone() {
        let mut c = UserConfig::default();
        let before = c.clone();
        let dup = ConfigChange {
            auto_accept: Some(vec![
                AutoAcceptEntry {
                    channel: Channel::Chat,
                    auto_accept: true,
                    agent_first_callback_auto_accept: None,
                },
                AutoAcceptEntry {
                    channel: Channel::Chat,
                    auto_accept: false,
                    agent_first_callback_auto_accept: None,
                },
            ]),
            ..Default::default()
        };
        assert!(c.apply(&dup).is_err());
        let chat_phone = ConfigChange {
            phone_numbers: Some(vec![PhoneNumberEntry {
                channel: Channel::Chat,
                phone_type: PhoneType::SoftPhone,
                phone_number: None,
            }]),
            ..Default::default()
        };
        assert!(c.apply(&chat_phone).is_err());
        let desk_without_number = ConfigChange {
            phone_numbers: Some(vec![PhoneNumberEntry {
                channel: Channel::Voice,
                phone_type: PhoneType::DeskPhone,
                phone_number: None,
            }]),
            ..Default::default()
        };
        assert!(c.apply(&desk_without_number).is_err());
        let callback_on_chat = ConfigChange {
            auto_accept: Some(vec![AutoAcceptEntry {
                channel: Channel::Chat,
                auto_accept: true,
                agent_first_callback_auto_accept: Some(true),
            }]),
            ..Default::default()
        };
        assert!(c.apply(&callback_on_chat).is_err());
        assert!(c
            .apply_phone_config(&PhoneConfigChange {
                phone_type: Some(PhoneType::DeskPhone),
                ..Default::default()
            })
            .is_err());
        assert_eq!(c, before);
    }

    #[test]
    fn overlap_between_phone_config_and_lists_is_refused() {
        let change = ConfigChange {
            auto_accept: Some(vec![]),
            ..Default::default()
        };
        let phone = PhoneConfigChange {
            auto_accept: Some(true),
            ..Default::default()
        };
        assert!(matches!(
            change.check_no_overlap(&phone),
            Err(DomainError::InvalidRequest { .. })
        ));
        let phone = PhoneConfigChange {
            after_contact_work: Some(acw(1)),
            ..Default::default()
        };
        assert!(change.check_no_overlap(&phone).is_ok());
    }

    #[test]
    fn e164() {
        assert!(validate_e164("f", "+12065550100").is_ok());
        for bad in ["12065550100", "+0123", "+1", "+1234567890123456", "+12a"] {
            assert!(validate_e164("f", bad).is_err(), "{bad}");
        }
    }
}
