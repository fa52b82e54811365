#!/usr/bin/env bash
# t6000-pipeline: pond export --pipeline / --template end to end on a real pond: pipelines of
# 1, 3 and 5 stages, a custom table read by later templates, -v overriding pipeline vars, a
# captured value with a quote bound into a template query, links in the pages that resolve to
# real files, pages recorded in export_metadata, --dry-run, --overwrite.
# Fixtures: tests/data/pipelines/{site,cli,stage}.
. "$(dirname "$0")/lib.sh"

FIX=$POND_SOURCE_DIR/tests/data/pipelines
q() { duckq "$@" | tail -n +2; }
tree() { (cd "$1" && find . -type f ! -name .pond-export.json | sed 's|^\./||' | sort); }

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 30 86400   # 2024-07-20, daily: July and August
sensor_csv "$TMP/b.csv" 1721433600 10 86400   # July only
for site in BDock Noyo "O'Brien Pier"; do
    pond mkdir -p "/sites/$site" >/dev/null
done
expect_ok pond copy "$TMP/a.csv" /sites/BDock/res=1d.series
expect_ok pond copy "$TMP/b.csv" /sites/Noyo/res=1d.series
expect_ok pond copy "$TMP/a.csv" "/sites/O'Brien Pier/res=1d.series"

# --- 1 stage: the pipeline's own patterns, same files as the plain command line ------------
expect_ok pond export -d "$TMP/one" --pipeline "$FIX/cli/one-stage.yaml"
check_contains "1 stage: reported" "$(cat "$ERR")" "stage 1/1: Export sensor data (data_export)"
expect_ok pond export -p '/sites/*/res=1d.series' --temporal year,month -d "$TMP/plain"
check_eq "1 stage: same files as -p --temporal" "$(tree "$TMP/plain")" "$(tree "$TMP/one")"
check_contains "1 stage: Hive layout" "$(tree "$TMP/one")" "O'Brien Pier/year=2024/month=8/data.parquet"

# --- 3 stages: export, a custom table, pages that read it -----------------------------------
expect_ok pond export -d "$TMP/three" --pipeline "$FIX/site/pipeline.yaml" --dump-tables "$TMP/three-t"
err3=$(cat "$ERR")
check_contains "3 stages: stage 2 reported" "$err3" "stage 2/3: Build site index (custom_query)"
check_contains "3 stages: table reported" "$err3" "made table site_index (3 rows)"
check_contains "3 stages: pages reported" "$err3" "wrote 3 pages for collection 'site pages'"
check_eq "3 stages: the pages" "index.html
sites/BDock.html
sites/Noyo.html
sites/O'Brien Pier.html" "$(tree "$TMP/three" | grep -v parquet)"
index=$(cat "$TMP/three/index.html")
check_contains "index: title var" "$index" "<h1>Noyo Harbor</h1>"
check_contains "index: a row of the custom table" "$index" \
    '<li><a href="sites/BDock.html">BDock</a> (2 files)</li>'
check_contains "index: the quoted site" "$index" \
    "<li><a href=\"sites/O'Brien Pier.html\">O'Brien Pier</a> (2 files)</li>"
check_contains "index: Noyo has one month" "$index" '<a href="sites/Noyo.html">Noyo</a> (1 files)'
obrien=$(cat "$TMP/three/sites/O'Brien Pier.html")
check_contains "quoted capture bound in the query: its own files" "$obrien" \
    "<a href=\"../O'Brien Pier/year=2024/month=8/data.parquet\">"
check_eq "quoted capture: only its own files" "2" "$(grep -c 'data.parquet</a>' "$TMP/three/sites/O'Brien Pier.html")"
check_contains "partial and parent layout" "$obrien" "<title>O'Brien Pier · Noyo Harbor</title>"
# every link in every page resolves to a real file
broken=""
while IFS= read -r page; do
    dir=$(dirname "$TMP/three/$page")
    while IFS= read -r href; do
        target=$(printf '%s' "$href" | sed 's/&quot;/"/g; s/&amp;/\&/g')
        [ -f "$dir/$target" ] || broken+="$page -> $href; "
    done < <(grep -o 'href="[^"]*"' "$TMP/three/$page" | sed 's/^href="//; s/"$//')
done < <(tree "$TMP/three" | grep '\.html$')
check_eq "every link resolves to a file" "" "$broken"
nlinks=$(cat "$TMP/three"/*.html "$TMP/three"/sites/*.html | grep -o 'href="' | wc -l)
check_eq "links checked" "11" "$nlinks"
meta="read_parquet(getvariable('m'))"
check_eq "pages in export_metadata with stage 3" "index.html|-1||3
sites/BDock.html|0|BDock|2
sites/Noyo.html|0|Noyo|1
sites/O'Brien Pier.html|0|O'Brien Pier|2" \
    "$(q -v m="$TMP/three-t/export_metadata.parquet" "SELECT file_path || '|' || capture_group || '|' || capture_value || '|' || row_count FROM $meta WHERE export_stage = 3 ORDER BY 1" | sed 's/^"//; s/"$//')"
check_eq "site_index dumped" "3" "$(q -v m="$TMP/three-t/site_index.parquet" "SELECT count(*) FROM $meta")"

# --- -v overrides the pipeline's vars ---------------------------------------------------------
expect_ok pond export -d "$TMP/vars" --pipeline "$FIX/site/pipeline.yaml" -v "title=From -v" -v extra=1
check_contains "-v wins over the pipeline" "$(cat "$TMP/vars/index.html")" "<h1>From -v</h1>"
check_contains "other pipeline vars kept" "$(cat "$TMP/vars/index.html")" "<footer>made by pond</footer>"

# --- 5 stages: a custom table made from stage 3's pages, read by stage 5 ----------------------
expect_ok pond export -p '/sites/*/res=1d.series' -d "$TMP/five" --pipeline "$FIX/cli/five-stage.yaml"
check_contains "5 stages: last stage reported" "$(cat "$ERR")" "stage 5/5: Sitemap (template_processing)"
check_eq "5 stages: sitemap from page_stats and export_metadata" "sites/BDock.html BDock 30 rows (4)
sites/Noyo.html Noyo 10 rows (4)
sites/O'Brien Pier.html O'Brien Pier 30 rows (4)" "$(cat "$TMP/five/sitemap.txt")"
check_contains "5 stages: vars of stage 3" "$(cat "$TMP/five/index.html")" "<h1>Five stages</h1>"

# --- --template: one template stage after the data export --------------------------------
expect_ok pond export -p '/sites/*/res=1d.series' -d "$TMP/tmpl" --template "$FIX/cli/quote-spec.yaml" -v "title=It's"
check_eq "--template: the quoted site's page" "site=O'Brien Pier title=It's
O'Brien Pier/data.parquet 30" "$(cat "$TMP/tmpl/q/O'Brien Pier.txt")"
check_eq "--template: Noyo's page" "site=Noyo title=It's
Noyo/data.parquet 10" "$(cat "$TMP/tmpl/q/Noyo.txt")"

check_eq "--template: \$files reads the page's own Parquet files" "30 rows in 1 file(s), last 2024-08-18T00:00:00, mean 11.45" \
    "$(cat "$TMP/tmpl/q/O'Brien Pier.data.txt")"
check_eq "--template: \$files for Noyo" "10 rows in 1 file(s), last 2024-07-29T00:00:00, mean 10.45" \
    "$(cat "$TMP/tmpl/q/Noyo.data.txt")"

# --- shared captures, one page without '$', and a collection whose in_pattern matches nothing
expect_ok pond export -p '/sites/*/*.series' -d "$TMP/shared" --template "$FIX/stage/shared-spec.yaml"
check_contains "no rows for an in_pattern: a note" "$(cat "$ERR")" \
    "note: collection 'nothing matches': no export_metadata rows have pattern '/nowhere/*.series'"
check_eq "one page without '\$' even with no rows" "path=empty.html root= pattern=/nowhere/*.series caps= rows=" \
    "$(cat "$TMP/shared/empty.html")"
check_eq "pages per site: its export_metadata rows, one per (file, capture)" "path=sites/Noyo/index.html root=../../ pattern=/sites/*/*.series caps=[Noyo][res=1d] rows=(Noyo/res=1d/data.parquet)(Noyo/res=1d/data.parquet)" \
    "$(cat "$TMP/shared/sites/Noyo/index.html")"

# --- --dry-run lists pages and writes nothing ---------------------------------------------
expect_ok pond export -d "$TMP/dry" --pipeline "$FIX/site/pipeline.yaml" --dry-run
check_contains "dry run lists a page" "$(cat "$OUT")" "$TMP/dry/sites/Noyo.html"
check_eq "dry run writes nothing" "no" "$([ -e "$TMP/dry" ] && echo yes || echo no)"

# --- a re-run needs --overwrite, and then gives the same pages ---------------------------
cp "$TMP/three/index.html" "$TMP/index.before"
expect_fail 1 "already exists" pond export -d "$TMP/three" --pipeline "$FIX/site/pipeline.yaml"
expect_ok pond export -d "$TMP/three" --pipeline "$FIX/site/pipeline.yaml" --overwrite
check_files_eq "re-run: same index page" "$TMP/index.before" "$TMP/three/index.html"

done_testing
