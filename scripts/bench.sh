#!/usr/bin/env bash
# One-command benchmark of talkback on this machine; prints a table and writes bench/results.json.
#
#   scripts/bench.sh                              full run (about 4-5 minutes on 2 cores)
#   BENCH_SECONDS=5 BENCH_ROWS=100000 scripts/bench.sh   quick run
#
# What it measures (targets from issue 8 in brackets):
#   1. scoring alone: us per comment, one thread (taskset core 0), median and p99, for 80, 300 and
#      5,000 characters (examples/bench_model.rs);
#   2. GET /v1/moderation/queue page latency p50/p99 with BENCH_ROWS stored comments (default
#      1,000,000, seeded by examples/seed.rs in ~20 s) [p99 <= 20 ms]: first page by severity,
#      and a 20-page walk following cursors; for information also the page filtered by an article
#      (one with ~500 held comments, one with none) and by label;
#   3. POST /v1/comments with durable (fsync'd, group-committed) writes: max sustained req/s in
#      closed loop [>= 2,000/s], and p50/p99 at fixed 200 and 1,000 req/s in open loop (latency
#      measured from the scheduled send time, so queueing is not hidden) [p99 <= 50 ms at 1,000];
#   4. service RSS at idle and under load (VmRSS sampled every 200 ms, and VmHWM) [<= 300 MB].
# The load generator (examples/loadgen.rs) runs on the same machine and takes CPU from the
# service: the figures are for "client and server share 2 cores", a pessimistic setup.
#
# Env: BENCH_SECONDS (per measurement, default 20), BENCH_ROWS (default 1000000; 0 skips the
# seed and the queue figures), BENCH_PORT (default: a free port), BENCH_CONCURRENCY (closed-loop
# clients, default 64), BENCH_CLIENT_THREADS (loadgen tokio threads, default 1),
# BENCH_OUT (default bench/results.json).
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=bench
WORK="$(mktemp -d -t talkback-bench.XXXXXX)"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

SECS="${BENCH_SECONDS:-20}"
ROWS="${BENCH_ROWS:-1000000}"
PORT="${BENCH_PORT:-$(free_port)}"
CONC="${BENCH_CONCURRENCY:-64}"
CLIENT_THREADS="${BENCH_CLIENT_THREADS:-1}"
OUT="${BENCH_OUT:-bench/results.json}"
TOKEN="bench-token-0001"
LOADAVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"
URL="http://127.0.0.1:${PORT}"

say "building release binaries"
cargo build --release --examples --bins
LOADGEN=target/release/examples/loadgen
DB="$WORK/talkback.db"

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/${PID}/status"; }

# Highest VmRSS seen while a measurement runs (kB), written to $WORK/rss.max.
start_sampler() {
  echo 0 >"$WORK/rss.max"
  (
    max=0
    while kill -0 "$PID" 2>/dev/null; do
      now=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/${PID}/status" 2>/dev/null || echo 0)
      if ((now > max)); then max=$now; echo "$max" >"$WORK/rss.max"; fi
      sleep 0.2
    done
  ) &
  SAMPLER=$!
  EXTRA_PIDS=("$SAMPLER")
}
stop_sampler() {
  kill "$SAMPLER" 2>/dev/null || true
  wait "$SAMPLER" 2>/dev/null || true
  EXTRA_PIDS=()
}

loadgen() {
  "$LOADGEN" --url "$URL" --seconds "$SECS" --workers "$CLIENT_THREADS" "$@"
}

# 1. Scoring alone, one thread pinned to core 0.
say "scoring micro-benchmark"
taskset -c 0 target/release/examples/bench_model "${TALKBACK_MODEL:-models}" --json | tee "$WORK/model.txt" >&2
tail -n 1 "$WORK/model.txt" >"$WORK/scoring.json"

# 2. Seed, then the queue with ROWS stored comments.
if ((ROWS > 0)); then
  say "seeding ${ROWS} comments"
  target/release/examples/seed --database "$DB" --rows "$ROWS" >"$WORK/seed.json"
  cat "$WORK/seed.json" >&2
else
  echo '{}' >"$WORK/seed.json"
fi
start_service
sleep 1
IDLE_RSS_KB=$(kb VmRSS)
say "service ready (pid ${PID}), idle RSS ${IDLE_RSS_KB} kB"
if ((ROWS > 0)); then
  say "queue: first page by severity, one moderator"
  loadgen --mode queue --token "$TOKEN" --rate 0 --concurrency 1 --order score >"$WORK/queue_first.json"
  say "queue: 20-page walk by severity, one moderator"
  loadgen --mode queue --token "$TOKEN" --rate 0 --concurrency 1 --order score --depth 20 \
    >"$WORK/queue_walk.json"
  # Filtered views of the same page (informational: the issue's target is the plain queue).
  say "queue: filtered by article, by severity"
  loadgen --mode queue --token "$TOKEN" --rate 0 --concurrency 1 --order score \
    --query "article_id=seed-7" >"$WORK/queue_article.json"
  say "queue: filtered by an article with nothing held, by severity"
  loadgen --mode queue --token "$TOKEN" --rate 0 --concurrency 1 --order score \
    --query "article_id=calm-article" >"$WORK/queue_article_empty.json"
  say "queue: filtered by label, by severity"
  loadgen --mode queue --token "$TOKEN" --rate 0 --concurrency 1 --order score \
    --query "label=incitement" >"$WORK/queue_label.json"
  cat "$WORK/queue_first.json" "$WORK/queue_walk.json" "$WORK/queue_article.json" \
    "$WORK/queue_article_empty.json" "$WORK/queue_label.json" >&2
else
  for f in queue_first queue_walk queue_article queue_article_empty queue_label; do
    echo '{}' >"$WORK/$f.json"
  done
fi
stop_service

# 3. Posts on the same (now large) database, restarted so idle RSS is not the queue's cache.
start_service
sleep 1
IDLE_RSS_KB=$(kb VmRSS)
start_sampler
say "posts: closed loop, ${CONC} clients"
loadgen --mode post --rate 0 --concurrency "$CONC" >"$WORK/post_max.json"
say "posts: open loop 200 req/s"
loadgen --mode post --rate 200 --concurrency 512 >"$WORK/post_200.json"
say "posts: open loop 1000 req/s"
loadgen --mode post --rate 1000 --concurrency 512 >"$WORK/post_1000.json"
stop_sampler
LOAD_RSS_KB=$(cat "$WORK/rss.max")
HWM_KB=$(kb VmHWM)
cat "$WORK/post_max.json" "$WORK/post_200.json" "$WORK/post_1000.json" >&2
stop_service

mkdir -p "$(dirname "$OUT")"
WORK="$WORK" OUT="$OUT" ROWS="$ROWS" SECS="$SECS" CONC="$CONC" \
  IDLE_RSS_KB="$IDLE_RSS_KB" LOAD_RSS_KB="$LOAD_RSS_KB" HWM_KB="$HWM_KB" \
  CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
  NPROC="$(nproc)" MEM_KB="$(awk '/MemTotal/ { print $2 }' /proc/meminfo)" \
  LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)" LOADAVG_START="$LOADAVG_START" \
  REV="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo -dirty)" \
  python3 - <<'PY'
import json, os, time

w = os.environ["WORK"]
def load(name):
    with open(os.path.join(w, name)) as f:
        text = f.read().strip().splitlines()
    return json.loads(text[-1]) if text else {}

scoring = load("scoring.json")
qf, qw = load("queue_first.json"), load("queue_walk.json")
qa, ql = load("queue_article.json"), load("queue_label.json")
qe = load("queue_article_empty.json")
pm, p200, p1000 = load("post_max.json"), load("post_200.json"), load("post_1000.json")
mb = lambda kb: round(int(kb) / 1024, 1)
rows = int(os.environ["ROWS"])
results = {
    "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "revision": os.environ["REV"],
    "machine": {
        "nproc": int(os.environ["NPROC"]),
        "cpu_model": os.environ["CPU_MODEL"],
        "ram_gib": round(int(os.environ["MEM_KB"]) / 1024 / 1024, 1),
        "loadavg_at_start": os.environ["LOADAVG_START"],
        "loadavg_at_end": os.environ["LOADAVG"],
        "note": "load generator runs on the same machine as the service",
    },
    "settings": {"seconds_per_measurement": int(os.environ["SECS"]), "rows": rows,
                 "closed_loop_clients": int(os.environ["CONC"])},
    "scoring": scoring,
    "seed": load("seed.json"),
    "queue_first_page": qf,
    "queue_walk_20_pages": qw,
    "queue_filtered_article": qa,
    "queue_filtered_article_nothing_held": qe,
    "queue_filtered_label": ql,
    "post_closed_loop": pm,
    "post_200_rps": p200,
    "post_1000_rps": p1000,
    "rss_mb": {"idle": mb(os.environ["IDLE_RSS_KB"]), "under_load_max": mb(os.environ["LOAD_RSS_KB"]),
               "peak_hwm": mb(os.environ["HWM_KB"])},
}
lat = lambda r, p: (r.get("latency_ms") or {}).get(p)
def errors(r):
    return sum(n for s, n in (r.get("statuses") or {}).items() if not s.startswith("2"))
checks = [
    ("posts/s sustained (closed loop)", pm.get("achieved_rps"), ">=", 2000),
    ("post p99 ms at 1000 req/s", lat(p1000, "p99"), "<=", 50),
    ("post 1000 req/s achieved", p1000.get("achieved_rps"), ">=", 990),
    ("queue first page p99 ms", lat(qf, "p99") if rows else None, "<=", 20),
    ("queue 20-page walk p99 ms", lat(qw, "p99") if rows else None, "<=", 20),
    ("RSS MB peak", results["rss_mb"]["peak_hwm"], "<=", 300),
]
# Not among the issue's targets, reported against the same bar for information.
info = [
    ("queue filtered by article p99 ms", lat(qa, "p99") if rows else None, "<=", 20),
    ("queue filtered by article, nothing held, p99 ms", lat(qe, "p99") if rows else None, "<=", 20),
    ("queue filtered by label p99 ms", lat(ql, "p99") if rows else None, "<=", 20),
]
verdicts = []
for group, items in (("target", checks), ("info", info)):
    for name, value, op, target in items:
        ok = None if value is None else (value >= target if op == ">=" else value <= target)
        verdicts.append({"metric": name, "value": value, "target": f"{op} {target}", "pass": ok,
                         "kind": group})
results["targets"] = verdicts
results["errors"] = {k: errors(r) for k, r in
                     [("queue_first_page", qf), ("queue_walk", qw), ("queue_article", qa),
                      ("queue_article_empty", qe),
                      ("queue_label", ql), ("post_closed_loop", pm),
                      ("post_200_rps", p200), ("post_1000_rps", p1000)]}
with open(os.environ["OUT"], "w") as f:
    json.dump(results, f, indent=2)
    f.write("\n")

m = results["machine"]
print(f"\ntalkback benchmark  {results['when']}  rev {results['revision']}")
print(f"machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB RAM, load avg {m['loadavg_at_start']} at start, {m['loadavg_at_end']} at end")
print(f"{rows} stored comments, {os.environ['SECS']} s per measurement\n")
fmt = "{:<44} {:>12} {:>12} {:>12}"
print(fmt.format("measurement", "rate /s", "p50 ms", "p99 ms"))
print("-" * 83)
for key, label in [("short_80", "scoring 80 chars (us, 1 thread)"),
                   ("typical_300", "scoring 300 chars (us, 1 thread)"),
                   ("long_5000", "scoring 5000 chars (us, 1 thread)")]:
    s = (scoring.get("scoring") or {}).get(key, {})
    print(fmt.format(label, "", f"{s.get('median_us', 0):.1f} us", f"{s.get('p99_us', 0):.1f} us"))
def row(label, r):
    if not r:
        print(fmt.format(label, "skipped", "", ""))
        return
    e = errors(r)
    print(fmt.format(label + (f" ({e} errors)" if e else ""), f"{r.get('achieved_rps', 0):.0f}",
                     f"{lat(r, 'p50'):.2f}", f"{lat(r, 'p99'):.2f}"))
row("queue first page (1 moderator)", qf)
row("queue 20-page walk (1 moderator)", qw)
row("queue filtered by article (1 moderator)", qa)
row("queue by article, none held (1 moderator)", qe)
row("queue filtered by label (1 moderator)", ql)
row(f"POST closed loop ({os.environ['CONC']} clients)", pm)
row("POST open loop 200 req/s", p200)
row("POST open loop 1000 req/s", p1000)
r = results["rss_mb"]
print(f"\nRSS: idle {r['idle']} MB, under load max {r['under_load_max']} MB, peak (VmHWM) {r['peak_hwm']} MB\n")
for v in verdicts:
    mark = "n/a " if v["pass"] is None else ("PASS" if v["pass"] else "FAIL")
    if v["kind"] == "info":
        mark = "info " + mark
    val = "-" if v["value"] is None else f"{v['value']:.1f}"
    print(f"  [{mark}] {v['metric']}: {val} (target {v['target']})")
print(f"\nwrote {os.environ['OUT']}")
PY
