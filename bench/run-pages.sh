#!/usr/bin/env bash
# bench/run-pages.sh: pages/s of a template stage: N pages (default 10,000) rendered from one
# collection by `pond export --template SPEC`.
#
#   bench/run-pages.sh [--build DIR] [--pages N] [--reps N] [--tmp DIR] [--keep]
#
# Data: N small file:data entries /sites/site_NNNNN.csv in a fresh pond (one `pond copy`),
# exported byte for byte by stage 1, so stage 1 is cheap and the template stage is what is
# measured.  The spec has one collection, in_pattern '/sites/*.csv', out_pattern
# 'pages/$0.html' (one page per capture: N pages), a page template that inherits a layout
# ({{<layout}} with blocks) and loops over its rows.  Two variants, each timed REPS times
# under /usr/bin/time -v:
#   rows  : no query: each page's rows are its own export_metadata rows;
#   query : a query per page, `SELECT … FROM export_metadata WHERE capture_value = $0`,
#           run as a prepared statement with $0 bound (N executions over an N-row table).
# and a run without --template, for the data stage alone.  pages/s is N divided by the
# template stage's own time as pond reports it on stderr ("done in X s"), and also by the
# difference in wall time against the data-only run.  Checks: N .html files written, the
# pages' text, and N stage-2 rows in export_metadata (--dump-tables, read back with duckq).
# Everything lives in a mktemp dir under /tmp (or --tmp DIR), removed unless --keep.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
pages=10000
reps=3
keep=0
tmp=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-pages.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

pond=$build/pond
duckq=$build/duckq
for b in "$pond" "$duckq"; do
    if [ ! -x "$b" ]; then
        echo "run-pages.sh: missing $b: cmake --build $build --target $(basename "$b")" >&2
        exit 1
    fi
done
if [ ! -x /usr/bin/time ]; then
    echo "run-pages.sh: installing GNU time (/usr/bin/time)" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if ! "$pond" export --help 2>&1 | grep -- '--template' >/dev/null; then
    echo "run-pages.sh: this pond has no 'export --template': template stages are not built" >&2
    exit 1
fi

work=$(mktemp -d "$tmp/pond-bench-pages.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# ---- the spec and its templates ----------------------------------------------------------
mkdir -p "$work/spec"
cat >"$work/spec/layout.mustache" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{$title}}pond{{/title}}</title></head>
<body>
<nav><a href="{{root}}index.html">{{vars.title}}</a></nav>
<main>{{$content}}{{/content}}</main>
</body></html>
EOF
cat >"$work/spec/page.mustache" <<'EOF'
{{<layout}}
{{$title}}{{captures.0}} · {{vars.title}}{{/title}}
{{$content}}
<h1>{{captures.0}}</h1>
<ul>
{{#rows}}
  <li><a href="{{root}}{{file_path}}">{{file_path}}</a> ({{pattern}}, stage {{export_stage}})</li>
{{/rows}}
{{^rows}}<li>no files</li>{{/rows}}
</ul>
{{/content}}
{{/layout}}
EOF
cat >"$work/spec/rows.yaml" <<'EOF'
collections:
  - name: site pages
    in_pattern: "/sites/*.csv"
    out_pattern: "pages/$0.html"
    template: page.mustache
EOF
cat >"$work/spec/query.yaml" <<'EOF'
collections:
  - name: site pages
    in_pattern: "/sites/*.csv"
    out_pattern: "pages/$0.html"
    template: page.mustache
    query: >-
      SELECT file_path, pattern, export_stage FROM export_metadata
      WHERE capture_value = $0 AND export_stage = 1
EOF

# ---- the pond: N small data files -----------------------------------------------------------
echo "== $pages data files into a fresh pond…" >&2
mkdir -p "$work/gen"
for ((i = 0; i < pages; i++)); do
    printf -v name 'site_%05d' "$i"
    printf 'site,value\n%s,%d\n' "$name" "$i" >"$work/gen/$name.csv"
done
"$pond" --pond "$work/pond" init >/dev/null
"$pond" --pond "$work/pond" mkdir -p /sites >/dev/null
t0=$SECONDS
"$pond" --pond "$work/pond" copy --format data "$work"/gen/*.csv /sites/ >/dev/null
echo "   loaded in $((SECONDS - t0)) s" >&2
rm -rf "$work/gen"

# timed NAME CMD…: run CMD under /usr/bin/time -v; appends "wall cpu rss_kb stage2_s" to
# $work/NAME.runs (stage2_s: the 'done in' of the template stage, or 0).
timed() {
    local name=$1; shift
    sync
    if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1; then
        echo "run-pages.sh: '$name' failed:" >&2
        cat "$work/$name.out" "$work/$name.time" >&2
        exit 1
    fi
    local st
    st=$(awk '/^stage 2\// { s = 1 } s && /done in/ { for (i = 1; i <= NF; i++) if ($i == "in") print $(i + 1); exit }' "$work/$name.out")
    awk -F': ' -v st="${st:-0}" '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { m = $2 }
        END { printf "%.2f %.2f %d %s\n", w, u + s, m, st }' "$work/$name.time" >>"$work/$name.runs"
    echo "     $name: $(tail -1 "$work/$name.runs" | awk '{ printf "wall %s s, user+sys %s s, peak RSS %d MiB, template stage %s s", $1, $2, $3 / 1024, $4 }')" >&2
}
median() { awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for ((i = 1; i <= reps; i++)); do
    echo "   rep $i/$reps" >&2
    timed data "$pond" --pond "$work/pond" export -p '/sites/*.csv' -d "$work/data.$i"
    timed rows "$pond" --pond "$work/pond" export -p '/sites/*.csv' -d "$work/rows.$i" \
        --template "$work/spec/rows.yaml" -v title=Bench --dump-tables "$work/tables-rows.$i"
    timed query "$pond" --pond "$work/pond" export -p '/sites/*.csv' -d "$work/query.$i" \
        --template "$work/spec/query.yaml" -v title=Bench --dump-tables "$work/tables-query.$i"
done

# ---- checks -----------------------------------------------------------------------------------
fail=0
for v in rows query; do
    out=$work/$v.$reps
    n=$(find "$out/pages" -name '*.html' | wc -l)
    meta=$("$duckq" -v f="$work/tables-$v.$reps/export_metadata.parquet" \
        "SELECT count(*) FROM read_parquet(getvariable('f')) WHERE export_stage = 2" | tail -1)
    printf -v last 'site_%05d' $((pages - 1))
    page=$out/pages/$last.html
    if [ "$n" != "$pages" ] || [ "$meta" != "$pages" ] ||
        ! grep -q "<h1>$last</h1>" "$page" ||
        ! grep -q "<a href=\"../$last/$last.csv\">$last/$last.csv</a> (/sites/\*.csv, stage 1)" "$page" ||
        ! grep -q "<title>$last · Bench</title>" "$page"; then
        echo "run-pages.sh: CHECK FAILED ($v): $n pages, $meta stage-2 rows; $page:" >&2
        cat "$page" >&2 || true
        fail=1
    fi
done
[ "$fail" = 0 ] || exit 1
echo "check: $pages pages and $pages stage-2 export_metadata rows in each variant; page text as expected" >&2

echo "# pond template-stage benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load now: $(cut -d' ' -f1-3 /proc/loadavg); reps=$reps, medians"
echo
echo "| run | wall s | user+sys s | peak RSS MiB | template stage s | pages/s (stage) | pages/s (wall minus data-only) |"
echo "|---|---|---|---|---|---|---|"
dw=$(median 1 "$work/data.runs")
for v in data rows query; do
    f=$work/$v.runs
    awk -v v="$v" -v w="$(median 1 "$f")" -v c="$(median 2 "$f")" -v r="$(median 3 "$f")" \
        -v st="$(median 4 "$f")" -v dw="$dw" -v n="$pages" 'BEGIN {
        if (v == "data") {
            printf "| data stage only (%d files) | %.2f | %.2f | %.0f | - | - | - |\n", n, w, c, r / 1024
        } else {
            label = "template, rows from export_metadata"
            if (v == "query") label = "template, one query per page"
            ps = 0; if (st > 0) ps = n / st
            pw = 0; if (w > dw) pw = n / (w - dw)
            printf "| %s: %d pages | %.2f | %.2f | %.0f | %.2f | %.0f | %.0f |\n", label, n, w, c, r / 1024, st, ps, pw
        }
    }'
done
