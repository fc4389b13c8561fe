/* Every filter, with its errors. */
#include "tmpl_test.h"

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
	    cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_collections, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pinyin, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
