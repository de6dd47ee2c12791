//! What instances on one PostgreSQL database share besides the comments: the model in service
//! (a pointer the reloading instance writes and the others poll) and per-person rate
//! allowances (GCRA on the database clock). SQLite serves one instance, which keeps both in
//! memory, so these exist on PostgreSQL only.

use super::Result;
use deadpool_postgres::Pool;
use std::time::Duration;

/// The model the last reload on any instance put in service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    /// Moves with every reload, so a reload to a version already serving still counts.
    pub generation: i64,
    pub version: String,
    /// The path the reload named; None: each instance's configured model path.
    pub path: Option<String>,
}

pub(super) async fn publish_model(
    pool: Pool,
    version: String,
    path: Option<String>,
    by: String,
) -> Result<i64> {
    let client = pool.get().await?;
    let (now, _) = super::shared::now();
    let row = client
        .query_one(
            "INSERT INTO model_rollout (generation, version, path, reloaded_by, reloaded_at) \
             VALUES (1, $1, $2, $3, $4) \
             ON CONFLICT (one) DO UPDATE SET generation = model_rollout.generation + 1, \
             version = excluded.version, path = excluded.path, \
             reloaded_by = excluded.reloaded_by, reloaded_at = excluded.reloaded_at \
             RETURNING generation",
            &[&version, &path, &by, &now],
        )
        .await?;
    Ok(row.try_get(0)?)
}

pub(super) async fn rollout(pool: Pool) -> Result<Option<Rollout>> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached("SELECT generation, version, path FROM model_rollout")
        .await?;
    client
        .query_opt(&stmt, &[])
        .await?
        .map(|row| {
            Ok(Rollout {
                generation: row.try_get(0)?,
                version: row.try_get(1)?,
                path: row.try_get(2)?,
            })
        })
        .transpose()
}

/// Take one request from `key`'s allowance: one every `interval`, at most `burst` ahead
/// (GCRA). None when allowed; otherwise how long until the next request would be.
pub(super) async fn take_allowance(
    pool: Pool,
    key: String,
    interval: Duration,
    burst: Duration,
) -> Result<Option<Duration>> {
    let client = pool.get().await?;
    let interval_ms = i64::try_from(interval.as_millis())
        .unwrap_or(i64::MAX)
        .max(1);
    let burst_ms = i64::try_from(burst.as_millis()).unwrap_or(i64::MAX);
    // One statement, so concurrent requests for one key on several instances queue on its row
    // and each sees the arrival time the previous one left.
    let stmt = client
        .prepare_cached(
            "WITH now AS (SELECT (extract(epoch FROM statement_timestamp()) * 1000)::bigint AS ms) \
             INSERT INTO rate_allowances AS r (key, tat_ms) \
             SELECT $1, now.ms + $2 FROM now \
             ON CONFLICT (key) DO UPDATE \
             SET tat_ms = GREATEST(r.tat_ms, (SELECT ms FROM now)) + $2 \
             WHERE GREATEST(r.tat_ms, (SELECT ms FROM now)) + $2 - (SELECT ms FROM now) <= $3 \
             RETURNING tat_ms",
        )
        .await?;
    if client
        .query_opt(&stmt, &[&key, &interval_ms, &burst_ms])
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let stmt = client
        .prepare_cached(
            "SELECT tat_ms + $2 - $3 - (extract(epoch FROM statement_timestamp()) * 1000)::bigint \
             FROM rate_allowances WHERE key = $1",
        )
        .await?;
    let wait_ms: i64 = match client
        .query_opt(&stmt, &[&key, &interval_ms, &burst_ms])
        .await?
    {
        Some(row) => row.try_get(0)?,
        None => 0,
    };
    Ok(Some(Duration::from_millis(
        u64::try_from(wait_ms).unwrap_or(0),
    )))
}

/// Forget allowances that are whole again (an arrival time in the past is the same as none).
pub(super) async fn forget_spent_allowances(pool: Pool) -> Result<u64> {
    let client = pool.get().await?;
    Ok(client
        .execute(
            "DELETE FROM rate_allowances \
             WHERE tat_ms < (extract(epoch FROM statement_timestamp()) * 1000)::bigint",
            &[],
        )
        .await?)
}
