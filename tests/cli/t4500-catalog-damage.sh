#!/usr/bin/env bash
# t4500-catalog-damage: pond check sees a damaged catalog.
# Bytes of catalog.sqlite are flipped one at a time (every other byte of the 100-byte header,
# and DAMAGE_SPREAD bytes spread evenly over the bytes in use in the rest of the file, default
# 80), each on a fresh copy of a sound catalog.  After each flip the read commands run (list,
# describe, show, cat of every file) and then check: whenever a read command fails, check must
# fail too, and a read that meets SQLite's corruption says so, naming the catalog and saying to
# run pond check.  Also: a writer that meets the damage commits nothing.
. "$(dirname "$0")/lib.sh"

spread=${DAMAGE_SPREAD:-80}
CMD_TIMEOUT=30

pond init >/dev/null || { fail "pond init"; done_testing; }
sensor_csv "$TMP/a.csv" 1719792000 200
sensor_csv "$TMP/b.csv" 1719878400 100
printf 'site,lat\nBDock,39.4\nNoyo,39.42\n' >"$TMP/info.csv"
printf 'some raw bytes\n' >"$TMP/notes.txt"
expect_ok pond mkdir -p /sites/BDock /sites/Noyo
expect_ok pond copy "$TMP/a.csv" /sites/BDock/res=1m.series
expect_ok pond copy "$TMP/b.csv" /sites/BDock/res=1m.series
expect_ok pond copy "$TMP/b.csv" /sites/Noyo/res=1m.series
expect_ok pond copy "$TMP/info.csv" /sites/info.table
expect_ok pond copy --format data "$TMP/notes.txt" /sites/Noyo/notes.txt
files="/sites/BDock/res=1m.series /sites/Noyo/res=1m.series /sites/info.table /sites/Noyo/notes.txt"
expect_ok pond check
check_eq "the log is folded into the catalog when the last process closes it" 0 \
    "$(stat -c %s "$POND/catalog.sqlite-wal")"
cp "$POND/catalog.sqlite" "$TMP/sound.sqlite"
size=$(stat -c %s "$TMP/sound.sqlite")

# The offsets: every other header byte, then $spread of the non-zero bytes after the header.
offsets=$(seq 0 2 99)
offsets="$offsets $(od -An -v -tu1 -w1 "$TMP/sound.sqlite" | awk -v n="$spread" '
    NR > 100 && $1 != 0 { used[m++] = NR - 1 }
    END { for (i = 0; i < n && m > 0; i++) print used[int(i * m / n)] }')"

# flip FILE OFFSET: invert the byte at OFFSET.
flip() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# reads: run every read command; prints the first failure's stderr, exit 1 when one failed.
reads() {
    local f
    for args in "list -l /**" "describe /**" "show -v"; do
        # shellcheck disable=SC2086
        (set -f; timeout -k 5 "$CMD_TIMEOUT" "$POND_BIN" $args) >/dev/null 2>"$TMP/read.err" ||
            { cat "$TMP/read.err"; return 1; }
    done
    for f in $files; do
        timeout -k 5 "$CMD_TIMEOUT" "$POND_BIN" cat "$f" --format csv >/dev/null 2>"$TMP/read.err" ||
            { cat "$TMP/read.err"; return 1; }
    done
    return 0
}

n=0
read_failed=0
sqlite_damage=0
missed=0
for off in $offsets; do
    [ "$off" -lt "$size" ] || continue
    n=$((n + 1))
    cp "$TMP/sound.sqlite" "$POND/catalog.sqlite"
    flip "$POND/catalog.sqlite" "$off"
    why=$(reads) && read_ok=1 || read_ok=0
    timeout -k 5 "$CMD_TIMEOUT" "$POND_BIN" check >"$OUT" 2>"$ERR"
    check_rc=$?
    if [ "$read_ok" -eq 0 ]; then
        read_failed=$((read_failed + 1))
        if [ "$check_rc" -ne 0 ]; then
            pass "byte $off: a read fails, and so does check"
        else
            missed=$((missed + 1))
            fail "byte $off: a read fails, and so does check" "read: $why" "check: $(cat "$OUT")"
        fi
        case $why in
        *"is damaged"*)
            sqlite_damage=$((sqlite_damage + 1))
            check_contains "byte $off: the message names the catalog and says to run check" \
                "$why" "the catalog '$POND/catalog.sqlite' is damaged" ;;
        esac
    fi
    [ "$check_rc" -le 1 ] || fail "byte $off: check exits 0 or 1" "exit $check_rc: $(cat "$ERR")"
done
echo "# $n bytes flipped: $read_failed made a read fail ($sqlite_damage with SQLite's" \
    "corruption error), check missed $missed"
[ "$read_failed" -gt 0 ] && pass "some flips make reads fail" || fail "some flips make reads fail"

# --- nothing is committed on top of damage a writer meets --------------------------------
# Damage the page that holds the entry table's rows: a writer that reads it stops.
cp "$TMP/sound.sqlite" "$POND/catalog.sqlite"
page=$(sqlite3 "$TMP/sound.sqlite" "SELECT rootpage FROM sqlite_schema WHERE name = 'entry'")
dd if=/dev/zero of="$POND/catalog.sqlite" bs=4096 seek=$((page - 1)) count=1 conv=notrunc status=none
expect_fail 1 "is damaged" pond mkdir /sites/BDock/new
check_contains "the writer says to run pond check" "$(cat "$ERR")" "run 'pond check'"
expect_fail 1 "problem" pond check
cp "$TMP/sound.sqlite" "$POND/catalog.sqlite"
expect_ok pond list /sites/BDock
check_eq "the refused writer left nothing" "/sites/BDock/res=1m.series" "$(cat "$OUT")"
expect_ok pond check

done_testing
