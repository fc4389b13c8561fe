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
echo "undated page ok"
