#!/usr/bin/env bash
# Score the held-out check lists (tests/checks/) with a model and print, per pair of lists, the
# ROC AUC of the label that separates them and how many comments reach the service's default
# hold bar (incitement 0.3, abuse 0.7).
#   scripts/check_lists.sh [MODEL_DIR]   (default: models)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-models}"
cargo build --release --quiet --bin talkback
score() { target/release/talkback score --model "$MODEL" < "tests/checks/$1.txt"; }
python3 - "$MODEL" <(score violent) <(score nonviolent) <(score hateful) <(score friendly) \
  <(score violent2) <(score nonviolent2) <(score calls_harmless) <<'PY'
import json, sys
model, files = sys.argv[1], sys.argv[2:]
cache = {}
def read(path, label):
    # Each file is a pipe from the shell: read once, even when two pairs share a list.
    if path not in cache:
        cache[path] = [json.loads(line)["scores"] for line in open(path)]
    return [scores[label] for scores in cache[path]]
def auc(pos, neg):
    # Share of (positive, negative) pairs ordered right, ties counting half.
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
print(f"model {model}")
for (pos_name, neg_name, label, bar), (pos_file, neg_file) in zip(
    [("violent", "nonviolent", "incitement", 0.3), ("hateful", "friendly", "abuse", 0.7),
     ("violent2", "nonviolent2", "incitement", 0.3),
     ("violent2", "calls_harmless", "incitement", 0.3)],
    [files[0:2], files[2:4], files[4:6], [files[4], files[6]]],
):
    pos, neg = read(pos_file, label), read(neg_file, label)
    print(f"{label:<10} {pos_name} vs {neg_name}: ROC AUC {auc(pos, neg):.3f}, "
          f"held {sum(p >= bar for p in pos)}/{len(pos)} {pos_name}, "
          f"{sum(n >= bar for n in neg)}/{len(neg)} {neg_name} (hold bar {bar}), "
          f"mean {sum(pos) / len(pos):.3f} vs {sum(neg) / len(neg):.3f}")
PY
