#!/usr/bin/env bash
# t4600-read-only: a pond that cannot be written can be read.
#   - on a read-only bind mount (a mount namespace of its own): list, describe, cat (also as
#     Parquet, which needs a temporary directory: it goes to $TMPDIR), show, check and export
#     succeed; the export warns that its run is not logged; writers fail, naming the reason;
#   - the same when the catalog's -wal and -shm files are gone (SQLite then needs the catalog
#     opened as immutable), and when the log holds commits not yet folded into the catalog (a
#     process was killed with the pond open); a log with commits but no index is refused with
#     a message that says what to do;
#   - a pond made read-only with chmod -R a-w, read by a user who is not root.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }
sensor_csv "$TMP/a.csv" 1719792000 300
expect_ok pond mkdir /sites
expect_ok pond copy "$TMP/a.csv" /sites/a.series
expect_ok pond copy --format data "$TMP/a.csv" /sites/raw.csv
sensor_csv "$TMP/big.csv" 1719792000 40000
expect_ok pond copy "$TMP/big.csv" /big.series # 1.5 MB of CSV to cat: more than a pipe holds
chmod 755 "$TMP" # the user who is not root below must reach the pond
RO=$TMP/ro
mkdir "$RO"

# $TMP/in_ro CMD…: run CMD with $RO a read-only bind mount of $POND, in a mount namespace of
# its own (so nothing outlives the command).
cat >"$TMP/in_ro" <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$0" "\$1" && mount -o remount,bind,ro "\$1" && shift && exec "\$@"' \\
    "$POND" "$RO" "\$@"
EOF
chmod +x "$TMP/in_ro"
in_ro=$TMP/in_ro

# readers_on DIR WHAT [RUN…]: every read command succeeds on the pond at DIR (run by RUN…);
# list shows $want entries.
readers_on() {
    local d=$1 what=$2
    shift 2
    run "$@" "$POND_BIN" --pond "$d" list -l '/**'
    check_eq "$what: list" "0 $want" "$RC $(wc -l <"$OUT")"
    [ "$RC" -eq 0 ] || _show_output
    run "$@" "$POND_BIN" --pond "$d" describe /sites/a.series
    check_eq "$what: describe" 0 "$RC"
    run "$@" "$POND_BIN" --pond "$d" cat /sites/a.series --format csv --sql 'SELECT count(*) AS n FROM series'
    check_eq "$what: cat --sql" "0 300" "$RC $(tail -n 1 "$OUT")"
    [ "$RC" -eq 0 ] || _show_output
    run "$@" "$POND_BIN" --pond "$d" cat /sites/a.series --format parquet
    check_eq "$what: cat --format parquet" 0 "$RC"
    [ "$RC" -eq 0 ] || _show_output
    run "$@" "$POND_BIN" --pond "$d" cat -f control /txn/1
    check_eq "$what: cat of a control-fs record" 0 "$RC"
    run "$@" "$POND_BIN" --pond "$d" show
    check_eq "$what: show" 0 "$RC"
    run "$@" "$POND_BIN" --pond "$d" check
    check_eq "$what: check" "0" "$RC"
    [ "$RC" -eq 0 ] || _show_output
}

want=$("$POND_BIN" list -l '/**' | wc -l) # what the pond holds, read where it is writable
if unshare -m true 2>/dev/null; then
    readers_on "$RO" "read-only mount" "$in_ro"
    run "$in_ro" "$POND_BIN" --pond "$RO" export -p /sites/a.series -d "$TMP/out"
    check_eq "read-only mount: export" 0 "$RC"
    check_contains "…warns that its run is not logged" "$(cat "$ERR")" \
        "warning: the export is not recorded in the transaction log"
    check_eq "…and writes its output" 1 "$(find "$TMP/out" -name data.parquet | wc -l)"
    run "$in_ro" "$POND_BIN" --pond "$RO" mkdir /new
    check_eq "read-only mount: a writer fails" 1 "$RC"
    check_contains "…saying why" "$(cat "$ERR")" "it is read-only"
    run "$in_ro" "$POND_BIN" --pond "$RO" check --repair
    check_eq "read-only mount: check --repair fails" 1 "$RC"

    # without the -wal and -shm files (e.g. after the sqlite3 shell closed the catalog)
    rm -f "$POND/catalog.sqlite-wal" "$POND/catalog.sqlite-shm"
    readers_on "$RO" "read-only mount, no -wal/-shm" "$in_ro"
    [ ! -e "$POND/catalog.sqlite-shm" ] && pass "…and nothing was created in the pond" \
        || fail "…and nothing was created in the pond"

    # commits still in the log: a process had the pond open when another committed, and was
    # killed, so no one folded the log into the catalog
    mkfifo "$TMP/fifo"
    exec 3<>"$TMP/fifo"
    "$POND_BIN" cat /big.series --format csv >"$TMP/fifo" 2>/dev/null 3>&- &
    holder=$!
    on_cleanup "kill -9 $holder"
    sleep 0.5
    expect_ok pond mkdir /sites/in-the-log
    kill -9 "$holder"
    wait "$holder" 2>/dev/null
    exec 3>&-
    [ "$(stat -c %s "$POND/catalog.sqlite-wal")" -gt 0 ] && pass "the log holds a commit" \
        || fail "the log holds a commit"
    run "$in_ro" "$POND_BIN" --pond "$RO" list /sites
    check_eq "read-only mount: a commit in the log is read" "0 /sites/in-the-log" \
        "$RC $(grep in-the-log "$OUT")"
    cp "$POND/catalog.sqlite-wal" "$TMP/wal"
    rm -f "$POND/catalog.sqlite-shm"
    run "$in_ro" "$POND_BIN" --pond "$RO" list /sites
    check_eq "read-only mount: a log without its index is refused" 1 "$RC"
    check_contains "…saying what to do" "$(cat "$ERR")" "open the pond once where it can be written"
    expect_ok pond list /sites # writable: SQLite rebuilds the index, the log is folded in
    check_contains "…after which it is read" "$(cat "$OUT")" "/sites/in-the-log"
    want=$((want + 1))
else
    fail "a mount namespace for the read-only mount (unshare -m)"
fi

# --- chmod -R a-w, read by a user who is not root --------------------------------------------
chmod -R a-w "$POND"
on_cleanup "chmod -R u+w '$POND'"
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp"
# shellcheck disable=SC2086
readers_on "$POND" "chmod a-w, not root" $nobody
# shellcheck disable=SC2086
run $nobody "$POND_BIN" --pond "$POND" mkdir /by-nobody
check_eq "chmod a-w, not root: a writer fails" 1 "$RC"
check_contains "…saying why" "$(cat "$ERR")" "read-only"
chmod -R u+w "$POND"
expect_ok pond check

done_testing
