//! The audit log, the same on both backends: the entry every change to a comment appends, and
//! the filter the audit log listing applies.

use super::filter::{Arg, Filter};
use crate::domain::CommentStatus;
use crate::storage::{Cursor, LogFilter, LogKind};

/// An audit entry about one comment, as both backends append it.
pub(crate) struct AuditRow<'a> {
    pub(crate) at: &'a str,
    pub(crate) actor: &'a str,
    pub(crate) action: &'a str,
    pub(crate) comment_id: &'a str,
    pub(crate) before: Option<CommentStatus>,
    pub(crate) after: CommentStatus,
    pub(crate) reason: Option<&'a str>,
    pub(crate) note: Option<&'a str>,
    pub(crate) override_previous: bool,
    pub(crate) resolved_reports: u32,
}

impl<'a> AuditRow<'a> {
    /// An entry by the service or a reader: no override, no reports resolved.
    pub(crate) fn automatic(
        at: &'a str,
        actor: &'a str,
        action: &'a str,
        comment_id: &'a str,
        (before, after): (Option<CommentStatus>, CommentStatus),
    ) -> AuditRow<'a> {
        AuditRow {
            at,
            actor,
            action,
            comment_id,
            before,
            after,
            reason: None,
            note: None,
            override_previous: false,
            resolved_reports: 0,
        }
    }

    pub(crate) fn reason(self, reason: Option<&'a str>) -> AuditRow<'a> {
        AuditRow { reason, ..self }
    }

    pub(crate) fn note(self, note: Option<&'a str>) -> AuditRow<'a> {
        AuditRow { note, ..self }
    }
}

/// The action of the entry a new comment's status is logged under.
pub(crate) fn auto_action(status: CommentStatus) -> &'static str {
    match status {
        CommentStatus::Published => "auto_published",
        CommentStatus::Held => "auto_held",
        CommentStatus::Rejected => "auto_rejected",
    }
}

/// Moderator actions. Written out the same way as migration 0009's partial index, so SQLite
/// can answer the moderator-only log from that index.
pub(crate) const MODERATOR_ACTIONS: &str = "a.action IN ('approve', 'reject', 'suspend_author', \
     'ban_author', 'lift_author', 'premoderation_on', 'premoderation_off')";

/// The audit log listing's conditions on entry `a` (see `rows::listed_audit_select`).
pub(crate) fn log_filter(f: &LogFilter) -> Filter {
    let mut filter = Filter::default();
    if let Some(id) = f.comment_id {
        filter.and("a.comment_id = ?", [Arg::Text(id.to_string())]);
    }
    if let Some(actor) = &f.actor {
        filter.and("a.actor = ?", [Arg::Text(actor.clone())]);
    }
    if let Some(author) = &f.author_id {
        filter.and("a.author_id = ?", [Arg::Text(author.clone())]);
    }
    if let Some(action) = &f.action {
        filter.and("a.action = ?", [Arg::Text(action.clone())]);
    }
    if let Some(article) = &f.article_id {
        // Entries on the article's comments, and those on the article itself (pre-moderation).
        filter.and(
            "(a.comment_id IN (SELECT id FROM comments WHERE article_id = ?) OR a.article_id = ?)",
            [Arg::Text(article.clone()), Arg::Text(article.clone())],
        );
    }
    match f.kind {
        Some(LogKind::Moderator) => filter.and(MODERATOR_ACTIONS, []),
        Some(LogKind::Reader) => filter.and("a.action = 'report'", []),
        Some(LogKind::Automatic) => filter.and(
            format!("NOT {MODERATOR_ACTIONS} AND a.action != 'report'"),
            [],
        ),
        None => {}
    }
    if let Some(Cursor::Seq(id)) = f.after {
        filter.and("a.id < ?", [Arg::Int(id)]);
    }
    filter
}
