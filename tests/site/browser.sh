#!/usr/bin/env bash
# Headless Chromium renders the home, an issue, an article, a region and an
# event page of the built sample site, served on 127.0.0.1, with no console
# errors and no request leaving 127.0.0.1; screenshots (desktop and phone
# width) are kept in $NP_SCREENSHOTS (default: the build's
# Testing/screenshots) for a person to look at.
. "$(dirname "$0")/lib.bash"
[ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ] || CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || { echo "chromium not installed: skipped"; exit 77; }
S=$TMP/site
built_site "$S"
P=$S/public
SHOTS=${NP_SCREENSHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
art=$(cd "$P" && ls -d articles/*/*/ | head -1)
region=$(cd "$P" && grep -l 'role-reported' regions/*/index.html | head -1)
event=$(cd "$P" && ls -d events/*/ | head -1)
issue=$(cd "$P" && ls -d issues/*/ | head -1)
"$PYTHON" "$TOOLS/serve.py" "$P" "$TMP/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
port=$(cat "$TMP/port")
bad=0
shot() { # shot NAME PATH WIDTHxHEIGHT
	local log=$TMP/$1.log
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions --no-default-browser-check \
		--user-data-dir="$(mktemp -d -p "$TMP")" --enable-logging=stderr --v=0 \
		--hide-scrollbars --window-size="$3" --screenshot="$SHOTS/$1.png" \
		"http://127.0.0.1:$port/$2" >"$log" 2>&1 || { echo "chromium failed on $2"; cat "$log"; bad=1; }
	if grep -E 'CONSOLE|Uncaught|ERR_|Failed to load' "$log"; then
		echo "console errors on $2"
		bad=1
	fi
	[ -s "$SHOTS/$1.png" ] || { echo "no screenshot of $2"; bad=1; }
}
shot home "" 1280,1400
shot issue "$issue" 1280,1400
shot article "$art" 1280,1800
shot region "$region" 1280,1400
shot event "$event" 1280,1400
shot article-phone "$art" 390,1600
shot home-phone "" 390,1400
# every request the pages made went to this server (serve.py logs them),
# and none failed
if grep -v '" 200 ' "$TMP/port.log" | grep -v '" 304 '; then
	echo "requests above did not succeed"
	bad=1
fi
[ "$bad" -eq 0 ] || fail "browser"
echo "browser: 7 renders without console errors; screenshots in $SHOTS"
