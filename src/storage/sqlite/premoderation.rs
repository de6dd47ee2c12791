//! SQLite queries for pre-moderation per article and surge detection (migration 0009). Writes
//! run on the writer thread only.

use super::comments::read_article;
use super::first;
use crate::domain::{CommentStatus, SurgeCounter, SurgeRule};
use crate::storage::Result;
use crate::storage::premoderation::{
    ArticleAudit, ArticlePremoderation, ForPost, PremoderationChange, PremoderationCounts,
    PremoderationOutcome, STATE_COLUMNS, StateRow, SwitchOn, count_for_surge, ended_note,
    state_row,
};
use crate::storage::shared::now;
use rusqlite::{Connection, params};

fn read_state(conn: &Connection, article_id: &str) -> Result<Option<StateRow>> {
    first(
        conn,
        &format!("SELECT {STATE_COLUMNS} FROM article_premoderation WHERE article_id = ?1"),
        params![article_id],
        |r| state_row(r),
    )
}

/// Whether a comment was ever posted on the article: only those can be switched.
fn article_known(conn: &Connection, article_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM comments WHERE article_id = ?1)")?
        .query_row(params![article_id], |r| r.get(0))?)
}

fn held_count(conn: &Connection, article_id: &str) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM comments WHERE article_id = ?1 AND status = 'held'")?
        .query_row(params![article_id], |r| r.get(0))?;
    Ok(n as u64)
}

fn state_of(
    conn: &Connection,
    article_id: &str,
    row: Option<&StateRow>,
) -> Result<ArticlePremoderation> {
    let premoderation = row.and_then(|r| r.info.clone());
    Ok(ArticlePremoderation {
        article_id: article_id.to_string(),
        premoderated: premoderation.is_some(),
        premoderation,
        article: read_article(conn, article_id)?,
        held: held_count(conn, article_id)?,
    })
}

fn append_article_audit(
    conn: &Connection,
    article_id: &str,
    at: &str,
    entry: &ArticleAudit<'_>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, article_id, reason, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        at,
        entry.actor,
        entry.action,
        article_id,
        entry.reason,
        entry.note
    ])?;
    Ok(())
}

fn save_counter(conn: &Connection, article_id: &str, c: &SurgeCounter) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO article_premoderation (article_id, surge_window_start_ms, surge_total, \
         surge_flagged, surge_previous_total, surge_previous_flagged) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (article_id) DO UPDATE SET \
             surge_window_start_ms = excluded.surge_window_start_ms, \
             surge_total = excluded.surge_total, surge_flagged = excluded.surge_flagged, \
             surge_previous_total = excluded.surge_previous_total, \
             surge_previous_flagged = excluded.surge_previous_flagged",
    )?
    .execute(params![
        article_id,
        c.window_start_ms,
        c.total as i64,
        c.flagged as i64,
        c.previous_total as i64,
        c.previous_flagged as i64,
    ])?;
    Ok(())
}

/// Whether a new comment on `article_id`, which the model gave `verdict`, falls under
/// pre-moderation. When the article is not pre-moderated, surge detection counts the comment
/// (one primary-key read and one write, however busy the article) and switches pre-moderation
/// on, with an audit entry, when the article's comments within the rule's window make a surge.
/// Writer thread only, in the comment's transaction.
pub(super) fn premoderation_for_post(
    conn: &Connection,
    article_id: &str,
    verdict: CommentStatus,
    surge: Option<&SurgeRule>,
    now: &str,
    now_ms: i64,
) -> Result<ForPost> {
    let row = read_state(conn, article_id)?;
    if row.as_ref().is_some_and(|r| r.info.is_some()) {
        return Ok(ForPost::Premoderated);
    }
    let Some(rule) = surge else {
        return Ok(ForPost::Open);
    };
    let mut counter = row.map(|r| r.counter).unwrap_or_default();
    let surge_started = count_for_surge(&mut counter, rule, verdict, now_ms);
    save_counter(conn, article_id, &counter)?;
    let Some(note) = surge_started else {
        return Ok(ForPost::Open);
    };
    switch_on(conn, article_id, &SwitchOn::surge(&note), now)?;
    Ok(ForPost::SurgeStarted)
}

/// Switch the article's pre-moderation on, with the switch's audit entry.
fn switch_on(conn: &Connection, article_id: &str, switch: &SwitchOn<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO article_premoderation (article_id, active, source, switched_by, \
         switched_at, reason) VALUES (?1, 1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (article_id) DO UPDATE SET active = 1, source = excluded.source, \
         switched_by = excluded.switched_by, switched_at = excluded.switched_at, \
         reason = excluded.reason",
    )?
    .execute(params![
        article_id,
        switch.source.as_str(),
        switch.by,
        now,
        switch.reason
    ])?;
    append_article_audit(conn, article_id, now, &switch.audit)
}

/// A moderator switches an article's pre-moderation on or off, with an audit entry. None for
/// an article no comment was posted on. Asking for what is already so changes and records
/// nothing.
pub(crate) fn set_premoderation(
    conn: &Connection,
    change: &PremoderationChange,
) -> Result<Option<PremoderationOutcome>> {
    let article_id = change.article_id.as_str();
    if !article_known(conn, article_id)? {
        return Ok(None);
    }
    let row = read_state(conn, article_id)?;
    let active = row.as_ref().is_some_and(|r| r.info.is_some());
    if active == change.enabled {
        return Ok(Some(PremoderationOutcome {
            state: state_of(conn, article_id, row.as_ref())?,
            changed: false,
        }));
    }
    let (now, now_ms) = now();
    let reason = change.reason.as_ref().map(|r| r.as_str());
    if change.enabled {
        switch_on(conn, article_id, &SwitchOn::moderator(change), &now)?;
    } else {
        // `active` was true, so the row exists. Surge detection starts counting afresh: the
        // burst the moderator looked at must not switch it on again.
        conn.prepare_cached(
            "UPDATE article_premoderation SET active = 0, source = 'moderator', \
             switched_by = ?1, switched_at = ?2, reason = ?3 WHERE article_id = ?4",
        )?
        .execute(params![change.moderator, now, reason, article_id])?;
        save_counter(conn, article_id, &SurgeCounter::starting(now_ms))?;
        // The log says what was ended, so it reads on its own.
        let note = row.as_ref().and_then(ended_note);
        append_article_audit(
            conn,
            article_id,
            &now,
            &ArticleAudit::switched_off(change, note.as_deref()),
        )?;
    }
    let after = read_state(conn, article_id)?;
    Ok(Some(PremoderationOutcome {
        state: state_of(conn, article_id, after.as_ref())?,
        changed: true,
    }))
}

/// An article's pre-moderation now; None for an article no comment was posted on.
pub(crate) fn article_premoderation(
    conn: &Connection,
    article_id: &str,
) -> Result<Option<ArticlePremoderation>> {
    let tx = conn.unchecked_transaction()?;
    if !article_known(&tx, article_id)? {
        return Ok(None);
    }
    let row = read_state(&tx, article_id)?;
    let state = state_of(&tx, article_id, row.as_ref())?;
    tx.finish()?;
    Ok(Some(state))
}

/// Every article under pre-moderation, most recently switched on first.
pub(crate) fn premoderated_articles(conn: &Connection) -> Result<Vec<ArticlePremoderation>> {
    let tx = conn.unchecked_transaction()?;
    let ids = tx
        .prepare_cached(
            "SELECT article_id FROM article_premoderation WHERE active = 1 \
             ORDER BY switched_at DESC",
        )?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = read_state(&tx, &id)?;
        out.push(state_of(&tx, &id, row.as_ref())?);
    }
    tx.finish()?;
    Ok(out)
}

pub(super) fn premoderation_counts(conn: &Connection) -> Result<PremoderationCounts> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(source = 'surge'), 0) FROM article_premoderation \
             WHERE active = 1",
        )?
        .query_row([], |r| {
            Ok(PremoderationCounts {
                premoderated: r.get::<_, i64>(0)? as u64,
                by_surge: r.get::<_, i64>(1)? as u64,
            })
        })?)
}
