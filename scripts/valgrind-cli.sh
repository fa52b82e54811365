#!/usr/bin/env bash
# Run CLI test scripts with every pond invocation under valgrind (memcheck): any invalid access
# or definite leak in pond's own code makes that pond command exit 99, which fails its test.
# Slow (DuckDB under valgrind), so it is a developer's check after ownership changes, not CI.
#   scripts/valgrind-cli.sh [tests/cli/tNNNN-name.sh …]     (default: all CLI tests)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" build >/dev/null
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null

wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
cat >"$wrap/pond" <<WRAP
#!/usr/bin/env bash
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
     --suppressions="$root/tests/valgrind.supp" "$root/build/pond" "\$@"
WRAP
chmod +x "$wrap/pond"

[ $# -gt 0 ] || set -- "$root"/tests/cli/t[0-9]*.sh
status=0
for t in "$@"; do
    echo "== $t (valgrind)"
    POND_BIN="$wrap/pond" POND_SOURCE_DIR="$root" POND_BUILD_DIR="$root/build" CMD_TIMEOUT=600 \
        bash "$t" | tail -1 || status=1
done
exit $status
