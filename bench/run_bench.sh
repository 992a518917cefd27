#!/usr/bin/env bash
# nnfpga vs hls4ml 1.3.0, side by side on this machine: time to first prediction, emulation
# throughput at ap_fixed<16,6>, bit-exactness. Appends the results to bench/RESULTS.md.
#
#   bench/run_bench.sh                          both models, 100k samples (about 10 minutes)
#   bench/run_bench.sh --samples 20000 --models mlp_16_100x5_5 --results ''   a quick look
#   bench/run_bench.sh --help                   all options (bench/bench_core.py)
#
# Makes (once) the k2 venv (tensorflow-cpu 2.15.1 + hls4ml 1.3.0) with tools/venv.sh, builds
# nnfpga with tools/setup.sh (NNFPGA_SKIP_APT=1 skips its apt step; NNFPGA_BENCH_SKIP_BUILD=1 skips the
# build and benchmarks build/nnfpga as it is), and writes the benchmark model with
# tools/make_bench_models.py if it is missing. Run nothing else on the machine meanwhile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=$(tools/venv.sh k2)
if [ "${NNFPGA_BENCH_SKIP_BUILD:-0}" = 1 ]; then  # benchmark build/nnfpga as it is
  test -x build/nnfpga || { echo "run_bench: build/nnfpga is missing: run tools/setup.sh" >&2; exit 1; }
else
  tools/setup.sh >&2
fi
if [ ! -f bench/models/mlp_16_100x5_5/model_weights.h5 ] || [ ! -f bench/models/conv_ae_16x16/model_weights.h5 ]; then
  "$venv/bin/python" tools/make_bench_models.py
fi
# As root, run at a higher CPU priority (nice -10; both tools alike, hls4ml's g++ included) so that
# other programs on the machine disturb the timings less; NNFPGA_BENCH_NICE=0 turns that off.
nice_cmd=()
if [ "$(id -u)" = 0 ] && [ "${NNFPGA_BENCH_NICE:-1}" != 0 ]; then nice_cmd=(nice -n -10); fi
exec "${nice_cmd[@]}" "$venv/bin/python" bench/bench_core.py --python "$venv/bin/python" --nnfpga build/nnfpga "$@"
