/* Linear time on adversarial input (STYLE.md: inputs that must stay
 * linear): texts built to defeat each extractor's look-around — names
 * back to back, veto words back to back, unclosed quotation marks, event
 * words without a name, title + name runs, abbreviations — must take about
 * the same CPU time per byte at 256 KB as at 2 MB.  Measures process CPU
 * time, with a generous bound (8x per 8x input would be linear; quadratic is
 * 64x).  Memory is the same for both sizes: malloc keeps what it has (no
 * trimming, no mmap) and a first 2 MB run warms it, so that fresh pages
 * faulted in by the larger text alone do not read as superlinear time (they
 * did: at 128 KB the small runs reused warm memory and ran 4x faster per
 * byte). */
#define _POSIX_C_SOURCE 200809L
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "meta/meta.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double time_extract(const char *unit, size_t bytes)
{
	np_buf b;
	np_buf_init(&b);
	while (b.len < bytes)
		np_buf_puts(&b, unit);
	np_arena a;
	np_diags d;
	np_arena_init(&a);
	np_diags_init(&d);
	np_article x = {.title = NP_STR("大会在京举行"), .body = np_str_of(&b)};
	np_meta_opts o = {.issue = {2023, 1, 1}};
	double t0 = now();
	assert_int_equal(np_meta_extract(&x, &o, &a, &d), 0);
	double dt = now() - t0;
	assert_true(x.people.len <= 256 && x.events.len <= 256);
	np_arena_dispose(&a);
	np_diags_dispose(&d);
	np_buf_dispose(&b);
	return dt;
}

/* The least of three runs: other processes only ever add time. */
static double best_of_3(const char *unit, size_t bytes)
{
	double best = time_extract(unit, bytes);
	for (int i = 0; i < 2; i++) {
		double t = time_extract(unit, bytes);
		best = t < best ? t : best;
	}
	return best;
}

static void check_linear(const char *unit)
{
	(void)time_extract(unit, 2048 * 1024); /* warm the heap */
	double small = best_of_3(unit, 256 * 1024);
	double big = best_of_3(unit, 2048 * 1024);
	/* 8x the input: linear is ~8x; allow noise up to 24x, far below 64x. */
	if (small < 0.002)
		small = 0.002;
	if (big / small >= 24.0)
		print_error("%s: %.4f s at 256 KB, %.4f s at 2 MB\n", unit, small, big);
	assert_true(big / small < 24.0);
}

static void test_adversarial(void **state)
{
	(void)state;
	check_linear("北京");
	check_linear("长治久安");
	check_linear("“宁夏回族自治区");
	check_linear("大会会议论坛活动");
	check_linear("会长王明、局长李强、");
	check_linear("沪甘两地在京");
	check_linear("第二届第三届暨");
	check_linear("北京市朝阳区南华西街道");
}

static void test_many_distinct(void **state)
{
	(void)state;
	/* Many different names and events: the lists are capped. */
	np_buf b;
	np_buf_init(&b);
	const char *given = "一二三四五六七八九十百千万亿甲乙丙丁戊己庚辛壬癸";
	for (size_t i = 0; i < 24 * 3; i += 3)
		for (size_t j = 0; j < 24 * 3; j += 3)
			np_buf_printf(&b, "会长王%.3s%.3s、“%.3s%.3s计划”，", given + i, given + j,
			              given + i, given + j);
	np_arena a;
	np_diags d;
	np_arena_init(&a);
	np_diags_init(&d);
	np_article x = {.title = NP_STR("标题"), .body = np_str_of(&b)};
	np_meta_opts o = {0};
	assert_int_equal(np_meta_extract(&x, &o, &a, &d), 0);
	assert_int_equal(x.people.len, 256);
	assert_int_equal(x.events.len, 256);
	np_arena_dispose(&a);
	np_diags_dispose(&d);
	np_buf_dispose(&b);
}

int main(void)
{
	/* Keep freed memory in the heap (see the top of the file); under ASan
	 * these are ignored and its allocator keeps memory anyway. */
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_adversarial),
	    cmocka_unit_test(test_many_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
