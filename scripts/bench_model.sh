#!/usr/bin/env bash
# Benchmarks for the classifier: scoring latency and model load time (examples/bench_model.rs),
# and optionally training time and peak memory (/usr/bin/time -v).
#   scripts/bench_model.sh [MODEL_DIR]            scoring + load
#   TRAIN=1 scripts/bench_model.sh [MODEL_DIR]    also time a full training run into /tmp
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-models}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
cargo build --release --quiet --example bench_model --bin talkback
# One core, as the target states, and one encoder thread, as the service runs it
# (--encoder-threads).
RAYON_NUM_THREADS=1 CANDLE_NUM_THREADS=1 taskset -c 0 target/release/examples/bench_model "$MODEL"
if [[ "${TRAIN:-0}" == "1" ]]; then
  out="$(mktemp -d)/bench-train"
  # The shipped recipe: the model's own word vectors, as scripts/retrain.sh trains.
  /usr/bin/time -v target/release/talkback train --quiet --data ../shared/data/comments.csv \
    --vectors "$MODEL" --out "$out" \
    2> >(grep -E "Elapsed|Maximum resident|wrote" >&2) >/dev/null
  rm -rf "$out"
fi
