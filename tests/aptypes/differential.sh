#!/usr/bin/env bash
# Differential test of runtime/aptypes against the real Vitis ap_fixed/ap_int headers (the copy inside the hls4ml
# wheel of the k2 venv, see tools/venv.sh): the same program (diff_*.cpp) is built against each, run, and the
# outputs diffed. Exit 0 when identical. Usage: tests/aptypes/differential.sh [work dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/nnfpga-aptypes-diff}"
mkdir -p "$work/ours" "$work/vitis"
venv="$("$root/tools/venv.sh" k2)"
vitis="$(ls -d "$venv"/lib/python3*/site-packages/hls4ml/templates/vivado/ap_types | head -1)"
[ -f "$vitis/ap_fixed.h" ] || { echo "differential.sh: no ap_fixed.h under $vitis" >&2; exit 2; }
cxx="${CXX:-g++}"
sources=(diff_main diff_conv_a diff_conv_b diff_arith diff_misc)

# ours: warnings are errors (the headers must be clean). vitis: their headers warn, so silence them; NDEBUG because
# some roundings (a rounding conversion that drops more bits than the source has) trip an internal assert of
# theirs ("Attempting to read bit beyond MSB") and abort. Objects are rebuilt only when a source or header is newer
# (the Vitis build takes minutes).
build() {  # build <name> <include dir> <flags...>
    local name="$1" inc="$2"
    shift 2
    local pids=() newest stamp="$work/$name/flags"
    # a change of flags rebuilds everything
    if [ "$(cat "$stamp" 2>/dev/null)" != "$*" ]; then rm -f "$work/$name"/*.o; echo "$*" >"$stamp"; fi
    newest=$(ls -t "$here"/*.h "$inc"/*.h | head -1)
    for s in "${sources[@]}"; do
        local obj="$work/$name/$s.o"
        if [ ! -f "$obj" ] || [ "$here/$s.cpp" -nt "$obj" ] || [ "$newest" -nt "$obj" ]; then
            "$cxx" -std=c++17 "$@" -I"$inc" -I"$here" -c "$here/$s.cpp" -o "$obj" 2>"$work/$name/$s.log" &
            pids+=($!)
        fi
    done
    local failed=0
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
    if [ "$failed" != 0 ]; then
        echo "differential.sh: build against $name headers failed:" >&2
        grep -h -m5 'error' "$work/$name"/*.log >&2 || true
        exit 2
    fi
    "$cxx" $(printf "$work/$name/%s.o " "${sources[@]}") -o "$work/$name/diff"
}
start=$(date +%s)
build ours "$root/runtime/aptypes" -O1 -Wall -Wextra -Werror
build vitis "$vitis" -O0 -w -DNDEBUG
echo "built in $(($(date +%s) - start)) s"

"$work/ours/diff" >"$work/ours.txt"
"$work/vitis/diff" >"$work/vitis.txt" 2>"$work/vitis.stderr"
lines=$(wc -l <"$work/ours.txt")
if cmp -s "$work/ours.txt" "$work/vitis.txt"; then
    echo "differential: $lines cases, outputs identical"
    exit 0
fi
diff "$work/ours.txt" "$work/vitis.txt" >"$work/diff.txt" || true
echo "differential: $lines cases, $(grep -c '^<' "$work/diff.txt") lines differ (see $work/diff.txt)"
head -40 "$work/diff.txt"
exit 1
