/* The events index: articles grouped by canonical event key, as a
 * timeline, with first and last dates and the regions involved. */
#include <stdint.h>
#include <stdlib.h>

#include "meta/events.h"
#include "util/fs.h"
#include "util/sort.h"
#include "site/site_impl.h"
#include "site/slugs.h"

typedef struct ev_tmp {
	np_str key, name;
	size_t *arts;
	size_t n, cap;
	size_t last; /* article index + 1 */
} ev_tmp;

static void ev_add(ev_tmp *e, size_t art)
{
	if (e->last == art + 1)
		return;
	e->last = art + 1;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->arts = np_xrealloc(e->arts, np_mul(e->cap, sizeof *e->arts));
	}
	e->arts[e->n++] = art;
}

/* The date an article is placed at on a timeline: its own, else its
 * issue's (unknown for an undated article of an undated issue). */
static np_date when(const np_site *s, size_t art)
{
	const np_site_article *sa = &s->articles[art];
	if (np_date_known(sa->rec.date))
		return sa->rec.date;
	return sa->issue != SIZE_MAX ? s->issues[sa->issue].date : (np_date){0, 0, 0};
}

/* First and last date of an event (an article's own dates, else its
 * issue's) and the regions its articles report from (at most 64, first
 * seen first). */
static void dates_and_regions(np_site_impl *s, np_site_event *e)
{
	size_t *reg = NP_ANEWN(&s->ev_arena, size_t, 64);
	for (size_t k = 0; k < e->n_articles; k++) {
		const np_site_article *sa = &s->pub.articles[e->articles[k]];
		const np_article *a = &sa->rec;
		np_date d = when(&s->pub, e->articles[k]); /* the issue's: parsed once, by the issue index */
		if (np_date_known(d) && (!np_date_known(e->first) || np_date_cmp(d, e->first) < 0))
			e->first = d;
		np_date end = np_date_known(a->end_date) ? a->end_date : d;
		if (np_date_known(end) && (!np_date_known(e->last) || np_date_cmp(end, e->last) > 0))
			e->last = end;
		for (size_t r = 0; r < a->regions.len && e->n_regions < 64; r++) {
			const np_site_region *g = np_site_article_region(&s->pub, sa, r);
			size_t idx = g ? (size_t)(g - s->pub.regions) : SIZE_MAX, seen = 0;
			while (seen < e->n_regions && reg[seen] != idx)
				seen++;
			if (idx != SIZE_MAX && seen == e->n_regions)
				reg[e->n_regions++] = idx;
		}
	}
	e->regions = reg;
}

static int cmp_when(const void *x, const void *y, void *ctx)
{
	const np_site *s = ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = np_date_cmp(when(s, i), when(s, j));
	return c ? c : (i < j ? -1 : i > j);
}

/* Sorts an event's articles (in archive order) into its timeline.  Archive
 * order is issue order, and an article's date is its issue's or a few days
 * before, so only articles of one issue are out of order, a few places
 * apart: np_sort_nearly does it in a pass, and hands over to qsort_r when
 * the list is far from sorted (an event's articles whose dates stray from
 * their issues').  cmp_when is a total order: both give the same. */
static void sort_timeline(const np_site *s, size_t *v, size_t n)
{
	np_sort_nearly(v, n, sizeof *v, cmp_when, (void *)s, 8 * n + 64);
}

static void finish_event(np_site_impl *s, ev_tmp *t, np_site_event *e)
{
	e->key = t->key;
	e->name = t->name;
	e->n_articles = t->n;
	e->articles = NP_ANEWN(&s->ev_arena, size_t, t->n ? t->n : 1);
	memcpy(e->articles, t->arts, t->n * sizeof *t->arts);
	free(t->arts);
	e->timeline = NP_ANEWN(&s->ev_arena, size_t, t->n ? t->n : 1);
	memcpy(e->timeline, e->articles, t->n * sizeof *t->arts);
	sort_timeline(&s->pub, e->timeline, e->n_articles);
}

/* An event's slug, unique among events (slugs: those given out). */
static void event_slug(np_site_impl *s, np_site_event *e, np_strmap *slugs)
{
	np_buf slug;
	np_buf_init(&slug);
	np_slugs_get(s->slugs, &slug, e->name);
	if (!slug.len)
		np_buf_puts(&slug, "event");
	char *cand = np_arena_strdup(&s->ev_arena, np_str_of(&slug));
	for (int n = 2; !np_strmap_put(slugs, np_str_from(cand), 0); n++)
		cand = np_arena_printf(&s->ev_arena, "%s-%d", slug.data, n);
	e->slug = cand;
	e->url = np_arena_printf(&s->ev_arena, "events/%s/index.html", cand);
	np_buf_dispose(&slug);
}

/* Gives each article the list of its events (indexes into the final,
 * sorted events array), in one pass over all event-article links. */
static void article_events(np_site_impl *s)
{
	np_site *pub = &s->pub;
	for (size_t e = 0; e < pub->n_events; e++)
		for (size_t k = 0; k < pub->events[e].n_articles; k++)
			pub->articles[pub->events[e].articles[k]].n_events++;
	for (size_t i = 0; i < pub->n_articles; i++) {
		np_site_article *a = &pub->articles[i];
		a->events = a->n_events ? NP_ANEWN(&s->ev_arena, size_t, a->n_events) : NULL;
		a->n_events = 0;
	}
	for (size_t e = 0; e < pub->n_events; e++)
		for (size_t k = 0; k < pub->events[e].n_articles; k++) {
			np_site_article *a = &pub->articles[pub->events[e].articles[k]];
			a->events[a->n_events++] = e;
		}
}

/* What an event name resolves to: its group (SIZE_MAX when events.yaml
 * suppresses it or its key is empty) and its display name. */
typedef struct ev_name {
	size_t group;
	np_str name;
} ev_name;

/* Event names grouped by canonical key while the articles are read. */
typedef struct ev_groups {
	np_strmap by_key; /* key -> index into t */
	np_strmap by_raw; /* a name as written -> index into names */
	ev_tmp *t;
	size_t n, cap;
	ev_name *names;
	size_t n_names, cap_names;
} ev_groups;

/* A new group for key, named name. */
static size_t new_group(ev_groups *g, np_str key, np_str name)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 32;
		g->t = np_xrealloc(g->t, np_mul(g->cap, sizeof *g->t));
	}
	size_t idx = g->n++;
	g->t[idx] = (ev_tmp){.key = key, .name = name};
	np_strmap_put(&g->by_key, g->t[idx].key, idx);
	return idx;
}

/* The group of one event name as written in a record, made on first
 * sight.  A name's key depends on the name and events.yaml alone, so it is
 * worked out once per distinct name (an archive repeats few names over
 * many articles) instead of once per mention.  The shortest variant names
 * a group. */
static size_t event_group(np_site_impl *s, ev_groups *g, np_str raw)
{
	size_t at;
	if (np_strmap_get(&g->by_raw, raw, &at)) {
		const ev_name *v = &g->names[at];
		if (v->group != SIZE_MAX && v->name.len < g->t[v->group].name.len)
			g->t[v->group].name = v->name;
		return v->group;
	}
	np_str key, name;
	size_t idx = SIZE_MAX;
	if (!np_meta_event_key(raw, s->events, &s->ev_arena, &key, &name) && key.len) {
		if (!np_strmap_get(&g->by_key, key, &idx))
			idx = new_group(g, key, name);
		else if (name.len < g->t[idx].name.len)
			g->t[idx].name = name;
	}
	if (g->n_names == g->cap_names) {
		g->cap_names = g->cap_names ? g->cap_names * 2 : 64;
		g->names = np_xrealloc(g->names, np_mul(g->cap_names, sizeof *g->names));
	}
	g->names[g->n_names] = (ev_name){idx, name};
	np_strmap_put(&g->by_raw, raw, g->n_names++);
	return idx;
}

/* Groups the articles' event names by canonical key (variants and merges
 * from events.yaml; suppressed names dropped).  Returns the groups, each
 * with its articles in archive order; *n is their count. */
static ev_tmp *group_events(np_site_impl *s, size_t *n_out)
{
	ev_groups g = {0};
	np_strmap_init(&g.by_key);
	np_strmap_init(&g.by_raw);
	for (size_t i = 0; i < s->pub.n_articles; i++) {
		const np_article *a = &s->pub.articles[i].rec;
		for (size_t k = 0; k < a->events.len; k++) {
			size_t idx = event_group(s, &g, a->events.items[k]);
			if (idx != SIZE_MAX)
				ev_add(&g.t[idx], i);
		}
	}
	np_strmap_dispose(&g.by_key);
	np_strmap_dispose(&g.by_raw);
	free(g.names);
	*n_out = g.n;
	return g.t;
}

void np_site_index_events(np_site_impl *s)
{
	size_t n;
	ev_tmp *t = group_events(s, &n);
	s->pub.events = NP_ANEWN(&s->ev_arena, np_site_event, n ? n : 1);
	/* Pinyin order of the names; slugs are given out in that order, so a
	 * clash of slugs resolves the same way on every build. */
	np_str *names = np_xmalloc(np_mul(n ? n : 1, sizeof *names));
	size_t *order = np_xmalloc(np_mul(n ? n : 1, sizeof *order));
	for (size_t i = 0; i < n; i++)
		names[i] = t[i].name;
	np_site_collate(names, n, order);
	for (size_t i = 0; i < n; i++)
		finish_event(s, &t[order[i]], &s->pub.events[i]);
	s->pub.n_events = n;
	article_events(s);
	free(names);
	free(order);
	free(t);
}

void np_site_index_events_finish(np_site_impl *s)
{
	np_strmap slugs;
	np_strmap_init(&slugs);
	for (size_t i = 0; i < s->pub.n_events; i++) {
		dates_and_regions(s, &s->pub.events[i]);
		event_slug(s, &s->pub.events[i], &slugs);
	}
	np_strmap_dispose(&slugs);
}
