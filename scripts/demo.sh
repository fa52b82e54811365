#!/usr/bin/env bash
# The pond demo: build, make a pond of three field sites from generated sensor CSV (two weekly
# versions each), look at it (list, describe, cat with SQL, the transaction log), then export it
# with the demo pipeline (examples/demo) into Hive-partitioned Parquet plus a static web site,
# and query the run's export_metadata table with plain DuckDB.
#   scripts/demo.sh [WORK_DIR]      (default: out/demo; it is replaced)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" build >/dev/null

work=$(realpath -m "${1:-$root/out/demo}")
rm -rf "$work"
mkdir -p "$work"
pond() { "$root/build/pond" "$@"; }
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
export POND="$work/pond"

# One week of one-minute readings per site, then the following week as a second version.
"$root/build/pond-gen-sensors" "$work/week1" --sites 3 --params 3 --start 2024-07-01T00:00:00
"$root/build/pond-gen-sensors" "$work/week2" --sites 3 --params 3 --start 2024-07-08T00:00:00

step pond init; pond init
for csv in "$work"/week1/*.csv; do
    site=$(basename "$csv" .csv)
    pond mkdir -p "/sites/$site"
    step pond copy "week1/$site.csv" "/sites/$site/res=1m.series"
    pond copy "$csv" "/sites/$site/res=1m.series"
    step pond copy "week2/$site.csv" "/sites/$site/res=1m.series"
    pond copy "$work/week2/$site.csv" "/sites/$site/res=1m.series"
done

step pond list -l "'/**'"; pond list -l '/**'
step pond describe "'/sites/BDock/*.series'"; pond describe '/sites/BDock/*.series'
step pond cat /sites/BDock/res=1m.series --sql "'<daily means>'"
pond cat /sites/BDock/res=1m.series --sql "
    SELECT CAST(timestamp AS DATE) AS day, count(*) AS readings,
           round(avg(temperature_c), 2) AS mean_temp_c, round(avg(salinity_psu), 2) AS mean_psu
    FROM series GROUP BY 1 ORDER BY 1"
step pond show; pond show

step pond export -p "'/sites/*/*.series'" -d site --pipeline examples/demo/pipeline.yaml --dump-tables tables
pond export -p '/sites/*/*.series' -d "$work/site" --pipeline "$root/examples/demo/pipeline.yaml" \
     --dump-tables "$work/tables"

step "find site | sort (first 20 of $(find "$work/site" -type f | wc -l) files)"
(cd "$work" && find site -type f | sort | head -20)

step "duckq: export_metadata per site and stage (plain DuckDB over tables/export_metadata.parquet)"
"$root/build/duckq" -v meta="$work/tables/export_metadata.parquet" "
    SELECT export_stage, capture_value AS site, count(*) AS files, sum(row_count) AS rows,
           make_timestamp(min(start_time) * 1000) AS first, make_timestamp(max(end_time) * 1000) AS last
    FROM read_parquet(getvariable('meta'))
    WHERE capture_group <= 0
    GROUP BY ALL ORDER BY export_stage, site"

printf '\nThe site: %s\n' "$work/site/index.html"
