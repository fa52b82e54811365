#!/usr/bin/env bash
# bench/run-derive.sh: a temporal-reduce node's reads against plain DuckDB running the same
# GROUP BY over the same content files, in the same run (issue 9).
#
#   bench/run-derive.sh [--build DIR] [--minutes N] [--reps N] [--tmp DIR] [--keep]
#
# One series of N rows (default 10,000,000: one a minute, ~19 years, 3 parameters, made by
# pond-gen-sensors) in a fresh pond, and a temporal-reduce node over it (res=1h; avg, min, max
# of every parameter, count).  Then REPS times (default 3), pond and DuckDB alternating which
# goes first, each under /usr/bin/time -v (bench/lib.sh: wall, user+sys CPU, peak RSS):
#   cat    : pond cat --sql 'SELECT count(*) FROM series' /reduced/s/res=1h.series
#            vs duckq "SELECT count(*) FROM (<the GROUP BY over the content file>)"
#   export : pond export -p /reduced/s/res=1h.series -d OUT
#            vs duckq "COPY (<the GROUP BY>) TO 'OUT/data.parquet'"
# Reported: a markdown table (median wall with every run, median CPU, max RSS) and the ratios
# pond / DuckDB of the medians, wall and CPU, with the load average before and after.
# Checked (not timed): both give the same count of buckets and the same sum of counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
minutes=10000000
reps=3
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-derive.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
bench_need pond duckq pond-gen-sensors
bench_init derive
pond=$build/pond
duckq=$build/duckq
export POND=$work/pond

echo "== $minutes rows: generating and loading…" >&2
"$build/pond-gen-sensors" "$work/gen" --sites 1 --params 3 --minutes "$minutes" --format parquet >/dev/null
src=$(ls "$work"/gen/*.parquet)
"$pond" init >/dev/null
"$pond" mkdir /sites >/dev/null
"$pond" copy --format series "$src" /sites/s.series >/dev/null
cat >"$work/reduce.yaml" <<'YAML'
in_pattern: /sites/*.series
out_pattern: $0
resolutions: [1h]
aggregations:
  - {type: avg, columns: ["*"]}
  - {type: min, columns: ["*"]}
  - {type: max, columns: ["*"]}
  - {type: count}
YAML
"$pond" mknod temporal-reduce /reduced --config "$work/reduce.yaml" >/dev/null
content=""
for f in $(find "$POND/data" -type f); do # the series' one Parquet file (the other is the config)
    [ "$(head -c 4 "$f")" = PAR1 ] && content=$f
done
cols=$("$duckq" -v f="$content" "SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM read_parquet(getvariable('f'))) WHERE column_name <> 'timestamp'" | tail -1 | tr -d '"')
aggs=""
for a in avg min max; do
    IFS=, read -ra cs <<<"$cols"
    for c in "${cs[@]}"; do aggs="$aggs, $a(\"$c\") AS \"${c}_$a\""; done
done
groupby="SELECT time_bucket(INTERVAL '1 hours', timestamp) AS timestamp$aggs, count(*) AS count FROM read_parquet('$content') GROUP BY 1 ORDER BY 1"

cat_p="\"$pond\" cat --format csv --sql 'SELECT count(*) FROM series' /reduced/s/res=1h.series"
cat_d="\"$duckq\" \"SELECT count(*) FROM (\$groupby)\""
echo "# derive: $minutes rows to res=1h, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$bench_root" rev-parse --short HEAD), reps=$reps, $(load_note)"
for ((i = 1; i <= reps; i++)); do
    alternate "$i" pond-cat "$cat_p" duck-cat "$cat_d"
    rm -rf "$work/out-p" "$work/out-d"; mkdir -p "$work/out-d"; sync
    alternate "$i" pond-export "\"$pond\" export -p /reduced/s/res=1h.series -d \"$work/out-p\" --quiet" \
        duck-export "\"$duckq\" \"COPY (\$groupby) TO '$work/out-d/data.parquet' (FORMAT PARQUET)\""
done
# checks: the same buckets and the same rows in them, from both
pcount=$("$duckq" "SELECT count(*) || '|' || sum(count) FROM read_parquet('$work/out-p/reduced/s/res=1h/data.parquet')" | tail -1)
dcount=$("$duckq" "SELECT count(*) || '|' || sum(count) FROM read_parquet('$work/out-d/data.parquet')" | tail -1)
pcat=$(tail -1 "$work/pond-cat.out")
dcat=$(tail -1 "$work/duck-cat.out")
echo "check: buckets|rows pond $pcount, duckdb $dcount; cat count pond $pcat, duckdb $dcat" >&2
if [ "$pcount" != "$dcount" ] || [ "$pcat" != "$dcat" ] || [ "${pcount#*|}" != "$minutes" ]; then
    echo "run-derive.sh: CHECK FAILED" >&2
    exit 1
fi
echo "| case | tool | wall s, median (runs) | user+sys s | peak RSS MiB |"
echo "|---|---|---|---|---|"
report cat pond-cat "pond cat --sql count(*) of res=1h"
report cat duck-cat "DuckDB count(*) of the GROUP BY"
echo "| cat | **ratio pond/DuckDB** | **$(ratio pond-cat duck-cat 1)** (wall) | $(ratio pond-cat duck-cat 2) (cpu) | |"
report export pond-export "pond export of res=1h"
report export duck-export "DuckDB COPY of the GROUP BY"
echo "| export | **ratio pond/DuckDB** | **$(ratio pond-export duck-export 1)** (wall) | $(ratio pond-export duck-export 2) (cpu) | |"
echo "# $(load_note) after"
