#!/usr/bin/env bash
# Score the held-out check lists (tests/checks/) with a model and print, for each pair of lists
# in tests/checks/pairs.toml, the ROC AUC of the label that separates them and how many comments
# that label holds for review, then for each `[[list]]` how many of its comments are held for
# any label, as `talkback score` decides: the service's default bars unless TALKBACK_HOLD /
# TALKBACK_CONFIG say otherwise (the floors in pairs.toml are for the defaults).
#   scripts/check_lists.sh [MODEL_DIR]   (default: models; TALKBACK_NO_BUILD=1 uses the built binary as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-models}"
[ -n "${TALKBACK_NO_BUILD:-}" ] || cargo build --release --quiet --bin talkback
python3 - "$MODEL" <<'PY'
import json, subprocess, sys, tomllib
model = sys.argv[1]
checks = tomllib.load(open("tests/checks/pairs.toml", "rb"))
pairs = checks["pair"]
scored = {}
def score(name):
    if name not in scored:
        with open(f"tests/checks/{name}.txt") as comments:
            out = subprocess.run(["target/release/talkback", "score", "--model", model],
                                 stdin=comments, capture_output=True, text=True, check=True)
        scored[name] = [json.loads(line) for line in out.stdout.splitlines()]
    return scored[name]
def read(name, label):
    score(name)
    return ([s["scores"][label] for s in scored[name]],
            sum(label in s["decision"]["triggered"] for s in scored[name]))
def auc(pos, neg):
    # Share of (positive, negative) pairs ordered right, ties counting half.
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
print(f"model {model}")
for pair in pairs:
    pos_name, neg_name, label = pair["calls"], pair["harmless"], pair["label"]
    (pos, pos_held), (neg, neg_held) = read(pos_name, label), read(neg_name, label)
    print(f"{label:<10} {pos_name} vs {neg_name}: ROC AUC {auc(pos, neg):.3f} "
          f"(floor {pair['min_auc']}), held {pos_held}/{len(pos)} {pos_name}, "
          f"{neg_held}/{len(neg)} {neg_name} (at most {pair['max_held']}), "
          f"mean {sum(pos) / len(pos):.3f} vs {sum(neg) / len(neg):.3f}")
for entry in checks.get("list", []):
    rows = score(entry["name"])
    held = [r for r in rows if r["decision"]["status"] != "published"]
    bound = (f"at least {entry['held_at_least']}" if "held_at_least" in entry
             else f"at most {entry['held_at_most']}")
    print(f"list {entry['name']}: held {len(held)}/{len(rows)} ({bound})")
PY
