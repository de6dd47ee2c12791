//! PostgreSQL: authors, as new comments record them and moderators act on them (the author's
//! row locked, so two moderators on two instances take turns), and the author panel.

use super::{all, exec, first, one_row};
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
use deadpool_postgres::{Pool, Transaction};

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
    first(tx, &sql, &[&author_id], author_row).await
}

pub(super) async fn restriction_for_post(
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

pub(crate) async fn act_on_author(
    pool: Pool,
    action: AuthorAction,
) -> Result<Option<AuthorActionOutcome>> {
    transaction!(pool, |tx| act_on_author_in(&tx, &action).await)
}

/// As the SQLite backend's `act_on_author`, with the author's row locked.
async fn act_on_author_in(
    tx: &Transaction<'_>,
    action: &AuthorAction,
) -> Result<Option<AuthorActionOutcome>> {
    let author_id = action.author_id.as_str();
    let Some(row) = read_author(tx, author_id, true).await? else {
        return Ok(None);
    };
    let (now, now_ms) = now();
    let Some(change) = AuthorChange::plan(action, &row, &now, now_ms) else {
        return Ok(Some(row.outcome(author_id, now_ms, false)));
    };
    store_change(tx, action, &change, &now).await?;
    let after = read_author(tx, author_id, false)
        .await?
        .ok_or_else(|| vanished(author_id))?;
    Ok(Some(after.outcome(author_id, now_ms, true)))
}

/// The author's new restriction and the action's audit entry.
async fn store_change(
    tx: &Transaction<'_>,
    action: &AuthorAction,
    change: &AuthorChange<'_>,
    now: &str,
) -> Result<()> {
    let author_id = action.author_id.as_str();
    exec(
        tx,
        "UPDATE authors SET restriction = $1, restricted_until = $2, restricted_until_ms = $3, \
         restricted_by = $4, restricted_at = $5, restriction_reason = $6 WHERE author_id = $7",
        &[
            &change.restriction,
            &change.until,
            &change.until_ms,
            &change.by,
            &change.at,
            &change.stored_reason,
            &author_id,
        ],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO audit_log (at, actor, action, author_id, reason, note, until) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &now,
            &action.moderator,
            &action.kind.action(),
            &author_id,
            &action.reason.as_str(),
            &change.note,
            &change.until,
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn author_panel(
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
    let rows = PanelRows {
        by_status: all(
            tx,
            "SELECT status, COUNT(*) FROM comments WHERE author_id = $1 GROUP BY 1",
            &[&author_id],
            |r| Ok((r.status(0)?, r.count(1)?)),
        )
        .await?,
        recent: all(
            tx,
            &format!(
                "SELECT {} FROM comments WHERE author_id = $1 ORDER BY seq DESC LIMIT $2",
                author_comment_columns()
            ),
            &[&author_id, &(limit as i64)],
            author_comment,
        )
        .await?,
        display_name: first(
            tx,
            "SELECT author FROM comments WHERE author_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&author_id],
            |r| r.text(0),
        )
        .await?,
        actions: all(
            tx,
            &format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE author_id = $1 \
                 ORDER BY id DESC LIMIT $2"
            ),
            &[&author_id, &(AUTHOR_ACTIONS_LISTED as i64)],
            audit_entry,
        )
        .await?,
    };
    Ok(Some(row.panel(author_id, now_ms, rows)))
}

/// Authors under a restriction now; a suspension past its end no longer counts.
pub(super) async fn restricted_authors(tx: &Transaction<'_>, now_ms: i64) -> Result<AuthorCounts> {
    let row = one_row(
        tx,
        "SELECT COUNT(*) FILTER (WHERE restriction = 'suspended' AND restricted_until_ms > $1), \
         COUNT(*) FILTER (WHERE restriction = 'banned') FROM authors \
         WHERE restriction IS NOT NULL",
        &[&now_ms],
    )
    .await?;
    Ok(AuthorCounts {
        suspended: row.count(0)?,
        banned: row.count(1)?,
    })
}
