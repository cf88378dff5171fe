//! Security profiles: every list they keep read back as written, updates that replace
//! what they carry and keep the rest, the hierarchy group they restrict access to,
//! and what keeps a profile (or that group) from being deleted.

use roster_domain::arn::ResourceKind;
use roster_domain::hierarchy::HierarchyGroup;
use roster_domain::new_id;
use roster_domain::security::{
    AiAgent, Application, DataTableAccessControl, FlowModule, GranularAccessControl, Permissions,
    PrimaryAttributeAccessControl, PrimaryAttributeValue, RestrictedResources, SecurityProfile,
    SecurityProfileUpdate,
};

use crate::{Store, StoreError};

use super::fixtures::{
    all_pages, fresh_scope, group, modified_at, new_instance, plain_user, profiles, resource,
    setup, structure, tags_of, Fixture,
};

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A profile with every member set, restricted to `group` when given.
fn full_profile(name: &str, group: Option<&HierarchyGroup>) -> SecurityProfile {
    SecurityProfile {
        description: Some("Supervisors of the night shift".into()),
        permissions: Permissions::from_stored(strings(&[
            "Users.View",
            "AccessMetrics",
            "BasicAgentAccess",
        ])),
        allowed_access_control_tags: tags_of(&[("dept", "sales"), ("site", "")]),
        tag_restricted_resources: RestrictedResources::from_stored(strings(&[
            "User",
            "RoutingProfile",
        ])),
        allowed_access_control_hierarchy_group_id: group.map(|g| g.id.clone()),
        hierarchy_restricted_resources: RestrictedResources::from_stored(strings(&["User"])),
        applications: vec![
            Application {
                namespace: "arn:aws:app-integrations:us-west-2:123456789012:application/zz".into(),
                permissions: strings(&["Zeta", "Alpha"]),
                application_type: Some("THIRD_PARTY_APPLICATION".into()),
            },
            Application {
                namespace: "gateway-1".into(),
                permissions: strings(&["tools___Find"]),
                application_type: None,
            },
        ],
        allowed_flow_modules: vec![
            FlowModule {
                flow_module_id: "module-2".into(),
                module_type: Some("MCP".into()),
            },
            FlowModule {
                flow_module_id: "module-1".into(),
                module_type: None,
            },
        ],
        allowed_ai_agents: vec![AiAgent {
            arn: "arn:aws:wisdom:us-west-2:123456789012:ai-agent/a/b".into(),
            agent_type: Some("THIRD_PARTY".into()),
        }],
        granular_access_control: Some(GranularAccessControl {
            data_table: Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl {
                    values: Some(vec![
                        PrimaryAttributeValue::from_stored(
                            Some("ALLOW".into()),
                            "Region".into(),
                            strings(&["EU", "US"]),
                        ),
                        PrimaryAttributeValue::from_stored(None, "Line".into(), vec![]),
                    ]),
                }),
            }),
        }),
        tags: tags_of(&[("owner", "ops")]),
        ..SecurityProfile::new(new_id(), name.into(), modified_at(1_700_000_999_001))
    }
}

async fn stored(store: &dyn Store, fx: &Fixture, id: &str) -> SecurityProfile {
    store
        .get_security_profile(&fx.at, id)
        .await
        .expect("get the profile")
}

async fn top_group(store: &dyn Store, fx: &Fixture, name: &str) -> HierarchyGroup {
    store
        .set_hierarchy_structure(&fx.at, structure(&["Region"], 1))
        .await
        .unwrap();
    let g = group(name, None);
    store
        .create_hierarchy_group(&fx.at, g.clone())
        .await
        .unwrap();
    g
}

pub async fn security_profiles(store: &dyn Store) {
    let scope = fresh_scope();
    let (new, fx) = new_instance(&scope, None);
    let defaults = new.security_profiles.clone();
    store.create_instance(new).await.unwrap();
    for p in &defaults {
        assert_eq!(stored(store, &fx, &p.id).await, *p);
    }

    let custom = SecurityProfile {
        permissions: Permissions::from_stored(strings(&["Zeta.Edit", "Alpha.View", "Mid.Create"])),
        tags: tags_of(&[("owner", "ops")]),
        ..SecurityProfile::new(
            new_id(),
            "Supervisors".into(),
            modified_at(1_700_000_999_001),
        )
    };
    store
        .create_security_profile(&fx.at, custom.clone())
        .await
        .unwrap();
    assert_eq!(stored(store, &fx, &custom.id).await, custom);
    assert_eq!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::SecurityProfile, &custom.id))
            .await
            .unwrap(),
        custom.tags
    );

    let same_name = SecurityProfile {
        id: new_id(),
        ..custom.clone()
    };
    match store
        .create_security_profile(&fx.at, same_name.clone())
        .await
    {
        Err(StoreError::Duplicate { what }) => assert!(what.contains("Supervisors"), "{what}"),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_err!(
        store.get_security_profile(&fx.at, &same_name.id).await,
        StoreError::NotFound { .. }
    );
    // The same name in another instance is fine.
    let other = setup(store).await;
    store
        .create_security_profile(&other.at, same_name.clone())
        .await
        .unwrap();
    // A profile is found only through its own instance.
    assert_err!(
        store.get_security_profile(&fx.at, &same_name.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store.delete_security_profile(&fx.at, &same_name.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store
            .update_security_profile(
                &fx.at,
                &same_name.id,
                SecurityProfileUpdate::stamp(modified_at(1))
            )
            .await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );

    // Listings carry every list of every profile.
    let full = full_profile("Night shift", None);
    store
        .create_security_profile(&fx.at, full.clone())
        .await
        .unwrap();
    let mut expected: Vec<SecurityProfile> = defaults.clone();
    expected.push(custom.clone());
    expected.push(full.clone());
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    let at = &fx.at;
    let listed = all_pages(
        2,
        |p: &SecurityProfile| p.id.clone(),
        |p| async move { store.list_security_profiles(at, &p).await },
    )
    .await;
    assert_eq!(listed, expected);

    // In use while a user holds it, also as its second profile.
    let mut user = plain_user(&fx, "holder");
    user.security_profile_ids = profiles(&[&fx.agent_profile, &custom.id]);
    store.create_user(&fx.at, user.clone(), 100).await.unwrap();
    match store.delete_security_profile(&fx.at, &custom.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::SecurityProfile,
            id,
            ..
        }) => assert_eq!(id, custom.id),
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(stored(store, &fx, &custom.id).await, custom);
    store.delete_user(&fx.at, &user.id).await.unwrap();
    store
        .delete_security_profile(&fx.at, &custom.id)
        .await
        .unwrap();
    assert_err!(
        store.get_security_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store
            .list_tags(&fx.at, &resource(ResourceKind::SecurityProfile, &custom.id))
            .await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    assert_err!(
        store.delete_security_profile(&fx.at, &custom.id).await,
        StoreError::NotFound {
            kind: ResourceKind::SecurityProfile,
            ..
        }
    );
    // Its name can be used again, and nothing of the deleted profile's lists comes
    // with it.
    store
        .delete_security_profile(&fx.at, &full.id)
        .await
        .unwrap();
    let again = SecurityProfile::new(new_id(), full.name.clone(), modified_at(7));
    store
        .create_security_profile(&fx.at, again.clone())
        .await
        .unwrap();
    assert_eq!(stored(store, &fx, &again.id).await, again);
}

/// Every member of a profile is kept exactly: the order of its lists, absent and empty
/// members, and a granular configuration at each of its depths.
pub async fn security_profile_members(store: &dyn Store) {
    let fx = setup(store).await;
    let region = top_group(store, &fx, "EMEA").await;
    let full = full_profile("Everything", Some(&region));
    store
        .create_security_profile(&fx.at, full.clone())
        .await
        .unwrap();
    assert_eq!(stored(store, &fx, &full.id).await, full);

    let shallow = [
        GranularAccessControl::default(),
        GranularAccessControl {
            data_table: Some(DataTableAccessControl::default()),
        },
        GranularAccessControl {
            data_table: Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl::default()),
            }),
        },
        GranularAccessControl {
            data_table: Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl {
                    values: Some(vec![]),
                }),
            }),
        },
    ];
    for (i, g) in shallow.into_iter().enumerate() {
        let p = SecurityProfile {
            granular_access_control: Some(g),
            description: Some(String::new()),
            ..SecurityProfile::new(new_id(), format!("Shallow {i}"), modified_at(i as i64))
        };
        store
            .create_security_profile(&fx.at, p.clone())
            .await
            .unwrap();
        assert_eq!(stored(store, &fx, &p.id).await, p);
    }

    // A new instance's Admin profile holds hundreds of permissions.
    let many = SecurityProfile {
        permissions: Permissions::from_stored(
            roster_domain::security::all_permissions()
                .map(str::to_string)
                .collect(),
        ),
        ..SecurityProfile::new(new_id(), "Many".into(), modified_at(9))
    };
    store
        .create_security_profile(&fx.at, many.clone())
        .await
        .unwrap();
    assert_eq!(stored(store, &fx, &many.id).await, many);
}

/// An update replaces each member it carries, keeps the others, and stamps the
/// profile; one that fails changes nothing.
pub async fn update_security_profile(store: &dyn Store) {
    let fx = setup(store).await;
    let first = top_group(store, &fx, "North").await;
    let second = group("South", None);
    store
        .create_hierarchy_group(&fx.at, second.clone())
        .await
        .unwrap();
    let full = full_profile("Updated", Some(&first));
    store
        .create_security_profile(&fx.at, full.clone())
        .await
        .unwrap();

    // Nothing but the stamp.
    let stamp = modified_at(1_800_000_000_000);
    store
        .update_security_profile(
            &fx.at,
            &full.id,
            SecurityProfileUpdate::stamp(stamp.clone()),
        )
        .await
        .unwrap();
    let mut expected = SecurityProfile {
        modified: stamp,
        ..full.clone()
    };
    assert_eq!(stored(store, &fx, &full.id).await, expected);

    // Some members replaced, others kept.
    let update = SecurityProfileUpdate {
        description: Some("Day shift".into()),
        permissions: Some(Permissions::from_stored(strings(&["Queues.View"]))),
        allowed_access_control_tags: Some(tags_of(&[("team", "b")])),
        allowed_access_control_hierarchy_group_id: Some(Some(second.id.clone())),
        applications: Some(vec![Application {
            namespace: "gateway-2".into(),
            permissions: strings(&["x"]),
            application_type: Some("MCP".into()),
        }]),
        ..SecurityProfileUpdate::stamp(modified_at(1_800_000_000_001))
    };
    store
        .update_security_profile(&fx.at, &full.id, update.clone())
        .await
        .unwrap();
    update.apply(&mut expected);
    assert_eq!(expected.permissions.as_slice(), strings(&["Queues.View"]));
    assert_eq!(expected.allowed_flow_modules, full.allowed_flow_modules);
    assert_eq!(stored(store, &fx, &full.id).await, expected);

    // Empty lists and maps empty their members; an absent group removes it.
    let clear = SecurityProfileUpdate {
        permissions: Some(Permissions::default()),
        allowed_access_control_tags: Some(tags_of(&[])),
        tag_restricted_resources: Some(RestrictedResources::default()),
        allowed_access_control_hierarchy_group_id: Some(None),
        hierarchy_restricted_resources: Some(RestrictedResources::default()),
        applications: Some(vec![]),
        allowed_flow_modules: Some(vec![]),
        allowed_ai_agents: Some(vec![]),
        granular_access_control: Some(GranularAccessControl::default()),
        ..SecurityProfileUpdate::stamp(modified_at(1_800_000_000_002))
    };
    store
        .update_security_profile(&fx.at, &full.id, clear.clone())
        .await
        .unwrap();
    clear.apply(&mut expected);
    let cleared = stored(store, &fx, &full.id).await;
    assert_eq!(cleared, expected);
    assert!(cleared.permissions.as_slice().is_empty());
    assert_eq!(cleared.description.as_deref(), Some("Day shift"));
    assert_eq!(cleared.tags, full.tags);

    // A group that does not exist (or is another instance's) is refused, and the
    // profile stays as it was.
    let other = setup(store).await;
    let elsewhere = top_group(store, &other, "Elsewhere").await;
    for missing in [new_id(), elsewhere.id.clone()] {
        let bad = SecurityProfileUpdate {
            description: Some("never".into()),
            allowed_access_control_hierarchy_group_id: Some(Some(missing.clone())),
            ..SecurityProfileUpdate::stamp(modified_at(1_900_000_000_000))
        };
        match store.update_security_profile(&fx.at, &full.id, bad).await {
            Err(StoreError::MissingReference {
                kind: ResourceKind::HierarchyGroup,
                id,
            }) => assert_eq!(id, missing),
            other => panic!("expected MissingReference, got {other:?}"),
        }
        assert_eq!(stored(store, &fx, &full.id).await, expected);
    }
}

/// A profile restricts access to a group of its own instance, and that group cannot be
/// deleted while it does.
pub async fn security_profile_hierarchy_group(store: &dyn Store) {
    let fx = setup(store).await;
    let other = setup(store).await;
    let elsewhere = top_group(store, &other, "Elsewhere").await;
    for missing in [new_id(), elsewhere.id.clone()] {
        let g = HierarchyGroup::top(
            missing.clone(),
            "Ghost".into(),
            tags_of(&[]),
            modified_at(1),
        )
        .unwrap();
        let p = full_profile("Restricted", Some(&g));
        match store.create_security_profile(&fx.at, p.clone()).await {
            Err(StoreError::MissingReference {
                kind: ResourceKind::HierarchyGroup,
                id,
            }) => assert_eq!(id, missing),
            other => panic!("expected MissingReference, got {other:?}"),
        }
        assert_err!(
            store.get_security_profile(&fx.at, &p.id).await,
            StoreError::NotFound { .. }
        );
    }

    let g = top_group(store, &fx, "Restricting").await;
    let p = full_profile("Restricted", Some(&g));
    store
        .create_security_profile(&fx.at, p.clone())
        .await
        .unwrap();
    match store.delete_hierarchy_group(&fx.at, &g.id).await {
        Err(StoreError::InUse {
            kind: ResourceKind::HierarchyGroup,
            id,
            why,
        }) => {
            assert_eq!(id, g.id);
            assert!(why.contains("security profile"), "{why}");
        }
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(store.get_hierarchy_group(&fx.at, &g.id).await.unwrap(), g);
    // Once no profile names it, it goes; so does a profile that names one.
    store
        .update_security_profile(
            &fx.at,
            &p.id,
            SecurityProfileUpdate {
                allowed_access_control_hierarchy_group_id: Some(None),
                ..SecurityProfileUpdate::stamp(modified_at(2))
            },
        )
        .await
        .unwrap();
    store.delete_hierarchy_group(&fx.at, &g.id).await.unwrap();

    let g = group("Second", None);
    store
        .create_hierarchy_group(&fx.at, g.clone())
        .await
        .unwrap();
    let q = full_profile("Second", Some(&g));
    store
        .create_security_profile(&fx.at, q.clone())
        .await
        .unwrap();
    store.delete_security_profile(&fx.at, &q.id).await.unwrap();
    store.delete_hierarchy_group(&fx.at, &g.id).await.unwrap();
}
