/* np_pinyin / np_slugify: pinyin of titles, slug shape and length limit,
 * and use from several threads at once (each has its own transliterator). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/translit.h"
#include "util/utf8.h"
#include "threads_test.h"

static void expect_pinyin(const char *in, const char *want)
{
	np_buf b;
	np_buf_init(&b);
	assert_int_equal(np_pinyin(&b, np_str_from(in)), 0);
	assert_string_equal(b.data, want);
	np_buf_dispose(&b);
}

static void expect_slug(const char *in, const char *want)
{
	np_buf b;
	np_buf_init(&b);
	assert_int_equal(np_slugify(&b, np_str_from(in)), 0);
	assert_string_equal(b.data, want);
	np_buf_dispose(&b);
}

static void test_pinyin(void **state)
{
	(void)state;
	expect_pinyin("灵武", "ling wu");
	expect_pinyin("宁夏回族自治区", "ning xia hui zu zi zhi qu");
	expect_pinyin("女儿", "nu er");
	expect_pinyin("2022年5G网络", "2022 nian 5G wang luo");
	expect_pinyin("Café", "Cafe");
	expect_pinyin("", "");
}

static void test_pinyin_appends(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	np_buf_puts(&b, "x:");
	assert_int_equal(np_pinyin(&b, np_str_from("北京")), 0);
	assert_string_equal(b.data, "x:bei jing");
	np_buf_dispose(&b);
}

static void test_slug(void **state)
{
	(void)state;
	expect_slug("全国首届社会工作助力乡村振兴大会在宁夏举行",
	            "quan-guo-shou-jie-she-hui-gong-zuo-zhu-li-xiang-cun-zhen-xing-da-hui-zai-"
	            "ning-xia-ju-xing");
	expect_slug("“十四五”时期社会工作服务机构“牵手计划”",
	            "shi-si-wu-shi-qi-she-hui-gong-zuo-fu-wu-ji-gou-qian-shou-ji-hua");
	expect_slug("2023年全过程基层民主推进会",
	            "2023-nian-quan-guo-cheng-ji-ceng-min-zhu-tui-jin-hui");
	expect_slug("Hello, World! 你好", "hello-world-ni-hao");
	expect_slug("“”，。！", "");
	expect_slug("", "");
}

static void test_slug_limit(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	/* 40 syllables of "zhuang" (6 letters + dash): cut at a dash */
	np_buf t;
	np_buf_init(&t);
	for (int i = 0; i < 40; i++)
		np_buf_puts(&t, "装");
	assert_int_equal(np_slugify(&b, np_str_of(&t)), 0);
	assert_true(b.len <= NP_SLUG_MAX);
	assert_int_equal(b.len, 97); /* 14 syllables: 14 * 7 - 1 */
	assert_true(b.data[b.len - 1] == 'g');
	/* one long Latin word has no boundary: hard cut */
	np_buf_clear(&b);
	np_buf_clear(&t);
	for (int i = 0; i < 150; i++)
		np_buf_putc(&t, 'a');
	assert_int_equal(np_slugify(&b, np_str_of(&t)), 0);
	assert_int_equal(b.len, NP_SLUG_MAX);
	np_buf_dispose(&b);
	np_buf_dispose(&t);
}

/* The memo gives what ICU gives on the whole title (np_slugify_icu). */
static void expect_same(const np_buf *t)
{
	np_buf a, b;
	np_buf_init(&a);
	np_buf_init(&b);
	assert_int_equal(np_slugify(&a, np_str_of(t)), 0);
	assert_int_equal(np_slugify_icu(&b, np_str_of(t)), 0);
	if (strcmp(a.data, b.data) != 0)
		fail_msg("slug of \"%s\": memo \"%s\", ICU \"%s\"", t->data, a.data, b.data);
	np_buf_dispose(&a);
	np_buf_dispose(&b);
}

static void put_cp(np_buf *b, uint32_t c)
{
	char u8[4];
	np_buf_put(b, u8, np_utf8_encode(c, u8));
}

static void test_memo_is_used(void **state)
{
	(void)state;
	assert_true(np_translit_memo_active());
}

/* Every BMP code point, in runs of eight neighbours, bare and between
 * letters and digits; every ASCII character between Han and between
 * letters; then Han and punctuation shuffled (fixed seed), so that each
 * character meets others on both sides.  Titles whose reading depends on
 * context (重庆, 沈阳) among them. */
static void test_memo_matches_icu(void **state)
{
	(void)state;
	np_buf t;
	np_buf_init(&t);
	for (uint32_t c = 0x80; c < 0x10000; c += 8) {
		for (int form = 0; form < 2; form++) {
			np_buf_clear(&t);
			for (uint32_t k = c; k < c + 8; k++) {
				if (k >= 0xD800 && k <= 0xDFFF)
					continue;
				put_cp(&t, k);
				if (form)
					np_buf_putc(&t, "aZ9 -"[k % 5]);
			}
			expect_same(&t);
		}
	}
	for (uint32_t c = 1; c < 0x80; c++) { /* ASCII passes through as it is */
		np_buf_clear(&t);
		np_buf_puts(&t, "中");
		np_buf_putc(&t, (char)c);
		np_buf_puts(&t, "国x");
		np_buf_putc(&t, (char)c);
		np_buf_puts(&t, "1");
		expect_same(&t);
	}
	static const uint32_t punct[] = {0x201C, 0x201D, 0xFF0C, 0x3001, 0x3002, 0xFF1A, 0x300A,
	                                 0x300B, 0x2014, 0x2026, 0xFF08, 0xFF09, 0x00B7, 0x3000};
	uint64_t x = 0x9E3779B97F4A7C15u;
	for (int n = 0; n < 4000; n++) {
		np_buf_clear(&t);
		for (int k = 0; k < 10; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint32_t r = (uint32_t)(x >> 32);
			put_cp(&t, r % 4 == 0   ? punct[r / 4 % (sizeof punct / sizeof *punct)]
			           : r % 4 == 1 ? (uint32_t) "ab09 .-'"[r / 4 % 8]
			                        : 0x4E00 + r / 4 % (0x9FFF - 0x4E00));
		}
		expect_same(&t);
	}
	static const char *const titles[] = {"重庆市沈阳路秘鲁大使馆西藏文化",
	                                     "重 庆",
	                                     "沈阳",
	                                     "二〇二二年",
	                                     "２０２２年５Ｇ网络",
	                                     "Café“社工”①",
	                                     "𠀀字",
	                                     "e\xcc\x81社",
	                                     "\xff\xfe社工"};
	for (size_t k = 0; k < sizeof titles / sizeof *titles; k++) {
		np_buf_clear(&t);
		np_buf_puts(&t, titles[k]);
		expect_same(&t);
	}
	np_buf_dispose(&t);
}

static void *worker(void *arg)
{
	long id = (long)arg;
	np_buf b;
	np_buf_init(&b);
	for (int i = 0; i < 200; i++) {
		np_buf_clear(&b);
		if (np_slugify(&b, np_str_from("社工机构积极参与乡村振兴")) != 0 ||
		    strcmp(b.data, "she-gong-ji-gou-ji-ji-can-yu-xiang-cun-zhen-xing") != 0)
			return (void *)1;
	}
	np_buf_dispose(&b);
	if (id % 2)
		np_translit_thread_cleanup(); /* the others close at thread exit */
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	np_test_threads(worker, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pinyin),
	    cmocka_unit_test(test_pinyin_appends),
	    cmocka_unit_test(test_slug),
	    cmocka_unit_test(test_slug_limit),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_memo_is_used),
	    cmocka_unit_test(test_memo_matches_icu),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	np_translit_thread_cleanup();
	return rc;
}
