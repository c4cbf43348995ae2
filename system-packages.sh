#!/usr/bin/env bash
# The Debian packages the project's checks drive, installed when missing:
# Chromium for the browser tests, wrk for `make bench` and its smoke test, the Noto
# fonts and the Pango WeasyPrint draws delivery packs with (Arabic, Persian, Cyrillic...) and
# poppler's pdftotext, with which the tests read those packs back.
# Usage: ./system-packages.sh [package ...] (all of them by default).
set -euo pipefail

# Each package, known by a file it installs.
declare -A binary=(
    [chromium]=/usr/bin/chromium
    [wrk]=/usr/bin/wrk
    [fonts-noto-core]=/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf
    [libpangoft2-1.0-0]=/usr/lib/$(uname -m)-linux-gnu/libpangoft2-1.0.so.0
    [poppler-utils]=/usr/bin/pdftotext
)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium wrk libpangoft2-1.0-0 fonts-noto-core poppler-utils)

missing=()
for package in "${wanted[@]}"; do
    [ -e "${binary[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing: ${missing[*]}. Install with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]} from Debian"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
