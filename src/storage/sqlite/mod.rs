//! SQLite backend: connection setup and the read pool here, the queries by area in the files
//! beside it. All statements take their values as parameters; the only SQL assembled at run
//! time is the fixed WHERE clauses of the queue and log filters. Writes run on the writer
//! thread only (`writer.rs`), reads on a pooled read connection.

mod audit;
mod authors;
mod comments;
mod learning;
mod moderation;
pub(super) mod premoderation;
mod queue;
mod reports;
mod stats;

pub(super) use audit::audit_log;
pub(super) use authors::{act_on_author, author_panel};
pub(super) use comments::{find_by_idempotency_key, get_detail, insert_comment, list_published};
pub(super) use learning::{
    apply_rescore, decided_comments, insert_training, suggested_labels, undecided,
};
pub(super) use moderation::decide;
pub(super) use queue::{queue, queue_updates, queue_version};
pub(super) use reports::insert_report;
pub(super) use stats::stats;

use super::shared::filter::{Arg, Filter};
use super::shared::rows::Columns;
use super::{Result, StorageError};
use parking_lot::Mutex;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, Row, params_from_iter};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Idle read connections kept open; more are opened under load and closed afterwards.
const MAX_IDLE_READERS: usize = 8;

pub(super) struct Sqlite {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    pub(super) writer: super::writer::Writer,
}

impl Sqlite {
    pub(super) fn open(path: &Path) -> Result<(Sqlite, Vec<String>)> {
        let (conn, applied) = open_migrated(path)?;
        let reader = open_reader(path)?;
        Ok((
            Sqlite {
                path: path.to_path_buf(),
                readers: Mutex::new(vec![reader]),
                writer: super::writer::Writer::start(conn)?,
            },
            applied,
        ))
    }

    /// Run `f` on a pooled read connection (call from a blocking thread).
    pub(super) fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = self.readers.lock().pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let out = f(&conn);
        let mut idle = self.readers.lock();
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        out
    }
}

/// The writing connection to a SQLite file (created with its directory when missing), with
/// every pending migration applied; returns it and the names of the migrations applied now.
pub(super) fn open_migrated(path: &Path) -> Result<(Connection, Vec<String>)> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            StorageError::Unavailable(format!("creating {}: {e}", dir.display()).into())
        })?;
    }
    let mut conn = Connection::open(path)?;
    // SQLite silently falls back to read-only for a write-protected file; serving from it
    // would accept no comment and never recover, so refuse to start instead.
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(StorageError::Unavailable(
            format!(
                "database file {} is read-only; make it writable by this process",
                path.display()
            )
            .into(),
        ));
    }
    configure(&conn)?;
    let applied = super::migrations::apply(&mut conn)?;
    Ok((conn, applied))
}

/// Durability and integrity settings for every connection. WAL lets readers run beside the
/// writer; synchronous=FULL fsyncs the WAL on every COMMIT, so an acknowledged comment survives
/// a crash or power loss (group commit in the writer keeps that affordable).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )
}

pub(super) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    // Readers never write: a bug that tries fails loudly instead of racing the writer.
    conn.execute_batch("PRAGMA query_only = ON;")?;
    Ok(conn)
}

pub(super) fn ping(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT 1 FROM schema_migrations LIMIT 1", [], |_| Ok(()))?;
    Ok(())
}

fn conversion_error(idx: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, message.into())
}

impl Columns for Row<'_> {
    fn text(&self, idx: usize) -> Result<String> {
        Ok(self.get(idx)?)
    }
    fn opt_text(&self, idx: usize) -> Result<Option<String>> {
        Ok(self.get(idx)?)
    }
    fn int(&self, idx: usize) -> Result<i64> {
        Ok(self.get(idx)?)
    }
    fn opt_int(&self, idx: usize) -> Result<Option<i64>> {
        Ok(self.get(idx)?)
    }
    fn real(&self, idx: usize) -> Result<f64> {
        Ok(self.get(idx)?)
    }
    fn flag(&self, idx: usize) -> Result<bool> {
        Ok(self.get(idx)?)
    }
    fn count(&self, idx: usize) -> Result<u64> {
        Ok(self.get::<_, i64>(idx)? as u64)
    }
    fn count_u32(&self, idx: usize) -> Result<u32> {
        Ok(self.get(idx)?)
    }
    fn int_flag(&self, idx: usize) -> Result<bool> {
        Ok(self.get(idx)?)
    }
    fn undecodable(&self, idx: usize, message: String) -> StorageError {
        conversion_error(idx, message).into()
    }
}

/// Every row of `sql`, each read by `map`.
fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    conn.prepare_cached(sql)?
        .query_and_then(params, map)?
        .collect()
}

/// The first row of `sql`, if there is one, read by `map`.
fn first<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    conn.prepare_cached(sql)?
        .query_and_then(params, map)?
        .next()
        .transpose()
}

/// `SELECT {select} WHERE {filter} ORDER BY {order}`, one row more than `limit` so `page_of`
/// can tell whether another page follows.
fn page_rows<T>(
    conn: &Connection,
    filter: Filter,
    select: &str,
    order: &str,
    limit: usize,
    row: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let conditions = filter.conditions("1 = 1");
    let mut values: Vec<Value> = filter
        .values
        .into_iter()
        .map(|v| match v {
            Arg::Text(t) => Value::Text(t),
            Arg::Int(n) => Value::Integer(n),
            Arg::Real(x) => Value::Real(x),
        })
        .collect();
    values.push(Value::Integer(limit as i64 + 1));
    let sql = format!("SELECT {select} WHERE {conditions} ORDER BY {order} LIMIT ?");
    conn.prepare_cached(&sql)?
        .query_and_then(params_from_iter(values), row)?
        .collect()
}
