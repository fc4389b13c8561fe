#!/usr/bin/env bash
# Bad raw pages next to good ones: a page with NUL bytes is refused with an
# error naming it and build exits 1, while the other pages are still ingested
# and the site is built; invalid UTF-8 in the middle of a page is a warning at
# its line and column, becomes U+FFFD, and the rest of the page is kept; an
# empty page, a page of whitespace and punctuation and a 5 MB single-line page
# are ingested without errors and in bounded time.  No raw page, site.yaml or
# theme file is modified, and nothing is written outside the site's output.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/w/site
sample_site "$S"
I=$S/content/issues/2022-08-30
chmod -R u+w "$S"

# 08: NUL bytes.  09: 0xFF 0xFE after `8月26日` on line 23 (column 6).
printf '这是一页\000\000\000二进制\n' >"$I/08.txt"
"$PYTHON" - "$I/07.txt" "$I/09.txt" <<'PY'
import sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')
assert lines[22].startswith('8月26日'.encode())
cut = len('8月26日'.encode())
lines[22] = lines[22][:cut] + b'\xff\xfe' + lines[22][cut:]
open(sys.argv[2], 'wb').write(b'\n'.join(lines))
PY
: >"$I/10.txt"
printf '  \n\n\343\200\200\343\200\202\357\274\214\343\200\201\n\342\200\246\342\200\246\n   \n' >"$I/11.txt"
# 12: 5 MB on one line (the page's text repeated, newlines dropped).
"$PYTHON" - "$I/07.txt" "$I/12.txt" <<'PY'
import sys
t = open(sys.argv[1], encoding='utf-8').read().replace('\n', '')
n = 5 * 1024 * 1024
s = (t * (n // len(t.encode()) + 1)).encode()[:n]
open(sys.argv[2], 'wb').write(s.decode('utf-8', 'ignore').encode())
PY

user_files="content/issues site.yaml themes"
before=$(hash_files "$S" $user_files)
outside=$(outside_snapshot "$TMP/w" "$S")

start=$SECONDS
np_run rc "$TMP/err" build --site "$S" --quiet
[ $((SECONDS - start)) -lt 300 ] || fail "build took $((SECONDS - start)) s"
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "a page with NUL bytes should make build exit 1 (got $rc)"; }

# The NUL page: refused, by name.
expect_diag "$TMP/err" error content/issues/2022-08-30/08.txt 'not a text file'
[ -z "$(find "$S/content/articles" -name '2022-08-30-08-*')" ] || fail "records made from a binary page"

# Invalid UTF-8: a warning at 23:6, U+FFFD in the record, the rest of the page kept.
expect_diag "$TMP/err" warning content/issues/2022-08-30/09.txt 'invalid UTF-8' pos
grep -Eq '09\.txt:23:6: warning: invalid UTF-8' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the invalid byte should be reported at 23:6"; }
rec9=$(grep -l '^source_file: content/issues/2022-08-30/09.txt' "$S"/content/articles/2022-08-30/*.md) ||
	fail "no record from the page with invalid UTF-8"
grep -q '8月26日��' $rec9 || fail "invalid bytes did not become U+FFFD"
grep -q '赵蓬奇' $rec9 || fail "text after the invalid bytes was lost"

# The other pages are still there, and the site is built.
ls "$S"/content/articles/2022-08-30/2022-08-30-07-*.md >/dev/null 2>&1 || fail "page 07 not ingested"
for d in 2022-08-23 2022-11-08 2023-03-21 2023-12-12; do
	ls "$S"/content/articles/$d/*.md >/dev/null 2>&1 || fail "issue $d not ingested"
done
[ -f "$S/public/index.html" ] || fail "the site was not built"
n=$(find "$S/public/articles" -name index.html | wc -l)
[ "$n" -ge 10 ] || fail "only $n article pages built"
grep -q 'content/issues/2022-08-30/12.txt' "$S"/content/articles/2022-08-30/*.md ||
	fail "the 5 MB one-line page gave no record"
grep -q 'error' <(grep -E '(10|11|12)\.txt' "$TMP/err") &&
	{ cat "$TMP/err"; fail "an empty, blank or long page is not an error"; }

# Nothing a user wrote changed; nothing appeared outside the output.
[ "$before" = "$(hash_files "$S" $user_files)" ] || fail "ingest or build modified a raw page, site.yaml or the theme"
[ "$outside" = "$(outside_snapshot "$TMP/w" "$S")" ] || {
	diff <(echo "$outside") <(outside_snapshot "$TMP/w" "$S") >&2
	fail "files written outside public/, .newsprint/ and content/articles/"
}

# Without the binary page the same input is warnings only: exit 0.
rm "$I/08.txt"
np_run rc "$TMP/err" build --site "$S" --quiet
[ "$rc" = 0 ] || { cat "$TMP/err"; fail "warnings alone should exit 0 (got $rc)"; }
echo "bad input ok"
