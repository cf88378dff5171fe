//! Replays of the calls the Terraform AWS provider makes for `aws_connect_instance`,
//! `aws_connect_user_hierarchy_structure`, `aws_connect_user_hierarchy_group` and
//! `aws_connect_user`, in the provider's order: create and the read that follows it,
//! each update path and the read after it, then delete and the read that finds
//! nothing. Every value a read gives back is the value that was sent (no drift), so a
//! `terraform plan` after each step would be empty.
//!
//! Where the provider tags a resource it sends the tags in the create call, reads
//! them back from the resource's Describe (no ListTagsForResource), and on update
//! untags the removed keys, then tags the new and changed ones, before the
//! resource's own update calls.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use roster_tests::aws_sdk_connect::types::{
    Channel, DirectoryType, HierarchyGroup, HierarchyGroupSummary, HierarchyLevel,
    HierarchyLevelUpdate, HierarchyStructure, HierarchyStructureUpdate, Instance,
    InstanceAttributeType, InstanceStatus, MediaConcurrency, PhoneType, RoutingProfileQueueConfig,
    RoutingProfileQueueReference, User, UserIdentityInfo, UserPhoneConfig,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

fn tags(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Tags as a read gives them to the provider: none is an empty map.
fn tags_read(t: Option<&HashMap<String, String>>) -> HashMap<String, String> {
    t.cloned().unwrap_or_default()
}

// ---------------------------------------------------------------------------
// aws_connect_instance

/// The instance attributes the resource manages, each with its argument's default.
fn instance_attributes() -> Vec<(InstanceAttributeType, bool)> {
    vec![
        (InstanceAttributeType::AutoResolveBestVoices, true),
        (InstanceAttributeType::ContactflowLogs, false),
        (InstanceAttributeType::ContactLens, true),
        (InstanceAttributeType::EarlyMedia, true),
        (InstanceAttributeType::InboundCalls, true),
        (InstanceAttributeType::MultiPartyConference, false),
        (InstanceAttributeType::OutboundCalls, true),
    ]
}

fn attribute_map(attrs: &[(InstanceAttributeType, bool)]) -> BTreeMap<String, bool> {
    attrs
        .iter()
        .map(|(t, v)| (t.as_str().to_string(), *v))
        .collect()
}

/// The resource's read: DescribeInstance, then DescribeInstanceAttribute for each
/// managed attribute.
async fn read_instance(c: &Client, id: &str) -> (Instance, BTreeMap<String, bool>) {
    let instance = c
        .describe_instance()
        .instance_id(id)
        .send()
        .await
        .expect("DescribeInstance")
        .instance
        .expect("Instance");
    let mut attributes = BTreeMap::new();
    for (t, _) in instance_attributes() {
        let a = c
            .describe_instance_attribute()
            .instance_id(id)
            .attribute_type(t.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeInstanceAttribute {t:?}: {e:?}"))
            .attribute
            .expect("Attribute");
        assert_eq!(a.attribute_type(), Some(&t));
        let v: bool = a
            .value()
            .expect("Value")
            .parse()
            .unwrap_or_else(|_| panic!("{t:?}: {:?} is not a boolean", a.value()));
        attributes.insert(t.as_str().to_string(), v);
    }
    (instance, attributes)
}

async fn update_attribute(c: &Client, id: &str, t: &InstanceAttributeType, v: bool) {
    c.update_instance_attribute()
        .instance_id(id)
        .attribute_type(t.clone())
        .value(v.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("UpdateInstanceAttribute {t:?}: {e:?}"));
}

/// `aws_connect_instance`:
/// - create: CreateInstance (ClientToken, identity type, calls, alias, Tags);
///   DescribeInstance until ACTIVE; UpdateInstanceAttribute for every managed
///   attribute with its configured value; then the read.
/// - read: DescribeInstance; DescribeInstanceAttribute for each managed attribute;
///   the tags are DescribeInstance's.
/// - update: UntagResource / TagResource for the tag diff; UpdateInstanceAttribute
///   for each changed attribute; then the read.
/// - delete: DeleteInstance; DescribeInstance until ResourceNotFoundException.
#[tokio::test]
async fn instance_replay_reads_back_what_was_sent() {
    let server = Server::start();
    let c = server.client();
    let alias = format!(
        "resource-test-terraform-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    );
    let sent_tags = tags(&[("Key1", "Value1")]);

    let created = c
        .create_instance()
        .client_token(uuid::Uuid::new_v4().to_string())
        .identity_management_type(DirectoryType::ConnectManaged)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .instance_alias(&alias)
        .set_tags(Some(sent_tags.clone()))
        .send()
        .await
        .expect("CreateInstance");
    let id = created.id().expect("Id").to_string();
    let arn = created.arn().expect("Arn").to_string();
    assert_eq!(
        arn,
        format!("arn:aws:connect:us-east-1:123456789012:instance/{id}")
    );

    // The create waiter: DescribeInstance until the status leaves CREATION_IN_PROGRESS.
    let mut polls = 0;
    loop {
        let i = c
            .describe_instance()
            .instance_id(&id)
            .send()
            .await
            .expect("DescribeInstance (waiter)")
            .instance
            .expect("Instance");
        match i.instance_status() {
            Some(InstanceStatus::Active) => break,
            Some(InstanceStatus::CreationInProgress) if polls < 20 => polls += 1,
            other => panic!("instance status {other:?} after {polls} polls"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let mut settings = instance_attributes();
    for (t, v) in &settings {
        update_attribute(&c, &id, t, *v).await;
    }

    let (i, attributes) = read_instance(&c, &id).await;
    assert_eq!(i.id(), Some(id.as_str()));
    assert_eq!(i.arn(), Some(arn.as_str()));
    assert_eq!(
        i.identity_management_type(),
        Some(&DirectoryType::ConnectManaged)
    );
    assert_eq!(i.instance_alias(), Some(alias.as_str()));
    assert_eq!(i.inbound_calls_enabled(), Some(true));
    assert_eq!(i.outbound_calls_enabled(), Some(true));
    assert_eq!(i.instance_status(), Some(&InstanceStatus::Active));
    let role = i.service_role().expect("ServiceRole").to_string();
    assert!(
        role.starts_with(
            "arn:aws:iam::123456789012:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_"
        ),
        "{role}"
    );
    let created_time = *i.created_time().expect("CreatedTime");
    assert_eq!(tags_read(i.tags()), sent_tags);
    assert_eq!(attributes, attribute_map(&settings));

    // The acceptance test's flipped configuration and a second tag: the tags first
    // (nothing removed, Key1 changed and Key2 new), then each changed attribute.
    let sent_tags = tags(&[("Key1", "Value1Updated"), ("Key2", "Value2")]);
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(sent_tags.clone()))
        .send()
        .await
        .expect("TagResource");
    let flipped = [
        (InstanceAttributeType::AutoResolveBestVoices, false),
        (InstanceAttributeType::ContactflowLogs, true),
        (InstanceAttributeType::ContactLens, false),
        (InstanceAttributeType::EarlyMedia, false),
        (InstanceAttributeType::InboundCalls, false),
        (InstanceAttributeType::OutboundCalls, false),
    ];
    for (t, v) in &flipped {
        update_attribute(&c, &id, t, *v).await;
        settings
            .iter_mut()
            .filter(|(s, _)| s == t)
            .for_each(|(_, old)| *old = *v);
    }
    let (i, attributes) = read_instance(&c, &id).await;
    assert_eq!(attributes, attribute_map(&settings));
    // The resource reads the calls settings from DescribeInstance as well.
    assert_eq!(i.inbound_calls_enabled(), Some(false));
    assert_eq!(i.outbound_calls_enabled(), Some(false));
    assert_eq!(i.instance_alias(), Some(alias.as_str()));
    assert_eq!(i.arn(), Some(arn.as_str()));
    assert_eq!(i.service_role(), Some(role.as_str()));
    assert_eq!(i.created_time(), Some(&created_time));
    assert_eq!(i.instance_status(), Some(&InstanceStatus::Active));
    assert_eq!(tags_read(i.tags()), sent_tags);

    // Down to Key2 alone: Key1 is untagged, Key2 is unchanged and not sent.
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("Key1")
        .send()
        .await
        .expect("UntagResource");
    let (i, attributes) = read_instance(&c, &id).await;
    assert_eq!(tags_read(i.tags()), tags(&[("Key2", "Value2")]));
    assert_eq!(attributes, attribute_map(&settings));

    // Delete, and the delete waiter's DescribeInstance finds nothing.
    c.delete_instance()
        .instance_id(&id)
        .send()
        .await
        .expect("DeleteInstance");
    rejected(
        c.describe_instance().instance_id(&id).send().await,
        "ResourceNotFoundException",
        404,
    );
    // A second destroy (the resource gone already) is the same answer, which the
    // provider takes as done.
    rejected(
        c.delete_instance().instance_id(&id).send().await,
        "ResourceNotFoundException",
        404,
    );
}

/// The acceptance test's EXISTING_DIRECTORY configuration sends an alias as well as
/// the directory, and SAML needs no directory: each reads back what it sent.
#[tokio::test]
async fn instance_replay_of_directory_and_saml_configurations() {
    let server = Server::start();
    let c = server.client();
    for (idm, directory) in [
        (DirectoryType::ExistingDirectory, Some("d-0123456789")),
        (DirectoryType::Saml, None),
    ] {
        let alias = format!(
            "resource-test-terraform-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        );
        let id = c
            .create_instance()
            .client_token(uuid::Uuid::new_v4().to_string())
            .identity_management_type(idm.clone())
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .set_directory_id(directory.map(str::to_string))
            .instance_alias(&alias)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateInstance {idm:?}: {e:?}"))
            .id
            .expect("Id");
        let settings = instance_attributes();
        for (t, v) in &settings {
            update_attribute(&c, &id, t, *v).await;
        }
        let (i, attributes) = read_instance(&c, &id).await;
        assert_eq!(i.identity_management_type(), Some(&idm));
        assert_eq!(i.instance_alias(), Some(alias.as_str()), "{idm:?}");
        assert_eq!(i.inbound_calls_enabled(), Some(true));
        assert_eq!(i.outbound_calls_enabled(), Some(true));
        assert_eq!(i.instance_status(), Some(&InstanceStatus::Active));
        assert_eq!(tags_read(i.tags()), HashMap::new());
        assert_eq!(attributes, attribute_map(&settings));

        c.delete_instance()
            .instance_id(&id)
            .send()
            .await
            .expect("DeleteInstance");
        rejected(
            c.describe_instance().instance_id(&id).send().await,
            "ResourceNotFoundException",
            404,
        );
    }
}

// ---------------------------------------------------------------------------
// aws_connect_user_hierarchy_structure

/// A structure update with these level names, top first.
fn structure_update(names: &[&str]) -> HierarchyStructureUpdate {
    let level = |n: usize| {
        names
            .get(n)
            .map(|name| HierarchyLevelUpdate::builder().name(*name).build().unwrap())
    };
    HierarchyStructureUpdate::builder()
        .set_level_one(level(0))
        .set_level_two(level(1))
        .set_level_three(level(2))
        .set_level_four(level(3))
        .set_level_five(level(4))
        .build()
}

/// The five levels as the provider flattens them: (id, name, arn) of each present one.
fn levels(s: &HierarchyStructure) -> Vec<Option<(String, String, String)>> {
    let flat = |l: Option<&HierarchyLevel>| {
        l.map(|l| {
            (
                l.id().expect("level Id").to_string(),
                l.name().expect("level Name").to_string(),
                l.arn().expect("level Arn").to_string(),
            )
        })
    };
    vec![
        flat(s.level_one()),
        flat(s.level_two()),
        flat(s.level_three()),
        flat(s.level_four()),
        flat(s.level_five()),
    ]
}

async fn read_structure(c: &Client, instance: &str) -> HierarchyStructure {
    c.describe_user_hierarchy_structure()
        .instance_id(instance)
        .send()
        .await
        .expect("DescribeUserHierarchyStructure")
        .hierarchy_structure
        .expect("HierarchyStructure")
}

async fn update_structure(c: &Client, instance: &str, names: &[&str]) {
    c.update_user_hierarchy_structure()
        .instance_id(instance)
        .hierarchy_structure(structure_update(names))
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "UpdateUserHierarchyStructure {names:?}: {:?} {}",
                error_of(&e),
                message_of(&e)
            )
        });
}

/// The names the structure's levels read back with, and that level n's id is n and
/// its ARN the instance's `agent-group-level/n`.
fn assert_levels(s: &HierarchyStructure, instance_arn: &str, names: &[&str]) {
    let want: Vec<Option<(String, String, String)>> = (0..5)
        .map(|n| {
            names.get(n).map(|name| {
                let id = (n + 1).to_string();
                (
                    id.clone(),
                    name.to_string(),
                    format!("{instance_arn}/agent-group-level/{id}"),
                )
            })
        })
        .collect();
    assert_eq!(levels(s), want);
}

/// `aws_connect_user_hierarchy_structure` (its id is the instance id):
/// - create: UpdateUserHierarchyStructure with the configured levels; then the read.
/// - read: DescribeUserHierarchyStructure.
/// - update: UpdateUserHierarchyStructure with every configured level; then the read.
/// - delete: UpdateUserHierarchyStructure with an empty structure. The acceptance
///   test's destroy check runs after the instance is destroyed too, and
///   DescribeUserHierarchyStructure answers ResourceNotFoundException.
#[tokio::test]
async fn user_hierarchy_structure_replay_reads_back_what_was_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let instance_arn = format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}",
        fx.instance
    );

    // The acceptance test's steps: one level, then two, three, four and five.
    let names = [
        "resource-test-terraform-one",
        "resource-test-terraform-two",
        "resource-test-terraform-three",
        "resource-test-terraform-four",
        "resource-test-terraform-five",
    ];
    update_structure(c, &fx.instance, &names[..1]).await;
    let s = read_structure(c, &fx.instance).await;
    assert_levels(&s, &instance_arn, &names[..1]);
    for n in 2..=5 {
        update_structure(c, &fx.instance, &names[..n]).await;
        let s = read_structure(c, &fx.instance).await;
        assert_levels(&s, &instance_arn, &names[..n]);
    }

    // Renamed levels keep their ids and ARNs; levels left out of the configuration go.
    let renamed = ["Region", "Site", "Team"];
    update_structure(c, &fx.instance, &renamed).await;
    let s = read_structure(c, &fx.instance).await;
    assert_levels(&s, &instance_arn, &renamed);
    // A second read without change reads the same (no spurious change of a level).
    assert_eq!(read_structure(c, &fx.instance).await, s);

    // Destroy: the structure is emptied; a read sees no level.
    update_structure(c, &fx.instance, &[]).await;
    let s = read_structure(c, &fx.instance).await;
    assert_levels(&s, &instance_arn, &[]);

    // Then the instance of the configuration goes, and the destroy check's read of
    // the structure finds nothing; a second destroy is the same answer.
    c.delete_instance()
        .instance_id(&fx.instance)
        .send()
        .await
        .expect("DeleteInstance");
    rejected(
        c.describe_user_hierarchy_structure()
            .instance_id(&fx.instance)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.update_user_hierarchy_structure()
            .instance_id(&fx.instance)
            .hierarchy_structure(HierarchyStructureUpdate::builder().build())
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
}

// ---------------------------------------------------------------------------
// aws_connect_user_hierarchy_group

async fn read_group(c: &Client, instance: &str, id: &str) -> HierarchyGroup {
    c.describe_user_hierarchy_group()
        .instance_id(instance)
        .hierarchy_group_id(id)
        .send()
        .await
        .expect("DescribeUserHierarchyGroup")
        .hierarchy_group
        .expect("HierarchyGroup")
}

/// The group's hierarchy path as the provider flattens it: (id, name, arn) per level.
fn path(g: &HierarchyGroup) -> Vec<Option<(String, String, String)>> {
    let p = g.hierarchy_path().expect("HierarchyPath");
    let flat = |s: Option<&HierarchyGroupSummary>| {
        s.map(|s| {
            (
                s.id().expect("Id").to_string(),
                s.name().expect("Name").to_string(),
                s.arn().expect("Arn").to_string(),
            )
        })
    };
    vec![
        flat(p.level_one()),
        flat(p.level_two()),
        flat(p.level_three()),
        flat(p.level_four()),
        flat(p.level_five()),
    ]
}

/// `aws_connect_user_hierarchy_group` (its id is instance id and group id):
/// - create: CreateUserHierarchyGroup (Name, ParentGroupId if set, Tags); then the
///   read.
/// - read: DescribeUserHierarchyGroup; the tags are its.
/// - update: UntagResource / TagResource for the tag diff; UpdateUserHierarchyGroupName
///   when the name changed; then the read. (A new parent replaces the group.)
/// - delete: DeleteUserHierarchyGroup; the destroy check's
///   DescribeUserHierarchyGroup answers ResourceNotFoundException.
#[tokio::test]
async fn user_hierarchy_group_replay_reads_back_what_was_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let prefix = format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{}",
        fx.instance
    );
    // The configuration's structure comes first.
    update_structure(c, &fx.instance, &["Region", "Site"]).await;

    let parent_tags = tags(&[("Name", "Test User Hierarchy Group Parent")]);
    let created = c
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name("resource-test-terraform-parent")
        .set_tags(Some(parent_tags.clone()))
        .send()
        .await
        .expect("CreateUserHierarchyGroup parent");
    let parent = created.hierarchy_group_id().expect("id").to_string();
    let parent_arn = created.hierarchy_group_arn().expect("arn").to_string();
    assert_eq!(parent_arn, format!("{prefix}/agent-group/{parent}"));
    let g = read_group(c, &fx.instance, &parent).await;
    assert_eq!(g.id(), Some(parent.as_str()));
    assert_eq!(g.arn(), Some(parent_arn.as_str()));
    assert_eq!(g.name(), Some("resource-test-terraform-parent"));
    assert_eq!(g.level_id(), Some("1"));
    let parent_entry = Some((
        parent.clone(),
        "resource-test-terraform-parent".to_string(),
        parent_arn.clone(),
    ));
    assert_eq!(path(&g), vec![parent_entry.clone(), None, None, None, None]);
    assert_eq!(tags_read(g.tags()), parent_tags);

    let child_tags = tags(&[("Key1", "Value1")]);
    let created = c
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name("resource-test-terraform-child")
        .parent_group_id(&parent)
        .set_tags(Some(child_tags.clone()))
        .send()
        .await
        .expect("CreateUserHierarchyGroup child");
    let child = created.hierarchy_group_id().expect("id").to_string();
    let child_arn = created.hierarchy_group_arn().expect("arn").to_string();
    let g = read_group(c, &fx.instance, &child).await;
    assert_eq!(g.id(), Some(child.as_str()));
    assert_eq!(g.arn(), Some(child_arn.as_str()));
    assert_eq!(g.name(), Some("resource-test-terraform-child"));
    assert_eq!(g.level_id(), Some("2"));
    assert_eq!(
        path(&g),
        vec![
            parent_entry.clone(),
            Some((
                child.clone(),
                "resource-test-terraform-child".to_string(),
                child_arn.clone()
            )),
            None,
            None,
            None
        ]
    );
    assert_eq!(tags_read(g.tags()), child_tags);

    // Update the child: tags (Key1 changed, Key2 new), then its name.
    let child_tags = tags(&[("Key1", "Value1Updated"), ("Key2", "Value2")]);
    c.tag_resource()
        .resource_arn(&child_arn)
        .set_tags(Some(child_tags.clone()))
        .send()
        .await
        .expect("TagResource");
    c.update_user_hierarchy_group_name()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&child)
        .name("resource-test-terraform-child-updated")
        .send()
        .await
        .expect("UpdateUserHierarchyGroupName");
    let g = read_group(c, &fx.instance, &child).await;
    assert_eq!(g.id(), Some(child.as_str()));
    assert_eq!(g.arn(), Some(child_arn.as_str()));
    assert_eq!(g.name(), Some("resource-test-terraform-child-updated"));
    assert_eq!(g.level_id(), Some("2"));
    let child_entry = Some((
        child.clone(),
        "resource-test-terraform-child-updated".to_string(),
        child_arn.clone(),
    ));
    assert_eq!(
        path(&g),
        vec![parent_entry.clone(), child_entry.clone(), None, None, None]
    );
    assert_eq!(tags_read(g.tags()), child_tags);

    // Rename the parent: the child's next read shows the new name in its path.
    c.update_user_hierarchy_group_name()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&parent)
        .name("resource-test-terraform-parent-updated")
        .send()
        .await
        .expect("UpdateUserHierarchyGroupName parent");
    let parent_entry = Some((
        parent.clone(),
        "resource-test-terraform-parent-updated".to_string(),
        parent_arn.clone(),
    ));
    let g = read_group(c, &fx.instance, &parent).await;
    assert_eq!(g.name(), Some("resource-test-terraform-parent-updated"));
    assert_eq!(path(&g), vec![parent_entry.clone(), None, None, None, None]);
    assert_eq!(tags_read(g.tags()), parent_tags);
    let g = read_group(c, &fx.instance, &child).await;
    assert_eq!(
        path(&g),
        vec![parent_entry.clone(), child_entry.clone(), None, None, None]
    );

    // Tags down to Key2: only the untag is sent.
    c.untag_resource()
        .resource_arn(&child_arn)
        .tag_keys("Key1")
        .send()
        .await
        .expect("UntagResource");
    let g = read_group(c, &fx.instance, &child).await;
    assert_eq!(tags_read(g.tags()), tags(&[("Key2", "Value2")]));
    assert_eq!(g.name(), Some("resource-test-terraform-child-updated"));

    // Destroy: the child (it depends on its parent), then the parent; each read after
    // finds nothing.
    for id in [&child, &parent] {
        c.delete_user_hierarchy_group()
            .instance_id(&fx.instance)
            .hierarchy_group_id(id)
            .send()
            .await
            .expect("DeleteUserHierarchyGroup");
        rejected(
            c.describe_user_hierarchy_group()
                .instance_id(&fx.instance)
                .hierarchy_group_id(id)
                .send()
                .await,
            "ResourceNotFoundException",
            404,
        );
    }
    // With no group left the structure's destroy succeeds.
    update_structure(c, &fx.instance, &[]).await;
}

// ---------------------------------------------------------------------------
// aws_connect_user

/// What the provider keeps of a user from DescribeUser.
#[derive(Debug, PartialEq)]
struct UserState {
    id: String,
    arn: String,
    username: String,
    hierarchy_group_id: Option<String>,
    /// (email, first name, last name)
    identity: (Option<String>, Option<String>, Option<String>),
    /// (phone type, after contact work time limit, auto accept, desk phone number)
    phone: (String, i32, bool, Option<String>),
    routing_profile_id: String,
    security_profile_ids: BTreeSet<String>,
    tags: HashMap<String, String>,
}

fn user_state(u: &User) -> UserState {
    let ii = u.identity_info().expect("IdentityInfo");
    let pc = u.phone_config().expect("PhoneConfig");
    UserState {
        id: u.id().expect("Id").to_string(),
        arn: u.arn().expect("Arn").to_string(),
        username: u.username().expect("Username").to_string(),
        hierarchy_group_id: u.hierarchy_group_id().map(str::to_string),
        identity: (
            ii.email().map(str::to_string),
            ii.first_name().map(str::to_string),
            ii.last_name().map(str::to_string),
        ),
        phone: (
            pc.phone_type().as_str().to_string(),
            pc.after_contact_work_time_limit(),
            pc.auto_accept(),
            pc.desk_phone_number().map(str::to_string),
        ),
        routing_profile_id: u
            .routing_profile_id()
            .expect("RoutingProfileId")
            .to_string(),
        security_profile_ids: u.security_profile_ids().iter().cloned().collect(),
        tags: tags_read(u.tags()),
    }
}

/// The identity info the provider sends: empty arguments are left out.
fn identity(email: &str, first: &str, last: &str) -> UserIdentityInfo {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    UserIdentityInfo::builder()
        .set_email(some(email))
        .set_first_name(some(first))
        .set_last_name(some(last))
        .build()
}

/// The phone config the provider sends: the type, the limit and auto-accept always
/// (the SDK leaves out 0 and false), the desk number only when set.
fn phone(t: PhoneType, acw: i32, auto_accept: bool, desk: &str) -> UserPhoneConfig {
    UserPhoneConfig::builder()
        .phone_type(t)
        .after_contact_work_time_limit(acw)
        .auto_accept(auto_accept)
        .set_desk_phone_number((!desk.is_empty()).then(|| desk.to_string()))
        .build()
}

async fn read_user(c: &Client, instance: &str, id: &str) -> UserState {
    let u = c
        .describe_user()
        .instance_id(instance)
        .user_id(id)
        .send()
        .await
        .expect("DescribeUser")
        .user
        .expect("User");
    user_state(&u)
}

/// A second routing profile, as the configuration would declare one.
async fn routing_profile(fx: &Fx, name: &str) -> String {
    let queue = fx
        .client
        .describe_routing_profile()
        .instance_id(&fx.instance)
        .routing_profile_id(&fx.rp)
        .send()
        .await
        .expect("DescribeRoutingProfile")
        .routing_profile
        .expect("RoutingProfile")
        .default_outbound_queue_id()
        .expect("DefaultOutboundQueueId")
        .to_string();
    fx.client
        .create_routing_profile()
        .instance_id(&fx.instance)
        .name(name)
        .description("Second line")
        .default_outbound_queue_id(&queue)
        .media_concurrencies(
            MediaConcurrency::builder()
                .channel(Channel::Voice)
                .concurrency(1)
                .build()
                .unwrap(),
        )
        .queue_configs(
            RoutingProfileQueueConfig::builder()
                .queue_reference(
                    RoutingProfileQueueReference::builder()
                        .queue_id(&queue)
                        .channel(Channel::Voice)
                        .build()
                        .unwrap(),
                )
                .priority(1)
                .delay(0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("CreateRoutingProfile")
        .routing_profile_id
        .expect("RoutingProfileId")
}

/// `aws_connect_user` (its id is instance id and user id):
/// - create: CreateUser (PhoneConfig, RoutingProfileId, SecurityProfileIds, Tags,
///   Username, and DirectoryUserId, HierarchyGroupId, IdentityInfo, Password when
///   set); then the read.
/// - read: DescribeUser; the tags are its.
/// - update: UntagResource / TagResource for the tag diff; then, each only when its
///   argument changed and in this order, UpdateUserHierarchy (no HierarchyGroupId when
///   removed), UpdateUserIdentityInfo, UpdateUserPhoneConfig,
///   UpdateUserRoutingProfile, UpdateUserSecurityProfiles; then the read.
/// - delete: DeleteUser; the destroy check's DescribeUser answers
///   ResourceNotFoundException.
#[tokio::test]
async fn user_replay_reads_back_what_was_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let admin = security_profile_id(c, &fx.instance, "Admin").await;
    update_structure(c, &fx.instance, &["Region"]).await;
    let mut groups = Vec::new();
    for name in ["resource-test-terraform-g1", "resource-test-terraform-g2"] {
        groups.push(
            c.create_user_hierarchy_group()
                .instance_id(&fx.instance)
                .name(name)
                .send()
                .await
                .expect("CreateUserHierarchyGroup")
                .hierarchy_group_id
                .expect("id"),
        );
    }
    let rp2 = routing_profile(&fx, "resource-test-terraform-rp").await;

    let sent_tags = tags(&[("Name", "Test User")]);
    let created = c
        .create_user()
        .instance_id(&fx.instance)
        .phone_config(phone(PhoneType::SoftPhone, 0, false, ""))
        .routing_profile_id(&fx.rp)
        .security_profile_ids(&fx.agent)
        .set_tags(Some(sent_tags.clone()))
        // At most 20 characters on a CONNECT_MANAGED instance (the model's Username).
        .username("tf-test-user")
        .hierarchy_group_id(&groups[0])
        .identity_info(identity("example@example.com", "example", "example2"))
        .password("Password123")
        .send()
        .await
        .expect("CreateUser");
    let id = created.user_id().expect("UserId").to_string();
    let arn = created.user_arn().expect("UserArn").to_string();
    assert_eq!(
        arn,
        format!(
            "arn:aws:connect:us-east-1:123456789012:instance/{}/agent/{id}",
            fx.instance
        )
    );
    let mut want = UserState {
        id: id.clone(),
        arn: arn.clone(),
        username: "tf-test-user".into(),
        hierarchy_group_id: Some(groups[0].clone()),
        identity: (
            Some("example@example.com".into()),
            Some("example".into()),
            Some("example2".into()),
        ),
        phone: ("SOFT_PHONE".into(), 0, false, None),
        routing_profile_id: fx.rp.clone(),
        security_profile_ids: BTreeSet::from([fx.agent.clone()]),
        tags: sent_tags,
    };
    assert_eq!(read_user(c, &fx.instance, &id).await, want);

    // Every argument changes: the tags, then the five update calls in their order.
    want.tags = tags(&[("Name", "Test User Updated"), ("Key2", "Value2")]);
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(want.tags.clone()))
        .send()
        .await
        .expect("TagResource");
    c.update_user_hierarchy()
        .instance_id(&fx.instance)
        .user_id(&id)
        .hierarchy_group_id(&groups[1])
        .send()
        .await
        .expect("UpdateUserHierarchy");
    want.hierarchy_group_id = Some(groups[1].clone());
    c.update_user_identity_info()
        .instance_id(&fx.instance)
        .user_id(&id)
        .identity_info(identity("updated@example.com", "updated", "updated2"))
        .send()
        .await
        .expect("UpdateUserIdentityInfo");
    want.identity = (
        Some("updated@example.com".into()),
        Some("updated".into()),
        Some("updated2".into()),
    );
    c.update_user_phone_config()
        .instance_id(&fx.instance)
        .user_id(&id)
        .phone_config(phone(PhoneType::DeskPhone, 60, true, "+112345678912"))
        .send()
        .await
        .expect("UpdateUserPhoneConfig");
    want.phone = ("DESK_PHONE".into(), 60, true, Some("+112345678912".into()));
    c.update_user_routing_profile()
        .instance_id(&fx.instance)
        .user_id(&id)
        .routing_profile_id(&rp2)
        .send()
        .await
        .expect("UpdateUserRoutingProfile");
    want.routing_profile_id = rp2.clone();
    c.update_user_security_profiles()
        .instance_id(&fx.instance)
        .user_id(&id)
        .security_profile_ids(&fx.agent)
        .security_profile_ids(&admin)
        .send()
        .await
        .expect("UpdateUserSecurityProfiles");
    want.security_profile_ids = BTreeSet::from([fx.agent.clone(), admin.clone()]);
    assert_eq!(read_user(c, &fx.instance, &id).await, want);

    // Arguments removed or back to their defaults: the group removed (no
    // HierarchyGroupId), no email, a soft phone with limit 0 and no auto-accept (the
    // desk number is not sent), and one security profile; a tag untagged.
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("Key2")
        .send()
        .await
        .expect("UntagResource");
    want.tags.remove("Key2");
    c.update_user_hierarchy()
        .instance_id(&fx.instance)
        .user_id(&id)
        .send()
        .await
        .expect("UpdateUserHierarchy (removed)");
    want.hierarchy_group_id = None;
    c.update_user_identity_info()
        .instance_id(&fx.instance)
        .user_id(&id)
        .identity_info(identity("", "updated", "updated2"))
        .send()
        .await
        .expect("UpdateUserIdentityInfo (no email)");
    want.identity.0 = None;
    c.update_user_phone_config()
        .instance_id(&fx.instance)
        .user_id(&id)
        .phone_config(phone(PhoneType::SoftPhone, 0, false, ""))
        .send()
        .await
        .expect("UpdateUserPhoneConfig (soft phone)");
    want.phone = ("SOFT_PHONE".into(), 0, false, None);
    c.update_user_security_profiles()
        .instance_id(&fx.instance)
        .user_id(&id)
        .security_profile_ids(&admin)
        .send()
        .await
        .expect("UpdateUserSecurityProfiles (one)");
    want.security_profile_ids = BTreeSet::from([admin.clone()]);
    assert_eq!(read_user(c, &fx.instance, &id).await, want);
    // A refresh without change reads the same again.
    assert_eq!(read_user(c, &fx.instance, &id).await, want);

    c.delete_user()
        .instance_id(&fx.instance)
        .user_id(&id)
        .send()
        .await
        .expect("DeleteUser");
    rejected(
        c.describe_user()
            .instance_id(&fx.instance)
            .user_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
}
