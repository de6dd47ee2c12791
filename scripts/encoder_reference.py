#!/usr/bin/env python3
"""Reference outputs of the sentence encoder, written once to tests/fixtures/ and compared with
talkback's Rust inference by tests/model/encoder.rs.

An independent implementation: Hugging Face's Python `tokenizers` and a plain numpy BERT forward
pass (post-layer-norm, exact GELU, mean pooling over real tokens) over the encoder's f32
weights (the shipped model's, before they were stored as f16), following the published BERT
equations rather than talkback's code.

Usage: pip install numpy safetensors tokenizers
       python3 scripts/encoder_reference.py ENCODER_DIR > tests/fixtures/encoder_reference.json
ENCODER_DIR holds model.safetensors, config.json and tokenizer.json: what `talkback
tune-encoder --out` wrote for the shipped model (or, for a frozen encoder, what
scripts/fetch_encoder.sh prints). Edit the fixture's "encoder" field to name it.
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "Thanks for the article, I learned something today.",
    "Go back to Africa, you monkey",
    "Hang the election officials from the lampposts",
    "Someone should break the ref's legs",
    "My Muslim neighbours brought us soup when the sirens started.",
    "The attacker stabbed two people before police shot him.",
    "You are a worthless piece of shit and a disgusting idiot",
    "I'd never wish death on anyone, even him.",
    "Our defence got slaughtered in the second half, again!!!",
    "Immigrants are vermin and should be treated like it",
    "Ok",
    "A longer comment about the council budget, the new bus lanes on Herzl street, the school "
    "that still has no shelter, and why nobody in the municipality answers the phone anymore "
    "when residents call about any of it.",
]
MAX_TOKENS = 128


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def encode(weights, cfg, ids):
    p = lambda name: weights[name].astype(np.float64)
    n = len(ids)
    x = p("embeddings.word_embeddings.weight")[ids]
    x = x + p("embeddings.position_embeddings.weight")[:n]
    x = x + p("embeddings.token_type_embeddings.weight")[0]
    eps = cfg["layer_norm_eps"]
    x = layer_norm(x, p("embeddings.LayerNorm.weight"), p("embeddings.LayerNorm.bias"), eps)
    heads = cfg["num_attention_heads"]
    d = cfg["hidden_size"] // heads
    for i in range(cfg["num_hidden_layers"]):
        pre = f"encoder.layer.{i}."
        lin = lambda h, name: h @ p(pre + name + ".weight").T + p(pre + name + ".bias")
        q = lin(x, "attention.self.query").reshape(n, heads, d).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(n, heads, d).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(n, heads, d).transpose(1, 0, 2)
        att = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        att = np.exp(att - att.max(-1, keepdims=True))
        att = att / att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(n, heads * d)
        x = layer_norm(
            lin(ctx, "attention.output.dense") + x,
            p(pre + "attention.output.LayerNorm.weight"),
            p(pre + "attention.output.LayerNorm.bias"),
            eps,
        )
        h = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(
            lin(h, "output.dense") + x,
            p(pre + "output.LayerNorm.weight"),
            p(pre + "output.LayerNorm.bias"),
            eps,
        )
    return x.mean(0)


def main():
    root = sys.argv[1]
    cfg = json.load(open(f"{root}/config.json"))
    weights = load_file(f"{root}/model.safetensors")
    tok = Tokenizer.from_file(f"{root}/tokenizer.json")
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    out = []
    for s in SENTENCES:
        ids = tok.encode(s).ids
        out.append({"text": s, "tokens": len(ids), "pooled": [round(float(v), 6) for v in encode(weights, cfg, ids)]})
    json.dump({"encoder": "sentence-transformers/all-MiniLM-L6-v2", "max_tokens": MAX_TOKENS, "sentences": out}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
