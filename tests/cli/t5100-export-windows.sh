#!/usr/bin/env bash
# t5100-export-windows: --temporal partitions and their export_metadata windows (Unix ms)
# across a year end, a month end, the leap day, rows before 1970, and both DST changes of
# 2024 under --timezone America/Los_Angeles; every row lies in its file's [start, end).
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }

expect_ok pond init
# Hourly rows around each boundary, every 20 minutes across both DST weekends, and one row
# half a millisecond before the epoch.
duckq "COPY (
    SELECT ts AS timestamp, row_number() OVER (ORDER BY ts) AS n FROM (
      SELECT unnest(generate_series(TIMESTAMP '1969-12-30 20:00', TIMESTAMP '1970-01-01 04:00', INTERVAL 1 HOUR)) AS ts
      UNION ALL SELECT TIMESTAMP '1969-12-31 23:59:59.9995'
      UNION ALL SELECT unnest(generate_series(TIMESTAMP '2023-12-31 20:00', TIMESTAMP '2024-01-01 04:00', INTERVAL 1 HOUR))
      UNION ALL SELECT unnest(generate_series(TIMESTAMP '2024-01-31 20:00', TIMESTAMP '2024-02-01 04:00', INTERVAL 1 HOUR))
      UNION ALL SELECT unnest(generate_series(TIMESTAMP '2024-02-28 20:00', TIMESTAMP '2024-03-01 04:00', INTERVAL 1 HOUR))
      UNION ALL SELECT unnest(generate_series(TIMESTAMP '2024-03-09 00:00', TIMESTAMP '2024-03-12 00:00', INTERVAL 20 MINUTE))
      UNION ALL SELECT unnest(generate_series(TIMESTAMP '2024-11-02 00:00', TIMESTAMP '2024-11-05 00:00', INTERVAL 20 MINUTE))
      UNION ALL SELECT unnest(generate_series(TIMESTAMP '2024-12-31 20:00', TIMESTAMP '2025-01-01 04:00', INTERVAL 1 HOUR))
    )) TO '$TMP/s.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond copy "$TMP/s.parquet" /s.series
total=$(q -v f="$TMP/s.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))")

# export NAME TZ LEVELS: into $TMP/NAME, tables in $TMP/NAME-t
export_as() {
    expect_ok pond export -q -p /s.series -d "$TMP/$1" --timezone "$2" --temporal "$3" \
        --dump-tables "$TMP/$1-t"
}
# Violations: a file whose rows are not all in [start_time, end_time) or whose count differs.
window_violations() {
    q -v dir="$TMP/$1" -v meta="$TMP/$1-t/export_metadata.parquet" "
        WITH f AS (SELECT filename, min(epoch_us(timestamp)) AS lo, max(epoch_us(timestamp)) AS hi, count(*) AS n
                   FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false, filename=true) GROUP BY 1)
        SELECT count(*) FROM read_parquet(getvariable('meta')) m
        FULL JOIN f ON getvariable('dir') || '/' || m.file_path = f.filename
        WHERE f.n IS DISTINCT FROM m.row_count
           OR NOT (m.start_time * 1000 <= f.lo AND f.hi < m.end_time * 1000)"
}
# window NAME FILE_PATH: "start end" of that file
window() {
    q -v meta="$TMP/$1-t/export_metadata.parquet" -v p="$2" \
        "SELECT start_time || ' ' || end_time FROM read_parquet(getvariable('meta')) WHERE file_path = getvariable('p')"
}
# hours NAME FILE_PATH: window length in hours
hours() {
    q -v meta="$TMP/$1-t/export_metadata.parquet" -v p="$2" \
        "SELECT (end_time - start_time) // 3600000 FROM read_parquet(getvariable('meta')) WHERE file_path = getvariable('p')"
}
rows_in() { q -v dir="$TMP/$1" "SELECT count(*) FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false)"; }

# --- UTC days ---------------------------------------------------------------------------------
export_as utc-day UTC year,month,day
check_eq "utc days: all rows written" "$total" "$(rows_in utc-day)"
check_eq "utc days: every row inside its file's window" "0" "$(window_violations utc-day)"
check_eq "utc days: each window is 24 h" "24" \
    "$(q -v meta="$TMP/utc-day-t/export_metadata.parquet" "SELECT DISTINCT (end_time - start_time) // 3600000 FROM read_parquet(getvariable('meta'))")"
check_eq "utc: the day before 1970 (and the row 0.5 ms before the epoch)" "-86400000 0" "$(window utc-day s/year=1969/month=12/day=31/data.parquet)"
check_eq "utc: the leap day" "1709164800000 1709251200000" "$(window utc-day s/year=2024/month=2/day=29/data.parquet)"
check_eq "utc: a year end" "1703980800000 1704067200000" "$(window utc-day s/year=2023/month=12/day=31/data.parquet)"
check_eq "utc: a month end" "1706659200000 1706745600000" "$(window utc-day s/year=2024/month=1/day=31/data.parquet)"
check_eq "utc days: partition values are each row's UTC date" "0" \
    "$(q -v dir="$TMP/utc-day" "SELECT count(*) FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=true)
        WHERE year <> year(timestamp) OR month <> month(timestamp) OR day <> day(timestamp)")"

# --- UTC months and years ------------------------------------------------------------------
export_as utc-month UTC year,month
check_eq "utc months: every row inside its window" "0" "$(window_violations utc-month)"
check_eq "utc: February 2024 has 29 days" "$((29 * 24))" "$(hours utc-month s/year=2024/month=2/data.parquet)"
check_eq "utc: December 1969" "-2678400000 0" "$(window utc-month s/year=1969/month=12/data.parquet)"
export_as utc-year UTC year
check_eq "utc years: every row inside its window" "0" "$(window_violations utc-year)"
check_eq "utc: 1969" "-31536000000 0" "$(window utc-year s/year=1969/data.parquet)"
check_eq "utc: 2024 is a leap year" "$((366 * 24))" "$(hours utc-year s/year=2024/data.parquet)"

# --- America/Los_Angeles ----------------------------------------------------------------------
LA=America/Los_Angeles
export_as la-day $LA year,month,day
check_eq "LA days: all rows written" "$total" "$(rows_in la-day)"
check_eq "LA days: every row inside its file's window" "0" "$(window_violations la-day)"
check_eq "LA days: partition values are each row's local date" "0" \
    "$(q -v dir="$TMP/la-day" "SELECT count(*) FROM (SELECT year, month, day, timezone('$LA', timezone('UTC', timestamp)) AS l
        FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=true))
        WHERE year <> year(l) OR month <> month(l) OR day <> day(l)")"
check_eq "LA: 2024-03-10 (spring forward) is 23 h" "23" "$(hours la-day s/year=2024/month=3/day=10/data.parquet)"
check_eq "LA: 2024-03-10 starts at 08:00 UTC" "1710057600000 1710140400000" "$(window la-day s/year=2024/month=3/day=10/data.parquet)"
check_eq "LA: 2024-11-03 (fall back) is 25 h" "25" "$(hours la-day s/year=2024/month=11/day=3/data.parquet)"
check_eq "LA: the days around keep 24 h" "24 24 24 24" \
    "$(hours la-day s/year=2024/month=3/day=9/data.parquet) $(hours la-day s/year=2024/month=3/day=11/data.parquet) $(hours la-day s/year=2024/month=11/day=2/data.parquet) $(hours la-day s/year=2024/month=11/day=4/data.parquet)"
check_eq "LA: 1969-12-31 local (rows before 1970)" "-57600000 28800000" "$(window la-day s/year=1969/month=12/day=31/data.parquet)"
check_eq "LA: the UTC new year's hours fall on 2023-12-31 local" "yes" \
    "$( [ -f "$TMP/la-day/s/year=2023/month=12/day=31/data.parquet" ] && [ ! -e "$TMP/la-day/s/year=2024/month=1/day=1" ] && echo yes || echo no)"

export_as la-hour $LA year,month,day,hour
check_eq "LA hours: every row inside its file's window" "0" "$(window_violations la-hour)"
check_eq "LA: the repeated hour 01:00 of 2024-11-03 spans 2 h (PDT and PST)" "1730620800000 1730628000000" \
    "$(window la-hour s/year=2024/month=11/day=3/hour=1/data.parquet)"
check_eq "LA: that hour holds rows from both UTC hours" "2" \
    "$(q -v f="$TMP/la-hour/s/year=2024/month=11/day=3/hour=1/data.parquet" "SELECT count(DISTINCT hour(timestamp)) FROM read_parquet(getvariable('f'))")"
check_eq "LA: no hour 2 on 2024-03-10" "no" "$( [ -e "$TMP/la-hour/s/year=2024/month=3/day=10/hour=2" ] && echo yes || echo no)"

export_as la-month $LA year,month
check_eq "LA months: every row inside its window" "0" "$(window_violations la-month)"
check_eq "LA: March 2024 is 31 days less an hour" "$((31 * 24 - 1))" "$(hours la-month s/year=2024/month=3/data.parquet)"
check_eq "LA: November 2024 is 30 days and an hour" "$((30 * 24 + 1))" "$(hours la-month s/year=2024/month=11/data.parquet)"

# --- a TIMESTAMPTZ timestamp column: the same instants, the same windows -----------------------
duckq "SET TimeZone = 'UTC'; COPY (SELECT TIMESTAMPTZ '2024-03-09 00:00:00+00' + INTERVAL (i) HOUR AS timestamp, i AS n
       FROM range(0, 72) t(i)) TO '$TMP/tz.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond copy "$TMP/tz.parquet" /tz.series
expect_ok pond export -q -p /tz.series -d "$TMP/tz" --temporal year,month,day --timezone $LA \
    --start-time 2024-03-09T12:00:00Z --dump-tables "$TMP/tz-t"
check_eq "TIMESTAMPTZ: local days and windows, rows from the start time on" \
    "tz/year=2024/month=3/day=10/data.parquet 1710057600000 1710140400000 23
tz/year=2024/month=3/day=11/data.parquet 1710140400000 1710226800000 17
tz/year=2024/month=3/day=9/data.parquet 1709971200000 1710057600000 20" \
    "$(q -v meta="$TMP/tz-t/export_metadata.parquet" "SELECT file_path || ' ' || start_time || ' ' || end_time || ' ' || row_count FROM read_parquet(getvariable('meta')) ORDER BY 1")"

# --- a bad time zone --------------------------------------------------------------------------
expect_fail 1 "unknown time zone 'Mars/Base'" pond export -p /s.series -d "$TMP/bad-tz" --temporal year --timezone Mars/Base
check_eq "bad time zone: DIR not created" "no" "$( [ -e "$TMP/bad-tz" ] && echo yes || echo no)"

done_testing
