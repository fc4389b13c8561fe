/* Page keys (context.h): for each page kind with a key, the inputs its
 * context builder reads, hashed without building the context.  Each
 * function follows its builder line by line; the builders (context.c,
 * context_lists.c) point here. */
#include <stdint.h>
#include <string.h>

#include <xxhash.h>

#include "render/context.h"

static void key_u64(XXH3_state_t *st, uint64_t v) { XXH3_128bits_update(st, &v, sizeof v); }

/* A string, null apart from empty. */
static void key_str(XXH3_state_t *st, np_str s)
{
	key_u64(st, s.p ? s.len : UINT64_MAX);
	XXH3_128bits_update(st, s.p ? s.p : "", s.len);
}

static void key_cstr(XXH3_state_t *st, const char *p)
{
	key_str(st, p ? np_str_from(p) : (np_str){NULL, 0});
}

static void key_date(XXH3_state_t *st, np_date d)
{
	key_u64(st, (uint64_t)(uint32_t)d.y << 32 | (uint64_t)(uint32_t)d.m << 16 | (uint32_t)d.d);
}

/* A shared value's digest (it has one when it came from the memo). */
static bool key_digest(XXH3_state_t *st, const np_value *v)
{
	if (!v || v->type != NP_V_MAP || !v->u.map->has_digest)
		return false;
	XXH3_128bits_update(st, v->u.map->digest, sizeof v->u.map->digest);
	return true;
}

/* What an article's brief is made of (brief_fill): its record and URL. */
static bool key_brief(const np_ctx *c, XXH3_state_t *st, size_t i)
{
	const uint64_t *k = np_ctx_brief_key(c, i);
	if (!k)
		return false;
	XXH3_128bits_update(st, k, 2 * sizeof *k);
	return true;
}

static bool key_region_link(const np_ctx *c, XXH3_state_t *st, size_t r)
{
	return key_digest(st, np_ctx_region_link(c, r));
}

/* The kind of key, and `site` as a page without counts gets it. */
static bool key_start(const np_ctx *c, XXH3_state_t *st, uint64_t kind)
{
	if (!c->memo)
		return false;
	key_u64(st, kind);
	return key_digest(st, np_ctx_site(c, false));
}

/* ---- article pages (np_ctx_article) ---- */

/* The regions that paths [from, to) of article a name (region_links). */
static bool key_region_links(const np_ctx *c, XXH3_state_t *st, const np_site_article *a,
                             size_t from, size_t to)
{
	key_u64(st, to - from);
	for (size_t k = from; k < to; k++) {
		const np_site_region *g = np_site_article_region(c->s, a, k);
		if (!g)
			key_u64(st, UINT64_MAX);
		else if (!key_region_link(c, st, (size_t)(g - c->s->regions)))
			return false;
	}
	return true;
}

bool np_ctx_article_key(const np_ctx *c, size_t i, XXH3_state_t *st)
{
	const np_site *s = c->s;
	const np_site_article *sa = &s->articles[i];
	/* the record's own fields, record_path and body hash are in rec_digest;
	 * what its regions and events resolve to in the model is added here */
	if (!key_start(c, st, 0x41525449434c45u /* ARTICLE */) || !key_brief(c, st, i) ||
	    !key_region_links(c, st, sa, 0, sa->rec.regions.len) ||
	    !key_region_links(c, st, sa, sa->rec.regions.len,
	                      sa->rec.regions.len + sa->rec.places.len))
		return false;
	key_u64(st, sa->n_events);
	for (size_t k = 0; k < sa->n_events; k++)
		if (!key_digest(st, np_ctx_event_link(c, sa->events[k])))
			return false;
	size_t ids[NP_RELATED_MAX];
	size_t n = np_site_related(s, i, ids, NP_RELATED_MAX);
	key_u64(st, n);
	for (size_t k = 0; k < n; k++)
		if (!key_brief(c, st, ids[k]))
			return false;
	if (sa->issue != SIZE_MAX) {
		const np_site_issue *is = &s->issues[sa->issue];
		key_cstr(st, is->url);
		key_date(st, is->date);
		key_cstr(st, is->pages[sa->page].url);
		key_u64(st, sa->order);
	} else {
		key_u64(st, UINT64_MAX);
	}
	bool same_prev = i > 0 && s->articles[i - 1].issue == sa->issue;
	bool same_next = i + 1 < s->n_articles && s->articles[i + 1].issue == sa->issue;
	key_u64(st, (uint64_t)same_prev << 1 | (uint64_t)same_next);
	return (!same_prev || key_brief(c, st, i - 1)) && (!same_next || key_brief(c, st, i + 1));
}

/* ---- issue and page pages (np_ctx_issue, np_ctx_page) ---- */

/* The `page` value of np_ctx_page: number, url, source file, its
 * articles' briefs, teasers (with the URL of the page each points to) and
 * captions. */
static bool key_page_value(const np_ctx *c, XXH3_state_t *st, size_t issue, size_t page)
{
	const np_site *s = c->s;
	const np_site_issue *is = &s->issues[issue];
	const np_site_page *pg = &is->pages[page];
	key_u64(st, (uint64_t)(int64_t)pg->number);
	key_cstr(st, pg->url);
	key_str(st, pg->source_file);
	key_u64(st, pg->n_articles);
	for (size_t k = 0; k < pg->n_articles; k++)
		if (!key_brief(c, st, pg->articles[k]))
			return false;
	key_u64(st, pg->n_teasers);
	for (size_t t = 0; t < pg->n_teasers; t++) {
		const np_teaser *x = &pg->teasers[t];
		key_str(st, x->title);
		key_str(st, x->kicker);
		key_u64(st, (uint64_t)(int64_t)x->page);
		key_cstr(st, np_ctx_page_url(is, x->page));
	}
	key_u64(st, pg->captions.len);
	for (size_t k = 0; k < pg->captions.len; k++)
		key_str(st, pg->captions.items[k]);
	return true;
}

bool np_ctx_page_key(const np_ctx *c, size_t issue, size_t page, XXH3_state_t *st)
{
	return key_start(c, st, 0x50414745u /* PAGE */) &&
	       key_digest(st, np_ctx_issue_brief(c, issue)) &&
	       key_page_value(c, st, issue, page);
}

bool np_ctx_issue_key(const np_ctx *c, size_t i, XXH3_state_t *st)
{
	const np_site *s = c->s;
	if (!key_start(c, st, 0x4953535545u /* ISSUE */) || !key_digest(st, np_ctx_issue_brief(c, i)))
		return false;
	key_u64(st, s->issues[i].n_pages);
	for (size_t p = 0; p < s->issues[i].n_pages; p++)
		if (!key_page_value(c, st, i, p))
			return false;
	key_u64(st, (uint64_t)(i + 1 < s->n_issues) << 1 | (uint64_t)(i > 0));
	return (i + 1 >= s->n_issues || key_digest(st, np_ctx_issue_brief(c, i + 1))) &&
	       (i == 0 || key_digest(st, np_ctx_issue_brief(c, i - 1)));
}

/* ---- region and event pages (np_ctx_region, np_ctx_event) ---- */

bool np_ctx_region_key(const np_ctx *c, size_t r, size_t k, XXH3_state_t *st)
{
	const np_site *s = c->s;
	const np_site_region *g = &s->regions[r];
	if (!key_start(c, st, 0x524547494f4eu /* REGION */) || !key_region_link(c, st, r))
		return false;
	size_t per = np_ctx_per_page(s), from, n, n_pages = np_site_npages(g->n_items, per);
	np_site_page_slice(g->n_items, per, k, true, &from, &n);
	key_cstr(st, g->slug); /* pager and feed_url */
	key_u64(st, k);
	/* what the page shows of n_pages: on an archived page, unlike the
	 * newest, n_pages changes with each page the list grows by */
	key_u64(st, np_ctx_pager_shape(k, n_pages));
	key_u64(st, n);
	for (size_t i = from; i < from + n; i++) {
		key_u64(st, g->items[i].reported);
		if (!key_brief(c, st, g->items[i].article))
			return false;
	}
	if (k >= n_pages) { /* the newest page: counts and children */
		key_u64(st, g->n_reported);
		key_u64(st, g->n_mentioned);
		key_u64(st, g->n_children);
		for (size_t i = 0; i < g->n_children; i++) {
			const np_site_region *ch = &s->regions[g->children[i]];
			if (!key_region_link(c, st, g->children[i]))
				return false;
			key_u64(st, ch->n_reported);
			key_u64(st, ch->n_mentioned);
		}
	}
	size_t depth = 0;
	for (size_t p = g->parent; p != SIZE_MAX && depth < 8; p = s->regions[p].parent, depth++)
		if (!key_region_link(c, st, p))
			return false;
	key_u64(st, depth);
	return true;
}

bool np_ctx_event_key(const np_ctx *c, size_t e, size_t k, XXH3_state_t *st)
{
	const np_site *s = c->s;
	const np_site_event *ev = &s->events[e];
	if (!key_start(c, st, 0x4556454e54u /* EVENT */))
		return false;
	size_t per = np_ctx_per_page(s), from, n, n_pages = np_site_npages(ev->n_articles, per);
	key_str(st, ev->name);
	key_cstr(st, ev->url);
	key_cstr(st, ev->slug); /* pager and feed_url */
	key_u64(st, k);
	key_u64(st, np_ctx_pager_shape(k, n_pages)); /* as for regions */
	if (k >= n_pages) { /* the newest page: dates, count and regions */
		key_date(st, ev->first);
		key_date(st, ev->last);
		key_u64(st, ev->n_articles);
		key_u64(st, ev->n_regions);
		for (size_t i = 0; i < ev->n_regions; i++)
			if (!key_region_link(c, st, ev->regions[i]))
				return false;
	}
	np_site_page_slice(ev->n_articles, per, k, false, &from, &n);
	key_u64(st, n);
	for (size_t i = from; i < from + n; i++) {
		key_date(st, np_ctx_when(s, ev->timeline[i]));
		if (!key_brief(c, st, ev->timeline[i]))
			return false;
	}
	return true;
}
