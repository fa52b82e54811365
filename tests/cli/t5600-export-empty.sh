#!/usr/bin/env bash
# t5600-export-empty: a series or table whose versions hold no row: one empty file, or with
# --temporal no file and no export_metadata row.  Under the sanitizer build (scripts/test.sh)
# this is also the regression test of the NULL array --temporal handed to qsort.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
duckq "COPY (SELECT TIMESTAMP '2024-07-20' AS timestamp, 1.5 AS v WHERE false) TO '$TMP/empty.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond copy "$TMP/empty.parquet" /empty.series
expect_ok pond copy "$TMP/empty.parquet" /empty.table
# Without --temporal: one file of no row; split by time: no partition, so no file.
expect_ok pond export -p /empty.series -d "$TMP/out-whole"
check_eq "empty series: one file of no row" "0" \
    "$(duckq -v f="$TMP/out-whole/empty/data.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))" | tail -1)"
for temporal in year year,month,day; do
    out="$TMP/out-${temporal//,/-}"
    expect_ok pond export -p /empty.series -d "$out" --temporal "$temporal" --dump-tables "$out-tables"
    check_contains "empty series --temporal $temporal: reported" "$(cat "$ERR")" "wrote 0 files (0 rows) from 1 match"
    check_eq "empty series --temporal $temporal: no file" "" "$(find "$out" -type f ! -name .pond-export.json)"
    check_eq "empty series --temporal $temporal: no export_metadata row" "0" \
        "$(duckq -v f="$out-tables/export_metadata.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))" | tail -1)"
done
expect_ok pond export -p /empty.table -d "$TMP/out-table"
check_eq "empty table: one file of no row" "0" \
    "$(duckq -v f="$TMP/out-table/empty/data.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))" | tail -1)"

done_testing
