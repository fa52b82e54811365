#!/usr/bin/env bash
# t6100-pipeline-errors: a pipeline file that does not validate is refused before anything is
# written, with file:line:column; a SQL error or a template error in a later stage fails the
# run naming the stage, and DIR is left exactly as it was (no page, no Parquet, no staging).
. "$(dirname "$0")/lib.sh"

FIX=$POND_SOURCE_DIR/tests/data/pipelines
# state DIR: every file under DIR with its size and content hash, hidden ones included
state() { (cd "$1" && find . -mindepth 1 | sort | while IFS= read -r f; do
    if [ -f "$f" ]; then printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-16)"; else printf '%s/\n' "$f"; fi
done); }

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 30 86400
for site in BDock "O'Brien Pier"; do
    pond mkdir -p "/sites/$site" >/dev/null
    expect_ok pond copy "$TMP/a.csv" "/sites/$site/res=1d.series"
done

# A DIR with earlier output in it: a page and a data file of a previous run.
mkdir -p "$TMP/out/sites" "$TMP/out/BDock"
echo "old page" >"$TMP/out/sites/BDock.html"
echo "old data" >"$TMP/out/BDock/data.parquet"
echo "keep me" >"$TMP/out/notes.txt"
before=$(state "$TMP/out")

# --- validation: refused before the data export runs ---------------------------------------
expect_fail 1 "$FIX/bad/unknown_key.yaml:6:5: unknown key 'sqll' in stage 2" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/unknown_key.yaml" --overwrite
expect_fail 1 "$FIX/bad/missing_field.yaml:4:5: stage 2 'Index': missing 'output_table'" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/missing_field.yaml" --overwrite
expect_fail 1 "$FIX/bad/wrong_type.yaml:5:7: stage 1 'Index': 'sql' must be a string, not a mapping" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/wrong_type.yaml" --overwrite
expect_fail 1 "$FIX/bad/duplicate_table.yaml:9:19: stage 2 'Two': output_table 'Site_Index' is already made" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/duplicate_table.yaml" --overwrite
expect_fail 1 "$FIX/cli/../bad/ok-spec.yaml:6:12: stage 2 'Pages', collection 'index': query: Catalog Error: Table with name site_index does not exist!" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/cli/unknown-table.yaml" --overwrite
expect_fail 1 "$FIX/bad/missing-template-spec.yaml:5:15: collection 1 'index': cannot read template" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/missing_template.yaml" --overwrite
expect_fail 1 "$FIX/bad/broken.mustache:3:1: " \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/template_syntax.yaml" --overwrite
expect_fail 1 "$FIX/bad/yaml_syntax.yaml:4:4: yaml syntax error" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/bad/yaml_syntax.yaml" --overwrite
check_eq "invalid pipelines ran no stage" "" "$(grep 'stage 1/' "$ERR" || true)"
check_eq "invalid pipelines left DIR as it was" "$before" "$(state "$TMP/out")"
expect_fail 1 "$FIX/bad/spec_bad_capture.yaml:4:18: collection 1 'site pages': out_pattern 'sites/\$1.html' uses \$1" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/new" --template "$FIX/bad/spec_bad_capture.yaml"
expect_fail 1 "$FIX/bad/ok-spec.yaml:6:12: collection 'index': query: Catalog Error: Table with name site_index does not exist!" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/new" --template "$FIX/bad/ok-spec.yaml"
check_eq "invalid --template spec: DIR not created" "no" "$([ -e "$TMP/new" ] && echo yes || echo no)"

# --- a SQL error in stage 3, after stages 1 and 2 wrote and recorded their output ------------
expect_fail 1 "stage 3 'Failing pages': collection 'pages': query for 'sites/BDock.html': Invalid Input Error: no data for BDock" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/cli/sql-error.yaml" --overwrite
check_contains "stages 1 and 2 ran first" "$(cat "$ERR")" "stage 2/3: Build site index"
check_eq "sql error: DIR as it was" "$before" "$(state "$TMP/out")"

# --- a template error in stage 3 (a partial named by a variable that does not parse: only a
#     render finds it) ------------------------------------------------------------------------
expect_fail 1 "stage 3 'Broken pages': collection 'pages': rendering 'broken/BDock.html': $FIX/cli/../stage/broken-partial.mustache:3:1: " \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/cli/template-error.yaml" --overwrite
check_contains "stage 2 wrote its pages first" "$(cat "$ERR")" "wrote 2 pages for collection 'pages'"
check_eq "template error: DIR as it was" "$before" "$(state "$TMP/out")"

# --- a partial named in a template is checked with the pipeline, before any stage runs -------
expect_fail 1 "$FIX/cli/../stage/broken-partial.mustache:3:1: " \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/cli/static-template-error.yaml" --overwrite
check_eq "a broken partial is found before stage 1 runs" "0" "$(grep -c '^stage 1/' "$ERR")"
check_eq "broken partial: DIR as it was" "$before" "$(state "$TMP/out")"
expect_fail 1 "stage/missing-partial-spec.yaml:5:15: collection 1 'pages': template '$FIX/cli/../stage/uses-missing.mustache' uses 'nosuch', but there is no nosuch.mustache beside it" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/out" --pipeline "$FIX/cli/missing-partial.yaml" --overwrite
check_eq "a missing partial is found before stage 1 runs" "0" "$(grep -c '^stage 1/' "$ERR")"
check_eq "missing partial: DIR as it was" "$before" "$(state "$TMP/out")"

# --- the same failures into a DIR that did not exist: it still does not ---------------------
expect_fail 1 "no data for" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/fresh" --pipeline "$FIX/cli/sql-error.yaml"
check_eq "sql error: new DIR not left behind" "no" "$([ -e "$TMP/fresh" ] && echo yes || echo no)"

# --- a bad -v: a usage error -------------------------------------------------------------------
expect_fail 2 "bad variable 'novalue'" \
    pond export -p '/sites/*/res=1d.series' -d "$TMP/fresh" --pipeline "$FIX/site/pipeline.yaml" -v novalue

done_testing
