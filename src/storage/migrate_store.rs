//! `talkback migrate-store`: copy a newsroom's data from one database to another (SQLite to
//! PostgreSQL when moving to several instances, or back), ids kept, so cursors, the live
//! queue's watermarks and every reference between rows stay valid.
//!
//! The target gets its own migrations first, then every table below in one transaction: a
//! failure anywhere, or a count that does not match, commits nothing. The source is read in one
//! snapshot, so a service still writing to it cannot make the copy inconsistent (but what it
//! writes afterwards is not copied: stop it first). Rows travel in batches of [`BATCH_ROWS`],
//! so memory stays flat however large the database.
//!
//! Call from a thread that is not running an async runtime (the command line): PostgreSQL
//! work runs on a small runtime of this module's own.

use super::{Location, MIGRATIONS, PG_MIGRATIONS, StorageError, postgres, sqlite};
use rusqlite::types::Value;
use std::fmt;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row};

/// Rows read and written at a time.
const BATCH_ROWS: usize = 1000;

/// A table that holds the newsroom's data.
struct Table {
    name: &'static str,
    /// Primary key order. Comments go in `seq` order, so a reply's parent is always there
    /// before the reply that refers to it.
    order_by: &'static str,
    /// The column a sequence numbers, which must carry on after the copied ids.
    identity: Option<&'static str>,
}

/// Everything copied, in an order that satisfies the foreign keys (what a row refers to is
/// copied before it).
const COPIED: &[Table] = &[
    Table {
        name: "articles",
        order_by: "article_id",
        identity: None,
    },
    Table {
        name: "authors",
        order_by: "author_id",
        identity: None,
    },
    Table {
        name: "article_premoderation",
        order_by: "article_id",
        identity: None,
    },
    Table {
        name: "comments",
        order_by: "seq",
        identity: Some("seq"),
    },
    Table {
        name: "comment_labels",
        order_by: "comment_seq, label",
        identity: None,
    },
    Table {
        name: "decisions",
        order_by: "id",
        identity: Some("id"),
    },
    Table {
        name: "reports",
        order_by: "id",
        identity: Some("id"),
    },
    Table {
        name: "audit_log",
        order_by: "id",
        identity: Some("id"),
    },
    Table {
        name: "analyzed_texts",
        order_by: "id",
        identity: Some("id"),
    },
    Table {
        name: "suggested_scores",
        order_by: "id",
        identity: Some("id"),
    },
];

/// Tables left out on purpose. Any other table found on either side stops the copy before it
/// starts, so a table added by a later migration cannot be left behind unnoticed.
const NOT_COPIED: &[&str] = &[
    // Each backend's record of its own migrations; the target's ran before the copy.
    "schema_migrations",
    // PostgreSQL only: the model the last reload put in service, by a path on the old
    // deployment's storage. Without a row every instance serves its configured model, which is
    // where a moved newsroom starts; its first reload writes the row again.
    "model_rollout",
    // PostgreSQL only: per-person posting allowances, minutes of state that a crash empties as
    // well (the table is UNLOGGED); losing it forgives at most one window of posts.
    "rate_allowances",
];

/// Which end of the copy an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Target,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Source => "source",
            Side::Target => "target",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("--from and --to name the same database ({0})")]
    SameDatabase(String),
    #[error("the source {0} does not exist")]
    SourceMissing(String),
    #[error("the source {0} is not a talkback database (it has no schema_migrations table)")]
    NotTalkback(String),
    #[error(
        "the source {location} is at schema version {found}, this talkback's is {expected}: \
         run this version's `talkback serve` on it once (it migrates the database at start), \
         stop it, then copy"
    )]
    SourceSchema {
        location: String,
        found: i64,
        expected: i64,
    },
    #[error("the {side} {location} has a table `{table}` that migrate-store does not know")]
    UnknownTable {
        side: Side,
        location: String,
        table: String,
    },
    #[error("table {table}: column `{column}` exists in the {side} only; the schemas differ")]
    ColumnMismatch {
        table: &'static str,
        column: String,
        side: Side,
    },
    #[error(
        "the target {location} is not empty: table {table} has {rows} rows. Pass \
         --into-non-empty to add the copy to it anyway (ids are kept, so a row whose id is \
         already there fails the whole copy)"
    )]
    TargetNotEmpty {
        location: String,
        table: &'static str,
        rows: u64,
    },
    #[error(
        "table {table}: the source has {source_rows} rows, {copied} were copied, and the \
         target has {target_rows} where {expected} were expected; nothing was committed"
    )]
    CountMismatch {
        table: &'static str,
        source_rows: u64,
        copied: u64,
        target_rows: u64,
        expected: u64,
    },
    #[error("{side} {location}")]
    Storage {
        side: Side,
        location: String,
        #[source]
        source: StorageError,
    },
}

/// What happened to one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    /// Rows in the source's snapshot.
    pub source_rows: u64,
    /// Rows read from the source and written to the target.
    pub copied: u64,
    /// Rows the target had before (0 unless told to copy into a non-empty target).
    pub target_before: u64,
    /// Rows in the target after the copy, counted inside its transaction.
    pub target_rows: u64,
}

impl TableCopy {
    /// The target's rows once every source row is in.
    fn expected(&self) -> u64 {
        self.target_before + self.source_rows
    }

    fn check(&self) -> Result<(), MigrateError> {
        if self.copied == self.source_rows && self.target_rows == self.expected() {
            return Ok(());
        }
        Err(MigrateError::CountMismatch {
            table: self.table,
            source_rows: self.source_rows,
            copied: self.copied,
            target_rows: self.target_rows,
            expected: self.expected(),
        })
    }
}

/// A finished copy.
#[derive(Debug, Clone)]
pub struct Migration {
    /// Migrations applied to the target before the copy.
    pub applied: Vec<String>,
    pub tables: Vec<TableCopy>,
}

/// Copy every table of `from` into `to` (see the module documentation). `progress` hears of
/// each table once it is copied and counted, before the final commit.
pub fn migrate_store(
    from: &Location,
    to: &Location,
    into_non_empty: bool,
    mut progress: impl FnMut(&TableCopy),
) -> Result<Migration, MigrateError> {
    if same_file_or_url(from, to) {
        return Err(MigrateError::SameDatabase(to.to_string()));
    }
    let mut source = Db::open_source(from)?;
    let (mut target, applied) = Db::open_target(to)?;
    if source.identity()? == target.identity()? {
        return Err(MigrateError::SameDatabase(to.to_string()));
    }
    source.only_known_tables()?;
    target.only_known_tables()?;

    let mut before = Vec::with_capacity(COPIED.len());
    for table in COPIED {
        let rows = target.count(table.name)?;
        if rows > 0 && !into_non_empty {
            return Err(MigrateError::TargetNotEmpty {
                location: target.location.clone(),
                table: table.name,
                rows,
            });
        }
        before.push(rows);
    }

    let mut tables = Vec::with_capacity(COPIED.len());
    for (table, target_before) in COPIED.iter().zip(before) {
        let columns = same_columns(
            table.name,
            source.columns(table.name)?,
            target.columns(table.name)?,
        )?;
        let source_rows = source.count(table.name)?;
        let insert = target.insert_for(table.name, &columns)?;
        let mut copied = 0;
        source.read(table, &columns, &mut |rows| {
            copied += rows.len() as u64;
            target.write(&insert, rows)
        })?;
        if let Some(column) = table.identity {
            target.continue_after_copied(table.name, column)?;
        }
        let copy = TableCopy {
            table: table.name,
            source_rows,
            copied,
            target_before,
            target_rows: target.count(table.name)?,
        };
        copy.check()?;
        progress(&copy);
        tables.push(copy);
    }
    target.commit()?;
    Ok(Migration { applied, tables })
}

/// The same SQLite file (however spelled) or the same PostgreSQL URL. Two URLs naming one
/// database differently are caught after connecting ([`Db::identity`]).
fn same_file_or_url(a: &Location, b: &Location) -> bool {
    match (a, b) {
        (Location::Sqlite(a), Location::Sqlite(b)) => {
            a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
        }
        (Location::Postgres(a), Location::Postgres(b)) => a == b,
        _ => false,
    }
}

/// The target's columns, in its order, after checking that the source has exactly these:
/// a column on one side only would mean data left behind or a NOT NULL left empty.
fn same_columns(
    table: &'static str,
    source: Vec<String>,
    target: Vec<String>,
) -> Result<Vec<String>, MigrateError> {
    let only = |side: Side, mine: &[String], theirs: &[String]| {
        mine.iter()
            .find(|c| !theirs.contains(c))
            .map(|column| MigrateError::ColumnMismatch {
                table,
                column: column.clone(),
                side,
            })
    };
    match only(Side::Source, &source, &target).or_else(|| only(Side::Target, &target, &source)) {
        Some(err) => Err(err),
        None => Ok(target),
    }
}

/// `name` as a quoted SQL identifier. Table names come from [`COPIED`] and column names from
/// the databases' own catalogues; identifiers cannot be bound as parameters.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How one batch of rows is written to the target.
struct Insert {
    sql: String,
    /// PostgreSQL: each column's type, which the binary COPY encodes values for.
    types: Vec<Type>,
}

/// One end of the copy, inside its transaction (the source's read-only).
struct Db {
    side: Side,
    location: String,
    conn: Conn,
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres {
        runtime: tokio::runtime::Runtime,
        client: Client,
    },
}

type StoreResult<T> = super::Result<T>;

impl Db {
    fn open_source(location: &Location) -> Result<Db, MigrateError> {
        let conn = match location {
            Location::Sqlite(path) => {
                // Opening a missing file would create an empty database.
                if !path.exists() {
                    return Err(MigrateError::SourceMissing(location.to_string()));
                }
                Db::tagged(Side::Source, location, || {
                    let conn = sqlite::open_reader(path)?;
                    // Deferred: the snapshot is taken at the first read, just below.
                    conn.execute_batch("BEGIN")?;
                    Ok(Conn::Sqlite(conn))
                })?
            }
            Location::Postgres(url) => Db::tagged(Side::Source, location, || {
                let (runtime, client) = pg_connect(url)?;
                runtime.block_on(
                    client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"),
                )?;
                Ok(Conn::Postgres { runtime, client })
            })?,
        };
        let mut db = Db {
            side: Side::Source,
            location: location.to_string(),
            conn,
        };
        if !db.tables()?.iter().any(|t| t == "schema_migrations") {
            return Err(MigrateError::NotTalkback(db.location));
        }
        let expected = match location {
            Location::Sqlite(_) => MIGRATIONS,
            Location::Postgres(_) => PG_MIGRATIONS,
        }
        .last()
        .map_or(0, |m| m.0);
        let found = db.schema_version()?;
        if found != expected {
            return Err(MigrateError::SourceSchema {
                location: db.location,
                found,
                expected,
            });
        }
        Ok(db)
    }

    /// Create or migrate the target, then open its transaction; returns the migrations
    /// applied now.
    fn open_target(location: &Location) -> Result<(Db, Vec<String>), MigrateError> {
        let (conn, applied) = Db::tagged(Side::Target, location, || match location {
            Location::Sqlite(path) => {
                let (conn, applied) = sqlite::open_migrated(path)?;
                // IMMEDIATE: the write lock now, so a service started on the file too early
                // waits instead of interleaving its rows with the copy.
                conn.execute_batch("BEGIN IMMEDIATE")?;
                Ok((Conn::Sqlite(conn), applied))
            }
            Location::Postgres(url) => {
                let (runtime, mut client) = pg_connect(url)?;
                let applied = runtime.block_on(postgres::migrate(&mut client))?;
                // The same for instances on the target: they wait until the copy commits.
                let tables: Vec<&str> = COPIED.iter().map(|t| t.name).collect();
                runtime.block_on(client.batch_execute(&format!(
                    "BEGIN; LOCK TABLE {} IN EXCLUSIVE MODE",
                    tables.join(", ")
                )))?;
                Ok((Conn::Postgres { runtime, client }, applied))
            }
        })?;
        let db = Db {
            side: Side::Target,
            location: location.to_string(),
            conn,
        };
        Ok((db, applied))
    }

    /// Run `f`, naming this end of the copy in its error.
    fn tagged<T>(
        side: Side,
        location: &Location,
        f: impl FnOnce() -> StoreResult<T>,
    ) -> Result<T, MigrateError> {
        f().map_err(|source| MigrateError::Storage {
            side,
            location: location.to_string(),
            source,
        })
    }

    fn fail(&self, source: StorageError) -> MigrateError {
        MigrateError::Storage {
            side: self.side,
            location: self.location.clone(),
            source,
        }
    }

    /// Run `f` on this end's connection, naming this end in its error.
    fn with<T>(&mut self, f: impl FnOnce(&mut Conn) -> StoreResult<T>) -> Result<T, MigrateError> {
        f(&mut self.conn).map_err(|e| self.fail(e))
    }

    /// What tells two databases apart: the SQLite file, or the PostgreSQL server (by its start
    /// time and port), database and schema.
    fn identity(&mut self) -> Result<String, MigrateError> {
        self.with(|conn| match conn {
            Conn::Sqlite(db) => Ok(db.path().unwrap_or_default().to_string()),
            Conn::Postgres { runtime, client } => Ok(runtime
                .block_on(client.query_one(
                    "SELECT pg_postmaster_start_time()::text || ' ' || current_setting('port') \
                     || ' ' || current_database() || ' ' || current_schema()",
                    &[],
                ))?
                .try_get(0)?),
        })
    }

    fn tables(&mut self) -> Result<Vec<String>, MigrateError> {
        self.with(|conn| match conn {
            Conn::Sqlite(db) => {
                // sqlite_sequence and the like are SQLite's own; it keeps AUTOINCREMENT
                // counters past explicitly inserted ids by itself.
                let mut stmt = db.prepare(
                    "SELECT name FROM sqlite_master \
                     WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                )?;
                let names = stmt.query_map([], |row| row.get(0))?;
                Ok(names.collect::<rusqlite::Result<_>>()?)
            }
            Conn::Postgres { runtime, client } => runtime
                .block_on(client.query(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
                    &[],
                ))?
                .iter()
                .map(|row| row.try_get(0).map_err(StorageError::from))
                .collect(),
        })
    }

    fn only_known_tables(&mut self) -> Result<(), MigrateError> {
        let unknown = self.tables()?.into_iter().find(|name| {
            !COPIED.iter().any(|t| t.name == name) && !NOT_COPIED.contains(&name.as_str())
        });
        match unknown {
            Some(table) => Err(MigrateError::UnknownTable {
                side: self.side,
                location: self.location.clone(),
                table,
            }),
            None => Ok(()),
        }
    }

    fn schema_version(&mut self) -> Result<i64, MigrateError> {
        const SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        self.with(|conn| match conn {
            Conn::Sqlite(db) => Ok(db.query_row(SQL, [], |row| row.get(0))?),
            Conn::Postgres { runtime, client } => {
                Ok(runtime.block_on(client.query_one(SQL, &[]))?.try_get(0)?)
            }
        })
    }

    fn columns(&mut self, table: &str) -> Result<Vec<String>, MigrateError> {
        self.with(|conn| match conn {
            Conn::Sqlite(db) => {
                let mut stmt = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
                let names = stmt.query_map([table], |row| row.get(0))?;
                Ok(names.collect::<rusqlite::Result<_>>()?)
            }
            Conn::Postgres { runtime, client } => runtime
                .block_on(client.query(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     ORDER BY ordinal_position",
                    &[&table],
                ))?
                .iter()
                .map(|row| row.try_get(0).map_err(StorageError::from))
                .collect(),
        })
    }

    fn count(&mut self, table: &str) -> Result<u64, MigrateError> {
        let sql = format!("SELECT COUNT(*) FROM {}", ident(table));
        let rows: i64 = self.with(|conn| match conn {
            Conn::Sqlite(db) => Ok(db.query_row(&sql, [], |row| row.get(0))?),
            Conn::Postgres { runtime, client } => {
                Ok(runtime.block_on(client.query_one(&sql, &[]))?.try_get(0)?)
            }
        })?;
        Ok(u64::try_from(rows).unwrap_or_default())
    }

    /// Hand `table`'s rows to `sink` in batches of at most [`BATCH_ROWS`], in key order.
    fn read(
        &mut self,
        table: &Table,
        columns: &[String],
        sink: &mut dyn FnMut(Vec<Vec<Value>>) -> Result<(), MigrateError>,
    ) -> Result<(), MigrateError> {
        let select = format!(
            "SELECT {} FROM {} ORDER BY {}",
            column_list(columns),
            ident(table.name),
            table.order_by
        );
        let (side, location) = (self.side, &self.location);
        let fail = |source: StorageError| MigrateError::Storage {
            side,
            location: location.clone(),
            source,
        };
        match &mut self.conn {
            Conn::Sqlite(db) => {
                let sqlite = |e: rusqlite::Error| fail(e.into());
                let mut stmt = db.prepare(&select).map_err(sqlite)?;
                let mut rows = stmt.query([]).map_err(sqlite)?;
                let mut batch = Vec::with_capacity(BATCH_ROWS);
                while let Some(row) = rows.next().map_err(sqlite)? {
                    let values = (0..columns.len())
                        .map(|i| row.get::<_, Value>(i))
                        .collect::<rusqlite::Result<_>>()
                        .map_err(sqlite)?;
                    batch.push(values);
                    if batch.len() == BATCH_ROWS {
                        sink(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(BATCH_ROWS),
                        ))?;
                    }
                }
                if !batch.is_empty() {
                    sink(batch)?;
                }
            }
            Conn::Postgres { runtime, client } => {
                // A cursor, so the server hands out one batch at a time.
                let pg = |e: tokio_postgres::Error| fail(e.into());
                runtime
                    .block_on(client.batch_execute(&format!(
                        "DECLARE talkback_copy NO SCROLL CURSOR FOR {select}"
                    )))
                    .map_err(pg)?;
                let fetch = format!("FETCH FORWARD {BATCH_ROWS} FROM talkback_copy");
                loop {
                    let rows = runtime.block_on(client.query(&fetch, &[])).map_err(pg)?;
                    if rows.is_empty() {
                        break;
                    }
                    let batch = rows
                        .iter()
                        .map(|row| {
                            (0..columns.len())
                                .map(|i| pg_value(row, i))
                                .collect::<StoreResult<Vec<Value>>>()
                        })
                        .collect::<StoreResult<Vec<_>>>()
                        .map_err(fail)?;
                    sink(batch)?;
                }
                runtime
                    .block_on(client.batch_execute("CLOSE talkback_copy"))
                    .map_err(pg)?;
            }
        }
        Ok(())
    }

    fn insert_for(&mut self, table: &str, columns: &[String]) -> Result<Insert, MigrateError> {
        let (table, list) = (ident(table), column_list(columns));
        self.with(|conn| match conn {
            Conn::Sqlite(_) => {
                let placeholders: Vec<String> =
                    (1..=columns.len()).map(|i| format!("?{i}")).collect();
                Ok(Insert {
                    sql: format!(
                        "INSERT INTO {table} ({list}) VALUES ({})",
                        placeholders.join(", ")
                    ),
                    types: Vec::new(),
                })
            }
            Conn::Postgres { runtime, client } => {
                let probe =
                    runtime.block_on(client.prepare(&format!("SELECT {list} FROM {table}")))?;
                Ok(Insert {
                    sql: format!("COPY {table} ({list}) FROM STDIN (FORMAT binary)"),
                    types: probe.columns().iter().map(|c| c.type_().clone()).collect(),
                })
            }
        })
    }

    fn write(&mut self, insert: &Insert, rows: Vec<Vec<Value>>) -> Result<(), MigrateError> {
        self.with(|conn| match conn {
            Conn::Sqlite(db) => {
                let mut stmt = db.prepare_cached(&insert.sql)?;
                for row in rows {
                    stmt.execute(rusqlite::params_from_iter(row))?;
                }
                Ok(())
            }
            Conn::Postgres { runtime, client } => runtime.block_on(async {
                let sink = client.copy_in(&insert.sql).await?;
                let mut writer = std::pin::pin!(BinaryCopyInWriter::new(sink, &insert.types));
                for row in rows {
                    let params = row
                        .into_iter()
                        .zip(&insert.types)
                        .map(|(value, ty)| pg_param(value, ty))
                        .collect::<StoreResult<Vec<_>>>()?;
                    let refs: Vec<&(dyn ToSql + Sync)> = params
                        .iter()
                        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
                        .collect();
                    writer.as_mut().write(&refs).await?;
                }
                writer.finish().await?;
                Ok::<_, StorageError>(())
            }),
        })
    }

    /// PostgreSQL: move `column`'s sequence past the largest id now in `table`, so the next
    /// row the service inserts does not collide with a copied one. SQLite's AUTOINCREMENT
    /// does this by itself.
    fn continue_after_copied(&mut self, table: &str, column: &str) -> Result<(), MigrateError> {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({}), 0) + 1, false) \
             FROM {}",
            ident(column),
            ident(table)
        );
        self.with(|conn| match conn {
            Conn::Sqlite(_) => Ok(()),
            Conn::Postgres { runtime, client } => {
                runtime.block_on(client.query_one(&sql, &[&table, &column]))?;
                Ok(())
            }
        })
    }

    fn commit(mut self) -> Result<(), MigrateError> {
        self.with(|conn| match conn {
            Conn::Sqlite(db) => Ok(db.execute_batch("COMMIT")?),
            Conn::Postgres { runtime, client } => {
                Ok(runtime.block_on(client.batch_execute("COMMIT"))?)
            }
        })
    }
}

/// A connection of its own on a runtime of its own. No statement timeout (unless the URL sets
/// one): counting and copying millions of rows may rightly take longer than a request would.
fn pg_connect(url: &str) -> StoreResult<(tokio::runtime::Runtime, Client)> {
    let config = postgres::client_config(url, super::PoolSettings::default().connect_timeout)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            StorageError::Unavailable(format!("starting a PostgreSQL runtime: {e}").into())
        })?;
    let (client, connection) = runtime.block_on(config.connect(tokio_postgres::NoTls))?;
    // Runs whenever the client is used (every use is a `block_on` on this runtime); a broken
    // connection shows as the client's next error.
    runtime.spawn(connection);
    Ok((runtime, client))
}

/// A PostgreSQL column as the value SQLite would store. Flags (BOOLEAN there, 0/1 in SQLite)
/// become integers.
fn pg_value(row: &Row, idx: usize) -> StoreResult<Value> {
    let ty = row.columns()[idx].type_();
    let value = if *ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(idx)?
            .map(|b| Value::Integer(i64::from(b)))
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(idx)?
            .map(|i| Value::Integer(i64::from(i)))
    } else if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(idx)?.map(Value::Integer)
    } else if *ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(idx)?.map(Value::Real)
    } else {
        row.try_get::<_, Option<String>>(idx)?.map(Value::Text)
    };
    Ok(value.unwrap_or(Value::Null))
}

/// A value read from either backend, encoded for a PostgreSQL column of type `ty`.
fn pg_param(value: Value, ty: &Type) -> StoreResult<postgres::Param> {
    let mismatch = |value: &Value| {
        StorageError::Failed(format!("a {value:?} value does not fit a {ty} column").into())
    };
    let param: postgres::Param = if *ty == Type::BOOL {
        match value {
            Value::Null => Box::new(None::<bool>),
            Value::Integer(i @ (0 | 1)) => Box::new(i == 1),
            other => return Err(mismatch(&other)),
        }
    } else if *ty == Type::INT4 {
        match value {
            Value::Null => Box::new(None::<i32>),
            Value::Integer(i) => Box::new(i32::try_from(i).map_err(|_| mismatch(&value))?),
            other => return Err(mismatch(&other)),
        }
    } else if *ty == Type::INT8 {
        match value {
            Value::Null => Box::new(None::<i64>),
            Value::Integer(i) => Box::new(i),
            other => return Err(mismatch(&other)),
        }
    } else if *ty == Type::FLOAT8 {
        match value {
            Value::Null => Box::new(None::<f64>),
            Value::Real(f) => Box::new(f),
            // SQLite keeps a whole number in a REAL column as an integer when it can.
            Value::Integer(i) => Box::new(i as f64),
            other => return Err(mismatch(&other)),
        }
    } else {
        match value {
            Value::Null => Box::new(None::<String>),
            Value::Text(s) => Box::new(s),
            other => return Err(mismatch(&other)),
        }
    };
    Ok(param)
}
