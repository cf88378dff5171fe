//! The single writer: one OS thread owns the write connection and commits queued
//! jobs in groups.
//!
//! The thread blocks for a job, then takes whatever else is queued (up to the group
//! limit) and runs the whole group inside one `BEGIN IMMEDIATE` transaction, each job
//! inside its own savepoint: a job that fails is rolled back to its savepoint alone.
//! One `COMMIT` (one fsync with `synchronous=FULL`) then makes the group durable, and
//! only after it does each caller get its job's outcome. When the commit fails, every
//! job of the group gets an error. Before the commit, outside the savepoints, the group
//! applies the trigram index's queued changes (`schema::FLUSH_TRIGRAMS`).
//!
//! Folding the write-ahead log back into the database file (a checkpoint) is mostly
//! not the writer's work: SQLite's automatic checkpoint would run it inside the commit
//! of whichever group crossed the threshold, holding every caller of that group and of
//! the next. A second thread with its own connection runs a passive checkpoint after
//! commits instead, at most once per [`CHECKPOINT_PAUSE`], without blocking the writer
//! or the readers. The writer's own automatic checkpoint, at a much higher threshold
//! (set where the connection is configured), only finishes one when that thread falls
//! behind, so that the log is still reset.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use roster_store::{CommitObserver, StoreError, StoreResult};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::oneshot;

use crate::error::Error;
use crate::schema;

/// Counters of the writer since the store was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Transactions committed, one per group.
    pub commits: u64,
    /// Jobs run, whatever their outcome.
    pub jobs: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    commits: AtomicU64,
    jobs: AtomicU64,
    /// Told of each group committed, once one is set.
    observer: OnceLock<Arc<dyn CommitObserver>>,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> WriteStats {
        WriteStats {
            commits: self.commits.load(Ordering::Relaxed),
            jobs: self.jobs.load(Ordering::Relaxed),
        }
    }
}

/// A queued unit of work with the means to answer its caller.
trait GroupJob: Send {
    /// Runs the work; true when it succeeded and its changes are to be kept.
    fn run(&mut self, tx: &Transaction<'_>) -> bool;
    /// Answers the caller once the group's commit has been attempted.
    fn finish(self: Box<Self>, commit: &StoreResult<()>);
}

struct Pending<T, F> {
    work: Option<F>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> GroupJob for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Transaction<'_>) -> Result<T, Error> + Send,
{
    fn run(&mut self, tx: &Transaction<'_>) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = match catch_unwind(AssertUnwindSafe(|| work(tx))) {
            Ok(r) => r.map_err(Error::into_store),
            Err(_) => Err(StoreError::Backend("a write job panicked".into())),
        };
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, commit: &StoreResult<()>) {
        let answer = match (self.outcome, commit) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(v)), Ok(())) => Ok(v),
            (_, Err(e)) => Err(e.clone()),
            (None, Ok(())) => Err(StoreError::Backend("the write job was not run".into())),
        };
        // The caller may have gone away; its change is committed all the same.
        let _ = self.reply.send(answer);
    }
}

type Job = Box<dyn GroupJob>;

pub(crate) struct Writer {
    sender: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread, which owns `conn` from now on, and the checkpoint
    /// thread, which owns `checkpoints`.
    pub(crate) fn start(
        conn: Connection,
        checkpoints: Connection,
        max_group: usize,
    ) -> std::io::Result<Writer> {
        let (sender, receiver) = crossbeam_channel::unbounded::<Job>();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let (committed, commits) = crossbeam_channel::bounded::<()>(1);
        let checkpointer = std::thread::Builder::new()
            .name("roster-sqlite-checkpoint".into())
            .spawn(move || checkpoint_loop(checkpoints, commits))?;
        let thread = std::thread::Builder::new()
            .name("roster-sqlite-writer".into())
            .spawn(move || {
                writer_loop(
                    conn,
                    receiver,
                    max_group.max(1),
                    &thread_counters,
                    Checkpoints {
                        committed,
                        checkpointer,
                    },
                )
            })?;
        Ok(Writer {
            sender: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
            counters,
        })
    }

    pub(crate) fn stats(&self) -> WriteStats {
        self.counters.snapshot()
    }

    /// Sets the observer told of every group committed from now on; false when one
    /// was set already.
    pub(crate) fn observe(&self, observer: Arc<dyn CommitObserver>) -> bool {
        self.counters.observer.set(observer).is_ok()
    }

    /// Queues `work` and waits until its group is committed.
    pub(crate) async fn run<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, Error> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(Pending {
            work: Some(work),
            outcome: None,
            reply,
        });
        let sender = lock(&self.sender).clone();
        let Some(sender) = sender else {
            return Err(closed());
        };
        sender.send(job).map_err(|_| closed())?;
        drop(sender);
        answer
            .await
            .map_err(|_| StoreError::Backend("the sqlite writer stopped before answering".into()))?
    }

    /// Stops taking jobs and returns the thread to join once it has run the queued
    /// ones. Later calls return `None`.
    pub(crate) fn shut(&self) -> Option<JoinHandle<()>> {
        drop(lock(&self.sender).take());
        lock(&self.thread).take()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if let Some(thread) = self.shut() {
            if thread.join().is_err() {
                tracing::error!("the sqlite writer thread panicked");
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn closed() -> StoreError {
    StoreError::Backend("the sqlite store is closed".into())
}

/// The least time between two checkpoints. Under a steady stream of writes the log
/// then holds about this long's worth of changed pages before they are folded back.
pub(crate) const CHECKPOINT_PAUSE: Duration = Duration::from_millis(20);

/// The writer's side of the checkpoint thread.
struct Checkpoints {
    /// Told (without waiting) after each commit; one pending signal is enough.
    committed: Sender<()>,
    checkpointer: JoinHandle<()>,
}

fn checkpoint_loop(conn: Connection, commits: Receiver<()>) {
    while commits.recv().is_ok() {
        // PASSIVE copies what no reader still needs and never waits for a lock.
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::debug!(error = %e, "sqlite checkpoint skipped");
        }
        let until = Instant::now() + CHECKPOINT_PAUSE;
        loop {
            match commits.recv_deadline(until) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

fn writer_loop(
    mut conn: Connection,
    receiver: Receiver<Job>,
    max_group: usize,
    counters: &Counters,
    checkpoints: Checkpoints,
) {
    // `recv` keeps returning queued jobs after the last sender is gone, and fails
    // only once the queue is empty.
    while let Ok(first) = receiver.recv() {
        let mut group = Vec::with_capacity(max_group.min(64));
        group.push(first);
        while group.len() < max_group {
            match receiver.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        run_group(&mut conn, group, counters);
        let _ = checkpoints.committed.try_send(());
    }
    drop(checkpoints.committed);
    if checkpoints.checkpointer.join().is_err() {
        tracing::error!("the sqlite checkpoint thread panicked");
    }
    // Fold the write-ahead log into the database file so that a closed store is one
    // file; a failure here loses nothing, the log is replayed on the next open.
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
        tracing::warn!(error = %e, "sqlite checkpoint at close failed");
    }
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %e, "closing the sqlite write connection failed");
    }
}

fn run_group(conn: &mut Connection, mut group: Vec<Job>, counters: &Counters) {
    counters
        .jobs
        .fetch_add(group.len() as u64, Ordering::Relaxed);
    let commit = match run_in_transaction(conn, &mut group) {
        Ok(took) => {
            counters.commits.fetch_add(1, Ordering::Relaxed);
            if let Some(observer) = counters.observer.get() {
                observer.committed(group.len(), took);
            }
            Ok(())
        }
        Err(e) => {
            if !conn.is_autocommit() {
                // Leave the connection ready for the next group whatever state COMMIT left.
                let _ = conn.execute_batch("ROLLBACK");
            }
            Err(e.into_store())
        }
    };
    if let Err(e) = &commit {
        tracing::error!(error = %e, jobs = group.len(), "a sqlite write group failed to commit");
    }
    for job in group {
        job.finish(&commit);
    }
}

/// Runs the group in one transaction; on success, how long its `COMMIT` took.
fn run_in_transaction(conn: &mut Connection, group: &mut [Job]) -> Result<Duration, Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for job in group.iter_mut() {
        tx.execute_batch("SAVEPOINT job")?;
        let ok = job.run(&tx);
        if tx.is_autocommit() {
            // Some failures (I/O, out of memory, a full disk) make SQLite roll back
            // the whole transaction, taking the earlier jobs of the group with it.
            return Err(Error::Store(StoreError::Backend(
                "sqlite rolled back the write transaction after a failure".into(),
            )));
        }
        if ok {
            tx.execute_batch("RELEASE job")?;
        } else {
            tx.execute_batch("ROLLBACK TO job; RELEASE job")?;
        }
    }
    tx.execute_batch(schema::FLUSH_TRIGRAMS)?;
    let committing = Instant::now();
    tx.commit()?;
    Ok(committing.elapsed())
}
