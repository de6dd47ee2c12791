#!/usr/bin/env bash
# Full disk: when the database's disk fills up, posts get a clear 503 and nothing acknowledged is
# lost; when space returns, posting resumes without a restart.
#
#   scripts/full_disk_test.sh            (needs root: it mounts a small tmpfs)
#
# Mounts a 3 MB tmpfs, starts the release service with its database there, posts comments until
# the disk is full (every answer must be 201, or 503 `storage_unavailable` once full), checks
# that /healthz still answers, grows the tmpfs to 64 MB, posts again (all must be 201), stops the
# service, then checks with the sqlite3 CLI that every acknowledged comment is stored and
# `PRAGMA integrity_check` is ok. Exits non-zero on any other outcome.
#
# Env: FULL_DISK_PORT (default: a free port).
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=full_disk
WORK="$(mktemp -d -t talkback-full-disk.XXXXXX)"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PORT="${FULL_DISK_PORT:-$(free_port)}"
TOKEN="full-disk-token-0001"
URL="http://127.0.0.1:${PORT}"

if [[ "$(id -u)" != 0 ]]; then
  say "skipped: mounting the small tmpfs needs root"
  exit 0
fi
need_sqlite3
cargo build --release --bins >&2

mkdir -p "$WORK/disk"
mount -t tmpfs -o size=3m tmpfs "$WORK/disk"
MOUNTED="$WORK/disk"
DB="$WORK/disk/talkback.db"
start_service

# Posts `$2` comments tagged `$1`, appending acknowledged ids to $WORK/acked; prints
# "<201 count> <503 count> <other count>". Stops after 20 refusals in a row.
post_many() {
  python3 - "$URL" "$1" "$2" "$WORK/acked" <<'PY'
import json, sys, urllib.request, urllib.error
url, tag, n, acked_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
body = "The council should publish the full budget before the vote, not after it. " * 5
ok = full = other = refused_in_a_row = 0
with open(acked_path, "a") as acked:
    for i in range(n):
        req = urllib.request.Request(
            url + "/v1/comments", method="POST",
            data=json.dumps({"article_id": "disk", "author": "r", "body": f"{body} {tag} {i}"}).encode(),
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                acked.write(json.loads(r.read())["id"] + "\n")
                ok += 1
                refused_in_a_row = 0
        except urllib.error.HTTPError as e:
            err = json.loads(e.read() or b"{}").get("error", {})
            if e.code == 503 and err.get("code") == "storage_unavailable":
                full += 1
            else:
                other += 1
                print(f"unexpected answer {e.code}: {err}", file=sys.stderr)
            refused_in_a_row += 1
            if refused_in_a_row >= 20:
                break
print(ok, full, other)
PY
}

failures=0
read -r ok full other <<<"$(post_many fill 100000)"
say "filling: ${ok} acknowledged, then ${full} refused with 503 storage_unavailable, ${other} other"
((full > 0)) || { say "FAILED: the disk never filled"; failures=$((failures + 1)); }
((other == 0)) || { say "FAILED: answers other than 201 / 503 storage_unavailable"; failures=$((failures + 1)); }
curl -fsS "${URL}/healthz" >/dev/null || { say "FAILED: /healthz does not answer on a full disk"; failures=$((failures + 1)); }

mount -o remount,size=64m "$WORK/disk"
read -r ok2 full2 other2 <<<"$(post_many after 50)"
say "after growing the disk: ${ok2} of 50 acknowledged (${full2} refused, ${other2} other)"
((ok2 == 50)) || { say "FAILED: posting did not resume"; failures=$((failures + 1)); }
stop_service

acked=$(sort -u "$WORK/acked" | wc -l)
sort -u "$WORK/acked" >"$WORK/ids.csv"
missing=$(sqlite3 -batch -noheader "file:${DB}?mode=ro" <<SQL
CREATE TEMP TABLE acked (id TEXT PRIMARY KEY);
.import $WORK/ids.csv acked
SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = a.id);
SQL
)
integrity=$(sqlite3 -batch -noheader "file:${DB}?mode=ro" "PRAGMA integrity_check;" | tr '\n' ' ' | xargs)
say "${acked} acknowledged, ${missing} missing, integrity ${integrity}"
((missing == 0)) && [[ "$integrity" == "ok" ]] || failures=$((failures + 1))

if ((failures > 0)); then
  say "FAILED"
  exit 1
fi
say "ok: a full disk answers 503 storage_unavailable, loses nothing acknowledged, and recovers"
