//! Load generator for `scripts/bench.sh` and `scripts/crash_test.sh`.
//!
//! Open-loop at a fixed rate (`--rate N`): requests are scheduled on a clock and latency is
//! measured from the scheduled time, so a stalled server cannot hide its queueing delay
//! (coordinated omission). `--rate 0` runs closed-loop with `--concurrency` workers to find the
//! maximum sustained throughput. Prints one JSON object with counts and latency percentiles.
//!
//! `--mode queue` reads the moderation queue (`--order score|oldest|newest`); closed-loop with
//! `--depth N` each worker walks N pages deep by following `next_cursor`, and latency is per page;
//! `--query 'article_id=a-1'` adds filters to the queue URL.
//! `--record FILE` writes the id of every acknowledged (201) post, one per line, for the crash
//! test. `--workers N` sets the client's tokio threads (default 1, so on a small machine the
//! generator leaves the cores to the server under test).
//!
//! ```text
//! cargo run --release --example loadgen -- --url http://127.0.0.1:8080 --mode post --rate 1000 --seconds 10
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

mod common;

use clap::Parser;
use common::{COMMENTS, at_least_one};

#[derive(Parser)]
#[command(about = "Load generator for scripts/bench.sh and scripts/crash_test.sh")]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long, default_value = "post", value_parser = ["post", "queue"])]
    mode: String,
    /// Requests per second (open loop); 0 = closed loop with --concurrency workers.
    #[arg(long, default_value_t = 0)]
    rate: u64,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Moderator token for --mode queue.
    #[arg(long, default_value = "")]
    token: String,
    /// Write the id of every acknowledged (201) post here, one per line.
    #[arg(long)]
    record: Option<String>,
    #[arg(long, default_value = "score", value_parser = ["score", "oldest", "newest"])]
    order: String,
    /// Pages per walk (queue mode, closed loop), following next_cursor.
    #[arg(long, default_value = "1", value_parser = at_least_one)]
    depth: usize,
    /// Tokio threads of the client.
    #[arg(long, default_value = "1", value_parser = at_least_one)]
    workers: usize,
    /// Extra query string for the queue URL, e.g. `article_id=a-1`.
    #[arg(long, default_value = "")]
    query: String,
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    statuses: BTreeMap<String, u64>,
    acknowledged: Vec<String>,
}

async fn one_request(client: &reqwest::Client, args: &Args, n: u64) -> (String, Option<String>) {
    let result = if args.mode == "post" {
        let body = serde_json::json!({
            "article_id": format!("bench-{}", n % 50),
            // Distinct authors so the per-author limit (a spam guard) is not what is measured.
            "author": format!("reader-{n}"),
            "body": COMMENTS[(n as usize) % COMMENTS.len()],
        });
        client
            .post(format!("{}/v1/comments", args.url))
            .json(&body)
            .send()
            .await
    } else {
        // Open loop reads the first page; closed loop walks deeper (see `queue_walk`).
        return queue_page(client, args, None).await;
    };
    match result {
        Ok(response) => {
            let status = response.status().as_u16().to_string();
            let id = if status == "201" {
                response
                    .json::<serde_json::Value>()
                    .await
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_string))
            } else {
                let _ = response.bytes().await;
                None
            };
            (status, id)
        }
        Err(err) if err.is_timeout() => ("timeout".into(), None),
        Err(_) => ("connection_error".into(), None),
    }
}

async fn queue_page(
    client: &reqwest::Client,
    args: &Args,
    cursor: Option<&str>,
) -> (String, Option<String>) {
    let mut url = format!(
        "{}/v1/moderation/queue?status=held&order={}&limit=50",
        args.url, args.order
    );
    if !args.query.is_empty() {
        url.push('&');
        url.push_str(&args.query);
    }
    if let Some(c) = cursor {
        url.push_str("&cursor=");
        url.push_str(c);
    }
    match client.get(url).bearer_auth(&args.token).send().await {
        Ok(response) => {
            let status = response.status().as_u16().to_string();
            // For queue reads the second value is the next page's cursor.
            let next = response
                .json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|v| v["next_cursor"].as_str().map(str::to_string));
            (status, next)
        }
        Err(err) if err.is_timeout() => ("timeout".into(), None),
        Err(_) => ("connection_error".into(), None),
    }
}

/// One closed-loop queue walk: `depth` pages following `next_cursor`; one sample per page.
async fn queue_walk(client: &reqwest::Client, args: &Args, tally: &Mutex<Tally>) {
    let mut cursor: Option<String> = None;
    for _ in 0..args.depth {
        let sent = Instant::now();
        let (status, next) = queue_page(client, args, cursor.as_deref()).await;
        let mut t = tally.lock().await;
        t.latencies_us.push(sent.elapsed().as_micros() as u64);
        *t.statuses.entry(status).or_default() += 1;
        drop(t);
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1000.0
}

fn main() {
    let args = Arc::new(Args::parse());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.workers)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(args));
}

async fn run(args: Arc<Args>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(args.concurrency.max(64))
        .build()
        .expect("HTTP client");
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let limiter = Arc::new(tokio::sync::Semaphore::new(args.concurrency));
    let mut handles = Vec::new();

    if args.rate > 0 {
        let interval = Duration::from_secs_f64(1.0 / args.rate as f64);
        let mut n = 0u64;
        loop {
            let scheduled = started + interval.mul_f64(n as f64);
            if scheduled >= deadline {
                break;
            }
            tokio::time::sleep_until(scheduled.into()).await;
            let (client, args, tally, limiter) =
                (client.clone(), args.clone(), tally.clone(), limiter.clone());
            handles.push(tokio::spawn(async move {
                let _permit = limiter.acquire_owned().await;
                let (status, id) = one_request(&client, &args, n).await;
                let mut t = tally.lock().await;
                t.latencies_us.push(scheduled.elapsed().as_micros() as u64);
                *t.statuses.entry(status).or_default() += 1;
                if args.mode == "post" {
                    t.acknowledged.extend(id);
                }
            }));
            n += 1;
        }
    } else {
        let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
        for _ in 0..args.concurrency {
            let (client, args, tally, counter) =
                (client.clone(), args.clone(), tally.clone(), counter.clone());
            handles.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    if args.mode == "queue" {
                        queue_walk(&client, &args, &tally).await;
                        continue;
                    }
                    let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let sent = Instant::now();
                    let (status, id) = one_request(&client, &args, n).await;
                    let mut t = tally.lock().await;
                    t.latencies_us.push(sent.elapsed().as_micros() as u64);
                    *t.statuses.entry(status).or_default() += 1;
                    t.acknowledged.extend(id);
                }
            }));
        }
    }
    for h in handles {
        let _ = h.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut t = tally.lock().await;
    t.latencies_us.sort_unstable();
    let total = t.latencies_us.len() as u64;
    let ok = t
        .statuses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .map(|(_, n)| n)
        .sum::<u64>();
    if let Some(path) = &args.record {
        let mut file = std::fs::File::create(path).expect("record file");
        for id in &t.acknowledged {
            let _ = writeln!(file, "{id}");
        }
    }
    let report = serde_json::json!({
        "mode": args.mode,
        "order": args.order,
        "depth": args.depth,
        "query": args.query,
        "concurrency": args.concurrency,
        "target_rate": args.rate,
        "seconds": elapsed,
        "requests": total,
        "ok": ok,
        "achieved_rps": ok as f64 / elapsed,
        "statuses": t.statuses,
        "latency_ms": {
            "p50": percentile(&t.latencies_us, 50.0),
            "p90": percentile(&t.latencies_us, 90.0),
            "p99": percentile(&t.latencies_us, 99.0),
            "max": percentile(&t.latencies_us, 100.0),
        },
    });
    println!("{report}");
}
