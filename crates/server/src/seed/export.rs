//! `roster export`: the whole state of a store as a seed file that, applied to an empty
//! store, reproduces every Describe and List answer (ids, timestamps, tags, password
//! hashes). Plain passwords are never stored, so never exported.

use roster_domain::channel::Channel;
use roster_domain::hours::HoursOfOperation;
use roster_domain::queues::QueueType;
use roster_domain::quick_connect::{Destination, QuickConnect};
use roster_domain::time::Modified;
use roster_domain::InstanceRef;
use roster_store::{Store, StoreError};

use super::format::*;
use super::load::all;
use super::time::format_time;

fn time(m: &Modified) -> Option<String> {
    Some(format_time(m.time))
}

fn region(m: &Modified) -> Option<String> {
    Some(m.region.clone())
}

pub async fn export(store: &dyn Store) -> Result<SeedFile, StoreError> {
    let mut file = SeedFile::default();
    for scope in store.list_scopes().await? {
        let instances = all(
            |p| {
                let scope = &scope;
                async move { store.list_instances(scope, &p).await }
            },
            |i| i.id.clone(),
        )
        .await?;
        for i in instances {
            let at = InstanceRef {
                scope: scope.clone(),
                instance_id: i.id.clone(),
            };
            let mut e = InstanceEntry {
                id: Some(i.id.clone()),
                account_id: Some(scope.account_id.clone()),
                region: Some(scope.region.clone()),
                instance_alias: i.alias.clone(),
                identity_management_type: i.identity_management_type.as_str().to_string(),
                directory_id: i.directory_id.clone(),
                inbound_calls_enabled: i.inbound_calls_enabled,
                outbound_calls_enabled: i.outbound_calls_enabled,
                created_time: Some(format_time(i.created_time)),
                default_resources: false,
                attributes: store
                    .list_instance_attributes(&at)
                    .await?
                    .into_iter()
                    .map(|(a, v)| (a.as_str().to_string(), v))
                    .collect(),
                tags: store.instance_tags(&at).await?,
                ..InstanceEntry::default()
            };
            instance_contents(store, &at, &mut e).await?;
            file.instances.push(e);
        }
    }
    Ok(file)
}

async fn instance_contents(
    store: &dyn Store,
    at: &InstanceRef,
    e: &mut InstanceEntry,
) -> Result<(), StoreError> {
    e.hierarchy_structure = store
        .get_hierarchy_structure(at)
        .await?
        .levels
        .into_iter()
        .map(|l| LevelEntry {
            name: l.name,
            last_modified_time: time(&l.modified),
            last_modified_region: region(&l.modified),
        })
        .collect();

    let mut groups = all(
        |p| async move { store.list_hierarchy_groups(at, &p).await },
        |g| g.id.clone(),
    )
    .await?;
    groups.sort_by_key(|g| g.level());
    e.hierarchy_groups = groups
        .into_iter()
        .map(|g| GroupEntry {
            id: Some(g.id.clone()),
            name: g.name.clone(),
            parent_group: g.parent_id().map(str::to_string),
            tags: g.tags.clone(),
            last_modified_time: time(&g.modified),
            last_modified_region: region(&g.modified),
        })
        .collect();

    let profiles = all(
        |p| async move { store.list_security_profiles(at, &p).await },
        |s| s.id.clone(),
    )
    .await?;
    for s in profiles {
        e.security_profiles.push(SecurityProfileEntry {
            id: Some(s.id.clone()),
            name: s.name.clone(),
            description: s.description.clone(),
            permissions: s.permissions.as_slice().to_vec(),
            allowed_access_control_tags: s.allowed_access_control_tags.clone(),
            tag_restricted_resources: s.tag_restricted_resources.as_slice().to_vec(),
            allowed_access_control_hierarchy_group: s
                .allowed_access_control_hierarchy_group_id
                .clone(),
            hierarchy_restricted_resources: s.hierarchy_restricted_resources.as_slice().to_vec(),
            applications: s
                .applications
                .iter()
                .map(|a| ApplicationEntry {
                    namespace: a.namespace.clone(),
                    application_permissions: a.permissions.clone(),
                    application_type: a.application_type.clone(),
                })
                .collect(),
            allowed_flow_modules: s
                .allowed_flow_modules
                .iter()
                .map(|m| FlowModuleEntry {
                    flow_module_id: m.flow_module_id.clone(),
                    module_type: m.module_type.clone(),
                })
                .collect(),
            allowed_ai_agents: s
                .allowed_ai_agents
                .iter()
                .map(|a| AiAgentEntry {
                    arn: a.arn.clone(),
                    agent_type: a.agent_type.clone(),
                })
                .collect(),
            granular_access_control_configuration: s.granular_access_control.as_ref().map(|g| {
                GranularEntry {
                    data_table_access_control_configuration: g.data_table.as_ref().map(|d| {
                        DataTableEntry {
                            primary_attribute_access_control_configuration: d
                                .primary_attributes
                                .as_ref()
                                .map(|p| PrimaryAttributesEntry {
                                    primary_attribute_values: p.values.as_ref().map(|values| {
                                        values
                                            .iter()
                                            .map(|v| PrimaryValueEntry {
                                                access_type: v.access_type.clone(),
                                                attribute_name: v.attribute_name.clone(),
                                                values: v.values.clone(),
                                            })
                                            .collect()
                                    }),
                                }),
                        }
                    }),
                }
            }),
            tags: s.tags.clone(),
            last_modified_time: time(&s.modified),
            last_modified_region: region(&s.modified),
        });
    }

    let hours = all(
        |p| async move { store.list_hours_of_operations(at, &p).await },
        |h| h.id.clone(),
    )
    .await?;
    e.hours_of_operations = hours.iter().map(hours_entry).collect();

    let queues = all(
        |p| async move { store.list_queues(at, &[QueueType::Standard], &p).await },
        |q| q.id.clone(),
    )
    .await?;
    let quick_connects = all(
        |p| async move { store.list_quick_connects(at, &[], &p).await },
        |q| q.id.clone(),
    )
    .await?;
    for summary in queues {
        let q = store.get_queue(at, &summary.id).await?;
        let offered = all(
            |p| {
                let id = &q.id;
                async move { Ok(store.list_queue_quick_connects(at, id, &p).await?.0) }
            },
            |c| c.id.clone(),
        )
        .await?;
        e.queues.push(QueueEntry {
            id: Some(q.id.clone()),
            name: q.name.clone(),
            description: q.description.clone(),
            hours_of_operation: q.hours_of_operation_id.clone(),
            max_contacts: q.max_contacts,
            status: Some(q.status.as_str().to_string()),
            outbound_caller_config: (!q.outbound_caller.is_empty()).then(|| OutboundCallerEntry {
                outbound_caller_id_name: q.outbound_caller.caller_id_name.clone(),
                outbound_caller_id_number_id: q.outbound_caller.caller_id_number_id.clone(),
                outbound_flow_id: q.outbound_caller.flow_id.clone(),
            }),
            outbound_email_address_id: q.outbound_email_address_id.clone(),
            quick_connects: offered.into_iter().map(|c| c.id).collect(),
            tags: q.tags.clone(),
            last_modified_time: time(&q.modified),
            last_modified_region: region(&q.modified),
        });
    }
    e.quick_connects = quick_connects.iter().map(quick_connect_entry).collect();

    let routing = all(
        |p| async move { store.list_routing_profiles(at, &p).await },
        |r| r.id.clone(),
    )
    .await?;
    e.routing_profiles = routing
        .into_iter()
        .map(|r| RoutingProfileEntry {
            id: Some(r.id.clone()),
            name: r.name.clone(),
            description: r.description.clone(),
            default_outbound_queue: r.default_outbound_queue_id.clone(),
            media_concurrencies: r
                .media_concurrencies
                .iter()
                .map(|m| MediaEntry {
                    channel: m.channel.clone(),
                    concurrency: m.concurrency,
                    cross_channel_behavior: m.cross_channel_behavior.clone(),
                })
                .collect(),
            queue_configs: r
                .queues
                .iter()
                .map(|q| RoutedQueueEntry {
                    queue: q.queue_id.clone(),
                    channel: q.channel.clone(),
                    priority: q.priority,
                    delay: q.delay,
                })
                .collect(),
            manual_assignment_queue_configs: r
                .manual_queues
                .iter()
                .map(|q| ManualQueueEntry {
                    queue: q.queue_id.clone(),
                    channel: q.channel.clone(),
                })
                .collect(),
            agent_availability_timer: r.agent_availability_timer.clone(),
            is_default: r.is_default,
            tags: r.tags.clone(),
            last_modified_time: time(&r.modified),
            last_modified_region: region(&r.modified),
        })
        .collect();

    e.predefined_attributes = all(
        |p| async move { store.list_predefined_attributes(at, &p).await },
        |a| a.name.clone(),
    )
    .await?
    .into_iter()
    .map(|a| PredefinedAttributeEntry {
        name: a.name.clone(),
        values: a.values.clone(),
        purposes: a.purposes.clone(),
        enable_value_validation_on_association: a.enable_value_validation_on_association,
        last_modified_time: time(&a.modified),
        last_modified_region: region(&a.modified),
    })
    .collect();

    let users = all(
        |p| async move { store.list_users(at, &p).await },
        |u| u.id.clone(),
    )
    .await?;
    for summary in users {
        let u = store.get_user(at, &summary.id).await?;
        let (proficiencies, stamp) = store.list_user_proficiencies(at, &u.id).await?;
        e.users.push(user_entry(&u, proficiencies, stamp));
    }
    Ok(())
}

fn quick_connect_entry(q: &QuickConnect) -> QuickConnectEntry {
    let mut config = QuickConnectConfigEntry {
        quick_connect_type: q.destination.kind().as_str().to_string(),
        ..QuickConnectConfigEntry::default()
    };
    match &q.destination {
        Destination::User {
            user_id,
            contact_flow_id,
        } => {
            config.user_config = Some(QuickConnectUserEntry {
                user: user_id.clone(),
                contact_flow_id: contact_flow_id.as_str().to_string(),
            })
        }
        Destination::Queue {
            queue_id,
            contact_flow_id,
        } => {
            config.queue_config = Some(QuickConnectQueueEntry {
                queue: queue_id.clone(),
                contact_flow_id: contact_flow_id.as_str().to_string(),
            })
        }
        Destination::PhoneNumber { phone_number } => {
            config.phone_config = Some(QuickConnectPhoneEntry {
                phone_number: phone_number.clone(),
            })
        }
        Destination::Flow { contact_flow_id } => {
            config.flow_config = Some(QuickConnectFlowEntry {
                contact_flow_id: contact_flow_id.as_str().to_string(),
            })
        }
    }
    QuickConnectEntry {
        id: Some(q.id.clone()),
        name: q.name.clone(),
        description: q.description.clone(),
        quick_connect_config: config,
        tags: q.tags.clone(),
        last_modified_time: time(&q.modified),
        last_modified_region: region(&q.modified),
    }
}

fn hours_entry(h: &HoursOfOperation) -> HoursEntry {
    HoursEntry {
        id: Some(h.id.clone()),
        name: h.name.clone(),
        description: h.description.clone(),
        time_zone: h.time_zone.as_str().to_string(),
        config: h
            .config
            .openings()
            .iter()
            .map(|o| OpeningEntry {
                day: o.day().as_str().to_string(),
                start_time: TimeEntry {
                    hours: o.start().hours() as i64,
                    minutes: o.start().minutes() as i64,
                },
                end_time: TimeEntry {
                    hours: o.end().hours() as i64,
                    minutes: o.end().minutes() as i64,
                },
            })
            .collect(),
        parent_hours_of_operations: h.parents.ids().to_vec(),
        tags: h.tags.clone(),
        last_modified_time: time(&h.modified),
        last_modified_region: region(&h.modified),
    }
}

fn user_entry(
    u: &roster_domain::user::User,
    proficiencies: Vec<roster_domain::proficiency::UserProficiency>,
    stamp: Option<Modified>,
) -> UserEntry {
    let c = &u.config;
    UserEntry {
        id: Some(u.id.clone()),
        username: u.username.as_str().to_string(),
        password: None,
        password_hash: u.password_hash.clone(),
        identity_info: Some(IdentityEntry {
            first_name: u.identity.first_name.clone(),
            last_name: u.identity.last_name.clone(),
            email: u.identity.email.clone(),
            secondary_email: u.identity.secondary_email.clone(),
            mobile: u.identity.mobile.clone(),
        }),
        directory_user_id: u.directory_user_id.clone(),
        security_profiles: u.security_profile_ids.to_vec(),
        routing_profile: u.routing_profile_id.clone(),
        hierarchy_group: u.hierarchy_group_id.clone(),
        phone_config: None,
        auto_accept_configs: Some(
            Channel::ALL
                .iter()
                .map(|ch| {
                    let s = c.channel(*ch);
                    AutoAcceptEntry {
                        channel: ch.as_str().to_string(),
                        auto_accept: s.auto_accept,
                        agent_first_callback_auto_accept: s.agent_first_callback_auto_accept,
                    }
                })
                .collect(),
        ),
        after_contact_work_configs: Some(
            Channel::ALL
                .iter()
                .map(|ch| {
                    let s = c.channel(*ch);
                    AfterContactWorkEntry {
                        channel: ch.as_str().to_string(),
                        after_contact_work_time_limit: s.after_contact_work.seconds() as i64,
                        agent_first_callback_after_contact_work_time_limit: s
                            .agent_first_callback_after_contact_work
                            .map(|a| a.seconds() as i64),
                    }
                })
                .collect(),
        ),
        phone_number_configs: Some(vec![PhoneNumberEntry {
            channel: "VOICE".into(),
            phone_type: c.phone_type.as_str().to_string(),
            phone_number: c.desk_phone_number.clone(),
        }]),
        persistent_connection_configs: Some(vec![PersistentConnectionEntry {
            channel: "VOICE".into(),
            persistent_connection: c.persistent_connection,
        }]),
        voice_enhancement_configs: Some(vec![VoiceEnhancementEntry {
            channel: "VOICE".into(),
            voice_enhancement_mode: c.voice_enhancement.as_str().to_string(),
        }]),
        proficiencies: proficiencies
            .into_iter()
            .map(|p| ProficiencyEntry {
                attribute_name: p.attribute_name,
                attribute_value: p.attribute_value,
                level: p.level,
            })
            .collect(),
        proficiencies_last_modified_time: stamp.as_ref().and_then(time),
        proficiencies_last_modified_region: stamp.as_ref().and_then(region),
        tags: u.tags.clone(),
        last_modified_time: time(&u.modified),
        last_modified_region: region(&u.modified),
    }
}
