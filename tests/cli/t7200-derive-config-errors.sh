#!/usr/bin/env bash
# t7200-derive-config-errors: every fault of a dynamic node's config is refused at mknod with
# its file, line and column, and the pond is left unchanged; bad command lines exit 2.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
expect_ok pond mkdir /sites
sensor_csv "$TMP/s.csv" 1721433600 200 60
expect_ok pond copy "$TMP/s.csv" /sites/A.series
state=$(pond_state)

n=0
# bad FACTORY 'LINE:COL: MESSAGE' YAML…
bad() {
    local factory=$1 want=$2
    shift 2
    n=$((n + 1))
    printf '%s\n' "$@" >"$TMP/c$n.yaml"
    expect_fail 1 "c$n.yaml:$want" pond mknod "$factory" /node --config "$TMP/c$n.yaml"
}
R='temporal-reduce'
bad $R "1:1: unknown key 'in_patern' in the config" \
    'in_patern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "1:1: the config: missing 'in_pattern'" \
    'out_pattern: $0' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "1:13: in_pattern: " \
    'in_pattern: sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "1:13: the config: 'in_pattern' must be a string" \
    'in_pattern: [a]' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "2:14: out_pattern uses \$1 but in_pattern '/sites/*.series' has 1 wildcard" \
    'in_pattern: /sites/*.series' 'out_pattern: $1' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "2:14: out_pattern must be a relative path" \
    'in_pattern: /sites/*.series' 'out_pattern: ../$0' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "3:19: resolution '90s'" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h, 90s]' 'aggregations: [{type: count}]'
bad $R "3:14: resolutions '1h' and '60m' are the same" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h, 60m]' 'aggregations: [{type: count}]'
bad $R "3:14: resolutions must not be empty" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: []' 'aggregations: [{type: count}]'
bad $R "5:12: aggregation 1: unknown type 'median'" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations:' '  - {type: median, columns: ["*"]}'
bad $R "5:5: aggregation 1: avg needs 'columns'" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations:' '  - {type: avg}'
bad $R "6:6: unknown key 'column' in aggregation 2" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations:' '  - {type: count}' '  - {column: [a], type: max}'
bad $R "4:15: aggregations must be a non-empty list" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations: {}'
# checked against the current sources: a column, a time column
bad $R "5: node '/node': aggregation 1 (config line 5): column 'pressure' matches no numeric column of '/sites/A.series' (it has: temperature_c)" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'resolutions: [1h]' 'aggregations:' '  - {type: avg, columns: [pressure]}'
bad $R "3: node '/node': time_column 'when' (config line 3) is not a column of '/sites/A.series'" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'time_column: when' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "3: node '/node': time column 'site' of '/sites/A.series' is a VARCHAR, not a timestamp (time_column at config line 3)" \
    'in_pattern: /sites/*.series' 'out_pattern: $0' 'time_column: site' 'resolutions: [1h]' 'aggregations: [{type: count}]'
bad $R "2:1: yaml syntax error" 'in_pattern: [' 
S='sql-derived-series'
bad $S "1:1: the config: missing 'inputs'" 'query: SELECT 1'
bad $S "2:3: input name '1x' must be an identifier" 'inputs:' '  1x: /sites/*.series' 'query: SELECT 1'
bad $S "3:3: duplicate input 'RAW'" 'inputs:' '  raw: /sites/*.series' '  RAW: /sites/*.series' 'query: SELECT 1'
bad $S "2:8: input 'raw' must be a pattern" 'inputs:' '  raw: [a]' 'query: SELECT 1'
bad $S "2:8: raw: " 'inputs:' '  raw: sites' 'query: SELECT 1'
bad $S "3:8: query: " 'inputs:' '  raw: /sites/*.series' 'query: DELETE FROM raw'
bad $S "3:8: query: " 'inputs:' '  raw: /sites/*.series' 'query: SELECT 1; SELECT 2'
bad $S "3:8: query: Parser Error" 'inputs:' '  raw: /sites/*.series' 'query: SELEC 1'
bad $S "3: node '/node': query (config line 3): Binder Error: Referenced column \"nope\" not found" 'inputs:' '  raw: /sites/*.series' 'query: SELECT nope FROM raw'
bad $S "3: node '/node': the query (config line 3) gives no TIMESTAMP column" 'inputs:' '  raw: /sites/*.series' 'query: SELECT site FROM raw'
bad $S "1:1: unknown key 'in_pattern'" 'in_pattern: /sites/*.series'
bad 'sql-derived-table' "4:1: unknown key 'time_column'" 'inputs:' '  raw: /sites/*.series' 'query: SELECT 1 AS x' 'time_column: x'
bad $R "1:1: empty file" ''
expect_fail 1 "unknown factory 'temporal-reduse'" pond mknod temporal-reduse /node --config "$TMP/c1.yaml"
expect_fail 1 "cannot" pond mknod temporal-reduce /node --config "$TMP/missing.yaml"
expect_unchanged "every refused config" "$state"

# usage
expect_fail 2 "--config FILE is required" pond mknod temporal-reduce /node
expect_fail 2 "no PATH given" pond mknod temporal-reduce
expect_fail 2 "too many operands" pond mknod temporal-reduce /a /b --config x
expect_ok pond mknod --help
check_contains "--help names the factories" "$(cat "$OUT")" "sql-derived-series"

# a good config where its sources do not exist yet is taken; it errs when read
printf '%s\n' 'in_pattern: /later/*.series' 'out_pattern: $0' 'resolutions: [1d]' 'aggregations: [{type: count}]' >"$TMP/later.yaml"
expect_ok pond mknod temporal-reduce /later-r --config "$TMP/later.yaml"
expect_fail 1 "node '/later-r': in_pattern '/later/*.series' (config line 1) matches nothing" pond list '/later-r/*'
expect_fail 1 "no such directory" pond mknod temporal-reduce /no/where --config "$TMP/later.yaml"
expect_fail 1 "it exists (a file:series)" pond mknod temporal-reduce /sites/A.series --config "$TMP/later.yaml" --overwrite
done_testing
