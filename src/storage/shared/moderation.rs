//! A moderator's decision, the same on both backends: which comments a request names, when an
//! earlier decision conflicts, what a new decision records, and the audit entries of a decision
//! and of a rescore. Each backend reads and locks the comments its own way and runs the
//! statements; the steps between them are here.

use super::audit::AuditRow;
use crate::domain::{CommentId, CommentStatus};
use crate::storage::{Conflict, Decision, DecisionRequest, DecisionResult, Rescored};

/// The ids a request names, each once, in the order given.
pub(crate) fn unique_ids(ids: &[CommentId]) -> Vec<CommentId> {
    let mut unique: Vec<CommentId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    unique
}

/// A comment as a decision finds it.
pub(crate) struct Current {
    pub(crate) id: CommentId,
    pub(crate) status: CommentStatus,
    pub(crate) auto_status: CommentStatus,
    pub(crate) model_version: String,
    /// Its latest decision: decision, moderator, when.
    pub(crate) last: Option<(Decision, String, String)>,
}

impl Current {
    /// The conflict `req` runs into: an earlier, different decision it does not override.
    pub(crate) fn conflict(&self, req: &DecisionRequest) -> Option<Conflict> {
        let (decision, moderator, decided_at) = self.last.as_ref()?;
        (*decision != req.decision && !req.override_previous).then(|| Conflict {
            id: self.id,
            status: self.status,
            decision: *decision,
            moderator: moderator.clone(),
            decided_at: decided_at.clone(),
        })
    }

    /// `req` repeats the decision already taken: it records no new decision, but still
    /// resolves the reports readers sent since, so the comment leaves the reported queue.
    pub(crate) fn repeated_by(&self, req: &DecisionRequest) -> bool {
        self.last
            .as_ref()
            .is_some_and(|(d, _, _)| *d == req.decision)
    }

    /// A new decision replaces an earlier one.
    pub(crate) fn is_override(&self) -> bool {
        self.last.is_some()
    }

    /// `decision` goes against the model's verdict: approves a flagged comment, or rejects a
    /// published one.
    pub(crate) fn overturned_by(&self, decision: Decision) -> bool {
        match decision {
            Decision::Approve => self.auto_status != CommentStatus::Published,
            Decision::Reject => self.auto_status == CommentStatus::Published,
        }
    }

    /// The result of a repeated decision that resolved `resolved` reports.
    pub(crate) fn unchanged(&self, resolved: u32) -> DecisionResult {
        DecisionResult {
            id: self.id,
            before: self.status,
            after: self.status,
            changed: false,
            resolved_reports: resolved,
        }
    }

    /// The result of a new decision that resolved `resolved` reports.
    pub(crate) fn changed(&self, req: &DecisionRequest, resolved: u32) -> DecisionResult {
        DecisionResult {
            id: self.id,
            before: self.status,
            after: req.decision.resulting_status(),
            changed: true,
            resolved_reports: resolved,
        }
    }
}

/// The audit entry of `req` on comment `key` (status `before`), at `now`. A repeated decision
/// is logged only when it resolved reports, with the status unchanged.
pub(crate) fn decision_audit<'a>(
    req: &'a DecisionRequest,
    cur: &Current,
    key: &'a str,
    now: &'a str,
    resolved: u32,
) -> AuditRow<'a> {
    let repeated = cur.repeated_by(req);
    AuditRow {
        at: now,
        actor: &req.moderator,
        action: req.decision.as_str(),
        comment_id: key,
        before: Some(cur.status),
        after: if repeated {
            cur.status
        } else {
            req.decision.resulting_status()
        },
        reason: req.reason.map(|r| r.as_str()),
        note: req.note.as_deref(),
        override_previous: !repeated && cur.is_override(),
        resolved_reports: resolved,
    }
}

/// What resolving a comment's open reports by `decision` marks them.
pub(crate) fn resolution(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "dismissed",
        Decision::Reject => "upheld",
    }
}

/// The note of a rescore's audit entry.
pub(crate) fn rescore_note(u: &Rescored) -> String {
    format!("rescored by model {}", u.model_version)
}

/// The audit entry of rescore `u` of comment `key`, with `note` from [`rescore_note`].
pub(crate) fn rescore_audit<'a>(
    u: &Rescored,
    key: &'a str,
    now: &'a str,
    note: &'a str,
) -> AuditRow<'a> {
    AuditRow::automatic(
        now,
        "rescore",
        "rescore",
        key,
        (Some(u.expected_status), u.status),
    )
    .note(Some(note))
}
