#!/usr/bin/env bash
# t4300-concurrency: pond processes at the same time, on one pond.
#   - readers (list, describe, cat --sql, show, check) in a loop while a large copy runs, and
#     while a multi-second export runs: every one succeeds;
#   - a copy started during an export commits (even with --wait 0: the export holds no lock)
#     and reads back whole, and the export's output is exactly the snapshot it started with;
#   - a writer that holds the pond: other writers fail with exit 3 and "pond '…' is in use by
#     pid N (command…)" at once with --wait 0 or after --wait SECONDS, a queued writer commits
#     after it, readers go on; a holder killed with SIGKILL blocks no one;
#   - N writers started at once: with the default wait all commit; with --wait 0 against a
#     holder all fail fast with exit 3, and without one every failure is exit 3;
#   - --wait values on the command line.
#   CONC_ROWS (default 1500000) scales the large copy and the export.
. "$(dirname "$0")/lib.sh"

rows=${CONC_ROWS:-1500000}
pond init >/dev/null || { fail "pond init"; done_testing; }
sensor_csv "$TMP/small.csv" 1719792000 100

# One large CSV: a row a minute from 2020-01-01 (about 2.8 years, 1,000+ days at 1.5 M rows).
awk -v n="$rows" 'BEGIN {
    print "timestamp,value,flag"
    t = 1577836800
    for (i = 0; i < n; i++)
        printf "%s,%d.%d,%d\n", strftime("%Y-%m-%d %H:%M:%S", t + i * 60, 1), i % 1000, i % 10, i % 7
}' >"$TMP/big.csv"
expect_ok pond copy "$TMP/small.csv" /sites.series

# count PATH: rows of a series as pond cat reads them.
count() { "$POND_BIN" cat "$1" --format csv --sql 'SELECT count(*) AS n FROM series' | tail -n 1; }

# readers_while PID NAME: run readers in a loop while process PID lives; every one must
# succeed, and at least five must have started while PID lived.
readers_while() {
    local pid=$1 name=$2 rounds=0 failed=0 c
    while kill -0 "$pid" 2>/dev/null; do
        for c in list describe cat show check; do
            kill -0 "$pid" 2>/dev/null && rounds=$((rounds + 1))
            case $c in
            list) set -- list -l '/**' ;;
            describe) set -- describe '/*.series' ;;
            cat) set -- cat /sites.series --format csv --sql 'SELECT count(*) AS n FROM series' ;;
            *) set -- "$c" ;;
            esac
            if ! timeout -k 5 60 "$POND_BIN" "$@" >"$TMP/r.out" 2>"$TMP/r.err"; then
                failed=$((failed + 1))
                sed 's/^/#   reader: /' "$TMP/r.err" | head -3
            fi
        done
    done
    check_eq "$name: every reader succeeded" 0 "$failed"
    [ "$rounds" -ge 5 ] && pass "$name: $rounds readers started meanwhile" \
        || fail "$name: readers ran meanwhile" "only $rounds started"
}

# --- readers during a large copy ------------------------------------------------------------
"$POND_BIN" copy "$TMP/big.csv" /big.series >"$TMP/copy.out" 2>"$TMP/copy.err" &
copier=$!
on_cleanup "kill -9 $copier"
readers_while "$copier" "during a large copy"
wait "$copier"
check_eq "the large copy commits" "0 " "$? $(cat "$TMP/copy.err")"
check_eq "it reads back whole" "$rows" "$(count /big.series)"

# --- readers and a writer during a multi-second export -------------------------------------
OUTD=$TMP/export
"$POND_BIN" export -p /big.series -d "$OUTD" --temporal year,month,day --quiet \
    >"$TMP/export.out" 2>"$TMP/export.err" &
exporter=$!
on_cleanup "kill -9 $exporter"
for _ in $(seq 400); do # until the export writes (its staging directory is there)
    compgen -G "$OUTD/.pond-staging-*" >/dev/null && break
    kill -0 "$exporter" 2>/dev/null || break
    sleep 0.01
done
run pond --wait 0 copy "$TMP/small.csv" /big.series
if kill -0 "$exporter" 2>/dev/null; then still=1; else still=0; fi
check_eq "a copy during the export commits at once (the export holds no lock)" 0 "$RC"
_show_output_if() { [ "$RC" -eq 0 ] || _show_output; }
_show_output_if
check_eq "…while the export was still running" 1 "$still"
readers_while "$exporter" "during an export"
wait "$exporter"
check_eq "the export succeeds" "0 " "$? $(cat "$TMP/export.err")"
check_eq "the export's output is exactly its snapshot" "$rows" \
    "$(duckq "SELECT count(*) AS n FROM read_parquet('$OUTD/**/*.parquet')" | tail -n 1)"
check_eq "the copy made during the export reads back whole" "$((rows + 100))" "$(count /big.series)"
expect_ok pond show -v
check_contains "the export is logged after the copy it did not see" "$(tail -n 2 "$OUT")" \
    "committed  pond export -p /big.series"
expect_ok pond check

# --- a writer holding the pond ---------------------------------------------------------------
# The holder is a `pond copy` whose source is a FIFO: it waits for its bytes inside its
# transaction, holding the write lock, for as long as the test wants.
mkfifo "$TMP/source"
hold() { # start a holder; sets $holder once it holds the lock
    exec 4<>"$TMP/source" # a writer end, so the copy's open does not block
    "$POND_BIN" copy --format data "$TMP/source" "$1" 4>&- 2>"$TMP/holder.err" &
    holder=$!
    on_cleanup "kill -9 $holder"
    for _ in $(seq 500); do
        grep -q "^pid $holder\$" "$POND/lock" 2>/dev/null && return 0
        kill -0 "$holder" 2>/dev/null || break
        sleep 0.01
    done
    return 1
}
release() { printf '%s\n' "$1" >&4; exec 4>&-; }

before=$(pond_state)
if hold /held.bin; then
    pass "a pond copy holds the write lock"
    CMD_TIMEOUT=30
    msg="pond '$POND' is in use by pid $holder (pond copy --format data $TMP/source /held.bin)"
    start=$SECONDS
    expect_fail 3 "$msg" pond --wait 0 mkdir /while-held
    expect_fail 3 "$msg" pond mkdir --wait 0 /while-held
    expect_fail 3 "$msg" pond --wait=0 copy "$TMP/small.csv" /sites.series
    expect_fail 3 "$msg" pond --wait 0 check --repair
    [ $((SECONDS - start)) -lt 10 ] && pass "--wait 0 fails at once" \
        || fail "--wait 0 fails at once" "$((SECONDS - start)) s"
    t0=$(date +%s%N)
    expect_fail 3 "$msg; gave up after 1 s" pond --wait 1 mkdir /while-held
    t1=$(date +%s%N)
    [ $(((t1 - t0) / 1000000)) -ge 1000 ] && pass "--wait 1 waits a second first" \
        || fail "--wait 1 waits a second first" "$(((t1 - t0) / 1000000)) ms"
    # readers go on while the writer holds the pond
    expect_ok pond list -l '/**'
    expect_ok pond describe /sites.series
    expect_ok pond cat /sites.series --format csv
    expect_ok pond show
    expect_ok pond check
    check_contains "check says why it did not look for orphans" "$(cat "$OUT")" \
        "pond is being written by pid $holder"
    # a writer with the default wait queues behind the holder and commits after it
    "$POND_BIN" mkdir /queued 2>"$TMP/queued.err" 4>&- &
    queued=$!
    sleep 0.5
    kill -0 "$queued" 2>/dev/null && pass "a writer with the default wait is waiting" \
        || fail "a writer with the default wait is waiting" "$(cat "$TMP/queued.err")"
    release "held bytes"
    wait "$holder"
    check_eq "the holder commits" "0 " "$? $(cat "$TMP/holder.err")"
    wait "$queued"
    check_eq "the queued writer commits after it" "0 " "$? $(cat "$TMP/queued.err")"
    expect_ok pond show
    check_contains "in that order" "$(tail -n 2 "$OUT" | awk '{ print $NF }' | tr '\n' ' ')" \
        "/held.bin /queued"
    CMD_TIMEOUT=120
else
    fail "a pond copy holds the write lock" "$(cat "$TMP/holder.err")"
    release ""
fi
expect_ok pond cat /held.bin
check_eq "the holder's content" "held bytes" "$(cat "$OUT")"
expect_ok pond list /
check_eq "the refused writers left nothing" "" "$(grep while-held "$OUT")"
check_eq "the refused append left the series as it was" 100 "$(count /sites.series)"

# --- a holder killed with SIGKILL blocks no one ----------------------------------------------
if hold /killed.bin; then
    kill -9 "$holder"
    wait "$holder" 2>/dev/null
    release ""
    expect_ok pond --wait 0 mkdir /after-kill
    expect_ok pond check --repair
    expect_ok pond list /
    check_eq "the killed holder's file is not there" "" "$(grep killed.bin "$OUT")"
else
    fail "a second holder" "$(cat "$TMP/holder.err")"
    release ""
fi

# --- N writers at once -----------------------------------------------------------------------
n=8
pids=()
for i in $(seq "$n"); do
    sensor_csv "$TMP/w$i.csv" $((1719792000 + i * 86400)) 50
    "$POND_BIN" copy "$TMP/w$i.csv" "/w$i.series" >/dev/null 2>"$TMP/w$i.err" &
    pids+=($!)
done
ok=0
for i in $(seq "$n"); do
    wait "${pids[$((i - 1))]}" && ok=$((ok + 1)) || sed 's/^/#   /' "$TMP/w$i.err"
done
check_eq "$n writers at once with the default wait: all commit" "$n" "$ok"
expect_ok pond list '/w*.series'
check_eq "…each with its file" "$n" "$(wc -l <"$OUT")"

if hold /held2.bin; then
    pids=()
    for i in $(seq "$n"); do
        "$POND_BIN" --wait 0 copy "$TMP/w$i.csv" "/z$i.series" >/dev/null 2>"$TMP/z$i.err" 4>&- &
        pids+=($!)
    done
    busy=0
    for i in $(seq "$n"); do
        wait "${pids[$((i - 1))]}"
        [ $? -eq 3 ] && grep -qF "is in use by pid $holder" "$TMP/z$i.err" && busy=$((busy + 1))
    done
    check_eq "$n writers with --wait 0 against a holder: all fail with exit 3 naming it" "$n" "$busy"
    release "x"
    wait "$holder"
fi
pids=()
for i in $(seq "$n"); do
    "$POND_BIN" --wait 0 copy "$TMP/w$i.csv" "/y$i.series" >/dev/null 2>"$TMP/y$i.err" &
    pids+=($!)
done
ok=0
busy=0
other=0
for i in $(seq "$n"); do
    wait "${pids[$((i - 1))]}"
    rc=$?
    if [ $rc -eq 0 ]; then
        ok=$((ok + 1))
    elif [ $rc -eq 3 ] && grep -qE "is in use by pid [0-9]+ \(pond --wait 0 copy" "$TMP/y$i.err"; then
        busy=$((busy + 1))
    else
        other=$((other + 1))
        sed 's/^/#   /' "$TMP/y$i.err"
    fi
done
echo "# $n writers with --wait 0 at once: $ok committed, $busy busy"
[ "$ok" -ge 1 ] && pass "$n writers with --wait 0 at once: at least one commits" \
    || fail "$n writers with --wait 0 at once: at least one commits"
check_eq "…and every other one fails with exit 3 and the message" 0 "$other"
expect_ok pond list '/y*.series'
check_eq "…and exactly the committed ones are there" "$ok" "$(wc -l <"$OUT")"
expect_ok pond check

# --- --wait on the command line --------------------------------------------------------------
expect_fail 2 "--wait '-1': not a number of seconds" pond --wait -1 list
expect_fail 2 "--wait 'soon'" pond list --wait soon
expect_fail 2 "option '--wait' needs a value" pond list --wait
expect_ok pond --wait 0.5 mkdir /half-a-second
expect_ok pond --help
check_contains "pond --help has the exit codes" "$(cat "$OUT")" "3  busy, try again"
expect_ok pond mkdir --help
check_contains "a command's --help has --wait" "$(cat "$OUT")" "--wait SECONDS"

done_testing
