//! SQLite: a moderator's decision on one or more comments, and the reports it resolves.

use super::{all, first};
use crate::domain::CommentId;
use crate::storage::shared::moderation::{Current, decision_audit, resolution, unique_ids};
use crate::storage::shared::rows::{Columns, last_decision};
use crate::storage::shared::{json_text, now};
use crate::storage::{
    Decision, DecisionRequest, DecisionResult, Result, StorageError, labels_with_reports,
};
use rusqlite::{Connection, params};

/// Check every id first, then change all of them, so the action is all or nothing (the writer
/// runs this inside a savepoint as well).
pub(crate) fn decide(conn: &Connection, req: &DecisionRequest) -> Result<Vec<DecisionResult>> {
    let found = check(conn, req)?;
    let (now, _) = now();
    found
        .iter()
        .map(|cur| apply_decision(conn, req, cur, &now))
        .collect()
}

/// Every comment the request names as it is now; `NotFound` for unknown ids, then `Conflict`
/// for earlier decisions the request does not override.
fn check(conn: &Connection, req: &DecisionRequest) -> Result<Vec<Current>> {
    let ids = unique_ids(&req.ids);
    let mut found = Vec::with_capacity(ids.len());
    let mut unknown = Vec::new();
    for &id in &ids {
        match read_current(conn, id)? {
            Some(cur) => found.push(cur),
            None => unknown.push(id),
        }
    }
    if !unknown.is_empty() {
        return Err(StorageError::NotFound(unknown));
    }
    let conflicts: Vec<_> = found.iter().filter_map(|cur| cur.conflict(req)).collect();
    if !conflicts.is_empty() {
        return Err(StorageError::Conflict(conflicts));
    }
    Ok(found)
}

fn read_current(conn: &Connection, id: CommentId) -> Result<Option<Current>> {
    let key = id.to_string();
    let row = first(
        conn,
        "SELECT status, auto_status, model_version FROM comments WHERE id = ?1",
        params![key],
        |r| Ok((r.status(0)?, r.status(1)?, r.text(2)?)),
    )?;
    let Some((status, auto_status, model_version)) = row else {
        return Ok(None);
    };
    let last = first(
        conn,
        "SELECT decision, moderator, decided_at FROM decisions WHERE comment_id = ?1 \
         ORDER BY id DESC LIMIT 1",
        params![key],
        |r| last_decision(r),
    )?;
    Ok(Some(Current {
        id,
        status,
        auto_status,
        model_version,
        last,
    }))
}

/// Record the decision on one checked comment. Repeating the decision already taken records
/// no new decision; it still resolves the reports readers sent since, so the comment leaves
/// the reported queue.
fn apply_decision(
    conn: &Connection,
    req: &DecisionRequest,
    cur: &Current,
    now: &str,
) -> Result<DecisionResult> {
    let key = cur.id.to_string();
    if cur.repeated_by(req) {
        let resolved = resolve_reports(conn, &key, req.decision, &req.moderator, now)?;
        if resolved > 0 {
            super::audit::append(conn, &decision_audit(req, cur, &key, now, resolved))?;
        }
        return Ok(cur.unchanged(resolved));
    }
    record_decision(conn, req, cur, &key, now)?;
    let resolved = resolve_reports(conn, &key, req.decision, &req.moderator, now)?;
    super::audit::append(conn, &decision_audit(req, cur, &key, now, resolved))?;
    Ok(cur.changed(req, resolved))
}

/// The comment's new status and the decision's row, with the training labels it implies.
fn record_decision(
    conn: &Connection,
    req: &DecisionRequest,
    cur: &Current,
    key: &str,
    now: &str,
) -> Result<()> {
    // Every report on the comment, resolved ones too: an override is the latest word on
    // the same text the earlier decision resolved them on.
    let reported = all(
        conn,
        "SELECT reason FROM reports WHERE comment_id = ?1",
        params![key],
        |r| r.report_reason(0),
    )?;
    let labels = json_text(&labels_with_reports(req.decision, req.reason, &reported))?;
    conn.prepare_cached("UPDATE comments SET status = ?1, updated_at = ?2 WHERE id = ?3")?
        .execute(params![req.decision.resulting_status().as_str(), now, key])?;
    conn.prepare_cached(
        "INSERT INTO decisions (comment_id, moderator, decision, reason, note, labels, \
         model_version, auto_status, overturned, override, decided_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        key,
        req.moderator,
        req.decision.as_str(),
        req.reason.map(|r| r.as_str()),
        req.note,
        labels,
        cur.model_version,
        cur.auto_status.as_str(),
        cur.overturned_by(req.decision),
        cur.is_override(),
        now,
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
    let n = conn
        .prepare_cached(
            "UPDATE reports SET resolution = ?1, resolved_by = ?2, resolved_at = ?3 \
             WHERE comment_id = ?4 AND resolution IS NULL",
        )?
        .execute(params![resolution(decision), moderator, now, comment_id])?;
    if n > 0 {
        conn.prepare_cached("UPDATE comments SET open_reports = 0 WHERE id = ?1")?
            .execute(params![comment_id])?;
    }
    Ok(n as u32)
}
