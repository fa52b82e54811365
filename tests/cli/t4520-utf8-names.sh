#!/usr/bin/env bash
# t4520-utf8-names: pond names are UTF-8.  A path or a host file name that is not is refused
# with "not valid UTF-8" and the bytes shown escaped, and the pond is left as it was.
. "$(dirname "$0")/lib.sh"

expect_ok pond init
sensor_csv "$TMP/a.csv" 1721433600 10
expect_ok pond mkdir /d
before=$(pond_state)
expect_fail 1 "invalid pond path '/bad\\xff': not valid UTF-8" pond copy "$TMP/a.csv" $'/bad\xff'
expect_fail 1 "invalid pond path '/d/\\xc0\\xaf.series': not valid UTF-8" pond copy "$TMP/a.csv" $'/d/\xc0\xaf.series'
expect_fail 1 "invalid pond path '/x\\xed\\xa0\\x80': not valid UTF-8" pond mkdir $'/x\xed\xa0\x80'
expect_fail 1 "invalid pond path '/caf\\xc3': not valid UTF-8" pond cat $'/caf\xc3'
cp "$TMP/a.csv" "$TMP/"$'\xfe\x01name.csv'
expect_fail 1 "invalid name '\\xfe\\x01name.csv': not valid UTF-8" pond copy "$TMP/"$'\xfe\x01name.csv' /d
expect_unchanged "names that are not UTF-8" "$before"
# UTF-8 names work.
expect_ok pond copy "$TMP/a.csv" $'/d/caf\xc3\xa9 \xf0\x9f\x8c\x8a.series'
expect_ok pond list /d
check_eq "a UTF-8 name" $'/d/caf\xc3\xa9 \xf0\x9f\x8c\x8a.series' "$(cat "$OUT")"

done_testing
