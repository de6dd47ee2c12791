#!/usr/bin/env bash
# Crash test: acknowledged means stored, even through SIGKILL.
#
#   scripts/crash_test.sh                 5 rounds
#   CRASH_ROUNDS=20 scripts/crash_test.sh
#
# Each round: start the release service on one database file (kept across rounds, so every
# round also recovers from the previous crash), post comments in closed loop with
# examples/loadgen.rs (--record writes the id of every 201), `kill -9` the service after a random
# 1.5-4 s, restart it on the same file, then check with the sqlite3 CLI that every acknowledged
# id is stored with its scores, spot-check a few through GET /v1/moderation/comments/{id}, and
# run PRAGMA integrity_check. Prints acknowledged / found / missing per round; exits non-zero on
# any loss or corruption.
#
# Env: CRASH_ROUNDS (default 5), CRASH_PORT (default: a free port), CRASH_CONCURRENCY (default 32).
#
# PostgreSQL mode: CRASH_POSTGRES=postgres://root@127.0.0.1:5432/test scripts/crash_test.sh
# creates a fresh database on that server (dropped at the end), starts three instances on it,
# spreads the posting load over them (one loadgen per instance), `kill -9`s one of them at
# random, restarts it, and checks with psql that every acknowledged id is stored exactly once
# with its scores, and that every instance serves it. The server itself is never restarted.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${CRASH_POSTGRES:-}" ]]; then
  exec scripts/crash_test_postgres.sh
fi

NAME=crash_test
WORK="$(mktemp -d -t talkback-crash.XXXXXX)"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

ROUNDS="${CRASH_ROUNDS:-5}"
PORT="${CRASH_PORT:-$(free_port)}"
CONC="${CRASH_CONCURRENCY:-32}"
TOKEN="crash-token-0001"
URL="http://127.0.0.1:${PORT}"

need_sqlite3

DB="$WORK/talkback.db"

cargo build --release --examples --bins >&2
LOADGEN=target/release/examples/loadgen

failures=0
total_acked=0
printf "%-6s %12s %8s %8s %10s %10s %s\n" round acknowledged found missing no_scores stored integrity
for round in $(seq 1 "$ROUNDS"); do
  start_service
  acked="$WORK/acked.$round"
  # Long enough to outlive the kill; the loop then fails fast and stops at its deadline.
  "$LOADGEN" --url "$URL" --mode post --rate 0 --concurrency "$CONC" --seconds 6 \
    --record "$acked" >"$WORK/loadgen.$round.json" &
  LOADGEN_PID=$!
  EXTRA_PIDS=("$LOADGEN_PID")
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1.5 + 2.5 * r / 32767 }')"
  kill -9 "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
  wait "$LOADGEN_PID" || true
  EXTRA_PIDS=()

  # Restart on the same file: it must come up (WAL recovery) and serve what was acknowledged.
  start_service
  n_acked=$(wc -l <"$acked")
  cp "$acked" "$WORK/ids.csv"
  counts=$(sqlite3 -batch -noheader -separator ' ' "file:${DB}?mode=ro" <<SQL
CREATE TEMP TABLE acked (id TEXT PRIMARY KEY);
.import $WORK/ids.csv acked
SELECT
  (SELECT count(*) FROM acked a JOIN comments c ON c.id = a.id),
  (SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = a.id)),
  (SELECT count(*) FROM acked a JOIN comments c ON c.id = a.id
     WHERE json_extract(c.scores, '\$.abuse') IS NULL
        OR json_extract(c.scores, '\$.incitement') IS NULL
        OR c.max_score IS NULL),
  (SELECT count(*) FROM comments);
SQL
)
  read -r found missing no_scores stored <<<"$counts"
  integrity=$(sqlite3 -batch -noheader "file:${DB}?mode=ro" "PRAGMA integrity_check;" | tr '\n' ' ' | xargs)
  # The same through the API for a few ids: 200 with scores.
  api_bad=0
  while read -r id; do
    if ! curl -fsS -H "Authorization: Bearer ${TOKEN}" "${URL}/v1/moderation/comments/${id}" |
      grep -q '"scores":{"abuse"'; then
      api_bad=$((api_bad + 1))
    fi
  done < <(shuf -n 5 "$acked" 2>/dev/null || head -n 5 "$acked")
  stop_service

  printf "%-6s %12s %8s %8s %10s %10s %s\n" "$round" "$n_acked" "$found" "$missing" "$no_scores" "$stored" "$integrity"
  total_acked=$((total_acked + n_acked))
  if ((n_acked == 0)); then
    echo "  round $round: nothing was acknowledged before the kill (machine too slow?)" >&2
    failures=$((failures + 1))
  fi
  if ((missing > 0 || no_scores > 0 || api_bad > 0)) || [[ "$integrity" != "ok" ]]; then
    echo "  round $round: LOSS OR CORRUPTION (missing=$missing no_scores=$no_scores api_bad=$api_bad integrity=$integrity)" >&2
    failures=$((failures + 1))
  fi
done

if ((failures > 0)); then
  echo "crash_test: FAILED in $failures round(s)"
  exit 1
fi
echo "crash_test: ${ROUNDS} rounds, ${total_acked} acknowledged comments, none lost, integrity ok"
