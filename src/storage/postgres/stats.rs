//! PostgreSQL: `GET /v1/moderation/stats`, from the queries in `shared::stats`, in one
//! snapshot.

use super::authors::restricted_authors;
use super::{all, first, one_row};
use crate::domain::CommentStatus;
use crate::storage::shared::now;
use crate::storage::shared::rows::Columns;
use crate::storage::shared::stats::{
    ANALYSES, BY_DECISION, BY_LABEL, BY_MODEL_VERSION, BY_RESOLUTION, BY_STATUS, OLDEST_HELD,
    REPORTED_COMMENTS, REVIEWED_BY_MODEL_VERSION, SUGGESTIONS, StatsRows,
};
use crate::storage::{Result, Stats, TrainingDataCounts};
use deadpool_postgres::{Pool, Transaction};

pub(crate) async fn stats(pool: Pool) -> Result<Stats> {
    read!(pool, true, |tx| stats_in(&tx).await)
}

async fn stats_in(tx: &Transaction<'_>) -> Result<Stats> {
    let by_status = all(tx, BY_STATUS, &[], |r| Ok((r.status(0)?, r.count(1)?))).await?;
    let by_label = counts_by_status(tx, BY_LABEL).await?;
    let oldest_held_ms = first(tx, OLDEST_HELD, &[], |r| r.int(0)).await?;
    let (_, now_ms) = now();
    let by_decision = all(tx, BY_DECISION, &[], |r| Ok((r.text(0)?, r.count(1)?))).await?;
    let by_model_version = counts_by_status(tx, BY_MODEL_VERSION).await?;
    let reviewed = all(tx, REVIEWED_BY_MODEL_VERSION, &[], |r| {
        Ok((r.text(0)?, r.count(1)?, r.count(2)?))
    })
    .await?;
    let single = |sql: &'static str| async move { one_row(tx, sql, &[]).await?.count(0) };
    let rows = StatsRows {
        by_status,
        by_label,
        oldest_held_ms,
        by_decision,
        by_model_version,
        reviewed,
        training_data: TrainingDataCounts {
            analyses: single(ANALYSES).await?,
            suggestions: single(SUGGESTIONS).await?,
        },
        reported_comments: single(REPORTED_COMMENTS).await?,
        by_resolution: all(tx, BY_RESOLUTION, &[], |r| {
            Ok((r.opt_text(0)?, r.count(1)?))
        })
        .await?,
        authors: restricted_authors(tx, now_ms).await?,
        articles: super::premoderation::premoderation_counts(tx).await?,
    };
    Ok(rows.into_stats(now_ms))
}

/// The rows of a `SELECT key, status, COUNT(*) … GROUP BY key, status` query.
async fn counts_by_status(
    tx: &Transaction<'_>,
    sql: &str,
) -> Result<Vec<(String, CommentStatus, u64)>> {
    all(tx, sql, &[], |r| {
        Ok((r.text(0)?, r.status(1)?, r.count(2)?))
    })
    .await
}
