//! A data set of users in groups, with tags and proficiencies, and search
//! conditions over it with the answers of the reference evaluator.

#![allow(dead_code)]

use roster_domain::hierarchy::{HierarchyGroup, HierarchyLevel, HierarchyStructure};
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::search::{
    Comparison, Condition, HierarchyMatch, LevelCondition, ProficiencyCondition, StringField,
    StringMatch, UserFacts,
};
use roster_domain::tags::Tags;
use roster_domain::time::Modified;
use roster_domain::user::User;
use roster_domain::{new_id, Timestamp};
use roster_store::suite::fixtures::profiles;
use roster_store::suite::{fresh_scope, new_instance, plain_user, Fixture};
use roster_store::{SearchRequest, Store, UserCursor};

pub fn modified() -> Modified {
    Modified {
        time: Timestamp(1_700_000_000_000),
        region: "us-west-2".into(),
    }
}

/// Everything the data set holds, made once and written to each store.
pub struct DataSet {
    pub fx: Fixture,
    pub new_instance: roster_store::NewInstance,
    pub structure: HierarchyStructure,
    pub groups: Vec<HierarchyGroup>,
    pub attributes: Vec<PredefinedAttribute>,
    pub users: Vec<User>,
    pub proficiencies: Vec<(String, Vec<UserProficiency>)>,
}

fn group(name: &str, parent: Option<&HierarchyGroup>) -> HierarchyGroup {
    let (id, name) = (new_id(), name.to_string());
    match parent {
        None => HierarchyGroup::top(id, name, Tags::new(), modified()),
        Some(p) => HierarchyGroup::child_of(p, id, name, Tags::new(), modified()),
    }
    .expect("a group the domain allows")
}

pub fn data_set() -> DataSet {
    let (new_instance, fx) = new_instance(&fresh_scope(), None);
    let structure = HierarchyStructure {
        levels: ["Region", "Site", "Team"]
            .iter()
            .enumerate()
            .map(|(i, n)| HierarchyLevel {
                id: (i + 1).to_string(),
                name: n.to_string(),
                modified: modified(),
            })
            .collect(),
    };
    let emea = group("EMEA", None);
    let berlin = group("Berlin", Some(&emea));
    let sales = group("Berlin Sales", Some(&berlin));
    let amer = group("AMER", None);
    let groups = vec![emea, berlin, sales, amer];

    let attributes = vec![
        PredefinedAttribute {
            name: "Language".into(),
            values: vec!["English".into(), "French".into(), "German".into()],
            purposes: vec![],
            enable_value_validation_on_association: None,
            modified: modified(),
        },
        PredefinedAttribute {
            name: "Skill".into(),
            values: vec!["Billing".into(), "Tech_Support".into()],
            purposes: vec!["routing".into()],
            enable_value_validation_on_association: Some(true),
            modified: modified(),
        },
    ];

    let names: &[(&str, Option<&str>, Option<&str>)] = &[
        ("alice", Some("Alice"), Some("Smith")),
        ("Alice.Jones", Some("Alice"), Some("Jones")),
        ("ALICIA", Some("Alícia"), Some("Sánchez")),
        ("bob", Some("Bob"), Some("O'Brien")),
        ("bob_b", Some("100%"), Some("Under_Score")),
        ("bobxb", Some("Bobby"), Some("UnderXScore")),
        ("carol@example.com", None, None),
        ("dave-1", Some("Dave"), Some("Smithson")),
        ("zoe", Some("Zoë"), Some("Brontë")),
        ("ZOEY", Some("ZOË"), Some("back\\slash")),
        ("m1", Some("Émile"), Some("Zola")),
        ("m2", Some("émile"), Some("zola")),
    ];
    let mut users = Vec::new();
    let mut proficiencies = Vec::new();
    for (i, (username, first, last)) in names.iter().enumerate() {
        let mut u = plain_user(&fx, username);
        u.identity.first_name = first.map(str::to_string);
        u.identity.last_name = last.map(str::to_string);
        if i % 3 == 0 {
            u.security_profile_ids = profiles(&[&fx.agent_profile, &fx.admin_profile]);
        }
        u.hierarchy_group_id = match i % 5 {
            0 => Some(groups[0].id.clone()),
            1 => Some(groups[1].id.clone()),
            2 => Some(groups[2].id.clone()),
            3 => Some(groups[3].id.clone()),
            _ => None,
        };
        if i % 2 == 0 {
            u.tags.insert("dept".into(), "sales".into());
        } else if i % 3 == 0 {
            u.tags.insert("dept".into(), "support".into());
        }
        if i % 4 == 0 {
            u.tags.insert("site".into(), "Zürich".into());
        }
        let mut list = vec![];
        if i % 2 == 1 {
            list.push(UserProficiency {
                attribute_name: "Language".into(),
                attribute_value: "English".into(),
                level: 1.0 + (i % 5) as f64,
            });
        }
        if i % 3 != 0 {
            list.push(UserProficiency {
                attribute_name: "Skill".into(),
                attribute_value: if i % 2 == 0 {
                    "Billing"
                } else {
                    "Tech_Support"
                }
                .into(),
                level: 5.0 - (i % 4) as f64,
            });
        }
        proficiencies.push((u.id.clone(), list));
        users.push(u);
    }
    DataSet {
        fx,
        new_instance,
        structure,
        groups,
        attributes,
        users,
        proficiencies,
    }
}

pub async fn load(store: &dyn Store, d: &DataSet) {
    let at = &d.fx.at;
    store.create_instance(d.new_instance.clone()).await.unwrap();
    store
        .set_hierarchy_structure(at, d.structure.clone())
        .await
        .unwrap();
    for g in &d.groups {
        store.create_hierarchy_group(at, g.clone()).await.unwrap();
    }
    for a in &d.attributes {
        store
            .create_predefined_attribute(at, a.clone())
            .await
            .unwrap();
    }
    for u in &d.users {
        store.create_user(at, u.clone(), 100).await.unwrap();
    }
    for (user, list) in &d.proficiencies {
        if !list.is_empty() {
            store
                .change_user_proficiencies(
                    at,
                    user,
                    ProficiencyChange::Associate(list.clone()),
                    &modified(),
                )
                .await
                .unwrap();
        }
    }
}

fn s(field: StringField, c: Comparison, v: &str) -> Condition {
    Condition::String {
        field,
        matcher: StringMatch::new("f", c, v, field.case_insensitive()).unwrap(),
    }
}

pub fn conditions(d: &DataSet) -> Vec<Condition> {
    use Comparison::*;
    use StringField::*;
    let mut out = vec![
        Condition::All,
        Condition::And(vec![]),
        Condition::Or(vec![]),
    ];
    for field in [Username, FirstName, LastName] {
        for needle in [
            "al",
            "ALI",
            "bob",
            "b_b",
            "o_",
            "%",
            "0%",
            "zo",
            "ZOË",
            "ë",
            "smith",
            "émile",
            "\\s",
            "x",
            "carol@example.com",
            "nobody",
        ] {
            for c in [Exact, StartsWith, Contains] {
                if c == Contains && needle.chars().count() < 2 {
                    continue;
                }
                out.push(s(field, c, needle));
            }
        }
    }
    let some_user = &d.users[3];
    out.push(s(ResourceId, Exact, &some_user.id));
    out.push(s(ResourceId, StartsWith, &some_user.id[..4]));
    out.push(s(ResourceId, Contains, &some_user.id[9..14]));
    out.push(s(RoutingProfileId, Exact, &d.fx.routing_profile));
    out.push(s(RoutingProfileId, Exact, "nothing"));
    out.push(s(SecurityProfileId, Exact, &d.fx.admin_profile));
    out.push(s(SecurityProfileId, StartsWith, &d.fx.agent_profile[..3]));
    for g in &d.groups {
        for matching in [HierarchyMatch::Exact, HierarchyMatch::WithChildGroups] {
            out.push(Condition::Hierarchy {
                group_id: g.id.clone(),
                matching,
            });
        }
    }
    out.push(Condition::Hierarchy {
        group_id: new_id(),
        matching: HierarchyMatch::WithChildGroups,
    });
    for (key, value) in [
        ("dept", Some("sales")),
        ("dept", Some("support")),
        ("dept", None),
        ("site", Some("Zürich")),
        ("site", Some("zürich")),
        ("nope", None),
    ] {
        out.push(Condition::Tag {
            key: key.into(),
            value: value.map(str::to_string),
        });
    }
    let name = |c, v: &str| {
        ProficiencyCondition::AttributeName(StringMatch::new("f", c, v, false).unwrap())
    };
    let value = |c, v: &str| {
        ProficiencyCondition::AttributeValue(StringMatch::new("f", c, v, false).unwrap())
    };
    for levels in [
        LevelCondition::GreaterOrEqual(3.0),
        LevelCondition::Greater(3.0),
        LevelCondition::LesserOrEqual(2.0),
        LevelCondition::Lesser(2.0),
        LevelCondition::Equal(4.0),
        LevelCondition::NotEqual(4.0),
        LevelCondition::Range(2.0, 4.0),
    ] {
        out.push(Condition::Proficiency(vec![
            name(Exact, "Language"),
            ProficiencyCondition::Level(levels),
        ]));
        out.push(Condition::Proficiency(vec![ProficiencyCondition::Level(
            levels,
        )]));
    }
    out.push(Condition::Proficiency(vec![value(Contains, "h_S")]));
    out.push(Condition::Proficiency(vec![value(Contains, "h_s")]));
    out.push(Condition::Proficiency(vec![
        name(StartsWith, "Sk"),
        value(Exact, "Billing"),
    ]));
    // Nested trees.
    out.push(Condition::And(vec![
        s(FirstName, Contains, "li"),
        Condition::Or(vec![
            Condition::Tag {
                key: "dept".into(),
                value: Some("sales".into()),
            },
            Condition::Hierarchy {
                group_id: d.groups[0].id.clone(),
                matching: HierarchyMatch::WithChildGroups,
            },
        ]),
    ]));
    out.push(Condition::Or(vec![
        s(LastName, StartsWith, "zo"),
        Condition::And(vec![
            s(Username, Contains, "ob"),
            Condition::Proficiency(vec![name(Exact, "Skill")]),
        ]),
        Condition::And(vec![]),
    ]));
    out.push(Condition::And(vec![
        Condition::Or(vec![]),
        s(Username, StartsWith, "a"),
    ]));
    out
}

pub fn facts_match(d: &DataSet, c: &Condition) -> Vec<String> {
    let mut matched: Vec<(String, String)> = Vec::new();
    for u in &d.users {
        let path: Vec<String> = match &u.hierarchy_group_id {
            Some(g) => d
                .groups
                .iter()
                .find(|x| &x.id == g)
                .map(|x| x.path().to_vec())
                .unwrap_or_default(),
            None => vec![],
        };
        let profs = &d
            .proficiencies
            .iter()
            .find(|(id, _)| id == &u.id)
            .expect("proficiencies")
            .1;
        let facts = UserFacts {
            id: &u.id,
            username: u.username.as_str(),
            first_name: u.identity.first_name.as_deref(),
            last_name: u.identity.last_name.as_deref(),
            routing_profile_id: &u.routing_profile_id,
            security_profile_ids: &u.security_profile_ids,
            hierarchy_path: &path,
            tags: Some(&u.tags),
            proficiencies: profs,
        };
        if c.matches(&facts) {
            matched.push((u.username.unique_key(), u.id.clone()));
        }
    }
    matched.sort();
    matched.into_iter().map(|(_, id)| id).collect()
}

/// Every matching id, two at a time, and the totals each page reported.
pub async fn search_all(store: &dyn Store, fx: &Fixture, c: &Condition) -> (Vec<String>, Vec<u64>) {
    let mut ids = Vec::new();
    let mut totals = Vec::new();
    let mut after: Option<UserCursor> = None;
    loop {
        let page = store
            .search_users(
                &fx.at,
                &SearchRequest {
                    condition: c.clone(),
                    after: after.clone(),
                    limit: 2,
                },
            )
            .await
            .unwrap();
        totals.push(page.total);
        let n = page.users.len();
        for u in page.users {
            after = Some(UserCursor {
                username_lower: u.username.unique_key(),
                id: u.id.clone(),
            });
            ids.push(u.id);
        }
        if n < 2 {
            return (ids, totals);
        }
    }
}
