#!/usr/bin/env bash
# bench/run-update.sh: `pond export --update` after a one-day append, against the full export
# of the same pond, in one run: five years of minute data (one series, 3 parameters,
# 2,629,440 rows) exported by day (1,827 partitions).
#
#   bench/run-update.sh [--build DIR] [--reps N] [--tmp DIR] [--years N] [--keep]
#
# The pond gets the five years, is exported once into BASE (the state an hourly job finds),
# then gets one more day as a second version.  REPS times (default 3), alternating which goes
# first, under /usr/bin/time -v:
#   full   : pond export -p '/sites/*.series' -d FULL.<i> --temporal year,month,day --quiet
#   update : the same with --update into UPD.<i>, a copy of BASE made (untimed) just before
# Target: the update's median wall time at most 1/10 of the full export's (the work is one
# partition plus reading the manifest and the catalog).  Checks: the update wrote exactly one
# file and kept every other (inode and mtime against BASE), and UPD holds the rows of FULL.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
reps=3
years=5
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --years) years=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-update.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
bench_need pond pond-gen-sensors duckq
bench_init update
pond=$build/pond
P=(--pond "$work/pond")
minutes=$((years * 525960 / 1440 * 1440)) # whole days, 365.25 a year
"$build/pond-gen-sensors" "$work/gen" --sites 1 --minutes "$minutes" --params 3 \
    --start 2020-01-01T00:00:00Z --format parquet
"$pond" "${P[@]}" init >/dev/null
"$pond" "${P[@]}" mkdir -p /sites >/dev/null
mv "$work"/gen/*.parquet "$work/site.series"
"$pond" "${P[@]}" copy --format series "$work/site.series" /sites/ >/dev/null
# the day after the last one
next=$(date -u -d "2020-01-01 + $((minutes / 1440)) days" +%Y-%m-%dT00:00:00Z)
"$build/pond-gen-sensors" "$work/gen2" --sites 1 --minutes 1440 --params 3 --start "$next" \
    --format parquet
mv "$work"/gen2/*.parquet "$work/site.series"
rm -rf "$work/gen" "$work/gen2"
exp=(export -p '/sites/*.series' --temporal year,month,day --quiet)
"$pond" "${P[@]}" "${exp[@]}" -d "$work/base" # before the append
"$pond" "${P[@]}" copy --format series "$work/site.series" /sites/ >/dev/null
stats() { (cd "$1" && find . -type f ! -name .pond-export.json -printf '%p %T@ %s\n' | sort); } # cp -a keeps mtimes

echo "# update: $years years of minute data by day, a one-day append, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$bench_root" rev-parse --short HEAD), reps=$reps, $(load_note)"
for ((i = 1; i <= reps; i++)); do
    rm -rf "$work/full.$((i - 1))" "$work/upd.$((i - 1))" # keep at most one of each
    cp -a "$work/base" "$work/upd.$i"
    sync
    alternate "$i" full "\"$pond\" ${P[*]@Q} ${exp[*]@Q} -d \"$work/full.$i\"" \
        update "\"$pond\" ${P[*]@Q} ${exp[*]@Q} --update -d \"$work/upd.$i\""
    sync
done
last=$reps
echo "| case | run | median wall s (runs) | median user+sys s | peak RSS MiB |"
echo "|---|---|---|---|---|"
report "$years y by day" full "full export"
report "$years y by day" update "--update after a one-day append"
echo "update / full (median wall): $(ratio update full 1), (median CPU): $(ratio update full 2); target <= 0.10; $(load_note)"

# checks
written=$(diff <(stats "$work/base") <(stats "$work/upd.$last") | grep -c '^>' || true)
check_ok=1
[ "$written" = 1 ] || { echo "CHECK FAILED: the update wrote $written files, not 1" >&2; check_ok=0; }
q() { "$build/duckq" "$@" | tail -n +2; }
diffrows=$(q -v a="$work/full.$last" -v b="$work/upd.$last" "SELECT (SELECT count(*) FROM (FROM read_parquet(getvariable('a') || '/**/*.parquet') EXCEPT ALL FROM read_parquet(getvariable('b') || '/**/*.parquet'))) + (SELECT count(*) FROM (FROM read_parquet(getvariable('b') || '/**/*.parquet') EXCEPT ALL FROM read_parquet(getvariable('a') || '/**/*.parquet')))")
[ "$diffrows" = 0 ] || { echo "CHECK FAILED: update and full export differ by $diffrows rows" >&2; check_ok=0; }
echo "checks: update wrote $written file, rows differing from the full export: $diffrows"
[ "$check_ok" = 1 ]
