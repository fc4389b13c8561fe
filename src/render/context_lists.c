/* Contexts of the browsing page kinds: region pages and the regions index,
 * event pages and the events index, the calendar.  Everything is built in
 * the job's arena; each context costs time in proportion to what its page
 * shows (a region page is one page of its list, not the whole list). */
#define _GNU_SOURCE /* qsort_r */
#include <stdint.h>
#include <stdlib.h>

#include "render/context.h"

static size_t per_page(const np_site *s)
{
	return s->config.per_page > 0 ? (size_t)s->config.per_page : 20;
}

char *np_ctx_region_page_url(const np_site *s, size_t r, size_t k, np_arena *a)
{
	const np_site_region *g = &s->regions[r];
	if (k >= np_site_region_npages(g, per_page(s)))
		return g->url;
	return np_arena_printf(a, "regions/%s/page/%zu/index.html", g->slug, k);
}

static np_value *page_link(const np_site *s, size_t r, size_t k, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "number", (int64_t)k);
	np_value_map_set(a, m, "url", np_value_strc(a, np_ctx_region_page_url(s, r, k, a)));
	return m;
}

/* Pages are numbered from the oldest (1) to the newest (n); the newest is
 * the region's index.html. */
static np_value *pager(const np_site *s, size_t r, size_t k, np_arena *a)
{
	size_t n = np_site_region_npages(&s->regions[r], per_page(s));
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "page", (int64_t)k);
	np_value_map_set_int(a, m, "n_pages", (int64_t)n);
	np_value_map_set(a, m, "newer", k < n ? page_link(s, r, k + 1, a) : NULL);
	np_value_map_set(a, m, "older", k > 1 ? page_link(s, r, k - 1, a) : NULL);
	np_value *pages = np_value_list(a, n > 1 ? n : 0);
	for (size_t i = n; n > 1 && i >= 1; i--)
		np_value_list_push(a, pages, page_link(s, r, i, a));
	np_value_map_set(a, m, "pages", pages);
	return m;
}

static np_value *parents(const np_site *s, size_t r, np_arena *a)
{
	size_t chain[8], n = 0;
	for (size_t p = s->regions[r].parent; p != SIZE_MAX && n < 8; p = s->regions[p].parent)
		chain[n++] = p;
	np_value *up = np_value_list(a, n);
	while (n-- > 0)
		np_value_list_push(a, up, np_ctx_region_link(s, chain[n], a));
	return up;
}

static np_value *children(const np_site *s, size_t r, int depth, np_arena *a)
{
	const np_site_region *g = &s->regions[r];
	np_value *kids = np_value_list(a, g->n_children);
	for (size_t k = 0; k < g->n_children; k++) {
		np_value *c = np_ctx_region_link(s, g->children[k], a);
		if (depth > 1)
			np_value_map_set(a, c, "children", children(s, g->children[k], depth - 1, a));
		np_value_list_push(a, kids, c);
	}
	return kids;
}

np_value *np_ctx_region(const np_site *s, size_t r, size_t k, np_arena *a)
{
	const np_site_region *g = &s->regions[r];
	np_value *m = np_ctx_region_link(s, r, a);
	size_t from, n;
	np_site_region_page(g, per_page(s), k, &from, &n);
	np_value *items = np_value_list(a, n);
	for (size_t i = from; i < from + n; i++) {
		np_value *b = np_ctx_article_brief(s, g->items[i].article, a);
		np_value_map_set(a, b, "reported", np_value_bool(g->items[i].reported));
		np_value_list_push(a, items, b);
	}
	np_value_map_set(a, m, "items", items);
	np_value_map_set(a, m, "children", children(s, r, 1, a));
	np_value_map_set(a, m, "parents", parents(s, r, a));
	np_value_map_set(a, m, "pager", pager(s, r, k, a));
	np_value_map_set(a, m, "feed_url",
	                 np_value_strc(a, np_arena_printf(a, "regions/%s/feed.xml", g->slug)));
	return m;
}

np_value *np_ctx_regions(const np_site *s, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value *v = np_value_list(a, s->n_provinces);
	for (size_t i = 0; i < s->n_provinces; i++) {
		np_value *p = np_ctx_region_link(s, s->provinces[i], a);
		np_value_map_set(a, p, "children", children(s, s->provinces[i], 2, a));
		np_value_list_push(a, v, p);
	}
	np_value_map_set(a, m, "provinces", v);
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
 * issue's. */
static np_date when(const np_site *s, size_t art)
{
	const np_site_article *sa = &s->articles[art];
	if (np_date_known(sa->rec.date))
		return sa->rec.date;
	return sa->issue != SIZE_MAX ? s->issues[sa->issue].date : (np_date){0, 0, 0};
}

static int cmp_when(const void *x, const void *y, void *ctx)
{
	const np_site *s = ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = np_date_cmp(when(s, i), when(s, j));
	return c ? c : (i < j ? -1 : i > j);
}

/* The event's articles grouped by date, oldest first. */
static np_value *timeline(const np_site *s, const np_site_event *ev, np_arena *a)
{
	size_t *ids = NP_ANEWN(a, size_t, ev->n_articles ? ev->n_articles : 1);
	memcpy(ids, ev->articles, ev->n_articles * sizeof *ids);
	qsort_r(ids, ev->n_articles, sizeof *ids, cmp_when, (void *)s);
	np_value *days = np_value_list(a, 8), *list = NULL;
	for (size_t i = 0; i < ev->n_articles; i++) {
		np_date d = when(s, ids[i]);
		if (!list || np_date_cmp(d, when(s, ids[i - 1])) != 0) {
			np_value *day = np_value_map(a);
			np_value_map_set(a, day, "date", np_ctx_date(a, d));
			list = np_value_list(a, 4);
			np_value_map_set(a, day, "articles", list);
			np_value_list_push(a, days, day);
		}
		np_value_list_push(a, list, np_ctx_article_brief(s, ids[i], a));
	}
	return days;
}

np_value *np_ctx_event(const np_site *s, size_t e, np_arena *a)
{
	const np_site_event *ev = &s->events[e];
	np_value *m = event_brief(s, e, a);
	np_value_map_set(a, m, "days", timeline(s, ev, a));
	np_value *regs = np_value_list(a, ev->n_regions);
	for (size_t k = 0; k < ev->n_regions; k++)
		np_value_list_push(a, regs, np_ctx_region_link(s, ev->regions[k], a));
	np_value_map_set(a, m, "regions", regs);
	np_value_map_set(a, m, "feed_url",
	                 np_value_strc(a, np_arena_printf(a, "events/%s/feed.xml", ev->slug)));
	return m;
}

np_value *np_ctx_events(const np_site *s, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value *v = np_value_list(a, s->n_events);
	for (size_t e = 0; e < s->n_events; e++)
		np_value_list_push(a, v, event_brief(s, e, a));
	np_value_map_set(a, m, "events", v);
	return m;
}
