#!/usr/bin/env bash
# Regenerate the Keras fixtures (tests/fixtures/keras/) and the bundled example (examples/digits_mlp/)
# with the real frameworks, then check them.
#
#   tools/make_keras_fixtures.sh                  train, write and check every fixture
#   tools/make_keras_fixtures.sh --check          only check the committed files
#   tools/make_keras_fixtures.sh --hls4ml         also convert the example with hls4ml and compare
#   tools/make_keras_fixtures.sh digits_mlp ...   only these fixtures
#
# Two virtual environments are made when missing, under ${NNFPGA_CACHE:-$HOME/.cache/nnfpga}:
#   k2: tensorflow-cpu 2.15.1 (Keras 2) + hls4ml 1.3.0 + scikit-learn
#   k3: tensorflow-cpu 2.20.0 (Keras 3) + scikit-learn
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CACHE=${NNFPGA_CACHE:-$HOME/.cache/nnfpga}
K2=$CACHE/k2
K3=$CACHE/k3

check_only=0
hls4ml=0
only=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    --hls4ml) hls4ml=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done

# ensure_venv DIR PROBE PACKAGE...: make DIR (python3 -m venv) and pip install the packages unless
# the PROBE python code already runs there.
ensure_venv() {
  local dir=$1 probe=$2
  shift 2
  if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "$probe" >/dev/null 2>&1; then
    return
  fi
  echo "== making $dir (pip install $*)" >&2
  mkdir -p "$(dirname "$dir")"
  [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --upgrade pip
  "$dir/bin/python" -m pip install --quiet "$@"
  "$dir/bin/python" -c "$probe"
}

ensure_venv "$K2" \
  "import tensorflow as tf, sklearn, hls4ml, yaml, h5py; assert tf.__version__ == '2.15.1'" \
  'tensorflow-cpu==2.15.1' 'hls4ml==1.3.0' scikit-learn 'numpy<2' pyyaml
ensure_venv "$K3" \
  "import tensorflow as tf, keras, sklearn, h5py; assert tf.__version__ == '2.20.0' and keras.__version__[0] == '3'" \
  'tensorflow-cpu==2.20.0' scikit-learn

export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=3 KERAS_BACKEND=tensorflow CUDA_VISIBLE_DEVICES=
script=tools/make_keras_fixtures.py
sel=()
[ ${#only[@]} -eq 0 ] || sel=(--only "${only[@]}")
wants_example=1
if [ ${#only[@]} -gt 0 ]; then
  wants_example=0
  for n in "${only[@]}"; do [ "$n" != digits_mlp ] || wants_example=1; done
fi

run() {  # run VENV STAGE: one stage in one environment
  local venv=$1 stage=$2
  echo "== $stage ($venv)" >&2
  "$venv/bin/python" "$script" "$stage" ${sel[@]+"${sel[@]}"}
}

if [ $check_only -eq 0 ]; then
  run "$K2" k2
  run "$K3" k3
  [ $wants_example -eq 0 ] || "$K2/bin/python" "$script" example
fi
run "$K2" check-k2
run "$K3" check-k3
[ $hls4ml -eq 0 ] || "$K2/bin/python" "$script" hls4ml
echo "== done" >&2
