//! PostgreSQL: storing a new comment (the Idempotency-Key's unique constraint decides which of
//! two concurrent posts creates it), and reading comments back with their reports, article and
//! parent.

use super::authors::restriction_for_post;
use super::reports::read_open_reports;
use super::{all, exec, first, opt_row, read_tx, rows};
use crate::domain::{CommentId, Label};
use crate::storage::shared::comments::{PostedStatus, replay};
use crate::storage::shared::reports::summary;
use crate::storage::shared::rows::{
    AUDIT_COLUMNS, COMMENT_COLUMNS, Columns, CommentRow, DECISION_COLUMNS, REPORT_COLUMNS,
    audit_entry, comment_row, decision_record, parent_columns, parent_excerpt, report_record,
};
use crate::storage::shared::{json_text, now, page_of};
use crate::storage::{
    ArticleInfo, CommentDetail, Cursor, InsertOutcome, NewRecord, Page, Result, StorageError,
    StoredComment, listed_labels,
};
use deadpool_postgres::{Pool, Transaction};
use std::collections::HashMap;
use tokio_postgres::Row;

pub(crate) async fn insert_comment(pool: Pool, rec: NewRecord) -> Result<InsertOutcome> {
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
                StorageError::Failed(
                    "idempotency key conflict, but no comment holds the key".into(),
                )
            })?;
            replay(existing, &rec)
        }
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
    check_parent(tx, rec).await?;
    let (now, now_ms) = now();
    let id = rec.id.to_string();
    let posted = settle_status(tx, rec, &now, now_ms).await?;
    // A transaction id before the comment's number is drawn: what `settled_positions` relies on.
    exec(tx, "SELECT pg_current_xact_id()", &[]).await?;
    upsert_article(tx, rec, &now).await?;
    let Some(seq) = insert_row(tx, rec, &posted, &now, now_ms).await? else {
        return Ok(None);
    };
    insert_labels(
        tx,
        seq,
        &listed_labels(&rec.scores, &rec.reasons, &rec.thresholds),
    )
    .await?;
    super::audit::append(tx, &posted.audit(&id, &now)).await?;
    Ok(Some(InsertOutcome::Created(posted.stored(rec, now))))
}

/// A reply's parent must be a stored comment on the same article.
async fn check_parent(tx: &Transaction<'_>, rec: &NewRecord) -> Result<()> {
    let c = &rec.comment;
    let Some(parent) = c.parent_id else {
        return Ok(());
    };
    let article = first(
        tx,
        "SELECT article_id FROM comments WHERE id = $1",
        &[&parent.to_string()],
        |r| r.text(0),
    )
    .await?;
    if article.as_deref() != Some(c.article_id.as_str()) {
        return Err(StorageError::UnknownParent(parent));
    }
    Ok(())
}

/// The new comment's status once its author's restriction and its article's pre-moderation
/// (which counts it towards a surge) have had their say.
async fn settle_status(
    tx: &Transaction<'_>,
    rec: &NewRecord,
    now: &str,
    now_ms: i64,
) -> Result<PostedStatus> {
    let c = &rec.comment;
    let restriction = match &c.author_id {
        Some(author) => restriction_for_post(tx, author.as_str(), now, now_ms).await?,
        None => None,
    };
    let for_post = super::premoderation::premoderation_for_post(
        tx,
        c.article_id.as_str(),
        rec.status,
        rec.surge.as_ref(),
        now,
        now_ms,
    )
    .await?;
    Ok(PostedStatus::settle(rec, restriction, for_post))
}

/// The comment's row; returns its seq, or None when another post holds the Idempotency-Key.
async fn insert_row(
    tx: &Transaction<'_>,
    rec: &NewRecord,
    posted: &PostedStatus,
    now: &str,
    now_ms: i64,
) -> Result<Option<i64>> {
    let c = &rec.comment;
    first(
        tx,
        "INSERT INTO comments (id, article_id, parent_id, author, title, body, status, \
         auto_status, max_score, scores, reasons, model_version, thresholds, idempotency_key, \
         request_hash, created_at, created_ms, updated_at, author_id, status_reason, \
         posted_status, premoderated) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $16, $18, $19, $20, $21) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq",
        &[
            &rec.id.to_string(),
            &c.article_id.as_str(),
            &c.parent_id.map(|p| p.to_string()),
            &c.author.as_str(),
            &c.title.as_ref().map(|t| t.as_str()),
            &c.body.as_str(),
            &posted.status.as_str(),
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
            &posted.status_reason,
            &posted.posted_status,
            &i32::from(posted.premoderated),
        ],
        |r| r.int(0),
    )
    .await
}

pub(super) async fn insert_labels(
    tx: &Transaction<'_>,
    seq: i64,
    labels: &[(Label, f32)],
) -> Result<()> {
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

/// As the SQLite backend's `upsert_article`: the first post that names a field sets it for
/// good.
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

// ---------------------------------------------------------------- reads

pub(crate) async fn find_by_idempotency_key(
    pool: Pool,
    key: String,
) -> Result<Option<StoredComment>> {
    read!(pool, false, |tx| find_by_key_in(&tx, &key).await)
}

async fn find_by_key_in(tx: &Transaction<'_>, key: &str) -> Result<Option<StoredComment>> {
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE idempotency_key = $1");
    Ok(first(tx, &sql, &[&key], comment_row)
        .await?
        .map(|c| c.comment))
}

pub(crate) async fn list_published(
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

pub(crate) async fn get_detail(pool: Pool, id: CommentId) -> Result<Option<CommentDetail>> {
    read!(pool, true, |tx| get_detail_in(&tx, id).await)
}

async fn get_detail_in(tx: &Transaction<'_>, id: CommentId) -> Result<Option<CommentDetail>> {
    let key = id.to_string();
    let sql = format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1");
    let Some(row) = first(tx, &sql, &[&key], comment_row).await? else {
        return Ok(None);
    };
    let mut rows = [row];
    attach_reports(tx, &mut rows).await?;
    attach_context(tx, &mut rows).await?;
    let [row] = rows;
    let of_comment = |table: &str, columns: &str| {
        format!("SELECT {columns} FROM {table} WHERE comment_id = $1 ORDER BY id")
    };
    Ok(Some(CommentDetail {
        comment: row.comment,
        decisions: all(
            tx,
            &of_comment("decisions", DECISION_COLUMNS),
            &[&key],
            decision_record,
        )
        .await?,
        history: all(
            tx,
            &of_comment("audit_log", AUDIT_COLUMNS),
            &[&key],
            audit_entry,
        )
        .await?,
        report_history: all(
            tx,
            &of_comment("reports", REPORT_COLUMNS),
            &[&key],
            report_record,
        )
        .await?,
    }))
}

pub(super) async fn attach_reports(tx: &Transaction<'_>, rows: &mut [CommentRow]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| r.open_reports > 0) {
        let open = read_open_reports(tx, &row.comment.id.to_string()).await?;
        row.comment.reports = Some(summary(&open));
    }
    Ok(())
}

pub(super) async fn attach_context(tx: &Transaction<'_>, page: &mut [CommentRow]) -> Result<()> {
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
            "SELECT {} FROM comments WHERE id = ANY($1)",
            parent_columns()
        );
        for parent in all(tx, &sql, &[&parent_ids], parent_excerpt).await? {
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
