//! Pre-moderation per article and surge detection on PostgreSQL: the same rules as the SQLite
//! backend's `premoderation.rs`, for several instances writing to one database at once.
//!
//! SQLite has one writer, so reading an article's row and writing it back cannot interleave.
//! Here two instances can post to one article at the same moment: every post that counts
//! takes the article's row lock first (an upsert that returns the row, so the first post on an
//! article creates the row and the others wait for it), updates the counter and commits, so
//! the posts take turns on the row and none loses another's count; a moderator's switch takes
//! the same lock. Posts on different articles never wait for each other.

use super::comments::read_article;
use super::{exec, one_row, opt_row, rows};
use crate::domain::{CommentStatus, SurgeCounter, SurgeRule};
use crate::storage::premoderation::{
    ArticleAudit, ArticlePremoderation, ForPost, PremoderationChange, PremoderationCounts,
    PremoderationOutcome, STATE_COLUMNS, StateRow, SwitchOn, count_for_surge, ended_note,
    state_row,
};
use crate::storage::shared::now;
use crate::storage::shared::rows::Columns;
use crate::storage::{Result, StorageError};
use deadpool_postgres::{Pool, Transaction};

/// The article's row; `lock`: hold it until commit (a switch, which must not interleave with
/// a post's count or another switch).
async fn read_state(
    tx: &Transaction<'_>,
    article_id: &str,
    lock: bool,
) -> Result<Option<StateRow>> {
    let sql = format!(
        "SELECT {STATE_COLUMNS} FROM article_premoderation WHERE article_id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    opt_row(tx, &sql, &[&article_id])
        .await?
        .as_ref()
        .map(state_row)
        .transpose()
}

/// The article's row, created if missing, locked until commit. `ON CONFLICT DO UPDATE` (not
/// `DO NOTHING`) so the statement waits for a concurrent post's lock and then returns the row
/// as that post committed it.
async fn lock_state(tx: &Transaction<'_>, article_id: &str) -> Result<StateRow> {
    let sql = format!(
        "INSERT INTO article_premoderation (article_id) VALUES ($1) \
         ON CONFLICT (article_id) DO UPDATE SET article_id = excluded.article_id \
         RETURNING {STATE_COLUMNS}"
    );
    let row = opt_row(tx, &sql, &[&article_id])
        .await?
        .ok_or_else(|| StorageError::Failed("upsert returned no row".into()))?;
    state_row(&row)
}

async fn save_counter(tx: &Transaction<'_>, article_id: &str, c: &SurgeCounter) -> Result<()> {
    exec(
        tx,
        "UPDATE article_premoderation SET surge_window_start_ms = $2, surge_total = $3, \
         surge_flagged = $4, surge_previous_total = $5, surge_previous_flagged = $6 \
         WHERE article_id = $1",
        &[
            &article_id,
            &c.window_start_ms,
            &(c.total as i64),
            &(c.flagged as i64),
            &(c.previous_total as i64),
            &(c.previous_flagged as i64),
        ],
    )
    .await?;
    Ok(())
}

async fn article_known(tx: &Transaction<'_>, article_id: &str) -> Result<bool> {
    Ok(opt_row(
        tx,
        "SELECT 1 FROM comments WHERE article_id = $1 LIMIT 1",
        &[&article_id],
    )
    .await?
    .is_some())
}

async fn state_of(
    tx: &Transaction<'_>,
    article_id: &str,
    row: Option<&StateRow>,
) -> Result<ArticlePremoderation> {
    let premoderation = row.and_then(|r| r.info.clone());
    let held = opt_row(
        tx,
        "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'held'",
        &[&article_id],
    )
    .await?
    .map(|r| r.count(0))
    .transpose()?
    .unwrap_or(0);
    Ok(ArticlePremoderation {
        article_id: article_id.to_string(),
        premoderated: premoderation.is_some(),
        premoderation,
        article: read_article(tx, article_id).await?,
        held,
    })
}

async fn append_article_audit(
    tx: &Transaction<'_>,
    article_id: &str,
    at: &str,
    entry: &ArticleAudit<'_>,
) -> Result<()> {
    exec(
        tx,
        "INSERT INTO audit_log (at, actor, action, article_id, reason, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &at,
            &entry.actor,
            &entry.action,
            &article_id,
            &entry.reason,
            &entry.note,
        ],
    )
    .await?;
    Ok(())
}

/// Switch the article's pre-moderation on, with the switch's audit entry.
async fn switch_on(
    tx: &Transaction<'_>,
    article_id: &str,
    switch: &SwitchOn<'_>,
    now: &str,
) -> Result<()> {
    exec(
        tx,
        "INSERT INTO article_premoderation (article_id, active, source, switched_by, \
         switched_at, reason) VALUES ($1, 1, $2, $3, $4, $5) \
         ON CONFLICT (article_id) DO UPDATE SET active = 1, source = excluded.source, \
         switched_by = excluded.switched_by, switched_at = excluded.switched_at, \
         reason = excluded.reason",
        &[
            &article_id,
            &switch.source.as_str(),
            &switch.by,
            &now,
            &switch.reason,
        ],
    )
    .await?;
    append_article_audit(tx, article_id, now, &switch.audit).await
}

/// As the SQLite backend's `premoderation_for_post`, in the comment's transaction.
pub(super) async fn premoderation_for_post(
    tx: &Transaction<'_>,
    article_id: &str,
    verdict: CommentStatus,
    surge: Option<&SurgeRule>,
    now: &str,
    now_ms: i64,
) -> Result<ForPost> {
    let Some(rule) = surge else {
        // Nothing to count: a plain read, so posts on one article do not queue on its row.
        let row = read_state(tx, article_id, false).await?;
        return Ok(if row.is_some_and(|r| r.info.is_some()) {
            ForPost::Premoderated
        } else {
            ForPost::Open
        });
    };
    let row = lock_state(tx, article_id).await?;
    if row.info.is_some() {
        return Ok(ForPost::Premoderated);
    }
    let mut counter = row.counter;
    let surge_started = count_for_surge(&mut counter, rule, verdict, now_ms);
    save_counter(tx, article_id, &counter).await?;
    let Some(note) = surge_started else {
        return Ok(ForPost::Open);
    };
    switch_on(tx, article_id, &SwitchOn::surge(&note), now).await?;
    Ok(ForPost::SurgeStarted)
}

/// As the SQLite backend's `set_premoderation`, holding the article's row lock, so a switch
/// and a post (or two moderators on two instances) take turns.
async fn set_premoderation_in(
    tx: &Transaction<'_>,
    change: &PremoderationChange,
) -> Result<Option<PremoderationOutcome>> {
    let article_id = change.article_id.as_str();
    if !article_known(tx, article_id).await? {
        return Ok(None);
    }
    let row = lock_state(tx, article_id).await?;
    if row.info.is_some() == change.enabled {
        return Ok(Some(PremoderationOutcome {
            state: state_of(tx, article_id, Some(&row)).await?,
            changed: false,
        }));
    }
    let (now, now_ms) = now();
    let reason = change.reason.as_ref().map(|r| r.as_str());
    if change.enabled {
        switch_on(tx, article_id, &SwitchOn::moderator(change), &now).await?;
    } else {
        exec(
            tx,
            "UPDATE article_premoderation SET active = 0, source = 'moderator', \
             switched_by = $1, switched_at = $2, reason = $3 WHERE article_id = $4",
            &[&change.moderator, &now, &reason, &article_id],
        )
        .await?;
        // Surge detection starts counting afresh: the burst the moderator looked at must not
        // switch it on again.
        save_counter(tx, article_id, &SurgeCounter::starting(now_ms)).await?;
        let note = ended_note(&row);
        append_article_audit(
            tx,
            article_id,
            &now,
            &ArticleAudit::switched_off(change, note.as_deref()),
        )
        .await?;
    }
    let after = read_state(tx, article_id, false).await?;
    Ok(Some(PremoderationOutcome {
        state: state_of(tx, article_id, after.as_ref()).await?,
        changed: true,
    }))
}

async fn article_premoderation_in(
    tx: &Transaction<'_>,
    article_id: &str,
) -> Result<Option<ArticlePremoderation>> {
    if !article_known(tx, article_id).await? {
        return Ok(None);
    }
    let row = read_state(tx, article_id, false).await?;
    Ok(Some(state_of(tx, article_id, row.as_ref()).await?))
}

async fn premoderated_articles_in(tx: &Transaction<'_>) -> Result<Vec<ArticlePremoderation>> {
    let ids: Vec<String> = rows(
        tx,
        "SELECT article_id FROM article_premoderation WHERE active = 1 \
         ORDER BY switched_at DESC",
        &[],
    )
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = read_state(tx, &id, false).await?;
        out.push(state_of(tx, &id, row.as_ref()).await?);
    }
    Ok(out)
}

pub(super) async fn premoderation_counts(tx: &Transaction<'_>) -> Result<PremoderationCounts> {
    let row = one_row(
        tx,
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE source = 'surge') FROM article_premoderation \
         WHERE active = 1",
        &[],
    )
    .await?;
    Ok(PremoderationCounts {
        premoderated: row.count(0)?,
        by_surge: row.count(1)?,
    })
}

pub(crate) async fn set_premoderation(
    pool: Pool,
    change: PremoderationChange,
) -> Result<Option<PremoderationOutcome>> {
    transaction!(pool, |tx| set_premoderation_in(&tx, &change).await)
}

pub(crate) async fn article_premoderation(
    pool: Pool,
    article_id: String,
) -> Result<Option<ArticlePremoderation>> {
    read!(pool, true, |tx| article_premoderation_in(&tx, &article_id)
        .await)
}

pub(crate) async fn premoderated_articles(pool: Pool) -> Result<Vec<ArticlePremoderation>> {
    read!(pool, true, |tx| premoderated_articles_in(&tx).await)
}
