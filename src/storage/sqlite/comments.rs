//! SQLite: storing a new comment, and reading comments back (by Idempotency-Key, an article's
//! published comments, one comment's detail) with their reports, article and parent.

use super::authors::restriction_for_post;
use super::reports::read_open_reports;
use super::{all, first};
use crate::domain::{CommentId, Label};
use crate::storage::shared::comments::{PostedStatus, replay};
use crate::storage::shared::reports::summary;
use crate::storage::shared::rows::{
    AUDIT_COLUMNS, COMMENT_COLUMNS, CommentRow, DECISION_COLUMNS, REPORT_COLUMNS, audit_entry,
    comment_row, decision_record, parent_columns, parent_excerpt, report_record,
};
use crate::storage::shared::{json_text, now, page_of};
use crate::storage::{
    ArticleInfo, CommentDetail, Cursor, InsertOutcome, NewRecord, Page, ParentExcerpt, Result,
    StorageError, StoredComment, listed_labels,
};
use rusqlite::{Connection, OptionalExtension, params};

/// One label of a comment, copying the comment's status and severity for the label-filtered
/// queue's index (migration 0004; a trigger keeps them in step afterwards).
const INSERT_LABEL: &str = "INSERT OR IGNORE INTO comment_labels \
     (comment_seq, label, score, comment_status, comment_score) \
     SELECT ?1, ?2, ?3, status, max_score FROM comments WHERE seq = ?1";

pub(super) fn insert_labels(conn: &Connection, seq: i64, labels: &[(Label, f32)]) -> Result<()> {
    let mut stmt = conn.prepare_cached(INSERT_LABEL)?;
    for (label, score) in labels {
        stmt.execute(params![seq, label.as_str(), f64::from(*score)])?;
    }
    Ok(())
}

// ---------------------------------------------------------------- writes (writer thread only)

pub(crate) fn insert_comment(conn: &Connection, rec: &NewRecord) -> Result<InsertOutcome> {
    if let Some(idem) = &rec.idempotency
        && let Some(existing) = find_by_idempotency_key(conn, &idem.key)?
    {
        return replay(existing, rec);
    }
    check_parent(conn, rec)?;
    let (now, now_ms) = now();
    let id = rec.id.to_string();
    let posted = settle_status(conn, rec, &now, now_ms)?;
    upsert_article(conn, rec, &now)?;
    let seq = insert_row(conn, rec, &posted, &now, now_ms)?;
    insert_labels(
        conn,
        seq,
        &listed_labels(&rec.scores, &rec.reasons, &rec.thresholds),
    )?;
    super::audit::append(conn, &posted.audit(&id, &now))?;
    Ok(InsertOutcome::Created(posted.stored(rec, now)))
}

/// A reply's parent must be a stored comment on the same article.
fn check_parent(conn: &Connection, rec: &NewRecord) -> Result<()> {
    let c = &rec.comment;
    let Some(parent) = c.parent_id else {
        return Ok(());
    };
    let article: Option<String> = conn
        .prepare_cached("SELECT article_id FROM comments WHERE id = ?1")?
        .query_row(params![parent.to_string()], |r| r.get(0))
        .optional()?;
    if article.as_deref() != Some(c.article_id.as_str()) {
        return Err(StorageError::UnknownParent(parent));
    }
    Ok(())
}

/// The new comment's status once its author's restriction and its article's pre-moderation
/// (which counts it towards a surge) have had their say.
fn settle_status(
    conn: &Connection,
    rec: &NewRecord,
    now: &str,
    now_ms: i64,
) -> Result<PostedStatus> {
    let c = &rec.comment;
    let restriction = match &c.author_id {
        Some(author) => restriction_for_post(conn, author.as_str(), now, now_ms)?,
        None => None,
    };
    let for_post = super::premoderation::premoderation_for_post(
        conn,
        c.article_id.as_str(),
        rec.status,
        rec.surge.as_ref(),
        now,
        now_ms,
    )?;
    Ok(PostedStatus::settle(rec, restriction, for_post))
}

/// The comment's row; returns its seq.
fn insert_row(
    conn: &Connection,
    rec: &NewRecord,
    posted: &PostedStatus,
    now: &str,
    now_ms: i64,
) -> Result<i64> {
    let c = &rec.comment;
    conn.prepare_cached(
        "INSERT INTO comments (id, article_id, parent_id, author, title, body, status, \
         auto_status, max_score, scores, reasons, model_version, thresholds, idempotency_key, \
         request_hash, created_at, created_ms, updated_at, author_id, status_reason, \
         posted_status, premoderated) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?16, \
         ?18, ?19, ?20, ?21)",
    )?
    .execute(params![
        rec.id.to_string(),
        c.article_id.as_str(),
        c.parent_id.map(|p| p.to_string()),
        c.author.as_str(),
        c.title.as_ref().map(|t| t.as_str()),
        c.body.as_str(),
        posted.status.as_str(),
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
        posted.status_reason,
        posted.posted_status,
        posted.premoderated,
    ])?;
    Ok(conn.last_insert_rowid())
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

// ---------------------------------------------------------------- reads

pub(crate) fn find_by_idempotency_key(
    conn: &Connection,
    key: &str,
) -> Result<Option<StoredComment>> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE idempotency_key = ?1");
    Ok(first(conn, &sql, params![key], |r| comment_row(r))?.map(|r| r.comment))
}

pub(crate) fn list_published(
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
    let rows = all(
        conn,
        &sql,
        params![article_id, after_seq, limit as i64 + 1],
        |r| comment_row(r),
    )?;
    let (rows, next_cursor) = page_of(rows, limit, |r| Cursor::Seq(r.seq));
    Ok(Page {
        items: rows.into_iter().map(|r| r.comment).collect(),
        next_cursor,
    })
}

pub(crate) fn get_detail(conn: &Connection, id: CommentId) -> Result<Option<CommentDetail>> {
    let key = id.to_string();
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = ?1");
    let Some(row) = first(conn, &sql, params![key], |r| comment_row(r))? else {
        return Ok(None);
    };
    let mut rows = [row];
    attach_reports(conn, &mut rows)?;
    attach_context(conn, &mut rows)?;
    let [row] = rows;
    let of_comment = |table: &str, columns: &str| {
        format!("SELECT {columns} FROM {table} WHERE comment_id = ?1 ORDER BY id")
    };
    Ok(Some(CommentDetail {
        comment: row.comment,
        decisions: all(
            conn,
            &of_comment("decisions", DECISION_COLUMNS),
            params![key],
            |r| decision_record(r),
        )?,
        history: all(
            conn,
            &of_comment("audit_log", AUDIT_COLUMNS),
            params![key],
            |r| audit_entry(r),
        )?,
        report_history: all(
            conn,
            &of_comment("reports", REPORT_COLUMNS),
            params![key],
            |r| report_record(r),
        )?,
    }))
}

/// Give each comment with open reports its summary (one indexed read per reported comment).
pub(super) fn attach_reports(conn: &Connection, rows: &mut [CommentRow]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| r.open_reports > 0) {
        let open = read_open_reports(conn, &row.comment.id.to_string())?;
        row.comment.reports = Some(summary(&open));
    }
    Ok(())
}

/// Give each comment its article's address and headline and, for a reply, its parent in short:
/// one primary-key read per distinct article and per reply on the page.
pub(super) fn attach_context(conn: &Connection, rows: &mut [CommentRow]) -> Result<()> {
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
    let sql = format!("SELECT {} FROM comments WHERE id = ?1", parent_columns());
    first(conn, &sql, params![id.to_string()], |r| parent_excerpt(r))
}
