/* Every filter, with its errors. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "tmpl_test.h"
#include "util/utf8.h"

static void test_date(void **s)
{
	(void)s;
	np_value *ctx = M("d", S("2022-08-26"), "v", np_value_date(&A, 2022, 8, 26), "bad",
	                  S("2022-02-30"), "n", I(3), NULL);
	RENDERS("{{ d | date('long') }}", ctx, "2022年8月26日");
	RENDERS("{{ v | date('long') }}", ctx, "2022年8月26日");
	RENDERS("{{ d | date('full') }}", ctx, "2022年8月26日星期五");
	RENDERS("{{ d | date('iso') }}", ctx, "2022-08-26");
	RENDERS("{{ v | date('rfc3339') }}", ctx, "2022-08-26T00:00:00Z");
	RENDERS("{{ d | date('y年M月') }}|{{ d | date('long') }}", ctx, "2022年8月|2022年8月26日");
	RENDERS("{{ '1900-01-01' | date('long') }}", ctx, "1900年1月1日");
	/* Formatted days are memoised per formatter, 1,024 slots by day: days
	 * that share a slot (1,024 apart) and repeats give what ICU gives. */
	RENDERS("{{ d | date('full') }} {{ '2025-06-15' | date('full') }} {{ v | date('full') }} "
	        "{{ '2025-06-15' | date('full') }} {{ '2025-06-15' | date('long') }}",
	        ctx,
	        "2022年8月26日星期五 2025年6月15日星期日 2022年8月26日星期五 2025年6月15日星期日 "
	        "2025年6月15日");
	FAILS("{{ bad | date('long') }}", ctx,
	      "main.html:1:4: error: filter 'date': '2022-02-30' is not a YYYY-MM-DD date");
	FAILS("{{ n | date('long') }}", ctx,
	      "main.html:1:4: error: filter 'date' expects a date or a YYYY-MM-DD string, got int");
	FAILS("{{ d | date(1) }}", ctx,
	      "main.html:1:13: error: filter 'date': argument 1 must be a string, not int");
	OPTS.locale = "en_US";
	RENDERS("{{ d | date('long') }}", ctx, "August 26, 2022");
}

static void test_truncate(void **s)
{
	(void)s;
	/* 👨‍👩‍👧 is one grapheme of 5 code points; é is e + U+0301. */
	np_value *ctx = M("t", S("新闻标题很长很长"), "fam",
	                  S("a👨‍👩‍👧b👨‍👩‍👧c"), "comb",
	                  S("e\xcc\x81"
	                    "e\xcc\x81"
	                    "e\xcc\x81"),
	                  NULL);
	RENDERS("{{ t | truncate(5) }}", ctx, "新闻标题…");
	RENDERS("{{ t | truncate(8) }}", ctx, "新闻标题很长很长");
	RENDERS("{{ t | truncate(1) }}", ctx, "…");
	RENDERS("{{ fam | truncate(3) }}", ctx, "a👨‍👩‍👧…");
	RENDERS("{{ fam | truncate(5) }}", ctx, "a👨‍👩‍👧b👨‍👩‍👧c");
	RENDERS("{{ comb | truncate(3) }}", ctx,
	        "e\xcc\x81"
	        "e\xcc\x81"
	        "e\xcc\x81");
	RENDERS("{{ comb | truncate(2) }}", ctx, "e\xcc\x81…");
	FAILS("{{ t | truncate(0) }}", ctx,
	      "main.html:1:17: error: filter 'truncate': the length must be at least 1");
	FAILS("{{ t | truncate('x') }}", ctx,
	      "main.html:1:17: error: filter 'truncate': argument 1 must be an int, not string");
}

/* What ICU's grapheme iterator makes of truncate(n): the first n - 1
 * clusters and "…" when s has more than n, else s. */
static void icu_truncate(const char *s, int n, np_buf *out)
{
	np_buf_clear(out);
	size_t len = strlen(s), cut = len;
	if ((int64_t)np_utf8_count(s, len) > n) {
		UErrorCode st = U_ZERO_ERROR;
		UBreakIterator *bi = ubrk_open(UBRK_CHARACTER, "zh_CN", NULL, 0, &st);
		UText *ut = utext_openUTF8(NULL, s, (int64_t)len, &st);
		ubrk_setUText(bi, ut, &st);
		assert_true(U_SUCCESS(st));
		int clusters = 0;
		for (int32_t b = ubrk_first(bi); (b = ubrk_next(bi)) != UBRK_DONE;)
			if (++clusters == n - 1)
				cut = (size_t)b;
		if (n == 1)
			cut = 0;
		if (clusters <= n)
			cut = len;
		utext_close(ut);
		ubrk_close(bi);
	}
	np_buf_put(out, s, cut);
	if (cut < len)
		np_buf_puts(out, "…");
}

/* truncate agrees with ICU on random strings of ideographs, letters and
 * everything that joins or splits clusters: combining marks, ZWJ and
 * emoji (in and outside the BMP), variation selectors, Hangul jamo,
 * Devanagari conjuncts and spacing marks, prepended marks, regional
 * indicators, CR LF, controls, U+FFFD and a stray byte. */
static void test_truncate_matches_icu(void **s)
{
	(void)s;
	static const char *const simple[] = {"新", "闻", "。", "，", "a", "Z", "7", " ", "-", "“"};
	static const char *const joining[] = {
	    "\xcc\x81",         "\xe2\x80\x8d",     "\xe2\x80\x8c",     "\xef\xb8\x8f",
	    "\xf0\x9f\x91\xa8", "\xe2\x9d\xa4",     "\xe2\x98\xba",     "\xe1\x84\x80",
	    "\xe1\x85\xa1",     "\xe1\x86\xa8",     "\xea\xb0\x80",     "\xea\xb0\x81",
	    "\xe0\xa4\x95",     "\xe0\xa5\x8d",     "\xe0\xa4\xb7",     "\xe0\xa4\xbe",
	    "\xd8\x80",         "\xf0\x9f\x87\xa8", "\xf0\x9f\x87\xb3", "\xe0\xb8\x81",
	    "\xe0\xb8\xb3",     "\r",               "\n",               "\t",
	    "\xef\xbf\xbd",     "\xff",             "\xf0\x9f\x8f\xbb", "\xe3\x80\x80"};
	np_buf str, want;
	np_buf_init(&str);
	np_buf_init(&want);
	unsigned seed = 12345;
	for (int t = 0; t < 4000; t++) {
		np_buf_clear(&str);
		int len = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 15;
		bool plain = t % 3 == 0; /* a third all simple: the fast path to the end */
		for (int i = 0; i < len; i++) {
			unsigned r = (seed = seed * 1103515245u + 12345u) >> 16;
			bool join = !plain && r % 4 == 0;
			np_buf_puts(&str, join ? joining[r / 4 % (sizeof joining / sizeof *joining)]
			                       : simple[r / 4 % (sizeof simple / sizeof *simple)]);
		}
		int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 10;
		icu_truncate(str.data, n, &want);
		char src[64];
		snprintf(src, sizeof src, "{{ s | truncate(%d) }}", n);
		np_value *ctx = M("s", S(str.data), NULL);
		assert_int_equal(run(src, ctx), 0);
		if (strcmp(OUT.data, want.data) != 0)
			fail_msg("truncate(%d) of '%s': '%s', ICU '%s'", n, str.data, OUT.data, want.data);
	}
	np_buf_dispose(&str);
	np_buf_dispose(&want);
}

static void test_urls(void **s)
{
	(void)s;
	np_value *ctx = M("p", S("regions/index.html"), "dir", S("regions/广东/"), "abs",
	                  S("https://x.org/a"), "root", S("/"), "frag", S("#top"), NULL);
	OPTS.output_path = "articles/2022-08-30/slug/index.html";
	RENDERS("{{ p | relative_url }}", ctx, "../../../regions/index.html");
	RENDERS("<a href=\"{{ p | relative_url }}\">", ctx,
	        "<a href=\"../../../regions/index.html\">");
	RENDERS("{{ dir | relative_url }}", ctx, "../../../regions/广东/");
	RENDERS("{{ '/about/index.html' | relative_url }}", ctx, "../../../about/index.html");
	RENDERS("{{ root | relative_url }}", ctx, "../../../");
	RENDERS("{{ abs | relative_url }}|{{ frag | relative_url }}", ctx, "https://x.org/a|#top");
	OPTS.output_path = "index.html";
	RENDERS("{{ p | relative_url }}|{{ root | relative_url }}", ctx, "regions/index.html|./");
	OPTS.output_path = "regions/";
	RENDERS("{{ p | relative_url }}", ctx, "../regions/index.html");
	FAILS(
	    "{{ p | absolute_url }}", ctx,
	    "main.html:1:4: error: filter 'absolute_url' needs base_url in the site configuration");
	OPTS.base_url = "https://example.org/archive/";
	RENDERS("{{ p | absolute_url }}|{{ root | absolute_url }}|{{ abs | absolute_url }}", ctx,
	        "https://example.org/archive/regions/index.html|https://example.org/archive/|"
	        "https://x.org/a");
	RENDERS("{{ 'a b/中?&' | url_encode }}", ctx, "a%20b%2F%E4%B8%AD%3F%26");
}

static void test_collections(void **s)
{
	(void)s;
	np_value *ctx = M("xs", L(3, S("a"), I(2), np_value_date(&A, 2020, 1, 2)), "e", L(0), "m",
	                  M("k", I(1), NULL), "t", S("中文ab"), NULL);
	RENDERS("{{ xs | join }}|{{ xs | join('、') }}", ctx, "a22020-01-02|a、2、2020-01-02");
	RENDERS("{{ xs | length }} {{ e | length }} {{ m | length }} {{ t | length }}", ctx,
	        "3 0 1 4");
	RENDERS("{{ xs | first }} {{ xs | last }} [{{ e | first }}]", ctx, "a 2020-01-02 []");
	RENDERS(
	    "{{ xs | slice(1) | join }}|{{ xs | slice(0, -1) | join }}|{{ xs | slice(5) | join }}",
	    ctx, "22020-01-02|a2|");
	RENDERS("{{ t | upper }} {{ 'ÀB' | lower }}", ctx, "中文AB Àb");
	RENDERS("{{ '' | default('d') }}{{ 0 | default('d') }}", ctx, "d0");
	RENDERS("{{ xs | json }}", ctx, "[&quot;a&quot;,2,&quot;2020-01-02&quot;]");
	RENDERS("{{ none | json }}{{ true | json }}", ctx, "nulltrue");
	FAILS("{{ m | join }}", ctx, "main.html:1:4: error: filter 'join' expects a list, got map");
	FAILS("{{ L | join }}", M("L", L(1, L(0)), NULL),
	      "main.html:1:4: error: filter 'join' expects a string, got list");
	FAILS("{{ 3 | length }}", ctx,
	      "main.html:1:4: error: filter 'length' expects a string, list or map, got int");
	FAILS("{{ t | first }}", ctx,
	      "main.html:1:4: error: filter 'first' expects a list, got string");
	FAILS("{{ xs | slice('a') }}", ctx,
	      "main.html:1:15: error: filter 'slice': argument 1 must be an int, not string");
}

static void test_pinyin(void **s)
{
	(void)s;
	RENDERS("{{ '灵武' | pinyin }}|{{ '2022年' | pinyin }}", NULL, "ling wu|2022 nian");
	FAILS("{{ 3 | pinyin }}", NULL,
	      "main.html:1:4: error: filter 'pinyin' expects a string, got int");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_date, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncate_matches_icu, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_collections, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pinyin, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
