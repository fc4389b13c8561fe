/* Auto-escaping in text, attribute, URL and <script> contexts, with the
 * payloads of issue 6, and the escaping functions themselves. */
#include "tmpl/escape.h"
#include "tmpl_test.h"

#define XSS "<script>alert(1)</script>"
#define ATTR "\" onmouseover=\"x"
#define JSURL "javascript:alert(1)"

static np_buf E;

static const char *url(const char *s, np_url_part part)
{
	np_buf_clear(&E);
	np_escape_url(&E, np_str_from(s), part);
	return E.data;
}

static void test_functions(void **s)
{
	(void)s;
	np_buf_clear(&E);
	np_escape_html(&E, NP_STR("a&b<c>d\"e'f 中"));
	assert_string_equal(E.data, "a&amp;b&lt;c&gt;d&quot;e&#39;f 中");
	assert_string_equal(url(JSURL, NP_URL_START), NP_URL_BLOCKED);
	assert_string_equal(url("JaVaScRiPt:x", NP_URL_START), NP_URL_BLOCKED);
	assert_string_equal(url("  \x01javascript:x", NP_URL_START), NP_URL_BLOCKED);
	assert_string_equal(url("java\tscr\nipt:x", NP_URL_START), NP_URL_BLOCKED);
	assert_string_equal(url("data:text/html,<b>", NP_URL_START), NP_URL_BLOCKED);
	assert_string_equal(url("vbscript:x", NP_URL_START), NP_URL_BLOCKED);
	assert_string_equal(url("https://a.org/?x=1&y=2", NP_URL_START),
	                    "https://a.org/?x=1&amp;y=2");
	assert_string_equal(url("HTTP://a.org", NP_URL_START), "HTTP://a.org");
	assert_string_equal(url("mailto:a@b.org", NP_URL_START), "mailto:a@b.org");
	assert_string_equal(url("../a b/\"x\"/<y>", NP_URL_START), "../a%20b/%22x%22/%3Cy%3E");
	assert_string_equal(url("/regions/广东/100%/%41", NP_URL_START),
	                    "/regions/广东/100%25/%41");
	assert_string_equal(url("/a?b=javascript:x", NP_URL_START), "/a?b=javascript:x");
	/* After literal text the scheme is the template's, not the value's. */
	assert_string_equal(url("javascript:x", NP_URL_PATH), "javascript:x");
	assert_string_equal(url("a&b=<c> d/中", NP_URL_QUERY), "a%26b%3D%3Cc%3E%20d%2F%E4%B8%AD");
	np_buf_clear(&E);
	np_json_string(&E, NP_STR("a\"\\\n</script>&'\xe2\x80\xa8\x01\xff"));
	assert_string_equal(
	    E.data,
	    "\"a\\\"\\\\\\n\\u003c/script\\u003e\\u0026\\u0027\\u2028\\u0001\xef\xbf\xbd\"");
}

static void test_text(void **s)
{
	(void)s;
	np_value *ctx = M("x", S(XSS), "y", S(ATTR), "z", S(JSURL), NULL);
	RENDERS("<p>{{ x }}</p>", ctx, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	RENDERS("<p>{{ y }}</p>", ctx, "<p>&quot; onmouseover=&quot;x</p>");
	RENDERS("<p>{{ z }}</p>", ctx, "<p>javascript:alert(1)</p>");
	RENDERS("<title>{{ x }}</title>", ctx,
	        "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>");
	RENDERS("<textarea>{{ x }}</textarea>", ctx,
	        "<textarea>&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
}

static void test_attribute(void **s)
{
	(void)s;
	np_value *ctx = M("x", S(XSS), "y", S(ATTR), "z", S(JSURL), NULL);
	RENDERS("<a title=\"{{ y }}\">", ctx, "<a title=\"&quot; onmouseover=&quot;x\">");
	RENDERS("<a title='{{ y }}'>", ctx, "<a title='&quot; onmouseover=&quot;x'>");
	RENDERS("<a title=\"{{ x }}\">", ctx,
	        "<a title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">");
	RENDERS("<img alt=\"{{ z }}\">", ctx, "<img alt=\"javascript:alert(1)\">");
}

static void test_url(void **s)
{
	(void)s;
	np_value *ctx = M("x", S(XSS), "y", S(ATTR), "z", S(JSURL), "q", S("a&b c"), NULL);
	RENDERS("<a href=\"{{ z }}\">", ctx, "<a href=\"" NP_URL_BLOCKED "\">");
	RENDERS("<a href='{{ z }}'>", ctx, "<a href='" NP_URL_BLOCKED "'>");
	RENDERS("<iframe src=\"{{ z }}\">", ctx, "<iframe src=\"" NP_URL_BLOCKED "\">");
	RENDERS("<a href=\"{{ y }}\">", ctx, "<a href=\"%22%20onmouseover=%22x\">");
	RENDERS("<a href=\"{{ x }}\">", ctx, "<a href=\"%3Cscript%3Ealert(1)%3C/script%3E\">");
	RENDERS("<a href=\"/tag/{{ y }}\">", ctx, "<a href=\"/tag/%22%20onmouseover=%22x\">");
	RENDERS("<a href=\"/search?q={{ q }}&amp;p=1\">", ctx,
	        "<a href=\"/search?q=a%26b%20c&amp;p=1\">");
	RENDERS("<a href=\"{{ z | url_encode }}\">", ctx, "<a href=\"javascript%3Aalert%281%29\">");
	/* An explicit | safe is the template author's decision. */
	RENDERS("<a href=\"{{ z | safe }}\">", ctx, "<a href=\"javascript:alert(1)\">");
}

static void test_script(void **s)
{
	(void)s;
	np_value *ctx = M("x", S(XSS), "m", M("t", S("</script>"), "n", I(1), NULL), NULL);
	RENDERS("<script>var d = {{ x | json }};</script>", ctx,
	        "<script>var d = \"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\";</script>");
	RENDERS("<script type=\"application/ld+json\">{{ m | json }}</script>", ctx,
	        "<script "
	        "type=\"application/ld+json\">{\"t\":\"\\u003c/script\\u003e\",\"n\":1}</script>");
	RENDERS("<p data-x=\"{{ m | json }}\">", ctx,
	        "<p data-x=\"{&quot;t&quot;:&quot;\\u003c/script\\u003e&quot;,&quot;n&quot;:1}\">");
	FAILS("<script>var d = {{ x }};</script>", ctx,
	      "main.html:1:17: error: output inside <script> must end with '| json' or '| safe'");
	FAILS("<style>p { color: {{ x }} }</style>", ctx,
	      "main.html:1:19: error: output inside <style> must end with '| safe'");
}

static void test_refused_contexts(void **s)
{
	(void)s;
	np_value *ctx = M("x", S(XSS), NULL);
	FAILS("<a onclick=\"{{ x }}\">", ctx,
	      "main.html:1:13: error: output inside an event handler or style attribute is not "
	      "allowed (unless it ends with '| safe')");
	FAILS("<a style='{{ x }}'>", ctx,
	      "main.html:1:11: error: output inside an event handler or style attribute is not "
	      "allowed (unless it ends with '| safe')");
	FAILS("<a href={{ x }}>", ctx,
	      "main.html:1:9: error: output in an unquoted attribute value: quote the value");
	FAILS("<a {{ x }}>", ctx,
	      "main.html:1:4: error: output inside an HTML tag must be in a quoted attribute "
	      "value (or end with '| safe')");
	FAILS("<a href=\"{% include 'x.html' %}\">", ctx,
	      "main.html:1:10: error: 'include' must be in text, not in a double-quoted "
	      "attribute value");
}

static void test_safe_and_escape(void **s)
{
	(void)s;
	np_value *ctx = M("body", np_value_safe(&A, NP_STR("<p>正文</p>")), "x", S("<b>"), NULL);
	RENDERS("{{ body }}", ctx, "<p>正文</p>");
	RENDERS("{{ x | safe }}", ctx, "<b>");
	RENDERS("{{ x | escape }}", ctx, "&lt;b&gt;");
	RENDERS("{{ x | escape | escape }}", ctx, "&lt;b&gt;");
	RENDERS("{{ body | truncate(2) }}", ctx, "&lt;…");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_functions),
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_attribute, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_url, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_script, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_contexts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_safe_and_escape, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	np_buf_dispose(&E);
	return rc;
}
