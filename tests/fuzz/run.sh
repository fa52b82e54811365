#!/usr/bin/env bash
# Build the fuzz targets with clang and libFuzzer (ASan + UBSan) and fuzz each for a while.
#   tests/fuzz/run.sh [TARGET…]        (TARGET: glob, mustache, store_csv, …; default: all)
# Environment:
#   POND_FUZZ_SECONDS  seconds per target (default 30)
#   POND_FUZZ_BUILD    the build directory (default build-fuzz/, beside build/)
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>/), its regressions
# (tests/fuzz/regressions/<target>/) and what earlier runs found (BUILD/corpus/<target>/,
# where new inputs go: the committed seeds are never written).  A crash, a leak, a timeout
# or an input past the memory limit ends that target; its input is written to
# BUILD/crashes/<target>/ and the script goes on with the next target, then exits 1.
# Every run appends "date target seconds execs crashes" to BUILD/fuzz-stats.tsv.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${POND_FUZZ_SECONDS:-30}
build=${POND_FUZZ_BUILD:-$root/build-fuzz}
fuzz="$root/tests/fuzz"

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang not found (scripts/deps.sh installs it)" >&2
    exit 1
fi
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for src in "$fuzz"/fuzz_*.c; do
        t=$(basename "$src" .c)
        targets+=("${t#fuzz_}")
    done
fi
exes=()
for t in "${targets[@]}"; do
    [ -f "$fuzz/fuzz_$t.c" ] || { echo "fuzz: no target $t (tests/fuzz/fuzz_$t.c)" >&2; exit 2; }
    exes+=("fuzz_$t")
done

echo "== fuzz: building ${exes[*]} with clang in $build" >&2
CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOND_LIBFUZZER=ON \
    >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${exes[@]}" >"$build/build.log" 2>&1 ||
    { tail -40 "$build/build.log" >&2; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
for t in "${targets[@]}"; do
    corpus="$build/corpus/$t" crashes="$build/crashes/$t"
    mkdir -p "$corpus" "$crashes"
    # Per-target libFuzzer flags (tests/fuzz/<target>.options, one flag a line) come last, so
    # that they win over these defaults.
    opts=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192
          -print_final_stats=1 -artifact_prefix="$crashes/")
    [ -f "$fuzz/$t.dict" ] && opts+=(-dict="$fuzz/$t.dict")
    [ -f "$fuzz/$t.options" ] && mapfile -t -O ${#opts[@]} opts < <(grep -v '^#' "$fuzz/$t.options")
    dirs=("$corpus" "$fuzz/corpus/$t")
    [ -d "$fuzz/regressions/$t" ] && dirs+=("$fuzz/regressions/$t")
    log="$build/fuzz-$t.log"
    echo "== fuzz: $t for ${seconds}s" >&2
    rc=0 start=$(date +%s)
    (cd "$build" && "./fuzz_$t" "${opts[@]}" "${dirs[@]}") >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    took=$(($(date +%s) - start))
    if [ "$rc" -ne 0 ]; then
        failed+=("$t")
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |artifact_prefix|Test unit written)' "$log" >&2 || tail -30 "$log" >&2
        echo "fuzz: $t failed (log: $log); make the input a regression:" >&2
        echo "  cp $crashes/<file> tests/fuzz/regressions/$t/<what-it-does>" >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$took" "${execs:-?}" \
        "$([ "$rc" -ne 0 ] && echo 1 || echo 0)" >>"$build/fuzz-stats.tsv"
    echo "   $t: ${execs:-?} inputs in ${took}s, exit $rc" >&2
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: no crash in ${targets[*]}" >&2
