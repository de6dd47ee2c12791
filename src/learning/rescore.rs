//! `talkback rescore`: score undecided comments again with a (new) model and the configured
//! thresholds, and report how many would change status. Changes nothing without `--apply`;
//! with it, each change is stored with the new scores and model version and an audit entry
//! by actor `rescore`. Comments a moderator decided are never touched.

use crate::domain::{CommentStatus, Thresholds};
use crate::model::Model;
use crate::storage::{Rescored, Store, Undecided};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a rescore found (and, with `--apply`, did).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub model_version: String,
    pub status: CommentStatus,
    pub rescored: usize,
    pub unchanged: usize,
    /// `"held->published"` etc. to counts.
    pub changes: BTreeMap<String, usize>,
    pub applied: bool,
    /// With --apply: how many changes were stored, and how many were skipped because the
    /// comment moved (a moderator decided it) between reading and writing.
    pub stored: usize,
    pub skipped: usize,
}

/// New verdicts for `comments`; only those whose status would change.
pub fn plan(model: &Model, thresholds: &Thresholds, comments: &[Undecided]) -> Vec<Rescored> {
    comments
        .iter()
        .filter_map(|c| {
            let scored = model.score(&c.body);
            let verdict = thresholds.decide(&scored.scores);
            (verdict.status != c.status).then(|| Rescored {
                id: c.id,
                expected_status: c.status,
                status: verdict.status,
                reasons: crate::domain::reasons(
                    &verdict.triggered,
                    &scored.scores,
                    &scored.explanations,
                ),
                scores: scored.scores,
                model_version: model.version().to_string(),
                thresholds: thresholds.clone(),
            })
        })
        .collect()
}

/// Rescore every undecided comment with `status`; store the changes when `apply`.
pub async fn run(
    store: &Store,
    model: &Model,
    thresholds: &Thresholds,
    status: CommentStatus,
    apply: bool,
) -> anyhow::Result<Summary> {
    let comments = store.undecided(status).await?;
    let changes = plan(model, thresholds, &comments);
    let mut counts = BTreeMap::new();
    for c in &changes {
        *counts
            .entry(format!("{}->{}", c.expected_status, c.status))
            .or_insert(0) += 1;
    }
    let mut summary = Summary {
        model_version: model.version().to_string(),
        status,
        rescored: comments.len(),
        unchanged: comments.len() - changes.len(),
        changes: counts,
        applied: apply,
        stored: 0,
        skipped: 0,
    };
    if apply && !changes.is_empty() {
        let outcome = store.apply_rescore(changes).await?;
        summary.stored = outcome.applied;
        summary.skipped = outcome.skipped;
    }
    Ok(summary)
}
