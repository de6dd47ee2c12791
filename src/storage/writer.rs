//! The single writer: one thread owns the write connection and commits queued writes in
//! batches (group commit). Each caller gets its answer through a oneshot channel only after the
//! batch's COMMIT returned, so an acknowledged write is durable; one fsync covers the batch,
//! which is what makes thousands of durable posts per second possible on a small machine.

use super::{
    AuthorAction, AuthorActionOutcome, DecisionRequest, DecisionResult, InsertOutcome, NewRecord,
    PremoderationChange, PremoderationOutcome, ReportOutcome, RescoreOutcome, Rescored, Result,
    StorageError, TrainingRecord,
};
use crate::domain::NewReport;
use parking_lot::Mutex;
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// Upper bound on writes per transaction: big enough to amortise the fsync, small enough that
/// the first caller in a batch does not wait long.
const MAX_BATCH: usize = 512;

enum Command {
    Insert(Box<NewRecord>, oneshot::Sender<Result<InsertOutcome>>),
    Decide(
        DecisionRequest,
        oneshot::Sender<Result<Vec<DecisionResult>>>,
    ),
    Training(Box<TrainingRecord>, oneshot::Sender<Result<()>>),
    Rescore(Vec<Rescored>, oneshot::Sender<Result<RescoreOutcome>>),
    Report(Box<NewReport>, u32, oneshot::Sender<Result<ReportOutcome>>),
    Author(
        Box<AuthorAction>,
        oneshot::Sender<Result<Option<AuthorActionOutcome>>>,
    ),
    Premoderation(
        Box<PremoderationChange>,
        oneshot::Sender<Result<Option<PremoderationOutcome>>>,
    ),
    Shutdown,
}

/// A finished write waiting for its batch to commit.
enum Done {
    // Boxed: a stored comment is large and most batches are all inserts anyway.
    Insert(
        oneshot::Sender<Result<InsertOutcome>>,
        Box<Result<InsertOutcome>>,
    ),
    Decide(
        oneshot::Sender<Result<Vec<DecisionResult>>>,
        Result<Vec<DecisionResult>>,
    ),
    Training(oneshot::Sender<Result<()>>, Result<()>),
    Rescore(
        oneshot::Sender<Result<RescoreOutcome>>,
        Result<RescoreOutcome>,
    ),
    Report(
        oneshot::Sender<Result<ReportOutcome>>,
        Result<ReportOutcome>,
    ),
    Author(
        oneshot::Sender<Result<Option<AuthorActionOutcome>>>,
        Result<Option<AuthorActionOutcome>>,
    ),
    Premoderation(
        oneshot::Sender<Result<Option<PremoderationOutcome>>>,
        Result<Option<PremoderationOutcome>>,
    ),
}

pub(super) struct Writer {
    sender: Mutex<Option<mpsc::Sender<Command>>>,
    alive: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    pub(super) fn start(conn: Connection) -> Result<Writer> {
        let (sender, receiver) = mpsc::channel();
        let alive = Arc::new(AtomicBool::new(true));
        let flag = alive.clone();
        let thread = std::thread::Builder::new()
            .name("talkback-writer".into())
            .spawn(move || {
                run(conn, receiver);
                flag.store(false, Ordering::SeqCst);
            })
            .map_err(|e| {
                StorageError::Unavailable(format!("starting writer thread: {e}").into())
            })?;
        Ok(Writer {
            sender: Mutex::new(Some(sender)),
            alive,
            thread: Mutex::new(Some(thread)),
        })
    }

    pub(super) fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    fn send(&self, command: Command) -> Result<()> {
        let guard = self.sender.lock();
        let sender = guard
            .as_ref()
            .ok_or_else(|| StorageError::Unavailable("storage is shutting down".into()))?;
        sender
            .send(command)
            .map_err(|_| StorageError::Unavailable("writer thread stopped".into()))
    }

    pub(super) async fn insert(&self, record: NewRecord) -> Result<InsertOutcome> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Insert(Box::new(record), tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    pub(super) async fn decide(&self, request: DecisionRequest) -> Result<Vec<DecisionResult>> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Decide(request, tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    pub(super) async fn record_training(&self, record: TrainingRecord) -> Result<()> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Training(Box::new(record), tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    pub(super) async fn rescore(&self, updates: Vec<Rescored>) -> Result<RescoreOutcome> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Rescore(updates, tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    pub(super) async fn report(&self, report: NewReport, threshold: u32) -> Result<ReportOutcome> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Report(Box::new(report), threshold, tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    pub(super) async fn author_action(
        &self,
        action: AuthorAction,
    ) -> Result<Option<AuthorActionOutcome>> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Author(Box::new(action), tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    pub(super) async fn premoderation(
        &self,
        change: PremoderationChange,
    ) -> Result<Option<PremoderationOutcome>> {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Premoderation(Box::new(change), tx))?;
        rx.await
            .map_err(|_| StorageError::Unavailable("writer dropped the request".into()))?
    }

    /// Finish every queued write, then stop the thread and wait for it.
    pub(super) fn shutdown(&self) {
        if let Some(sender) = self.sender.lock().take() {
            let _ = sender.send(Command::Shutdown);
        }
        if let Some(thread) = self.thread.lock().take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn run(mut conn: Connection, receiver: mpsc::Receiver<Command>) {
    let mut stopping = false;
    while !stopping {
        // Block for the first write, then take whatever else is already queued.
        let Ok(first) = receiver.recv() else { break };
        let mut batch = Vec::with_capacity(16);
        for command in std::iter::once(first).chain(std::iter::from_fn(|| receiver.try_recv().ok()))
        {
            match command {
                Command::Shutdown => stopping = true,
                other => batch.push(other),
            }
            if batch.len() >= MAX_BATCH {
                break;
            }
        }
        commit_batch(&mut conn, batch);
    }
    // Anything still queued behind the shutdown request is answered too, never dropped.
    let rest: Vec<Command> = receiver.try_iter().collect();
    if !rest.is_empty() {
        commit_batch(&mut conn, rest);
    }
    tracing::info!("storage writer stopped");
}

fn commit_batch(conn: &mut Connection, batch: Vec<Command>) {
    if batch.is_empty() {
        return;
    }
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(err) => {
            tracing::error!(error = %err, "storage: cannot begin a write transaction");
            let err = StorageError::from(err);
            for command in batch {
                fail(command, &err);
            }
            return;
        }
    };
    let done: Vec<Done> = batch
        .into_iter()
        .filter_map(|command| run_write(&mut tx, command))
        .collect();
    let committed = tx.commit().map_err(|err| {
        tracing::error!(error = %err, "storage: commit failed; the batch was not stored");
        StorageError::from(err)
    });
    // Answer only now: every Ok sent below is on disk.
    for item in done {
        item.answer(&committed);
    }
}

/// One write of the batch, in its own savepoint; its answer waits for the batch's COMMIT.
fn run_write(tx: &mut rusqlite::Transaction<'_>, command: Command) -> Option<Done> {
    use super::sqlite;
    Some(match command {
        Command::Insert(record, reply) => {
            let result = in_savepoint(tx, |c| sqlite::insert_comment(c, &record));
            Done::Insert(reply, Box::new(result))
        }
        Command::Decide(request, reply) => {
            Done::Decide(reply, in_savepoint(tx, |c| sqlite::decide(c, &request)))
        }
        Command::Training(record, reply) => Done::Training(
            reply,
            in_savepoint(tx, |c| sqlite::insert_training(c, &record)),
        ),
        Command::Rescore(updates, reply) => Done::Rescore(
            reply,
            in_savepoint(tx, |c| sqlite::apply_rescore(c, &updates)),
        ),
        Command::Report(report, threshold, reply) => {
            let result = in_savepoint(tx, |c| sqlite::insert_report(c, &report, threshold));
            Done::Report(reply, result)
        }
        Command::Author(action, reply) => Done::Author(
            reply,
            in_savepoint(tx, |c| sqlite::act_on_author(c, &action)),
        ),
        Command::Premoderation(change, reply) => {
            let result = in_savepoint(tx, |c| sqlite::premoderation::set_premoderation(c, &change));
            Done::Premoderation(reply, result)
        }
        Command::Shutdown => return None,
    })
}

impl Done {
    /// Send the write's result, or the commit's failure when the batch was not stored.
    fn answer(self, committed: &Result<()>) {
        fn settled<T>(result: Result<T>, committed: &Result<()>) -> Result<T> {
            match committed {
                Ok(()) => result,
                Err(e) => result.and(Err(e.clone())),
            }
        }
        match self {
            Done::Insert(reply, result) => {
                let _ = reply.send(settled(*result, committed));
            }
            Done::Decide(reply, result) => {
                let _ = reply.send(settled(result, committed));
            }
            Done::Training(reply, result) => {
                let _ = reply.send(settled(result, committed));
            }
            Done::Rescore(reply, result) => {
                let _ = reply.send(settled(result, committed));
            }
            Done::Report(reply, result) => {
                let _ = reply.send(settled(result, committed));
            }
            Done::Author(reply, result) => {
                let _ = reply.send(settled(result, committed));
            }
            Done::Premoderation(reply, result) => {
                let _ = reply.send(settled(result, committed));
            }
        }
    }
}

/// Run one write in its own savepoint so a failure undoes only that write, not the batch.
fn in_savepoint<T>(
    tx: &mut rusqlite::Transaction<'_>,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let sp = tx.savepoint()?;
    let result = f(&sp)?;
    sp.commit()?;
    Ok(result)
}

fn fail(command: Command, error: &StorageError) {
    let err = || error.clone();
    match command {
        Command::Insert(_, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Decide(_, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Training(_, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Rescore(_, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Report(_, _, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Author(_, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Premoderation(_, reply) => {
            let _ = reply.send(Err(err()));
        }
        Command::Shutdown => {}
    }
}
