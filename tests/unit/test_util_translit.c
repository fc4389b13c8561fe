/* np_pinyin / np_slugify: pinyin of titles, slug shape and length limit,
 * and use from several threads at once (each has its own transliterator). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/translit.h"

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
	pthread_t th[4];
	for (long i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)i), 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		assert_int_equal(pthread_join(th[i], &r), 0);
		assert_null(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pinyin),  cmocka_unit_test(test_pinyin_appends),
	    cmocka_unit_test(test_slug),    cmocka_unit_test(test_slug_limit),
	    cmocka_unit_test(test_threads),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	np_translit_thread_cleanup();
	return rc;
}
