/* Adversarial pages must stay linear (STYLE.md habit 11): each case builds
 * its input in memory, segments it and checks the time against a generous
 * limit (ASan builds included), plus a sanity check of the result. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <time.h>

#include "page/page.h"

enum { LIMIT_SECONDS = 20 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t run(np_buf *page)
{
	np_arena a;
	np_diags d;
	np_text t;
	np_page_result r;
	np_arena_init(&a);
	np_diags_init(&d);
	double t0 = now();
	assert_int_equal(np_text_lines(&t, np_str_of(page), "p.txt", &a), 0);
	np_page_opts o = {.source_file = "p.txt", .path = "p.txt"};
	assert_int_equal(np_page_parse(&r, &t, &o, &a, &d), 0);
	double dt = now() - t0;
	if (dt > LIMIT_SECONDS)
		fail_msg("%.1f s for %zu bytes", dt, page->len);
	size_t n = r.n_articles;
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	np_buf_dispose(page);
	return n;
}

static void repeat(np_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		np_buf_puts(b, s);
}

/* 100,000 short unpunctuated lines between two paragraphs: one huge
 * "heading cluster" (was quadratic in the split search). */
static void test_heading_lines(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	np_buf_puts(&b, "正文第一段，讲了一件事情。\n\n");
	repeat(&b, "甲乙丙丁\n\n", 100000);
	np_buf_puts(&b, "正文最后一段。\n");
	assert_true(run(&b) >= 1);
}

static void test_one_char_lines(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	repeat(&b, "社\n会\n，\n。\n\n", 250000);
	run(&b);
}

static void test_long_line(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	repeat(&b, "社会工作，", 1000000);
	np_buf_puts(&b, "\n");
	assert_int_equal(run(&b), 1);
}

static void test_only_punctuation(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	repeat(&b, "。，、；：！？“”（）\n", 200000);
	run(&b);
}

/* Many articles, each lede stray (page 003's layout repeated), bylines and
 * captions: the lede search looks only nearby. */
static void test_many_articles(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	for (int i = 0; i < 20000; i++)
		np_buf_printf(
		    &b,
		    "第%d届会议召开\n\n会上交流了经验。\n\n（据协会）\n\n另一件事情发生了。\n\n"
		    "另一件事\n\n第%d届会议日前召开。\n\n■ 本报记者 王勇\n\n图为会场。\n\n",
		    i, i);
	assert_true(run(&b) >= 20000);
}

/* 40,000 teaser lines (fuzz finding teasers_quadratic_memory: the teaser
 * array grew by one element per teaser, a fresh arena copy each time). */
static void test_many_teasers(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	for (int i = 0; i < 40000; i++)
		np_buf_printf(&b, "标题%d 09 版\n", i);
	np_buf_puts(&b, "\n# 标题\n\n正文。\n");
	assert_int_equal(run(&b), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heading_lines), cmocka_unit_test(test_one_char_lines),
	    cmocka_unit_test(test_long_line),     cmocka_unit_test(test_only_punctuation),
	    cmocka_unit_test(test_many_articles), cmocka_unit_test(test_many_teasers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
