#!/usr/bin/env bash
# Build pond: install what is missing (scripts/deps.sh), configure and compile.
#   scripts/build.sh [BUILD_DIR] [extra cmake args…]    (default BUILD_DIR: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}; shift || true
"$root/scripts/deps.sh"
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$root/$dir" -j"$(nproc)"
