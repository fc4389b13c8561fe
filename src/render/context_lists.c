/* Contexts of the browsing page kinds: region pages and the regions index,
 * event pages and the events index, the calendar.  Everything is built in
 * the job's arena; each context costs time in proportion to what its page
 * shows (a region page is one page of its list, not the whole list). */
#include <stdint.h>
#include <stdlib.h>

#include <xxhash.h>

#include "render/context.h"

size_t np_ctx_per_page(const np_site *s)
{
	return s->config.per_page > 0 ? (size_t)s->config.per_page : 20;
}


char *np_ctx_list_page_url(const char *dir, size_t k, size_t n_pages, np_arena *a)
{
	if (k >= n_pages)
		return np_arena_printf(a, "%s/index.html", dir);
	return np_arena_printf(a, "%s/page/%zu/index.html", dir, k);
}

static np_value *page_link(const char *dir, size_t k, size_t n, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "number", (int64_t)k);
	np_value_map_set(a, m, "url", np_value_strc(a, np_ctx_list_page_url(dir, k, n, a)));
	return m;
}

/* Pages on each side of the current one in a pager's window. */
enum { NP_PAGER_SPAN = 3 };

/* Reads (k, n) as the pager does (n at least 1, k out of range: the
 * newest page) and gives the top of its window: n on the newest page,
 * k + NP_PAGER_SPAN capped at n - 1 on an archived one. */
static size_t pager_top(size_t *k, size_t *n)
{
	if (*n < 1)
		*n = 1;
	if (*k < 1 || *k > *n)
		*k = *n;
	if (*k >= *n)
		return *n;
	return *k + NP_PAGER_SPAN < *n - 1 ? *k + NP_PAGER_SPAN : *n - 1;
}

/* Pages are numbered from the oldest (1) to the newest (n); the newest is
 * the list's index.html and the only page whose articles change as new
 * ones arrive.  An archived page k links to k±NP_PAGER_SPAN (capped at
 * n-1), page 1 and the index, so adding articles changes only the index
 * and, when a new page fills, the last few archived pages. */
np_value *np_ctx_pager(np_arena *a, const char *dir, size_t k, size_t n)
{
	size_t top = pager_top(&k, &n);
	bool archived = k < n;
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "page", (int64_t)k);
	np_value_map_set(a, m, "archived", np_value_bool(archived));
	if (!archived)
		np_value_map_set_int(a, m, "n_pages", (int64_t)n);
	np_value_map_set(a, m, "newer", archived ? page_link(dir, k + 1, n, a) : NULL);
	np_value_map_set(a, m, "older", k > 1 ? page_link(dir, k - 1, n, a) : NULL);
	/* the window: newest first, archived pages only besides k itself */
	size_t span = archived ? NP_PAGER_SPAN : NP_PAGER_SPAN + 1;
	size_t bottom = k > span ? k - span : 1;
	np_value *pages = np_value_list(a, n > 1 ? top - bottom + 1 : 0);
	for (size_t i = top; n > 1 && i >= bottom; i--)
		np_value_list_push(a, pages, page_link(dir, i, n, a));
	np_value_map_set(a, m, "pages", pages);
	np_value_map_set(a, m, "first", n > 1 && bottom > 1 ? page_link(dir, 1, n, a) : NULL);
	np_value *latest = NULL;
	if (archived) {
		latest = np_value_map(a);
		np_value_map_set(a, latest, "url", np_value_strc(a, np_ctx_list_page_url(dir, n, n, a)));
	}
	np_value_map_set(a, m, "latest", latest);
	return m;
}

uint64_t np_ctx_pager_shape(size_t k, size_t n)
{
	size_t top = pager_top(&k, &n); /* n itself on the newest page */
	return (uint64_t)top << 1 | (k < n);
}

static np_value *parents(const np_ctx *c, size_t r)
{
	const np_site *s = c->s;
	size_t chain[8], n = 0;
	for (size_t p = s->regions[r].parent; p != SIZE_MAX && n < 8; p = s->regions[p].parent)
		chain[n++] = p;
	np_value *up = np_value_list(c->a, n);
	while (n-- > 0)
		np_value_list_push(c->a, up, np_ctx_region_link(c, chain[n]));
	return up;
}

static np_value *children(const np_ctx *c, size_t r, int depth)
{
	const np_site_region *g = &c->s->regions[r];
	np_value *kids = np_value_list(c->a, g->n_children);
	for (size_t k = 0; k < g->n_children; k++) {
		np_value *ch = np_ctx_region_counted(c, g->children[k]);
		if (depth > 1)
			np_value_map_set(c->a, ch, "children", children(c, g->children[k], depth - 1));
		np_value_list_push(c->a, kids, ch);
	}
	return kids;
}

/* A region list item: the article's brief and whether the region is where
 * it is reported.  Its digest follows from the brief's, so hashing a page
 * of items costs a digest per item. */
static np_value *region_item(const np_ctx *c, const np_site_region_item *it)
{
	const np_value *brief = np_ctx_article_brief(c, it->article);
	np_value *m = np_value_map_copy(c->a, brief, 1);
	np_value_map_set(c->a, m, "reported", np_value_bool(it->reported));
	if (brief->u.map->has_digest) {
		uint64_t in[3] = {brief->u.map->digest[0], brief->u.map->digest[1],
		                  it->reported ? 0x7265706f72746564u : 0x6d656e74696f6e64u};
		XXH128_hash_t h = XXH3_128bits(in, sizeof in);
		uint64_t d[2] = {h.low64, h.high64};
		np_value_map_set_digest(m, d);
	}
	return m;
}

/* Every input read here goes into np_ctx_region_key (context_keys.c). */
np_value *np_ctx_region(const np_ctx *c, size_t r, size_t k)
{
	const np_site *s = c->s;
	np_arena *a = c->a;
	const np_site_region *g = &s->regions[r];
	np_value *m = np_value_map_copy(a, np_ctx_region_link(c, r), 8);
	size_t from, n, n_pages = np_site_npages(g->n_items, np_ctx_per_page(s));
	np_site_page_slice(g->n_items, np_ctx_per_page(s), k, true, &from, &n);
	np_value *items = np_value_list(a, n);
	for (size_t i = from; i < from + n; i++)
		np_value_list_push(a, items, region_item(c, &g->items[i]));
	np_value_map_set(a, m, "items", items);
	if (k >= n_pages) { /* the newest page: what changes goes here */
		np_value_map_set_int(a, m, "n_reported", (int64_t)g->n_reported);
		np_value_map_set_int(a, m, "n_mentioned", (int64_t)g->n_mentioned);
		np_value_map_set(a, m, "children", children(c, r, 1));
	}
	np_value_map_set(a, m, "parents", parents(c, r));
	char *dir = np_arena_printf(a, "regions/%s", g->slug);
	np_value_map_set(a, m, "pager", np_ctx_pager(a, dir, k, n_pages));
	np_value_map_set(a, m, "feed_url",
	                 np_value_strc(a, np_arena_printf(a, "regions/%s/feed.xml", g->slug)));
	return m;
}

np_value *np_ctx_regions(const np_ctx *c)
{
	const np_site *s = c->s;
	np_value *m = np_value_map(c->a);
	np_value *v = np_value_list(c->a, s->n_provinces);
	for (size_t i = 0; i < s->n_provinces; i++) {
		np_value *p = np_ctx_region_counted(c, s->provinces[i]);
		np_value_map_set(c->a, p, "children", children(c, s->provinces[i], 2));
		np_value_list_push(c->a, v, p);
	}
	np_value_map_set(c->a, m, "provinces", v);
	return m;
}

static np_value *event_brief(const np_site *s, size_t e, np_arena *a)
{
	const np_site_event *ev = &s->events[e];
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "name", ev->name);
	np_value_map_set(a, m, "url", np_value_strc(a, ev->url));
	np_value_map_set(a, m, "first", np_ctx_date(a, ev->first));
	np_value_map_set(a, m, "last", np_ctx_date(a, ev->last));
	np_value_map_set_int(a, m, "n_articles", (int64_t)ev->n_articles);
	return m;
}

/* The date an article is placed at on a timeline: its own date, else its
 * issue's (the site model sorts the timeline the same way). */
np_date np_ctx_when(const np_site *s, size_t art)
{
	const np_site_article *sa = &s->articles[art];
	if (np_date_known(sa->rec.date))
		return sa->rec.date;
	return sa->issue != SIZE_MAX ? s->issues[sa->issue].date : (np_date){0, 0, 0};
}

/* Page k of the event's timeline (oldest first), grouped by date. */
static np_value *timeline(const np_ctx *c, const np_site_event *ev, size_t k)
{
	const np_site *s = c->s;
	np_arena *a = c->a;
	size_t from, n;
	np_site_page_slice(ev->n_articles, np_ctx_per_page(s), k, false, &from, &n);
	const size_t *ids = ev->timeline + from;
	np_value *days = np_value_list(a, 8), *list = NULL;
	for (size_t i = 0; i < n; i++) {
		np_date d = np_ctx_when(s, ids[i]);
		if (!list || np_date_cmp(d, np_ctx_when(s, ids[i - 1])) != 0) {
			np_value *day = np_value_map(a);
			np_value_map_set(a, day, "date", np_ctx_date(a, d));
			list = np_value_list(a, 4);
			np_value_map_set(a, day, "articles", list);
			np_value_list_push(a, days, day);
		}
		np_value_list_push(a, list, np_ctx_article_brief(c, ids[i]));
	}
	return days;
}

/* Every input read here goes into np_ctx_event_key (context_keys.c). */
np_value *np_ctx_event(const np_ctx *c, size_t e, size_t k)
{
	const np_site *s = c->s;
	np_arena *a = c->a;
	const np_site_event *ev = &s->events[e];
	size_t n_pages = np_site_npages(ev->n_articles, np_ctx_per_page(s));
	np_value *m;
	if (k >= n_pages) { /* the newest page: dates, count and regions */
		m = event_brief(s, e, a);
		np_value *regs = np_value_list(a, ev->n_regions);
		for (size_t i = 0; i < ev->n_regions; i++)
			np_value_list_push(a, regs, np_ctx_region_link(c, ev->regions[i]));
		np_value_map_set(a, m, "regions", regs);
	} else {
		m = np_value_map(a);
		np_value_map_set_str(a, m, "name", ev->name);
		np_value_map_set(a, m, "url", np_value_strc(a, ev->url));
	}
	np_value_map_set(a, m, "days", timeline(c, ev, k));
	char *dir = np_arena_printf(a, "events/%s", ev->slug);
	np_value_map_set(a, m, "pager", np_ctx_pager(a, dir, k, n_pages));
	np_value_map_set(a, m, "feed_url",
	                 np_value_strc(a, np_arena_printf(a, "events/%s/feed.xml", ev->slug)));
	return m;
}

np_value *np_ctx_events(const np_ctx *c)
{
	np_value *m = np_value_map(c->a);
	np_value *v = np_value_list(c->a, c->s->n_events);
	for (size_t e = 0; e < c->s->n_events; e++)
		np_value_list_push(c->a, v, event_brief(c->s, e, c->a));
	np_value_map_set(c->a, m, "events", v);
	return m;
}
