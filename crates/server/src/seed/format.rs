//! The seed file: a declarative description of instances and what they hold. Member
//! names are the API's (PascalCase); references to other entities of the same instance
//! are by id or by name; timestamps are RFC 3339. `docs/seed.md` documents every field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SeedFile {
    #[serde(default)]
    pub instances: Vec<InstanceEntry>,
}

pub type TagMap = BTreeMap<String, String>;

fn is_empty_map(m: &TagMap) -> bool {
    m.is_empty()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InstanceEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_alias: Option<String>,
    pub identity_management_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_id: Option<String>,
    #[serde(default = "yes")]
    pub inbound_calls_enabled: bool,
    #[serde(default = "yes")]
    pub outbound_calls_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// Whether a new instance also gets the resources a new real instance has (the
    /// security profiles Admin, Agent, CallCenterManager and QualityAnalyst, Basic
    /// Hours, BasicQueue, Basic Routing Profile), each unless the file lists one of that
    /// name. An export lists everything and says `false`.
    #[serde(default = "yes")]
    pub default_resources: bool,
    /// Instance attributes by type (`CONTACT_LENS: true`); those not named keep the
    /// defaults of a new instance.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, bool>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    /// Level names from the top (at most five).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hierarchy_structure: Vec<LevelEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hierarchy_groups: Vec<GroupEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_profiles: Vec<SecurityProfileEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hours_of_operations: Vec<HoursEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<QueueEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routing_profiles: Vec<RoutingProfileEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predefined_attributes: Vec<PredefinedAttributeEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_connects: Vec<QuickConnectEntry>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LevelEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GroupEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    /// The parent group, by id or name; none for a group at the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_group: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ApplicationEntry {
    pub namespace: String,
    #[serde(default)]
    pub application_permissions: Vec<String>,
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub application_type: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct FlowModuleEntry {
    pub flow_module_id: String,
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub module_type: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AiAgentEntry {
    pub arn: String,
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
}

/// `GranularAccessControlConfiguration`, as deep as it is given (each level may be `{}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GranularEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_table_access_control_configuration: Option<DataTableEntry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DataTableEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_attribute_access_control_configuration: Option<PrimaryAttributesEntry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PrimaryAttributesEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_attribute_values: Option<Vec<PrimaryValueEntry>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PrimaryValueEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_type: Option<String>,
    pub attribute_name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SecurityProfileEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub allowed_access_control_tags: TagMap,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_restricted_resources: Vec<String>,
    /// By id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_access_control_hierarchy_group: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hierarchy_restricted_resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<ApplicationEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_flow_modules: Vec<FlowModuleEntry>,
    #[serde(
        default,
        rename = "AllowedAIAgents",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_ai_agents: Vec<AiAgentEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granular_access_control_configuration: Option<GranularEntry>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TimeEntry {
    pub hours: i64,
    pub minutes: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OpeningEntry {
    pub day: String,
    pub start_time: TimeEntry,
    pub end_time: TimeEntry,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct HoursEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub time_zone: String,
    #[serde(default)]
    pub config: Vec<OpeningEntry>,
    /// Parent hours of operation, by id or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent_hours_of_operations: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OutboundCallerEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_caller_id_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_caller_id_number_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_flow_id: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QueueEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// By id or name.
    pub hours_of_operation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_contacts: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_caller_config: Option<OutboundCallerEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_email_address_id: Option<String>,
    /// Quick connects the queue offers, by id or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_connects: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MediaEntry {
    pub channel: String,
    pub concurrency: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_channel_behavior: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RoutedQueueEntry {
    /// By id or name.
    pub queue: String,
    pub channel: String,
    pub priority: i32,
    #[serde(default)]
    pub delay: i32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ManualQueueEntry {
    /// By id or name.
    pub queue: String,
    pub channel: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RoutingProfileEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub description: String,
    /// By id or name.
    pub default_outbound_queue: String,
    pub media_concurrencies: Vec<MediaEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queue_configs: Vec<RoutedQueueEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manual_assignment_queue_configs: Vec<ManualQueueEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_availability_timer: Option<String>,
    /// The instance's default profile (a new instance's Basic Routing Profile).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_default: bool,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PredefinedAttributeEntry {
    pub name: String,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_value_validation_on_association: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct IdentityEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhoneConfigEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_accept: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_contact_work_time_limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk_phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_connection: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AutoAcceptEntry {
    pub channel: String,
    pub auto_accept: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_first_callback_auto_accept: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AfterContactWorkEntry {
    pub channel: String,
    /// Seconds; 0 is indefinite.
    #[serde(default)]
    pub after_contact_work_time_limit: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_first_callback_after_contact_work_time_limit: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhoneNumberEntry {
    pub channel: String,
    pub phone_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PersistentConnectionEntry {
    pub channel: String,
    pub persistent_connection: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct VoiceEnhancementEntry {
    pub channel: String,
    pub voice_enhancement_mode: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProficiencyEntry {
    pub attribute_name: String,
    pub attribute_value: String,
    pub level: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub username: String,
    /// A plain password, hashed with argon2id when the seed is loaded. Never exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// An argon2id hash in PHC form (`$argon2id$v=19$...`), kept as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_info: Option<IdentityEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_user_id: Option<String>,
    /// By id or name, one to ten.
    pub security_profiles: Vec<String>,
    /// By id or name.
    pub routing_profile: String,
    /// By id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hierarchy_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_config: Option<PhoneConfigEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_accept_configs: Option<Vec<AutoAcceptEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_contact_work_configs: Option<Vec<AfterContactWorkEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_configs: Option<Vec<PhoneNumberEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_connection_configs: Option<Vec<PersistentConnectionEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_enhancement_configs: Option<Vec<VoiceEnhancementEntry>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proficiencies: Vec<ProficiencyEntry>,
    /// When the proficiencies last changed (ListUserProficiencies' LastModifiedTime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proficiencies_last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proficiencies_last_modified_region: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectUserEntry {
    /// By id or username.
    pub user: String,
    pub contact_flow_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectQueueEntry {
    /// By id or name.
    pub queue: String,
    pub contact_flow_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectPhoneEntry {
    pub phone_number: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectFlowEntry {
    pub contact_flow_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectConfigEntry {
    pub quick_connect_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_config: Option<QuickConnectUserEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_config: Option<QuickConnectQueueEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_config: Option<QuickConnectPhoneEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_config: Option<QuickConnectFlowEntry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub quick_connect_config: QuickConnectConfigEntry,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_region: Option<String>,
}
