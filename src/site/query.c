/* Read-only questions about the site model: pinyin collation order,
 * related articles, region pagination.  Safe to call from many threads. */
#include <stdint.h>
#include <stdlib.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "site/site_impl.h"

/* ---- collation --------------------------------------------------------- */

typedef struct coll_key {
	uint8_t *key;
	size_t len;
	np_str name;
	size_t index;
} coll_key;

static int cmp_coll_key(const void *x, const void *y)
{
	const coll_key *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->key, b->key, n);
	if (c || a->len != b->len)
		return c ? c : (a->len < b->len ? -1 : 1);
	n = a->name.len < b->name.len ? a->name.len : b->name.len;
	c = n ? memcmp(a->name.p, b->name.p, n) : 0;
	if (c || a->name.len != b->name.len)
		return c ? c : (a->name.len < b->name.len ? -1 : 1);
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The ICU sort key of s in k->key (heap), or an empty key on failure. */
static void sort_key(UCollator *coll, np_str s, coll_key *k, UChar **u16, int32_t *cap)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;
	u_strFromUTF8(NULL, 0, &n, s.p, (int32_t)s.len, &st);
	if (n + 1 > *cap) {
		*cap = n + 1;
		*u16 = np_xrealloc(*u16, np_mul((size_t)*cap, sizeof **u16));
	}
	st = U_ZERO_ERROR;
	u_strFromUTF8(*u16, *cap, &n, s.p, (int32_t)s.len, &st);
	k->key = NULL, k->len = 0;
	if (U_FAILURE(st) || !coll)
		return;
	int32_t len = ucol_getSortKey(coll, *u16, n, NULL, 0);
	k->key = np_xmalloc((size_t)len + 1);
	k->len = (size_t)ucol_getSortKey(coll, *u16, n, k->key, len + 1);
}

void np_site_collate(const np_str *names, size_t n, size_t *order)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *coll = ucol_open("zh@collation=pinyin", &st);
	if (U_FAILURE(st))
		coll = NULL;
	coll_key *keys = np_xcalloc(n ? n : 1, sizeof *keys);
	UChar *u16 = NULL;
	int32_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		sort_key(coll, names[i], &keys[i], &u16, &cap);
		keys[i].name = names[i];
		keys[i].index = i;
	}
	qsort(keys, n, sizeof *keys, cmp_coll_key);
	for (size_t i = 0; i < n; i++) {
		order[i] = keys[i].index;
		free(keys[i].key);
	}
	free(keys);
	free(u16);
	if (coll)
		ucol_close(coll);
}

/* ---- related articles -------------------------------------------------- */

typedef struct picks {
	size_t *out;
	size_t n, max, self;
} picks;

static bool pick(picks *p, size_t art)
{
	if (art == p->self || p->n >= p->max)
		return p->n < p->max;
	for (size_t i = 0; i < p->n; i++) /* n <= max, a handful */
		if (p->out[i] == art)
			return true;
	p->out[p->n++] = art;
	return p->n < p->max;
}

/* First position in v (sorted ascending, or descending when desc) not
 * before art. */
static size_t bsearch_pos(const size_t *v, size_t n, size_t art, bool desc)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		bool before = desc ? v[mid] > art : v[mid] < art;
		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Takes from v the entries nearest to position pos, alternating outwards,
 * at most want of them. */
static void take_near(picks *p, const size_t *v, size_t n, size_t pos, size_t want)
{
	size_t lo = pos, hi = pos, stop = p->n + want < p->max ? p->n + want : p->max;
	while (p->n < stop && (lo > 0 || hi < n)) {
		if (hi < n && !pick(p, v[hi++]))
			return;
		if (p->n < stop && lo > 0 && !pick(p, v[--lo]))
			return;
	}
}

size_t np_site_related(const np_site *s, size_t art, size_t *out, size_t max)
{
	picks p = {out, 0, max, art};
	const np_site_article *a = &s->articles[art];
	for (size_t k = 0; k < a->n_events && p.n < max; k++) {
		const np_site_event *e = &s->events[a->events[k]];
		take_near(&p, e->articles, e->n_articles,
		          bsearch_pos(e->articles, e->n_articles, art, false), max);
	}
	/* Regions: the most specific first (a county before its province). */
	for (int level = 3; level >= 1 && p.n < max; level--)
		for (size_t k = 0; k < a->rec.regions.len && p.n < max; k++) {
			const np_site_region *r = np_site_article_region(s, a, k);
			for (; r && r->level > level; r = r->parent == SIZE_MAX ? NULL : &s->regions[r->parent])
				;
			if (!r || r->level != level)
				continue;
			take_near(&p, r->reported, r->n_reported,
			          bsearch_pos(r->reported, r->n_reported, art, true), max);
		}
	return p.n;
}

/* ---- region pagination ------------------------------------------------- */

size_t np_site_npages(size_t n, size_t per)
{
	if (!per)
		per = 20;
	return n ? (n + per - 1) / per : 1;
}

void np_site_page_slice(size_t n, size_t per, size_t k, bool newest_first, size_t *from,
                        size_t *cnt)
{
	if (!per)
		per = 20;
	size_t lo = (k ? k - 1 : 0) * per; /* oldest-first positions [lo, hi) */
	size_t hi = lo + per < n ? lo + per : n;
	if (lo >= n) {
		*from = 0, *cnt = 0;
		return;
	}
	/* oldest-first position j is items[n - 1 - j] in a newest-first list */
	*from = newest_first ? n - hi : lo;
	*cnt = hi - lo;
}
