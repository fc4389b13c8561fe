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
# Pagination: two per page, into a second output folder.  Older pages exist
# and link up; building there leaves the first folder alone (each output
# folder has its own list of outputs).
before=$(find "$P" -type f | wc -l)
sed -i 's/^per_page:.*/per_page: 2/' "$S/site.yaml"
"$NEWSPRINT" build --site "$S" --out "$S/small" --quiet || fail "paginated build exited $?"
ls "$S"/small/regions/*/page/1/index.html >/dev/null 2>&1 || fail "no older region pages at per_page 2"
ls "$S"/small/events/*/page/1/index.html >/dev/null 2>&1 || fail "no older event pages at per_page 2"
"$PYTHON" "$NP_SOURCE_DIR/tests/tools/linkcheck.py" "$S/small" --max-depth 3 --expect-articles "$n" ||
	fail "link check (paginated)"
[ "$(find "$P" -type f | wc -l)" = "$before" ] || fail "building into another folder changed $P"
echo "sample site: $n articles, links ok, every region and event has a page, pagination ok"
