//! The user hierarchy: its structure of levels and the groups placed in it (contract §8
//! and §10).

use std::collections::BTreeSet;

use roster_tests::aws_sdk_connect::types::{
    HierarchyGroup, HierarchyGroupSummary, HierarchyLevelUpdate, HierarchyStructure,
    HierarchyStructureUpdate,
};
use roster_tests::*;

/// The hierarchy, through the API.
trait Hierarchy {
    fn prefix(&self) -> String;
    async fn set_levels(&self, names: &[&str]) -> Result<(), String>;
    async fn structure(&self) -> HierarchyStructure;
    async fn group(&self, name: &str, parent: Option<&str>) -> String;
    async fn describe_group(&self, id: &str) -> HierarchyGroup;
    async fn groups(&self, size: i32) -> Vec<HierarchyGroupSummary>;
    async fn user(&self, username: &str, group: Option<&str>) -> String;
}

impl Hierarchy for Fx {
    fn prefix(&self) -> String {
        format!(
            "arn:aws:connect:us-east-1:123456789012:instance/{}",
            self.instance
        )
    }

    /// Sets the structure to these level names, top first.
    async fn set_levels(&self, names: &[&str]) -> Result<(), String> {
        let level = |n: usize| {
            names
                .get(n)
                .map(|name| HierarchyLevelUpdate::builder().name(*name).build().unwrap())
        };
        self.client
            .update_user_hierarchy_structure()
            .instance_id(&self.instance)
            .hierarchy_structure(
                HierarchyStructureUpdate::builder()
                    .set_level_one(level(0))
                    .set_level_two(level(1))
                    .set_level_three(level(2))
                    .set_level_four(level(3))
                    .set_level_five(level(4))
                    .build(),
            )
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{:?} {}", error_of(&e), message_of(&e)))
    }

    async fn structure(&self) -> HierarchyStructure {
        self.client
            .describe_user_hierarchy_structure()
            .instance_id(&self.instance)
            .send()
            .await
            .expect("describe structure")
            .hierarchy_structure
            .expect("HierarchyStructure")
    }

    async fn group(&self, name: &str, parent: Option<&str>) -> String {
        self.client
            .create_user_hierarchy_group()
            .instance_id(&self.instance)
            .name(name)
            .set_parent_group_id(parent.map(str::to_string))
            .send()
            .await
            .unwrap_or_else(|e| {
                panic!("create group {name}: {:?} {}", error_of(&e), message_of(&e))
            })
            .hierarchy_group_id
            .expect("group id")
    }

    async fn describe_group(&self, id: &str) -> HierarchyGroup {
        self.client
            .describe_user_hierarchy_group()
            .instance_id(&self.instance)
            .hierarchy_group_id(id)
            .send()
            .await
            .expect("describe group")
            .hierarchy_group
            .expect("HierarchyGroup")
    }

    /// Every group, following NextToken with pages of `size`.
    async fn groups(&self, size: i32) -> Vec<HierarchyGroupSummary> {
        let mut all = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .list_user_hierarchy_groups()
                .instance_id(&self.instance)
                .max_results(size)
                .set_next_token(token)
                .send()
                .await
                .expect("list groups");
            let page = out.user_hierarchy_group_summary_list();
            assert!(page.len() <= size as usize);
            all.extend(page.iter().cloned());
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                return all;
            }
            assert_eq!(
                page.len(),
                size as usize,
                "a page followed by a token is full"
            );
        }
    }

    /// A user in `group` (none when `None`).
    async fn user(&self, username: &str, group: Option<&str>) -> String {
        self.create(username)
            .identity_info(names("A", "B"))
            .set_hierarchy_group_id(group.map(str::to_string))
            .send()
            .await
            .expect("create user")
            .user_id
            .unwrap()
    }
}

fn path_ids(g: &HierarchyGroup) -> Vec<Option<String>> {
    let p = g.hierarchy_path().expect("HierarchyPath");
    [
        p.level_one(),
        p.level_two(),
        p.level_three(),
        p.level_four(),
        p.level_five(),
    ]
    .iter()
    .map(|s| s.and_then(|s| s.id()).map(str::to_string))
    .collect()
}

#[tokio::test]
async fn the_structure_has_numbered_levels() {
    let fx = Fx::new("SAML").await;
    let s = fx.structure().await;
    assert!(
        s.level_one().is_none() && s.level_two().is_none(),
        "a new instance has no levels: {s:?}"
    );

    fx.set_levels(&["Region", "Site", "Team"]).await.unwrap();
    let s = fx.structure().await;
    let levels = [s.level_one(), s.level_two(), s.level_three()];
    for (n, (level, name)) in levels.iter().zip(["Region", "Site", "Team"]).enumerate() {
        let level = level.unwrap_or_else(|| panic!("level {} missing", n + 1));
        let id = (n + 1).to_string();
        assert_eq!(level.id(), Some(id.as_str()));
        assert_eq!(level.name(), Some(name));
        assert_eq!(
            level.arn(),
            Some(format!("{}/agent-group-level/{id}", fx.prefix()).as_str())
        );
        assert!(level.last_modified_time().is_some());
        assert_eq!(level.last_modified_region(), Some("us-east-1"));
    }
    assert!(s.level_four().is_none() && s.level_five().is_none());

    // Renaming levels keeps their ids.
    fx.set_levels(&["Area", "Site", "Squad"]).await.unwrap();
    let s = fx.structure().await;
    assert_eq!(s.level_one().and_then(|l| l.name()), Some("Area"));
    assert_eq!(s.level_three().and_then(|l| l.id()), Some("3"));
    assert_eq!(s.level_three().and_then(|l| l.name()), Some("Squad"));

    // Five levels at most, and no gaps.
    fx.set_levels(&["1", "2", "3", "4", "5"]).await.unwrap();
    assert_eq!(
        fx.structure().await.level_five().and_then(|l| l.id()),
        Some("5")
    );
    let r = fx
        .client
        .update_user_hierarchy_structure()
        .instance_id(&fx.instance)
        .hierarchy_structure(
            HierarchyStructureUpdate::builder()
                .level_one(HierarchyLevelUpdate::builder().name("A").build().unwrap())
                .level_three(HierarchyLevelUpdate::builder().name("C").build().unwrap())
                .build(),
        )
        .send()
        .await;
    rejected(r, "InvalidRequestException", 400);
    assert_eq!(
        fx.structure().await.level_five().and_then(|l| l.name()),
        Some("5"),
        "a refused update changed nothing"
    );
}

#[tokio::test]
async fn groups_at_each_level_show_their_level_and_path() {
    let fx = Fx::new("SAML").await;
    fx.set_levels(&["Region", "Site", "Team"]).await.unwrap();
    let top = fx.group("Europe", None).await;
    let mid = fx.group("Lisbon", Some(&top)).await;
    let low = fx.group("Night shift", Some(&mid)).await;
    let s = fx.structure().await;
    let level_ids = [s.level_one(), s.level_two(), s.level_three()]
        .map(|l| l.and_then(|l| l.id()).unwrap().to_string());

    for (n, (id, name)) in [(&top, "Europe"), (&mid, "Lisbon"), (&low, "Night shift")]
        .into_iter()
        .enumerate()
    {
        let g = fx.describe_group(id).await;
        assert_eq!(g.id(), Some(id.as_str()));
        assert_eq!(g.name(), Some(name));
        assert_eq!(
            g.arn(),
            Some(format!("{}/agent-group/{id}", fx.prefix()).as_str())
        );
        assert_eq!(
            g.level_id(),
            Some(level_ids[n].as_str()),
            "{name}: LevelId is its level's Id"
        );
        assert_eq!(g.level_id(), Some((n + 1).to_string().as_str()));
        assert_eq!(g.last_modified_region(), Some("us-east-1"));
        let mut want: Vec<Option<String>> = vec![None; 5];
        for (k, ancestor) in [&top, &mid, &low].into_iter().take(n + 1).enumerate() {
            want[k] = Some(ancestor.clone());
        }
        assert_eq!(
            path_ids(&g),
            want,
            "{name}: the path runs from the top down to the group itself"
        );
    }
    // The path's entries are full summaries.
    let g = fx.describe_group(&low).await;
    let p = g.hierarchy_path().unwrap();
    let two = p.level_two().unwrap();
    assert_eq!(two.name(), Some("Lisbon"));
    assert_eq!(
        two.arn(),
        Some(format!("{}/agent-group/{mid}", fx.prefix()).as_str())
    );
    assert_eq!(p.level_three().unwrap().name(), Some("Night shift"));

    // A group's level must exist in the structure.
    let before = fx.groups(100).await;
    let msg = rejected(
        fx.client
            .create_user_hierarchy_group()
            .instance_id(&fx.instance)
            .name("Too deep")
            .parent_group_id(&low)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    assert!(msg.contains('4'), "{msg}");
    // An unknown parent is a bad parameter naming it.
    let missing = uuid::Uuid::new_v4().to_string();
    let msg = rejected(
        fx.client
            .create_user_hierarchy_group()
            .instance_id(&fx.instance)
            .name("Orphan")
            .parent_group_id(&missing)
            .send()
            .await,
        "InvalidParameterException",
        400,
    );
    assert!(
        msg.contains(&missing) && msg.contains("ParentGroupId"),
        "{msg}"
    );
    assert_eq!(
        fx.groups(100).await,
        before,
        "refused creates made no group"
    );
}

#[tokio::test]
async fn without_levels_no_group_can_be_created() {
    let fx = Fx::new("SAML").await;
    let r = fx
        .client
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name("Nowhere")
        .send()
        .await;
    rejected(r, "InvalidRequestException", 400);
    assert!(fx.groups(10).await.is_empty());
    fx.set_levels(&["Only"]).await.unwrap();
    let top = fx.group("Top", None).await;
    let r = fx
        .client
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name("Child")
        .parent_group_id(&top)
        .send()
        .await;
    rejected(r, "InvalidRequestException", 400);
    assert_eq!(fx.groups(10).await.len(), 1);
}

#[tokio::test]
async fn list_user_hierarchy_groups_pages_return_each_group_once() {
    let fx = Fx::new("SAML").await;
    fx.set_levels(&["Region", "Site"]).await.unwrap();
    let mut created = BTreeSet::new();
    for n in 0..4 {
        let top = fx.group(&format!("Region {n}"), None).await;
        created.insert(fx.group(&format!("Site {n}"), Some(&top)).await);
        created.insert(top);
    }
    for size in [1, 2, 3, 8, 1000] {
        let all = fx.groups(size).await;
        let ids: Vec<String> = all.iter().map(|g| g.id().unwrap().to_string()).collect();
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(unique.len(), ids.len(), "maxResults {size}: a group twice");
        assert_eq!(unique, created, "maxResults {size}");
        for g in &all {
            assert_eq!(
                g.arn(),
                Some(format!("{}/agent-group/{}", fx.prefix(), g.id().unwrap()).as_str())
            );
            assert!(g.name().is_some() && g.last_modified_time().is_some());
        }
    }
    for bad in [0, 1001] {
        let r = fx
            .client
            .list_user_hierarchy_groups()
            .instance_id(&fx.instance)
            .max_results(bad)
            .send()
            .await;
        rejected(r, "InvalidParameterException", 400);
    }
    let r = fx
        .client
        .list_user_hierarchy_groups()
        .instance_id(&fx.instance)
        .next_token("bogus")
        .send()
        .await;
    rejected(r, "InvalidRequestException", 400);
}

#[tokio::test]
async fn rename_group_and_duplicate_names() {
    let fx = Fx::new("SAML").await;
    fx.set_levels(&["Region", "Site"]).await.unwrap();
    let a = fx.group("Alpha", None).await;
    let b = fx.group("Beta", Some(&a)).await;
    let before = fx.describe_group(&a).await;
    tokio::time::sleep(std::time::Duration::from_millis(15)).await;

    fx.client
        .update_user_hierarchy_group_name()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&a)
        .name("Alpha Prime")
        .send()
        .await
        .expect("rename");
    let after = fx.describe_group(&a).await;
    assert_eq!(after.name(), Some("Alpha Prime"));
    assert_eq!(after.level_id(), before.level_id());
    assert!(
        after.last_modified_time().unwrap().to_millis().unwrap()
            > before.last_modified_time().unwrap().to_millis().unwrap()
    );
    // The child's path shows the new name.
    let child = fx.describe_group(&b).await;
    assert_eq!(
        child.hierarchy_path().unwrap().level_one().unwrap().name(),
        Some("Alpha Prime")
    );

    // Names are unique in the instance, whatever the parent.
    let r = fx
        .client
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name("Beta")
        .send()
        .await;
    rejected(r, "DuplicateResourceException", 409);
    let r = fx
        .client
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name("Alpha Prime")
        .parent_group_id(&a)
        .send()
        .await;
    rejected(r, "DuplicateResourceException", 409);
    let r = fx
        .client
        .update_user_hierarchy_group_name()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&b)
        .name("Alpha Prime")
        .send()
        .await;
    rejected(r, "DuplicateResourceException", 409);
    assert_eq!(fx.describe_group(&b).await.name(), Some("Beta"));
    assert_eq!(fx.groups(100).await.len(), 2);

    let r = fx
        .client
        .update_user_hierarchy_group_name()
        .instance_id(&fx.instance)
        .hierarchy_group_id(uuid::Uuid::new_v4().to_string())
        .name("Gamma")
        .send()
        .await;
    rejected(r, "ResourceNotFoundException", 404);

    // Another instance may use the same name.
    let other = create_instance(&fx.client, "SAML").await;
    fx.client
        .update_user_hierarchy_structure()
        .instance_id(&other)
        .hierarchy_structure(
            HierarchyStructureUpdate::builder()
                .level_one(
                    HierarchyLevelUpdate::builder()
                        .name("Region")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    fx.client
        .create_user_hierarchy_group()
        .instance_id(&other)
        .name("Beta")
        .send()
        .await
        .expect("same name elsewhere");
}

#[tokio::test]
async fn a_group_with_children_or_users_cannot_be_deleted() {
    let fx = Fx::new("SAML").await;
    fx.set_levels(&["Region", "Site"]).await.unwrap();
    let parent = fx.group("Parent", None).await;
    let child = fx.group("Child", Some(&parent)).await;
    let delete = |id: String| {
        fx.client
            .delete_user_hierarchy_group()
            .instance_id(&fx.instance)
            .hierarchy_group_id(id)
            .send()
    };

    let msg = rejected(delete(parent.clone()).await, "ResourceInUseException", 409);
    assert!(msg.contains(&parent), "{msg}");
    let user = fx.user("member", Some(&child)).await;
    rejected(delete(child.clone()).await, "ResourceInUseException", 409);
    assert_eq!(
        fx.groups(100).await.len(),
        2,
        "refused deletes removed nothing"
    );

    // Moving the user out frees the child; then the parent.
    fx.client
        .update_user_hierarchy()
        .instance_id(&fx.instance)
        .user_id(&user)
        .send()
        .await
        .unwrap();
    delete(child.clone()).await.expect("delete child");
    rejected(
        fx.client
            .describe_user_hierarchy_group()
            .instance_id(&fx.instance)
            .hierarchy_group_id(&child)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    delete(parent.clone()).await.expect("delete parent");
    assert!(fx.groups(100).await.is_empty());
    rejected(
        delete(parent.clone()).await,
        "ResourceNotFoundException",
        404,
    );

    // A deleted user no longer holds its group.
    let g = fx.group("Again", None).await;
    let u = fx.user("leaver", Some(&g)).await;
    rejected(delete(g.clone()).await, "ResourceInUseException", 409);
    fx.client
        .delete_user()
        .instance_id(&fx.instance)
        .user_id(&u)
        .send()
        .await
        .unwrap();
    delete(g).await.expect("delete after its user left");
}

#[tokio::test]
async fn removing_a_level_that_groups_use_is_refused() {
    let fx = Fx::new("SAML").await;
    fx.set_levels(&["Region", "Site", "Team"]).await.unwrap();
    let top = fx.group("North", None).await;
    let site = fx.group("Oslo", Some(&top)).await;
    let before = fx.structure().await;

    let err = fx.set_levels(&["Region"]).await.unwrap_err();
    assert!(
        err.contains("ResourceInUseException") && err.contains("409"),
        "{err}"
    );
    let err = fx.set_levels(&[]).await.unwrap_err();
    assert!(err.contains("ResourceInUseException"), "{err}");
    assert_eq!(
        fx.structure().await,
        before,
        "a refused structure change changed nothing"
    );

    // Level three is unused: it can go. Levels in use can be renamed.
    fx.set_levels(&["Area", "City"])
        .await
        .expect("remove the unused level");
    let s = fx.structure().await;
    assert_eq!(s.level_two().and_then(|l| l.name()), Some("City"));
    assert!(s.level_three().is_none());
    assert_eq!(fx.describe_group(&site).await.level_id(), Some("2"));

    // Without its group, level two can go too.
    fx.client
        .delete_user_hierarchy_group()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&site)
        .send()
        .await
        .unwrap();
    fx.set_levels(&["Area"]).await.expect("remove level two");
    assert!(fx.structure().await.level_two().is_none());
}
