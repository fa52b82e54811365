#!/usr/bin/env bash
# bench/run-mustache.sh: parsing and rendering one long-lined template, the engine of an old
# commit against the engine of this tree (issue 7: the column of each tag used to be recounted
# from the line's start, quadratic in the line's length).
#
#   bench/run-mustache.sh [--old-commit C] [--size BYTES] [--reps N] [--tmp DIR] [--keep]
#
# The template is minified HTML on one line of about BYTES (default 1 MiB): a table row with an
# escaped and an unescaped variable and a section, repeated.  bench/mustache_render.c is built
# twice with gcc -O2 against the engine's sources (src/mustache, src/util/buf.c, error.c): from
# commit C (default 979fdc1, before the fix; `git archive`, nothing checked out) and from this
# tree.  Both must print the same output size.  Then REPS times (default 3), alternating which
# goes first, each is timed; reported: median wall and user+sys, parse and render ms as the
# program measures them, and old/new.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
old_commit=979fdc1
size=1048576
reps=3
while [ $# -gt 0 ]; do
    case $1 in
    --old-commit) old_commit=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-mustache.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
bench_need
bench_init mustache

# build SRC_ROOT OUT: the driver against the engine under SRC_ROOT (src/, include/).
build_driver() {
    gcc -std=c11 -O2 -D_GNU_SOURCE -I"$1/include" -I"$1/src" \
        "$bench_root/bench/mustache_render.c" "$1"/src/mustache/*.c "$1/src/util/buf.c" \
        "$1/src/util/error.c" -ljansson -o "$2"
}
mkdir -p "$work/old-src"
git -C "$bench_root" archive "$old_commit" src/mustache src/util include | tar -x -C "$work/old-src"
build_driver "$work/old-src" "$work/old"
build_driver "$bench_root" "$work/new"

unit='<tr><td class="n">{{name}}</td><td>{{#site}}{{code}}{{/site}}</td><td>{{{raw}}}</td></tr>'
awk -v u="$unit" -v n="$size" 'BEGIN { while (len < n - length(u)) { printf "%s", u; len += length(u) } }' \
    >"$work/page.mustache"
printf '{"name": "a<b", "site": {"code": "BDock"}, "raw": "<i>x</i>"}\n' >"$work/context.json"

echo "# one-line template of $(wc -c <"$work/page.mustache") bytes, $(date -u '+%Y-%m-%d %H:%M UTC'), old $old_commit, new $(git -C "$bench_root" rev-parse --short HEAD), reps=$reps, $(load_note)"
for ((i = 1; i <= reps; i++)); do
    alternate "$i" old "\"$work/old\" \"$work/page.mustache\" \"$work/context.json\"" \
        new "\"$work/new\" \"$work/page.mustache\" \"$work/context.json\""
    cat "$work/old.out" >>"$work/old.ms"
    cat "$work/new.out" >>"$work/new.ms"
done
if [ "$(awk '{ print $3 }' "$work/old.ms" | sort -u)" != "$(awk '{ print $3 }' "$work/new.ms" | sort -u)" ]; then
    echo "run-mustache.sh: old and new render different output sizes" >&2
    exit 1
fi
echo "| engine | wall s, median (runs) | user+sys s | peak RSS MiB |"
echo "|---|---|---|---|"
report "" old "$old_commit" | sed 's/^|  |/|/'
report "" new "this tree" | sed 's/^|  |/|/'
echo "| **old/new** | **$(ratio old new 1)** (wall) | $(ratio old new 2) (cpu) | |"
echo "parse ms, median: old $(median 1 "$work/old.ms"), new $(median 1 "$work/new.ms");" \
    "render ms, median: old $(median 2 "$work/old.ms"), new $(median 2 "$work/new.ms");" \
    "output $(awk 'NR == 1 { print $3 }' "$work/new.ms") bytes"
echo "# $(load_note) after"
