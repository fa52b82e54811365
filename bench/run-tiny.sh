#!/usr/bin/env bash
# bench/run-tiny.sh: the fixed cost of a tiny export: 10 series of 100 rows,
# `pond export --temporal year,month,day` against pond-bench-duckdb-copy --each doing the same
# 10 COPYs (a fresh process each, both), alternating, REPS times (default 7).
#
#   bench/run-tiny.sh [--build DIR] [--reps N] [--tmp DIR] [--keep]
#
# Reports median wall and user+sys, and the ratio pond / DuckDB (target: at most 1.2).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
reps=7
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-tiny.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
bench_need pond pond-gen-sensors pond-bench-duckdb-copy
bench_init tiny
pond=$build/pond
"$build/pond-gen-sensors" "$work/gen" --sites 10 --minutes 100 --params 3 --format parquet
for f in "$work"/gen/*.parquet; do mv "$f" "${f%.parquet}.series"; done
"$pond" --pond "$work/pond" init >/dev/null
"$pond" --pond "$work/pond" mkdir -p /sites >/dev/null
"$pond" --pond "$work/pond" copy --format series "$work"/gen/*.series /sites/ >/dev/null
find "$work/pond/data" -type f >"$work/files"
echo "# tiny export, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$bench_root" rev-parse --short HEAD), reps=$reps, $(load_note)"
for ((i = 1; i <= reps; i++)); do
    alternate "$i" pond "\"$pond\" --pond \"$work/pond\" export -p '/sites/*.series' -d \"$work/o.$i\" --temporal year,month,day --quiet" \
        duckdb "\"$build/pond-bench-duckdb-copy\" \"$work/d.$i\" --temporal year,month,day --each --files-from \"$work/files\""
done
echo "| case | tool | wall s, median (runs) | user+sys s | peak RSS MiB |"
echo "|---|---|---|---|---|"
report tiny pond "pond export (10 series x 100 rows)"
report tiny duckdb "DuckDB, 10 COPYs"
echo "| tiny | **ratio pond/DuckDB** | **$(ratio pond duckdb 1)** (wall) | $(ratio pond duckdb 2) (cpu) | |"
echo "# $(load_note) after"
