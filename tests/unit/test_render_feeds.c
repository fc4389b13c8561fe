/* Feeds and host files: XML escaping, an Atom feed of a hand-made site
 * model (absolute URLs, dates, escaping), sitemap limits and the sitemap
 * index, robots.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "render/feeds.h"

static void test_escape(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	np_xml_escape(&b, NP_STR("<a href=\"x\">&'\x01\t中</a>"));
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\t中&lt;/a&gt;");
	np_buf_dispose(&b);
}

static void fake_site(np_site *s, np_site_article *arts, np_site_issue *is)
{
	memset(s, 0, sizeof *s);
	s->config.title = NP_STR("档案 & <报>");
	s->config.base_url = NP_STR("https://e.org/sub/");
	s->config.language = NP_STR("zh-CN");
	memset(is, 0, sizeof *is);
	is->date = (np_date){2022, 8, 30};
	memset(arts, 0, 2 * sizeof *arts);
	arts[0].rec.title = NP_STR("<script>alert(1)</script>");
	arts[0].rec.date = (np_date){2022, 8, 26};
	arts[0].url = "articles/2022-08-30/a/index.html";
	arts[0].issue = 0;
	arts[1].rec.title = NP_STR("无日期");
	arts[1].url = "articles/undated/b/index.html";
	arts[1].issue = SIZE_MAX;
	s->articles = arts;
	s->n_articles = 2;
	s->issues = is;
	s->n_issues = 1;
}

static void test_atom(void **state)
{
	(void)state;
	np_site s;
	np_site_article arts[2];
	np_site_issue is;
	fake_site(&s, arts, &is);
	size_t ids[] = {0, 1};
	np_feed f = {NP_STR("标题"), "feed.xml", "index.html", ids, 2};
	np_buf b;
	np_buf_init(&b);
	np_feed_atom(&b, &s, &f);
	assert_non_null(strstr(b.data, "<id>https://e.org/sub/feed.xml</id>"));
	assert_non_null(strstr(b.data, "<updated>2022-08-30T00:00:00Z</updated>"));
	assert_non_null(strstr(b.data, "<name>档案 &amp; &lt;报&gt;</name>"));
	assert_non_null(strstr(b.data, "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
	assert_non_null(strstr(b.data, "href=\"https://e.org/sub/articles/2022-08-30/a/\""));
	assert_non_null(strstr(b.data, "<published>2022-08-26T00:00:00Z</published>"));
	/* an entry with no date at all still has a valid updated */
	assert_non_null(strstr(b.data, "<updated>1970-01-01T00:00:00Z</updated>"));
	assert_null(strstr(b.data, "<script>"));
	np_buf_dispose(&b);
}

/* Occurrences of needle in hay (by hand: ASan's strstr measures the whole
 * haystack on every call, which makes a strstr loop quadratic). */
static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle), hlen = strlen(hay);
	for (size_t i = 0; i + len <= hlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, len) == 0)
			n++;
	return n;
}

static void test_sitemap(void **state)
{
	(void)state;
	np_site s;
	np_site_article arts[2];
	np_site_issue is;
	fake_site(&s, arts, &is);
	size_t n = NP_SITEMAP_MAX + 10;
	const char **paths = malloc(n * sizeof *paths);
	for (size_t i = 0; i < n; i++)
		paths[i] = "issues/index.html";
	np_buf b;
	np_buf_init(&b);
	np_sitemap_urlset(&b, &s, paths, n);
	assert_int_equal(count(b.data, "<loc>https://e.org/sub/issues/</loc>"), NP_SITEMAP_MAX);
	np_buf_clear(&b);
	np_sitemap_index(&b, &s, 2);
	assert_non_null(strstr(b.data, "<sitemapindex"));
	assert_non_null(strstr(b.data, "<loc>https://e.org/sub/sitemap-2.xml</loc>"));
	assert_null(strstr(b.data, "sitemap-3.xml"));
	np_buf_clear(&b);
	np_robots_txt(&b, &s);
	assert_string_equal(b.data, "User-agent: *\nAllow: /\n\nSitemap: https://e.org/sub/sitemap.xml\n");
	np_buf_dispose(&b);
	free(paths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_atom),
	    cmocka_unit_test(test_sitemap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
