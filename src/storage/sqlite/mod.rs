//! SQLite backend: connection setup, the read pool, and every query. All statements take their
//! values as parameters; the only SQL assembled at run time is the fixed WHERE clauses of the
//! queue and log filters.

use super::premoderation::ForPost;
use super::writer::Writer;
use super::{
    AUTHOR_ACTIONS_LISTED, ArticleInfo, AuditEntry, AuthorAction, AuthorActionKind,
    AuthorActionOutcome, AuthorComment, AuthorCounts, AuthorPanel, AuthorStanding, Cause,
    CommentDetail, Conflict, Cursor, DecidedComment, Decision, DecisionRecord, DecisionRequest,
    DecisionResult, EXCERPT_CHARS, InsertOutcome, LogFilter, LogKind, ModelVersionStats, NewRecord,
    PARENT_EXCERPT_CHARS, Page, ParentExcerpt, QueueFilter, QueueOrder, QueueUpdates, QueueView,
    ReportCounts, ReportOutcome, ReportRecord, ReportSummary, RescoreOutcome, Rescored,
    RestrictionInfo, Result, SUMMARY_NOTES, Stats, StatusCounts, StorageError, StoredComment,
    SuggestedLabel, TrainingDataCounts, TrainingRecord, Undecided, distinct_reporters,
    labels_with_reports, listed_labels,
};
use crate::domain::{
    ARTICLE_PREMODERATED, AuthorRestriction, CommentId, CommentStatus, Label, NewReport,
    ReportReason, premoderated_status,
};
use parking_lot::Mutex;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params, params_from_iter};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Idle read connections kept open; more are opened under load and closed afterwards.
const MAX_IDLE_READERS: usize = 8;

pub(super) struct Sqlite {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    pub(super) writer: Writer,
}

impl Sqlite {
    pub(super) fn open(path: &Path) -> Result<(Sqlite, Vec<String>)> {
        let (conn, applied) = open_migrated(path)?;
        let reader = open_reader(path)?;
        Ok((
            Sqlite {
                path: path.to_path_buf(),
                readers: Mutex::new(vec![reader]),
                writer: Writer::start(conn)?,
            },
            applied,
        ))
    }

    /// Run `f` on a pooled read connection (call from a blocking thread).
    pub(super) fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = self.readers.lock().pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let out = f(&conn);
        let mut idle = self.readers.lock();
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        out
    }
}

/// The writing connection to a SQLite file (created with its directory when missing), with
/// every pending migration applied; returns it and the names of the migrations applied now.
pub(super) fn open_migrated(path: &Path) -> Result<(Connection, Vec<String>)> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            StorageError::Unavailable(format!("creating {}: {e}", dir.display()).into())
        })?;
    }
    let mut conn = Connection::open(path)?;
    // SQLite silently falls back to read-only for a write-protected file; serving from it
    // would accept no comment and never recover, so refuse to start instead.
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(StorageError::Unavailable(
            format!(
                "database file {} is read-only; make it writable by this process",
                path.display()
            )
            .into(),
        ));
    }
    configure(&conn)?;
    let applied = super::migrations::apply(&mut conn)?;
    Ok((conn, applied))
}

/// Durability and integrity settings for every connection. WAL lets readers run beside the
/// writer; synchronous=FULL fsyncs the WAL on every COMMIT, so an acknowledged comment survives
/// a crash or power loss (group commit in the writer keeps that affordable).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )
}

pub(super) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    // Readers never write: a bug that tries fails loudly instead of racing the writer.
    conn.execute_batch("PRAGMA query_only = ON;")?;
    Ok(conn)
}

/// Current time as stored: RFC 3339 text for people, Unix milliseconds for arithmetic.
pub(super) fn now() -> (String, i64) {
    let now = time::OffsetDateTime::now_utc();
    let text = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    (text, (now.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// Unix milliseconds as stored RFC 3339 text.
pub(super) fn rfc3339_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn conversion_error(idx: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, message.into())
}

fn json_col<T: serde::de::DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text).map_err(|e| conversion_error(idx, e.to_string()))
}

fn id_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<CommentId> {
    let text: String = row.get(idx)?;
    CommentId::parse(&text, "id").map_err(|e| conversion_error(idx, e.to_string()))
}

fn status_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<CommentStatus> {
    let text: String = row.get(idx)?;
    CommentStatus::parse(&text).ok_or_else(|| conversion_error(idx, format!("status {text}")))
}

fn reason_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<ReportReason> {
    let text: String = row.get(idx)?;
    ReportReason::parse(&text).map_err(|e| conversion_error(idx, e.to_string()))
}

fn opt_id_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<CommentId>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| CommentId::parse(&t, "id").map_err(|e| conversion_error(idx, e.to_string())))
        .transpose()
}

fn opt_status_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<CommentStatus>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        CommentStatus::parse(&t).ok_or_else(|| conversion_error(idx, format!("status {t}")))
    })
    .transpose()
}

/// One label of a comment, copying the comment's status and severity for the label-filtered
/// queue's index (migration 0004; a trigger keeps them in step afterwards).
const INSERT_LABEL: &str = "INSERT OR IGNORE INTO comment_labels \
     (comment_seq, label, score, comment_status, comment_score) \
     SELECT ?1, ?2, ?3, status, max_score FROM comments WHERE seq = ?1";

fn insert_labels(conn: &Connection, seq: i64, labels: &[(Label, f32)]) -> Result<()> {
    let mut stmt = conn.prepare_cached(INSERT_LABEL)?;
    for (label, score) in labels {
        stmt.execute(params![seq, label.as_str(), f64::from(*score)])?;
    }
    Ok(())
}

pub(super) const COMMENT_COLUMNS: &str = "seq, max_score, id, article_id, parent_id, author, title, body, \
     status, auto_status, scores, reasons, model_version, thresholds, created_at, updated_at, \
     request_hash, open_reports, last_report_id, author_id, \
     COALESCE(status_reason, CASE WHEN premoderated = 1 THEN 'article_premoderated' END), \
     COALESCE(posted_status, auto_status)";

/// A comment row with its positions (seq, max score, reports) for cursors.
pub(super) struct CommentRow {
    pub(super) seq: i64,
    pub(super) max_score: f64,
    pub(super) open_reports: i64,
    pub(super) last_report_id: Option<i64>,
    pub(super) comment: StoredComment,
}

fn comment_row(row: &Row<'_>) -> rusqlite::Result<CommentRow> {
    let parent: Option<String> = row.get(4)?;
    Ok(CommentRow {
        seq: row.get(0)?,
        max_score: row.get(1)?,
        open_reports: row.get(17)?,
        last_report_id: row.get(18)?,
        comment: StoredComment {
            id: id_col(row, 2)?,
            article_id: row.get(3)?,
            parent_id: parent
                .map(|p| CommentId::parse(&p, "parent_id"))
                .transpose()
                .map_err(|e| conversion_error(4, e.to_string()))?,
            author: row.get(5)?,
            author_id: row.get(19)?,
            title: row.get(6)?,
            body: row.get(7)?,
            status: status_col(row, 8)?,
            auto_status: status_col(row, 9)?,
            status_reason: row.get(20)?,
            posted_status: status_col(row, 21)?,
            scores: json_col(row, 10)?,
            reasons: json_col(row, 11)?,
            model_version: row.get(12)?,
            thresholds: json_col(row, 13)?,
            created_at: row.get(14)?,
            updated_at: row.get(15)?,
            request_hash: row.get(16)?,
            reports: None,
            article: None,
            parent: None,
            started_surge: false,
        },
    })
}

/// One open report: reason, reporter, note.
pub(super) struct OpenReport {
    pub(super) reason: ReportReason,
    pub(super) reporter_id: Option<String>,
    pub(super) note: Option<String>,
}

/// A comment's open reports, newest first.
fn read_open_reports(conn: &Connection, comment_id: &str) -> Result<Vec<OpenReport>> {
    Ok(conn
        .prepare_cached(
            "SELECT reason, reporter_id, note FROM reports \
             WHERE comment_id = ?1 AND resolution IS NULL ORDER BY id DESC",
        )?
        .query_map(params![comment_id], |r| {
            Ok(OpenReport {
                reason: reason_col(r, 0)?,
                reporter_id: r.get(1)?,
                note: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(super) fn summary(open: &[OpenReport]) -> ReportSummary {
    let mut s = ReportSummary {
        count: open.len() as u32,
        reporters: distinct_reporters(open.iter().map(|o| o.reporter_id.as_deref())),
        ..ReportSummary::default()
    };
    for o in open {
        *s.reasons.entry(o.reason).or_default() += 1;
    }
    s.notes = open
        .iter()
        .filter_map(|o| o.note.clone())
        .take(SUMMARY_NOTES)
        .collect();
    s
}

/// Give each comment with open reports its summary (one indexed read per reported comment).
fn attach_reports(conn: &Connection, rows: &mut [CommentRow]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| r.open_reports > 0) {
        let open = read_open_reports(conn, &row.comment.id.to_string())?;
        row.comment.reports = Some(summary(&open));
    }
    Ok(())
}

/// Give each comment its article's address and headline and, for a reply, its parent in short:
/// one primary-key read per distinct article and per reply on the page.
fn attach_context(conn: &Connection, rows: &mut [CommentRow]) -> Result<()> {
    let mut articles: std::collections::HashMap<String, Option<ArticleInfo>> =
        std::collections::HashMap::new();
    for row in rows.iter_mut() {
        let c = &mut row.comment;
        let article = match articles.get(&c.article_id) {
            Some(known) => known.clone(),
            None => {
                let read = read_article(conn, &c.article_id)?;
                articles.insert(c.article_id.clone(), read.clone());
                read
            }
        };
        c.article = article;
        if let Some(parent) = c.parent_id {
            c.parent = read_parent(conn, parent)?;
        }
    }
    Ok(())
}

pub(super) fn read_article(conn: &Connection, article_id: &str) -> Result<Option<ArticleInfo>> {
    Ok(conn
        .prepare_cached("SELECT url, title FROM articles WHERE article_id = ?1")?
        .query_row(params![article_id], |r| {
            Ok(ArticleInfo {
                url: r.get(0)?,
                title: r.get(1)?,
            })
        })
        .optional()?
        .filter(|a| a.url.is_some() || a.title.is_some()))
}

fn read_parent(conn: &Connection, id: CommentId) -> Result<Option<ParentExcerpt>> {
    let sql = format!(
        "SELECT id, author, substr(body, 1, {}), status, created_at FROM comments WHERE id = ?1",
        PARENT_EXCERPT_CHARS + 1
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id.to_string()], |r| {
            Ok(ParentExcerpt {
                id: id_col(r, 0)?,
                author: r.get(1)?,
                excerpt: excerpt(r.get(2)?, PARENT_EXCERPT_CHARS),
                status: status_col(r, 3)?,
                created_at: r.get(4)?,
            })
        })
        .optional()?)
}

pub(super) fn json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Failed(Cause::new(e)))
}

// ---------------------------------------------------------------- writes (writer thread only)

pub(super) fn insert_comment(conn: &Connection, rec: &NewRecord) -> Result<InsertOutcome> {
    if let Some(idem) = &rec.idempotency
        && let Some(existing) = find_by_idempotency_key(conn, &idem.key)?
    {
        return if existing.request_hash.as_deref() == Some(idem.fingerprint.as_str()) {
            Ok(InsertOutcome::Existing(existing))
        } else {
            Err(StorageError::IdempotencyMismatch)
        };
    }
    let c = &rec.comment;
    if let Some(parent) = c.parent_id {
        let article: Option<String> = conn
            .prepare_cached("SELECT article_id FROM comments WHERE id = ?1")?
            .query_row(params![parent.to_string()], |r| r.get(0))
            .optional()?;
        if article.as_deref() != Some(c.article_id.as_str()) {
            return Err(StorageError::UnknownParent(parent));
        }
    }
    let (now, now_ms) = now();
    let id = rec.id.to_string();
    let restriction = match &c.author_id {
        Some(author) => restriction_for_post(conn, author.as_str(), &now, now_ms)?,
        None => None,
    };
    let for_post = super::sqlite_premoderation::premoderation_for_post(
        conn,
        c.article_id.as_str(),
        rec.status,
        rec.surge.as_ref(),
        &now,
        now_ms,
    )?;
    let premoderated = for_post != ForPost::Open;
    // The model's verdict stays `auto_status`; a restriction on the author and pre-moderation
    // of the article decide `status`, the stricter of them winning. The author's restriction
    // names the reason when both apply: it says more about this comment.
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
    upsert_article(conn, rec, &now)?;
    conn.prepare_cached(
        "INSERT INTO comments (id, article_id, parent_id, author, title, body, status, \
         auto_status, max_score, scores, reasons, model_version, thresholds, idempotency_key, \
         request_hash, created_at, created_ms, updated_at, author_id, status_reason, \
         posted_status, premoderated) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?16, \
         ?18, ?19, ?20, ?21)",
    )?
    .execute(params![
        id,
        c.article_id.as_str(),
        c.parent_id.map(|p| p.to_string()),
        c.author.as_str(),
        c.title.as_ref().map(|t| t.as_str()),
        c.body.as_str(),
        status.as_str(),
        rec.status.as_str(),
        f64::from(rec.scores.max()),
        json_text(&rec.scores)?,
        json_text(&rec.reasons)?,
        rec.model_version,
        json_text(&rec.thresholds)?,
        rec.idempotency.as_ref().map(|i| i.key.as_str()),
        rec.idempotency.as_ref().map(|i| i.fingerprint.as_str()),
        now,
        now_ms,
        c.author_id.as_ref().map(|a| a.as_str()),
        status_reason,
        posted_status,
        premoderated,
    ])?;
    let seq = conn.last_insert_rowid();
    insert_labels(
        conn,
        seq,
        &listed_labels(&rec.scores, &rec.reasons, &rec.thresholds),
    )?;
    append_audit(
        conn,
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
    )?;
    Ok(InsertOutcome::Created(StoredComment {
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
    }))
}

/// Store what a post says about its article. The first post that carries a URL or a title
/// sets it; later posts only fill in a field still missing and never change one already set.
/// Every post repeats these fields, and they differ for harmless reasons (tracking parameters,
/// a headline edited after publication, an app that sends a shortened link): overwriting on
/// each post would make the link moderators see flip between values from one comment to the
/// next, and would let whoever can post repoint it.
fn upsert_article(conn: &Connection, rec: &NewRecord, now: &str) -> Result<()> {
    let c = &rec.comment;
    if c.article_url.is_none() && c.article_title.is_none() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO articles (article_id, url, title, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?4) \
         ON CONFLICT (article_id) DO UPDATE SET \
             url = COALESCE(articles.url, excluded.url), \
             title = COALESCE(articles.title, excluded.title), \
             updated_at = excluded.updated_at \
         WHERE (articles.url IS NULL AND excluded.url IS NOT NULL) \
            OR (articles.title IS NULL AND excluded.title IS NOT NULL)",
    )?
    .execute(params![
        c.article_id.as_str(),
        c.article_url.as_ref().map(|u| u.as_str()),
        c.article_title.as_ref().map(|t| t.as_str()),
        now,
    ])?;
    Ok(())
}

/// An author's stored restriction, as `authors` holds it.
pub(super) struct AuthorRow {
    pub(super) first_seen_at: String,
    pub(super) restriction: Option<String>,
    pub(super) until: Option<String>,
    pub(super) until_ms: Option<i64>,
    pub(super) by: Option<String>,
    pub(super) at: Option<String>,
    pub(super) reason: Option<String>,
}

fn read_author(conn: &Connection, author_id: &str) -> Result<Option<AuthorRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT first_seen_at, restriction, restricted_until, restricted_until_ms, \
             restricted_by, restricted_at, restriction_reason FROM authors WHERE author_id = ?1",
        )?
        .query_row(params![author_id], |r| {
            Ok(AuthorRow {
                first_seen_at: r.get(0)?,
                restriction: r.get(1)?,
                until: r.get(2)?,
                until_ms: r.get(3)?,
                by: r.get(4)?,
                at: r.get(5)?,
                reason: r.get(6)?,
            })
        })
        .optional()?)
}

impl AuthorRow {
    /// The restriction in force at `now_ms`: a ban until lifted, a suspension until its end.
    pub(super) fn in_force(&self, now_ms: i64) -> Option<AuthorRestriction> {
        match AuthorRestriction::parse(self.restriction.as_deref()?)? {
            AuthorRestriction::Banned => Some(AuthorRestriction::Banned),
            AuthorRestriction::Suspended => self
                .until_ms
                .is_some_and(|until| until > now_ms)
                .then_some(AuthorRestriction::Suspended),
        }
    }

    pub(super) fn standing(&self, author_id: &str, now_ms: i64) -> AuthorStanding {
        let restriction = self.in_force(now_ms).map(|kind| RestrictionInfo {
            kind,
            until: self.until.clone(),
            by: self.by.clone().unwrap_or_default(),
            at: self.at.clone().unwrap_or_default(),
            reason: self.reason.clone().unwrap_or_default(),
        });
        AuthorStanding {
            author_id: author_id.to_string(),
            status: restriction.as_ref().map_or("active", |r| r.kind.as_str()),
            restriction,
        }
    }
}

/// The restriction a new comment from `author_id` falls under; records an author seen for the
/// first time, so moderators can act on them.
fn restriction_for_post(
    conn: &Connection,
    author_id: &str,
    now: &str,
    now_ms: i64,
) -> Result<Option<AuthorRestriction>> {
    match read_author(conn, author_id)? {
        Some(row) => Ok(row.in_force(now_ms)),
        None => {
            conn.prepare_cached("INSERT INTO authors (author_id, first_seen_at) VALUES (?1, ?2)")?
                .execute(params![author_id, now])?;
            Ok(None)
        }
    }
}

/// Suspend, ban or reinstate an author, with an audit entry. None for an author id never
/// posted with. Lifting what is not in force and banning the banned change nothing and record
/// nothing; a new suspension replaces the one in force (a new end), so it is always recorded.
pub(super) fn act_on_author(
    conn: &Connection,
    action: &AuthorAction,
) -> Result<Option<AuthorActionOutcome>> {
    let author_id = action.author_id.as_str();
    let Some(row) = read_author(conn, author_id)? else {
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
    conn.prepare_cached(
        "UPDATE authors SET restriction = ?1, restricted_until = ?2, restricted_until_ms = ?3, \
         restricted_by = ?4, restricted_at = ?5, restriction_reason = ?6 WHERE author_id = ?7",
    )?
    .execute(params![
        restriction,
        until,
        until_ms,
        by,
        at,
        stored_reason,
        author_id
    ])?;
    // A lift says what it ended, so the log reads on its own.
    let note = match (action.kind, current) {
        (AuthorActionKind::Lift, Some(AuthorRestriction::Suspended)) => Some(format!(
            "ended a suspension until {}",
            row.until.as_deref().unwrap_or("?")
        )),
        (AuthorActionKind::Lift, Some(AuthorRestriction::Banned)) => Some("ended a ban".into()),
        _ => None,
    };
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, author_id, reason, note, until) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        now,
        action.moderator,
        action.kind.action(),
        author_id,
        reason,
        note,
        until,
    ])?;
    let after = read_author(conn, author_id)?.ok_or_else(|| {
        // Read back inside the same transaction that just updated it: missing means a bug.
        StorageError::Failed(format!("author {author_id} vanished while updating").into())
    })?;
    Ok(Some(AuthorActionOutcome {
        standing: after.standing(author_id, now_ms),
        changed,
    }))
}

pub(super) fn auto_action(status: CommentStatus) -> &'static str {
    match status {
        CommentStatus::Published => "auto_published",
        CommentStatus::Held => "auto_held",
        CommentStatus::Rejected => "auto_rejected",
    }
}

pub(super) struct AuditRow<'a> {
    pub(super) at: &'a str,
    pub(super) actor: &'a str,
    pub(super) action: &'a str,
    pub(super) comment_id: &'a str,
    pub(super) before: Option<CommentStatus>,
    pub(super) after: CommentStatus,
    pub(super) reason: Option<&'a str>,
    pub(super) note: Option<&'a str>,
    pub(super) override_previous: bool,
    pub(super) resolved_reports: u32,
}

fn append_audit(conn: &Connection, row: &AuditRow<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, comment_id, before_status, after_status, \
         reason, note, override, resolved_reports) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        row.at,
        row.actor,
        row.action,
        row.comment_id,
        row.before.map(|s| s.as_str()),
        row.after.as_str(),
        row.reason,
        row.note,
        row.override_previous,
        row.resolved_reports,
    ])?;
    Ok(())
}

/// Resolve a comment's open reports by a moderator's decision; returns how many.
fn resolve_reports(
    conn: &Connection,
    comment_id: &str,
    decision: Decision,
    moderator: &str,
    now: &str,
) -> Result<u32> {
    let resolution = match decision {
        Decision::Approve => "dismissed",
        Decision::Reject => "upheld",
    };
    let n = conn
        .prepare_cached(
            "UPDATE reports SET resolution = ?1, resolved_by = ?2, resolved_at = ?3 \
             WHERE comment_id = ?4 AND resolution IS NULL",
        )?
        .execute(params![resolution, moderator, now, comment_id])?;
    if n > 0 {
        conn.prepare_cached("UPDATE comments SET open_reports = 0 WHERE id = ?1")?
            .execute(params![comment_id])?;
    }
    Ok(n as u32)
}

/// Store a reader report and, when it is the one that crosses the threshold, send a published
/// comment no moderator has decided back to the held queue. A moderator's decision is never
/// undone by readers: reports on a decided comment are listed in the reported queue for a
/// moderator to look at again, but change nothing by themselves.
pub(super) fn insert_report(
    conn: &Connection,
    report: &NewReport,
    threshold: u32,
) -> Result<ReportOutcome> {
    let key = report.comment_id.to_string();
    let row = conn
        .prepare_cached(
            "SELECT seq, status, \
             EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id) \
             FROM comments WHERE id = ?1",
        )?
        .query_row(params![key], |r| {
            Ok((r.get::<_, i64>(0)?, status_col(r, 1)?, r.get::<_, bool>(2)?))
        })
        .optional()?;
    let Some((seq, status, decided)) = row else {
        return Err(StorageError::NotFound(vec![report.comment_id]));
    };
    let reporter = report.reporter_id.as_ref().map(|id| id.as_str());
    let counts = |open: &[OpenReport]| {
        (
            open.len() as u32,
            distinct_reporters(open.iter().map(|o| o.reporter_id.as_deref())),
        )
    };
    if let Some(reporter) = reporter {
        let existing = conn
            .prepare_cached(
                "SELECT id, reason FROM reports \
                 WHERE comment_id = ?1 AND reporter_id = ?2 AND resolution IS NULL",
            )?
            .query_row(params![key, reporter], |r| {
                Ok((r.get::<_, i64>(0)?, reason_col(r, 1)?))
            })
            .optional()?;
        if let Some((report_id, reason)) = existing {
            let (open_reports, reporters) = counts(&read_open_reports(conn, &key)?);
            return Ok(ReportOutcome {
                report_id,
                reason,
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
    conn.prepare_cached(
        "INSERT INTO reports (comment_id, reason, reporter_id, note, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![key, report.reason.as_str(), reporter, note, now])?;
    let report_id = conn.last_insert_rowid();
    conn.prepare_cached(
        "UPDATE comments SET open_reports = open_reports + 1, last_report_id = ?1 WHERE seq = ?2",
    )?
    .execute(params![report_id, seq])?;
    // Readers are named by the platform's id, set apart from moderator names.
    let actor = reporter.map_or_else(|| "reader".to_string(), |id| format!("reader:{id}"));
    append_audit(
        conn,
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
    )?;
    let open = read_open_reports(conn, &key)?;
    let (open_reports, reporters) = counts(&open);
    let requeued = status == CommentStatus::Published && !decided && reporters >= threshold;
    if requeued {
        conn.prepare_cached("UPDATE comments SET status = 'held', updated_at = ?1 WHERE seq = ?2")?
            .execute(params![now, seq])?;
        let reasons: Vec<String> = summary(&open)
            .reasons
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let why = format!("{reporters} readers reported it ({})", reasons.join(", "));
        append_audit(
            conn,
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
        )?;
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

/// Check every id first, then change all of them, so the action is all or nothing (the writer
/// runs this inside a savepoint as well).
pub(super) fn decide(conn: &Connection, req: &DecisionRequest) -> Result<Vec<DecisionResult>> {
    let mut ids: Vec<CommentId> = Vec::with_capacity(req.ids.len());
    for id in &req.ids {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    struct Current {
        id: CommentId,
        status: CommentStatus,
        auto_status: CommentStatus,
        model_version: String,
        last: Option<(Decision, String, String)>,
    }
    let mut found = Vec::with_capacity(ids.len());
    let mut unknown = Vec::new();
    let mut conflicts = Vec::new();
    for &id in &ids {
        let key = id.to_string();
        let row = conn
            .prepare_cached(
                "SELECT status, auto_status, model_version FROM comments WHERE id = ?1",
            )?
            .query_row(params![key], |r| {
                Ok((status_col(r, 0)?, status_col(r, 1)?, r.get::<_, String>(2)?))
            })
            .optional()?;
        let Some((status, auto_status, model_version)) = row else {
            unknown.push(id);
            continue;
        };
        let last = conn
            .prepare_cached(
                "SELECT decision, moderator, decided_at FROM decisions WHERE comment_id = ?1 \
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![key], |r| {
                let d: String = r.get(0)?;
                let d = Decision::parse(&d).ok_or_else(|| conversion_error(0, d))?;
                Ok((d, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()?;
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
            auto_status,
            model_version,
            last,
        });
    }
    if !unknown.is_empty() {
        return Err(StorageError::NotFound(unknown));
    }
    if !conflicts.is_empty() {
        return Err(StorageError::Conflict(conflicts));
    }
    let (now, _) = now();
    let after = req.decision.resulting_status();
    let reason = req.reason.map(|r| r.as_str());
    let mut results = Vec::with_capacity(found.len());
    for cur in found {
        let key = cur.id.to_string();
        // Repeating the decision already taken records no new decision; it still resolves the
        // reports readers sent since, so the comment leaves the reported queue.
        if cur
            .last
            .as_ref()
            .is_some_and(|(d, _, _)| *d == req.decision)
        {
            let resolved = resolve_reports(conn, &key, req.decision, &req.moderator, &now)?;
            if resolved > 0 {
                append_audit(
                    conn,
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
                )?;
            }
            results.push(DecisionResult {
                id: cur.id,
                before: cur.status,
                after: cur.status,
                changed: false,
                resolved_reports: resolved,
            });
            continue;
        }
        // Every report on the comment, resolved ones too: an override is the latest word on
        // the same text the earlier decision resolved them on.
        let reported = conn
            .prepare_cached("SELECT reason FROM reports WHERE comment_id = ?1")?
            .query_map(params![key], |r| reason_col(r, 0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let labels = json_text(&labels_with_reports(req.decision, req.reason, &reported))?;
        let overturned = match req.decision {
            Decision::Approve => cur.auto_status != CommentStatus::Published,
            Decision::Reject => cur.auto_status == CommentStatus::Published,
        };
        let is_override = cur.last.is_some();
        conn.prepare_cached("UPDATE comments SET status = ?1, updated_at = ?2 WHERE id = ?3")?
            .execute(params![after.as_str(), now, key])?;
        conn.prepare_cached(
            "INSERT INTO decisions (comment_id, moderator, decision, reason, note, labels, \
             model_version, auto_status, overturned, override, decided_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            key,
            req.moderator,
            req.decision.as_str(),
            reason,
            req.note,
            labels,
            cur.model_version,
            cur.auto_status.as_str(),
            overturned,
            is_override,
            now,
        ])?;
        let resolved = resolve_reports(conn, &key, req.decision, &req.moderator, &now)?;
        append_audit(
            conn,
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
        )?;
        results.push(DecisionResult {
            id: cur.id,
            before: cur.status,
            after,
            changed: true,
            resolved_reports: resolved,
        });
    }
    Ok(results)
}

/// New model verdicts for undecided comments. A comment whose status moved since it was read,
/// that a moderator decided meanwhile, that readers reported, or whose status a restriction on
/// its author decided, is skipped: a person's decision always wins, and reported comments and
/// those of suspended or banned authors wait for one.
pub(super) fn apply_rescore(conn: &Connection, updates: &[Rescored]) -> Result<RescoreOutcome> {
    let (now, _) = now();
    let mut outcome = RescoreOutcome::default();
    for u in updates {
        let key = u.id.to_string();
        let seq: Option<i64> = conn
            .prepare_cached(
                "SELECT seq FROM comments WHERE id = ?1 AND status = ?2 AND open_reports = 0 \
                 AND status_reason IS NULL AND premoderated = 0 \
                 AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id)",
            )?
            .query_row(params![key, u.expected_status.as_str()], |r| r.get(0))
            .optional()?;
        let Some(seq) = seq else {
            outcome.skipped += 1;
            continue;
        };
        // The new verdict becomes the model's verdict (auto_status), so per-version overturn
        // stats judge the version that now stands behind it.
        conn.prepare_cached(
            "UPDATE comments SET status = ?1, auto_status = ?1, max_score = ?2, scores = ?3, \
             reasons = ?4, model_version = ?5, thresholds = ?6, updated_at = ?7 WHERE seq = ?8",
        )?
        .execute(params![
            u.status.as_str(),
            f64::from(u.scores.max()),
            json_text(&u.scores)?,
            json_text(&u.reasons)?,
            u.model_version,
            json_text(&u.thresholds)?,
            now,
            seq,
        ])?;
        conn.prepare_cached("DELETE FROM comment_labels WHERE comment_seq = ?1")?
            .execute(params![seq])?;
        insert_labels(
            conn,
            seq,
            &listed_labels(&u.scores, &u.reasons, &u.thresholds),
        )?;
        let note = format!("rescored by model {}", u.model_version);
        append_audit(
            conn,
            &AuditRow {
                at: &now,
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
        )?;
        outcome.applied += 1;
    }
    Ok(outcome)
}

// ---------------------------------------------------------------- reads

pub(super) fn undecided(conn: &Connection, status: CommentStatus) -> Result<Vec<Undecided>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, body, status, model_version FROM comments c \
             WHERE status = ?1 AND open_reports = 0 AND status_reason IS NULL AND premoderated = 0 \
             AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = c.id) ORDER BY seq",
        )?
        .query_map(params![status.as_str()], |r| {
            Ok(Undecided {
                id: id_col(r, 0)?,
                body: r.get(1)?,
                status: status_col(r, 2)?,
                model_version: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn decided_comments(conn: &Connection) -> Result<Vec<DecidedComment>> {
    let rows = conn
        .prepare_cached(
            "SELECT c.id, c.body, d.decision, d.reason, d.labels FROM comments c \
             JOIN decisions d ON d.id = \
                 (SELECT MAX(id) FROM decisions WHERE comment_id = c.id) \
             ORDER BY c.seq",
        )?
        .query_map([], |r| {
            let decision: String = r.get(2)?;
            Ok(DecidedComment {
                id: id_col(r, 0)?,
                body: r.get(1)?,
                decision: Decision::parse(&decision)
                    .ok_or_else(|| conversion_error(2, decision))?,
                reason: r.get(3)?,
                labels: json_col(r, 4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn suggested_labels(conn: &Connection) -> Result<Vec<SuggestedLabel>> {
    let rows = conn
        .prepare_cached("SELECT text, label, value FROM suggested_scores ORDER BY id")?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A label this build does not know (a newer service wrote it) is skipped, not fatal.
    Ok(rows
        .into_iter()
        .filter_map(|(text, label, value)| {
            Some(SuggestedLabel {
                text,
                label: label.parse().ok()?,
                value: value as f32,
            })
        })
        .collect())
}

pub(super) fn ping(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT 1 FROM schema_migrations LIMIT 1", [], |_| Ok(()))?;
    Ok(())
}

pub(super) fn find_by_idempotency_key(
    conn: &Connection,
    key: &str,
) -> Result<Option<StoredComment>> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE idempotency_key = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key], comment_row)
        .optional()?
        .map(|r| r.comment))
}

/// Fetch `limit + 1` rows to learn whether another page exists without a COUNT.
pub(super) fn page_of<T>(
    mut rows: Vec<T>,
    limit: usize,
    cursor_of: impl Fn(&T) -> Cursor,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|r| cursor_of(r).encode())
    } else {
        None
    };
    (rows, next)
}

pub(super) fn list_published(
    conn: &Connection,
    article_id: &str,
    limit: usize,
    after: Option<Cursor>,
) -> Result<Page<StoredComment>> {
    let after_seq = match after {
        Some(Cursor::Seq(seq)) => seq,
        _ => 0,
    };
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM comments \
         WHERE article_id = ?1 AND status = 'published' AND seq > ?2 ORDER BY seq LIMIT ?3"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(
            params![article_id, after_seq, limit as i64 + 1],
            comment_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (rows, next_cursor) = page_of(rows, limit, |r| Cursor::Seq(r.seq));
    Ok(Page {
        items: rows.into_iter().map(|r| r.comment).collect(),
        next_cursor,
    })
}

/// A WHERE clause built from optional filters, with its parameters kept beside each condition.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Filter {
    fn and(&mut self, clause: impl Into<String>, values: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.into());
        self.values.extend(values);
    }

    /// `SELECT {select} WHERE … ORDER BY {order}`, one row more than `limit` so `page_of` can
    /// tell whether another page follows.
    fn page_rows<T>(
        mut self,
        conn: &Connection,
        select: &str,
        order: &str,
        limit: usize,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let conditions = if self.clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            self.clauses.join(" AND ")
        };
        self.values.push(Value::Integer(limit as i64 + 1));
        let sql = format!("SELECT {select} WHERE {conditions} ORDER BY {order} LIMIT ?");
        Ok(conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(self.values), row)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// A queue page, each comment with its open reports, article and parent.
pub(super) fn queue(conn: &Connection, f: &QueueFilter) -> Result<Page<StoredComment>> {
    queue_page(conn, f, true)
}

/// `with_context`: attach the article and parent. The live view only wants the ids.
fn queue_page(
    conn: &Connection,
    f: &QueueFilter,
    with_context: bool,
) -> Result<Page<StoredComment>> {
    let status = match f.view {
        QueueView::Status(status) => Some(status),
        QueueView::Reported => None,
    };
    // With a label (and no article, whose own index is narrower) a status view is read from the
    // label rows' copy of status, severity and seq, in index order; otherwise from comments.
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
    // The reported queue's time is when a comment was last reported, not when it was posted:
    // an old comment reported now is new to that queue (and to its live view's watermark).
    let time = if status.is_some() {
        seq
    } else {
        "last_report_id"
    };
    let mut filter = Filter::default();
    match status {
        Some(status) => filter.and(
            format!("{status_column} = ?"),
            [Value::Text(status.as_str().into())],
        ),
        // Spelled as in migration 0007's partial indexes, so SQLite reads only reported rows.
        None => filter.and("open_reports > 0", std::iter::empty()),
    }
    match (by_label, f.label) {
        (Some(label), _) => {
            filter.and("label = ?", [Value::Text(label.as_str().into())]);
        }
        (None, Some(label)) => {
            filter.and(
                "seq IN (SELECT comment_seq FROM comment_labels WHERE label = ?)",
                [Value::Text(label.as_str().into())],
            );
        }
        (None, None) => {}
    }
    if let Some(article) = &f.article_id {
        filter.and("article_id = ?", [Value::Text(article.clone())]);
    }
    match (f.order, f.after) {
        (QueueOrder::Oldest, Some(Cursor::Seq(after))) => {
            filter.and(format!("{time} > ?"), [Value::Integer(after)]);
        }
        (QueueOrder::Newest, Some(Cursor::Seq(before))) => {
            filter.and(format!("{time} < ?"), [Value::Integer(before)]);
        }
        (QueueOrder::Score, Some(Cursor::Score { score: s, seq: q })) => {
            filter.and(
                format!("({score} < ? OR ({score} = ? AND {seq} > ?))"),
                [Value::Real(s), Value::Real(s), Value::Integer(q)],
            );
        }
        (QueueOrder::Reports, Some(Cursor::Count { count, seq: after })) => {
            filter.and(
                "(open_reports < ? OR (open_reports = ? AND last_report_id > ?))",
                [
                    Value::Integer(count),
                    Value::Integer(count),
                    Value::Integer(after),
                ],
            );
        }
        (_, None) => {}
        // The handler checks that the cursor matches the order; a mismatch reads from the start.
        _ => {}
    }
    let order = match f.order {
        QueueOrder::Oldest => format!("{time} ASC"),
        QueueOrder::Newest => format!("{time} DESC"),
        QueueOrder::Score => format!("{score} DESC, {seq} ASC"),
        QueueOrder::Reports => "open_reports DESC, last_report_id ASC".to_string(),
    };
    let mut rows = filter.page_rows(
        conn,
        &format!("{COMMENT_COLUMNS} FROM {from}"),
        &order,
        f.limit,
        comment_row,
    )?;
    attach_reports(conn, &mut rows)?;
    if with_context {
        attach_context(conn, &mut rows)?;
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

pub(super) fn queue_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?)
}

pub(super) fn queue_updates(
    conn: &Connection,
    f: &QueueFilter,
    since: Option<i64>,
) -> Result<QueueUpdates> {
    // One read transaction: the version, the watermark and the new ids come from one snapshot,
    // so a comment committed between two of the reads cannot be counted under neither.
    let tx = conn.unchecked_transaction()?;
    let version = queue_version(&tx)?;
    let watermark_sql = match f.view {
        QueueView::Status(_) => "SELECT COALESCE(MAX(seq), 0) FROM comments",
        QueueView::Reported => "SELECT COALESCE(MAX(id), 0) FROM reports",
    };
    let watermark: i64 = tx
        .prepare_cached(watermark_sql)?
        .query_row([], |r| r.get(0))?;
    let held: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM comments WHERE status = 'held'")?
        .query_row([], |r| r.get(0))?;
    let reported: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM comments WHERE open_reports > 0")?
        .query_row([], |r| r.get(0))?;
    let (new_ids, more_new) = match since {
        Some(since) => {
            let page = queue_page(
                &tx,
                &QueueFilter {
                    order: QueueOrder::Oldest,
                    after: Some(Cursor::Seq(since)),
                    ..f.clone()
                },
                false,
            )?;
            let more = page.next_cursor.is_some();
            (page.items.into_iter().map(|c| c.id).collect(), more)
        }
        None => (Vec::new(), false),
    };
    tx.finish()?;
    Ok(QueueUpdates {
        version,
        // One writer commits in id order: what is visible is settled.
        settled_version: Some(version),
        watermark: Cursor::Seq(watermark),
        held: held as u64,
        reported: reported as u64,
        new_ids,
        more_new,
    })
}

pub(super) const AUDIT_COLUMNS: &str = "id, at, actor, action, comment_id, before_status, after_status, \
     reason, note, override, resolved_reports, author_id, until";

fn audit_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        article_id: None,
        excerpt: None,
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        comment_id: opt_id_col(row, 4)?,
        before_status: opt_status_col(row, 5)?,
        after_status: opt_status_col(row, 6)?,
        reason: row.get(7)?,
        note: row.get(8)?,
        override_previous: row.get(9)?,
        resolved_reports: row.get(10)?,
        author_id: row.get(11)?,
        until: row.get(12)?,
    })
}

/// The author panel, read from one snapshot.
pub(super) fn author_panel(
    conn: &Connection,
    author_id: &str,
    limit: usize,
) -> Result<Option<AuthorPanel>> {
    let tx = conn.unchecked_transaction()?;
    let Some(row) = read_author(&tx, author_id)? else {
        return Ok(None);
    };
    let (_, now_ms) = now();
    let mut counts = StatusCounts::default();
    for status in tx
        .prepare_cached("SELECT status, COUNT(*) FROM comments WHERE author_id = ?1 GROUP BY 1")?
        .query_map(params![author_id], |r| {
            Ok((status_col(r, 0)?, r.get::<_, i64>(1)?))
        })?
    {
        let (status, n) = status?;
        counts.add(status, n as u64);
    }
    let sql = format!(
        "SELECT id, article_id, author, substr(body, 1, {}), status, auto_status, \
         COALESCE(status_reason, CASE WHEN premoderated = 1 THEN 'article_premoderated' END), \
         created_at FROM comments WHERE author_id = ?1 ORDER BY seq DESC LIMIT ?2",
        EXCERPT_CHARS + 1
    );
    let recent = tx
        .prepare_cached(&sql)?
        .query_map(params![author_id, limit as i64], |r| {
            Ok(AuthorComment {
                id: id_col(r, 0)?,
                article_id: r.get(1)?,
                author: r.get(2)?,
                excerpt: excerpt(r.get(3)?, EXCERPT_CHARS),
                status: status_col(r, 4)?,
                auto_status: status_col(r, 5)?,
                status_reason: r.get(6)?,
                created_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The display name of the newest comment, even when `limit` lists none.
    let display_name: Option<String> = tx
        .prepare_cached(
            "SELECT author FROM comments WHERE author_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![author_id], |r| r.get(0))
        .optional()?;
    let actions = tx
        .prepare_cached(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE author_id = ?1 ORDER BY id DESC LIMIT ?2"
        ))?
        .query_map(params![author_id, AUTHOR_ACTIONS_LISTED as i64], audit_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.finish()?;
    Ok(Some(AuthorPanel {
        standing: row.standing(author_id, now_ms),
        display_name,
        first_seen_at: row.first_seen_at,
        counts,
        recent,
        actions,
    }))
}

pub(super) fn get_detail(conn: &Connection, id: CommentId) -> Result<Option<CommentDetail>> {
    let key = id.to_string();
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?1");
    let Some(row) = conn
        .prepare_cached(&sql)?
        .query_row(params![key], comment_row)
        .optional()?
    else {
        return Ok(None);
    };
    let mut rows = [row];
    attach_reports(conn, &mut rows)?;
    attach_context(conn, &mut rows)?;
    let [row] = rows;
    let decisions = conn
        .prepare_cached(
            "SELECT moderator, decision, reason, note, labels, overturned, override, decided_at \
             FROM decisions WHERE comment_id = ?1 ORDER BY id",
        )?
        .query_map(params![key], |r| {
            let d: String = r.get(1)?;
            Ok(DecisionRecord {
                moderator: r.get(0)?,
                decision: Decision::parse(&d).ok_or_else(|| conversion_error(1, d))?,
                reason: r.get(2)?,
                note: r.get(3)?,
                labels: json_col(r, 4)?,
                overturned: r.get(5)?,
                override_previous: r.get(6)?,
                decided_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let history = conn
        .prepare_cached(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE comment_id = ?1 ORDER BY id"
        ))?
        .query_map(params![key], audit_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let report_history = conn
        .prepare_cached(
            "SELECT id, reason, reporter_id, note, created_at, resolution, resolved_by, \
             resolved_at FROM reports WHERE comment_id = ?1 ORDER BY id",
        )?
        .query_map(params![key], |r| {
            Ok(ReportRecord {
                id: r.get(0)?,
                reason: reason_col(r, 1)?,
                reporter_id: r.get(2)?,
                note: r.get(3)?,
                created_at: r.get(4)?,
                resolution: r.get(5)?,
                resolved_by: r.get(6)?,
                resolved_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(CommentDetail {
        comment: row.comment,
        decisions,
        history,
        report_history,
    }))
}

/// Moderator actions. Written out the same way as migration 0009's partial index, so SQLite
/// can answer the moderator-only log from that index.
pub(super) const MODERATOR_ACTIONS: &str = "a.action IN ('approve', 'reject', 'suspend_author', \
     'ban_author', 'lift_author', 'premoderation_on', 'premoderation_off')";

/// Newest entries first, each with its comment's article and the start of its text.
pub(super) fn audit_log(conn: &Connection, f: &LogFilter) -> Result<Page<AuditEntry>> {
    let mut filter = Filter::default();
    if let Some(id) = f.comment_id {
        filter.and("a.comment_id = ?", [Value::Text(id.to_string())]);
    }
    if let Some(actor) = &f.actor {
        filter.and("a.actor = ?", [Value::Text(actor.clone())]);
    }
    if let Some(author) = &f.author_id {
        filter.and("a.author_id = ?", [Value::Text(author.clone())]);
    }
    if let Some(action) = &f.action {
        filter.and("a.action = ?", [Value::Text(action.clone())]);
    }
    if let Some(article) = &f.article_id {
        // Entries on the article's comments, and those on the article itself (pre-moderation).
        filter.and(
            "(a.comment_id IN (SELECT id FROM comments WHERE article_id = ?) OR a.article_id = ?)",
            [Value::Text(article.clone()), Value::Text(article.clone())],
        );
    }
    match f.kind {
        Some(LogKind::Moderator) => filter.and(MODERATOR_ACTIONS, std::iter::empty()),
        Some(LogKind::Reader) => filter.and("a.action = 'report'", std::iter::empty()),
        Some(LogKind::Automatic) => filter.and(
            format!("NOT {MODERATOR_ACTIONS} AND a.action != 'report'"),
            std::iter::empty(),
        ),
        None => {}
    }
    if let Some(Cursor::Seq(id)) = f.after {
        filter.and("a.id < ?", [Value::Integer(id)]);
    }
    // A left join: author and article actions have no comment.
    let select = format!(
        "a.id, a.at, a.actor, a.action, a.comment_id, a.before_status, a.after_status, \
         a.reason, a.note, a.override, a.resolved_reports, a.author_id, a.until, \
         COALESCE(c.article_id, a.article_id), \
         substr(c.body, 1, {}) FROM audit_log a LEFT JOIN comments c ON c.id = a.comment_id",
        EXCERPT_CHARS + 1
    );
    let rows = filter.page_rows(conn, &select, "a.id DESC", f.limit, |row| {
        let mut entry = audit_row(row)?;
        entry.article_id = row.get(13)?;
        let text: Option<String> = row.get(14)?;
        entry.excerpt = text.map(|t| excerpt(t, EXCERPT_CHARS));
        Ok(entry)
    })?;
    let (items, next_cursor) = page_of(rows, f.limit, |e| Cursor::Seq(e.id));
    Ok(Page { items, next_cursor })
}

/// `text` was cut at `max + 1` characters: one more means there was more.
pub(super) fn excerpt(text: String, max: usize) -> String {
    if text.chars().count() > max {
        let mut cut: String = text.chars().take(max).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// The rows of a `SELECT key, status, COUNT(*) … GROUP BY key, status` query.
fn counts_by_status(conn: &Connection, sql: &str) -> Result<Vec<(String, CommentStatus, u64)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                status_col(r, 1)?,
                r.get::<_, i64>(2)? as u64,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn stats(conn: &Connection) -> Result<Stats> {
    let mut comments = StatusCounts::default();
    let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM comments GROUP BY status")?;
    for row in stmt.query_map([], |r| Ok((status_col(r, 0)?, r.get::<_, i64>(1)?)))? {
        let (status, n) = row?;
        comments.add(status, n as u64);
    }

    let mut labels = std::collections::BTreeMap::<Label, StatusCounts>::new();
    for (label, status, n) in counts_by_status(
        conn,
        "SELECT label, comment_status, COUNT(*) FROM comment_labels \
         GROUP BY label, comment_status",
    )? {
        if let Ok(label) = label.parse::<Label>() {
            labels.entry(label).or_default().add(status, n);
        }
    }

    let oldest_held_ms: Option<i64> = conn
        .prepare_cached(
            "SELECT created_ms FROM comments WHERE status = 'held' ORDER BY seq LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?;
    let (_, now_ms) = now();
    let oldest_held_age_seconds = oldest_held_ms.map(|ms| ((now_ms - ms).max(0) / 1000) as u64);

    let mut decisions = std::collections::BTreeMap::new();
    for d in [Decision::Approve, Decision::Reject] {
        decisions.insert(d.as_str().to_string(), 0);
    }
    let mut stmt =
        conn.prepare_cached("SELECT decision, COUNT(*) FROM decisions GROUP BY decision")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (d, n) = row?;
        decisions.insert(d, n as u64);
    }

    let mut versions = std::collections::BTreeMap::<String, ModelVersionStats>::new();
    for (version, status, n) in counts_by_status(
        conn,
        "SELECT model_version, auto_status, COUNT(*) FROM comments GROUP BY 1, 2",
    )? {
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
    // Overturned judges the comment's current (latest) decision against the model's verdict: a
    // flagged comment a moderator published, or a published one a moderator rejected.
    let mut stmt = conn.prepare_cached(
        "SELECT model_version, COUNT(*), \
         SUM(CASE WHEN (auto_status != 'published' AND status = 'published') \
                    OR (auto_status = 'published' AND status = 'rejected') THEN 1 ELSE 0 END) \
         FROM comments WHERE id IN (SELECT comment_id FROM decisions) GROUP BY model_version",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (version, reviewed, overturned) = row?;
        if let Some(v) = versions.get_mut(&version) {
            v.reviewed = reviewed as u64;
            v.overturned = overturned as u64;
        }
    }

    let count = |table: &str| -> Result<u64> {
        let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
        Ok(n as u64)
    };
    let training_data = TrainingDataCounts {
        analyses: count("analyzed_texts")?,
        suggestions: count("suggested_scores")?,
    };

    let mut reports = ReportCounts {
        comments: conn
            .prepare_cached("SELECT COUNT(*) FROM comments WHERE open_reports > 0")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64,
        ..ReportCounts::default()
    };
    let mut stmt =
        conn.prepare_cached("SELECT resolution, COUNT(*) FROM reports GROUP BY resolution")?;
    for row in stmt.query_map([], |r| {
        Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (resolution, n) = row?;
        match resolution.as_deref() {
            None => reports.open = n as u64,
            Some("upheld") => reports.upheld = n as u64,
            Some(_) => reports.dismissed = n as u64,
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
        authors: restricted_authors(conn, now_ms)?,
        articles: super::sqlite_premoderation::premoderation_counts(conn)?,
    })
}

/// Authors under a restriction now; a suspension past its end no longer counts.
fn restricted_authors(conn: &Connection, now_ms: i64) -> Result<AuthorCounts> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(restriction = 'suspended' AND restricted_until_ms > ?1), 0), \
             COALESCE(SUM(restriction = 'banned'), 0) FROM authors \
             WHERE restriction IS NOT NULL",
        )?
        .query_row(params![now_ms], |r| {
            Ok(AuthorCounts {
                suspended: r.get::<_, i64>(0)? as u64,
                banned: r.get::<_, i64>(1)? as u64,
            })
        })?)
}

/// Keep Perspective-API text for retraining (writer thread only).
pub(super) fn insert_training(conn: &Connection, record: &TrainingRecord) -> Result<()> {
    let (at, _) = now();
    match record {
        TrainingRecord::Analysis {
            api_key,
            text,
            scores,
            model_version,
            client_token,
            community_id,
        } => {
            let scores =
                serde_json::to_string(scores).map_err(|e| StorageError::Failed(Cause::new(e)))?;
            conn.execute(
                "INSERT INTO analyzed_texts
                     (api_key, text, scores, model_version, client_token, community_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    api_key,
                    text,
                    scores,
                    model_version,
                    client_token,
                    community_id,
                    at
                ],
            )?;
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
                conn.execute(
                    "INSERT INTO suggested_scores (api_key, text, attribute, label, value, context,
                         community_id, client_token, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        api_key,
                        text,
                        score.attribute,
                        score.label.as_str(),
                        score.value,
                        context,
                        community_id,
                        client_token,
                        at
                    ],
                )?;
            }
        }
    }
    Ok(())
}
