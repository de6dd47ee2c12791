#!/usr/bin/env bash
# The learning loop in one command: export moderator decisions -> train models/<date>-<letter>
# on them together with the shared data -> evaluate old and new on the same held-out rows -> gate ->
# promote (models/current) -> optionally tell the running service to reload.
#
#   scripts/retrain.sh [--force] [--fast-only] [--newsroom-weight W] [--database PATH] [--shared CSV]
#                      [--models DIR] [--tolerance T] [--test-percent P] [--reload URL]
#                      [-- extra `talkback train` flags]
#
#   --force             promote even if the gate refuses (the report records it)
#   --fast-only         train the fast model only, without the current model's sentence stage
#   --newsroom-weight W each newsroom training row counts as W rows (number > 0, default 3)
#   --database PATH     service database [default: $TALKBACK_DATABASE or data/talkback.db]
#   --shared CSV        shared labelled data [default: ../shared/data/comments.csv; skipped if absent]
#   --models DIR        models root holding `current` [default: models]
#   --tolerance T       largest allowed ROC AUC drop on any label [default: 0.005]
#   --test-percent P    share of newsroom rows held out for evaluation [default: 20]
#   --reload URL        after promotion, POST URL/v1/admin/model/reload with $TALKBACK_ADMIN_TOKEN
#                       (or send SIGHUP to the service yourself)
#
# Exit status: 0 promoted; 1 the gate refused (it names the label and the drop; the candidate and
# its report stay in models/<version>/ but `current` is unchanged); 2 usage; other: a step failed.
# Binary: $TALKBACK_BIN, else target/release/talkback (built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

force=()
fast_only=0
weight=3
database="${TALKBACK_DATABASE:-data/talkback.db}"
shared="../shared/data/comments.csv"
models="models"
tolerance="0.005"
test_percent=20
reload_url=""
train_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=(--force); shift ;;
    --fast-only) fast_only=1; shift ;;
    --newsroom-weight) weight="$2"; shift 2 ;;
    --database) database="$2"; shift 2 ;;
    --shared) shared="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --tolerance) tolerance="$2"; shift 2 ;;
    --test-percent) test_percent="$2"; shift 2 ;;
    --reload) reload_url="$2"; shift 2 ;;
    --) shift; train_extra=("$@"); break ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "retrain.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$weight" =~ ^[0-9]*[.]?[0-9]+$ && ! "$weight" =~ ^[0.]+$ ]] || { echo "retrain.sh: --newsroom-weight must be a number above 0" >&2; exit 2; }

bin="${TALKBACK_BIN:-target/release/talkback}"
if [[ ! -x "$bin" ]]; then
  echo "== building $bin"
  cargo build --release --quiet --bin talkback
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== 1/4 export decisions from $database (newsroom weight $weight, $test_percent% held out)"
"$bin" export-decisions --database "$database" --test-percent "$test_percent" --weight "$weight" \
  --out "$work/newsroom.csv"

# The newsroom's rows carry their weight in a `weight` column; train and gate read both files.
data=(--data "$work/newsroom.csv")
if [[ -f "$shared" ]]; then
  data=(--data "$shared" "${data[@]}")
  echo "   combined with $shared"
else
  echo "   $shared not found: training on the newsroom's decisions only"
fi

day="$(date -u +%Y-%m-%d)"
# The first free letter after the last one used today, so versions sort in training order.
version=""
for letter in {a..z}; do
  if [[ -e "$models/$day-$letter" ]]; then version=""; elif [[ -z "$version" ]]; then version="$day-$letter"; fi
done
[[ -n "$version" ]] || { echo "retrain.sh: no free version name for $day in $models" >&2; exit 3; }

# The current model's word vectors (if it has any) are reused, so retraining needs no download.
vectors=()
if grep -qs '"vectors": {' "$models/$(cat "$models/current" 2>/dev/null)/manifest.json"; then
  vectors=(--vectors "$models")
fi

echo "== 2/4 train $models/$version"
"$bin" train --quiet "${data[@]}" "${vectors[@]}" --out "$models/$version" "${train_extra[@]}"

# The current model's sentence stage (if it has one) is retrained on the same rows: its encoder
# is reused as it is; the heads and the blend are trained again. Every row's sentence vector is
# cached per encoder, so only rows not seen before are run through it.
current_manifest="$models/$(cat "$models/current" 2>/dev/null)/manifest.json"
encoder_sha="$(sed -n '/"encoder": {/,$p' "$current_manifest" 2>/dev/null | grep -m1 -o '"weights_sha256": "[0-9a-f]*"' | grep -o '[0-9a-f]\{64\}' || true)"
if [[ -n "$encoder_sha" && "$fast_only" == 0 ]]; then
  echo "== 2b/4 sentence stage for $version (encoder ${encoder_sha:0:12})"
  "$bin" train --quiet "${data[@]}" "${vectors[@]}" --exclude-fold 0/5 --out "$work/slice" "${train_extra[@]}"
  cache="${TALKBACK_CACHE:-$HOME/.cache/talkback}/embeddings-${encoder_sha:0:16}.safetensors"
  mkdir -p "$(dirname "$cache")"
  reuse=()
  [[ -f "$cache" && -f "$cache.ids" ]] && reuse=(--reuse "$cache")
  "$bin" embed --encoder "$models" "${data[@]}" "${reuse[@]}" --out "$work/embeddings.safetensors"
  cp "$work/embeddings.safetensors" "$cache.tmp" && cp "$work/embeddings.safetensors.ids" "$cache.ids" && mv "$cache.tmp" "$cache"
  "$bin" train-encoder --model "$models/$version" --slice "$work/slice" --encoder "$models" \
    --embeddings "$work/embeddings.safetensors" --checks tests/checks "${data[@]}" >/dev/null
fi

echo "== 3/4 evaluate $(cat "$models/current" 2>/dev/null || echo '?') and $version on the held-out rows, gate"
status=0
"$bin" gate --quiet --current "$models" --candidate "$models/$version" "${data[@]}" \
  --tolerance "$tolerance" --promote "${force[@]}" || status=$?
if [[ $status -ne 0 ]]; then
  echo "== not promoted: $models/current still names $(cat "$models/current")" >&2
  exit "$status"
fi

echo "== 4/4 promoted: $models/current -> $version"
if [[ -n "$reload_url" ]]; then
  curl --fail-with-body -sS -X POST -H "Authorization: Bearer ${TALKBACK_ADMIN_TOKEN:?set TALKBACK_ADMIN_TOKEN}" \
    "$reload_url/v1/admin/model/reload"
  echo
else
  echo "   reload the service: kill -HUP <pid>, or POST /v1/admin/model/reload with an admin token"
fi
