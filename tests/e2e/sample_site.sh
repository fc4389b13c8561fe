#!/usr/bin/env bash
# The sample site builds end to end: exit 0, every article of the five pages has a page
# reachable from the home page, no broken links, and ingest meets the gold floor.
. "$(dirname "$0")/lib.sh"
S=$TMP/site
sample_site "$S"
"$NEWSPRINT" build --site "$S" --quiet || fail "build exited $?"
[ -f "$S/public/index.html" ] || fail "no public/index.html"
n=$(find "$S/content/articles" -name '*.md' | wc -l)
[ "$n" -ge 14 ] || fail "only $n records from five pages"
"$PYTHON" "$NP_SOURCE_DIR/tests/tools/linkcheck.py" "$S/public" --max-depth 3 --expect-articles "$n" ||
	fail "link check"
"$PYTHON" "$NP_SOURCE_DIR/tests/tools/check_gold.py" "$S" --floor "$NP_SOURCE_DIR/tests/gold/floor.yaml" ||
	fail "ingest fell below the gold floor (tests/gold/floor.yaml)"
echo "sample site: $n records, links and gold floor ok"
