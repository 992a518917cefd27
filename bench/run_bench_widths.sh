#!/usr/bin/env bash
# Bit-exact widths vs hls4ml's 'auto' accumulators: `nnfpga info --bit-exact` on every committed fixture and,
# when ../shared/models exists, the shared models; prints a Markdown table (and its totals) for bench/RESULTS.md.
#   bench/run_bench_widths.sh [build/nnfpga]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-build/nnfpga}
shared=../shared/models/keras
echo "| model | accumulator bits, bit-exact | hls4ml 'auto' | saving | result bits, bit-exact | as configured |"
echo "|---|---:|---:|---:|---:|---:|"
tot_a=0; tot_b=0
row() {  # name, model args...
  local name=$1; shift
  local line
  line=$("$bin" info "$@" --bit-exact | grep '^bit-exact widths:')
  read -r a b r c < <(echo "$line" | sed -E "s/.*accumulators ([0-9]+) bits \(hls4ml 'auto': ([0-9]+),.*results ([0-9]+) bits \(as configured: ([0-9]+),.*/\1 \2 \3 \4/")
  tot_a=$((tot_a + a)); tot_b=$((tot_b + b))
  awk -v n="$name" -v a="$a" -v b="$b" -v r="$r" -v c="$c" \
    'BEGIN { printf "| %s | %d | %d | %.1f %% | %d | %d |\n", n, a, b, b ? 100 * (b - a) / b : 0, r, c }'
}
for d in tests/fixtures/keras/*/ tests/fixtures/qkeras/*/ tests/fixtures/hgq/*/ tests/fixtures/hgq2/*/; do
  m=$(ls "$d"model_full.h5 "$d"model.h5 "$d"model.keras 2>/dev/null | head -n 1 || true)
  [ -n "$m" ] || continue
  row "$(basename "$(dirname "$d")")/$(basename "$d")" "$m"
done
if [ -d "$shared" ]; then
  for m in KERAS_3layer KERAS_3layer_batch_norm KERAS_conv1d_small KERAS_conv2d_model qkeras_3layer qkeras_mnist_dense \
           KERAS_3layer_binary_smaller KERAS_3layer_ternary_small; do
    row "shared/$m" "$shared/$m.json" --weights "$shared/${m}_weights.h5"
  done
  row shared/hgq_jet_classifier "$shared/hgq_jet_classifier.h5"
fi
awk -v a="$tot_a" -v b="$tot_b" 'BEGIN { printf "| **total** | %d | %d | %.1f %% | | |\n", a, b, 100 * (b - a) / b }'
