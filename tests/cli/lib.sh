# tests/cli/lib.sh: shared helpers for the pond CLI tests (sourced by tests/cli/t*.sh).
#
# Each test script gets a fresh temporary directory $TMP (removed on exit) and POND=$TMP/pond.
# Assertions count passes and failures; finish with `done_testing`, which prints
# "N passed, N failed" and exits non-zero on any failure.
#
#   expect_ok CMD…                 CMD exits 0
#   expect_fail CODE SUBSTR CMD…   CMD exits CODE and its stderr contains SUBSTR
#   check_eq NAME EXPECTED ACTUAL  two strings are equal
#   check_contains NAME HAYSTACK NEEDLE
#   check_files_eq NAME FILE1 FILE2
# After expect_ok / expect_fail, the command's output is in the files $OUT and $ERR.
# Commands run under `timeout` so a hang fails the test instead of stalling the suite.
set -u

TEST_NAME=$(basename "$0" .sh)
: "${POND_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${POND_BUILD_DIR:=$POND_SOURCE_DIR/build}"
: "${POND_BIN:=$POND_BUILD_DIR/pond}"
DUCKQ=${DUCKQ:-$POND_BUILD_DIR/duckq}
CMD_TIMEOUT=${CMD_TIMEOUT:-120}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pond-$TEST_NAME.XXXXXX")
OUT=$TMP/.out
ERR=$TMP/.err
export POND=$TMP/pond
unset POND_DEBUG 2>/dev/null || true

_passed=0
_failed=0
_cleanup_hooks=()

_lib_cleanup() {
    local h
    for h in "${_cleanup_hooks[@]+"${_cleanup_hooks[@]}"}"; do
        eval "$h" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap _lib_cleanup EXIT

# on_cleanup "shell code": run at exit (before $TMP is removed), e.g. to kill a background job.
on_cleanup() { _cleanup_hooks+=("$1"); }

pond() { "$POND_BIN" "$@"; }
duckq() { "$DUCKQ" "$@"; }

# The command as one line, for test names.
_cmdline() {
    local out="" a
    for a in "$@"; do
        [ "$a" = "$POND_BIN" ] && a=pond
        if [[ "$a" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then out+="$a "; else out+="'$a' "; fi
    done
    printf '%s' "${out% }"
}

pass() { _passed=$((_passed + 1)); printf 'ok %d - %s\n' $((_passed + _failed)) "$1"; }
fail() {
    _failed=$((_failed + 1))
    printf 'not ok %d - %s\n' $((_passed + _failed)) "$1"
    shift
    local line
    for line in "$@"; do printf '#   %s\n' "$line"; done
}

# Print the captured output of the last command, indented, for a failure report.
_show_output() {
    sed -n '1,15s/^/#   stdout: /p' "$OUT"
    sed -n '1,15s/^/#   stderr: /p' "$ERR"
}

# run CMD…: run it (with the pond binary for a leading "pond"), output to $OUT/$ERR; sets $RC.
run() {
    if [ "$1" = pond ]; then shift; set -- "$POND_BIN" "$@"; fi
    timeout -k 5 "$CMD_TIMEOUT" "$@" >"$OUT" 2>"$ERR"
    RC=$?
}

expect_ok() {
    local name
    name=$(_cmdline "$@")
    run "$@"
    if [ "$RC" -eq 0 ]; then
        pass "$name"
    else
        fail "$name" "exit $RC, expected 0"
        _show_output
    fi
}

expect_fail() {
    local code=$1 substr=$2 name
    shift 2
    name="$(_cmdline "$@") fails ($code, '$substr')"
    run "$@"
    if [ "$RC" -ne "$code" ]; then
        fail "$name" "exit $RC, expected $code"
        _show_output
    elif ! grep -qF -- "$substr" "$ERR"; then
        fail "$name" "stderr lacks '$substr'"
        _show_output
    else
        pass "$name"
    fi
}

check_eq() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "expected: $(printf '%s' "$2" | head -c 600)" "actual:   $(printf '%s' "$3" | head -c 600)"
    fi
}

check_contains() {
    case "$2" in
    *"$3"*) pass "$1" ;;
    *) fail "$1" "'$(printf '%s' "$2" | head -c 600)' lacks '$3'" ;;
    esac
}

check_files_eq() {
    if cmp -s "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "files differ: $2 $3"
        diff "$2" "$3" 2>&1 | head -10 | sed 's/^/#   /'
    fi
}

# A fingerprint of the whole pond: the transaction log (less the aborted attempts and the
# exports, which read the pond and are logged by design), every entry with its versions, and
# the content files.  Compare two to show that a failed command (or an export) changed
# nothing.
pond_state() {
    local p=${1:-$POND}
    echo "== show"
    "$POND_BIN" --pond "$p" show 2>&1 | awk '$3 != "aborted" && !($4 == "pond" && $5 == "export")'
    echo "== list"
    "$POND_BIN" --pond "$p" list -l '/**' 2>&1
    echo "== data"
    (cd "$p" && find data -type f | sort) 2>&1
}

# expect_unchanged NAME STATE_BEFORE: the pond's state equals the one saved, and check passes.
expect_unchanged() {
    local now
    now=$(pond_state)
    check_eq "$1: pond unchanged" "$2" "$now"
    if "$POND_BIN" check >"$OUT" 2>"$ERR"; then
        pass "$1: pond check passes"
    else
        fail "$1: pond check passes"
        _show_output
    fi
}

done_testing() {
    printf '%d passed, %d failed\n' "$_passed" "$_failed"
    [ "$_failed" -eq 0 ]
    exit $?
}

# Sample data ---------------------------------------------------------------------------------

# sensor_csv FILE START_EPOCH N [STEP_SECONDS]: timestamp,temperature_c,site rows, one every
# STEP seconds (default 60) from START (Unix seconds, UTC).
sensor_csv() {
    local file=$1 start=$2 n=$3 step=${4:-60}
    awk -v s="$start" -v n="$n" -v st="$step" 'BEGIN {
        print "timestamp,temperature_c,site"
        for (i = 0; i < n; i++) {
            t = s + i * st
            printf "%s,%.2f,BDock\n", strftime("%Y-%m-%d %H:%M:%S", t, 1), 10 + (i % 100) / 10
        }
    }' >"$file"
}
