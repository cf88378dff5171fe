//! Predefined attributes and the proficiencies users hold in their values.

use roster_domain::arn::ResourceKind;
use roster_domain::proficiency::{PredefinedAttribute, ProficiencyChange, UserProficiency};
use roster_domain::time::Modified;
use roster_domain::user::User;
use roster_domain::{DomainError, Timestamp};

use crate::{Store, StoreError};

use super::fixtures::{all_pages, modified, plain_user, setup, Fixture};

/// `Language` (three values, no purposes, validation unset) and `Skill` (two values,
/// one purpose, validation on).
fn attributes() -> [PredefinedAttribute; 2] {
    [
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
    ]
}

fn proficiency(name: &str, value: &str, level: f64) -> UserProficiency {
    UserProficiency {
        attribute_name: name.into(),
        attribute_value: value.into(),
        level,
    }
}

/// An instance with both attributes and a user holding `Language=English` (level 2)
/// and `Skill=Tech_Support` (level 4).
async fn setup_with_holder(store: &dyn Store) -> (Fixture, [PredefinedAttribute; 2], User) {
    let fx = setup(store).await;
    let attributes = attributes();
    for a in &attributes {
        store
            .create_predefined_attribute(&fx.at, a.clone())
            .await
            .unwrap();
    }
    let user = plain_user(&fx, "alice.jones");
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    store
        .change_user_proficiencies(
            &fx.at,
            &user.id,
            ProficiencyChange::Associate(vec![
                proficiency("Language", "English", 2.0),
                proficiency("Skill", "Tech_Support", 4.0),
            ]),
            &modified(),
        )
        .await
        .unwrap();
    (fx, attributes, user)
}

/// Attributes list in name order, page by page. A value users hold cannot be removed
/// and an attribute users hold cannot be deleted; values can be added; names are
/// unique; an absent name is `NotFound`.
pub async fn predefined_attributes(store: &dyn Store) {
    let (fx, [language, skill], user) = setup_with_holder(store).await;
    let at = &fx.at;

    let listed = all_pages(
        1,
        |a: &PredefinedAttribute| a.name.clone(),
        |p| async move { store.list_predefined_attributes(at, &p).await },
    )
    .await;
    assert_eq!(listed, vec![language.clone(), skill.clone()]);

    let mut narrowed = language.clone();
    narrowed.values = vec!["French".into()];
    assert_eq!(
        store.update_predefined_attribute(at, narrowed).await,
        Err(StoreError::InUse {
            kind: ResourceKind::PredefinedAttribute,
            id: "Language".into(),
            why: format!(
                "user {} holds a proficiency in its value \"English\"",
                user.id
            ),
        })
    );
    assert_eq!(
        store.delete_predefined_attribute(at, "Language").await,
        Err(StoreError::InUse {
            kind: ResourceKind::PredefinedAttribute,
            id: "Language".into(),
            why: format!("user {} holds a proficiency in it", user.id),
        })
    );

    let mut widened = language.clone();
    widened.values.push("Spanish".into());
    widened.enable_value_validation_on_association = Some(false);
    store
        .update_predefined_attribute(at, widened.clone())
        .await
        .unwrap();
    assert_eq!(
        store.get_predefined_attribute(at, "Language").await,
        Ok(widened)
    );

    assert_eq!(
        store.create_predefined_attribute(at, skill).await,
        Err(StoreError::Duplicate {
            what: "Predefined attribute with name 'Skill'".into()
        })
    );
    assert_eq!(
        store.get_predefined_attribute(at, "Nope").await,
        Err(StoreError::NotFound {
            kind: ResourceKind::PredefinedAttribute,
            id: "Nope".into(),
        })
    );
}

/// A user's proficiencies list in (name, value) order with when they last changed.
/// Associating a value the attribute lacks or a proficiency the user already holds
/// changes nothing; updates change levels; disassociating ignores what the user does
/// not hold.
pub async fn user_proficiencies(store: &dyn Store) {
    let (fx, _, user) = setup_with_holder(store).await;
    let (at, user) = (&fx.at, &user.id);

    assert_eq!(
        store.list_user_proficiencies(at, user).await,
        Ok((
            vec![
                proficiency("Language", "English", 2.0),
                proficiency("Skill", "Tech_Support", 4.0),
            ],
            Some(modified()),
        ))
    );

    assert_eq!(
        store
            .change_user_proficiencies(
                at,
                user,
                ProficiencyChange::Associate(vec![proficiency("Language", "Klingon", 2.0)]),
                &modified(),
            )
            .await,
        Err(StoreError::MissingReference {
            kind: ResourceKind::PredefinedAttribute,
            id: "Language=Klingon".into(),
        })
    );
    assert_eq!(
        store
            .change_user_proficiencies(
                at,
                user,
                ProficiencyChange::Associate(vec![proficiency("Language", "English", 2.0)]),
                &modified(),
            )
            .await,
        Err(StoreError::Rejected(DomainError::InvalidRequest {
            field: "UserProficiencies[0]".into(),
            rule: "the user already has a proficiency in Language=English; use \
                   UpdateUserProficiencies to change its level"
                .into(),
        }))
    );

    let later = Modified {
        time: Timestamp(1_800_000_000_000),
        region: "eu-west-1".into(),
    };
    store
        .change_user_proficiencies(
            at,
            user,
            ProficiencyChange::Update(vec![proficiency("Language", "English", 4.5)]),
            &later,
        )
        .await
        .unwrap();
    assert_eq!(
        store.list_user_proficiencies(at, user).await,
        Ok((
            vec![
                proficiency("Language", "English", 4.5),
                proficiency("Skill", "Tech_Support", 4.0),
            ],
            Some(later),
        ))
    );

    store
        .change_user_proficiencies(
            at,
            user,
            ProficiencyChange::Disassociate(vec![
                ("Language".into(), "English".into()),
                ("Nope".into(), "x".into()),
            ]),
            &modified(),
        )
        .await
        .unwrap();
    assert_eq!(
        store.list_user_proficiencies(at, user).await,
        Ok((
            vec![proficiency("Skill", "Tech_Support", 4.0)],
            Some(modified()),
        ))
    );
}
