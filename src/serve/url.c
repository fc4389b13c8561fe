/* Pure HTTP helpers for the serve stage: request paths, MIME types, dates,
 * validators and ranges.  No I/O, so each is unit-tested on its own
 * (tests/unit/test_serve_url.c). */
#define _DEFAULT_SOURCE
#include "serve/internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes %XX escapes of raw into out; NP_EINVAL for a bad escape, a NUL,
 * a control byte or a backslash (never part of a name we write). */
static int percent_decode(np_str raw, np_buf *out)
{
	for (size_t i = 0; i < raw.len; i++) {
		unsigned char c = (unsigned char)raw.p[i];
		if (c == '%') {
			int hi = i + 2 < raw.len ? hexval(raw.p[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(raw.p[i + 2]) : -1;
			if (lo < 0)
				return NP_EINVAL;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return NP_EINVAL;
		if (c == '\\')
			return NP_EUNSAFE;
		np_buf_putc(out, (char)c);
	}
	return 0;
}

/* Appends the segments of the decoded path p to rel, refusing "..",
 * hidden names, and dropping "" and ".". */
static int join_segments(np_str p, np_buf *rel)
{
	size_t i = 0;
	while (i < p.len) {
		size_t j = i;
		while (j < p.len && p.p[j] != '/')
			j++;
		np_str seg = {p.p + i, j - i};
		i = j + 1;
		if (seg.len == 0 || np_str_eq_c(seg, "."))
			continue;
		if (seg.p[0] == '.')
			return NP_EUNSAFE; /* "..", and hidden files such as the manifest */
		if (rel->len)
			np_buf_putc(rel, '/');
		np_buf_putstr(rel, seg);
	}
	return 0;
}

int np_serve_clean_path(np_str raw, np_buf *rel, bool *dir_slash)
{
	np_buf dec;
	np_buf_init(&dec);
	np_buf_clear(rel);
	*dir_slash = false;
	int rc = NP_EINVAL;
	for (size_t i = 0; i < raw.len; i++)
		if (raw.p[i] == '?' || raw.p[i] == '#') {
			raw.len = i;
			break;
		}
	if (raw.len == 0 || raw.p[0] != '/')
		goto out;
	rc = NP_ELIMIT;
	if (raw.len > NP_SERVE_MAX_PATH)
		goto out;
	rc = percent_decode(raw, &dec);
	if (rc)
		goto out;
	*dir_slash = dec.data[dec.len - 1] == '/';
	rc = join_segments(np_str_of(&dec), rel);
out:
	if (rc)
		np_buf_clear(rel);
	np_buf_dispose(&dec);
	return rc;
}

typedef struct mime_entry {
	const char *ext;
	const char *type;
} mime_entry;

/* What a static news site holds: pages, feeds, the search index, theme
 * assets, images and fonts.  Sorted by extension for bsearch. */
static const mime_entry mime_table[] = {
    {"atom", "application/atom+xml; charset=utf-8"},
    {"avif", "image/avif"},
    {"css", "text/css; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"gif", "image/gif"},
    {"gz", "application/gzip"},
    {"htm", "text/html; charset=utf-8"},
    {"html", "text/html; charset=utf-8"},
    {"ico", "image/x-icon"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"map", "application/json; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"rss", "application/rss+xml; charset=utf-8"},
    {"svg", "image/svg+xml; charset=utf-8"},
    {"ttf", "font/ttf"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
    {"webmanifest", "application/manifest+json; charset=utf-8"},
    {"webp", "image/webp"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"xml", "application/xml; charset=utf-8"},
    {"yaml", "text/yaml; charset=utf-8"},
};

static int mime_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const mime_entry *)elem)->ext);
}

const char *np_serve_mime(np_str name)
{
	size_t dot = name.len;
	while (dot > 0 && name.p[dot - 1] != '.' && name.p[dot - 1] != '/')
		dot--;
	if (dot == 0 || name.p[dot - 1] != '.' || name.len - dot > 15)
		return "application/octet-stream";
	char ext[16];
	memcpy(ext, name.p + dot, name.len - dot);
	ext[name.len - dot] = '\0';
	const mime_entry *e = bsearch(ext, mime_table, sizeof mime_table / sizeof *mime_table,
	                              sizeof *mime_table, mime_cmp);
	return e ? e->type : "application/octet-stream";
}

bool np_serve_mime_is_html(const char *mime)
{
	return strncmp(mime, "text/html", 9) == 0;
}

static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void np_serve_http_date(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
	         months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int np_serve_parse_http_date(const char *s, time_t *out)
{
	char wd[4], mon[4];
	int day, year, h, m, sec, n = 0;
	if (sscanf(s, "%3[A-Za-z], %d %3s %d %d:%d:%d GMT%n", wd, &day, mon, &year, &h, &m, &sec,
	           &n) != 7 ||
	    n == 0 || s[n] != '\0')
		return NP_EINVAL;
	struct tm tm = {.tm_mday = day,
	                .tm_year = year - 1900,
	                .tm_hour = h,
	                .tm_min = m,
	                .tm_sec = sec,
	                .tm_mon = -1};
	for (int i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			tm.tm_mon = i;
	if (tm.tm_mon < 0 || day < 1 || day > 31 || h > 23 || m > 59 || sec > 60 || year < 1970)
		return NP_EINVAL;
	*out = timegm(&tm);
	return 0;
}

/* The next entity-tag of an If-None-Match list, without W/ and spaces. */
static np_str next_tag(const char **s)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (p[0] == 'W' && p[1] == '/')
		p += 2;
	const char *start = p;
	if (*p == '"') {
		const char *q = strchr(p + 1, '"');
		p = q ? q + 1 : p + strlen(p);
	} else {
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
	}
	*s = p;
	return (np_str){start, (size_t)(p - start)};
}

bool np_serve_etag_match(const char *s, const char *etag)
{
	np_str want = np_str_from(etag);
	if (want.len >= 2 && want.p[0] == 'W' && want.p[1] == '/')
		want = np_str_sub(want, 2, want.len);
	while (*s) {
		np_str tag = next_tag(&s);
		if (np_str_eq_c(tag, "*") || (tag.len && np_str_eq(tag, want)))
			return true;
	}
	return false;
}

/* Reads a decimal number of at most 19 digits at *s. */
static bool read_u64(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 19) {
		n = n * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	if (digits == 0 || (*p >= '0' && *p <= '9'))
		return false;
	*s = p;
	*v = n;
	return true;
}

int np_serve_parse_range(const char *s, uint64_t size, np_range *r)
{
	if (strncmp(s, "bytes=", 6) != 0 || strchr(s, ','))
		return NP_EINVAL;
	const char *p = s + 6;
	uint64_t a = 0, b = 0;
	bool has_a = read_u64(&p, &a);
	if (*p++ != '-')
		return NP_EINVAL;
	bool has_b = read_u64(&p, &b);
	if (*p != '\0' || (!has_a && !has_b) || (has_a && has_b && b < a))
		return NP_EINVAL;
	if (!has_a) { /* suffix: the last b bytes */
		if (b == 0 || size == 0)
			return NP_ELIMIT;
		r->len = b < size ? b : size;
		r->start = size - r->len;
		return 0;
	}
	if (a >= size)
		return NP_ELIMIT;
	if (!has_b || b >= size)
		b = size - 1;
	r->start = a;
	r->len = b - a + 1;
	return 0;
}
