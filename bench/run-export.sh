#!/usr/bin/env bash
# bench/run-export.sh: time `pond export --temporal year,month,day` against plain DuckDB doing
# the same COPY … PARTITION_BY from the same Parquet files, in one run on the same data.
#
#   bench/run-export.sh [--build DIR] [--case big|many|all] [--reps N] [--tmp DIR] [--perf]
#                       [--keep]
#
# For each case: generate sensor data (pond-gen-sensors, Parquet), load it into a fresh pond
# (pond init / mkdir / copy), then REPS times, alternating which goes first, under
# /usr/bin/time -v:
#   (a) pond export -p '/sites/*.series' -d OUT --temporal year,month,day --quiet
#   (b) pond-bench-duckdb-copy: COPY (SELECT *, year(timestamp) AS year, month(…), day(…)
#       FROM read_parquet(<the pond's content files under $POND/data>)) TO OUT2
#       (FORMAT PARQUET, PARTITION_BY (year, month, day)) — one COPY per series for "many".
# and, for reference, (c) the same DuckDB COPY with RETURN_STATS (which pond needs for its
# per-file row counts), and for "many" (d) one DuckDB COPY over all files partitioned by
# (src, year, month, day), the fastest DuckDB can do.  Both outputs are synced to disk before the next
# run starts.  Reports median wall time, user+sys CPU, peak RSS, rows/s, series/s and the ratio
# duckdb_wall / pond_wall (>= 0.9: pond at most ~11% slower), then checks with DuckDB (duckq)
# that both outputs hold the same rows and partitions.  Speed is measured here, never in tests.
#
# Cases: big = one series of 10,000,000 rows (3 parameters, one row a minute, ~19 years);
#        many = 1,000 series of 10,000 rows each.
# Everything lives in a mktemp dir under /tmp (or --tmp DIR, e.g. /dev/shm to take the disk
# out of the comparison), removed at the end unless --keep.  Each run writes a fresh output
# directory (deleting 7,000 files just before the next run slows ext4's inode allocation).
# --perf adds one profiled pond export per case (perf record) and prints where its CPU went.
# Needs: a RelWithDebInfo build (scripts/build.sh build-bench) with the targets pond,
# pond-gen-sensors, duckq and pond-bench-duckdb-copy.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
cases=all
reps=3
perf=0
keep=0
tmp=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --case) cases=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --perf) perf=1; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-export.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
case $cases in big | many | all) ;; *) echo "run-export.sh: --case big|many|all" >&2; exit 2 ;; esac

pond=$build/pond
gen=$build/pond-gen-sensors
duckq=$build/duckq
dcopy=$build/pond-bench-duckdb-copy
for b in "$pond" "$gen" "$duckq" "$dcopy"; do
    if [ ! -x "$b" ]; then
        echo "run-export.sh: missing $b: cmake --build $build --target $(basename "$b")" >&2
        exit 1
    fi
done
if [ ! -x /usr/bin/time ]; then
    echo "run-export.sh: installing GNU time (/usr/bin/time)" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if ! grep -q RelWithDebInfo "$build/CMakeCache.txt" 2>/dev/null ||
    grep -q 'POND_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "run-export.sh: warning: $build is not a plain RelWithDebInfo build" >&2
fi

work=$(mktemp -d "$tmp/pond-bench-export.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

quiet=()
if "$pond" export --help 2>&1 | grep -- '--quiet' >/dev/null; then quiet=(--quiet); fi

# timed NAME CMD…: run CMD under /usr/bin/time -v, its output in $work/NAME.{out,time};
# appends "wall cpu rss_kb" to $work/NAME.runs.
timed() {
    local name=$1; shift
    sync
    if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1; then
        echo "run-export.sh: '$name' failed:" >&2
        cat "$work/$name.out" "$work/$name.time" >&2
        exit 1
    fi
    sync
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { m = $2 }
        END { printf "%.2f %.2f %d\n", w, u + s, m }' "$work/$name.time" >>"$work/$name.runs"
    echo "     $name: $(tail -1 "$work/$name.runs" | awk '{ printf "wall %s s, user+sys %s s, peak RSS %d MiB", $1, $2, $3 / 1024 }')" >&2
}

# median COLUMN FILE: the median of a column of NAME.runs.
median() { awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maxcol() { awk -v c="$1" '$c > m { m = $c } END { print m }' "$2"; }

# report CASE NAME LABEL ROWS SERIES: one table row from NAME.runs
report() {
    local f=$work/$2.runs wall cpu rss
    wall=$(median 1 "$f"); cpu=$(median 2 "$f"); rss=$(maxcol 3 "$f")
    awk -v c="$1" -v l="$3" -v w="$wall" -v cpu="$cpu" -v r="$rss" -v rows="$4" -v ser="$5" \
        -v all="$(awk '{ printf "%s%s", sep, $1; sep = "/" }' "$f")" 'BEGIN {
        sps = "-"; if (ser > 1) sps = sprintf("%.1f", ser / w)
        printf "| %s | %s | %.2f (%s) | %.2f | %.0f | %.0f | %s |\n",
               c, l, w, all, cpu, r / 1024, rows / w, sps }'
}

ratio() { awk -v a="$(median "$3" "$work/$1.runs")" -v b="$(median "$3" "$work/$2.runs")" 'BEGIN { printf "%.2f", a / b }'; }

# check OUT1 OUT2 ROWS: both trees hold ROWS rows in the same number of day partitions, with
# the same sum of a value column.
check() {
    local a b da db
    a=$("$duckq" -v g="$1/**/*.parquet" "SELECT count(*), round(sum(temperature_c), 3) FROM read_parquet(getvariable('g'), hive_partitioning = false)" | tail -1)
    b=$("$duckq" -v g="$2/**/*.parquet" "SELECT count(*), round(sum(temperature_c), 3) FROM read_parquet(getvariable('g'), hive_partitioning = false)" | tail -1)
    da=$(find "$1" -type d -name 'day=*' | wc -l)
    db=$(find "$2" -type d -name 'day=*' | wc -l)
    echo "check: pond rows,sum=$a day-partitions=$da; duckdb rows,sum=$b day-partitions=$db; expected rows=$3"
    if [ "$a" != "$b" ] || [ "$da" != "$db" ] || [ "${a%%,*}" != "$3" ]; then
        echo "run-export.sh: CHECK FAILED: the outputs differ" >&2
        exit 1
    fi
}

echo "# pond export benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# reps=$reps, figures are medians (every run's wall in parentheses); RSS is the max over runs"
table=$work/table
: >"$table"

run_case() {
    local c=$1 sites=$2 minutes=$3 rows series files
    rows=$((sites * minutes)); series=$sites
    local d=$work/$c
    mkdir -p "$d"
    echo "== case $c: $sites series x $minutes rows (3 params), generating…" >&2
    "$gen" "$d/gen" --sites "$sites" --minutes "$minutes" --params 3 --format parquet
    for f in "$d"/gen/*.parquet; do mv "$f" "${f%.parquet}.series"; done
    "$pond" --pond "$d/pond" init >/dev/null
    "$pond" --pond "$d/pond" mkdir -p /sites >/dev/null
    local t0=$SECONDS
    "$pond" --pond "$d/pond" copy --format series "$d"/gen/*.series /sites/ >/dev/null
    echo "   loaded into the pond in $((SECONDS - t0)) s" >&2
    rm -rf "$d/gen"
    find "$d/pond/data" -type f >"$d/files"
    files=$(wc -l <"$d/files")
    if [ "$files" != "$series" ]; then
        echo "run-export.sh: expected $series content files under $d/pond/data, found $files" >&2
        exit 1
    fi
    local each=()
    [ "$series" -gt 1 ] && each=(--each)
    for ((i = 1; i <= reps; i++)); do
        echo "   rep $i/$reps" >&2
        local order=(pond duckdb)
        [ $((i % 2)) = 0 ] && order=(duckdb pond)
        for who in "${order[@]}"; do
            if [ "$who" = pond ]; then
                timed "$c-pond" "$pond" --pond "$d/pond" export -p '/sites/*.series' \
                    -d "$d/out.$i" --temporal year,month,day "${quiet[@]}"
            else
                timed "$c-duckdb" "$dcopy" "$d/out2.$i" --temporal year,month,day "${each[@]}" \
                    --files-from "$d/files"
            fi
        done
        timed "$c-duckdbs" "$dcopy" "$d/out4.$i" --temporal year,month,day "${each[@]}" \
            --return-stats --files-from "$d/files"
        if [ "$series" -gt 1 ]; then
            timed "$c-duckdb1" "$dcopy" "$d/out3.$i" --temporal year,month,day --by-file \
                --files-from "$d/files"
        fi
    done
    check "$d/out.$reps" "$d/out2.$reps" "$rows"
    report "$c" "$c-pond" "pond export" "$rows" "$series" >>"$table"
    if [ "$series" -gt 1 ]; then
        report "$c" "$c-duckdb" "DuckDB, one COPY per series" "$rows" "$series" >>"$table"
        report "$c" "$c-duckdbs" "(ref.) DuckDB, one COPY per series, RETURN_STATS" "$rows" "$series" >>"$table"
        report "$c" "$c-duckdb1" "(ref.) DuckDB, one COPY for all series" "$rows" "$series" >>"$table"
    else
        report "$c" "$c-duckdb" "DuckDB COPY" "$rows" "$series" >>"$table"
        report "$c" "$c-duckdbs" "(ref.) DuckDB COPY, RETURN_STATS" "$rows" "$series" >>"$table"
    fi
    echo "| $c | **ratio DuckDB/pond** | **$(ratio "$c-duckdb" "$c-pond" 1)** (wall) | $(ratio "$c-duckdb" "$c-pond" 2) (cpu) | | | |" >>"$table"
    echo "| $c | ratio DuckDB+RETURN_STATS/pond | $(ratio "$c-duckdbs" "$c-pond" 1) (wall) | $(ratio "$c-duckdbs" "$c-pond" 2) (cpu) | | | |" >>"$table"
    if [ "$perf" = 1 ] && command -v perf >/dev/null; then
        perf record -q -F 499 -o "$d/perf.data" -- "$pond" --pond "$d/pond" export \
            -p '/sites/*.series' -d "$d/out.perf" --temporal year,month,day "${quiet[@]}" \
            >/dev/null 2>&1 || true
        echo "== perf, case $c: where pond export's CPU samples went"
        perf report -i "$d/perf.data" --stdio --no-children --sort dso,sym -g none 2>/dev/null |
            grep -E '^ +[0-9]' | awk '{
                p = $1; sub("%", "", p)
                if ($0 ~ /icu_66|uprv_|fmod/) c = "ICU calendar (date parts of TIMESTAMPTZ, window queries)"
                else if ($0 ~ /\[k\]/) c = "kernel (file and directory creation, I/O)"
                else if ($0 ~ /mutex|malloc|free|memmove|memcpy|strlen|_int_/) c = "libc: locks, malloc, memory"
                else if ($0 ~ /snappy|Parquet|parquet|[Tt]hrift|ColumnWriter/) c = "Parquet read/write"
                else c = "other DuckDB (execution, statistics, planning)"
                a[c] += p }
                END { for (k in a) printf "   %6.2f%%  %s\n", a[k], k }' | sort -rn || true
        perf report -i "$d/perf.data" --stdio --no-children --sort sym -g none 2>/dev/null |
            grep -E '^ +[0-9]' | cut -c1-100 | awk 'NR <= 12' || true
    fi
    rm -rf "$d"
}

[ "$cases" = big ] || [ "$cases" = all ] && run_case big 1 10000000
[ "$cases" = many ] || [ "$cases" = all ] && run_case many 1000 10000

echo
echo "| case | tool | wall s, median (runs) | user+sys s | peak RSS MiB | rows/s | series/s |"
echo "|---|---|---|---|---|---|---|"
cat "$table"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
