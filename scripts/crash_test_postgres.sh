#!/usr/bin/env bash
# The PostgreSQL mode of scripts/crash_test.sh (run that with CRASH_POSTGRES=URL): three
# instances on one database, posting load spread over them, `kill -9` of one, every
# acknowledged comment stored exactly once.
#
# Each round: post in closed loop through all three instances (one examples/loadgen per
# instance, --record writes the id of every 201), `kill -9` one instance chosen at random after
# 1.5-4 s, restart it on the same database, then check with psql that every acknowledged id is
# stored exactly once with its scores, and through the API that each instance serves a few of
# them. Prints acknowledged / found / missing / duplicated per round; exits non-zero on any loss.
#
# Env: CRASH_POSTGRES (a server URL; a database of this run's own is created there and dropped
# at the end; the server itself is never restarted), CRASH_ROUNDS (default 5),
# CRASH_CONCURRENCY (per instance, default 16), CRASH_PROFILE (release, or debug to skip the
# release build), CARGO_TARGET_DIR (where cargo puts the binaries), TALKBACK_BIN_DIR (take
# talkback and examples/loadgen from there and build nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=crash_test_postgres
WORK="$(mktemp -d -t talkback-crash-pg.XXXXXX)"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

ROUNDS="${CRASH_ROUNDS:-5}"
CONC="${CRASH_CONCURRENCY:-16}"
TOKEN="crash-token-0001"
SERVER="${CRASH_POSTGRES:?set CRASH_POSTGRES=postgres://user@host:5432/db}"

INSTANCE_PIDS=("" "" "")
PORTS=("$(free_port)" "$(free_port)" "$(free_port)")

launch() {
  spawn_service "${PORTS[$1]}" "$DB" "$WORK/service.$1.log"
  INSTANCE_PIDS[$1]=$SERVICE_PID
}

PROFILE="${CRASH_PROFILE:-release}"
BIN_DIR="${TALKBACK_BIN_DIR:-${CARGO_TARGET_DIR:-target}/${PROFILE}}"
if [[ -n "${TALKBACK_BIN_DIR:-}" ]]; then
  say "using the binaries in ${BIN_DIR} (no build)"
elif [[ "$PROFILE" == release ]]; then
  cargo build --release --examples --bins >&2
else
  cargo build --example loadgen --bins >&2
fi
BIN="${BIN_DIR}/talkback"
LOADGEN="${BIN_DIR}/examples/loadgen"
pg_fresh_database "$SERVER"

# Started together: the migrations' advisory lock lets one of them create the schema.
for i in 0 1 2; do launch "$i"; done
for i in 0 1 2; do wait_ready "${PORTS[$i]}" "${INSTANCE_PIDS[$i]}" "$WORK/service.$i.log" 90; done

failures=0
total_acked=0
printf "%-6s %7s %12s %8s %8s %10s %10s %10s\n" round killed acknowledged found missing duplicated no_scores stored
for round in $(seq 1 "$ROUNDS"); do
  acked="$WORK/acked.$round"
  : >"$acked"
  loaders=()
  for i in 0 1 2; do
    # Long enough to outlive the kill; a loop on the killed instance then fails fast.
    "$LOADGEN" --url "http://127.0.0.1:${PORTS[$i]}" --mode post --rate 0 --concurrency "$CONC" \
      --seconds 6 --record "$acked.$i" >"$WORK/loadgen.$round.$i.json" &
    loaders+=("$!")
  done
  EXTRA_PIDS=("${loaders[@]}")
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1.5 + 2.5 * r / 32767 }')"
  victim=$((RANDOM % 3))
  kill -9 "${INSTANCE_PIDS[$victim]}"
  wait "${INSTANCE_PIDS[$victim]}" 2>/dev/null || true
  INSTANCE_PIDS[victim]=""
  for p in "${loaders[@]}"; do wait "$p" || true; done
  EXTRA_PIDS=()
  cat "$acked".? >"$acked"

  # The killed instance comes back on the same database and serves what the others stored.
  launch "$victim"
  wait_ready "${PORTS[$victim]}" "${INSTANCE_PIDS[$victim]}" "$WORK/service.$victim.log" 90
  n_acked=$(wc -l <"$acked")
  n_distinct=$(sort -u "$acked" | wc -l)
  counts=$(psql -q -X -At -F ' ' -v ON_ERROR_STOP=1 "$DB" <<SQL
CREATE TEMP TABLE acked (id TEXT);
\\copy acked FROM '$acked'
SELECT
  (SELECT count(DISTINCT a.id) FROM acked a JOIN comments c ON c.id = a.id),
  (SELECT count(DISTINCT a.id) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = a.id)),
  (SELECT count(*) FROM (SELECT c.id FROM comments c JOIN (SELECT DISTINCT id FROM acked) a ON a.id = c.id
     GROUP BY c.id HAVING count(*) > 1) d),
  (SELECT count(*) FROM comments c JOIN (SELECT DISTINCT id FROM acked) a ON a.id = c.id
     WHERE (c.scores::jsonb ->> 'abuse') IS NULL OR (c.scores::jsonb ->> 'incitement') IS NULL),
  (SELECT count(*) FROM comments);
SQL
)
  read -r found missing duplicated no_scores stored <<<"$counts"
  # Every instance serves a few acknowledged ids with their scores.
  api_bad=0
  for i in 0 1 2; do
    while read -r id; do
      if ! curl -fsS -H "Authorization: Bearer ${TOKEN}" "http://127.0.0.1:${PORTS[$i]}/v1/moderation/comments/${id}" |
        grep -q '"scores":{"abuse"'; then
        api_bad=$((api_bad + 1))
      fi
    done < <(shuf -n 3 "$acked" 2>/dev/null || head -n 3 "$acked")
  done

  printf "%-6s %7s %12s %8s %8s %10s %10s %10s\n" "$round" "$victim" "$n_acked" "$found" "$missing" "$duplicated" "$no_scores" "$stored"
  total_acked=$((total_acked + n_acked))
  if ((n_acked == 0)); then
    echo "  round $round: nothing was acknowledged before the kill (machine too slow?)" >&2
    failures=$((failures + 1))
  fi
  if ((n_distinct != n_acked || missing > 0 || duplicated > 0 || no_scores > 0 || api_bad > 0)); then
    echo "  round $round: LOSS OR DUPLICATE (acked=$n_acked distinct=$n_distinct missing=$missing duplicated=$duplicated no_scores=$no_scores api_bad=$api_bad)" >&2
    failures=$((failures + 1))
  fi
done

if ((failures > 0)); then
  echo "crash_test (PostgreSQL): FAILED in $failures round(s)"
  exit 1
fi
echo "crash_test (PostgreSQL): ${ROUNDS} rounds, three instances, ${total_acked} acknowledged comments, each stored exactly once"
