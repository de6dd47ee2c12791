//! A comment as storage takes and gives it: the scored, decided record the writer stores, the
//! stored comment handlers read (with its article and parent), its detail, and the labels it
//! is listed under.

use super::{AuditEntry, DecisionRecord, ReportRecord, ReportSummary};
use crate::domain::{
    AuthorPolicy, CommentId, CommentStatus, Label, NewComment, Reason, Scores, SurgeRule,
    Thresholds,
};
use serde::Serialize;

/// An Idempotency-Key and a fingerprint of the request it arrived with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

/// A scored, decided comment ready to be stored.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: CommentId,
    pub comment: NewComment,
    pub status: CommentStatus,
    pub scores: Scores,
    pub reasons: Vec<Reason>,
    pub model_version: String,
    pub thresholds: Thresholds,
    pub idempotency: Option<Idempotency>,
    /// What a restriction on the author does to `status`. Applied by the writer, in the same
    /// transaction as the insert, so a suspension committed a moment before the post counts.
    pub author_policy: AuthorPolicy,
    /// When to pre-moderate the comment's article by itself (None: never). Applied by the
    /// writer like `author_policy`, so every post of a burst sees the switch the one before it
    /// made.
    pub surge: Option<SurgeRule>,
}

/// A label with no hold or reject bar is listed under the queue's label filter (and counted
/// under it in the stats) once the model finds it more likely than not. The finer labels
/// (insult, obscene, threat, identity_attack) have no bar by default, so without this they
/// could never be filtered on, though held comments score up to 0.99 on them.
pub const LABEL_LISTING_FLOOR: f32 = 0.5;

/// The labels a comment is listed under, with their scores: every label over its bar (the
/// comment's reasons), then every label without a bar that scored at least
/// [`LABEL_LISTING_FLOOR`]. A label with a bar it did not reach is not listed: its bar says
/// what counts.
pub(crate) fn listed_labels(
    scores: &Scores,
    reasons: &[Reason],
    thresholds: &Thresholds,
) -> Vec<(Label, f32)> {
    let mut out: Vec<(Label, f32)> = reasons.iter().map(|r| (r.label, r.score)).collect();
    for (label, score) in scores.iter() {
        let has_bar =
            thresholds.hold.contains_key(&label) || thresholds.reject.contains_key(&label);
        if !has_bar && score >= LABEL_LISTING_FLOOR && !out.iter().any(|(l, _)| *l == label) {
            out.push((label, score));
        }
    }
    out
}

/// A stored comment with everything that decided it.
#[derive(Debug, Clone, Serialize)]
pub struct StoredComment {
    pub id: CommentId,
    pub article_id: String,
    pub parent_id: Option<CommentId>,
    pub author: String,
    /// The platform's user id, when the post carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    /// The model's own verdict, whatever decided `status`.
    pub auto_status: CommentStatus,
    /// `author_suspended` or `author_banned` when a restriction on the author decided the
    /// status the comment was posted with, rather than the model alone; otherwise
    /// `article_premoderated` when the article's pre-moderation did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The status the post was answered with (what a retry must answer again).
    #[serde(skip)]
    pub posted_status: CommentStatus,
    pub scores: Scores,
    pub reasons: Vec<Reason>,
    pub model_version: String,
    pub thresholds: Thresholds,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub request_hash: Option<String>,
    /// The comment's open (unresolved) reader reports, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<ReportSummary>,
    /// The article's address and headline, when the platform sent them (queue and detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleInfo>,
    /// The comment this one replies to, in short (queue and detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentExcerpt>,
    /// Set on a comment just stored whose post completed a surge and switched its article to
    /// pre-moderation (for the log line; never stored).
    #[serde(skip)]
    pub started_surge: bool,
}

/// What the platform told about an article: stored once per article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleInfo {
    pub url: Option<String>,
    pub title: Option<String>,
}

/// The comment a reply answers, as much as a moderator needs to read the reply in context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentExcerpt {
    pub id: CommentId,
    pub author: String,
    /// Its first [`PARENT_EXCERPT_CHARS`] characters, with `…` when there is more.
    pub excerpt: String,
    pub status: CommentStatus,
    pub created_at: String,
}

/// Characters of a parent comment a reply's card shows: more than the log's excerpt, since
/// the reply may answer any part of it.
pub const PARENT_EXCERPT_CHARS: usize = 400;

#[derive(Debug)]
pub enum InsertOutcome {
    Created(StoredComment),
    /// The Idempotency-Key was seen before with the same request: the first result.
    Existing(StoredComment),
}

#[derive(Debug, Clone, Serialize)]
pub struct CommentDetail {
    #[serde(flatten)]
    pub comment: StoredComment,
    pub decisions: Vec<DecisionRecord>,
    pub history: Vec<AuditEntry>,
    /// Every reader report, open and resolved, oldest first.
    pub report_history: Vec<ReportRecord>,
}
