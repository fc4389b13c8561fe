/* The pure helpers behind newsprint serve: request path sanitising (every
 * traversal spelling refused, decoding done once), MIME lookup, HTTP dates,
 * If-None-Match and Range parsing, and the reload-script injection. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#if defined(__has_include)
#if __has_include(<microhttpd.h>)
#define HAVE_SERVE 1
#endif
#endif

#ifdef HAVE_SERVE
#include "serve/internal.h"
#include "util/err.h"

/* Cleans raw; want is the relative path, or "!<code>" for a refusal. */
static void expect_path(const char *raw, const char *want, bool want_slash)
{
	np_buf rel;
	np_buf_init(&rel);
	bool slash = !want_slash;
	int rc = np_serve_clean_path(np_str_from(raw), &rel, &slash);
	char got[256];
	if (rc)
		snprintf(got, sizeof got, "!%d", rc);
	else
		snprintf(got, sizeof got, "%s", rel.data);
	if (strcmp(got, want) != 0)
		fail_msg("clean_path(\"%s\") = \"%s\", want \"%s\"", raw, got, want);
	if (rc == 0 && slash != want_slash)
		fail_msg("clean_path(\"%s\"): dir_slash %d, want %d", raw, slash, want_slash);
	if (rc)
		assert_int_equal(rel.len, 0);
	np_buf_dispose(&rel);
}

#define UNSAFE "!-5"
#define INVALID "!-2"

static void test_path_plain(void **state)
{
	(void)state;
	expect_path("/", "", true);
	expect_path("/index.html", "index.html", false);
	expect_path("/issues/", "issues", true);
	expect_path("/issues/2022-08-30/07/", "issues/2022-08-30/07", true);
	expect_path("/a//b/./c", "a/b/c", false);
	expect_path("/search/?q=%2e%2e", "search", true);
	expect_path("/x#frag", "x", false);
	expect_path("/%E6%96%87%E7%AB%A0.html", "文章.html", false);
	expect_path("/%252e%252e/x", "%2e%2e/x", false);  /* decoded once: a literal name */
	expect_path("//etc/passwd", "etc/passwd", false); /* relative to the root */
	expect_path("/..a/", UNSAFE, true);               /* hidden names */
}

static void test_path_traversal(void **state)
{
	(void)state;
	expect_path("/..", UNSAFE, false);
	expect_path("/../etc/passwd", UNSAFE, false);
	expect_path("/a/../../etc/passwd", UNSAFE, false);
	expect_path("/a/..", UNSAFE, false);
	expect_path("/%2e%2e/etc/passwd", UNSAFE, false);
	expect_path("/%2E%2E/etc/passwd", UNSAFE, false);
	expect_path("/.%2e/etc/passwd", UNSAFE, false);
	expect_path("/..%2fetc%2fpasswd", UNSAFE, false);
	expect_path("/..%2Fetc", UNSAFE, false);
	expect_path("/a/..%2f..%2f..%2fetc/passwd", UNSAFE, false);
	expect_path("/..\\etc\\passwd", UNSAFE, false);
	expect_path("/%5c..%5cetc", UNSAFE, false);
	expect_path("/.newsprint-outputs", UNSAFE, false);
	expect_path("/a/.git/config", UNSAFE, false);
}

static void test_path_invalid(void **state)
{
	(void)state;
	expect_path("", INVALID, false);
	expect_path("index.html", INVALID, false);
	expect_path("../etc/passwd", INVALID, false);
	expect_path("/%00../etc/passwd", INVALID, false);
	expect_path("/a%00.html", INVALID, false);
	expect_path("/a%0a", INVALID, false);
	expect_path("/a%", INVALID, false);
	expect_path("/a%2", INVALID, false);
	expect_path("/a%zz", INVALID, false);
	char big[NP_SERVE_MAX_PATH + 8];
	memset(big, 'a', sizeof big - 1);
	big[0] = '/';
	big[sizeof big - 1] = '\0';
	expect_path(big, "!-6", false);
}

static void test_mime(void **state)
{
	(void)state;
	assert_string_equal(np_serve_mime(NP_STR("a/index.html")), "text/html; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("INDEX.HTM")), "text/html; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("static/style.css")), "text/css; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("search/docs/0000.json")),
	                    "application/json; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("feed.xml")), "application/xml; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("app.js")), "text/javascript; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("logo.svg")), "image/svg+xml; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("p.JPG")), "image/jpeg");
	assert_string_equal(np_serve_mime(NP_STR("f.woff2")), "font/woff2");
	assert_string_equal(np_serve_mime(NP_STR("robots.txt")), "text/plain; charset=utf-8");
	assert_string_equal(np_serve_mime(NP_STR("README")), "application/octet-stream");
	assert_string_equal(np_serve_mime(NP_STR("a.b/README")), "application/octet-stream");
	assert_string_equal(np_serve_mime(NP_STR("x.")), "application/octet-stream");
	assert_string_equal(np_serve_mime(NP_STR("x.averyveryverylongextension")),
	                    "application/octet-stream");
	assert_true(np_serve_mime_is_html(np_serve_mime(NP_STR("a.html"))));
	assert_false(np_serve_mime_is_html(np_serve_mime(NP_STR("a.css"))));
}

static void test_http_date(void **state)
{
	(void)state;
	char buf[32];
	np_serve_http_date(784111777, buf);
	assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	time_t t = 0;
	assert_int_equal(np_serve_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(np_serve_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &t), NP_EINVAL);
	assert_int_equal(np_serve_parse_http_date("Sun Nov  6 08:49:37 1994", &t), NP_EINVAL);
	assert_int_equal(np_serve_parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT", &t), NP_EINVAL);
	assert_int_equal(np_serve_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT junk", &t),
	                 NP_EINVAL);
	assert_int_equal(np_serve_parse_http_date("", &t), NP_EINVAL);
}

static void test_etag_match(void **state)
{
	(void)state;
	assert_true(np_serve_etag_match("\"a-1\"", "\"a-1\""));
	assert_true(np_serve_etag_match("W/\"a-1\"", "\"a-1\""));
	assert_true(np_serve_etag_match("\"x\", \"a-1\"", "\"a-1\""));
	assert_true(np_serve_etag_match("*", "\"a-1\""));
	assert_false(np_serve_etag_match("\"a-2\"", "\"a-1\""));
	assert_false(np_serve_etag_match("\"a-1", "\"a-1\""));
	assert_false(np_serve_etag_match("", "\"a-1\""));
}

/* want "start+len", or "!code". */
static void expect_range(const char *h, uint64_t size, const char *want)
{
	np_range r = {0, 0};
	int rc = np_serve_parse_range(h, size, &r);
	char got[64];
	if (rc)
		snprintf(got, sizeof got, "!%d", rc);
	else
		snprintf(got, sizeof got, "%llu+%llu", (unsigned long long)r.start,
		         (unsigned long long)r.len);
	if (strcmp(got, want) != 0)
		fail_msg("parse_range(\"%s\", %llu) = %s, want %s", h, (unsigned long long)size,
		         got, want);
}

static void test_range(void **state)
{
	(void)state;
	expect_range("bytes=0-99", 1000, "0+100");
	expect_range("bytes=990-", 1000, "990+10");
	expect_range("bytes=990-5000", 1000, "990+10");
	expect_range("bytes=-10", 1000, "990+10");
	expect_range("bytes=-5000", 1000, "0+1000");
	expect_range("bytes=999-999", 1000, "999+1");
	expect_range("bytes=1000-", 1000, "!-6");
	expect_range("bytes=-0", 1000, "!-6");
	expect_range("bytes=0-", 0, "!-6");
	expect_range("bytes=5-1", 1000, "!-2");
	expect_range("bytes=0-1,5-6", 1000, "!-2");
	expect_range("bytes=-", 1000, "!-2");
	expect_range("bytes=a-b", 1000, "!-2");
	expect_range("items=0-1", 1000, "!-2");
	expect_range("bytes=99999999999999999999-", 1000, "!-2");
}

static void expect_inject(const char *html, const char *want)
{
	np_buf b;
	np_buf_init(&b);
	np_buf_puts(&b, html);
	np_reload_inject(NULL, &b);
	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	np_buf_dispose(&b);
}

#define TAG "<script src=\"/__newsprint/reload.js\"></script>\n"

static void test_inject(void **state)
{
	(void)state;
	expect_inject("<p>x</p></body></html>", "<p>x</p>" TAG "</body></html>");
	expect_inject("<p>x</p></BODY>", "<p>x</p>" TAG "</BODY>");
	expect_inject("</body><p>\"</body>\"</p></body>",
	              "</body><p>\"</body>\"</p>" TAG "</body>");
	expect_inject("<p>no body end", "<p>no body end" TAG);
	expect_inject("", TAG);
	np_str js = np_reload_script();
	assert_non_null(strstr(js.p, "new EventSource('" NP_RELOAD_EVENTS "')"));
}

/* Injects into "<p>x</p></body>" with hub r; returns what went before </body>. */
static char *inject_with(np_reload *r)
{
	np_buf b;
	np_buf_init(&b);
	np_buf_puts(&b, "<p>x</p></body>");
	np_reload_inject(r, &b);
	assert_true(b.len > 15 && strcmp(b.data + b.len - 7, "</body>") == 0);
	assert_memory_equal(b.data, "<p>x</p>", 8);
	b.data[b.len - 7] = '\0';
	char *added = strdup(b.data + 8);
	np_buf_dispose(&b);
	return added;
}

/* While the last build failed, pages carry the overlay with the escaped
 * diagnostics, and their state number changes with every failed build;
 * after a good build neither. */
static void test_inject_error(void **state)
{
	(void)state;
	np_reload *r = np_reload_new();
	assert_int_equal(np_reload_state(r), 0);
	char *s = inject_with(r);
	assert_string_equal(s, TAG);
	free(s);

	np_reload_error(r, np_str_from("a.html:3:7: <script>alert(1)</script> & \"q\"\r\n"));
	uint64_t first = np_reload_state(r);
	assert_true(first != 0);
	s = inject_with(r);
	assert_non_null(strstr(s, "<div id=\"__newsprint_error\" style=\""));
	assert_non_null(strstr(s, "the build failed"));
	assert_non_null(strstr(s, "a.html:3:7: &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
	                          "&quot;q&quot;\n</div>\n" TAG));
	assert_null(strstr(s, "<script>alert"));
	assert_null(strchr(s, '\r'));
	free(s);

	np_reload_error(r, np_str_from("again"));
	assert_true(np_reload_state(r) != 0 && np_reload_state(r) != first);
	np_reload_pages(r);
	assert_int_equal(np_reload_state(r), 0);
	s = inject_with(r);
	assert_string_equal(s, TAG);
	free(s);
	np_reload_close(r);
	np_reload_free(r);

	/* the script takes over an overlay the server wrote */
	np_str js = np_reload_script();
	assert_non_null(strstr(js.p, "document.getElementById('__newsprint_error')"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_plain),   cmocka_unit_test(test_path_traversal),
	    cmocka_unit_test(test_path_invalid), cmocka_unit_test(test_mime),
	    cmocka_unit_test(test_http_date),    cmocka_unit_test(test_etag_match),
	    cmocka_unit_test(test_range),        cmocka_unit_test(test_inject),
	    cmocka_unit_test(test_inject_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void)
{
	puts("serve not built (no libmicrohttpd): nothing to test");
	return 0;
}
#endif
