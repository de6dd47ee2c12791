//! What retraining reads and writes: text kept from the Perspective-compatible API, decided
//! comments and suggested scores for export, and `talkback rescore`'s input and verdicts.

use super::Decision;
use crate::domain::{CommentId, CommentStatus, Label, Reason, Scores, Thresholds};
use serde::Serialize;

/// Text a platform sent through the Perspective-compatible API, kept for retraining.
#[derive(Debug, Clone)]
pub enum TrainingRecord {
    /// `comments:analyze` with `doNotStore: false`: the text and what the model said.
    Analysis {
        api_key: String,
        text: String,
        scores: Scores,
        model_version: String,
        client_token: Option<String>,
        community_id: Option<String>,
    },
    /// `comments:suggestscore`: the platform's own judgement, per Perspective attribute, with
    /// the talkback label it teaches.
    Suggestion {
        api_key: String,
        text: String,
        scores: Vec<SuggestedScore>,
        context: Option<String>,
        community_id: Option<String>,
        client_token: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct SuggestedScore {
    pub attribute: String,
    pub label: Label,
    pub value: f32,
}

/// A comment no moderator has decided, no reader has an open report on and no restriction on
/// its author decided, as input to `talkback rescore`.
#[derive(Debug, Clone)]
pub struct Undecided {
    pub id: CommentId,
    pub body: String,
    pub status: CommentStatus,
    pub model_version: String,
}

/// A new model verdict for an undecided comment (`talkback rescore --apply`).
#[derive(Debug, Clone)]
pub struct Rescored {
    pub id: CommentId,
    /// The status the verdict was computed against; a comment that moved since (a moderator
    /// decided it, another rescore ran) is skipped, never overwritten.
    pub expected_status: CommentStatus,
    pub status: CommentStatus,
    pub scores: Scores,
    pub reasons: Vec<Reason>,
    pub model_version: String,
    pub thresholds: Thresholds,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RescoreOutcome {
    pub applied: usize,
    /// Comments that changed status or got a moderator decision in the meantime.
    pub skipped: usize,
}

/// A comment with its latest moderator decision: one training example.
#[derive(Debug, Clone)]
pub struct DecidedComment {
    pub id: CommentId,
    pub body: String,
    pub decision: Decision,
    pub reason: Option<String>,
    /// Implied training targets as stored with the decision (see [`implied_labels`]).
    pub labels: std::collections::BTreeMap<Label, u8>,
}

/// One `comments:suggestscore` judgement: a platform's score for one label of one text.
#[derive(Debug, Clone)]
pub struct SuggestedLabel {
    pub text: String,
    pub label: Label,
    pub value: f32,
}
