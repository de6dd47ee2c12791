//! A moderator's decision: approve or reject, why, the training labels it implies, and what it
//! did to each comment.

use crate::domain::{CommentId, CommentStatus, Label, ReportReason};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Decision::Approve, Decision::Reject]
            .into_iter()
            .find(|d| d.as_str() == raw)
    }

    pub fn resulting_status(self) -> CommentStatus {
        match self {
            Decision::Approve => CommentStatus::Published,
            Decision::Reject => CommentStatus::Rejected,
        }
    }
}

/// Why a moderator rejected a comment. The short fixed list keeps decisions usable as training
/// labels: each reason implies target values for the model's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    Insult,
    Obscene,
    Threat,
    IdentityAttack,
    Incitement,
    Spam,
    OffTopic,
    Other,
}

impl RejectReason {
    pub const ALL: [RejectReason; 8] = [
        Self::Insult,
        Self::Obscene,
        Self::Threat,
        Self::IdentityAttack,
        Self::Incitement,
        Self::Spam,
        Self::OffTopic,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Insult => "insult",
            Self::Obscene => "obscene",
            Self::Threat => "threat",
            Self::IdentityAttack => "identity_attack",
            Self::Incitement => "incitement",
            Self::Spam => "spam",
            Self::OffTopic => "off_topic",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Labels this reason asserts as positive.
    fn positive_labels(self) -> &'static [Label] {
        match self {
            Self::Insult => &[Label::Abuse, Label::Insult],
            Self::Obscene => &[Label::Abuse, Label::Obscene],
            Self::Threat => &[Label::Abuse, Label::Threat],
            Self::IdentityAttack => &[Label::Abuse, Label::IdentityAttack],
            Self::Incitement => &[Label::Incitement],
            Self::Spam | Self::OffTopic | Self::Other => &[],
        }
    }
}

/// Training targets implied by a decision: approval says the comment is neither abusive nor
/// inciting; a rejection asserts the labels its reason names and nothing else. Reports the
/// decision resolves add to this: see [`labels_with_reports`].
pub fn implied_labels(
    decision: Decision,
    reason: Option<RejectReason>,
) -> std::collections::BTreeMap<Label, u8> {
    match decision {
        Decision::Approve => [(Label::Abuse, 0), (Label::Incitement, 0)].into(),
        Decision::Reject => reason
            .map(|r| r.positive_labels().iter().map(|&l| (l, 1)).collect())
            .unwrap_or_default(),
    }
}

/// Training targets of a decision that resolves reader reports. The moderator's reason is the
/// label wherever it names one. A rejection without a toxicity reason (`other`, or none) upholds
/// the readers' reports: each reported toxicity label (abuse, incitement) becomes a positive,
/// which turns a rejection that used to teach nothing into a training row. A rejection for
/// spam or off topic names a reason other than toxicity, so it upholds no toxicity report. An
/// approval dismisses every report; its abuse=0, incitement=0 already make the reported labels
/// negatives.
pub fn labels_with_reports(
    decision: Decision,
    reason: Option<RejectReason>,
    reports: &[ReportReason],
) -> std::collections::BTreeMap<Label, u8> {
    let mut labels = implied_labels(decision, reason);
    if decision == Decision::Reject && matches!(reason, None | Some(RejectReason::Other)) {
        for label in reports.iter().filter_map(|r| r.label()) {
            labels.entry(label).or_insert(1);
        }
    }
    labels
}

/// One moderator action on one or more comments, applied atomically.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    pub ids: Vec<CommentId>,
    pub moderator: String,
    pub decision: Decision,
    pub reason: Option<RejectReason>,
    pub note: Option<String>,
    /// Replace an earlier, different moderator decision instead of failing with a conflict.
    pub override_previous: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionResult {
    pub id: CommentId,
    pub before: CommentStatus,
    pub after: CommentStatus,
    /// False when the same decision had already been taken: no new decision was recorded.
    pub changed: bool,
    /// Open reader reports this action resolved (also when it repeated the earlier decision).
    pub resolved_reports: u32,
}

/// A comment whose earlier moderator decision differs from the requested one.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub id: CommentId,
    pub status: CommentStatus,
    pub decision: Decision,
    pub moderator: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    pub moderator: String,
    pub decision: Decision,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub labels: serde_json::Value,
    pub overturned: bool,
    #[serde(rename = "override")]
    pub override_previous: bool,
    pub decided_at: String,
}
