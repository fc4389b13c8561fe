/* Pathological inputs for the text layer (issue 3, "Must show"): each must
 * finish in time linear in its size.  No timing assertions (ctest's
 * TIMEOUT is the generous limit); the elapsed time is printed so a
 * quadratic regression shows as an outlier.  Figures for the report come
 * from bench/bench_text. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "text/text.h"
#include "util/err.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decodes and splits src; returns the number of lines. */
static size_t run(const char *what, np_str src, size_t *warnings)
{
	np_buf utf8;
	np_diags d;
	np_arena a;
	np_text t;
	np_buf_init(&utf8);
	np_diags_init(&d);
	np_arena_init(&a);
	double t0 = now();
	assert_int_equal(np_text_decode(&utf8, src.p, src.len, NULL, "p.txt", &d, NULL), 0);
	assert_int_equal(np_text_lines(&t, np_str_of(&utf8), "p.txt", &a), 0);
	double dt = now() - t0;
	printf("# %-34s %9zu bytes %8zu lines %7.3f s\n", what, src.len, t.n, dt);
	size_t n = t.n;
	if (warnings)
		*warnings = d.len;
	np_arena_dispose(&a);
	np_diags_dispose(&d);
	np_buf_dispose(&utf8);
	return n;
}

/* count copies of unit, then tail. */
static void repeat(np_buf *b, const char *unit, size_t count, const char *tail)
{
	size_t n = strlen(unit);
	np_buf_grow(b, n * count + strlen(tail));
	for (size_t i = 0; i < count; i++)
		np_buf_put(b, unit, n);
	np_buf_puts(b, tail);
}

static void test_50mb_single_line(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	/* 50 bytes: Han, both kinds of punctuation, justification spaces */
	repeat(&b, "社会工作, 2022 年 8 月(灵武) “牵手” 。 ", 1000 * 1000, "");
	assert_true(b.len >= 50u * 1000 * 1000);
	assert_int_equal(run("50 MB single line", np_str_of(&b), NULL), 1);
	np_buf_dispose(&b);
}

static void test_million_one_char_lines(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	repeat(&b, "中\n", 1000 * 1000, "");
	assert_int_equal(run("1e6 one-character lines", np_str_of(&b), NULL), 1000 * 1000);
	np_buf_clear(&b);
	repeat(&b, "\r\n", 1000 * 1000, "");
	assert_int_equal(run("1e6 empty CRLF lines", np_str_of(&b), NULL), 1000 * 1000);
	np_buf_dispose(&b);
}

static void test_only_punctuation(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	repeat(&b, "，。、；：！？（）《》“”‘’,.;:!?()\"' …—", 100 * 1000, "\n");
	assert_int_equal(run("page of punctuation", np_str_of(&b), NULL), 1);
	np_buf_clear(&b);
	/* deep nesting: brackets are matched on a bounded stack */
	repeat(&b, "(", 5 * 1000 * 1000, "中");
	repeat(&b, ")", 5 * 1000 * 1000, "\n");
	assert_int_equal(run("10 MB of nested brackets", np_str_of(&b), NULL), 1);
	np_buf_clear(&b);
	repeat(&b, "\"", 5 * 1000 * 1000, "中\n");
	assert_int_equal(run("5 MB of straight quotes", np_str_of(&b), NULL), 1);
	np_buf_clear(&b);
	/* ASCII punctuation that stays ASCII: its context is looked up past
	 * the whole run, once */
	repeat(&b, ",", 5 * 1000 * 1000, "a\n");
	repeat(&b, "( ", 2 * 1000 * 1000, "a\n");
	repeat(&b, ", \"", 2 * 1000 * 1000, "a\n");
	assert_int_equal(run("runs of ASCII punctuation", np_str_of(&b), NULL), 3);
	np_buf_dispose(&b);
}

static void test_long_space_runs(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	/* each run of spaces is looked at from both ends: still linear */
	for (int i = 0; i < 20; i++) {
		np_buf_puts(&b, "中,");
		repeat(&b, " ", 500 * 1000, "");
		repeat(&b, "\xE3\x80\x80", 100 * 1000, "，");
	}
	assert_int_equal(run("long runs of spaces", np_str_of(&b), NULL), 1);
	np_buf_clear(&b);
	repeat(&b, " ,", 5 * 1000 * 1000, "中");
	assert_int_equal(run("alternating space and comma", np_str_of(&b), NULL), 1);
	np_buf_dispose(&b);
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	/* 10 MB of garbage on one line: reports are capped, columns counted
	 * only for the reported ones */
	repeat(&b, "中\xFF", 2 * 1000 * 1000, "");
	np_buf_put(&b, "\xE4\xB8\xAD\xF0", 4); /* not UTF-8: detector path */
	size_t w = 0;
	assert_int_equal(run("10 MB with invalid bytes", np_str_of(&b), &w), 1);
	assert_true(w <= 21);
	np_buf_dispose(&b);
}

static void test_nfc_heavy(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	/* every line needs ICU's NFC */
	repeat(&b, "e\xCC\x81\xEF\xA4\x80 中文 ", 200 * 1000, "\n");
	repeat(&b, "Cafe\xCC\x81\n", 200 * 1000, "");
	assert_int_equal(run("NFC on every line", np_str_of(&b), NULL), 200 * 1000 + 1);
	np_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_50mb_single_line), cmocka_unit_test(test_million_one_char_lines),
	    cmocka_unit_test(test_only_punctuation), cmocka_unit_test(test_long_space_runs),
	    cmocka_unit_test(test_invalid_bytes),    cmocka_unit_test(test_nfc_heavy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
