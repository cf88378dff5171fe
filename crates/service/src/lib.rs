//! roster's implementation of the Connect API: each module implements its
//! operations' traits (`roster_api::ops`) directly, turning the model's shapes into
//! domain values (refusing bad ones with an error from the operation's model list),
//! calling the store, and turning the results back into shapes.

mod bulk;
mod convert;
mod errors;
mod hierarchy;
mod hours;
mod instances;
mod proficiencies;
mod queues;
mod quick_connects;
mod resource_search;
mod routing;
mod search;
mod security_profiles;
mod tagging;
mod token;
mod user_change;
mod users;

use std::sync::Arc;

pub use bulk::{
    header_csv, CsvTemplate, ImportFailure, ImportProgress, ImportReport, ImportTimings,
    ImportedUser, RowError, EXTENDED_COLUMNS, MAX_ROWS, OFFICIAL_COLUMNS, USER_ID_COLUMN,
};

use roster_api::{Failure, RequestContext};
use roster_domain::time::Modified;
use roster_domain::{InstanceRef, Scope, Timestamp};
use roster_store::Store;

pub use user_change::{ChangeFailure, UserChange};

/// Limits a deployment can change.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Users an instance may hold (the real service's default quota is 500).
    pub max_users_per_instance: u64,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            max_users_per_instance: 500,
        }
    }
}

/// The Connect API over a [`Store`].
pub struct ConnectService {
    store: Arc<dyn Store>,
    config: ServiceConfig,
    /// Password hashes computed at once: one per core. Each argon2id hash holds
    /// 19 MiB while it runs, so without a bound, many concurrent creations would hold
    /// many times that and gain nothing, the cores being busy already.
    hashing: Arc<tokio::sync::Semaphore>,
}

impl ConnectService {
    pub fn new(store: Arc<dyn Store>, config: ServiceConfig) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        ConnectService {
            store,
            config,
            hashing: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}

fn scope(ctx: &RequestContext) -> Scope {
    Scope {
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
    }
}

fn modified(ctx: &RequestContext) -> Modified {
    Modified {
        time: Timestamp::now(),
        region: ctx.region.clone(),
    }
}

/// The instance a request names by id or by ARN. An ARN of another account or region
/// names an instance that does not exist for this caller.
fn instance_ref(ctx: &RequestContext, raw: &str) -> Result<InstanceRef, Failure> {
    let scope = scope(ctx);
    let id = if raw.starts_with("arn:") {
        match roster_domain::arn::parse_arn(raw) {
            Some(p) if p.kind == roster_domain::arn::ResourceKind::Instance && p.scope == scope => {
                p.instance_id
            }
            Some(p) if p.kind == roster_domain::arn::ResourceKind::Instance => {
                return Err(Failure::not_found(format!(
                    "Instance {} not found",
                    p.instance_id
                )))
            }
            _ => {
                return Err(Failure::invalid_parameter(
                    "InstanceId: is not an instance id or instance ARN",
                ))
            }
        }
    } else {
        raw.to_string()
    };
    Ok(InstanceRef {
        scope,
        instance_id: id,
    })
}
