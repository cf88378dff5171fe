//! Hours of operation: the instance's default, creation with every member, paging,
//! updates, unique names, parents, the per-instance quota, and deletion refused
//! while a queue or other hours refer to them.

use roster_domain::arn::ResourceKind;
use roster_domain::entities::Queue;
use roster_domain::hours::{
    Day, HoursChange, HoursOfOperation, Opening, ParentHours, TimeOfDay, TimeZone, WeeklyHours,
    MAX_PER_INSTANCE,
};
use roster_domain::new_id;

use crate::{Store, StoreError};

use super::fixtures::{
    all_pages, fresh_scope, modified, modified_at, new_instance, resource, setup, tags_of,
};

/// Hours and minutes.
type Hm = (i64, i64);

fn week(openings: &[(Day, Hm, Hm)]) -> WeeklyHours {
    let t = |(h, m): (i64, i64)| TimeOfDay::parse("T", h, m).expect("a valid time");
    WeeklyHours::new(
        "Config",
        openings
            .iter()
            .enumerate()
            .map(|(i, (day, from, until))| {
                Opening::new(&format!("Config[{i}]"), *day, t(*from), t(*until))
                    .expect("a valid opening")
            })
            .collect(),
    )
    .expect("valid openings")
}

fn zone(name: &str) -> TimeZone {
    TimeZone::parse("TimeZone", name).expect("a time zone")
}

/// Hours with every member set: a split Saturday, an opening until midnight, tags.
fn office(name: &str) -> HoursOfOperation {
    HoursOfOperation {
        id: new_id(),
        name: name.to_string(),
        description: Some("Weekdays, and Saturday mornings and afternoons".into()),
        time_zone: zone("Europe/Zurich"),
        // Not in day order: the order given is kept.
        config: week(&[
            (Day::Saturday, (13, 0), (17, 30)),
            (Day::Monday, (8, 0), (23, 8)),
            (Day::Saturday, (8, 0), (11, 0)),
            (Day::Friday, (10, 0), (0, 0)),
        ]),
        parents: ParentHours::default(),
        tags: tags_of(&[("site", "Zürich"), ("team", "support")]),
        modified: modified_at(1_700_000_500_000),
    }
}

pub async fn hours_round_trip(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, None);
    let basic = new.hours_of_operation[0].clone();
    store.create_instance(new).await.unwrap();
    assert_eq!(
        store
            .get_hours_of_operation(&fx.at, &basic.id)
            .await
            .unwrap(),
        basic
    );
    assert_eq!(basic.config, WeeklyHours::always_open());

    let mut created = Vec::new();
    for n in 0..5 {
        let h = office(&format!("Office {n}"));
        store
            .create_hours_of_operation(&fx.at, h.clone())
            .await
            .unwrap();
        assert_eq!(
            store.get_hours_of_operation(&fx.at, &h.id).await.unwrap(),
            h
        );
        created.push(h);
    }
    assert_eq!(
        store
            .list_tags(
                &fx.at,
                &resource(ResourceKind::HoursOfOperation, &created[0].id)
            )
            .await
            .unwrap(),
        created[0].tags
    );
    // Hours with nothing optional: no description, closed every day.
    let bare = HoursOfOperation {
        id: new_id(),
        name: "Closed".into(),
        description: None,
        time_zone: zone("UTC"),
        config: WeeklyHours::default(),
        parents: ParentHours::default(),
        tags: tags_of(&[]),
        modified: modified(),
    };
    store
        .create_hours_of_operation(&fx.at, bare.clone())
        .await
        .unwrap();
    assert_eq!(
        store
            .get_hours_of_operation(&fx.at, &bare.id)
            .await
            .unwrap(),
        bare
    );

    let mut expected: Vec<HoursOfOperation> = created.clone();
    expected.push(basic.clone());
    expected.push(bare);
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    for size in [1, 2, 7, 100] {
        let listed = all_pages(
            size,
            |h: &HoursOfOperation| h.id.clone(),
            |p| async move { store.list_hours_of_operations(at, &p).await },
        )
        .await;
        assert_eq!(listed, expected, "pages of {size}");
    }

    // Another instance's hours are not found through this one.
    let other = setup(store).await;
    assert_err!(
        store
            .get_hours_of_operation(&other.at, &created[0].id)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
    assert_err!(
        store
            .update_hours_of_operation(
                &other.at,
                &created[0].id,
                HoursChange::default(),
                &modified()
            )
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
    assert_err!(
        store
            .delete_hours_of_operation(&other.at, &created[0].id)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
    // Nor in another account with the same instance id.
    let stranger = roster_domain::InstanceRef {
        scope: fresh_scope(),
        instance_id: fx.at.instance_id.clone(),
    };
    assert_err!(
        store
            .get_hours_of_operation(&stranger, &created[0].id)
            .await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert_err!(
        store
            .list_hours_of_operations(&stranger, &super::fixtures::page(None, 10))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::Instance,
            ..
        }
    );
    assert_eq!(
        store
            .get_hours_of_operation(&fx.at, &created[0].id)
            .await
            .unwrap(),
        created[0]
    );
}

pub async fn hours_update(store: &dyn Store) {
    let fx = setup(store).await;
    let h = office("Front desk");
    store
        .create_hours_of_operation(&fx.at, h.clone())
        .await
        .unwrap();
    let neighbour = office("Back office");
    store
        .create_hours_of_operation(&fx.at, neighbour.clone())
        .await
        .unwrap();

    // Members not named stay.
    let later = modified_at(1_700_000_900_000);
    let change = HoursChange {
        time_zone: Some(zone("EST")),
        ..HoursChange::default()
    };
    store
        .update_hours_of_operation(&fx.at, &h.id, change, &later)
        .await
        .unwrap();
    let mut expected = h.clone();
    expected.time_zone = zone("EST");
    expected.modified = later.clone();
    assert_eq!(
        store.get_hours_of_operation(&fx.at, &h.id).await.unwrap(),
        expected
    );

    // Every member at once; the openings are replaced as a whole.
    let latest = modified_at(1_700_000_990_000);
    let change = HoursChange {
        name: Some("Front desk (winter)".into()),
        description: Some(None),
        time_zone: Some(zone("America/Los_Angeles")),
        config: Some(week(&[(Day::Tuesday, (9, 0), (21, 0))])),
    };
    store
        .update_hours_of_operation(&fx.at, &h.id, change.clone(), &latest)
        .await
        .unwrap();
    change.apply(&mut expected, &latest);
    assert_eq!(expected.description, None);
    assert_eq!(
        store.get_hours_of_operation(&fx.at, &h.id).await.unwrap(),
        expected
    );
    // Tags are not changed by updates.
    assert_eq!(expected.tags, h.tags);

    // Keeping its own name is not a clash; taking the neighbour's is.
    store
        .update_hours_of_operation(
            &fx.at,
            &h.id,
            HoursChange {
                name: Some(expected.name.clone()),
                ..HoursChange::default()
            },
            &latest,
        )
        .await
        .unwrap();
    match store
        .update_hours_of_operation(
            &fx.at,
            &h.id,
            HoursChange {
                name: Some(neighbour.name.clone()),
                config: Some(WeeklyHours::default()),
                ..HoursChange::default()
            },
            &modified(),
        )
        .await
    {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Back office"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_eq!(
        store.get_hours_of_operation(&fx.at, &h.id).await.unwrap(),
        expected
    );
    assert_err!(
        store
            .update_hours_of_operation(&fx.at, &new_id(), HoursChange::default(), &modified())
            .await,
        StoreError::NotFound {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
}

pub async fn hours_duplicate_names(store: &dyn Store) {
    let fx = setup(store).await;
    let h = office("Support");
    store
        .create_hours_of_operation(&fx.at, h.clone())
        .await
        .unwrap();
    let again = HoursOfOperation {
        id: new_id(),
        ..h.clone()
    };
    match store.create_hours_of_operation(&fx.at, again.clone()).await {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Support"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_err!(
        store.get_hours_of_operation(&fx.at, &again.id).await,
        StoreError::NotFound { .. }
    );
    // The default's name is taken too.
    let basic = HoursOfOperation {
        id: new_id(),
        name: "Basic Hours".into(),
        ..h.clone()
    };
    assert_err!(
        store.create_hours_of_operation(&fx.at, basic).await,
        StoreError::Duplicate { .. }
    );
    // Names compare exactly.
    let cased = HoursOfOperation {
        id: new_id(),
        name: "support".into(),
        ..h.clone()
    };
    store
        .create_hours_of_operation(&fx.at, cased)
        .await
        .unwrap();
    // The same name in another instance is fine.
    let other = setup(store).await;
    store
        .create_hours_of_operation(&other.at, again)
        .await
        .unwrap();
}

pub async fn hours_parents(store: &dyn Store) {
    let fx = setup(store).await;
    let holidays = office("Holidays");
    let regional = office("Regional holidays");
    for h in [&holidays, &regional] {
        store
            .create_hours_of_operation(&fx.at, h.clone())
            .await
            .unwrap();
    }
    let parents = |ids: &[&String]| {
        ParentHours::parse("P", ids.iter().map(|s| Some(s.to_string())).collect()).unwrap()
    };
    let child = HoursOfOperation {
        // The order given is kept.
        parents: parents(&[&regional.id, &holidays.id, &fx.hours]),
        ..office("Branch")
    };
    store
        .create_hours_of_operation(&fx.at, child.clone())
        .await
        .unwrap();
    assert_eq!(
        store
            .get_hours_of_operation(&fx.at, &child.id)
            .await
            .unwrap(),
        child
    );

    // A parent of another instance, or none at all, is a missing reference.
    let other = setup(store).await;
    for missing in [other.hours.clone(), new_id()] {
        let orphan = HoursOfOperation {
            parents: parents(&[&holidays.id, &missing]),
            ..office("Orphan")
        };
        match store
            .create_hours_of_operation(&fx.at, orphan.clone())
            .await
        {
            Err(StoreError::MissingReference {
                kind: ResourceKind::HoursOfOperation,
                id,
            }) => assert_eq!(id, missing),
            other => panic!("expected MissingReference, got {other:?}"),
        }
        assert_err!(
            store.get_hours_of_operation(&fx.at, &orphan.id).await,
            StoreError::NotFound { .. }
        );
    }

    // A parent stays while hours link to it; the child goes, and then the parent can.
    match store.delete_hours_of_operation(&fx.at, &holidays.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::HoursOfOperation,
            id,
            why,
        }) => {
            assert_eq!(id, holidays.id);
            assert!(why.contains(&child.id), "{why}");
        }
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(
        store
            .get_hours_of_operation(&fx.at, &holidays.id)
            .await
            .unwrap(),
        holidays
    );
    store
        .delete_hours_of_operation(&fx.at, &child.id)
        .await
        .unwrap();
    store
        .delete_hours_of_operation(&fx.at, &holidays.id)
        .await
        .unwrap();
}

pub async fn hours_delete_in_use(store: &dyn Store) {
    let scope = fresh_scope();
    let (mut new, fx) = new_instance(&scope, None);
    // Hours that two queues use, and hours no queue uses.
    let shared = office("Shared");
    let unused = office("Unused");
    let new_queue_ids = [new_id(), new_id()];
    for (name, id) in ["Sales", "Support"].into_iter().zip(&new_queue_ids) {
        new.queues.push(Queue::new(
            id.clone(),
            name.into(),
            shared.id.clone(),
            modified(),
        ));
    }
    // A second queue on the default hours, beside the BasicQueue.
    let overflow = new_id();
    new.queues.push(Queue::new(
        overflow.clone(),
        "Overflow".into(),
        fx.hours.clone(),
        modified(),
    ));
    new.hours_of_operation.push(shared.clone());
    new.hours_of_operation.push(unused.clone());
    store.create_instance(new).await.unwrap();

    // The default hours are used by two queues; the reason names the first of them
    // in id order.
    let first_default = fx.standard_queue.clone().min(overflow.clone());
    let first_shared = new_queue_ids.iter().min().cloned().unwrap();
    for (id, first) in [(&fx.hours, first_default), (&shared.id, first_shared)] {
        match store.delete_hours_of_operation(&fx.at, id).await {
            Err(StoreError::InUse {
                kind: ResourceKind::HoursOfOperation,
                id: refused,
                why,
            }) => {
                assert_eq!(&refused, id);
                assert!(why.contains("2 queues") && why.contains(&first), "{why}");
            }
            other => panic!("expected InUse, got {other:?}"),
        }
        assert!(store.get_hours_of_operation(&fx.at, id).await.is_ok());
    }
    assert_eq!(
        store
            .get_hours_of_operation(&fx.at, &shared.id)
            .await
            .unwrap(),
        shared
    );

    store
        .delete_hours_of_operation(&fx.at, &unused.id)
        .await
        .unwrap();
    assert_err!(
        store.get_hours_of_operation(&fx.at, &unused.id).await,
        StoreError::NotFound {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(
                &fx.at,
                &resource(ResourceKind::HoursOfOperation, &unused.id)
            )
            .await,
        StoreError::NotFound { .. }
    );
    assert_err!(
        store.delete_hours_of_operation(&fx.at, &unused.id).await,
        StoreError::NotFound {
            kind: ResourceKind::HoursOfOperation,
            ..
        }
    );
    // Its name can be used again.
    store
        .create_hours_of_operation(
            &fx.at,
            HoursOfOperation {
                id: new_id(),
                ..unused
            },
        )
        .await
        .unwrap();
}

pub async fn hours_quota(store: &dyn Store) {
    let fx = setup(store).await;
    // The default hours count.
    for n in 1..MAX_PER_INSTANCE {
        store
            .create_hours_of_operation(&fx.at, office(&format!("Hours {n}")))
            .await
            .unwrap();
    }
    let over = office("One too many");
    assert_err!(
        store.create_hours_of_operation(&fx.at, over.clone()).await,
        StoreError::QuotaReached {
            kind: ResourceKind::HoursOfOperation,
            limit: MAX_PER_INSTANCE
        }
    );
    assert_err!(
        store.get_hours_of_operation(&fx.at, &over.id).await,
        StoreError::NotFound { .. }
    );
    // Quotas are per instance.
    let other = setup(store).await;
    store
        .create_hours_of_operation(&other.at, over)
        .await
        .unwrap();
}
