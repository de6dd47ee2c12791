#!/usr/bin/env python3
"""Keep, of a `talkback embed` output, only the blend-fold rows `tune-encoder` samples.

`tune-encoder` embeds a seeded sample of the blend fold (`--fold 0/5 --blend-rows 12000
--seed 7` by default) and `train-encoder` fits the blend on every blend-fold row that has a
vector. To refit a model's sentence stage on the vectors of its shipped encoder
(`talkback embed --encoder models/VERSION`), which cover every row, the blend must see the same
rows as after the tune; this drops the others. The selection repeats tune-encoder's: rows
outside the test split, fold by FNV-1a of the id, xorshift64* shuffles of the tuning pool and
then the blend pool (src/training/tune.rs, `select`).

usage: scripts/blend_sample.py IN.safetensors OUT.safetensors [--data CSV ...]
"""
import argparse, csv, os
import numpy as np
from safetensors.numpy import load_file, save_file

MASK = (1 << 64) - 1


def fold_of(row_id, n):
    h = 0xCBF29CE484222325
    for b in row_id.encode():
        h ^= b
        h = (h * 0x100000001B3) & MASK
    return h % n


class Rng:
    def __init__(self, seed):
        self.x = seed | 1

    def next(self):
        x = self.x
        x ^= x >> 12
        x ^= (x << 25) & MASK
        x ^= x >> 27
        self.x = x
        return (x * 0x2545F4914F6CDD1D) & MASK

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.next() % (i + 1)
            items[i], items[j] = items[j], items[i]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--data", action="append",
                    default=None, help="labelled CSVs, in tune-encoder's order")
    ap.add_argument("--fold", default="0/5")
    ap.add_argument("--blend-rows", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    data = a.data or ["../shared/data/comments.csv", "../shared/data/group_hate.csv"]
    k, n = (int(x) for x in a.fold.split("/"))
    tune, blend = [], []
    for path in data:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r["split"] == "test":
                    continue
                (blend if fold_of(r["id"], n) == k else tune).append(r["id"])
    rng = Rng(a.seed)
    rng.shuffle(tune)
    rng.shuffle(blend)
    drop = set(blend[a.blend_rows:])
    vectors = load_file(a.src)["embeddings"]
    with open(a.src + ".ids") as f:
        lines = f.read().splitlines()
    header, ids = lines[0], lines[1:]
    if not header.startswith("# input: ") or len(ids) != vectors.shape[0]:
        raise SystemExit(f"{a.src}.ids does not match {a.src}")
    keep = [i for i, row_id in enumerate(ids) if row_id not in drop]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    save_file({"embeddings": np.ascontiguousarray(vectors[keep])}, a.out)
    with open(a.out + ".ids", "w") as f:
        f.write(header + "\n" + "".join(ids[i] + "\n" for i in keep))
    print(f"blend pool {len(blend)}: kept {min(len(blend), a.blend_rows)}; "
          f"{len(keep)} of {len(ids)} vectors written to {a.out}")


if __name__ == "__main__":
    main()
