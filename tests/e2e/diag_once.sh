#!/usr/bin/env bash
# Each problem is reported once per run: a message printed twice reads as two
# problems and doubles the count the summary line gives.  Covers site.yaml
# and content/events.yaml (each read by ingest and again by the site
# loader), a raw page and a record, through `build`, which runs ingest first.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/site
sample_site "$S"
chmod -R u+w "$S"
sed -i 's/^base_url:/base_ulr:/' "$S/site.yaml"
printf 'abc\000def\n' >"$S/content/issues/2022-08-30/08.txt"
printf 'events: [\n' >"$S/content/events.yaml"
np_run rc "$TMP/err" ingest --site "$S" --quiet
mkdir -p "$S/content/articles/2022-08-30"
printf -- '---\nid: broken\ntitle: [unclosed\n---\nbody\n' >"$S/content/articles/2022-08-30/broken.md"
np_run rc "$TMP/err" build --site "$S" --quiet
dups=$(grep -E ': (error|warning): ' "$TMP/err" | sort | uniq -d)
[ -z "$dups" ] || { cat "$TMP/err" >&2; fail "reported more than once: $dups"; }
for what in "site\\.yaml:[0-9]+:[0-9]+: warning: unknown key 'base_ulr'" '08\.txt.*: error: not a text file' \
	'events\.yaml:[0-9]+:[0-9]+: error: ' 'broken\.md:[0-9]+:[0-9]+: error: '; do
	n=$(grep -Ec "$what" "$TMP/err" || true)
	[ "$n" = 1 ] || { cat "$TMP/err" >&2; fail "'$what' reported $n times, not once"; }
done
echo "diagnostics once ok"
