#!/usr/bin/env python3
"""Probe: does a nearest-neighbour reading of the tuned sentence vectors add to the blend?

An experiment, not part of the service (docs/experiments/2026-12-06-neighbours.md). For each
label, the blend of the fast model and a linear sentence head (as `talkback train-encoder`
fits it: logistic regression on log-odds over the blend fold, fold 0/5) gets a third input: the
share of positives among the K most similar training rows outside the blend fold (cosine
similarity of the tuned vectors, each neighbour weighed by exp(T * similarity), smoothed).
K and T are chosen by 5-fold cross-validation within the blend fold; the test split is scored
once, with and without the neighbours.

Usage: pip install numpy safetensors scikit-learn
  D="--data ../shared/data/comments.csv --data ../shared/data/group_hate.csv"
  talkback tune-encoder ... --out TUNED           # writes TUNED/embeddings.safetensors(.ids)
  talkback train $D --vectors models --net-seed 7 --out FAST
  talkback train $D --vectors models --net-seed 7 --exclude-fold 0/5 --out SLICE
  for f in comments group_hate; do
    talkback eval --model SLICE --data ../shared/data/$f.csv --split all --dump DUMPS/slice_$f.csv
    talkback eval --model FAST --data ../shared/data/$f.csv --split test --dump DUMPS/fast_$f.csv
  done
  python3 scripts/probe_neighbours.py TUNED DUMPS abuse incitement identity_attack threat
Reads ../shared/data/{comments,group_hate}.csv (skips with a message when absent).

The check lists (tests/checks/), which no stage trains on, as well: write them as a labelled
CSV, score them with the slice and embed them with the tuned encoder, and the probe also prints
each list pair's ROC AUC without and with the neighbours (the blend fitted on the slice's
scores, as for the blend fold):
  python3 scripts/probe_neighbours.py write-lists DUMPS/lists.csv
  talkback eval --model SLICE --data DUMPS/lists.csv --split all --dump DUMPS/slice_lists.csv
  talkback embed --encoder TUNED --data DUMPS/lists.csv --out DUMPS/lists.safetensors

The built-in sentences (src/training/augment/) are among the tuned vectors but not in the CSVs:
with DUMPS/templates.csv (`id,source,split,abuse,incitement,insult,obscene,threat,
identity_attack`, one row per `talkback::training::augment::templates()` row) they join the
neighbours and the sentence head's rows, as they are in the sentence head talkback trains.
"""
import csv
import os
import sys
import tomllib

import numpy as np
from safetensors.numpy import load_file
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
CHECKS = os.path.join(os.path.dirname(__file__), "..", "tests", "checks")
# Pairs for the labels pairs.toml does not pair.
MORE_PAIRS = [
    ("abuse", "hate_plain", "friendly"),
    ("identity_attack", "hate_plain", "group_praise"),
    ("identity_attack", "hate_plain", "counter_speech"),
    ("incitement", "calls_group_violence", "news_violence"),
    ("threat", "threats_person", "violent_idioms"),
    ("threat", "threats_person", "news_violence"),
]
FILES = ["comments", "group_hate"]
MOST_NEIGHBOURS = 300
CANDIDATES = [(k, t) for k in (10, 30, 100, 300) for t in (0, 10, 20)]
BLOCK = 2000


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def read_csv(path):
    with open(path, newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def check_lists():
    """{list name: [comment, ...]} from tests/checks/*.txt."""
    lists = {}
    for name in sorted(os.listdir(CHECKS)):
        if name.endswith(".txt"):
            with open(os.path.join(CHECKS, name)) as f:
                # as `talkback check-lists` reads them: trimmed, blank lines skipped
                lists[name[:-4]] = [line.strip() for line in f if line.strip()]
    return lists


def read_pairs():
    with open(os.path.join(CHECKS, "pairs.toml"), "rb") as f:
        return tomllib.load(f)


def write_lists(out):
    # the lists pairs.toml asks to hold at least some of are the harmful ones
    harmful = {entry["name"] for entry in read_pairs()["list"] if "held_at_least" in entry}
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "source", "split", "text", "abuse", "incitement", "threat",
                     "identity_attack"])
        for name, comments in check_lists().items():
            y = "1" if name in harmful else "0"
            for n, text in enumerate(comments):
                w.writerow([f"{name}:{n}", name, "test", text, y, y, y, y])


def list_pairs(label):
    pairs = [(p["label"], p["calls"], p["harmless"]) for p in read_pairs()["pair"]]
    return [(calls, harmless) for pair_label, calls, harmless in pairs + MORE_PAIRS
            if pair_label == label]


def normalised(v):
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def read_vectors(path):
    vectors = load_file(path)["embeddings"].astype(np.float32)
    with open(path + ".ids") as f:
        ids = [line.strip() for line in f if not line.startswith("# ")]
    return vectors, {i: n for n, i in enumerate(ids)}, ids


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "write-lists":
        write_lists(sys.argv[2])
        return
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tuned, dumps, labels = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not all(os.path.exists(os.path.join(DATA, f + ".csv")) for f in FILES):
        print(f"SKIP: the labelled data is not in {DATA}")
        return
    vectors, row_of, ids = read_vectors(os.path.join(tuned, "embeddings.safetensors"))
    unit = normalised(vectors)
    data = {}
    for name in FILES:
        for i, r in read_csv(os.path.join(DATA, name + ".csv")).items():
            data[i] = (r, name)
    templates = os.path.join(dumps, "templates.csv")
    if os.path.exists(templates):
        for i, r in read_csv(templates).items():
            data[i] = (r, "templates")
    else:
        print(f"no {templates}: the built-in sentences are left out")
    slice_scores, fast_scores = {}, {}
    for name in FILES:
        slice_scores.update(read_csv(os.path.join(dumps, f"slice_{name}.csv")))
        fast_scores.update(read_csv(os.path.join(dumps, f"fast_{name}.csv")))
    lists = None
    if os.path.exists(os.path.join(dumps, "lists.safetensors")):
        slice_scores.update(read_csv(os.path.join(dumps, "slice_lists.csv")))
        list_vectors, list_row_of, _ = read_vectors(os.path.join(dumps, "lists.safetensors"))
        lists = (list_vectors, list_row_of)
    else:
        print(f"no {dumps}/lists.safetensors: the check lists are not probed")
    for label in labels:
        probe_label(label, ids, row_of, vectors, unit, data, slice_scores, fast_scores, lists)


def probe_label(label, ids, row_of, vectors, unit, data, slice_scores, fast_scores, lists):
    ref, blend, test = [], [], []
    for i in ids:
        if i not in data or data[i][0][label] not in ("0", "1"):
            continue  # not in the CSVs (built-ins without templates.csv), or not labelled
        if data[i][0]["split"] == "test":
            test.append(i)
        elif i in slice_scores and int(slice_scores[i]["fold5"]) == 0:  # never built-ins
            blend.append(i)
        else:
            ref.append(i)

    def truth(rows):
        return np.array([int(data[i][0][label]) for i in rows])

    def at(rows, matrix):
        return matrix[[row_of[i] for i in rows]]

    y_ref, y_blend, y_test = truth(ref), truth(blend), truth(test)
    references = at(ref, unit)
    head = LogisticRegression(C=1.0, max_iter=3000).fit(at(ref, vectors), y_ref)

    def nearest(queries):
        found, sims = [], []
        for a in range(0, len(queries), BLOCK):
            s = queries[a : a + BLOCK] @ references.T
            top = np.argpartition(-s, MOST_NEIGHBOURS, axis=1)[:, :MOST_NEIGHBOURS]
            top_s = np.take_along_axis(s, top, 1)
            order = np.argsort(-top_s, 1)
            found.append(np.take_along_axis(top, order, 1))
            sims.append(np.take_along_axis(top_s, order, 1))
        return np.vstack(found), np.vstack(sims)

    def neighbour_logit(near, k, t):
        found, sims = near
        w = np.exp(sims[:, :k] * t)
        return logit(((w * y_ref[found[:, :k]]).sum(1) + 0.5) / (w.sum(1) + 1))

    near_blend, near_test = nearest(at(blend, unit)), nearest(at(test, unit))
    fast_blend = logit(np.array([float(slice_scores[i][label]) for i in blend]))
    fast_test = logit(np.array([float(fast_scores[i][label]) for i in test]))
    sent_blend = head.decision_function(at(blend, vectors))
    sent_test = head.decision_function(at(test, vectors))

    def cross_validated(x):
        p = np.zeros(len(y_blend))
        for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y_blend):
            fit = LogisticRegression(C=100, max_iter=1000).fit(x[a], y_blend[a])
            p[b] = fit.decision_function(x[b])
        return roc_auc_score(y_blend, p)

    base_cv = cross_validated(np.c_[fast_blend, sent_blend])
    cv = {c: cross_validated(np.c_[fast_blend, sent_blend, neighbour_logit(near_blend, *c)])
          for c in CANDIDATES}
    k, t = max(cv, key=cv.get)
    in_comments = np.array([data[i][1] == "comments" for i in test])
    source = np.array([data[i][0]["source"] for i in test])

    def fit_blend(x):
        return LogisticRegression(C=100, max_iter=1000).fit(x, y_blend)

    near_chosen = neighbour_logit(near_blend, k, t)
    without = fit_blend(np.c_[fast_blend, sent_blend])
    with_ = fit_blend(np.c_[fast_blend, sent_blend, near_chosen])

    def test_line(blend, x_test):
        p = blend.decision_function(x_test)
        cells = " ".join(
            f"{s} {roc_auc_score(y_test[source == s], p[source == s]):.4f}"
            for s in sorted(set(source))
            if len(set(y_test[source == s])) == 2
        )
        pooled = roc_auc_score(y_test[in_comments], p[in_comments])
        return f"comments.csv pooled {pooled:.4f}; {cells}"

    print(f"== {label}: {len(ref)} neighbours, {len(blend)} blend rows, {len(test)} test rows")
    print(f"blend fold, 5-fold CV: without {base_cv:.4f}; "
          + " ".join(f"k{kk}/t{tt} {v:.4f}" for (kk, tt), v in cv.items()))
    print(f"chosen k={k} t={t}")
    print("test without:", test_line(without, np.c_[fast_test, sent_test]))
    print("test with:   ", test_line(
        with_, np.c_[fast_test, sent_test, neighbour_logit(near_test, k, t)]), flush=True)
    if lists is None:
        return
    list_vectors, list_row_of = lists
    comments = check_lists()

    def list_scores(name):
        rows = [f"{name}:{n}" for n in range(len(comments[name]))]
        v = list_vectors[[list_row_of[i] for i in rows]]
        fast = logit(np.array([float(slice_scores[i][label]) for i in rows]))
        sent = head.decision_function(v)
        near = nearest(normalised(v))
        return (without.decision_function(np.c_[fast, sent]),
                with_.decision_function(np.c_[fast, sent, neighbour_logit(near, k, t)]))

    for calls, harmless in list_pairs(label):
        (c0, c1), (h0, h1) = list_scores(calls), list_scores(harmless)
        y = [1] * len(c0) + [0] * len(h0)
        print(f"lists {calls} vs {harmless}: ROC AUC without {roc_auc_score(y, np.r_[c0, h0]):.3f},"
              f" with {roc_auc_score(y, np.r_[c1, h1]):.3f}")


if __name__ == "__main__":
    main()