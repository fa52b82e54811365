#!/usr/bin/env bash
# t4000-show-check: pond show prints the transaction log (seq, start, status, command line);
# pond check verifies content files, reports orphans (exit 0), repairs them with --repair,
# and exits 1 naming the entry when content is damaged or missing.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }

sensor_csv "$TMP/a.csv" 1719792000 500
expect_ok pond mkdir /sites
expect_ok pond copy "$TMP/a.csv" "/sites/it's here.series"

# --- show ---------------------------------------------------------------------------------
expect_ok pond show
log=$(cat "$OUT")
check_contains "show lists mkdir" "$log" "pond mkdir /sites"
check_contains "show lists copy with its quoting" "$log" "pond copy $TMP/a.csv '/sites/it'\\''s here.series'"
check_contains "show gives the status" "$(grep 'pond mkdir' <<<"$log")" "committed"
[[ "$(grep 'pond mkdir' <<<"$log")" =~ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z ]] \
    && pass "show gives the start time in UTC" || fail "show gives the start time in UTC" "$log"
seqs=$(awk '{ print $1 }' <<<"$log")
check_eq "seq numbers increase" "$(sort -n <<<"$seqs")" "$seqs"
check_eq "seq numbers are distinct" "$(sort -un <<<"$seqs")" "$seqs"
expect_ok pond show -v
check_contains "show -v gives the id" "$(cat "$OUT")" "id "
expect_ok pond list
expect_ok pond show
check_eq "reading writes no transaction" "$log" "$(cat "$OUT")"
expect_fail 2 "unexpected argument" pond show extra

# --- check on a sound pond ----------------------------------------------------------------
expect_ok pond check
check_contains "a sound pond" "$(cat "$OUT")" "checked 1 versions: 0 problems, 0 orphans"

# --- orphans: reported, not corruption; --repair removes them -----------------------------
content=$(cd "$POND" && find data -type f | head -n 1)
[ -n "$content" ] && pass "the version has a content file" || fail "the version has a content file"
orphan_dir=$(dirname "$POND/$content")
orphan="$orphan_dir/0000000000000000000000000000000000000000000000000000000000000000"
printf 'left by a crash' >"$orphan"
expect_ok pond check
check_contains "an orphan is reported" "$(cat "$OUT")" "1 orphans"
[ -f "$orphan" ] && pass "check alone keeps the orphan" || fail "check alone keeps the orphan"
expect_ok pond check --repair
check_contains "--repair removes it" "$(cat "$OUT")" "1 removed"
[ ! -e "$orphan" ] && pass "the orphan is gone" || fail "the orphan is gone"
[ -f "$POND/$content" ] && pass "--repair keeps the real content" || fail "--repair keeps the real content"
expect_ok pond check
check_contains "no orphan left" "$(cat "$OUT")" "0 problems, 0 orphans"

# --- damaged content ----------------------------------------------------------------------
cp "$POND/$content" "$TMP/saved"
chmod u+w "$POND/$content"
printf 'X' | dd of="$POND/$content" bs=1 seek=100 conv=notrunc status=none
expect_fail 1 "pond: " pond check
check_contains "the finding names the entry" "$(cat "$OUT")" "/sites/it's here.series"
check_contains "the summary counts a problem" "$(cat "$OUT")" "1 problems"
cp "$TMP/saved" "$POND/$content"
expect_ok pond check

# --- missing content ----------------------------------------------------------------------
mv "$POND/$content" "$TMP/moved"
expect_fail 1 "pond: " pond check
check_contains "the finding names the entry" "$(cat "$OUT")" "/sites/it's here.series"
expect_fail 1 "pond: " pond check --repair
check_contains "--repair does not hide it" "$(cat "$OUT")" "/sites/it's here.series"
mv "$TMP/moved" "$POND/$content"
expect_ok pond check
check_contains "sound again" "$(cat "$OUT")" "0 problems, 0 orphans"
expect_ok pond cat "/sites/it's here.series" --format csv --sql 'SELECT count(*) AS n FROM series'
check_eq "and readable" "$(printf 'n\n500')" "$(cat "$OUT")"

done_testing
