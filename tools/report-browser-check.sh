#!/usr/bin/env bash
# Opens a generated run report in headless Chromium and checks it as a reader's browser sees it:
#   1. no console errors (script errors, SVG attribute errors, blocked loads),
#   2. every <section id> and every inline <svg> of the file is in the parsed DOM,
#   3. saves a full-page screenshot to look at.
# Usage: tools/report-browser-check.sh REPORT.html [SCREENSHOT.png]
# Needs the Debian package `chromium` (apt-get install -y chromium). Exit 0 ok, 1 a check failed, 2 bad use / no browser.
set -euo pipefail

report="${1:?usage: $0 REPORT.html [SCREENSHOT.png]}"
screenshot="${2:-${report%.html}.png}"
[[ -f "$report" ]] || { echo "no such file: $report" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[[ -n "$browser" ]] || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }

url="file://$(realpath "$report")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A throw-away profile, so nothing of the user's browser (extensions, cache) takes part.
flags=(--headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$work/profile" --hide-scrollbars)

timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "$url" \
    >"$work/dom.html" 2>"$work/console.log" || { echo "chromium failed to load $report:" >&2; tail -20 "$work/console.log" >&2; exit 1; }
height="$(( $(grep -o '<section' "$report" | wc -l) * 700 + 600 ))"
timeout 120 "$browser" "${flags[@]}" --window-size=1280,"$height" --screenshot="$(realpath -m "$screenshot")" "$url" \
    >/dev/null 2>"$work/screenshot.log" || { echo "chromium could not take the screenshot:" >&2; tail -20 "$work/screenshot.log" >&2; exit 1; }

failures=0
# Console messages come as "...:INFO:CONSOLE:N] "text"" (console.* calls and uncaught errors), SVG attribute errors as
# "Error: <tag> attribute ...", failed loads as net::ERR_*.
if grep -E ':CONSOLE[:(]|Uncaught|Error: <|net::ERR' "$work/console.log" >"$work/errors.txt"; then
    echo "console errors:"; cat "$work/errors.txt"; failures=$((failures + 1))
fi

mapfile -t ids < <(grep -o '<section id="[^"]*"' "$report" | sed 's/.*id="//; s/"$//')
[[ ${#ids[@]} -gt 0 ]] || { echo "the report has no sections"; failures=$((failures + 1)); }
for id in "${ids[@]}"; do
    grep -q "<section id=\"$id\"" "$work/dom.html" || { echo "section '$id' is missing from the DOM"; failures=$((failures + 1)); }
done
svg_file="$(grep -o '<svg[ >]' "$report" | wc -l)"
svg_dom="$(grep -o '<svg[ >]' "$work/dom.html" | wc -l)"
[[ "$svg_file" == "$svg_dom" ]] || { echo "the file has $svg_file plots, the DOM $svg_dom"; failures=$((failures + 1)); }
# Self-contained: every src is a data: URI and every href an anchor in the page (file:// loads of missing
# files are not console errors, so they are found here).
if grep -oE '(src|href)="[^"]*"' "$work/dom.html" | grep -vE '^(src="data:|href="#)' >"$work/external.txt"; then
    echo "references outside the file:"; head "$work/external.txt"; failures=$((failures + 1))
fi
grep -qi '<script' "$work/dom.html" && { echo "the DOM holds a <script> element"; failures=$((failures + 1)); }
[[ -s "$screenshot" ]] || { echo "no screenshot was written"; failures=$((failures + 1)); }

if [[ $failures -gt 0 ]]; then
    echo "report browser check FAILED ($failures problem(s)): $report"; exit 1
fi
echo "report browser check ok: ${#ids[@]} sections (${ids[*]}), $svg_dom plots, no console errors; screenshot $screenshot"
