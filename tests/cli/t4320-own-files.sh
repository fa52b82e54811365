#!/usr/bin/env bash
# t4320-own-files: pond never writes over its own files.  A copy out to any path inside the
# pond (its catalog, a content file, a path not there yet, through a symlink or "..") and an
# export whose DIR or --dump-tables DIR2 is inside the pond are refused with a clear message
# and change nothing; an export into a directory that holds the pond may not write an output
# over it.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 48 3600
echo "some bytes" >"$TMP/notes.txt"
pond mkdir -p /sites/BDock >/dev/null
expect_ok pond copy "$TMP/a.csv" /sites/BDock/res=1h.series
expect_ok pond copy --format data "$TMP/notes.txt" /notes.txt
ln -s "$POND" "$TMP/link"
content=$(find "$POND/data" -type f | head -1)
# Every file's bytes but the -shm index, which SQLite rewrites on any read (not pond's data).
state() { (cd "$POND" && find . -path ./tmp -prune -o -print | sort | while IFS= read -r f; do
    if [ -f "$f" ] && [ "$f" != ./catalog.sqlite-shm ]; then printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-16)"; else printf '%s/\n' "$f"; fi
done); }
before=$(state)

# --- copy out ------------------------------------------------------------------------------
for dest in "$POND/catalog.duckdb" "$POND/catalog.sqlite" "$content" "$POND/data/new-file" \
    "$TMP/link/catalog.duckdb" "$TMP/link/data/../x.csv" "$POND" "$POND/data" "$POND/tmp/x"; do
    for src in /sites/BDock/res=1h.series /notes.txt; do
        expect_fail 1 "is inside the pond '$POND' (pond never writes over its own files)" \
            pond copy "$src" "host:$dest"
    done
done
check_contains "copy message names the source" "$(cat "$ERR")" "cannot copy '/notes.txt': '$POND/tmp/x' is inside the pond"
check_eq "copies out refused: pond unchanged" "$before" "$(state)"
expect_ok pond check

# --- export --------------------------------------------------------------------------------
for dir in "$POND" "$POND/data/x" "$TMP/link/data" "$POND/exports"; do
    expect_fail 1 "output directory '$dir' is inside the pond '$POND' (pond never writes over its own files)" \
        pond export -p '/sites/*/*.series' -d "$dir"
    check_eq "export -d $dir: no stage ran" "" "$(grep 'stage 1/' "$ERR" || true)"
done
expect_fail 1 "--dump-tables directory '$TMP/link/tables' is inside the pond '$POND'" \
    pond export -p '/sites/*/*.series' -d "$TMP/out" --dump-tables "$TMP/link/tables"
check_eq "refused exports: DIR not created" "no" "$([ -e "$TMP/out" ] && echo yes || echo no)"
check_eq "exports refused: pond unchanged" "$before" "$(state)"
expect_ok pond check

# A DIR that holds the pond: an output over the pond or inside it is refused, even with
# --overwrite (which replaces an output directory as a whole).
# (/sites/*/*.series is exported to DIR/<site>/<series>/, here site/BDock/res=1h/.)
mkdir -p "$TMP/site/BDock/res=1h"
mv "$POND" "$TMP/site/BDock/res=1h/pond"
export POND=$TMP/site/BDock/res=1h/pond
expect_fail 1 "output 'BDock/res=1h' would write over the pond '$POND' (pond never writes over its own files)" \
    pond export -p '/sites/*/*.series' -d "$TMP/site" --overwrite
expect_fail 1 "output 'res=1h' would write over the pond '$POND'" \
    pond export -p '/sites/BDock/*.series' -d "$TMP/site/BDock" --overwrite
# An output inside the pond's directory (the pond is site3/BDock, the output BDock/res=1h).
mkdir -p "$TMP/site3"
mv "$POND" "$TMP/site3/BDock"
export POND=$TMP/site3/BDock
expect_fail 1 "output 'BDock/res=1h' would write over the pond '$POND'" \
    pond export -p '/sites/*/*.series' -d "$TMP/site3"
expect_ok pond check
check_eq "the pond is still there" "file:series" "$(pond list -l /sites/BDock | awk '{print $1}')"
expect_ok pond export -p '/sites/*/*.series' -d "$TMP/site/other"

done_testing
