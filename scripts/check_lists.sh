#!/usr/bin/env bash
# Score the held-out check lists (tests/checks/) with a model: `talkback check-lists`, which
# prints each pair's ROC AUC and held counts and each list's held count at the service's bars
# (TALKBACK_HOLD / TALKBACK_CONFIG as for `talkback serve`), and fails naming any bound missed.
#   scripts/check_lists.sh [MODEL_DIR]   (default: models; TALKBACK_NO_BUILD=1 uses the built binary as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${TALKBACK_NO_BUILD:-}" ] || cargo build --release --quiet --bin talkback
exec target/release/talkback check-lists --model "${1:-models}"
