#!/usr/bin/env bash
# A raw page that cannot be read is an error naming it, and the rest is built
# (exit 1).  As root a chmod 000 file is still readable, so the unreadable
# page here is a dangling symlink: the user put a page there and it must not
# vanish from the archive without a word.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/site
sample_site "$S"
chmod -R u+w "$S"
ln -s "$TMP/moved-away/08.txt" "$S/content/issues/2022-08-30/08.txt"
np_run rc "$TMP/err" build --site "$S" --quiet
expect_diag "$TMP/err" error content/issues/2022-08-30/08.txt '(cannot read|not found|No such file)'
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "an unreadable page should make build exit 1 (got $rc)"; }
ls "$S"/content/articles/2022-08-30/2022-08-30-07-*.md >/dev/null 2>&1 || fail "page 07 not ingested"
[ -f "$S/public/index.html" ] || fail "the site was not built"
echo "unreadable page ok"
