#!/usr/bin/env bash
# tests/install/install.sh: `cmake --install` into a temporary prefix, then, from the installed
# files only: the layout; RUNPATHs of $ORIGIN; a libpond.so that exports exactly the POND_API
# functions of the public headers; examples/embed built with pkg-config (shared and static)
# and with find_package(pond); the prefix moved elsewhere; and `pond --version` and embed run
# with the source tree, the build tree and .deps hidden (a tmpfs mounted over each, in a
# private mount namespace), so a library found through the source tree would fail the test.
# The embed output is read back with duckq.
. "$(dirname "$0")/../cli/lib.sh"

SRC=$POND_SOURCE_DIR
BUILD=$POND_BUILD_DIR
P=$TMP/prefix
version=$(sed -n 's/^project(pond VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")

expect_ok cmake --install "$BUILD" --prefix "$P"
for f in bin/pond lib/libpond.so lib/libpond.so.0 "lib/libpond.so.$version" lib/libpond.a \
    lib/libduckdb.so include/pond.h include/pond/common.h include/pond/error.h \
    include/pond/store.h include/pond/export.h include/pond/version.h \
    lib/pkgconfig/pond.pc lib/cmake/pond/pondConfig.cmake lib/cmake/pond/pondConfigVersion.cmake; do
    [ -e "$P/$f" ] && pass "installed $f" || fail "installed $f"
done
check_eq "SONAME" "libpond.so.0" \
    "$(readelf -d "$P/lib/libpond.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
check_eq "pond's RUNPATH" '$ORIGIN/../lib' \
    "$(readelf -d "$P/bin/pond" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
check_eq "libpond's RUNPATH" '$ORIGIN' \
    "$(readelf -d "$P/lib/libpond.so" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
check_eq "no RPATH" "" "$(readelf -d "$P/bin/pond" "$P/lib/libpond.so" | grep '(RPATH)' || true)"
check_eq "the installed version.h is project(VERSION)" "$version" \
    "$(sed -n 's/^#define POND_VERSION "\(.*\)"/\1/p' "$P/include/pond/version.h")"

# Exactly the public functions are exported: every POND_API declaration, nothing else.
declared=$(cat "$P/include/pond.h" "$P"/include/pond/*.h | grep -v '^#' | tr '\n' ' ' |
    grep -o 'POND_API [^;{]*(' | sed -E 's/.*[ *](pond_[a-z0-9_]+) *\($/\1/' | sort -u)
exported=$(nm -D --defined-only "$P/lib/libpond.so" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort -u)
check_eq "libpond.so exports the POND_API functions and nothing else" "$declared" "$exported"
check_eq "more than a handful are public" "1" "$([ "$(wc -l <<<"$declared")" -gt 20 ] && echo 1)"

# Moved as a whole, the prefix still works: pond.pc and pondConfig.cmake are relative.
Q=$TMP/moved/elsewhere
mkdir -p "$(dirname "$Q")" && mv "$P" "$Q"
export PKG_CONFIG_PATH=$Q/lib/pkgconfig
check_eq "pkg-config --modversion" "$version" "$(pkg-config --modversion pond)"
cflags=$(pkg-config --cflags pond)
expect_ok cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$TMP/embed" "$SRC/examples/embed/embed.c" \
    $cflags $(pkg-config --libs pond) -Wl,-rpath,"$Q/lib"
# Static: libpond.a with what Libs.private names.
static_libs=$(pkg-config --static --libs pond | sed 's/ -lpond / /; s/^-lpond //')
expect_ok cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$TMP/embed-static" \
    "$SRC/examples/embed/embed.c" $cflags "$Q/lib/libpond.a" $static_libs -Wl,-rpath,"$Q/lib"
check_eq "the static embed does not need libpond.so" "" \
    "$(readelf -d "$TMP/embed-static" | grep 'libpond' || true)"
expect_ok cmake -S "$SRC/examples/embed" -B "$TMP/embed-cmake" -DCMAKE_PREFIX_PATH="$Q" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_BUILD_RPATH="$Q/lib"
expect_ok cmake --build "$TMP/embed-cmake"

# The data: two days and a bit of readings.
sensor_csv "$TMP/readings.csv" 1721433600 3000 60 # 2024-07-20 00:00 UTC, every minute

# Run the installed files with the trees they came from out of sight.  The check inside makes
# sure they are: a RUNPATH into the source tree, the build tree or .deps cannot resolve.
deps=$(readlink -f "$SRC/.deps")
cat >"$TMP/run.sh" <<SCRIPT
set -e
if [ "\$1" = hide ]; then
    # Deepest first: the build tree and .deps may lie inside the source tree.
    for d in "$BUILD" "$deps" "$SRC"; do mount -t tmpfs none "\$d"; done
    for f in "$SRC/CMakeLists.txt" "$BUILD/libpond.so" "$deps/duckdb/lib/libduckdb.so"; do
        if [ -e "\$f" ]; then echo "still visible: \$f" >&2; exit 1; fi
    done
fi
"$Q/bin/pond" --version >"$TMP/version.out"
"$TMP/embed" "$TMP/p1" "$TMP/readings.csv" "$TMP/out1" >"$TMP/embed1.out" 2>"$TMP/embed1.err"
"$TMP/embed-static" "$TMP/p2" "$TMP/readings.csv" "$TMP/out2" >"$TMP/embed2.out" 2>&1
"$TMP/embed-cmake/embed" "$TMP/p3" "$TMP/readings.csv" "$TMP/out3" >"$TMP/embed3.out" 2>&1
SCRIPT
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    expect_ok unshare -m bash "$TMP/run.sh" hide
    check_eq "the source tree is back after the namespace" "1" \
        "$([ -e "$SRC/CMakeLists.txt" ] && echo 1)"
else
    # No mount namespace here: run in place, and check where each library was loaded from.
    expect_ok env LD_DEBUG=libs LD_DEBUG_OUTPUT="$TMP/ld" bash "$TMP/run.sh"
    check_eq "libpond and libduckdb loaded from the moved prefix only" "" \
        "$(cat "$TMP"/ld.* | grep -E 'calling init: .*lib(pond|duckdb)' | grep -v "$Q/lib/" || true)"
fi
check_eq "installed pond --version" "pond $version" "$(cat "$TMP/version.out")"
check_contains "embed: stage report" "$(cat "$TMP/embed1.err")" "stage 1/1: data export (data_export)"
tab=$'\t'
check_eq "embed: one file per day, with its rows" \
    "sensor/year=2024/month=7/day=20/data.parquet	1440 rows
sensor/year=2024/month=7/day=21/data.parquet	1440 rows
sensor/year=2024/month=7/day=22/data.parquet	120 rows" "$(grep "$tab" "$TMP/embed1.out")"
check_contains "embed: the library version and the directory" "$(cat "$TMP/embed1.out")" \
    "pond $version: exported to $TMP/out1"
check_eq "embed: the Parquet read back" "3000|2024-07-20 00:00:00|2024-07-22 01:59:00|3" \
    "$(duckq "SELECT count(*) || '|' || min(timestamp) || '|' || max(timestamp) || '|' || count(DISTINCT day)
              FROM read_parquet('$TMP/out1/sensor/**/*.parquet', hive_partitioning = true)" | tail -n 1)"
check_eq "static embed: the same files" "$(grep "$tab" "$TMP/embed1.out")" "$(grep "$tab" "$TMP/embed2.out")"
check_eq "find_package embed: the same files" "$(grep "$tab" "$TMP/embed1.out")" "$(grep "$tab" "$TMP/embed3.out")"

done_testing
