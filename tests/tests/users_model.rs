//! A property test of per-channel settings: random sequences of CreateUser,
//! UpdateUserConfig and UpdateUserPhoneConfig (many of them invalid) run against one
//! server, and after every step DescribeUser must show
//!   (a) a `PhoneConfig` that is the view of the VOICE entries of the five lists,
//!   (b) for a refused request, exactly the user as it was before, and
//!   (c) for an accepted request, the state an independent model of the rules predicts.
//!
//! Requests are sent as raw JSON so that every member can be present or absent,
//! including the `false` and `0` values the SDK leaves out.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use roster_tests::*;
use serde_json::{json, Map, Value};

const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];

// ---- operations ------------------------------------------------------------------------

/// A `PhoneConfig` as sent; `None` members are left out.
#[derive(Debug, Clone, Default)]
struct PhoneCfg {
    phone_type: Option<&'static str>,
    auto_accept: Option<bool>,
    acw: Option<i64>,
    desk: Option<&'static str>,
    persistent: Option<bool>,
}

#[derive(Debug, Clone)]
struct AcwEntry {
    channel: &'static str,
    /// `None`: the `AfterContactWorkTimeLimit` member is left out (the model default 0).
    limit: Option<i64>,
    callback: Option<i64>,
}

/// The five per-channel lists as sent; `None` lists are left out.
#[derive(Debug, Clone, Default)]
struct Lists {
    auto_accept: Option<Vec<(&'static str, bool, Option<bool>)>>,
    acw: Option<Vec<AcwEntry>>,
    phone: Option<Vec<(&'static str, &'static str, Option<&'static str>)>>,
    persistent: Option<Vec<(&'static str, bool)>>,
    enhancement: Option<Vec<(&'static str, &'static str)>>,
}

#[derive(Debug, Clone)]
enum Op {
    Create {
        phone: Option<PhoneCfg>,
        lists: Lists,
    },
    UpdateConfig {
        user: Index,
        lists: Lists,
    },
    UpdatePhone {
        user: Index,
        phone: PhoneCfg,
    },
}

fn channel() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => Just("VOICE"), 1 => Just("CHAT"), 1 => Just("TASK"), 1 => Just("EMAIL")]
}

/// For the VOICE-only lists: mostly VOICE, now and then another channel.
fn voice_mostly() -> impl Strategy<Value = &'static str> {
    prop_oneof![12 => Just("VOICE"), 1 => Just("CHAT"), 1 => Just("TASK"), 1 => Just("EMAIL")]
}

fn seconds() -> impl Strategy<Value = i64> {
    prop_oneof![
        1 => Just(-1i64),
        2 => Just(0i64),
        1 => Just(2_000_000i64),
        1 => Just(2_000_001i64),
        4 => 1i64..600,
        1 => 0i64..=2_000_000,
    ]
}

fn number() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        3 => Just(None),
        3 => Just(Some("+12065550100")),
        2 => Just(Some("+442071838750")),
        1 => Just(Some("2065550100")),
        1 => Just(Some("+0123")),
    ]
}

fn phone_type() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("SOFT_PHONE"), Just("DESK_PHONE")]
}

fn mode() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("NONE"),
        Just("VOICE_ISOLATION"),
        Just("NOISE_SUPPRESSION")
    ]
}

/// A list is sent now and then, usually with one entry, sometimes with none or several.
fn list<T: std::fmt::Debug + Clone + 'static>(
    entry: BoxedStrategy<T>,
) -> impl Strategy<Value = Option<Vec<T>>> {
    use prop::collection::vec;
    prop::option::weighted(
        0.35,
        prop_oneof![1 => vec(entry.clone(), 0..1), 6 => vec(entry.clone(), 1..2), 2 => vec(entry, 2..4)],
    )
}

fn lists() -> impl Strategy<Value = Lists> {
    (
        list(
            (
                channel(),
                any::<bool>(),
                prop::option::weighted(0.3, any::<bool>()),
            )
                .boxed(),
        ),
        list(
            (
                channel(),
                prop::option::weighted(0.85, seconds()),
                prop::option::weighted(0.3, seconds()),
            )
                .prop_map(|(channel, limit, callback)| AcwEntry {
                    channel,
                    limit,
                    callback,
                })
                .boxed(),
        ),
        list((voice_mostly(), phone_type(), number()).boxed()),
        list((voice_mostly(), any::<bool>()).boxed()),
        list((voice_mostly(), mode()).boxed()),
    )
        .prop_map(|(auto_accept, acw, phone, persistent, enhancement)| Lists {
            auto_accept,
            acw,
            phone,
            persistent,
            enhancement,
        })
}

fn phone_cfg() -> impl Strategy<Value = PhoneCfg> {
    (
        prop::option::weighted(0.4, phone_type()),
        prop::option::weighted(0.4, any::<bool>()),
        prop::option::weighted(0.4, seconds()),
        prop::option::weighted(0.4, number().prop_filter_map("a number", |n| n)),
        prop::option::weighted(0.3, any::<bool>()),
    )
        .prop_map(
            |(phone_type, auto_accept, acw, desk, persistent)| PhoneCfg {
                phone_type,
                auto_accept,
                acw,
                desk,
                persistent,
            },
        )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (prop::option::weighted(0.5, phone_cfg()), lists()).prop_map(|(phone, lists)| Op::Create { phone, lists }),
        4 => (any::<Index>(), lists()).prop_map(|(user, lists)| Op::UpdateConfig { user, lists }),
        3 => (any::<Index>(), phone_cfg()).prop_map(|(user, phone)| Op::UpdatePhone { user, phone }),
    ]
}

// ---- the request bodies ------------------------------------------------------------------

fn phone_json(p: &PhoneCfg) -> Value {
    let mut m = Map::new();
    if let Some(t) = p.phone_type {
        m.insert("PhoneType".into(), json!(t));
    }
    if let Some(a) = p.auto_accept {
        m.insert("AutoAccept".into(), json!(a));
    }
    if let Some(s) = p.acw {
        m.insert("AfterContactWorkTimeLimit".into(), json!(s));
    }
    if let Some(n) = p.desk {
        m.insert("DeskPhoneNumber".into(), json!(n));
    }
    if let Some(c) = p.persistent {
        m.insert("PersistentConnection".into(), json!(c));
    }
    Value::Object(m)
}

fn lists_json(l: &Lists, into: &mut Map<String, Value>) {
    if let Some(list) = &l.auto_accept {
        let v: Vec<Value> = list
            .iter()
            .map(|(ch, on, cb)| {
                let mut e = json!({"Channel": ch, "AutoAccept": on});
                if let Some(cb) = cb {
                    e["AgentFirstCallbackAutoAccept"] = json!(cb);
                }
                e
            })
            .collect();
        into.insert("AutoAcceptConfigs".into(), Value::Array(v));
    }
    if let Some(list) = &l.acw {
        let v: Vec<Value> = list
            .iter()
            .map(|e| {
                let limit = match e.limit {
                    Some(s) => json!({"AfterContactWorkTimeLimit": s}),
                    None => json!({}),
                };
                let mut out = json!({"Channel": e.channel, "AfterContactWorkConfig": limit});
                if let Some(cb) = e.callback {
                    out["AgentFirstCallbackAfterContactWorkConfig"] =
                        json!({"AfterContactWorkTimeLimit": cb});
                }
                out
            })
            .collect();
        into.insert("AfterContactWorkConfigs".into(), Value::Array(v));
    }
    if let Some(list) = &l.phone {
        let v: Vec<Value> = list
            .iter()
            .map(|(ch, t, n)| {
                let mut e = json!({"Channel": ch, "PhoneType": t});
                if let Some(n) = n {
                    e["PhoneNumber"] = json!(n);
                }
                e
            })
            .collect();
        into.insert("PhoneNumberConfigs".into(), Value::Array(v));
    }
    if let Some(list) = &l.persistent {
        let v: Vec<Value> = list
            .iter()
            .map(|(ch, on)| json!({"Channel": ch, "PersistentConnection": on}))
            .collect();
        into.insert("PersistentConnectionConfigs".into(), Value::Array(v));
    }
    if let Some(list) = &l.enhancement {
        let v: Vec<Value> = list
            .iter()
            .map(|(ch, m)| json!({"Channel": ch, "VoiceEnhancementMode": m}))
            .collect();
        into.insert("VoiceEnhancementConfigs".into(), Value::Array(v));
    }
}

// ---- the model -----------------------------------------------------------------------------

/// A user's settings as the rules of contract §6 and docs/decisions.md describe them.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    auto_accept: [bool; 4],
    /// VOICE's AgentFirstCallbackAutoAccept.
    callback_auto_accept: bool,
    acw: [i64; 4],
    /// VOICE's AgentFirstCallbackAfterContactWorkConfig.
    callback_acw: Option<i64>,
    phone_type: &'static str,
    desk: Option<&'static str>,
    persistent: bool,
    enhancement: &'static str,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            auto_accept: [false; 4],
            callback_auto_accept: false,
            acw: [0; 4],
            callback_acw: None,
            phone_type: "SOFT_PHONE",
            desk: None,
            persistent: false,
            enhancement: "NONE",
        }
    }
}

/// Which error a refused request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Refusal {
    /// A value breaks a rule: `InvalidParameterException`.
    Parameter,
    /// A missing member or an impossible combination: `InvalidRequestException`.
    Request,
}

fn slot(channel: &str) -> usize {
    CHANNELS
        .iter()
        .position(|c| *c == channel)
        .expect("known channel")
}

fn in_range(s: i64) -> bool {
    (0..=2_000_000).contains(&s)
}

/// `+`, then 2 to 15 digits, the first not 0.
fn is_e164(n: &str) -> bool {
    match n.strip_prefix('+') {
        Some(d) => {
            (2..=15).contains(&d.len())
                && d.bytes().all(|b| b.is_ascii_digit())
                && !d.starts_with('0')
        }
        None => false,
    }
}

fn twice<T>(entries: &[T], channel: impl Fn(&T) -> &'static str) -> bool {
    let mut seen = Vec::new();
    entries.iter().any(|e| {
        let c = channel(e);
        let dup = seen.contains(&c);
        seen.push(c);
        dup
    })
}

/// Whether the lists break a rule on their own.
fn lists_broken(l: &Lists) -> bool {
    let voice_only = |c: &str| c != "VOICE";
    if let Some(list) = &l.auto_accept {
        if twice(list, |e| e.0) || list.iter().any(|e| e.2.is_some() && voice_only(e.0)) {
            return true;
        }
    }
    if let Some(list) = &l.acw {
        let bad = |e: &AcwEntry| {
            !in_range(e.limit.unwrap_or(0))
                || e.callback.is_some_and(|cb| !in_range(cb))
                || (e.callback.is_some() && voice_only(e.channel))
        };
        if twice(list, |e| e.channel) || list.iter().any(bad) {
            return true;
        }
    }
    if let Some(list) = &l.phone {
        let bad = |e: &(&str, &str, Option<&str>)| {
            voice_only(e.0)
                || (e.1 == "DESK_PHONE" && e.2.is_none())
                || e.2.is_some_and(|n| !is_e164(n))
        };
        if twice(list, |e| e.0) || list.iter().any(bad) {
            return true;
        }
    }
    if let Some(list) = &l.persistent {
        if twice(list, |e| e.0) || list.iter().any(|e| voice_only(e.0)) {
            return true;
        }
    }
    if let Some(list) = &l.enhancement {
        if twice(list, |e| e.0) || list.iter().any(|e| voice_only(e.0)) {
            return true;
        }
    }
    false
}

impl Model {
    /// Each entry replaces its channel's setting; the rest stays.
    fn with_lists(&self, l: &Lists) -> Model {
        let mut m = self.clone();
        for (ch, on, cb) in l.auto_accept.iter().flatten() {
            m.auto_accept[slot(ch)] = *on;
            if *ch == "VOICE" {
                m.callback_auto_accept = cb.unwrap_or(false);
            }
        }
        for e in l.acw.iter().flatten() {
            m.acw[slot(e.channel)] = e.limit.unwrap_or(0);
            if e.channel == "VOICE" {
                m.callback_acw = e.callback;
            }
        }
        for (_, t, n) in l.phone.iter().flatten() {
            m.phone_type = t;
            m.desk = *n;
        }
        for (_, on) in l.persistent.iter().flatten() {
            m.persistent = *on;
        }
        for (_, mode) in l.enhancement.iter().flatten() {
            m.enhancement = mode;
        }
        m
    }

    /// A legacy `PhoneConfig` write in CreateUser: AutoAccept and the phone change VOICE,
    /// the ACW limit every channel; members not sent leave the settings as they are.
    fn with_phone(&self, p: &PhoneCfg) -> Result<Model, Refusal> {
        self.with_phone_as(p, false)
    }

    /// UpdateUserPhoneConfig writes the whole legacy view: an absent AutoAccept or
    /// AfterContactWorkTimeLimit is its model default (false, 0).
    fn with_phone_update(&self, p: &PhoneCfg) -> Result<Model, Refusal> {
        self.with_phone_as(p, true)
    }

    fn with_phone_as(&self, p: &PhoneCfg, defaults: bool) -> Result<Model, Refusal> {
        if p.acw.is_some_and(|s| !in_range(s)) {
            return Err(Refusal::Parameter);
        }
        let mut m = self.clone();
        let (auto_accept, acw) = if defaults {
            (
                Some(p.auto_accept.unwrap_or(false)),
                Some(p.acw.unwrap_or(0)),
            )
        } else {
            (p.auto_accept, p.acw)
        };
        if let Some(on) = auto_accept {
            m.auto_accept[0] = on;
        }
        if let Some(s) = acw {
            m.acw = [s; 4];
        }
        match (p.phone_type, p.desk) {
            (Some(t), desk) => {
                m.phone_type = t;
                m.desk = desk;
            }
            (None, Some(n)) => m.desk = Some(n),
            (None, None) => {}
        }
        if let Some(on) = p.persistent {
            m.persistent = on;
        }
        if m.desk.is_some_and(|n| !is_e164(n)) || (m.phone_type == "DESK_PHONE" && m.desk.is_none())
        {
            return Err(Refusal::Parameter);
        }
        Ok(m)
    }

    /// What DescribeUser should show.
    fn observed(&self) -> Observed {
        let mut auto_accept = BTreeMap::new();
        let mut acw = BTreeMap::new();
        for (i, ch) in CHANNELS.iter().enumerate() {
            let voice = i == 0;
            auto_accept.insert(
                ch.to_string(),
                (
                    self.auto_accept[i],
                    voice.then_some(self.callback_auto_accept),
                ),
            );
            acw.insert(
                ch.to_string(),
                (self.acw[i], if voice { self.callback_acw } else { None }),
            );
        }
        Observed {
            auto_accept,
            acw,
            phone: [(
                "VOICE".to_string(),
                (self.phone_type.to_string(), self.desk.map(str::to_string)),
            )]
            .into(),
            persistent: [("VOICE".to_string(), self.persistent)].into(),
            enhancement: [("VOICE".to_string(), self.enhancement.to_string())].into(),
            phone_config: (
                self.phone_type.to_string(),
                self.auto_accept[0],
                self.acw[0],
                self.desk.map(str::to_string),
                self.persistent,
            ),
        }
    }
}

/// What the model says of a CreateUser: the new user, or the refusals it could get (a
/// request breaking several rules may get the error of either).
fn model_create(phone: &Option<PhoneCfg>, l: &Lists) -> Result<Model, Vec<Refusal>> {
    let mut refusals = Vec::new();
    if lists_broken(l) {
        refusals.push(Refusal::Parameter);
    }
    if let Some(p) = phone {
        if p.acw.is_some_and(|s| !in_range(s)) {
            refusals.push(Refusal::Parameter);
        }
        let overlap = (p.auto_accept.is_some() && l.auto_accept.is_some())
            || (p.acw.is_some() && l.acw.is_some())
            || ((p.phone_type.is_some() || p.desk.is_some()) && l.phone.is_some())
            || (p.persistent.is_some() && l.persistent.is_some());
        if overlap {
            refusals.push(Refusal::Request);
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let m = Model::default().with_lists(l);
    match phone {
        Some(p) => m.with_phone(p).map_err(|r| vec![r]),
        None => Ok(m),
    }
}

fn model_update_config(m: &Model, l: &Lists) -> Result<Model, Vec<Refusal>> {
    let none_sent = l.auto_accept.is_none()
        && l.acw.is_none()
        && l.phone.is_none()
        && l.persistent.is_none()
        && l.enhancement.is_none();
    if none_sent {
        return Err(vec![Refusal::Request]);
    }
    if lists_broken(l) {
        return Err(vec![Refusal::Parameter]);
    }
    Ok(m.with_lists(l))
}

// ---- what the server shows --------------------------------------------------------------

/// The per-channel lists of a DescribeUser response keyed by channel, and its PhoneConfig
/// as (PhoneType, AutoAccept, AfterContactWorkTimeLimit, DeskPhoneNumber, PersistentConnection).
#[derive(Debug, Clone, PartialEq)]
struct Observed {
    auto_accept: BTreeMap<String, (bool, Option<bool>)>,
    acw: BTreeMap<String, (i64, Option<i64>)>,
    phone: BTreeMap<String, (String, Option<String>)>,
    persistent: BTreeMap<String, bool>,
    enhancement: BTreeMap<String, String>,
    phone_config: (String, bool, i64, Option<String>, bool),
}

fn keyed<V>(
    user: &Value,
    list: &str,
    value: impl Fn(&Value) -> Option<V>,
) -> Result<BTreeMap<String, V>, TestCaseError> {
    let entries = user[list]
        .as_array()
        .ok_or_else(|| TestCaseError::fail(format!("{list} missing: {user}")))?;
    let mut out = BTreeMap::new();
    for e in entries {
        let ch = e["Channel"]
            .as_str()
            .ok_or_else(|| TestCaseError::fail(format!("{list} entry without Channel")))?;
        let v =
            value(e).ok_or_else(|| TestCaseError::fail(format!("{list} entry incomplete: {e}")))?;
        prop_assert!(
            out.insert(ch.to_string(), v).is_none(),
            "{} names {} twice: {}",
            list,
            ch,
            user
        );
    }
    Ok(out)
}

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Reads the settings of a DescribeUser `User` and checks (a): `PhoneConfig` is the view
/// of the VOICE entries.
fn observe(user: &Value) -> Result<Observed, TestCaseError> {
    let limit = |v: &Value| v["AfterContactWorkTimeLimit"].as_i64();
    let o = Observed {
        auto_accept: keyed(user, "AutoAcceptConfigs", |e| {
            Some((
                e["AutoAccept"].as_bool()?,
                e.get("AgentFirstCallbackAutoAccept")
                    .and_then(Value::as_bool),
            ))
        })?,
        acw: keyed(user, "AfterContactWorkConfigs", |e| {
            Some((
                limit(&e["AfterContactWorkConfig"])?,
                e.get("AgentFirstCallbackAfterContactWorkConfig")
                    .and_then(limit),
            ))
        })?,
        phone: keyed(user, "PhoneNumberConfigs", |e| {
            Some((opt_str(&e["PhoneType"])?, opt_str(&e["PhoneNumber"])))
        })?,
        persistent: keyed(user, "PersistentConnectionConfigs", |e| {
            e["PersistentConnection"].as_bool()
        })?,
        enhancement: keyed(user, "VoiceEnhancementConfigs", |e| {
            opt_str(&e["VoiceEnhancementMode"])
        })?,
        phone_config: {
            let p = &user["PhoneConfig"];
            let fail = || TestCaseError::fail(format!("PhoneConfig incomplete: {p}"));
            (
                opt_str(&p["PhoneType"]).ok_or_else(fail)?,
                p["AutoAccept"].as_bool().ok_or_else(fail)?,
                limit(p).ok_or_else(fail)?,
                opt_str(&p["DeskPhoneNumber"]),
                p["PersistentConnection"].as_bool().ok_or_else(fail)?,
            )
        },
    };
    let voice_phone = o
        .phone
        .get("VOICE")
        .cloned()
        .ok_or_else(|| TestCaseError::fail("no VOICE phone entry"))?;
    let view = (
        voice_phone.0,
        o.auto_accept
            .get("VOICE")
            .map(|e| e.0)
            .ok_or_else(|| TestCaseError::fail("no VOICE auto-accept"))?,
        o.acw
            .get("VOICE")
            .map(|e| e.0)
            .ok_or_else(|| TestCaseError::fail("no VOICE ACW"))?,
        voice_phone.1,
        *o.persistent
            .get("VOICE")
            .ok_or_else(|| TestCaseError::fail("no VOICE persistent connection"))?,
    );
    prop_assert_eq!(
        &o.phone_config,
        &view,
        "(a) PhoneConfig is not the view of the VOICE entries: {}",
        user
    );
    Ok(o)
}

// ---- running a case ------------------------------------------------------------------------

struct Env<'a> {
    addr: &'a str,
    instance: String,
    agent: String,
    rp: String,
}

impl Env<'_> {
    async fn describe(&self, id: &str) -> Result<Value, TestCaseError> {
        let r = raw_json_request(
            self.addr,
            "GET",
            &format!("/users/{}/{id}", self.instance),
            None,
        )
        .await;
        prop_assert_eq!(
            r.status,
            200,
            "DescribeUser: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(r.json()["User"].clone())
    }

    async fn usernames(&self) -> Result<Vec<String>, TestCaseError> {
        let r = raw_json_request(
            self.addr,
            "GET",
            &format!("/users-summary/{}?maxResults=1000", self.instance),
            None,
        )
        .await;
        prop_assert_eq!(
            r.status,
            200,
            "ListUsers: {}",
            String::from_utf8_lossy(&r.body)
        );
        let body = r.json();
        prop_assert!(
            body.get("NextToken").is_none(),
            "more than one page of users"
        );
        Ok(body["UserSummaryList"]
            .as_array()
            .map(|a| a.iter().filter_map(|u| opt_str(&u["Username"])).collect())
            .unwrap_or_default())
    }

    fn create_body(&self, username: &str, phone: &Option<PhoneCfg>, l: &Lists) -> Value {
        let mut m = Map::new();
        m.insert("Username".into(), json!(username));
        m.insert(
            "IdentityInfo".into(),
            json!({"FirstName": "Prop", "LastName": "Test"}),
        );
        m.insert("SecurityProfileIds".into(), json!([self.agent]));
        m.insert("RoutingProfileId".into(), json!(self.rp));
        if let Some(p) = phone {
            m.insert("PhoneConfig".into(), phone_json(p));
        }
        lists_json(l, &mut m);
        Value::Object(m)
    }
}

/// Checks a refused request's answer against the refusals the model allows.
fn check_refusal(step: &str, r: &RawResponse, allowed: &[Refusal]) -> Result<(), TestCaseError> {
    let body = String::from_utf8_lossy(&r.body).to_string();
    prop_assert_eq!(
        r.status,
        400,
        "{}: the model refuses it ({:?}), the server answered {}",
        step,
        allowed,
        body
    );
    let got = match r.error_type() {
        Some("InvalidParameterException") => Refusal::Parameter,
        Some("InvalidRequestException") => Refusal::Request,
        other => {
            return Err(TestCaseError::fail(format!(
                "{step}: unexpected error type {other:?}: {body}"
            )))
        }
    };
    prop_assert!(
        allowed.contains(&got),
        "{}: got {:?}, the model expects one of {:?}: {}",
        step,
        got,
        allowed,
        body
    );
    Ok(())
}

fn modified(user: &Value) -> f64 {
    user["LastModifiedTime"].as_f64().unwrap_or(f64::NAN)
}

async fn run_case(env: &Env<'_>, ops: &[Op]) -> Result<(), TestCaseError> {
    // A baseline user, so that updates always have someone to act on.
    let mut users: Vec<(String, Model)> = Vec::new();
    let r = raw_json_request(
        env.addr,
        "PUT",
        &format!("/users/{}", env.instance),
        Some(&env.create_body("u0", &None, &Lists::default())),
    )
    .await;
    prop_assert_eq!(
        r.status,
        200,
        "baseline CreateUser: {}",
        String::from_utf8_lossy(&r.body)
    );
    let id = opt_str(&r.json()["UserId"]).expect("UserId");
    prop_assert_eq!(
        observe(&env.describe(&id).await?)?,
        Model::default().observed()
    );
    users.push((id, Model::default()));

    for (n, op) in ops.iter().enumerate() {
        let step = format!("step {n} {op:?}");
        match op {
            Op::Create { phone, lists } => {
                let username = format!("u{}", n + 1);
                let body = env.create_body(&username, phone, lists);
                let r = raw_json_request(
                    env.addr,
                    "PUT",
                    &format!("/users/{}", env.instance),
                    Some(&body),
                )
                .await;
                match model_create(phone, lists) {
                    Ok(want) => {
                        prop_assert_eq!(
                            r.status,
                            200,
                            "{}: the model accepts it, the server answered {}",
                            step,
                            String::from_utf8_lossy(&r.body)
                        );
                        let id = opt_str(&r.json()["UserId"]).expect("UserId");
                        let seen = observe(&env.describe(&id).await?)?;
                        prop_assert_eq!(seen, want.observed(), "(c) {}", step);
                        users.push((id, want));
                    }
                    Err(allowed) => {
                        check_refusal(&step, &r, &allowed)?;
                        prop_assert!(
                            !env.usernames().await?.contains(&username),
                            "(b) {}: a refused CreateUser made a user",
                            step
                        );
                    }
                }
            }
            Op::UpdateConfig { user, lists } => {
                let (id, model) = users[user.index(users.len())].clone();
                let before = env.describe(&id).await?;
                let mut body = Map::new();
                lists_json(lists, &mut body);
                let r = raw_json_request(
                    env.addr,
                    "POST",
                    &format!("/users/{}/{id}/config", env.instance),
                    Some(&Value::Object(body)),
                )
                .await;
                let after = env.describe(&id).await?;
                let seen = observe(&after)?;
                match model_update_config(&model, lists) {
                    Ok(want) => {
                        prop_assert_eq!(
                            r.status,
                            200,
                            "{}: the model accepts it, the server answered {}",
                            step,
                            String::from_utf8_lossy(&r.body)
                        );
                        prop_assert_eq!(seen, want.observed(), "(c) {}", step);
                        prop_assert!(
                            modified(&after) >= modified(&before),
                            "{}: LastModifiedTime went back",
                            step
                        );
                        users.iter_mut().find(|u| u.0 == id).expect("user").1 = want;
                    }
                    Err(allowed) => {
                        check_refusal(&step, &r, &allowed)?;
                        prop_assert_eq!(
                            &after,
                            &before,
                            "(b) {}: a refused update changed the user",
                            step
                        );
                    }
                }
            }
            Op::UpdatePhone { user, phone } => {
                let (id, model) = users[user.index(users.len())].clone();
                let before = env.describe(&id).await?;
                let body = json!({"PhoneConfig": phone_json(phone)});
                let r = raw_json_request(
                    env.addr,
                    "POST",
                    &format!("/users/{}/{id}/phone-config", env.instance),
                    Some(&body),
                )
                .await;
                let after = env.describe(&id).await?;
                let seen = observe(&after)?;
                match model.with_phone_update(phone) {
                    Ok(want) => {
                        prop_assert_eq!(
                            r.status,
                            200,
                            "{}: the model accepts it, the server answered {}",
                            step,
                            String::from_utf8_lossy(&r.body)
                        );
                        prop_assert_eq!(seen, want.observed(), "(c) {}", step);
                        prop_assert!(
                            modified(&after) >= modified(&before),
                            "{}: LastModifiedTime went back",
                            step
                        );
                        users.iter_mut().find(|u| u.0 == id).expect("user").1 = want;
                    }
                    Err(refusal) => {
                        check_refusal(&step, &r, &[refusal])?;
                        prop_assert_eq!(
                            &after,
                            &before,
                            "(b) {}: a refused update changed the user",
                            step
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

#[test]
fn phone_config_stays_a_view_of_the_per_channel_lists() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = Server::start();
    let client = server.client();

    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    });
    let result = runner.run(&prop::collection::vec(op(), 5..=15), |ops| {
        rt.block_on(async {
            // Each case gets its own instance, so that cases cannot see each other.
            let instance = create_instance(&client, "SAML").await;
            let env = Env {
                addr: &server.addr,
                agent: security_profile_id(&client, &instance, "Agent").await,
                rp: basic_routing_profile(&client, &instance).await,
                instance,
            };
            run_case(&env, &ops).await
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The model's own rules, checked without a server.
#[test]
fn the_model_follows_the_documented_rules() {
    let acw = |channel, limit, callback| AcwEntry {
        channel,
        limit,
        callback,
    };
    // ACW through PhoneConfig is every channel's; AutoAccept only VOICE's.
    let m = Model::default()
        .with_phone(&PhoneCfg {
            auto_accept: Some(true),
            acw: Some(30),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(m.acw, [30; 4]);
    assert_eq!(m.auto_accept, [true, false, false, false]);
    // A DESK_PHONE needs an E.164 number.
    let desk = PhoneCfg {
        phone_type: Some("DESK_PHONE"),
        ..Default::default()
    };
    assert_eq!(Model::default().with_phone(&desk), Err(Refusal::Parameter));
    // A PhoneConfig member together with its list is an impossible combination.
    let lists = Lists {
        acw: Some(vec![acw("CHAT", Some(5), None)]),
        ..Default::default()
    };
    let phone = Some(PhoneCfg {
        acw: Some(1),
        ..Default::default()
    });
    assert_eq!(model_create(&phone, &lists), Err(vec![Refusal::Request]));
    // A channel twice, or a VOICE-only setting elsewhere, is a bad parameter.
    let dup = Lists {
        persistent: Some(vec![("VOICE", true), ("VOICE", false)]),
        ..Default::default()
    };
    assert_eq!(
        model_update_config(&Model::default(), &dup),
        Err(vec![Refusal::Parameter])
    );
    let chat = Lists {
        acw: Some(vec![acw("CHAT", Some(5), Some(5))]),
        ..Default::default()
    };
    assert_eq!(
        model_update_config(&Model::default(), &chat),
        Err(vec![Refusal::Parameter])
    );
    // No list at all is refused as a request.
    assert_eq!(
        model_update_config(&Model::default(), &Lists::default()),
        Err(vec![Refusal::Request])
    );
    // A VOICE entry replaces the callback settings; an absent limit is 0.
    let voice = Lists {
        auto_accept: Some(vec![("VOICE", true, None)]),
        acw: Some(vec![acw("VOICE", None, None)]),
        ..Default::default()
    };
    let start = Model {
        callback_auto_accept: true,
        callback_acw: Some(9),
        acw: [7; 4],
        ..Model::default()
    };
    let m = model_update_config(&start, &voice).unwrap();
    assert!(!m.callback_auto_accept);
    assert_eq!(m.callback_acw, None);
    assert_eq!(m.acw, [0, 7, 7, 7]);
    assert!(
        is_e164("+12065550100") && !is_e164("12065550100") && !is_e164("+0123") && !is_e164("+1")
    );
}
