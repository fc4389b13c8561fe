#!/usr/bin/env bash
# Diagnostics name files the same way whatever stage reports them: relative
# to the site folder, as record and page-segmentation messages already do
# (`content/articles/…/x.md:3:5: error: …`), so the output is the same from
# any working directory and editors can jump to it.  Checked for a raw page
# the decoder refuses, a raw page with invalid UTF-8, site.yaml and a template
# of the site's templates/.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"
S=$TMP/site
sample_site "$S"
chmod -R u+w "$S"
printf 'abc\000def\n' >"$S/content/issues/2022-08-30/08.txt"
# Long enough to be recognisably UTF-8 with one damaged byte (a five-character
# file with one bad byte could as well be GB18030).
printf '标题\n\n这是一段正常的中文文字，只有一个坏字节\377在这里。\n' >"$S/content/issues/2022-08-30/09.txt"
sed -i 's/^base_url:/base_ulr:/' "$S/site.yaml"
mkdir -p "$S/templates"
printf '{%% extends "base.html" %%}\n{%% block content %%}{{ article.title | nosuch }}{%% endblock %%}\n' \
	>"$S/templates/article.html"
np_run rc "$TMP/err" build --site "$S" --quiet
for what in 'content/issues/2022-08-30/08\.txt: error: not a text file' \
	'content/issues/2022-08-30/09\.txt:3:20: warning: invalid UTF-8' \
	"site\\.yaml:[0-9]+:1: warning: unknown key 'base_ulr'" \
	"templates/article\\.html:2:[0-9]+: error: unknown filter 'nosuch'"; do
	grep -Eq "^$what" "$TMP/err" || { cat "$TMP/err"; fail "expected a site-relative '$what'"; }
done
echo "diagnostic paths ok"
