#!/usr/bin/env bash
# t5250-export-capture-names: export --capture-names NAME[,NAME…] writes capture i as a Hive
# NAME=value directory: the tree, DuckDB reading it back with hive_partitioning=true (site and
# res as columns), export_metadata, --dry-run and a template seeing the same paths, a
# pipeline's capture_names, and bad names refused with DIR left as it was.
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }
tree() { (cd "$1" && find . -type f ! -name .pond-export.json | sed 's|^\./||' | sort); }

expect_ok pond init
sensor_csv "$TMP/s.csv" 1721433600 30 3600   # 2024-07-20, hourly: two days
for p in /sites/BDock/res=1m.series /sites/BDock/res=1h.series /sites/Noyo/res=1h.series; do
    pond mkdir -p "$(dirname "$p")" >/dev/null
    expect_ok pond copy "$TMP/s.csv" "$p"
done

# --- the layout -----------------------------------------------------------------------------
expect_ok pond export -p '/sites/*/res=*.series' --capture-names site,res --temporal year,month,day \
    -d "$TMP/hive" --dump-tables "$TMP/hive-t"
check_eq "NAME=value directories before the partitions" "site=BDock/res=1h/year=2024/month=7/day=20/data.parquet
site=BDock/res=1h/year=2024/month=7/day=21/data.parquet
site=BDock/res=1m/year=2024/month=7/day=20/data.parquet
site=BDock/res=1m/year=2024/month=7/day=21/data.parquet
site=Noyo/res=1h/year=2024/month=7/day=20/data.parquet
site=Noyo/res=1h/year=2024/month=7/day=21/data.parquet" "$(tree "$TMP/hive")"

# --- DuckDB reads site and res back as columns ------------------------------------------------
check_eq "DuckDB hive_partitioning: site and res are columns" "BDock,1h,30
BDock,1m,30
Noyo,1h,30" "$(q -v g="$TMP/hive/**/*.parquet" "SELECT site, res, count(*) FROM read_parquet(getvariable('g'), hive_partitioning=true) GROUP BY ALL ORDER BY ALL")"
check_eq "DuckDB hive_partitioning: the columns" "day|month|res|site|temperature_c|timestamp|year" \
    "$(q -v g="$TMP/hive/**/*.parquet" "SELECT string_agg(column_name, '|' ORDER BY column_name) FROM (DESCRIBE SELECT * FROM read_parquet(getvariable('g'), hive_partitioning=true))")"
check_eq "a filter on a Hive column reads only that site" "30" \
    "$(q -v g="$TMP/hive/**/*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'), hive_partitioning=true) WHERE site = 'Noyo'")"

# --- export_metadata: the same paths, the captures' plain values ------------------------------
check_eq "export_metadata: file_path has the names, capture_value the values" \
    "0|Noyo|site=Noyo/res=1h/year=2024/month=7/day=21/data.parquet
1|1h|site=Noyo/res=1h/year=2024/month=7/day=21/data.parquet" \
    "$(q -v m="$TMP/hive-t/export_metadata.parquet" "SELECT capture_group || '|' || capture_value || '|' || file_path FROM read_parquet(getvariable('m')) ORDER BY file_path, capture_group" | tail -2)"

# --- --dry-run lists the same paths ----------------------------------------------------------
expect_ok pond export -p '/sites/*/res=*.series' --capture-names site,res --temporal year -d "$TMP/dry" --dry-run
check_eq "dry run: NAME=value paths" "$TMP/dry/site=BDock/res=1h/year=2024/data.parquet
$TMP/dry/site=BDock/res=1m/year=2024/data.parquet
$TMP/dry/site=Noyo/res=1h/year=2024/data.parquet" "$(cut -f1 "$OUT" | sort)"
check_eq "dry run: nothing written" "no" "$([ -e "$TMP/dry" ] && echo yes || echo no)"

# --- a data file: its name below the capture directories -------------------------------------
printf 'hello\n' >"$TMP/notes.txt"
expect_ok pond copy "$TMP/notes.txt" /sites/BDock/notes.txt
expect_ok pond export -p '/sites/*/notes.txt' --capture-names site -d "$TMP/data"
check_eq "a data file under site=…" "site=BDock/notes.txt" "$(tree "$TMP/data")"

# --- a template sees the same paths; a pipeline's capture_names --------------------------------
mkdir -p "$TMP/pl"
cat >"$TMP/pl/files.mustache" <<'T'
{{#rows}}
{{captures.0}} {{file_path}}
{{/rows}}
T
cat >"$TMP/pl/spec.yaml" <<'T'
collections:
  - name: files
    in_pattern: /sites/*/res=*.series
    out_pattern: files-$0.txt
    template: files.mustache
    query: SELECT file_path FROM export_metadata WHERE capture_group = 0 AND capture_value = $0 ORDER BY 1
T
cat >"$TMP/pl/pipeline.yaml" <<'T'
stages:
  - name: Export
    type: data_export
    patterns: ["/sites/*/res=*.series"]
    temporal: year,month
    capture_names: [site, res]
  - name: Pages
    type: template_processing
    template_spec: spec.yaml
T
expect_ok pond export -d "$TMP/pipe" --pipeline "$TMP/pl/pipeline.yaml"
check_eq "pipeline capture_names: the tree" "files-BDock.txt
files-Noyo.txt
site=BDock/res=1h/year=2024/month=7/data.parquet
site=BDock/res=1m/year=2024/month=7/data.parquet
site=Noyo/res=1h/year=2024/month=7/data.parquet" "$(tree "$TMP/pipe")"
check_eq "template rows: the NAME=value paths" "BDock site=BDock/res=1h/year=2024/month=7/data.parquet
BDock site=BDock/res=1m/year=2024/month=7/data.parquet" "$(cat "$TMP/pipe/files-BDock.txt")"
# --capture-names on the command line applies to a pipeline stage that names none
sed '/capture_names/d' "$TMP/pl/pipeline.yaml" >"$TMP/pl/plain.yaml"
expect_ok pond export -d "$TMP/pipe2" --pipeline "$TMP/pl/plain.yaml" --capture-names place,r
check_contains "--capture-names reaches a pipeline stage without capture_names" \
    "$(tree "$TMP/pipe2")" "place=Noyo/r=1h/year=2024/month=7/data.parquet"

# --- bad names are refused; DIR is left as it was ---------------------------------------------
mkdir -p "$TMP/keep" && echo x >"$TMP/keep/mine"
for bad in 'si te,res' '1site,res' 'site,' 'site,site' 'site,Year' 'site-name,res'; do
    expect_fail 1 "--capture-names: capture name" pond export -p '/sites/*/res=*.series' \
        --capture-names "$bad" -d "$TMP/keep"
done
check_eq "bad names: DIR unchanged" "mine" "$(tree "$TMP/keep")"
expect_fail 1 "is a --temporal level" pond export -p '/sites/*/res=*.series' --capture-names site,month -d "$TMP/keep"
expect_fail 1 "is given twice" pond export -p '/sites/*/res=*.series' --capture-names site,site -d "$TMP/keep"
expect_fail 1 "has 2 captures but --capture-names 'site' gives 1 name: give one name per capture" \
    pond export -p '/sites/*/res=*.series' --capture-names site -d "$TMP/keep"
expect_fail 1 "has 0 captures but --capture-names 'site' gives 1 name" \
    pond export -p '/sites/Noyo/res=1h.series' --capture-names site -d "$TMP/keep"
expect_fail 1 "capture 1 is 'res=1h', which holds '='" \
    pond export -p '/sites/*/*.series' --capture-names site,res -d "$TMP/keep"
check_contains "'=' in a value: the message says how to fix the pattern" "$(cat "$ERR")" "'res=*.series'"
check_eq "after every refusal: DIR unchanged" "mine" "$(tree "$TMP/keep")"
expect_fail 2 "needs" pond export -p '/sites/*/res=*.series' -d "$TMP/keep" --capture-names

# a pipeline's capture_names: a list of names, checked with file:line:column
printf 'stages:\n  - name: E\n    type: data_export\n    capture_names: site,res\n' >"$TMP/pl/str.yaml"
expect_fail 1 "str.yaml:4:20: stage 1 'E': 'capture_names' must be a list of names" \
    pond export -p '/sites/*/res=*.series' -d "$TMP/keep" --pipeline "$TMP/pl/str.yaml"
printf 'stages:\n  - name: E\n    type: data_export\n    capture_names: [site, "r-s"]\n' >"$TMP/pl/bad.yaml"
expect_fail 1 "bad.yaml:4:27: stage 1 'E': capture_names: capture name 'r-s' is not a name" \
    pond export -p '/sites/*/res=*.series' -d "$TMP/keep" --pipeline "$TMP/pl/bad.yaml"
printf 'stages:\n  - name: E\n    type: data_export\n    capture_names: []\n' >"$TMP/pl/empty.yaml"
expect_fail 1 "'capture_names' is empty" \
    pond export -p '/sites/*/res=*.series' -d "$TMP/keep" --pipeline "$TMP/pl/empty.yaml"
check_eq "after the pipeline refusals: DIR unchanged" "mine" "$(tree "$TMP/keep")"

# --help says it
expect_ok pond export --help
check_contains "--help: the option" "$(cat "$OUT")" "--capture-names NAMES"

done_testing
