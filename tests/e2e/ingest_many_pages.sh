#!/usr/bin/env bash
# Which raw pages need ingesting is decided on all cores, in runs of pages cut at folder
# boundaries: with 60 pages in 12 issue folders, a rebuild parses exactly the pages that
# changed (a page's bytes, its folder's issue.yaml, a record deleted), in whichever run
# they fall, and whatever the number of threads.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
mkdir -p "$S/content/issues"
cp -r "$NP_SOURCE_DIR/site.yaml" "$NP_SOURCE_DIR/themes" "$S/"
mapfile -t pages < <(find "$NP_SOURCE_DIR/content/issues" -name '*.txt' | sort)
[ "${#pages[@]}" -ge 2 ] || fail "the sample site has too few pages"
for k in $(seq 0 11); do
	d=$(date -u -d "2021-01-05 +$((7 * k)) days" +%F)
	mkdir -p "$S/content/issues/$d"
	for p in 1 2 3 4 5; do
		cp "${pages[$(((k + p) % ${#pages[@]}))]}" "$S/content/issues/$d/0$p.txt"
	done
done

# parsed LOG: the raw pages a build's ingest parsed, sorted.
parsed() { grep -o '^content/issues/[^:]*\.txt: [0-9]* articles\?' "$1" | cut -d: -f1 | sort; }

"$NEWSPRINT" build --site "$S" --quiet --threads 2 || fail "first build exited $?"
[ "$(find "$S/content/articles" -name '*.md' | wc -l)" -gt 60 ] || fail "too few records"
"$NEWSPRINT" build --site "$S" --threads 2 >"$TMP/out" 2>&1 || fail "second build exited $?"
[ -z "$(parsed "$TMP/out")" ] || { cat "$TMP/out"; fail "an unchanged page was parsed again"; }

# Three changes in three folders: early, middle and last run.
printf '\n补充一段新文字。\n' >>"$S/content/issues/2021-01-05/02.txt"
printf 'date: 2021-02-23\n' >"$S/content/issues/2021-02-23/issue.yaml" # none before
rec=$(find "$S/content/articles/2021-03-23" -name '*.md' | sort | head -1)
[ -n "$rec" ] || fail "no record for 2021-03-23"
src=$(sed -n 's/^source_file: *//p' "$rec" | tr -d "'\"")
rm "$rec"
for t in 1 2; do
	cp -a "$S" "$TMP/t$t"
	"$NEWSPRINT" build --site "$TMP/t$t" --threads "$t" >"$TMP/out$t" 2>&1 || fail "build (threads $t) exited $?"
	parsed "$TMP/out$t" >"$TMP/parsed$t"
done
cmp -s "$TMP/parsed1" "$TMP/parsed2" || { diff "$TMP/parsed1" "$TMP/parsed2" || true; fail "threads 1 and 2 parsed different pages"; }
want=$(
	echo content/issues/2021-01-05/02.txt
	for p in 1 2 3 4 5; do echo "content/issues/2021-02-23/0$p.txt"; done
	echo "$src"
)
want=$(echo "$want" | sort -u)
[ "$(cat "$TMP/parsed2")" = "$want" ] ||
	{ diff <(echo "$want") "$TMP/parsed2" || true; cat "$TMP/out2"; fail "the pages parsed are not the ones changed"; }
[ -f "$TMP/t2/$(dirname "${rec#"$S/"}")/$(basename "$rec")" ] || fail "the deleted record was not made again"
echo "ingest of many pages: only the $(echo "$want" | wc -l) changed pages parsed, same with 1 and 2 threads"
