#!/bin/sh
# Load test of `newsprint serve` on loopback (issue 10): serves a temporary
# copy of the sample site on a free port and runs
#   wrk -t2 -c16 -d10s http://127.0.0.1:PORT/<an article page>
# then stops the server with SIGINT.  Run by hand; not part of the suite.
#   bench/serve_wrk.sh [path/to/newsprint] [duration]
# Needs wrk (apt-get install wrk).  Prints wrk's report; a clean run has no
# "Socket errors" or "Non-2xx" line.
set -eu
NEWSPRINT=${1:-build/newsprint}
DURATION=${2:-10s}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'kill -INT $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
mkdir "$TMP/site"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/themes" "$ROOT/templates" "$TMP/site/"
"$NEWSPRINT" serve --site "$TMP/site" --port 0 --quiet >"$TMP/out" 2>"$TMP/err" &
PID=$!
for _ in $(seq 1 300); do
	grep -q 'serving' "$TMP/out" 2>/dev/null && break
	sleep 0.1
done
PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/out")
[ -n "$PORT" ] || { cat "$TMP/out" "$TMP/err"; exit 1; }
PAGE=$(cd "$TMP/site/public" && find articles -name index.html | sort | head -1)
URL="http://127.0.0.1:$PORT/${PAGE%index.html}"
echo "wrk -t2 -c16 -d$DURATION $URL"
curl -s -o /dev/null -w 'page: HTTP %{http_code}, %{size_download} bytes\n' "$URL"
wrk -t2 -c16 -d"$DURATION" "$URL"
