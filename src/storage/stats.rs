//! `GET /v1/moderation/stats`: counts by status, label, model version, report and restriction.

use super::PremoderationCounts;
use crate::domain::{CommentStatus, Label};
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusCounts {
    pub total: u64,
    pub published: u64,
    pub held: u64,
    pub rejected: u64,
}

impl StatusCounts {
    pub(super) fn add(&mut self, status: CommentStatus, n: u64) {
        self.total += n;
        match status {
            CommentStatus::Published => self.published += n,
            CommentStatus::Held => self.held += n,
            CommentStatus::Rejected => self.rejected += n,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelVersionStats {
    pub version: String,
    /// How that version's verdicts split.
    pub auto: StatusCounts,
    /// Comments of that version a moderator decided.
    pub reviewed: u64,
    /// Of those, how many the moderator overturned (approved a flagged comment, or rejected a
    /// published one).
    pub overturned: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Current status of every stored comment.
    pub comments: StatusCounts,
    /// Comments per label they are listed under (see [`LABEL_LISTING_FLOOR`]), by current
    /// status.
    pub labels: std::collections::BTreeMap<Label, StatusCounts>,
    pub oldest_held_age_seconds: Option<u64>,
    pub decisions: std::collections::BTreeMap<String, u64>,
    pub model_versions: Vec<ModelVersionStats>,
    pub training_data: TrainingDataCounts,
    pub reports: ReportCounts,
    /// Authors under a suspension or ban now.
    pub authors: AuthorCounts,
    /// Articles under pre-moderation now.
    pub articles: PremoderationCounts,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthorCounts {
    pub suspended: u64,
    pub banned: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportCounts {
    /// Comments with open reports (the reported queue).
    pub comments: u64,
    pub open: u64,
    /// Resolved by a rejection.
    pub upheld: u64,
    /// Resolved by an approval.
    pub dismissed: u64,
}

/// Rows kept for retraining from the Perspective-compatible API.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrainingDataCounts {
    pub analyses: u64,
    pub suggestions: u64,
}
