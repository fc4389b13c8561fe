/* The lexer: token stream, positions, HTML contexts, whitespace control. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tmpl/lexer.h"
#include "util/err.h"

static np_buf dump_buf;

/* "TYPE@line:col(text) ..." for every token of src, or the error. */
static const char *dump(const char *src)
{
	static const char *const names[] = {"EOF", "TEXT", "{{", "}}", "{%", "%}", "NAME", "STR",
	                                    "INT", ".",    "|",  "(",  ")",  "[",  "]",    ",",
	                                    "=",   "==",   "!=", "<",  ">",  "<=", ">="};
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_tokens ts;
	np_buf_clear(&dump_buf);
	if (np_tmpl_lex(np_str_from(src), "t", &a, &ts, &d)) {
		np_diag_format(&d.items[0], &dump_buf);
	} else {
		for (size_t i = 0; i < ts.len; i++) {
			const np_token *t = &ts.items[i];
			np_buf_printf(&dump_buf, "%s%s@%u:%u", i ? " " : "", names[t->type],
			              t->line, t->col);
			if (t->type == NP_T_TEXT || t->type == NP_T_NAME || t->type == NP_T_STRING)
				np_buf_printf(&dump_buf, "(%.*s)", (int)t->text.len, t->text.p);
			if (t->type == NP_T_INT)
				np_buf_printf(&dump_buf, "(%lld)", (long long)t->ival);
		}
		np_tokens_dispose(&ts);
	}
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	return dump_buf.data;
}

/* The escaping of each {{ in src, as digits. */
static const char *escs(const char *src)
{
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_tokens ts;
	np_buf_clear(&dump_buf);
	if (np_tmpl_lex(np_str_from(src), "t", &a, &ts, &d) == 0)
		for (size_t i = 0; i < ts.len; i++)
			if (ts.items[i].type == NP_T_OUT_OPEN)
				np_buf_printf(&dump_buf, "%d", (int)ts.items[i].esc);
	np_tokens_dispose(&ts);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	return dump_buf.data;
}

static void test_tokens(void **s)
{
	(void)s;
	assert_string_equal(dump(""), "EOF@1:1");
	assert_string_equal(dump("ab"), "TEXT@1:1(ab) EOF@1:3");
	assert_string_equal(dump("x{{ a.b | f('s', -2) }}"),
	                    "TEXT@1:1(x) {{@1:2 NAME@1:5(a) .@1:6 NAME@1:7(b) |@1:9 NAME@1:11(f) "
	                    "(@1:12 STR@1:13(s) ,@1:16 INT@1:18(-2) )@1:20 }}@1:22 EOF@1:24");
	assert_string_equal(
	    dump("{% if a == 1 and b != c <= d >= e < f > g %}"),
	    "{%@1:1 NAME@1:4(if) NAME@1:7(a) ==@1:9 INT@1:12(1) NAME@1:14(and) "
	    "NAME@1:18(b) !=@1:20 NAME@1:23(c) <=@1:25 NAME@1:28(d) >=@1:30 "
	    "NAME@1:33(e) <@1:35 NAME@1:37(f) >@1:39 NAME@1:41(g) %}@1:43 EOF@1:45");
	assert_string_equal(dump("{% set x = y[0] %}"),
	                    "{%@1:1 NAME@1:4(set) NAME@1:8(x) =@1:10 NAME@1:12(y) [@1:13 "
	                    "INT@1:14(0) ]@1:15 %}@1:17 EOF@1:19");
	assert_string_equal(dump("{{ \"a\\\"b\" }}"), "{{@1:1 STR@1:4(a\"b) }}@1:11 EOF@1:13");
	/* A lone { and } are text. */
	assert_string_equal(dump("a { b } {x}"), "TEXT@1:1(a { b } {x}) EOF@1:12");
}

static void test_positions(void **s)
{
	(void)s;
	/* Columns count code points; lines count \n. */
	assert_string_equal(dump("中文\n  版面{{ x }}"),
	                    "TEXT@1:1(中文\n  版面) {{@2:5 NAME@2:8(x) }}@2:10 EOF@2:12");
	assert_string_equal(dump("{# 注释\n #}{{ y }}"), "{{@2:4 NAME@2:7(y) }}@2:9 EOF@2:11");
}

static void test_whitespace_control(void **s)
{
	(void)s;
	assert_string_equal(dump("a \n {{- x -}} \n b"),
	                    "TEXT@1:1(a) {{@2:2 NAME@2:6(x) }}@2:8 TEXT@3:2(b) EOF@3:3");
	assert_string_equal(
	    dump("a {%- if x -%} b"),
	    "TEXT@1:1(a) {%@1:3 NAME@1:7(if) NAME@1:10(x) %}@1:12 TEXT@1:16(b) EOF@1:17");
	assert_string_equal(dump("a {#- c -#} b"), "TEXT@1:1(a) TEXT@1:13(b) EOF@1:14");
	assert_string_equal(dump("a {{ x }} b"),
	                    "TEXT@1:1(a ) {{@1:3 NAME@1:6(x) }}@1:8 TEXT@1:10( b) EOF@1:12");
}

static void test_contexts(void **s)
{
	(void)s;
	/* 0 html, 1 url start, 2 url path, 3 url query, 4 script, 5 style,
	 * 6 in tag, 7 unquoted, 8 js attribute */
	assert_string_equal(escs("<p>{{ a }}</p><!-- {{ b }} --><title>{{ c }}</title>"), "000");
	assert_string_equal(escs("<a title=\"{{ a }}\" class='{{ b }}'>{{ c }}</a>"), "000");
	assert_string_equal(escs("<a href=\"{{ a }}\">x</a><img src='{{ b }}'>"), "11");
	assert_string_equal(escs("<a href=\"{{ a }}/{{ b }}?q={{ c }}#{{ d }}\">"), "1233");
	assert_string_equal(escs("<a href=\"/x/{{ a }}\" HREF=\"{{ b }}\">"), "21");
	assert_string_equal(escs("<form action=\"{{ a }}\"><link href=\"{{ b }}\">"), "11");
	assert_string_equal(escs("<script>var x = {{ a }};</script>{{ b }}"), "40");
	assert_string_equal(escs("<SCRIPT type=\"x\">{{ a }}</Script >{{ b }}"), "40");
	assert_string_equal(escs("<style>{{ a }}</style><p>{{ b }}"), "50");
	assert_string_equal(escs("<p {{ a }}><p class={{ b }}><p class=x{{ c }}>"), "677");
	assert_string_equal(escs("<p onclick=\"{{ a }}\" style=\"{{ b }}\" ONLOAD='{{ c }}'>"),
	                    "888");
	assert_string_equal(escs("<textarea><p {{ a }}</textarea>{{ b }}"), "00");
	assert_string_equal(escs("a < b {{ a }} <3 {{ b }}"), "00");
	/* Branches: else starts where its if started; after endif the URL
	 * has text only if every branch added some. */
	assert_string_equal(escs("<a href=\"{% if x %}/a{% else %}{{ a }}{% endif %}{{ b }}\">"),
	                    "12");
	assert_string_equal(escs("<a href=\"{% if x %}/a{% else %}/b{% endif %}{{ b }}\">"), "2");
	assert_string_equal(escs("<a href=\"{% for x in y %}{{ a }}{% endfor %}\">"), "1");
	assert_string_equal(escs("<a href=\"{% if x %}/a{% endif %}{{ b }}\">"), "1");
	assert_string_equal(escs("<a href=\"{% if x %}?a{% else %}/b{% endif %}{{ b }}\">"), "3");
}

static void test_errors(void **s)
{
	(void)s;
	assert_string_equal(dump("{% if x %}<a href=\"{% endif %}\">"),
	                    "t:1:20: error: 'endif' is in a double-quoted attribute value but its "
	                    "'if' (line 1) is in text; a branch must end in the HTML context it "
	                    "started in\n    {% if x %}<a href=\"{% endif %}\">\n"
	                    "                       ^\n");
	assert_string_equal(
	    dump("{% for x in y %}<p {% else %}>{% endfor %}"),
	    "t:1:20: error: 'else' is in a tag but its 'for' (line 1) is in text; a "
	    "branch must end in the HTML context it started in\n"
	    "    {% for x in y %}<p {% else %}>{% endfor %}\n"
	    "                       ^\n");
	assert_string_equal(dump("<p class=\"\n{% block b %}\">{% endblock %}"),
	                    "t:2:16: error: 'endblock' is in text but its 'block' (line 2) is in a "
	                    "double-quoted attribute value; a branch must end in the HTML context "
	                    "it started in\n    {% block b %}\">{% endblock %}\n"
	                    "                   ^\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_positions),
	    cmocka_unit_test(test_whitespace_control),
	    cmocka_unit_test(test_contexts),
	    cmocka_unit_test(test_errors),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	np_buf_dispose(&dump_buf);
	return rc;
}
