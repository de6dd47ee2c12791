#!/usr/bin/env bash
# Score the held-out check lists (tests/checks/) with a model and print, for each pair of lists
# in tests/checks/pairs.toml, the ROC AUC of the label that separates them and how many comments
# reach the service's default hold bar (incitement 0.3, abuse 0.7).
#   scripts/check_lists.sh [MODEL_DIR]   (default: models)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-models}"
cargo build --release --quiet --bin talkback
python3 - "$MODEL" <<'PY'
import json, subprocess, sys, tomllib
model = sys.argv[1]
# The service's default hold bars (Thresholds::default()).
HOLD = {"incitement": 0.3, "abuse": 0.7}
pairs = tomllib.load(open("tests/checks/pairs.toml", "rb"))["pair"]
scored = {}
def read(name, label):
    if name not in scored:
        with open(f"tests/checks/{name}.txt") as comments:
            out = subprocess.run(["target/release/talkback", "score", "--model", model],
                                 stdin=comments, capture_output=True, text=True, check=True)
        scored[name] = [json.loads(line)["scores"] for line in out.stdout.splitlines()]
    return [s[label] for s in scored[name]]
def auc(pos, neg):
    # Share of (positive, negative) pairs ordered right, ties counting half.
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
print(f"model {model}")
for pair in pairs:
    pos_name, neg_name, label = pair["calls"], pair["harmless"], pair["label"]
    bar = HOLD[label]
    pos, neg = read(pos_name, label), read(neg_name, label)
    print(f"{label:<10} {pos_name} vs {neg_name}: ROC AUC {auc(pos, neg):.3f} "
          f"(floor {pair['min_auc']}), held {sum(p >= bar for p in pos)}/{len(pos)} {pos_name}, "
          f"{sum(n >= bar for n in neg)}/{len(neg)} {neg_name} (hold bar {bar}, "
          f"at most {pair['max_held']}), mean {sum(pos) / len(pos):.3f} vs {sum(neg) / len(neg):.3f}")
PY
