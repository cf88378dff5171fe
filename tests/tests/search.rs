//! SearchUsers end to end (contract §7): a fixture of 60 users in a SAML instance, and a
//! few nameless users in an EXISTING_DIRECTORY one. Every expected result is computed
//! here, by plain filtering of the fixture's own data, and compared with the server's
//! answer as a list of usernames in (lowered username, id) order together with
//! `ApproximateTotalCount`. Then the refusals, the pagination tokens, paging while
//! users are being created, and the millisecond after-contact-work limits.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use roster_tests::aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AttributeAndCondition, Channel,
    Condition, ControlPlaneTagFilter, ControlPlaneUserAttributeFilter, HierarchyGroupCondition,
    HierarchyGroupMatchType, HierarchyLevelUpdate, HierarchyStructureUpdate, ListCondition,
    MediaConcurrency, NumberComparisonType, NumberCondition, PhoneType, PredefinedAttributeValues,
    StringComparisonType, StringCondition, TagCondition, TargetListType, UserIdentityInfo,
    UserPhoneConfig, UserProficiency, UserSearchCriteria, UserSearchFilter, UserSearchSummary,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;
use serde_json::json;

// ---- the fixture as data ------------------------------------------------------------

/// Username, first name and last name of the 60 users. Usernames mix case and start
/// with digits, `_` and letters of both cases, so that case-insensitive order differs
/// from byte order; the names share substrings ("an", "ann", "son", "smith", "mar").
const PEOPLE: [(&str, &str, &str); 60] = [
    ("alice.anderson", "Alice", "Anderson"),
    ("Alicia.Sanders", "Alicia", "Sanders"),
    ("ALI_Baba", "Ali", "Baba"),
    ("anna.bergman", "Anna", "Bergman"),
    ("Annabel_Lee", "Annabel", "Lee"),
    ("hannah.montana", "Hannah", "Montana"),
    ("JoAnna.Smith", "Joanna", "Smith"),
    ("johanna-smithers", "Johanna", "Smithers"),
    ("Johan.Goldsmith", "Johan", "Goldsmith"),
    ("jon.jonsson", "Jon", "Jonsson"),
    ("Jonathan.Johansson", "Jonathan", "Johansson"),
    ("nathan.henderson", "Nathan", "Henderson"),
    ("Natalie.Ng", "Natalie", "Ng"),
    ("mary", "Mary", "Marsh"),
    ("MaryAnne", "Maryanne", "Rosemary"),
    ("rose.mary", "Rosemary", "Blacksmith"),
    ("maryam.khan", "Maryam", "Khan"),
    ("Marianne.Sanderson", "Marianne", "Sanderson"),
    ("b.baker", "Bob", "Baker"),
    ("B_Banner", "Bruce", "Banner"),
    ("bo", "Bo", "Anders"),
    ("a_b", "Abe", "Andersen"),
    ("aBc", "Abby", "Alexander"),
    ("ABD", "Abdul", "Aziz"),
    ("Zed.Zulu", "Zed", "Zulu"),
    ("zoe", "Zoe", "Saldana"),
    ("ZZ.Top", "Billy", "Gibbons"),
    ("chris@example.com", "Chris", "Anderson"),
    ("Chris.Evans", "Chris", "Evans"),
    ("christina-aguilera", "Christina", "Aguilera"),
    ("Christian.Bale", "Christian", "Bale"),
    ("dana.scully", "Dana", "Scully"),
    ("Diana.Prince", "Diana", "Prince"),
    ("DIANNE.WIEST", "Dianne", "Wiest"),
    ("ed.sanders", "Ed", "Sanders"),
    ("Edna.Mode", "Edna", "Mode"),
    ("eva.green", "Eva", "Green"),
    ("Evan.Rachel", "Evan", "Wood"),
    ("Ivan.Petrov", "Ivan", "Petrov"),
    ("ivana.trump", "Ivana", "Trump"),
    ("Giovanni.Rossi", "Giovanni", "Rossi"),
    ("han.solo", "Han", "Solo"),
    ("Hans.Zimmer", "Hans", "Zimmer"),
    ("leia.organa", "Leia", "Organa"),
    ("Luke.Skywalker", "Luke", "Skywalker"),
    ("anakin", "Anakin", "Skywalker"),
    ("Padme.Amidala", "Padme", "Amidala"),
    ("obi-wan", "Obi-Wan", "Kenobi"),
    ("Quinn.Sanderson", "Quinn", "Sanderson"),
    ("sam.wise", "Samwise", "Gamgee"),
    ("Samantha.Jones", "Samantha", "Jones"),
    ("samuel.jackson", "Samuel", "Jackson"),
    ("Sanjay.Gupta", "Sanjay", "Gupta"),
    ("tanya.smith", "Tanya", "Smith"),
    ("Tom.Hanks", "Tom", "Hanks"),
    ("tomas.anderson", "Tomas", "Anderson"),
    ("1st.agent", "Neo", "Anderson"),
    ("_underscore", "Under", "Score"),
    ("x.y-z", "Xena", "Warrior"),
    ("Yvonne.Strahovski", "Yvonne", "Strahovski"),
];

/// Security profiles held by user `i`, by name, chosen by `i % 6`.
const PROFILE_SETS: [&[&str]; 6] = [
    &["Agent"],
    &["Admin"],
    &["Agent", "Admin"],
    &["CallCenterManager"],
    &["Agent", "CallCenterManager"],
    &["Admin", "CallCenterManager", "Agent"],
];
const DEPTS: [Option<&str>; 4] = [Some("sales"), Some("support"), Some("billing"), None];
const SITES: [Option<&str>; 5] = [
    Some("berlin"),
    Some("austin"),
    Some("tokyo"),
    Some("lima"),
    None,
];
const LANGUAGES: [&str; 4] = ["English", "French", "German", "Spanish"];
const SKILLS: [&str; 3] = ["Billing", "Tech", "Sales"];
/// Level-1 groups; each has two level-2 children ("North-A", "North-B"), each of which
/// has two level-3 children ("North-A-1", "North-A-2").
const TOP_GROUPS: [&str; 3] = ["North", "South", "West"];

/// What user `i` holds besides its names, derived from `i` alone.
struct Facts {
    profiles: &'static [&'static str],
    second_routing_profile: bool,
    /// Index into the fixture's groups (level 1 first, then 2, then 3), or none.
    group: Option<usize>,
    tags: Vec<(&'static str, &'static str)>,
    proficiencies: Vec<(&'static str, &'static str, f32)>,
    /// After-contact work: through PhoneConfig (every channel), or per channel.
    acw: Acw,
    email: bool,
}

enum Acw {
    Default,
    PhoneConfig(i32),
    PerChannel,
}

fn facts(i: usize) -> Facts {
    let mut tags = Vec::new();
    if let Some(d) = DEPTS[i % 4] {
        tags.push(("dept", d));
    }
    if let Some(s) = SITES[i % 5] {
        tags.push(("site", s));
    }
    if i % 7 == 0 {
        tags.push(("vip", "yes"));
    }
    let mut proficiencies = Vec::new();
    if i % 5 != 4 {
        proficiencies.push(("Language", LANGUAGES[i % 4], 1.0 + (i % 9) as f32 * 0.5));
    }
    if i % 3 == 1 {
        proficiencies.push(("Skill", SKILLS[(i / 3) % 3], 5.0 - (i % 7) as f32 * 0.5));
    }
    if i % 8 == 2 {
        proficiencies.push(("Language", LANGUAGES[(i + 1) % 4], 3.0));
    }
    Facts {
        profiles: PROFILE_SETS[i % 6],
        second_routing_profile: i % 3 == 0,
        group: (i % 23 < 21).then_some(i % 23),
        tags,
        proficiencies,
        acw: match i % 4 {
            0 => Acw::PhoneConfig(i as i32 * 7),
            1 => Acw::PerChannel,
            _ => Acw::Default,
        },
        email: i % 2 == 0,
    }
}

// ---- the fixture as created ---------------------------------------------------------

/// A user as the test knows it: what it sent, plus the id the server gave.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    username: String,
    first: Option<String>,
    last: Option<String>,
    routing_profile: String,
    security_profiles: Vec<String>,
    /// Group ids from the top level down to the user's group.
    path: Vec<String>,
    tags: BTreeMap<String, String>,
    proficiencies: Vec<(String, String, f64)>,
}

#[derive(Debug, Clone)]
struct Group {
    id: String,
    path: Vec<String>,
}

struct Fixture {
    server: Server,
    client: Client,
    instance: String,
    people: Vec<Person>,
    /// Groups by name.
    groups: HashMap<String, Group>,
    /// Security profile ids by name.
    profiles: HashMap<String, String>,
    basic_rp: String,
    second_rp: String,
}

async fn queue_id(client: &Client, instance: &str, name: &str) -> String {
    client
        .list_queues()
        .instance_id(instance)
        .send()
        .await
        .expect("list queues")
        .queue_summary_list()
        .iter()
        .find(|q| q.name() == Some(name))
        .and_then(|q| q.id())
        .unwrap_or_else(|| panic!("queue {name}"))
        .to_string()
}

async fn create_attribute(client: &Client, instance: &str, name: &str, values: &[&str]) {
    client
        .create_predefined_attribute()
        .instance_id(instance)
        .name(name)
        .values(PredefinedAttributeValues::StringList(
            values.iter().map(|v| v.to_string()).collect(),
        ))
        .send()
        .await
        .expect("create predefined attribute");
}

fn acw_entry(
    channel: Channel,
    seconds: i32,
    agent_first: Option<i32>,
) -> AfterContactWorkConfigPerChannel {
    let limit = |s: i32| {
        AfterContactWorkConfig::builder()
            .after_contact_work_time_limit(s)
            .build()
    };
    AfterContactWorkConfigPerChannel::builder()
        .channel(channel)
        .after_contact_work_config(limit(seconds))
        .set_agent_first_callback_after_contact_work_config(agent_first.map(limit))
        .build()
        .expect("ACW entry")
}

impl Fixture {
    /// The 60 users of [`PEOPLE`] in a SAML instance with three hierarchy levels,
    /// two routing profiles and two predefined attributes.
    async fn saml() -> Fixture {
        let server = Server::start();
        let client = server.client();
        let instance = create_instance(&client, "SAML").await;
        let mut profiles = HashMap::new();
        for name in ["Agent", "Admin", "CallCenterManager"] {
            profiles.insert(
                name.to_string(),
                security_profile_id(&client, &instance, name).await,
            );
        }
        let basic_rp = basic_routing_profile(&client, &instance).await;
        let basic_queue = queue_id(&client, &instance, "BasicQueue").await;
        let second_rp = client
            .create_routing_profile()
            .instance_id(&instance)
            .name("Second")
            .description("the other routing profile")
            .default_outbound_queue_id(basic_queue)
            .media_concurrencies(
                MediaConcurrency::builder()
                    .channel(Channel::Chat)
                    .concurrency(2)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("create routing profile")
            .routing_profile_id
            .expect("routing profile id");

        let level = |name: &str| Some(HierarchyLevelUpdate::builder().name(name).build().unwrap());
        client
            .update_user_hierarchy_structure()
            .instance_id(&instance)
            .hierarchy_structure(
                HierarchyStructureUpdate::builder()
                    .set_level_one(level("Region"))
                    .set_level_two(level("Site"))
                    .set_level_three(level("Team"))
                    .build(),
            )
            .send()
            .await
            .expect("hierarchy structure");
        // Level 1, then level 2, then level 3, so that group index = position here.
        let mut order: Vec<(String, Option<String>)> = Vec::new();
        for top in TOP_GROUPS {
            order.push((top.to_string(), None));
        }
        for top in TOP_GROUPS {
            for mid in ["A", "B"] {
                order.push((format!("{top}-{mid}"), Some(top.to_string())));
            }
        }
        for top in TOP_GROUPS {
            for mid in ["A", "B"] {
                for low in ["1", "2"] {
                    order.push((format!("{top}-{mid}-{low}"), Some(format!("{top}-{mid}"))));
                }
            }
        }
        let mut groups: HashMap<String, Group> = HashMap::new();
        let mut by_index = Vec::new();
        for (name, parent) in order {
            let parent = parent.map(|p| groups[&p].clone());
            let id = client
                .create_user_hierarchy_group()
                .instance_id(&instance)
                .name(&name)
                .set_parent_group_id(parent.as_ref().map(|p| p.id.clone()))
                .send()
                .await
                .expect("create group")
                .hierarchy_group_id
                .expect("group id");
            let mut path = parent.map(|p| p.path).unwrap_or_default();
            path.push(id.clone());
            let g = Group { id, path };
            by_index.push(g.clone());
            groups.insert(name, g);
        }
        assert_eq!(by_index.len(), 21);

        create_attribute(&client, &instance, "Language", &LANGUAGES).await;
        create_attribute(&client, &instance, "Skill", &SKILLS).await;

        let mut people = Vec::new();
        for (i, (username, first, last)) in PEOPLE.iter().enumerate() {
            let f = facts(i);
            let security_profiles: Vec<String> =
                f.profiles.iter().map(|n| profiles[*n].clone()).collect();
            let routing_profile = if f.second_routing_profile {
                second_rp.clone()
            } else {
                basic_rp.clone()
            };
            let group = f.group.map(|g| by_index[g].clone());
            let mut identity = UserIdentityInfo::builder()
                .first_name(*first)
                .last_name(*last);
            if f.email {
                identity = identity
                    .email(format!("user{i}@example.com"))
                    .secondary_email(format!("user{i}@example.org"))
                    .mobile("+12065550100");
            }
            let mut req = client
                .create_user()
                .instance_id(&instance)
                .username(*username)
                .identity_info(identity.build())
                .set_security_profile_ids(Some(security_profiles.clone()))
                .routing_profile_id(&routing_profile)
                .set_hierarchy_group_id(group.as_ref().map(|g| g.id.clone()));
            for (k, v) in &f.tags {
                req = req.tags(*k, *v);
            }
            req = match f.acw {
                Acw::Default => req,
                Acw::PhoneConfig(s) => req.phone_config(
                    UserPhoneConfig::builder()
                        .phone_type(PhoneType::SoftPhone)
                        .after_contact_work_time_limit(s)
                        .build(),
                ),
                Acw::PerChannel => req
                    .after_contact_work_configs(acw_entry(Channel::Voice, 15, Some(25)))
                    .after_contact_work_configs(acw_entry(Channel::Chat, 120, None))
                    .after_contact_work_configs(acw_entry(Channel::Email, 2_000_000, None)),
            };
            let id = req
                .send()
                .await
                .unwrap_or_else(|e| panic!("create {username}: {}", message_of(&e)))
                .user_id
                .expect("user id");
            if !f.proficiencies.is_empty() {
                let mut assoc = client
                    .associate_user_proficiencies()
                    .instance_id(&instance)
                    .user_id(&id);
                for (name, value, level) in &f.proficiencies {
                    assoc = assoc.user_proficiencies(
                        UserProficiency::builder()
                            .attribute_name(*name)
                            .attribute_value(*value)
                            .level(*level)
                            .build()
                            .unwrap(),
                    );
                }
                assoc
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("proficiencies of {username}: {}", message_of(&e)));
            }
            people.push(Person {
                id,
                username: username.to_string(),
                first: Some(first.to_string()),
                last: Some(last.to_string()),
                routing_profile,
                security_profiles,
                path: group.map(|g| g.path).unwrap_or_default(),
                tags: f
                    .tags
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                proficiencies: f
                    .proficiencies
                    .iter()
                    .map(|(n, v, l)| (n.to_string(), v.to_string(), *l as f64))
                    .collect(),
            });
        }
        Fixture {
            server,
            client,
            instance,
            people,
            groups,
            profiles,
            basic_rp,
            second_rp,
        }
    }

    fn group(&self, name: &str) -> String {
        self.groups[name].id.clone()
    }

    fn person(&self, username: &str) -> &Person {
        self.people
            .iter()
            .find(|p| p.username == username)
            .unwrap_or_else(|| panic!("no user {username}"))
    }

    /// Every page of a search, `page` users at a time; the users in the order given
    /// and the total count, which must be the same on every page.
    async fn search_all(
        &self,
        filter: Option<UserSearchFilter>,
        criteria: Option<UserSearchCriteria>,
        page: i32,
    ) -> (Vec<UserSearchSummary>, i64) {
        let mut users = Vec::new();
        let mut token: Option<String> = None;
        let mut total: Option<i64> = None;
        loop {
            let out = self
                .client
                .search_users()
                .instance_id(&self.instance)
                .max_results(page)
                .set_search_filter(filter.clone())
                .set_search_criteria(criteria.clone())
                .set_next_token(token.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("search: {:?} {}", error_of(&e), message_of(&e)));
            let count = out.approximate_total_count.expect("ApproximateTotalCount");
            assert_eq!(
                *total.get_or_insert(count),
                count,
                "the total changed between pages"
            );
            let got = out.users.unwrap_or_default();
            assert!(
                got.len() <= page as usize,
                "a page holds at most MaxResults users"
            );
            users.extend(got);
            match out.next_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        (users, total.unwrap_or(0))
    }

    /// Runs one query and compares it with the fixture filtered by `filter` and
    /// `criteria`: the same users, in (lowered username, id) order, and the count.
    /// Returns the expected usernames.
    async fn check(
        &self,
        label: &str,
        filter: Option<Filt>,
        criteria: Option<Crit>,
    ) -> Vec<String> {
        let mut expected: Vec<&Person> = self
            .people
            .iter()
            .filter(|p| filter.as_ref().is_none_or(|f| f.eval(p)))
            .filter(|p| criteria.as_ref().is_none_or(|c| c.eval(p)))
            .collect();
        expected.sort_by_key(|p| (p.username.to_lowercase(), p.id.clone()));
        let expected: Vec<String> = expected.iter().map(|p| p.username.clone()).collect();
        let (got, total) = self
            .search_all(
                filter.as_ref().map(Filt::sdk),
                criteria.as_ref().map(Crit::sdk),
                25,
            )
            .await;
        let got: Vec<String> = got
            .iter()
            .map(|u| u.username.clone().expect("Username"))
            .collect();
        assert_eq!(got, expected, "{label}");
        assert_eq!(
            total,
            expected.len() as i64,
            "{label}: ApproximateTotalCount"
        );
        expected
    }

    /// [`Fixture::check`] for a query that must select some users but not all of them,
    /// so that it tells matching from non-matching users.
    async fn check_some(&self, label: &str, filter: Option<Filt>, criteria: Option<Crit>) {
        let n = self.check(label, filter, criteria).await.len();
        assert!(
            n > 0 && n < self.people.len(),
            "{label}: the fixture should have both matching and other users, {n} match"
        );
    }
}

// ---- queries as data, their SDK form and their meaning ------------------------------

#[derive(Debug, Clone, Copy)]
enum Cmp {
    Exact,
    StartsWith,
    Contains,
}

impl Cmp {
    fn sdk(self) -> StringComparisonType {
        match self {
            Cmp::Exact => StringComparisonType::Exact,
            Cmp::StartsWith => StringComparisonType::StartsWith,
            Cmp::Contains => StringComparisonType::Contains,
        }
    }

    fn holds(self, haystack: &str, needle: &str) -> bool {
        match self {
            Cmp::Exact => haystack == needle,
            Cmp::StartsWith => haystack.starts_with(needle),
            Cmp::Contains => haystack.contains(needle),
        }
    }
}

/// One condition of a `ListCondition` on proficiencies.
#[derive(Debug, Clone)]
enum P {
    Name(Cmp, &'static str),
    Value(Cmp, &'static str),
    Level(NumberComparisonType, Option<i32>, Option<i32>),
}

impl P {
    fn sdk(&self) -> Condition {
        let string = |field: &str, cmp: Cmp, v: &str| {
            Condition::builder()
                .string_condition(
                    StringCondition::builder()
                        .field_name(field)
                        .value(v)
                        .comparison_type(cmp.sdk())
                        .build(),
                )
                .build()
        };
        match self {
            P::Name(c, v) => string("AttributeName", *c, v),
            P::Value(c, v) => string("AttributeValue", *c, v),
            P::Level(kind, min, max) => Condition::builder()
                .number_condition(
                    NumberCondition::builder()
                        .field_name("Level")
                        .set_min_value(*min)
                        .set_max_value(*max)
                        .comparison_type(kind.clone())
                        .build(),
                )
                .build(),
        }
    }

    fn holds(&self, (name, value, level): &(String, String, f64)) -> bool {
        match self {
            P::Name(c, v) => c.holds(name, v),
            P::Value(c, v) => c.holds(value, v),
            P::Level(kind, min, max) => {
                let min = || f64::from(min.expect("MinValue"));
                let max = || f64::from(max.expect("MaxValue"));
                let l = *level;
                match kind {
                    NumberComparisonType::GreaterOrEqual => l >= min(),
                    NumberComparisonType::Greater => l > min(),
                    NumberComparisonType::LesserOrEqual => l <= max(),
                    NumberComparisonType::Lesser => l < max(),
                    NumberComparisonType::Equal => l == min(),
                    NumberComparisonType::NotEqual => l != min(),
                    NumberComparisonType::Range => min() <= l && l <= max(),
                    other => panic!("no meaning for {other:?}"),
                }
            }
        }
    }
}

/// `SearchCriteria`.
#[derive(Debug, Clone)]
enum Crit {
    Str(&'static str, Cmp, String),
    Hier(String, bool),
    Prof(Vec<P>),
    And(Vec<Crit>),
    Or(Vec<Crit>),
}

fn hierarchy_condition(group: &str, with_children: bool) -> HierarchyGroupCondition {
    HierarchyGroupCondition::builder()
        .value(group)
        .hierarchy_group_match_type(if with_children {
            HierarchyGroupMatchType::WithChildGroups
        } else {
            HierarchyGroupMatchType::Exact
        })
        .build()
}

fn in_group(p: &Person, group: &str, with_children: bool) -> bool {
    if with_children {
        p.path.iter().any(|g| g == group)
    } else {
        p.path.last().map(String::as_str) == Some(group)
    }
}

fn s(field: &'static str, cmp: Cmp, value: impl Into<String>) -> Crit {
    Crit::Str(field, cmp, value.into())
}

impl Crit {
    fn sdk(&self) -> UserSearchCriteria {
        let b = UserSearchCriteria::builder();
        match self {
            Crit::Str(field, cmp, v) => b
                .string_condition(
                    StringCondition::builder()
                        .field_name(*field)
                        .value(v)
                        .comparison_type(cmp.sdk())
                        .build(),
                )
                .build(),
            Crit::Hier(g, children) => b
                .hierarchy_group_condition(hierarchy_condition(g, *children))
                .build(),
            Crit::Prof(ps) => b
                .list_condition(
                    ListCondition::builder()
                        .target_list_type(TargetListType::Proficiencies)
                        .set_conditions(Some(ps.iter().map(P::sdk).collect()))
                        .build(),
                )
                .build(),
            Crit::And(cs) => b
                .set_and_conditions(Some(cs.iter().map(Crit::sdk).collect()))
                .build(),
            Crit::Or(cs) => b
                .set_or_conditions(Some(cs.iter().map(Crit::sdk).collect()))
                .build(),
        }
    }

    fn eval(&self, p: &Person) -> bool {
        match self {
            Crit::Str(field, cmp, v) => {
                let lower = |s: &str| s.to_lowercase();
                match *field {
                    "Username" => cmp.holds(&lower(&p.username), &lower(v)),
                    "FirstName" => p
                        .first
                        .as_deref()
                        .is_some_and(|f| cmp.holds(&lower(f), &lower(v))),
                    "LastName" => p
                        .last
                        .as_deref()
                        .is_some_and(|l| cmp.holds(&lower(l), &lower(v))),
                    "RoutingProfileId" => cmp.holds(&p.routing_profile, v),
                    "SecurityProfileId" => p.security_profiles.iter().any(|s| cmp.holds(s, v)),
                    "ResourceId" => cmp.holds(&p.id, v),
                    other => panic!("no meaning for field {other}"),
                }
            }
            Crit::Hier(g, children) => in_group(p, g, *children),
            Crit::Prof(ps) => p
                .proficiencies
                .iter()
                .any(|prof| ps.iter().all(|c| c.holds(prof))),
            Crit::And(cs) => cs.iter().all(|c| c.eval(p)),
            Crit::Or(cs) => cs.iter().any(|c| c.eval(p)),
        }
    }
}

type Tag = (&'static str, &'static str);

/// The tag and hierarchy conditions of one `AttributeAndCondition`.
#[derive(Debug, Clone)]
struct AttrAnd {
    tags: Vec<Tag>,
    group: Option<(String, bool)>,
}

/// `SearchFilter`.
#[derive(Debug, Clone)]
enum Filt {
    Tag(Tag),
    TagAnd(Vec<Tag>),
    TagOr(Vec<Vec<Tag>>),
    AttrOr(Vec<AttrAnd>),
    AttrAnd(AttrAnd),
    AttrTag(Tag),
    AttrHier(String, bool),
}

fn tag_condition((k, v): Tag) -> TagCondition {
    TagCondition::builder().tag_key(k).tag_value(v).build()
}

fn has_tag(p: &Person, (k, v): Tag) -> bool {
    p.tags.get(k).map(String::as_str) == Some(v)
}

impl AttrAnd {
    fn sdk(&self) -> AttributeAndCondition {
        AttributeAndCondition::builder()
            .set_tag_conditions(Some(self.tags.iter().copied().map(tag_condition).collect()))
            .set_hierarchy_group_condition(
                self.group
                    .as_ref()
                    .map(|(g, children)| hierarchy_condition(g, *children)),
            )
            .build()
    }

    fn eval(&self, p: &Person) -> bool {
        self.tags.iter().all(|t| has_tag(p, *t))
            && self
                .group
                .as_ref()
                .is_none_or(|(g, children)| in_group(p, g, *children))
    }
}

impl Filt {
    fn sdk(&self) -> UserSearchFilter {
        let tags = ControlPlaneTagFilter::builder();
        let attrs = ControlPlaneUserAttributeFilter::builder();
        let b = UserSearchFilter::builder();
        match self {
            Filt::Tag(t) => b.tag_filter(tags.tag_condition(tag_condition(*t)).build()),
            Filt::TagAnd(ts) => b.tag_filter(
                tags.set_and_conditions(Some(ts.iter().copied().map(tag_condition).collect()))
                    .build(),
            ),
            Filt::TagOr(ors) => b.tag_filter(
                tags.set_or_conditions(Some(
                    ors.iter()
                        .map(|ts| ts.iter().copied().map(tag_condition).collect())
                        .collect(),
                ))
                .build(),
            ),
            Filt::AttrOr(ands) => b.user_attribute_filter(
                attrs
                    .set_or_conditions(Some(ands.iter().map(AttrAnd::sdk).collect()))
                    .build(),
            ),
            Filt::AttrAnd(a) => b.user_attribute_filter(attrs.and_condition(a.sdk()).build()),
            Filt::AttrTag(t) => {
                b.user_attribute_filter(attrs.tag_condition(tag_condition(*t)).build())
            }
            Filt::AttrHier(g, children) => b.user_attribute_filter(
                attrs
                    .hierarchy_group_condition(hierarchy_condition(g, *children))
                    .build(),
            ),
        }
        .build()
    }

    fn eval(&self, p: &Person) -> bool {
        match self {
            Filt::Tag(t) | Filt::AttrTag(t) => has_tag(p, *t),
            Filt::TagAnd(ts) => ts.iter().all(|t| has_tag(p, *t)),
            Filt::TagOr(ors) => ors.iter().any(|ts| ts.iter().all(|t| has_tag(p, *t))),
            Filt::AttrOr(ands) => ands.iter().any(|a| a.eval(p)),
            Filt::AttrAnd(a) => a.eval(p),
            Filt::AttrHier(g, children) => in_group(p, g, *children),
        }
    }
}

// ---- results ------------------------------------------------------------------------

#[tokio::test]
async fn filters_match_the_fixture() {
    let fx = Fixture::saml().await;
    let (north, north_a, south_b) = (fx.group("North"), fx.group("North-A"), fx.group("South-B"));

    // TagFilter.
    fx.check_some(
        "TagFilter.TagCondition",
        Some(Filt::Tag(("dept", "sales"))),
        None,
    )
    .await;
    fx.check_some(
        "TagFilter.AndConditions",
        Some(Filt::TagAnd(vec![("dept", "sales"), ("site", "berlin")])),
        None,
    )
    .await;
    fx.check_some(
        "TagFilter.OrConditions",
        Some(Filt::TagOr(vec![
            vec![("dept", "sales"), ("site", "berlin")],
            vec![("dept", "billing")],
            vec![("site", "tokyo"), ("vip", "yes")],
        ])),
        None,
    )
    .await;
    fx.check(
        "TagFilter with a value nobody has",
        Some(Filt::Tag(("dept", "Sales"))),
        None,
    )
    .await;

    // UserAttributeFilter.
    fx.check_some(
        "UserAttributeFilter.OrConditions",
        Some(Filt::AttrOr(vec![
            AttrAnd {
                tags: vec![("dept", "support")],
                group: None,
            },
            AttrAnd {
                tags: vec![],
                group: Some((north_a.clone(), true)),
            },
            AttrAnd {
                tags: vec![("site", "lima"), ("dept", "sales")],
                group: Some((fx.group("West"), true)),
            },
        ])),
        None,
    )
    .await;
    fx.check_some(
        "UserAttributeFilter.AndCondition with a hierarchy group",
        Some(Filt::AttrAnd(AttrAnd {
            tags: vec![("site", "austin")],
            group: Some((north.clone(), true)),
        })),
        None,
    )
    .await;
    fx.check_some(
        "UserAttributeFilter.AndCondition of tags",
        Some(Filt::AttrAnd(AttrAnd {
            tags: vec![("dept", "billing"), ("site", "tokyo")],
            group: None,
        })),
        None,
    )
    .await;
    fx.check_some(
        "UserAttributeFilter.TagCondition",
        Some(Filt::AttrTag(("site", "berlin"))),
        None,
    )
    .await;
    for (name, children) in [
        ("North", false),
        ("North", true),
        ("South-B", false),
        ("South-B", true),
    ] {
        fx.check_some(
            &format!("UserAttributeFilter.HierarchyGroupCondition {name} children={children}"),
            Some(Filt::AttrHier(fx.group(name), children)),
            None,
        )
        .await;
    }
    // A filter and criteria together: both must hold.
    fx.check_some(
        "TagFilter and SearchCriteria",
        Some(Filt::Tag(("dept", "sales"))),
        Some(s("FirstName", Cmp::Contains, "an")),
    )
    .await;
    fx.check_some(
        "UserAttributeFilter and SearchCriteria",
        Some(Filt::AttrHier(north.clone(), true)),
        Some(Crit::Prof(vec![
            P::Name(Cmp::Exact, "Language"),
            P::Level(NumberComparisonType::GreaterOrEqual, Some(3), None),
        ])),
    )
    .await;
    fx.check_some(
        "UserAttributeFilter.OrConditions and nested criteria",
        Some(Filt::AttrOr(vec![
            AttrAnd {
                tags: vec![("vip", "yes")],
                group: None,
            },
            AttrAnd {
                tags: vec![],
                group: Some((south_b, true)),
            },
        ])),
        Some(Crit::Or(vec![
            s("LastName", Cmp::Contains, "son"),
            s(
                "SecurityProfileId",
                Cmp::Exact,
                fx.profiles["Admin"].clone(),
            ),
        ])),
    )
    .await;
}

#[tokio::test]
async fn string_conditions_match_the_fixture() {
    let fx = Fixture::saml().await;
    use Cmp::*;
    // Names compare without regard to case, whatever the case of the value.
    let names = [
        ("Username", Exact, "ALICE.anderson"),
        ("Username", Exact, "aBC"),
        ("Username", StartsWith, "Jo"),
        ("Username", StartsWith, "MAR"),
        ("Username", StartsWith, "_"),
        ("Username", Contains, "an"),
        ("Username", Contains, ".S"),
        ("Username", Contains, "SMITH"),
        ("Username", Contains, "anna"),
        ("Username", Contains, "@example.com"),
        ("FirstName", Exact, "anna"),
        ("FirstName", Exact, "CHRIS"),
        ("FirstName", StartsWith, "jo"),
        ("FirstName", StartsWith, "Sam"),
        ("FirstName", Contains, "AN"),
        ("FirstName", Contains, "ann"),
        ("FirstName", Contains, "Mar"),
        ("FirstName", Contains, "ristin"),
        ("LastName", Exact, "smith"),
        ("LastName", Exact, "ANDERSON"),
        ("LastName", StartsWith, "San"),
        ("LastName", Contains, "so"),
        ("LastName", Contains, "SON"),
        ("LastName", Contains, "mith"),
        ("LastName", Contains, "sanderson"),
    ];
    for (field, cmp, value) in names {
        fx.check_some(
            &format!("{field} {cmp:?} {value:?}"),
            None,
            Some(s(field, cmp, value)),
        )
        .await;
    }
    // Values matching nobody, in each way the SQL might go wrong.
    for (field, cmp, value) in [
        ("Username", Exact, "alice"),
        ("FirstName", Contains, "zz"),
        ("LastName", Contains, "nderx"),
        ("LastName", StartsWith, "smithy"),
    ] {
        let got = fx
            .check(
                &format!("{field} {cmp:?} {value:?}"),
                None,
                Some(s(field, cmp, value)),
            )
            .await;
        assert!(got.is_empty());
    }

    // Ids compare exactly.
    let (basic, second) = (fx.basic_rp.clone(), fx.second_rp.clone());
    let ids = [
        ("RoutingProfileId", Exact, second.clone()),
        ("RoutingProfileId", Exact, basic.clone()),
        ("RoutingProfileId", StartsWith, second[..8].to_string()),
        ("RoutingProfileId", Contains, basic[9..19].to_string()),
        ("SecurityProfileId", Exact, fx.profiles["Admin"].clone()),
        (
            "SecurityProfileId",
            Exact,
            fx.profiles["CallCenterManager"].clone(),
        ),
        (
            "SecurityProfileId",
            StartsWith,
            fx.profiles["Agent"][..6].to_string(),
        ),
        (
            "SecurityProfileId",
            Contains,
            fx.profiles["Admin"][14..24].to_string(),
        ),
    ];
    for (field, cmp, value) in ids {
        fx.check_some(
            &format!("{field} {cmp:?} {value:?}"),
            None,
            Some(s(field, cmp, value.clone())),
        )
        .await;
    }
    // Two characters of an id may occur in both routing profiles' ids.
    let got = fx
        .check(
            "RoutingProfileId CONTAINS 2 characters",
            None,
            Some(s("RoutingProfileId", Contains, second[30..32].to_string())),
        )
        .await;
    assert!(!got.is_empty());
    // A user's id, and parts of it (which may match other users' ids too).
    let some = |n: usize| fx.people[n].id.clone();
    for (cmp, value) in [
        (Exact, some(5)),
        (StartsWith, some(7)[..1].to_string()),
        (StartsWith, some(8)[..13].to_string()),
        (Contains, some(9)[10..20].to_string()),
        (Contains, some(11)[20..22].to_string()),
    ] {
        let got = fx
            .check(
                &format!("ResourceId {cmp:?} {value:?}"),
                None,
                Some(s("ResourceId", cmp, value.clone())),
            )
            .await;
        assert!(!got.is_empty(), "ResourceId {cmp:?} {value:?}");
    }
    let got = fx
        .check(
            "ResourceId EXACT",
            None,
            Some(s("ResourceId", Exact, some(5))),
        )
        .await;
    assert_eq!(got, vec![fx.people[5].username.clone()]);
    // The routing profile id is not compared without regard to case.
    let got = fx
        .check(
            "RoutingProfileId in upper case",
            None,
            Some(s("RoutingProfileId", Exact, second.to_uppercase())),
        )
        .await;
    assert!(got.is_empty() || second == second.to_uppercase());
}

#[tokio::test]
async fn hierarchy_and_proficiency_conditions_match_the_fixture() {
    let fx = Fixture::saml().await;
    for name in [
        "North",
        "South",
        "West",
        "North-A",
        "South-B",
        "West-A",
        "North-A-1",
    ] {
        for children in [false, true] {
            fx.check_some(
                &format!("HierarchyGroupCondition {name} children={children}"),
                None,
                Some(Crit::Hier(fx.group(name), children)),
            )
            .await;
        }
    }
    // A level-2 group with children holds its own users and its children's.
    let expected = fx
        .check(
            "North-A with children",
            None,
            Some(Crit::Hier(fx.group("North-A"), true)),
        )
        .await;
    let mut parts = Vec::new();
    for name in ["North-A", "North-A-1", "North-A-2"] {
        parts.extend(
            fx.check(name, None, Some(Crit::Hier(fx.group(name), false)))
                .await,
        );
    }
    assert_eq!(
        expected.iter().collect::<BTreeSet<_>>(),
        parts.iter().collect::<BTreeSet<_>>()
    );
    fx.check(
        "an unknown group",
        None,
        Some(Crit::Hier("no-such-group".into(), true)),
    )
    .await;

    // Every NumberComparisonType, alone and with string conditions.
    use NumberComparisonType as N;
    let lang = || P::Name(Cmp::Exact, "Language");
    let cases: Vec<(&str, Vec<P>)> = vec![
        (
            "Language >= 3",
            vec![lang(), P::Level(N::GreaterOrEqual, Some(3), None)],
        ),
        (
            "Language > 3",
            vec![lang(), P::Level(N::Greater, Some(3), None)],
        ),
        (
            "Language <= 2",
            vec![lang(), P::Level(N::LesserOrEqual, None, Some(2))],
        ),
        (
            "Language < 2",
            vec![lang(), P::Level(N::Lesser, None, Some(2))],
        ),
        (
            "French = 3",
            vec![
                P::Value(Cmp::Exact, "French"),
                P::Level(N::Equal, Some(3), None),
            ],
        ),
        (
            "Skill != 5",
            vec![
                P::Name(Cmp::Exact, "Skill"),
                P::Level(N::NotEqual, Some(5), None),
            ],
        ),
        ("level in 2..=4", vec![P::Level(N::Range, Some(2), Some(4))]),
        ("level = 5", vec![P::Level(N::Equal, Some(5), None)]),
        ("level > 4", vec![P::Level(N::Greater, Some(4), None)]),
        ("level < 2", vec![P::Level(N::Lesser, None, Some(2))]),
        (
            "value starts with Ger",
            vec![P::Value(Cmp::StartsWith, "Ger")],
        ),
        ("value contains an", vec![P::Value(Cmp::Contains, "an")]),
        (
            "name contains kil, value Tech",
            vec![P::Name(Cmp::Contains, "kil"), P::Value(Cmp::Exact, "Tech")],
        ),
        (
            "Spanish in 1..=3, name starts with L",
            vec![
                P::Name(Cmp::StartsWith, "L"),
                P::Value(Cmp::Exact, "Spanish"),
                P::Level(N::Range, Some(1), Some(3)),
            ],
        ),
    ];
    for (label, conds) in cases {
        fx.check_some(label, None, Some(Crit::Prof(conds))).await;
    }

    // Language at level 4 or more must hold for one and the same proficiency: users
    // with a Language below 4 and a Skill at 4 or more do not match.
    let conds = vec![lang(), P::Level(N::GreaterOrEqual, Some(4), None)];
    let across: Vec<&Person> = fx
        .people
        .iter()
        .filter(|p| {
            let language = p.proficiencies.iter().any(|(n, _, _)| n == "Language");
            let high = p.proficiencies.iter().any(|(_, _, l)| *l >= 4.0);
            language && high && !Crit::Prof(conds.clone()).eval(p)
        })
        .collect();
    assert!(
        !across.is_empty(),
        "the fixture has users matching only across proficiencies"
    );
    let got = fx
        .check(
            "Language >= 4 on one proficiency",
            None,
            Some(Crit::Prof(conds)),
        )
        .await;
    for p in across {
        assert!(
            !got.contains(&p.username),
            "{} matched across two proficiencies",
            p.username
        );
    }
    // Two list conditions ANDed may be satisfied by different proficiencies.
    fx.check_some(
        "Language and (any) level >= 4 as two list conditions",
        None,
        Some(Crit::And(vec![
            Crit::Prof(vec![lang()]),
            Crit::Prof(vec![P::Level(N::GreaterOrEqual, Some(4), None)]),
        ])),
    )
    .await;
}

#[tokio::test]
async fn nested_criteria_match_the_fixture() {
    let fx = Fixture::saml().await;
    use Cmp::*;
    let admin = fx.profiles["Admin"].clone();
    // OR of ANDs of ORs of ANDs.
    let nested = Crit::Or(vec![
        Crit::And(vec![
            s("FirstName", Contains, "an"),
            Crit::Or(vec![
                Crit::Hier(fx.group("North"), true),
                Crit::Prof(vec![P::Name(Exact, "Skill")]),
                Crit::And(vec![
                    s("Username", StartsWith, "j"),
                    s("RoutingProfileId", Exact, fx.second_rp.clone()),
                ]),
            ]),
        ]),
        Crit::And(vec![
            s("LastName", StartsWith, "s"),
            Crit::Or(vec![
                Crit::And(vec![
                    s("SecurityProfileId", Exact, admin.clone()),
                    s("RoutingProfileId", Exact, fx.basic_rp.clone()),
                ]),
                s("Username", Contains, "mar"),
                Crit::And(vec![
                    Crit::Hier(fx.group("West-A"), true),
                    Crit::Prof(vec![P::Level(NumberComparisonType::Lesser, None, Some(3))]),
                ]),
            ]),
        ]),
        Crit::And(vec![
            Crit::Hier(fx.group("South-A-2"), false),
            s("LastName", Contains, "son"),
        ]),
    ]);
    fx.check_some("nested OR of ANDs", None, Some(nested.clone()))
        .await;
    fx.check_some(
        "the same under a filter",
        Some(Filt::TagOr(vec![
            vec![("site", "berlin")],
            vec![("dept", "support")],
        ])),
        Some(nested),
    )
    .await;
    // AND of ORs, each of ANDs.
    fx.check_some(
        "AND of ORs",
        None,
        Some(Crit::And(vec![
            Crit::Or(vec![
                Crit::And(vec![
                    s("FirstName", StartsWith, "a"),
                    s("LastName", Contains, "an"),
                ]),
                Crit::And(vec![
                    s("FirstName", StartsWith, "j"),
                    s("LastName", Contains, "son"),
                ]),
                s("Username", Contains, "sam"),
            ]),
            Crit::Or(vec![
                s("SecurityProfileId", Exact, admin),
                Crit::Hier(fx.group("South"), true),
            ]),
        ])),
    )
    .await;
    // Empty lists: AND of nothing holds for everyone, OR of nothing for nobody.
    let all = fx
        .check("AND of nothing", None, Some(Crit::And(vec![])))
        .await;
    assert_eq!(all.len(), fx.people.len());
    let none = fx
        .check("OR of nothing", None, Some(Crit::Or(vec![])))
        .await;
    assert!(none.is_empty());
}

// ---- nameless users ---------------------------------------------------------------

#[tokio::test]
async fn users_without_names_match_no_name_condition() {
    let server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "EXISTING_DIRECTORY").await;
    let agent = security_profile_id(&client, &instance, "Agent").await;
    let rp = basic_routing_profile(&client, &instance).await;
    let users: [(&str, Option<&str>, Option<&str>); 6] = [
        ("nobody.one", None, None),
        ("Nobody.Two", None, None),
        ("annie.first", Some("Annie"), None),
        ("Sanders.last", None, Some("Sanders")),
        ("anne.both", Some("Anne"), Some("Sanderson")),
        ("zoe.b", Some("Zoë"), Some("Brontë")),
    ];
    let mut people = Vec::new();
    for (username, first, last) in users {
        let mut req = client
            .create_user()
            .instance_id(&instance)
            .username(username)
            .security_profile_ids(&agent)
            .routing_profile_id(&rp)
            .directory_user_id(format!("dir-{username}"));
        if first.is_some() || last.is_some() {
            req = req.identity_info(
                UserIdentityInfo::builder()
                    .set_first_name(first.map(str::to_string))
                    .set_last_name(last.map(str::to_string))
                    .build(),
            );
        }
        let id = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("create {username}: {}", message_of(&e)))
            .user_id
            .unwrap();
        people.push(Person {
            id,
            username: username.to_string(),
            first: first.map(str::to_string),
            last: last.map(str::to_string),
            routing_profile: rp.clone(),
            security_profiles: vec![agent.clone()],
            path: vec![],
            tags: BTreeMap::new(),
            proficiencies: vec![],
        });
    }
    let fx = Fixture {
        server,
        client,
        instance,
        people,
        groups: HashMap::new(),
        profiles: HashMap::new(),
        basic_rp: rp,
        second_rp: String::new(),
    };
    use Cmp::*;
    for (field, cmp, value) in [
        ("FirstName", StartsWith, "an"),
        ("FirstName", Contains, "nn"),
        ("FirstName", Contains, "NNI"),
        ("FirstName", Exact, "anne"),
        ("LastName", StartsWith, "s"),
        ("LastName", Contains, "de"),
        ("LastName", Contains, "ders"),
        ("LastName", Exact, "sanders"),
        ("Username", Contains, "no"),
        ("Username", Contains, "body"),
        // Letters beyond ASCII compare without regard to case too.
        ("FirstName", Contains, "OË"),
        ("FirstName", Exact, "ZOË"),
        ("LastName", Contains, "NTË"),
    ] {
        fx.check_some(
            &format!("{field} {cmp:?} {value:?}"),
            None,
            Some(s(field, cmp, value)),
        )
        .await;
    }
    fx.check_some(
        "names or usernames",
        None,
        Some(Crit::Or(vec![
            s("FirstName", Contains, "nni"),
            s("Username", StartsWith, "NOBODY"),
        ])),
    )
    .await;
    // A nameless user's summary carries no names, and DirectoryUserId.
    let (users, _) = fx
        .search_all(None, Some(s("Username", Exact, "nobody.one").sdk()), 10)
        .await;
    assert_eq!(users.len(), 1);
    let info = users[0].identity_info.clone().unwrap_or_else(|| {
        roster_tests::aws_sdk_connect::types::UserIdentityInfoLite::builder().build()
    });
    assert_eq!((info.first_name(), info.last_name()), (None, None));
    assert_eq!(users[0].directory_user_id(), Some("dir-nobody.one"));
}

// ---- refusals -----------------------------------------------------------------------

#[tokio::test]
async fn bad_searches_are_refused() {
    let server = Server::start();
    let client = server.client();
    let instance = create_instance(&client, "SAML").await;
    let search = || client.search_users().instance_id(&instance);
    let tag = |k: &str| TagCondition::builder().tag_key(k).tag_value("v").build();
    let string = |field: &str, cmp: StringComparisonType, value: &str| {
        UserSearchCriteria::builder()
            .string_condition(
                StringCondition::builder()
                    .field_name(field)
                    .value(value)
                    .comparison_type(cmp)
                    .build(),
            )
            .build()
    };

    // Both filters at once.
    rejected(
        search()
            .search_filter(
                UserSearchFilter::builder()
                    .tag_filter(
                        ControlPlaneTagFilter::builder()
                            .tag_condition(tag("a"))
                            .build(),
                    )
                    .user_attribute_filter(
                        ControlPlaneUserAttributeFilter::builder()
                            .tag_condition(tag("a"))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await,
        "AccessDeniedException",
        403,
    );
    // Two members of one filter.
    let msg = rejected(
        search()
            .search_filter(
                UserSearchFilter::builder()
                    .tag_filter(
                        ControlPlaneTagFilter::builder()
                            .tag_condition(tag("a"))
                            .and_conditions(tag("b"))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("TagFilter"), "{msg}");
    let msg = rejected(
        search()
            .search_filter(
                UserSearchFilter::builder()
                    .user_attribute_filter(
                        ControlPlaneUserAttributeFilter::builder()
                            .tag_condition(tag("a"))
                            .hierarchy_group_condition(hierarchy_condition("g", false))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("UserAttributeFilter"), "{msg}");
    // A field that cannot be searched, named in the message.
    let msg = rejected(
        search()
            .search_criteria(string("Email", StringComparisonType::Exact, "a@b.c"))
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("Email"), "{msg}");
    // CONTAINS takes 2 to 25 characters.
    for bad in ["a".to_string(), "a".repeat(26)] {
        for field in ["Username", "FirstName"] {
            rejected(
                search()
                    .search_criteria(string(field, StringComparisonType::Contains, &bad))
                    .send()
                    .await,
                "InvalidParameterException",
                400,
            );
        }
    }
    for good in ["ab".to_string(), "a".repeat(25)] {
        search()
            .search_criteria(string("LastName", StringComparisonType::Contains, &good))
            .send()
            .await
            .expect("CONTAINS of 2 and 25 characters");
    }
    // Nesting: 10 levels of criteria are accepted, 11 are not.
    let nest = |depth: usize| {
        let mut c = string("Username", StringComparisonType::StartsWith, "a");
        for n in 1..depth {
            c = if n % 2 == 0 {
                UserSearchCriteria::builder().and_conditions(c).build()
            } else {
                UserSearchCriteria::builder().or_conditions(c).build()
            };
        }
        c
    };
    search()
        .search_criteria(nest(10))
        .send()
        .await
        .expect("10 levels of criteria");
    rejected(
        search().search_criteria(nest(11)).send().await,
        "InvalidParameterException",
        400,
    );
    // 25 tag conditions are accepted, 26 are not (counted over the whole filter).
    let tags = |n: usize| (0..n).map(|i| tag(&format!("k{i}"))).collect::<Vec<_>>();
    let and_filter = |n: usize| {
        UserSearchFilter::builder()
            .tag_filter(
                ControlPlaneTagFilter::builder()
                    .set_and_conditions(Some(tags(n)))
                    .build(),
            )
            .build()
    };
    search()
        .search_filter(and_filter(25))
        .send()
        .await
        .expect("25 tag conditions");
    rejected(
        search().search_filter(and_filter(26)).send().await,
        "InvalidParameterException",
        400,
    );
    let or_filter = UserSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .or_conditions(tags(13))
                .or_conditions(tags(13))
                .build(),
        )
        .build();
    rejected(
        search().search_filter(or_filter).send().await,
        "InvalidParameterException",
        400,
    );
    // 20 hierarchy conditions are accepted, 21 are not.
    let groups = |n: usize| {
        UserSearchCriteria::builder()
            .set_or_conditions(Some(
                (0..n)
                    .map(|i| {
                        UserSearchCriteria::builder()
                            .hierarchy_group_condition(hierarchy_condition(&format!("g{i}"), true))
                            .build()
                    })
                    .collect(),
            ))
            .build()
    };
    search()
        .search_criteria(groups(20))
        .send()
        .await
        .expect("20 hierarchy conditions");
    rejected(
        search().search_criteria(groups(21)).send().await,
        "InvalidParameterException",
        400,
    );
    // MaxResults is 1 to 500.
    for bad in [0, 501] {
        rejected(
            search().max_results(bad).send().await,
            "InvalidParameterException",
            400,
        );
    }
    for good in [1, 500] {
        search()
            .max_results(good)
            .send()
            .await
            .expect("MaxResults in range");
    }
    // An instance that does not exist.
    rejected(
        client
            .search_users()
            .instance_id("00000000-0000-4000-8000-000000000000")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
}

// ---- pagination ---------------------------------------------------------------------

/// (lowered username, id): the order of search results.
fn order_key(u: &UserSearchSummary) -> (String, String) {
    (
        u.username().expect("Username").to_lowercase(),
        u.id().expect("Id").to_string(),
    )
}

#[tokio::test]
async fn paging_visits_every_user_once_in_order() {
    let fx = Fixture::saml().await;
    let (users, total) = fx.search_all(None, None, 7).await;
    assert_eq!(total, 60);
    let mut expected: Vec<&Person> = fx.people.iter().collect();
    expected.sort_by_key(|p| (p.username.to_lowercase(), p.id.clone()));
    let expected: Vec<&str> = expected.iter().map(|p| p.id.as_str()).collect();
    let got: Vec<&str> = users.iter().map(|u| u.id().expect("Id")).collect();
    assert_eq!(got, expected);
    // Case-insensitive order differs from byte order in this fixture.
    let by_bytes = {
        let mut v: Vec<&str> = PEOPLE.iter().map(|p| p.0).collect();
        v.sort();
        v
    };
    let names: Vec<&str> = users.iter().map(|u| u.username().unwrap()).collect();
    assert_ne!(names, by_bytes);
    assert_eq!(names.first(), Some(&"1st.agent"));
    assert_eq!(
        names.iter().position(|n| *n == "a_b").unwrap() + 1,
        names.iter().position(|n| *n == "aBc").unwrap()
    );

    // Page by page: 8 pages of 7 and one of 4, the token gone on the last.
    let mut token: Option<String> = None;
    let mut sizes = Vec::new();
    loop {
        let out = fx
            .client
            .search_users()
            .instance_id(&fx.instance)
            .max_results(7)
            .set_next_token(token.take())
            .send()
            .await
            .expect("page");
        assert_eq!(out.approximate_total_count, Some(60));
        sizes.push(out.users().len());
        match out.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(sizes, vec![7, 7, 7, 7, 7, 7, 7, 7, 4]);

    // A token resumes only the query (and instance) that made it.
    let first = fx
        .client
        .search_users()
        .instance_id(&fx.instance)
        .max_results(7)
        .search_criteria(s("Username", Cmp::Contains, "an").sdk())
        .send()
        .await
        .expect("first page");
    let token = first.next_token.clone().expect("a second page");
    // The same query resumes, with another page size too.
    let second = fx
        .client
        .search_users()
        .instance_id(&fx.instance)
        .max_results(3)
        .search_criteria(s("Username", Cmp::Contains, "an").sdk())
        .next_token(&token)
        .send()
        .await
        .expect("second page");
    assert!(order_key(&second.users()[0]) > order_key(first.users().last().unwrap()));
    for other in [
        Some(s("Username", Cmp::Contains, "AN").sdk()),
        Some(s("Username", Cmp::StartsWith, "an").sdk()),
        None,
    ] {
        rejected(
            fx.client
                .search_users()
                .instance_id(&fx.instance)
                .max_results(7)
                .set_search_criteria(other)
                .next_token(&token)
                .send()
                .await,
            "InvalidRequestException",
            400,
        );
    }
    rejected(
        fx.client
            .search_users()
            .instance_id(&fx.instance)
            .max_results(7)
            .search_criteria(s("Username", Cmp::Contains, "an").sdk())
            .search_filter(Filt::Tag(("dept", "sales")).sdk())
            .next_token(&token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    // Another instance, same query.
    let other = create_instance(&fx.client, "SAML").await;
    rejected(
        fx.client
            .search_users()
            .instance_id(&other)
            .max_results(7)
            .search_criteria(s("Username", Cmp::Contains, "an").sdk())
            .next_token(&token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    for garbage in ["garbage", "czE", "!!!", &token[..token.len() - 2]] {
        rejected(
            fx.client
                .search_users()
                .instance_id(&fx.instance)
                .max_results(7)
                .search_criteria(s("Username", Cmp::Contains, "an").sdk())
                .next_token(garbage)
                .send()
                .await,
            "InvalidRequestException",
            400,
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_while_users_are_created_returns_no_user_twice() {
    let fx = Fixture::saml().await;
    let before: BTreeSet<String> = fx.people.iter().map(|p| p.id.clone()).collect();
    let agent = fx.profiles["Agent"].clone();
    let created = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    // Each new username sorts right after a fixture user's ("alice.anderson-0" after
    // "alice.anderson", before "alicia.sanders"), so new users land between the pages
    // already read and those still to come.
    let names: Vec<String> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}-{i}", p.0.replace('@', "-at-")))
        .collect();
    let writer = {
        let (client, instance, rp) = (fx.client.clone(), fx.instance.clone(), fx.basic_rp.clone());
        let (created, done) = (created.clone(), done.clone());
        tokio::spawn(async move {
            for name in names {
                client
                    .create_user()
                    .instance_id(&instance)
                    .username(&name)
                    .identity_info(
                        UserIdentityInfo::builder()
                            .first_name("New")
                            .last_name("User")
                            .build(),
                    )
                    .security_profile_ids(&agent)
                    .routing_profile_id(&rp)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("create {name}: {}", message_of(&e)));
                created.fetch_add(1, Ordering::SeqCst);
            }
            done.store(true, Ordering::SeqCst);
        })
    };

    let mut seen: Vec<(String, String)> = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        // Let at least two users be created between pages, while the writer runs.
        let mark = created.load(Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(10);
        while pages > 0
            && !done.load(Ordering::SeqCst)
            && created.load(Ordering::SeqCst) < mark + 2
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let out = fx
            .client
            .search_users()
            .instance_id(&fx.instance)
            .max_results(7)
            .set_next_token(token.take())
            .send()
            .await
            .expect("page");
        pages += 1;
        seen.extend(out.users().iter().map(order_key));
        match out.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    writer.await.expect("writer");
    assert!(pages >= 9, "{pages} pages");
    let created_during = created.load(Ordering::SeqCst);
    assert!(created_during > 0);

    // In order, hence no user twice.
    for pair in seen.windows(2) {
        assert!(pair[0] < pair[1], "out of order or repeated: {pair:?}");
    }
    let ids: Vec<&String> = seen.iter().map(|(_, id)| id).collect();
    let unique: BTreeSet<&String> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "a user came twice");
    // Every user that existed before the first page came exactly once.
    for id in &before {
        assert_eq!(
            ids.iter().filter(|i| **i == id).count(),
            1,
            "user {id} of the fixture"
        );
    }
    // Afterwards, all 120 are there.
    let (all, total) = fx.search_all(None, None, 500).await;
    assert_eq!((all.len(), total), (120, 120));
}

// ---- the summaries ------------------------------------------------------------------

#[tokio::test]
async fn summaries_report_acw_in_milliseconds_and_names_only() {
    let fx = Fixture::saml().await;
    let (users, _) = fx.search_all(None, None, 500).await;
    assert_eq!(users.len(), 60);
    let mut nonzero = 0;
    for u in &users {
        let d = fx
            .client
            .describe_user()
            .instance_id(&fx.instance)
            .user_id(u.id().unwrap())
            .send()
            .await
            .expect("describe")
            .user
            .expect("User");
        let name = u.username().unwrap();
        let pc = u.phone_config().expect("PhoneConfig");
        let dpc = d.phone_config().expect("PhoneConfig");
        assert_eq!(
            pc.after_contact_work_time_limit as i64,
            dpc.after_contact_work_time_limit as i64 * 1000,
            "{name}: PhoneConfig"
        );
        let seconds: HashMap<String, (i32, Option<i32>)> = d
            .after_contact_work_configs()
            .iter()
            .map(|e| {
                (
                    e.channel.as_str().to_string(),
                    (
                        e.after_contact_work_config()
                            .unwrap()
                            .after_contact_work_time_limit,
                        e.agent_first_callback_after_contact_work_config()
                            .map(|a| a.after_contact_work_time_limit),
                    ),
                )
            })
            .collect();
        assert_eq!(
            u.after_contact_work_configs().len(),
            seconds.len(),
            "{name}"
        );
        for e in u.after_contact_work_configs() {
            let (s, afc) = seconds[e.channel.as_str()];
            let ms = e
                .after_contact_work_config()
                .unwrap()
                .after_contact_work_time_limit;
            assert_eq!(ms as i64, s as i64 * 1000, "{name} {}", e.channel.as_str());
            assert_eq!(
                e.agent_first_callback_after_contact_work_config()
                    .map(|a| a.after_contact_work_time_limit as i64),
                afc.map(|s| s as i64 * 1000),
                "{name} {} agent-first",
                e.channel.as_str()
            );
            if s != 0 {
                nonzero += 1;
            }
        }
        let p = fx.person(name);
        let info = u.identity_info().expect("IdentityInfo");
        assert_eq!(info.first_name(), p.first.as_deref());
        assert_eq!(info.last_name(), p.last.as_deref());
    }
    assert!(
        nonzero > 20,
        "the fixture sets after-contact work on many users"
    );
    let user = fx.person("JoAnna.Smith");
    let entry = |list: &[AfterContactWorkConfigPerChannel], ch: Channel| {
        list.iter().find(|e| e.channel == ch).map(|e| {
            e.after_contact_work_config()
                .unwrap()
                .after_contact_work_time_limit
        })
    };
    let summary = users
        .iter()
        .find(|u| u.id() == Some(user.id.as_str()))
        .unwrap();
    // User 6 sets nothing; user 1 (Alicia.Sanders) sets channels one by one.
    assert_eq!(
        entry(summary.after_contact_work_configs(), Channel::Chat),
        Some(0)
    );
    let alicia = users
        .iter()
        .find(|u| u.username() == Some("Alicia.Sanders"))
        .unwrap();
    assert_eq!(
        entry(alicia.after_contact_work_configs(), Channel::Email),
        Some(2_000_000_000)
    );
    assert_eq!(
        entry(alicia.after_contact_work_configs(), Channel::Chat),
        Some(120_000)
    );
    assert_eq!(
        alicia.phone_config().unwrap().after_contact_work_time_limit,
        15_000
    );

    // On the wire: IdentityInfo holds first and last name only, though many users
    // have an email, a secondary email and a mobile number.
    let res = raw_json_request(
        &fx.server.addr,
        "POST",
        "/search-users",
        Some(&json!({"InstanceId": fx.instance, "MaxResults": 100})),
    )
    .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let body = res.json();
    let list = body["Users"].as_array().expect("Users");
    assert_eq!(list.len(), 60);
    for u in list {
        let info = u["IdentityInfo"].as_object().expect("IdentityInfo");
        let keys: BTreeSet<&str> = info.keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["FirstName", "LastName"]), "{u}");
        let name = u["Username"].as_str().unwrap();
        let p = fx.person(name);
        assert_eq!(info["FirstName"], json!(p.first));
        assert_eq!(info["LastName"], json!(p.last));
        // PhoneConfig's limit is the VOICE entry's, both in milliseconds.
        let voice = u["AfterContactWorkConfigs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["Channel"] == "VOICE")
            .unwrap();
        assert_eq!(
            u["PhoneConfig"]["AfterContactWorkTimeLimit"],
            voice["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
        );
    }
    assert_eq!(body["ApproximateTotalCount"], json!(60));
}
