#!/usr/bin/env bash
# The learning loop in one command: `talkback retrain` (see `talkback retrain --help`). Export
# moderator decisions -> train models/<date>-<letter> on them with the shared data (and the
# current model's sentence stage) -> evaluate old and new on the same held-out rows -> gate ->
# promote (models/current) -> optionally tell the running service to reload.
#
#   scripts/retrain.sh [--force] [--fast-only] [--newsroom-weight W] [--database PATH] [--shared CSV]
#                      [--models DIR] [--tolerance T] [--test-percent P] [--reload URL]
#                      [-- extra `talkback train` flags]
#
# Exit status: 0 promoted; 1 the gate refused or a step failed (the message says which; a refused
# candidate and its report stay in models/<version>/, `current` is unchanged); 2 usage.
# Runs from the repository root. Binary: $TALKBACK_BIN, else target/release/talkback (built when
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${TALKBACK_BIN:-target/release/talkback}"
if [[ ! -x "$bin" ]]; then
  echo "== building $bin"
  cargo build --release --quiet --bin talkback
fi
exec "$bin" retrain "$@"
