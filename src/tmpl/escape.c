#include "tmpl/escape.h"

#include <ctype.h>

#include "util/utf8.h"

void np_escape_html(np_buf *out, np_str s)
{
	size_t run = 0;
	for (size_t i = 0; i < s.len; i++) {
		const char *rep;
		switch (s.p[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		np_buf_put(out, s.p + run, i - run);
		np_buf_puts(out, rep);
		run = i + 1;
	}
	np_buf_put(out, s.p + run, s.len - run);
}

static bool scheme_allowed(const char *sch, size_t n)
{
	static const char *const ok[] = {"http", "https", "mailto", "tel"};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (strlen(ok[i]) == n && strncmp(ok[i], sch, n) == 0)
			return true;
	return false;
}

bool np_url_scheme_ok(np_str s)
{
	/* Browsers strip leading C0 controls and spaces and remove tab, CR
	 * and LF anywhere (WHATWG URL), so "java\tscript:" is javascript:. */
	char sch[16];
	size_t n = 0, i = 0;
	while (i < s.len && (unsigned char)s.p[i] <= 0x20)
		i++;
	for (; i < s.len; i++) {
		char c = s.p[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '/' || c == '?' || c == '#')
			return true;
		if (c == ':')
			return scheme_allowed(sch, n);
		if (n == sizeof sch)
			n = sizeof sch - 1; /* too long for any allowed scheme */
		sch[n++] = (char)tolower((unsigned char)c);
	}
	return true;
}

static void put_pct(np_buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[3] = {'%', hex[c >> 4], hex[c & 15]};
	np_buf_put(out, b, 3);
}

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Bytes that cannot appear literally in a URL attribute value: controls,
 * space, DEL, quotes, <, >, backslash, backtick, {, }, |, ^. */
static bool url_bad(unsigned char c)
{
	static const uint32_t bad[4] = {0xFFFFFFFFu, 0x50000085u, 0x50000000u, 0xB8000001u};
	return c < 128 && (bad[c >> 5] >> (c & 31) & 1);
}

static void url_normalize(np_buf *out, np_str s)
{
	size_t run = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		bool pct = c == '%' && !(i + 2 < s.len && is_hex(s.p[i + 1]) && is_hex(s.p[i + 2]));
		if (c != '&' && !pct && !url_bad(c))
			continue;
		np_buf_put(out, s.p + run, i - run);
		if (c == '&')
			np_buf_puts(out, "&amp;");
		else
			put_pct(out, c);
		run = i + 1;
	}
	np_buf_put(out, s.p + run, s.len - run);
}

void np_escape_url(np_buf *out, np_str s, np_url_part part)
{
	if (part == NP_URL_QUERY) {
		np_url_encode(out, s);
		return;
	}
	if (part == NP_URL_START && !np_url_scheme_ok(s)) {
		np_buf_puts(out, NP_URL_BLOCKED);
		return;
	}
	url_normalize(out, s);
}

void np_url_encode(np_buf *out, np_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (isalnum(c) && c < 0x80)
			np_buf_putc(out, (char)c);
		else if (c == '-' || c == '.' || c == '_' || c == '~')
			np_buf_putc(out, (char)c);
		else
			put_pct(out, c);
	}
}

static void json_cp(np_buf *out, uint32_t cp)
{
	switch (cp) {
	case '"':
		np_buf_puts(out, "\\\"");
		return;
	case '\\':
		np_buf_puts(out, "\\\\");
		return;
	case '\n':
		np_buf_puts(out, "\\n");
		return;
	case '\r':
		np_buf_puts(out, "\\r");
		return;
	case '\t':
		np_buf_puts(out, "\\t");
		return;
	case '<':
	case '>':
	case '&':
	case '\'':
	case 0x2028:
	case 0x2029:
		np_buf_printf(out, "\\u%04x", (unsigned)cp);
		return;
	default:
		if (cp < 0x20)
			np_buf_printf(out, "\\u%04x", (unsigned)cp);
		else
			np_buf_put_cp(out, cp);
	}
}

void np_json_string(np_buf *out, np_str s)
{
	np_buf_putc(out, '"');
	size_t i = 0, run = 0;
	while (i < s.len) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x20 && c < 0x80 && !strchr("\"\\<>&'", c)) {
			i++;
			continue;
		}
		uint32_t cp = c;
		size_t n = c < 0x80 ? 1 : np_utf8_decode(s.p + i, s.len - i, &cp);
		if (cp >= 0x80 && cp != 0x2028 && cp != 0x2029 && cp != NP_REPLACEMENT) {
			i += n; /* valid non-ASCII: copied as is */
			continue;
		}
		np_buf_put(out, s.p + run, i - run);
		json_cp(out, cp);
		i += n;
		run = i;
	}
	np_buf_put(out, s.p + run, s.len - run);
	np_buf_putc(out, '"');
}
