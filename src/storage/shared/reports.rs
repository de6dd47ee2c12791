//! Reader reports, the same on both backends: a comment's open reports at a glance, the
//! audit entries a report writes, and when a report sends a comment back to the queue.

use super::audit::AuditRow;
use super::rows::OpenReport;
use crate::domain::{CommentStatus, NewReport, ReportReason};
use crate::storage::{ReportOutcome, ReportSummary, SUMMARY_NOTES, distinct_reporters};

pub(crate) fn summary(open: &[OpenReport]) -> ReportSummary {
    let mut s = ReportSummary {
        count: open.len() as u32,
        reporters: distinct_reporters(open.iter().map(|o| o.reporter_id.as_deref())),
        ..ReportSummary::default()
    };
    for o in open {
        *s.reasons.entry(o.reason).or_default() += 1;
    }
    s.notes = open
        .iter()
        .filter_map(|o| o.note.clone())
        .take(SUMMARY_NOTES)
        .collect();
    s
}

/// Readers are named by the platform's id, set apart from moderator names.
pub(crate) fn reader_actor(report: &NewReport) -> String {
    report
        .reporter_id
        .as_ref()
        .map_or_else(|| "reader".to_string(), |id| format!("reader:{id}"))
}

/// The audit entry of `report` on comment `key` (status `status`), by `actor`.
pub(crate) fn report_audit<'a>(
    report: &'a NewReport,
    actor: &'a str,
    key: &'a str,
    status: CommentStatus,
    now: &'a str,
) -> AuditRow<'a> {
    AuditRow::automatic(now, actor, "report", key, (Some(status), status))
        .reason(Some(report.reason.as_str()))
        .note(report.note.as_ref().map(|n| n.as_str()))
}

/// What a stored report did to its comment, given the comment's open reports after it.
pub(crate) struct AfterReport {
    pub(crate) open_reports: u32,
    pub(crate) reporters: u32,
    /// The report crossed the threshold: a published comment no moderator has decided goes
    /// back to the held queue. A moderator's decision is never undone by readers.
    pub(crate) requeued: bool,
    /// The audit note of the re-queue.
    pub(crate) why: String,
}

impl AfterReport {
    pub(crate) fn new(
        open: &[OpenReport],
        status: CommentStatus,
        decided: bool,
        threshold: u32,
    ) -> AfterReport {
        let summary = summary(open);
        let reasons: Vec<String> = summary
            .reasons
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        AfterReport {
            open_reports: summary.count,
            reporters: summary.reporters,
            requeued: status == CommentStatus::Published
                && !decided
                && summary.reporters >= threshold,
            why: format!(
                "{} readers reported it ({})",
                summary.reporters,
                reasons.join(", ")
            ),
        }
    }

    /// The audit entry of the re-queue of comment `key`.
    pub(crate) fn requeue_audit<'a>(
        &'a self,
        key: &'a str,
        status: CommentStatus,
        now: &'a str,
    ) -> AuditRow<'a> {
        AuditRow::automatic(
            now,
            "system",
            "auto_requeued",
            key,
            (Some(status), CommentStatus::Held),
        )
        .note(Some(&self.why))
    }

    /// The answer to the report stored as `report_id`.
    pub(crate) fn outcome(
        &self,
        report_id: i64,
        reason: ReportReason,
        status: CommentStatus,
    ) -> ReportOutcome {
        ReportOutcome {
            report_id,
            reason,
            counted: true,
            status: if self.requeued {
                CommentStatus::Held
            } else {
                status
            },
            requeued: self.requeued,
            open_reports: self.open_reports,
            reporters: self.reporters,
        }
    }
}

/// The answer to a reporter's second open report on a comment: their first one, nothing
/// stored.
pub(crate) fn repeated_report(
    report_id: i64,
    reason: ReportReason,
    status: CommentStatus,
    open: &[OpenReport],
) -> ReportOutcome {
    ReportOutcome {
        report_id,
        reason,
        counted: false,
        status,
        requeued: false,
        open_reports: open.len() as u32,
        reporters: distinct_reporters(open.iter().map(|o| o.reporter_id.as_deref())),
    }
}
