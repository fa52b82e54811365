#!/usr/bin/env bash
# t0100-init-atomic: pond init is atomic.
#   - 40 rounds of two `pond init` on one directory at once (released together by a flock
#     barrier; half on an existing empty directory, half on a missing one): exactly one
#     succeeds each time, the other says the directory is being initialised or is a pond, and
#     the directory is then a sound pond holding nothing else;
#   - an init killed with SIGKILL at each of its fsyncs, renames and unlinks (strace injects
#     the signal at that system call) leaves nothing that keeps the next init from succeeding.
. "$(dirname "$0")/lib.sh"

rounds=${INIT_ROUNDS:-40}

# a sound, empty pond at $1 holding only what a pond holds
sound_pond() {
    local d=$1 what=$2
    check_eq "$what: the directory holds a pond and nothing else" "catalog.sqlite data lock tmp" \
        "$(ls -A "$d" | tr '\n' ' ' | sed 's/ $//')"
    if "$POND_BIN" --pond "$d" check >"$OUT" 2>"$ERR" && grep -q "0 problems, 0 orphans" "$OUT"; then
        pass "$what: pond check passes"
    else
        fail "$what: pond check passes"
        _show_output
    fi
}

# --- two inits at once -------------------------------------------------------------------
exec 5>"$TMP/barrier"
busy=0
is_pond=0
for i in $(seq "$rounds"); do
    d=$TMP/race$i
    [ $((i % 2)) -eq 0 ] && mkdir "$d"
    flock 5 # hold the barrier: both inits start waiting on it
    flock -s "$TMP/barrier" "$POND_BIN" init "$d" >"$TMP/a.out" 2>"$TMP/a.err" 5>&- &
    a=$!
    flock -s "$TMP/barrier" "$POND_BIN" init "$d" >"$TMP/b.out" 2>"$TMP/b.err" 5>&- &
    b=$!
    sleep 0.05
    flock -u 5 # go
    wait "$a"
    ra=$?
    wait "$b"
    rb=$?
    if [ "$ra" -eq 0 ] && [ "$rb" -ne 0 ]; then
        loser=$TMP/b.err
    elif [ "$rb" -eq 0 ] && [ "$ra" -ne 0 ]; then
        loser=$TMP/a.err
    else
        fail "round $i: exactly one init succeeds" "exits $ra and $rb" "$(cat "$TMP/a.err" "$TMP/b.err")"
        continue
    fi
    if grep -q "is being initialised by" "$loser"; then
        busy=$((busy + 1))
    elif grep -q "it is a pond already" "$loser"; then
        is_pond=$((is_pond + 1))
    else
        fail "round $i: the other says why" "$(cat "$loser")"
        continue
    fi
    pass "round $i: exactly one init succeeds, the other says why"
    sound_pond "$d" "round $i"
done
exec 5>&-
echo "# $rounds rounds: the loser found the directory being initialised $busy times, a pond $is_pond times"

# --- an init killed at each of its steps ---------------------------------------------------
# kill_at SYSCALL N: run an init on a fresh directory, killed at its Nth SYSCALL.
kill_at() {
    local sc=$1 n=$2 d=$TMP/killed-$1-$2 what="init killed at $1 #$2"
    (strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=KILL:when="$n" \
        "$POND_BIN" init "$d" >/dev/null 2>&1; true) 2>/dev/null # (the shell's "Killed" too)
    if [ -f "$d/catalog.sqlite" ] && [ ! -f "$d/.pond-init" ]; then
        pass "$what: it had finished"
    elif [ -f "$d/catalog.sqlite" ]; then
        # killed between its commit (the rename) and dropping its claim: a pond, with a stale
        # claim that the next init, which refuses, removes
        expect_fail 1 "it is a pond already" pond init "$d"
    else
        expect_ok pond init "$d"
    fi
    sound_pond "$d" "$what"
}
if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
    for n in 1 2 3 4 5 6 7 8 9 10; do kill_at fdatasync "$n"; done
    for n in 1 2 3; do kill_at fsync "$n"; done
    kill_at rename 1
    for n in 1 2 3; do kill_at unlink "$n"; done
    for n in 1 2 3 4 5 6; do kill_at mkdir "$n"; done
else
    fail "strace runs here (scripts/deps.sh installs it)"
fi

# --- a failed init leaves nothing ------------------------------------------------------------
mkdir "$TMP/full"
echo "precious" >"$TMP/full/data"
expect_fail 1 "directory is not empty" pond init "$TMP/full"
check_eq "the refused directory is as it was" "data" "$(ls -A "$TMP/full")"
check_eq "…its file too" "precious" "$(cat "$TMP/full/data")"

done_testing
