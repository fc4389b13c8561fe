#include "site/site.h"

#include <stdint.h>
#include <stdlib.h>

#include "site/site_impl.h"
#include "site/slugs.h"
#include "site/snapshot.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/fs_list.h"
#include "util/pool.h"
#include "util/sort.h"

/* Position of an article within its page according to pages.yaml, filled
 * before sorting. */
static int cmp_articles(const void *x, const void *y)
{
	const np_site_article *a = x, *b = y;
	int c;
	/* Undated issues sort first; then by issue date, page, reading order. */
	size_t n = a->rec.issue.len < b->rec.issue.len ? a->rec.issue.len : b->rec.issue.len;
	if (n && (c = memcmp(a->rec.issue.p, b->rec.issue.p, n)) != 0)
		return c;
	if (a->rec.issue.len != b->rec.issue.len)
		return a->rec.issue.len < b->rec.issue.len ? -1 : 1;
	if (a->rec.page != b->rec.page)
		return a->rec.page < b->rec.page ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	n = a->rec.id.len < b->rec.id.len ? a->rec.id.len : b->rec.id.len;
	if ((c = memcmp(a->rec.id.p, b->rec.id.p, n)) != 0)
		return c;
	return a->rec.id.len < b->rec.id.len ? -1 : a->rec.id.len > b->rec.id.len;
}

/* Reading order from the page records: an article's position in the
 * `articles` list of its page (the last listing of its id among its
 * issue's pages, when a continued article is listed twice).  The records
 * come grouped by issue, so the positions are mapped one issue at a time:
 * a map of some 40 ids, not of the whole archive. */
static void reading_order(np_site_impl *s)
{
	np_strmap recs, pos;
	np_strmap_init(&recs);
	np_strmap_init(&pos);
	np_strmap_reserve(&recs, s->n_page_records);
	for (size_t i = 0; i < s->n_page_records; i++)
		np_strmap_put(&recs, s->page_records[i].issue, i);
	np_str mapped = {NULL, 0}; /* the issue whose positions are in pos */
	for (size_t i = 0; i < s->pub.n_articles; i++) {
		np_site_article *a = &s->pub.articles[i];
		size_t r, k;
		if (i == 0 || !np_str_eq(a->rec.issue, mapped)) {
			mapped = a->rec.issue;
			np_strmap_clear(&pos);
			const np_page_record *rec =
			    mapped.len && np_strmap_get(&recs, mapped, &r) ? &s->page_records[r] : NULL;
			for (size_t p = 0; rec && p < rec->n_pages; p++) {
				const np_page_entry *e = &rec->pages[p];
				for (k = 0; k < e->articles.len; k++)
					np_strmap_put(&pos, e->articles.items[k], k);
			}
		}
		a->order = np_strmap_get(&pos, a->rec.id, &k) ? k : SIZE_MAX;
	}
	np_strmap_dispose(&pos);
	np_strmap_dispose(&recs);
}

static int cmp_articles_r(const void *x, const void *y, void *ctx)
{
	(void)ctx;
	return cmp_articles(x, y);
}

/* Archive order.  The records come in path order: by issue, as archive
 * order is, but within an issue by file name, which is a slug when ingest
 * named it (any order of the issue's pages and reading order) and a few
 * places off when a generator did ("-10" before "-2").  np_sort_runs_large
 * sorts pointers to the records (some 500 bytes each) and merges only
 * where neighbouring runs overlap, here one issue at each seam, then moves
 * each record once (qsort compared some 1.7 million pairs at 100,000
 * records, all on the load's serial path).  cmp_articles breaks ties by
 * id: a total order, so any correct sort gives this order. */
static void sort_articles(np_site_article *a, size_t n)
{
	np_sort_runs_large(a, n, sizeof *a, cmp_articles_r, NULL);
}

/* Drops records with a duplicate or missing id (keeping the first in
 * archive order) and gives each article its URL. */
/* articles/<issue>/<name>/index.html, in a (100,000s of them: no printf). */
static char *article_url(np_arena *a, np_str issue, np_str name)
{
	static const char head[] = "articles/", tail[] = "/index.html";
	size_t n = sizeof head - 1 + issue.len + 1 + name.len + sizeof tail;
	char *u = np_arena_alloc(a, n), *q = u;
	memcpy(q, head, sizeof head - 1), q += sizeof head - 1;
	memcpy(q, issue.p, issue.len), q += issue.len;
	*q++ = '/';
	memcpy(q, name.p, name.len), q += name.len;
	memcpy(q, tail, sizeof tail); /* with its NUL */
	return u;
}

static void ids_and_urls(np_site_impl *s, np_diags *d)
{
	size_t kept = 0;
	/* An article's URL holds its issue: two can clash only within an
	 * issue, and articles are in archive order, so the URLs taken are
	 * mapped one issue at a time. */
	np_strmap urls;
	np_strmap_init(&urls);
	np_str urls_issue = {NULL, 0};
	np_strmap_reserve(&s->by_id, s->pub.n_articles);
	for (size_t i = 0; i < s->pub.n_articles; i++) {
		np_site_article *a = &s->pub.articles[i];
		size_t other;
		if (np_strmap_get(&s->by_id, a->rec.id, &other)) {
			np_diag_add(d, NP_ERROR, a->record_path, 2, 1,
			            "id '%.*s' is already used by %s (record left out)", (int)a->rec.id.len,
			            a->rec.id.p, s->pub.articles[other].record_path);
			continue;
		}
		if (kept != i) /* after a duplicate: a struct of some 400 bytes */
			s->pub.articles[kept] = *a;
		a = &s->pub.articles[kept];
		np_strmap_put(&s->by_id, a->rec.id, kept);
		/* The record reader has checked id and slug (an invalid slug is
		 * null there, with a warning at its position). */
		np_str slug = a->rec.slug.p ? a->rec.slug : a->rec.id;
		if (kept == 0 || !np_str_eq(a->rec.issue, urls_issue)) {
			urls_issue = a->rec.issue;
			np_strmap_clear(&urls);
		}
		np_str issue = a->rec.issue.len ? a->rec.issue : NP_STR("undated");
		a->url = article_url(&s->arena, issue, slug);
		if (!np_strmap_put(&urls, np_str_from(a->url), kept))
			a->url = article_url(&s->arena, issue, a->rec.id);
		kept++;
	}
	s->pub.n_articles = kept;
	np_strmap_dispose(&urls);
}

static void *index_regions(void *s)
{
	np_site_index_regions(s);
	return NULL;
}

np_site *np_site_load(const char *dir, unsigned threads, np_diags *d)
{
	return np_site_load_listed(dir, threads, NULL, NULL, d);
}

np_site *np_site_load_listed(const char *dir, unsigned threads, const np_fs_list *listed,
                             np_snap *snap, np_diags *d)
{
	np_site_impl *s = np_xcalloc(1, sizeof *s);
	s->snap = snap; /* NULL: read_articles loads it */
	s->pub.priv = s;
	np_arena_init(&s->arena);
	np_arena_init(&s->ev_arena);
	np_arena_init(&s->reg_arena);
	np_strmap_init(&s->by_id);
	np_strmap_init(&s->by_region);
	np_buf cfg;
	np_buf_init(&cfg);
	np_path_join(&cfg, dir, "site.yaml");
	np_site_config_load(&s->pub.config, cfg.data, &s->arena, d);
	np_path_join(&cfg, dir, "content/events.yaml");
	np_events_load(&s->events, cfg.data, d);
	np_site_read_records(s, dir, threads, listed, d);
	if (s->pub.n_articles > NP_SITE_MAX_ARTICLES) { /* region lists hold 31-bit indexes */
		np_diag_add(d, NP_ERROR, NP_SITE_ARTICLES, 0, 0,
		            "%zu records: an archive holds at most %u (the rest are left out)",
		            s->pub.n_articles, NP_SITE_MAX_ARTICLES);
		s->pub.n_articles = NP_SITE_MAX_ARTICLES;
	}
	reading_order(s);
	sort_articles(s->pub.articles, s->pub.n_articles);
	ids_and_urls(s, d);
	np_slugs slugs;
	np_slugs_load(&slugs, dir);
	s->slugs = &slugs;
	/* The region tree on a second thread, beside the issues and the
	 * events' groups and timelines (site_impl.h): at 100,000 articles the
	 * tree is some 0.1 s of the load's serial part, the other two 0.07 s. */
	np_task regions = {0};
	if (threads > 1)
		np_task_start(&regions, index_regions, s);
	else
		np_site_index_regions(s);
	np_site_index_issues(s, d);
	np_site_index_events(s);
	np_task_wait(&regions);
	np_site_index_events_finish(s);
	np_slugs_save(&slugs, dir);
	np_slugs_dispose(&slugs);
	s->slugs = NULL;
	np_site_index_years(s);
	np_buf_dispose(&cfg);
	return &s->pub;
}

void np_site_free(np_site *pub)
{
	if (!pub)
		return;
	np_site_impl *s = pub->priv;
	np_site_bodies_drop(pub);
	for (size_t i = 0; i < s->n_arenas; i++)
		np_arena_dispose(&s->arenas[i]);
	free(s->arenas);
	free(s->pub.articles);
	free(s->page_records);
	np_strmap_dispose(&s->by_id);
	np_strmap_dispose(&s->by_region);
	np_events_free(s->events);
	np_arena_dispose(&s->arena);
	np_arena_dispose(&s->ev_arena);
	np_arena_dispose(&s->reg_arena);
	np_snap_free(s->snap);
	np_snap_free(s->pages_snap);
	for (size_t i = 0; i < s->n_fresh; i++)
		free(s->fresh[i]);
	free(s->fresh);
	free(s);
}

const np_site_region *np_site_region_by_path(const np_site *pub, np_str path)
{
	const np_site_impl *s = pub->priv;
	size_t i;
	return np_strmap_get(&s->by_region, path, &i) ? &pub->regions[i] : NULL;
}

void np_site_article_lists(const np_site_article *a, np_arena *ar, np_strlist *people,
                           np_strlist *captions)
{
	if (!a->lazy_lists.p) {
		*people = a->rec.people, *captions = a->rec.captions;
		return;
	}
	(void)np_snap_decode_lists(a->lazy_lists, people, captions, ar); /* checked at load */
}

const np_site_region *np_site_article_region(const np_site *pub, const np_site_article *a,
                                             size_t k)
{
	if (!a->region_ids) { /* a model not made by np_site_load */
		size_t nr = a->rec.regions.len;
		return np_site_region_by_path(pub, k < nr ? a->rec.regions.items[k]
		                                          : a->rec.places.items[k - nr]);
	}
	uint32_t i = a->region_ids[k];
	return i == UINT32_MAX ? NULL : &pub->regions[i];
}

const np_site_article *np_site_article_by_id(const np_site *pub, np_str id)
{
	const np_site_impl *s = pub->priv;
	size_t i;
	return np_strmap_get(&s->by_id, id, &i) ? &pub->articles[i] : NULL;
}
