/* Contexts of the article, issue and page kinds, and the memo of shared
 * values (lists, regions, events and the calendar are in context_lists.c
 * and context_calendar.c). */
#include "render/context.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <xxhash.h>

#include "util/err.h"

struct np_ctx_memo {
	const np_site *s;
	const np_fp_set *set;
	_Atomic(np_value *) *briefs;  /* per article */
	_Atomic(np_value *) *regions; /* per region: link */
	_Atomic(np_value *) *events;  /* per event: link */
	_Atomic(np_value *) *issues;  /* per issue: brief */
	_Atomic(np_value *) site;
	uint64_t (*brief_keys)[2]; /* per article: what its brief is made of, hashed */
};

static _Atomic(np_value *) *slots(size_t n)
{
	_Atomic(np_value *) *v = np_xmalloc(np_mul(n ? n : 1, sizeof *v));
	for (size_t i = 0; i < n; i++)
		atomic_init(&v[i], NULL);
	return v;
}

np_ctx_memo *np_ctx_memo_new(const np_site *s, const np_fp_set *set)
{
	np_ctx_memo *m = np_xcalloc(1, sizeof *m);
	m->s = s, m->set = set;
	m->briefs = slots(s->n_articles);
	m->regions = slots(s->n_regions);
	m->events = slots(s->n_events);
	m->issues = slots(s->n_issues);
	atomic_init(&m->site, NULL);
	/* A brief is made of its record and URL (brief_fill): page keys take
	 * this hash of both, in one array, rather than visit each related
	 * article's strings. */
	m->brief_keys = np_xmalloc(np_mul(s->n_articles ? s->n_articles : 1, sizeof *m->brief_keys));
	for (size_t i = 0; i < s->n_articles; i++) {
		const np_site_article *sa = &s->articles[i];
		uint64_t in[3] = {sa->rec_digest[0], sa->rec_digest[1], 0};
		bool known = in[0] || in[1];
		XXH128_hash_t h = XXH3_128bits_withSeed(sa->url, strlen(sa->url), in[0] ^ in[1] * 31);
		in[2] = h.low64;
		XXH128_hash_t k = XXH3_128bits(in, sizeof in);
		m->brief_keys[i][0] = known ? (k.low64 | 1) : 0;
		m->brief_keys[i][1] = known ? k.high64 : 0;
	}
	return m;
}

const uint64_t *np_ctx_brief_key(const np_ctx *c, size_t i)
{
	if (!c->memo || !c->memo->brief_keys[i][0])
		return NULL;
	return c->memo->brief_keys[i];
}

void np_ctx_memo_free(np_ctx_memo *m)
{
	if (!m)
		return;
	free(m->briefs), free(m->regions), free(m->events), free(m->issues);
	free(m->brief_keys);
	free(m);
}

typedef np_value *(*build_fn)(const np_ctx *c, size_t i);

/* The shared value in *slot, built by build(c, i) in the worker's keep
 * arena and given its digest on first use.  Without a memo, a fresh value
 * in the job's arena. */
static np_value *shared(const np_ctx *c, _Atomic(np_value *) *slot, build_fn build, size_t i)
{
	if (!c->memo)
		return build(c, i);
	np_value *v = atomic_load_explicit(slot, memory_order_acquire);
	if (v)
		return v;
	np_ctx k = {c->s, c->keep, NULL, c->keep};
	v = build(&k, i);
	uint64_t d[2];
	np_fp_digest(c->memo->set, v, d);
	np_value_map_set_digest(v, d);
	np_value *was = NULL;
	if (!atomic_compare_exchange_strong_explicit(slot, &was, v, memory_order_acq_rel,
	                                             memory_order_acquire))
		return was; /* another worker was first: ours stays unused in keep */
	return v;
}

static np_value *str_or_null(np_arena *a, np_str s) { return s.p ? np_value_str(a, s) : NULL; }

np_value *np_ctx_date(np_arena *a, np_date d)
{
	return np_date_known(d) ? np_value_date(a, d.y, d.m, d.d) : NULL;
}

static np_value *strlist(np_arena *a, const np_strlist *l)
{
	np_value *v = np_value_list(a, l->len);
	for (size_t i = 0; i < l->len; i++)
		np_value_list_push(a, v, np_value_str(a, l->items[i]));
	return v;
}

static np_value *build_site(const np_ctx *c, size_t with_counts)
{
	np_arena *a = c->a;
	np_value *m = np_value_map(a);
	const np_site_config *cf = &c->s->config;
	np_value_map_set_str(a, m, "title", cf->title);
	np_value_map_set(a, m, "description", str_or_null(a, cf->description));
	np_value_map_set_str(a, m, "base_url", cf->base_url);
	np_value_map_set_str(a, m, "language", cf->language);
	/* The search page (search.html, written with the search index). */
	np_value_map_set(a, m, "search_url", np_value_strc(a, "search/index.html"));
	if (with_counts) {
		np_value_map_set_int(a, m, "n_articles", (int64_t)c->s->n_articles);
		np_value_map_set_int(a, m, "n_issues", (int64_t)c->s->n_issues);
		np_value_map_set_int(a, m, "n_regions", (int64_t)c->s->n_regions);
		np_value_map_set_int(a, m, "n_events", (int64_t)c->s->n_events);
	}
	return m;
}

/* Archive-wide counts change with every issue, so only the indexes that
 * change anyway get them (with_counts); on any other page they would make
 * the fingerprint change every week — the fingerprint leaves out keys a
 * template never names, but names are not paths: event.html's
 * `event.n_articles` would let `site.n_articles` in.  The shared `site`
 * (built once, never with counts) carries a digest. */
np_value *np_ctx_site(const np_ctx *c, bool with_counts)
{
	if (with_counts || !c->memo)
		return build_site(c, with_counts);
	return shared(c, &c->memo->site, build_site, 0);
}

/* The brief's 12 entries into map m. */
static void brief_fill(const np_ctx *c, size_t i, np_value *m)
{
	np_arena *a = c->a;
	const np_site_article *sa = &c->s->articles[i];
	const np_article *r = &sa->rec;
	np_value_map_set_str(a, m, "id", r->id);
	np_value_map_set_str(a, m, "title", r->title);
	np_value_map_set(a, m, "kicker", str_or_null(a, r->kicker));
	np_value_map_set(a, m, "subtitle", str_or_null(a, r->subtitle));
	np_value_map_set(a, m, "date", np_ctx_date(a, r->date));
	np_value_map_set(a, m, "end_date", np_ctx_date(a, r->end_date));
	np_value_map_set(a, m, "issue", str_or_null(a, r->issue));
	np_value_map_set_int(a, m, "page", r->page);
	np_value_map_set(a, m, "summary", str_or_null(a, r->summary));
	np_value_map_set(a, m, "source", str_or_null(a, r->source));
	np_value_map_set(a, m, "authors", strlist(a, &r->authors));
	np_value_map_set(a, m, "url", np_value_strc(a, sa->url));
}

static np_value *build_brief(const np_ctx *c, size_t i)
{
	np_value *m = np_value_map_sized(c->a, 12);
	brief_fill(c, i, m);
	return m;
}

np_value *np_ctx_article_brief(const np_ctx *c, size_t i)
{
	return shared(c, c->memo ? &c->memo->briefs[i] : NULL, build_brief, i);
}

static np_value *build_region_link(const np_ctx *c, size_t r)
{
	np_arena *a = c->a;
	const np_site_region *g = &c->s->regions[r];
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "name", g->name);
	np_value_map_set_str(a, m, "path", g->path);
	np_value_map_set_int(a, m, "level", g->level);
	np_value_map_set(a, m, "url", np_value_strc(a, g->url));
	np_value_map_set(a, m, "code", g->code.p ? np_value_str(a, g->code) : NULL);
	return m;
}

np_value *np_ctx_region_link(const np_ctx *c, size_t r)
{
	return shared(c, c->memo ? &c->memo->regions[r] : NULL, build_region_link, r);
}

np_value *np_ctx_region_counted(const np_ctx *c, size_t r)
{
	const np_site_region *g = &c->s->regions[r];
	np_value *m = np_value_map_copy(c->a, np_ctx_region_link(c, r), 2);
	np_value_map_set_int(c->a, m, "n_reported", (int64_t)g->n_reported);
	np_value_map_set_int(c->a, m, "n_mentioned", (int64_t)g->n_mentioned);
	return m;
}

/* Links to the regions that paths [from, to) of article a name
 * (np_site_article_region). */
static np_value *region_links(const np_ctx *c, const np_site_article *a, size_t from, size_t to)
{
	np_value *v = np_value_list(c->a, to - from);
	for (size_t k = from; k < to; k++) {
		const np_site_region *g = np_site_article_region(c->s, a, k);
		if (g)
			np_value_list_push(c->a, v, np_ctx_region_link(c, (size_t)(g - c->s->regions)));
	}
	return v;
}

static np_value *build_event_link(const np_ctx *c, size_t e)
{
	const np_site_event *ev = &c->s->events[e];
	np_value *m = np_value_map(c->a);
	np_value_map_set_str(c->a, m, "name", ev->name);
	np_value_map_set(c->a, m, "url", np_value_strc(c->a, ev->url));
	return m;
}

np_value *np_ctx_event_link(const np_ctx *c, size_t e)
{
	return shared(c, c->memo ? &c->memo->events[e] : NULL, build_event_link, e);
}

/* The article's events, from the index the site model keeps per article. */
static np_value *event_links(const np_ctx *c, size_t art)
{
	const np_site_article *sa = &c->s->articles[art];
	np_value *v = np_value_list(c->a, sa->n_events);
	for (size_t k = 0; k < sa->n_events; k++)
		np_value_list_push(c->a, v, np_ctx_event_link(c, sa->events[k]));
	return v;
}


static np_value *related(const np_ctx *c, size_t art)
{
	size_t ids[NP_RELATED_MAX];
	size_t n = np_site_related(c->s, art, ids, NP_RELATED_MAX);
	np_value *v = np_value_list(c->a, n);
	for (size_t k = 0; k < n; k++)
		np_value_list_push(c->a, v, np_ctx_article_brief(c, ids[k]));
	return v;
}

char *np_ctx_absolute(const np_site *s, const char *path, np_arena *a)
{
	np_str p = np_str_from(path);
	if (np_str_ends(p, NP_STR("index.html")))
		p.len -= strlen("index.html");
	np_str base = s->config.base_url;
	return np_arena_printf(a, "%.*s%s%.*s", (int)base.len, base.p,
	                       base.len && base.p[base.len - 1] == '/' ? "" : "/", (int)p.len, p.p);
}

/* Every input read here goes into np_ctx_article_key (context_keys.c). */
np_value *np_ctx_article(const np_ctx *c, size_t i)
{
	const np_site *s = c->s;
	np_arena *a = c->a;
	const np_site_article *sa = &s->articles[i];
	const np_article *r = &sa->rec;
	np_value *m = np_value_map_sized(a, 27); /* the brief's 12, and 15 more */
	brief_fill(c, i, m);
	size_t nr = r->regions.len;
	np_value_map_set(a, m, "regions", region_links(c, sa, 0, nr));
	np_value_map_set(a, m, "places", region_links(c, sa, nr, nr + r->places.len));
	np_value_map_set(a, m, "events", event_links(c, i));
	np_strlist people, captions;
	np_site_article_lists(sa, a, &people, &captions);
	np_value_map_set(a, m, "people", strlist(a, &people));
	np_value_map_set(a, m, "captions", strlist(a, &captions));
	/* The body is read from the record and rendered only when the page is
	 * (its hash stands for it in the fingerprint). */
	np_value_map_set(a, m, "body_html", np_value_safe(a, NP_STR("")));
	np_value_map_set(a, m, "record_path", np_value_strc(a, sa->record_path));
	np_value_map_set(a, m, "related", related(c, i));
	np_value_map_set(a, m, "permalink", np_value_strc(a, np_ctx_absolute(s, sa->url, a)));
	if (sa->issue != SIZE_MAX) {
		const np_site_issue *is = &s->issues[sa->issue];
		np_value_map_set(a, m, "issue_url", np_value_strc(a, is->url));
		np_value_map_set(a, m, "issue_date", np_ctx_date(a, is->date));
		np_value_map_set(a, m, "page_url", np_value_strc(a, is->pages[sa->page].url));
		np_value_map_set_int(a, m, "order", (int64_t)sa->order + 1);
	}
	bool same_prev = i > 0 && s->articles[i - 1].issue == sa->issue;
	bool same_next = i + 1 < s->n_articles && s->articles[i + 1].issue == sa->issue;
	np_value_map_set(a, m, "prev", same_prev ? np_ctx_article_brief(c, i - 1) : NULL);
	np_value_map_set(a, m, "next", same_next ? np_ctx_article_brief(c, i + 1) : NULL);
	return m;
}

static np_value *build_issue_brief(const np_ctx *c, size_t i)
{
	np_arena *a = c->a;
	const np_site_issue *is = &c->s->issues[i];
	np_value *m = np_value_map(a);
	np_value_map_set(a, m, "date", np_ctx_date(a, is->date));
	np_value_map_set(a, m, "iso", np_value_str_copy(a, np_str_from(is->iso)));
	np_value_map_set(a, m, "url", np_value_strc(a, is->url));
	np_value_map_set_int(a, m, "n_articles", (int64_t)is->n_articles);
	np_value_map_set_int(a, m, "n_pages", (int64_t)is->n_pages);
	return m;
}

np_value *np_ctx_issue_brief(const np_ctx *c, size_t i)
{
	return shared(c, c->memo ? &c->memo->issues[i] : NULL, build_issue_brief, i);
}

const char *np_ctx_page_url(const np_site_issue *is, int number)
{
	const char *url = NULL;
	for (size_t p = 0; p < is->n_pages; p++)
		if (is->pages[p].number == number)
			url = is->pages[p].url;
	return url;
}

static np_value *teasers(const np_ctx *c, const np_site_issue *is, const np_site_page *pg)
{
	np_arena *a = c->a;
	np_value *v = np_value_list(a, pg->n_teasers);
	for (size_t t = 0; t < pg->n_teasers; t++) {
		const np_teaser *x = &pg->teasers[t];
		np_value *m = np_value_map(a);
		np_value_map_set_str(a, m, "title", x->title);
		np_value_map_set(a, m, "kicker", str_or_null(a, x->kicker));
		np_value_map_set_int(a, m, "page", x->page);
		const char *url = np_ctx_page_url(is, x->page);
		np_value_map_set(a, m, "url", url ? np_value_strc(a, url) : NULL);
		np_value_list_push(a, v, m);
	}
	return v;
}

/* Every input read here goes into np_ctx_page_key (context_keys.c). */
np_value *np_ctx_page(const np_ctx *c, size_t issue, size_t page)
{
	np_arena *a = c->a;
	const np_site_issue *is = &c->s->issues[issue];
	const np_site_page *pg = &is->pages[page];
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "number", pg->number);
	np_value_map_set(a, m, "url", np_value_strc(a, pg->url));
	np_value_map_set(a, m, "source_file", str_or_null(a, pg->source_file));
	np_value *arts = np_value_list(a, pg->n_articles);
	for (size_t k = 0; k < pg->n_articles; k++)
		np_value_list_push(a, arts, np_ctx_article_brief(c, pg->articles[k]));
	np_value_map_set(a, m, "articles", arts);
	np_value_map_set(a, m, "teasers", teasers(c, is, pg));
	np_value_map_set(a, m, "captions", strlist(a, &pg->captions));
	return m;
}

/* Every input read here goes into np_ctx_issue_key (context_keys.c). */
np_value *np_ctx_issue(const np_ctx *c, size_t i)
{
	const np_site_issue *is = &c->s->issues[i];
	np_value *m = np_value_map_copy(c->a, np_ctx_issue_brief(c, i), 3);
	np_value *pages = np_value_list(c->a, is->n_pages);
	for (size_t p = 0; p < is->n_pages; p++)
		np_value_list_push(c->a, pages, np_ctx_page(c, i, p));
	np_value_map_set(c->a, m, "pages", pages);
	/* Issues are newest first: the previous (older) issue is i + 1. */
	np_value_map_set(c->a, m, "older", i + 1 < c->s->n_issues ? np_ctx_issue_brief(c, i + 1) : NULL);
	np_value_map_set(c->a, m, "newer", i > 0 ? np_ctx_issue_brief(c, i - 1) : NULL);
	return m;
}

