#!/usr/bin/env bash
# t6800-demo-site: the demo (scripts/demo.sh, on the built binaries) runs end to end, and the
# site it exports is checked page by page by tests/tools/check-site.py: every chart has its
# title, unit, value and date ticks and a mean line inside its axes; every local link is
# URL-escaped and names a file of the site; no script, nothing from the network; a viewport.
# Then against the data: the gap in Silver Lake's readings breaks its lines, the value axes
# span each parameter's lows and highs, the index states each site's time range, and every
# linked Parquet file holds exactly the rows of the derived series it came from (read back by
# DuckDB).  A damaged copy of the site shows that the checker finds what it must.
. "$(dirname "$0")/lib.sh"

check_site=(python3 "$POND_SOURCE_DIR/tests/tools/check-site.py")
q() { duckq "$@" | tail -n +2; }

demo=$TMP/demo
site=$demo/site
expect_ok env POND_BUILD_DIR="$POND_BUILD_DIR" bash "$POND_SOURCE_DIR/scripts/demo.sh" "$demo"
check_contains "demo: ends with the site" "$(cat "$OUT")" "The site: $site/index.html"
POND=$demo/pond

expect_ok "${check_site[@]}" "$site"
report=$(cat "$OUT")
check_eq "site: the index and a page per site and resolution" "index.html
sites/BDock/1d.html
sites/BDock/1h.html
sites/Princess/1d.html
sites/Princess/1h.html
sites/Silver Lake/1d.html
sites/Silver Lake/1h.html" "$(awk -F'\t' '$1 == "page" { print $2 }' <<<"$report")"
check_eq "site: three charts on every site page" "6" \
    "$(awk -F'\t' '$1 == "page" && $3 == "charts=3"' <<<"$report" | wc -l)"
check_eq "charts: Silver Lake's gap breaks each line in two, the others are whole" \
    "BDock segments=1 6
Princess segments=1 6
Silver Lake segments=2 6" \
    "$(awk -F'\t' '$1 == "chart" { split($2, p, "/"); print p[2], $4 }' <<<"$report" | sort | uniq -c |
       awk '{ n = $1; $1 = ""; print substr($0, 2), n }')"
check_eq "charts: the time axis is dated from the first day" "18" \
    "$(awk -F'\t' '$1 == "chart" && $6 ~ /^xticks=1 Jul\.\./' <<<"$report" | wc -l)"
check_eq "pages: no number in exponent form (1e+02)" "" \
    "$(grep -rlE '[0-9]e[+-]?[0-9]' "$site" --include '*.html')"

# Each value axis spans the lows and highs of its parameter in the derived series.
for chart in "Water temperature:temperature_c" "Salinity:salinity_psu" "Dissolved oxygen:do_mg_l"; do
    title=${chart%%:*} col=${chart#*:}
    for s in BDock "Silver Lake"; do
        for res in 1h 1d; do
            ticks=$(awk -F'\t' -v p="sites/$s/$res.html" -v t="$title" \
                        '$1 == "chart" && $2 == p && $3 == t { sub(/^ticks=/, "", $5); print $5 }' <<<"$report")
            range=$(pond cat "/reduced/$s/res=$res.series" --format csv \
                        --sql "SELECT min(${col}_min), max(${col}_max) FROM series" | tail -n +2)
            check_eq "$s $res $title: axis ${ticks} holds ${range}" "yes" \
                "$(awk -v t="$ticks" -v r="$range" 'BEGIN { split(t, a, /\.\./); split(r, b, ",");
                     print (a[1] + 0 <= b[1] + 0 && a[2] + 0 >= b[2] + 0 && a[1] != "") ? "yes" : "no" }')"
        done
    done
done

# The index links every site's views and states its time range.
index=$(cat "$site/index.html")
for s in BDock Princess "Silver%20Lake"; do
    check_contains "index: links $s" "$index" "<a href=\"sites/$s/1h.html\">${s/\%20/ }</a>"
    check_contains "index: links $s daily" "$index" "<a href=\"sites/$s/1d.html\">daily</a>"
done
check_eq "index: each site's time range" "3" "$(grep -c '1 Jul 2024 to 14 Jul 2024' "$site/index.html")"
check_contains "index: Silver Lake's missing hours" "$index" "300 of 336 hours hold readings"
check_contains "site page: links the other resolution" "$(cat "$site/sites/BDock/1h.html")" \
    '<a href="1d.html">daily</a>'
check_eq "export: the derived series only, no raw minutes" "" "$(cd "$site" && find . -path '*1m*')"

# Every linked Parquet file is the derived series it came from, row for row.
links=$(awk -F'\t' '$1 == "parquet" { print $2 }' <<<"$report")
check_eq "site: links a Parquet file per site and resolution" "6" "$(grep -c . <<<"$links")"
while IFS= read -r file; do
    s=${file#site=} s=${s%%/*} res=${file#*/res=} res=${res%%/*}
    pond cat "/reduced/$s/res=$res.series" --format parquet >"$TMP/want.parquet"
    check_eq "$file: read back, the rows of /reduced/$s/res=$res.series" "0,0" \
        "$(q -v got="$site/$file" -v want="$TMP/want.parquet" "
            SELECT (SELECT count(*) FROM (FROM read_parquet(getvariable('got'), hive_partitioning = false)
                                          EXCEPT ALL FROM read_parquet(getvariable('want')))),
                   (SELECT count(*) FROM (FROM read_parquet(getvariable('want'))
                                          EXCEPT ALL FROM read_parquet(getvariable('got'), hive_partitioning = false)))")"
done <<<"$links"

# A new site in the same pond shows in the next export at once (the reduce is computed when
# read); its lone buckets (a day, then one hour two days later) are drawn as dots.
gen="$POND_BUILD_DIR/pond-gen-sensors"
expect_ok "$gen" "$TMP/lone1" --sites 1 --params 3 --minutes 1440 --start 2024-07-01T00:00:00
expect_ok "$gen" "$TMP/lone2" --sites 1 --params 3 --minutes 60 --start 2024-07-03T05:00:00
expect_ok pond mkdir /sites/Lone
expect_ok pond copy "$TMP/lone1/BDock.csv" /sites/Lone/res=1m.series
expect_ok pond copy "$TMP/lone2/BDock.csv" /sites/Lone/res=1m.series
expect_ok pond export -d "$TMP/site2" --pipeline "$POND_SOURCE_DIR/examples/demo/pipeline.yaml"
expect_ok "${check_site[@]}" "$TMP/site2"
report2=$(cat "$OUT")
check_eq "new site: its hourly chart is a line and a dot, its daily one two dots" \
    "sites/Lone/1d.html segments=2 dots=2
sites/Lone/1h.html segments=2 dots=1" \
    "$(for p in 1d 1h; do
         f="$TMP/site2/sites/Lone/$p.html"
         printf 'sites/Lone/%s.html %s dots=%s\n' "$p" \
             "$(awk -F'\t' -v p="sites/Lone/$p.html" '$1 == "chart" && $2 == p && $3 == "Salinity" { print $4 }' <<<"$report2")" \
             "$(sed -n '/Salinity/,/<\/svg>/p' "$f" | grep -c '<circle class="dot"')"
       done)"
check_contains "new site: on the index" "$(cat "$TMP/site2/index.html")" '<a href="sites/Lone/1h.html">Lone</a>'

# The checker finds a dead link, an unescaped one, a chart without ticks and a missing viewport.
cp -r "$site" "$TMP/broken"
rm "$TMP/broken/site=BDock/res=1d/year=2024/month=7/data.parquet"
sed -i 's|href="\.\./\.\./site=Silver%20Lake/|href="../../site=Silver Lake/|' "$TMP/broken/sites/Silver Lake/1d.html"
sed -i 's|<text class="tick y"[^>]*>[^<]*</text>||' "$TMP/broken/sites/Princess/1h.html"
sed -i '/name="viewport"/d' "$TMP/broken/index.html"
expect_fail 1 "sites/BDock/1h.html: <a href> names no file: ../../site=BDock/res=1d/" "${check_site[@]}" "$TMP/broken"
err=$(cat "$ERR")
check_contains "checker: an unescaped link" "$err" "sites/Silver Lake/1d.html: <a href> is not URL-escaped"
check_contains "checker: a chart without value ticks" "$err" \
    "sites/Princess/1h.html: chart 'Water temperature': value ticks are not two or more numbers"
check_contains "checker: a page without a viewport" "$err" 'index.html: no <meta name="viewport">'

done_testing
