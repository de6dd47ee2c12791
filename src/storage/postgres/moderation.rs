//! PostgreSQL: a moderator's decision on one or more comments, locked first, and the reports it
//! resolves.

use super::{all, exec, first, one_row, rows};
use crate::domain::CommentId;
use crate::storage::shared::moderation::{Current, decision_audit, resolution, unique_ids};
use crate::storage::shared::rows::{Columns, last_decision};
use crate::storage::shared::{json_text, now};
use crate::storage::{
    Decision, DecisionRequest, DecisionResult, Result, StorageError, labels_with_reports,
};
use deadpool_postgres::{Pool, Transaction};

/// Lock the comments with these ids until commit, in id order (two bulk actions that share
/// comments lock them in the same order, so neither waits for the other forever). Returns the
/// ids that exist. Reads after this see every change committed before the lock was granted.
pub(super) async fn lock_comments(tx: &Transaction<'_>, ids: &[String]) -> Result<Vec<String>> {
    let mut sorted = ids.to_vec();
    sorted.sort();
    all(
        tx,
        "SELECT id FROM comments WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &[&sorted],
        |r| r.text(0),
    )
    .await
}

pub(crate) async fn decide(pool: Pool, req: DecisionRequest) -> Result<Vec<DecisionResult>> {
    // An error (unknown ids, a conflict) drops the transaction, which rolls it back.
    transaction!(pool, |tx| decide_in(&tx, &req).await)
}

/// Lock every comment, check them all, then change all of them: all or nothing, and of two
/// moderators deciding one comment at once on two instances, the second sees the first's
/// decision and gets the conflict.
async fn decide_in(tx: &Transaction<'_>, req: &DecisionRequest) -> Result<Vec<DecisionResult>> {
    let found = check(tx, req).await?;
    let mut results = Vec::with_capacity(found.len());
    for cur in &found {
        let (now, _) = now();
        results.push(apply_decision(tx, req, cur, &now).await?);
    }
    Ok(results)
}

/// Every comment the request names, locked; `NotFound` for unknown ids, then `Conflict` for
/// earlier decisions the request does not override.
async fn check(tx: &Transaction<'_>, req: &DecisionRequest) -> Result<Vec<Current>> {
    let ids = unique_ids(&req.ids);
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
    for (&id, key) in ids.iter().zip(&keys) {
        found.push(read_current(tx, id, key).await?);
    }
    let conflicts: Vec<_> = found.iter().filter_map(|cur| cur.conflict(req)).collect();
    if !conflicts.is_empty() {
        return Err(StorageError::Conflict(conflicts));
    }
    Ok(found)
}

/// A comment already locked, so known to exist.
async fn read_current(tx: &Transaction<'_>, id: CommentId, key: &str) -> Result<Current> {
    let row = one_row(
        tx,
        "SELECT status, auto_status, model_version FROM comments WHERE id = $1",
        &[&key],
    )
    .await?;
    let last = first(
        tx,
        "SELECT decision, moderator, decided_at FROM decisions WHERE comment_id = $1 \
         ORDER BY id DESC LIMIT 1",
        &[&key],
        last_decision,
    )
    .await?;
    Ok(Current {
        id,
        status: row.status(0)?,
        auto_status: row.status(1)?,
        model_version: row.text(2)?,
        last,
    })
}

/// As the SQLite backend's `apply_decision`.
async fn apply_decision(
    tx: &Transaction<'_>,
    req: &DecisionRequest,
    cur: &Current,
    now: &str,
) -> Result<DecisionResult> {
    let key = cur.id.to_string();
    if cur.repeated_by(req) {
        let resolved = resolve_reports(tx, &key, req.decision, &req.moderator, now).await?;
        if resolved > 0 {
            super::audit::append(tx, &decision_audit(req, cur, &key, now, resolved)).await?;
        }
        return Ok(cur.unchanged(resolved));
    }
    record_decision(tx, req, cur, &key, now).await?;
    let resolved = resolve_reports(tx, &key, req.decision, &req.moderator, now).await?;
    super::audit::append(tx, &decision_audit(req, cur, &key, now, resolved)).await?;
    Ok(cur.changed(req, resolved))
}

/// The comment's new status and the decision's row, with the training labels it implies.
async fn record_decision(
    tx: &Transaction<'_>,
    req: &DecisionRequest,
    cur: &Current,
    key: &str,
    now: &str,
) -> Result<()> {
    let reported = rows(
        tx,
        "SELECT reason FROM reports WHERE comment_id = $1",
        &[&key],
    )
    .await?
    .iter()
    .map(|r| r.report_reason(0))
    .collect::<Result<Vec<_>>>()?;
    let labels = json_text(&labels_with_reports(req.decision, req.reason, &reported))?;
    exec(
        tx,
        "UPDATE comments SET status = $1, updated_at = $2 WHERE id = $3",
        &[&req.decision.resulting_status().as_str(), &now, &key],
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
            &req.reason.map(|r| r.as_str()),
            &req.note,
            &labels,
            &cur.model_version,
            &cur.auto_status.as_str(),
            &cur.overturned_by(req.decision),
            &cur.is_override(),
            &now,
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
    let n = exec(
        tx,
        "UPDATE reports SET resolution = $1, resolved_by = $2, resolved_at = $3 \
         WHERE comment_id = $4 AND resolution IS NULL",
        &[&resolution(decision), &moderator, &now, &comment_id],
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
