# bench/lib.sh: what the bench/run-*.sh scripts share (sourced, not run).
#
#   bench_init NAME            $work (mktemp under $tmp), trap to remove it unless $keep=1
#   timed LABEL CMD…           run CMD under /usr/bin/time -v; append "wall cpu rss_kb" to
#                              $work/LABEL.runs; fails the script if CMD fails
#   alternate REP LABEL_A "CMD_A" LABEL_B "CMD_B"   A then B on odd reps, B then A on even
#                              reps (CMD_* are eval'd, so quote them), each timed
#   median COL FILE, maxcol COL FILE, ratio LABEL_A LABEL_B COL (median A / median B)
#   report CASE LABEL TEXT     one markdown table row: median wall (every run), median cpu,
#                              max RSS MiB
#   load_note                  "load 1.2 0.9 0.8" (the shared machine's load average)
# Figures are medians of every run, ratios are of medians taken in the same run, so that other
# jobs on the machine slow both sides alike.
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$bench_root/build-bench}
tmp=${TMPDIR:-/tmp}
keep=0

bench_need() {
    for b in "$@"; do
        if [ ! -x "$build/$b" ]; then
            echo "$(basename "$0"): missing $build/$b: cmake --build $build --target $b" >&2
            exit 1
        fi
    done
    if [ ! -x /usr/bin/time ]; then
        apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    fi
}

bench_init() {
    work=$(mktemp -d "$tmp/pond-bench-$1.XXXXXX")
    trap 'if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi' EXIT
}

timed() {
    local name=$1; shift
    if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1; then
        echo "$(basename "$0"): '$name' failed:" >&2
        cat "$work/$name.out" "$work/$name.time" >&2
        exit 1
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { m = $2 }
        END { printf "%.3f %.3f %d\n", w, u + s, m }' "$work/$name.time" >>"$work/$name.runs"
    echo "     $name: $(tail -1 "$work/$name.runs" | awk '{ printf "wall %s s, user+sys %s s, peak RSS %d MiB", $1, $2, $3 / 1024 }')" >&2
}

alternate() {
    local rep=$1 la=$2 ca=$3 lb=$4 cb=$5
    if [ $((rep % 2)) = 1 ]; then
        eval "timed $la $ca"; eval "timed $lb $cb"
    else
        eval "timed $lb $cb"; eval "timed $la $ca"
    fi
}

median() { awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maxcol() { awk -v c="$1" '$c > m { m = $c } END { print m }' "$2"; }
ratio() { awk -v a="$(median "$3" "$work/$1.runs")" -v b="$(median "$3" "$work/$2.runs")" 'BEGIN { printf "%.2f", a / b }'; }

report() {
    local f=$work/$2.runs
    awk -v c="$1" -v l="$3" -v w="$(median 1 "$f")" -v cpu="$(median 2 "$f")" -v r="$(maxcol 3 "$f")" \
        -v all="$(awk '{ printf "%s%s", sep, $1; sep = "/" }' "$f")" \
        'BEGIN { printf "| %s | %s | %.3f (%s) | %.3f | %.0f |\n", c, l, w, all, cpu, r / 1024 }'
}

load_note() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }
