/* Files for feed readers and hosts: Atom feeds (RFC 4287), sitemaps
 * (sitemaps.org 0.9, split at NP_SITEMAP_MAX URLs under a sitemap index)
 * and robots.txt.  Every URL in them is absolute, from base_url.  Output
 * depends only on the site model (the feed's <updated> is its newest
 * article's date, not the clock), so an unchanged site gives unchanged
 * bytes. */
#ifndef NP_RENDER_FEEDS_H
#define NP_RENDER_FEEDS_H

#include "site/site.h"
#include "util/buf.h"

#define NP_FEED_MAX 50
#define NP_SITEMAP_MAX 50000

typedef struct np_feed {
	np_str title;          /* the feed's own title (e.g. the region's name) */
	const char *self_path; /* output path of the feed, e.g. "regions/640181/feed.xml" */
	const char *page_path; /* output path of the HTML page it follows */
	const size_t *articles; /* newest first; at most NP_FEED_MAX are used */
	size_t n;
} np_feed;

/* Appends the Atom document for f to out. */
void np_feed_atom(np_buf *out, const np_site *s, const np_feed *f);
/* Adds everything np_feed_atom(_, s, f) reads to st (a page key, see
 * render/context.h): site.yaml's title, language and base_url, the feed's
 * title and paths, and per article its record's rec_digest, URL and
 * issue date.  False when a record's digest is unknown. */
struct XXH3_state_s;
bool np_feed_key(const np_site *s, const np_feed *f, struct XXH3_state_s *st);
/* URLs per sitemap part: NP_SITEMAP_MAX, or NEWSPRINT_SITEMAP_MAX from
 * the environment when it is a smaller positive number (the tests set it
 * low so that a small site has many parts). */
size_t np_sitemap_max(void);
/* Appends a <urlset> of the given output paths (at most NP_SITEMAP_MAX). */
void np_sitemap_urlset(np_buf *out, const np_site *s, const char *const *paths, size_t n);
/* Appends a <sitemapindex> naming sitemap-1.xml … sitemap-<parts>.xml. */
void np_sitemap_index(np_buf *out, const np_site *s, size_t parts);
/* Appends robots.txt: everything allowed, and where the sitemap is. */
void np_robots_txt(np_buf *out, const np_site *s);
/* Appends s with XML's five special characters escaped, and characters XML
 * 1.0 forbids (C0 controls but tab, CR, LF) dropped. */
void np_xml_escape(np_buf *out, np_str s);

#endif
