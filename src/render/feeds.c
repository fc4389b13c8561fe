/* Atom feeds, sitemaps and robots.txt, written directly (they are fixed
 * formats that a theme has no reason to change, and XML escaping differs
 * from the template engine's HTML escaping). */
#include "render/feeds.h"

#include <stdlib.h>

#include <stdint.h>
#include <string.h>

#include <xxhash.h>

void np_xml_escape(np_buf *out, np_str s)
{
	size_t run = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		const char *rep = NULL;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				rep = "";
		}
		if (!rep)
			continue;
		np_buf_put(out, s.p + run, i - run);
		np_buf_puts(out, rep);
		run = i + 1;
	}
	np_buf_put(out, s.p + run, s.len - run);
}

/* Appends the absolute URL of an output path ("index.html" dropped). */
static void abs_url(np_buf *out, const np_site *s, const char *path)
{
	np_str p = np_str_from(path), base = s->config.base_url;
	if (np_str_ends(p, NP_STR("index.html")))
		p.len -= strlen("index.html");
	np_xml_escape(out, base);
	if (!base.len || base.p[base.len - 1] != '/')
		np_buf_putc(out, '/');
	np_xml_escape(out, p);
}

/* The date an entry is filed under: the issue's date, else its own. */
static np_date entry_date(const np_site *s, size_t art)
{
	const np_site_article *a = &s->articles[art];
	if (a->issue != SIZE_MAX && np_date_known(s->issues[a->issue].date))
		return s->issues[a->issue].date;
	return np_date_known(a->rec.date) ? a->rec.date : (np_date){1970, 1, 1};
}

static void put_time(np_buf *out, const char *tag, np_date d)
{
	np_buf_printf(out, "<%s>%04d-%02d-%02dT00:00:00Z</%s>\n", tag, d.y, d.m, d.d, tag);
}

static void text_el(np_buf *out, const char *tag, np_str text)
{
	np_buf_printf(out, "<%s>", tag);
	np_xml_escape(out, text);
	np_buf_printf(out, "</%s>\n", tag);
}

static void entry(np_buf *out, const np_site *s, size_t art)
{
	const np_site_article *a = &s->articles[art];
	np_buf_puts(out, "<entry>\n");
	text_el(out, "title", a->rec.title);
	np_buf_puts(out, "<id>");
	abs_url(out, s, a->url);
	np_buf_puts(out, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	abs_url(out, s, a->url);
	np_buf_puts(out, "\"/>\n");
	put_time(out, "published", np_date_known(a->rec.date) ? a->rec.date : entry_date(s, art));
	put_time(out, "updated", entry_date(s, art));
	for (size_t k = 0; k < a->rec.authors.len; k++) {
		np_buf_puts(out, "<author>");
		text_el(out, "name", a->rec.authors.items[k]);
		np_buf_puts(out, "</author>\n");
	}
	if (a->rec.summary.len)
		text_el(out, "summary", a->rec.summary);
	np_buf_puts(out, "</entry>\n");
}

/* Every input read here (and by entry) goes into np_feed_key below. */
void np_feed_atom(np_buf *out, const np_site *s, const np_feed *f)
{
	size_t n = f->n < NP_FEED_MAX ? f->n : NP_FEED_MAX;
	np_date updated = {1970, 1, 1};
	for (size_t i = 0; i < n; i++)
		if (np_date_cmp(entry_date(s, f->articles[i]), updated) > 0)
			updated = entry_date(s, f->articles[i]);
	np_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	np_xml_escape(out, s->config.language);
	np_buf_puts(out, "\">\n");
	text_el(out, "title", f->title);
	np_buf_puts(out, "<id>");
	abs_url(out, s, f->self_path);
	np_buf_puts(out, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	abs_url(out, s, f->self_path);
	np_buf_puts(out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	abs_url(out, s, f->page_path);
	np_buf_puts(out, "\"/>\n");
	put_time(out, "updated", updated);
	np_buf_puts(out, "<author>");
	text_el(out, "name", s->config.title);
	np_buf_puts(out, "</author>\n<generator>newsprint</generator>\n");
	for (size_t i = 0; i < n; i++)
		entry(out, s, f->articles[i]);
	np_buf_puts(out, "</feed>\n");
}

static void key_bytes(XXH3_state_t *st, const void *p, size_t n)
{
	uint64_t len = n;
	XXH3_128bits_update(st, &len, sizeof len);
	XXH3_128bits_update(st, p ? p : "", n);
}

bool np_feed_key(const np_site *s, const np_feed *f, XXH3_state_t *st)
{
	static const char kind[] = "ATOM";
	key_bytes(st, kind, sizeof kind);
	key_bytes(st, s->config.title.p, s->config.title.len);
	key_bytes(st, s->config.language.p, s->config.language.len);
	key_bytes(st, s->config.base_url.p, s->config.base_url.len);
	key_bytes(st, f->title.p, f->title.len);
	key_bytes(st, f->self_path, strlen(f->self_path));
	key_bytes(st, f->page_path, strlen(f->page_path));
	size_t n = f->n < NP_FEED_MAX ? f->n : NP_FEED_MAX;
	key_bytes(st, &n, sizeof n);
	for (size_t i = 0; i < n; i++) {
		const np_site_article *a = &s->articles[f->articles[i]];
		if (!a->rec_digest[0] && !a->rec_digest[1])
			return false;
		np_date d = entry_date(s, f->articles[i]);
		int32_t ymd[3] = {d.y, d.m, d.d};
		XXH3_128bits_update(st, a->rec_digest, sizeof a->rec_digest);
		key_bytes(st, a->url, strlen(a->url));
		XXH3_128bits_update(st, ymd, sizeof ymd);
	}
	return true;
}

size_t np_sitemap_max(void)
{
	const char *e = getenv("NEWSPRINT_SITEMAP_MAX");
	long v = e && *e ? strtol(e, NULL, 10) : 0;
	return v > 0 && v < NP_SITEMAP_MAX ? (size_t)v : NP_SITEMAP_MAX;
}

void np_sitemap_urlset(np_buf *out, const np_site *s, const char *const *paths, size_t n)
{
	np_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < n && i < NP_SITEMAP_MAX; i++) {
		np_buf_puts(out, "<url><loc>");
		abs_url(out, s, paths[i]);
		np_buf_puts(out, "</loc></url>\n");
	}
	np_buf_puts(out, "</urlset>\n");
}

void np_sitemap_index(np_buf *out, const np_site *s, size_t parts)
{
	np_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	char name[40];
	for (size_t i = 1; i <= parts; i++) {
		snprintf(name, sizeof name, "sitemap-%zu.xml", i);
		np_buf_puts(out, "<sitemap><loc>");
		abs_url(out, s, name);
		np_buf_puts(out, "</loc></sitemap>\n");
	}
	np_buf_puts(out, "</sitemapindex>\n");
}

void np_robots_txt(np_buf *out, const np_site *s)
{
	np_buf_puts(out, "User-agent: *\nAllow: /\n\nSitemap: ");
	np_str base = s->config.base_url;
	np_buf_putstr(out, base);
	if (!base.len || base.p[base.len - 1] != '/')
		np_buf_putc(out, '/');
	np_buf_puts(out, "sitemap.xml\n");
}
