#!/usr/bin/env bash
# The pond demo: build, make a pond of three field sites from generated sensor CSV (two weekly
# versions each of raw one-minute readings; Silver Lake's logger was out for a day and a half),
# derive hourly and daily series from them (a temporal-reduce node, examples/demo/reduce.yaml),
# look at it (list, describe, cat with SQL, the transaction log), then export the derived
# series with the demo pipeline (examples/demo) into Hive-partitioned Parquet plus a static web
# site with a chart per parameter, and query the run's export_metadata table with plain DuckDB.
#   scripts/demo.sh [WORK_DIR]      (default: out/demo; it is replaced)
# With POND_BUILD_DIR set (the tests do), the binaries there are used and nothing is built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${POND_BUILD_DIR:-}" ]; then
    "$root/scripts/build.sh" build >/dev/null
    POND_BUILD_DIR=$root/build
fi
bin=$POND_BUILD_DIR

work=$(realpath -m "${1:-$root/out/demo}")
rm -rf "$work"
mkdir -p "$work"
pond() { "$bin/pond" "$@"; }
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
export POND="$work/pond"

# One week of one-minute readings per site, then the following week as a second version;
# Silver Lake's second week starts 36 hours late (a gap the charts show).
"$bin/pond-gen-sensors" "$work/week1" --sites 3 --params 3 --start 2024-07-01T00:00:00
"$bin/pond-gen-sensors" "$work/week2" --sites 3 --params 3 --start 2024-07-08T00:00:00
"$bin/pond-gen-sensors" "$work/late" --sites 2 --params 3 --start 2024-07-09T12:00:00 \
    --minutes $((7 * 1440 - 36 * 60))
mv "$work/late/Silver Lake.csv" "$work/week2/Silver Lake.csv"

step pond init; pond init
for csv in "$work"/week1/*.csv; do
    site=$(basename "$csv" .csv)
    pond mkdir -p "/sites/$site"
    step pond copy "week1/$site.csv" "/sites/$site/res=1m.series"
    pond copy "$csv" "/sites/$site/res=1m.series"
    step pond copy "week2/$site.csv" "/sites/$site/res=1m.series"
    pond copy "$work/week2/$site.csv" "/sites/$site/res=1m.series"
done

step pond mknod temporal-reduce /reduced --config examples/demo/reduce.yaml
pond mknod temporal-reduce /reduced --config "$root/examples/demo/reduce.yaml"

step pond list -l "'/**'"; pond list -l '/**'
step pond describe "'/sites/BDock/*.series'"; pond describe '/sites/BDock/*.series'
step pond describe /reduced/BDock/res=1d.series; pond describe /reduced/BDock/res=1d.series
step pond cat "'/reduced/Silver Lake/res=1d.series'" --sql "'<daily temperatures>'"
pond cat '/reduced/Silver Lake/res=1d.series' --sql "
    SELECT CAST(timestamp AS DATE) AS day, round(temperature_c_min, 2) AS min_c,
           round(temperature_c_avg, 2) AS mean_c, round(temperature_c_max, 2) AS max_c
    FROM series ORDER BY 1"
step pond show; pond show

step pond export -d site --pipeline examples/demo/pipeline.yaml --dump-tables tables
pond export -d "$work/site" --pipeline "$root/examples/demo/pipeline.yaml" --dump-tables "$work/tables"

step "find site -type f | sort"
(cd "$work" && find site -type f | sort)

step "duckq: export_metadata per site and stage (plain DuckDB over tables/export_metadata.parquet)"
"$bin/duckq" -v meta="$work/tables/export_metadata.parquet" "
    SELECT export_stage, capture_value AS site, count(*) AS files, sum(row_count) AS rows,
           make_timestamp(min(start_time) * 1000) AS first, make_timestamp(max(end_time) * 1000) AS last
    FROM read_parquet(getvariable('meta'))
    WHERE capture_group <= 0
    GROUP BY ALL ORDER BY export_stage, site"

printf '\nThe site: %s\n' "$work/site/index.html"
