#!/usr/bin/env bash
# Bad article records: broken YAML is an error at path:line:col and the rest
# is built (exit 1); ids, slugs, issues, regions and events that try to climb
# out with `../` never make build write outside public/; a record written by
# hand is never modified or removed by ingest.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/w/site
sample_site "$S"
chmod -R u+w "$S"
np_run rc "$TMP/err" ingest --site "$S" --quiet
[ "$rc" = 0 ] || { cat "$TMP/err"; fail "ingest of the sample exited $rc"; }
A=$S/content/articles/2022-08-30
escape=/tmp/np-escape-$$
up=../../../../../../../../../../../..

# Broken YAML: the flow sequence is never closed.
printf -- '---\nid: broken\ntitle: [unclosed\nslug: broken\n---\nbody\n' >"$A/broken.md"
# Path climbing in every field that becomes part of an output path.
cat >"$A/climb-id.md" <<REC
---
id: $up$escape-id
title: 越界的编号
issue: "2022-08-30"
page: 7
slug: climb-id
---
正文。
REC
cat >"$A/climb-slug.md" <<REC
---
id: climb-slug
title: 越界的短名
issue: "2022-08-30"
date: 2022-08-26
page: 7
slug: $up$escape-slug
regions: [$up$escape-region]
events: [$up$escape-event, "..", "../.."]
source_file: $up/etc/passwd
---
正文。
REC
cat >"$A/climb-issue.md" <<REC
---
id: climb-issue
title: 越界的期号
issue: "$up$escape-issue"
date: 2022-08-26
page: 7
slug: climb-issue
---
正文。
REC
# A record a person wrote from scratch (no ingest_hash).
cat >"$A/hand-written.md" <<'REC'
---
id: 2022-08-30-07-99
title: 编辑手写的文章
issue: "2022-08-30"
date: 2022-08-29
page: 7
slug: bian-ji-shou-xie
---
这是一篇编辑手写的文章。
REC
hand=$(hash_files "$S" content/articles/2022-08-30/hand-written.md content/issues site.yaml)
outside=$(outside_snapshot "$TMP/w" "$S")

np_run rc "$TMP/err" build --site "$S" --quiet
[ -n "${NP_E2E_SHOW:-}" ] && cat "$TMP/err"
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "a broken record should make build exit 1 (got $rc)"; }
expect_diag "$TMP/err" error content/articles/2022-08-30/broken.md 'YAML' pos
grep -Eq 'broken\.md:[34]:[0-9]+: error:' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the YAML error should point at line 3 or 4 of broken.md"; }
[ -f "$S/public/index.html" ] || fail "the rest of the site was not built"
n=$(find "$S/public/articles" -name index.html | wc -l)
[ "$n" -ge 10 ] || fail "only $n article pages built"
grep -rq '编辑手写的文章' "$S/public/articles" || fail "the hand-written record was not built"

# Nothing escaped: no new file anywhere around the site, nothing in /tmp.
for f in "$escape"-*; do
	[ -e "$f" ] && { rm -rf "$escape"-*; fail "build wrote outside the site: $f"; }
done
[ "$outside" = "$(outside_snapshot "$TMP/w" "$S")" ] || {
	diff <(echo "$outside") <(outside_snapshot "$TMP/w" "$S") >&2
	fail "files written outside public/, .newsprint/ and content/articles/"
}

# Ingest again: the hand-written record and the user's files are untouched.
np_run rc "$TMP/err" ingest --site "$S" --quiet
[ "$hand" = "$(hash_files "$S" content/articles/2022-08-30/hand-written.md content/issues site.yaml)" ] ||
	fail "ingest modified a hand-written record, a raw page or site.yaml"
echo "bad records ok"
