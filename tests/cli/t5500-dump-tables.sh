#!/usr/bin/env bash
# t5500-dump-tables: --dump-tables DIR2 is written only after the export committed, so its
# tables never describe files that were not put in place; a table that exists in DIR2 is
# refused (before any stage runs) unless --overwrite.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 48 3600
pond mkdir -p /sites/BDock /sites/Noyo >/dev/null
expect_ok pond copy "$TMP/a.csv" /sites/BDock/res=1h.series
expect_ok pond copy "$TMP/a.csv" /sites/Noyo/res=1h.series
rows() { duckq -v f="$1" "SELECT count(*) FROM read_parquet(getvariable('f'))" | tail -1; }
hash() { sha256sum <"$1" | cut -c1-16; }

expect_ok pond export -p '/sites/BDock/*.series' -d "$TMP/out1" --dump-tables "$TMP/tables"
check_eq "tables written" "1" "$(rows "$TMP/tables/export_metadata.parquet")"
check_eq "no temporary left in DIR2" "export_metadata.parquet" "$(ls -A "$TMP/tables")"
before=$(hash "$TMP/tables/export_metadata.parquet")

# An existing table: refused before anything runs, nothing written.
expect_fail 1 "table 'export_metadata' already exists in '$TMP/tables' (use --overwrite to replace it)" \
    pond export -p '/sites/*/*.series' -d "$TMP/out2" --dump-tables "$TMP/tables"
check_eq "refused before stage 1" "" "$(grep 'stage 1/' "$ERR" || true)"
check_eq "refused: DIR not created" "no" "$([ -e "$TMP/out2" ] && echo yes || echo no)"
check_eq "refused: table kept" "$before" "$(hash "$TMP/tables/export_metadata.parquet")"
expect_ok pond export -p '/sites/*/*.series' -d "$TMP/out2" --dump-tables "$TMP/tables" --overwrite
check_eq "--overwrite replaces the table" "4" "$(rows "$TMP/tables/export_metadata.parquet")"

# A commit that fails: the export is rolled back and DIR2 is never written.
POND_TEST_FAIL_AFTER_MOVES=1 expect_fail 1 "injected failure after 1 outputs moved into place" \
    pond export -p '/sites/*/*.series' -d "$TMP/out3" --dump-tables "$TMP/tables3"
check_eq "failed commit: DIR2 not written" "no" "$([ -e "$TMP/tables3" ] && echo yes || echo no)"
check_eq "failed commit: DIR not written" "" "$(find "$TMP/out3" -type f 2>/dev/null)"
POND_TEST_FAIL_AFTER_MOVES=1 expect_fail 1 "injected failure after 1 outputs moved into place" \
    pond export -p '/sites/*/*.series' -d "$TMP/out3" --dump-tables "$TMP/tables" --overwrite
check_eq "failed commit: existing DIR2 table untouched" "4" "$(rows "$TMP/tables/export_metadata.parquet")"

# A dry run writes no table.
expect_ok pond export -p '/sites/*/*.series' -d "$TMP/out4" --dump-tables "$TMP/tables4" --dry-run
check_eq "dry run: DIR2 not written" "no" "$([ -e "$TMP/tables4" ] && echo yes || echo no)"

done_testing
