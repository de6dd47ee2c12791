//! PostgreSQL: moderation queue pages, and what a live queue polls for. Several instances
//! draw comment, report and audit numbers concurrently, so a live queue's watermark waits for
//! the numbers drawn to settle (see [`settled_positions`]).

use super::comments::{attach_context, attach_reports};
use super::{one_row, page_rows, read_tx};
use crate::storage::shared::page_of;
use crate::storage::shared::queue::{QueueQuery, queue_cursor, since_filter};
use crate::storage::shared::rows::{Columns, comment_row};
use crate::storage::{
    Cursor, Page, QueueFilter, QueueUpdates, QueueVersion, QueueView, Result, StoredComment,
};
use deadpool_postgres::{Pool, Transaction};
use std::time::Duration;

pub(crate) async fn queue(pool: Pool, f: QueueFilter) -> Result<Page<StoredComment>> {
    read!(pool, false, |tx| queue_page(&tx, &f, true).await)
}

/// `with_context`: attach the article and parent. The live view only wants the ids.
async fn queue_page(
    tx: &Transaction<'_>,
    f: &QueueFilter,
    with_context: bool,
) -> Result<Page<StoredComment>> {
    let query = QueueQuery::new(f);
    let mut rows = page_rows(tx, query.filter, &query.select, &query.order, f.limit)
        .await?
        .iter()
        .map(comment_row)
        .collect::<Result<Vec<_>>>()?;
    attach_reports(tx, &mut rows).await?;
    if with_context {
        attach_context(tx, &mut rows).await?;
    }
    let (rows, next_cursor) = page_of(rows, f.limit, |r| queue_cursor(f.order, query.reported, r));
    Ok(Page {
        items: rows.into_iter().map(|r| r.comment).collect(),
        next_cursor,
    })
}

async fn queue_version_in(tx: &Transaction<'_>) -> Result<i64> {
    Ok(
        one_row(tx, "SELECT COALESCE(MAX(id), 0) FROM audit_log", &[])
            .await?
            .try_get(0)?,
    )
}

/// Positions in the three sequences a live queue follows.
struct Positions {
    comment: i64,
    report: i64,
    audit: i64,
}

/// How long a live-queue poll waits for the writes in flight when it asked to finish. Writes
/// here take milliseconds; only a transaction held open elsewhere on the server lasts longer.
const SETTLE_WAIT: Duration = Duration::from_secs(1);

/// Sequence positions at or below which every number drawn belongs to a transaction that has
/// finished, so a snapshot taken afterwards shows every row that will ever hold one of them.
///
/// Numbers are drawn before commit, so on several instances a row with a smaller number can
/// commit after one with a larger: a watermark at the largest visible number could skip it.
/// Every writer that draws a number has a transaction id by then (`insert_in` takes one
/// first; the others lock or update a row first), so it finished once the oldest running
/// transaction id (snapshot xmin) has passed the next id (xmax) as of the read. Runs outside
/// any snapshot of the caller's; `Err(positions)` when the wait ran out (a transaction held
/// open elsewhere on the server) and the positions may not be settled yet.
async fn settled_positions(
    client: &deadpool_postgres::Client,
) -> Result<std::result::Result<Positions, Positions>> {
    let row = client
        .query_one(
            "SELECT COALESCE(pg_sequence_last_value('comments_seq_seq'::regclass), 0), \
             COALESCE(pg_sequence_last_value('reports_id_seq'::regclass), 0), \
             COALESCE(pg_sequence_last_value('audit_log_id_seq'::regclass), 0)",
            &[],
        )
        .await?;
    let positions = Positions {
        comment: row.try_get(0)?,
        report: row.try_get(1)?,
        audit: row.try_get(2)?,
    };
    // A statement of its own, so its snapshot is taken after the positions were read.
    let snapshot = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, \
                    pg_snapshot_xmax(pg_current_snapshot())::text::bigint";
    let row = client.query_one(snapshot, &[]).await?;
    let (mut xmin, xmax): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    let started = std::time::Instant::now();
    while xmin < xmax {
        if started.elapsed() > SETTLE_WAIT {
            return Ok(Err(positions));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        xmin = client.query_one(snapshot, &[]).await?.try_get(0)?;
    }
    Ok(Ok(positions))
}

pub(crate) async fn queue_version(pool: Pool) -> Result<QueueVersion> {
    let mut client = pool.get().await?;
    let settled = settled_positions(&client).await?.ok().map(|p| p.audit);
    let tx = read_tx(&mut client, false).await?;
    let last = queue_version_in(&tx).await?;
    tx.commit().await?;
    Ok(QueueVersion { last, settled })
}

pub(crate) async fn queue_updates(
    pool: Pool,
    f: QueueFilter,
    since: Option<i64>,
) -> Result<QueueUpdates> {
    let mut client = pool.get().await?;
    let (positions, settled) = match settled_positions(&client).await? {
        Ok(p) => (p, true),
        Err(p) => (p, false),
    };
    let view_position = match f.view {
        QueueView::Status(_) => positions.comment,
        QueueView::Reported => positions.report,
    };
    let watermark = match (settled, since) {
        (true, _) => view_position,
        // Not moving the caller's watermark keeps it from skipping anything; a first poll
        // has none to keep.
        (false, Some(since)) => since,
        (false, None) => {
            tracing::warn!(
                "live queue: a transaction open over {SETTLE_WAIT:?} on the database server; \
                 a comment committing late may be listed only on the next full load"
            );
            view_position
        }
    };
    // Taken after the positions settled, so it shows every row numbered at or below them.
    let tx = read_tx(&mut client, true).await?;
    let mut out = queue_updates_in(&tx, &f, since).await?;
    tx.commit().await?;
    out.watermark = Cursor::Seq(watermark);
    out.settled_version = settled.then_some(positions.audit);
    Ok(out)
}

async fn queue_updates_in(
    tx: &Transaction<'_>,
    f: &QueueFilter,
    since: Option<i64>,
) -> Result<QueueUpdates> {
    let version = queue_version_in(tx).await?;
    let held = one_row(
        tx,
        "SELECT COUNT(*) FROM comments WHERE status = 'held'",
        &[],
    )
    .await?
    .count(0)?;
    let reported = one_row(
        tx,
        "SELECT COUNT(*) FROM comments WHERE open_reports > 0",
        &[],
    )
    .await?
    .count(0)?;
    let (new_ids, more_new) = match since {
        Some(since) => {
            let page = queue_page(tx, &since_filter(f, since), false).await?;
            let more = page.next_cursor.is_some();
            (page.items.into_iter().map(|c| c.id).collect(), more)
        }
        None => (Vec::new(), false),
    };
    Ok(QueueUpdates {
        version,
        settled_version: Some(version),
        watermark: Cursor::Seq(0),
        held,
        reported,
        new_ids,
        more_new,
    })
}
