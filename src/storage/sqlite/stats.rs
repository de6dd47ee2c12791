//! SQLite: `GET /v1/moderation/stats`, from the queries in `shared::stats`.

use super::authors::restricted_authors;
use super::{all, first};
use crate::domain::CommentStatus;
use crate::storage::shared::now;
use crate::storage::shared::rows::Columns;
use crate::storage::shared::stats::{
    ANALYSES, BY_DECISION, BY_LABEL, BY_MODEL_VERSION, BY_RESOLUTION, BY_STATUS, OLDEST_HELD,
    REPORTED_COMMENTS, REVIEWED_BY_MODEL_VERSION, SUGGESTIONS, StatsRows,
};
use crate::storage::{Result, Stats, TrainingDataCounts};
use rusqlite::Connection;

pub(crate) fn stats(conn: &Connection) -> Result<Stats> {
    let by_status = all(conn, BY_STATUS, [], |r| Ok((r.status(0)?, r.count(1)?)))?;
    let by_label = counts_by_status(conn, BY_LABEL)?;
    let oldest_held_ms = first(conn, OLDEST_HELD, [], |r| r.int(0))?;
    let (_, now_ms) = now();
    let single = |sql: &str| first(conn, sql, [], |r| r.count(0)).map(Option::unwrap_or_default);
    let rows = StatsRows {
        by_status,
        by_label,
        oldest_held_ms,
        by_decision: all(conn, BY_DECISION, [], |r| Ok((r.text(0)?, r.count(1)?)))?,
        by_model_version: counts_by_status(conn, BY_MODEL_VERSION)?,
        reviewed: all(conn, REVIEWED_BY_MODEL_VERSION, [], |r| {
            Ok((r.text(0)?, r.count(1)?, r.count(2)?))
        })?,
        training_data: TrainingDataCounts {
            analyses: single(ANALYSES)?,
            suggestions: single(SUGGESTIONS)?,
        },
        reported_comments: single(REPORTED_COMMENTS)?,
        by_resolution: all(conn, BY_RESOLUTION, [], |r| {
            Ok((r.opt_text(0)?, r.count(1)?))
        })?,
        authors: restricted_authors(conn, now_ms)?,
        articles: super::premoderation::premoderation_counts(conn)?,
    };
    Ok(rows.into_stats(now_ms))
}

/// The rows of a `SELECT key, status, COUNT(*) … GROUP BY key, status` query.
fn counts_by_status(conn: &Connection, sql: &str) -> Result<Vec<(String, CommentStatus, u64)>> {
    all(conn, sql, [], |r| {
        Ok((r.text(0)?, r.status(1)?, r.count(2)?))
    })
}
