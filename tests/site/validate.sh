#!/usr/bin/env bash
# Every HTML page of the built sample site passes Debian tidy (HTML5) with no
# errors and no warnings (tidy's warnings are about real mistakes here:
# misnested or empty elements, bad attributes, unescaped '&'); every Atom
# feed parses and has the elements RFC 4287 requires; sitemap.xml and
# robots.txt are well formed.
. "$(dirname "$0")/lib.bash"
[ -n "${TIDY:-}" ] && [ -x "$TIDY" ] || TIDY=$(command -v tidy || true)
[ -n "$TIDY" ] || { echo "tidy not installed: skipped"; exit 77; }
S=$TMP/site
built_site "$S"
# and paginated (two per page), so the pagers are checked too
sed 's/^per_page:.*/per_page: 2/' "$S/site.yaml" >"$TMP/paged.yaml"
cp "$S/site.yaml" "$TMP/site.yaml.orig"
cp "$TMP/paged.yaml" "$S/site.yaml"
"$NEWSPRINT" build --site "$S" --out "$S/public/paged" --quiet || fail "paginated build exited $?"
cp "$TMP/site.yaml.orig" "$S/site.yaml"
bad=0
n=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	out=$("$TIDY" -q -e --show-warnings yes --gnu-emacs yes "$f" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$out"
		bad=$((bad + 1))
	fi
done < <(find "$S/public" -name '*.html' -print0)
[ "$bad" -eq 0 ] || fail "tidy: $bad of $n pages have errors or warnings"
echo "tidy: $n pages clean"
"$PYTHON" "$TOOLS/check_xml.py" "$S/public" || fail "feeds/sitemap"
"$PYTHON" "$TOOLS/check_xml.py" "$S/public/paged" || fail "feeds/sitemap (paginated)"
