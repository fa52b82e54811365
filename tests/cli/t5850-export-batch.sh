#!/usr/bin/env bash
# t5850-export-batch: many small series of one schema are written by one COPY per batch
# (src/export/batch_copy.h: at most 2,000 partitions a batch, so 30 series x ~74 hours make
# two), each file then moved into its own series' output.  Checked with DuckDB: every row
# lands in its own series' output, once, in the partition of its local hour; export_metadata's
# row counts, windows and source_path are exact per file; a series of two versions, one of
# another schema and one with a column named file_index (DuckDB's virtual column) in the middle
# of the run; a time zone with a DST change and --start-time/--end-time; the same files on a
# second run; and a damaged content file fails naming its own series (the batch is retried
# series by series), the output directory left as it was.
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }

expect_ok pond init
pond mkdir -p /b >/dev/null
# sNN: 74 hourly rows from 2024-11-01 + NN hours (across the 2024-11-03 DST change in Los
# Angeles); n is NN in every row, v unique over all series.
gen() { # gen FILE NN FIRST COUNT [EXTRA_COLUMNS_SQL]
    duckq "COPY (SELECT TIMESTAMP '2024-11-01' + INTERVAL ($2 + i) HOUR AS timestamp,
                 $2::INTEGER AS n, ($2 * 1000 + i)::DOUBLE AS v${5:+, $5}
          FROM range($3, $3 + $4) t(i)) TO '$1' (FORMAT PARQUET)" >/dev/null
}
for i in $(seq -w 0 29); do
    case $i in
    13) gen "$TMP/s$i.parquet" $((10#$i)) 0 74 "'other' AS extra" ;;
    21) gen "$TMP/s$i.parquet" $((10#$i)) 0 74 "(i + 500)::BIGINT AS file_index" ;;
    *) gen "$TMP/s$i.parquet" $((10#$i)) 0 74 ;;
    esac
    expect_ok pond copy "$TMP/s$i.parquet" "/b/s$i.series"
done
gen "$TMP/s07b.parquet" 7 74 6 # s07: a second version, 6 more hours
expect_ok pond copy "$TMP/s07b.parquet" /b/s07.series
nrows=$((30 * 74 + 6))

# check NAME OUT META EXPECTED_ROWS: rows in their own series, once; counts and windows exact
check_out() {
    local name=$1 out=$2 meta=$3 rows=$4
    check_eq "$name: every row once" "$rows" \
        "$(q -v g="$out/**/*.parquet" "SELECT count(DISTINCT v) FROM read_parquet(getvariable('g'), union_by_name = true, hive_partitioning = false) HAVING count(*) = count(DISTINCT v)")"
    check_eq "$name: each row in its own series' output" "0" \
        "$(q -v g="$out/**/*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'), filename = true, union_by_name = true, hive_partitioning = false)
            WHERE parse_path(filename)[-6] <> printf('s%02d', n)")"
    check_eq "$name: row counts, windows and sources exact per file" "0" \
        "$(q -v m="$meta" -v d="$out" "
            WITH f AS (SELECT * FROM read_parquet(getvariable('m'))),
                 r AS (SELECT filename, timestamp FROM read_parquet(getvariable('d') || '/**/*.parquet', filename = true, union_by_name = true, hive_partitioning = false))
            SELECT count(*) FROM (
              SELECT f.file_path, any_value(f.row_count) AS rc, any_value(f.source_path) AS src,
                     count(r.timestamp) AS n,
                     bool_and(epoch_ms(r.timestamp) >= f.start_time AND epoch_ms(r.timestamp) < f.end_time) AS inside
              FROM f LEFT JOIN r ON r.filename = getvariable('d') || '/' || f.file_path
              GROUP BY f.file_path)
            WHERE rc <> n OR NOT inside OR n = 0 OR src <> '/b/' || split_part(file_path, '/', 1) || '.series'")"
    check_eq "$name: export_metadata rows = files" \
        "$(find "$out" -name '*.parquet' | wc -l | tr -d ' ')" \
        "$(q -v m="$meta" "SELECT count(*) FROM read_parquet(getvariable('m'))")"
}

for tz in UTC America/Los_Angeles; do
    out="$TMP/out-${tz//\//-}"
    expect_ok pond export -p '/b/*.series' -d "$out" --temporal year,month,day,hour --timezone "$tz" \
        --dump-tables "$out-tables"
    check_out "$tz" "$out" "$out-tables/export_metadata.parquet" "$nrows"
    check_eq "$tz: one file per local hour of each series" \
        "$(find "$out" -name '*.parquet' | wc -l | tr -d ' ')" \
        "$(q -v z="$tz" -v g="$TMP/s*.parquet" "SELECT count(DISTINCT (n, date_trunc('hour', timezone(getvariable('z'), timestamp AT TIME ZONE 'UTC')))) FROM read_parquet(getvariable('g'), union_by_name = true)")"
    check_eq "$tz: no work file left" "" "$(find "$out" -name '__pond*' -o -name '.pond-staging*')"
done
check_eq "s07: both versions" "80" \
    "$(q -v g="$TMP/out-UTC/s07/**/*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'))")"
check_eq "s21: its own file_index column, not DuckDB's" "500,573" \
    "$(q -v g="$TMP/out-UTC/s21/**/*.parquet" "SELECT min(file_index), max(file_index) FROM read_parquet(getvariable('g'))")"
check_eq "s13: its extra column" "other" \
    "$(q -v g="$TMP/out-UTC/s13/**/*.parquet" "SELECT DISTINCT extra FROM read_parquet(getvariable('g'))")"

# --start-time / --end-time: the batch's bounds
expect_ok pond export -p '/b/*.series' -d "$TMP/cut" --temporal year,month,day,hour \
    --start-time 2024-11-02T10:00:00Z --end-time 2024-11-03T20:00:00Z --dump-tables "$TMP/cut-tables"
check_out "cut" "$TMP/cut" "$TMP/cut-tables/export_metadata.parquet" \
    "$(q -v g="$TMP/s*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'), union_by_name = true)
        WHERE timestamp >= TIMESTAMP '2024-11-02 10:00' AND timestamp < TIMESTAMP '2024-11-03 20:00'")"

# the same files and export_metadata on a second run
expect_ok pond export -p '/b/*.series' -d "$TMP/again" --temporal year,month,day,hour \
    --dump-tables "$TMP/again-tables"
check_eq "same files on a second run" "$(cd "$TMP/out-UTC" && find . -type f | sort)" \
    "$(cd "$TMP/again" && find . -type f | sort)"
check_eq "same export_metadata on a second run" "0" \
    "$(q -v a="$TMP/out-UTC-tables/export_metadata.parquet" -v b="$TMP/again-tables/export_metadata.parquet" "
        SELECT count(*) FROM ((FROM read_parquet(getvariable('a')) EXCEPT ALL FROM read_parquet(getvariable('b')))
                        UNION ALL (FROM read_parquet(getvariable('b')) EXCEPT ALL FROM read_parquet(getvariable('a'))))")"

# a damaged content file (same size, no Parquet footer): the error names its series
content=$(q -v g="$POND/data/*/*" "SELECT DISTINCT filename FROM read_parquet(getvariable('g'), filename = true, union_by_name = true) WHERE n = 5")
chmod u+w "$content"
printf 'XXXX' | dd of="$content" bs=1 seek=$(($(stat -c %s "$content") - 4)) conv=notrunc status=none
before=$(cd "$TMP/again" && find . -type f -printf '%p %s %T@\n' | sort)
expect_fail 1 "cannot export '/b/s05.series'" \
    pond export -p '/b/*.series' -d "$TMP/again" --temporal year,month,day,hour --overwrite
check_eq "  …and the output directory is as it was" "$before" \
    "$(cd "$TMP/again" && find . -type f -printf '%p %s %T@\n' | sort)"

done_testing
