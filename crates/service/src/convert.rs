//! Between the model's user shapes and the domain's per-channel settings.

use roster_api as api;
use roster_domain::channel::{parse_entries as entries, *};
use roster_domain::user::User;
use roster_domain::DomainError;

/// An `AfterContactWorkConfig`. Its `AfterContactWorkTimeLimit` has the model default
/// 0, which SDKs leave out of the request, so an absent limit is 0 (indefinite).
fn acw(field: String, cfg: &api::AfterContactWorkConfig) -> Result<AcwSeconds, DomainError> {
    let seconds = cfg.after_contact_work_time_limit.unwrap_or(0);
    AcwSeconds::parse(
        &format!("{field}.AfterContactWorkTimeLimit"),
        seconds as i64,
    )
}

/// The five per-channel lists of a request, parsed. Lists not sent stay `None`.
pub(crate) fn config_change(
    auto_accept: &Option<Vec<api::AutoAcceptConfig>>,
    after_contact_work: &Option<Vec<api::AfterContactWorkConfigPerChannel>>,
    phone_numbers: &Option<Vec<api::PhoneNumberConfig>>,
    persistent: &Option<Vec<api::PersistentConnectionConfig>>,
    voice_enhancement: &Option<Vec<api::VoiceEnhancementConfig>>,
) -> Result<ConfigChange, DomainError> {
    let change = ConfigChange {
        auto_accept: entries(auto_accept, "AutoAcceptConfigs", |f, e| {
            Ok(AutoAcceptEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                auto_accept: e.auto_accept,
                agent_first_callback_auto_accept: e.agent_first_callback_auto_accept,
            })
        })?,
        after_contact_work: entries(after_contact_work, "AfterContactWorkConfigs", |f, e| {
            Ok(AfterContactWorkEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                after_contact_work: acw(f("AfterContactWorkConfig"), &e.after_contact_work_config)?,
                agent_first_callback_after_contact_work: e
                    .agent_first_callback_after_contact_work_config
                    .as_ref()
                    .map(|c| acw(f("AgentFirstCallbackAfterContactWorkConfig"), c))
                    .transpose()?,
            })
        })?,
        phone_numbers: entries(phone_numbers, "PhoneNumberConfigs", |f, e| {
            Ok(PhoneNumberEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                phone_type: PhoneType::parse(&f("PhoneType"), &e.phone_type)?,
                phone_number: e.phone_number.clone(),
            })
        })?,
        persistent_connection: entries(persistent, "PersistentConnectionConfigs", |f, e| {
            Ok(PersistentConnectionEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                persistent_connection: e.persistent_connection,
            })
        })?,
        voice_enhancement: entries(voice_enhancement, "VoiceEnhancementConfigs", |f, e| {
            Ok(VoiceEnhancementEntry {
                channel: Channel::parse(&f("Channel"), &e.channel)?,
                mode: VoiceEnhancementMode::parse(
                    &f("VoiceEnhancementMode"),
                    &e.voice_enhancement_mode,
                )?,
            })
        })?,
    };
    change.validate()?;
    Ok(change)
}

/// A `PhoneConfig` as sent, parsed.
pub(crate) fn phone_change(p: &api::UserPhoneConfig) -> Result<PhoneConfigChange, DomainError> {
    Ok(PhoneConfigChange {
        phone_type: p
            .phone_type
            .as_deref()
            .map(|t| PhoneType::parse("PhoneConfig.PhoneType", t))
            .transpose()?,
        auto_accept: p.auto_accept,
        after_contact_work: p
            .after_contact_work_time_limit
            .map(|s| AcwSeconds::parse("PhoneConfig.AfterContactWorkTimeLimit", s as i64))
            .transpose()?,
        desk_phone_number: p.desk_phone_number.clone(),
        persistent_connection: p.persistent_connection,
    })
}

/// UpdateUserPhoneConfig's `PhoneConfig`, parsed. The sent `PhoneConfig` is the whole
/// legacy view: `AutoAccept` and `AfterContactWorkTimeLimit` carry model defaults
/// (false, 0) that SDKs leave out of the request, so an absent one means its default,
/// not "unchanged".
pub(crate) fn phone_update(p: &api::UserPhoneConfig) -> Result<PhoneConfigChange, DomainError> {
    let mut change = phone_change(p)?;
    change.auto_accept.get_or_insert(false);
    change.after_contact_work.get_or_insert(AcwSeconds::ZERO);
    Ok(change)
}

/// UpdateUserHierarchy's group: none, or an empty id, removes the user's group.
pub(crate) fn hierarchy_update(group: &Option<String>) -> Option<String> {
    group.clone().filter(|g| !g.is_empty())
}

/// How after-contact-work limits are written in a response: DescribeUser uses
/// seconds, SearchUsers milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AcwUnit {
    Seconds,
    Milliseconds,
}

impl AcwUnit {
    fn render(self, a: AcwSeconds) -> i32 {
        match self {
            AcwUnit::Seconds => a.seconds() as i32,
            AcwUnit::Milliseconds => (a.seconds() as i64 * 1000).min(i32::MAX as i64) as i32,
        }
    }
}

/// The five per-channel lists and the derived `PhoneConfig` of a user.
pub(crate) struct RenderedConfig {
    pub phone_config: api::UserPhoneConfig,
    pub auto_accept: Vec<api::AutoAcceptConfig>,
    pub after_contact_work: Vec<api::AfterContactWorkConfigPerChannel>,
    pub phone_numbers: Vec<api::PhoneNumberConfig>,
    pub persistent_connection: Vec<api::PersistentConnectionConfig>,
    pub voice_enhancement: Vec<api::VoiceEnhancementConfig>,
}

pub(crate) fn render_config(c: &UserConfig, unit: AcwUnit) -> RenderedConfig {
    let view = c.phone_config();
    RenderedConfig {
        phone_config: api::UserPhoneConfig {
            phone_type: Some(view.phone_type.as_str().into()),
            auto_accept: Some(view.auto_accept),
            after_contact_work_time_limit: Some(unit.render(view.after_contact_work)),
            desk_phone_number: view.desk_phone_number,
            persistent_connection: Some(view.persistent_connection),
        },
        auto_accept: Channel::ALL
            .iter()
            .map(|ch| {
                let s = c.channel(*ch);
                api::AutoAcceptConfig {
                    channel: ch.as_str().into(),
                    auto_accept: s.auto_accept,
                    agent_first_callback_auto_accept: s.agent_first_callback_auto_accept,
                }
            })
            .collect(),
        after_contact_work: Channel::ALL
            .iter()
            .map(|ch| {
                let s = c.channel(*ch);
                api::AfterContactWorkConfigPerChannel {
                    channel: ch.as_str().into(),
                    after_contact_work_config: api::AfterContactWorkConfig {
                        after_contact_work_time_limit: Some(unit.render(s.after_contact_work)),
                    },
                    agent_first_callback_after_contact_work_config: s
                        .agent_first_callback_after_contact_work
                        .map(|a| api::AfterContactWorkConfig {
                            after_contact_work_time_limit: Some(unit.render(a)),
                        }),
                }
            })
            .collect(),
        phone_numbers: vec![api::PhoneNumberConfig {
            channel: "VOICE".into(),
            phone_type: c.phone_type.as_str().into(),
            phone_number: c.desk_phone_number.clone(),
        }],
        persistent_connection: vec![api::PersistentConnectionConfig {
            channel: "VOICE".into(),
            persistent_connection: c.persistent_connection,
        }],
        voice_enhancement: vec![api::VoiceEnhancementConfig {
            channel: "VOICE".into(),
            voice_enhancement_mode: c.voice_enhancement.as_str().into(),
        }],
    }
}

/// DescribeUser's `User`.
pub(crate) fn user_shape(arn: String, u: &User) -> api::User {
    let r = render_config(&u.config, AcwUnit::Seconds);
    api::User {
        id: Some(u.id.clone()),
        arn: Some(arn),
        username: Some(u.username.as_str().to_string()),
        identity_info: Some(api::UserIdentityInfo {
            first_name: u.identity.first_name.clone(),
            last_name: u.identity.last_name.clone(),
            email: u.identity.email.clone(),
            secondary_email: u.identity.secondary_email.clone(),
            mobile: u.identity.mobile.clone(),
        }),
        phone_config: Some(r.phone_config),
        directory_user_id: u.directory_user_id.clone(),
        security_profile_ids: Some(u.security_profile_ids.to_vec()),
        routing_profile_id: Some(u.routing_profile_id.clone()),
        hierarchy_group_id: u.hierarchy_group_id.clone(),
        tags: Some(u.tags.clone()),
        auto_accept_configs: Some(r.auto_accept),
        after_contact_work_configs: Some(r.after_contact_work),
        phone_number_configs: Some(r.phone_numbers),
        persistent_connection_configs: Some(r.persistent_connection),
        voice_enhancement_configs: Some(r.voice_enhancement),
        last_modified_time: Some(u.modified.time.epoch_seconds()),
        last_modified_region: Some(u.modified.region.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_renders_milliseconds_and_describe_seconds() {
        let mut c = UserConfig::default();
        c.apply_phone_config(&PhoneConfigChange {
            after_contact_work: Some(AcwSeconds::parse("x", 45).unwrap()),
            ..Default::default()
        })
        .unwrap();
        let s = render_config(&c, AcwUnit::Seconds);
        let ms = render_config(&c, AcwUnit::Milliseconds);
        assert_eq!(s.phone_config.after_contact_work_time_limit, Some(45));
        assert_eq!(ms.phone_config.after_contact_work_time_limit, Some(45_000));
        assert!(ms
            .after_contact_work
            .iter()
            .all(|e| e.after_contact_work_config.after_contact_work_time_limit == Some(45_000)));
    }

    #[test]
    fn an_absent_acw_limit_is_the_model_default_zero() {
        let list = Some(vec![api::AfterContactWorkConfigPerChannel {
            channel: "CHAT".into(),
            after_contact_work_config: api::AfterContactWorkConfig {
                after_contact_work_time_limit: None,
            },
            ..Default::default()
        }]);
        let change = config_change(&None, &list, &None, &None, &None).unwrap();
        assert_eq!(
            change.after_contact_work.unwrap()[0].after_contact_work,
            AcwSeconds::ZERO
        );
    }

    #[test]
    fn lists_are_parsed_with_named_fields() {
        let bad = Some(vec![api::AutoAcceptConfig {
            channel: "FAX".into(),
            auto_accept: true,
            ..Default::default()
        }]);
        let e = config_change(&bad, &None, &None, &None, &None).unwrap_err();
        assert_eq!(e.field(), "AutoAcceptConfigs[0].Channel");
    }
}
