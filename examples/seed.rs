//! Seed a database with many comments quickly, for the queue-latency benchmark in
//! `scripts/bench.sh`. Skips HTTP and scoring: scores are synthetic, drawn so that roughly a
//! quarter of the comments are held for review (3% rejected, the rest published), and the
//! verdict comes from the default thresholds exactly as the service decides it.
//!
//! Two ways to write:
//! - `--via direct` (default): the library's `Store` creates and migrates the file (the real
//!   schema), then one transaction with `synchronous = OFF` inserts the rows, the label rows and
//!   the audit rows the way `storage/sqlite/comments.rs` does. About 100k rows/s; durability is
//!   not the point of a seed.
//! - `--via store`: every row through `Store::insert_comment` (the service's writer thread and
//!   group commit, fsync per batch). Slow (a few thousand rows/s here) but exercises the real path.
//!
//! ```text
//! cargo run --release --example seed -- --database /tmp/bench.db --rows 1000000
//! ```
//!
//! Run it while the service is stopped, then start the service on the same file. Prints one JSON
//! line with the rows written and the rate.

use futures_util::StreamExt;
use std::path::PathBuf;
use std::time::Instant;
use talkback::domain::{
    ArticleId, AuthorName, CommentBody, CommentId, Label, NewComment, Reason, Scores, Span,
    Thresholds,
};
use talkback::storage::{NewRecord, Store};

mod common;

use clap::Parser;
use common::{COMMENTS, at_least_one};

#[derive(Parser)]
#[command(about = "Seed a database with many comments for the queue benchmark")]
struct Args {
    #[arg(long, default_value = "data/talkback.db")]
    database: PathBuf,
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Inserts in flight with --via store.
    #[arg(long, default_value = "4096", value_parser = at_least_one)]
    in_flight: usize,
    /// `direct`: one fast transaction of raw inserts; `store`: every row through the service's
    /// writer.
    #[arg(long, default_value = "direct", value_parser = ["direct", "store"])]
    via: String,
}

/// A small deterministic generator (SplitMix64): reproducible seeds, no extra dependency.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(n: u64, salt: u64) -> f32 {
    (mix(n.wrapping_mul(31).wrapping_add(salt)) >> 40) as f32 / (1u64 << 24) as f32
}

fn record(n: u64, thresholds: &Thresholds) -> NewRecord {
    let body = COMMENTS[(n % COMMENTS.len() as u64) as usize];
    let kind = unit(n, 1);
    let abuse = if kind < 0.22 {
        0.80 + 0.189 * unit(n, 2) // held for abuse
    } else if kind < 0.25 {
        0.991 + 0.008 * unit(n, 2) // rejected outright
    } else {
        0.78 * unit(n, 2).powi(2) // published
    };
    let incitement = if kind > 0.97 {
        0.5 + 0.4 * unit(n, 3)
    } else {
        0.45 * unit(n, 3)
    };
    let mut scores = Scores::default();
    for (label, value) in [
        (Label::Abuse, abuse),
        (Label::Incitement, incitement),
        (Label::Insult, abuse * 0.9),
        (Label::Obscene, abuse * 0.5),
        (Label::Threat, incitement * 0.8),
        (Label::IdentityAttack, abuse * 0.2),
    ] {
        scores.set(label, value);
    }
    let verdict = thresholds.decide(&scores);
    let first_word = body.split(' ').next().unwrap_or_default();
    let reasons = verdict
        .triggered
        .iter()
        .map(|&label| Reason {
            label,
            score: scores.get(label).unwrap_or_default(),
            spans: vec![Span {
                start: 0,
                end: first_word.chars().count(),
                text: first_word.to_string(),
                weight: 1.0,
            }],
        })
        .collect();
    NewRecord {
        id: CommentId::new(),
        comment: NewComment {
            article_id: ArticleId::parse(&format!("seed-{}", n % 500)).expect("article id"),
            author: AuthorName::parse(&format!("reader-{}", n % 20_000)).expect("author"),
            title: None,
            body: CommentBody::parse(body, 5000).expect("body"),
            parent_id: None,
            author_id: None,
            article_url: None,
            article_title: None,
        },
        status: verdict.status,
        scores,
        reasons,
        model_version: "seed".into(),
        thresholds: thresholds.clone(),
        idempotency: None,
        author_policy: Default::default(),
        // Seeded bulk data is spread evenly; a surge would only skew the benchmark's queue.
        surge: None,
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let (store, _) = match Store::open(&args.database) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("seed: opening {}: {e}", args.database.display());
            std::process::exit(1);
        }
    };
    let thresholds = Thresholds::default();
    let started = Instant::now();
    if args.via == "direct" {
        store.shutdown();
        drop(store);
        let written = match seed_direct(&args, &thresholds) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("seed: {e}");
                std::process::exit(1);
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({
                "rows": written,
                "failed": 0,
                "seconds": seconds,
                "rows_per_s": written as f64 / seconds,
                "via": "direct",
            })
        );
        return;
    }
    let mut failed = 0u64;
    let mut written = 0u64;
    // Enough writes in flight that the writer always finds a full batch queued.
    let mut results = futures_util::stream::iter(0..args.rows)
        .map(|n| store.insert_comment(record(n, &thresholds)))
        .buffer_unordered(args.in_flight);
    while let Some(result) = results.next().await {
        match result {
            Ok(_) => written += 1,
            Err(e) => {
                failed += 1;
                if failed == 1 {
                    eprintln!("seed: insert failed: {e}");
                }
            }
        }
        if written.is_multiple_of(100_000) && written > 0 {
            eprintln!(
                "seed: {written} rows, {:.0} rows/s",
                written as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    drop(results);
    store.shutdown();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "rows": written,
            "failed": failed,
            "seconds": seconds,
            "rows_per_s": written as f64 / seconds,
            "via": "store",
        })
    );
    if failed > 0 {
        std::process::exit(1);
    }
}

/// The same rows `storage/sqlite/comments.rs::insert_comment` writes (comment, label rows,
/// audit row), in one transaction without fsync. Keep in step with that function if the schema
/// changes.
fn seed_direct(args: &Args, thresholds: &Thresholds) -> rusqlite::Result<u64> {
    let mut conn = rusqlite::Connection::open(&args.database)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;",
    )?;
    let tx = conn.transaction()?;
    let thresholds_json = serde_json::to_string(thresholds).expect("thresholds JSON");
    let base_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000 - args.rows as i64;
    {
        let mut comment = tx.prepare(
            "INSERT INTO comments (id, article_id, parent_id, author, title, body, status, \
             auto_status, max_score, scores, reasons, model_version, thresholds, idempotency_key, \
             request_hash, created_at, created_ms, updated_at) \
             VALUES (?1, ?2, NULL, ?3, NULL, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, NULL, NULL, ?11, ?12, ?11)",
        )?;
        let mut label = tx.prepare(
            "INSERT OR IGNORE INTO comment_labels \
             (comment_seq, label, score, comment_status, comment_score) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut audit = tx.prepare(
            "INSERT INTO audit_log (at, actor, action, comment_id, before_status, after_status, \
             reason, note, override) VALUES (?1, 'system', ?2, ?3, NULL, ?4, NULL, NULL, 0)",
        )?;
        for n in 0..args.rows {
            let rec = record(n, thresholds);
            let ms = base_ms + n as i64;
            let at = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            let id = rec.id.to_string();
            let status = rec.status.as_str();
            comment.execute(rusqlite::params![
                id,
                rec.comment.article_id.as_str(),
                rec.comment.author.as_str(),
                rec.comment.body.as_str(),
                status,
                f64::from(rec.scores.max()),
                serde_json::to_string(&rec.scores).expect("scores JSON"),
                serde_json::to_string(&rec.reasons).expect("reasons JSON"),
                rec.model_version,
                thresholds_json,
                at,
                ms,
            ])?;
            let seq = tx.last_insert_rowid();
            for reason in &rec.reasons {
                label.execute(rusqlite::params![
                    seq,
                    reason.label.as_str(),
                    f64::from(reason.score),
                    status,
                    f64::from(rec.scores.max()),
                ])?;
            }
            audit.execute(rusqlite::params![at, format!("auto_{status}"), id, status])?;
            if (n + 1) % 250_000 == 0 {
                eprintln!("seed: {} rows", n + 1);
            }
        }
    }
    tx.commit()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(args.rows)
}
