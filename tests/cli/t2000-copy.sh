#!/usr/bin/env bash
# t2000-copy: CSV and Parquet into the pond as series, table and data; appending series
# versions (one with an added column); several sources in one transaction; copying out as
# Parquet, CSV and bytes.  Everything is read back (pond cat, and plain DuckDB via duckq) and
# compared with what was written.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }

# rows FILE: the rows of a CSV or Parquet file as plain DuckDB reads them, sorted.
rows() {
    case "$1" in
    *.parquet) duckq -v f="$1" "SELECT * FROM read_parquet(getvariable('f')) ORDER BY ALL" ;;
    *) duckq -v f="$1" "SELECT * FROM read_csv(getvariable('f')) ORDER BY ALL" ;;
    esac
}
# count PATH: rows in a pond file, through pond cat --sql.
count() { pond cat "$1" --format csv --sql 'SELECT count(*) AS n FROM series' | tail -n 1; }

sensor_csv "$TMP/week1.csv" 1719792000 1440    # 2024-07-01, one day of minutes
sensor_csv "$TMP/week2.csv" 1720396800 720     # 2024-07-08, half a day

# --- CSV in as a series (by the name), read back ------------------------------------------
expect_ok pond mkdir /sites
expect_ok pond copy "$TMP/week1.csv" /sites/BDock.series
expect_ok pond describe /sites/BDock.series
desc=$(cat "$OUT")
check_contains "a *.series name makes a series" "$desc" "file:series"
check_contains "the timestamp column is found" "$desc" "timestamp column  timestamp"
check_contains "describe counts the rows" "$desc" "total rows        1440"
check_contains "describe gives the time range" "$desc" \
    "2024-07-01T00:00:00Z .. 2024-07-01T23:59:00Z"
pond cat /sites/BDock.series --format csv >"$TMP/out1.csv"
check_eq "cat --format csv gives back the CSV's rows" "$(rows "$TMP/week1.csv")" \
    "$(rows "$TMP/out1.csv")"

# --- appending a version ------------------------------------------------------------------
expect_ok pond copy "$TMP/week2.csv" /sites/BDock.series
expect_ok pond describe /sites/BDock.series
desc=$(cat "$OUT")
check_contains "the append is version 2" "$desc" "      2 "
check_contains "total rows are the sum" "$desc" "total rows        2160"
check_contains "the time range spans both" "$desc" "2024-07-01T00:00:00Z .. 2024-07-08T11:59:00Z"
check_eq "cat reads the union of the versions" "2160" "$(count /sites/BDock.series)"
{ cat "$TMP/week1.csv"; tail -n +2 "$TMP/week2.csv"; } >"$TMP/both.csv"

# --- copy out: Parquet, CSV, into a directory ---------------------------------------------
expect_ok pond copy /sites/BDock.series "host:$TMP/bdock.parquet"
check_eq "copy out as Parquet holds every version's rows" "$(rows "$TMP/both.csv")" \
    "$(rows "$TMP/bdock.parquet")"
expect_ok pond copy /sites/BDock.series "host:$TMP/bdock.csv"
check_eq "copy out to .csv writes CSV" "$(rows "$TMP/both.csv")" "$(rows "$TMP/bdock.csv")"
head -c 4 "$TMP/bdock.parquet" | grep -q PAR1 && pass "the .parquet file is Parquet" \
    || fail "the .parquet file is Parquet"
mkdir "$TMP/outdir"
expect_ok pond copy /sites/BDock.series "host:$TMP/outdir"
check_eq "into a host directory, a series becomes NAME.parquet" "BDock.parquet" \
    "$(ls "$TMP/outdir")"
check_eq "and holds the rows" "$(rows "$TMP/both.csv")" "$(rows "$TMP/outdir/BDock.parquet")"

# --- Parquet in, a series whose second version adds a column ------------------------------
duckq "COPY (SELECT TIMESTAMP '2024-01-01' + to_minutes(i) AS ts, i::DOUBLE AS level
              FROM range(100) t(i)) TO '$TMP/v1.parquet' (FORMAT PARQUET)" >/dev/null
duckq "COPY (SELECT TIMESTAMP '2024-01-02' + to_minutes(i) AS ts, i::DOUBLE AS level,
                    (i * 2)::INTEGER AS flow
              FROM range(50) t(i)) TO '$TMP/v2.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond copy "$TMP/v1.parquet" /tide.series
expect_ok pond describe /tide.series
check_contains "the only TIMESTAMP column is the timestamp column" "$(cat "$OUT")" \
    "timestamp column  ts"
expect_ok pond copy "$TMP/v2.parquet" /tide.series
expect_ok pond describe /tide.series
desc=$(cat "$OUT")
check_contains "the schema is the union: flow" "$desc" "flow"
check_contains "total rows of both Parquet versions" "$desc" "total rows        150"
expect_ok pond cat /tide.series --format csv \
    --sql 'SELECT count(*) AS n, count(flow) AS with_flow, sum(level) AS s FROM series'
check_eq "version 1 rows read NULL for the added column" "$(printf 'n,with_flow,s\n150,50,6175.0')" \
    "$(cat "$OUT")"

# --- --timestamp-column --------------------------------------------------------------------
printf 'start,stop,v\n2024-01-01 00:00:00,2024-01-01 00:10:00,1\n2024-01-01 00:10:00,2024-01-01 00:20:00,2\n' \
    >"$TMP/two-times.csv"
expect_ok pond copy --timestamp-column stop "$TMP/two-times.csv" /runs.series
expect_ok pond describe /runs.series
check_contains "--timestamp-column chooses the column" "$(cat "$OUT")" "timestamp column  stop"
check_contains "the time range follows it" "$(cat "$OUT")" \
    "2024-01-01T00:10:00Z .. 2024-01-01T00:20:00Z"

# --- --format series under any name, and Parquet in as a table ----------------------------
expect_ok pond copy --format series "$TMP/week2.csv" /plain-name
expect_ok pond describe /plain-name
check_contains "--format series under any name" "$(cat "$OUT")" "file:series"
expect_ok pond copy --format table "$TMP/v2.parquet" /levels
pond copy /levels "host:$TMP/levels.parquet" >/dev/null
check_eq "Parquet in as a table reads back the same" "$(rows "$TMP/v2.parquet")" \
    "$(rows "$TMP/levels.parquet")"

# --- tables ------------------------------------------------------------------------------
printf 'site,lat,lon\nBDock,38.3,-123.07\nNoyo,39.43,-123.8\n' >"$TMP/sites1.csv"
printf 'site,lat,lon\nBDock,38.3,-123.07\nNoyo,39.43,-123.8\nCaspar,39.36,-123.82\n' >"$TMP/sites2.csv"
expect_ok pond mkdir /meta
expect_ok pond copy --format table "$TMP/sites1.csv" /meta/sites
expect_ok pond describe /meta/sites
check_contains "--format table makes a table" "$(cat "$OUT")" "file:table"
expect_ok pond copy "$TMP/sites2.csv" /meta/sites
check_eq "a new table version replaces the old" "3" "$(count /meta/sites)"
pond cat /meta/sites --format csv >"$TMP/sites-out.csv"
check_eq "the table reads back as written" "$(rows "$TMP/sites2.csv")" "$(rows "$TMP/sites-out.csv")"
expect_ok pond describe /meta/sites
check_contains "the table has two versions, rows of the latest" "$(cat "$OUT")" "total rows        3"
expect_ok pond copy "$TMP/sites1.csv" /meta/by-name.table
expect_ok pond describe /meta/by-name.table
check_contains "a *.table name makes a table" "$(cat "$OUT")" "file:table"
expect_ok pond copy /meta/sites "host:$TMP/sites.parquet"
check_eq "a table copies out as Parquet" "$(rows "$TMP/sites2.csv")" "$(rows "$TMP/sites.parquet")"

# --- data (raw bytes) ----------------------------------------------------------------------
head -c 100000 /dev/urandom >"$TMP/blob.bin"
printf 'line 1\nline "2", with, commas\n' >"$TMP/notes.csv"
expect_ok pond copy "$TMP/blob.bin" /blob.bin
expect_ok pond describe /blob.bin
check_contains "another name makes a data file" "$(cat "$OUT")" "file:data"
expect_ok pond copy --format data "$TMP/notes.csv" /notes.csv
expect_ok pond copy /blob.bin "host:$TMP/blob.out"
check_files_eq "data copies out byte for byte" "$TMP/blob.bin" "$TMP/blob.out"
pond cat /blob.bin >"$TMP/blob.cat"
check_files_eq "cat of data prints its bytes" "$TMP/blob.bin" "$TMP/blob.cat"
pond cat /notes.csv >"$TMP/notes.cat"
check_files_eq "a CSV kept as data stays as is" "$TMP/notes.csv" "$TMP/notes.cat"
expect_ok pond copy /notes.csv "host:$TMP/notes.out.csv"
check_files_eq "data with a .csv host name is still its bytes" "$TMP/notes.csv" "$TMP/notes.out.csv"

# --- several sources: one transaction, into a directory ------------------------------------
expect_ok pond mkdir /raw
txns_before=$(pond show | wc -l)
expect_ok pond copy "$TMP/week1.csv" "$TMP/week2.csv" "host:$TMP/notes.csv" /raw
expect_ok pond list /raw
check_eq "every source lands under its name" \
    "$(printf '/raw/notes.csv\n/raw/week1.csv\n/raw/week2.csv')" "$(cat "$OUT")"
check_eq "several sources are one transaction" "$((txns_before + 1))" "$(pond show | wc -l)"
pond cat /raw/week2.csv >"$TMP/week2.cat"
check_files_eq "each source's content is there" "$TMP/week2.csv" "$TMP/week2.cat"

expect_ok pond mkdir /raw2
before=$(pond_state)
expect_fail 1 "$TMP/nope.csv" pond copy "$TMP/week1.csv" "$TMP/nope.csv" /raw2
expect_unchanged "a missing source among several copies nothing" "$before"

# --- several files out into a host directory ------------------------------------------------
mkdir "$TMP/many"
expect_ok pond copy /raw/week1.csv /meta/sites /blob.bin "host:$TMP/many"
check_eq "several files out keep their names" "$(printf 'blob.bin\nsites.parquet\nweek1.csv')" \
    "$(ls "$TMP/many")"
check_files_eq "a data file out is its bytes" "$TMP/week1.csv" "$TMP/many/week1.csv"
expect_fail 1 "not a directory" pond copy /raw/week1.csv /blob.bin "host:$TMP/blob.out"

# --- the control file system is read-only ---------------------------------------------------
before=$(pond_state)
expect_fail 1 "read-only" pond copy -f control "$TMP/week1.csv" /x
expect_unchanged "copy into the control file system" "$before"

expect_ok pond check
check_contains "the pond checks clean" "$(cat "$OUT")" "0 problems"

done_testing
