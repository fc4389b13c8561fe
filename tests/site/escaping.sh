#!/usr/bin/env bash
# A hand-written record whose title, kicker, author, source, region path,
# event, caption and body carry markup comes out inert on every page kind:
# no output file contains the raw payloads, and the escaped text is there
# (so the test cannot pass by the record being dropped).
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
D=$S/content/articles/2022-08-30
mkdir -p "$D"
X='<script>alert(1)</script>'
Q='" onmouseover="x'
cat > "$D/2022-08-30-09-1.md" <<REC
---
id: 2022-08-30-09-1
title: '标题$X'
kicker: '引题$Q'
subtitle: '副题$X'
date: 2022-08-28
issue: 2022-08-30
page: 9
authors: ['记者$Q', '$X']
source: '来源$X'
regions: ['$X省/$Q市']
places: ['甘肃省/兰州市', '$Q省']
events: ['会议$X', '活动$Q']
captions: ['图$X']
summary: '摘要$X$Q'
slug: evil-record
---
正文$X 和 $Q 以及 <img src=x onerror=alert(2)> 和 [链接](javascript:alert(3))。
REC
"$NEWSPRINT" build --site "$S" --quiet || fail "build exited $?"
P=$S/public
art=$P/articles/2022-08-30/evil-record/index.html
[ -f "$art" ] || fail "the record has no article page"
# raw payloads must appear in no file a browser parses as markup (the search
# index's JSON carries the record's text as data; search.js must insert it as
# text)
if grep -rlF --include='*.html' --include='*.xml' --include='*.txt' --include='*.css' -e "$X" -e 'onmouseover="x' -e '<img src=x' -e 'javascript:alert' "$P"; then
	fail "raw payload in the files above"
fi
# the escaped text must be on every page kind that shows the record
# (a region path splits at the '/' of </script>, so match the part before it)
esc='&lt;script&gt;alert(1)&lt;'
region=$(grep -l "$esc" "$P"/regions/*/index.html | head -1)
event=$(grep -l "$esc" "$P"/events/*/index.html | head -1)
for f in "$art" "$P/index.html" "$P/issues/2022-08-30/index.html" "$P/issues/2022-08-30/09/index.html" \
	"$region" "$event" "$P/regions/index.html" "$P/events/index.html" "$P/feed.xml"; do
	[ -n "$f" ] && [ -f "$f" ] || fail "no page of some kind shows the record"
	grep -qF "$esc" "$f" || fail "$f does not show the escaped title"
done
grep -qF '&quot; onmouseover=&quot;x' "$art" || grep -qF '&#34; onmouseover=&#34;x' "$art" ||
	fail "quote payload not shown escaped on the article page"
echo "escaping: payloads inert on article, home, issue, page, region, event, indexes and feed"
