#!/usr/bin/env bash
# t0001-init: pond init makes an empty pond (at POND, a positional PATH or --pond before or
# after the command name) and refuses a directory that is not empty, leaving it as it was.
. "$(dirname "$0")/lib.sh"

# --- init at $POND -----------------------------------------------------------------------
expect_ok pond init
check_contains "init says where" "$(cat "$OUT")" "$POND"
[ -f "$POND/catalog.sqlite" ] && pass "catalog.sqlite exists" || fail "catalog.sqlite exists"
[ -d "$POND/data" ] && pass "data/ exists" || fail "data/ exists"
expect_ok pond list
check_eq "a new pond lists nothing" "" "$(cat "$OUT")"
expect_ok pond check
check_contains "a new pond checks clean" "$(cat "$OUT")" "0 problems"
expect_ok pond show

# --- the other ways to name the pond ------------------------------------------------------
expect_ok pond init "$TMP/positional"
[ -f "$TMP/positional/catalog.sqlite" ] && pass "positional PATH" || fail "positional PATH"
expect_ok pond --pond "$TMP/global" init
[ -f "$TMP/global/catalog.sqlite" ] && pass "--pond before the command" || fail "--pond before the command"
expect_ok pond init --pond "$TMP/after"
[ -f "$TMP/after/catalog.sqlite" ] && pass "--pond after the command" || fail "--pond after the command"
expect_ok pond init --pond="$TMP/equals"
[ -f "$TMP/equals/catalog.sqlite" ] && pass "--pond=PATH" || fail "--pond=PATH"
mkdir "$TMP/empty-dir"
expect_ok pond init "$TMP/empty-dir"
[ -f "$TMP/empty-dir/catalog.sqlite" ] && pass "init in an existing empty directory" \
    || fail "init in an existing empty directory"
expect_ok pond init "$TMP/name with spaces"
expect_ok pond --pond "$TMP/name with spaces" mkdir /a
expect_ok pond --pond "$TMP/name with spaces" list
check_eq "a pond under a path with spaces works" "/a" "$(cat "$OUT")"
ln -s "$TMP/name with spaces" "$TMP/link"
expect_ok pond --pond "$TMP/link" mkdir /b
expect_ok pond --pond "$TMP/link" list
check_eq "a pond reached through a symlink works" "/a /b" "$(tr '\n' ' ' <"$OUT" | sed 's/ $//')"
expect_ok pond init "$TMP/link/../linked-parent"

# --- refusals -----------------------------------------------------------------------------
mkdir "$TMP/full"
echo "precious" >"$TMP/full/notes.txt"
expect_fail 1 "$TMP/full" pond init "$TMP/full"
check_eq "the non-empty directory is as it was" "notes.txt" "$(ls -A "$TMP/full")"
check_eq "its file is untouched" "precious" "$(cat "$TMP/full/notes.txt")"

before=$(pond_state)
expect_fail 1 "$POND" pond init
expect_unchanged "init over an existing pond" "$before"

expect_fail 2 "no pond given" env -u POND "$POND_BIN" init
expect_fail 2 "too many arguments" pond init "$TMP/a" "$TMP/b"
[ ! -e "$TMP/a" ] && pass "a usage error creates nothing" || fail "a usage error creates nothing"

# --- a pond of the older layout (catalog.duckdb) is recognised and refused -----------------
mkdir "$TMP/old-layout"
printf 'DUCK' >"$TMP/old-layout/catalog.duckdb"
expect_fail 1 "catalog.duckdb" pond --pond "$TMP/old-layout" list
check_contains "…saying what to do" "$(cat "$ERR")" "make a new pond with 'pond init'"
expect_fail 1 "older catalog.duckdb layout" pond init "$TMP/old-layout"
check_eq "…and leaves it as it was" "catalog.duckdb" "$(ls -A "$TMP/old-layout")"

# --- version ------------------------------------------------------------------------------
expect_ok pond --version
grep -Eq '^pond [0-9]+\.[0-9]+\.[0-9]+$' "$OUT" && pass "--version prints the version" \
    || fail "--version prints the version" "$(cat "$OUT")"

done_testing
