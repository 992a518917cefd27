#!/usr/bin/env bash
# Creates (once) and prints the path of a cached Python venv:
#   test  pytest + numpy (the end-to-end suite)
#   k2    TensorFlow 2.15 (Keras 2) + hls4ml 1.3.0 + scikit-learn: fixtures, oracle tests, benchmarks
#   k3    TensorFlow 2.20 (Keras 3) + scikit-learn: Keras 3 fixtures
#   qk    TensorFlow 2.14 (Keras 2) + QKeras 0.9.0 + hls4ml 1.3.0 + scikit-learn: QKeras fixtures and comparisons
#   hgq   TensorFlow 2.15 (Keras 2) + HGQ 0.2.6 (HGQ1 proxy models) + hls4ml 1.3.0: HGQ1 fixtures and oracles
#   hgq2  TensorFlow 2.20 (Keras 3) + hgq2 0.2.0 + hls4ml 1.3.0: HGQ2 fixtures and oracles
set -euo pipefail
name="$1"
cache="${NNFPGA_CACHE:-$HOME/.cache/nnfpga}"
dir="$cache/$name"
case "$name" in
  test) pkgs=(pytest pytest-xdist 'numpy<2') ;;
  k2) pkgs=('tensorflow-cpu==2.15.1' 'hls4ml==1.3.0' scikit-learn 'numpy<2' pyyaml pytest pytest-xdist) ;;
  k3) pkgs=('tensorflow-cpu==2.20.0' scikit-learn) ;;
  qk) pkgs=('tensorflow-cpu==2.14.1' 'qkeras==0.9.0' pyparsing scikit-learn 'numpy<2' 'hls4ml==1.3.0' pyyaml) ;;
  # HGQ 0.2.6 asks for the full 'tensorflow' wheel; the CPU wheel provides the same module, so HGQ goes in without deps.
  hgq) pkgs=('tensorflow-cpu==2.15.1' 'numpy<2' 'hls4ml==1.3.0' pyyaml); nodeps=('HGQ==0.2.6') ;;
  hgq2) pkgs=('tensorflow-cpu==2.20.0' 'hgq2==0.2.0' 'hls4ml==1.3.0' pyyaml) ;;
  *) echo "venv.sh: unknown venv '$name'" >&2; exit 2 ;;
esac
nodeps=("${nodeps[@]:-}")
spec="${pkgs[*]}"
if [ -n "${nodeps[0]}" ]; then spec="$spec --no-deps ${nodeps[*]}"; fi
stamp="$dir/.nnfpga-$(echo "$spec" | md5sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  mkdir -p "$cache"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "${pkgs[@]}" >&2
  if [ -n "${nodeps[0]}" ]; then
    "$dir/bin/pip" install -q --disable-pip-version-check --no-deps "${nodeps[@]}" >&2
  fi
  touch "$stamp"
fi
echo "$dir"
