//! Security profiles: the permissions they grant, the access they restrict (by tags
//! and by hierarchy group), the applications, flow modules and AI agents they allow,
//! their granular data-table access, and the four profiles every new instance has.

use crate::new_id;
use crate::tags::Tags;
use crate::time::Modified;
use crate::DomainError;

// ---- the permissions ----------------------------------------------------------------

/// The parts of the admin guide's list a permission is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    AmazonQ,
    Routing,
    ChannelsAndFlows,
    UsersAndPermissions,
    ContactControlPanel,
    AnalyticsAndOptimization,
    RecordingsAndTranscripts,
    /// Still accepted by CreateSecurityProfile and UpdateSecurityProfile, no longer
    /// offered by the admin website.
    Legacy,
    ContactActions,
    HistoricalChanges,
    CustomerProfiles,
    Scheduling,
    AgentApplications,
    ContentManagement,
    Cases,
    OutboundCampaigns,
    /// Names an earlier revision of the guide listed and the current one renamed;
    /// profiles written with them keep working.
    Renamed,
}

/// Every security-profile permission name roster accepts, by section.
///
/// Source: the Amazon Connect Administrator Guide, "List of security profile
/// permissions" (<https://docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html>),
/// its "API name" column, section by section, including its "Legacy permissions";
/// and, under [`Section::Renamed`], the three analytics names of its 2023 revision
/// that the current one spells with an `AccessMetrics.` prefix. Two rows of the
/// guide repeat another row's name ("Contact transcripts (redacted) - Access" shows
/// `ContactTranscripts.Unredacted.Access`, "Campaigns - Manage" shows
/// `Campaigns.Delete`); they are listed here under the name their UI name gives, as
/// every other row's is. Rows the guide lists without an API name (email addresses,
/// message templates, "Campaigns - View") and the per-application
/// `<application>.Access` template have no name to check, and are not here.
pub const PERMISSIONS: &[(Section, &[&str])] = &[
    (
        Section::AmazonQ,
        &[
            "QConnectAIAgents.View",
            "QConnectAIAgents.Edit",
            "QConnectAIAgents.Create",
            "QConnectAIAgents.Delete",
            "QConnectAIPrompts.View",
            "QConnectAIPrompts.Edit",
            "QConnectAIPrompts.Create",
            "QConnectAIPrompts.Delete",
            "QConnectGuardrails.View",
            "QConnectGuardrails.Edit",
            "QConnectGuardrails.Create",
            "QConnectGuardrails.Delete",
        ],
    ),
    (
        Section::Routing,
        &[
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
            "DataTables.Create",
            "DataTables.Delete",
            "DataTables.Edit",
            "DataTables.View",
            "DataTables.ManageValues",
            "DataTables.EditExpressionValues",
        ],
    ),
    (
        Section::ChannelsAndFlows,
        &[
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
            "Bots.Create",
            "Bots.View",
            "Bots.Edit",
            "Bots.Delete",
            "PhoneNumbers.Claim",
            "PhoneNumbers.Edit",
            "PhoneNumbers.Release",
            "PhoneNumbers.View",
            "ChatTestMode",
            "Views.View",
            "Views.Edit",
            "Views.Create",
            "Views.Remove",
            "AnalyticsConnectors.Edit",
            "AnalyticsConnectors.View",
        ],
    ),
    (
        Section::UsersAndPermissions,
        &[
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
            "Workspaces.Create",
            "Workspaces.Delete",
            "Workspaces.Edit",
            "Workspaces.View",
            "Workspaces.Assign",
            "Workspaces.EditVisibility",
        ],
    ),
    (
        Section::ContactControlPanel,
        &[
            "BasicAgentAccess",
            "RealtimeContactLens.View",
            "OutboundCallAccess",
            "VoiceId.Access",
            "RestrictTaskCreation.Access",
            "RestrictPhoneTypeSettings.Access",
            "AudioDeviceSettings.Access",
            "VideoContact.Access",
            "OutboundEmail.Create",
            "SelfAssignContacts.Access",
            "RequireEndContactConfirmation.Enabled",
        ],
    ),
    (
        Section::AnalyticsAndOptimization,
        &[
            "AccessMetrics",
            "AccessMetrics.RealTimeMetrics.Access",
            "AccessMetrics.HistoricalMetrics.Access",
            "AccessMetrics.AgentActivityAudit.Access",
            "AccessMetrics.Dashboards.Access",
            "AccessMetrics.DashboardsWithMyData.View",
            "CustomMetrics.Create",
            "CustomMetrics.View",
            "CustomMetrics.Edit",
            "CustomMetrics.Delete",
            "CustomMetrics.Publish",
            "ContactSearch.View",
            "MyContacts.View",
            "ContactSearchSampleContacts.View",
            "ContactSearchWithCharacteristics.Access",
            "ContactSearchWithCharacteristics.View",
            "ContactSearchWithKeywords.Access",
            "ContactSearchWithKeywords.View",
            "ConfigureContactAttributes.View",
            "RestrictContactAccessByHierarchy.View",
            "ContactAttributes.View",
            "GraphTrends.View",
            "InformationExtraction.Definitions.Create",
            "InformationExtraction.Definitions.View",
            "InformationExtraction.Definitions.Edit",
            "InformationExtraction.Definitions.Delete",
            "InformationExtraction.Results.View",
            "ContactLensPostContactSummary.View",
            "ContactLensCustomVocabulary.Edit",
            "ContactLensCustomVocabulary.View",
            "ThemeDetection.Create",
            "ThemeDetection.View",
            "ThemeDetection.Delete",
            "Rules.Create",
            "Rules.Delete",
            "Rules.Edit",
            "Rules.View",
            "RulesGenerativeAI.Create",
            "RulesGenerativeAI.View",
            "RulesGenerativeAI.Edit",
            "RulesGenerativeAI.Delete",
            "AgentTimeCard.View",
            "ManagerListenIn",
            "ManagerBargeIn",
            "MetricsReports.View",
            "MetricsReports.Create",
            "MetricsReports.Share",
            "MetricsReports.Edit",
            "MetricsReports.Delete",
            "MetricsReports.Publish",
            "MetricsReports.Schedule",
            "ReportSchedules.Create",
            "ReportSchedules.Delete",
            "ReportSchedules.Edit",
            "ReportSchedules.View",
            "ReportsAdmin.View",
            "ReportsAdmin.Delete",
            "Evaluation.Create",
            "Evaluation.View",
            "Evaluation.Edit",
            "Evaluation.Delete",
            "MyReceivedEvaluations.View",
            "EvaluationForms.Create",
            "EvaluationForms.View",
            "EvaluationForms.Edit",
            "EvaluationForms.Delete",
            "EvaluationAssistant.Access",
            "EvaluationCalibrationSessions.Create",
            "EvaluationCalibrationSessions.Delete",
            "EvaluationCalibrationSessions.Edit",
            "EvaluationCalibrationSessions.View",
            "MyCoachingSessions.View",
            "MyCoachingSessions.Create",
            "MyCoachingSessions.Delete",
            "MyCoachingSessions.Edit",
            "CoachingSessions.Create",
            "CoachingSessions.Delete",
            "CoachingSessions.Edit",
            "CoachingSessions.View",
            "EvaluationReviews.Create",
            "EvaluationReviews.View",
            "EvaluationReviewRequest.View",
            "EvaluationReviewRequest.Create",
            "EvaluationReviewRequest.Delete",
            "VoiceIdAttributesAndSearch.View",
            "Forecasting.View",
            "Forecasting.Edit",
            "Forecasting.Publish",
            "Capacity.View",
            "Capacity.Edit",
            "Capacity.Publish",
            "ForecastScheduleInterval.Edit",
            "ForecastScheduleInterval.View",
        ],
    ),
    (
        Section::RecordingsAndTranscripts,
        &[
            "CallRecordings.Unredacted.Access",
            "CallRecordings.Redacted.Access",
            "ContactTranscripts.Unredacted.Access",
            "ContactTranscripts.Redacted.Access",
            "CallRecordings.Unredacted.DownloadButton",
            "CallRecordings.Redacted.DownloadButton",
            "ContactTranscripts.Unredacted.DownloadButton",
            "DeleteCallRecordings",
            "ScreenRecording.Access",
            "ScreenRecording.Redacted.Access",
            "ScreenRecording.Redacted.Download",
            "AutomatedVoiceInteraction.Recordings.Unredacted.Access",
            "AutomatedVoiceInteraction.Recordings.Unredacted.DownloadButton",
            "AutomatedVoiceInteraction.Transcripts.Unredacted.Access",
        ],
    ),
    (
        Section::Legacy,
        &[
            "RedactedData.View",
            "ListenCallRecordings",
            "DownloadCallRecordings",
        ],
    ),
    (
        Section::ContactActions,
        &[
            "ManualAssignAnyContact.Enable",
            "ManualAssignMyContacts.Enable",
            "TransferContact.Enabled",
            "StopContact.Enabled",
            "UpdateContactSchedule.Enabled",
            "Contacts.Tag.Edit",
        ],
    ),
    (Section::HistoricalChanges, &["HistoricalChanges.View"]),
    (
        Section::CustomerProfiles,
        &[
            "CustomerProfiles.Create",
            "CustomerProfiles.Edit",
            "CustomerProfiles.View",
            "CustomerProfiles.CalculatedAttributes.Create",
            "CustomerProfiles.CalculatedAttributes.Edit",
            "CustomerProfiles.CalculatedAttributes.Delete",
            "CustomerProfiles.CalculatedAttributes.View",
            "CustomerProfiles.Segments.View",
            "CustomerProfiles.Segments.Create",
            "CustomerProfiles.Segments.Delete",
            "CustomerProfiles.Segments.Export",
            "CustomerProfiles.ProfileExplorer.View",
            "CustomerProfiles.ProfileExplorer.Create",
            "CustomerProfiles.ProfileExplorer.Edit",
            "CustomerProfiles.ProfileExplorer.Delete",
        ],
    ),
    (
        Section::Scheduling,
        &[
            "Scheduling.View",
            "Scheduling.Edit",
            "Scheduling.Publish",
            "TimeOff.Approve",
            "TimeOff.Edit",
            "TimeOff.View",
            "TimeOffBalance.Edit",
            "TimeOffBalance.View",
            "TeamCalendar.View",
            "TeamCalendar.Edit",
        ],
    ),
    (
        Section::AgentApplications,
        &[
            "StaffCalendar.View",
            "StaffCalendar.Edit",
            "CustomViews.Access",
            "Wisdom.View",
            "Analytics.PerformanceMetrics.Access",
        ],
    ),
    (
        Section::ContentManagement,
        &[
            "ContentManagement.Create",
            "ContentManagement.Edit",
            "ContentManagement.View",
            "ContentManagement.Delete",
        ],
    ),
    (
        Section::Cases,
        &[
            "CaseHistory.View",
            "Cases.Create",
            "Cases.View",
            "Cases.Edit",
            "CaseFields.Create",
            "CaseFields.View",
            "CaseFields.Edit",
            "CaseTemplates.Create",
            "CaseTemplates.View",
            "CaseTemplates.Edit",
            "Cases.Delete",
            "MyCases.Delete",
            "CaseComments.Edit",
            "CaseComments.Delete",
            "MyCaseComments.Edit",
            "MyCaseComments.Delete",
            "CaseCustomRelatedItems.Edit",
            "CaseCustomRelatedItems.Delete",
            "MyCaseCustomRelatedItems.Edit",
            "MyCaseCustomRelatedItems.Delete",
            "CaseContacts.Delete",
            "MyCaseContacts.Delete",
            "CaseFiles.Delete",
        ],
    ),
    (
        Section::OutboundCampaigns,
        &[
            "Campaigns.Create",
            "Campaigns.Delete",
            "Campaigns.Edit",
            "Campaigns.Manage",
        ],
    ),
    (
        Section::Renamed,
        &[
            "RealTimeMetrics.Access",
            "HistoricalMetrics.Access",
            "AgentActivityAudit.Access",
        ],
    ),
];

/// Every permission of [`PERMISSIONS`], in its order.
pub fn all_permissions() -> impl Iterator<Item = &'static str> {
    PERMISSIONS
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
}

/// Whether `name` is a permission of [`PERMISSIONS`] (names are case-sensitive).
pub fn is_permission(name: &str) -> bool {
    all_permissions().any(|p| p == name)
}

/// The most permissions a profile has (`PermissionsList`).
pub const MAX_PERMISSIONS: usize = 500;

/// A profile's permissions: names of [`PERMISSIONS`], none twice, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permissions(Vec<String>);

impl Permissions {
    /// The permissions sent in the request member `field`.
    pub fn parse(field: &str, names: Vec<String>) -> Result<Self, DomainError> {
        if names.len() > MAX_PERMISSIONS {
            return Err(DomainError::param(
                field,
                format!("must list at most {MAX_PERMISSIONS} permissions"),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if !is_permission(name) {
                return Err(DomainError::param(
                    format!("{field}[{i}]"),
                    format!(
                        "{name:?} is not a security profile permission (see \"List of security \
                         profile permissions\" in the Amazon Connect Administrator Guide)"
                    ),
                ));
            }
            if names[..i].contains(name) {
                return Err(DomainError::param(
                    format!("{field}[{i}]"),
                    format!("permission {name} is listed more than once"),
                ));
            }
        }
        Ok(Permissions(names))
    }

    /// Permissions a store kept, read back in its order.
    pub fn from_stored(names: Vec<String>) -> Self {
        Permissions(names)
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

// ---- access restrictions ------------------------------------------------------------

/// The resources a profile may restrict by tags (`TagRestrictedResources`): the names
/// the model's documentation gave (`User | SecurityProfile | Queue | RoutingProfile`),
/// and the other resources the admin guide ("Add tags to resources in Amazon
/// Connect") says the admin website can tag, by the names the API gives them.
pub const TAG_RESTRICTABLE: &[&str] = &[
    "User",
    "SecurityProfile",
    "Queue",
    "RoutingProfile",
    "HoursOfOperation",
    "ContactFlow",
    "ContactFlowModule",
    "Prompt",
    "EmailAddress",
];

/// The resources a profile may restrict by hierarchy group
/// (`HierarchyRestrictedResources`): the model's documentation names `User` only.
pub const HIERARCHY_RESTRICTABLE: &[&str] = &["User"];

/// Resource names a profile restricts, each of its list of names, none twice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestrictedResources(Vec<String>);

impl RestrictedResources {
    /// `TagRestrictedResources`: names of [`TAG_RESTRICTABLE`].
    pub fn tag(field: &str, names: Vec<String>) -> Result<Self, DomainError> {
        Self::parse(field, names, TAG_RESTRICTABLE, "tags")
    }

    /// `HierarchyRestrictedResources`: names of [`HIERARCHY_RESTRICTABLE`].
    pub fn hierarchy(field: &str, names: Vec<String>) -> Result<Self, DomainError> {
        Self::parse(field, names, HIERARCHY_RESTRICTABLE, "hierarchy group")
    }

    fn parse(
        field: &str,
        names: Vec<String>,
        allowed: &[&str],
        by: &str,
    ) -> Result<Self, DomainError> {
        for (i, name) in names.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(DomainError::param(
                    format!("{field}[{i}]"),
                    format!(
                        "{name:?} cannot be restricted by {by}; the resources that can are {}",
                        allowed.join(", ")
                    ),
                ));
            }
            if names[..i].contains(name) {
                return Err(DomainError::param(
                    format!("{field}[{i}]"),
                    format!("{name} is listed more than once"),
                ));
            }
        }
        Ok(RestrictedResources(names))
    }

    /// Names a store kept, read back in its order.
    pub fn from_stored(names: Vec<String>) -> Self {
        RestrictedResources(names)
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `AllowedAccessControlHierarchyGroupId` as sent: an empty id means no group.
pub fn hierarchy_group(id: String) -> Option<String> {
    if id.is_empty() {
        None
    } else {
        Some(id)
    }
}

// ---- what a profile allows ----------------------------------------------------------

/// A third-party application or MCP server the profile gives access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub namespace: String,
    /// One or more, none twice.
    pub permissions: Vec<String>,
    /// `MCP` or `THIRD_PARTY_APPLICATION`, when given.
    pub application_type: Option<String>,
}

/// A flow module an AI agent may invoke as a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowModule {
    pub flow_module_id: String,
    /// `MCP`, when given.
    pub module_type: Option<String>,
}

/// An AI agent the profile gives access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiAgent {
    pub arn: String,
    /// `THIRD_PARTY`, when given.
    pub agent_type: Option<String>,
}

/// Applications by namespace: no namespace twice, no permission twice in one.
pub fn check_applications(field: &str, apps: &[Application]) -> Result<(), DomainError> {
    for (i, a) in apps.iter().enumerate() {
        if apps[..i].iter().any(|b| b.namespace == a.namespace) {
            return Err(DomainError::param(
                format!("{field}[{i}].Namespace"),
                format!("application {} is listed more than once", a.namespace),
            ));
        }
        for (j, p) in a.permissions.iter().enumerate() {
            if a.permissions[..j].contains(p) {
                return Err(DomainError::param(
                    format!("{field}[{i}].ApplicationPermissions[{j}]"),
                    format!("permission {p} is listed more than once"),
                ));
            }
        }
    }
    Ok(())
}

/// No flow module twice.
pub fn check_flow_modules(field: &str, modules: &[FlowModule]) -> Result<(), DomainError> {
    for (i, m) in modules.iter().enumerate() {
        if modules[..i]
            .iter()
            .any(|n| n.flow_module_id == m.flow_module_id)
        {
            return Err(DomainError::param(
                format!("{field}[{i}].FlowModuleId"),
                format!("flow module {} is listed more than once", m.flow_module_id),
            ));
        }
    }
    Ok(())
}

/// No AI agent twice.
pub fn check_ai_agents(field: &str, agents: &[AiAgent]) -> Result<(), DomainError> {
    for (i, a) in agents.iter().enumerate() {
        if agents[..i].iter().any(|b| b.arn == a.arn) {
            return Err(DomainError::param(
                format!("{field}[{i}].Arn"),
                format!("AI agent {} is listed more than once", a.arn),
            ));
        }
    }
    Ok(())
}

// ---- granular access control ----------------------------------------------------------

/// `GranularAccessControlConfiguration`, kept as deep as it was sent: each level may
/// stop there (`{}`), and read back the same.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GranularAccessControl {
    /// `DataTableAccessControlConfiguration`.
    pub data_table: Option<DataTableAccessControl>,
}

/// `DataTableAccessControlConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataTableAccessControl {
    /// `PrimaryAttributeAccessControlConfiguration`.
    pub primary_attributes: Option<PrimaryAttributeAccessControl>,
}

/// `PrimaryAttributeAccessControlConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrimaryAttributeAccessControl {
    /// `PrimaryAttributeValues`.
    pub values: Option<Vec<PrimaryAttributeValue>>,
}

/// One `PrimaryAttributeValue`: which values of a primary attribute are allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryAttributeValue {
    /// `ALLOW`, when given.
    pub access_type: Option<String>,
    pub attribute_name: String,
    pub values: Vec<String>,
}

/// The characters `PrimaryAttributeContextKeyName` and `IAMRestrictedPrimaryValue`
/// allow: tab, line feed, carriage return, printable ASCII and U+00A1–U+00FF.
fn primary_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a1}'..='\u{ff}')
}

impl PrimaryAttributeValue {
    /// A value whose name and values obey the model's patterns: the name does not
    /// start with `aws:` or `connect:`, and both use only the characters
    /// [`primary_char`] allows.
    pub fn new(
        field: &str,
        access_type: Option<String>,
        attribute_name: String,
        values: Vec<String>,
    ) -> Result<Self, DomainError> {
        let name_field = format!("{field}.AttributeName");
        let lowered = attribute_name.to_ascii_lowercase();
        if lowered.starts_with("aws:") || lowered.starts_with("connect:") {
            return Err(DomainError::param(
                name_field,
                "must not start with \"aws:\" or \"connect:\"",
            ));
        }
        if !attribute_name.chars().all(primary_char) {
            return Err(DomainError::param(
                name_field,
                "may contain only printable ASCII, tab, line feed, carriage return and U+00A1-U+00FF",
            ));
        }
        for (i, v) in values.iter().enumerate() {
            if v.is_empty() || !v.chars().all(primary_char) {
                return Err(DomainError::param(
                    format!("{field}.Values[{i}]"),
                    "must be non-empty printable ASCII, tab, line feed, carriage return or U+00A1-U+00FF",
                ));
            }
        }
        Ok(PrimaryAttributeValue {
            access_type,
            attribute_name,
            values,
        })
    }

    /// A value a store kept.
    pub fn from_stored(
        access_type: Option<String>,
        attribute_name: String,
        values: Vec<String>,
    ) -> Self {
        PrimaryAttributeValue {
            access_type,
            attribute_name,
            values,
        }
    }
}

impl GranularAccessControl {
    /// How deep the configuration goes, as a store keeps it: 0 the empty structure,
    /// 1 with a data-table configuration, 2 with its primary-attribute configuration,
    /// 3 with its list of values.
    pub fn depth(&self) -> u8 {
        match &self.data_table {
            None => 0,
            Some(DataTableAccessControl {
                primary_attributes: None,
            }) => 1,
            Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl { values: None }),
            }) => 2,
            Some(_) => 3,
        }
    }

    /// The values of the primary-attribute list (none above depth 3).
    pub fn values(&self) -> &[PrimaryAttributeValue] {
        self.data_table
            .as_ref()
            .and_then(|d| d.primary_attributes.as_ref())
            .and_then(|p| p.values.as_deref())
            .unwrap_or(&[])
    }

    /// A configuration a store kept as its depth and values; `None` for a depth no
    /// configuration has, or values where the depth has no list.
    pub fn from_stored(depth: i64, values: Vec<PrimaryAttributeValue>) -> Option<Self> {
        let primary = |values| {
            Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl { values }),
            })
        };
        let data_table = match depth {
            0 if values.is_empty() => None,
            1 if values.is_empty() => Some(DataTableAccessControl {
                primary_attributes: None,
            }),
            2 if values.is_empty() => primary(None),
            3 => primary(Some(values)),
            _ => return None,
        };
        Some(GranularAccessControl { data_table })
    }
}

// ---- the profile ----------------------------------------------------------------------

/// `CreateSecurityProfileName`: letters, digits, spaces and `_ @ -` (its length, 1–127,
/// is the model's check).
pub fn validate_name(name: &str) -> Result<(), DomainError> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _@-".contains(c))
    {
        Ok(())
    } else {
        Err(DomainError::param(
            "SecurityProfileName",
            "may contain only letters, digits, spaces and _ @ -",
        ))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityProfile {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Permissions,
    /// `AllowedAccessControlTags`: at most 4, the model's check.
    pub allowed_access_control_tags: Tags,
    pub tag_restricted_resources: RestrictedResources,
    /// A hierarchy group of the instance (the store checks it exists).
    pub allowed_access_control_hierarchy_group_id: Option<String>,
    pub hierarchy_restricted_resources: RestrictedResources,
    pub applications: Vec<Application>,
    pub allowed_flow_modules: Vec<FlowModule>,
    pub allowed_ai_agents: Vec<AiAgent>,
    pub granular_access_control: Option<GranularAccessControl>,
    pub tags: Tags,
    pub modified: Modified,
}

impl SecurityProfile {
    /// A profile with nothing granted, restricted or allowed, no description and no
    /// tags.
    pub fn new(id: String, name: String, modified: Modified) -> Self {
        SecurityProfile {
            id,
            name,
            description: None,
            permissions: Permissions::default(),
            allowed_access_control_tags: Tags::new(),
            tag_restricted_resources: RestrictedResources::default(),
            allowed_access_control_hierarchy_group_id: None,
            hierarchy_restricted_resources: RestrictedResources::default(),
            applications: Vec::new(),
            allowed_flow_modules: Vec::new(),
            allowed_ai_agents: Vec::new(),
            granular_access_control: None,
            tags: Tags::new(),
            modified,
        }
    }
}

/// An UpdateSecurityProfile: each member sent replaces that member of the profile as
/// a whole (an empty list or map empties it, an empty hierarchy group id removes the
/// group); members not sent stay as they are. The name and the tags are not changed
/// here.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityProfileUpdate {
    pub description: Option<String>,
    pub permissions: Option<Permissions>,
    pub allowed_access_control_tags: Option<Tags>,
    pub tag_restricted_resources: Option<RestrictedResources>,
    /// `Some(None)` removes the group.
    pub allowed_access_control_hierarchy_group_id: Option<Option<String>>,
    pub hierarchy_restricted_resources: Option<RestrictedResources>,
    pub applications: Option<Vec<Application>>,
    pub allowed_flow_modules: Option<Vec<FlowModule>>,
    pub allowed_ai_agents: Option<Vec<AiAgent>>,
    pub granular_access_control: Option<GranularAccessControl>,
    /// When and where the update is made; every update stamps the profile.
    pub modified: Modified,
}

impl SecurityProfileUpdate {
    /// An update that changes nothing but the profile's last-modified stamp.
    pub fn stamp(modified: Modified) -> Self {
        SecurityProfileUpdate {
            description: None,
            permissions: None,
            allowed_access_control_tags: None,
            tag_restricted_resources: None,
            allowed_access_control_hierarchy_group_id: None,
            hierarchy_restricted_resources: None,
            applications: None,
            allowed_flow_modules: None,
            allowed_ai_agents: None,
            granular_access_control: None,
            modified,
        }
    }

    /// The profile as the update leaves it.
    pub fn apply(&self, p: &mut SecurityProfile) {
        fn set<T: Clone>(to: &mut T, from: &Option<T>) {
            if let Some(v) = from {
                *to = v.clone();
            }
        }
        if let Some(d) = &self.description {
            p.description = Some(d.clone());
        }
        set(&mut p.permissions, &self.permissions);
        set(
            &mut p.allowed_access_control_tags,
            &self.allowed_access_control_tags,
        );
        set(
            &mut p.tag_restricted_resources,
            &self.tag_restricted_resources,
        );
        set(
            &mut p.allowed_access_control_hierarchy_group_id,
            &self.allowed_access_control_hierarchy_group_id,
        );
        set(
            &mut p.hierarchy_restricted_resources,
            &self.hierarchy_restricted_resources,
        );
        set(&mut p.applications, &self.applications);
        set(&mut p.allowed_flow_modules, &self.allowed_flow_modules);
        set(&mut p.allowed_ai_agents, &self.allowed_ai_agents);
        if let Some(g) = &self.granular_access_control {
            p.granular_access_control = Some(g.clone());
        }
        p.modified = self.modified.clone();
    }
}

// ---- the default profiles -------------------------------------------------------------

/// The security profiles every new instance has, by name.
pub const DEFAULT_PROFILES: [&str; 4] = ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"];

/// Permissions that take abilities away rather than grant them; the Admin profile,
/// which may do everything, has none of them.
const RESTRICTIONS: &[&str] = &[
    "RestrictTaskCreation.Access",
    "RestrictPhoneTypeSettings.Access",
    "RestrictContactAccessByHierarchy.View",
    "RequireEndContactConfirmation.Enabled",
];

/// The metrics permissions: access to metrics and to each of its pages.
const METRICS: &[&str] = &[
    "AccessMetrics",
    "AccessMetrics.RealTimeMetrics.Access",
    "AccessMetrics.HistoricalMetrics.Access",
    "AccessMetrics.AgentActivityAudit.Access",
    "AccessMetrics.Dashboards.Access",
];

/// What CallCenterManager has besides [`METRICS`] and the routing section: the
/// guide's pages name it for user management, saved reports, flows and flow modules,
/// contact search and its Contact Lens filters, recordings (with the download
/// button), custom vocabularies, rules, and monitoring and barging in.
const CALL_CENTER_MANAGER: &[&str] = &[
    "Users.Create",
    "Users.Edit",
    "Users.EditPermission",
    "Users.View",
    "Users.Delete",
    "AgentGrouping.Create",
    "AgentGrouping.Edit",
    "AgentGrouping.EnableAndDisable",
    "AgentGrouping.View",
    "AgentStates.Create",
    "AgentStates.Edit",
    "AgentStates.EnableAndDisable",
    "AgentStates.View",
    "AgentTimeCard.View",
    "MetricsReports.View",
    "MetricsReports.Create",
    "MetricsReports.Share",
    "MetricsReports.Edit",
    "MetricsReports.Delete",
    "MetricsReports.Publish",
    "MetricsReports.Schedule",
    "ReportSchedules.Create",
    "ReportSchedules.Delete",
    "ReportSchedules.Edit",
    "ReportSchedules.View",
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
    "ContactSearch.View",
    "ContactSearchWithCharacteristics.Access",
    "ContactSearchWithCharacteristics.View",
    "ContactSearchWithKeywords.Access",
    "ContactSearchWithKeywords.View",
    "GraphTrends.View",
    "VoiceIdAttributesAndSearch.View",
    "CallRecordings.Unredacted.Access",
    "ContactTranscripts.Unredacted.Access",
    "CallRecordings.Unredacted.DownloadButton",
    "ContactTranscripts.Unredacted.DownloadButton",
    "ContactLensCustomVocabulary.Edit",
    "ContactLensCustomVocabulary.View",
    "Rules.Create",
    "Rules.Delete",
    "Rules.Edit",
    "Rules.View",
    "ManagerListenIn",
    "ManagerBargeIn",
];

/// The permissions the default profile `name` has; `None` for other names. See
/// `docs/decisions.md` ("Security profiles") for where each set comes from.
pub fn default_permissions(name: &str) -> Option<Vec<&'static str>> {
    let section = |s: Section| {
        PERMISSIONS
            .iter()
            .filter(move |(t, _)| *t == s)
            .flat_map(|(_, names)| names.iter().copied())
    };
    Some(match name {
        // Every action: the whole list but what restricts, the legacy names and the
        // names since renamed.
        "Admin" => PERMISSIONS
            .iter()
            .filter(|(s, _)| !matches!(s, Section::Legacy | Section::Renamed))
            .flat_map(|(_, names)| names.iter().copied())
            .filter(|p| !RESTRICTIONS.contains(p))
            .collect(),
        // The CCP, and outbound calls from it.
        "Agent" => vec!["BasicAgentAccess", "OutboundCallAccess"],
        // User management, metrics and routing.
        "CallCenterManager" => {
            let mut all: Vec<&str> = METRICS.to_vec();
            all.extend(section(Section::Routing).filter(|p| !p.starts_with("DataTables.")));
            all.extend(CALL_CENTER_MANAGER);
            all
        }
        // Metrics, and the saved reports made of them.
        "QualityAnalyst" => {
            let mut all: Vec<&str> = METRICS.to_vec();
            all.extend([
                "MetricsReports.View",
                "MetricsReports.Create",
                "MetricsReports.Share",
            ]);
            all
        }
        _ => return None,
    })
}

/// The four default profiles of a new instance, with new ids and their default
/// permissions.
pub fn default_profiles(modified: &Modified) -> Vec<SecurityProfile> {
    DEFAULT_PROFILES
        .iter()
        .map(|name| SecurityProfile {
            permissions: Permissions(
                default_permissions(name)
                    .unwrap_or_default()
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            ),
            ..SecurityProfile::new(new_id(), name.to_string(), modified.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    fn m() -> Modified {
        Modified {
            time: Timestamp(1),
            region: "us-east-1".into(),
        }
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_table_has_no_name_twice_and_every_name_fits_the_model() {
        let all: Vec<&str> = all_permissions().collect();
        for (i, p) in all.iter().enumerate() {
            assert!(!all[..i].contains(p), "{p} is listed twice");
            assert!((1..=128).contains(&p.len()), "{p}");
            assert!(
                p.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'),
                "{p}"
            );
        }
        assert!(all.len() > 250, "{}", all.len());
    }

    #[test]
    fn permissions_are_known_names_none_twice() {
        let ok = Permissions::parse(
            "Permissions",
            strings(&["BasicAgentAccess", "OutboundCallAccess", "Users.View"]),
        )
        .unwrap();
        assert_eq!(
            ok.as_slice(),
            strings(&["BasicAgentAccess", "OutboundCallAccess", "Users.View"])
        );
        let err =
            Permissions::parse("Permissions", strings(&["Users.View", "Users.Fly"])).unwrap_err();
        assert_eq!(err.field(), "Permissions[1]");
        assert!(err.to_string().contains("Users.Fly"), "{err}");
        // Names are case-sensitive.
        assert!(Permissions::parse("Permissions", strings(&["users.view"])).is_err());
        let err =
            Permissions::parse("Permissions", strings(&["Users.View", "Users.View"])).unwrap_err();
        assert_eq!(err.field(), "Permissions[1]");
        assert!(Permissions::parse("Permissions", vec![])
            .unwrap()
            .as_slice()
            .is_empty());
    }

    #[test]
    fn restricted_resources_are_of_their_lists() {
        let t = RestrictedResources::tag(
            "TagRestrictedResources",
            strings(&["User", "Queue", "RoutingProfile", "SecurityProfile"]),
        )
        .unwrap();
        assert_eq!(t.as_slice().len(), 4);
        let err =
            RestrictedResources::tag("TagRestrictedResources", strings(&["Users"])).unwrap_err();
        assert_eq!(err.field(), "TagRestrictedResources[0]");
        assert!(err.to_string().contains("\"Users\""), "{err}");
        assert!(
            RestrictedResources::tag("TagRestrictedResources", strings(&["User", "User"])).is_err()
        );
        assert!(RestrictedResources::hierarchy("H", strings(&["User"])).is_ok());
        let err = RestrictedResources::hierarchy("H", strings(&["Queue"])).unwrap_err();
        assert!(err.to_string().contains("User"), "{err}");
    }

    #[test]
    fn names() {
        assert!(validate_name("Night shift_2 @ops-team").is_ok());
        assert!(validate_name("Night/shift").is_err());
        assert!(validate_name("").is_err());
    }

    #[test]
    fn applications_modules_and_agents_do_not_repeat() {
        let app = |ns: &str, perms: &[&str]| Application {
            namespace: ns.into(),
            permissions: strings(perms),
            application_type: None,
        };
        assert!(check_applications("A", &[app("a", &["x", "y"]), app("b", &["x"])]).is_ok());
        assert_eq!(
            check_applications("A", &[app("a", &["x"]), app("a", &["y"])])
                .unwrap_err()
                .field(),
            "A[1].Namespace"
        );
        assert_eq!(
            check_applications("A", &[app("a", &["x", "x"])])
                .unwrap_err()
                .field(),
            "A[0].ApplicationPermissions[1]"
        );
        let module = |id: &str| FlowModule {
            flow_module_id: id.into(),
            module_type: Some("MCP".into()),
        };
        assert!(check_flow_modules("F", &[module("a"), module("b")]).is_ok());
        assert!(check_flow_modules("F", &[module("a"), module("a")]).is_err());
        let agent = |arn: &str| AiAgent {
            arn: arn.into(),
            agent_type: None,
        };
        assert!(check_ai_agents("G", &[agent("a"), agent("b")]).is_ok());
        assert!(check_ai_agents("G", &[agent("a"), agent("a")]).is_err());
    }

    #[test]
    fn primary_attribute_values_obey_the_patterns() {
        assert!(
            PrimaryAttributeValue::new("P", None, "Region".into(), strings(&["EU", "ü"])).is_ok()
        );
        assert!(PrimaryAttributeValue::new("P", None, "aws:x".into(), vec![]).is_err());
        assert!(PrimaryAttributeValue::new("P", None, "Connect:x".into(), vec![]).is_err());
        assert!(PrimaryAttributeValue::new("P", None, "Reg\u{100}".into(), vec![]).is_err());
        let err =
            PrimaryAttributeValue::new("P", None, "R".into(), strings(&["ok", ""])).unwrap_err();
        assert_eq!(err.field(), "P.Values[1]");
    }

    #[test]
    fn granular_configurations_keep_their_depth() {
        let value = PrimaryAttributeValue::from_stored(
            Some("ALLOW".into()),
            "Region".into(),
            strings(&["EU"]),
        );
        let deep = GranularAccessControl {
            data_table: Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl {
                    values: Some(vec![value.clone()]),
                }),
            }),
        };
        let empty_list = GranularAccessControl {
            data_table: Some(DataTableAccessControl {
                primary_attributes: Some(PrimaryAttributeAccessControl {
                    values: Some(vec![]),
                }),
            }),
        };
        for g in [
            GranularAccessControl::default(),
            GranularAccessControl {
                data_table: Some(DataTableAccessControl::default()),
            },
            GranularAccessControl {
                data_table: Some(DataTableAccessControl {
                    primary_attributes: Some(PrimaryAttributeAccessControl::default()),
                }),
            },
            empty_list,
            deep,
        ] {
            let back =
                GranularAccessControl::from_stored(g.depth() as i64, g.values().to_vec()).unwrap();
            assert_eq!(back, g);
        }
        assert!(GranularAccessControl::from_stored(4, vec![]).is_none());
        assert!(GranularAccessControl::from_stored(1, vec![value]).is_none());
    }

    #[test]
    fn updates_replace_what_they_send_and_keep_the_rest() {
        let mut p = SecurityProfile {
            description: Some("old".into()),
            permissions: Permissions::from_stored(strings(&["Users.View"])),
            allowed_access_control_tags: [("dept".to_string(), "x".to_string())].into(),
            allowed_access_control_hierarchy_group_id: Some("g".into()),
            ..SecurityProfile::new("id".into(), "P".into(), m())
        };
        let later = Modified {
            time: Timestamp(2),
            region: "eu-west-1".into(),
        };
        SecurityProfileUpdate {
            permissions: Some(Permissions::default()),
            allowed_access_control_hierarchy_group_id: Some(None),
            ..SecurityProfileUpdate::stamp(later.clone())
        }
        .apply(&mut p);
        assert_eq!(p.description.as_deref(), Some("old"));
        assert!(p.permissions.as_slice().is_empty());
        assert_eq!(p.allowed_access_control_tags.len(), 1);
        assert_eq!(p.allowed_access_control_hierarchy_group_id, None);
        assert_eq!(p.modified, later);
        assert_eq!(hierarchy_group(String::new()), None);
        assert_eq!(hierarchy_group("g".into()).as_deref(), Some("g"));
    }

    #[test]
    fn default_profiles_grant_known_permissions() {
        let profiles = default_profiles(&m());
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, DEFAULT_PROFILES);
        for p in &profiles {
            // Every default set is a valid permissions list.
            Permissions::parse("Permissions", p.permissions.as_slice().to_vec())
                .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert!(!p.permissions.as_slice().is_empty(), "{}", p.name);
        }
        let admin = default_permissions("Admin").unwrap();
        assert!(admin.contains(&"SecurityProfiles.Edit"));
        assert!(admin.contains(&"BasicAgentAccess"));
        assert!(!admin.contains(&"RestrictTaskCreation.Access"));
        assert!(!admin.contains(&"ListenCallRecordings"));
        assert_eq!(
            default_permissions("Agent").unwrap(),
            vec!["BasicAgentAccess", "OutboundCallAccess"]
        );
        let manager = default_permissions("CallCenterManager").unwrap();
        for p in [
            "Users.Edit",
            "AccessMetrics",
            "RoutingPolicies.Edit",
            "ManagerListenIn",
        ] {
            assert!(manager.contains(&p), "{p}");
        }
        assert!(!manager.contains(&"SecurityProfiles.Edit"));
        let analyst = default_permissions("QualityAnalyst").unwrap();
        assert!(analyst.contains(&"AccessMetrics"));
        assert!(!analyst.contains(&"Users.View"));
        assert!(default_permissions("Supervisor").is_none());
    }
}
