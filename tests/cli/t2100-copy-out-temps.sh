#!/usr/bin/env bash
# t2100-copy-out-temps: `pond copy … host:FILE` writes FILE through a temporary beside it that
# is created exclusively (a symlink planted at a name pond might use is never followed) and
# carries the pid; a copy killed half way leaves only that temporary, and the next copy to
# FILE removes it.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
head -c 100000000 /dev/urandom >"$TMP/big.bin"
expect_ok pond copy --format data "$TMP/big.bin" /big.bin
sensor_csv "$TMP/a.csv" 1721433600 100
expect_ok pond copy "$TMP/a.csv" /a.series
mkdir -p "$TMP/host"

# --- a planted symlink at pond 0.1.0's temporary name is not followed ------------------------
echo "victim" >"$TMP/victim"
(ln -s "$TMP/victim" "$TMP/host/a.csv.pond-tmp-$BASHPID" && exec "$POND_BIN" copy /a.series "host:$TMP/host/a.csv") \
    >"$OUT" 2>"$ERR"
check_eq "copy with a planted symlink succeeds" "0" "$?"
check_eq "the symlink's target is untouched" "victim" "$(cat "$TMP/victim")"
check_eq "the copy is complete" "101" "$(wc -l <"$TMP/host/a.csv" | tr -d ' ')"
(ln -s "$TMP/victim" "$TMP/host/big.bin.pond-tmp-$BASHPID" && exec "$POND_BIN" copy /big.bin "host:$TMP/host/big.bin") \
    >"$OUT" 2>"$ERR"
check_eq "data copy with a planted symlink succeeds" "0" "$?"
check_eq "the symlink's target is untouched (data)" "victim" "$(cat "$TMP/victim")"
check_files_eq "the data copy is byte for byte" "$TMP/big.bin" "$TMP/host/big.bin"
rm -f "$TMP/host/"*.pond-tmp-* "$TMP/host/big.bin"

# --- a killed copy leaves its temporary; the next copy removes it ---------------------------
temps() { (cd "$TMP/host" && ls -A | grep -E '^\.big\.bin\.tmp-' || true); }
caught=""
for attempt in 1 2 3 4 5; do
    "$POND_BIN" copy /big.bin "host:$TMP/host/big.bin" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 2000); do
        [ -n "$(temps)" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.005
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -n "$(temps)" ] && [ ! -e "$TMP/host/big.bin" ]; then
        caught=$attempt
        break
    fi
    rm -f "$TMP/host/big.bin"
done
check_contains "a copy killed half way (attempt ${caught:-none}) leaves its temporary" "$(temps)" ".big.bin.tmp-$pid-"
check_eq "and no FILE" "no" "$([ -e "$TMP/host/big.bin" ] && echo yes || echo no)"
echo "a file of its own" >"$TMP/host/.other.tmp-1-1-1"
expect_ok pond copy /big.bin "host:$TMP/host/big.bin"
check_eq "the next copy removed the dead copy's temporary" "" "$(temps)"
check_files_eq "and wrote FILE whole" "$TMP/big.bin" "$TMP/host/big.bin"
check_eq "other files stay" "a file of its own" "$(cat "$TMP/host/.other.tmp-1-1-1")"

done_testing
