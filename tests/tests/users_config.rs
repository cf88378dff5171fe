//! Per-channel user settings (UpdateUserConfig, 2026-02-10) and the legacy
//! `PhoneConfig`, which is a view of them (contract §6).

use std::collections::BTreeMap;
use std::fmt::Debug;

use roster_tests::aws_sdk_connect::operation::update_user_config::builders::UpdateUserConfigFluentBuilder;
use roster_tests::aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel,
    PersistentConnectionConfig, PhoneNumberConfig, PhoneType, User, UserIdentityInfo,
    UserPhoneConfig, VoiceEnhancementConfig, VoiceEnhancementMode,
};
use roster_tests::*;
use serde_json::json;

const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];

/// What these tests ask of the fixture besides users.
trait Extras {
    fn config(&self, id: &str) -> UpdateUserConfigFluentBuilder;
    async fn settings(&self, id: &str) -> Settings;
    async fn user_count(&self) -> usize;
}

impl Extras for Fx {
    fn config(&self, id: &str) -> UpdateUserConfigFluentBuilder {
        self.client
            .update_user_config()
            .instance_id(&self.instance)
            .user_id(id)
    }

    async fn settings(&self, id: &str) -> Settings {
        settings(&self.describe(id).await)
    }

    async fn user_count(&self) -> usize {
        self.client
            .list_users()
            .instance_id(&self.instance)
            .max_results(1000)
            .send()
            .await
            .expect("list users")
            .user_summary_list()
            .len()
    }
}

const PARAM: &str = "InvalidParameterException";
const REQUEST: &str = "InvalidRequestException";

// ---- request entries -------------------------------------------------------------------

fn aa(channel: &str, on: bool, callback: Option<bool>) -> AutoAcceptConfig {
    AutoAcceptConfig::builder()
        .channel(Channel::from(channel))
        .auto_accept(on)
        .set_agent_first_callback_auto_accept(callback)
        .build()
        .unwrap()
}

fn acw(channel: &str, seconds: i32, callback: Option<i32>) -> AfterContactWorkConfigPerChannel {
    AfterContactWorkConfigPerChannel::builder()
        .channel(Channel::from(channel))
        .after_contact_work_config(
            AfterContactWorkConfig::builder()
                .after_contact_work_time_limit(seconds)
                .build(),
        )
        .set_agent_first_callback_after_contact_work_config(callback.map(|s| {
            AfterContactWorkConfig::builder()
                .after_contact_work_time_limit(s)
                .build()
        }))
        .build()
        .unwrap()
}

fn phone(channel: &str, phone_type: &str, number: Option<&str>) -> PhoneNumberConfig {
    PhoneNumberConfig::builder()
        .channel(Channel::from(channel))
        .phone_type(PhoneType::from(phone_type))
        .set_phone_number(number.map(str::to_string))
        .build()
        .unwrap()
}

fn persistent(channel: &str, on: bool) -> PersistentConnectionConfig {
    PersistentConnectionConfig::builder()
        .channel(Channel::from(channel))
        .persistent_connection(on)
        .build()
        .unwrap()
}

fn enhancement(channel: &str, mode: &str) -> VoiceEnhancementConfig {
    VoiceEnhancementConfig::builder()
        .channel(Channel::from(channel))
        .voice_enhancement_mode(VoiceEnhancementMode::from(mode))
        .build()
        .unwrap()
}

// ---- the settings DescribeUser shows -----------------------------------------------------

/// A user's per-channel settings keyed by channel, and its `PhoneConfig`.
#[derive(Debug, Clone, PartialEq)]
struct Settings {
    /// channel → (AutoAccept, AgentFirstCallbackAutoAccept)
    auto_accept: BTreeMap<String, (bool, Option<bool>)>,
    /// channel → (limit, agent-first-callback limit)
    acw: BTreeMap<String, (i32, Option<i32>)>,
    /// channel → (PhoneType, PhoneNumber)
    phone: BTreeMap<String, (String, Option<String>)>,
    persistent: BTreeMap<String, bool>,
    enhancement: BTreeMap<String, String>,
    /// (PhoneType, AutoAccept, AfterContactWorkTimeLimit, DeskPhoneNumber, PersistentConnection)
    phone_config: (String, bool, i32, Option<String>, Option<bool>),
}

fn keyed<T, V>(
    list: &[T],
    channel: impl Fn(&T) -> String,
    value: impl Fn(&T) -> V,
) -> BTreeMap<String, V> {
    let map: BTreeMap<String, V> = list.iter().map(|e| (channel(e), value(e))).collect();
    assert_eq!(
        map.len(),
        list.len(),
        "a channel appears twice in a DescribeUser list"
    );
    map
}

/// Reads the settings of a described user and checks that its `PhoneConfig` is the view
/// of the VOICE entries.
fn settings(u: &User) -> Settings {
    let p = u.phone_config().expect("PhoneConfig");
    let s = Settings {
        auto_accept: keyed(
            u.auto_accept_configs(),
            |e| e.channel().as_str().to_string(),
            |e| (e.auto_accept(), e.agent_first_callback_auto_accept()),
        ),
        acw: keyed(
            u.after_contact_work_configs(),
            |e| e.channel().as_str().to_string(),
            |e| {
                (
                    e.after_contact_work_config()
                        .expect("AfterContactWorkConfig")
                        .after_contact_work_time_limit(),
                    e.agent_first_callback_after_contact_work_config()
                        .map(|c| c.after_contact_work_time_limit()),
                )
            },
        ),
        phone: keyed(
            u.phone_number_configs(),
            |e| e.channel().as_str().to_string(),
            |e| {
                (
                    e.phone_type().as_str().to_string(),
                    e.phone_number().map(str::to_string),
                )
            },
        ),
        persistent: keyed(
            u.persistent_connection_configs(),
            |e| e.channel().as_str().to_string(),
            |e| e.persistent_connection(),
        ),
        enhancement: keyed(
            u.voice_enhancement_configs(),
            |e| e.channel().as_str().to_string(),
            |e| e.voice_enhancement_mode().as_str().to_string(),
        ),
        phone_config: (
            p.phone_type().as_str().to_string(),
            p.auto_accept(),
            p.after_contact_work_time_limit(),
            p.desk_phone_number().map(str::to_string),
            p.persistent_connection(),
        ),
    };
    assert_eq!(
        s.phone_config,
        derived(&s),
        "PhoneConfig is not the view of the VOICE entries"
    );
    s
}

/// The `PhoneConfig` the VOICE entries imply.
fn derived(s: &Settings) -> (String, bool, i32, Option<String>, Option<bool>) {
    let (phone_type, number) = s
        .phone
        .get("VOICE")
        .cloned()
        .expect("PhoneNumberConfigs has VOICE");
    (
        phone_type,
        s.auto_accept
            .get("VOICE")
            .expect("AutoAcceptConfigs has VOICE")
            .0,
        s.acw
            .get("VOICE")
            .expect("AfterContactWorkConfigs has VOICE")
            .0,
        number,
        Some(
            *s.persistent
                .get("VOICE")
                .expect("PersistentConnectionConfigs has VOICE"),
        ),
    )
}

/// What a new user without settings has (contract §6).
fn defaults() -> Settings {
    let mut s = Settings {
        auto_accept: CHANNELS
            .iter()
            .map(|c| (c.to_string(), (false, None)))
            .collect(),
        acw: CHANNELS
            .iter()
            .map(|c| (c.to_string(), (0, None)))
            .collect(),
        phone: [("VOICE".to_string(), ("SOFT_PHONE".to_string(), None))].into(),
        persistent: [("VOICE".to_string(), false)].into(),
        enhancement: [("VOICE".to_string(), "NONE".to_string())].into(),
        phone_config: ("SOFT_PHONE".to_string(), false, 0, None, Some(false)),
    };
    s.auto_accept.insert("VOICE".into(), (false, Some(false)));
    s
}

impl Settings {
    /// Recomputes `phone_config` from the VOICE entries after a test changed them.
    fn rederive(mut self) -> Settings {
        self.phone_config = derived(&self);
        self
    }
}

// ---- tests -------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_user_has_the_default_settings() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("plain").await;
    assert_eq!(fx.settings(&id).await, defaults());

    // The same on every identity management type.
    for idm in ["CONNECT_MANAGED", "EXISTING_DIRECTORY"] {
        let i = create_instance(&fx.client, idm).await;
        let mut req = fx
            .client
            .create_user()
            .instance_id(&i)
            .username("plain")
            .identity_info(
                UserIdentityInfo::builder()
                    .first_name("A")
                    .last_name("B")
                    .build(),
            )
            .security_profile_ids(security_profile_id(&fx.client, &i, "Agent").await)
            .routing_profile_id(basic_routing_profile(&fx.client, &i).await);
        if idm == "CONNECT_MANAGED" {
            req = req.password("Secret123");
        }
        let uid = req.send().await.expect("create").user_id.unwrap();
        let u = fx
            .client
            .describe_user()
            .instance_id(&i)
            .user_id(&uid)
            .send()
            .await
            .unwrap()
            .user
            .unwrap();
        assert_eq!(settings(&u), defaults(), "{idm}");
    }

    // PhoneConfig on CreateUser: AutoAccept sets VOICE, the ACW limit every channel.
    let id = fx
        .create("legacy")
        .phone_config(
            UserPhoneConfig::builder()
                .auto_accept(true)
                .after_contact_work_time_limit(30)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    let mut want = defaults();
    want.auto_accept.insert("VOICE".into(), (true, Some(false)));
    for c in CHANNELS {
        want.acw.insert(c.into(), (30, None));
    }
    assert_eq!(fx.settings(&id).await, want.rederive());

    // Lists on CreateUser set their channels; the rest keep the defaults.
    let id = fx
        .create("lists")
        .auto_accept_configs(aa("CHAT", true, None))
        .after_contact_work_configs(acw("TASK", 90, None))
        .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100")))
        .persistent_connection_configs(persistent("VOICE", true))
        .voice_enhancement_configs(enhancement("VOICE", "VOICE_ISOLATION"))
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    let mut want = defaults();
    want.auto_accept.insert("CHAT".into(), (true, None));
    want.acw.insert("TASK".into(), (90, None));
    want.phone.insert(
        "VOICE".into(),
        ("DESK_PHONE".into(), Some("+12065550100".into())),
    );
    want.persistent.insert("VOICE".into(), true);
    want.enhancement
        .insert("VOICE".into(), "VOICE_ISOLATION".into());
    assert_eq!(fx.settings(&id).await, want.rederive());

    // A PhoneConfig member and a list for another setting may be combined.
    let id = fx
        .create("mixed")
        .phone_config(UserPhoneConfig::builder().auto_accept(true).build())
        .after_contact_work_configs(acw("VOICE", 15, None))
        .send()
        .await
        .expect("AutoAccept with AfterContactWorkConfigs")
        .user_id
        .unwrap();
    let mut want = defaults();
    want.auto_accept.insert("VOICE".into(), (true, Some(false)));
    want.acw.insert("VOICE".into(), (15, None));
    assert_eq!(fx.settings(&id).await, want.rederive());
}

#[tokio::test]
async fn update_user_config_merges_by_channel() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("merge").await;
    fx.config(&id)
        .after_contact_work_configs(acw("VOICE", 20, None))
        .auto_accept_configs(aa("TASK", true, None))
        .send()
        .await
        .unwrap();
    let mut want = defaults();
    want.acw.insert("VOICE".into(), (20, None));
    want.auto_accept.insert("TASK".into(), (true, None));
    let want = want.rederive();
    assert_eq!(fx.settings(&id).await, want);

    // CHAT's ACW changes; VOICE's, and every list not sent, stay.
    fx.config(&id)
        .after_contact_work_configs(acw("CHAT", 60, None))
        .send()
        .await
        .unwrap();
    let mut want = want;
    want.acw.insert("CHAT".into(), (60, None));
    assert_eq!(fx.settings(&id).await, want);
    assert_eq!(
        fx.settings(&id).await.phone_config.2,
        20,
        "PhoneConfig still shows VOICE's limit"
    );

    // Several channels in one list, each replaced; the others kept.
    fx.config(&id)
        .auto_accept_configs(aa("EMAIL", true, None))
        .auto_accept_configs(aa("TASK", false, None))
        .send()
        .await
        .unwrap();
    want.auto_accept.insert("EMAIL".into(), (true, None));
    want.auto_accept.insert("TASK".into(), (false, None));
    assert_eq!(fx.settings(&id).await, want);

    // An ACW of 0 (indefinite) goes back through the SDK, which leaves the 0 out.
    fx.config(&id)
        .after_contact_work_configs(acw("CHAT", 0, None))
        .send()
        .await
        .expect("ACW 0 through the SDK");
    want.acw.insert("CHAT".into(), (0, None));
    assert_eq!(fx.settings(&id).await, want);

    // An empty list is a list sent with nothing to change.
    fx.config(&id)
        .set_auto_accept_configs(Some(vec![]))
        .send()
        .await
        .unwrap();
    assert_eq!(fx.settings(&id).await, want);

    // No list at all is refused.
    let msg = fx
        .update_rejected(&id, fx.config(&id).send(), REQUEST, 400)
        .await;
    assert!(msg.contains("AutoAcceptConfigs"), "{msg}");
}

#[tokio::test]
async fn phone_config_is_derived_from_the_voice_entries() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("derive").await;
    fx.config(&id)
        .auto_accept_configs(aa("VOICE", true, Some(true)))
        .auto_accept_configs(aa("CHAT", false, None))
        .after_contact_work_configs(acw("VOICE", 120, Some(300)))
        .after_contact_work_configs(acw("EMAIL", 7, None))
        .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100")))
        .persistent_connection_configs(persistent("VOICE", true))
        .voice_enhancement_configs(enhancement("VOICE", "NOISE_SUPPRESSION"))
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(
        s.phone_config,
        (
            "DESK_PHONE".to_string(),
            true,
            120,
            Some("+12065550100".to_string()),
            Some(true)
        )
    );
    assert_eq!(s.auto_accept["VOICE"], (true, Some(true)));
    assert_eq!(s.acw["VOICE"], (120, Some(300)));
    assert_eq!(s.acw["EMAIL"], (7, None));
    assert_eq!(s.enhancement["VOICE"], "NOISE_SUPPRESSION");

    // Other channels do not show in PhoneConfig.
    fx.config(&id)
        .auto_accept_configs(aa("CHAT", true, None))
        .after_contact_work_configs(acw("CHAT", 999, None))
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(
        s.phone_config,
        (
            "DESK_PHONE".to_string(),
            true,
            120,
            Some("+12065550100".to_string()),
            Some(true)
        )
    );

    // Back to a soft phone: the VOICE entry is replaced, number and all.
    fx.config(&id)
        .phone_number_configs(phone("VOICE", "SOFT_PHONE", None))
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(s.phone["VOICE"], ("SOFT_PHONE".to_string(), None));
    assert_eq!(s.phone_config.0, "SOFT_PHONE");
    assert_eq!(s.phone_config.3, None);
}

#[tokio::test]
async fn update_user_phone_config_writes_acw_on_every_channel_and_auto_accept_on_voice() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("legacy").await;
    fx.config(&id)
        .after_contact_work_configs(acw("CHAT", 60, None))
        .after_contact_work_configs(acw("VOICE", 5, Some(50)))
        .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100")))
        .send()
        .await
        .unwrap();
    let before = fx.settings(&id).await;

    // Without PhoneType the phone entry stays (raw JSON: the SDK always sends PhoneType).
    let body = json!({"PhoneConfig": {"AutoAccept": true, "AfterContactWorkTimeLimit": 30}});
    let r = raw_json_request(
        &fx.server.addr,
        "POST",
        &format!("/users/{}/{id}/phone-config", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let mut want = before.clone();
    for c in CHANNELS {
        let callback = want.acw[c].1;
        want.acw.insert(c.into(), (30, callback));
    }
    want.auto_accept
        .insert("VOICE".into(), (true, before.auto_accept["VOICE"].1));
    let want = want.rederive();
    let after = fx.settings(&id).await;
    assert_eq!(after, want);
    for c in ["CHAT", "TASK", "EMAIL"] {
        assert!(
            !after.auto_accept[c].0,
            "AutoAccept through PhoneConfig changed {c}"
        );
    }
    assert_eq!(
        after.phone["VOICE"],
        ("DESK_PHONE".to_string(), Some("+12065550100".to_string()))
    );

    // Through the SDK (which always sends PhoneType), PhoneType replaces the VOICE phone entry.
    fx.client
        .update_user_phone_config()
        .instance_id(&fx.instance)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .after_contact_work_time_limit(45)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(s.phone["VOICE"], ("SOFT_PHONE".to_string(), None));
    assert!(s.acw.values().all(|(limit, _)| *limit == 45), "{s:?}");
    // The SDK leaves out AutoAccept=false (its model default), so an absent AutoAccept
    // is false: this is how an SDK user turns auto-accept off.
    assert!(
        !s.auto_accept["VOICE"].0,
        "an absent AutoAccept is its default, false"
    );

    // An absent AfterContactWorkTimeLimit is its default, 0, on every channel.
    fx.client
        .update_user_phone_config()
        .instance_id(&fx.instance)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .auto_accept(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert!(s.acw.values().all(|(limit, _)| *limit == 0), "{s:?}");
    assert!(s.auto_accept["VOICE"].0);

    // DeskPhoneNumber alone changes only the number.
    fx.config(&id)
        .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100")))
        .send()
        .await
        .unwrap();
    let body = json!({"PhoneConfig": {"DeskPhoneNumber": "+442071838750"}});
    let r = raw_json_request(
        &fx.server.addr,
        "POST",
        &format!("/users/{}/{id}/phone-config", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        fx.settings(&id).await.phone["VOICE"],
        ("DESK_PHONE".to_string(), Some("+442071838750".to_string()))
    );

    // PersistentConnection through PhoneConfig is VOICE's.
    let body = json!({"PhoneConfig": {"PersistentConnection": true}});
    let r = raw_json_request(
        &fx.server.addr,
        "POST",
        &format!("/users/{}/{id}/phone-config", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let s = fx.settings(&id).await;
    assert!(s.persistent["VOICE"]);
    assert_eq!(s.phone_config.4, Some(true));
}

#[tokio::test]
async fn create_user_refuses_a_phone_config_member_together_with_its_list() {
    let fx = Fx::new("SAML").await;
    let msg = fx
        .create_rejected(
            fx.create("p1")
                .phone_config(UserPhoneConfig::builder().auto_accept(true).build())
                .auto_accept_configs(aa("CHAT", true, None)),
            REQUEST,
            400,
        )
        .await;
    assert!(msg.contains("AutoAccept"), "{msg}");
    let msg = fx
        .create_rejected(
            fx.create("p2")
                .phone_config(
                    UserPhoneConfig::builder()
                        .after_contact_work_time_limit(30)
                        .build(),
                )
                .after_contact_work_configs(acw("CHAT", 10, None)),
            REQUEST,
            400,
        )
        .await;
    assert!(msg.contains("AfterContactWorkTimeLimit"), "{msg}");
    let msg = fx
        .create_rejected(
            fx.create("p3")
                .phone_config(
                    UserPhoneConfig::builder()
                        .phone_type(PhoneType::DeskPhone)
                        .desk_phone_number("+12065550100")
                        .build(),
                )
                .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100"))),
            REQUEST,
            400,
        )
        .await;
    assert!(msg.contains("PhoneNumberConfigs"), "{msg}");
    let msg = fx
        .create_rejected(
            fx.create("p4")
                .phone_config(
                    UserPhoneConfig::builder()
                        .persistent_connection(true)
                        .build(),
                )
                .persistent_connection_configs(persistent("VOICE", true)),
            REQUEST,
            400,
        )
        .await;
    assert!(msg.contains("PersistentConnection"), "{msg}");

    // Raw JSON: a DeskPhoneNumber alone clashes with PhoneNumberConfigs too.
    let body = json!({
        "Username": "p5",
        "IdentityInfo": {"FirstName": "A", "LastName": "B"},
        "PhoneConfig": {"DeskPhoneNumber": "+12065550100"},
        "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}],
        "SecurityProfileIds": [fx.agent],
        "RoutingProfileId": fx.rp,
    });
    let r = raw_json_request(
        &fx.server.addr,
        "PUT",
        &format!("/users/{}", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(
        (r.status, r.error_type()),
        (400, Some(REQUEST)),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(fx.user_count().await, 0);
}

#[tokio::test]
async fn a_channel_appears_at_most_once_per_list() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("twice").await;
    let c = |b: UpdateUserConfigFluentBuilder| b.send();
    let cases: Vec<(&str, UpdateUserConfigFluentBuilder)> = vec![
        (
            "AutoAcceptConfigs",
            fx.config(&id)
                .auto_accept_configs(aa("CHAT", true, None))
                .auto_accept_configs(aa("CHAT", false, None)),
        ),
        (
            "AfterContactWorkConfigs",
            fx.config(&id)
                .after_contact_work_configs(acw("VOICE", 1, None))
                .after_contact_work_configs(acw("VOICE", 2, None)),
        ),
        (
            "PhoneNumberConfigs",
            fx.config(&id)
                .phone_number_configs(phone("VOICE", "SOFT_PHONE", None))
                .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100"))),
        ),
        (
            "PersistentConnectionConfigs",
            fx.config(&id)
                .persistent_connection_configs(persistent("VOICE", true))
                .persistent_connection_configs(persistent("VOICE", true)),
        ),
        (
            "VoiceEnhancementConfigs",
            fx.config(&id)
                .voice_enhancement_configs(enhancement("VOICE", "NONE"))
                .voice_enhancement_configs(enhancement("VOICE", "VOICE_ISOLATION")),
        ),
    ];
    for (list, req) in cases {
        let msg = fx.update_rejected(&id, c(req), PARAM, 400).await;
        assert!(msg.contains(list), "{list}: {msg}");
    }
    let msg = fx
        .create_rejected(
            fx.create("dup")
                .auto_accept_configs(aa("EMAIL", true, None))
                .auto_accept_configs(aa("EMAIL", true, None)),
            PARAM,
            400,
        )
        .await;
    assert!(msg.contains("AutoAcceptConfigs"), "{msg}");
    assert_eq!(fx.settings(&id).await, defaults());
}

#[tokio::test]
async fn voice_only_lists_and_members_refuse_other_channels() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("voiceonly").await;
    for ch in ["CHAT", "TASK", "EMAIL"] {
        let cases: Vec<(&str, UpdateUserConfigFluentBuilder)> = vec![
            (
                "PhoneNumberConfigs",
                fx.config(&id)
                    .phone_number_configs(phone(ch, "SOFT_PHONE", None)),
            ),
            (
                "PersistentConnectionConfigs",
                fx.config(&id)
                    .persistent_connection_configs(persistent(ch, true)),
            ),
            (
                "VoiceEnhancementConfigs",
                fx.config(&id)
                    .voice_enhancement_configs(enhancement(ch, "NONE")),
            ),
            (
                "AgentFirstCallbackAutoAccept",
                fx.config(&id).auto_accept_configs(aa(ch, true, Some(true))),
            ),
            (
                "AgentFirstCallbackAfterContactWorkConfig",
                fx.config(&id)
                    .after_contact_work_configs(acw(ch, 10, Some(10))),
            ),
        ];
        for (what, req) in cases {
            let msg = fx.update_rejected(&id, req.send(), PARAM, 400).await;
            assert!(
                msg.contains(what) && msg.contains(ch),
                "{what} on {ch}: {msg}"
            );
        }
        fx.create_rejected(
            fx.create("v")
                .phone_number_configs(phone(ch, "SOFT_PHONE", None)),
            PARAM,
            400,
        )
        .await;
        fx.create_rejected(
            fx.create("v")
                .auto_accept_configs(aa(ch, true, Some(false))),
            PARAM,
            400,
        )
        .await;
    }
    assert_eq!(fx.settings(&id).await, defaults());
}

#[tokio::test]
async fn a_desk_phone_needs_an_e164_number() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("desk").await;
    let msg = fx
        .update_rejected(
            &id,
            fx.config(&id)
                .phone_number_configs(phone("VOICE", "DESK_PHONE", None))
                .send(),
            PARAM,
            400,
        )
        .await;
    assert!(msg.contains("PhoneNumber"), "{msg}");
    for bad in [
        "2065550100",
        "+0206555",
        "+1 206 555 0100",
        "+1206555010012345",
        "desk",
    ] {
        let msg = fx
            .update_rejected(
                &id,
                fx.config(&id)
                    .phone_number_configs(phone("VOICE", "DESK_PHONE", Some(bad)))
                    .send(),
                PARAM,
                400,
            )
            .await;
        assert!(
            msg.contains("PhoneNumber") && msg.contains("E.164"),
            "{bad}: {msg}"
        );
    }
    // Through PhoneConfig as well.
    let legacy = |p: UserPhoneConfig| {
        fx.client
            .update_user_phone_config()
            .instance_id(&fx.instance)
            .user_id(&id)
            .phone_config(p)
            .send()
    };
    fx.update_rejected(
        &id,
        legacy(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .build(),
        ),
        PARAM,
        400,
    )
    .await;
    fx.update_rejected(
        &id,
        legacy(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("555-0100")
                .build(),
        ),
        PARAM,
        400,
    )
    .await;
    fx.create_rejected(
        fx.create("d1").phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .build(),
        ),
        PARAM,
        400,
    )
    .await;
    fx.create_rejected(
        fx.create("d2")
            .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("12065550100"))),
        PARAM,
        400,
    )
    .await;
    assert_eq!(fx.settings(&id).await, defaults());

    // A good number is kept and shown in both places.
    fx.config(&id)
        .phone_number_configs(phone("VOICE", "DESK_PHONE", Some("+12065550100")))
        .send()
        .await
        .unwrap();
    let u = fx.describe(&id).await;
    assert_eq!(
        u.phone_config().unwrap().phone_type(),
        &PhoneType::DeskPhone
    );
    assert_eq!(
        u.phone_config().unwrap().desk_phone_number(),
        Some("+12065550100")
    );
    let voice = u
        .phone_number_configs()
        .iter()
        .find(|p| p.channel() == &Channel::Voice)
        .unwrap();
    assert_eq!(voice.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(voice.phone_number(), Some("+12065550100"));

    let id2 = fx
        .create("desk2")
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550100")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    assert_eq!(
        fx.settings(&id2).await.phone["VOICE"],
        ("DESK_PHONE".to_string(), Some("+12065550100".to_string()))
    );
}

#[tokio::test]
async fn acw_limits_in_the_lists() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("limits").await;
    for bad in [-1, 2_000_001] {
        let msg = fx
            .update_rejected(
                &id,
                fx.config(&id)
                    .after_contact_work_configs(acw("CHAT", bad, None))
                    .send(),
                PARAM,
                400,
            )
            .await;
        assert!(msg.contains("AfterContactWorkTimeLimit"), "{bad}: {msg}");
        fx.update_rejected(
            &id,
            fx.config(&id)
                .after_contact_work_configs(acw("VOICE", 1, Some(bad)))
                .send(),
            PARAM,
            400,
        )
        .await;
        fx.create_rejected(
            fx.create("l")
                .after_contact_work_configs(acw("TASK", bad, None)),
            PARAM,
            400,
        )
        .await;
    }
    fx.config(&id)
        .after_contact_work_configs(acw("CHAT", 2_000_000, None))
        .after_contact_work_configs(acw("VOICE", 2_000_000, Some(2_000_000)))
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(s.acw["CHAT"], (2_000_000, None));
    assert_eq!(s.acw["VOICE"], (2_000_000, Some(2_000_000)));
    // Explicit zeros, as other SDKs send them.
    let body = json!({"AfterContactWorkConfigs": [
        {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}},
        {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0},
         "AgentFirstCallbackAfterContactWorkConfig": {"AfterContactWorkTimeLimit": 0}}
    ]});
    let r = raw_json_request(
        &fx.server.addr,
        "POST",
        &format!("/users/{}/{id}/config", fx.instance),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let s = fx.settings(&id).await;
    assert_eq!(s.acw["CHAT"], (0, None));
    assert_eq!(s.acw["VOICE"], (0, Some(0)));
}

#[tokio::test]
async fn agent_first_callback_settings_are_replaced_with_their_entry() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("callback").await;
    fx.config(&id)
        .auto_accept_configs(aa("VOICE", true, Some(true)))
        .after_contact_work_configs(acw("VOICE", 10, Some(20)))
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(s.auto_accept["VOICE"], (true, Some(true)));
    assert_eq!(s.acw["VOICE"], (10, Some(20)));

    // A VOICE entry without the callback member resets it (to false / removed).
    fx.config(&id)
        .auto_accept_configs(aa("VOICE", true, None))
        .after_contact_work_configs(acw("VOICE", 10, None))
        .send()
        .await
        .unwrap();
    let s = fx.settings(&id).await;
    assert_eq!(s.auto_accept["VOICE"], (true, Some(false)));
    assert_eq!(s.acw["VOICE"], (10, None));
}

#[tokio::test]
async fn a_rejected_update_user_config_changes_nothing() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("atomic").await;
    fx.config(&id)
        .auto_accept_configs(aa("TASK", true, None))
        .send()
        .await
        .unwrap();
    let before = fx.settings(&id).await;

    // Valid entries in every list, and one bad entry: nothing applies.
    let bad_last = [
        fx.config(&id)
            .phone_number_configs(phone("CHAT", "SOFT_PHONE", None)),
        fx.config(&id)
            .after_contact_work_configs(acw("CHAT", 2_000_001, None)),
        fx.config(&id)
            .voice_enhancement_configs(enhancement("EMAIL", "NONE")),
        fx.config(&id).auto_accept_configs(aa("VOICE", false, None)),
        fx.config(&id)
            .phone_number_configs(phone("VOICE", "DESK_PHONE", None)),
    ];
    for (n, req) in bad_last.into_iter().enumerate() {
        // Case 3 names VOICE twice in AutoAcceptConfigs.
        let req = req
            .auto_accept_configs(aa("VOICE", true, Some(true)))
            .after_contact_work_configs(acw("EMAIL", 33, None))
            .persistent_connection_configs(persistent("VOICE", true));
        fx.update_rejected(&id, req.send(), PARAM, 400).await;
        assert_eq!(fx.settings(&id).await, before, "case {n}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_different_channels_lose_nothing() {
    let fx = Fx::new("SAML").await;
    let id = fx.new_user("busy").await;
    let mut tasks = Vec::new();
    for (t, ch) in CHANNELS.into_iter().enumerate() {
        let client = fx.client.clone();
        let instance = fx.instance.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            for round in 0..10 {
                let limit = (t as i32 + 1) * 1000 + round;
                let on = round % 2 == 0;
                client
                    .update_user_config()
                    .instance_id(&instance)
                    .user_id(&id)
                    .auto_accept_configs(aa(ch, on, None))
                    .after_contact_work_configs(acw(ch, limit, None))
                    .send()
                    .await
                    .expect("update user config");
                let u = client
                    .describe_user()
                    .instance_id(&instance)
                    .user_id(&id)
                    .send()
                    .await
                    .unwrap()
                    .user
                    .unwrap();
                let s = settings(&u);
                assert_eq!(
                    s.acw[ch].0, limit,
                    "{ch} round {round}: its own write is not visible"
                );
                assert_eq!(s.auto_accept[ch].0, on, "{ch} round {round}");
            }
            ((t as i32 + 1) * 1000 + 9, false)
        }));
    }
    let mut want = defaults();
    for (t, ch) in CHANNELS.into_iter().enumerate() {
        let (limit, on) = tasks.remove(0).await.unwrap();
        assert_eq!(limit, (t as i32 + 1) * 1000 + 9);
        let callback = want.auto_accept[ch].1.map(|_| false);
        want.auto_accept.insert(ch.into(), (on, callback));
        want.acw.insert(ch.into(), (limit, None));
    }
    assert_eq!(fx.settings(&id).await, want.rederive());
}
