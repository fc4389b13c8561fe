#!/usr/bin/env bash
# newsprint build of the sample site exits 0 and makes every page kind; the
# link checker finds zero broken internal links, anchors or assets, and every
# article page is at most three clicks from the home page; every region and
# event any record names has its page.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
built_site "$S"
P=$S/public
for f in index.html issues/index.html regions/index.html events/index.html calendar/index.html \
	404.html feed.xml sitemap.xml robots.txt static/style.css; do
	[ -f "$P/$f" ] || fail "missing $f"
done
n=$(find "$S/content/articles" -name '*.md' | wc -l)
"$PYTHON" "$NP_SOURCE_DIR/tests/tools/linkcheck.py" "$P" --max-depth 3 --expect-articles "$n" ||
	fail "link check"
"$PYTHON" "$TOOLS/check_pages.py" "$S" || fail "page kinds"
echo "sample site: $n articles, links ok, every region and event has a page"
