#!/usr/bin/env bash
# Regenerate the HGQ2 fixtures (tests/fixtures/hgq2/) with the real hgq2, then check them.
#
#   tools/make_hgq2_fixtures.sh                 build, write and check every fixture
#   tools/make_hgq2_fixtures.sh --check         only check the committed files
#   tools/make_hgq2_fixtures.sh dense_wrap dense_sat ...  only these fixtures
#
# The environment is tools/venv.sh hgq2 (tensorflow-cpu 2.20.0, hgq2 0.2.0), made when missing.
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
venv=$(tools/venv.sh hgq2)
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES=
sel=()
[ ${#only[@]} -eq 0 ] || sel=(--only "${only[@]}")
if [ $check_only -eq 0 ]; then
  "$venv/bin/python" tools/make_hgq2_fixtures.py make ${sel[@]+"${sel[@]}"}
fi
"$venv/bin/python" tools/make_hgq2_fixtures.py check ${sel[@]+"${sel[@]}"}
echo "== done" >&2
