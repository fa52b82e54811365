#!/usr/bin/env bash
# Write the seed corpora tests/fuzz/corpus/<target>/ again from the tests' own data: the
# pipelines, specs and templates of tests/data/pipelines and examples/demo (each bundled with
# the files it names, in the format of tests/fuzz/fuzz.h), the pattern/path pairs of
# tests/unit/test_glob.c, and the small hand-written inputs below.  Run it after changing that
# data; commit what it writes.  (Seeds are a start: libFuzzer keeps its own growing corpus in
# the fuzz build directory, tests/fuzz/run.sh.)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/tests/fuzz/corpus"
data="$root/tests/data/pipelines"

# The files a pipeline, spec or template names (template_spec:, template:, {{> x}}, {{< x}}),
# by base name, found beside it; recursively, each once.
declare -A seen
names_in() {
    local f=$1 dir
    dir=$(dirname "$f")
    case "$f" in
    *.yaml)
        grep -oE '(template_spec|template): *[^ #]+' "$f" 2>/dev/null | sed -E 's/^[a-z_]+: *//' ;;
    *.mustache)
        grep -oE '\{\{[<>] *[A-Za-z0-9_.-]+' "$f" 2>/dev/null | sed -E 's/^\{\{[<>] *//; s/$/.mustache/' ;;
    esac | while read -r rel; do
        local p="$dir/$rel"
        [ -f "$p" ] || continue
        p=$(realpath "$p")
        [ -z "${seen[$p]:-}" ] || continue
        echo "$p"
    done
}
collect() {
    local f
    for f in $(names_in "$1"); do
        [ -z "${seen[$f]:-}" ] || continue
        seen[$f]=1
        echo "$f"
        collect "$f"
    done
}
# bundle MAIN: MAIN's text, then "==> NAME <==" and the text of each file it names.  A name
# with a directory ("../site/x.yaml") is written as its base name, in MAIN and in the header.
bundle() {
    local main=$1 f
    seen=()
    seen[$(realpath "$main")]=1
    local deps
    deps=$(collect "$main")
    sed -E 's#(template_spec|template): *([^ #]*/)?#\1: #' "$main"
    for f in $deps; do
        printf '\n==> %s <==\n' "$(basename "$f")"
        sed -E 's#(template_spec|template): *([^ #]*/)?#\1: #' "$f"
    done
}

rm -rf "$out"
mkdir -p "$out"/{glob,mustache,export_template_spec,export_pipeline,store_csv,store_time,export_parquet_footer}

# --- pipelines and template specs ----------------------------------------------------------
for f in "$data"/*/*.yaml "$root"/examples/demo/*.yaml; do
    name="$(basename "$(dirname "$f")")-$(basename "$f" .yaml)"
    if grep -q '^stages:' "$f"; then
        bundle "$f" >"$out/export_pipeline/$name"
    elif grep -q '^collections:' "$f"; then
        bundle "$f" >"$out/export_template_spec/$name"
    fi
done

# --- mustache: the tests' templates with their partials and a context ----------------------
context='{"rows": [{"site": "a", "files": 2, "file_path": "/x/a.parquet", "row_count": 3}],
 "vars": {"title": "T", "footer": "F"}, "captures": ["a"], "root": "../", "files": ["/x"]}'
for f in "$data"/*/*.mustache "$root"/examples/demo/*.mustache; do
    name="$(basename "$(dirname "$f")")-$(basename "$f" .mustache)"
    { bundle "$f"; printf '\n==> context.json <==\n%s\n' "$context"; } >"$out/mustache/$name"
done
m() { printf '%s' "$2" >"$out/mustache/$1"; }
m sections '{{#list}}{{name}}{{^empty}}!{{/empty}}{{/list}}{{^text}}no text{{/text}}{{! a comment }}'
m escapes '{{s}} {{{s}}} {{&s}} {{c.d.e}} {{#b}}{{.}},{{/b}} {{x}} {{t}} {{n}}'
m standalone $'begin\n  {{#t}}\n  line\n  {{/t}}\n  {{>p}}\nend\n==> p.mustache <==\n  a\n  b\n'
m delimiters $'{{=<% %>=}}<% a %><%={{ }}=%>{{ a }}{{=| |=}}|#t|yes|/t|'
m inheritance $'{{<base}}{{$title}}Mine{{/title}}{{/base}}\n==> base.mustache <==\n<h1>{{$title}}Default{{/title}}</h1>\n{{$body}}body{{/body}}\n'
m dynamic $'{{>*name}} {{<*name}}{{$b}}x{{/b}}{{/*name}}\n==> a.mustache <==\n[{{$b}}a{{/b}}]'
m recursive $'{{>node}}\n==> node.mustache <==\n{{name}}{{#list}}({{>node}}){{/list}}\n==> context.json <==\n{"name": "r", "list": [{"name": "x", "list": [{"name": "y"}]}]}'
m errors '{{#a}}{{/b}}'
m unclosed '{{#a}}{{b}'

# --- glob: pattern, then paths (the pairs of tests/unit/test_glob.c) -----------------------
grep -oE '\bm\("[^"]*", "[^"]*"' "$root/tests/unit/test_glob.c" | sed -E 's/^m\("//; s/", "/\n/; s/"$//' |
    awk 'NR % 2 == 1 { p = $0; next } { f = sprintf("%s/glob/%03d", out, ++n); printf "%s\n%s\n", p, $0 > f; close(f) }' out="$out"
printf '/sites/*/res=*.series\n/sites/a/res=1d.series\n/sites/a\n/\n' >"$out/glob/sites"
printf '/**/x/**/f\n/a/x/b/f\n/x/f\n/x/x/x/f\n' >"$out/glob/dstars"
printf '/*_*_*\n/a_b_c\n/__\n' >"$out/glob/stars"

# --- CSV: a control byte (fuzz_store_csv.c), then the file -------------------------------
c() { printf "$2" >"$out/store_csv/$1"; }
c comma '\000timestamp,v\n2024-07-20 06:00:00,1.5\n2024-07-20 06:10:00,2\n'
c quoted '\001a,"b ""q"", c",d\r\n1,"x\ny",3\r\n\r\n4,5,6\r\n'
c logger '\030Logger "BDock\r\n\r\nSerial;4711\r\nDatum;Temp;Note\r\n20.07.2024 06:00;21,5;"a;b"\r\n20.07.2024 06:10;NA;ok\r\n'
c tab '\040timestamp\tv\tw\n2024-07-20 06:00:00\t1,5\t-\n2024-07-20 06:10:00\t-\t2\n'
c pipe '\044a|b\n1|2\n3|4|5\n'
c gzip-cut '\140a,b\n1,2\n3,4\n'
c bom '\000\357\273\277a;b\n1;2\n'
c unterminated '\000a,b\n"1,2\n'
c empty '\010skipped\n'

# --- time ------------------------------------------------------------------------------
n=0
for t in 2024-07-20 2024-07-20T06:00:00Z "2024-07-20 06:00" 2024-07-20T08:00:00+02:00 \
         2024-07-21T00:00:00.123456789-0330 2024-02-29t23:59:59.5z 1969-12-31T23:59:59-23 \
         0000-01-01T00:00:00+23:59 9999-12-31T23:59:59-23:59 2023-02-29 2024-13-01 \
         2024-07-20T24:00 2024-07-20T06:00:00.Z; do
    n=$((n + 1))
    printf '%s' "$t" >"$out/store_time/$(printf %02d $n)"
done

# --- Parquet footer: the generator's seed (fuzz_export_parquet_footer.c) ------------------
printf '\025\002\031\054\110\006schema\025\002\000\025\004\070\001x\000\026\320\017\031\034\000\000' \
    >"$out/export_parquet_footer/one-column"

for d in "$out"/*; do
    echo "$(basename "$d"): $(find "$d" -type f | wc -l) seeds" >&2
done
