//! A moderation queue page as both backends read it: which table and columns a view is read
//! from, its conditions and order, and where the next page starts.

use super::filter::{Arg, Filter};
use super::rows::{COMMENT_COLUMNS, CommentRow};
use crate::storage::{Cursor, QueueFilter, QueueOrder, QueueView};

/// The query of one queue page: `SELECT {select} WHERE {filter} ORDER BY {order}`.
pub(crate) struct QueueQuery {
    pub(crate) select: String,
    pub(crate) filter: Filter,
    pub(crate) order: String,
    /// The reported view: its positions are those of the latest report.
    pub(crate) reported: bool,
}

impl QueueQuery {
    pub(crate) fn new(f: &QueueFilter) -> QueueQuery {
        let status = match f.view {
            QueueView::Status(status) => Some(status),
            QueueView::Reported => None,
        };
        // With a label (and no article, whose own index is narrower) a status view is read from
        // the label rows' copy of status, severity and seq, in index order; otherwise from
        // comments.
        let by_label = f
            .label
            .filter(|_| f.article_id.is_none() && status.is_some());
        let (from, status_column, score, seq) = if by_label.is_some() {
            (
                "comment_labels JOIN comments ON seq = comment_seq",
                "comment_status",
                "comment_score",
                "comment_seq",
            )
        } else {
            ("comments", "status", "max_score", "seq")
        };
        // The reported queue's time is when a comment was last reported, not when it was
        // posted: an old comment reported now is new to that queue (and to its live view's
        // watermark).
        let time = if status.is_some() {
            seq
        } else {
            "last_report_id"
        };
        let mut filter = Filter::default();
        match status {
            Some(status) => filter.and(
                format!("{status_column} = ?"),
                [Arg::Text(status.as_str().into())],
            ),
            // Spelled as in migration 0007's partial indexes, so SQLite reads only reported rows.
            None => filter.and("open_reports > 0", []),
        }
        match (by_label, f.label) {
            (Some(label), _) => filter.and("label = ?", [Arg::Text(label.as_str().into())]),
            (None, Some(label)) => filter.and(
                "seq IN (SELECT comment_seq FROM comment_labels WHERE label = ?)",
                [Arg::Text(label.as_str().into())],
            ),
            (None, None) => {}
        }
        if let Some(article) = &f.article_id {
            filter.and("article_id = ?", [Arg::Text(article.clone())]);
        }
        after_cursor(&mut filter, f, time, score, seq);
        let order = match f.order {
            QueueOrder::Oldest => format!("{time} ASC"),
            QueueOrder::Newest => format!("{time} DESC"),
            QueueOrder::Score => format!("{score} DESC, {seq} ASC"),
            QueueOrder::Reports => "open_reports DESC, last_report_id ASC".to_string(),
        };
        QueueQuery {
            select: format!("{COMMENT_COLUMNS} FROM {from}"),
            filter,
            order,
            reported: status.is_none(),
        }
    }
}

/// The condition that starts the page after `f.after`, in `f.order`.
fn after_cursor(filter: &mut Filter, f: &QueueFilter, time: &str, score: &str, seq: &str) {
    match (f.order, f.after) {
        (QueueOrder::Oldest, Some(Cursor::Seq(after))) => {
            filter.and(format!("{time} > ?"), [Arg::Int(after)]);
        }
        (QueueOrder::Newest, Some(Cursor::Seq(before))) => {
            filter.and(format!("{time} < ?"), [Arg::Int(before)]);
        }
        (QueueOrder::Score, Some(Cursor::Score { score: s, seq: q })) => {
            filter.and(
                format!("({score} < ? OR ({score} = ? AND {seq} > ?))"),
                [Arg::Real(s), Arg::Real(s), Arg::Int(q)],
            );
        }
        (QueueOrder::Reports, Some(Cursor::Count { count, seq: after })) => {
            filter.and(
                "(open_reports < ? OR (open_reports = ? AND last_report_id > ?))",
                [Arg::Int(count), Arg::Int(count), Arg::Int(after)],
            );
        }
        (_, None) => {}
        // The handler checks that the cursor matches the order; a mismatch reads from the start.
        _ => {}
    }
}

/// Where a queue page that ends at `r` continues.
pub(crate) fn queue_cursor(order: QueueOrder, reported: bool, r: &CommentRow) -> Cursor {
    match order {
        QueueOrder::Score => Cursor::Score {
            score: r.max_score,
            seq: r.seq,
        },
        QueueOrder::Reports => Cursor::Count {
            count: r.open_reports,
            seq: r.last_report_id.unwrap_or(0),
        },
        _ if reported => Cursor::Seq(r.last_report_id.unwrap_or(0)),
        _ => Cursor::Seq(r.seq),
    }
}

/// The filter of a live queue's poll for comments stored after `since`: the same view, oldest
/// first from there.
pub(crate) fn since_filter(f: &QueueFilter, since: i64) -> QueueFilter {
    QueueFilter {
        order: QueueOrder::Oldest,
        after: Some(Cursor::Seq(since)),
        ..f.clone()
    }
}
