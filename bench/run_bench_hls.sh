#!/usr/bin/env bash
# HLS backend vs hls4ml 1.3.0: time from model files to a C-simulated prediction, and generated project size.
# Appends to bench/RESULTS.md. Run nothing else on the machine meanwhile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=$(tools/venv.sh k2)
[ "${NNFPGA_BENCH_SKIP_BUILD:-0}" = 1 ] || tools/setup.sh >&2
exec "$venv/bin/python" bench/bench_hls.py "$@"
