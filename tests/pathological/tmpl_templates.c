/* Pathological templates (issue 6, "Must show"): nesting 1,000 deep is
 * refused with a clear error, never a crash; a loop over 1,000,000 items
 * and other huge inputs render in linear time; include and extends cycles
 * are reported.  No timing assertions (ctest's TIMEOUT is the limit); the
 * elapsed times are printed so a quadratic regression shows. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "tmpl/tmpl.h"
#include "util/err.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static np_diags D;
static np_buf OUT;

/* Renders "main.html" = src with the other templates of env; returns rc
 * and leaves the first diagnostic's first line in msg. */
static int render(np_tmpl_env *env, const char *src, const np_value *ctx, char msg[512])
{
	if (src)
		np_tmpl_env_add_string(env, "main.html", NULL, np_str_from(src));
	np_diags_init(&D);
	np_buf_clear(&OUT);
	int rc = np_tmpl_render(env, "main.html", ctx, NULL, &OUT, &D);
	msg[0] = '\0';
	if (D.len) {
		np_buf b;
		np_buf_init(&b);
		np_diag_format(&D.items[0], &b);
		snprintf(msg, 512, "%.*s", (int)strcspn(b.data, "\n"), b.data);
		np_buf_dispose(&b);
	}
	np_diags_dispose(&D);
	return rc;
}

static void repeat(np_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		np_buf_puts(b, s);
}

static void refused_deep(const char *pre, const char *open, const char *mid, const char *close,
                         const char *post, const char *want)
{
	np_buf src;
	np_buf_init(&src);
	np_buf_puts(&src, pre);
	repeat(&src, open, 1000);
	np_buf_puts(&src, mid);
	repeat(&src, close, 1000);
	np_buf_puts(&src, post);
	np_tmpl_env *env = np_tmpl_env_new();
	char msg[512];
	assert_int_equal(render(env, src.data, NULL, msg), NP_EINVAL);
	assert_string_equal(msg, want);
	np_tmpl_env_free(env);
	np_buf_dispose(&src);
}

static void test_deep_nesting(void **s)
{
	(void)s;
	refused_deep("", "{% if x %}", "", "{% endif %}", "",
	             "main.html:1:1997: error: nesting deeper than 200 levels");
	refused_deep("", "{% for x in y %}", "", "{% endfor %}", "",
	             "main.html:1:3197: error: nesting deeper than 200 levels");
	refused_deep("{{ ", "(", "x", ")", " }}",
	             "main.html:1:104: error: nesting deeper than 200 levels");
	refused_deep("<a href=\"", "{% if x %}", "", "{% endif %}", "\">",
	             "main.html:1:2006: error: nesting deeper than 200 levels");
	np_buf src;
	np_buf_init(&src);
	for (int i = 0; i < 1000; i++)
		np_buf_printf(&src, "{%% block b%d %%}", i);
	repeat(&src, "{% endblock %}", 1000);
	np_tmpl_env *benv = np_tmpl_env_new();
	char bmsg[512];
	assert_int_equal(render(benv, src.data, NULL, bmsg), NP_EINVAL);
	assert_string_equal(bmsg, "main.html:1:3091: error: nesting deeper than 200 levels");
	np_tmpl_env_free(benv);
	np_buf_clear(&src);
	/* 199 levels are fine. */
	repeat(&src, "{% if true %}(", 199);
	repeat(&src, "){% endif %}", 199);
	np_tmpl_env *env = np_tmpl_env_new();
	char msg[512];
	assert_int_equal(render(env, src.data, NULL, msg), 0);
	assert_int_equal(OUT.len, 398);
	np_tmpl_env_free(env);
	np_buf_dispose(&src);
}

static void test_deep_includes(void **s)
{
	(void)s;
	char name[32], body[128], msg[512];
	/* t0 includes t1 ... includes t999: the loader refuses the chain. */
	np_tmpl_env *env = np_tmpl_env_new();
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "t%d.html", i);
		snprintf(body, sizeof body, "(%d{%% include 't%d.html' %%})", i, i + 1);
		np_tmpl_env_add_string(env, name, NULL, np_str_from(i < 999 ? body : "end"));
	}
	assert_int_equal(render(env, "{% include 't0.html' %}", NULL, msg), NP_EINVAL);
	assert_string_equal(msg, "t498.html:1:5: error: templates include or extend each other "
	                         "more than 500 levels deep");
	np_tmpl_env_free(env);
	/* 400 includes each nesting 5 tags: refused while rendering. */
	env = np_tmpl_env_new();
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof name, "t%d.html", i);
		snprintf(body, sizeof body,
		         "{%% if 1 %%}{%% if 1 %%}{%% include 't%d.html' %%}"
		         "{%% endif %%}{%% endif %%}",
		         i + 1);
		np_tmpl_env_add_string(env, name, NULL, np_str_from(i < 399 ? body : "end"));
	}
	assert_int_equal(render(env, "{% include 't0.html' %}", NULL, msg), NP_EINVAL);
	assert_string_equal(msg, "t333.html:1:1: error: nesting deeper than 1000 levels while "
	                         "rendering (includes, blocks and tags together)");
	np_tmpl_env_free(env);
}

static void test_cycles(void **s)
{
	(void)s;
	char msg[512];
	np_tmpl_env *env = np_tmpl_env_new();
	np_tmpl_env_add_string(env, "a.html", NULL, NP_STR("{% include 'b.html' %}"));
	np_tmpl_env_add_string(env, "b.html", NULL, NP_STR("{% include 'c.html' %}"));
	np_tmpl_env_add_string(env, "c.html", NULL, NP_STR("x\n {% include 'a.html' %}"));
	assert_int_equal(render(env, "{% include 'a.html' %}", NULL, msg), NP_EINVAL);
	assert_string_equal(
	    msg, "c.html:2:2: error: include cycle: a.html -> b.html -> c.html -> a.html");
	np_tmpl_env_free(env);
	env = np_tmpl_env_new();
	np_tmpl_env_add_string(env, "a.html", NULL, NP_STR("{% extends 'b.html' %}"));
	np_tmpl_env_add_string(env, "b.html", NULL, NP_STR("{% extends 'a.html' %}"));
	assert_int_equal(render(env, "{% extends 'a.html' %}", NULL, msg), NP_EINVAL);
	assert_string_equal(msg, "b.html:1:1: error: extends cycle: a.html -> b.html -> a.html");
	np_tmpl_env_free(env);
}

static np_value *items(np_arena *a, size_t n)
{
	np_value *l = np_value_list(a, n);
	np_value *title = np_value_strc(a, "标题 <b>&</b>");
	for (size_t i = 0; i < n; i++) {
		np_value *m = np_value_map(a);
		np_value_map_set(a, m, "title", title);
		np_value_list_push(a, l, m);
	}
	np_value *ctx = np_value_map(a);
	np_value_map_set(a, ctx, "xs", l);
	return ctx;
}

static double loop_time(size_t n)
{
	np_arena a;
	np_arena_init(&a);
	np_value *ctx = items(&a, n);
	np_tmpl_env *env = np_tmpl_env_new();
	char msg[512];
	double t0 = now();
	assert_int_equal(render(env,
	                        "{% for x in xs %}<li class=\"{% if loop.first %}f{% endif %}\">"
	                        "{{ loop.index }} {{ x.title | default('-') }}</li>\n"
	                        "{% endfor %}",
	                        ctx, msg),
	                 0);
	double dt = now() - t0;
	size_t per = strlen("<li class=\"\"> 标题 &lt;b&gt;&amp;&lt;/b&gt;</li>\n");
	assert_true(OUT.len > n * per);
	printf("# loop over %8zu items: %7.3f s, %9zu bytes\n", n, dt, OUT.len);
	np_tmpl_env_free(env);
	np_arena_dispose(&a);
	return dt;
}

static void test_million_loop(void **s)
{
	(void)s;
	double t1 = loop_time(100000), t2 = loop_time(1000000);
	printf("# 10x the items took %.1fx the time\n", t2 / (t1 > 0 ? t1 : 1e-9));
}

static void test_huge_template(void **s)
{
	(void)s;
	/* 200,000 outputs, whitespace-trimmed tags and comments, ~6 MB. */
	np_buf src;
	np_buf_init(&src);
	repeat(&src,
	       "<p title=\"{{ t }}\">   {{- t -}}  \n{#- c -#}  {%- if t -%} x {%- endif %}</p>\n",
	       200000);
	np_arena a;
	np_arena_init(&a);
	np_value *ctx = np_value_map(&a);
	np_value_map_set(&a, ctx, "t", np_value_strc(&a, "\""));
	np_tmpl_env *env = np_tmpl_env_new();
	char msg[512];
	double t0 = now();
	assert_int_equal(render(env, src.data, ctx, msg), 0);
	printf("# %zu-byte template parsed and rendered in %.3f s\n", src.len, now() - t0);
	assert_int_equal(OUT.len, 200000 * strlen("<p title=\"&quot;\">&quot;x</p>\n"));
	np_tmpl_env_free(env);
	np_arena_dispose(&a);
	np_buf_dispose(&src);
}

static void test_deep_value_json(void **s)
{
	(void)s;
	np_arena a;
	np_arena_init(&a);
	np_value *v = np_value_list(&a, 0);
	np_value *root = v;
	for (int i = 0; i < 100000; i++) {
		np_value *inner = np_value_list(&a, 0);
		np_value_list_push(&a, v, inner);
		v = inner;
	}
	np_value *ctx = np_value_map(&a);
	np_value_map_set(&a, ctx, "v", root);
	np_tmpl_env *env = np_tmpl_env_new();
	char msg[512];
	assert_int_equal(render(env, "<script>{{ v | json }}</script>", ctx, msg), NP_EINVAL);
	assert_string_equal(msg, "main.html:1:12: error: filter 'json': value nested deeper than "
	                         "100 levels");
	np_tmpl_env_free(env);
	np_arena_dispose(&a);
}

int main(void)
{
	np_buf_init(&OUT);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deep_nesting),  cmocka_unit_test(test_deep_includes),
	    cmocka_unit_test(test_cycles),        cmocka_unit_test(test_million_loop),
	    cmocka_unit_test(test_huge_template), cmocka_unit_test(test_deep_value_json),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	np_buf_dispose(&OUT);
	return rc;
}
