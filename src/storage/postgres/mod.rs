//! PostgreSQL backend: the pool, migrations under an advisory lock, and every query, with the
//! same behaviour as `sqlite.rs` (the storage tests run one body against both).
//!
//! Several instances share one database, so what SQLite gets from its single writer thread
//! comes from the database here: each write is one transaction on a pooled connection; the
//! comment rows a decision, report or rescore changes are locked (`FOR UPDATE`, in id order so
//! two bulk decisions cannot deadlock) before they are read, and the Idempotency-Key's unique
//! constraint decides which of two concurrent posts creates the comment. Reads that must agree
//! with each other run in one REPEATABLE READ snapshot.
//!
//! The pool and its connections live on a small runtime of their own, so a connection does not
//! depend on whichever actix worker (each has its own runtime) happened to open it.

use super::premoderation::ForPost;
use super::sqlite::{
    AUDIT_COLUMNS, AuditRow, AuthorRow, COMMENT_COLUMNS, CommentRow, MODERATOR_ACTIONS, OpenReport,
    auto_action, excerpt, json_text, now, page_of, rfc3339_ms, summary,
};
use super::{
    AUTHOR_ACTIONS_LISTED, ArticleInfo, ArticlePremoderation, AuditEntry, AuthorAction,
    AuthorActionKind, AuthorActionOutcome, AuthorComment, AuthorCounts, AuthorPanel, Cause,
    CommentDetail, Conflict, Cursor, DecidedComment, Decision, DecisionRecord, DecisionRequest,
    DecisionResult, EXCERPT_CHARS, InsertOutcome, LogFilter, LogKind, ModelVersionStats, NewRecord,
    PARENT_EXCERPT_CHARS, Page, ParentExcerpt, PoolSettings, PremoderationChange,
    PremoderationOutcome, QueueFilter, QueueOrder, QueueUpdates, QueueVersion, QueueView,
    ReportCounts, ReportOutcome, ReportRecord, RescoreOutcome, Rescored, Result, Stats,
    StatusCounts, StorageError, StoredComment, SuggestedLabel, TrainingDataCounts, TrainingRecord,
    Undecided, distinct_reporters, labels_with_reports, listed_labels,
};
use crate::domain::{
    ARTICLE_PREMODERATED, AuthorRestriction, CommentId, CommentStatus, Label, NewReport,
    ReportReason, premoderated_status,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Timeouts, Transaction};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, NoTls, Row};

/// (version, name, SQL) in the order they apply. Append only: never edit a shipped migration.
pub const PG_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_init",
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "0002_instances",
        include_str!("../../../migrations/postgres/0002_instances.sql"),
    ),
    (
        3,
        "0003_article_premoderation",
        include_str!("../../../migrations/postgres/0003_article_premoderation.sql"),
    ),
];

/// Set on every connection unless the URL sets its own: a statement stuck behind a lock or a
/// failing disk ends as an error (503) instead of a hang.
const STATEMENT_TIMEOUT: &str = "-c statement_timeout=10000 -c lock_timeout=5000";
/// Key of the advisory lock the migrations run under (any constant; "talkback" in ASCII).
const MIGRATION_LOCK: i64 = 0x7461_6c6b_6261_636b;

pub(super) struct Postgres {
    pool: Pool,
    /// Some until drop; `shutdown_background` there, because dropping a runtime inside another
    /// runtime (a test, an actix worker) would panic.
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.pool.close();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl From<tokio_postgres::Error> for StorageError {
    fn from(err: tokio_postgres::Error) -> Self {
        if pg_is_temporary(&err) {
            StorageError::Unavailable(Cause::new(err))
        } else {
            StorageError::Failed(Cause::new(err))
        }
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError;
        match err {
            PoolError::Backend(e) => e.into(),
            // Waiting or connecting timed out, or the pool is closing: the database may be
            // back in a moment. A pool that cannot time out (no runtime) is a build bug.
            PoolError::Timeout(_) | PoolError::Closed => StorageError::Unavailable(Cause::new(err)),
            _ => StorageError::Failed(Cause::new(err)),
        }
    }
}

/// Errors that describe the database's surroundings rather than the statement: a lost or
/// refused connection, a server shutting down or out of resources, a timeout, and the
/// serialization failures and deadlocks that concurrent instances can cause. The same write
/// can succeed later. Everything else (constraint violations, SQL errors, values that do not
/// decode) is a bug or damaged data.
fn pg_is_temporary(err: &tokio_postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    match err.code() {
        Some(code) => {
            let class = &code.code()[..2];
            // 08 connection exception, 53 insufficient resources, 57 operator intervention
            // (admin shutdown, query cancelled by statement_timeout), 58 system error (I/O).
            matches!(class, "08" | "53" | "57" | "58")
                || *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
                || *code == SqlState::LOCK_NOT_AVAILABLE
        }
        // No SQLSTATE: the statement never reached the server or its answer never came back.
        // A lost or refused connection carries the I/O error; a connect timeout carries
        // nothing, and the crate exposes its kind only through the message. A value that does
        // not decode (no I/O underneath) is a bug, not an outage.
        None => has_io_source(err) || err.to_string() == "timeout waiting for server",
    }
}

fn has_io_source(err: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

fn failed(message: String) -> StorageError {
    StorageError::Failed(message.into())
}

impl Postgres {
    /// Connect, apply pending migrations under the advisory lock, and keep a pool.
    pub(super) fn open(url: &str, settings: PoolSettings) -> Result<(Postgres, Vec<String>)> {
        let mut config = client_config(url, settings.connect_timeout)?;
        if config.get_options().is_none() {
            config.options(STATEMENT_TIMEOUT);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("talkback-pg")
            .enable_all()
            .build()
            .map_err(|e| {
                StorageError::Unavailable(format!("starting PostgreSQL runtime: {e}").into())
            })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(settings.size)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .timeouts(Timeouts {
                wait: Some(settings.wait),
                create: Some(settings.connect_timeout),
                recycle: Some(settings.connect_timeout),
            })
            .build()
            .map_err(|e| failed(format!("building the PostgreSQL pool: {e}")))?;
        let handle = runtime.handle().clone();
        let migrate_pool = pool.clone();
        // Waits on a channel, not with `block_on`, so opening works from inside a runtime too.
        let (tx, rx) = std::sync::mpsc::channel();
        handle.spawn(async move {
            let applied = match migrate_pool.get().await {
                Ok(mut client) => migrate(&mut client).await,
                Err(e) => Err(e.into()),
            };
            let _ = tx.send(applied);
        });
        let applied = rx
            .recv()
            .map_err(|_| StorageError::Unavailable("PostgreSQL runtime stopped".into()))??;
        Ok((
            Postgres {
                pool,
                runtime: Some(runtime),
                handle,
            },
            applied,
        ))
    }

    /// Run a storage operation on this backend's runtime.
    pub(super) async fn run<T, F, Fut>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Pool) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let fut = op(self.pool.clone());
        // Keeps the caller's span (the request and its id) on log lines from this runtime.
        let span = tracing::Span::current();
        self.handle
            .spawn(tracing::Instrument::instrument(fut, span))
            .await
            .map_err(StorageError::from_join)?
    }

    pub(super) fn shutdown(&self) {
        self.pool.close();
    }
}

/// `url` parsed, with `connect_timeout` unless the URL sets its own.
pub(super) fn client_config(
    url: &str,
    connect_timeout: Duration,
) -> Result<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| failed(format!("invalid PostgreSQL URL: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(connect_timeout);
    }
    config.application_name("talkback");
    Ok(config)
}

/// Apply every migration not yet recorded, in one transaction, holding an advisory lock so two
/// instances starting together apply them once: the second waits, then finds them recorded.
pub(super) async fn migrate(client: &mut tokio_postgres::Client) -> Result<Vec<String>> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let mut applied = Vec::new();
    for &(version, name, sql) in PG_MIGRATIONS {
        let done = tx
            .query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[&version],
            )
            .await?;
        if done.is_some() {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, &name],
        )
        .await?;
        applied.push(name.to_string());
    }
    tx.commit().await?;
    Ok(applied)
}

pub(super) type Param = Box<dyn ToSql + Sync + Send>;

pub(super) async fn rows(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query(&stmt, params).await?)
}

pub(super) async fn opt_row(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&stmt, params).await?)
}

pub(super) async fn one_row(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Row> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_one(&stmt, params).await?)
}

pub(super) async fn exec(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&stmt, params).await?)
}

/// A read-only transaction; `snapshot`: REPEATABLE READ, so every read in it sees one state.
async fn read_tx(
    client: &mut deadpool_postgres::Client,
    snapshot: bool,
) -> Result<Transaction<'_>> {
    let level = if snapshot {
        IsolationLevel::RepeatableRead
    } else {
        IsolationLevel::ReadCommitted
    };
    Ok(client
        .build_transaction()
        .read_only(true)
        .isolation_level(level)
        .start()
        .await?)
}

// ---------------------------------------------------------------- row decoding

fn json_col<T: serde::de::DeserializeOwned>(row: &Row, idx: usize) -> Result<T> {
    let text: String = row.try_get(idx)?;
    serde_json::from_str(&text).map_err(|e| failed(format!("column {idx}: {e}")))
}

fn id_col(row: &Row, idx: usize) -> Result<CommentId> {
    let text: String = row.try_get(idx)?;
    CommentId::parse(&text, "id").map_err(|e| failed(format!("column {idx}: {e}")))
}

fn opt_id_col(row: &Row, idx: usize) -> Result<Option<CommentId>> {
    let text: Option<String> = row.try_get(idx)?;
    text.map(|t| CommentId::parse(&t, "id").map_err(|e| failed(format!("column {idx}: {e}"))))
        .transpose()
}

fn parse_status(text: &str) -> Result<CommentStatus> {
    CommentStatus::parse(text).ok_or_else(|| failed(format!("stored status {text}")))
}

fn status_col(row: &Row, idx: usize) -> Result<CommentStatus> {
    parse_status(&row.try_get::<_, String>(idx)?)
}

fn opt_status_col(row: &Row, idx: usize) -> Result<Option<CommentStatus>> {
    let text: Option<String> = row.try_get(idx)?;
    text.as_deref().map(parse_status).transpose()
}

fn reason_col(row: &Row, idx: usize) -> Result<ReportReason> {
    let text: String = row.try_get(idx)?;
    ReportReason::parse(&text).map_err(|e| failed(format!("column {idx}: {e}")))
}

fn decision_col(row: &Row, idx: usize) -> Result<Decision> {
    let text: String = row.try_get(idx)?;
    Decision::parse(&text).ok_or_else(|| failed(format!("stored decision {text}")))
}

fn count_col(row: &Row, idx: usize) -> Result<u64> {
    let n: i64 = row.try_get(idx)?;
    u64::try_from(n).map_err(|_| failed(format!("negative count {n}")))
}

fn comment_row(row: &Row) -> Result<CommentRow> {
    let parent: Option<String> = row.try_get(4)?;
    Ok(CommentRow {
        seq: row.try_get(0)?,
        max_score: row.try_get(1)?,
        open_reports: row.try_get(17)?,
        last_report_id: row.try_get(18)?,
        comment: StoredComment {
            id: id_col(row, 2)?,
            article_id: row.try_get(3)?,
            parent_id: parent
                .map(|p| CommentId::parse(&p, "parent_id"))
                .transpose()
                .map_err(|e| failed(e.to_string()))?,
            author: row.try_get(5)?,
            author_id: row.try_get(19)?,
            title: row.try_get(6)?,
            body: row.try_get(7)?,
            status: status_col(row, 8)?,
            auto_status: status_col(row, 9)?,
            status_reason: row.try_get(20)?,
            posted_status: status_col(row, 21)?,
            scores: json_col(row, 10)?,
            reasons: json_col(row, 11)?,
            model_version: row.try_get(12)?,
            thresholds: json_col(row, 13)?,
            created_at: row.try_get(14)?,
            updated_at: row.try_get(15)?,
            request_hash: row.try_get(16)?,
            reports: None,
            article: None,
            parent: None,
            started_surge: false,
        },
    })
}

fn audit_row(row: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        article_id: None,
        excerpt: None,
        id: row.try_get(0)?,
        at: row.try_get(1)?,
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        comment_id: opt_id_col(row, 4)?,
        before_status: opt_status_col(row, 5)?,
        after_status: opt_status_col(row, 6)?,
        reason: row.try_get(7)?,
        note: row.try_get(8)?,
        override_previous: row.try_get(9)?,
        resolved_reports: u32::try_from(row.try_get::<_, i64>(10)?).unwrap_or(u32::MAX),
        author_id: row.try_get(11)?,
        until: row.try_get(12)?,
    })
}

// ---------------------------------------------------------------- context of comments

async fn read_open_reports(tx: &Transaction<'_>, comment_id: &str) -> Result<Vec<OpenReport>> {
    rows(
        tx,
        "SELECT reason, reporter_id, note FROM reports \
         WHERE comment_id = $1 AND resolution IS NULL ORDER BY id DESC",
        &[&comment_id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(OpenReport {
            reason: reason_col(r, 0)?,
            reporter_id: r.try_get(1)?,
            note: r.try_get(2)?,
        })
    })
    .collect()
}

async fn attach_reports(tx: &Transaction<'_>, rows: &mut [CommentRow]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| r.open_reports > 0) {
        let open = read_open_reports(tx, &row.comment.id.to_string()).await?;
        row.comment.reports = Some(summary(&open));
    }
    Ok(())
}

async fn attach_context(tx: &Transaction<'_>, page: &mut [CommentRow]) -> Result<()> {
    // Two queries for the whole page rather than two per row: each is a round trip to the
    // server, and a page holds up to 200 comments.
    let mut article_ids: Vec<&str> = page.iter().map(|r| r.comment.article_id.as_str()).collect();
    article_ids.sort_unstable();
    article_ids.dedup();
    let mut articles = HashMap::new();
    for r in rows(
        tx,
        "SELECT article_id, url, title FROM articles WHERE article_id = ANY($1)",
        &[&article_ids],
    )
    .await?
    {
        let info = article_info(&r, 1)?;
        if let Some(info) = info {
            articles.insert(r.try_get::<_, String>(0)?, info);
        }
    }
    let parent_ids: Vec<String> = page
        .iter()
        .filter_map(|r| r.comment.parent_id.map(|id| id.to_string()))
        .collect();
    let mut parents = HashMap::new();
    if !parent_ids.is_empty() {
        let sql = format!(
            "SELECT id, author, substr(body, 1, {}), status, created_at FROM comments \
             WHERE id = ANY($1)",
            PARENT_EXCERPT_CHARS + 1
        );
        for r in rows(tx, &sql, &[&parent_ids]).await? {
            let parent = ParentExcerpt {
                id: id_col(&r, 0)?,
                author: r.try_get(1)?,
                excerpt: excerpt(r.try_get(2)?, PARENT_EXCERPT_CHARS),
                status: status_col(&r, 3)?,
                created_at: r.try_get(4)?,
            };
            parents.insert(parent.id, parent);
        }
    }
    for row in page.iter_mut() {
        let c = &mut row.comment;
        c.article = articles.get(&c.article_id).cloned();
        c.parent = c.parent_id.and_then(|id| parents.get(&id).cloned());
    }
    Ok(())
}

/// The URL and title in columns `first` and `first + 1`; `None` when the platform sent neither.
fn article_info(r: &Row, first: usize) -> Result<Option<ArticleInfo>> {
    let info = ArticleInfo {
        url: r.try_get(first)?,
        title: r.try_get(first + 1)?,
    };
    Ok((info.url.is_some() || info.title.is_some()).then_some(info))
}

pub(super) async fn read_article(
    tx: &Transaction<'_>,
    article_id: &str,
) -> Result<Option<ArticleInfo>> {
    let row = opt_row(
        tx,
        "SELECT url, title FROM articles WHERE article_id = $1",
        &[&article_id],
    )
    .await?;
    Ok(row.map(|r| article_info(&r, 0)).transpose()?.flatten())
}

// ---------------------------------------------------------------- writes

pub(super) async fn insert_comment(pool: Pool, rec: NewRecord) -> Result<InsertOutcome> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    match insert_in(&tx, &rec).await? {
        Some(outcome) => {
            tx.commit().await?;
            Ok(outcome)
        }
        None => {
            // Undo the article and author rows this attempt wrote, then answer as the first.
            tx.rollback().await?;
            let key = rec.idempotency.as_ref().map(|i| i.key.clone());
            let tx = read_tx(&mut client, false).await?;
            let existing = match key {
                Some(key) => find_by_key_in(&tx, &key).await?,
                None => None,
            };
            tx.commit().await?;
            let existing = existing.ok_or_else(|| {
                failed("idempotency key conflict, but no comment holds the key".into())
            })?;
            replay(existing, &rec)
        }
    }
}

fn replay(existing: StoredComment, rec: &NewRecord) -> Result<InsertOutcome> {
    let fingerprint = rec.idempotency.as_ref().map(|i| i.fingerprint.as_str());
    if existing.request_hash.as_deref() == fingerprint {
        Ok(InsertOutcome::Existing(existing))
    } else {
        Err(StorageError::IdempotencyMismatch)
    }
}

/// The new comment, or None when the Idempotency-Key was taken by a post that committed first
/// (possibly on another instance) after this transaction looked for it.
async fn insert_in(tx: &Transaction<'_>, rec: &NewRecord) -> Result<Option<InsertOutcome>> {
    if let Some(idem) = &rec.idempotency
        && let Some(existing) = find_by_key_in(tx, &idem.key).await?
    {
        return replay(existing, rec).map(Some);
    }
    let c = &rec.comment;
    if let Some(parent) = c.parent_id {
        let article = opt_row(
            tx,
            "SELECT article_id FROM comments WHERE id = $1",
            &[&parent.to_string()],
        )
        .await?
        .map(|r| r.try_get::<_, String>(0))
        .transpose()?;
        if article.as_deref() != Some(c.article_id.as_str()) {
            return Err(StorageError::UnknownParent(parent));
        }
    }
    let (now, now_ms) = now();
    let id = rec.id.to_string();
    let restriction = match &c.author_id {
        Some(author) => restriction_for_post(tx, author.as_str(), &now, now_ms).await?,
        None => None,
    };
    let for_post = super::postgres_premoderation::premoderation_for_post(
        tx,
        c.article_id.as_str(),
        rec.status,
        rec.surge.as_ref(),
        &now,
        now_ms,
    )
    .await?;
    let premoderated = for_post != ForPost::Open;
    // As in `sqlite::insert_comment`: the stricter of the author's restriction and the
    // article's pre-moderation decides `status`, the restriction naming the reason.
    let (mut status, status_reason) = match restriction {
        Some(r) => (
            rec.author_policy.status(r, rec.status),
            Some(r.status_reason()),
        ),
        None => (rec.status, None),
    };
    if premoderated {
        status = premoderated_status(status);
    }
    let shown_reason = status_reason.or(premoderated.then_some(ARTICLE_PREMODERATED));
    let posted_status = (status != rec.status).then_some(status.as_str());
    // A transaction id before the comment's number is drawn: what `settled_positions` relies on.
    exec(tx, "SELECT pg_current_xact_id()", &[]).await?;
    upsert_article(tx, rec, &now).await?;
    let inserted = opt_row(
        tx,
        "INSERT INTO comments (id, article_id, parent_id, author, title, body, status, \
         auto_status, max_score, scores, reasons, model_version, thresholds, idempotency_key, \
         request_hash, created_at, created_ms, updated_at, author_id, status_reason, \
         posted_status, premoderated) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $16, $18, $19, $20, $21) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq",
        &[
            &id,
            &c.article_id.as_str(),
            &c.parent_id.map(|p| p.to_string()),
            &c.author.as_str(),
            &c.title.as_ref().map(|t| t.as_str()),
            &c.body.as_str(),
            &status.as_str(),
            &rec.status.as_str(),
            &f64::from(rec.scores.max()),
            &json_text(&rec.scores)?,
            &json_text(&rec.reasons)?,
            &rec.model_version,
            &json_text(&rec.thresholds)?,
            &rec.idempotency.as_ref().map(|i| i.key.as_str()),
            &rec.idempotency.as_ref().map(|i| i.fingerprint.as_str()),
            &now,
            &now_ms,
            &c.author_id.as_ref().map(|a| a.as_str()),
            &status_reason,
            &posted_status,
            &i32::from(premoderated),
        ],
    )
    .await?;
    let Some(inserted) = inserted else {
        return Ok(None);
    };
    let seq: i64 = inserted.try_get(0)?;
    insert_labels(
        tx,
        seq,
        &listed_labels(&rec.scores, &rec.reasons, &rec.thresholds),
    )
    .await?;
    append_audit(
        tx,
        &AuditRow {
            at: &now,
            actor: "system",
            action: auto_action(status),
            comment_id: &id,
            before: None,
            after: status,
            reason: shown_reason,
            note: None,
            override_previous: false,
            resolved_reports: 0,
        },
    )
    .await?;
    Ok(Some(InsertOutcome::Created(StoredComment {
        id: rec.id,
        article_id: c.article_id.as_str().to_string(),
        parent_id: c.parent_id,
        author: c.author.as_str().to_string(),
        author_id: c.author_id.as_ref().map(|a| a.as_str().to_string()),
        title: c.title.as_ref().map(|t| t.as_str().to_string()),
        body: c.body.as_str().to_string(),
        status,
        auto_status: rec.status,
        status_reason: shown_reason.map(str::to_string),
        posted_status: status,
        scores: rec.scores,
        reasons: rec.reasons.clone(),
        model_version: rec.model_version.clone(),
        thresholds: rec.thresholds.clone(),
        created_at: now.clone(),
        updated_at: now,
        request_hash: rec.idempotency.as_ref().map(|i| i.fingerprint.clone()),
        reports: None,
        article: None,
        parent: None,
        started_surge: for_post == ForPost::SurgeStarted,
    })))
}

async fn insert_labels(tx: &Transaction<'_>, seq: i64, labels: &[(Label, f32)]) -> Result<()> {
    for (label, score) in labels {
        exec(
            tx,
            "INSERT INTO comment_labels (comment_seq, label, score, comment_status, comment_score) \
             SELECT $1, $2, $3, status, max_score FROM comments WHERE seq = $1 \
             ON CONFLICT DO NOTHING",
            &[&seq, &label.as_str(), &f64::from(*score)],
        )
        .await?;
    }
    Ok(())
}

/// As `sqlite::upsert_article`: the first post that names a field sets it for good.
async fn upsert_article(tx: &Transaction<'_>, rec: &NewRecord, now: &str) -> Result<()> {
    let c = &rec.comment;
    if c.article_url.is_none() && c.article_title.is_none() {
        return Ok(());
    }
    exec(
        tx,
        "INSERT INTO articles (article_id, url, title, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (article_id) DO UPDATE SET \
             url = COALESCE(articles.url, excluded.url), \
             title = COALESCE(articles.title, excluded.title), \
             updated_at = excluded.updated_at \
         WHERE (articles.url IS NULL AND excluded.url IS NOT NULL) \
            OR (articles.title IS NULL AND excluded.title IS NOT NULL)",
        &[
            &c.article_id.as_str(),
            &c.article_url.as_ref().map(|u| u.as_str()),
            &c.article_title.as_ref().map(|t| t.as_str()),
            &now,
        ],
    )
    .await?;
    Ok(())
}

const AUTHOR_COLUMNS: &str = "first_seen_at, restriction, restricted_until, \
     restricted_until_ms, restricted_by, restricted_at, restriction_reason";

fn author_row(r: &Row) -> Result<AuthorRow> {
    Ok(AuthorRow {
        first_seen_at: r.try_get(0)?,
        restriction: r.try_get(1)?,
        until: r.try_get(2)?,
        until_ms: r.try_get(3)?,
        by: r.try_get(4)?,
        at: r.try_get(5)?,
        reason: r.try_get(6)?,
    })
}

/// `lock`: hold the author's row until commit, so two moderators acting at once on two
/// instances take turns and each sees the other's result.
async fn read_author(
    tx: &Transaction<'_>,
    author_id: &str,
    lock: bool,
) -> Result<Option<AuthorRow>> {
    let sql = format!(
        "SELECT {AUTHOR_COLUMNS} FROM authors WHERE author_id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    opt_row(tx, &sql, &[&author_id])
        .await?
        .as_ref()
        .map(author_row)
        .transpose()
}

async fn restriction_for_post(
    tx: &Transaction<'_>,
    author_id: &str,
    now: &str,
    now_ms: i64,
) -> Result<Option<AuthorRestriction>> {
    match read_author(tx, author_id, false).await? {
        Some(row) => Ok(row.in_force(now_ms)),
        None => {
            // Another instance may record the same new author at the same moment.
            exec(
                tx,
                "INSERT INTO authors (author_id, first_seen_at) VALUES ($1, $2) \
                 ON CONFLICT (author_id) DO NOTHING",
                &[&author_id, &now],
            )
            .await?;
            Ok(None)
        }
    }
}

pub(super) async fn act_on_author(
    pool: Pool,
    action: AuthorAction,
) -> Result<Option<AuthorActionOutcome>> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let out = act_on_author_in(&tx, &action).await?;
    tx.commit().await?;
    Ok(out)
}

async fn act_on_author_in(
    tx: &Transaction<'_>,
    action: &AuthorAction,
) -> Result<Option<AuthorActionOutcome>> {
    let author_id = action.author_id.as_str();
    let Some(row) = read_author(tx, author_id, true).await? else {
        return Ok(None);
    };
    let (now, now_ms) = now();
    let current = row.in_force(now_ms);
    let changed = match action.kind {
        AuthorActionKind::Lift => current.is_some(),
        AuthorActionKind::Ban => current != Some(AuthorRestriction::Banned),
        AuthorActionKind::Suspend { .. } => true,
    };
    if !changed {
        return Ok(Some(AuthorActionOutcome {
            standing: row.standing(author_id, now_ms),
            changed,
        }));
    }
    let reason = action.reason.as_str();
    let (restriction, until_ms) = match action.kind {
        AuthorActionKind::Suspend { duration_secs } => {
            let millis = i64::try_from(duration_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
            (Some("suspended"), Some(now_ms.saturating_add(millis)))
        }
        AuthorActionKind::Ban => (Some("banned"), None),
        AuthorActionKind::Lift => (None, None),
    };
    let until = until_ms.map(rfc3339_ms);
    let (by, at, stored_reason) = match restriction {
        Some(_) => (
            Some(action.moderator.as_str()),
            Some(now.as_str()),
            Some(reason),
        ),
        None => (None, None, None),
    };
    exec(
        tx,
        "UPDATE authors SET restriction = $1, restricted_until = $2, restricted_until_ms = $3, \
         restricted_by = $4, restricted_at = $5, restriction_reason = $6 WHERE author_id = $7",
        &[
            &restriction,
            &until,
            &until_ms,
            &by,
            &at,
            &stored_reason,
            &author_id,
        ],
    )
    .await?;
    let note = match (action.kind, current) {
        (AuthorActionKind::Lift, Some(AuthorRestriction::Suspended)) => Some(format!(
            "ended a suspension until {}",
            row.until.as_deref().unwrap_or("?")
        )),
        (AuthorActionKind::Lift, Some(AuthorRestriction::Banned)) => Some("ended a ban".into()),
        _ => None,
    };
    exec(
        tx,
        "INSERT INTO audit_log (at, actor, action, author_id, reason, note, until) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &now,
            &action.moderator,
            &action.kind.action(),
            &author_id,
            &reason,
            &note,
            &until,
        ],
    )
    .await?;
    let after = read_author(tx, author_id, false)
        .await?
        .ok_or_else(|| failed(format!("author {author_id} vanished while updating")))?;
    Ok(Some(AuthorActionOutcome {
        standing: after.standing(author_id, now_ms),
        changed,
    }))
}

async fn append_audit(tx: &Transaction<'_>, row: &AuditRow<'_>) -> Result<()> {
    exec(
        tx,
        "INSERT INTO audit_log (at, actor, action, comment_id, before_status, after_status, \
         reason, note, override, resolved_reports) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &row.at,
            &row.actor,
            &row.action,
            &row.comment_id,
            &row.before.map(|s| s.as_str()),
            &row.after.as_str(),
            &row.reason,
            &row.note,
            &row.override_previous,
            &i64::from(row.resolved_reports),
        ],
    )
    .await?;
    Ok(())
}

async fn resolve_reports(
    tx: &Transaction<'_>,
    comment_id: &str,
    decision: Decision,
    moderator: &str,
    now: &str,
) -> Result<u32> {
    let resolution = match decision {
        Decision::Approve => "dismissed",
        Decision::Reject => "upheld",
    };
    let n = exec(
        tx,
        "UPDATE reports SET resolution = $1, resolved_by = $2, resolved_at = $3 \
         WHERE comment_id = $4 AND resolution IS NULL",
        &[&resolution, &moderator, &now, &comment_id],
    )
    .await?;
    if n > 0 {
        exec(
            tx,
            "UPDATE comments SET open_reports = 0 WHERE id = $1",
            &[&comment_id],
        )
        .await?;
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Lock the comments with these ids until commit, in id order (two bulk actions that share
/// comments lock them in the same order, so neither waits for the other forever). Returns the
/// ids that exist. Reads after this see every change committed before the lock was granted.
async fn lock_comments(tx: &Transaction<'_>, ids: &[String]) -> Result<Vec<String>> {
    let mut sorted = ids.to_vec();
    sorted.sort();
    rows(
        tx,
        "SELECT id FROM comments WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &[&sorted],
    )
    .await?
    .iter()
    .map(|r| Ok(r.try_get(0)?))
    .collect()
}

pub(super) async fn insert_report(
    pool: Pool,
    report: NewReport,
    threshold: u32,
) -> Result<ReportOutcome> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let out = insert_report_in(&tx, &report, threshold).await?;
    tx.commit().await?;
    Ok(out)
}

/// As `sqlite::insert_report`, with the comment locked: reports and decisions on one comment
/// take turns across instances, so counts and the re-queue happen once.
async fn insert_report_in(
    tx: &Transaction<'_>,
    report: &NewReport,
    threshold: u32,
) -> Result<ReportOutcome> {
    let key = report.comment_id.to_string();
    if lock_comments(tx, std::slice::from_ref(&key))
        .await?
        .is_empty()
    {
        return Err(StorageError::NotFound(vec![report.comment_id]));
    }
    let row = one_row(
        tx,
        "SELECT seq, status, \
         EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id) \
         FROM comments WHERE id = $1",
        &[&key],
    )
    .await?;
    let (seq, status, decided): (i64, CommentStatus, bool) =
        (row.try_get(0)?, status_col(&row, 1)?, row.try_get(2)?);
    let reporter = report.reporter_id.as_ref().map(|id| id.as_str());
    let counts = |open: &[OpenReport]| {
        (
            open.len() as u32,
            distinct_reporters(open.iter().map(|o| o.reporter_id.as_deref())),
        )
    };
    if let Some(reporter) = reporter {
        let existing = opt_row(
            tx,
            "SELECT id, reason FROM reports \
             WHERE comment_id = $1 AND reporter_id = $2 AND resolution IS NULL",
            &[&key, &reporter],
        )
        .await?;
        if let Some(existing) = existing {
            let (open_reports, reporters) = counts(&read_open_reports(tx, &key).await?);
            return Ok(ReportOutcome {
                report_id: existing.try_get(0)?,
                reason: reason_col(&existing, 1)?,
                counted: false,
                status,
                requeued: false,
                open_reports,
                reporters,
            });
        }
    }
    let (now, _) = now();
    let note = report.note.as_ref().map(|n| n.as_str());
    let report_id: i64 = one_row(
        tx,
        "INSERT INTO reports (comment_id, reason, reporter_id, note, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &[&key, &report.reason.as_str(), &reporter, &note, &now],
    )
    .await?
    .try_get(0)?;
    exec(
        tx,
        "UPDATE comments SET open_reports = open_reports + 1, last_report_id = $1 WHERE seq = $2",
        &[&report_id, &seq],
    )
    .await?;
    let actor = reporter.map_or_else(|| "reader".to_string(), |id| format!("reader:{id}"));
    append_audit(
        tx,
        &AuditRow {
            at: &now,
            actor: &actor,
            action: "report",
            comment_id: &key,
            before: Some(status),
            after: status,
            reason: Some(report.reason.as_str()),
            note,
            override_previous: false,
            resolved_reports: 0,
        },
    )
    .await?;
    let open = read_open_reports(tx, &key).await?;
    let (open_reports, reporters) = counts(&open);
    let requeued = status == CommentStatus::Published && !decided && reporters >= threshold;
    if requeued {
        exec(
            tx,
            "UPDATE comments SET status = 'held', updated_at = $1 WHERE seq = $2",
            &[&now, &seq],
        )
        .await?;
        let reasons: Vec<String> = summary(&open)
            .reasons
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let why = format!("{reporters} readers reported it ({})", reasons.join(", "));
        append_audit(
            tx,
            &AuditRow {
                at: &now,
                actor: "system",
                action: "auto_requeued",
                comment_id: &key,
                before: Some(status),
                after: CommentStatus::Held,
                reason: None,
                note: Some(&why),
                override_previous: false,
                resolved_reports: 0,
            },
        )
        .await?;
    }
    Ok(ReportOutcome {
        report_id,
        reason: report.reason,
        counted: true,
        status: if requeued {
            CommentStatus::Held
        } else {
            status
        },
        requeued,
        open_reports,
        reporters,
    })
}

pub(super) async fn decide(pool: Pool, req: DecisionRequest) -> Result<Vec<DecisionResult>> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    // An error (unknown ids, a conflict) drops the transaction, which rolls it back.
    let out = decide_in(&tx, &req).await?;
    tx.commit().await?;
    Ok(out)
}

/// A comment as a decision finds it once locked.
struct Current {
    id: CommentId,
    status: CommentStatus,
    auto_status: CommentStatus,
    model_version: String,
    last: Option<(Decision, String, String)>,
}

/// Lock every comment, check them all, then change all of them: all or nothing, and of two
/// moderators deciding one comment at once on two instances, the second sees the first's
/// decision and gets the conflict.
async fn decide_in(tx: &Transaction<'_>, req: &DecisionRequest) -> Result<Vec<DecisionResult>> {
    let mut ids: Vec<CommentId> = Vec::with_capacity(req.ids.len());
    for id in &req.ids {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    let keys: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    let existing = lock_comments(tx, &keys).await?;
    let unknown: Vec<CommentId> = ids
        .iter()
        .zip(&keys)
        .filter(|(_, k)| !existing.contains(k))
        .map(|(id, _)| *id)
        .collect();
    if !unknown.is_empty() {
        return Err(StorageError::NotFound(unknown));
    }
    let mut found = Vec::with_capacity(ids.len());
    let mut conflicts = Vec::new();
    for (&id, key) in ids.iter().zip(&keys) {
        let row = one_row(
            tx,
            "SELECT status, auto_status, model_version FROM comments WHERE id = $1",
            &[key],
        )
        .await?;
        let last = opt_row(
            tx,
            "SELECT decision, moderator, decided_at FROM decisions WHERE comment_id = $1 \
             ORDER BY id DESC LIMIT 1",
            &[key],
        )
        .await?
        .map(|r| -> Result<(Decision, String, String)> {
            Ok((decision_col(&r, 0)?, r.try_get(1)?, r.try_get(2)?))
        })
        .transpose()?;
        let status = status_col(&row, 0)?;
        if let Some((decision, moderator, decided_at)) = &last
            && *decision != req.decision
            && !req.override_previous
        {
            conflicts.push(Conflict {
                id,
                status,
                decision: *decision,
                moderator: moderator.clone(),
                decided_at: decided_at.clone(),
            });
        }
        found.push(Current {
            id,
            status,
            auto_status: status_col(&row, 1)?,
            model_version: row.try_get(2)?,
            last,
        });
    }
    if !conflicts.is_empty() {
        return Err(StorageError::Conflict(conflicts));
    }
    let mut results = Vec::with_capacity(found.len());
    for cur in found {
        results.push(apply_decision(tx, req, cur).await?);
    }
    Ok(results)
}

async fn apply_decision(
    tx: &Transaction<'_>,
    req: &DecisionRequest,
    cur: Current,
) -> Result<DecisionResult> {
    let (now, _) = now();
    let after = req.decision.resulting_status();
    let reason = req.reason.map(|r| r.as_str());
    let key = cur.id.to_string();
    if cur
        .last
        .as_ref()
        .is_some_and(|(d, _, _)| *d == req.decision)
    {
        let resolved = resolve_reports(tx, &key, req.decision, &req.moderator, &now).await?;
        if resolved > 0 {
            append_audit(
                tx,
                &AuditRow {
                    at: &now,
                    actor: &req.moderator,
                    action: req.decision.as_str(),
                    comment_id: &key,
                    before: Some(cur.status),
                    after: cur.status,
                    reason,
                    note: req.note.as_deref(),
                    override_previous: false,
                    resolved_reports: resolved,
                },
            )
            .await?;
        }
        return Ok(DecisionResult {
            id: cur.id,
            before: cur.status,
            after: cur.status,
            changed: false,
            resolved_reports: resolved,
        });
    }
    let reported = rows(
        tx,
        "SELECT reason FROM reports WHERE comment_id = $1",
        &[&key],
    )
    .await?
    .iter()
    .map(|r| reason_col(r, 0))
    .collect::<Result<Vec<_>>>()?;
    let labels = json_text(&labels_with_reports(req.decision, req.reason, &reported))?;
    let overturned = match req.decision {
        Decision::Approve => cur.auto_status != CommentStatus::Published,
        Decision::Reject => cur.auto_status == CommentStatus::Published,
    };
    let is_override = cur.last.is_some();
    exec(
        tx,
        "UPDATE comments SET status = $1, updated_at = $2 WHERE id = $3",
        &[&after.as_str(), &now, &key],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO decisions (comment_id, moderator, decision, reason, note, labels, \
         model_version, auto_status, overturned, override, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &key,
            &req.moderator,
            &req.decision.as_str(),
            &reason,
            &req.note,
            &labels,
            &cur.model_version,
            &cur.auto_status.as_str(),
            &overturned,
            &is_override,
            &now,
        ],
    )
    .await?;
    let resolved = resolve_reports(tx, &key, req.decision, &req.moderator, &now).await?;
    append_audit(
        tx,
        &AuditRow {
            at: &now,
            actor: &req.moderator,
            action: req.decision.as_str(),
            comment_id: &key,
            before: Some(cur.status),
            after,
            reason,
            note: req.note.as_deref(),
            override_previous: is_override,
            resolved_reports: resolved,
        },
    )
    .await?;
    Ok(DecisionResult {
        id: cur.id,
        before: cur.status,
        after,
        changed: true,
        resolved_reports: resolved,
    })
}

pub(super) async fn apply_rescore(pool: Pool, updates: Vec<Rescored>) -> Result<RescoreOutcome> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let (now, _) = now();
    let mut outcome = RescoreOutcome::default();
    for u in &updates {
        if rescore_one(&tx, u, &now).await? {
            outcome.applied += 1;
        } else {
            outcome.skipped += 1;
        }
    }
    tx.commit().await?;
    Ok(outcome)
}

/// As `sqlite::apply_rescore` for one comment, locked first so a decision or report committed
/// meanwhile on another instance is seen and wins.
async fn rescore_one(tx: &Transaction<'_>, u: &Rescored, now: &str) -> Result<bool> {
    let key = u.id.to_string();
    if lock_comments(tx, std::slice::from_ref(&key))
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    let seq: Option<i64> = opt_row(
        tx,
        "SELECT seq FROM comments WHERE id = $1 AND status = $2 AND open_reports = 0 \
         AND status_reason IS NULL AND premoderated = 0 \
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id)",
        &[&key, &u.expected_status.as_str()],
    )
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let Some(seq) = seq else {
        return Ok(false);
    };
    exec(
        tx,
        "UPDATE comments SET status = $1, auto_status = $1, max_score = $2, scores = $3, \
         reasons = $4, model_version = $5, thresholds = $6, updated_at = $7 WHERE seq = $8",
        &[
            &u.status.as_str(),
            &f64::from(u.scores.max()),
            &json_text(&u.scores)?,
            &json_text(&u.reasons)?,
            &u.model_version,
            &json_text(&u.thresholds)?,
            &now,
            &seq,
        ],
    )
    .await?;
    exec(
        tx,
        "DELETE FROM comment_labels WHERE comment_seq = $1",
        &[&seq],
    )
    .await?;
    insert_labels(
        tx,
        seq,
        &listed_labels(&u.scores, &u.reasons, &u.thresholds),
    )
    .await?;
    let note = format!("rescored by model {}", u.model_version);
    append_audit(
        tx,
        &AuditRow {
            at: now,
            actor: "rescore",
            action: "rescore",
            comment_id: &key,
            before: Some(u.expected_status),
            after: u.status,
            reason: None,
            note: Some(&note),
            override_previous: false,
            resolved_reports: 0,
        },
    )
    .await?;
    Ok(true)
}

pub(super) async fn insert_training(pool: Pool, record: TrainingRecord) -> Result<()> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let (at, _) = now();
    match &record {
        TrainingRecord::Analysis {
            api_key,
            text,
            scores,
            model_version,
            client_token,
            community_id,
        } => {
            exec(
                &tx,
                "INSERT INTO analyzed_texts \
                 (api_key, text, scores, model_version, client_token, community_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    api_key,
                    text,
                    &json_text(scores)?,
                    model_version,
                    client_token,
                    community_id,
                    &at,
                ],
            )
            .await?;
        }
        TrainingRecord::Suggestion {
            api_key,
            text,
            scores,
            context,
            community_id,
            client_token,
        } => {
            for score in scores {
                exec(
                    &tx,
                    "INSERT INTO suggested_scores (api_key, text, attribute, label, value, \
                     context, community_id, client_token, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        api_key,
                        text,
                        &score.attribute,
                        &score.label.as_str(),
                        &f64::from(score.value),
                        context,
                        community_id,
                        client_token,
                        &at,
                    ],
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- reads

/// Run `read` in a read-only transaction (`snapshot`: one REPEATABLE READ snapshot).
macro_rules! read {
    ($pool:expr, $snapshot:expr, |$tx:ident| $body:expr) => {{
        let mut client = $pool.get().await?;
        let $tx = read_tx(&mut client, $snapshot).await?;
        let out = $body;
        $tx.commit().await?;
        out
    }};
}

pub(super) async fn find_by_idempotency_key(
    pool: Pool,
    key: String,
) -> Result<Option<StoredComment>> {
    read!(pool, false, |tx| find_by_key_in(&tx, &key).await)
}

async fn find_by_key_in(tx: &Transaction<'_>, key: &str) -> Result<Option<StoredComment>> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE idempotency_key = $1");
    opt_row(tx, &sql, &[&key])
        .await?
        .map(|r| comment_row(&r).map(|c| c.comment))
        .transpose()
}

pub(super) async fn undecided(pool: Pool, status: CommentStatus) -> Result<Vec<Undecided>> {
    read!(pool, false, |tx| {
        rows(
            &tx,
            "SELECT id, body, status, model_version FROM comments c \
             WHERE status = $1 AND open_reports = 0 AND status_reason IS NULL AND premoderated = 0 \
             AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = c.id) ORDER BY seq",
            &[&status.as_str()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Undecided {
                id: id_col(r, 0)?,
                body: r.try_get(1)?,
                status: status_col(r, 2)?,
                model_version: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>>>()
    })
}

pub(super) async fn decided_comments(pool: Pool) -> Result<Vec<DecidedComment>> {
    read!(pool, false, |tx| {
        rows(
            &tx,
            "SELECT c.id, c.body, d.decision, d.reason, d.labels FROM comments c \
             JOIN decisions d ON d.id = \
                 (SELECT MAX(id) FROM decisions WHERE comment_id = c.id) \
             ORDER BY c.seq",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(DecidedComment {
                id: id_col(r, 0)?,
                body: r.try_get(1)?,
                decision: decision_col(r, 2)?,
                reason: r.try_get(3)?,
                labels: json_col(r, 4)?,
            })
        })
        .collect::<Result<Vec<_>>>()
    })
}

pub(super) async fn suggested_labels(pool: Pool) -> Result<Vec<SuggestedLabel>> {
    let rows = read!(pool, false, |tx| {
        rows(
            &tx,
            "SELECT text, label, value FROM suggested_scores ORDER BY id",
            &[],
        )
        .await
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let label: String = r.try_get(1)?;
        // A label this build does not know (a newer service wrote it) is skipped, not fatal.
        if let Ok(label) = label.parse() {
            out.push(SuggestedLabel {
                text: r.try_get(0)?,
                label,
                value: r.try_get::<_, f64>(2)? as f32,
            });
        }
    }
    Ok(out)
}

pub(super) async fn ping(pool: Pool) -> Result<()> {
    read!(pool, false, |tx| {
        opt_row(&tx, "SELECT 1 FROM schema_migrations LIMIT 1", &[])
            .await
            .map(|_| ())
    })
}

pub(super) async fn list_published(
    pool: Pool,
    article_id: String,
    limit: usize,
    after: Option<Cursor>,
) -> Result<Page<StoredComment>> {
    let after_seq = match after {
        Some(Cursor::Seq(seq)) => seq,
        _ => 0,
    };
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM comments \
         WHERE article_id = $1 AND status = 'published' AND seq > $2 ORDER BY seq LIMIT $3"
    );
    let rows = read!(pool, false, |tx| {
        rows(&tx, &sql, &[&article_id, &after_seq, &(limit as i64 + 1)]).await
    })?;
    let rows = rows.iter().map(comment_row).collect::<Result<Vec<_>>>()?;
    let (rows, next_cursor) = page_of(rows, limit, |r| Cursor::Seq(r.seq));
    Ok(Page {
        items: rows.into_iter().map(|r| r.comment).collect(),
        next_cursor,
    })
}

/// A WHERE clause built from optional filters: each `?` in a clause becomes the next `$n`.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    values: Vec<Param>,
}

impl Filter {
    fn and(&mut self, clause: impl Into<String>, values: Vec<Param>) {
        let mut out = String::new();
        let mut n = self.values.len();
        for ch in clause.into().chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self.values.extend(values);
    }

    /// `SELECT {select} WHERE … ORDER BY {order} LIMIT limit + 1`.
    async fn page_rows(
        mut self,
        tx: &Transaction<'_>,
        select: &str,
        order: &str,
        limit: usize,
    ) -> Result<Vec<Row>> {
        let conditions = if self.clauses.is_empty() {
            "TRUE".to_string()
        } else {
            self.clauses.join(" AND ")
        };
        self.values.push(Box::new(limit as i64 + 1));
        let sql = format!(
            "SELECT {select} WHERE {conditions} ORDER BY {order} LIMIT ${}",
            self.values.len()
        );
        let params: Vec<&(dyn ToSql + Sync)> = self
            .values
            .iter()
            .map(|v| v.as_ref() as &(dyn ToSql + Sync))
            .collect();
        rows(tx, &sql, &params).await
    }
}

fn text(value: impl Into<String>) -> Param {
    Box::new(value.into())
}

pub(super) async fn queue(pool: Pool, f: QueueFilter) -> Result<Page<StoredComment>> {
    read!(pool, false, |tx| queue_page(&tx, &f, true).await)
}

/// As `sqlite::queue_page`.
async fn queue_page(
    tx: &Transaction<'_>,
    f: &QueueFilter,
    with_context: bool,
) -> Result<Page<StoredComment>> {
    let status = match f.view {
        QueueView::Status(status) => Some(status),
        QueueView::Reported => None,
    };
    let by_label = f
        .label
        .filter(|_| f.article_id.is_none() && status.is_some());
    let (from, status_column, score, seq) = if by_label.is_some() {
        (
            "comment_labels JOIN comments ON seq = comment_seq",
            "comment_status",
            "comment_score",
            "comment_seq",
        )
    } else {
        ("comments", "status", "max_score", "seq")
    };
    let time = if status.is_some() {
        seq
    } else {
        "last_report_id"
    };
    let mut filter = Filter::default();
    match status {
        Some(status) => filter.and(format!("{status_column} = ?"), vec![text(status.as_str())]),
        None => filter.and("open_reports > 0", vec![]),
    }
    match (by_label, f.label) {
        (Some(label), _) => filter.and("label = ?", vec![text(label.as_str())]),
        (None, Some(label)) => filter.and(
            "seq IN (SELECT comment_seq FROM comment_labels WHERE label = ?)",
            vec![text(label.as_str())],
        ),
        (None, None) => {}
    }
    if let Some(article) = &f.article_id {
        filter.and("article_id = ?", vec![text(article.clone())]);
    }
    match (f.order, f.after) {
        (QueueOrder::Oldest, Some(Cursor::Seq(after))) => {
            filter.and(format!("{time} > ?"), vec![Box::new(after)]);
        }
        (QueueOrder::Newest, Some(Cursor::Seq(before))) => {
            filter.and(format!("{time} < ?"), vec![Box::new(before)]);
        }
        (QueueOrder::Score, Some(Cursor::Score { score: s, seq: q })) => {
            filter.and(
                format!("({score} < ? OR ({score} = ? AND {seq} > ?))"),
                vec![Box::new(s), Box::new(s), Box::new(q)],
            );
        }
        (QueueOrder::Reports, Some(Cursor::Count { count, seq: after })) => {
            filter.and(
                "(open_reports < ? OR (open_reports = ? AND last_report_id > ?))",
                vec![Box::new(count), Box::new(count), Box::new(after)],
            );
        }
        _ => {}
    }
    let order = match f.order {
        QueueOrder::Oldest => format!("{time} ASC"),
        QueueOrder::Newest => format!("{time} DESC"),
        QueueOrder::Score => format!("{score} DESC, {seq} ASC"),
        QueueOrder::Reports => "open_reports DESC, last_report_id ASC".to_string(),
    };
    let select = format!("{COMMENT_COLUMNS} FROM {from}");
    let mut rows = filter
        .page_rows(tx, &select, &order, f.limit)
        .await?
        .iter()
        .map(comment_row)
        .collect::<Result<Vec<_>>>()?;
    attach_reports(tx, &mut rows).await?;
    if with_context {
        attach_context(tx, &mut rows).await?;
    }
    let order = f.order;
    let reported = status.is_none();
    let (rows, next_cursor) = page_of(rows, f.limit, |r| match order {
        QueueOrder::Score => Cursor::Score {
            score: r.max_score,
            seq: r.seq,
        },
        QueueOrder::Reports => Cursor::Count {
            count: r.open_reports,
            seq: r.last_report_id.unwrap_or(0),
        },
        _ if reported => Cursor::Seq(r.last_report_id.unwrap_or(0)),
        _ => Cursor::Seq(r.seq),
    });
    Ok(Page {
        items: rows.into_iter().map(|r| r.comment).collect(),
        next_cursor,
    })
}

async fn queue_version_in(tx: &Transaction<'_>) -> Result<i64> {
    Ok(
        one_row(tx, "SELECT COALESCE(MAX(id), 0) FROM audit_log", &[])
            .await?
            .try_get(0)?,
    )
}

/// Positions in the three sequences a live queue follows.
struct Positions {
    comment: i64,
    report: i64,
    audit: i64,
}

/// How long a live-queue poll waits for the writes in flight when it asked to finish. Writes
/// here take milliseconds; only a transaction held open elsewhere on the server lasts longer.
const SETTLE_WAIT: Duration = Duration::from_secs(1);

/// Sequence positions at or below which every number drawn belongs to a transaction that has
/// finished, so a snapshot taken afterwards shows every row that will ever hold one of them.
///
/// Numbers are drawn before commit, so on several instances a row with a smaller number can
/// commit after one with a larger: a watermark at the largest visible number could skip it.
/// Every writer that draws a number has a transaction id by then (`insert_in` takes one
/// first; the others lock or update a row first), so it finished once the oldest running
/// transaction id (snapshot xmin) has passed the next id (xmax) as of the read. Runs outside
/// any snapshot of the caller's; `Err(positions)` when the wait ran out (a transaction held
/// open elsewhere on the server) and the positions may not be settled yet.
async fn settled_positions(
    client: &deadpool_postgres::Client,
) -> Result<std::result::Result<Positions, Positions>> {
    let row = client
        .query_one(
            "SELECT COALESCE(pg_sequence_last_value('comments_seq_seq'::regclass), 0), \
             COALESCE(pg_sequence_last_value('reports_id_seq'::regclass), 0), \
             COALESCE(pg_sequence_last_value('audit_log_id_seq'::regclass), 0)",
            &[],
        )
        .await?;
    let positions = Positions {
        comment: row.try_get(0)?,
        report: row.try_get(1)?,
        audit: row.try_get(2)?,
    };
    // A statement of its own, so its snapshot is taken after the positions were read.
    let snapshot = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, \
                    pg_snapshot_xmax(pg_current_snapshot())::text::bigint";
    let row = client.query_one(snapshot, &[]).await?;
    let (mut xmin, xmax): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    let started = std::time::Instant::now();
    while xmin < xmax {
        if started.elapsed() > SETTLE_WAIT {
            return Ok(Err(positions));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        xmin = client.query_one(snapshot, &[]).await?.try_get(0)?;
    }
    Ok(Ok(positions))
}

pub(super) async fn queue_version(pool: Pool) -> Result<QueueVersion> {
    let mut client = pool.get().await?;
    let settled = settled_positions(&client).await?.ok().map(|p| p.audit);
    let tx = read_tx(&mut client, false).await?;
    let last = queue_version_in(&tx).await?;
    tx.commit().await?;
    Ok(QueueVersion { last, settled })
}

pub(super) async fn queue_updates(
    pool: Pool,
    f: QueueFilter,
    since: Option<i64>,
) -> Result<QueueUpdates> {
    let mut client = pool.get().await?;
    let (positions, settled) = match settled_positions(&client).await? {
        Ok(p) => (p, true),
        Err(p) => (p, false),
    };
    let view_position = match f.view {
        QueueView::Status(_) => positions.comment,
        QueueView::Reported => positions.report,
    };
    let watermark = match (settled, since) {
        (true, _) => view_position,
        // Not moving the caller's watermark keeps it from skipping anything; a first poll
        // has none to keep.
        (false, Some(since)) => since,
        (false, None) => {
            tracing::warn!(
                "live queue: a transaction open over {SETTLE_WAIT:?} on the database server; \
                 a comment committing late may be listed only on the next full load"
            );
            view_position
        }
    };
    // Taken after the positions settled, so it shows every row numbered at or below them.
    let tx = read_tx(&mut client, true).await?;
    let mut out = queue_updates_in(&tx, &f, since).await?;
    tx.commit().await?;
    out.watermark = Cursor::Seq(watermark);
    out.settled_version = settled.then_some(positions.audit);
    Ok(out)
}

async fn queue_updates_in(
    tx: &Transaction<'_>,
    f: &QueueFilter,
    since: Option<i64>,
) -> Result<QueueUpdates> {
    let version = queue_version_in(tx).await?;
    let held = count_col(
        &one_row(
            tx,
            "SELECT COUNT(*) FROM comments WHERE status = 'held'",
            &[],
        )
        .await?,
        0,
    )?;
    let reported = count_col(
        &one_row(
            tx,
            "SELECT COUNT(*) FROM comments WHERE open_reports > 0",
            &[],
        )
        .await?,
        0,
    )?;
    let (new_ids, more_new) = match since {
        Some(since) => {
            let page = queue_page(
                tx,
                &QueueFilter {
                    order: QueueOrder::Oldest,
                    after: Some(Cursor::Seq(since)),
                    ..f.clone()
                },
                false,
            )
            .await?;
            let more = page.next_cursor.is_some();
            (page.items.into_iter().map(|c| c.id).collect(), more)
        }
        None => (Vec::new(), false),
    };
    Ok(QueueUpdates {
        version,
        settled_version: Some(version),
        watermark: Cursor::Seq(0),
        held,
        reported,
        new_ids,
        more_new,
    })
}

pub(super) async fn author_panel(
    pool: Pool,
    author_id: String,
    limit: usize,
) -> Result<Option<AuthorPanel>> {
    read!(pool, true, |tx| author_panel_in(&tx, &author_id, limit)
        .await)
}

async fn author_panel_in(
    tx: &Transaction<'_>,
    author_id: &str,
    limit: usize,
) -> Result<Option<AuthorPanel>> {
    let Some(row) = read_author(tx, author_id, false).await? else {
        return Ok(None);
    };
    let (_, now_ms) = now();
    let mut counts = StatusCounts::default();
    for r in rows(
        tx,
        "SELECT status, COUNT(*) FROM comments WHERE author_id = $1 GROUP BY 1",
        &[&author_id],
    )
    .await?
    {
        counts.add(status_col(&r, 0)?, count_col(&r, 1)?);
    }
    let sql = format!(
        "SELECT id, article_id, author, substr(body, 1, {}), status, auto_status, \
         COALESCE(status_reason, CASE WHEN premoderated = 1 THEN 'article_premoderated' END), \
         created_at FROM comments WHERE author_id = $1 ORDER BY seq DESC LIMIT $2",
        EXCERPT_CHARS + 1
    );
    let recent = rows(tx, &sql, &[&author_id, &(limit as i64)])
        .await?
        .iter()
        .map(|r| {
            Ok(AuthorComment {
                id: id_col(r, 0)?,
                article_id: r.try_get(1)?,
                author: r.try_get(2)?,
                excerpt: excerpt(r.try_get(3)?, EXCERPT_CHARS),
                status: status_col(r, 4)?,
                auto_status: status_col(r, 5)?,
                status_reason: r.try_get(6)?,
                created_at: r.try_get(7)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let display_name: Option<String> = opt_row(
        tx,
        "SELECT author FROM comments WHERE author_id = $1 ORDER BY seq DESC LIMIT 1",
        &[&author_id],
    )
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let actions = rows(
        tx,
        &format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE author_id = $1 ORDER BY id DESC LIMIT $2"
        ),
        &[&author_id, &(AUTHOR_ACTIONS_LISTED as i64)],
    )
    .await?
    .iter()
    .map(audit_row)
    .collect::<Result<Vec<_>>>()?;
    Ok(Some(AuthorPanel {
        standing: row.standing(author_id, now_ms),
        display_name,
        first_seen_at: row.first_seen_at,
        counts,
        recent,
        actions,
    }))
}

pub(super) async fn get_detail(pool: Pool, id: CommentId) -> Result<Option<CommentDetail>> {
    read!(pool, true, |tx| get_detail_in(&tx, id).await)
}

async fn get_detail_in(tx: &Transaction<'_>, id: CommentId) -> Result<Option<CommentDetail>> {
    let key = id.to_string();
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1");
    let Some(row) = opt_row(tx, &sql, &[&key]).await? else {
        return Ok(None);
    };
    let mut rows_ = [comment_row(&row)?];
    attach_reports(tx, &mut rows_).await?;
    attach_context(tx, &mut rows_).await?;
    let [row] = rows_;
    let decisions = rows(
        tx,
        "SELECT moderator, decision, reason, note, labels, overturned, override, decided_at \
         FROM decisions WHERE comment_id = $1 ORDER BY id",
        &[&key],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(DecisionRecord {
            moderator: r.try_get(0)?,
            decision: decision_col(r, 1)?,
            reason: r.try_get(2)?,
            note: r.try_get(3)?,
            labels: json_col(r, 4)?,
            overturned: r.try_get(5)?,
            override_previous: r.try_get(6)?,
            decided_at: r.try_get(7)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let history = rows(
        tx,
        &format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE comment_id = $1 ORDER BY id"),
        &[&key],
    )
    .await?
    .iter()
    .map(audit_row)
    .collect::<Result<Vec<_>>>()?;
    let report_history = rows(
        tx,
        "SELECT id, reason, reporter_id, note, created_at, resolution, resolved_by, \
         resolved_at FROM reports WHERE comment_id = $1 ORDER BY id",
        &[&key],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(ReportRecord {
            id: r.try_get(0)?,
            reason: reason_col(r, 1)?,
            reporter_id: r.try_get(2)?,
            note: r.try_get(3)?,
            created_at: r.try_get(4)?,
            resolution: r.try_get(5)?,
            resolved_by: r.try_get(6)?,
            resolved_at: r.try_get(7)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Some(CommentDetail {
        comment: row.comment,
        decisions,
        history,
        report_history,
    }))
}

pub(super) async fn audit_log(pool: Pool, f: LogFilter) -> Result<Page<AuditEntry>> {
    read!(pool, false, |tx| audit_log_in(&tx, &f).await)
}

async fn audit_log_in(tx: &Transaction<'_>, f: &LogFilter) -> Result<Page<AuditEntry>> {
    let mut filter = Filter::default();
    if let Some(id) = f.comment_id {
        filter.and("a.comment_id = ?", vec![text(id.to_string())]);
    }
    if let Some(actor) = &f.actor {
        filter.and("a.actor = ?", vec![text(actor.clone())]);
    }
    if let Some(author) = &f.author_id {
        filter.and("a.author_id = ?", vec![text(author.clone())]);
    }
    if let Some(action) = &f.action {
        filter.and("a.action = ?", vec![text(action.clone())]);
    }
    if let Some(article) = &f.article_id {
        // Entries on the article's comments, and those on the article itself (pre-moderation).
        filter.and(
            "(a.comment_id IN (SELECT id FROM comments WHERE article_id = ?) OR a.article_id = ?)",
            vec![text(article.clone()), text(article.clone())],
        );
    }
    match f.kind {
        Some(LogKind::Moderator) => filter.and(MODERATOR_ACTIONS, vec![]),
        Some(LogKind::Reader) => filter.and("a.action = 'report'", vec![]),
        Some(LogKind::Automatic) => filter.and(
            format!("NOT {MODERATOR_ACTIONS} AND a.action != 'report'"),
            vec![],
        ),
        None => {}
    }
    if let Some(Cursor::Seq(id)) = f.after {
        filter.and("a.id < ?", vec![Box::new(id)]);
    }
    let select = format!(
        "a.id, a.at, a.actor, a.action, a.comment_id, a.before_status, a.after_status, \
         a.reason, a.note, a.override, a.resolved_reports, a.author_id, a.until, \
         COALESCE(c.article_id, a.article_id), \
         substr(c.body, 1, {}) FROM audit_log a LEFT JOIN comments c ON c.id = a.comment_id",
        EXCERPT_CHARS + 1
    );
    let rows = filter
        .page_rows(tx, &select, "a.id DESC", f.limit)
        .await?
        .iter()
        .map(|row| {
            let mut entry = audit_row(row)?;
            entry.article_id = row.try_get(13)?;
            let text: Option<String> = row.try_get(14)?;
            entry.excerpt = text.map(|t| excerpt(t, EXCERPT_CHARS));
            Ok(entry)
        })
        .collect::<Result<Vec<_>>>()?;
    let (items, next_cursor) = page_of(rows, f.limit, |e| Cursor::Seq(e.id));
    Ok(Page { items, next_cursor })
}

async fn counts_by_status(
    tx: &Transaction<'_>,
    sql: &str,
) -> Result<Vec<(String, CommentStatus, u64)>> {
    rows(tx, sql, &[])
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, status_col(r, 1)?, count_col(r, 2)?)))
        .collect()
}

pub(super) async fn stats(pool: Pool) -> Result<Stats> {
    read!(pool, true, |tx| stats_in(&tx).await)
}

async fn stats_in(tx: &Transaction<'_>) -> Result<Stats> {
    let mut comments = StatusCounts::default();
    for r in rows(
        tx,
        "SELECT status, COUNT(*) FROM comments GROUP BY status",
        &[],
    )
    .await?
    {
        comments.add(status_col(&r, 0)?, count_col(&r, 1)?);
    }
    let mut labels = std::collections::BTreeMap::<Label, StatusCounts>::new();
    for (label, status, n) in counts_by_status(
        tx,
        "SELECT label, comment_status, COUNT(*) FROM comment_labels \
         GROUP BY label, comment_status",
    )
    .await?
    {
        if let Ok(label) = label.parse::<Label>() {
            labels.entry(label).or_default().add(status, n);
        }
    }
    let oldest_held_ms: Option<i64> = opt_row(
        tx,
        "SELECT created_ms FROM comments WHERE status = 'held' ORDER BY seq LIMIT 1",
        &[],
    )
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let (_, now_ms) = now();
    let oldest_held_age_seconds = oldest_held_ms.map(|ms| ((now_ms - ms).max(0) / 1000) as u64);

    let mut decisions = std::collections::BTreeMap::new();
    for d in [Decision::Approve, Decision::Reject] {
        decisions.insert(d.as_str().to_string(), 0);
    }
    for r in rows(
        tx,
        "SELECT decision, COUNT(*) FROM decisions GROUP BY decision",
        &[],
    )
    .await?
    {
        decisions.insert(r.try_get(0)?, count_col(&r, 1)?);
    }

    let mut versions = std::collections::BTreeMap::<String, ModelVersionStats>::new();
    for (version, status, n) in counts_by_status(
        tx,
        "SELECT model_version, auto_status, COUNT(*) FROM comments GROUP BY 1, 2",
    )
    .await?
    {
        versions
            .entry(version.clone())
            .or_insert_with(|| ModelVersionStats {
                version,
                auto: StatusCounts::default(),
                reviewed: 0,
                overturned: 0,
            })
            .auto
            .add(status, n);
    }
    for r in rows(
        tx,
        "SELECT model_version, COUNT(*), \
         SUM(CASE WHEN (auto_status != 'published' AND status = 'published') \
                    OR (auto_status = 'published' AND status = 'rejected') THEN 1 ELSE 0 END) \
         FROM comments WHERE id IN (SELECT comment_id FROM decisions) GROUP BY model_version",
        &[],
    )
    .await?
    {
        let version: String = r.try_get(0)?;
        if let Some(v) = versions.get_mut(&version) {
            v.reviewed = count_col(&r, 1)?;
            v.overturned = count_col(&r, 2)?;
        }
    }

    let count = |table: &'static str| async move {
        count_col(
            &one_row(tx, &format!("SELECT COUNT(*) FROM {table}"), &[]).await?,
            0,
        )
    };
    let training_data = TrainingDataCounts {
        analyses: count("analyzed_texts").await?,
        suggestions: count("suggested_scores").await?,
    };
    let mut reports = ReportCounts {
        comments: count_col(
            &one_row(
                tx,
                "SELECT COUNT(*) FROM comments WHERE open_reports > 0",
                &[],
            )
            .await?,
            0,
        )?,
        ..ReportCounts::default()
    };
    for r in rows(
        tx,
        "SELECT resolution, COUNT(*) FROM reports GROUP BY resolution",
        &[],
    )
    .await?
    {
        let n = count_col(&r, 1)?;
        match r.try_get::<_, Option<String>>(0)?.as_deref() {
            None => reports.open = n,
            Some("upheld") => reports.upheld = n,
            Some(_) => reports.dismissed = n,
        }
    }
    Ok(Stats {
        comments,
        labels,
        oldest_held_age_seconds,
        decisions,
        model_versions: versions.into_values().collect(),
        training_data,
        reports,
        authors: restricted_authors(tx, now_ms).await?,
        articles: super::postgres_premoderation::premoderation_counts(tx).await?,
    })
}

/// Authors under a restriction now; a suspension past its end no longer counts.
async fn restricted_authors(tx: &Transaction<'_>, now_ms: i64) -> Result<AuthorCounts> {
    let row = one_row(
        tx,
        "SELECT COUNT(*) FILTER (WHERE restriction = 'suspended' AND restricted_until_ms > $1), \
         COUNT(*) FILTER (WHERE restriction = 'banned') FROM authors \
         WHERE restriction IS NOT NULL",
        &[&now_ms],
    )
    .await?;
    Ok(AuthorCounts {
        suspended: count_col(&row, 0)?,
        banned: count_col(&row, 1)?,
    })
}

pub(super) async fn set_premoderation(
    pool: Pool,
    change: PremoderationChange,
) -> Result<Option<PremoderationOutcome>> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let out = super::postgres_premoderation::set_premoderation_in(&tx, &change).await?;
    tx.commit().await?;
    Ok(out)
}

pub(super) async fn article_premoderation(
    pool: Pool,
    article_id: String,
) -> Result<Option<ArticlePremoderation>> {
    read!(pool, true, |tx| {
        super::postgres_premoderation::article_premoderation_in(&tx, &article_id).await
    })
}

pub(super) async fn premoderated_articles(pool: Pool) -> Result<Vec<ArticlePremoderation>> {
    read!(pool, true, |tx| {
        super::postgres_premoderation::premoderated_articles_in(&tx).await
    })
}
