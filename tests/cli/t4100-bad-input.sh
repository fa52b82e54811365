#!/usr/bin/env bash
# t4100-bad-input: every bad input of issue 2 gives a message naming the thing, a non-zero
# exit, and leaves the pond as it was (same log, same entries and versions, same content
# files, pond check passes): no pond, not a pond, init on a non-empty directory, paths that do
# not exist, a series timestamp column that is missing / ambiguous / has nulls, a CSV that
# does not parse (with its line), an appended version whose timestamp type differs, a pattern
# matching nothing, a second process using the pond at once ("in use", no hang), SQL errors.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }
sensor_csv "$TMP/good.csv" 1719792000 100
pond mkdir /sites >/dev/null
pond copy "$TMP/good.csv" /sites/BDock.series >/dev/null || fail "copy the sample series"
before=$(pond_state)

# --- no pond, not a pond, init on a non-empty directory -----------------------------------
expect_fail 1 "no pond given: use --pond PATH or set POND" env -u POND "$POND_BIN" list
expect_fail 1 "no pond given" env POND= "$POND_BIN" show
mkdir "$TMP/plain-dir"
expect_fail 1 "not a pond" pond --pond "$TMP/plain-dir" list
expect_fail 1 "$TMP/plain-dir" pond --pond "$TMP/plain-dir" mkdir /x
check_eq "opening a plain directory leaves it empty" "" "$(ls -A "$TMP/plain-dir")"
expect_fail 1 "$TMP/nowhere" pond --pond "$TMP/nowhere" list
[ ! -e "$TMP/nowhere" ] && pass "a missing pond is not created" || fail "a missing pond is not created"
mkdir "$TMP/full" && echo keep >"$TMP/full/file"
expect_fail 1 "$TMP/full" pond init "$TMP/full"
check_eq "init leaves a non-empty directory alone" "file" "$(ls -A "$TMP/full")"
expect_fail 1 "$POND" pond init "$POND"
expect_unchanged "init over the pond" "$before"

# --- paths that do not exist --------------------------------------------------------------
expect_fail 1 "/sites/Nope.series" pond cat /sites/Nope.series
expect_fail 1 "/nope" pond describe /nope
expect_fail 1 "/nope" pond list /nope
expect_fail 1 "/nope.series" pond copy /nope.series "host:$TMP/out.parquet"
[ ! -e "$TMP/out.parquet" ] && pass "no host file for a missing source" \
    || fail "no host file for a missing source"
expect_fail 1 "$TMP/missing.csv" pond copy "$TMP/missing.csv" /sites/x.series
expect_fail 1 "/missing" pond copy "$TMP/good.csv" /missing/dir/x.series
expect_fail 1 "/missing" pond mkdir /missing/child
expect_fail 1 "$TMP/no/such/dir" pond copy /sites/BDock.series "host:$TMP/no/such/dir/x.parquet"
expect_unchanged "paths that do not exist" "$before"

# --- series timestamp: missing, ambiguous, nulls ------------------------------------------
printf 'site,value\nBDock,1\nNoyo,2\n' >"$TMP/no-time.csv"
expect_fail 1 "no-time.csv" pond copy "$TMP/no-time.csv" /sites/none.series
check_contains "a missing timestamp column is named as the problem" "$(cat "$ERR")" "timestamp"
expect_fail 1 "nosuch" pond copy --timestamp-column nosuch "$TMP/good.csv" /sites/other.series
printf 'start,stop,value\n2024-07-01 00:00:00,2024-07-01 00:10:00,1\n' >"$TMP/two-times.csv"
expect_fail 1 "start" pond copy "$TMP/two-times.csv" /sites/two.series
check_contains "ambiguous: both columns are named" "$(cat "$ERR")" "stop"
printf 'timestamp,value\n2024-07-01 00:00:00,1\n,2\n2024-07-01 00:02:00,3\n' >"$TMP/null-time.csv"
expect_fail 1 "null" pond copy "$TMP/null-time.csv" /sites/nulls.series
check_contains "nulls: the file is named" "$(cat "$ERR")" "null-time.csv"
expect_fail 1 "null" pond copy "$TMP/null-time.csv" /sites/BDock.series
expect_unchanged "bad series timestamps" "$before"

# --- a CSV that does not parse: the line is named -----------------------------------------
sensor_csv "$TMP/bad.csv" 1719792000 30000
awk 'NR == 25002 { print $0 ",extra,fields"; next } { print }' "$TMP/bad.csv" >"$TMP/bad2.csv"
mv "$TMP/bad2.csv" "$TMP/bad.csv"
expect_fail 1 "bad.csv" pond copy "$TMP/bad.csv" /sites/bad.series
check_contains "the message gives the line" "$(cat "$ERR")" "25002"
expect_fail 1 "bad.csv" pond copy "$TMP/bad.csv" /sites/BDock.series
expect_fail 1 "bad.csv" pond copy --format table "$TMP/bad.csv" /sites/bad.table
expect_unchanged "a CSV that does not parse" "$before"

# --- appending a version whose timestamp type differs -------------------------------------
printf 'timestamp,temperature_c,site\n2024-08-01,1.5,BDock\n2024-08-02,2.5,BDock\n' >"$TMP/dates.csv"
expect_fail 1 "timestamp" pond copy "$TMP/dates.csv" /sites/BDock.series
check_contains "the type is named" "$(cat "$ERR")" "DATE"
expect_unchanged "appending a different timestamp type" "$before"

# --- a pattern that matches nothing -------------------------------------------------------
expect_fail 1 "no match for pattern '/sites/*/nothing'" pond list '/sites/*/nothing'
expect_fail 1 "no match for pattern '/**/*.table'" pond describe '/**/*.table'
expect_fail 1 "'/zzz'" pond copy /zzz "host:$TMP/zzz"
expect_unchanged "patterns matching nothing" "$before"

# --- SQL errors in --sql ------------------------------------------------------------------
expect_fail 1 "nosuchcolumn" pond cat /sites/BDock.series --sql 'SELECT nosuchcolumn FROM series'
expect_fail 1 "nosuchtable" pond cat /sites/BDock.series --sql 'SELECT * FROM nosuchtable'
expect_fail 1 "pond: " pond cat /sites/BDock.series --sql 'SELEKT 1'
expect_unchanged "SQL errors" "$before"

# --- a second process at once: "in use", never a hang -------------------------------------
# The holder is a `pond cat` writing into a FIFO nobody reads: once the pipe is full it blocks
# with the pond open, for as long as the test wants.
sensor_csv "$TMP/big.csv" 1719792000 20000
pond copy "$TMP/big.csv" /sites/Big.series >/dev/null || fail "copy the big series"
before=$(pond_state)
mkfifo "$TMP/fifo"
exec 3<>"$TMP/fifo" # keep a reader so the holder's open does not block
"$POND_BIN" cat /sites/Big.series --format csv >"$TMP/fifo" 2>"$TMP/holder.err" &
holder=$!
on_cleanup "kill -9 $holder"
# Wait until the holder has written into the pipe (it has the pond open), without opening the
# pond ourselves (which could make the holder fail).
pipe_bytes() {
    python3 -c 'import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
print(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0])' "$1"
}
for _ in $(seq 200); do
    [ "$(pipe_bytes "$TMP/fifo")" -gt 0 ] && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.05
done
if kill -0 "$holder" 2>/dev/null && [ "$(pipe_bytes "$TMP/fifo")" -gt 0 ]; then
    pass "a pond cat holds the pond open"
    CMD_TIMEOUT=30
    start=$SECONDS
    expect_fail 1 "in use" pond mkdir /sites/while-busy
    check_contains "the message names the pond" "$(cat "$ERR")" "$POND"
    expect_fail 1 "in use" pond copy "$TMP/good.csv" /sites/BDock.series
    expect_fail 1 "in use" pond copy "$TMP/good.csv" /sites/new.series
    expect_fail 1 "in use" pond check --repair
    expect_fail 1 "in use" pond list
    [ $((SECONDS - start)) -lt 20 ] && pass "'in use' comes at once, not after a wait" \
        || fail "'in use' comes at once" "$((SECONDS - start)) s"
    kill -0 "$holder" 2>/dev/null && pass "the holder is unharmed" || fail "the holder is unharmed"
    # Let the holder finish: read everything it writes.
    cat <&3 >"$TMP/held.csv" &
    reader=$!
    wait "$holder"
    holder_rc=$?
    exec 3>&-
    kill "$reader" 2>/dev/null
    wait "$reader" 2>/dev/null
    check_eq "the holder completes normally" 0 "$holder_rc"
    CMD_TIMEOUT=120
else
    fail "a pond cat holds the pond open" "$(cat "$TMP/holder.err")"
    exec 3>&-
fi
expect_unchanged "a second process at once" "$before"

# The same with a writer holding the pond: a `pond copy` whose source is a FIFO waits for its
# bytes inside its transaction.  Two writers: the second is refused at once, the first commits.
mkfifo "$TMP/source"
exec 4<>"$TMP/source" # a writer end, so the copy's open does not block
"$POND_BIN" copy --format data "$TMP/source" /sites/held.bin 2>"$TMP/writer.err" 4>&- &
writer=$!
on_cleanup "kill -9 $writer"
for _ in $(seq 200); do # until the copy has opened its source (after opening the pond)
    ls -l "/proc/$writer/fd" 2>/dev/null | grep -q "$TMP/source" && break
    kill -0 "$writer" 2>/dev/null || break
    sleep 0.05
done
if ls -l "/proc/$writer/fd" 2>/dev/null | grep -q "$TMP/source"; then
    pass "a pond copy holds the pond open"
    CMD_TIMEOUT=30
    expect_fail 1 "in use" pond copy "$TMP/good.csv" /sites/BDock.series
    expect_fail 1 "in use" pond mkdir /sites/second-writer
    CMD_TIMEOUT=120
    printf 'held bytes\n' >&4
    exec 4>&-
    wait "$writer"
    check_eq "the first writer commits" "0 " "$? $(cat "$TMP/writer.err")"
else
    fail "a pond copy holds the pond open" "$(cat "$TMP/writer.err")"
    exec 4>&-
fi
expect_ok pond cat /sites/held.bin
check_eq "the first writer's content" "held bytes" "$(cat "$OUT")"
expect_ok pond list /sites
check_eq "the refused writers left nothing" "" "$(grep -e second-writer -e new.series -e while-busy "$OUT")"
expect_ok pond describe /sites/BDock.series
check_contains "the refused append left the series as it was" "$(cat "$OUT")" "total rows        100"
expect_ok pond check
expect_ok pond mkdir /sites/after-busy
check_contains "the pond is usable afterwards" "$(pond list /sites)" "/sites/after-busy"

done_testing
