//! PostgreSQL: what retraining reads and writes. Text kept from the Perspective-compatible
//! API, the export of decided comments and suggested scores, and `talkback rescore`'s input and
//! its new verdicts.

use super::comments::insert_labels;
use super::moderation::lock_comments;
use super::{all, exec, first};
use crate::domain::CommentStatus;
use crate::storage::shared::moderation::{rescore_audit, rescore_note};
use crate::storage::shared::rows::{Columns, decided_comment, undecided_comment};
use crate::storage::shared::{json_text, now};
use crate::storage::{
    DecidedComment, RescoreOutcome, Rescored, Result, SuggestedLabel, TrainingRecord, Undecided,
    listed_labels,
};
use deadpool_postgres::{Pool, Transaction};

pub(crate) async fn apply_rescore(pool: Pool, updates: Vec<Rescored>) -> Result<RescoreOutcome> {
    transaction!(pool, |tx| {
        let (now, _) = now();
        let mut outcome = RescoreOutcome::default();
        for u in &updates {
            if rescore_one(&tx, u, &now).await? {
                outcome.applied += 1;
            } else {
                outcome.skipped += 1;
            }
        }
        Ok::<_, crate::storage::StorageError>(outcome)
    })
}

/// As the SQLite backend's `rescore_one`, locked first so a decision or report committed
/// meanwhile on another instance is seen and wins.
async fn rescore_one(tx: &Transaction<'_>, u: &Rescored, now: &str) -> Result<bool> {
    let key = u.id.to_string();
    if lock_comments(tx, std::slice::from_ref(&key))
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    let seq = first(
        tx,
        "SELECT seq FROM comments WHERE id = $1 AND status = $2 AND open_reports = 0 \
         AND status_reason IS NULL AND premoderated = 0 \
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id)",
        &[&key, &u.expected_status.as_str()],
        |r| r.int(0),
    )
    .await?;
    let Some(seq) = seq else {
        return Ok(false);
    };
    exec(
        tx,
        "UPDATE comments SET status = $1, auto_status = $1, max_score = $2, scores = $3, \
         reasons = $4, model_version = $5, thresholds = $6, updated_at = $7 WHERE seq = $8",
        &[
            &u.status.as_str(),
            &f64::from(u.scores.max()),
            &json_text(&u.scores)?,
            &json_text(&u.reasons)?,
            &u.model_version,
            &json_text(&u.thresholds)?,
            &now,
            &seq,
        ],
    )
    .await?;
    exec(
        tx,
        "DELETE FROM comment_labels WHERE comment_seq = $1",
        &[&seq],
    )
    .await?;
    insert_labels(
        tx,
        seq,
        &listed_labels(&u.scores, &u.reasons, &u.thresholds),
    )
    .await?;
    let note = rescore_note(u);
    super::audit::append(tx, &rescore_audit(u, &key, now, &note)).await?;
    Ok(true)
}

pub(crate) async fn insert_training(pool: Pool, record: TrainingRecord) -> Result<()> {
    transaction!(pool, |tx| insert_training_in(&tx, &record).await)
}

async fn insert_training_in(tx: &Transaction<'_>, record: &TrainingRecord) -> Result<()> {
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
            exec(
                tx,
                "INSERT INTO analyzed_texts \
                 (api_key, text, scores, model_version, client_token, community_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    api_key,
                    text,
                    &json_text(scores)?,
                    model_version,
                    client_token,
                    community_id,
                    &at,
                ],
            )
            .await?;
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
                exec(
                    tx,
                    "INSERT INTO suggested_scores (api_key, text, attribute, label, value, \
                     context, community_id, client_token, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        api_key,
                        text,
                        &score.attribute,
                        &score.label.as_str(),
                        &f64::from(score.value),
                        context,
                        community_id,
                        client_token,
                        &at,
                    ],
                )
                .await?;
            }
        }
    }
    Ok(())
}

pub(crate) async fn undecided(pool: Pool, status: CommentStatus) -> Result<Vec<Undecided>> {
    read!(pool, false, |tx| {
        all(
            &tx,
            "SELECT id, body, status, model_version FROM comments c \
             WHERE status = $1 AND open_reports = 0 AND status_reason IS NULL AND premoderated = 0 \
             AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = c.id) ORDER BY seq",
            &[&status.as_str()],
            undecided_comment,
        )
        .await
    })
}

pub(crate) async fn decided_comments(pool: Pool) -> Result<Vec<DecidedComment>> {
    read!(pool, false, |tx| {
        all(
            &tx,
            "SELECT c.id, c.body, d.decision, d.reason, d.labels FROM comments c \
             JOIN decisions d ON d.id = \
                 (SELECT MAX(id) FROM decisions WHERE comment_id = c.id) \
             ORDER BY c.seq",
            &[],
            decided_comment,
        )
        .await
    })
}

pub(crate) async fn suggested_labels(pool: Pool) -> Result<Vec<SuggestedLabel>> {
    let rows = read!(pool, false, |tx| {
        all(
            &tx,
            "SELECT text, label, value FROM suggested_scores ORDER BY id",
            &[],
            |r| Ok((r.text(0)?, r.text(1)?, r.real(2)?)),
        )
        .await
    })?;
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
