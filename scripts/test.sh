#!/usr/bin/env bash
# Build pond and run every test twice: a normal build (build/), then the whole suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), failing on any report;
# then build the fuzz targets with clang and libFuzzer (build-fuzz/) and fuzz each briefly
# (tests/fuzz/run.sh; POND_FUZZ_SECONDS per target, 25 by default here; POND_SKIP_FUZZ=1
# leaves the fuzzing out).
# Installs what is missing first (scripts/deps.sh, via scripts/build.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

echo "== build (RelWithDebInfo)" >&2
"$root/scripts/build.sh" build
echo "== tests" >&2
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

echo "== build (ASan + UBSan)" >&2
"$root/scripts/build.sh" build-asan -DPOND_SANITIZE=ON
echo "== tests under ASan + UBSan" >&2
# Any sanitizer report ends the process with a non-zero status, which fails its test.
# libduckdb.so is not instrumented; its own allocations are not ours to report, so leaks are
# checked against the suppressions in tests/lsan.supp (DuckDB's process-lifetime caches only).
ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86:strict_string_checks=1" \
LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs"

if [ "${POND_SKIP_FUZZ:-0}" = 1 ]; then
    echo "== fuzzing skipped (POND_SKIP_FUZZ=1)" >&2
else
    echo "== fuzzing (clang + libFuzzer, ${POND_FUZZ_SECONDS:-25}s per target)" >&2
    POND_FUZZ_SECONDS=${POND_FUZZ_SECONDS:-25} "$root/tests/fuzz/run.sh"
fi
