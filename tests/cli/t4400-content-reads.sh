#!/usr/bin/env bash
# t4400-content-reads: reads of content files are checked.  A data file with a flipped byte
# is refused by cat (exit 1 after its bytes), copy out and export (nothing written); a table
# or series whose content file changed size is refused before DuckDB reads it.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
head -c 300000 /dev/urandom >"$TMP/blob.bin"
# The byte the test flips later is 0x00 here, so that writing 0x5a always changes it.
printf '\x00' | dd of="$TMP/blob.bin" bs=1 seek=150000 conv=notrunc status=none
expect_ok pond copy --format data "$TMP/blob.bin" /blob.bin
sensor_csv "$TMP/a.csv" 1721433600 100
expect_ok pond copy "$TMP/a.csv" /a.series

# content FILE: the content file of pond file FILE (by the sha256 prefix describe prints).
content() {
    local sha
    sha=$("$POND_BIN" describe "$1" | awk '/^  versions/ { getline; getline; print $NF }')
    find "$POND/data" -type f -name "$sha*"
}
blob=$(content /blob.bin)
series=$(content /a.series)
check_eq "found the content files" "2" "$(printf '%s\n%s\n' "$blob" "$series" | grep -c data/)"

# Intact content reads as usual.
expect_ok pond cat /blob.bin
check_files_eq "cat of an intact data file" "$TMP/blob.bin" "$OUT"

# One byte flipped in the middle of the data file: same size, other sha256.
chmod u+w "$blob"
printf '\x5a' | dd of="$blob" bs=1 seek=150000 conv=notrunc status=none
cmp -s "$blob" "$TMP/blob.bin" && fail "the byte was flipped" || pass "the byte was flipped"
expect_fail 1 "content file '$blob' is damaged: its sha256 is" pond cat /blob.bin
expect_fail 1 "is damaged: its sha256 is" pond copy /blob.bin "host:$TMP/copied.bin"
check_eq "copy out: nothing written" "" "$(cd "$TMP" && ls -A | grep copied || true)"
expect_fail 1 "is damaged: its sha256 is" pond export -p /blob.bin -d "$TMP/out"
check_eq "export: nothing written" "no" "$([ -e "$TMP/out" ] && echo yes || echo no)"

# The series' content file cut short.
chmod u+w "$series"
size=$(stat -c %s "$series")
truncate -s $((size - 10)) "$series"
expect_fail 1 "content file '$series' is damaged: $((size - 10)) bytes, the catalog records $size" \
    pond cat /a.series
expect_fail 1 "is damaged: $((size - 10)) bytes" pond cat /a.series --sql "SELECT count(*) FROM series"
expect_fail 1 "is damaged: $((size - 10)) bytes" pond copy /a.series "host:$TMP/copied.csv"
expect_fail 1 "is damaged: $((size - 10)) bytes" pond export -p /a.series -d "$TMP/out"
check_eq "nothing written" "" "$(cd "$TMP" && ls -A | grep -E 'copied|^out$' || true)"
expect_fail 1 "" pond check

done_testing
