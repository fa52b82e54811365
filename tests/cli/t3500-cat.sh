#!/usr/bin/env bash
# t3500-cat: pond cat in every format, through --sql, with --start-time (inclusive) and
# --end-time (exclusive), and its errors.  Output is read back and compared with the input.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }

sensor_csv "$TMP/day.csv" 1719792000 1440    # 2024-07-01, a row a minute
pond copy "$TMP/day.csv" /day.series >/dev/null || fail "copy the sample series"
rows() { duckq -v f="$1" "SELECT * FROM $2(getvariable('f')) ORDER BY ALL"; }
expected=$(rows "$TMP/day.csv" read_csv)

# --- formats ------------------------------------------------------------------------------
expect_ok pond cat /day.series
check_contains "the default (table) shows the header" "$(head -n 5 "$OUT")" "temperature_c"
check_contains "the table shows values" "$(cat "$OUT")" "2024-07-01 00:00:00"
expect_ok pond cat /day.series --format table
check_contains "--format table" "$(head -n 5 "$OUT")" "timestamp"

expect_ok pond cat /day.series --format csv
cp "$OUT" "$TMP/day.out.csv"
check_eq "csv: a header and every row" 1441 "$(wc -l <"$TMP/day.out.csv")"
check_eq "csv: the rows read back equal" "$expected" "$(rows "$TMP/day.out.csv" read_csv)"

expect_ok pond cat /day.series --format json
cp "$OUT" "$TMP/day.json"
check_eq "json: one array of 1440 row objects" "1440 timestamp,temperature_c,site" \
    "$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(len(a), ",".join(a[0].keys()))' "$TMP/day.json")"
check_eq "json: the values" "$(duckq -v f="$TMP/day.csv" "SELECT round(sum(temperature_c), 2) AS s FROM read_csv(getvariable('f'))" | tail -n 1)" \
    "$(python3 -c 'import json,sys; print(round(sum(r["temperature_c"] for r in json.load(open(sys.argv[1]))), 2))' "$TMP/day.json")"

pond cat /day.series --format parquet >"$TMP/day.parquet"
check_eq "parquet: the rows read back equal" "$expected" "$(rows "$TMP/day.parquet" read_parquet)"
expect_fail 2 "xml" pond cat /day.series --format xml
# Parquet is not for a terminal (script(1) gives the command one).
run script -qec "$(printf '%q ' "$POND_BIN" cat /day.series --format parquet)" /dev/null
check_eq "parquet to a terminal fails" 1 "$RC"
check_contains "parquet to a terminal is refused" "$(cat "$OUT")" "not writing Parquet to a terminal"

# --- --sql --------------------------------------------------------------------------------
expect_ok pond cat /day.series --format csv --sql 'SELECT count(*) AS n, max(temperature_c) AS hi FROM series'
check_eq "--sql runs over the table 'series'" "$(printf 'n,hi\n1440,19.9')" "$(cat "$OUT")"
expect_ok pond cat /day.series --format csv \
    --sql "SELECT site, count(*) AS n FROM series WHERE site = 'BDock' GROUP BY site"
check_eq "--sql with a string literal" "$(printf 'site,n\nBDock,1440')" "$(cat "$OUT")"

# --- time bounds: start inclusive, end exclusive ------------------------------------------
q='SELECT min(timestamp) AS lo, max(timestamp) AS hi, count(*) AS n FROM series'
expect_ok pond cat /day.series --format csv --sql "$q" \
    --start-time 2024-07-01T01:00:00Z --end-time 2024-07-01T02:00:00Z
check_eq "start inclusive, end exclusive" \
    "$(printf 'lo,hi,n\n2024-07-01 01:00:00,2024-07-01 01:59:00,60')" "$(cat "$OUT")"
expect_ok pond cat /day.series --format csv --sql "$q" \
    --start-time 2024-07-01T03:00:00+02:00 --end-time 2024-07-01T03:30:00+02:00
check_eq "times with an offset are converted to UTC" \
    "$(printf 'lo,hi,n\n2024-07-01 01:00:00,2024-07-01 01:29:00,30')" "$(cat "$OUT")"
expect_ok pond cat /day.series --format csv --sql "$q" --start-time 2024-07-01T23:00:00Z
check_eq "only a start" "$(printf 'lo,hi,n\n2024-07-01 23:00:00,2024-07-01 23:59:00,60')" \
    "$(cat "$OUT")"
expect_ok pond cat /day.series --format csv --sql "$q" --end-time 2024-07-01T00:10:00
check_eq "only an end (a time without offset is UTC)" \
    "$(printf 'lo,hi,n\n2024-07-01 00:00:00,2024-07-01 00:09:00,10')" "$(cat "$OUT")"
expect_ok pond cat /day.series --format csv --sql 'SELECT count(*) AS n FROM series' \
    --start-time 2024-07-01 --end-time 2024-07-02
check_eq "date-only bounds cover the day" "$(printf 'n\n1440')" "$(cat "$OUT")"
expect_ok pond cat /day.series --format csv --start-time 2024-07-01T00:00:00Z \
    --end-time 2024-07-01T00:03:00Z
check_eq "bounds without --sql" 4 "$(wc -l <"$OUT")"
expect_ok pond cat /day.series --format csv --sql 'SELECT count(*) AS n FROM series' \
    --start-time 2025-01-01
check_eq "bounds past the data give no rows" "$(printf 'n\n0')" "$(cat "$OUT")"

# --- data files ---------------------------------------------------------------------------
printf 'raw,bytes\n\x01\x02\n' >"$TMP/raw.bin"
pond copy "$TMP/raw.bin" /raw.bin >/dev/null
pond cat /raw.bin >"$TMP/raw.out"
check_files_eq "cat of a data file gives its bytes" "$TMP/raw.bin" "$TMP/raw.out"

# --- errors -------------------------------------------------------------------------------
before=$(pond_state)
expect_fail 1 "nosuchcolumn" pond cat /day.series --sql 'SELECT nosuchcolumn FROM series'
expect_fail 1 "pond: " pond cat /day.series --sql 'SELEC oops'
expect_fail 1 "not-a-time" pond cat /day.series --start-time not-a-time
expect_fail 1 "2024-13-45" pond cat /day.series --end-time 2024-13-45
expect_fail 1 "/nope.series" pond cat /nope.series
expect_fail 2 "no PATH" pond cat
expect_fail 2 "'--sql' needs a value" pond cat /day.series --sql
expect_unchanged "failed cats" "$before"

done_testing
