//! The moderation queue: its views, orders and filter, keyset cursors, pages, and what a live
//! queue polls for.

use super::Result;
use crate::domain::{CommentId, CommentStatus, Label};
use serde::Serialize;

/// Where a page ends; handed to clients as an opaque string. Keyset pagination: the next page
/// starts strictly after this position, so inserts and deletes elsewhere do not shift it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cursor {
    /// Position in insertion order (oldest/newest first, published listing, audit log).
    Seq(i64),
    /// Position in severity order: max score, then insertion order.
    Score { score: f64, seq: i64 },
    /// Position in the reported queue's count order: open reports, then latest report id.
    Count { count: i64, seq: i64 },
}

#[derive(Debug, thiserror::Error)]
#[error("`cursor` is not a cursor this endpoint returned")]
pub struct InvalidCursor;

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Cursor::Seq(seq) => format!("q{seq}"),
            Cursor::Score { score, seq } => format!("s{:x}.{seq}", score.to_bits()),
            Cursor::Count { count, seq } => format!("c{count}.{seq}"),
        };
        hex::encode(raw)
    }

    pub fn decode(raw: &str) -> Result<Cursor, InvalidCursor> {
        let bytes = hex::decode(raw).map_err(|_| InvalidCursor)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| InvalidCursor)?;
        let parse_seq = |s: &str| s.parse::<i64>().map_err(|_| InvalidCursor);
        if let Some(seq) = text.strip_prefix('q') {
            return Ok(Cursor::Seq(parse_seq(seq)?));
        }
        if let Some(rest) = text.strip_prefix('c') {
            let (count, seq) = rest.split_once('.').ok_or(InvalidCursor)?;
            return Ok(Cursor::Count {
                count: parse_seq(count)?,
                seq: parse_seq(seq)?,
            });
        }
        if let Some(rest) = text.strip_prefix('s') {
            let (bits, seq) = rest.split_once('.').ok_or(InvalidCursor)?;
            let bits = u64::from_str_radix(bits, 16).map_err(|_| InvalidCursor)?;
            let score = f64::from_bits(bits);
            if !score.is_finite() {
                return Err(InvalidCursor);
            }
            return Ok(Cursor::Score {
                score,
                seq: parse_seq(seq)?,
            });
        }
        Err(InvalidCursor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOrder {
    /// Most severe first (largest score), ties oldest first.
    Score,
    /// Oldest first. In the reported queue: reported longest ago first (by latest report).
    Oldest,
    Newest,
    /// The reported queue only: most open reports first, ties reported longest ago first.
    Reports,
}

impl QueueOrder {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "score" => Some(Self::Score),
            "oldest" => Some(Self::Oldest),
            "newest" => Some(Self::Newest),
            "reports" => Some(Self::Reports),
            _ => None,
        }
    }
}

/// Which comments a queue lists: those with one status, or those with open reader reports
/// whatever their status (a published comment readers reported, below the threshold, is there
/// too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueView {
    Status(CommentStatus),
    Reported,
}

impl QueueView {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "reported" => Some(Self::Reported),
            other => CommentStatus::parse(other).map(Self::Status),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status(s) => s.as_str(),
            Self::Reported => "reported",
        }
    }
}

#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub view: QueueView,
    pub label: Option<Label>,
    pub article_id: Option<String>,
    pub order: QueueOrder,
    pub limit: usize,
    pub after: Option<Cursor>,
}

/// How far the audit log has come, for a live queue's ETag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueVersion {
    /// The last visible audit entry id.
    pub last: i64,
    /// An audit id every entry at or below which is visible or will never be: with several
    /// instances, entry ids are drawn before commit, so one committing late can land below
    /// `last`; it is always above the `settled` of any poll that could not see it, so the pair
    /// moves when it appears. Equal to `last` on SQLite (one writer commits in id order).
    /// None while a transaction held open on the server keeps it from being known: then no
    /// version can be trusted to be unchanged.
    pub settled: Option<i64>,
}

/// What a live queue polls for. `version` is cheap to read and moves with every stored change
/// (new comment, decision, rescore, report), so a poll that finds it unchanged costs one index
/// lookup.
#[derive(Debug, Clone)]
pub struct QueueUpdates {
    /// The audit log's last entry id: every change to a comment appends an entry.
    pub version: i64,
    /// See [`QueueVersion::settled`].
    pub settled_version: Option<i64>,
    /// The newest stored comment's position (in the reported view: the newest report's);
    /// comments after it are new to the caller.
    pub watermark: Cursor,
    /// Comments waiting in the held queue.
    pub held: u64,
    /// Comments with open reader reports.
    pub reported: u64,
    /// Comments in the filtered view stored (in the reported view: reported) after `since`,
    /// oldest first, at most `filter.limit`; `more_new` when there are more.
    pub new_ids: Vec<CommentId>,
    pub more_new: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Present when more items may follow; pass it back as `cursor`.
    pub next_cursor: Option<String>,
}
