#!/usr/bin/env bash
# Every test: install, build, unit tests (ctest), then the end-to-end suite (pytest: CLI contract, error
# messages, golden hls4ml outputs, Keras float agreement, hls4ml oracle). Python tools go into cached venvs
# under ${NNFPGA_CACHE:-~/.cache/nnfpga}; the oracle venv (TensorFlow + hls4ml) is built on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

echo "== unit tests"
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 300)

echo "== end-to-end tests"
tools/venv.sh test >/dev/null
cache="${NNFPGA_CACHE:-$HOME/.cache/nnfpga}"
if [ "${NNFPGA_NO_ORACLE:-0}" != 1 ]; then
  tools/venv.sh k2 >/dev/null   # hls4ml 1.3.0 + TensorFlow 2.15 (Keras 2): oracles, Xilinx ap types
  tools/venv.sh qk >/dev/null   # QKeras 0.9.0 + TensorFlow 2.14: QKeras oracles
  tools/venv.sh hgq >/dev/null  # HGQ 0.2.6 + hls4ml 1.3.0 + TensorFlow 2.15: HGQ oracles
  tools/venv.sh hgq2 >/dev/null # hgq2 0.2.0 + hls4ml 1.3.0 + TensorFlow 2.20 (Keras 3): HGQ2 oracles
fi

echo "== HLS layer library vs emulator"
NNFPGA_BUILD_DIR=build tests/hls_runtime/run.sh

"$cache/test/bin/python" -m pytest -q -n "$(nproc)" tests/e2e "$@"
