#!/usr/bin/env bash
# t6200-sql-sandbox: SQL a user wrote (a pipeline's custom_query sql and template queries,
# cat --sql) is one read-only SELECT in a locked-down DuckDB.  COPY, ATTACH, EXPORT, INSTALL/LOAD, PRAGMA and SET
# are refused when the pipeline is validated, with file:line:column; reading a host file
# outside the pond's content and the run's staging directory is refused when the stage runs;
# nothing is written anywhere and DIR is left as it was.  $files and the documented template
# features keep working.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 30 86400
pond mkdir -p /sites/BDock >/dev/null
expect_ok pond copy "$TMP/a.csv" /sites/BDock/res=1d.series
echo "secret" >"$TMP/secret.txt"
mkdir -p "$TMP/p"
echo '{{#rows}}{{x}};{{/rows}}' >"$TMP/p/page.mustache"

# template_pipeline NAME QUERY: $TMP/p/NAME.yaml, a data export then one collection whose
# query is QUERY (the block scalar at 6:12 of NAME-spec.yaml).
template_pipeline() {
    cat >"$TMP/p/$1-spec.yaml" <<EOF
collections:
  - name: pages
    in_pattern: /sites/*/res=1d.series
    out_pattern: sites/\$0.html
    template: page.mustache
    query: |
      $2
EOF
    cat >"$TMP/p/$1.yaml" <<EOF
stages:
  - name: Export
    type: data_export
    patterns: ["/sites/*/res=1d.series"]
  - name: Pages
    type: template_processing
    template_spec: $1-spec.yaml
EOF
}

# custom_pipeline NAME SQL: $TMP/p/NAME.yaml, a data export then a custom_query of SQL (the block scalar at 7:10).
custom_pipeline() {
    cat >"$TMP/p/$1.yaml" <<EOF
stages:
  - name: Export
    type: data_export
    patterns: ["/sites/*/res=1d.series"]
  - name: Index
    type: custom_query
    sql: |
      $2
    output_table: t
EOF
}

# no_side_effects NAME: after a refused export, DIR was not created and no host file appeared
no_side_effects() {
    check_eq "$1: DIR not created" "no" "$([ -e "$TMP/out" ] && echo yes || echo no)"
    check_eq "$1: nothing written outside" "" "$(cd "$TMP" && ls -a | grep -E '^(evil|x\.duckdb|exp)' || true)"
}

# --- refused at validation, with file:line:column -------------------------------------------
template_pipeline copy "COPY (SELECT 1 AS x) TO '$TMP/evil.csv'"
expect_fail 1 "$TMP/p/copy-spec.yaml:6:12: stage 2 'Pages', collection 'pages': query: only a read-only query (one SELECT, or WITH … SELECT) may run here: COPY is not allowed" \
    pond export -d "$TMP/out" --pipeline "$TMP/p/copy.yaml"
check_eq "copy: no stage ran" "" "$(grep 'stage 1/' "$ERR" || true)"
no_side_effects copy

template_pipeline attach "ATTACH '$POND/catalog.duckdb' AS c"
expect_fail 1 "$TMP/p/attach-spec.yaml:6:12: stage 2 'Pages', collection 'pages': query: only a read-only query (one SELECT, or WITH … SELECT) may run here: ATTACH is not allowed" \
    pond export -d "$TMP/out" --pipeline "$TMP/p/attach.yaml"
no_side_effects attach

for stmt in "COPY (SELECT 1 AS x) TO '$TMP/evil.csv'" "ATTACH '$TMP/x.duckdb' AS x" \
    "EXPORT DATABASE '$TMP/exp'" "INSTALL httpfs" "LOAD httpfs" "PRAGMA version" \
    "SET enable_external_access = true" "SET lock_configuration = false" \
    "CALL pragma_version()" "CREATE TABLE u AS SELECT 1"; do
    word=${stmt%% *}
    custom_pipeline custom "$stmt"
    expect_fail 1 "$TMP/p/custom.yaml:7:10: stage 2 'Index': sql error: only a read-only query (one SELECT, or WITH … SELECT) may run here: $word is not allowed" \
        pond export -d "$TMP/out" --pipeline "$TMP/p/custom.yaml"
    no_side_effects "custom_query $word"
done
custom_pipeline two "SELECT 1 AS x; SELECT 2 AS x"
expect_fail 1 "$TMP/p/two.yaml:7:10: stage 2 'Index': sql error: only one statement may run here, not 2" \
    pond export -d "$TMP/out" --pipeline "$TMP/p/two.yaml"

# Also where validation cannot bind the SQL (it reads files the run writes): the statement's
# kind is judged on its text.
template_pipeline deferred "COPY (SELECT * FROM read_parquet(\$files)) TO '$TMP/evil.csv'"
expect_fail 1 "$TMP/p/deferred-spec.yaml:6:12: stage 2 'Pages', collection 'pages': query: only a read-only query (one SELECT, or WITH … SELECT) may run here: COPY is not allowed" \
    pond export -d "$TMP/out" --pipeline "$TMP/p/deferred.yaml"
no_side_effects deferred

# --- refused when the stage runs: host files outside the sandbox ----------------------------
mkdir -p "$TMP/out"
echo "keep me" >"$TMP/out/notes.txt"
for read in "read_csv('/etc/passwd')" "read_text('$TMP/secret.txt')" \
    "read_blob('$POND/catalog.duckdb')" "glob('$TMP/*')" \
    "read_text('$POND/data/../catalog.duckdb')"; do
    template_pipeline read "SELECT * FROM $read"
    expect_fail 1 "stage 2 'Pages': collection 'pages': query: Permission Error: Cannot access file" \
        pond export -d "$TMP/out" --pipeline "$TMP/p/read.yaml"
    check_eq "template $read: DIR as it was" "notes.txt" "$(ls -A "$TMP/out")"
    custom_pipeline read "SELECT * FROM $read"
    expect_fail 1 "stage 2 'Index': sql error: Permission Error: Cannot access file" \
        pond export -d "$TMP/out" --pipeline "$TMP/p/read.yaml"
    check_eq "custom_query $read: DIR as it was" "notes.txt" "$(ls -A "$TMP/out")"
done

# --- what pipelines are for keeps working ---------------------------------------------------
template_pipeline files "SELECT count(*) || ' rows, ' || count(DISTINCT \$0) AS x FROM read_parquet(\$files) WHERE \$pattern <> ''"
expect_ok pond export -d "$TMP/ok" --pipeline "$TMP/p/files.yaml"
check_eq "\$files read in the sandbox" "30 rows, 1;" "$(cat "$TMP/ok/sites/BDock.html")"
custom_pipeline with "WITH m AS (SELECT * FROM export_metadata) SELECT count(*) AS n FROM m"
expect_ok pond export -d "$TMP/ok2" --pipeline "$TMP/p/with.yaml" --dump-tables "$TMP/ok2-tables"
check_eq "WITH … SELECT runs; its table is dumped" "1" \
    "$(duckq -v f="$TMP/ok2-tables/t.parquet" "SELECT n FROM read_parquet(getvariable('f'))" | tail -1)"
check_eq "no sandbox side effect: nothing written outside" "" "$(cd "$TMP" && ls -a | grep -E '^(evil|x\.duckdb|exp)' || true)"

# --- cat --sql: the same rules ---------------------------------------------------------------
for stmt in "COPY series TO '$TMP/evil.csv'" "ATTACH '$POND/catalog.duckdb' AS c" \
    "EXPORT DATABASE '$TMP/exp'" "SET enable_external_access = true" "LOAD httpfs" \
    "PRAGMA version" "CALL pragma_version()"; do
    expect_fail 1 "sql error: only a read-only query (one SELECT, or WITH … SELECT) may run here: ${stmt%% *} is not allowed" \
        pond cat /sites/BDock/res=1d.series --sql "$stmt"
done
for read in "read_csv('/etc/passwd')" "read_text('$TMP/secret.txt')" \
    "read_blob('$POND/catalog.duckdb')"; do
    expect_fail 1 "sql error: Permission Error: Cannot access file" \
        pond cat /sites/BDock/res=1d.series --sql "SELECT * FROM $read"
done
check_eq "cat: nothing written outside" "" "$(cd "$TMP" && ls -a | grep -E '^(evil|exp)' || true)"
expect_ok pond cat /sites/BDock/res=1d.series --sql "WITH s AS (FROM series) SELECT count(*) AS n FROM s" --format csv
check_eq "cat: WITH … SELECT" "n
30" "$(cat "$OUT")"
expect_ok pond cat -f control /txn/1 --sql "SELECT seq FROM series" --format csv
check_eq "cat: control records readable" "seq
1" "$(cat "$OUT")"
pond cat /sites/BDock/res=1d.series --format parquet >"$TMP/cat.parquet"
check_eq "cat --format parquet" "30" "$(duckq -v f="$TMP/cat.parquet" "SELECT count(*) FROM read_parquet(getvariable('f'))" | tail -1)"
expect_ok pond copy /sites/BDock/res=1d.series "host:$TMP/copied.csv"
check_eq "copy out (sandboxed writer)" "31" "$(wc -l <"$TMP/copied.csv" | tr -d ' ')"

done_testing
