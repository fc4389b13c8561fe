#!/usr/bin/env bash
# A new issue changes only what it must (issue 8).  On two records sites whose lists
# paginate — the sample site with per_page: 1, and 600 generated articles
# (bench/gen_archive.py) with per_page: 3, 40 events — adding the newest issue
#  - leaves every archived list page untouched (same inode, size, mtime) except the last
#    three of each list, whose pager window reaches the newest end;
#  - leaves every older issue's pages untouched except the previous newest issue's (its
#    "newer issue" link changes);
#  - changes an old article's page only when it now links to an article of the new issue
#    (a new neighbour or related article);
#  - leaves every sitemap part before the new issue's first URL untouched;
# and the output is byte for byte that of a clean build.
. "$(dirname "$0")/lib.bash"
# Sitemap parts of 3 URLs, so that both sites have many (the sample site has 15 dated URLs).
export NEWSPRINT_SITEMAP_MAX=3
# check SITE HELD NEWEST PREVIOUS: SITE built without the issue NEWEST (its records in
# HELD), then with it; PREVIOUS is the issue before it.
check() {
	local S=$1 held=$2 newest=$3 previous=$4
	"$NEWSPRINT" build --site "$S" --quiet || fail "$S: first build exited $?"
	ls -d "$S"/public/regions/*/page/1 >/dev/null 2>&1 || fail "$S: no archived region pages"
	ls -d "$S"/public/events/*/page/1 >/dev/null 2>&1 || fail "$S: no archived event pages"
	(cd "$S/public" && find . -type f -printf '%p %i %s %T@\n' | sort) >"$TMP/before"
	sleep 0.05
	cp -r "$held" "$S/content/articles/$newest"
	"$NEWSPRINT" build --site "$S" 2>"$TMP/err" || { cat "$TMP/err"; fail "$S: build after the new issue exited $?"; }
	(cd "$S/public" && find . -type f -printf '%p %i %s %T@\n' | sort) >"$TMP/after"
	"$PYTHON" - "$TMP/before" "$TMP/after" "$previous" "$newest" "$S/public" <<'EOF' || fail "$S: a new issue changed pages it should not"
import re, sys
def load(p):
    return {l.split(" ", 1)[0]: l.split(" ", 1)[1] for l in open(p).read().splitlines()}
before, after, previous, newest, public = (load(sys.argv[1]), load(sys.argv[2]), sys.argv[3],
                                           sys.argv[4], sys.argv[5])
changed = {p for p in before if p in after and before[p] != after[p]}
bad = []
# archived list pages: ./regions/<x>/page/<k>/index.html, ./events/<x>/page/<k>/index.html
last = {}
for p in before:
    m = re.match(r"\./((?:regions|events)/[^/]+)/page/(\d+)/index\.html$", p)
    if m:
        last[m.group(1)] = max(last.get(m.group(1), 0), int(m.group(2)))
n_archived = 0
for p in before:
    m = re.match(r"\./((?:regions|events)/[^/]+)/page/(\d+)/index\.html$", p)
    if m and int(m.group(2)) < last[m.group(1)] - 2:
        n_archived += 1
        if p in changed:
            bad.append(p)
old_issue_pages = [p for p in before if p.startswith("./issues/") and
                   not p.startswith("./issues/index.html") and
                   not p.startswith("./issues/" + previous + "/")]
bad += [p for p in old_issue_pages if p in changed]
articles = [p for p in before if p.startswith("./articles/")]
changed_articles = [p for p in articles if p in changed]
print("archived list pages that must stay: %d; old issue pages: %d; old article pages: %d, "
      "of which changed: %d; changed files: %d of %d"
      % (n_archived, len(old_issue_pages), len(articles), len(changed_articles),
         len(changed), len(before)))
if n_archived == 0 or not old_issue_pages:
    print("nothing to check: the sample site did not paginate"); sys.exit(1)
new_link = re.compile(r'href="[^"]*/' + re.escape(newest) + '/')
for p in changed_articles:
    if not new_link.search(open(public + p[1:], encoding="utf-8").read()):
        bad.append(p + " (links to no article of the new issue)")
# The sitemap (in parts of NEWSPRINT_SITEMAP_MAX URLs): the parts before the first URL of
# the new issue keep their bytes.
import os, xml.etree.ElementTree as ET
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
max_urls = int(os.environ["NEWSPRINT_SITEMAP_MAX"])
parts = [loc.text.rsplit("/", 1)[1] for loc in ET.parse(public + "/sitemap.xml").getroot().iter(SM + "loc")]
urls = [loc.text for part in parts for loc in ET.parse(public + "/" + part).getroot().iter(SM + "loc")]
first = min(i for i, u in enumerate(urls) if "/" + newest + "/" in u)
stay = first // max_urls
print("sitemap: %d parts, %d before the new issue's first URL" % (len(parts), stay))
if stay < 2 or len(parts) < stay + 1:
    print("nothing to check: too few sitemap parts before the new issue"); sys.exit(1)
bad += ["./" + part for part in parts[:stay] if "./" + part in changed or "./" + part not in before]
for b in bad:
    print("changed:", b)
sys.exit(1 if bad else 0)
EOF

	rm -rf "$TMP/clean" && cp -a "$S" "$TMP/clean" && rm -rf "$TMP/clean/public" "$TMP/clean/.newsprint"
	"$NEWSPRINT" build --site "$TMP/clean" --quiet || fail "$S: clean build exited $?"
	diff -r "$S/public" "$TMP/clean/public" >"$TMP/diff" || { head -20 "$TMP/diff"; fail "$S: incremental output differs from a clean build"; }
	echo "ok: $S"
}

# 1. the sample site, as records
S=$TMP/sample
sample_site "$S"
sed -i 's/^per_page:.*/per_page: 1/' "$S/site.yaml"
grep -q '^per_page: 1' "$S/site.yaml" || fail "site.yaml has no per_page line to change"
"$NEWSPRINT" ingest --site "$S" --quiet || fail "ingest exited $?"
rm -rf "$S/content/issues" "$S/.newsprint/ingest.tsv" && mkdir -p "$S/content/issues"
cp -r "$S/content/articles" "$TMP/sample-records"
newest=$(cd "$S/content/articles" && ls | sort | tail -1)
previous=$(cd "$S/content/articles" && ls | sort | tail -2 | head -1)
mv "$S/content/articles/$newest" "$TMP/held"
check "$S" "$TMP/held" "$newest" "$previous"

# 2. a generated archive (its extra issue is the week after its last)
"$PYTHON" "$NP_SOURCE_DIR/bench/gen_archive.py" --n 600 --events 40 --out "$TMP/gen" \
	--sample-records "$TMP/sample-records" --site-src "$NP_SOURCE_DIR" >/dev/null || fail "generator failed"
G=$TMP/gen/records
sed -i 's/^per_page:.*/per_page: 3/' "$G/site.yaml"
grep -q '^per_page: 3' "$G/site.yaml" || fail "generated site.yaml has no per_page line"
mkdir -p "$G/content/issues"
extra=$(ls "$TMP/gen/extra/articles")
last=$(cd "$G/content/articles" && ls | sort | tail -1)
check "$G" "$TMP/gen/extra/articles/$extra" "$extra" "$last"
echo "ok: a new issue changed only what it must"
