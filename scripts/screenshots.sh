#!/usr/bin/env bash
# Screenshots of the demo site in headless Chromium, to look at how it renders: the index and
# one site page, each at desktop width (1280 px) and at a phone's (390 px).
#   scripts/screenshots.sh [OUT_DIR] [SITE_DIR]
# OUT_DIR defaults to out/screens.  Without SITE_DIR the demo is run first (scripts/demo.sh
# into out/demo) and its site is used.  Installs Debian's chromium when it is missing (this
# script only: the build, the tests and the demo never need it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/out/screens}")
site=${2:-}

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "screenshots: chromium is missing; install it as root (apt-get install chromium)" >&2
        exit 1
    fi
    echo "screenshots: installing chromium" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ -z "$site" ]; then
    "$root/scripts/demo.sh" "$root/out/demo" >/dev/null
    site=$root/out/demo/site
fi
site=$(realpath "$site")
mkdir -p "$out"

# shot NAME PAGE WIDTH HEIGHT: PAGE (relative to the site) rendered WIDTH css px wide.
shot() {
    local profile
    profile=$(mktemp -d)
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$profile" --no-first-run --window-size="$3,$4" \
        --screenshot="$out/$1.png" "file://$site/$2" >/dev/null 2>&1
    rm -rf "$profile"
    echo "$out/$1.png ($2, $3x$4)"
}
page=$(cd "$site" && find sites -name '1h.html' | sort | tail -1)
shot index-desktop index.html 1280 900
shot index-phone index.html 390 844
shot site-desktop "$page" 1280 2200
shot site-phone "$page" 390 2200
