//! SQLite: storing a reader report, which may send its comment back to the held queue.

use super::all;
use crate::domain::{NewReport, ReportReason};
use crate::storage::shared::now;
use crate::storage::shared::reports::{AfterReport, reader_actor, repeated_report, report_audit};
use crate::storage::shared::rows::{Columns, OpenReport, open_report};
use crate::storage::{ReportOutcome, Result, StorageError};
use rusqlite::{Connection, params};

/// A comment's open reports, newest first.
pub(super) fn read_open_reports(conn: &Connection, comment_id: &str) -> Result<Vec<OpenReport>> {
    all(
        conn,
        "SELECT reason, reporter_id, note FROM reports \
         WHERE comment_id = ?1 AND resolution IS NULL ORDER BY id DESC",
        params![comment_id],
        |r| open_report(r),
    )
}

/// Store a reader report and, when it is the one that crosses the threshold, send a published
/// comment no moderator has decided back to the held queue. A moderator's decision is never
/// undone by readers: reports on a decided comment are listed in the reported queue for a
/// moderator to look at again, but change nothing by themselves.
pub(crate) fn insert_report(
    conn: &Connection,
    report: &NewReport,
    threshold: u32,
) -> Result<ReportOutcome> {
    let key = report.comment_id.to_string();
    let row = conn
        .prepare_cached(
            "SELECT seq, status, \
             EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id) \
             FROM comments WHERE id = ?1",
        )?
        .query_and_then(params![key], |r| -> Result<_> {
            Ok((r.int(0)?, r.status(1)?, r.flag(2)?))
        })?
        .next()
        .transpose()?;
    let Some((seq, status, decided)) = row else {
        return Err(StorageError::NotFound(vec![report.comment_id]));
    };
    if let Some((report_id, reason)) = open_report_of_reporter(conn, report, &key)? {
        let open = read_open_reports(conn, &key)?;
        return Ok(repeated_report(report_id, reason, status, &open));
    }
    let (now, _) = now();
    let report_id = store_report(conn, report, &key, seq, &now)?;
    let actor = reader_actor(report);
    super::audit::append(conn, &report_audit(report, &actor, &key, status, &now))?;
    let after = AfterReport::new(&read_open_reports(conn, &key)?, status, decided, threshold);
    if after.requeued {
        conn.prepare_cached("UPDATE comments SET status = 'held', updated_at = ?1 WHERE seq = ?2")?
            .execute(params![now, seq])?;
        super::audit::append(conn, &after.requeue_audit(&key, status, &now))?;
    }
    Ok(after.outcome(report_id, report.reason, status))
}

/// The reporter's open report on the comment, when they have one: id and reason.
fn open_report_of_reporter(
    conn: &Connection,
    report: &NewReport,
    key: &str,
) -> Result<Option<(i64, ReportReason)>> {
    let Some(reporter) = &report.reporter_id else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT id, reason FROM reports \
         WHERE comment_id = ?1 AND reporter_id = ?2 AND resolution IS NULL",
    )?
    .query_and_then(params![key, reporter.as_str()], |r| -> Result<_> {
        Ok((r.int(0)?, r.report_reason(1)?))
    })?
    .next()
    .transpose()
}

/// The report's row, counted on its comment; returns the report's id.
fn store_report(
    conn: &Connection,
    report: &NewReport,
    key: &str,
    seq: i64,
    now: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO reports (comment_id, reason, reporter_id, note, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        key,
        report.reason.as_str(),
        report.reporter_id.as_ref().map(|id| id.as_str()),
        report.note.as_ref().map(|n| n.as_str()),
        now
    ])?;
    let report_id = conn.last_insert_rowid();
    conn.prepare_cached(
        "UPDATE comments SET open_reports = open_reports + 1, last_report_id = ?1 WHERE seq = ?2",
    )?
    .execute(params![report_id, seq])?;
    Ok(report_id)
}
