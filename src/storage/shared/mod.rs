//! What the SQLite and PostgreSQL backends have in common, written once: reading their rows
//! into the storage types ([`rows`]), and the rules each area applies between its queries (how
//! a new comment's status is settled, what a decision records, when reports send a comment
//! back, what an author action changes, how a queue is filtered and paged, how stats add up).
//! Nothing here runs a statement: each backend runs its own queries in its own transactions and
//! hands the values it read to these helpers.

pub(crate) mod audit;
pub(crate) mod authors;
pub(crate) mod comments;
pub(crate) mod filter;
pub(crate) mod moderation;
pub(crate) mod queue;
pub(crate) mod reports;
pub(crate) mod rows;
pub(crate) mod stats;

use super::{Cause, Cursor, Result, StorageError};

/// Current time as stored: RFC 3339 text for people, Unix milliseconds for arithmetic.
pub(crate) fn now() -> (String, i64) {
    let now = time::OffsetDateTime::now_utc();
    let text = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    (text, (now.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// Unix milliseconds as stored RFC 3339 text.
pub(crate) fn rfc3339_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Failed(Cause::new(e)))
}

/// `text` was cut at `max + 1` characters: one more means there was more.
pub(crate) fn excerpt(text: String, max: usize) -> String {
    if text.chars().count() > max {
        let mut cut: String = text.chars().take(max).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// Fetch `limit + 1` rows to learn whether another page exists without a COUNT.
pub(crate) fn page_of<T>(
    mut rows: Vec<T>,
    limit: usize,
    cursor_of: impl Fn(&T) -> Cursor,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|r| cursor_of(r).encode())
    } else {
        None
    };
    (rows, next)
}
