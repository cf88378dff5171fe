//! Predefined attributes and user proficiencies end to end (contract §8 and §10): the
//! attribute lifecycle, the proficiencies of a user, and each refusal with its error
//! code and HTTP status, checked to have changed nothing.

use std::fmt::Debug;

use roster_tests::aws_sdk_connect::config::http::HttpResponse;
use roster_tests::aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use roster_tests::aws_sdk_connect::types::{
    Condition, ListCondition, NumberComparisonType, NumberCondition, PredefinedAttributeValues,
    StringComparisonType, StringCondition, TargetListType, UserProficiency,
    UserProficiencyDisassociate, UserSearchCriteria,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

/// Predefined attributes and proficiencies, through the API.
trait Attributes {
    async fn create_attribute(
        &self,
        name: &str,
        values: &[&str],
    ) -> Result<(), SdkError<impl ProvideErrorMetadata + Debug, HttpResponse>>;
    async fn values(&self, name: &str) -> Result<Vec<String>, String>;
    async fn proficiencies(&self, user: &str, page: i32) -> Vec<(String, String, f32)>;
}

impl Attributes for Fx {
    async fn create_attribute(
        &self,
        name: &str,
        values: &[&str],
    ) -> Result<(), SdkError<impl ProvideErrorMetadata + Debug, HttpResponse>> {
        self.client
            .create_predefined_attribute()
            .instance_id(&self.instance)
            .name(name)
            .values(string_list(values))
            .send()
            .await
            .map(|_| ())
    }

    /// The attribute's values, or the error code when it cannot be described.
    async fn values(&self, name: &str) -> Result<Vec<String>, String> {
        match self
            .client
            .describe_predefined_attribute()
            .instance_id(&self.instance)
            .name(name)
            .send()
            .await
        {
            Ok(out) => Ok(out
                .predefined_attribute
                .expect("PredefinedAttribute")
                .values
                .expect("Values")
                .as_string_list()
                .expect("StringList")
                .clone()),
            Err(e) => Err(error_of(&e).0),
        }
    }

    /// Every proficiency of the user as (name, value, level), fetched `page` at a time.
    async fn proficiencies(&self, user: &str, page: i32) -> Vec<(String, String, f32)> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let res = self
                .client
                .list_user_proficiencies()
                .instance_id(&self.instance)
                .user_id(user)
                .max_results(page)
                .set_next_token(token)
                .send()
                .await
                .expect("list user proficiencies");
            let list = res.user_proficiency_list();
            assert!(list.len() <= page as usize);
            out.extend(list.iter().map(|p| {
                (
                    p.attribute_name().to_string(),
                    p.attribute_value().to_string(),
                    p.level(),
                )
            }));
            match res.next_token {
                Some(t) => token = Some(t),
                None => return out,
            }
        }
    }
}

fn string_list(values: &[&str]) -> PredefinedAttributeValues {
    PredefinedAttributeValues::StringList(values.iter().map(|v| v.to_string()).collect())
}

fn prof(name: &str, value: &str, level: f32) -> UserProficiency {
    UserProficiency::builder()
        .attribute_name(name)
        .attribute_value(value)
        .level(level)
        .build()
        .unwrap()
}

fn gone(name: &str, value: &str) -> UserProficiencyDisassociate {
    UserProficiencyDisassociate::builder()
        .attribute_name(name)
        .attribute_value(value)
        .build()
        .unwrap()
}

fn owned(list: &[(&str, &str, f32)]) -> Vec<(String, String, f32)> {
    list.iter()
        .map(|(n, v, l)| (n.to_string(), v.to_string(), *l))
        .collect()
}

#[tokio::test]
async fn predefined_attribute_lifecycle() {
    let fx = Fx::new("SAML").await;
    let c = &fx.client;
    c.create_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Language")
        .values(string_list(&["English", "French"]))
        .send()
        .await
        .expect("create");
    let described = c
        .describe_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Language")
        .send()
        .await
        .expect("describe")
        .predefined_attribute
        .expect("PredefinedAttribute");
    assert_eq!(described.name(), Some("Language"));
    assert_eq!(
        described.values().and_then(|v| v.as_string_list().ok()),
        Some(&vec!["English".to_string(), "French".to_string()])
    );
    assert!(described.last_modified_time().is_some());
    assert_eq!(described.last_modified_region(), Some("us-east-1"));

    // A name already used.
    let msg = rejected(
        fx.create_attribute("Language", &["German"]).await,
        "DuplicateResourceException",
        409,
    );
    assert!(msg.contains("Language"), "{msg}");
    assert_eq!(fx.values("Language").await.unwrap(), ["English", "French"]);
    // Repeated values.
    rejected(
        fx.create_attribute("Twice", &["a", "a"]).await,
        "InvalidParameterException",
        400,
    );
    assert_eq!(
        fx.values("Twice").await,
        Err("ResourceNotFoundException".into())
    );

    // Update replaces the values.
    c.update_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Language")
        .values(string_list(&["English", "French", "German"]))
        .send()
        .await
        .expect("update");
    assert_eq!(
        fx.values("Language").await.unwrap(),
        ["English", "French", "German"]
    );
    rejected(
        c.update_predefined_attribute()
            .instance_id(&fx.instance)
            .name("Nope")
            .values(string_list(&["x"]))
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );

    // List pages through every attribute, in name order.
    let names = ["Skill", "Region", "Channel", "Tier", "Shift", "Alpha"];
    for n in names {
        fx.create_attribute(n, &["one", "two"])
            .await
            .expect("create");
    }
    let mut listed = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let out = c
            .list_predefined_attributes()
            .instance_id(&fx.instance)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("list");
        pages += 1;
        assert!(out.predefined_attribute_summary_list().len() <= 2);
        for s in out.predefined_attribute_summary_list() {
            assert!(s.last_modified_time().is_some());
            listed.push(s.name().expect("Name").to_string());
        }
        match out.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert!(pages >= 4, "{pages} pages");
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.push("Language".into());
    expected.sort();
    assert_eq!(listed, expected);
    rejected(
        c.list_predefined_attributes()
            .instance_id(&fx.instance)
            .next_token("garbage")
            .send()
            .await,
        "InvalidRequestException",
        400,
    );

    // Delete.
    c.delete_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Tier")
        .send()
        .await
        .expect("delete");
    assert_eq!(
        fx.values("Tier").await,
        Err("ResourceNotFoundException".into())
    );
    rejected(
        c.delete_predefined_attribute()
            .instance_id(&fx.instance)
            .name("Tier")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    // The name is free again.
    fx.create_attribute("Tier", &["gold"])
        .await
        .expect("re-create");
    assert_eq!(fx.values("Tier").await.unwrap(), ["gold"]);

    // Unknown instance.
    rejected(
        c.describe_predefined_attribute()
            .instance_id(MISSING)
            .name("Language")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.create_predefined_attribute()
            .instance_id(MISSING)
            .name("Language")
            .values(string_list(&["x"]))
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
}

#[tokio::test]
async fn user_proficiencies() {
    let fx = Fx::new("SAML").await;
    let c = &fx.client;
    fx.create_attribute("Language", &["English", "French", "German", "Spanish"])
        .await
        .unwrap();
    fx.create_attribute("Skill", &["Billing", "Tech"])
        .await
        .unwrap();
    let user = fx.new_user("ada").await;
    let other = fx.new_user("grace").await;
    assert!(fx.proficiencies(&user, 10).await.is_empty());

    let associate = |list: Vec<UserProficiency>| {
        c.associate_user_proficiencies()
            .instance_id(&fx.instance)
            .user_id(&user)
            .set_user_proficiencies(Some(list))
            .send()
    };
    let update = |list: Vec<UserProficiency>| {
        c.update_user_proficiencies()
            .instance_id(&fx.instance)
            .user_id(&user)
            .set_user_proficiencies(Some(list))
            .send()
    };
    associate(vec![
        prof("Language", "French", 3.5),
        prof("Language", "English", 2.0),
    ])
    .await
    .expect("associate");
    let start = owned(&[("Language", "English", 2.0), ("Language", "French", 3.5)]);
    assert_eq!(fx.proficiencies(&user, 10).await, start);
    let listed = c
        .list_user_proficiencies()
        .instance_id(&fx.instance)
        .user_id(&user)
        .send()
        .await
        .unwrap();
    assert!(listed.last_modified_time().is_some());
    assert_eq!(listed.last_modified_region(), Some("us-east-1"));

    // Refusals change nothing.
    let msg = rejected(
        associate(vec![prof("Colour", "Red", 2.0)]).await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("Colour"), "{msg}");
    let msg = rejected(
        associate(vec![
            prof("Skill", "Tech", 2.0),
            prof("Language", "Klingon", 2.0),
        ])
        .await,
        "InvalidParameterException",
        400,
    );
    assert!(msg.contains("Klingon"), "{msg}");
    for level in [0.5, 5.5, 0.0, -1.0] {
        rejected(
            associate(vec![prof("Skill", "Tech", level)]).await,
            "InvalidParameterException",
            400,
        );
        rejected(
            update(vec![prof("Language", "English", level)]).await,
            "InvalidParameterException",
            400,
        );
    }
    rejected(
        associate(vec![
            prof("Skill", "Tech", 1.0),
            prof("Language", "English", 4.0),
        ])
        .await,
        "InvalidRequestException",
        400,
    );
    rejected(
        update(vec![
            prof("Language", "English", 4.0),
            prof("Language", "German", 4.0),
        ])
        .await,
        "InvalidRequestException",
        400,
    );
    assert_eq!(fx.proficiencies(&user, 10).await, start);

    // The bounds are levels.
    associate(vec![
        prof("Skill", "Tech", 1.0),
        prof("Skill", "Billing", 5.0),
    ])
    .await
    .expect("levels 1.0 and 5.0");
    // Update changes the listed ones and keeps the others.
    update(vec![
        prof("Language", "English", 4.5),
        prof("Skill", "Tech", 2.5),
    ])
    .await
    .expect("update");
    assert_eq!(
        fx.proficiencies(&user, 10).await,
        owned(&[
            ("Language", "English", 4.5),
            ("Language", "French", 3.5),
            ("Skill", "Billing", 5.0),
            ("Skill", "Tech", 2.5),
        ])
    );
    // Paging through the list.
    assert_eq!(
        fx.proficiencies(&user, 1).await,
        fx.proficiencies(&user, 3).await
    );
    assert_eq!(fx.proficiencies(&user, 1).await.len(), 4);
    // The other user is untouched.
    assert!(fx.proficiencies(&other, 10).await.is_empty());

    // Search sees the new level at once.
    let found = c
        .search_users()
        .instance_id(&fx.instance)
        .search_criteria(
            UserSearchCriteria::builder()
                .list_condition(
                    ListCondition::builder()
                        .target_list_type(TargetListType::Proficiencies)
                        .conditions(
                            Condition::builder()
                                .string_condition(
                                    StringCondition::builder()
                                        .field_name("AttributeValue")
                                        .value("English")
                                        .comparison_type(StringComparisonType::Exact)
                                        .build(),
                                )
                                .build(),
                        )
                        .conditions(
                            Condition::builder()
                                .number_condition(
                                    NumberCondition::builder()
                                        .field_name("Level")
                                        .min_value(4)
                                        .comparison_type(NumberComparisonType::Greater)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("search");
    assert_eq!(
        found.users().iter().map(|u| u.id()).collect::<Vec<_>>(),
        vec![Some(user.as_str())]
    );

    // Removing a value or deleting an attribute that users hold is refused, each with
    // an error of its operation's model list.
    rejected(
        c.update_predefined_attribute()
            .instance_id(&fx.instance)
            .name("Language")
            .values(string_list(&["English", "German"]))
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert_eq!(
        fx.values("Language").await.unwrap(),
        ["English", "French", "German", "Spanish"]
    );
    // Removing a value nobody holds is fine.
    c.update_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Language")
        .values(string_list(&["English", "French", "German"]))
        .send()
        .await
        .expect("drop Spanish");
    rejected(
        c.delete_predefined_attribute()
            .instance_id(&fx.instance)
            .name("Skill")
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert_eq!(fx.values("Skill").await.unwrap(), ["Billing", "Tech"]);

    // Disassociate: absent ones are ignored.
    c.disassociate_user_proficiencies()
        .instance_id(&fx.instance)
        .user_id(&user)
        .user_proficiencies(gone("Skill", "Tech"))
        .user_proficiencies(gone("Skill", "Billing"))
        .user_proficiencies(gone("Language", "German"))
        .user_proficiencies(gone("Nothing", "Here"))
        .send()
        .await
        .expect("disassociate");
    assert_eq!(
        fx.proficiencies(&user, 10).await,
        owned(&[("Language", "English", 4.5), ("Language", "French", 3.5)])
    );
    c.disassociate_user_proficiencies()
        .instance_id(&fx.instance)
        .user_id(&user)
        .user_proficiencies(gone("Skill", "Tech"))
        .send()
        .await
        .expect("disassociate what is not there");
    // Nobody holds Skill any more.
    c.delete_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Skill")
        .send()
        .await
        .expect("delete Skill");
    // Associating again after a disassociation is fine.
    associate(vec![prof("Language", "German", 1.5)])
        .await
        .expect("associate German");
    assert_eq!(fx.proficiencies(&user, 10).await.len(), 3);

    // Unknown users and instances; a user of another instance is unknown there.
    let elsewhere = other_instance_of(c).await;
    for (instance, user_id, status, code) in [
        (
            fx.instance.as_str(),
            MISSING,
            404,
            "ResourceNotFoundException",
        ),
        (
            elsewhere.as_str(),
            user.as_str(),
            404,
            "ResourceNotFoundException",
        ),
        (MISSING, user.as_str(), 404, "ResourceNotFoundException"),
    ] {
        rejected(
            c.associate_user_proficiencies()
                .instance_id(instance)
                .user_id(user_id)
                .user_proficiencies(prof("Language", "English", 2.0))
                .send()
                .await,
            code,
            status,
        );
        rejected(
            c.update_user_proficiencies()
                .instance_id(instance)
                .user_id(user_id)
                .user_proficiencies(prof("Language", "English", 2.0))
                .send()
                .await,
            code,
            status,
        );
        rejected(
            c.disassociate_user_proficiencies()
                .instance_id(instance)
                .user_id(user_id)
                .user_proficiencies(gone("Language", "English"))
                .send()
                .await,
            code,
            status,
        );
        rejected(
            c.list_user_proficiencies()
                .instance_id(instance)
                .user_id(user_id)
                .send()
                .await,
            code,
            status,
        );
    }
    assert_eq!(fx.proficiencies(&user, 10).await.len(), 3);

    // Deleting the user frees the attribute.
    c.delete_user()
        .instance_id(&fx.instance)
        .user_id(&user)
        .send()
        .await
        .expect("delete user");
    c.delete_predefined_attribute()
        .instance_id(&fx.instance)
        .name("Language")
        .send()
        .await
        .expect("delete Language once nobody holds it");
}

/// A second instance of the same account, with no users.
async fn other_instance_of(c: &Client) -> String {
    create_instance(c, "SAML").await
}
