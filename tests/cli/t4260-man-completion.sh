#!/usr/bin/env bash
# t4260-man-completion: the man page (pond.1) and the bash completion that the build writes
# from the --help texts: the page renders with groff and man without a warning, every line of
# every command's --help is in it, the completion completes command names, each command's
# options (all those its --help lists) and the values its usage line names, and
# `cmake --install` puts both where man and bash-completion look.
. "$(dirname "$0")/lib.sh"

MAN=$POND_BUILD_DIR/share/man/man1/pond.1
COMP=$POND_BUILD_DIR/share/bash-completion/completions/pond
# every command of `pond --help` but help itself
commands=$("$POND_BIN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 != "help" {print $1}')

# --- the man page renders without warnings ----------------------------------------------------
[ -s "$MAN" ] && pass "the build wrote pond.1" || fail "the build wrote pond.1"
run groff -man -Tutf8 -ww -z "$MAN"
check_eq "groff -man -ww: no warnings" "0:" "$RC:$(cat "$ERR")"
MANWIDTH=100 run man --warnings -l "$MAN"
check_eq "man -l: no warnings" "0:" "$RC:$(cat "$ERR")"
check_contains "man -l: the NAME line" "$(cat "$OUT")" "pond - a local-first store for time-series data"
# what a reader sees, without spaces (lines are refilled) and with ASCII quotes and minus
flat() { tr -d ' \n\t' | sed "s/−/-/g; s/[‘’]/'/g"; }
page=$(MANWIDTH=100 man -l "$MAN" 2>/dev/null | flat)

# --- every line of every --help is in the page ------------------------------------------------
for c in $commands; do
    "$POND_BIN" "$c" --help >"$TMP/help-$c"
    missing=""
    while IFS= read -r line; do
        case $line in
        ''|Options:|Examples:|'Exit status: '*|'pond past --wait: try again).') continue ;;
        'Usage: '*) line=${line#Usage: } ;;
        esac
        want=$(printf '%s' "$line" | flat)
        case $page in *"$want"*) ;; *) missing+="[$line] " ;; esac
    done <"$TMP/help-$c"
    check_eq "man page has every line of 'pond $c --help'" "" "$missing"
    check_contains "man page: a section for $c" "$page" "pond$c$(head -1 "$TMP/help-$c" | sed 's/^Usage: pond [a-z]*//' | flat | head -c 20)"
done
# and the global options and exit status of `pond --help`
"$POND_BIN" --help >"$TMP/help-main"
missing=""
while IFS= read -r line; do
    case $line in ''|*:|'pond: '*) continue ;; 'Usage: '*) line=${line#Usage: } ;; 'Concurrency: '*) line=${line#Concurrency: } ;; esac
    want=$(printf '%s' "$line" | flat)
    case $page in *"$want"*) ;; *) missing+="[$line] " ;; esac
done < <(sed '/^Commands:/,/^$/d' "$TMP/help-main")
check_eq "man page has every line of 'pond --help' (but the command list)" "" "$missing"

# --- bash completion --------------------------------------------------------------------------
# complete WORDS…: what the completion offers for the last word, one a line, sorted
complete_words() {
    bash --norc --noprofile -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        cd "$2" 2>/dev/null || true
        _pond
        printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMP" "$@"
}
run bash --norc --noprofile -c ". '$COMP'; complete -p pond"
check_eq "complete -p pond" "complete -o filenames -F _pond pond" "$(cat "$OUT")"
check_eq "command names" "cat
check
copy" "$(complete_words pond c)"
check_eq "a unique command" "export" "$(complete_words pond exp)"
check_eq "command names after global options" "describe" "$(complete_words pond --pond /tmp/p --wait 5 des)"
check_eq "global options" "--help
--pond
--version
--wait" "$(complete_words pond --)"
check_eq "an option of export" "--capture-names" "$(complete_words pond export -d out --cap)"
check_eq "export: options starting --d" "--dir
--dry-run
--dump-tables" "$(complete_words pond export --d)"
check_eq "values the usage names: list -f" "control
data" "$(complete_words pond list -f '')"
check_eq "values the usage names: cat --format" "csv
json
parquet
table" "$(complete_words pond cat /x --format '')"
check_eq "values the usage names: copy --format" "table" "$(complete_words pond copy --format t)"
mkdir -p "$TMP/cwd/outdir" && touch "$TMP/cwd/outfile"
check_eq "a DIR value: directories only" "outdir" "$(cd "$TMP/cwd" && complete_words pond export -d out)"
check_eq "a FILE value: files" "outdir
outfile" "$(cd "$TMP/cwd" && complete_words pond export --pipeline out)"
check_eq "a value without choices: nothing" "" "$(complete_words pond export --temporal '')"
check_eq "help completes command names" "mkdir
mknod" "$(complete_words pond help mk)"
check_eq "all commands in the list" "yes" "$(grep -qx export <<<"$commands" && grep -qx init <<<"$commands" && echo yes)"
# every option of every --help completes for its command
for c in $commands; do
    want=$(sed -n '/^Options:/,/^$/p' "$TMP/help-$c" | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+|^ +-[a-zA-Z]' |
        grep -oE -- '-{1,2}[a-zA-Z-]+' | sort -u)
    got=$(complete_words pond "$c" - ; complete_words pond "$c" --)
    missing=""
    for o in $want; do grep -qxF -- "$o" <<<"$got" || missing+="$o "; done
    check_eq "completion offers every option of 'pond $c --help'" "" "$missing"
done

# --- installed where man and bash-completion look ----------------------------------------------
expect_ok cmake --install "$POND_BUILD_DIR" --prefix "$TMP/prefix"
check_files_eq "installed share/man/man1/pond.1" "$MAN" "$TMP/prefix/share/man/man1/pond.1"
check_files_eq "installed share/bash-completion/completions/pond" "$COMP" \
    "$TMP/prefix/share/bash-completion/completions/pond"
MANPATH=$TMP/prefix/share/man run man -w pond
check_eq "man finds the installed page" "$TMP/prefix/share/man/man1/pond.1" "$(cat "$OUT")"

done_testing
