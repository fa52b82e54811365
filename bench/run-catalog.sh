#!/usr/bin/env bash
# bench/run-catalog.sh: the catalog's cost, old (DuckDB, catalog.duckdb) against new (SQLite,
# catalog.sqlite), on the same machine in the same run (issue 8).
#
#   bench/run-catalog.sh [--build DIR] [--old-commit C] [--entries N] [--reps N] [--tmp DIR]
#                        [--keep]
#
# The old pond is built at bench time from commit C (default 2483960, the last with the DuckDB
# catalog) in a temporary git worktree and a build directory of its own, both removed at the
# end; no old code is kept in the tree.  Each binary gets a fresh pond of N entries (default
# 10,000 small file:data files in 100 directories: 100 `pond copy` of 100 files each), made the
# same way.  Then, REPS times (default 5), old and new alternating which goes first:
#   list : `pond list -l '/**'` over all of it (both must print every entry);
#   copy : `pond copy --format data` of one small new file (one transaction).
# Reported: the median and the runs of each, in wall milliseconds, and new/old.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
old_commit=2483960
entries=10000
reps=5
keep=0
tmp=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --old-commit) old_commit=$2; shift 2 ;;
    --entries) entries=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --tmp) tmp=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-catalog.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
new=$build/pond
if [ ! -x "$new" ]; then
    echo "run-catalog.sh: missing $new: scripts/build.sh $(basename "$build")" >&2
    exit 1
fi

work=$(mktemp -d "$tmp/pond-bench-catalog.XXXXXX")
cleanup() {
    git -C "$root" worktree remove --force "$work/old-src" >/dev/null 2>&1 || true
    git -C "$root" worktree prune >/dev/null 2>&1 || true
    if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---- the old pond, built from its commit --------------------------------------------------
echo "== building the old pond ($old_commit) in $work/old-build…" >&2
git -C "$root" worktree add --detach "$work/old-src" "$old_commit" >/dev/null 2>&1
ln -s "$(readlink -f "$root/.deps")" "$work/old-src/.deps"
cmake -S "$work/old-src" -B "$work/old-build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/old-build" -j"$(nproc)" --target pond_cli >/dev/null
old=$work/old-build/pond
"$old" --pond "$work/probe" init >/dev/null && [ -f "$work/probe/catalog.duckdb" ] ||
    { echo "run-catalog.sh: $old does not make a catalog.duckdb" >&2; exit 1; }
"$new" --pond "$work/probe2" init >/dev/null && [ -f "$work/probe2/catalog.sqlite" ] ||
    { echo "run-catalog.sh: $new does not make a catalog.sqlite" >&2; exit 1; }

# ---- the data: N small files in 100 directories ---------------------------------------------
echo "== $entries small files…" >&2
ndirs=100
per=$(((entries + ndirs - 1) / ndirs))
for ((d = 0; d < ndirs; d++)); do
    mkdir -p "$work/gen/d$d"
    for ((f = 0; f < per && d * per + f < entries; f++)); do
        printf 'file %d of dir %d\n' "$f" "$d" >"$work/gen/d$d/f$f.txt"
    done
done

# load BIN POND: the same pond, made by BIN
load() {
    local bin=$1 p=$2 t0 d
    t0=$(date +%s%N)
    "$bin" --pond "$p" init >/dev/null
    "$bin" --pond "$p" mkdir /bench >/dev/null
    for ((d = 0; d < ndirs; d++)); do
        "$bin" --pond "$p" mkdir "/d$d" >/dev/null
        "$bin" --pond "$p" copy --format data "$work/gen/d$d"/*.txt "/d$d/" >/dev/null
    done
    echo "   $(basename "$(dirname "$bin")"): loaded in $((($(date +%s%N) - t0) / 1000000)) ms" >&2
}
load "$old" "$work/pond-old"
load "$new" "$work/pond-new"

# timed NAME CMD…: append CMD's wall milliseconds to $work/NAME.runs
timed() {
    local name=$1 t0 t1
    shift
    t0=$(date +%s%N)
    "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        echo "run-catalog.sh: '$name' failed:" >&2
        cat "$work/$name.err" >&2
        exit 1
    }
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000)) >>"$work/$name.runs" # µs
}
one() { # one KIND REP: the list and the copy of old or new
    local kind=$1 i=$2 bin p
    if [ "$kind" = old ]; then bin=$old; else bin=$new; fi
    p=$work/pond-$kind
    printf 'small file %d\n' "$i" >"$work/small-$kind-$i.txt"
    timed "list-$kind" "$bin" --pond "$p" list -l '/**'
    lines=$(wc -l <"$work/list-$kind.out")
    if [ "$lines" -ne $((entries + ndirs + 1 + i - 1)) ]; then
        echo "run-catalog.sh: $kind list printed $lines lines" >&2
        exit 1
    fi
    timed "copy-$kind" "$bin" --pond "$p" copy --format data "$work/small-$kind-$i.txt" "/bench/s$i"
}
echo "== $reps reps, alternating" >&2
sync
for ((i = 1; i <= reps; i++)); do
    if [ $((i % 2)) -eq 1 ]; then one old "$i"; one new "$i"; else one new "$i"; one old "$i"; fi
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
runs() { awk '{ printf "%s%.1f", (NR > 1 ? "/" : ""), $1 / 1000 }' "$1"; }

echo "# pond catalog benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), new $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') vs old $old_commit"
echo "# machine: $(nproc) cores; load now: $(cut -d' ' -f1-3 /proc/loadavg); pond dirs on $(df --output=fstype "$work" | tail -1) ($tmp); $entries entries; reps=$reps"
echo
echo "| operation | old (DuckDB catalog) ms, median (runs) | new (SQLite catalog) ms, median (runs) | new/old |"
echo "|---|---|---|---|"
for op in list copy; do
    mo=$(median "$work/$op-old.runs")
    mn=$(median "$work/$op-new.runs")
    label="\`pond list -l '/**'\` ($((entries + ndirs + 1)) lines)"
    [ "$op" = copy ] && label="\`pond copy --format data\` of a small file"
    awk -v l="$label" -v mo="$mo" -v mn="$mn" -v ro="$(runs "$work/$op-old.runs")" \
        -v rn="$(runs "$work/$op-new.runs")" \
        'BEGIN { printf "| %s | %.1f (%s) | %.1f (%s) | %.2f |\n", l, mo / 1000, ro, mn / 1000, rn, mn / mo }'
done
printf '\ncatalog sizes: old %s bytes (catalog.duckdb), new %s bytes (catalog.sqlite)\n' \
    "$(stat -c %s "$work/pond-old/catalog.duckdb")" "$(stat -c %s "$work/pond-new/catalog.sqlite")"
