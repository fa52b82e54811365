#!/usr/bin/env bash
# t4100-bad-input: every bad input of issue 2 gives a message naming the thing, a non-zero
# exit, and leaves the pond as it was (same log, same entries and versions, same content
# files, pond check passes): no pond, not a pond, init on a non-empty directory, paths that do
# not exist, a series timestamp column that is missing / ambiguous / has nulls, a CSV that
# does not parse (with its line), an appended version whose timestamp type differs, a pattern
# matching nothing, SQL errors.  (Processes using the pond at once: t4300-concurrency.)
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

done_testing
