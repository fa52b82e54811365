#!/usr/bin/env bash
# t5700-export-many-partitions: a series of more partitions than one COPY writes
# (POND_PARTITIONS_PER_COPY = 2000; the data export then writes in time windows): every row
# lands once, in the partition of its local hour, export_metadata's row counts and windows are
# exact per file, in UTC and in a time zone with DST changes, also with --start-time/--end-time
# cutting into the range; and nothing of the work files is left in the output.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
# One row every 11 hours for 1,500 rows (16,500 hours from 2024-01-01 UTC, so 9 windows of
# 2,000 hours, across DST changes), plus one row every 20 minutes around where the first
# window ends (about 1,974 hours in: the first partition starts 26 hours before the data) and
# around the 2024-11-03 DST change in Los Angeles (hours 7,400-7,420).
rows="SELECT TIMESTAMP '2024-01-01' + INTERVAL (range * 11) HOUR AS t FROM range(1500)
      UNION ALL SELECT TIMESTAMP '2024-01-01' + INTERVAL 1950 HOUR + INTERVAL (range * 20) MINUTE FROM range(150)
      UNION ALL SELECT TIMESTAMP '2024-01-01' + INTERVAL 7400 HOUR + INTERVAL (range * 20) MINUTE FROM range(60)"
duckq "COPY (SELECT t AS timestamp, row_number() OVER (ORDER BY t) AS v FROM ($rows) ORDER BY t) TO '$TMP/s.parquet' (FORMAT PARQUET)" >/dev/null
nrows=1710
sumv=$((nrows * (nrows + 1) / 2))
expect_ok pond copy --format series "$TMP/s.parquet" /s.series

for tz in UTC America/Los_Angeles; do
    out="$TMP/out-${tz//\//-}"
    expect_ok pond export -p /s.series -d "$out" --temporal year,month,day,hour --timezone "$tz" \
        --dump-tables "$out-tables"
    meta="$out-tables/export_metadata.parquet"
    check_eq "$tz: no work file left" "" "$(find "$out" -name '__pond*' -o -name '.pond-staging*')"
    check_eq "$tz: every row once" "$nrows,$sumv" \
        "$(duckq -v g="$out/**/*.parquet" "SELECT count(*), sum(v) FROM read_parquet(getvariable('g'))" | tail -1)"
    # one file per local hour that has rows (in Los Angeles 2024-11-03 01:00 is two hours long)
    check_eq "$tz: files = distinct local hours" \
        "$(duckq -v z="$tz" "SELECT count(DISTINCT date_trunc('hour', timezone(getvariable('z'), t AT TIME ZONE 'UTC'))) FROM ($rows)" | tail -1)" \
        "$(find "$out" -name '*.parquet' | wc -l | tr -d ' ')"
    # each file: its rows all lie in its window, and the row count is exact
    check_eq "$tz: row counts and windows exact" "0" \
        "$(duckq -v m="$meta" -v d="$out" "
            WITH f AS (SELECT file_path, start_time, end_time, row_count FROM read_parquet(getvariable('m'))),
                 r AS (SELECT parse_path(filename)[-6:] AS p, filename, timestamp FROM read_parquet(getvariable('d') || '/**/*.parquet', filename = true, hive_partitioning = false))
            SELECT count(*) FROM (
              SELECT f.file_path, any_value(f.row_count) AS rc, count(r.timestamp) AS n,
                     bool_and(epoch_ms(r.timestamp) >= f.start_time AND epoch_ms(r.timestamp) < f.end_time) AS inside
              FROM f LEFT JOIN r ON r.filename = getvariable('d') || '/' || f.file_path
              GROUP BY f.file_path) WHERE rc != n OR NOT inside OR n = 0" | tail -1)"
    check_eq "$tz: export_metadata rows = files" \
        "$(find "$out" -name '*.parquet' | wc -l | tr -d ' ')" \
        "$(duckq -v m="$meta" "SELECT count(*) FROM read_parquet(getvariable('m'))" | tail -1)"
done

# --start-time / --end-time inside the range: exactly the rows between them
expect_ok pond export -p /s.series -d "$TMP/cut" --temporal year,month,day,hour \
    --start-time 2024-02-01T00:00:00Z --end-time 2025-06-15T12:00:00Z
check_eq "cut: the rows between the bounds" \
    "$(duckq "SELECT count(*) FROM ($rows) WHERE t >= TIMESTAMP '2024-02-01' AND t < TIMESTAMP '2025-06-15 12:00'" | tail -1)" \
    "$(duckq -v g="$TMP/cut/**/*.parquet" "SELECT count(*) FROM read_parquet(getvariable('g'))" | tail -1)"

done_testing
