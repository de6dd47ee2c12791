//! SQLite: moderation queue pages, and what a live queue polls for.

use super::comments::{attach_context, attach_reports};
use super::page_rows;
use crate::storage::shared::page_of;
use crate::storage::shared::queue::{QueueQuery, queue_cursor, since_filter};
use crate::storage::shared::rows::comment_row;
use crate::storage::{Cursor, Page, QueueFilter, QueueUpdates, QueueView, Result, StoredComment};
use rusqlite::Connection;

/// A queue page, each comment with its open reports, article and parent.
pub(crate) fn queue(conn: &Connection, f: &QueueFilter) -> Result<Page<StoredComment>> {
    queue_page(conn, f, true)
}

/// `with_context`: attach the article and parent. The live view only wants the ids.
fn queue_page(
    conn: &Connection,
    f: &QueueFilter,
    with_context: bool,
) -> Result<Page<StoredComment>> {
    let query = QueueQuery::new(f);
    let mut rows = page_rows(
        conn,
        query.filter,
        &query.select,
        &query.order,
        f.limit,
        |r| comment_row(r),
    )?;
    attach_reports(conn, &mut rows)?;
    if with_context {
        attach_context(conn, &mut rows)?;
    }
    let (rows, next_cursor) = page_of(rows, f.limit, |r| queue_cursor(f.order, query.reported, r));
    Ok(Page {
        items: rows.into_iter().map(|r| r.comment).collect(),
        next_cursor,
    })
}

pub(crate) fn queue_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?)
}

pub(crate) fn queue_updates(
    conn: &Connection,
    f: &QueueFilter,
    since: Option<i64>,
) -> Result<QueueUpdates> {
    // One read transaction: the version, the watermark and the new ids come from one snapshot,
    // so a comment committed between two of the reads cannot be counted under neither.
    let tx = conn.unchecked_transaction()?;
    let version = queue_version(&tx)?;
    let watermark_sql = match f.view {
        QueueView::Status(_) => "SELECT COALESCE(MAX(seq), 0) FROM comments",
        QueueView::Reported => "SELECT COALESCE(MAX(id), 0) FROM reports",
    };
    let watermark: i64 = tx
        .prepare_cached(watermark_sql)?
        .query_row([], |r| r.get(0))?;
    let held: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM comments WHERE status = 'held'")?
        .query_row([], |r| r.get(0))?;
    let reported: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM comments WHERE open_reports > 0")?
        .query_row([], |r| r.get(0))?;
    let (new_ids, more_new) = match since {
        Some(since) => {
            let page = queue_page(&tx, &since_filter(f, since), false)?;
            let more = page.next_cursor.is_some();
            (page.items.into_iter().map(|c| c.id).collect(), more)
        }
        None => (Vec::new(), false),
    };
    tx.finish()?;
    Ok(QueueUpdates {
        version,
        // One writer commits in id order: what is visible is settled.
        settled_version: Some(version),
        watermark: Cursor::Seq(watermark),
        held: held as u64,
        reported: reported as u64,
        new_ids,
        more_new,
    })
}
