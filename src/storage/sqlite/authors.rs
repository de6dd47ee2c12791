//! SQLite: authors, as new comments record them and moderators act on them, and the author
//! panel.

use super::{all, first};
use crate::domain::AuthorRestriction;
use crate::storage::shared::authors::{AuthorChange, AuthorRow, PanelRows, vanished};
use crate::storage::shared::now;
use crate::storage::shared::rows::{
    AUDIT_COLUMNS, AUTHOR_COLUMNS, Columns, audit_entry, author_comment, author_comment_columns,
    author_row,
};
use crate::storage::{
    AUTHOR_ACTIONS_LISTED, AuthorAction, AuthorActionOutcome, AuthorCounts, AuthorPanel, Result,
};
use rusqlite::{Connection, params};

fn read_author(conn: &Connection, author_id: &str) -> Result<Option<AuthorRow>> {
    first(
        conn,
        &format!("SELECT {AUTHOR_COLUMNS} FROM authors WHERE author_id = ?1"),
        params![author_id],
        |r| author_row(r),
    )
}

/// The restriction a new comment from `author_id` falls under; records an author seen for the
/// first time, so moderators can act on them.
pub(super) fn restriction_for_post(
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
/// posted with. What changes is [`AuthorChange::plan`]'s to say.
pub(crate) fn act_on_author(
    conn: &Connection,
    action: &AuthorAction,
) -> Result<Option<AuthorActionOutcome>> {
    let author_id = action.author_id.as_str();
    let Some(row) = read_author(conn, author_id)? else {
        return Ok(None);
    };
    let (now, now_ms) = now();
    let Some(change) = AuthorChange::plan(action, &row, &now, now_ms) else {
        return Ok(Some(row.outcome(author_id, now_ms, false)));
    };
    store_change(conn, action, &change, &now)?;
    let after = read_author(conn, author_id)?.ok_or_else(|| vanished(author_id))?;
    Ok(Some(after.outcome(author_id, now_ms, true)))
}

/// The author's new restriction and the action's audit entry.
fn store_change(
    conn: &Connection,
    action: &AuthorAction,
    change: &AuthorChange<'_>,
    now: &str,
) -> Result<()> {
    let author_id = action.author_id.as_str();
    conn.prepare_cached(
        "UPDATE authors SET restriction = ?1, restricted_until = ?2, restricted_until_ms = ?3, \
         restricted_by = ?4, restricted_at = ?5, restriction_reason = ?6 WHERE author_id = ?7",
    )?
    .execute(params![
        change.restriction,
        change.until,
        change.until_ms,
        change.by,
        change.at,
        change.stored_reason,
        author_id
    ])?;
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, author_id, reason, note, until) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        now,
        action.moderator,
        action.kind.action(),
        author_id,
        action.reason.as_str(),
        change.note,
        change.until,
    ])?;
    Ok(())
}

/// The author panel, read from one snapshot.
pub(crate) fn author_panel(
    conn: &Connection,
    author_id: &str,
    limit: usize,
) -> Result<Option<AuthorPanel>> {
    let tx = conn.unchecked_transaction()?;
    let Some(row) = read_author(&tx, author_id)? else {
        return Ok(None);
    };
    let (_, now_ms) = now();
    let rows = PanelRows {
        by_status: all(
            &tx,
            "SELECT status, COUNT(*) FROM comments WHERE author_id = ?1 GROUP BY 1",
            params![author_id],
            |r| Ok((r.status(0)?, r.count(1)?)),
        )?,
        recent: all(
            &tx,
            &format!(
                "SELECT {} FROM comments WHERE author_id = ?1 ORDER BY seq DESC LIMIT ?2",
                author_comment_columns()
            ),
            params![author_id, limit as i64],
            |r| author_comment(r),
        )?,
        display_name: first(
            &tx,
            "SELECT author FROM comments WHERE author_id = ?1 ORDER BY seq DESC LIMIT 1",
            params![author_id],
            |r| r.text(0),
        )?,
        actions: all(
            &tx,
            &format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE author_id = ?1 \
                 ORDER BY id DESC LIMIT ?2"
            ),
            params![author_id, AUTHOR_ACTIONS_LISTED as i64],
            |r| audit_entry(r),
        )?,
    };
    tx.finish()?;
    Ok(Some(row.panel(author_id, now_ms, rows)))
}

/// Authors under a restriction now; a suspension past its end no longer counts.
pub(super) fn restricted_authors(conn: &Connection, now_ms: i64) -> Result<AuthorCounts> {
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
