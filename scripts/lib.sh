# shellcheck shell=bash
# Shared by scripts/bench.sh and scripts/crash_test*.sh (source it, do not run it): a free port,
# the release service started on a database and waited for, a PostgreSQL database of the run's
# own, and cleanup on exit.
#
# The caller sets NAME (message prefix), WORK (scratch directory, removed on exit), DB, PORT,
# URL and TOKEN before calling start_service, and BIN when the service binary is not
# target/release/talkback. PID is the running service ("" when none); INSTANCE_PIDS are
# further instances (several on one PostgreSQL database), stopped on exit; EXTRA_PIDS lists
# helper processes (samplers, load generators) to kill on exit; MOUNTED is a file system
# mounted under WORK, unmounted on exit; PG_SERVER and PG_DBNAME name a database made by
# pg_fresh_database, dropped on exit.

PID=""
INSTANCE_PIDS=()
EXTRA_PIDS=()
MOUNTED=""
PG_SERVER=""
PG_DBNAME=""
BIN="${BIN:-target/release/talkback}"

say() { echo "${NAME}: $*" >&2; }

# A free TCP port: a fixed one may belong to another service on this machine.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cleanup() {
  local p
  for p in "${EXTRA_PIDS[@]}"; do
    if [[ -n "$p" ]]; then kill "$p" 2>/dev/null || true; fi
  done
  for p in "$PID" "${INSTANCE_PIDS[@]}"; do
    if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    fi
  done
  if [[ -n "$MOUNTED" ]]; then umount "$MOUNTED" 2>/dev/null || true; fi
  if [[ -n "$PG_DBNAME" ]]; then
    psql -q -X "$PG_SERVER" -c "DROP DATABASE IF EXISTS ${PG_DBNAME} WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The service on database $2 listening on 127.0.0.1:$1 in the background, its output appended
# to $3; its pid in SERVICE_PID.
spawn_service() {
  TALKBACK_LISTEN="127.0.0.1:$1" \
  TALKBACK_DATABASE="$2" \
  TALKBACK_MODEL="${TALKBACK_MODEL:-models}" \
  TALKBACK_MODERATOR_TOKENS="${NAME}:${TOKEN}" \
  TALKBACK_RATE_LIMIT=off \
  TALKBACK_LOG=warn \
    "$BIN" serve >>"$3" 2>&1 &
  SERVICE_PID=$!
}

# Waits until the service on port $1 (pid $2, log $3) is ready, at most $4 seconds (default
# 60); exits the script when it dies first or never gets ready.
wait_ready() {
  local port=$1 pid=$2 log=$3 limit=$((${4:-60} * 10)) tries=0
  until curl -fsS "http://127.0.0.1:${port}/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2
      say "service on port ${port} exited before it was ready"
      exit 1
    fi
    tries=$((tries + 1))
    if ((tries > limit)); then
      say "service on port ${port} not ready after ${4:-60} s"
      exit 1
    fi
    sleep 0.1
  done
  # Ready, but is it ours? (Another process on the port would answer too.)
  sleep 0.2
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$log" >&2
    say "the service exited; is port ${port} taken?"
    exit 1
  fi
}

start_service() {
  # shellcheck disable=SC2153 # PORT, DB and WORK are the caller's (see the top)
  spawn_service "$PORT" "$DB" "$WORK/service.log"
  PID=$SERVICE_PID
  wait_ready "$PORT" "$PID" "$WORK/service.log"
}

# A database of this run's own on the PostgreSQL server at URL $1 (dropped on exit): its name
# in PG_DBNAME, the URL naming it (the server's URL with the database replaced) in DB.
pg_fresh_database() {
  command -v psql >/dev/null || { say "needs psql (apt-get install postgresql-client)"; exit 2; }
  PG_SERVER=$1
  local base="${PG_SERVER%%\?*}" query=""
  if [[ "$PG_SERVER" == *\?* ]]; then query="?${PG_SERVER#*\?}"; fi
  PG_DBNAME="talkback_${NAME}_$$_${RANDOM}"
  psql -q -X -v ON_ERROR_STOP=1 "$PG_SERVER" -c "CREATE DATABASE ${PG_DBNAME}" >/dev/null
  DB="${base%/*}/${PG_DBNAME}${query}"
}

# The sqlite3 command line tool, installed when missing and possible (root with apt-get).
need_sqlite3() {
  command -v sqlite3 >/dev/null && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    say "installing the sqlite3 CLI"
    apt-get install -y -qq sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
  else
    say "needs the sqlite3 command line tool (apt-get install sqlite3)"
    exit 2
  fi
}

# Graceful stop (SIGTERM), waiting for the process to finish.
stop_service() {
  kill -TERM "$PID"
  wait "$PID" || true
  PID=""
}
