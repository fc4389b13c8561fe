/* The language, construct by construct, and render-time errors. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tmpl_test.h"
#include "util/fs.h"

#define assert_int_equal_msg(a, b, m)                                                              \
	do {                                                                                       \
		if ((a) != (b))                                                                    \
			print_error("%s\n", (m));                                                  \
		assert_int_equal((a), (b));                                                        \
	} while (0)

static void test_text_and_output(void **s)
{
	(void)s;
	RENDERS("", NULL, "");
	RENDERS("héllo 中文", NULL, "héllo 中文");
	RENDERS("a{{ x }}b", M("x", S("X"), NULL), "aXb");
	RENDERS("{{ 'lit' }} {{ \"dq\" }} {{ 42 }} {{ -7 }}", NULL, "lit dq 42 -7");
	RENDERS("{{ true }} {{ false }}[{{ none }}]", NULL, "true false[]");
	RENDERS("{{ 'a\\'b\\n' }}", NULL, "a&#39;b\n");
	RENDERS("{{ d }}", M("d", np_value_date(&A, 2022, 8, 26), NULL), "2022-08-26");
	RENDERS("{{ '{{' }} x {{ '}}' }} {{ '{%' }}", NULL, "{{ x }} {%");
}

static void test_paths(void **s)
{
	(void)s;
	np_value *ctx = M("article", M("title", S("标题"), "meta", M("n", I(3), NULL), NULL), "xs",
	                  L(3, S("a"), S("b"), S("c")), NULL);
	RENDERS("{{ article.title }}/{{ article.meta.n }}", ctx, "标题/3");
	RENDERS("{{ xs[0] }}{{ xs[-1] }}{{ article['title'] }}", ctx, "ac标题");
	RENDERS("{{ (article).title }}", ctx, "标题");
}

static void test_filters_chain(void **s)
{
	(void)s;
	np_value *ctx = M("xs", L(3, S("a"), S("b"), S("c")), "t", S("Ab"), NULL);
	RENDERS("{{ xs | join(', ') | upper }}", ctx, "A, B, C");
	RENDERS("{{ t | lower | length }}", ctx, "2");
	RENDERS("{% if xs | length > 2 %}many{% endif %}", ctx, "many");
}

static void test_if(void **s)
{
	(void)s;
	np_value *ctx = M("a", I(1), "b", I(0), "s", S("x"), "e", S(""), "l", L(0), NULL);
	RENDERS("{% if a %}A{% endif %}", ctx, "A");
	RENDERS("{% if b %}B{% else %}notB{% endif %}", ctx, "notB");
	RENDERS("{% if b %}1{% elif e %}2{% elif s %}3{% else %}4{% endif %}", ctx, "3");
	RENDERS("{% if b %}1{% elif e %}2{% endif %}", ctx, "");
	RENDERS("{% if not b and a or b %}T{% endif %}", ctx, "T");
	RENDERS("{% if not (a and b) %}T{% endif %}", ctx, "T");
	RENDERS("{% if l %}full{% else %}empty{% endif %}", ctx, "empty");
	RENDERS("{% if a == 1 %}eq{% endif %}{% if a != 1 %}ne{% endif %}", ctx, "eq");
	RENDERS("{% if a < 2 %}lt{% endif %}{% if a > 0 %}gt{% endif %}", ctx, "ltgt");
	RENDERS("{% if a <= 1 %}le{% endif %}{% if a >= 2 %}ge{% endif %}", ctx, "le");
	RENDERS("{% if s == 'x' %}sx{% endif %}{% if s < 'y' %}lt{% endif %}", ctx, "sxlt");
	RENDERS("{% if s == 1 %}bad{% else %}types differ{% endif %}", ctx, "types differ");
	RENDERS("{% if a %}{% if b %}x{% else %}y{% endif %}{% endif %}", ctx, "y");
}

static void test_missing_values(void **s)
{
	(void)s;
	np_value *ctx = M("article", M("title", S("T"), "kicker", np_value_null(), NULL), NULL);
	RENDERS("{% if article.kicker %}K{% else %}none{% endif %}", ctx, "none");
	RENDERS("{% if article.nokey %}K{% else %}missing{% endif %}", ctx, "missing");
	RENDERS("{% if not article.nokey.deeper %}ok{% endif %}", ctx, "ok");
	RENDERS("{{ article.nokey | default('—') }}", ctx, "—");
	RENDERS("{{ article.kicker | default('—') }}", ctx, "—");
	RENDERS("{{ article.title | default('—') }}", ctx, "T");
	RENDERS("[{{ article.kicker }}]", ctx, "[]");
	RENDERS("{% if nothing is defined %}d{% else %}u{% endif %}", ctx, "u");
	RENDERS("{% if article.title is defined %}d{% endif %}", ctx, "d");
	RENDERS("{% if article.kicker is defined %}null is defined{% endif %}", ctx,
	        "null is defined");
	RENDERS("{% if article.x is not defined %}nd{% endif %}", ctx, "nd");
}

static void test_for(void **s)
{
	(void)s;
	np_value *ctx = M("xs", L(3, S("a"), S("b"), S("c")), "nil", L(0), "m",
	                  M("k1", S("v1"), "k2", S("v2"), NULL), NULL);
	RENDERS("{% for x in xs %}{{ x }}{% endfor %}", ctx, "abc");
	RENDERS("{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.length }}"
	        "{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %};{% endfor %}",
	        ctx, "103F;213;323L;");
	RENDERS("{% for x in nil %}x{% else %}empty{% endfor %}", ctx, "empty");
	RENDERS("{% for x in xs %}{% else %}empty{% endfor %}", ctx, "");
	RENDERS("{% for k, v in m %}{{ k }}={{ v }};{% endfor %}", ctx, "k1=v1;k2=v2;");
	RENDERS("{% for x in xs %}{% for y in xs %}{{ loop.index }}{% endfor %}"
	        "{{ loop.index }}|{% endfor %}",
	        ctx, "1231|1232|1233|");
	RENDERS("{% for x in xs %}{{ loop.revindex }}{% endfor %}", ctx, "321");
	RENDERS("{% for x in xs %}{% endfor %}{{ xs | length }}", ctx, "3");
}

static void test_set(void **s)
{
	(void)s;
	np_value *ctx = M("xs", L(2, S("a"), S("b")), NULL);
	RENDERS("{% set t = 'v' %}{{ t }}", ctx, "v");
	RENDERS("{% set n = xs | length %}{{ n }}{% set n = 5 %}{{ n }}", ctx, "25");
	RENDERS("{% set t = 'out' %}{% for x in xs %}{% set t = x %}{{ t }}{% endfor %}{{ t }}",
	        ctx, "about");
	RENDERS("{% set xs = 'shadow' %}{{ xs }}", ctx, "shadow");
}

static void test_comments_and_whitespace(void **s)
{
	(void)s;
	np_value *ctx = M("xs", L(2, S("a"), S("b")), NULL);
	RENDERS("a{# comment {{ x }} #}b", ctx, "ab");
	RENDERS("a  {#- c -#}  b", ctx, "ab");
	RENDERS("<ul>\n  {%- for x in xs %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>", ctx,
	        "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>");
	RENDERS("x  {{- xs[0] -}}  y", ctx, "xay");
	RENDERS("x {% if true -%}   \n  y {%- endif %} z", ctx, "x y z");
}

static void test_include(void **s)
{
	(void)s;
	np_value *ctx = M("title", S("T"), "xs", L(2, S("a"), S("b")), NULL);
	assert_int_equal(run_many("<h1>{% include \"partials/h.html\" %}</h1>", ctx,
	                          "partials/h.html", "{{ title }}", NULL),
	                 0);
	assert_string_equal(OUT.data, "<h1>T</h1>");
	/* Included templates see loop variables and set variables. */
	assert_int_equal(run_many("{% set sep = '/' %}{% for x in xs %}{% include 'i.html' %}"
	                          "{% endfor %}",
	                          ctx, "i.html", "{{ x }}{{ loop.index }}{{ sep }}", NULL),
	                 0);
	assert_string_equal(OUT.data, "a1/b2/");
}

static void test_extends(void **s)
{
	(void)s;
	np_value *ctx = M("title", S("T"), NULL);
	const char *base = "<title>{% block title %}Site{% endblock %}</title>"
	                   "<main>{% block content %}base{% endblock %}</main>"
	                   "{% block foot %}F{% endblock foot %}";
	const char *mid = "{% extends 'base.html' %}"
	                  "{% block content %}[mid {% block inner %}I{% endblock %}]{% endblock %}"
	                  "{% block title %}{{ title }} - {{ super() }}{% endblock %}";
	assert_int_equal_msg(
	    run_many("{% extends \"mid.html\" %}\n"
	             "{# only blocks count #}\n"
	             "{% block inner %}<{{ super() }}{{ super() }}>{% endblock %}\n"
	             "{% block title %}{{ super() }}!{% endblock %}",
	             ctx, "base.html", base, "mid.html", mid, NULL),
	    0, diag_full());
	assert_string_equal(OUT.data, "<title>T - Site!</title><main>[mid <II>]</main>F");
	/* A base renders on its own, blocks with their defaults. */
	assert_int_equal(run_many(base, ctx, NULL), 0);
	assert_string_equal(OUT.data, "<title>Site</title><main>base</main>F");
}

static void test_render_errors(void **s)
{
	(void)s;
	np_value *ctx = M("article", M("title", S("T"), "kicker", np_value_null(), NULL), "xs",
	                  L(1, S("a")), "n", I(1), NULL);
	FAILS("ok\n{{ artcle.title }}", ctx, "main.html:2:4: error: unknown variable 'artcle'");
	FAILS("{{ article.titel }}", ctx, "main.html:1:4: error: 'article' has no key 'titel'");
	FAILS("{{ artcle.title | default('x') }}", ctx,
	      "main.html:1:4: error: unknown variable 'artcle'");
	FAILS("{% if artcle.title %}{% endif %}", ctx,
	      "main.html:1:7: error: unknown variable 'artcle'");
	FAILS("{{ article.kicker.x }}", ctx,
	      "main.html:1:4: error: 'article.kicker' is null, not a map");
	FAILS("{{ xs }}", ctx,
	      "main.html:1:4: error: cannot print list 'xs'; use a for loop or '| join'");
	FAILS("{{ xs[3] }}", ctx, "main.html:1:7: error: 'xs' has no item '3'");
	FAILS("{{ n['k'] }}", ctx, "main.html:1:4: error: cannot index int 'n' with string");
	FAILS("{% if n < 'a' %}{% endif %}", ctx,
	      "main.html:1:7: error: cannot compare int with string");
	FAILS("{% for x in n %}{% endfor %}", ctx,
	      "main.html:1:13: error: cannot loop over int 'n'");
	FAILS("{% for x in article %}{% endfor %}", ctx,
	      "main.html:1:13: error: 'article' is a map: loop over it with two names, "
	      "{% for key, value in article %}");
	FAILS("{% for k, v in xs %}{% endfor %}", ctx,
	      "main.html:1:16: error: 'xs' is a list: loop over it with one name");
	FAILS("{% for x in xs %}{{ loop.nope }}{% endfor %}", ctx,
	      "main.html:1:21: error: loop has no attribute 'nope'");
	FAILS("{{ xs | upper }}", ctx,
	      "main.html:1:4: error: filter 'upper' expects a string, got list");
	/* The full diagnostic echoes the line with a caret under the column. */
	FAILS("<p>\n  <b>标题{{ nope }}</b>\n", ctx,
	      "main.html:2:11: error: unknown variable 'nope'");
	assert_string_equal(diag_full(), "main.html:2:11: error: unknown variable 'nope'\n"
	                                 "      <b>标题{{ nope }}</b>\n"
	                                 "                ^\n"); /* wide: 2 cells */
	/* Names are ASCII. */
	FAILS("{{ 标题 }}", ctx, "main.html:1:4: error: unexpected character '标'");
}

static void test_error_renders_nothing(void **s)
{
	(void)s;
	np_buf_puts(&OUT, "kept");
	np_tmpl_env *env = np_tmpl_env_new();
	np_tmpl_env_add_string(env, "t.html", "themes/x/t.html", NP_STR("lots of text {{ nope }}"));
	assert_int_equal(np_tmpl_render(env, "t.html", NULL, NULL, &OUT, &D), NP_EINVAL);
	assert_string_equal(OUT.data, "kept");
	assert_string_equal(diag_full(), "themes/x/t.html:1:17: error: unknown variable 'nope'\n"
	                                 "    lots of text {{ nope }}\n"
	                                 "                    ^\n");
	np_tmpl_env_free(env);
}

static void test_load_errors(void **s)
{
	(void)s;
	assert_int_not_equal(run_many("a\n  {% include 'missing.html' %}", NULL, NULL), 0);
	assert_string_equal(diag1(), "main.html:2:3: error: template 'missing.html' not found");
	assert_int_not_equal(run_many("{% include 'a.html' %}", NULL, "a.html",
	                              "x{% include 'b.html' %}", "b.html", "{% include 'a.html' %}",
	                              NULL),
	                     0);
	assert_string_equal(diag1(),
	                    "b.html:1:1: error: include cycle: a.html -> b.html -> a.html");
	assert_int_not_equal(run_many("{% include 'main.html' %}", NULL, NULL), 0);
	assert_string_equal(diag1(), "main.html:1:1: error: include cycle: main.html -> main.html");
	assert_int_not_equal(
	    run_many("{% extends 'b.html' %}", NULL, "b.html", "{% extends 'main.html' %}", NULL),
	    0);
	assert_string_equal(diag1(),
	                    "b.html:1:1: error: extends cycle: main.html -> b.html -> main.html");
	assert_int_not_equal(run_many("{% include '../etc/passwd' %}", NULL, NULL), 0);
	assert_string_equal(diag1(), "main.html:1:1: error: unsafe template name '../etc/passwd'");
	assert_int_not_equal(run_many("{% extends 'b.html' %}{% block nope %}{% endblock %}", NULL,
	                              "b.html", "{% block yes %}{% endblock %}", NULL),
	                     0);
	assert_string_equal(diag1(), "main.html:1:23: error: block 'nope' is not defined in "
	                             "'b.html' or its parents");
	assert_int_not_equal(run_many("{% extends 'b.html' %}{% block u %}{% endblock %}", NULL,
	                              "b.html", "<a href=\"{% block u %}{% endblock %}\">", NULL),
	                     0);
	assert_string_equal(diag1(), "main.html:1:23: error: block 'u' is in text here but in a "
	                             "double-quoted attribute value in 'b.html'");
	np_tmpl_env *env = np_tmpl_env_new();
	np_diags_dispose(&D);
	np_diags_init(&D);
	assert_int_equal(np_tmpl_render(env, "nope.html", NULL, NULL, &OUT, &D), NP_ENOENT);
	assert_string_equal(diag1(), "nope.html: error: template 'nope.html' not found");
	np_tmpl_env_free(env);
}

static void test_failed_template_reported_once(void **s)
{
	(void)s;
	np_tmpl_env *env = np_tmpl_env_new();
	np_tmpl_env_add_string(env, "t.html", NULL, NP_STR("{% if %}"));
	np_diags_dispose(&D);
	np_diags_init(&D);
	assert_int_equal(np_tmpl_env_load(env, "t.html", &D), NP_EINVAL);
	assert_int_equal(np_tmpl_render(env, "t.html", NULL, NULL, &OUT, &D), NP_EINVAL);
	assert_int_equal(D.len, 1);
	/* A render error is reported once per environment (build) when its
	 * text is the same, and once per distinct text otherwise. */
	np_tmpl_env_add_string(env, "r.html", NULL, NP_STR("{{ x | date('long') }}{{ nope }}"));
	for (int i = 0; i < 3; i++)
		assert_int_equal(
		    np_tmpl_render(env, "r.html", M("x", S("2020-01-01"), NULL), NULL, &OUT, &D),
		    NP_EINVAL);
	assert_int_equal(D.len, 2);
	for (int i = 0; i < 200; i++) {
		char bad[16];
		snprintf(bad, sizeof bad, "bad-%d", i);
		np_value *ctx = M("x", np_value_str_copy(&A, np_str_from(bad)), NULL);
		assert_int_equal(np_tmpl_render(env, "r.html", ctx, NULL, &OUT, &D), NP_EINVAL);
		assert_int_equal(np_tmpl_render(env, "r.html", ctx, NULL, &OUT, &D), NP_EINVAL);
	}
	assert_int_equal(D.len, 202);
	assert_string_equal(D.items[201].msg, "filter 'date': 'bad-199' is not a YYYY-MM-DD date");
	np_tmpl_env_free(env);
}

static void test_dirs(void **s)
{
	(void)s;
	char site[] = "/tmp/np_tmpl_site_XXXXXX", theme[] = "/tmp/np_tmpl_theme_XXXXXX";
	assert_non_null(mkdtemp(site));
	assert_non_null(mkdtemp(theme));
	np_buf p;
	np_buf_init(&p);
	np_path_join(&p, theme, "page.html");
	np_fs_write_if_changed(p.data, "theme[{% include 'part.html' %}]", 32);
	np_path_join(&p, theme, "part.html");
	np_fs_write_if_changed(p.data, "theme part", 10);
	np_path_join(&p, site, "part.html");
	np_fs_write_if_changed(p.data, "site part", 9);
	np_tmpl_env *env = np_tmpl_env_new();
	np_tmpl_env_add_dir(env, site);
	np_tmpl_env_add_dir(env, theme);
	assert_int_equal(np_tmpl_render(env, "page.html", NULL, NULL, &OUT, &D), 0);
	assert_string_equal(OUT.data, "theme[site part]");
	np_tmpl_env_free(env);
	np_path_join(&p, site, "part.html");
	unlink(p.data);
	np_path_join(&p, theme, "part.html");
	unlink(p.data);
	np_path_join(&p, theme, "page.html");
	unlink(p.data);
	rmdir(site);
	rmdir(theme);
	np_buf_dispose(&p);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_and_output, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filters_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_if, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_for, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_comments_and_whitespace, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_include, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_extends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_render_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_error_renders_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_template_reported_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dirs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
