#!/usr/bin/env bash
# Tests the HLS layer library (runtime/hls) against every available ap types implementation: nnfpga's own
# (runtime/aptypes) and the vendor headers shipped in the hls4ml wheel (oracle venv; skipped with
# NNFPGA_NO_ORACLE=1, or given directly as NNFPGA_VENDOR_APTYPES=<dir>). For each set:
#   1. every header compiles on its own, and every function instantiates, under g++ and clang++, C++11 and
#      C++17, -Wall -Wextra -Werror (minus the two warnings HLS code always raises: HLS pragmas, loop labels);
#   2. hls_runtime_test.cpp and hls_layers_test.cpp compare the library (io_parallel functions and io_stream
#      ones) with the emulator kernels bit for bit (exit 1 on a mismatch).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${NNFPGA_BUILD_DIR:-build}"
cmake --build "$build" -j2 --target nnfpga_core >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sets=()
if [ -f runtime/aptypes/ap_fixed.h ]; then
  sets+=("nnfpga=runtime/aptypes")
else
  echo "note: runtime/aptypes/ap_fixed.h missing, nnfpga's ap types not tested"
fi
vendor="${NNFPGA_VENDOR_APTYPES:-}"
if [ -z "$vendor" ] && [ "${NNFPGA_NO_ORACLE:-0}" != 1 ]; then
  venv="$(tools/venv.sh k2)"
  vendor="$(ls -d "$venv"/lib/python3*/site-packages/hls4ml/templates/vivado/ap_types 2>/dev/null | head -1 || true)"
fi
if [ -n "$vendor" ] && [ -f "$vendor/ap_fixed.h" ]; then
  sets+=("vendor=$vendor")
else
  echo "note: vendor ap types not found, not tested"
fi
[ ${#sets[@]} -gt 0 ] || { echo "error: no ap types to test with" >&2; exit 1; }

compilers=(g++)
if command -v clang++ >/dev/null; then
  compilers+=(clang++)
else
  echo "note: clang++ not installed, strict compile with g++ only"
fi
strict=(-Wall -Wextra -Werror -Wno-unknown-pragmas -Wno-unused-label)
libs=($(pkg-config --libs hdf5 2>/dev/null || echo -lhdf5) -lyaml-cpp -lzip -lpthread)

status=0
for set in "${sets[@]}"; do
  name="${set%%=*}"
  dir="${set#*=}"
  inc=(-isystem "$dir")
  if [ ! -f "$dir/hls_stream.h" ]; then  # the io_stream functions need one: nnfpga's stands in
    mkdir -p "$work/stub-$name"
    cp runtime/aptypes/hls_stream.h "$work/stub-$name/"
    inc=(-isystem "$dir" -isystem "$work/stub-$name")
  fi
  echo "== ap types: $name ($dir)"
  for cxx in "${compilers[@]}"; do
    for std in c++11 c++17; do
      for h in runtime/hls/*.h; do
        echo "#include \"$(basename "$h")\"" |
          "$cxx" -x c++ -std=$std "${strict[@]}" -fsyntax-only -I runtime/hls "${inc[@]}" - ||
          { echo "FAIL: $h alone, $cxx -std=$std"; status=1; }
      done
      if "$cxx" -std=$std "${strict[@]}" -I runtime/hls "${inc[@]}" tests/hls_runtime/instantiate.cpp \
        -o "$work/inst" && "$work/inst" >/dev/null 2>&1; then
        echo "ok: strict compile, $cxx -std=$std"
      else
        echo "FAIL: strict compile, $cxx -std=$std"
        status=1
      fi
    done
  done
  g++ -std=c++20 -O1 -w -I include -I runtime/hls "${inc[@]}" tests/hls_runtime/hls_runtime_test.cpp \
    tests/hls_runtime/hls_layers_test.cpp "$build/libnnfpga_core.a" "${libs[@]}" -o "$work/test-$name"
  if "$work/test-$name" >"$work/out-$name"; then
    echo "ok: $(tail -1 "$work/out-$name")"
  else
    grep -v '^rejected' "$work/out-$name" | head -40
    echo "FAIL: library differs from the emulator with $name ap types"
    status=1
  fi
done
exit $status
