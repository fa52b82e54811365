#!/usr/bin/env bash
# bench/run-derive.sh: a temporal-reduce node's reads against plain DuckDB running the same
# GROUP BY over the same content files, in the same run (issue 9).
#
#   bench/run-derive.sh [--build DIR] [--minutes N] [--reps N] [--tmp DIR] [--keep]
#
# One series of N rows (default 10,000,000: one a minute, ~19 years, 3 parameters, made by
# pond-gen-sensors) in a fresh pond, and a temporal-reduce node over it (res=1h; avg, min, max
# of every parameter, count).  Then REPS times (default 3), pond and DuckDB alternating which
# goes first, each under /usr/bin/time:
#   cat    : pond cat --sql 'SELECT count(*) FROM series' /reduced/s/res=1h.series
#            vs duckq "SELECT count(*) FROM (<the GROUP BY over the content file>)"
#   export : pond export -p /reduced/s/res=1h.series -d OUT
#            vs duckq "COPY (<the GROUP BY>) TO 'OUT/data.parquet'"
# Reported: median wall seconds and max peak RSS of each, and DuckDB wall / pond wall.
# Checked (not timed): both give the same count of buckets and the same sum of counts.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
minutes=10000000
reps=3
keep=0
tmp=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-derive.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
pond=$build/pond
duckq=$build/duckq
gen=$build/pond-gen-sensors
for b in "$pond" "$duckq" "$gen"; do
    [ -x "$b" ] || { echo "run-derive.sh: missing $b: scripts/build.sh $(basename "$build")" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { apt-get install -y time >/dev/null 2>&1 || true; }

work=$(mktemp -d "$tmp/pond-bench-derive.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
export POND=$work/pond

echo "== $minutes rows: generating and loading…" >&2
"$gen" "$work/gen" --sites 1 --params 3 --minutes "$minutes" --format parquet >/dev/null
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

# timed LABEL CMD…: append "wall rss" to $work/LABEL
timed() {
    local label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$work/t.$$" "$@" >"$work/last.out" 2>"$work/last.err" ||
        { echo "run-derive.sh: $label failed:" >&2; cat "$work/last.err" >&2; exit 1; }
    cat "$work/t.$$" >>"$work/$label"
}
for i in $(seq "$reps"); do
    pc() { timed pond-cat "$pond" cat --format csv --sql 'SELECT count(*) FROM series' /reduced/s/res=1h.series; }
    dc() { timed duck-cat "$duckq" "SELECT count(*) FROM ($groupby)"; }
    pe() { rm -rf "$work/out-p"; timed pond-export "$pond" export -p /reduced/s/res=1h.series -d "$work/out-p" --quiet; }
    de() { rm -rf "$work/out-d"; mkdir -p "$work/out-d"; timed duck-export "$duckq" "COPY ($groupby) TO '$work/out-d/data.parquet' (FORMAT PARQUET)"; }
    if [ $((i % 2)) = 1 ]; then pc; dc; pe; de; else dc; pc; de; pe; fi
done
# checks
pcount=$("$duckq" "SELECT count(*) || '|' || sum(count) FROM read_parquet('$work/out-p/reduced/s/res=1h/data.parquet')" | tail -1)
dcount=$("$duckq" "SELECT count(*) || '|' || sum(count) FROM read_parquet('$work/out-d/data.parquet')" | tail -1)
[ "$pcount" = "$dcount" ] || { echo "run-derive.sh: outputs differ: pond $pcount, duckdb $dcount" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { # WHAT
    local pw dw pr dr
    pw=$(cut -d' ' -f1 "$work/pond-$1" | median)
    dw=$(cut -d' ' -f1 "$work/duck-$1" | median)
    pr=$(cut -d' ' -f2 "$work/pond-$1" | sort -n | tail -1)
    dr=$(cut -d' ' -f2 "$work/duck-$1" | sort -n | tail -1)
    printf '%-7s pond %6.2f s  %7d KiB   duckdb %6.2f s  %7d KiB   duckdb/pond %.2f   runs pond: %s  duckdb: %s\n' \
        "$1" "$pw" "$pr" "$dw" "$dr" "$(echo "$dw / $pw" | bc -l)" \
        "$(cut -d' ' -f1 "$work/pond-$1" | tr '\n' ' ')" "$(cut -d' ' -f1 "$work/duck-$1" | tr '\n' ' ')"
}
echo "rows $minutes, buckets|rows $pcount, reps $reps, $(date -u +%H:%M) UTC, load $(cut -d' ' -f1 /proc/loadavg)"
report cat
report export
