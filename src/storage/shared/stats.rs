//! `GET /v1/moderation/stats`, the same on both backends: the queries that read the same on
//! both, and how their rows add up to [`Stats`]. Each backend runs the queries in one snapshot
//! and fills a [`StatsRows`].

use crate::domain::{CommentStatus, Label};
use crate::storage::{
    AuthorCounts, Decision, ModelVersionStats, PremoderationCounts, ReportCounts, Stats,
    StatusCounts, TrainingDataCounts,
};
use std::collections::BTreeMap;

pub(crate) const BY_STATUS: &str = "SELECT status, COUNT(*) FROM comments GROUP BY status";
pub(crate) const BY_LABEL: &str = "SELECT label, comment_status, COUNT(*) FROM comment_labels \
     GROUP BY label, comment_status";
pub(crate) const OLDEST_HELD: &str =
    "SELECT created_ms FROM comments WHERE status = 'held' ORDER BY seq LIMIT 1";
pub(crate) const BY_DECISION: &str = "SELECT decision, COUNT(*) FROM decisions GROUP BY decision";
pub(crate) const BY_MODEL_VERSION: &str =
    "SELECT model_version, auto_status, COUNT(*) FROM comments GROUP BY 1, 2";
/// Overturned judges the comment's current (latest) decision against the model's verdict: a
/// flagged comment a moderator published, or a published one a moderator rejected.
pub(crate) const REVIEWED_BY_MODEL_VERSION: &str = "SELECT model_version, COUNT(*), \
     SUM(CASE WHEN (auto_status != 'published' AND status = 'published') \
                OR (auto_status = 'published' AND status = 'rejected') THEN 1 ELSE 0 END) \
     FROM comments WHERE id IN (SELECT comment_id FROM decisions) GROUP BY model_version";
pub(crate) const ANALYSES: &str = "SELECT COUNT(*) FROM analyzed_texts";
pub(crate) const SUGGESTIONS: &str = "SELECT COUNT(*) FROM suggested_scores";
pub(crate) const REPORTED_COMMENTS: &str = "SELECT COUNT(*) FROM comments WHERE open_reports > 0";
pub(crate) const BY_RESOLUTION: &str =
    "SELECT resolution, COUNT(*) FROM reports GROUP BY resolution";

/// What the stats queries returned, row by row.
#[derive(Default)]
pub(crate) struct StatsRows {
    /// [`BY_STATUS`]
    pub(crate) by_status: Vec<(CommentStatus, u64)>,
    /// [`BY_LABEL`]
    pub(crate) by_label: Vec<(String, CommentStatus, u64)>,
    /// [`OLDEST_HELD`]
    pub(crate) oldest_held_ms: Option<i64>,
    /// [`BY_DECISION`]
    pub(crate) by_decision: Vec<(String, u64)>,
    /// [`BY_MODEL_VERSION`]
    pub(crate) by_model_version: Vec<(String, CommentStatus, u64)>,
    /// [`REVIEWED_BY_MODEL_VERSION`]: version, reviewed, overturned.
    pub(crate) reviewed: Vec<(String, u64, u64)>,
    /// [`ANALYSES`], [`SUGGESTIONS`]
    pub(crate) training_data: TrainingDataCounts,
    /// [`REPORTED_COMMENTS`]
    pub(crate) reported_comments: u64,
    /// [`BY_RESOLUTION`]
    pub(crate) by_resolution: Vec<(Option<String>, u64)>,
    pub(crate) authors: AuthorCounts,
    pub(crate) articles: PremoderationCounts,
}

impl StatsRows {
    pub(crate) fn into_stats(self, now_ms: i64) -> Stats {
        let mut comments = StatusCounts::default();
        for (status, n) in self.by_status {
            comments.add(status, n);
        }
        let mut labels = BTreeMap::<Label, StatusCounts>::new();
        for (label, status, n) in self.by_label {
            if let Ok(label) = label.parse::<Label>() {
                labels.entry(label).or_default().add(status, n);
            }
        }
        let mut decisions = BTreeMap::new();
        for d in [Decision::Approve, Decision::Reject] {
            decisions.insert(d.as_str().to_string(), 0);
        }
        decisions.extend(self.by_decision);
        let mut reports = ReportCounts {
            comments: self.reported_comments,
            ..ReportCounts::default()
        };
        for (resolution, n) in self.by_resolution {
            match resolution.as_deref() {
                None => reports.open = n,
                Some("upheld") => reports.upheld = n,
                Some(_) => reports.dismissed = n,
            }
        }
        Stats {
            comments,
            labels,
            oldest_held_age_seconds: self
                .oldest_held_ms
                .map(|ms| ((now_ms - ms).max(0) / 1000) as u64),
            decisions,
            model_versions: model_versions(self.by_model_version, self.reviewed),
            training_data: self.training_data,
            reports,
            authors: self.authors,
            articles: self.articles,
        }
    }
}

fn model_versions(
    by_version: Vec<(String, CommentStatus, u64)>,
    reviewed: Vec<(String, u64, u64)>,
) -> Vec<ModelVersionStats> {
    let mut versions = BTreeMap::<String, ModelVersionStats>::new();
    for (version, status, n) in by_version {
        versions
            .entry(version.clone())
            .or_insert_with(|| ModelVersionStats {
                version,
                auto: StatusCounts::default(),
                reviewed: 0,
                overturned: 0,
            })
            .auto
            .add(status, n);
    }
    for (version, reviewed, overturned) in reviewed {
        if let Some(v) = versions.get_mut(&version) {
            v.reviewed = reviewed;
            v.overturned = overturned;
        }
    }
    versions.into_values().collect()
}
