#!/usr/bin/env bash
# t7100-derive-sql: sql-derived-series and sql-derived-table nodes over patterns of several
# matches (unioned by name), a temporal-reduce over a sql-derived series, the sandbox, a
# cycle, and a source that stops matching or loses a column (errors naming the node and the
# config line).
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }

expect_ok pond init
expect_ok pond mkdir -p /sites/A /sites/B /derived
q "COPY (SELECT TIMESTAMP '2024-05-01' + INTERVAL (i) MINUTE AS timestamp, i / 10.0 AS temperature_c,
            'A' AS site FROM range(600) t(i)) TO '$TMP/a.parquet'" >/dev/null
# B has an extra column: the union is by name
q "COPY (SELECT TIMESTAMP '2024-05-01' + INTERVAL (i * 5) MINUTE AS timestamp, 20.0 AS temperature_c,
            'B' AS site, 7 AS battery FROM range(100) t(i)) TO '$TMP/b.parquet'" >/dev/null
expect_ok pond copy "$TMP/a.parquet" /sites/A/res=1m.series
expect_ok pond copy "$TMP/b.parquet" /sites/B/res=1m.series

cat >"$TMP/f.yaml" <<'YAML'
inputs:
  raw: /sites/*/res=1m.series
query: SELECT timestamp, site, temperature_c * 1.8 + 32 AS temperature_f, battery FROM raw
YAML
expect_ok pond mknod sql-derived-series /derived/f.series --config "$TMP/f.yaml"
expect_ok pond list -l /derived
check_contains "list -l: a sql-derived series" "$(cat "$OUT")" "dynamic:series"
check_contains "list -l: its factory" "$(cat "$OUT")" "(sql-derived-series)"
expect_ok pond cat --format csv --sql "SELECT site, count(*) AS n, round(max(temperature_f), 2) AS hi, count(battery) AS b FROM series GROUP BY site ORDER BY site" /derived/f.series
check_eq "sql-derived over a pattern of two matches, unioned by name" "site,n,hi,b
A,600,139.82,0
B,100,68.0,100" "$(cat "$OUT")"
expect_ok pond describe /derived/f.series
check_contains "describe: the timestamp column found" "$(cat "$OUT")" "timestamp column  timestamp"
check_contains "describe: reads both sources" "$(cat "$OUT")" "/sites/B/res=1m.series"

# a table over a series
cat >"$TMP/t.yaml" <<'YAML'
inputs:
  raw: /sites/*/res=1m.series
query: |
  SELECT site, count(*) AS rows, min(timestamp) AS first FROM raw GROUP BY site
YAML
expect_ok pond mknod sql-derived-table /derived/summary.table --config "$TMP/t.yaml"
expect_ok pond cat --format csv --sql 'SELECT site, rows FROM series ORDER BY site' /derived/summary.table
check_eq "sql-derived-table" "site,rows
A,600
B,100" "$(cat "$OUT")"
expect_fail 1 "start and end times apply to series only" pond cat --start-time 2024-05-01 /derived/summary.table

# a reduce over the sql-derived series
cat >"$TMP/r.yaml" <<'YAML'
in_pattern: /derived/*.series
out_pattern: $0
resolutions: [1h]
aggregations:
  - {type: max, columns: [temperature_f]}
  - {type: count}
YAML
expect_ok pond mknod temporal-reduce /reduced --config "$TMP/r.yaml"
expect_ok pond copy /reduced/f/res=1h.series "host:$TMP/r.parquet"
expect_ok pond copy /derived/f.series "host:$TMP/f.parquet"
check_eq "a reduce over a sql-derived series equals time_bucket over it" "0|10" \
    "$(q "WITH want AS (SELECT time_bucket(INTERVAL 1 HOUR, timestamp) AS timestamp, max(temperature_f) AS temperature_f_max, count(*) AS count FROM read_parquet('$TMP/f.parquet') GROUP BY 1),
          got AS (SELECT * FROM read_parquet('$TMP/r.parquet'))
          SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM got)) || '|' || (SELECT count(*) FROM got)")"

# a new source version shows through both levels
q "COPY (SELECT TIMESTAMP '2024-05-02' + INTERVAL (i) MINUTE AS timestamp, 1.0 AS temperature_c, 'A' AS site FROM range(60) t(i)) TO '$TMP/a2.parquet'" >/dev/null
expect_ok pond copy "$TMP/a2.parquet" /sites/A/res=1m.series
expect_ok pond cat --format csv --sql 'SELECT count(*) AS n, sum(count) AS rows FROM series' /reduced/f/res=1h.series
check_eq "a new version of a source of a source shows at once" "n,rows
11,760" "$(cat "$OUT")"

# export of sql-derived and reduced nodes, read back with DuckDB
expect_ok pond export -p '/derived/*' -p '/reduced/*/res=1h.series' -d "$TMP/out" --dump-tables "$TMP/t"
check_eq "export: the derived series" "760" "$(q "SELECT count(*) FROM read_parquet('$TMP/out/f.series/data.parquet')")"
check_eq "export: the derived table" "2" "$(q "SELECT count(*) FROM read_parquet('$TMP/out/summary.table/data.parquet')")"
check_eq "export: the reduce of the derived series" "11|760" "$(q "SELECT count(*) || '|' || sum(count) FROM read_parquet('$TMP/out/f/data.parquet')")"

# the query runs in the sandbox
cat >"$TMP/evil.yaml" <<'YAML'
inputs:
  raw: /sites/*/res=1m.series
query: SELECT * FROM read_csv('/etc/passwd')
YAML
state=$(pond_state)
expect_fail 1 "evil.yaml" pond mknod sql-derived-table /derived/evil.table --config "$TMP/evil.yaml"
check_contains "a query reading a host file is refused" "$(cat "$ERR")" "/etc/passwd"
cat >"$TMP/evil2.yaml" <<'YAML'
inputs:
  raw: /sites/*/res=1m.series
query: COPY (SELECT 1) TO '/tmp/x.csv'
YAML
expect_fail 1 "evil2.yaml:3:8: query:" pond mknod sql-derived-table /derived/evil.table --config "$TMP/evil2.yaml"
expect_unchanged "refused queries" "$state"

# a cycle: a node reading its own outputs
cat >"$TMP/cyc.yaml" <<'YAML'
inputs:
  me: /derived/*.series
query: SELECT * FROM me
YAML
expect_ok pond mknod sql-derived-series /derived/loop.series --config "$TMP/cyc.yaml"
expect_fail 1 "dynamic node '/derived/loop.series' reads itself: a cycle" pond cat /derived/loop.series
expect_fail 1 "a cycle" pond list '/derived/*'

# a source that stops matching, a column that disappears: the node and the config line
cat >"$TMP/gone.yaml" <<'YAML'
inputs:
  raw: /sites/*/res=1m.series
query: SELECT timestamp, temperature_c FROM raw
YAML
expect_ok pond mknod sql-derived-series /x.series --config "$TMP/gone.yaml"
cat >"$TMP/r2.yaml" <<'YAML'
in_pattern: /x.series
out_pattern: x
resolutions: [1d]
aggregations:
  - {type: avg, columns: [temperature_c]}
YAML
expect_ok pond mknod temporal-reduce /rx --config "$TMP/r2.yaml"
expect_ok pond cat /rx/x/res=1d.series
cat >"$TMP/gone2.yaml" <<'YAML'
inputs:
  raw: /sites/*/res=1m.series
query: SELECT timestamp, site FROM raw
YAML
expect_ok pond mknod sql-derived-series /x.series --config "$TMP/gone2.yaml" --overwrite
expect_fail 1 "node '/rx': aggregation 1 (config line 5): column 'temperature_c' matches no numeric column of '/x.series'" pond cat /rx/x/res=1d.series
cat >"$TMP/nomatch.yaml" <<'YAML'
inputs:
  raw: /nowhere/*.series
query: SELECT * FROM raw
YAML
expect_ok pond mknod sql-derived-series /x.series --config "$TMP/nomatch.yaml" --overwrite
expect_fail 1 "node '/x.series': input '/nowhere/*.series' (config line 2) matches nothing" pond cat /x.series
expect_fail 1 "matches nothing" pond cat /rx/x/res=1d.series
expect_fail 1 "a node keeps its factory" pond mknod sql-derived-table /x.series --config "$TMP/t.yaml" --overwrite
expect_ok pond check
done_testing
