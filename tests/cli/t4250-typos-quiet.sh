#!/usr/bin/env bash
# t4250-typos-quiet: a mistyped command name gets "did you mean" (exit 2); --version is the
# project's version; --quiet on the commands that can take long (copy, check, export); the
# copy progress bar shows on a terminal only.
. "$(dirname "$0")/lib.sh"

# --- did you mean ---------------------------------------------------------------------------
expect_fail 2 "unknown command 'exprot': did you mean 'export'?" pond exprot
check_contains "the hint follows" "$(cat "$ERR")" "try 'pond --help'"
expect_fail 2 "unknown command 'lsit': did you mean 'list'?" pond lsit
expect_fail 2 "unknown command 'chek': did you mean 'check'?" pond chek -p x
expect_fail 2 "unknown command 'descibe': did you mean 'describe'?" pond descibe /x
expect_fail 2 "unknown command 'exp': did you mean 'export'?" pond exp
expect_fail 2 "unknown command 'coyp': did you mean 'copy'?" pond help coyp
expect_fail 2 "unknown command 'frobnicate'" pond frobnicate
check_eq "nothing close: no suggestion" "" "$(grep -F 'did you mean' "$ERR" || true)"
expect_fail 2 "unknown command 'c'" pond c
check_eq "too short to guess: no suggestion" "" "$(grep -F 'did you mean' "$ERR" || true)"

# --- --version --------------------------------------------------------------------------------
version=$(sed -n 's/^project(pond VERSION \([0-9.]*\).*/\1/p' "$POND_SOURCE_DIR/CMakeLists.txt")
expect_ok pond --version
check_eq "--version is project(VERSION)" "pond $version" "$(cat "$OUT")"

# --- --quiet -----------------------------------------------------------------------------------
expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 500
expect_ok pond copy --quiet "$TMP/a.csv" /a.series
check_eq "copy --quiet: nothing on stderr" "" "$(cat "$ERR")"
expect_ok pond copy -q "$TMP/a.csv" /b.series
check_eq "copy -q: the copy happened" "2" "$(pond list | wc -l)"
expect_ok pond copy "$TMP/a.csv" /c.series
check_eq "copy: no bar when stderr is not a terminal" "" "$(cat "$ERR")"
expect_ok pond check
check_contains "check: the summary" "$(cat "$OUT")" "checked 3 versions: 0 problems, 0 orphans"
expect_ok pond check --quiet
check_eq "check --quiet: nothing for a sound pond" "" "$(cat "$OUT")$(cat "$ERR")"
touch "$POND/data/00/$(printf '0%.0s' $(seq 62))" 2>/dev/null || {
    mkdir -p "$POND/data/00" && touch "$POND/data/00/$(printf '0%.0s' $(seq 62))"; }
expect_ok pond check -q
check_contains "check -q: findings still print" "$(cat "$OUT")" "orphan"
check_eq "check -q: no summary" "" "$(grep -F 'checked ' "$OUT" || true)"
expect_ok pond export -q -p '/a.series' -d "$TMP/out"
check_eq "export -q: nothing on stderr" "" "$(cat "$ERR")"

# --- copy's bar on a terminal -------------------------------------------------------------
if command -v script >/dev/null; then
    sensor_csv "$TMP/b.csv" 1721433600 20000
    pond mkdir /more >/dev/null
    script -qec "$(printf '%q ' "$POND_BIN" copy "$TMP/a.csv" "$TMP/b.csv" /more/)" /dev/null \
        >"$TMP/tty.log" 2>&1
    check_eq "copy on a terminal: the pond took both files" "/more/a.csv
/more/b.csv" "$(pond list '/more/*')"
    bar=$(tr '\r' '\n' <"$TMP/tty.log")
    check_contains "copy bar: all bytes of both files" "$bar" "100%  "
    check_contains "copy bar: files done" "$bar" "2/2 files"
    check_contains "copy bar: a rate" "$bar" "B/s"
    script -qec "$(printf '%q ' "$POND_BIN" copy -q "$TMP/a.csv" /q.series)" /dev/null \
        >"$TMP/tty-q.log" 2>&1
    check_eq "copy -q on a terminal: no bar" "" "$(tr -d '\r\n' <"$TMP/tty-q.log")"
fi

done_testing
