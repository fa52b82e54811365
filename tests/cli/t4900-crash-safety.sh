#!/usr/bin/env bash
# t4900-crash-safety: `pond copy` of a large CSV is killed with SIGKILL at least 20 times, at
# moments spread over a whole copy's duration (0 to 150% of the slower of two timed copies).  After every kill: pond check passes, every
# version committed before reads back with the same row count and sha256, and the killed copy
# is wholly there (one new version with every row) or wholly absent.
#   CRASH_ROWS (default 3000000) and CRASH_KILLS (default 20) scale it.
. "$(dirname "$0")/lib.sh"

rows=${CRASH_ROWS:-3000000}
kills=${CRASH_KILLS:-20}

pond init >/dev/null || { fail "pond init"; done_testing; }

# One large CSV, made once: a row a second from 2024-01-01.
awk -v n="$rows" 'BEGIN {
    print "timestamp,value,flag"
    t = 1704067200
    for (i = 0; i < n; i++)
        printf "%s,%d.%d,%d\n", strftime("%Y-%m-%d %H:%M:%S", t + i, 1), i % 1000, i % 10, i % 7
}' >"$TMP/big.csv"
sensor_csv "$TMP/small1.csv" 1672531200 1000
sensor_csv "$TMP/small2.csv" 1675209600 2000

# versions: "version rows sha256-prefix" for each version of /crash.series, oldest first.
versions() {
    "$POND_BIN" describe /crash.series | awk '/^  versions/ { v = 1; getline; next }
        v && /^    / { print $1, $3, $NF; next } { v = 0 }'
}
# total: rows of the series as pond cat reads them (every version's file).
total() {
    "$POND_BIN" cat /crash.series --format csv --sql 'SELECT count(*) AS n FROM series' | tail -n 1
}
sum_rows() { awk '{ s += $2 } END { print s + 0 }'; }

# attempt_file N: the large file plus one row unique to attempt N, so that every attempt
# writes new content (content files are named by their sha256).
attempt_file() {
    cp "$TMP/big.csv" "$TMP/attempt.csv"
    printf '2030-01-01 %02d:%02d:00,%d.5,9\n' "$(($1 / 60))" "$(($1 % 60))" "$1" >>"$TMP/attempt.csv"
}
# timed_copy FILE: copy FILE in whole; prints the milliseconds it took.
timed_copy() {
    local t0 t1
    t0=$(date +%s%N)
    "$POND_BIN" copy "$1" /crash.series >"$OUT" 2>"$ERR" || return 1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}

expect_ok pond copy "$TMP/small1.csv" /crash.series
expect_ok pond copy "$TMP/small2.csv" /crash.series
# Two whole copies of the large file, timed: the kills spread over the slower one's duration.
d1=$(timed_copy "$TMP/big.csv") && pass "a whole copy of the large file" \
    || { fail "a whole copy of the large file"; _show_output; done_testing; }
attempt_file 0
d2=$(timed_copy "$TMP/attempt.csv") && pass "a whole copy of an attempt's file" \
    || { fail "a whole copy of an attempt's file"; _show_output; done_testing; }
duration_ms=$((d1 > d2 ? d1 : d2))
echo "# a full copy of $rows rows takes ${d1} ms and ${d2} ms"

committed=$(versions)
check_eq "four committed versions" 4 "$(wc -l <<<"$committed")"
check_eq "the large version has every row" "$rows" "$(sed -n 3p <<<"$committed" | cut -d' ' -f2)"
check_eq "the attempt's version has every row" "$((rows + 1))" \
    "$(sed -n 4p <<<"$committed" | cut -d' ' -f2)"
check_eq "cat reads every committed row" "$(sum_rows <<<"$committed")" "$(total)"

landed=0
absent=0
for i in $(seq 1 "$kills"); do
    # Delays from 0 to 150% of a full copy, the order shuffled by a fixed stride.
    k=$(((i * 7) % kills))
    delay_ms=$((duration_ms * 15 * k / (10 * (kills - 1))))
    attempt_file "$i"
    "$POND_BIN" copy "$TMP/attempt.csv" /crash.series >/dev/null 2>"$TMP/copy.err" &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    what="kill $i after ${delay_ms} ms (exit $rc)"

    if "$POND_BIN" check >"$OUT" 2>"$ERR"; then
        pass "$what: pond check passes"
    else
        fail "$what: pond check passes"
        _show_output
    fi
    now=$(versions)
    nold=$(wc -l <<<"$committed")
    check_eq "$what: every committed version is unchanged" "$committed" "$(head -n "$nold" <<<"$now")"
    extra=$(tail -n +"$((nold + 1))" <<<"$now")
    if [ -z "$extra" ]; then
        absent=$((absent + 1))
        pass "$what: the killed copy is wholly absent"
    elif [ "$(wc -l <<<"$extra")" -eq 1 ] && [ "$(cut -d' ' -f2 <<<"$extra")" = "$((rows + 1))" ]; then
        landed=$((landed + 1))
        pass "$what: the killed copy is wholly there"
        committed=$now
    else
        fail "$what: the killed copy is wholly there or wholly absent" "$extra"
        committed=$now
    fi
    check_eq "$what: cat reads exactly the committed rows" "$(sum_rows <<<"$committed")" "$(total)"
    # Remove what the kill left behind, so the disk does not fill up.
    "$POND_BIN" check --repair >"$OUT" 2>"$ERR" || { fail "$what: check --repair"; _show_output; }
done
echo "# $kills kills: $absent copies wholly absent, $landed wholly there"
[ "$absent" -gt 0 ] && pass "some kills landed before the commit" \
    || fail "some kills landed before the commit"

expect_ok pond check
check_contains "no orphans are left after --repair" "$(cat "$OUT")" "0 problems, 0 orphans"
expect_ok pond copy "$TMP/small1.csv" /crash.series
check_eq "the pond takes new versions after the crashes" \
    "$(($(sum_rows <<<"$committed") + 1000))" "$(total)"

done_testing
