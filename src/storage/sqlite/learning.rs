//! SQLite: what retraining reads and writes. Text kept from the Perspective-compatible API,
//! the export of decided comments and suggested scores, and `talkback rescore`'s input and
//! its new verdicts.

use super::all;
use super::comments::insert_labels;
use crate::domain::CommentStatus;
use crate::storage::shared::moderation::{rescore_audit, rescore_note};
use crate::storage::shared::rows::{Columns, decided_comment, undecided_comment};
use crate::storage::shared::{json_text, now};
use crate::storage::{
    DecidedComment, RescoreOutcome, Rescored, Result, SuggestedLabel, TrainingRecord, Undecided,
    listed_labels,
};
use rusqlite::{Connection, OptionalExtension, params};

/// New model verdicts for undecided comments. A comment whose status moved since it was read,
/// that a moderator decided meanwhile, that readers reported, or whose status a restriction on
/// its author decided, is skipped: a person's decision always wins, and reported comments and
/// those of suspended or banned authors wait for one.
pub(crate) fn apply_rescore(conn: &Connection, updates: &[Rescored]) -> Result<RescoreOutcome> {
    let (now, _) = now();
    let mut outcome = RescoreOutcome::default();
    for u in updates {
        if rescore_one(conn, u, &now)? {
            outcome.applied += 1;
        } else {
            outcome.skipped += 1;
        }
    }
    Ok(outcome)
}

fn rescore_one(conn: &Connection, u: &Rescored, now: &str) -> Result<bool> {
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
        return Ok(false);
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
    let note = rescore_note(u);
    super::audit::append(conn, &rescore_audit(u, &key, now, &note))?;
    Ok(true)
}

pub(crate) fn undecided(conn: &Connection, status: CommentStatus) -> Result<Vec<Undecided>> {
    all(
        conn,
        "SELECT id, body, status, model_version FROM comments c \
         WHERE status = ?1 AND open_reports = 0 AND status_reason IS NULL AND premoderated = 0 \
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = c.id) ORDER BY seq",
        params![status.as_str()],
        |r| undecided_comment(r),
    )
}

pub(crate) fn decided_comments(conn: &Connection) -> Result<Vec<DecidedComment>> {
    all(
        conn,
        "SELECT c.id, c.body, d.decision, d.reason, d.labels FROM comments c \
         JOIN decisions d ON d.id = \
             (SELECT MAX(id) FROM decisions WHERE comment_id = c.id) \
         ORDER BY c.seq",
        [],
        |r| decided_comment(r),
    )
}

pub(crate) fn suggested_labels(conn: &Connection) -> Result<Vec<SuggestedLabel>> {
    let rows = all(
        conn,
        "SELECT text, label, value FROM suggested_scores ORDER BY id",
        [],
        |r| Ok((r.text(0)?, r.text(1)?, r.real(2)?)),
    )?;
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

/// Keep Perspective-API text for retraining (writer thread only).
pub(crate) fn insert_training(conn: &Connection, record: &TrainingRecord) -> Result<()> {
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
            conn.execute(
                "INSERT INTO analyzed_texts
                     (api_key, text, scores, model_version, client_token, community_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    api_key,
                    text,
                    json_text(scores)?,
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
