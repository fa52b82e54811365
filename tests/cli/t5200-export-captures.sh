#!/usr/bin/env bash
# t5200-export-captures: where matches go (docs/export.md) and what export_metadata says
# about their captures: '*' inside a name, several '*' in one name, '**' at several depths,
# patterns without wildcards, several -p, names with a single quote, '%' and spaces.
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }
tree() { (cd "$1" && find . -type f ! -name .pond-export.json | sed 's|^\./||' | sort); }
# meta NAME: "pattern|group|value|file_path" rows of $TMP/NAME-t
meta() {
    q -v meta="$TMP/$1-t/export_metadata.parquet" \
        "SELECT pattern || '|' || capture_group || '|' || capture_value || '|' || file_path FROM read_parquet(getvariable('meta')) ORDER BY file_path, capture_group, pattern" |
        sed 's/^"//; s/"$//; s/""/"/g'
}

expect_ok pond init
sensor_csv "$TMP/s.csv" 1721433600 30 3600   # 2024-07-20, hourly
for p in /sites/BDock/res=1h.series /sites/BDock/res=1d.series /sites/Noyo/res=1h.series \
         /deep/a.series /deep/x/b.series /deep/x/y/z/c.series \
         "/odd/it's 100% done.series" "/odd/two words/res=1h.series"; do
    pond mkdir -p "$(dirname "$p")" >/dev/null
    expect_ok pond copy "$TMP/s.csv" "$p"
done

# '*' inside a name
expect_ok pond export -p '/sites/BDock/res=*.series' -d "$TMP/inname" --dump-tables "$TMP/inname-t"
check_eq "'*' inside a name: DIR/<capture>/data.parquet" "1d/data.parquet
1h/data.parquet" "$(tree "$TMP/inname")"
check_eq "'*' inside a name: the capture" "/sites/BDock/res=*.series|0|1d|1d/data.parquet
/sites/BDock/res=*.series|0|1h|1h/data.parquet" "$(meta inname)"

# several '*' in one name, and in two components
expect_ok pond export -p '/sites/*/*=*.series' -d "$TMP/multi" --temporal year,month,day --dump-tables "$TMP/multi-t"
check_eq "several '*': DIR/cap0/cap1/cap2/partitions" "BDock/res/1d/year=2024/month=7/day=20/data.parquet
BDock/res/1d/year=2024/month=7/day=21/data.parquet
BDock/res/1h/year=2024/month=7/day=20/data.parquet
BDock/res/1h/year=2024/month=7/day=21/data.parquet
Noyo/res/1h/year=2024/month=7/day=20/data.parquet
Noyo/res/1h/year=2024/month=7/day=21/data.parquet" "$(tree "$TMP/multi")"
check_eq "several '*': one metadata row per capture, numbered left to right" \
    "/sites/*/*=*.series|0|Noyo|Noyo/res/1h/year=2024/month=7/day=21/data.parquet
/sites/*/*=*.series|1|res|Noyo/res/1h/year=2024/month=7/day=21/data.parquet
/sites/*/*=*.series|2|1h|Noyo/res/1h/year=2024/month=7/day=21/data.parquet" \
    "$(meta multi | tail -3)"

# '**' at several depths (zero, one and three directories)
expect_ok pond export -p '/deep/**/*.series' -d "$TMP/deep" --dump-tables "$TMP/deep-t"
check_eq "'**': each directory passed is a capture" "a/data.parquet
x/b/data.parquet
x/y/z/c/data.parquet" "$(tree "$TMP/deep")"
check_eq "'**': captures in metadata" "/deep/**/*.series|0|a|a/data.parquet
/deep/**/*.series|0|x|x/b/data.parquet
/deep/**/*.series|1|b|x/b/data.parquet
/deep/**/*.series|0|x|x/y/z/c/data.parquet
/deep/**/*.series|1|y|x/y/z/c/data.parquet
/deep/**/*.series|2|z|x/y/z/c/data.parquet
/deep/**/*.series|3|c|x/y/z/c/data.parquet" "$(meta deep)"

# no wildcard, and several -p in one run
expect_ok pond export -p /sites/Noyo/res=1h.series -p '/deep/x/*.series' -d "$TMP/lit" --dump-tables "$TMP/lit-t"
check_eq "no wildcard: DIR/<parent>/<stem>; several -p all written" "b/data.parquet
sites/Noyo/res=1h/data.parquet" "$(tree "$TMP/lit")"
check_eq "no wildcard: capture_group -1 and ''; each row keeps its pattern" "/deep/x/*.series|0|b|b/data.parquet
/sites/Noyo/res=1h.series|-1||sites/Noyo/res=1h/data.parquet" "$(meta lit)"

# names with a single quote, '%' and spaces: as captures and as literal patterns
expect_ok pond export -p '/odd/*.series' -p "/odd/two words/res=1h.series" -d "$TMP/odd" --temporal year --dump-tables "$TMP/odd-t"
check_eq "odd names: directories named as the capture and the path" "it's 100% done/year=2024/data.parquet
odd/two words/res=1h/year=2024/data.parquet" "$(tree "$TMP/odd")"
check_eq "odd names: metadata keeps the exact text" "/odd/*.series|0|it's 100% done|it's 100% done/year=2024/data.parquet
/odd/two words/res=1h.series|-1||odd/two words/res=1h/year=2024/data.parquet" "$(meta odd)"
check_eq "odd names: all rows written" "60" \
    "$(q -v dir="$TMP/odd" "SELECT count(*) FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false)")"
expect_ok pond export -p "/odd/it's 100% done.series" -d "$TMP/odd2"
check_eq "a literal pattern with a quote and '%'" "odd/it's 100% done/data.parquet" "$(tree "$TMP/odd2")"
expect_fail 1 "no match" pond export -p "/odd/it''s 100% done.series" -d "$TMP/odd3"
expect_fail 1 "no match" pond export -p "/odd/it's%.series" -d "$TMP/odd3"

# a timestamp column whose name has a quote, '%' and spaces: partitions and filters work
duckq "COPY (SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR AS \"when it's 100%\", i AS n FROM range(0, 100) t(i))
       TO '$TMP/oddts.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond copy "$TMP/oddts.parquet" /oddts.series
expect_ok pond export -p /oddts.series -d "$TMP/oddts" --temporal year,month,day --timezone Europe/Paris --start-time 2024-01-02
check_eq "odd timestamp column: local days, rows from the start time on" "day=2:23 day=3:24 day=4:24 day=5:5" \
    "$(cd "$TMP/oddts/oddts/year=2024/month=1" && for d in *; do printf '%s:%s ' "$d" "$(q -v f="$d/data.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))")"; done | sed 's/ $//')"
check_eq "odd timestamp column: kept with its name and type" "when it's 100% TIMESTAMP|n BIGINT" \
    "$(q -v f="$TMP/oddts/oddts/year=2024/month=1/day=3/data.parquet" "SELECT string_agg(column_name || ' ' || column_type, '|') FROM (DESCRIBE FROM read_parquet(getvariable('f'), hive_partitioning=false))")"

# two matches landing on one output: refused before anything is written, both named
pond mkdir -p /other/BDock >/dev/null
expect_ok pond copy "$TMP/s.csv" /other/BDock/res=1h.series
expect_fail 1 "'/other/BDock/res=1h.series' and '/sites/BDock/res=1h.series' would both write 'BDock'" \
    pond export -p '/other/*/res=1h.series' -p '/sites/*/res=1h.series' -d "$TMP/clash"
check_eq "collision: DIR not created" "no" "$( [ -e "$TMP/clash" ] && echo yes || echo no)"

done_testing
