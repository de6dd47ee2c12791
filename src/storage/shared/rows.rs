//! Reading stored rows, once for both backends. Each backend says how to take one plain value
//! out of a row of its own ([`Columns`]); turning those values into comments, audit entries,
//! decisions, reports and authors is written here, next to the column lists the queries
//! select, so the indices are kept in step in one place.
//!
//! A value that does not decode (an unknown status, broken JSON) is a [`StorageError::Failed`]
//! on either backend: damaged data, which no retry fixes.

use super::authors::AuthorRow;
use super::excerpt;
use crate::domain::{CommentId, CommentStatus, ReportReason};
use crate::storage::{
    AuditEntry, AuthorComment, DecidedComment, Decision, DecisionRecord, EXCERPT_CHARS,
    PARENT_EXCERPT_CHARS, ParentExcerpt, ReportRecord, Result, StorageError, StoredComment,
    Undecided,
};

/// One result row of either backend, read by column index.
pub(crate) trait Columns {
    fn text(&self, idx: usize) -> Result<String>;
    fn opt_text(&self, idx: usize) -> Result<Option<String>>;
    fn int(&self, idx: usize) -> Result<i64>;
    fn opt_int(&self, idx: usize) -> Result<Option<i64>>;
    fn real(&self, idx: usize) -> Result<f64>;
    fn flag(&self, idx: usize) -> Result<bool>;
    /// A count (`COUNT(*)`, a counter column) as `u64`.
    fn count(&self, idx: usize) -> Result<u64>;
    /// A stored count as `u32` (each backend keeps the range check it always had).
    fn count_u32(&self, idx: usize) -> Result<u32>;
    /// A 0/1 flag kept as INTEGER on both backends (`active`, `premoderated`).
    fn int_flag(&self, idx: usize) -> Result<bool>;
    /// The error for a value in column `idx` that does not decode.
    fn undecodable(&self, idx: usize, message: String) -> StorageError;

    fn id(&self, idx: usize) -> Result<CommentId> {
        let text = self.text(idx)?;
        CommentId::parse(&text, "id").map_err(|e| self.undecodable(idx, e.to_string()))
    }

    fn opt_id(&self, idx: usize) -> Result<Option<CommentId>> {
        self.opt_text(idx)?
            .map(|t| CommentId::parse(&t, "id").map_err(|e| self.undecodable(idx, e.to_string())))
            .transpose()
    }

    fn status(&self, idx: usize) -> Result<CommentStatus> {
        let text = self.text(idx)?;
        CommentStatus::parse(&text).ok_or_else(|| self.undecodable(idx, format!("status {text}")))
    }

    fn opt_status(&self, idx: usize) -> Result<Option<CommentStatus>> {
        self.opt_text(idx)?
            .map(|t| {
                CommentStatus::parse(&t).ok_or_else(|| self.undecodable(idx, format!("status {t}")))
            })
            .transpose()
    }

    fn report_reason(&self, idx: usize) -> Result<ReportReason> {
        let text = self.text(idx)?;
        ReportReason::parse(&text).map_err(|e| self.undecodable(idx, e.to_string()))
    }

    fn decision(&self, idx: usize) -> Result<Decision> {
        let text = self.text(idx)?;
        Decision::parse(&text).ok_or_else(|| self.undecodable(idx, format!("decision {text}")))
    }

    fn json<T: serde::de::DeserializeOwned>(&self, idx: usize) -> Result<T> {
        let text = self.text(idx)?;
        serde_json::from_str(&text).map_err(|e| self.undecodable(idx, e.to_string()))
    }
}

pub(crate) const COMMENT_COLUMNS: &str = "seq, max_score, id, article_id, parent_id, author, \
     title, body, status, auto_status, scores, reasons, model_version, thresholds, created_at, \
     updated_at, request_hash, open_reports, last_report_id, author_id, \
     COALESCE(status_reason, CASE WHEN premoderated = 1 THEN 'article_premoderated' END), \
     COALESCE(posted_status, auto_status)";

/// A comment row with its positions (seq, max score, reports) for cursors.
pub(crate) struct CommentRow {
    pub(crate) seq: i64,
    pub(crate) max_score: f64,
    pub(crate) open_reports: i64,
    pub(crate) last_report_id: Option<i64>,
    pub(crate) comment: StoredComment,
}

/// A row of [`COMMENT_COLUMNS`].
pub(crate) fn comment_row(row: &impl Columns) -> Result<CommentRow> {
    let parent_id = row
        .opt_text(4)?
        .map(|p| CommentId::parse(&p, "parent_id"))
        .transpose()
        .map_err(|e| row.undecodable(4, e.to_string()))?;
    Ok(CommentRow {
        seq: row.int(0)?,
        max_score: row.real(1)?,
        open_reports: row.int(17)?,
        last_report_id: row.opt_int(18)?,
        comment: StoredComment {
            id: row.id(2)?,
            article_id: row.text(3)?,
            parent_id,
            author: row.text(5)?,
            author_id: row.opt_text(19)?,
            title: row.opt_text(6)?,
            body: row.text(7)?,
            status: row.status(8)?,
            auto_status: row.status(9)?,
            status_reason: row.opt_text(20)?,
            posted_status: row.status(21)?,
            scores: row.json(10)?,
            reasons: row.json(11)?,
            model_version: row.text(12)?,
            thresholds: row.json(13)?,
            created_at: row.text(14)?,
            updated_at: row.text(15)?,
            request_hash: row.opt_text(16)?,
            reports: None,
            article: None,
            parent: None,
            started_surge: false,
        },
    })
}

pub(crate) const AUDIT_COLUMNS: &str = "id, at, actor, action, comment_id, before_status, \
     after_status, reason, note, override, resolved_reports, author_id, until";

/// A row of [`AUDIT_COLUMNS`].
pub(crate) fn audit_entry(row: &impl Columns) -> Result<AuditEntry> {
    Ok(AuditEntry {
        article_id: None,
        excerpt: None,
        id: row.int(0)?,
        at: row.text(1)?,
        actor: row.text(2)?,
        action: row.text(3)?,
        comment_id: row.opt_id(4)?,
        before_status: row.opt_status(5)?,
        after_status: row.opt_status(6)?,
        reason: row.opt_text(7)?,
        note: row.opt_text(8)?,
        override_previous: row.flag(9)?,
        resolved_reports: row.count_u32(10)?,
        author_id: row.opt_text(11)?,
        until: row.opt_text(12)?,
    })
}

/// The audit log listing's columns: [`AUDIT_COLUMNS`] of entry `a`, then the article and the
/// start of the text of its comment `c` (a left join: author and article actions have none).
pub(crate) fn listed_audit_select() -> String {
    format!(
        "a.id, a.at, a.actor, a.action, a.comment_id, a.before_status, a.after_status, \
         a.reason, a.note, a.override, a.resolved_reports, a.author_id, a.until, \
         COALESCE(c.article_id, a.article_id), \
         substr(c.body, 1, {}) FROM audit_log a LEFT JOIN comments c ON c.id = a.comment_id",
        EXCERPT_CHARS + 1
    )
}

/// A row of [`listed_audit_select`].
pub(crate) fn listed_audit_entry(row: &impl Columns) -> Result<AuditEntry> {
    let mut entry = audit_entry(row)?;
    entry.article_id = row.opt_text(13)?;
    entry.excerpt = row.opt_text(14)?.map(|t| excerpt(t, EXCERPT_CHARS));
    Ok(entry)
}

/// The columns of a reply's parent, as [`parent_excerpt`] reads them.
pub(crate) fn parent_columns() -> String {
    format!(
        "id, author, substr(body, 1, {}), status, created_at",
        PARENT_EXCERPT_CHARS + 1
    )
}

pub(crate) fn parent_excerpt(row: &impl Columns) -> Result<ParentExcerpt> {
    Ok(ParentExcerpt {
        id: row.id(0)?,
        author: row.text(1)?,
        excerpt: excerpt(row.text(2)?, PARENT_EXCERPT_CHARS),
        status: row.status(3)?,
        created_at: row.text(4)?,
    })
}

pub(crate) const DECISION_COLUMNS: &str =
    "moderator, decision, reason, note, labels, overturned, override, decided_at";

/// A row of [`DECISION_COLUMNS`].
pub(crate) fn decision_record(row: &impl Columns) -> Result<DecisionRecord> {
    Ok(DecisionRecord {
        moderator: row.text(0)?,
        decision: row.decision(1)?,
        reason: row.opt_text(2)?,
        note: row.opt_text(3)?,
        labels: row.json(4)?,
        overturned: row.flag(5)?,
        override_previous: row.flag(6)?,
        decided_at: row.text(7)?,
    })
}

/// A comment's latest decision as a new one checks it: `decision, moderator, decided_at`.
pub(crate) fn last_decision(row: &impl Columns) -> Result<(Decision, String, String)> {
    Ok((row.decision(0)?, row.text(1)?, row.text(2)?))
}

pub(crate) const REPORT_COLUMNS: &str =
    "id, reason, reporter_id, note, created_at, resolution, resolved_by, resolved_at";

/// A row of [`REPORT_COLUMNS`].
pub(crate) fn report_record(row: &impl Columns) -> Result<ReportRecord> {
    Ok(ReportRecord {
        id: row.int(0)?,
        reason: row.report_reason(1)?,
        reporter_id: row.opt_text(2)?,
        note: row.opt_text(3)?,
        created_at: row.text(4)?,
        resolution: row.opt_text(5)?,
        resolved_by: row.opt_text(6)?,
        resolved_at: row.opt_text(7)?,
    })
}

/// One open report: reason, reporter, note.
pub(crate) struct OpenReport {
    pub(crate) reason: ReportReason,
    pub(crate) reporter_id: Option<String>,
    pub(crate) note: Option<String>,
}

/// A row of `reason, reporter_id, note`.
pub(crate) fn open_report(row: &impl Columns) -> Result<OpenReport> {
    Ok(OpenReport {
        reason: row.report_reason(0)?,
        reporter_id: row.opt_text(1)?,
        note: row.opt_text(2)?,
    })
}

/// The columns of an author's comment in their panel, as [`author_comment`] reads them.
pub(crate) fn author_comment_columns() -> String {
    format!(
        "id, article_id, author, substr(body, 1, {}), status, auto_status, \
         COALESCE(status_reason, CASE WHEN premoderated = 1 THEN 'article_premoderated' END), \
         created_at",
        EXCERPT_CHARS + 1
    )
}

pub(crate) fn author_comment(row: &impl Columns) -> Result<AuthorComment> {
    Ok(AuthorComment {
        id: row.id(0)?,
        article_id: row.text(1)?,
        author: row.text(2)?,
        excerpt: excerpt(row.text(3)?, EXCERPT_CHARS),
        status: row.status(4)?,
        auto_status: row.status(5)?,
        status_reason: row.opt_text(6)?,
        created_at: row.text(7)?,
    })
}

pub(crate) const AUTHOR_COLUMNS: &str = "first_seen_at, restriction, restricted_until, \
     restricted_until_ms, restricted_by, restricted_at, restriction_reason";

/// A row of [`AUTHOR_COLUMNS`].
pub(crate) fn author_row(row: &impl Columns) -> Result<AuthorRow> {
    Ok(AuthorRow {
        first_seen_at: row.text(0)?,
        restriction: row.opt_text(1)?,
        until: row.opt_text(2)?,
        until_ms: row.opt_int(3)?,
        by: row.opt_text(4)?,
        at: row.opt_text(5)?,
        reason: row.opt_text(6)?,
    })
}

/// A row of `id, body, status, model_version`.
pub(crate) fn undecided_comment(row: &impl Columns) -> Result<Undecided> {
    Ok(Undecided {
        id: row.id(0)?,
        body: row.text(1)?,
        status: row.status(2)?,
        model_version: row.text(3)?,
    })
}

/// A row of `id, body, decision, reason, labels`.
pub(crate) fn decided_comment(row: &impl Columns) -> Result<DecidedComment> {
    Ok(DecidedComment {
        id: row.id(0)?,
        body: row.text(1)?,
        decision: row.decision(2)?,
        reason: row.opt_text(3)?,
        labels: row.json(4)?,
    })
}
