#!/usr/bin/env bash
# bench/run-memory.sh: peak RSS of an export with many partitions: ten years of minute data
# (5,256,000 rows, one series, 3 parameters) by hour, 87,600 partitions.  pond export
# --temporal year,month,day,hour against plain DuckDB's one COPY … PARTITION_BY (year, month,
# day, hour), alternating, REPS times (default 1: DuckDB alone needs gigabytes).
#
#   bench/run-memory.sh [--build DIR] [--reps N] [--tmp DIR] [--years N] [--keep]
#
# Target: pond's peak RSS under 512 MiB.  Checks that both outputs hold every row and the
# same number of hour partitions.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
reps=1
years=10
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --years) years=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-memory.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
bench_need pond pond-gen-sensors pond-bench-duckdb-copy duckq
bench_init memory
pond=$build/pond
minutes=$((years * 525600))
"$build/pond-gen-sensors" "$work/gen" --sites 1 --minutes "$minutes" --params 3 --format parquet
for f in "$work"/gen/*.parquet; do mv "$f" "${f%.parquet}.series"; done
"$pond" --pond "$work/pond" init >/dev/null
"$pond" --pond "$work/pond" mkdir -p /sites >/dev/null
"$pond" --pond "$work/pond" copy --format series "$work"/gen/*.series /sites/ >/dev/null
rm -rf "$work/gen"
find "$work/pond/data" -type f >"$work/files"
echo "# memory: $years years of minute data by hour, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$bench_root" rev-parse --short HEAD), reps=$reps, $(load_note)"
for ((i = 1; i <= reps; i++)); do
    alternate "$i" pond "\"$pond\" --pond \"$work/pond\" export -p '/sites/*.series' -d \"$work/o.$i\" --temporal year,month,day,hour --quiet" \
        duckdb "\"$build/pond-bench-duckdb-copy\" \"$work/d.$i\" --temporal year,month,day,hour --files-from \"$work/files\""
    a=$("$build/duckq" -v g="$work/o.$i/**/*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'))" | tail -1)
    b=$("$build/duckq" -v g="$work/d.$i/**/*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'), hive_partitioning = false)" | tail -1)
    ha=$(find "$work/o.$i" -type d -name 'hour=*' | wc -l); hb=$(find "$work/d.$i" -type d -name 'hour=*' | wc -l)
    echo "check: pond rows=$a hour-partitions=$ha; duckdb rows=$b hour-partitions=$hb; expected rows=$minutes" >&2
    if [ "$a" != "$minutes" ] || [ "$b" != "$minutes" ] || [ "$ha" != "$hb" ]; then
        echo "run-memory.sh: CHECK FAILED" >&2; exit 1
    fi
    rm -rf "$work/o.$i" "$work/d.$i"
done
echo "| case | tool | wall s, median (runs) | user+sys s | peak RSS MiB |"
echo "|---|---|---|---|---|"
report "$years y by hour" pond "pond export"
report "$years y by hour" duckdb "DuckDB, one COPY"
echo "# $(load_note) after"
