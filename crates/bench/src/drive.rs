//! The measured loop: concurrent workers, each with its own keep-alive connection and
//! one request in flight, send signed requests from a pool until a deadline (or, for a
//! pool of single-use requests, until it runs out) and record every latency.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::client::{new_client, send_at, spread_target, Prepared, Reply};
use crate::stats::Tally;

/// How the requests of a pool are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Sent in rotation, any number of times.
    Rotate,
    /// Each sent once (e.g. creations with a distinct name); workers stop when the pool
    /// runs out.
    Once,
}

/// What a run came to.
pub struct Run {
    pub tally: Tally,
    pub elapsed: Duration,
    /// A single-use pool ran out before the deadline.
    pub exhausted: bool,
}

/// Judges a reply: `Ok(n)` counts as a success (adding `n` to `Tally::matched`), `Err`
/// as an error with its description.
pub type Check = fn(&Reply) -> Result<u64, String>;

/// Any 200 is a success.
pub fn status_ok(reply: &Reply) -> Result<u64, String> {
    if reply.status == 200 {
        Ok(0)
    } else {
        Err(format!("HTTP {}: {}", reply.status, reply.text()))
    }
}

/// Sends requests from `pool` with `concurrency` workers for `duration`.
pub async fn run_for(
    pool: &Arc<Vec<Prepared>>,
    mode: Use,
    concurrency: usize,
    duration: Duration,
    check: Check,
) -> anyhow::Result<Run> {
    let next = Arc::new(AtomicUsize::new(0));
    let exhausted = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let deadline = start + duration;
    let mut workers = Vec::new();
    for worker in 0..concurrency.max(1) {
        let (pool, next, exhausted) = (pool.clone(), next.clone(), exhausted.clone());
        let at = pool.first().and_then(|p| spread_target(worker, p.uri()));
        workers.push(tokio::spawn(async move {
            let client = new_client();
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let k = match mode {
                    Use::Rotate => n % pool.len(),
                    Use::Once if n < pool.len() => n,
                    Use::Once => {
                        exhausted.store(true, Ordering::Relaxed);
                        break;
                    }
                };
                let t0 = Instant::now();
                let outcome = send_at(&client, &pool[k], at).await;
                let latency = t0.elapsed();
                match outcome {
                    Ok(reply) => match check(&reply) {
                        Ok(n) => {
                            tally.ok(latency);
                            tally.matched += n;
                        }
                        Err(e) => tally.error(latency, || e),
                    },
                    Err(e) => tally.error(latency, || format!("{e:#}")),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for w in workers {
        tally.merge(w.await?);
    }
    Ok(Run {
        tally,
        elapsed: start.elapsed(),
        exhausted: exhausted.load(Ordering::Relaxed),
    })
}
