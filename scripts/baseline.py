#!/usr/bin/env python3
"""The classic baseline, and talkback beside it, on the same test split.

Baseline: TF-IDF word 1-2-grams + char_wb 2-5-grams (scikit-learn), LogisticRegression C=4,
one model per label, trained on the pooled train rows labelled for that label (empty cells are
"unlabelled", never 0). Evaluated on split=test rows: ROC AUC pooled and per source.

talkback's numbers come from `talkback eval --json` on the same file, so both columns are
computed on exactly the same rows.

Usage:
  pip install scikit-learn pandas
  python3 scripts/baseline.py [--data ../shared/data/comments.csv] [--model models]
                              [--talkback target/release/talkback] [--cache /tmp/baseline.json]
"""

import argparse
import json
import os
import subprocess
import sys
import time

LABELS = ["abuse", "incitement", "insult", "obscene", "threat", "identity_attack"]


def run_baseline(data_path):
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import FeatureUnion

    df = pd.read_csv(data_path, dtype=str, keep_default_na=False)
    df["text"] = df["text"].fillna("")
    train = df[df["split"] == "train"]
    test = df[df["split"] == "test"]
    t0 = time.time()
    vec = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            (
                "char",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            ),
        ]
    )
    x_train = vec.fit_transform(train["text"])
    x_test = vec.transform(test["text"])
    result = {"labels": {}, "sources": {}}
    for label in LABELS:
        if label not in df.columns:
            continue
        ytr = train[label]
        mask = ytr != ""
        if mask.sum() == 0:
            continue
        clf = LogisticRegression(C=4, max_iter=1000)
        clf.fit(x_train[mask.values], ytr[mask].astype(int).values)
        yte = test[label]
        tmask = (yte != "").values
        p = clf.predict_proba(x_test[tmask])[:, 1]
        y = yte[tmask].astype(int).values
        src = test["source"].values[tmask]
        if len(set(y)) == 2:
            result["labels"][label] = {"roc_auc": roc_auc_score(y, p), "n": int(len(y))}
        for s in sorted(set(src)):
            m = src == s
            if len(set(y[m])) == 2:
                result["sources"].setdefault(s, {})[label] = {
                    "roc_auc": roc_auc_score(y[m], p[m]),
                    "n": int(m.sum()),
                }
    result["train_seconds"] = time.time() - t0
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/comments.csv")
    ap.add_argument("--model", default="models")
    ap.add_argument("--talkback", default="target/release/talkback")
    ap.add_argument("--cache", help="reuse/store baseline results in this JSON file")
    args = ap.parse_args()
    if not os.path.exists(args.data):
        sys.exit(f"data file {args.data} not found")

    if args.cache and os.path.exists(args.cache):
        with open(args.cache) as f:
            base = json.load(f)
    else:
        base = run_baseline(args.data)
        if args.cache:
            with open(args.cache, "w") as f:
                json.dump(base, f, indent=1)

    out = subprocess.run(
        [args.talkback, "eval", "--model", args.model, "--data", args.data, "--split", "test", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    tb = json.loads(out.stdout)

    print(f"baseline features+training: {base.get('train_seconds', float('nan')):.0f}s")
    print(f"{'label':<16} {'source':<15} {'n':>6} {'baseline':>9} {'talkback':>9} {'delta':>8}")
    worst = []
    for label in LABELS:
        rows = [("pooled", base["labels"].get(label), tb["labels"].get(label))]
        for s in sorted(base["sources"]):
            rows.append((s, base["sources"][s].get(label), tb["sources"].get(s, {}).get(label)))
        for src, b, t in rows:
            if not b or not t or t.get("roc_auc") is None:
                continue
            d = t["roc_auc"] - b["roc_auc"]
            flag = "  <-- below baseline by >0.005" if d < -0.005 else ""
            if d < -0.005:
                worst.append((label, src, d))
            print(f"{label:<16} {src:<15} {b['n']:>6} {b['roc_auc']:>9.4f} {t['roc_auc']:>9.4f} {d:>+8.4f}{flag}")
    print("cells more than 0.005 below baseline:", len(worst))


if __name__ == "__main__":
    main()
