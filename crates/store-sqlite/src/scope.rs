//! The checks that scope every call inside an instance: that the instance exists in
//! the caller's account and region, and that a row belongs to the instance. Every
//! area module uses them; this module uses none of the areas.

use roster_domain::arn::ResourceKind;
use roster_domain::InstanceRef;
use roster_store::sql::not_found;
use rusqlite::{params, Connection};

use crate::error::Result;

/// `NotFound(Instance)` unless the instance exists in the caller's scope.
pub(crate) fn check(conn: &Connection, at: &InstanceRef) -> Result<()> {
    let found = conn
        .prepare_cached(
            "SELECT 1 FROM instances WHERE id = ?1 AND account_id = ?2 AND region = ?3",
        )?
        .exists(params![
            at.instance_id,
            at.scope.account_id,
            at.scope.region
        ])?;
    if found {
        Ok(())
    } else {
        Err(not_found(ResourceKind::Instance, &at.instance_id))
    }
}

/// Whether `table` (of rows keyed by `id`, each in one instance) holds `id` in the
/// instance.
pub(crate) fn exists_in(
    conn: &Connection,
    table: &str,
    instance_id: &str,
    id: &str,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT 1 FROM {table} WHERE id = ?1 AND instance_id = ?2"
        ))?
        .exists(params![id, instance_id])?)
}
