//! PostgreSQL: storing a reader report, with its comment locked, so reports and decisions on
//! one comment take turns across instances and the counts and the re-queue happen once.

use super::moderation::lock_comments;
use super::{all, exec, first, one_row};
use crate::domain::{NewReport, ReportReason};
use crate::storage::shared::now;
use crate::storage::shared::reports::{AfterReport, reader_actor, repeated_report, report_audit};
use crate::storage::shared::rows::{Columns, OpenReport, open_report};
use crate::storage::{ReportOutcome, Result, StorageError};
use deadpool_postgres::{Pool, Transaction};

/// A comment's open reports, newest first.
pub(super) async fn read_open_reports(
    tx: &Transaction<'_>,
    comment_id: &str,
) -> Result<Vec<OpenReport>> {
    all(
        tx,
        "SELECT reason, reporter_id, note FROM reports \
         WHERE comment_id = $1 AND resolution IS NULL ORDER BY id DESC",
        &[&comment_id],
        open_report,
    )
    .await
}

pub(crate) async fn insert_report(
    pool: Pool,
    report: NewReport,
    threshold: u32,
) -> Result<ReportOutcome> {
    transaction!(pool, |tx| insert_report_in(&tx, &report, threshold).await)
}

/// As the SQLite backend's `insert_report`, with the comment locked first.
async fn insert_report_in(
    tx: &Transaction<'_>,
    report: &NewReport,
    threshold: u32,
) -> Result<ReportOutcome> {
    let key = report.comment_id.to_string();
    if lock_comments(tx, std::slice::from_ref(&key))
        .await?
        .is_empty()
    {
        return Err(StorageError::NotFound(vec![report.comment_id]));
    }
    let row = one_row(
        tx,
        "SELECT seq, status, \
         EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id) \
         FROM comments WHERE id = $1",
        &[&key],
    )
    .await?;
    let (seq, status, decided) = (row.int(0)?, row.status(1)?, row.flag(2)?);
    if let Some((report_id, reason)) = open_report_of_reporter(tx, report, &key).await? {
        let open = read_open_reports(tx, &key).await?;
        return Ok(repeated_report(report_id, reason, status, &open));
    }
    let (now, _) = now();
    let report_id = store_report(tx, report, &key, seq, &now).await?;
    let actor = reader_actor(report);
    super::audit::append(tx, &report_audit(report, &actor, &key, status, &now)).await?;
    let open = read_open_reports(tx, &key).await?;
    let after = AfterReport::new(&open, status, decided, threshold);
    if after.requeued {
        exec(
            tx,
            "UPDATE comments SET status = 'held', updated_at = $1 WHERE seq = $2",
            &[&now, &seq],
        )
        .await?;
        super::audit::append(tx, &after.requeue_audit(&key, status, &now)).await?;
    }
    Ok(after.outcome(report_id, report.reason, status))
}

/// The reporter's open report on the comment, when they have one: id and reason.
async fn open_report_of_reporter(
    tx: &Transaction<'_>,
    report: &NewReport,
    key: &str,
) -> Result<Option<(i64, ReportReason)>> {
    let Some(reporter) = &report.reporter_id else {
        return Ok(None);
    };
    first(
        tx,
        "SELECT id, reason FROM reports \
         WHERE comment_id = $1 AND reporter_id = $2 AND resolution IS NULL",
        &[&key, &reporter.as_str()],
        |r| Ok((r.int(0)?, r.report_reason(1)?)),
    )
    .await
}

/// The report's row, counted on its comment; returns the report's id.
async fn store_report(
    tx: &Transaction<'_>,
    report: &NewReport,
    key: &str,
    seq: i64,
    now: &str,
) -> Result<i64> {
    let report_id = one_row(
        tx,
        "INSERT INTO reports (comment_id, reason, reporter_id, note, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &[
            &key,
            &report.reason.as_str(),
            &report.reporter_id.as_ref().map(|id| id.as_str()),
            &report.note.as_ref().map(|n| n.as_str()),
            &now,
        ],
    )
    .await?
    .int(0)?;
    exec(
        tx,
        "UPDATE comments SET open_reports = open_reports + 1, last_report_id = $1 WHERE seq = $2",
        &[&report_id, &seq],
    )
    .await?;
    Ok(report_id)
}
