# shellcheck shell=bash
# Shared by scripts/bench.sh and scripts/crash_test.sh (source it, do not run it): a free port,
# the release service started on a database and waited for, and cleanup on exit.
#
# The caller sets NAME (message prefix), WORK (scratch directory, removed on exit), DB, PORT,
# URL and TOKEN before calling start_service. PID is the running service ("" when none);
# EXTRA_PIDS lists helper processes (samplers, load generators) to kill on exit; MOUNTED is a
# file system mounted under WORK, unmounted on exit.

PID=""
EXTRA_PIDS=()
MOUNTED=""

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
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [[ -n "$MOUNTED" ]]; then umount "$MOUNTED" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_service() {
  TALKBACK_LISTEN="127.0.0.1:${PORT}" \
  TALKBACK_DATABASE="$DB" \
  TALKBACK_MODEL="${TALKBACK_MODEL:-models}" \
  TALKBACK_MODERATOR_TOKENS="${NAME}:${TOKEN}" \
  TALKBACK_RATE_LIMIT=off \
  TALKBACK_LOG=warn \
    target/release/talkback serve >>"$WORK/service.log" 2>&1 &
  PID=$!
  local tries=0
  until curl -fsS "${URL}/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$PID" 2>/dev/null; then
      tail -n 20 "$WORK/service.log" >&2
      say "service exited before it was ready"
      exit 1
    fi
    tries=$((tries + 1))
    if ((tries > 600)); then
      say "service not ready after 60 s"
      exit 1
    fi
    sleep 0.1
  done
  # Ready, but is it ours? (Another process on the port would answer too.)
  sleep 0.2
  if ! kill -0 "$PID" 2>/dev/null; then
    tail -n 20 "$WORK/service.log" >&2
    say "the service exited; is port ${PORT} taken?"
    exit 1
  fi
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
