//! PostgreSQL backend: the pool and the error classification here, the migrations under an
//! advisory lock in `migrations.rs`, and the queries by area in the files beside it, with the
//! same behaviour as the SQLite backend (the storage tests run one body against both).
//!
//! Several instances share one database, so what SQLite gets from its single writer thread
//! comes from the database here: each write is one transaction on a pooled connection; the
//! comment rows a decision, report or rescore changes are locked (`FOR UPDATE`, in id order so
//! two bulk decisions cannot deadlock) before they are read, and the Idempotency-Key's unique
//! constraint decides which of two concurrent posts creates the comment. Reads that must agree
//! with each other run in one REPEATABLE READ snapshot.
//!
//! The pool and its connections live on a small runtime of their own, so a connection does not
//! depend on whichever actix worker (each has its own runtime) happened to open it.

/// Run `$body` in a read-only transaction (`$snapshot`: one REPEATABLE READ snapshot).
macro_rules! read {
    ($pool:expr, $snapshot:expr, |$tx:ident| $body:expr) => {{
        let mut client = $pool.get().await?;
        let $tx = $crate::storage::postgres::read_tx(&mut client, $snapshot).await?;
        let out = $body;
        $tx.commit().await?;
        out
    }};
}

/// Run `$body` in one read-write transaction, committed when it succeeds; an error drops the
/// transaction, which rolls it back.
macro_rules! transaction {
    ($pool:expr, |$tx:ident| $body:expr) => {{
        let mut client = $pool.get().await?;
        let $tx = client.transaction().await?;
        let out = $body?;
        $tx.commit().await?;
        Ok(out)
    }};
}

mod audit;
mod authors;
mod comments;
mod learning;
mod migrations;
mod moderation;
mod premoderation;
mod queue;
mod reports;
mod stats;

pub(super) use audit::audit_log;
pub(super) use authors::{act_on_author, author_panel};
pub(super) use comments::{find_by_idempotency_key, get_detail, insert_comment, list_published};
pub(super) use learning::{
    apply_rescore, decided_comments, insert_training, suggested_labels, undecided,
};
pub use migrations::PG_MIGRATIONS;
pub(super) use migrations::migrate;
pub(super) use moderation::decide;
pub(super) use premoderation::{article_premoderation, premoderated_articles, set_premoderation};
pub(super) use queue::{queue, queue_updates, queue_version};
pub(super) use reports::insert_report;
pub(super) use stats::stats;

use super::shared::filter::{Arg, Filter};
use super::shared::rows::Columns;
use super::{Cause, PoolSettings, Result, StorageError};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Timeouts, Transaction};
use std::future::Future;
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, NoTls, Row};

/// Set on every connection unless the URL sets its own: a statement stuck behind a lock or a
/// failing disk ends as an error (503) instead of a hang.
const STATEMENT_TIMEOUT: &str = "-c statement_timeout=10000 -c lock_timeout=5000";

pub(super) struct Postgres {
    pool: Pool,
    /// Some until drop; `shutdown_background` there, because dropping a runtime inside another
    /// runtime (a test, an actix worker) would panic.
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.pool.close();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl From<tokio_postgres::Error> for StorageError {
    fn from(err: tokio_postgres::Error) -> Self {
        if pg_is_temporary(&err) {
            StorageError::Unavailable(Cause::new(err))
        } else {
            StorageError::Failed(Cause::new(err))
        }
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError;
        match err {
            PoolError::Backend(e) => e.into(),
            // Waiting or connecting timed out, or the pool is closing: the database may be
            // back in a moment. A pool that cannot time out (no runtime) is a build bug.
            PoolError::Timeout(_) | PoolError::Closed => StorageError::Unavailable(Cause::new(err)),
            _ => StorageError::Failed(Cause::new(err)),
        }
    }
}

/// Errors that describe the database's surroundings rather than the statement: a lost or
/// refused connection, a server shutting down or out of resources, a timeout, and the
/// serialization failures and deadlocks that concurrent instances can cause. The same write
/// can succeed later. Everything else (constraint violations, SQL errors, values that do not
/// decode) is a bug or damaged data.
fn pg_is_temporary(err: &tokio_postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    match err.code() {
        Some(code) => {
            let class = &code.code()[..2];
            // 08 connection exception, 53 insufficient resources, 57 operator intervention
            // (admin shutdown, query cancelled by statement_timeout), 58 system error (I/O).
            matches!(class, "08" | "53" | "57" | "58")
                || *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
                || *code == SqlState::LOCK_NOT_AVAILABLE
        }
        // No SQLSTATE: the statement never reached the server or its answer never came back.
        // A lost or refused connection carries the I/O error; a connect timeout carries
        // nothing, and the crate exposes its kind only through the message. A value that does
        // not decode (no I/O underneath) is a bug, not an outage.
        None => has_io_source(err) || err.to_string() == "timeout waiting for server",
    }
}

fn has_io_source(err: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

fn failed(message: String) -> StorageError {
    StorageError::Failed(message.into())
}

impl Postgres {
    /// Connect, apply pending migrations under the advisory lock, and keep a pool.
    pub(super) fn open(url: &str, settings: PoolSettings) -> Result<(Postgres, Vec<String>)> {
        let mut config = client_config(url, settings.connect_timeout)?;
        if config.get_options().is_none() {
            config.options(STATEMENT_TIMEOUT);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("talkback-pg")
            .enable_all()
            .build()
            .map_err(|e| {
                StorageError::Unavailable(format!("starting PostgreSQL runtime: {e}").into())
            })?;
        let pool = build_pool(config, settings)?;
        let handle = runtime.handle().clone();
        let migrate_pool = pool.clone();
        // Waits on a channel, not with `block_on`, so opening works from inside a runtime too.
        let (tx, rx) = std::sync::mpsc::channel();
        handle.spawn(async move {
            let applied = match migrate_pool.get().await {
                Ok(mut client) => migrate(&mut client).await,
                Err(e) => Err(e.into()),
            };
            let _ = tx.send(applied);
        });
        let applied = rx
            .recv()
            .map_err(|_| StorageError::Unavailable("PostgreSQL runtime stopped".into()))??;
        Ok((
            Postgres {
                pool,
                runtime: Some(runtime),
                handle,
            },
            applied,
        ))
    }

    /// Run a storage operation on this backend's runtime.
    pub(super) async fn run<T, F, Fut>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Pool) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let fut = op(self.pool.clone());
        // Keeps the caller's span (the request and its id) on log lines from this runtime.
        let span = tracing::Span::current();
        self.handle
            .spawn(tracing::Instrument::instrument(fut, span))
            .await
            .map_err(StorageError::from_join)?
    }

    pub(super) fn shutdown(&self) {
        self.pool.close();
    }
}

fn build_pool(config: tokio_postgres::Config, settings: PoolSettings) -> Result<Pool> {
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(settings.size)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .timeouts(Timeouts {
            wait: Some(settings.wait),
            create: Some(settings.connect_timeout),
            recycle: Some(settings.connect_timeout),
        })
        .build()
        .map_err(|e| failed(format!("building the PostgreSQL pool: {e}")))
}

/// `url` parsed, with `connect_timeout` unless the URL sets its own.
pub(super) fn client_config(
    url: &str,
    connect_timeout: Duration,
) -> Result<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| failed(format!("invalid PostgreSQL URL: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(connect_timeout);
    }
    config.application_name("talkback");
    Ok(config)
}

pub(super) type Param = Box<dyn ToSql + Sync + Send>;

pub(super) async fn rows(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query(&stmt, params).await?)
}

pub(super) async fn opt_row(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&stmt, params).await?)
}

pub(super) async fn one_row(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Row> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_one(&stmt, params).await?)
}

pub(super) async fn exec(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&stmt, params).await?)
}

/// Every row of `sql`, each read by `map`.
async fn all<T>(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    map: impl FnMut(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    rows(tx, sql, params).await?.iter().map(map).collect()
}

/// The row of `sql`, if there is one, read by `map`.
async fn first<T>(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    map: impl FnOnce(&Row) -> Result<T>,
) -> Result<Option<T>> {
    opt_row(tx, sql, params)
        .await?
        .as_ref()
        .map(map)
        .transpose()
}

/// A read-only transaction; `snapshot`: REPEATABLE READ, so every read in it sees one state.
pub(super) async fn read_tx(
    client: &mut deadpool_postgres::Client,
    snapshot: bool,
) -> Result<Transaction<'_>> {
    let level = if snapshot {
        IsolationLevel::RepeatableRead
    } else {
        IsolationLevel::ReadCommitted
    };
    Ok(client
        .build_transaction()
        .read_only(true)
        .isolation_level(level)
        .start()
        .await?)
}

impl Columns for Row {
    fn text(&self, idx: usize) -> Result<String> {
        Ok(self.try_get(idx)?)
    }
    fn opt_text(&self, idx: usize) -> Result<Option<String>> {
        Ok(self.try_get(idx)?)
    }
    fn int(&self, idx: usize) -> Result<i64> {
        Ok(self.try_get(idx)?)
    }
    fn opt_int(&self, idx: usize) -> Result<Option<i64>> {
        Ok(self.try_get(idx)?)
    }
    fn real(&self, idx: usize) -> Result<f64> {
        Ok(self.try_get(idx)?)
    }
    fn flag(&self, idx: usize) -> Result<bool> {
        Ok(self.try_get(idx)?)
    }
    /// PostgreSQL returns counts as BIGINT; a negative one is damaged data.
    fn count(&self, idx: usize) -> Result<u64> {
        let n: i64 = self.try_get(idx)?;
        u64::try_from(n).map_err(|_| failed(format!("negative count {n}")))
    }
    fn count_u32(&self, idx: usize) -> Result<u32> {
        Ok(u32::try_from(self.try_get::<_, i64>(idx)?).unwrap_or(u32::MAX))
    }
    fn int_flag(&self, idx: usize) -> Result<bool> {
        Ok(self.try_get::<_, i32>(idx)? == 1)
    }
    fn undecodable(&self, idx: usize, message: String) -> StorageError {
        failed(format!("column {idx}: {message}"))
    }
}

/// `SELECT {select} WHERE {filter} ORDER BY {order} LIMIT limit + 1`, each `?` of the filter
/// numbered as the `$n` of its value.
async fn page_rows(
    tx: &Transaction<'_>,
    filter: Filter,
    select: &str,
    order: &str,
    limit: usize,
) -> Result<Vec<Row>> {
    let mut conditions = String::new();
    let mut n = 0;
    for ch in filter.conditions("TRUE").chars() {
        if ch == '?' {
            n += 1;
            conditions.push_str(&format!("${n}"));
        } else {
            conditions.push(ch);
        }
    }
    let mut values: Vec<Param> = filter
        .values
        .into_iter()
        .map(|v| -> Param {
            match v {
                Arg::Text(t) => Box::new(t),
                Arg::Int(n) => Box::new(n),
                Arg::Real(x) => Box::new(x),
            }
        })
        .collect();
    values.push(Box::new(limit as i64 + 1));
    let sql = format!(
        "SELECT {select} WHERE {conditions} ORDER BY {order} LIMIT ${}",
        values.len()
    );
    let params: Vec<&(dyn ToSql + Sync)> = values
        .iter()
        .map(|v| v.as_ref() as &(dyn ToSql + Sync))
        .collect();
    rows(tx, &sql, &params).await
}

pub(super) async fn ping(pool: Pool) -> Result<()> {
    read!(pool, false, |tx| {
        opt_row(&tx, "SELECT 1 FROM schema_migrations LIMIT 1", &[])
            .await
            .map(|_| ())
    })
}
