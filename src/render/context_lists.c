/* Contexts of the browsing page kinds: region pages and the regions index,
 * event pages and the events index, the calendar.  Everything is built in
 * the job's arena; each context costs time in proportion to what its page
 * shows (a region page is one page of its list, not the whole list). */
#include <stdint.h>
#include <stdlib.h>

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

/* Pages are numbered from the oldest (1) to the newest (n); the newest is
 * the list's index.html. */
static np_value *pager(const char *dir, size_t k, size_t n, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "page", (int64_t)k);
	np_value_map_set_int(a, m, "n_pages", (int64_t)n);
	np_value_map_set(a, m, "newer", k < n ? page_link(dir, k + 1, n, a) : NULL);
	np_value_map_set(a, m, "older", k > 1 ? page_link(dir, k - 1, n, a) : NULL);
	np_value *pages = np_value_list(a, n > 1 ? n : 0);
	for (size_t i = n; n > 1 && i >= 1; i--)
		np_value_list_push(a, pages, page_link(dir, i, n, a));
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
	size_t from, n, n_pages = np_site_npages(g->n_items, np_ctx_per_page(s));
	np_site_page_slice(g->n_items, np_ctx_per_page(s), k, true, &from, &n);
	np_value *items = np_value_list(a, n);
	for (size_t i = from; i < from + n; i++) {
		np_value *b = np_ctx_article_brief(s, g->items[i].article, a);
		np_value_map_set(a, b, "reported", np_value_bool(g->items[i].reported));
		np_value_list_push(a, items, b);
	}
	np_value_map_set(a, m, "items", items);
	np_value_map_set(a, m, "children", children(s, r, 1, a));
	np_value_map_set(a, m, "parents", parents(s, r, a));
	char *dir = np_arena_printf(a, "regions/%s", g->slug);
	np_value_map_set(a, m, "pager", pager(dir, k, n_pages, a));
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
 * issue's (the site model sorts the timeline the same way). */
static np_date when(const np_site *s, size_t art)
{
	const np_site_article *sa = &s->articles[art];
	if (np_date_known(sa->rec.date))
		return sa->rec.date;
	return sa->issue != SIZE_MAX ? s->issues[sa->issue].date : (np_date){0, 0, 0};
}

/* Page k of the event's timeline (oldest first), grouped by date. */
static np_value *timeline(const np_site *s, const np_site_event *ev, size_t k, np_arena *a)
{
	size_t from, n;
	np_site_page_slice(ev->n_articles, np_ctx_per_page(s), k, false, &from, &n);
	const size_t *ids = ev->timeline + from;
	np_value *days = np_value_list(a, 8), *list = NULL;
	for (size_t i = 0; i < n; i++) {
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

np_value *np_ctx_event(const np_site *s, size_t e, size_t k, np_arena *a)
{
	const np_site_event *ev = &s->events[e];
	np_value *m = event_brief(s, e, a);
	np_value_map_set(a, m, "days", timeline(s, ev, k, a));
	char *dir = np_arena_printf(a, "events/%s", ev->slug);
	np_value_map_set(a, m, "pager", pager(dir, k, np_site_npages(ev->n_articles, np_ctx_per_page(s)), a));
	np_value *regs = np_value_list(a, ev->n_regions);
	for (size_t i = 0; i < ev->n_regions; i++)
		np_value_list_push(a, regs, np_ctx_region_link(s, ev->regions[i], a));
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
