#!/usr/bin/env bash
# Installs what pond builds with, and nothing the machine already has:
#   - Debian packages (compiler, cmake, libyaml, jansson, SQLite for the catalog, OpenSSL's
#     libcrypto for sha256, npm; for the tests: the sqlite3 shell, which edits and damages
#     catalogs on purpose, strace, which kills a process at a chosen system call, and groff
#     and man-db, which render the generated man page; clang with its compiler runtime, whose
#     libFuzzer and sanitizers build the fuzz targets, tests/fuzz/run.sh);
#   - DuckDB's C header and libduckdb.so, fetched with `npm pack` into the git-ignored .deps/,
#     each tarball checked against the sha256 recorded in deps/duckdb.lock.
# Safe to run again: a finished download is kept (stamped by its sha256).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.deps/duckdb"

missing=()
for pkg in gcc make cmake pkg-config libyaml-dev libjansson-dev libsqlite3-dev libssl-dev sqlite3 strace groff-base man-db \
           clang libclang-rt-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "deps: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp="$dest/.stamp"
want=$(grep -v '^#' "$root/deps/duckdb.lock" | awk '{print $3}' | tr '\n' ' ')
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$dest/include/duckdb.h" ] && [ -f "$dest/lib/libduckdb.so" ]; then
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
while read -r spec file sha; do
    case "$spec" in ''|'#'*) continue ;; esac
    echo "deps: npm pack $spec" >&2
    (cd "$work" && npm pack --silent "$spec" >/dev/null)
    got=$(sha256sum "$work/$file" | awk '{print $1}')
    if [ "$got" != "$sha" ]; then
        echo "deps: sha256 mismatch for $file: expected $sha, got $got" >&2
        exit 1
    fi
done < "$root/deps/duckdb.lock"

mkdir -p "$dest/include" "$dest/lib"
tar -xzf "$work/duckdb-1.4.4.tgz" -C "$work" package/src/duckdb/src/include/duckdb.h
mv "$work/package/src/duckdb/src/include/duckdb.h" "$dest/include/duckdb.h"
rm -rf "$work/package"
tar -xzf "$work/duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz" -C "$work" package/libduckdb.so
mv "$work/package/libduckdb.so" "$dest/lib/libduckdb.so"
echo "$want" > "$stamp"
echo "deps: DuckDB ready in $dest" >&2
