#!/usr/bin/env bash
# Renders a report.html in headless Chromium and saves a full-page PNG screenshot next to it,
# so a person (or a test) can look at what the report shows.
# Usage: tools/screenshot-report.sh DIR/report.html [OUT.png] [HEIGHT]
# Needs Debian's chromium (apt-get install -y chromium); exits 3 when it is absent.
set -euo pipefail
html="${1:?usage: screenshot-report.sh DIR/report.html [OUT.png] [HEIGHT]}"
out="${2:-$(dirname "$html")/report-screenshot.png}"
height="${3:-4000}"
[ -f "$html" ] || { echo "error: no such file $html" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "error: chromium not installed (apt-get install -y chromium)" >&2; exit 3; }
abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,"$height" --screenshot="$out" "file://$abs" >/dev/null 2>&1
[ -s "$out" ] || { echo "error: chromium wrote no screenshot" >&2; exit 4; }
echo "$out"
