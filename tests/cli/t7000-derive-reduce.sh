#!/usr/bin/env bash
# t7000-derive-reduce: temporal-reduce nodes (docs/derived.md).  The reduced series equal
# DuckDB's own time_bucket GROUP BY over the raw rows (1h, 6h, 1d; avg, min, max, sum, count;
# three sites, one with a gap, one with two versions); a new source version shows at once;
# list, describe, cat --sql, copy out and export -p (with --temporal, a DST day under
# --timezone, captures and export_metadata) read them; --overwrite adds a config version.
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }

expect_ok pond init
expect_ok pond mkdir -p /sites/A /sites/B /sites/C
# A: every minute from 2024-03-09 to 2024-03-12 (the US DST change is on 2024-03-10)
q "COPY (SELECT TIMESTAMP '2024-03-09' + INTERVAL (i) MINUTE AS timestamp,
            ((i * 37) % 1000) / 10.0 AS temperature_c, (i % 13)::INTEGER AS humidity,
            'a' AS label
     FROM range(4 * 1440) t(i)) TO '$TMP/a.parquet'" >/dev/null
# B: every two minutes, with a gap of a day and a half
q "COPY (SELECT TIMESTAMP '2024-03-09' + INTERVAL (i * 2) MINUTE AS timestamp,
            (i % 50)::DOUBLE AS temperature_c, (i % 7)::INTEGER AS humidity
     FROM range(2 * 1440) t(i) WHERE i NOT BETWEEN 500 AND 1580) TO '$TMP/b.parquet'" >/dev/null
# C: two versions
q "COPY (SELECT TIMESTAMP '2024-03-09 05:17' + INTERVAL (i * 3) MINUTE AS timestamp,
            (i % 11)::DOUBLE - 3 AS temperature_c, (i % 5)::INTEGER AS humidity
     FROM range(700) t(i)) TO '$TMP/c1.parquet'" >/dev/null
q "COPY (SELECT TIMESTAMP '2024-03-11 01:00' + INTERVAL (i * 3) MINUTE AS timestamp,
            (i % 17)::DOUBLE AS temperature_c, (i % 5)::INTEGER AS humidity
     FROM range(500) t(i)) TO '$TMP/c2.parquet'" >/dev/null
expect_ok pond copy "$TMP/a.parquet" /sites/A/res=1m.series
expect_ok pond copy "$TMP/b.parquet" /sites/B/res=1m.series
expect_ok pond copy "$TMP/c1.parquet" /sites/C/res=1m.series
expect_ok pond copy "$TMP/c2.parquet" /sites/C/res=1m.series

cat >"$TMP/reduce.yaml" <<'YAML'
in_pattern: /sites/*/res=1m.series
out_pattern: $0
resolutions: [1h, 6h, 1d]
aggregations:
  - {type: avg, columns: ["*"]}
  - {type: min, columns: [temperature_c]}
  - {type: max, columns: [temperature_c]}
  - {type: sum, columns: [hum*]}
  - {type: count}
YAML
expect_ok pond mknod temporal-reduce /reduced --config "$TMP/reduce.yaml"

expect_ok pond list '/reduced/**'
check_eq "list: a directory per match, a series per resolution" "/reduced/A
/reduced/A/res=1d.series
/reduced/A/res=1h.series
/reduced/A/res=6h.series
/reduced/B
/reduced/B/res=1d.series
/reduced/B/res=1h.series
/reduced/B/res=6h.series
/reduced/C
/reduced/C/res=1d.series
/reduced/C/res=1h.series
/reduced/C/res=6h.series" "$(cat "$OUT")"
expect_ok pond list -l /
check_contains "list -l: the node with its own type and factory" "$(cat "$OUT")" "dynamic:dir"
check_contains "list -l: the factory" "$(cat "$OUT")" "/reduced (temporal-reduce)"
expect_ok pond list -l /reduced/A
check_contains "list -l: a reduced series" "$(cat "$OUT")" "dynamic:series"

# Every reduced series equals DuckDB's GROUP BY time_bucket over the raw rows.
compare() { # SITE RES INTERVAL
    local site=$1 res=$2 iv=$3
    rm -f "$TMP/raw.parquet" "$TMP/red.parquet"
    pond copy "/sites/$site/res=1m.series" "host:$TMP/raw.parquet" >/dev/null &&
        pond copy "/reduced/$site/res=$res.series" "host:$TMP/red.parquet" >/dev/null ||
        { fail "copy out $site $res"; return; }
    local got
    got=$(q -v raw="$TMP/raw.parquet" -v red="$TMP/red.parquet" "
        WITH want AS (
          SELECT time_bucket(INTERVAL '$iv', timestamp) AS timestamp,
                 avg(temperature_c) AS temperature_c_avg, avg(humidity) AS humidity_avg,
                 min(temperature_c) AS temperature_c_min, max(temperature_c) AS temperature_c_max,
                 sum(humidity) AS humidity_sum, count(*) AS count
          FROM read_parquet(getvariable('raw')) GROUP BY 1),
        got AS (SELECT * FROM read_parquet(getvariable('red')))
        SELECT (SELECT count(*) FROM want) || ' ' || (SELECT count(*) FROM got) || ' ' ||
               (SELECT count(*) FROM want JOIN got USING (timestamp)
                WHERE abs(want.temperature_c_avg - got.temperature_c_avg) < 1e-9
                  AND abs(want.humidity_avg - got.humidity_avg) < 1e-9
                  AND want.temperature_c_min = got.temperature_c_min
                  AND want.temperature_c_max = got.temperature_c_max
                  AND want.humidity_sum = got.humidity_sum AND want.count = got.count)")
    local n=${got%% *}
    [ "${n:-0}" -gt 0 ] || fail "$site res=$res: no rows to compare"
    check_eq "$site res=$res equals time_bucket($iv) GROUP BY over the raw rows" "$n $n $n" "$got"
}
for site in A B C; do
    compare $site 1h "1 hour"
    compare $site 6h "6 hours"
    compare $site 1d "1 day"
done
check_eq "the columns of a reduced series, in order" \
    "timestamp,temperature_c_avg,humidity_avg,temperature_c_min,temperature_c_max,humidity_sum,count" \
    "$(duckq -v f="$TMP/red.parquet" "SELECT * FROM read_parquet(getvariable('f')) LIMIT 0")"

# B's gap is a gap: no empty buckets
expect_ok pond cat --format csv --sql "SELECT count(*) FROM series WHERE timestamp >= '2024-03-09 17:00' AND timestamp < '2024-03-11 04:00'" /reduced/B/res=1h.series
check_eq "a gap in the source is a gap in the result" "count_star()
0" "$(cat "$OUT")"
expect_ok pond cat --format csv --sql 'SELECT sum(count) FROM series' /reduced/B/res=6h.series
check_eq "counts add up to the source's rows" "sum(count)
1799" "$(cat "$OUT")"
# buckets start at midnight UTC
expect_ok pond cat --format csv --sql "SELECT min(timestamp) AS first FROM series" /reduced/C/res=6h.series
check_eq "buckets aligned to midnight UTC" "first
2024-03-09 00:00:00" "$(cat "$OUT")"
expect_ok pond cat --start-time 2024-03-10 --end-time 2024-03-11 --format csv --sql 'SELECT count(*) FROM series' /reduced/A/res=1h.series
check_eq "cat --start-time/--end-time over a reduced series" "count_star()
24" "$(cat "$OUT")"

# A new version of a source shows at once
expect_ok pond cat --format csv --sql 'SELECT count(*), sum(count) FROM series' /reduced/C/res=1d.series
before=$(cat "$OUT")
q "COPY (SELECT TIMESTAMP '2024-03-20 00:00' + INTERVAL (i) MINUTE AS timestamp,
            1.5 AS temperature_c, 2 AS humidity FROM range(90) t(i)) TO '$TMP/c3.parquet'" >/dev/null
expect_ok pond copy "$TMP/c3.parquet" /sites/C/res=1m.series
expect_ok pond cat --format csv --sql 'SELECT count(*), sum(count) FROM series' /reduced/C/res=1d.series
check_eq "a new source version shows in the reduced series at once" "count_star(),sum(count)
4,1200" "$before"
check_eq "… with its rows" "count_star(),sum(count)
5,1290" "$(cat "$OUT")"
compare C 1d "1 day"

# describe: factory, config, what it reads
expect_ok pond describe /reduced
check_contains "describe: the factory" "$(cat "$OUT")" "factory           temporal-reduce"
check_contains "describe: the config" "$(cat "$OUT")" "in_pattern: /sites/*/res=1m.series"
check_contains "describe: what it reads" "$(cat "$OUT")" "/sites/C/res=1m.series"
expect_ok pond describe /reduced/A/res=1h.series
check_contains "describe: the computed schema" "$(cat "$OUT")" "temperature_c_max"
check_contains "describe: the node that makes it" "$(cat "$OUT")" "made by node      /reduced"

# export -p with --temporal, captures and export_metadata as for stored series
expect_ok pond export -p '/reduced/*/res=*.series' -d "$TMP/out" --temporal year,month --dump-tables "$TMP/t"
check_eq "export: one partition tree per reduced series" "9" \
    "$(find "$TMP/out" -name 'data.parquet' -path '*month=3*' | wc -l)"
check_eq "export read back with DuckDB: A's hourly rows" "96|5760" \
    "$(q "SELECT count(*) || '|' || sum(count) FROM read_parquet('$TMP/out/A/1h/**/*.parquet')")"
check_eq "export_metadata: captures and source" "A|1h|/reduced/A/res=1h.series" \
    "$(q -v m="$TMP/t/export_metadata.parquet" "SELECT string_agg(capture_value, '|' ORDER BY capture_group) || '|' || any_value(source_path) FROM read_parquet(getvariable('m')) WHERE source_path = '/reduced/A/res=1h.series' AND file_path LIKE '%month=3%' GROUP BY file_path" | tr -d '"')"

# without --temporal: one file each; start/end are its first and last bucket (read from the
# written file, not by computing the node again), also inside a --start-time/--end-time window
expect_ok pond export -p '/reduced/B/res=*.series' -d "$TMP/flat" --dump-tables "$TMP/flat-t"
check_eq "export, no --temporal: first and last bucket of each file" \
    "$(for r in 1d 1h 6h; do pond cat "/reduced/B/res=$r.series" --format csv --sql "SELECT epoch_ms(min(timestamp)) || ' ' || epoch_ms(max(timestamp)) || ' ' || count(*) FROM series" | tail -1; done)" \
    "$(q -v m="$TMP/flat-t/export_metadata.parquet" "SELECT start_time || ' ' || end_time || ' ' || row_count FROM read_parquet(getvariable('m')) WHERE capture_group = 0 ORDER BY file_path" | tr -d '"')"
expect_ok pond export -p '/reduced/B/res=1h.series' -d "$TMP/flat-w" --start-time 2024-03-09T03:30:00Z \
    --end-time 2024-03-10T12:00:00Z --dump-tables "$TMP/flat-w-t"
check_eq "export, time window: first and last bucket kept" \
    "$(pond cat /reduced/B/res=1h.series --format csv --start-time 2024-03-09T03:30:00Z --end-time 2024-03-10T12:00:00Z --sql "SELECT epoch_ms(min(timestamp)) || ' ' || epoch_ms(max(timestamp)) || ' ' || count(*) FROM series" | tail -1)" \
    "$(q -v m="$TMP/flat-w-t/export_metadata.parquet" "SELECT start_time || ' ' || end_time || ' ' || row_count FROM read_parquet(getvariable('m'))" | tr -d '"')"

# a DST day under --timezone: 2024-03-10 in Los Angeles has 23 hours
expect_ok pond export -p '/reduced/A/res=1h.series' -d "$TMP/dst" --temporal year,month,day --timezone America/Los_Angeles
check_eq "DST day: 23 hourly rows on 2024-03-10 in America/Los_Angeles" "23" \
    "$(q "SELECT count(*) FROM read_parquet('$TMP/dst/reduced/A/res=1h/year=2024/month=3/day=10/*.parquet')")"
check_eq "DST day: the day before has 24" "24" \
    "$(q "SELECT count(*) FROM read_parquet('$TMP/dst/reduced/A/res=1h/year=2024/month=3/day=9/*.parquet')")"

# --overwrite adds a config version; the node reads the new one
sed 's/\[1h, 6h, 1d\]/[15m]/' "$TMP/reduce.yaml" >"$TMP/reduce2.yaml"
expect_fail 1 "it exists" pond mknod temporal-reduce /reduced --config "$TMP/reduce2.yaml"
expect_ok pond mknod temporal-reduce /reduced --config "$TMP/reduce2.yaml" --overwrite
expect_ok pond list '/reduced/A/*'
check_eq "--overwrite: the new config is read" "/reduced/A/res=15m.series" "$(cat "$OUT")"
expect_ok pond list -l /
check_contains "--overwrite: two config versions" "$(grep reduced "$OUT")" "dynamic:dir       2"
expect_ok pond list -l '/**'
check_eq "list -l: the path column starts at one place for stored and dynamic entries" "1" \
    "$(awk '{ print index($0, "  /") }' "$OUT" | sort -u | wc -l)"
check_contains "list -l: dynamic series listed" "$(cat "$OUT")" "dynamic:series"

# reading a dynamic directory as a file, writing inside one
expect_fail 1 "is a directory" pond cat /reduced/A
expect_fail 1 "no such directory" pond copy "$TMP/a.parquet" /reduced/A/x.series
expect_fail 1 "it is a dynamic" pond copy "$TMP/a.parquet" /reduced
expect_ok pond check
done_testing
