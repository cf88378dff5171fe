//! Random users and random condition trees for the search contract, from a
//! deterministic generator.

use roster_domain::new_id;
use roster_domain::proficiency::UserProficiency;
use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch, UserFacts, CONTAINS_MAX, CONTAINS_MIN,
};
use roster_domain::user::{SecurityProfileIds, User};

use super::fixtures::{plain_user, Fixture};

/// A small xorshift64 generator: deterministic pseudo-random choices.
pub(super) struct XorShift(pub(super) u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub(super) fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A stored user with what a search looks at besides the user itself.
pub(super) struct Searchable {
    pub(super) user: User,
    /// Group ids from the top level down to the user's group.
    pub(super) path: Vec<String>,
    pub(super) proficiencies: Vec<UserProficiency>,
}

impl Searchable {
    pub(super) fn facts(&self) -> UserFacts<'_> {
        UserFacts {
            id: &self.user.id,
            username: self.user.username.as_str(),
            first_name: self.user.identity.first_name.as_deref(),
            last_name: self.user.identity.last_name.as_deref(),
            routing_profile_id: &self.user.routing_profile_id,
            security_profile_ids: &self.user.security_profile_ids,
            hierarchy_path: &self.path,
            tags: Some(&self.user.tags),
            proficiencies: &self.proficiencies,
        }
    }
}

pub(super) const SEARCH_USERNAMES: [&str; 40] = [
    "ann",
    "Anna",
    "HANNAH",
    "jo",
    "JoAnn",
    "joanna.b",
    "mar",
    "Mary",
    "MaryAnn",
    "zoe",
    "Zed",
    "_x",
    "a_b",
    "aBc",
    "ABD",
    "1st",
    "sam",
    "Sam.Smith",
    "sanders",
    "ed",
    "ED2",
    "x.y",
    "li@q.io",
    "Obi-Wan",
    "o.d",
    "Odysseas",
    "pap",
    "ng",
    "NG.2",
    "van",
    "b-b",
    "B_B",
    "c.c",
    "Chris",
    "chris.2",
    "dana",
    "DIANA",
    "diane",
    "ivan",
    "IVANA",
];
const SEARCH_FIRST_NAMES: [Option<&str>; 14] = [
    Some("Anna"),
    Some("Hannah"),
    Some("Joanna"),
    Some("ANNE"),
    Some("Zoë"),
    Some("Οδυσσέας"),
    Some("ΟΔΥΣΣΕΑΣ"),
    Some("Émile"),
    Some("Straße"),
    Some("Mary-Ann"),
    Some("Samuel"),
    Some("ſamuel"),
    None,
    None,
];
const SEARCH_LAST_NAMES: [Option<&str>; 11] = [
    Some("Anderson"),
    Some("Sanders"),
    Some("SANDERSON"),
    Some("Smith"),
    Some("Goldsmith"),
    Some("Brontë-O'Neill"),
    Some("ΠΑΠΑΔΟΠΟΥΛΟΣ"),
    Some("Ng"),
    Some("van der Berg"),
    Some("ΟΔΥΣΣΕΑΣ"),
    None,
];
pub(super) const SEARCH_ATTRIBUTES: [(&str, &[&str]); 2] = [
    ("Language", &["English", "French", "German"]),
    ("Skill", &["Billing", "Tech", "Sales"]),
];
pub(super) const SEARCH_TAGS: [(&str, &[&str]); 3] = [
    ("dept", &["sales", "Sales", "support"]),
    ("site", &["berlin", "austin", ""]),
    ("vip", &["yes"]),
];
/// Needles that tell exact substring matching from looser ones: case folding that
/// treats final sigma or long s as s, and strings the data does not hold.
const TRICKY_NEEDLES: [&str; 9] = ["ΔΥΣ", "ΥΣΣ", "ΣΣ", "SAM", "sa", "ss", "an", "ANN", "zzz"];

/// What conditions are drawn from.
pub(super) struct Pools<'a> {
    pub(super) users: &'a [Searchable],
    pub(super) groups: Vec<String>,
    pub(super) routing_profiles: Vec<String>,
    pub(super) security_profiles: Vec<String>,
}

/// Part of `s`: all of it for EXACT, a prefix for STARTS_WITH, a substring of 2 to 25
/// characters for CONTAINS (all of `s` when shorter).
fn part_of(rng: &mut XorShift, s: &str, comparison: Comparison) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    match comparison {
        Comparison::Exact => s.to_string(),
        Comparison::StartsWith => chars[..rng.between(0, n)].iter().collect(),
        Comparison::Contains => {
            if n <= 2 {
                return s.to_string();
            }
            let len = rng.between(2, n.min(25));
            let start = rng.between(0, n - len);
            chars[start..start + len].iter().collect()
        }
    }
}

/// Changes the case of some characters.
fn mixed_case(rng: &mut XorShift, s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let v: Vec<char> = if rng.chance(50) {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            v
        })
        .collect()
}

fn random_leaf(rng: &mut XorShift, p: &Pools<'_>) -> Condition {
    let comparisons = [
        Comparison::Exact,
        Comparison::StartsWith,
        Comparison::Contains,
    ];
    match rng.below(20) {
        0..=7 => {
            let fields = [
                StringField::Username,
                StringField::FirstName,
                StringField::LastName,
                StringField::RoutingProfileId,
                StringField::SecurityProfileId,
                StringField::ResourceId,
            ];
            let field = *rng.pick(&fields);
            let comparison = *rng.pick(&comparisons);
            let user = &rng.pick(p.users).user;
            let source = match field {
                StringField::Username => Some(user.username.as_str().to_string()),
                StringField::FirstName => user.identity.first_name.clone(),
                StringField::LastName => user.identity.last_name.clone(),
                StringField::RoutingProfileId => Some(rng.pick(&p.routing_profiles).clone()),
                StringField::SecurityProfileId => Some(rng.pick(&p.security_profiles).clone()),
                StringField::ResourceId => Some(user.id.clone()),
            };
            let mut value = match source {
                Some(s) if !rng.chance(15) => part_of(rng, &s, comparison),
                _ => rng.pick(&TRICKY_NEEDLES).to_string(),
            };
            if field.case_insensitive() || rng.chance(10) {
                value = mixed_case(rng, &value);
            }
            let n = value.chars().count();
            if comparison == Comparison::Contains && !(CONTAINS_MIN..=CONTAINS_MAX).contains(&n) {
                value = "an".to_string();
            }
            Condition::String {
                field,
                matcher: StringMatch::new("f", comparison, &value, field.case_insensitive())
                    .expect("a valid string condition"),
            }
        }
        8..=10 => {
            let group_id = if rng.chance(10) {
                new_id()
            } else {
                rng.pick(&p.groups).clone()
            };
            let matching = if rng.chance(50) {
                HierarchyMatch::Exact
            } else {
                HierarchyMatch::WithChildGroups
            };
            Condition::Hierarchy { group_id, matching }
        }
        11..=14 => {
            let conditions = (0..rng.between(1, 3))
                .map(|_| {
                    let (name, values) = rng.pick(&SEARCH_ATTRIBUTES);
                    let comparison = *rng.pick(&comparisons);
                    match rng.below(3) {
                        0 => {
                            let v = part_of(rng, name, comparison);
                            ProficiencyCondition::AttributeName(
                                StringMatch::new("f", comparison, &v, false).unwrap(),
                            )
                        }
                        1 => {
                            let value = rng_value(rng, values);
                            let v = part_of(rng, value, comparison);
                            ProficiencyCondition::AttributeValue(
                                StringMatch::new("f", comparison, &v, false).unwrap(),
                            )
                        }
                        _ => {
                            let level = |rng: &mut XorShift| rng.between(2, 10) as f64 / 2.0;
                            let (a, b) = (level(rng), level(rng));
                            ProficiencyCondition::Level(match rng.below(7) {
                                0 => LevelCondition::GreaterOrEqual(a),
                                1 => LevelCondition::Greater(a),
                                2 => LevelCondition::LesserOrEqual(a),
                                3 => LevelCondition::Lesser(a),
                                4 => LevelCondition::Equal(a),
                                5 => LevelCondition::NotEqual(a),
                                _ => LevelCondition::Range(a.min(b), a.max(b)),
                            })
                        }
                    }
                })
                .collect();
            Condition::Proficiency(conditions)
        }
        15..=18 => {
            let (key, values) = if rng.chance(10) {
                ("nope", &["x"][..])
            } else {
                *rng.pick(&SEARCH_TAGS)
            };
            let value = if rng.chance(20) {
                None
            } else if rng.chance(10) {
                Some("other".to_string())
            } else {
                Some(rng_value(rng, values).to_string())
            };
            Condition::Tag {
                key: key.to_string(),
                value,
            }
        }
        _ => Condition::All,
    }
}

fn rng_value<'a>(rng: &mut XorShift, values: &[&'a str]) -> &'a str {
    values[rng.below(values.len())]
}

/// The profiles and groups a generated user may hold.
pub(super) struct Holdings<'a> {
    pub(super) groups: &'a [String],
    pub(super) routing_profiles: &'a [String],
    pub(super) security_profiles: &'a [String],
}

/// A user of `fx` with random names, profiles, group and tags, and random
/// proficiencies to give it.
pub(super) fn random_user(
    rng: &mut XorShift,
    fx: &Fixture,
    username: &str,
    h: &Holdings<'_>,
) -> (User, Vec<UserProficiency>) {
    let mut u = plain_user(fx, username);
    u.identity.first_name = rng.pick(&SEARCH_FIRST_NAMES).map(str::to_string);
    u.identity.last_name = rng.pick(&SEARCH_LAST_NAMES).map(str::to_string);
    u.routing_profile_id = rng.pick(h.routing_profiles).clone();
    let mut profiles: Vec<String> = h
        .security_profiles
        .iter()
        .filter(|_| rng.chance(40))
        .cloned()
        .collect();
    if profiles.is_empty() {
        profiles.push(rng.pick(h.security_profiles).clone());
    }
    // Half of them in reverse id order: stores keep the order given.
    if rng.chance(50) {
        profiles.reverse();
    }
    u.security_profile_ids = SecurityProfileIds::parse(profiles).expect("valid ids");
    u.hierarchy_group_id = if rng.chance(20) || h.groups.is_empty() {
        None
    } else {
        Some(rng.pick(h.groups).clone())
    };
    for (key, values) in SEARCH_TAGS {
        if rng.chance(60) {
            u.tags
                .insert(key.to_string(), rng_value(rng, values).to_string());
        }
    }
    let mut proficiencies: Vec<UserProficiency> = Vec::new();
    for (name, values) in SEARCH_ATTRIBUTES {
        for value in values {
            if rng.chance(25) {
                proficiencies.push(UserProficiency {
                    attribute_name: name.to_string(),
                    attribute_value: value.to_string(),
                    level: rng.between(2, 10) as f64 / 2.0,
                });
            }
        }
    }
    (u, proficiencies)
}

/// A random condition tree whose root is at level `depth` (1 at the top); leaves sit
/// at level 3 at most.
pub(super) fn random_condition(rng: &mut XorShift, p: &Pools<'_>, depth: usize) -> Condition {
    if depth < 3 && rng.chance(45) {
        let children = (0..rng.between(0, 4))
            .map(|_| random_condition(rng, p, depth + 1))
            .collect();
        if rng.chance(50) {
            Condition::And(children)
        } else {
            Condition::Or(children)
        }
    } else {
        random_leaf(rng, p)
    }
}
