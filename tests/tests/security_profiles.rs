//! Security profiles through the real binary: every member of the model read back as
//! sent, UpdateSecurityProfile changing only what it carries, the lists of a profile
//! paged, the four default profiles' permissions, and Terraform's
//! `aws_connect_security_profile` replayed call by call with no drift.

use std::collections::{BTreeSet, HashMap};

use roster_tests::aws_sdk_connect::types::{
    AccessType, AiAgent, AiAgentType, Application, ApplicationType,
    DataTableAccessControlConfiguration, FlowModule, FlowModuleType,
    GranularAccessControlConfiguration, HierarchyLevelUpdate, HierarchyStructureUpdate,
    PrimaryAttributeAccessControlConfigurationItem, PrimaryAttributeValue, SecurityProfile,
    SecurityProfileType,
};
use roster_tests::aws_sdk_connect::Client;
use roster_tests::*;

/// Permission names of the admin guide's list, more than one page of Terraform's
/// ListSecurityProfilePermissions (60).
const MANY: &[&str] = &[
    "BasicAgentAccess",
    "OutboundCallAccess",
    "RealtimeContactLens.View",
    "VoiceId.Access",
    "AudioDeviceSettings.Access",
    "VideoContact.Access",
    "OutboundEmail.Create",
    "RoutingPolicies.Create",
    "RoutingPolicies.Edit",
    "RoutingPolicies.View",
    "TransferDestinations.Create",
    "TransferDestinations.Delete",
    "TransferDestinations.Edit",
    "TransferDestinations.View",
    "HoursOfOperation.Create",
    "HoursOfOperation.Delete",
    "HoursOfOperation.Edit",
    "HoursOfOperation.View",
    "Queues.Create",
    "Queues.Edit",
    "Queues.EnableAndDisable",
    "Queues.View",
    "TaskTemplates.Create",
    "TaskTemplates.Delete",
    "TaskTemplates.Edit",
    "TaskTemplates.View",
    "PredefinedAttributes.View",
    "PredefinedAttributes.Edit",
    "PredefinedAttributes.Create",
    "PredefinedAttributes.Delete",
    "Prompts.Create",
    "Prompts.Delete",
    "Prompts.Edit",
    "Prompts.View",
    "ContactFlows.Create",
    "ContactFlows.Delete",
    "ContactFlows.Edit",
    "ContactFlows.Publish",
    "ContactFlows.View",
    "ContactFlowModules.Create",
    "ContactFlowModules.Delete",
    "ContactFlowModules.Edit",
    "ContactFlowModules.Publish",
    "ContactFlowModules.View",
    "PhoneNumbers.Claim",
    "PhoneNumbers.Edit",
    "PhoneNumbers.Release",
    "PhoneNumbers.View",
    "Users.Create",
    "Users.Delete",
    "Users.Edit",
    "Users.EditPermission",
    "Users.View",
    "AgentGrouping.Create",
    "AgentGrouping.Edit",
    "AgentGrouping.EnableAndDisable",
    "AgentGrouping.View",
    "SecurityProfiles.Create",
    "SecurityProfiles.Delete",
    "SecurityProfiles.Edit",
    "SecurityProfiles.View",
    "AgentStates.Create",
    "AgentStates.Edit",
    "AgentStates.EnableAndDisable",
    "AgentStates.View",
    "AccessMetrics",
    "AccessMetrics.RealTimeMetrics.Access",
    "AccessMetrics.HistoricalMetrics.Access",
    "ContactSearch.View",
    "ManagerListenIn",
    "ManagerBargeIn",
    "Rules.View",
    "Cases.View",
    "Wisdom.View",
    "HistoricalChanges.View",
];

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What a read of a profile sees, as Terraform reads it: DescribeSecurityProfile and
/// every page of ListSecurityProfilePermissions.
#[derive(Debug, PartialEq)]
struct Read {
    profile: SecurityProfile,
    permissions: Vec<String>,
}

async fn describe(c: &Client, instance: &str, id: &str) -> SecurityProfile {
    c.describe_security_profile()
        .instance_id(instance)
        .security_profile_id(id)
        .send()
        .await
        .expect("describe security profile")
        .security_profile
        .expect("SecurityProfile")
}

/// Every permission of a profile, following NextToken with pages of `size`; each page
/// carries the profile's last-modified stamp.
async fn permissions(c: &Client, instance: &str, id: &str, size: i32) -> Vec<String> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = c
            .list_security_profile_permissions()
            .instance_id(instance)
            .security_profile_id(id)
            .max_results(size)
            .set_next_token(token)
            .send()
            .await
            .expect("list security profile permissions");
        assert!(out.last_modified_time().is_some());
        assert!(out.last_modified_region().is_some());
        let page = out.permissions();
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

async fn read(c: &Client, instance: &str, id: &str) -> Read {
    Read {
        profile: describe(c, instance, id).await,
        permissions: permissions(c, instance, id, 60).await,
    }
}

fn set(names: &[String]) -> BTreeSet<String> {
    names.iter().cloned().collect()
}

/// The ids of every security profile of the instance.
async fn profile_ids(c: &Client, instance: &str) -> BTreeSet<String> {
    c.list_security_profiles()
        .instance_id(instance)
        .max_results(1000)
        .send()
        .await
        .expect("list security profiles")
        .security_profile_summary_list()
        .iter()
        .map(|s| s.id().unwrap().to_string())
        .collect()
}

/// A hierarchy with one level and one group in it; the group's id.
async fn hierarchy_group(fx: &Fx, name: &str) -> String {
    fx.client
        .update_user_hierarchy_structure()
        .instance_id(&fx.instance)
        .hierarchy_structure(
            HierarchyStructureUpdate::builder()
                .level_one(
                    HierarchyLevelUpdate::builder()
                        .name("Site")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .expect("set the hierarchy structure");
    fx.client
        .create_user_hierarchy_group()
        .instance_id(&fx.instance)
        .name(name)
        .send()
        .await
        .expect("create hierarchy group")
        .hierarchy_group_id
        .expect("group id")
}

fn granular() -> GranularAccessControlConfiguration {
    GranularAccessControlConfiguration::builder()
        .data_table_access_control_configuration(
            DataTableAccessControlConfiguration::builder()
                .primary_attribute_access_control_configuration(
                    PrimaryAttributeAccessControlConfigurationItem::builder()
                        .primary_attribute_values(
                            PrimaryAttributeValue::builder()
                                .access_type(AccessType::Allow)
                                .attribute_name("Region")
                                .values("EU")
                                .values("US")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .build()
}

fn applications() -> Vec<Application> {
    vec![
        Application::builder()
            .namespace("arn:aws:app-integrations:us-east-1:123456789012:application/crm")
            .application_permissions("Crm.View")
            .application_permissions("Crm.Edit")
            .r#type(ApplicationType::ThirdPartyApplication)
            .build(),
        Application::builder()
            .namespace("gateway-7")
            .application_permissions("orders___Find")
            .r#type(ApplicationType::Mcp)
            .build(),
        Application::builder()
            .namespace("gateway-8")
            .application_permissions("orders___Cancel")
            .build(),
    ]
}

fn flow_modules() -> Vec<FlowModule> {
    vec![
        FlowModule::builder()
            .r#type(FlowModuleType::Mcp)
            .flow_module_id("module-b")
            .build(),
        FlowModule::builder().flow_module_id("module-a").build(),
    ]
}

fn ai_agents() -> Vec<AiAgent> {
    vec![
        AiAgent::builder()
            .arn("arn:aws:wisdom:us-east-1:123456789012:ai-agent/kb/agent-1")
            .r#type(AiAgentType::ThirdParty)
            .build(),
        AiAgent::builder()
            .arn("arn:aws:wisdom:us-east-1:123456789012:ai-agent/kb/agent-2")
            .build(),
    ]
}

async fn all_applications(c: &Client, instance: &str, id: &str) -> Vec<Application> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = c
            .list_security_profile_applications()
            .instance_id(instance)
            .security_profile_id(id)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("list applications");
        all.extend(out.applications().iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
    }
}

async fn all_flow_modules(c: &Client, instance: &str, id: &str) -> Vec<FlowModule> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = c
            .list_security_profile_flow_modules()
            .instance_id(instance)
            .security_profile_id(id)
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .expect("list flow modules");
        all.extend(out.allowed_flow_modules().iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
    }
}

async fn all_ai_agents(c: &Client, instance: &str, id: &str) -> Vec<AiAgent> {
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let out = c
            .list_security_profile_ai_agents()
            .instance_id(instance)
            .security_profile_id(id)
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .expect("list AI agents");
        all.extend(out.allowed_ai_agents().iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return all;
        }
    }
}

/// `aws_connect_security_profile` as the Terraform provider drives it: create with
/// name, description, permissions and tags; read as DescribeSecurityProfile plus every
/// page of ListSecurityProfilePermissions (MaxResults 60); update as
/// UpdateSecurityProfile with the changed description and permissions, then the tags
/// by ARN, and read again; an update of tags alone still calls UpdateSecurityProfile
/// with neither member; delete. Every value read back is the value sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terraform_replay_reads_back_what_was_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let sent = strings(MANY);
    assert!(sent.len() > 60);

    // Create.
    let created = c
        .create_security_profile()
        .instance_id(&fx.instance)
        .security_profile_name("tf-supervisors")
        .description("Supervisors managed by Terraform")
        .set_permissions(Some(sent.clone()))
        .tags("Name", "Supervisors")
        .tags("env", "prod")
        .send()
        .await
        .expect("create security profile");
    let id = created.security_profile_id().unwrap().to_string();
    let arn = created.security_profile_arn().unwrap().to_string();
    assert_eq!(
        arn,
        format!(
            "arn:aws:connect:us-east-1:123456789012:instance/{}/security-profile/{id}",
            fx.instance
        )
    );

    // Read.
    let r = read(c, &fx.instance, &id).await;
    let p = &r.profile;
    assert_eq!(p.id(), Some(id.as_str()));
    assert_eq!(p.arn(), Some(arn.as_str()));
    assert_eq!(p.security_profile_name(), Some("tf-supervisors"));
    assert_eq!(p.description(), Some("Supervisors managed by Terraform"));
    assert_eq!(p.organization_resource_id(), Some(fx.instance.as_str()));
    assert_eq!(
        p.tags(),
        Some(&map(&[("Name", "Supervisors"), ("env", "prod")]))
    );
    assert_eq!(p.r#type(), Some(&SecurityProfileType::CustomerManaged));
    assert_eq!(p.last_modified_region(), Some("us-east-1"));
    assert!(p.last_modified_time().is_some());
    assert_eq!(
        r.permissions, sent,
        "permissions read back in the order sent"
    );
    // A second read is the same read: nothing drifts.
    assert_eq!(read(c, &fx.instance, &id).await, r);

    // Update: a new description and a changed set of permissions, then the tags.
    let mut changed: Vec<String> = sent[5..].to_vec();
    changed.extend(strings(&["Rules.Create", "Rules.Edit", "Cases.Create"]));
    c.update_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .description("Supervisors, day and night")
        .set_permissions(Some(changed.clone()))
        .send()
        .await
        .expect("update security profile");
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("env")
        .send()
        .await
        .expect("untag");
    c.tag_resource()
        .resource_arn(&arn)
        .tags("Name", "Supervisors (all shifts)")
        .tags("team", "ops")
        .send()
        .await
        .expect("tag");
    let after = read(c, &fx.instance, &id).await;
    let q = &after.profile;
    assert_eq!(q.description(), Some("Supervisors, day and night"));
    assert_eq!(q.security_profile_name(), Some("tf-supervisors"));
    assert_eq!(
        q.tags(),
        Some(&map(&[
            ("Name", "Supervisors (all shifts)"),
            ("team", "ops")
        ]))
    );
    assert_eq!(after.permissions, changed);
    assert_eq!(set(&after.permissions).len(), changed.len());
    assert!(
        q.last_modified_time().unwrap().as_secs_f64()
            >= p.last_modified_time().unwrap().as_secs_f64()
    );
    let tags = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("list tags");
    assert_eq!(tags.tags(), q.tags());

    // An update of the tags alone: UpdateSecurityProfile carries neither member and
    // changes nothing the profile holds.
    c.update_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .send()
        .await
        .expect("update with nothing to change");
    let again = read(c, &fx.instance, &id).await;
    assert_eq!(again.permissions, changed);
    assert_eq!(again.profile.description(), q.description());
    assert_eq!(again.profile.tags(), q.tags());

    // Remove every permission and the description.
    c.update_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .description("")
        .set_permissions(Some(vec![]))
        .send()
        .await
        .expect("update to empty");
    let empty = read(c, &fx.instance, &id).await;
    assert!(empty.permissions.is_empty());
    assert_eq!(empty.profile.description(), Some(""));

    // Delete.
    c.delete_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .send()
        .await
        .expect("delete security profile");
    rejected(
        c.describe_security_profile()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        c.list_security_profile_permissions()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    assert!(!profile_ids(c, &fx.instance).await.contains(&id));
}

/// Every member the model has is stored and read back exactly: access-control tags,
/// tag- and hierarchy-restricted resources, the hierarchy group, applications, flow
/// modules, AI agents and the granular access control configuration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_member_reads_back() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let group = hierarchy_group(&fx, "EMEA").await;
    let id = c
        .create_security_profile()
        .instance_id(&fx.instance)
        .security_profile_name("Restricted supervisors")
        .permissions("Users.View")
        .permissions("Users.Edit")
        .allowed_access_control_tags("dept", "sales")
        .allowed_access_control_tags("country", "")
        .tag_restricted_resources("User")
        .tag_restricted_resources("RoutingProfile")
        .tag_restricted_resources("Queue")
        .tag_restricted_resources("SecurityProfile")
        .hierarchy_restricted_resources("User")
        .allowed_access_control_hierarchy_group_id(&group)
        .set_applications(Some(applications()))
        .set_allowed_flow_modules(Some(flow_modules()))
        .set_allowed_ai_agents(Some(ai_agents()))
        .granular_access_control_configuration(granular())
        .send()
        .await
        .expect("create security profile")
        .security_profile_id
        .unwrap();

    let p = describe(c, &fx.instance, &id).await;
    assert_eq!(
        p.allowed_access_control_tags(),
        Some(&map(&[("dept", "sales"), ("country", "")]))
    );
    assert_eq!(
        p.tag_restricted_resources(),
        strings(&["User", "RoutingProfile", "Queue", "SecurityProfile"])
    );
    assert_eq!(p.hierarchy_restricted_resources(), strings(&["User"]));
    assert_eq!(
        p.allowed_access_control_hierarchy_group_id(),
        Some(group.as_str())
    );
    assert_eq!(p.granular_access_control_configuration(), Some(&granular()));
    assert_eq!(p.description(), None);
    assert_eq!(p.tags(), Some(&HashMap::new()));
    assert_eq!(
        permissions(c, &fx.instance, &id, 1).await,
        strings(&["Users.View", "Users.Edit"])
    );
    assert_eq!(all_applications(c, &fx.instance, &id).await, applications());
    assert_eq!(all_flow_modules(c, &fx.instance, &id).await, flow_modules());
    assert_eq!(all_ai_agents(c, &fx.instance, &id).await, ai_agents());

    // The summary is right too.
    let summaries = c
        .list_security_profiles()
        .instance_id(&fx.instance)
        .send()
        .await
        .unwrap();
    let s = summaries
        .security_profile_summary_list()
        .iter()
        .find(|s| s.id() == Some(id.as_str()))
        .expect("listed");
    assert_eq!(s.name(), Some("Restricted supervisors"));
    assert_eq!(s.arn(), p.arn());
    assert_eq!(s.r#type(), Some(&SecurityProfileType::CustomerManaged));
    assert_eq!(s.last_modified_time(), p.last_modified_time());
    assert_eq!(s.last_modified_region(), p.last_modified_region());

    // A profile without any of them answers empty lists and maps, and no group.
    let plain = c
        .create_security_profile()
        .instance_id(&fx.instance)
        .security_profile_name("Plain")
        .send()
        .await
        .unwrap()
        .security_profile_id
        .unwrap();
    let q = describe(c, &fx.instance, &plain).await;
    assert_eq!(q.allowed_access_control_tags(), Some(&HashMap::new()));
    assert_eq!(q.tag_restricted_resources, Some(vec![]));
    assert_eq!(q.hierarchy_restricted_resources, Some(vec![]));
    assert_eq!(q.allowed_access_control_hierarchy_group_id(), None);
    assert_eq!(q.granular_access_control_configuration(), None);
    assert!(permissions(c, &fx.instance, &plain, 10).await.is_empty());
    assert!(all_applications(c, &fx.instance, &plain).await.is_empty());
}

/// UpdateSecurityProfile replaces each member it carries and leaves the others as they
/// were; an empty list or map empties its member and an empty group id removes the
/// group.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_changes_only_what_is_sent() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let group = hierarchy_group(&fx, "North").await;
    let id = c
        .create_security_profile()
        .instance_id(&fx.instance)
        .security_profile_name("Changing")
        .description("before")
        .permissions("Users.View")
        .allowed_access_control_tags("dept", "sales")
        .tag_restricted_resources("User")
        .hierarchy_restricted_resources("User")
        .allowed_access_control_hierarchy_group_id(&group)
        .set_applications(Some(applications()))
        .set_allowed_flow_modules(Some(flow_modules()))
        .set_allowed_ai_agents(Some(ai_agents()))
        .granular_access_control_configuration(granular())
        .tags("k", "v")
        .send()
        .await
        .unwrap()
        .security_profile_id
        .unwrap();
    let before = describe(c, &fx.instance, &id).await;

    // One member at a time.
    c.update_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .tag_restricted_resources("Queue")
        .tag_restricted_resources("User")
        .send()
        .await
        .unwrap();
    let p = describe(c, &fx.instance, &id).await;
    assert_eq!(p.tag_restricted_resources(), strings(&["Queue", "User"]));
    assert_eq!(p.description(), Some("before"));
    assert_eq!(
        p.allowed_access_control_tags(),
        before.allowed_access_control_tags()
    );
    assert_eq!(
        p.allowed_access_control_hierarchy_group_id(),
        Some(group.as_str())
    );
    assert_eq!(p.hierarchy_restricted_resources(), strings(&["User"]));
    assert_eq!(p.granular_access_control_configuration(), Some(&granular()));
    assert_eq!(p.tags(), before.tags());
    assert_eq!(
        permissions(c, &fx.instance, &id, 5).await,
        strings(&["Users.View"])
    );
    assert_eq!(all_applications(c, &fx.instance, &id).await, applications());
    assert!(
        p.last_modified_time().unwrap().as_secs_f64()
            >= before.last_modified_time().unwrap().as_secs_f64()
    );

    // Empty everything.
    c.update_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .set_permissions(Some(vec![]))
        .set_allowed_access_control_tags(Some(HashMap::new()))
        .set_tag_restricted_resources(Some(vec![]))
        .set_hierarchy_restricted_resources(Some(vec![]))
        .allowed_access_control_hierarchy_group_id("")
        .set_applications(Some(vec![]))
        .set_allowed_flow_modules(Some(vec![]))
        .set_allowed_ai_agents(Some(vec![]))
        .granular_access_control_configuration(
            GranularAccessControlConfiguration::builder().build(),
        )
        .send()
        .await
        .unwrap();
    let q = describe(c, &fx.instance, &id).await;
    assert_eq!(q.description(), Some("before"));
    assert_eq!(q.allowed_access_control_tags(), Some(&HashMap::new()));
    assert!(q.tag_restricted_resources().is_empty());
    assert!(q.hierarchy_restricted_resources().is_empty());
    assert_eq!(q.allowed_access_control_hierarchy_group_id(), None);
    assert_eq!(
        q.granular_access_control_configuration(),
        Some(&GranularAccessControlConfiguration::builder().build())
    );
    assert!(permissions(c, &fx.instance, &id, 5).await.is_empty());
    assert!(all_applications(c, &fx.instance, &id).await.is_empty());
    assert!(all_flow_modules(c, &fx.instance, &id).await.is_empty());
    assert!(all_ai_agents(c, &fx.instance, &id).await.is_empty());
    assert_eq!(q.tags(), before.tags());
    assert_eq!(q.security_profile_name(), Some("Changing"));

    // The group can go now that no profile restricts access to it.
    c.delete_user_hierarchy_group()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&group)
        .send()
        .await
        .expect("delete the group");
}

/// The four profiles of a new instance carry their default permissions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_profiles_carry_their_permissions() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let instance = fx.instance.as_str();
    let of = |name: &'static str| async move {
        let id = security_profile_id(c, instance, name).await;
        let p = describe(c, instance, &id).await;
        assert_eq!(p.security_profile_name(), Some(name));
        assert_eq!(p.r#type(), Some(&SecurityProfileType::CustomerManaged));
        permissions(c, instance, &id, 100).await
    };
    assert_eq!(
        of("Agent").await,
        strings(&["BasicAgentAccess", "OutboundCallAccess"])
    );
    let admin = of("Admin").await;
    assert!(admin.len() > 250, "{}", admin.len());
    for p in [
        "SecurityProfiles.Edit",
        "Users.Create",
        "BasicAgentAccess",
        "RoutingPolicies.Edit",
        "AccessMetrics",
        "QConnectAIAgents.View",
    ] {
        assert!(admin.contains(&p.to_string()), "Admin lacks {p}");
    }
    assert!(!admin.contains(&"RestrictTaskCreation.Access".to_string()));
    let manager = of("CallCenterManager").await;
    for p in [
        "Users.Edit",
        "AccessMetrics",
        "RoutingPolicies.Edit",
        "Queues.View",
        "ContactSearch.View",
        "ManagerListenIn",
    ] {
        assert!(
            manager.contains(&p.to_string()),
            "CallCenterManager lacks {p}"
        );
    }
    assert!(!manager.contains(&"SecurityProfiles.Edit".to_string()));
    let analyst = of("QualityAnalyst").await;
    assert!(analyst.contains(&"AccessMetrics".to_string()));
    assert!(!analyst.contains(&"Users.View".to_string()));
    // The defaults are as editable as any profile.
    let agent = security_profile_id(c, &fx.instance, "Agent").await;
    c.update_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&agent)
        .permissions("BasicAgentAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        permissions(c, &fx.instance, &agent, 10).await,
        strings(&["BasicAgentAccess"])
    );
}

/// Model-invalid and rule-breaking input is a 4xx naming the member and the rule, and
/// changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_changes_nothing() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let create = || {
        c.create_security_profile()
            .instance_id(&fx.instance)
            .security_profile_name("Bad")
    };
    let before = profile_ids(c, &fx.instance).await;
    let cases: Vec<(_, &str, &[&str])> = vec![
        (
            create().permissions("Users.View").permissions("Users.Fly"),
            "InvalidParameterException",
            &["Permissions[1]", "Users.Fly"],
        ),
        (
            create().permissions("users.view"),
            "InvalidParameterException",
            &["Permissions[0]", "users.view"],
        ),
        (
            create().permissions("Users.View").permissions("Users.View"),
            "InvalidParameterException",
            &["Permissions[1]", "more than once"],
        ),
        (
            create().security_profile_name("Night/shift"),
            "InvalidParameterException",
            &["SecurityProfileName"],
        ),
        (
            create().tag_restricted_resources("Users"),
            "InvalidParameterException",
            &["TagRestrictedResources[0]", "Users"],
        ),
        (
            create().hierarchy_restricted_resources("Queue"),
            "InvalidParameterException",
            &["HierarchyRestrictedResources[0]", "Queue"],
        ),
        (
            create()
                .allowed_access_control_tags("a", "1")
                .allowed_access_control_tags("b", "2")
                .allowed_access_control_tags("c", "3")
                .allowed_access_control_tags("d", "4")
                .allowed_access_control_tags("e", "5"),
            "InvalidParameterException",
            &["AllowedAccessControlTags"],
        ),
        (
            create().allowed_access_control_hierarchy_group_id("no-such-group"),
            "InvalidParameterException",
            &["AllowedAccessControlHierarchyGroupId", "no-such-group"],
        ),
        (
            create().applications(Application::builder().application_permissions("x").build()),
            "InvalidRequestException",
            &["Applications[0].Namespace", "required"],
        ),
        (
            create()
                .applications(
                    Application::builder()
                        .namespace("a")
                        .application_permissions("x")
                        .build(),
                )
                .applications(
                    Application::builder()
                        .namespace("a")
                        .application_permissions("y")
                        .build(),
                ),
            "InvalidParameterException",
            &["Applications[1].Namespace"],
        ),
        (
            create()
                .allowed_flow_modules(FlowModule::builder().r#type(FlowModuleType::Mcp).build()),
            "InvalidRequestException",
            &["AllowedFlowModules[0].FlowModuleId"],
        ),
        (
            create().allowed_ai_agents(AiAgent::builder().r#type(AiAgentType::ThirdParty).build()),
            "InvalidRequestException",
            &["AllowedAIAgents[0].Arn"],
        ),
        (
            create().granular_access_control_configuration(
                GranularAccessControlConfiguration::builder()
                    .data_table_access_control_configuration(
                        DataTableAccessControlConfiguration::builder()
                            .primary_attribute_access_control_configuration(
                                PrimaryAttributeAccessControlConfigurationItem::builder()
                                    .primary_attribute_values(
                                        PrimaryAttributeValue::builder()
                                            .attribute_name("aws:region")
                                            .values("EU")
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            ),
            "InvalidParameterException",
            &["PrimaryAttributeValues[0].AttributeName"],
        ),
        (
            create().tags("aws:reserved", "x"),
            "InvalidParameterException",
            &["Tags"],
        ),
    ];
    for (req, code, parts) in cases {
        let msg = rejected(req.send().await, code, 400);
        for part in parts {
            assert!(msg.contains(part), "{msg:?} does not name {part:?}");
        }
        assert_eq!(profile_ids(c, &fx.instance).await, before);
    }
    // A duplicate name is a conflict.
    rejected(
        create().security_profile_name("Agent").send().await,
        "DuplicateResourceException",
        409,
    );

    // A refused update changes nothing.
    let id = security_profile_id(c, &fx.instance, "Agent").await;
    let was = read(c, &fx.instance, &id).await;
    let updates = vec![
        c.update_security_profile()
            .permissions("BasicAgentAccess")
            .permissions("NotAPermission"),
        c.update_security_profile()
            .description("changed")
            .allowed_access_control_hierarchy_group_id("missing"),
        c.update_security_profile()
            .description("changed")
            .tag_restricted_resources("Instance"),
    ];
    for u in updates {
        rejected(
            u.instance_id(&fx.instance)
                .security_profile_id(&id)
                .send()
                .await,
            "InvalidParameterException",
            400,
        );
        assert_eq!(read(c, &fx.instance, &id).await, was);
    }
    rejected(
        c.update_security_profile()
            .instance_id(&fx.instance)
            .security_profile_id("no-such-profile")
            .description("x")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );

    // The list's page sizes and tokens are the model's.
    for size in [0, 1001] {
        let msg = rejected(
            c.list_security_profile_permissions()
                .instance_id(&fx.instance)
                .security_profile_id(&id)
                .max_results(size)
                .send()
                .await,
            "InvalidParameterException",
            400,
        );
        assert!(msg.contains("MaxResults"), "{msg}");
    }
    assert_eq!(
        permissions(c, &fx.instance, &id, 1000).await,
        was.permissions
    );
    rejected(
        c.list_security_profile_permissions()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .next_token("garbage")
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
    // A token of another profile's list is refused too.
    let admin = security_profile_id(c, &fx.instance, "Admin").await;
    let token = c
        .list_security_profile_permissions()
        .instance_id(&fx.instance)
        .security_profile_id(&admin)
        .max_results(1)
        .send()
        .await
        .unwrap()
        .next_token
        .expect("more than one page");
    rejected(
        c.list_security_profile_permissions()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .next_token(token)
            .send()
            .await,
        "InvalidRequestException",
        400,
    );
}

/// A hierarchy group a profile restricts access to cannot be deleted (contract §11).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restricting_group_cannot_be_deleted() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let c = &fx.client;
    let group = hierarchy_group(&fx, "Restricting").await;
    let id = c
        .create_security_profile()
        .instance_id(&fx.instance)
        .security_profile_name("Hierarchy restricted")
        .allowed_access_control_hierarchy_group_id(&group)
        .hierarchy_restricted_resources("User")
        .send()
        .await
        .unwrap()
        .security_profile_id
        .unwrap();
    let msg = rejected(
        c.delete_user_hierarchy_group()
            .instance_id(&fx.instance)
            .hierarchy_group_id(&group)
            .send()
            .await,
        "ResourceInUseException",
        409,
    );
    assert!(msg.contains("security profile"), "{msg}");
    c.describe_user_hierarchy_group()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&group)
        .send()
        .await
        .expect("the group is still there");
    c.delete_security_profile()
        .instance_id(&fx.instance)
        .security_profile_id(&id)
        .send()
        .await
        .unwrap();
    c.delete_user_hierarchy_group()
        .instance_id(&fx.instance)
        .hierarchy_group_id(&group)
        .send()
        .await
        .expect("deleted once no profile names it");
}

/// Another account sees none of an instance's profiles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_of_another_account_are_not_found() {
    let fx = Fx::new("CONNECT_MANAGED").await;
    let id = security_profile_id(&fx.client, &fx.instance, "Admin").await;
    let other = fx.server.client_as("111122223333", "secret", "us-east-1");
    rejected(
        other
            .describe_security_profile()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        other
            .update_security_profile()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .description("mine now")
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        other
            .list_security_profile_permissions()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    rejected(
        other
            .list_security_profile_applications()
            .instance_id(&fx.instance)
            .security_profile_id(&id)
            .send()
            .await,
        "ResourceNotFoundException",
        404,
    );
    // The profile is as it was.
    let p = describe(&fx.client, &fx.instance, &id).await;
    assert_eq!(p.description(), None);
}
