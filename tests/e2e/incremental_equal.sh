#!/usr/bin/env bash
# An incremental build gives the same output, byte for byte, as a clean build of the same
# site: after adding an issue, editing a record's title, deleting a record, moving a record
# to another region, putting records into an event, renaming the site, changing a template,
# and changing a record's body.  Each step also checks that the incremental build
# did skip pages (so the comparison exercises skipping, not a full render).
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
# A site of records only: the steps below edit records as a person would.
"$NEWSPRINT" ingest --site "$S" --quiet || fail "ingest exited $?"
rm -rf "$S/content/issues" "$S/.newsprint/ingest.tsv" && mkdir -p "$S/content/issues"
# The default footer prints the archive's totals on every page, so a new issue changes every
# page; without them most pages are the same after a new issue and must be skipped.
sed -i 's/ · 共 {{ site.n_issues }} 期 {{ site.n_articles }} 篇文章//' "$S"/themes/*/templates/base.html
held=$(cd "$S/content/articles" && ls | sort | sed -n 3p)
mv "$S/content/articles/$held" "$TMP/held"
"$NEWSPRINT" build --site "$S" --quiet || fail "first build exited $?"

# check STEP [all]: incremental build of $S, then a clean build of a copy; outputs must match.
# The incremental build must have skipped pages, unless "all" says every page depends on the
# change (site.yaml is part of every page's fingerprint).
check() {
	sleep 0.05
	"$NEWSPRINT" build --site "$S" 2>"$TMP/inc.err" || { cat "$TMP/inc.err"; fail "$1: build exited $?"; }
	[ "${2:-}" = all ] || grep -Eq ' [1-9][0-9]* skipped' "$TMP/inc.err" ||
		{ cat "$TMP/inc.err"; fail "$1: nothing skipped"; }
	rm -rf "$TMP/clean" && cp -a "$S" "$TMP/clean" && rm -rf "$TMP/clean/public" "$TMP/clean/.newsprint"
	"$NEWSPRINT" build --site "$TMP/clean" --quiet || fail "$1: clean build exited $?"
	diff -r "$S/public" "$TMP/clean/public" >"$TMP/diff" || { head -20 "$TMP/diff"; fail "$1: incremental output differs"; }
	echo "ok: $1"
}

mv "$TMP/held" "$S/content/articles/$held"
check "add an issue"

rec=$(ls "$S"/content/articles/"$held"/*.md | sed -n 1p)
sed -i 's/^title: .*/title: 改过的标题/' "$rec"
check "edit a record title"

rec=$(ls "$S"/content/articles/*/*.md | sed -n 2p)
echo "追加的一段正文。" >>"$rec"
check "edit a record body"

rec=$(ls "$S"/content/articles/*/*.md | tail -1)
rm "$rec"
check "delete a record"

# What an article page shows of other things: its regions and events as the model resolves
# them, related articles, its neighbours, and `site` (page keys cover each; render/context.h).
rec=$(ls "$S"/content/articles/*/*.md | sed -n 3p)
sed -i 's|^regions: .*|regions: [河北省/廊坊市]|' "$rec"
check "move a record to another region"

for rec in $(ls "$S"/content/articles/*/*.md | sed -n '1p;4p'); do
	sed -i 's|^events: .*|events: [测试专题活动]|' "$rec"
done
check "put two records into one event"

printf 'events:\n  - name: 改名后的专题活动\n    aliases: [测试专题活动]\n' >"$S/content/events.yaml"
check "rename the event in events.yaml (the records stay as they are)"
grep -rq '改名后的专题活动' "$S/public/articles" || fail "the event's new name is not on article pages"

sed -i 's|^title: .*|title: 改过名字的档案馆|' "$S/site.yaml"
grep -q '改过名字的档案馆' "$S/site.yaml" || echo 'title: 改过名字的档案馆' >>"$S/site.yaml"
check "rename the site" all
grep -rq '改过名字的档案馆' "$S/public/articles" || fail "the new site title is not on article pages"

tpl=$(ls "$S"/themes/*/templates/article.html)
sed -i 's|</article>|<p class="edited">模板改过</p></article>|' "$tpl"
grep -q 'class="edited"' "$tpl" || echo '<p class="edited"></p>' >>"$tpl"
check "change a template"
grep -rq 'class="edited"' "$S/public/articles" || fail "template change not in the output"

# A page file changed by hand is rendered again by --verify, not skipped.
page=$(ls "$S"/public/articles/*/*/index.html | sed -n 1p)
echo "hand edit" >>"$page"
touch "$S/site.yaml"
"$NEWSPRINT" build --site "$S" --quiet --verify || fail "repair build exited $?"
diff -r "$S/public" "$TMP/clean/public" >/dev/null || fail "a hand-edited output was not repaired"
echo "incremental == clean"
