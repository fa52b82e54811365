#!/usr/bin/env bash
# t5750-template-limits: a template nested too deep (sections in one file, a block whose
# override holds a block of its own name, a partial that includes itself) fails the export
# with "FILE:LINE:COLUMN: nested too deep", exit 1, and DIR left exactly as it was; it never
# crashes pond or runs it out of stack.  Nesting up to the limit (256) renders.
. "$(dirname "$0")/lib.sh"

# state DIR: every file under DIR with its content hash, hidden ones included
state() { (cd "$1" && find . -mindepth 1 | sort | while IFS= read -r f; do
    if [ -f "$f" ]; then printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-16)"; else printf '%s/\n' "$f"; fi
done); }
# nest OPEN N MIDDLE CLOSE: OPEN N times, MIDDLE, CLOSE N times (one line)
nest() { awk -v o="$1" -v n="$2" -v m="$3" -v c="$4" 'BEGIN {
    for (i = 0; i < n; i++) printf "%s", o; printf "%s", m; for (i = 0; i < n; i++) printf "%s", c }'; }

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 3 86400
pond mkdir -p /sites >/dev/null
expect_ok pond copy "$TMP/a.csv" /sites/BDock.series

T=$TMP/tpl
mkdir -p "$T"
# spec NAME TEMPLATE: a template spec rendering TEMPLATE once, and a pipeline running it
spec() {
    printf 'collections:\n  - name: page\n    in_pattern: /sites/*.series\n    out_pattern: %s.html\n    template: %s\n' \
        "$1" "$2" >"$T/$1-spec.yaml"
    printf 'stages:\n  - name: Pages\n    type: template_processing\n    template_spec: %s-spec.yaml\n' \
        "$1" >"$T/$1.yaml"
}
nest '{{#rows}}' 300 'x' '{{/rows}}' >"$T/deep.mustache"
spec deep deep.mustache
nest '{{^none}}' 256 'ok' '{{/none}}' >"$T/limit.mustache"
spec limit limit.mustache
printf '{{$b}}{{/b}}' >"$T/layout.mustache"
printf 'page\n{{<layout}}{{$b}}{{$b}}{{/b}}{{/b}}{{/layout}}\n' >"$T/blocks.mustache"
spec blocks blocks.mustache
printf 'again {{>self}}' >"$T/self.mustache"
spec self self.mustache

mkdir -p "$TMP/out"
echo "old page" >"$TMP/out/deep.html"
echo "keep me" >"$TMP/out/notes.txt"
before=$(state "$TMP/out")
too_deep="nested too deep (more than 256 sections, parents, blocks and partials inside one another)"

# 300 sections in one file: refused when the pipeline is checked, before any stage runs
expect_fail 1 "$T/deep.mustache:1:2305: $too_deep" \
    pond export -p '/sites/*.series' -d "$TMP/out" --pipeline "$T/deep.yaml" --overwrite
check_eq "too deep: no stage ran" "0" "$(grep -c '^stage 1/' "$ERR")"
check_eq "too deep: DIR as it was" "$before" "$(state "$TMP/out")"
expect_fail 1 "$T/deep.mustache:1:2305: $too_deep" \
    pond export -p '/sites/*.series' -d "$TMP/new" --template "$T/deep-spec.yaml"
check_eq "too deep: new DIR not created" "no" "$([ -e "$TMP/new" ] && echo yes || echo no)"

# an override holding a block of its own name: found while rendering, named where it recurses
expect_fail 1 "rendering 'blocks.html': $T/blocks.mustache:2:18: $too_deep" \
    pond export -p '/sites/*.series' -d "$TMP/out" --pipeline "$T/blocks.yaml" --overwrite
check_eq "block recursion: DIR as it was" "$before" "$(state "$TMP/out")"

# a partial that includes itself
expect_fail 1 "rendering 'self.html': $T/self.mustache:1:7: $too_deep" \
    pond export -p '/sites/*.series' -d "$TMP/out" --pipeline "$T/self.yaml" --overwrite
check_eq "partial recursion: DIR as it was" "$before" "$(state "$TMP/out")"

# the limit itself is fine
expect_ok pond export -p '/sites/*.series' -d "$TMP/lim" --pipeline "$T/limit.yaml"
check_eq "256 levels render" "ok" "$(cat "$TMP/lim/limit.html")"

done_testing
