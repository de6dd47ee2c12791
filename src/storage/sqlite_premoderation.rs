//! SQLite queries for pre-moderation per article and surge detection (migration 0009). Writes
//! run on the writer thread only.

use super::premoderation::{
    ACTION_OFF, ACTION_ON, ACTION_SURGE, ArticlePremoderation, PremoderationChange,
    PremoderationCounts, PremoderationInfo, PremoderationOutcome, SURGE_ACTOR,
};
use super::sqlite::{now, read_article};
use super::{Result, StorageError};
use crate::domain::{CommentStatus, PremoderationSource, SurgeRule};
use rusqlite::{Connection, OptionalExtension, params};

/// An article's stored pre-moderation row.
struct StateRow {
    active: bool,
    source: PremoderationSource,
    by: String,
    at: String,
    reason: Option<String>,
    surge_after_ms: i64,
}

fn read_state(conn: &Connection, article_id: &str) -> Result<Option<StateRow>> {
    let row = conn
        .prepare_cached(
            "SELECT active, source, switched_by, switched_at, reason, surge_after_ms \
             FROM article_premoderation WHERE article_id = ?1",
        )?
        .query_row(params![article_id], |r| {
            Ok((
                r.get::<_, bool>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    row.map(|(active, source, by, at, reason, surge_after_ms)| {
        let source = PremoderationSource::parse(&source).ok_or_else(|| {
            StorageError::Failed(format!("unknown pre-moderation source {source:?}").into())
        })?;
        Ok(StateRow {
            active,
            source,
            by,
            at,
            reason,
            surge_after_ms,
        })
    })
    .transpose()
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
    let premoderation = row.filter(|r| r.active).map(|r| PremoderationInfo {
        source: r.source,
        by: r.by.clone(),
        at: r.at.clone(),
        reason: r.reason.clone(),
    });
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
    at: &str,
    actor: &str,
    action: &str,
    article_id: &str,
    reason: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, article_id, reason, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![at, actor, action, article_id, reason, note])?;
    Ok(())
}

/// What pre-moderation means for one new comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ForPost {
    /// The article is not pre-moderated.
    Open,
    /// It is.
    Premoderated,
    /// This comment completed a surge: the article is pre-moderated from this comment on.
    SurgeStarted,
}

/// Whether a new comment on `article_id`, which the model gave `verdict`, falls under
/// pre-moderation. When the article is not pre-moderated yet, surge detection looks at its
/// comments within the rule's window, this one included, and switches pre-moderation on (with
/// an audit entry) when they make a surge. Writer thread only, in the comment's transaction.
pub(super) fn premoderation_for_post(
    conn: &Connection,
    article_id: &str,
    verdict: CommentStatus,
    surge: Option<&SurgeRule>,
    now: &str,
    now_ms: i64,
) -> Result<ForPost> {
    let row = read_state(conn, article_id)?;
    if row.as_ref().is_some_and(|r| r.active) {
        return Ok(ForPost::Premoderated);
    }
    let Some(rule) = surge else {
        return Ok(ForPost::Open);
    };
    let window_ms = i64::try_from(rule.window().as_millis()).unwrap_or(i64::MAX);
    let from_ms = now_ms.saturating_sub(window_ms);
    // A moderator's switch-off ends the burst they looked at: only comments after it count.
    let after_ms = row.as_ref().map_or(i64::MIN, |r| r.surge_after_ms);
    let (earlier, earlier_flagged): (i64, i64) = conn
        .prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(auto_status != 'published'), 0) FROM comments \
             WHERE article_id = ?1 AND created_ms >= ?2 AND created_ms > ?3",
        )?
        .query_row(params![article_id, from_ms, after_ms], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let total = earlier as u64 + 1;
    let flagged = earlier_flagged as u64 + u64::from(verdict != CommentStatus::Published);
    if !rule.is_surge(total, flagged) {
        return Ok(ForPost::Open);
    }
    let note = format!(
        "{flagged} of {total} comments in the last {} flagged by the model",
        window_text(rule.window().as_secs())
    );
    switch_on(
        conn,
        article_id,
        PremoderationSource::Surge,
        SURGE_ACTOR,
        Some(&note),
        now,
    )?;
    append_article_audit(
        conn,
        now,
        SURGE_ACTOR,
        ACTION_SURGE,
        article_id,
        None,
        Some(&note),
    )?;
    Ok(ForPost::SurgeStarted)
}

/// `600` as `10 min`, `90` as `90 s`: the window as the audit note says it.
fn window_text(secs: u64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn switch_on(
    conn: &Connection,
    article_id: &str,
    source: PremoderationSource,
    by: &str,
    reason: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO article_premoderation (article_id, active, source, switched_by, \
         switched_at, reason) VALUES (?1, 1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (article_id) DO UPDATE SET active = 1, source = excluded.source, \
         switched_by = excluded.switched_by, switched_at = excluded.switched_at, \
         reason = excluded.reason",
    )?
    .execute(params![article_id, source.as_str(), by, now, reason])?;
    Ok(())
}

/// A moderator switches an article's pre-moderation on or off, with an audit entry. None for
/// an article no comment was posted on. Asking for what is already so changes and records
/// nothing.
pub(super) fn set_premoderation(
    conn: &Connection,
    change: &PremoderationChange,
) -> Result<Option<PremoderationOutcome>> {
    let article_id = change.article_id.as_str();
    if !article_known(conn, article_id)? {
        return Ok(None);
    }
    let row = read_state(conn, article_id)?;
    let active = row.as_ref().is_some_and(|r| r.active);
    if active == change.enabled {
        return Ok(Some(PremoderationOutcome {
            state: state_of(conn, article_id, row.as_ref())?,
            changed: false,
        }));
    }
    let (now, now_ms) = now();
    let reason = change.reason.as_ref().map(|r| r.as_str());
    if change.enabled {
        switch_on(
            conn,
            article_id,
            PremoderationSource::Moderator,
            &change.moderator,
            reason,
            &now,
        )?;
        append_article_audit(
            conn,
            &now,
            &change.moderator,
            ACTION_ON,
            article_id,
            reason,
            None,
        )?;
    } else {
        // `active` was true, so the row exists.
        conn.prepare_cached(
            "UPDATE article_premoderation SET active = 0, source = 'moderator', \
             switched_by = ?1, switched_at = ?2, reason = ?3, surge_after_ms = ?4 \
             WHERE article_id = ?5",
        )?
        .execute(params![change.moderator, now, reason, now_ms, article_id])?;
        // The log says what was ended, so it reads on its own.
        let note = row.as_ref().map(|r| match r.source {
            PremoderationSource::Surge => format!("ended surge pre-moderation from {}", r.at),
            PremoderationSource::Moderator => {
                format!("ended pre-moderation by {} from {}", r.by, r.at)
            }
        });
        append_article_audit(
            conn,
            &now,
            &change.moderator,
            ACTION_OFF,
            article_id,
            reason,
            note.as_deref(),
        )?;
    }
    let after = read_state(conn, article_id)?;
    Ok(Some(PremoderationOutcome {
        state: state_of(conn, article_id, after.as_ref())?,
        changed: true,
    }))
}

/// An article's pre-moderation now; None for an article no comment was posted on.
pub(super) fn article_premoderation(
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
pub(super) fn premoderated_articles(conn: &Connection) -> Result<Vec<ArticlePremoderation>> {
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

#[cfg(test)]
mod tests {
    use super::window_text;

    #[test]
    fn windows_read_in_the_largest_whole_unit() {
        assert_eq!(window_text(600), "10 min");
        assert_eq!(window_text(7200), "2 h");
        assert_eq!(window_text(90), "90 s");
    }
}
