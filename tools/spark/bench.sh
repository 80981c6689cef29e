#!/usr/bin/env bash
# Spark's overhead on one machine: eval vs spark-predict and train vs spark-train, with 1 and 2 executors
# (local-cluster: a standalone Master and Workers, executors in their own JVMs). Figures go to BENCHMARKS.md.
#   tools/spark/bench.sh [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=${1:-$here/runs/spark-bench}
st="$here/sparse-tune"
mkdir -p "$work"
[ -d "$work/data/val" ] || python3 "$here/tools/spark/make_imagefolder.py" "$work/data" 32 32
# A small Sparse-Tuning ViT for 28 px grey images: 49 tokens, width 96, depth 6, token sparsification at 3 and 5.
cat > "$work/model.json" <<'JSON'
{"img_size": 28, "patch_size": 4, "in_chans": 1, "embed_dim": 96, "depth": 6, "num_heads": 3, "mlp_ratio": 4.0,
 "num_classes": 10, "adapter_dim": 8, "keep_rate": 0.7, "ts_layers": [3, 5], "method": "sparse-tuning"}
JSON
flags=(--config "$work/model.json" --data "imagefolder:$work/data" --eval-data none --epochs 1 --batch-size 32
  --lr 1e-3 --seed 1)
t() { local s; s=$(date +%s%N); "$@"; echo "wall $(( ($(date +%s%N) - s) / 1000000 )) ms: $*" >&2; }

rm -rf "$work/train1"; t "$st" train "${flags[@]}" --out "$work/train1"
for n in 1 2; do
  rm -rf "$work/spark-train$n"
  t "$st" spark-train --master "local-cluster[$n,1,2048]" --workers "$n" "${flags[@]}" --out "$work/spark-train$n"
done
ck="$work/train1/last"
t "$st" eval --checkpoint "$ck" --data "imagefolder:$work/data" --batch-size 32
for n in 1 2; do
  t "$st" spark-predict --master "local-cluster[$n,1,2048]" --checkpoint "$ck" --data "imagefolder:$work/data" \
    --out "$work/predict$n" --batch-size 32 --partitions $((2 * n))
done
