#!/usr/bin/env bash
# t1000-mkdir: pond mkdir [-p] makes directories; names may hold spaces, quotes, '=', dots
# and non-ASCII; the command line is recorded (shell-quoted) in the transaction log.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }

expect_ok pond mkdir /sites
expect_ok pond list
check_eq "the new directory is listed" "/sites" "$(cat "$OUT")"
expect_ok pond list -l
check_contains "list -l shows a dir" "$(cat "$OUT")" "dir"

expect_ok pond mkdir /sites/BDock /sites/Noyo
expect_ok pond list /sites
check_eq "several paths in one command" "$(printf '/sites/BDock\n/sites/Noyo')" "$(cat "$OUT")"

before=$(pond_state)
expect_fail 1 "/sites" pond mkdir /sites
expect_unchanged "mkdir of an existing directory" "$before"
expect_fail 1 "/missing" pond mkdir /missing/child
expect_unchanged "mkdir without the parent" "$before"
expect_fail 1 "pond: " pond mkdir relative
expect_unchanged "mkdir of a relative path" "$before"
expect_fail 2 "no PATH given" pond mkdir
expect_fail 2 "unknown option '-x'" pond mkdir -x /y

expect_ok pond mkdir -p /a/b/c
expect_ok pond list '/a/**'
check_contains "-p made the parents" "$(cat "$OUT")" "/a/b"
check_contains "-p made the leaf" "$(cat "$OUT")" "/a/b/c"
expect_ok pond mkdir -p /a/b/c
expect_ok pond mkdir --parents /a/b/c/d
expect_ok pond list /a/b/c
check_eq "--parents below an existing path" "/a/b/c/d" "$(cat "$OUT")"

# Awkward names.
weird="/we ird/it's=1.d/ünï \"q\""
expect_ok pond mkdir -p "$weird"
expect_ok pond list '/we ird/*/*'
check_eq "a name with spaces, quotes, '=', dots and UTF-8" "$weird" "$(cat "$OUT")"
expect_ok pond show
check_contains "the log records the command shell-quoted" "$(cat "$OUT")" \
    "pond mkdir -p '/we ird/it'\\''s=1.d/ünï \"q\"'"

# A file is not a directory.
printf 'hello\n' >"$TMP/hello.txt"
expect_ok pond copy "$TMP/hello.txt" /hello.txt
before=$(pond_state)
expect_fail 1 "/hello.txt" pond mkdir /hello.txt/sub
expect_unchanged "mkdir below a file" "$before"

done_testing
