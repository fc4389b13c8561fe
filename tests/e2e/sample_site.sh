#!/usr/bin/env bash
# The sample site builds end to end: exit 0, every article of the five pages has a page
# reachable from the home page, no broken links, and ingest meets the gold floor.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
"$NEWSPRINT" build --site "$S" --quiet || fail "build exited $?"
[ -f "$S/public/index.html" ] || fail "no public/index.html"
n=$(find "$S/content/articles" -name '*.md' | wc -l)
gold=$("$PYTHON" -c 'import sys, yaml; print(sum(len(yaml.safe_load(open(f))["articles"]) for f in sys.argv[1:]))' "$NP_SOURCE_DIR"/tests/gold/*.yaml)
[ "$n" -ge "$gold" ] || fail "only $n records from five pages; the gold has $gold articles"
"$PYTHON" "$NP_SOURCE_DIR/tests/tools/linkcheck.py" "$S/public" --max-depth 3 --expect-articles "$n" ||
	fail "link check"
"$PYTHON" "$NP_SOURCE_DIR/tests/tools/check_gold.py" "$S" --floor "$NP_SOURCE_DIR/tests/ingest_floor.yaml" ||
	fail "ingest fell below the gold floor (tests/ingest_floor.yaml)"
echo "sample site: $n records, links and gold floor ok"
