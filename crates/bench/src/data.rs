//! Deterministic generation of the fixture's users and of the values the search scenarios
//! look for. User `i` is the same on every run, whatever order users are loaded in.

/// SplitMix64: small, fast, and good enough to spread fixture values.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator for user `i`.
    pub fn for_user(i: u64) -> Self {
        Rng(0x005e_ed0f_1234_abcd ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Two-letter syllables usernames are made of.
pub const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de", "fi", "go", "ha", "ju", "ke", "la",
    "mo", "ni", "pa", "re", "so", "tu", "ve", "zi",
];

const FIRST_STARTS: [&str; 20] = [
    "Al", "Ber", "Car", "Dan", "El", "Fer", "Gab", "Han", "Is", "Jo", "Kat", "Leo", "Mar", "Nor",
    "Ol", "Pet", "Ros", "Sam", "Tom", "Vic",
];
const FIRST_ENDS: [&str; 10] = [
    "a", "ina", "o", "ian", "ette", "us", "ald", "ine", "ric", "elle",
];
const LAST_STARTS: [&str; 20] = [
    "Ander", "Black", "Brook", "Cole", "Dal", "Fair", "Green", "Hall", "Kings", "Lind", "Mont",
    "North", "Oak", "Pem", "Ray", "Stan", "Thorn", "Wal", "West", "York",
];
const LAST_ENDS: [&str; 10] = [
    "son", "wood", "ley", "field", "ton", "berg", "man", "ford", "ridge", "well",
];

/// Values of the `dept` tag.
pub const DEPTS: [&str; 20] = [
    "billing",
    "sales",
    "support",
    "retention",
    "onboarding",
    "claims",
    "escalations",
    "technical",
    "collections",
    "renewals",
    "partners",
    "enterprise",
    "smb",
    "public-sector",
    "healthcare",
    "retail",
    "travel",
    "telecom",
    "insurance",
    "energy",
];

/// Values of the `site` tag.
pub const SITES: [&str; 10] = [
    "seattle",
    "dublin",
    "sydney",
    "tokyo",
    "frankfurt",
    "saopaulo",
    "mumbai",
    "toronto",
    "capetown",
    "singapore",
];

/// The predefined attributes: name and values.
pub const LANGUAGES: [&str; 4] = ["English", "Spanish", "French", "German"];
pub const SKILLS: [&str; 10] = [
    "Billing",
    "Sales",
    "Support",
    "Retention",
    "Onboarding",
    "Claims",
    "Escalations",
    "Technical",
    "Collections",
    "Renewals",
];

/// 200 first names: every start joined with every end.
pub fn first_names() -> Vec<String> {
    combine(&FIRST_STARTS, &FIRST_ENDS)
}

/// 200 last names: every start joined with every end.
pub fn last_names() -> Vec<String> {
    combine(&LAST_STARTS, &LAST_ENDS)
}

fn combine(starts: &[&str], ends: &[&str]) -> Vec<String> {
    starts
        .iter()
        .flat_map(|s| ends.iter().map(move |e| format!("{s}{e}")))
        .collect()
}

/// One proficiency: attribute name, value, level (1.0 to 5.0).
#[derive(Debug, Clone, PartialEq)]
pub struct Proficiency {
    pub attribute: &'static str,
    pub value: &'static str,
    pub level: f64,
}

/// Everything about user `i` except the server-side ids it refers to, which are given as
/// indexes into the fixture's lists.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSpec {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    /// Index into the fixture's leaf hierarchy groups.
    pub leaf_group: usize,
    /// Indexes into the fixture's security profiles (one or two, distinct).
    pub security_profiles: Vec<usize>,
    /// Index into the fixture's routing profiles.
    pub routing_profile: usize,
    pub dept: &'static str,
    pub site: &'static str,
    pub proficiencies: Vec<Proficiency>,
}

/// The name lists, built once.
pub struct Names {
    first: Vec<String>,
    last: Vec<String>,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            first: first_names(),
            last: last_names(),
        }
    }
}

/// The username of user `i`: three syllables, a dot and `i` (e.g. `kalomi.42`). The letters
/// before the dot and the number after it identify `i`, so usernames are distinct.
pub fn username(i: u64) -> String {
    let mut rng = Rng::for_user(i);
    let a = rng.pick(&SYLLABLES);
    let b = rng.pick(&SYLLABLES);
    let c = rng.pick(&SYLLABLES);
    format!("{a}{b}{c}.{i}")
}

impl Names {
    pub fn first(&self) -> &[String] {
        &self.first
    }

    #[cfg(test)]
    pub fn last(&self) -> &[String] {
        &self.last
    }

    /// User `i` of a fixture with the given numbers of leaf groups, security profiles and
    /// routing profiles.
    pub fn user(
        &self,
        i: u64,
        leaf_groups: usize,
        security_profiles: usize,
        routing_profiles: usize,
    ) -> UserSpec {
        let username = username(i);
        // Continue from where `username` left the generator.
        let mut rng = Rng::for_user(i);
        for _ in 0..3 {
            rng.next_u64();
        }
        let first_name = rng.pick(&self.first).clone();
        let last_name = rng.pick(&self.last).clone();
        let leaf_group = rng.below(leaf_groups);
        let mut profiles = vec![rng.below(security_profiles)];
        if security_profiles > 1 && rng.chance(40) {
            let other = (profiles[0] + 1 + rng.below(security_profiles - 1)) % security_profiles;
            profiles.push(other);
        }
        let routing_profile = rng.below(routing_profiles);
        let dept = *rng.pick(&DEPTS);
        let site = *rng.pick(&SITES);
        let language = *rng.pick(&LANGUAGES);
        let mut proficiencies = vec![Proficiency {
            attribute: "Language",
            value: language,
            level: (1 + rng.below(5)) as f64,
        }];
        if rng.chance(50) {
            let skill = *rng.pick(&SKILLS);
            proficiencies.push(Proficiency {
                attribute: "Skill",
                value: skill,
                level: (1 + rng.below(5)) as f64,
            });
        }
        UserSpec {
            username,
            first_name,
            last_name,
            leaf_group,
            security_profiles: profiles,
            routing_profile,
            dept,
            site,
            proficiencies,
        }
    }
}

/// `n` lowercase three-letter infixes of the first names, for `FirstName CONTAINS`.
pub fn first_name_infixes(names: &Names, n: usize) -> Vec<String> {
    let mut rng = Rng::new(0x0c01_7a15);
    (0..n)
        .map(|_| {
            let name = rng.pick(names.first()).to_lowercase();
            let chars: Vec<char> = name.chars().collect();
            let start = rng.below(chars.len() - 2);
            chars[start..start + 3].iter().collect()
        })
        .collect()
}

/// `n` username prefixes of three or four letters, taken from users `0..n`, which every
/// fixture size contains.
pub fn username_prefixes(n: usize) -> Vec<String> {
    (0..n as u64)
        .map(|i| {
            let len = if i % 2 == 0 { 4 } else { 3 };
            username(i)[..len].to_string()
        })
        .collect()
}

/// `n` last-name prefixes of two or three letters.
pub fn last_name_prefixes(n: usize) -> Vec<String> {
    let mut rng = Rng::new(0x1a57_0a3e);
    (0..n)
        .map(|i| {
            let start = rng.pick(&LAST_STARTS);
            let len = if i % 2 == 0 { 3 } else { 2 };
            start[..len].to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn name_lists_have_200_distinct_entries() {
        let names = Names::default();
        assert_eq!(names.first().iter().collect::<HashSet<_>>().len(), 200);
        assert_eq!(names.last().iter().collect::<HashSet<_>>().len(), 200);
    }

    #[test]
    fn usernames_are_distinct_valid_and_short() {
        let mut seen = HashSet::new();
        for i in 0..20_000 {
            let u = username(i);
            assert!(u.len() <= 64);
            assert!(u
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.'));
            assert!(seen.insert(u.to_lowercase()), "duplicate {u}");
        }
    }

    #[test]
    fn users_are_deterministic_and_in_range() {
        let names = Names::default();
        for i in 0..1000 {
            let u = names.user(i, 100, 4, 4);
            assert_eq!(u, names.user(i, 100, 4, 4));
            assert!(u.leaf_group < 100 && u.routing_profile < 4);
            assert!(!u.security_profiles.is_empty() && u.security_profiles.len() <= 2);
            assert!(u.security_profiles.iter().all(|&p| p < 4));
            if u.security_profiles.len() == 2 {
                assert_ne!(u.security_profiles[0], u.security_profiles[1]);
            }
            assert!(!u.proficiencies.is_empty() && u.proficiencies.len() <= 2);
            assert!(u
                .proficiencies
                .iter()
                .all(|p| (1.0..=5.0).contains(&p.level)));
        }
    }

    #[test]
    fn search_values_occur_in_the_data() {
        let names = Names::default();
        for infix in first_name_infixes(&names, 64) {
            assert_eq!(infix.chars().count(), 3);
            assert!(names
                .first()
                .iter()
                .any(|n| n.to_lowercase().contains(&infix)));
        }
        for (i, p) in username_prefixes(64).iter().enumerate() {
            assert!(username(i as u64).starts_with(p.as_str()));
        }
        for p in last_name_prefixes(64) {
            assert!(names.last().iter().any(|n| n.starts_with(p.as_str())));
        }
    }
}
