#!/usr/bin/env bash
# t5810-export-update-kill: an `export --update` killed with SIGKILL at any moment of its
# commit (removals, partitions replaced, the manifest moved last) leaves DIR, manifest
# included, either as before the run (the next export undoes the half-done commit) or as
# after it, never a mix.  Killed at each step (test hook POND_TEST_KILL_AFTER_MOVES) and at
# moments spread over whole runs.
. "$(dirname "$0")/lib.sh"

# snap DIR: every path under DIR, the bytes of the manifest and the rows of each Parquet
# file (sorted: DuckDB reading a series' several versions in parallel may write a partition's
# rows in another order from run to run), staging left out.
snap() {
    (cd "$1" && find . -path './.pond-staging-*' -prune -o -printf '%y %p\n' | sort &&
        sha256sum .pond-export.json &&
        duckq -v d="$1" "SELECT replace(filename, getvariable('d') || '/', ''), md5(string_agg(t::VARCHAR || temperature_c, ',' ORDER BY t, temperature_c))
               FROM (SELECT filename, timestamp t, temperature_c FROM read_parquet(getvariable('d') || '/**/*.parquet', filename = true, hive_partitioning = false))
               GROUP BY 1 ORDER BY 1")
}
has_staging() { compgen -G "$1/.pond-staging-*" >/dev/null; }

expect_ok pond init
sensor_csv "$TMP/a.csv" 1719792000 4320 60       # 2024-07-01 .. 07-03, by minute
sensor_csv "$TMP/day4.csv" 1720051200 1440 60    # 2024-07-04
sensor_csv "$TMP/late.csv" 1719878460 5 60       # late rows on 2024-07-02
pond mkdir -p /s >/dev/null
for x in A B C D; do expect_ok pond copy "$TMP/a.csv" "/s/$x.series"; done
BASE=$TMP/base
expect_ok pond export -q -p '/s/*.series' -d "$BASE" --temporal year,month,day
# the update: new days for A and B, late rows for C, D no longer exported
expect_ok pond copy "$TMP/day4.csv" /s/A.series
expect_ok pond copy "$TMP/day4.csv" /s/B.series
expect_ok pond copy "$TMP/late.csv" /s/C.series
D=$TMP/out
upd=(export -q -p /s/A.series -p /s/B.series -p /s/C.series -d "$D" --temporal year,month,day --update)
A=$(snap "$BASE")
cp -a "$BASE" "$D"
expect_ok pond "${upd[@]}"
B=$(snap "$D")
check_eq "the two states differ" 1 "$([ "$A" != "$B" ] && echo 1 || echo 0)"
check_contains "the base export has D's output" "$(cat "$TMP/base/.pond-export.json")" '"path": "D"'
check_eq "…which the update removes" 0 "$([ -e "$D/D" ] && echo 1 || echo 0)"

# recover NAME: an export into D that fails at its first stage, after undoing the interrupted
# one (which it does when it opens D); D is then as the recovery left it.
recover() {
    expect_fail 1 "no match for pattern" pond export -p '/nowhere/*' -d "$D"
    check_contains "$1: the next export undid the interrupted one" "$(cat "$ERR")" \
        "undid an interrupted export"
    check_eq "$1: no staging directory is left" 0 "$(has_staging "$D" && echo 1 || echo 0)"
}

# Kills at each step of the commit: removal of s/D, 3 partitions, the manifest (5 steps).
for n in 0 1 2 3 4; do
    rm -rf "$D"
    cp -a "$BASE" "$D"
    POND_TEST_KILL_AFTER_MOVES=$n "$POND_BIN" "${upd[@]}" >/dev/null 2>&1
    check_eq "killed after $n steps: exit status of SIGKILL" 137 "$?"
    recover "killed after $n steps"
    check_eq "killed after $n steps: DIR and manifest exactly as before the run" "$A" "$(snap "$D")"
done

# Kills at moments spread over whole runs: DIR ends as A (rolled back) or B (committed).
t0=$(date +%s%N)
rm -rf "$D"
cp -a "$BASE" "$D"
expect_ok pond "${upd[@]}"
duration_ms=$((($(date +%s%N) - t0) / 1000000))
kills=${EXPORT_KILLS:-8}
seen_a=0 seen_b=0
for i in $(seq 1 "$kills"); do
    rm -rf "$D"
    cp -a "$BASE" "$D"
    "$POND_BIN" "${upd[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$duration_ms" -v i="$i" -v k="$kills" 'BEGIN { printf "%.3f", d * 1.2 * i / k / 1000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if has_staging "$D"; then recover "kill $i"; fi
    now=$(snap "$D")
    [ "$now" = "$A" ] && seen_a=$((seen_a + 1))
    [ "$now" = "$B" ] && seen_b=$((seen_b + 1))
    check_eq "kill $i: DIR is wholly A or wholly B" 1 \
        "$([ "$now" = "$A" ] || [ "$now" = "$B" ] && echo 1 || echo 0)"
done
echo "# timed kills: $seen_a before, $seen_b after"

done_testing
