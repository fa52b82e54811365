#!/usr/bin/env bash
# t5400-export-kill: an export killed with SIGKILL while it moves its outputs into DIR leaves
# its journal behind; the next export into DIR first undoes the half-done commit, so DIR ends
# exactly as it was before the killed run (or, if the kill came after the commit, exactly as
# the killed run left it).  Killed at chosen points of the commit (test hook
# POND_TEST_KILL_AFTER_MOVES) and at moments spread over whole runs.
. "$(dirname "$0")/lib.sh"

# snap DIR: every path and file hash under DIR, staging directories left out, and the
# manifest (recover below runs another export into DIR, which writes its own; t5800 checks
# that a killed --update leaves the manifest before or after).
snap() {
    (cd "$1" && find . -path './.pond-staging-*' -prune -o ! -name .pond-export.json -printf '%y %p\n' | sort &&
        find . -path './.pond-staging-*' -prune -o -type f ! -name .pond-export.json -exec sha256sum {} + | sort)
}
has_staging() { compgen -G "$1/.pond-staging-*" >/dev/null; }

expect_ok pond init
sensor_csv "$TMP/s.csv" 1719792000 1464 3600 # hourly, 2024-07-01 .. 2024-08-31
pond mkdir -p /sites /other >/dev/null
for i in $(seq 1 12); do
    pond mkdir -p "/sites/S$i" >/dev/null
    pond copy "$TMP/s.csv" "/sites/S$i/res=1h.series" >/dev/null
done
pond copy "$TMP/s.csv" /other/x.series >/dev/null

D=$TMP/out
july=(export -q -p '/sites/*/*.series' -d "$D" --temporal year,month,day --end-time 2024-08-01)
august=(export -q -p '/sites/*/*.series' -d "$D" --temporal year,month,day
        --start-time 2024-08-01 --overwrite)
expect_ok pond "${july[@]}"
A=$(snap "$D")
expect_ok pond export -q -p '/sites/*/*.series' -d "$TMP/b" --temporal year,month,day \
    --start-time 2024-08-01
B=$(snap "$TMP/b")
check_eq "the two states differ" 1 "$([ "$A" != "$B" ] && echo 1 || echo 0)"

# recover NAME: the next export into D undoes the interrupted one and says so.
recover() {
    expect_ok pond export -p '/other/*.series' -d "$D" --overwrite
    check_contains "$1: the next export undid the interrupted one" "$(cat "$ERR")" \
        "undid an interrupted export"
    check_eq "$1: no staging directory is left" 0 "$(has_staging "$D" && echo 1 || echo 0)"
    rm -rf "$D/x"
}

# Kills at chosen points of the commit: 0, 1, 5 and 11 of the 12 outputs moved.
for n in 0 1 5 11; do
    POND_TEST_KILL_AFTER_MOVES=$n "$POND_BIN" "${august[@]}" >/dev/null 2>&1
    check_eq "killed after $n moves: exit status of SIGKILL" 137 "$?"
    check_eq "killed after $n moves: its staging directory is left" 1 \
        "$(has_staging "$D" && echo 1 || echo 0)"
    recover "killed after $n moves"
    check_eq "killed after $n moves: DIR is exactly as before the killed run" "$A" "$(snap "$D")"
done

# Kills at moments spread over a whole run: DIR ends as A (rolled back) or B (committed).
t0=$(date +%s%N)
expect_ok pond "${august[@]}"
duration_ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "an uninterrupted run gives B" "$B" "$(snap "$D")"
kills=${EXPORT_KILLS:-8}
for i in $(seq 1 "$kills"); do
    expect_ok pond "${july[@]}" --overwrite
    rm -rf "$D"/S*/res=1h/year=2024/month=8 # --overwrite keeps no stale partition anyway
    check_eq "kill $i: starts from A" "$A" "$(snap "$D")"
    "$POND_BIN" "${august[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$duration_ms" -v i="$i" -v k="$kills" 'BEGIN { printf "%.3f", d * 1.2 * i / k / 1000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if has_staging "$D"; then recover "kill $i"; else rm -rf "$D/x"; fi
    now=$(snap "$D")
    check_eq "kill $i: DIR is wholly A or wholly B" 1 \
        "$([ "$now" = "$A" ] || [ "$now" = "$B" ] && echo 1 || echo 0)"
done

done_testing
