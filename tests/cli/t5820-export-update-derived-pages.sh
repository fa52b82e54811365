#!/usr/bin/env bash
# t5820-export-update-derived-pages: --update with derived (dynamic) series, which count as
# changed when an input changed, and with template pages, which are rendered again but
# replaced only when their bytes changed.
. "$(dirname "$0")/lib.sh"

FIX=$POND_SOURCE_DIR/tests/data/pipelines
# stats DIR: "path inode mtime" of every file, the manifest left out.
stats() { (cd "$1" && find . -type f ! -name .pond-export.json -printf '%p %i %T@\n' | sort); }
changed() { diff <(echo "$1") <(echo "$2") | grep '^[<>]' | awk '{print $2}' | sort -u; }

expect_ok pond init
pond mkdir -p /sites/A /sites/B >/dev/null
sensor_csv "$TMP/d.csv" 1719792000 62 86400     # daily, July and August 2024
sensor_csv "$TMP/sep.csv" 1725148800 10 86400   # 2024-09-01 … 10
sensor_csv "$TMP/m.csv" 1719792000 2880 60      # by minute, 2024-07-01 and 02
sensor_csv "$TMP/m3.csv" 1719964800 60 60       # an hour of 2024-07-03
for s in A B; do
    expect_ok pond copy "$TMP/d.csv" /sites/$s/res=1d.series
    expect_ok pond copy "$TMP/m.csv" /sites/$s/res=1m.series
done

# --- derived series: rewritten when an input changed, else kept ------------------------------
cat >"$TMP/reduce.yaml" <<'YAML'
in_pattern: /sites/*/res=1m.series
out_pattern: $0
resolutions: [1h]
aggregations:
  - {type: avg, columns: [temperature_c]}
YAML
expect_ok pond mknod temporal-reduce /reduced --config "$TMP/reduce.yaml"
R=$TMP/reduced
der=(export -p '/reduced/*/res=1h.series' -d "$R" --temporal year,month,day)
expect_ok pond "${der[@]}"
R0=$(stats "$R")
sleep 1.1
expect_ok pond "${der[@]}" --update
check_eq "derived, inputs unchanged: every file kept" "$R0" "$(stats "$R")"
check_contains "derived, inputs unchanged: reported" "$(cat "$ERR")" "kept 4 files unchanged"
expect_ok pond copy "$TMP/m3.csv" /sites/A/res=1m.series
expect_ok pond "${der[@]}" --update
R1=$(stats "$R")
check_eq "derived, an input of A changed: A's output is written again, B's kept" \
    "$(printf './A/year=2024/month=7/day=1/data.parquet\n./A/year=2024/month=7/day=2/data.parquet\n./A/year=2024/month=7/day=3/data.parquet')" \
    "$(changed "$R0" "$R1")"
check_eq "derived: the new day holds the reduced hour" "1" \
    "$(duckq -v f="$R/A/year=2024/month=7/day=3/data.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))" | tail -n 1)"

# --- pages: the same bytes are not replaced ---------------------------------------------------
S=$TMP/site
site=(export -d "$S" --pipeline "$FIX/site/pipeline.yaml")
expect_ok pond "${site[@]}"
S0=$(stats "$S")
check_contains "pipeline export: the pages" "$S0" "./index.html"
sleep 1.1
expect_ok pond "${site[@]}" --update
check_eq "pages, pond unchanged: nothing replaced" "$S0" "$(stats "$S")"
check_contains "pages, pond unchanged: reported" "$(cat "$ERR")" "kept 2 unchanged"
check_contains "manifest: a page with its template's hash" "$(cat "$S/.pond-export.json")" '"kind": "page"'
expect_ok pond copy "$TMP/sep.csv" /sites/A/res=1d.series
expect_ok pond "${site[@]}" --update
S1=$(stats "$S")
check_eq "pages, A got September: its partition and the pages that show it change, B's page is kept" \
    "$(printf './A/year=2024/month=9/data.parquet\n./index.html\n./sites/A.html')" \
    "$(changed "$S0" "$S1")"
check_contains "the index shows A's new file count, from kept and written files" "$(cat "$S/index.html")" "A</a> (3 files)"

done_testing
