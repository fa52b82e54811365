#!/usr/bin/env bash
# t4910-checkpoint-kill: SIGKILL during the catalog's WAL checkpoint.
# In WAL mode the catalog file itself is written only by checkpoints, which fold the
# write-ahead log back into it: automatically when a commit makes the log long, and when the
# last process closes the pond.  Each round runs `pond mkdir -p` of 300 new directories (300
# transactions, so the log grows past SQLite's checkpoint threshold) under strace, which kills
# it with SIGKILL at the Kth write to catalog.sqlite, or at its Kth fdatasync or ftruncate, or
# at the truncation of the log; one round kills a reader (pond list) doing the checkpoint a
# killed writer left undone.  After every kill: pond check passes, and exactly the transactions
# the log calls committed are there, the directories in order, none half-made.
. "$(dirname "$0")/lib.sh"

per_round=${CKPT_PATHS:-300}
if ! { command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; }; then
    fail "strace runs here (scripts/deps.sh installs it)"
    done_testing
fi
pond init >/dev/null || { fail "pond init"; done_testing; }
CAT=$POND/catalog.sqlite

# killed_at FILE SYSCALL K CMD…: run CMD killed at its Kth SYSCALL on FILE; prints the exit.
killed_at() {
    local file=$1 sc=$2 k=$3
    shift 3
    (strace -f -qq -o /dev/null -P "$file" -e trace="$sc" -e inject="$sc":signal=KILL:when="$k" \
        "$@" >/dev/null 2>&1; echo $? >"$TMP/rc") 2>/dev/null
    cat "$TMP/rc"
}

# verify ROUND WHAT: the pond checks clean and /ROUND holds exactly its committed mkdirs.
total=0
landed=0
verify() {
    local r=$1 what=$2 committed listed last
    if "$POND_BIN" check >"$OUT" 2>"$ERR"; then
        pass "$what: pond check passes"
    else
        fail "$what: pond check passes"
        _show_output
    fi
    committed=$("$POND_BIN" show | awk -v r="/$r/" '$3 == "committed" && index($0, "mkdir -p " r)' | wc -l)
    listed=$("$POND_BIN" list "/$r/*" 2>/dev/null | wc -l)
    # one transaction a path (the first also makes /r itself)
    check_eq "$what: every committed transaction is there, and nothing else" \
        "$committed" "$listed"
    last=$("$POND_BIN" list "/$r/*" 2>/dev/null | tail -n 1)
    check_eq "$what: the directories came in order" "$(printf '/%s/%03d' "$r" "$listed")" "$last"
    total=$((total + listed))
    check_eq "$what: earlier rounds are all there" "$total" \
        "$("$POND_BIN" list '/*/*' 2>/dev/null | wc -l)"
}

round=0
for point in "$CAT pwrite64 1" "$CAT pwrite64 2" "$CAT pwrite64 10" "$CAT pwrite64 40" \
    "$CAT pwrite64 100" "$CAT pwrite64 250" "$CAT fdatasync 1" "$CAT fdatasync 2" \
    "$CAT ftruncate 1" "$CAT ftruncate 2" "$CAT-wal ftruncate 1"; do
    round=$((round + 1))
    r=r$round
    read -r file sc k <<<"$point"
    paths=$(for i in $(seq 1 "$per_round"); do printf "/$r/%03d " "$i"; done)
    # shellcheck disable=SC2086
    rc=$(killed_at "$file" "$sc" "$k" "$POND_BIN" mkdir -p $paths)
    what="kill at ${sc} #$k of $(basename "$file") (exit $rc)"
    [ "$rc" -eq 137 ] && landed=$((landed + 1))
    verify "$r" "$what"
done

# A killed writer leaves its log unfolded; the next process to close the pond folds it: a
# reader.  Kill that reader in its checkpoint.
round=$((round + 1))
r=r$round
paths=$(for i in $(seq 1 "$per_round"); do printf "/$r/%03d " "$i"; done)
# shellcheck disable=SC2086
rc=$(killed_at "$CAT" pwrite64 1 "$POND_BIN" mkdir -p $paths)
[ "$(stat -c %s "$CAT-wal")" -gt 0 ] && pass "a killed writer leaves its log unfolded" \
    || fail "a killed writer leaves its log unfolded"
rc=$(killed_at "$CAT" pwrite64 5 "$POND_BIN" list '/**')
what="a reader killed in its checkpoint (exit $rc)"
[ "$rc" -eq 137 ] && landed=$((landed + 1))
verify "$r" "$what"

echo "# $landed of $round kills landed in a checkpoint"
[ "$landed" -ge $((round - 2)) ] && pass "the kills landed in checkpoints" \
    || fail "the kills landed in checkpoints" "$landed of $round"
expect_ok pond mkdir -p /after
expect_ok pond check
check_contains "no orphans" "$(cat "$OUT")" "0 problems, 0 orphans"

done_testing
