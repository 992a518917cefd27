#!/usr/bin/env bash
# Regenerate the QKeras fixtures (tests/fixtures/qkeras/) with the real QKeras, then check them.
#
#   tools/make_qkeras_fixtures.sh                 train, write and check every fixture
#   tools/make_qkeras_fixtures.sh --check         only check the committed files
#   tools/make_qkeras_fixtures.sh binary po2 ...  only these fixtures
#
# The environment is tools/venv.sh qk (tensorflow-cpu 2.14.1, QKeras 0.9.0, scikit-learn), made when missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
check_only=0
only=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done
venv=$(tools/venv.sh qk)
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES=
sel=()
[ ${#only[@]} -eq 0 ] || sel=(--only "${only[@]}")
if [ $check_only -eq 0 ]; then
  "$venv/bin/python" tools/make_qkeras_fixtures.py make ${sel[@]+"${sel[@]}"}
fi
"$venv/bin/python" tools/make_qkeras_fixtures.py check ${sel[@]+"${sel[@]}"}
echo "== done" >&2
