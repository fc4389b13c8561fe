/* Every parse-time error message: exact text, line and column. */
#include "tmpl_test.h"

static void test_unclosed(void **s)
{
	(void)s;
	FAILS("a {{ x", NULL, "main.html:1:3: error: unclosed '{{': expected '}}'");
	FAILS("a\n{% if x", NULL, "main.html:2:1: error: unclosed '{%': expected '%}'");
	FAILS("{{ x {{ y }}", NULL, "main.html:1:1: error: unclosed '{{': expected '}}'");
	FAILS("x {# never", NULL, "main.html:1:3: error: unclosed comment: expected '#}'");
	FAILS("{{ 'abc }}", NULL, "main.html:1:4: error: unterminated string");
	FAILS("{{ x %}", NULL, "main.html:1:6: error: '{{' closed by '%}'");
	FAILS("{% if x }}", NULL, "main.html:1:9: error: '{%' closed by '}}'");
	FAILS("{{ x ; }}", NULL, "main.html:1:6: error: unexpected character ';'");
	FAILS("{{ 99999999999999999999 }}", NULL,
	      "main.html:1:4: error: integer literal too large");
}

static void test_unclosed_blocks(void **s)
{
	(void)s;
	FAILS("{% if x %}\nyes", NULL,
	      "main.html:1:1: error: 'if' is never closed: expected '{% endif %}'");
	FAILS("{% if x %}{% else %}", NULL,
	      "main.html:1:1: error: 'if' is never closed: expected '{% endif %}'");
	FAILS("\n {% for x in y %}", NULL,
	      "main.html:2:2: error: 'for' is never closed: expected '{% endfor %}'");
	FAILS("{% block b %}", NULL,
	      "main.html:1:1: error: 'block' is never closed: expected '{% endblock %}'");
}

static void test_mismatched(void **s)
{
	(void)s;
	FAILS("{% if x %}{% endfor %}", NULL,
	      "main.html:1:14: error: unexpected 'endfor': expected '{% endif %}'");
	FAILS("{% for x in y %}{% endif %}", NULL,
	      "main.html:1:20: error: unexpected 'endif': expected '{% endfor %}'");
	FAILS("{% for x in y %}{% elif z %}", NULL,
	      "main.html:1:20: error: unexpected 'elif': expected '{% endfor %}'");
	FAILS("{% if x %}{% else %}{% else %}{% endif %}", NULL,
	      "main.html:1:24: error: unexpected 'else': expected '{% endif %}'");
	FAILS("{% if x %}{% else %}{% elif y %}{% endif %}", NULL,
	      "main.html:1:24: error: unexpected 'elif': expected '{% endif %}'");
	FAILS("a\n{% endif %}", NULL,
	      "main.html:2:4: error: 'endif' without a matching opening tag");
	FAILS("{% else %}", NULL, "main.html:1:4: error: 'else' without a matching opening tag");
	FAILS("{% block a %}{% endblock b %}", NULL,
	      "main.html:1:26: error: 'endblock b' closes block 'a'");
	FAILS("{% if x %}{% endif y %}", NULL, "main.html:1:20: error: expected '%}', found 'y'");
}

static void test_bad_tags(void **s)
{
	(void)s;
	FAILS("{% frobnicate %}", NULL, "main.html:1:4: error: unknown tag 'frobnicate'");
	FAILS("{% %}", NULL, "main.html:1:4: error: expected a tag name, found '%}'");
	FAILS("{% 'x' %}", NULL, "main.html:1:4: error: expected a tag name, found a string");
	FAILS("{% for in y %}{% endfor %}", NULL,
	      "main.html:1:11: error: expected 'in', found 'y'");
	FAILS("{% for 1 in y %}{% endfor %}", NULL,
	      "main.html:1:8: error: expected a loop variable name, found '1'");
	FAILS("{% set = 1 %}", NULL, "main.html:1:8: error: expected a variable name, found '='");
	FAILS("{% set x 1 %}", NULL, "main.html:1:10: error: expected '=', found '1'");
	FAILS("{% include x %}", NULL,
	      "main.html:1:12: error: 'include' needs a quoted template name, found 'x'");
	FAILS("{% block %}{% endblock %}", NULL,
	      "main.html:1:10: error: expected a block name, found '%}'");
	FAILS("{% block a %}{% endblock %}{% block a %}{% endblock %}", NULL,
	      "main.html:1:37: error: block 'a' is already defined at line 1");
}

static void test_bad_expressions(void **s)
{
	(void)s;
	FAILS("{{ }}", NULL, "main.html:1:4: error: expected an expression, found '}}'");
	FAILS("{{ x. }}", NULL, "main.html:1:7: error: expected a key name after '.', found '}}'");
	FAILS("{{ x y }}", NULL, "main.html:1:6: error: expected '}}', found 'y'");
	FAILS("{{ (x }}", NULL, "main.html:1:7: error: expected ')', found '}}'");
	FAILS("{{ x[1 }}", NULL, "main.html:1:8: error: expected ']', found '}}'");
	FAILS("{{ x | }}", NULL, "main.html:1:8: error: expected a filter name, found '}}'");
	FAILS("{{ x | nosuch }}", NULL, "main.html:1:8: error: unknown filter 'nosuch'");
	FAILS("{{ x | date }}", NULL,
	      "main.html:1:8: error: filter 'date' takes 1 argument, not 0");
	FAILS("{{ x | upper(1) }}", NULL,
	      "main.html:1:8: error: filter 'upper' takes 0 arguments, not 1");
	FAILS("{{ x | slice(1, 2, 3) }}", NULL,
	      "main.html:1:8: error: filter 'slice' takes 1 to 2 arguments, not 3");
	FAILS("{{ x | join(',' ';') }}", NULL,
	      "main.html:1:17: error: expected ',' or ')', found a string");
	FAILS("{% if x is empty %}{% endif %}", NULL,
	      "main.html:1:12: error: expected 'defined' after 'is', found 'empty'");
	FAILS("{% if x == %}{% endif %}", NULL,
	      "main.html:1:12: error: expected an expression, found '%}'");
	FAILS("{{ super() }}", NULL,
	      "main.html:1:4: error: super() outside a block of a template that extends another");
	FAILS("{% block a %}{{ super() }}{% endblock %}", NULL,
	      "main.html:1:17: error: super() outside a block of a template that extends another");
}

static void test_extends_rules(void **s)
{
	(void)s;
	FAILS("x{% extends 'b.html' %}", NULL,
	      "main.html:1:2: error: 'extends' must be the first tag in the template");
	FAILS("{% if a %}{% extends 'b.html' %}{% endif %}", NULL,
	      "main.html:1:11: error: 'extends' must be the first tag in the template");
	FAILS("{% extends 'b.html' %}{% extends 'c.html' %}", NULL,
	      "main.html:1:23: error: 'extends' must be the first tag in the template");
	FAILS("{% extends 'b.html' %}\nstray", NULL,
	      "main.html:1:23: error: text outside a block in a template that extends another is "
	      "never rendered");
	FAILS("{% extends 'b.html' %} {{ x }}", NULL,
	      "main.html:1:24: error: output outside a block in a template that extends another is "
	      "never rendered");
	FAILS("{% extends 'b.html' %}{% if x %}{% endif %}", NULL,
	      "main.html:1:23: error: 'if' outside a block in a template that extends another is "
	      "never rendered");
}

static void test_depth(void **s)
{
	(void)s;
	np_buf src;
	np_buf_init(&src);
	for (int i = 0; i < 1000; i++)
		np_buf_puts(&src, "{% if x %}");
	FAILS(src.data, M("x", I(1), NULL),
	      "main.html:1:1997: error: nesting deeper than 200 levels");
	np_buf_clear(&src);
	np_buf_puts(&src, "{{ ");
	for (int i = 0; i < 1000; i++)
		np_buf_puts(&src, "(");
	np_buf_puts(&src, "x }}");
	FAILS(src.data, NULL, "main.html:1:104: error: nesting deeper than 200 levels");
	np_buf_clear(&src);
	np_buf_puts(&src, "{{ ");
	for (int i = 0; i < 1000; i++)
		np_buf_puts(&src, "not ");
	np_buf_puts(&src, "x }}");
	FAILS(src.data, NULL, "main.html:1:800: error: nesting deeper than 200 levels");
	np_buf_dispose(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unclosed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unclosed_blocks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mismatched, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_tags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_expressions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_extends_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
