#!/usr/bin/env bash
# The main job on the bundled example: install, build, then model info, fixed-point emulation of the sample
# inputs, agreement and accuracy of fixed point vs float, and per-layer overflow.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
ex=examples/digits_mlp
build/nnfpga report --config "$ex/config.yml" --input "$ex/input.csv" --labels "$ex/labels.csv"
build/nnfpga predict --config "$ex/config.yml" --input "$ex/input.csv" --output /tmp/nnfpga_digits_mlp_out.csv
echo "outputs written to /tmp/nnfpga_digits_mlp_out.csv"
