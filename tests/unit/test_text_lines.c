/* np_text_lines: line numbers, columns of the first non-space character
 * (code points), widths, blank lines, and the final newline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/text.h"
#include "util/err.h"

static void test_positions(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_text t;
	np_str src = NP_STR("8 月 16 日，中国\n\n  \xE3\x80\x80记者 王勇\n   \nend");
	assert_int_equal(np_text_lines(&t, src, "x.txt", &a), 0);
	assert_string_equal(t.path, "x.txt");
	assert_int_equal(t.n, 5);
	np_line *l = t.lines;
	assert_true(np_str_eq_c(l[0].raw, "8 月 16 日，中国"));
	assert_true(np_str_eq_c(l[0].text, "8月16日，中国"));
	assert_int_equal(l[0].line, 1);
	assert_int_equal(l[0].col, 1);
	assert_int_equal(l[0].width, 8);
	assert_false(l[0].blank);
	assert_true(l[1].blank);
	assert_int_equal(l[1].width, 0);
	assert_int_equal(l[2].line, 3);
	assert_int_equal(l[2].col, 4); /* two spaces and U+3000 before 记 */
	assert_true(np_str_eq_c(l[2].text, "记者 王勇"));
	assert_int_equal(l[2].width, 5);
	assert_true(l[3].blank);
	assert_true(np_str_eq_c(l[4].text, "end"));
	assert_int_equal(l[4].line, 5);
	np_arena_dispose(&a);
}

static void test_final_newline_and_empty(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_text t;
	assert_int_equal(np_text_lines(&t, NP_STR("a\nb\n"), NULL, &a), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(np_text_lines(&t, NP_STR(""), NULL, &a), 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(np_text_lines(&t, NP_STR("\n"), NULL, &a), 0);
	assert_int_equal(t.n, 1);
	assert_true(t.lines[0].blank);
	np_arena_dispose(&a);
}

static void test_text_is_nul_terminated(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_text t;
	assert_int_equal(np_text_lines(&t, NP_STR("甲 ,乙\n丙"), NULL, &a), 0);
	assert_string_equal(t.lines[0].text.p, "甲，乙");
	assert_string_equal(t.lines[1].text.p, "丙");
	np_arena_dispose(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_positions),
	    cmocka_unit_test(test_final_newline_and_empty),
	    cmocka_unit_test(test_text_is_nul_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
