#!/usr/bin/env bash
# t4200-help-exit-codes: --help on every command (exit 0, usage, options, an example), pond
# help, and the exit codes: 0 ok, 1 user error, 2 usage error (unknown option or command,
# missing value), each with a hint to run --help.
. "$(dirname "$0")/lib.sh"

commands="init mkdir mknod copy list describe cat show check export"
unset POND # --help needs no pond

for c in $commands; do
    expect_ok pond "$c" --help
    check_contains "$c --help prints its usage" "$(head -n 1 "$OUT")" "Usage: pond"
    check_contains "$c --help names the command" "$(head -n 3 "$OUT")" "$c"
    check_contains "$c --help lists --help" "$(cat "$OUT")" "--help"
    grep -q '^Example' "$OUT" && pass "$c --help has an example" || fail "$c --help has an example"
    check_eq "$c --help writes nothing to stderr" "" "$(cat "$ERR")"
    expect_ok pond "$c" -h
    expect_ok pond help "$c"
    check_contains "pond help $c is $c --help" "$(head -n 1 "$OUT")" "Usage: pond"
    expect_fail 2 "unknown option '--no-such-option'" pond "$c" --no-such-option
    check_contains "$c: the usage error suggests --help" "$(cat "$ERR")" "pond $c --help"
done

# A missing option value is a usage error.
export POND=$TMP/pond
pond init >/dev/null
expect_fail 2 "'--format' needs a value" pond cat /x --format
expect_fail 2 "'--timestamp-column' needs a value" pond copy a b --timestamp-column
expect_fail 2 "'-f' needs a value" pond list -f
expect_fail 2 "unknown option '-z'" pond list -z
expect_fail 2 "unknown option '-z'" pond list -lz
expect_fail 2 "unknown format 'csv'" pond copy --format csv a /b
expect_fail 2 "need at least one SRC and a DEST" pond copy onlyone
expect_fail 2 "option '--pond' needs a value" pond list --pond

# What the option tables (src/cli/cli_options.h) check and store, with each kind's message.
expect_fail 2 "pond copy: --skip is a number of lines, not '-1'" pond copy --skip -1 a /b
expect_fail 2 "--skip is a number of lines, not '12x'" pond copy --skip 12x a /b
expect_fail 2 "pond list: unknown format 'xml' (table, csv or json)" pond list --format xml
expect_fail 2 "unknown format 'csv' (data, table or series)" pond copy --format csv a /b
expect_fail 2 "unknown file system 'x' (expected data or control)" pond describe -f x /a
expect_fail 2 "bad variable 'title': expected KEY=VALUE" pond export -p /a -d "$TMP/o" -v title
expect_fail 2 "unknown option '--long=yes'" pond list --long=yes
expect_ok pond list --format=json
check_eq "--name=value" "[]" "$(cat "$OUT")"
expect_ok pond list --format csv --format json
check_eq "the last value counts" "[]" "$(cat "$OUT")"
expect_ok pond list -lf control
check_contains "short options together, the last with its value" "$(cat "$OUT")" "/txn"
expect_ok pond list --format json --help
check_contains "--help after an option" "$(head -n 1 "$OUT")" "Usage: pond list"
sensor_csv "$TMP/s.csv" 1721433600 3
expect_ok pond copy "$TMP/s.csv" /a.series
expect_ok pond copy "$TMP/s.csv" /b.series
expect_ok pond export -q -p /a.series -d "$TMP/two" --pattern /b.series
check_eq "a repeated option keeps every value" "a
b" "$(ls "$TMP/two")"

# The global options.
expect_ok pond --help
for c in $commands help; do
    check_contains "pond --help lists $c" "$(cat "$OUT")" "  $c "
done
expect_ok pond help
check_contains "pond help is pond --help" "$(head -n 1 "$OUT")" "Usage: pond"
expect_ok pond -h
expect_ok pond --version
expect_fail 2 "unknown command 'frobnicate'" pond frobnicate
expect_fail 2 "unknown option '--bogus'" pond --bogus list
expect_fail 2 "unknown command 'nope'" pond help nope
run pond
check_eq "no command is a usage error" 2 "$RC"
check_contains "no command prints the usage" "$(cat "$ERR")" "Usage: pond"

# 0 / 1 for the same command.
expect_ok pond list
expect_fail 1 "pond: " pond list /nothing-here
# Options may follow operands; "--" ends them.
expect_ok pond mkdir /a -p
expect_ok pond mkdir -p -- /b
expect_ok pond list -- /b
check_eq "an operand after --" "" "$(cat "$OUT")"

done_testing
