#!/usr/bin/env bash
# t5300-export-errors: each bad input gets one clear message and leaves the output directory
# exactly as it was (a recursive listing with modes and sha256 sums compared before and after;
# a directory that did not exist is not created), and the pond is not changed.
. "$(dirname "$0")/lib.sh"

# snap DIR: everything under DIR (type, mode, path, content hash), or MISSING.
snap() {
    if [ -f "$1" ]; then
        sha256sum "$1"
    elif [ -e "$1" ]; then
        (cd "$1" && find . -printf '%y %m %p\n' | sort && find . -type f -exec sha256sum {} + | sort)
    else
        echo MISSING
    fi
}
# fails_untouched CODE MESSAGE DIR CMD…: CMD fails as expected and DIR is as it was.
fails_untouched() {
    local code=$1 msg=$2 dir=$3 before
    shift 3
    before=$(snap "$dir")
    expect_fail "$code" "$msg" "$@"
    check_eq "  …and '$(basename "$dir")' is untouched" "$before" "$(snap "$dir")"
    check_eq "  …with one message line" "1" "$(grep -c '^pond' "$ERR")"
}

expect_ok pond init
sensor_csv "$TMP/s.csv" 1721433600 72 3600   # 2024-07-20 .. 22, hourly
pond mkdir -p /sites/BDock /sites/Noyo /sites/Empty >/dev/null
for s in BDock Noyo; do expect_ok pond copy "$TMP/s.csv" /sites/$s/res=1h.series; done
printf 'k,v\na,1\n' >"$TMP/t.csv"
expect_ok pond copy "$TMP/t.csv" /sites/BDock/info.table
pond_before=$(pond_state)

# An output directory with an earlier export and a file of the user's.
OUTD=$TMP/out
expect_ok pond export -q -p '/sites/BDock/res=1h.series' -d "$OUTD" --temporal year,month,day
echo "mine" >"$OUTD/keep.txt"
NEW=$TMP/new/deeper   # does not exist

# --- nothing to export ---------------------------------------------------------------------------
fails_untouched 1 "no match for pattern '/nowhere/*.series'" "$OUTD" pond export -p '/nowhere/*.series' -d "$OUTD"
fails_untouched 1 "no match for pattern '/nowhere/*.series'" "$NEW" pond export -p '/sites/*/res=1h.series' -p '/nowhere/*.series' -d "$NEW"
fails_untouched 1 "pattern '/sites/*' matches no file (only 3 directories" "$NEW" pond export -p '/sites/*' -d "$NEW"

# --- bad --temporal ---------------------------------------------------------------------------
fails_untouched 1 "unknown --temporal word 'weeks'" "$OUTD" pond export -p '/sites/*/res=1h.series' -d "$OUTD" --temporal year,weeks --overwrite
fails_untouched 1 "out of order: 'year' must come before 'day'" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --temporal day,year
fails_untouched 1 "names 'month' twice" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --temporal year,month,month
fails_untouched 1 "--temporal 'month' lacks 'year'" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --temporal month

# --- a table has no timestamp column; a series whose versions lack theirs ----------------------
fails_untouched 1 "cannot partition '/sites/BDock/info.table' by --temporal: it is a file:table" "$NEW" \
    pond export -p '/sites/BDock/*' -d "$NEW" --temporal year
# The store refuses such a version, so make one by editing a copy's catalog behind its back.
cp -r "$POND" "$TMP/pond2"
sqlite3 "$TMP/pond2/catalog.sqlite" "UPDATE version SET schema = replace(schema, '\"timestamp\"', '\"gone\"')"
fails_untouched 1 "series '/sites/Noyo/res=1h.series' has no timestamp column 'timestamp' in version 1" "$NEW" \
    pond --pond "$TMP/pond2" export -p '/sites/Noyo/res=1h.series' -d "$NEW" --temporal year,month
fails_untouched 1 "has no timestamp column" "$NEW" \
    pond --pond "$TMP/pond2" export -p '/sites/Noyo/res=1h.series' -d "$NEW" --start-time 2024-07-21

# A column named like a partition level clashes only with the levels asked for.
duckq "COPY (SELECT TIMESTAMP '2024-07-20' + INTERVAL (i) HOUR AS timestamp, i % 7 AS day FROM range(0, 48) t(i))
       TO '$TMP/day.parquet' (FORMAT PARQUET)" >/dev/null
expect_ok pond --pond "$TMP/pond2" copy "$TMP/day.parquet" /day.series
fails_untouched 1 "cannot partition '/day.series' by --temporal: it has a column named 'day' already" "$NEW" \
    pond --pond "$TMP/pond2" export -p /day.series -d "$NEW" --temporal year,month,day
expect_ok pond --pond "$TMP/pond2" export -p /day.series -d "$TMP/daymonth" --temporal year,month
check_eq "  …while year,month keeps the 'day' column" "48 141" \
    "$(duckq -v f="$TMP/daymonth/day/year=2024/month=7/data.parquet" "SELECT count(*) || ' ' || sum(day) FROM read_parquet(getvariable('f'), hive_partitioning=false)" | tail -1)"

# --- existing output without --overwrite: refused before anything is written ---------------------
BOTH=(-p /sites/BDock/res=1h.series -p /sites/Noyo/res=1h.series)
fails_untouched 1 "output 'sites/BDock/res=1h' already exists in '$OUTD' (use --update to bring it up to date, or --overwrite to replace it)" "$OUTD" \
    pond export "${BOTH[@]}" -d "$OUTD" --temporal year,month,day
check_eq "  …Noyo was not written either" "no" "$( [ -e "$OUTD/sites/Noyo" ] && echo yes || echo no)"

# --- a failure half way (test hook), with and without an existing DIR ---------------------------
fails_untouched 1 "injected failure after 3 files" "$OUTD" \
    env POND_TEST_FAIL_AFTER_FILES=3 "$POND_BIN" export "${BOTH[@]}" -d "$OUTD" --temporal year,month,day --overwrite
fails_untouched 1 "injected failure after" "$NEW" \
    env POND_TEST_FAIL_AFTER_FILES=1 "$POND_BIN" export -p '/sites/*/res=1h.series' -d "$NEW" --temporal year,month,day
check_eq "  …and no parent of DIR was created" "no" "$( [ -e "$TMP/new" ] && echo yes || echo no)"
# … and in the middle of moving outputs into place: what moved is put back.
fails_untouched 1 "injected failure after 1 outputs moved into place" "$OUTD" \
    env POND_TEST_FAIL_AFTER_MOVES=1 "$POND_BIN" export "${BOTH[@]}" -d "$OUTD" --temporal year,month --overwrite
check_eq "  …the earlier export's days are all back" "3" "$(find "$OUTD/sites/BDock" -name data.parquet | wc -l)"

# --- DIR not writable ---------------------------------------------------------------------------
RO=$TMP/ro
mkdir -p "$RO/inside"
echo x >"$RO/inside/f"
lock() { if [ "$(id -u)" = 0 ]; then chattr +i "$1"; else chmod a-w "$1"; fi; }
unlock() { if [ "$(id -u)" = 0 ]; then chattr -i "$1"; else chmod u+w "$1"; fi; }
on_cleanup "unlock '$RO'"
if lock "$RO" 2>/dev/null; then
    fails_untouched 1 "cannot write in output directory '$RO'" "$RO" pond export -p '/sites/*/res=1h.series' -d "$RO"
    fails_untouched 1 "cannot create output directory '$RO/sub'" "$RO" pond export -p '/sites/*/res=1h.series' -d "$RO/sub/out"
    unlock "$RO"
else
    fail "cannot make '$RO' read-only (chattr/chmod) to test an unwritable DIR"
fi
echo x >"$TMP/plain"
fails_untouched 1 "output directory '$TMP/plain' is not a directory" "$TMP/plain" pond export -p '/sites/*/res=1h.series' -d "$TMP/plain"

# --- bad times and time zone --------------------------------------------------------------------
fails_untouched 1 "yesterday" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --start-time yesterday
fails_untouched 1 "--start-time '2024-07-21' is not before --end-time '2024-07-20'" "$NEW" \
    pond export -p '/sites/*/res=1h.series' -d "$NEW" --start-time 2024-07-21 --end-time 2024-07-20
fails_untouched 1 "unknown time zone 'Nowhere/Town'" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --timezone Nowhere/Town

# --- usage errors (exit 2) ------------------------------------------------------------------------
fails_untouched 2 "no output directory" "$NEW" pond export -p '/sites/*/res=1h.series'
fails_untouched 2 "no pattern" "$NEW" pond export -d "$NEW"
fails_untouched 2 "pond export" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --no-such-option
fails_untouched 2 "control" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" -f ctrl
fails_untouched 2 "expected KEY=VALUE" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" -v novalue
fails_untouched 2 "unexpected argument 'extra'" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" extra
fails_untouched 2 "not both" "$NEW" pond export -p '/sites/*/res=1h.series' -d "$NEW" --pipeline a.yaml --template b.yaml
expect_ok pond export --help
check_contains "--help: start inclusive, end exclusive" "$(cat "$OUT")" "the start is inclusive, the end exclusive"
check_contains "--help: default time zone" "$(cat "$OUT")" "default"$'\n'"UTC"
check_contains "--help: the layout" "$(cat "$OUT")" "DIR/BDock/res=1d/year=2024/month=7/day=20/data.parquet"

expect_unchanged "after all of the above" "$pond_before"
done_testing
