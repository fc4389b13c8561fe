#!/usr/bin/env bash
# Values in a record that cannot be used are reported at the record's own
# path:line:col (where a person can fix them), not at an output path: an
# `issue` that is not YYYY-MM-DD (here one that climbs out with ../) and a
# `slug` with characters a URL segment cannot have.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/site
sample_site "$S"
chmod -R u+w "$S"
np_run rc "$TMP/err" ingest --site "$S" --quiet
A=$S/content/articles/2022-08-30
cat >"$A/bad-issue.md" <<'REC'
---
id: bad-issue
title: 期号不对
issue: "../../../../tmp/x"
date: 2022-08-26
page: 7
slug: bad-issue
---
正文。
REC
cat >"$A/bad-slug.md" <<'REC'
---
id: bad-slug
title: 短名不对
issue: "2022-08-30"
date: 2022-08-26
page: 7
slug: ../Bad Slug
---
正文。
REC
np_run rc "$TMP/err" build --site "$S" --quiet
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "an unusable issue should make build exit 1 (got $rc)"; }
grep -Eq '^content/articles/2022-08-30/bad-issue\.md:4:[0-9]+: error: .*issue' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the bad issue should be an error at bad-issue.md:4:COL"; }
grep -Eq '^content/articles/2022-08-30/bad-slug\.md:7:[0-9]+: (warning|error): .*slug' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the bad slug should be reported at bad-slug.md:7:COL"; }
if grep -Eq '^articles/\.\./' "$TMP/err"; then
	cat "$TMP/err"
	fail "a record value reached the output writer as a path"
fi
echo "record fields ok"
