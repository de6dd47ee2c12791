#!/usr/bin/env bash
# Score the held-out check lists (tests/checks/) with a model and print, per pair of lists, the
# ROC AUC of the label that separates them and how many comments reach the service's default
# hold bar (incitement 0.3, abuse 0.7).
#   scripts/check_lists.sh [MODEL_DIR]   (default: models)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-models}"
cargo build --release --quiet --bin talkback
scored="$(mktemp -d)"
trap 'rm -rf "$scored"' EXIT
for list in violent nonviolent hateful friendly violent2 nonviolent2 calls_harmless negated_violence negated_hate \
  hateful_typos friendly_typos violent2_typos nonviolent2_typos; do
  target/release/talkback score --model "$MODEL" < "tests/checks/$list.txt" > "$scored/$list.jsonl"
done
python3 - "$MODEL" "$scored" <<'PY'
import json, sys
model, scored = sys.argv[1], sys.argv[2]
def read(name, label):
    return [json.loads(line)["scores"][label] for line in open(f"{scored}/{name}.jsonl")]
def auc(pos, neg):
    # Share of (positive, negative) pairs ordered right, ties counting half.
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
print(f"model {model}")
for pos_name, neg_name, label, bar in [
    ("violent", "nonviolent", "incitement", 0.3),
    ("hateful", "friendly", "abuse", 0.7),
    ("violent2", "nonviolent2", "incitement", 0.3),
    ("violent2", "calls_harmless", "incitement", 0.3),
    ("violent2", "negated_violence", "incitement", 0.3),
    ("hateful", "negated_hate", "abuse", 0.7),
    ("hateful_typos", "friendly_typos", "abuse", 0.7),
    ("violent2_typos", "nonviolent2_typos", "incitement", 0.3),
]:
    pos, neg = read(pos_name, label), read(neg_name, label)
    print(f"{label:<10} {pos_name} vs {neg_name}: ROC AUC {auc(pos, neg):.3f}, "
          f"held {sum(p >= bar for p in pos)}/{len(pos)} {pos_name}, "
          f"{sum(n >= bar for n in neg)}/{len(neg)} {neg_name} (hold bar {bar}), "
          f"mean {sum(pos) / len(pos):.3f} vs {sum(neg) / len(neg):.3f}")
PY
