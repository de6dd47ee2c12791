//! A new comment, the same on both backends: the status it is stored with once its author's
//! restriction and its article's pre-moderation have had their say, the comment handed back,
//! and the answer to a retried post.

use super::audit::{AuditRow, auto_action};
use crate::domain::{ARTICLE_PREMODERATED, AuthorRestriction, CommentStatus, premoderated_status};
use crate::storage::premoderation::ForPost;
use crate::storage::{InsertOutcome, NewRecord, Result, StorageError, StoredComment};

/// How a new comment is stored.
pub(crate) struct PostedStatus {
    pub(crate) status: CommentStatus,
    /// The author's restriction, when it decided `status` (stored as `status_reason`).
    pub(crate) status_reason: Option<&'static str>,
    /// What the comment shows as its reason: the restriction's, else pre-moderation's.
    pub(crate) shown_reason: Option<&'static str>,
    /// `status` when it differs from the model's verdict (what a retry must answer again).
    pub(crate) posted_status: Option<&'static str>,
    pub(crate) premoderated: bool,
    for_post: ForPost,
}

impl PostedStatus {
    /// The model's verdict stays `auto_status`; a restriction on the author and pre-moderation
    /// of the article decide `status`, the stricter of them winning. The author's restriction
    /// names the reason when both apply: it says more about this comment.
    pub(crate) fn settle(
        rec: &NewRecord,
        restriction: Option<AuthorRestriction>,
        for_post: ForPost,
    ) -> PostedStatus {
        let premoderated = for_post != ForPost::Open;
        let (mut status, status_reason) = match restriction {
            Some(r) => (
                rec.author_policy.status(r, rec.status),
                Some(r.status_reason()),
            ),
            None => (rec.status, None),
        };
        if premoderated {
            status = premoderated_status(status);
        }
        PostedStatus {
            status,
            status_reason,
            shown_reason: status_reason.or(premoderated.then_some(ARTICLE_PREMODERATED)),
            posted_status: (status != rec.status).then_some(status.as_str()),
            premoderated,
            for_post,
        }
    }

    /// The audit entry of comment `id` stored at `now`.
    pub(crate) fn audit<'a>(&'a self, id: &'a str, now: &'a str) -> AuditRow<'a> {
        AuditRow::automatic(
            now,
            "system",
            auto_action(self.status),
            id,
            (None, self.status),
        )
        .reason(self.shown_reason)
    }

    /// The comment as stored at `now`.
    pub(crate) fn stored(&self, rec: &NewRecord, now: String) -> StoredComment {
        let c = &rec.comment;
        StoredComment {
            id: rec.id,
            article_id: c.article_id.as_str().to_string(),
            parent_id: c.parent_id,
            author: c.author.as_str().to_string(),
            author_id: c.author_id.as_ref().map(|a| a.as_str().to_string()),
            title: c.title.as_ref().map(|t| t.as_str().to_string()),
            body: c.body.as_str().to_string(),
            status: self.status,
            auto_status: rec.status,
            status_reason: self.shown_reason.map(str::to_string),
            posted_status: self.status,
            scores: rec.scores,
            reasons: rec.reasons.clone(),
            model_version: rec.model_version.clone(),
            thresholds: rec.thresholds.clone(),
            created_at: now.clone(),
            updated_at: now,
            request_hash: rec.idempotency.as_ref().map(|i| i.fingerprint.clone()),
            reports: None,
            article: None,
            parent: None,
            started_surge: self.for_post == ForPost::SurgeStarted,
        }
    }
}

/// The answer to a post whose Idempotency-Key `existing` already holds: the first result for
/// the same request, a mismatch for another.
pub(crate) fn replay(existing: StoredComment, rec: &NewRecord) -> Result<InsertOutcome> {
    let fingerprint = rec.idempotency.as_ref().map(|i| i.fingerprint.as_str());
    if existing.request_hash.as_deref() == fingerprint {
        Ok(InsertOutcome::Existing(existing))
    } else {
        Err(StorageError::IdempotencyMismatch)
    }
}
