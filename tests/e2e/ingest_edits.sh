#!/usr/bin/env bash
# Re-ingest: unchanged pages rewrite nothing; a hand-edited record is never overwritten (ingest
# warns when its page changes); the same page in GB18030 and UTF-16 yields the same records.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
"$NEWSPRINT" ingest --site "$S" --quiet || fail "ingest exited $?"
before=$(snapshot "$S/content/articles")
sleep 1
"$NEWSPRINT" ingest --site "$S" --quiet || fail "re-ingest exited $?"
[ "$before" = "$(snapshot "$S/content/articles")" ] || fail "re-ingest of unchanged pages rewrote records"

rec=$(find "$S/content/articles/2022-08-30" -name "*.md" -print -quit)
sed -i 's/^title: .*/title: 编辑改过的标题/' "$rec"
cp "$rec" "$TMP/edited"
printf '\n补充一段新文字。\n' >>"$S/content/issues/2022-08-30/07.txt"
"$NEWSPRINT" ingest --site "$S" --quiet 2>"$TMP/err" || fail "ingest after edit exited $?"
cmp -s "$rec" "$TMP/edited" || fail "ingest overwrote a hand-edited record"
grep -q "edited by hand" "$TMP/err" || { cat "$TMP/err"; fail "no warning about the edited record"; }

# Encodings: the same page as GB18030 and as UTF-16 (with BOM) gives byte-identical records.
for enc in gb18030 utf-16; do
	E=$TMP/$enc
	mkdir -p "$E/content/issues/2022-08-23"
	cp "$S/site.yaml" "$E/"
	"$PYTHON" -c 'import sys; d=open(sys.argv[1],encoding="utf-8").read(); open(sys.argv[2],"wb").write(d.encode(sys.argv[3]))' \
		"$NP_SOURCE_DIR/content/issues/2022-08-23/07.txt" "$E/content/issues/2022-08-23/07.txt" "$enc"
	"$NEWSPRINT" ingest --site "$E" --quiet || fail "$enc ingest exited $?"
	diff -r "$S/content/articles/2022-08-23" "$E/content/articles/2022-08-23" >/dev/null ||
		{ diff -r "$S/content/articles/2022-08-23" "$E/content/articles/2022-08-23" | head; fail "$enc records differ"; }
done
echo "ingest edits and encodings ok"
