/* Indexes of the site model: issues and their pages, the region tree with
 * roll-up, events. */
#include <stdint.h>
#include <stdlib.h>

#include "site/site_impl.h"
#include "util/translit.h"

typedef struct idx_vec {
	size_t *v;
	size_t n, cap;
} idx_vec;

static void vec_push(idx_vec *x, size_t i)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		x->v = np_xrealloc(x->v, np_mul(x->cap, sizeof *x->v));
	}
	x->v[x->n++] = i;
}

/* Copies a vector into the arena (so the site owns one allocation). */
static size_t *vec_keep(np_arena *a, idx_vec *x)
{
	size_t *out = NP_ANEWN(a, size_t, x->n ? x->n : 1);
	if (x->n)
		memcpy(out, x->v, x->n * sizeof *out);
	free(x->v);
	*x = (idx_vec){0};
	return out;
}

/* ---- issues ---------------------------------------------------------- */

static const np_page_entry *page_entry(np_site_impl *s, np_str iso, int number)
{
	for (size_t i = 0; i < s->n_page_records; i++) {
		if (!np_str_eq(s->page_records[i].issue, iso))
			continue;
		for (size_t p = 0; p < s->page_records[i].n_pages; p++)
			if (s->page_records[i].pages[p].page == number)
				return &s->page_records[i].pages[p];
	}
	return NULL;
}

static void build_pages(np_site_impl *s, np_site_issue *is, size_t issue_idx, size_t from, size_t to)
{
	np_site_article *arts = s->pub.articles;
	size_t n_pages = 0;
	for (size_t i = from; i < to; i++)
		if (i == from || arts[i].rec.page != arts[i - 1].rec.page)
			n_pages++;
	is->pages = NP_ANEWN(&s->arena, np_site_page, n_pages);
	for (size_t i = from; i < to;) {
		size_t j = i;
		while (j < to && arts[j].rec.page == arts[i].rec.page)
			j++;
		np_site_page *pg = &is->pages[is->n_pages];
		pg->number = arts[i].rec.page;
		pg->articles = NP_ANEWN(&s->arena, size_t, j - i);
		for (size_t k = i; k < j; k++) {
			arts[k].issue = issue_idx;
			arts[k].page = is->n_pages;
			pg->articles[pg->n_articles++] = k;
		}
		const np_page_entry *e = page_entry(s, np_str_from(is->iso), pg->number);
		if (e) {
			pg->source_file = e->source_file;
			pg->teasers = e->teasers;
			pg->n_teasers = e->n_teasers;
			pg->captions = e->captions;
		}
		pg->url = np_arena_printf(&s->arena, "issues/%s/%02d/index.html", is->iso, pg->number);
		is->n_pages++;
		i = j;
	}
}

void np_site_index_issues(np_site_impl *s, np_diags *d)
{
	(void)d;
	np_site_article *arts = s->pub.articles;
	size_t n = 0;
	for (size_t i = 0; i < s->pub.n_articles; i++)
		if (i == 0 || !np_str_eq(arts[i].rec.issue, arts[i - 1].rec.issue))
			n++;
	s->pub.issues = NP_ANEWN(&s->arena, np_site_issue, n ? n : 1);
	/* Articles are in ascending archive order; issues are listed newest
	 * first, so issue k (ascending) lands at n-1-k. */
	size_t k = 0;
	for (size_t i = 0; i < s->pub.n_articles; k++) {
		size_t j = i;
		while (j < s->pub.n_articles && np_str_eq(arts[j].rec.issue, arts[i].rec.issue))
			j++;
		np_site_issue *is = &s->pub.issues[n - 1 - k];
		if (np_date_parse(arts[i].rec.issue, &is->date) == 0)
			np_date_format(is->date, is->iso);
		else
			memcpy(is->iso, "undated", 8);
		is->n_articles = j - i;
		is->url = np_arena_printf(&s->arena, "issues/%s/index.html", is->iso);
		build_pages(s, is, n - 1 - k, i, j);
		i = j;
	}
	s->pub.n_issues = n;
}

/* ---- regions ----------------------------------------------------------- */

typedef struct region_tmp {
	idx_vec reported, mentioned, children;
	size_t last_reported, last_mentioned; /* article index + 1 */
} region_tmp;

typedef struct region_build {
	np_site_impl *s;
	np_site_region *r;
	region_tmp *t;
	size_t n, cap;
} region_build;

/* The region node for a path (created with its ancestors when new). */
static size_t region_node(region_build *b, np_str path)
{
	size_t i;
	if (np_strmap_get(&b->s->by_region, path, &i))
		return i;
	const char *slash = NULL;
	for (size_t k = path.len; k > 0; k--)
		if (path.p[k - 1] == '/') {
			slash = path.p + k - 1;
			break;
		}
	size_t parent = slash ? region_node(b, (np_str){path.p, (size_t)(slash - path.p)}) : SIZE_MAX;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->r = np_xrealloc(b->r, np_mul(b->cap, sizeof *b->r));
		b->t = np_xrealloc(b->t, np_mul(b->cap, sizeof *b->t));
	}
	i = b->n++;
	np_site_region *r = &b->r[i];
	memset(r, 0, sizeof *r);
	memset(&b->t[i], 0, sizeof b->t[i]);
	r->path = np_arena_str(&b->s->arena, path);
	r->name = slash ? (np_str){r->path.p + (slash - path.p) + 1, path.len - (size_t)(slash - path.p) - 1}
	                : r->path;
	r->parent = parent;
	r->level = parent == SIZE_MAX ? 1 : b->r[parent].level + 1;
	if (parent != SIZE_MAX)
		vec_push(&b->t[parent].children, i);
	np_strmap_put(&b->s->by_region, r->path, i);
	return i;
}

static void add_up(region_build *b, size_t node, size_t art, bool reported)
{
	for (; node != SIZE_MAX; node = b->r[node].parent) {
		region_tmp *t = &b->t[node];
		if (reported && t->last_reported != art + 1) {
			t->last_reported = art + 1;
			vec_push(&t->reported, art);
		} else if (!reported && t->last_reported != art + 1 && t->last_mentioned != art + 1) {
			t->last_mentioned = art + 1;
			vec_push(&t->mentioned, art);
		}
	}
}

static bool path_ok(np_str p)
{
	return p.len && p.p[0] != '/' && p.p[p.len - 1] != '/' && np_str_find(p, NP_STR("//")) == (size_t)-1;
}

void np_site_index_regions(np_site_impl *s)
{
	region_build b = {.s = s};
	/* Newest first, so every list comes out newest first. */
	for (size_t i = s->pub.n_articles; i-- > 0;) {
		const np_article *a = &s->pub.articles[i].rec;
		for (size_t k = 0; k < a->regions.len; k++)
			if (path_ok(a->regions.items[k]))
				add_up(&b, region_node(&b, a->regions.items[k]), i, true);
		for (size_t k = 0; k < a->places.len; k++)
			if (path_ok(a->places.items[k]))
				add_up(&b, region_node(&b, a->places.items[k]), i, false);
	}
	np_buf slug;
	np_buf_init(&slug);
	for (size_t i = 0; i < b.n; i++) {
		np_site_region *r = &b.r[i];
		r->n_reported = b.t[i].reported.n;
		r->reported = vec_keep(&s->arena, &b.t[i].reported);
		r->n_mentioned = b.t[i].mentioned.n;
		r->mentioned = vec_keep(&s->arena, &b.t[i].mentioned);
		r->n_children = b.t[i].children.n;
		r->children = vec_keep(&s->arena, &b.t[i].children);
		np_buf_clear(&slug);
		np_slugify(&slug, r->path);
		r->url = np_arena_printf(&s->arena, "regions/%s/index.html", slug.len ? slug.data : "x");
	}
	np_buf_dispose(&slug);
	s->pub.regions = NP_ANEWN(&s->arena, np_site_region, b.n ? b.n : 1);
	if (b.n)
		memcpy(s->pub.regions, b.r, b.n * sizeof *b.r);
	s->pub.n_regions = b.n;
	free(b.r);
	free(b.t);
}
