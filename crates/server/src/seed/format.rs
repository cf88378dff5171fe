//! The seed file: a declarative description of instances and what they hold. Member
//! names are the API's (PascalCase); references to other entities of the same instance
//! are by id or by name; timestamps are RFC 3339. `docs/seed.md` documents every field.
//! An optional member may be left out, and an export leaves out the ones not set
//! (`skip_serializing_none` on every entry with optional members).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InstanceEntry {
    pub id: Option<String>,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub instance_alias: Option<String>,
    pub identity_management_type: String,
    pub directory_id: Option<String>,
    #[serde(default = "yes")]
    pub inbound_calls_enabled: bool,
    #[serde(default = "yes")]
    pub outbound_calls_enabled: bool,
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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LevelEntry {
    pub name: String,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GroupEntry {
    pub id: Option<String>,
    pub name: String,
    /// The parent group, by id or name; none for a group at the top level.
    pub parent_group: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ApplicationEntry {
    pub namespace: String,
    #[serde(default)]
    pub application_permissions: Vec<String>,
    #[serde(rename = "Type")]
    pub application_type: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct FlowModuleEntry {
    pub flow_module_id: String,
    #[serde(rename = "Type")]
    pub module_type: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AiAgentEntry {
    pub arn: String,
    #[serde(rename = "Type")]
    pub agent_type: Option<String>,
}

/// `GranularAccessControlConfiguration`, as deep as it is given (each level may be `{}`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GranularEntry {
    pub data_table_access_control_configuration: Option<DataTableEntry>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DataTableEntry {
    pub primary_attribute_access_control_configuration: Option<PrimaryAttributesEntry>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PrimaryAttributesEntry {
    pub primary_attribute_values: Option<Vec<PrimaryValueEntry>>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PrimaryValueEntry {
    pub access_type: Option<String>,
    pub attribute_name: String,
    pub values: Vec<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SecurityProfileEntry {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub allowed_access_control_tags: TagMap,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_restricted_resources: Vec<String>,
    /// By id or name.
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
    pub granular_access_control_configuration: Option<GranularEntry>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct HoursEntry {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub time_zone: String,
    #[serde(default)]
    pub config: Vec<OpeningEntry>,
    /// Parent hours of operation, by id or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent_hours_of_operations: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OutboundCallerEntry {
    pub outbound_caller_id_name: Option<String>,
    pub outbound_caller_id_number_id: Option<String>,
    pub outbound_flow_id: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QueueEntry {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    /// By id or name.
    pub hours_of_operation: String,
    pub max_contacts: Option<i32>,
    pub status: Option<String>,
    pub outbound_caller_config: Option<OutboundCallerEntry>,
    pub outbound_email_address_id: Option<String>,
    /// Quick connects the queue offers, by id or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_connects: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MediaEntry {
    pub channel: String,
    pub concurrency: i32,
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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RoutingProfileEntry {
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
    pub agent_availability_timer: Option<String>,
    /// The instance's default profile (a new instance's Basic Routing Profile).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_default: bool,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PredefinedAttributeEntry {
    pub name: String,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    pub enable_value_validation_on_association: Option<bool>,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct IdentityEntry {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub secondary_email: Option<String>,
    pub mobile: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhoneConfigEntry {
    pub phone_type: Option<String>,
    pub auto_accept: Option<bool>,
    pub after_contact_work_time_limit: Option<i64>,
    pub desk_phone_number: Option<String>,
    pub persistent_connection: Option<bool>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AutoAcceptEntry {
    pub channel: String,
    pub auto_accept: bool,
    pub agent_first_callback_auto_accept: Option<bool>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AfterContactWorkEntry {
    pub channel: String,
    /// Seconds; 0 is indefinite.
    #[serde(default)]
    pub after_contact_work_time_limit: i64,
    pub agent_first_callback_after_contact_work_time_limit: Option<i64>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhoneNumberEntry {
    pub channel: String,
    pub phone_type: String,
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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserEntry {
    pub id: Option<String>,
    pub username: String,
    /// A plain password, hashed with argon2id when the seed is loaded. Never exported.
    pub password: Option<String>,
    /// An argon2id hash in PHC form (`$argon2id$v=19$...`), kept as it is.
    pub password_hash: Option<String>,
    pub identity_info: Option<IdentityEntry>,
    pub directory_user_id: Option<String>,
    /// By id or name, one to ten.
    pub security_profiles: Vec<String>,
    /// By id or name.
    pub routing_profile: String,
    /// By id or name.
    pub hierarchy_group: Option<String>,
    pub phone_config: Option<PhoneConfigEntry>,
    pub auto_accept_configs: Option<Vec<AutoAcceptEntry>>,
    pub after_contact_work_configs: Option<Vec<AfterContactWorkEntry>>,
    pub phone_number_configs: Option<Vec<PhoneNumberEntry>>,
    pub persistent_connection_configs: Option<Vec<PersistentConnectionEntry>>,
    pub voice_enhancement_configs: Option<Vec<VoiceEnhancementEntry>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proficiencies: Vec<ProficiencyEntry>,
    /// When the proficiencies last changed (ListUserProficiencies' LastModifiedTime).
    pub proficiencies_last_modified_time: Option<String>,
    pub proficiencies_last_modified_region: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectConfigEntry {
    pub quick_connect_type: String,
    pub user_config: Option<QuickConnectUserEntry>,
    pub queue_config: Option<QuickConnectQueueEntry>,
    pub phone_config: Option<QuickConnectPhoneEntry>,
    pub flow_config: Option<QuickConnectFlowEntry>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct QuickConnectEntry {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub quick_connect_config: QuickConnectConfigEntry,
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub tags: TagMap,
    pub last_modified_time: Option<String>,
    pub last_modified_region: Option<String>,
}
