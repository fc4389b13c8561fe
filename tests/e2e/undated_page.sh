#!/usr/bin/env bash
# A raw page without a date in its path is still ingested: the command warns, its records say
# date_inferred: true and carry the year the text itself establishes.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
mkdir -p "$S/content/issues/inbox"
cp "$NP_SOURCE_DIR/site.yaml" "$S/"
cp "$NP_SOURCE_DIR/content/issues/2022-08-23/07.txt" "$S/content/issues/inbox/scan.txt"
"$NEWSPRINT" ingest --site "$S" --quiet 2>"$TMP/err" || fail "ingest exited $?"
grep -q '^content/issues/inbox/scan.txt: warning: no issue date' "$TMP/err" || { cat "$TMP/err"; fail "no warning"; }
n=$(find "$S/content/articles" -name '*.md' | wc -l)
[ "$n" -ge 1 ] || fail "no records from an undated page"
grep -l '^date: 2022-' "$S"/content/articles/*/*.md >/dev/null || fail "no date inferred from the page's own year"
for f in "$S"/content/articles/*/*.md; do
	if grep -q '^date: [0-9]' "$f"; then
		grep -q '^date_inferred: true' "$f" || fail "$f has a date but not date_inferred: true"
	fi
done

# Several undated pages, even with the same file name in different folders, keep all their records.
U=$TMP/undated
mkdir -p "$U/content/issues/a" "$U/content/issues/b"
cp "$NP_SOURCE_DIR/site.yaml" "$U/"
cp "$NP_SOURCE_DIR/content/issues/2022-08-23/07.txt" "$U/content/issues/a/07.txt"
cp "$NP_SOURCE_DIR/content/issues/2023-03-21/07.txt" "$U/content/issues/b/07.txt"
cp "$NP_SOURCE_DIR/content/issues/2023-12-12/07.txt" "$U/content/issues/b/page.txt"
"$NEWSPRINT" ingest --site "$U" --quiet 2>/dev/null || fail "ingest of undated pages exited $?"
n=$(find "$U/content/articles" -name '*.md' | wc -l)
[ "$n" = 9 ] || fail "three undated pages of three articles each gave $n records"
echo "undated pages keep all their records"
np=$("$PYTHON" -c 'import sys, yaml; print(len(yaml.safe_load(open(sys.argv[1]))["pages"]))' "$U/content/articles/undated/pages.yaml")
[ "$np" = 3 ] || fail "pages.yaml of the undated pages lists $np pages, not 3"
echo "undated pages ok"
