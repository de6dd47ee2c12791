//! SQLite: appending an entry about a comment to the audit log, and the audit log listing.

use super::page_rows;
use crate::storage::shared::audit::{AuditRow, log_filter};
use crate::storage::shared::page_of;
use crate::storage::shared::rows::{listed_audit_entry, listed_audit_select};
use crate::storage::{AuditEntry, Cursor, LogFilter, Page, Result};
use rusqlite::{Connection, params};

pub(super) fn append(conn: &Connection, row: &AuditRow<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, comment_id, before_status, after_status, \
         reason, note, override, resolved_reports) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        row.at,
        row.actor,
        row.action,
        row.comment_id,
        row.before.map(|s| s.as_str()),
        row.after.as_str(),
        row.reason,
        row.note,
        row.override_previous,
        row.resolved_reports,
    ])?;
    Ok(())
}

/// Newest entries first, each with its comment's article and the start of its text.
pub(crate) fn audit_log(conn: &Connection, f: &LogFilter) -> Result<Page<AuditEntry>> {
    let rows = page_rows(
        conn,
        log_filter(f),
        &listed_audit_select(),
        "a.id DESC",
        f.limit,
        |r| listed_audit_entry(r),
    )?;
    let (items, next_cursor) = page_of(rows, f.limit, |e| Cursor::Seq(e.id));
    Ok(Page { items, next_cursor })
}
