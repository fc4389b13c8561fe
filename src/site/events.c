/* The events index: articles grouped by canonical event key, as a
 * timeline, with first and last dates and the regions involved. */
#include <stdint.h>
#include <stdlib.h>

#include "meta/events.h"
#include "util/fs.h"
#include "site/site_impl.h"
#include "util/translit.h"

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

static void finish_event(np_site_impl *s, ev_tmp *t, np_site_event *e, np_strmap *slugs)
{
	e->key = t->key;
	e->name = t->name;
	e->n_articles = t->n;
	e->articles = NP_ANEWN(&s->arena, size_t, t->n ? t->n : 1);
	memcpy(e->articles, t->arts, t->n * sizeof *t->arts);
	free(t->arts);
	np_strmap regions;
	np_strmap_init(&regions);
	size_t *reg = NP_ANEWN(&s->arena, size_t, 64);
	for (size_t k = 0; k < e->n_articles; k++) {
		const np_article *a = &s->pub.articles[e->articles[k]].rec;
		np_date d = np_date_known(a->date) ? a->date : (np_date){0, 0, 0};
		if (!np_date_known(d))
			np_date_parse(a->issue, &d);
		if (np_date_known(d) && (!np_date_known(e->first) || np_date_cmp(d, e->first) < 0))
			e->first = d;
		np_date end = np_date_known(a->end_date) ? a->end_date : d;
		if (np_date_known(end) && (!np_date_known(e->last) || np_date_cmp(end, e->last) > 0))
			e->last = end;
		for (size_t r = 0; r < a->regions.len && e->n_regions < 64; r++) {
			size_t idx;
			if (np_site_region_by_path(&s->pub, a->regions.items[r]) &&
			    np_strmap_get(&s->by_region, a->regions.items[r], &idx) &&
			    np_strmap_put(&regions, a->regions.items[r], idx))
				reg[e->n_regions++] = idx;
		}
	}
	e->regions = reg;
	np_strmap_dispose(&regions);
	np_buf slug;
	np_buf_init(&slug);
	np_slugify(&slug, e->name);
	if (!slug.len)
		np_buf_puts(&slug, "event");
	char *cand = np_arena_strdup(&s->arena, np_str_of(&slug));
	for (int n = 2; !np_strmap_put(slugs, np_str_from(cand), 0); n++)
		cand = np_arena_printf(&s->arena, "%s-%d", slug.data, n);
	e->slug = cand;
	e->url = np_arena_printf(&s->arena, "events/%s/index.html", cand);
	np_buf_dispose(&slug);
}

static int cmp_event(const void *x, const void *y)
{
	const np_site_event *a = x, *b = y;
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int c = memcmp(a->key.p, b->key.p, n);
	return c ? c : (a->key.len < b->key.len ? -1 : a->key.len > b->key.len);
}

void np_site_index_events(np_site_impl *s)
{
	np_strmap by_key;
	np_strmap_init(&by_key);
	ev_tmp *t = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < s->pub.n_articles; i++) {
		const np_article *a = &s->pub.articles[i].rec;
		for (size_t k = 0; k < a->events.len; k++) {
			np_str key, name;
			if (np_meta_event_key(a->events.items[k], s->events, &s->arena, &key, &name) ||
			    !key.len)
				continue; /* suppressed in events.yaml */
			size_t idx;
			if (!np_strmap_get(&by_key, key, &idx)) {
				if (n == cap) {
					cap = cap ? cap * 2 : 32;
					t = np_xrealloc(t, np_mul(cap, sizeof *t));
				}
				idx = n++;
				t[idx] = (ev_tmp){.key = key, .name = name};
				np_strmap_put(&by_key, t[idx].key, idx);
			} else if (name.len < t[idx].name.len) {
				t[idx].name = name; /* the shortest variant names it */
			}
			ev_add(&t[idx], i);
		}
	}
	s->pub.events = NP_ANEWN(&s->arena, np_site_event, n ? n : 1);
	/* Sort by key first so slugs are given out in a stable order. */
	for (size_t i = 0; i < n; i++)
		s->pub.events[i].key = t[i].key, s->pub.events[i].n_articles = i;
	qsort(s->pub.events, n, sizeof *s->pub.events, cmp_event);
	np_strmap slugs;
	np_strmap_init(&slugs);
	for (size_t i = 0; i < n; i++) {
		size_t src = s->pub.events[i].n_articles;
		finish_event(s, &t[src], &s->pub.events[i], &slugs);
	}
	s->pub.n_events = n;
	np_strmap_dispose(&slugs);
	np_strmap_dispose(&by_key);
	free(t);
}
