//! A seed file's additions to one instance, in one transaction.

use roster_domain::proficiency::ProficiencyChange;
use roster_store::Import;
use rusqlite::Connection;

use crate::error::Result;
use crate::{
    hierarchy, hours, instances, proficiencies, queues, quick_connects, routing, security_profiles,
    users,
};

pub(crate) fn apply(conn: &Connection, import: &Import) -> Result<()> {
    let at = &import.at;
    if let Some(new) = &import.instance {
        instances::create(conn, new)?;
    }
    if let Some(structure) = &import.hierarchy_structure {
        hierarchy::set_structure(conn, at, structure)?;
    }
    for g in &import.hierarchy_groups {
        hierarchy::create_group(conn, at, g)?;
    }
    for p in &import.security_profiles {
        security_profiles::create(conn, at, p)?;
    }
    for h in &import.hours_of_operation {
        hours::create(conn, at, h)?;
    }
    for q in &import.queues {
        queues::create(conn, at, q, &[])?;
    }
    for p in &import.routing_profiles {
        routing::create_routing_profile(conn, at, p)?;
    }
    for a in &import.predefined_attributes {
        proficiencies::create(conn, at, a)?;
    }
    users::create_all(conn, at, &import.users, import.max_users)?;
    for (user_id, list, modified) in &import.user_proficiencies {
        let change = ProficiencyChange::Associate(list.clone());
        proficiencies::change(conn, at, user_id, &change, modified)?;
    }
    for q in &import.quick_connects {
        quick_connects::create(conn, at, q)?;
    }
    for (queue_id, ids, modified) in &import.queue_quick_connects {
        quick_connects::associate(conn, at, queue_id, ids, modified)?;
    }
    Ok(())
}
