#!/usr/bin/env bash
# The common driver of the fixture scripts (tools/make_{qkeras,hgq,hgq2}_fixtures.sh):
#
#   tools/fixture_driver.sh VENV SCRIPT.py CALLER [--check] [NAME ...]
#
# makes (when missing) the venv with tools/venv.sh VENV, then runs `SCRIPT.py make [--only NAME ...]` (unless
# --check) and `SCRIPT.py check [--only NAME ...]` in it, reproducibly (fixed hash seed, no GPU). --help prints
# the CALLER's header.
set -euo pipefail
venv_name=$1 script=$2 caller=$(realpath "$3")
shift 3
cd "$(dirname "${BASH_SOURCE[0]}")/.."
check_only=0
only=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    -h|--help) sed -n '2,8p' "$caller"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done
venv=$(tools/venv.sh "$venv_name")
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES=
sel=()
[ ${#only[@]} -eq 0 ] || sel=(--only "${only[@]}")
if [ $check_only -eq 0 ]; then
  "$venv/bin/python" "$script" make ${sel[@]+"${sel[@]}"}
fi
"$venv/bin/python" "$script" check ${sel[@]+"${sel[@]}"}
echo "== done" >&2
