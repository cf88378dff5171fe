//! The checks that scope every call inside an instance: that the instance exists in
//! the caller's account and region, and that a row belongs to the instance. Every
//! area module uses them; this module uses none of the areas.

use roster_domain::arn::ResourceKind;
use roster_domain::InstanceRef;
use roster_store::sql::not_found;

use crate::db::{exists, Tx};
use crate::error::Result;

/// `NotFound(Instance)` unless the instance exists in the caller's scope.
pub(crate) async fn check(tx: &Tx<'_>, at: &InstanceRef) -> Result<()> {
    let found = exists(
        tx,
        "SELECT 1 FROM instances WHERE id = $1 AND account_id = $2 AND region = $3",
        &[&at.instance_id, &at.scope.account_id, &at.scope.region],
    )
    .await?;
    if found {
        Ok(())
    } else {
        Err(not_found(ResourceKind::Instance, &at.instance_id))
    }
}

/// Whether `table` (of rows keyed by `id`, each in one instance) holds `id` in the
/// instance.
pub(crate) async fn exists_in(
    tx: &Tx<'_>,
    table: &str,
    instance_id: &str,
    id: &str,
) -> Result<bool> {
    exists(
        tx,
        &format!("SELECT 1 FROM {table} WHERE id = $1 AND instance_id = $2"),
        &[&id, &instance_id],
    )
    .await
}
