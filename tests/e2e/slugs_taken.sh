#!/usr/bin/env bash
# Slugs already taken: ingest learns the slugs of the records that are there from the record
# snapshot when a record is as the snapshot saw it, and from the file otherwise (a record edited
# by hand).  A new issue that repeats an old page's titles gets -2 slugs, except where a person
# renamed the old record's slug; the records are the same as when every record is read from its
# file (no snapshot).
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
"$NEWSPRINT" ingest --site "$S" --quiet || fail "ingest exited $?"
sleep 3 # older than the snapshot's racy window (src/site/load.c), so the records go into it
"$NEWSPRINT" build --site "$S" --quiet || fail "build exited $?"
[ -s "$S/.newsprint/records.snap" ] || fail "the build saved no record snapshot"

slugs() { sed -n 's/^slug: //p' "$@" | sort; }
old_dir=$S/content/articles/2022-08-23
n_old=$(ls "$old_dir"/*.md | wc -l)
[ "$n_old" -ge 3 ] || fail "the sample page gave $n_old articles; the test needs 3 or more"
rec=$(ls "$old_dir"/*.md | sed -n 2p)
renamed=$(slugs "$rec")
sed -i 's/^slug: .*/slug: renamed-by-hand/' "$rec"

mkdir -p "$S/content/issues/2024-01-02"
cp "$S/content/issues/2022-08-23/07.txt" "$S/content/issues/2024-01-02/07.txt"
cp -a "$S" "$TMP/fresh"
rm "$TMP/fresh/.newsprint/records.snap"
"$NEWSPRINT" build --site "$S" --quiet || fail "build of the new issue exited $?"
"$NEWSPRINT" build --site "$TMP/fresh" --quiet || fail "build without a snapshot exited $?"

new=$(slugs "$S"/content/articles/2024-01-02/*.md)
[ "$(echo "$new" | wc -l)" = "$n_old" ] || fail "the repeated page gave other articles: $new"
echo "$new" | grep -qx "$renamed" || fail "the slug renamed by hand ($renamed) was not given again: $new"
for s in $(slugs $(ls "$old_dir"/*.md | grep -v "^$rec\$")); do
	echo "$new" | grep -qx -- "$s-2" || fail "slug $s is taken, yet the new issue has no $s-2: $new"
done
dups=$(slugs "$S"/content/articles/*/*.md | uniq -d)
[ -z "$dups" ] || fail "slugs given twice: $dups"
diff -r "$S/content/articles" "$TMP/fresh/content/articles" >"$TMP/diff" ||
	{ head -20 "$TMP/diff"; fail "records differ from those of an ingest that read every record"; }
echo "slugs taken ok ($n_old articles repeated)"
