//! A seed file's additions to one instance, in one transaction.

use roster_domain::proficiency::ProficiencyChange;
use roster_store::Import;

use crate::db::Tx;
use crate::error::Result;
use crate::{
    hierarchy, hours, instances, proficiencies, queues, quick_connects, routing, security_profiles,
    users,
};

pub(crate) async fn apply(tx: &Tx<'_>, import: &Import) -> Result<()> {
    let at = &import.at;
    if let Some(new) = &import.instance {
        instances::create(tx, new).await?;
    }
    if let Some(structure) = &import.hierarchy_structure {
        hierarchy::set_structure(tx, at, structure).await?;
    }
    for g in &import.hierarchy_groups {
        hierarchy::create_group(tx, at, g).await?;
    }
    for p in &import.security_profiles {
        security_profiles::create(tx, at, p).await?;
    }
    for h in &import.hours_of_operation {
        hours::create(tx, at, h).await?;
    }
    for q in &import.queues {
        queues::create(tx, at, q, &[]).await?;
    }
    for p in &import.routing_profiles {
        routing::create_routing_profile(tx, at, p).await?;
    }
    for a in &import.predefined_attributes {
        proficiencies::create(tx, at, a).await?;
    }
    if !import.users.is_empty() {
        users::create_all(tx, at, &import.users, import.max_users).await?;
    }
    for (user_id, list, modified) in &import.user_proficiencies {
        let change = ProficiencyChange::Associate(list.clone());
        proficiencies::change(tx, at, user_id, &change, modified).await?;
    }
    for q in &import.quick_connects {
        quick_connects::create(tx, at, q).await?;
    }
    for (queue_id, ids, modified) in &import.queue_quick_connects {
        quick_connects::associate(tx, at, queue_id, ids, modified).await?;
    }
    Ok(())
}
