#!/usr/bin/env bash
# t5000-export: pond export on a real pond, output read back with plain DuckDB (duckq):
# Hive layout and names, every row once in the right partition with its columns and types,
# export_metadata against the files (--dump-tables), no --temporal, tables, data files,
# --start-time/--end-time, --dry-run, --overwrite, determinism, -f control, the pond unchanged.
. "$(dirname "$0")/lib.sh"

# q SQL: one value from duckq (header dropped); variables: dir, src, meta as set by the caller.
q() { duckq "$@" | tail -n +2; }

expect_ok pond init
pond mkdir -p /sites/BDock /sites/Noyo >/dev/null
# BDock: two versions (so the series is their union); Noyo: one.  Every 37 minutes from
# 2023-12-30, across a year end, a month end and the leap day.  Columns of several types.
gen() { # gen FILE FIRST N
    duckq "COPY (SELECT TIMESTAMP '2023-12-30 00:00:00' + INTERVAL (i * 37) MINUTE AS timestamp,
                 i::INTEGER AS n, (i * 0.5)::DOUBLE AS v, 'r' || i AS label, (i % 3 = 0) AS flag
          FROM range($2, $2 + $3) t(i)) TO '$1' (FORMAT PARQUET)" >/dev/null
}
gen "$TMP/a1.parquet" 0 2000
gen "$TMP/a2.parquet" 2000 1500
gen "$TMP/b.parquet" 100 900
expect_ok pond copy "$TMP/a1.parquet" /sites/BDock/res=1h.series
expect_ok pond copy "$TMP/a2.parquet" /sites/BDock/res=1h.series
expect_ok pond copy "$TMP/b.parquet" /sites/Noyo/res=1h.series
printf 'site,lat\nBDock,39.4\nNoyo,39.42\n' >"$TMP/info.csv"
expect_ok pond copy "$TMP/info.csv" /sites/BDock/info.table
printf 'raw bytes\001\002 kept as is\n' >"$TMP/notes.txt"
expect_ok pond copy --format data "$TMP/notes.txt" /sites/BDock/notes.txt
before=$(pond_state)

# --- --temporal year,month,day ------------------------------------------------------------
expect_ok pond export -p '/sites/*/res=1h.series' -d "$TMP/out" --temporal year,month,day \
    --dump-tables "$TMP/tables"
check_contains "stage report on stderr" "$(cat "$ERR")" "stage 1/1: data export"
check_contains "files and rows reported" "$(cat "$ERR")" "rows) from 2 matches"
expect_unchanged "export is a read" "$before"
# …recorded in the log when it is over, with the snapshot it read
expect_ok pond show -v
check_contains "the export is in the log" "$(tail -n 2 "$OUT" | head -n 1)" \
    "committed  pond export -p '/sites/*/res=1h.series' -d $TMP/out"
check_contains "with the snapshot it read" "$(tail -n 1 "$OUT")" '"snapshot_txn":7}'

files=$(cd "$TMP/out" && find . -type f ! -name .pond-export.json | sed 's|^\./||' | sort)
bad_names=$(printf '%s\n' "$files" |
    grep -Ev '^(BDock|Noyo)/year=[0-9]{4}/month=([1-9]|1[0-2])/day=([1-9]|[12][0-9]|3[01])/data(_[1-9][0-9]*)?\.parquet$' || true)
check_eq "Hive layout, plain integers, data.parquet names" "" "$bad_names"
check_eq "no staging left behind" "" "$(cd "$TMP/out" && ls -A | grep pond-staging || true)"
check_contains "leap day partition" "$files" "BDock/year=2024/month=2/day=29/data.parquet"
check_contains "year end partition" "$files" "BDock/year=2023/month=12/day=31/data.parquet"

for site in BDock Noyo; do
    if [ $site = BDock ]; then srcs="$TMP/a1.parquet,$TMP/a2.parquet"; else srcs="$TMP/b.parquet"; fi
    src="read_parquet(string_split(getvariable('src'), ','))"
    out="read_parquet(getvariable('dir') || '/$site/**/*.parquet', hive_partitioning=false)"
    check_eq "$site: same row count" \
        "$(q -v src="$srcs" "SELECT count(*) FROM $src")" \
        "$(q -v dir="$TMP/out" "SELECT count(*) FROM $out")"
    check_eq "$site: every row exactly once, all columns" "0" \
        "$(q -v src="$srcs" -v dir="$TMP/out" "SELECT (SELECT count(*) FROM (FROM $src EXCEPT ALL FROM $out))
                                             + (SELECT count(*) FROM (FROM $out EXCEPT ALL FROM $src))")"
    check_eq "$site: columns and types as in the source, no partition columns" \
        "$(q -v src="$srcs" "SELECT string_agg(column_name || ' ' || column_type, '|') FROM (DESCRIBE FROM $src)")" \
        "$(q -v dir="$TMP/out" "SELECT string_agg(column_name || ' ' || column_type, '|') FROM (DESCRIBE FROM $out)")"
    check_eq "$site: each row in the partition of its own day" "0" \
        "$(q -v dir="$TMP/out" "SELECT count(*) FROM read_parquet(getvariable('dir') || '/$site/**/*.parquet', hive_partitioning=true)
             WHERE year <> year(timestamp) OR month <> month(timestamp) OR day <> day(timestamp)")"
done

meta="read_parquet(getvariable('meta'))"
allout="read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false, filename=true)"
check_eq "export_metadata: one row per file" "$(printf '%s\n' "$files" | wc -l)" \
    "$(q -v meta="$TMP/tables/export_metadata.parquet" "SELECT count(*) FROM $meta")"
check_eq "export_metadata: the eight columns (and source_path, written) in order" \
    "pattern VARCHAR|capture_group INTEGER|capture_value VARCHAR|file_path VARCHAR|start_time BIGINT|end_time BIGINT|row_count BIGINT|export_stage INTEGER|source_path VARCHAR|written BOOLEAN" \
    "$(q -v meta="$TMP/tables/export_metadata.parquet" "SELECT string_agg(column_name || ' ' || column_type, '|') FROM (DESCRIBE FROM $meta)")"
check_eq "export_metadata: file paths are the files written" "$files" \
    "$(q -v meta="$TMP/tables/export_metadata.parquet" "SELECT file_path FROM $meta ORDER BY 1")"
check_eq "export_metadata: row_count equals each file's rows, window holds each row" "0" \
    "$(q -v meta="$TMP/tables/export_metadata.parquet" -v dir="$TMP/out" "
        WITH f AS (SELECT filename, count(*) AS n, min(epoch_ms(timestamp)) AS lo, max(epoch_ms(timestamp)) AS hi
                   FROM $allout GROUP BY 1)
        SELECT count(*) FROM $meta m FULL JOIN f ON getvariable('dir') || '/' || m.file_path = f.filename
        WHERE f.n IS DISTINCT FROM m.row_count OR NOT (m.start_time <= f.lo AND f.hi < m.end_time)
           OR m.end_time - m.start_time <> 86400000")"
check_eq "export_metadata: pattern, capture, stage, source" \
    "/sites/*/res=1h.series|0|BDock|1|/sites/BDock/res=1h.series
/sites/*/res=1h.series|0|Noyo|1|/sites/Noyo/res=1h.series" \
    "$(q -v meta="$TMP/tables/export_metadata.parquet" "SELECT DISTINCT pattern || '|' || capture_group || '|' || capture_value || '|' || export_stage || '|' || source_path FROM $meta ORDER BY 1")"

check_eq "no progress bar when stderr is not a terminal" "" "$(grep -F -e 'sources,' -e 'rows/s' "$ERR" || true)"
if command -v script >/dev/null; then
    script -qec "$(printf '%q ' "$POND_BIN" export -p '/sites/*/res=1h.series' -d "$TMP/tty" --temporal year,month,day)" /dev/null >"$TMP/tty.log" 2>&1
    bar=$(tr '\r' '\n' <"$TMP/tty.log")
    check_contains "progress bar on a terminal: rows read of the total" "$bar" \
        "[==============================] 100%  4.40k/4.40k rows  "
    check_contains "progress bar on a terminal: a rate" "$bar" " rows/s  2/2 sources, 114 files"
    check_contains "progress bar on a terminal: wiped before the report line" "$bar" \
        $'\033[K  wrote 114 files (4400 rows) from 2 matches'
fi

# --- determinism and --overwrite -------------------------------------------------------------
expect_ok pond export -q -p '/sites/*/res=1h.series' -d "$TMP/again" --temporal year,month,day
check_eq "quiet: nothing on stderr" "" "$(cat "$ERR")"
check_eq "same files on a second run" "$files" "$(cd "$TMP/again" && find . -type f ! -name .pond-export.json | sed 's|^\./||' | sort)"
expect_ok pond export -p '/sites/*/res=1h.series' -d "$TMP/again" --temporal year,month --overwrite
check_eq "--overwrite replaces the old partitions as a whole" \
    "$(printf 'BDock/year=2023/month=12/data.parquet\nBDock/year=2024/month=1/data.parquet\nBDock/year=2024/month=2/data.parquet\nBDock/year=2024/month=3/data.parquet\n')" \
    "$(cd "$TMP/again" && find BDock -type f | sort)"
check_eq "--overwrite: all rows still there" "4400" \
    "$(q -v dir="$TMP/again" "SELECT count(*) FROM read_parquet(getvariable('dir') || '/**/*.parquet')")"

# --- no --temporal: one data.parquet per match, first and last event time ----------------------
expect_ok pond export -p /sites/BDock/res=1h.series -d "$TMP/flat" --dump-tables "$TMP/flat-tables"
check_eq "no capture: DIR/<parent>/<stem>/data.parquet" "sites/BDock/res=1h/data.parquet" \
    "$(cd "$TMP/flat" && find . -type f ! -name .pond-export.json | sed 's|^\./||')"
check_eq "flat: start/end are the first and last event time, row count" \
    "$(q -v src="$TMP/a1.parquet,$TMP/a2.parquet" "SELECT min(epoch_ms(timestamp)) || ' ' || max(epoch_ms(timestamp)) || ' ' || count(*) FROM read_parquet(string_split(getvariable('src'), ','))")" \
    "$(q -v meta="$TMP/flat-tables/export_metadata.parquet" "SELECT start_time || ' ' || end_time || ' ' || row_count FROM $meta WHERE capture_group = -1 AND capture_value = ''")"

# --- --start-time / --end-time ------------------------------------------------------------------
expect_ok pond export -p /sites/BDock/res=1h.series -d "$TMP/win" --start-time 2024-01-01 \
    --end-time 2024-02-29T12:00:00Z --dump-tables "$TMP/win-tables"
check_eq "time filter: start inclusive, end exclusive, nothing else" "0" \
    "$(q -v src="$TMP/a1.parquet,$TMP/a2.parquet" -v dir="$TMP/win" "
        SELECT (SELECT count(*) FROM (FROM read_parquet(string_split(getvariable('src'), ','))
                 WHERE timestamp >= TIMESTAMP '2024-01-01' AND timestamp < TIMESTAMP '2024-02-29 12:00:00'
                 EXCEPT ALL FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false)))
             + (SELECT count(*) FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false)
                 WHERE timestamp < TIMESTAMP '2024-01-01' OR timestamp >= TIMESTAMP '2024-02-29 12:00:00')")"
check_eq "time filter: first and last event time of the rows written" \
    "$(q -v src="$TMP/a1.parquet,$TMP/a2.parquet" "SELECT min(epoch_ms(timestamp)) || ' ' || max(epoch_ms(timestamp)) FROM read_parquet(string_split(getvariable('src'), ',')) WHERE timestamp >= TIMESTAMP '2024-01-01' AND timestamp < TIMESTAMP '2024-02-29 12:00:00'")" \
    "$(q -v meta="$TMP/win-tables/export_metadata.parquet" "SELECT start_time || ' ' || end_time FROM $meta")"

# --- a table, and a data file (bytes) -----------------------------------------------------------
expect_ok pond export -p /sites/BDock/info.table -p '/sites/*/notes.txt' -d "$TMP/mixed" --dump-tables "$TMP/mixed-tables"
check_eq "table: its rows" "BDock 39.4|Noyo 39.42" \
    "$(q -v f="$TMP/mixed/sites/BDock/info/data.parquet" "SELECT string_agg(site || ' ' || lat, '|' ORDER BY site) FROM read_parquet(getvariable('f'))")"
check_files_eq "data file copied byte for byte under its name" "$TMP/notes.txt" "$TMP/mixed/BDock/notes.txt"
check_eq "data file: one metadata row, no times or rows" "BDock/notes.txt|BDock|true" \
    "$(q -v meta="$TMP/mixed-tables/export_metadata.parquet" "SELECT file_path || '|' || capture_value || '|' || (row_count IS NULL AND start_time IS NULL) FROM $meta WHERE pattern = '/sites/*/notes.txt'")"

# --- --dry-run ------------------------------------------------------------------------------------
expect_ok pond export -p '/sites/*/res=1h.series' -d "$TMP/dry" --temporal year,month,day --dry-run --dump-tables "$TMP/dry-tables"
check_eq "dry run: lists exactly the files a real run writes" "$files" \
    "$(cut -f1 "$OUT" | sed "s|^$TMP/dry/||" | sort)"
check_contains "dry run: names the source" "$(cat "$OUT")" "	/sites/Noyo/res=1h.series	"
check_eq "dry run: DIR not created, no tables dumped" "no no" \
    "$( [ -e "$TMP/dry" ] && echo yes || echo no) $( [ -e "$TMP/dry-tables" ] && echo yes || echo no)"

# --- versions whose schemas differ: read as the union by column name ---------------------------
duckq "COPY (SELECT TIMESTAMP '2024-07-01' + INTERVAL (i) HOUR AS timestamp, i AS n FROM range(0, 30) t(i)) TO '$TMP/e1.parquet' (FORMAT PARQUET)" >/dev/null
duckq "COPY (SELECT TIMESTAMP '2024-07-03' + INTERVAL (i) HOUR AS timestamp, 'x' || i AS extra, i AS n FROM range(0, 20) t(i)) TO '$TMP/e2.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond copy "$TMP/e1.parquet" /evolve.series
expect_ok pond copy "$TMP/e2.parquet" /evolve.series
expect_ok pond export -q -p /evolve.series -d "$TMP/evolve" --temporal year,month,day
check_eq "mixed schemas: all rows, the new column NULL where it was missing" "50 20 30" \
    "$(q -v dir="$TMP/evolve" "SELECT count(*) || ' ' || count(extra) || ' ' || count(*) FILTER (WHERE extra IS NULL AND timestamp < TIMESTAMP '2024-07-03') FROM read_parquet(getvariable('dir') || '/**/*.parquet', hive_partitioning=false, union_by_name=true)")"

# --- -f control: the transaction log ------------------------------------------------------------
expect_ok pond export -f control -p '/txn/*' -d "$TMP/log" --dump-tables "$TMP/log-tables"
ntxn=$(pond show | grep -c 'pond copy' || true)
check_eq "control: one metadata row per transaction exported" "$(find "$TMP/log" -type f ! -name .pond-export.json | wc -l)" \
    "$(q -v meta="$TMP/log-tables/export_metadata.parquet" "SELECT count(DISTINCT file_path) FROM $meta")"
check_contains "control: the log's command lines are in the export" \
    "$(for f in $(find "$TMP/log" -type f -name '*.parquet'); do q -v f="$f" "SELECT * FROM read_parquet(getvariable('f'))"; done; cat $(find "$TMP/log" -type f ! -name '*.parquet' ! -name .pond-export.json) 2>/dev/null)" \
    "pond copy"
check_eq "control: at least the 5 copies were exported" "yes" "$( [ "$ntxn" -ge 5 ] && echo yes || echo no)"

done_testing
