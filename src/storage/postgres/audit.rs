//! PostgreSQL: appending an entry about a comment to the audit log, and the audit log listing.

use super::{exec, page_rows};
use crate::storage::shared::audit::{AuditRow, log_filter};
use crate::storage::shared::page_of;
use crate::storage::shared::rows::{listed_audit_entry, listed_audit_select};
use crate::storage::{AuditEntry, Cursor, LogFilter, Page, Result};
use deadpool_postgres::{Pool, Transaction};

pub(super) async fn append(tx: &Transaction<'_>, row: &AuditRow<'_>) -> Result<()> {
    exec(
        tx,
        "INSERT INTO audit_log (at, actor, action, comment_id, before_status, after_status, \
         reason, note, override, resolved_reports) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &row.at,
            &row.actor,
            &row.action,
            &row.comment_id,
            &row.before.map(|s| s.as_str()),
            &row.after.as_str(),
            &row.reason,
            &row.note,
            &row.override_previous,
            &i64::from(row.resolved_reports),
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn audit_log(pool: Pool, f: LogFilter) -> Result<Page<AuditEntry>> {
    read!(pool, false, |tx| audit_log_in(&tx, &f).await)
}

/// Newest entries first, each with its comment's article and the start of its text.
async fn audit_log_in(tx: &Transaction<'_>, f: &LogFilter) -> Result<Page<AuditEntry>> {
    let rows = page_rows(
        tx,
        log_filter(f),
        &listed_audit_select(),
        "a.id DESC",
        f.limit,
    )
    .await?
    .iter()
    .map(listed_audit_entry)
    .collect::<Result<Vec<_>>>()?;
    let (items, next_cursor) = page_of(rows, f.limit, |e| Cursor::Seq(e.id));
    Ok(Page { items, next_cursor })
}
