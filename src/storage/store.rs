//! [`Store`], the facade handlers use: each operation sent to whichever backend the store was
//! opened on. SQLite writes go through the writer thread, SQLite reads run on a pooled read
//! connection on the blocking pool, PostgreSQL operations on the pool's own runtime. Each
//! operation is a debug-level span `store.<operation>` inside the request's span, so a slow
//! request's log shows which storage call took the time.

use super::{
    ArticlePremoderation, AuditEntry, AuthorAction, AuthorActionOutcome, AuthorPanel,
    CommentDetail, Cursor, DecidedComment, DecisionRequest, DecisionResult, InsertOutcome,
    Location, LogFilter, MIGRATIONS, NewRecord, PG_MIGRATIONS, Page, PoolSettings,
    PremoderationChange, PremoderationOutcome, QueueFilter, QueueUpdates, QueueVersion,
    ReportOutcome, RescoreOutcome, Rescored, Result, Rollout, Stats, StorageError, StoredComment,
    SuggestedLabel, TrainingRecord, Undecided, fleet, postgres, sqlite,
};
use crate::domain::{CommentId, CommentStatus, NewReport};
use std::path::Path;
use std::sync::Arc;

/// The storage facade handlers use. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Backend>,
}

enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// One operation on either backend: `$sqlite` runs on a pooled SQLite read connection,
/// `$pg` on the PostgreSQL pool.
macro_rules! read_either {
    ($self:ident, |$db:ident| $sqlite:expr, |$pool:ident| $pg:expr) => {
        match &*$self.inner {
            Backend::Sqlite(_) => $self.read(move |$db| $sqlite).await,
            Backend::Postgres(pg) => pg.run(move |$pool| $pg).await,
        }
    };
}

impl Store {
    /// Open a SQLite file (creating file and directory when missing), apply pending
    /// migrations, start the writer thread. Returns the names of the migrations applied now.
    pub fn open(path: &Path) -> Result<(Store, Vec<String>)> {
        let (inner, applied) = sqlite::Sqlite::open(path)?;
        Ok((Store::with(Backend::Sqlite(inner)), applied))
    }

    /// Open whichever backend `location` names; for PostgreSQL, connect and apply pending
    /// migrations under an advisory lock (instances starting together apply them once).
    pub fn connect(location: &Location) -> Result<(Store, Vec<String>)> {
        Store::connect_with(location, PoolSettings::default())
    }

    /// As [`Store::connect`], with this PostgreSQL pool (ignored for SQLite).
    pub fn connect_with(location: &Location, pool: PoolSettings) -> Result<(Store, Vec<String>)> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres(url) => {
                let (inner, applied) = postgres::Postgres::open(url, pool)?;
                Ok((Store::with(Backend::Postgres(inner)), applied))
            }
        }
    }

    fn with(backend: Backend) -> Store {
        Store {
            inner: Arc::new(backend),
        }
    }

    /// The migrations this store's backend knows, in order (what a new database applies).
    pub fn migrations(&self) -> &'static [(i64, &'static str, &'static str)] {
        match &*self.inner {
            Backend::Sqlite(_) => MIGRATIONS,
            Backend::Postgres(_) => PG_MIGRATIONS,
        }
    }

    /// Store a new comment; resolves once it is committed. With an Idempotency-Key already
    /// used for the same request, returns the first result instead.
    #[tracing::instrument(level = "debug", skip_all, name = "store.insert_comment")]
    pub async fn insert_comment(&self, record: NewRecord) -> Result<InsertOutcome> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.insert(record).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::insert_comment(pool, record)).await,
        }
    }

    /// Apply one moderator action to every id in it, atomically.
    #[tracing::instrument(level = "debug", skip_all, name = "store.decide")]
    pub async fn decide(&self, request: DecisionRequest) -> Result<Vec<DecisionResult>> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.decide(request).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::decide(pool, request)).await,
        }
    }

    /// Switch an article's pre-moderation on or off; resolves once committed. None: no comment
    /// was ever posted on that article, and nothing was stored.
    #[tracing::instrument(level = "debug", skip_all, name = "store.set_premoderation")]
    pub async fn set_premoderation(
        &self,
        change: PremoderationChange,
    ) -> Result<Option<PremoderationOutcome>> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.premoderation(change).await,
            Backend::Postgres(pg) => {
                pg.run(|pool| postgres::set_premoderation(pool, change))
                    .await
            }
        }
    }

    /// An article's pre-moderation now; None for an article no comment was posted on.
    #[tracing::instrument(level = "debug", skip_all, name = "store.premoderation")]
    pub async fn premoderation(&self, article_id: String) -> Result<Option<ArticlePremoderation>> {
        read_either!(
            self,
            |db| sqlite::premoderation::article_premoderation(db, &article_id),
            |pool| postgres::article_premoderation(pool, article_id)
        )
    }

    /// Every article under pre-moderation, most recently switched on first.
    #[tracing::instrument(level = "debug", skip_all, name = "store.premoderated_articles")]
    pub async fn premoderated_articles(&self) -> Result<Vec<ArticlePremoderation>> {
        read_either!(
            self,
            |db| sqlite::premoderation::premoderated_articles(db),
            |pool| postgres::premoderated_articles(pool)
        )
    }

    /// Suspend, ban or reinstate an author; resolves once committed. None: no comment was ever
    /// posted with that author id, and nothing was stored.
    #[tracing::instrument(level = "debug", skip_all, name = "store.act_on_author")]
    pub async fn act_on_author(&self, action: AuthorAction) -> Result<Option<AuthorActionOutcome>> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.author_action(action).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::act_on_author(pool, action)).await,
        }
    }

    /// An author's standing, counts, latest `limit` comments and the actions taken on them;
    /// None for an author id no comment was posted with.
    #[tracing::instrument(level = "debug", skip_all, name = "store.author")]
    pub async fn author(&self, author_id: String, limit: usize) -> Result<Option<AuthorPanel>> {
        read_either!(
            self,
            |db| sqlite::author_panel(db, &author_id, limit),
            |pool| postgres::author_panel(pool, author_id, limit)
        )
    }

    /// Store a reader report; resolves once committed. A published comment no moderator has
    /// decided goes back to the held queue once `threshold` distinct readers have open reports
    /// on it. An unknown comment is `NotFound`.
    #[tracing::instrument(level = "debug", skip_all, name = "store.report")]
    pub async fn report(&self, report: NewReport, threshold: u32) -> Result<ReportOutcome> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.report(report, threshold).await,
            Backend::Postgres(pg) => {
                pg.run(|pool| postgres::insert_report(pool, report, threshold))
                    .await
            }
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.find_by_idempotency_key")]
    pub async fn find_by_idempotency_key(&self, key: String) -> Result<Option<StoredComment>> {
        read_either!(
            self,
            |db| sqlite::find_by_idempotency_key(db, &key),
            |pool| postgres::find_by_idempotency_key(pool, key)
        )
    }

    /// Published comments of one article, oldest first.
    #[tracing::instrument(level = "debug", skip_all, name = "store.list_published")]
    pub async fn list_published(
        &self,
        article_id: String,
        limit: usize,
        after: Option<Cursor>,
    ) -> Result<Page<StoredComment>> {
        read_either!(
            self,
            |db| sqlite::list_published(db, &article_id, limit, after),
            |pool| postgres::list_published(pool, article_id, limit, after)
        )
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue")]
    pub async fn queue(&self, filter: QueueFilter) -> Result<Page<StoredComment>> {
        read_either!(self, |db| sqlite::queue(db, &filter), |pool| {
            postgres::queue(pool, filter)
        })
    }

    /// The cheap part of [`Store::queue_updates`]: has anything changed since `version`?
    #[tracing::instrument(level = "debug", skip_all, name = "store.queue_version")]
    pub async fn queue_version(&self) -> Result<QueueVersion> {
        read_either!(
            self,
            |db| sqlite::queue_version(db).map(|last| QueueVersion {
                last,
                settled: Some(last)
            }),
            |pool| postgres::queue_version(pool)
        )
    }

    /// Version, watermark, held count and the ids of comments in the filtered view stored
    /// after `since` (none without it), read from one snapshot so they agree. The watermark is
    /// settled: no comment (report) at or below it can still appear, so a client that polls
    /// from it again never skips one; ids above it already seen may be listed again.
    #[tracing::instrument(level = "debug", skip_all, name = "store.queue_updates")]
    pub async fn queue_updates(
        &self,
        filter: QueueFilter,
        since: Option<i64>,
    ) -> Result<QueueUpdates> {
        read_either!(
            self,
            |db| sqlite::queue_updates(db, &filter, since),
            |pool| postgres::queue_updates(pool, filter, since)
        )
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.get_detail")]
    pub async fn get_detail(&self, id: CommentId) -> Result<Option<CommentDetail>> {
        read_either!(self, |db| sqlite::get_detail(db, id), |pool| {
            postgres::get_detail(pool, id)
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.audit_log")]
    pub async fn audit_log(&self, filter: LogFilter) -> Result<Page<AuditEntry>> {
        read_either!(self, |db| sqlite::audit_log(db, &filter), |pool| {
            postgres::audit_log(pool, filter)
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.stats")]
    pub async fn stats(&self) -> Result<Stats> {
        read_either!(self, |db| sqlite::stats(db), |pool| postgres::stats(pool))
    }

    /// Readiness: the database answers (and, on SQLite, the writer thread is running).
    #[tracing::instrument(level = "debug", skip_all, name = "store.ping")]
    pub async fn ping(&self) -> Result<()> {
        if let Backend::Sqlite(db) = &*self.inner
            && !db.writer.is_alive()
        {
            return Err(StorageError::Unavailable("writer thread stopped".into()));
        }
        read_either!(self, |db| sqlite::ping(db), |pool| postgres::ping(pool))
    }

    /// Keep text sent through the Perspective-compatible API for retraining; resolves once
    /// committed.
    #[tracing::instrument(level = "debug", skip_all, name = "store.record_training")]
    pub async fn record_training(&self, record: TrainingRecord) -> Result<()> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.record_training(record).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::insert_training(pool, record)).await,
        }
    }

    /// Undecided, unreported comments with this status whose author restriction did not decide
    /// it, oldest first (rescore input).
    #[tracing::instrument(level = "debug", skip_all, name = "store.undecided")]
    pub async fn undecided(&self, status: CommentStatus) -> Result<Vec<Undecided>> {
        read_either!(self, |db| sqlite::undecided(db, status), |pool| {
            postgres::undecided(pool, status)
        })
    }

    /// Record new model verdicts (status, scores, reasons, model version) in one transaction,
    /// with an audit entry by actor `rescore` for each; see [`Rescored::expected_status`].
    #[tracing::instrument(level = "debug", skip_all, name = "store.apply_rescore")]
    pub async fn apply_rescore(&self, updates: Vec<Rescored>) -> Result<RescoreOutcome> {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.rescore(updates).await,
            Backend::Postgres(pg) => pg.run(|pool| postgres::apply_rescore(pool, updates)).await,
        }
    }

    /// Every decided comment with its latest decision, oldest comment first (export).
    #[tracing::instrument(level = "debug", skip_all, name = "store.decided_comments")]
    pub async fn decided_comments(&self) -> Result<Vec<DecidedComment>> {
        read_either!(self, |db| sqlite::decided_comments(db), |pool| {
            postgres::decided_comments(pool)
        })
    }

    /// Every stored `comments:suggestscore` judgement, in arrival order (export).
    #[tracing::instrument(level = "debug", skip_all, name = "store.suggested_labels")]
    pub async fn suggested_labels(&self) -> Result<Vec<SuggestedLabel>> {
        read_either!(self, |db| sqlite::suggested_labels(db), |pool| {
            postgres::suggested_labels(pool)
        })
    }

    /// Whether several instances may share this database (PostgreSQL): then the model in
    /// service and the per-person rate allowances are kept in it (see `fleet`).
    pub fn is_shared(&self) -> bool {
        matches!(&*self.inner, Backend::Postgres(_))
    }

    /// Record that this instance put `version` in service (loaded from `path`, None: the
    /// configured path), so every instance on the database follows. Returns the rollout's
    /// generation; None on SQLite, where there is no other instance to tell.
    #[tracing::instrument(level = "debug", skip_all, name = "store.publish_model")]
    pub async fn publish_model(
        &self,
        version: String,
        path: Option<String>,
        by: String,
    ) -> Result<Option<i64>> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => pg
                .run(|pool| fleet::publish_model(pool, version, path, by))
                .await
                .map(Some),
        }
    }

    /// The model the last reload on any instance put in service; None before the first
    /// reload, and always on SQLite.
    #[tracing::instrument(level = "debug", skip_all, name = "store.rollout")]
    pub async fn rollout(&self) -> Result<Option<Rollout>> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => pg.run(fleet::rollout).await,
        }
    }

    /// Take one request from `key`'s shared allowance (one per `interval`, `burst` ahead at
    /// most); None when allowed, else how long until it would be. Always allowed on SQLite,
    /// whose single instance limits in memory.
    #[tracing::instrument(level = "debug", skip_all, name = "store.take_allowance")]
    pub async fn take_allowance(
        &self,
        key: String,
        interval: std::time::Duration,
        burst: std::time::Duration,
    ) -> Result<Option<std::time::Duration>> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => {
                pg.run(|pool| fleet::take_allowance(pool, key, interval, burst))
                    .await
            }
        }
    }

    /// Drop allowances that are whole again; returns how many.
    #[tracing::instrument(level = "debug", skip_all, name = "store.forget_spent_allowances")]
    pub async fn forget_spent_allowances(&self) -> Result<u64> {
        match &*self.inner {
            Backend::Sqlite(_) => Ok(0),
            Backend::Postgres(pg) => pg.run(fleet::forget_spent_allowances).await,
        }
    }

    /// SQLite: let the writer finish every queued write, then stop it. PostgreSQL: close the
    /// pool (every write answered so far is committed). Call after the HTTP server has
    /// stopped, so no new writes arrive.
    pub fn shutdown(&self) {
        match &*self.inner {
            Backend::Sqlite(db) => db.writer.shutdown(),
            Backend::Postgres(pg) => pg.shutdown(),
        }
    }

    /// Run `f` on a SQLite read connection on the blocking pool (SQLite backend only).
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        // Keeps the caller's span (the request and its id) on log lines from the blocking pool.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            span.in_scope(|| match &*inner {
                Backend::Sqlite(db) => db.with_reader(f),
                Backend::Postgres(_) => Err(StorageError::Failed(
                    "a SQLite read was sent to the PostgreSQL backend".into(),
                )),
            })
        })
        .await
        .map_err(StorageError::from_join)?
    }
}
