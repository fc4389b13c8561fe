#!/usr/bin/env bash
# A build killed with SIGKILL at any moment leaves no truncated file in the output, and the next
# build repairs everything: its output equals a clean build's.  A deleted output file comes back.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
# Enough pages that the kill lands mid-build: the five pages repeated over 120 weekly issues.
"$PYTHON" - "$S" <<'PY'
import datetime, os, shutil, sys
site = sys.argv[1]
src = sorted(os.path.join(site, "content/issues", d, "07.txt") for d in os.listdir(os.path.join(site, "content/issues")))
day = datetime.date(2015, 1, 6)
for i in range(120):
    d = os.path.join(site, "content/issues", (day + datetime.timedelta(weeks=i)).isoformat())
    os.makedirs(d, exist_ok=True)
    shutil.copy(src[i % len(src)], os.path.join(d, "07.txt"))
PY
cp -r "$S" "$TMP/clean"
"$NEWSPRINT" build --site "$TMP/clean" --quiet || fail "clean build exited $?"
for delay in 0.05 0.2 0.4 0.8; do
	"$NEWSPRINT" build --site "$S" --quiet --threads 2 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	# Whatever is in place is whole: every HTML file that exists ends with its closing tag.
	if [ -d "$S/public" ]; then
		find "$S/public" -name '*.html' ! -name '*.tmp.*' -print0 | while IFS= read -r -d '' f; do
			tail -c 200 "$f" | grep -q '</html>' || fail "truncated output after kill -9: $f"
		done
	fi
done
"$NEWSPRINT" build --site "$S" --quiet || fail "repair build exited $?"
[ -z "$(find "$S/public" -name '*.tmp.*')" ] || fail "temporary files left after the repair build"
diff -r "$TMP/clean/public" "$S/public" >/dev/null || { diff -r "$TMP/clean/public" "$S/public" | head; fail "repaired output differs from a clean build"; }
f=$(find "$S/public/articles" -name index.html -print -quit)
rm "$f"
"$NEWSPRINT" build --site "$S" --quiet --verify || fail "build after deleting an output exited $?"
[ -f "$f" ] || fail "a deleted output was not rebuilt by --verify"
# A build killed after a complete one (which the next would trust) is not trusted: it may have
# replaced files the fingerprint store does not know of.  Shift every article page's bytes,
# kill the build mid-render, and check that a plain build makes a clean build's output again.
sed -i 's|</footer>|<!-- x --></footer>|' "$S/themes/default/templates/base.html"
grep -q -- '<!-- x -->' "$S/themes/default/templates/base.html" || fail "base.html has no footer to edit"
cp "$S/themes/default/templates/base.html" "$TMP/clean/themes/default/templates/base.html"
"$NEWSPRINT" build --site "$TMP/clean" --quiet || fail "clean build 2 exited $?"
"$NEWSPRINT" build --site "$S" --quiet --threads 2 2>/dev/null &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$NEWSPRINT" build --site "$S" --quiet || fail "repair build 2 exited $?"
diff -r "$TMP/clean/public" "$S/public" >/dev/null || { diff -r "$TMP/clean/public" "$S/public" | head; fail "output after a killed trusted build differs from a clean build"; }
echo "kill -9 and repair ok"
