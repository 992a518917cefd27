#!/usr/bin/env bash
# Installs what nnfpga needs to build (Debian packages; idempotent) and builds it into build/.
# Usage: tools/setup.sh            (NNFPGA_SKIP_APT=1 skips the package step)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config clang libhdf5-dev nlohmann-json3-dev libyaml-cpp-dev libzip-dev
          libpng-dev libcli11-dev libgtest-dev libbenchmark-dev python3-venv python3-pip)
if [ "${NNFPGA_SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" 2>&1 | grep -E "error|warning: |Error" || true
test -x build/nnfpga || { echo "setup: build failed" >&2; exit 1; }
echo "setup: built $(build/nnfpga --version)"
