//! Reader reports as storage gives them: a comment's open reports at a glance, each report in
//! its detail, and what storing one did.

use crate::domain::{CommentStatus, ReportReason};
use serde::Serialize;

/// A comment's open reader reports at a glance, for a queue card.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportSummary {
    /// Open reports.
    pub count: u32,
    /// Distinct readers behind them; anonymous reports together count as one (see
    /// [`distinct_reporters`]). This is what the re-queue threshold compares.
    pub reporters: u32,
    /// Open reports per reason.
    pub reasons: std::collections::BTreeMap<ReportReason, u32>,
    /// The newest notes readers wrote, at most [`SUMMARY_NOTES`].
    pub notes: Vec<String>,
}

/// Reader notes a queue card carries; the comment's detail lists every report.
pub const SUMMARY_NOTES: usize = 3;

/// Readers behind a set of reports. Reports without a `reporter_id` cannot be told apart, so
/// together they count as one reader: otherwise one person could hide any comment by reporting
/// it anonymously a few times.
pub fn distinct_reporters<'a>(reporter_ids: impl IntoIterator<Item = Option<&'a str>>) -> u32 {
    let mut ids = std::collections::BTreeSet::new();
    let mut anonymous = false;
    for id in reporter_ids {
        match id {
            Some(id) => {
                ids.insert(id);
            }
            None => anonymous = true,
        }
    }
    ids.len() as u32 + u32::from(anonymous)
}

/// One reader report as a comment's detail lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRecord {
    pub id: i64,
    pub reason: ReportReason,
    pub reporter_id: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
    /// `upheld` (a moderator rejected the comment) or `dismissed` (approved); None while open.
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

/// What storing a report did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportOutcome {
    /// The stored report; for a duplicate, the reporter's open report on this comment.
    pub report_id: i64,
    pub reason: ReportReason,
    /// False when this reporter already had an open report on the comment: nothing stored.
    pub counted: bool,
    /// The comment's status after the report.
    pub status: CommentStatus,
    /// True when this report crossed the threshold and sent the comment back to the queue.
    pub requeued: bool,
    /// The comment's open reports after this one.
    pub open_reports: u32,
    pub reporters: u32,
}
