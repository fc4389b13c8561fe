#!/usr/bin/env bash
# Bad hand-written YAML beside the raw pages: a syntax error in
# content/events.yaml and wrong values in an issue.yaml are errors at their
# path:line:col, build exits 1, and every other issue is still ingested and
# built.  Neither file is modified.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/site
sample_site "$S"
chmod -R u+w "$S"
printf 'events:\n  - name: 甲大会\n    aliases: [乙大会\n' >"$S/content/events.yaml"
printf 'date: 2022-13-45\npages:\n  - file: 07.txt\n    page: seven\n' \
	>"$S/content/issues/2022-08-30/issue.yaml"
before=$(hash_files "$S" content/events.yaml content/issues)
np_run rc "$TMP/err" build --site "$S" --quiet
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "bad YAML should make build exit 1 (got $rc)"; }
expect_diag "$TMP/err" error content/events.yaml '' pos
expect_diag "$TMP/err" error content/issues/2022-08-30/issue.yaml 'date' pos
grep -Eq 'issue\.yaml:1:[0-9]+: error: .*2022-13-45' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the bad date should be reported on line 1"; }
grep -Eq 'issue\.yaml:4:[0-9]+: error: page' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the bad page number should be reported on line 4"; }
for d in 2022-08-23 2022-11-08 2023-03-21 2023-12-12; do
	ls "$S"/content/articles/$d/*.md >/dev/null 2>&1 || fail "issue $d not ingested"
done
[ -f "$S/public/index.html" ] || fail "the site was not built"
[ "$before" = "$(hash_files "$S" content/events.yaml content/issues)" ] ||
	fail "build modified events.yaml, an issue.yaml or a raw page"
echo "bad manifests ok"
