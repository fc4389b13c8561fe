#!/usr/bin/env bash
# Bad configuration and templates: an error in a template of the site's
# templates/ is reported at the template's path:line:col, build exits 1 and
# the pages that do not use it are built; a typo key in site.yaml is a
# warning at its position (exit 0); a theme name that climbs out with `../`
# is refused at its position (exit 1) and nothing is read or written outside
# the site.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_input.bash"

# -- a template error -------------------------------------------------------
S=$TMP/t/site
sample_site "$S"
chmod -R u+w "$S"
mkdir -p "$S/templates"
printf '{%% extends "base.html" %%}\n{%% block content %%}\n<h1>{{ article.title | nosuch }}</h1>\n{%% endblock %%}\n' \
	>"$S/templates/article.html"
tmpl_before=$(hash_files "$S" templates themes site.yaml content/issues)
np_run rc "$TMP/err" build --site "$S" --quiet
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "a template error should make build exit 1 (got $rc)"; }
expect_diag "$TMP/err" error templates/article.html "unknown filter 'nosuch'" pos
grep -Eq 'templates/article\.html:3:[0-9]+: error:' "$TMP/err" ||
	{ cat "$TMP/err"; fail "the template error should be on line 3"; }
[ -f "$S/public/index.html" ] || fail "pages that do not use the broken template were not built"
[ -f "$S/public/issues/index.html" ] || fail "the issue list was not built"
[ "$tmpl_before" = "$(hash_files "$S" templates themes site.yaml content/issues)" ] ||
	fail "build modified a template, the theme, site.yaml or a raw page"

# -- a typo in site.yaml -----------------------------------------------------
S=$TMP/c/site
sample_site "$S"
chmod -R u+w "$S"
sed -i 's/^base_url:/base_ulr:/' "$S/site.yaml"
line=$(grep -n '^base_ulr:' "$S/site.yaml" | cut -d: -f1)
np_run rc "$TMP/err" build --site "$S" --quiet
[ "$rc" = 0 ] || { cat "$TMP/err"; fail "an unknown key is a warning, not an error (exit $rc)"; }
expect_diag "$TMP/err" warning site.yaml "unknown key 'base_ulr'" pos
grep -Eq "site\.yaml:$line:1: warning: unknown key 'base_ulr'" "$TMP/err" ||
	{ cat "$TMP/err"; fail "the typo should be reported at $line:1"; }
[ -f "$S/public/index.html" ] || fail "the site was not built"

# -- a theme that climbs out ---------------------------------------------------
for theme in '../../../../etc' 'default/../../x' '..' '/etc'; do
	S=$TMP/th/site
	rm -rf "$TMP/th"
	sample_site "$S"
	chmod -R u+w "$S"
	sed -i "s|^theme: .*|theme: \"$theme\"|" "$S/site.yaml"
	outside=$(outside_snapshot "$TMP/th" "$S")
	np_run rc "$TMP/err" build --site "$S" --quiet
	[ "$rc" = 1 ] || { cat "$TMP/err"; fail "theme '$theme' should make build exit 1 (got $rc)"; }
	expect_diag "$TMP/err" error site.yaml 'theme' pos
	[ "$outside" = "$(outside_snapshot "$TMP/th" "$S")" ] || fail "theme '$theme': files written outside the output"
done
echo "bad config ok"
