/* Indexes of the site model: issues and their pages, the region tree with
 * roll-up, events. */
#define _GNU_SOURCE /* qsort_r */
#include <stdint.h>
#include <stdlib.h>

#include "meta/gazetteer.h"
#include "site/site_impl.h"
#include "site/slugs.h"

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

/* The page record entry for page number of the issue whose page record
 * is rec_idx (SIZE_MAX: none).  Pages per issue are few. */
static const np_page_entry *page_entry(np_site_impl *s, size_t rec_idx, int number)
{
	if (rec_idx == SIZE_MAX)
		return NULL;
	const np_page_record *rec = &s->page_records[rec_idx];
	for (size_t p = 0; p < rec->n_pages; p++)
		if (rec->pages[p].page == number)
			return &rec->pages[p];
	return NULL;
}

static void build_pages(np_site_impl *s, np_site_issue *is, size_t issue_idx, size_t from, size_t to,
                        size_t rec_idx)
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
		const np_page_entry *e = page_entry(s, rec_idx, pg->number);
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
	np_strmap recs; /* issue date -> page record */
	np_strmap_init(&recs);
	for (size_t i = 0; i < s->n_page_records; i++)
		np_strmap_put(&recs, s->page_records[i].issue, i);
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
		size_t rec = SIZE_MAX;
		np_strmap_get(&recs, np_str_from(is->iso), &rec);
		build_pages(s, is, n - 1 - k, i, j, rec);
		i = j;
	}
	s->pub.n_issues = n;
	np_strmap_dispose(&recs);
}

/* ---- regions ----------------------------------------------------------- */

typedef struct region_tmp {
	idx_vec children;
	size_t n_reported, n_mentioned;       /* counted by the first pass */
	size_t last_reported, last_mentioned; /* article index + 1 */
} region_tmp;

typedef struct region_build {
	np_site_impl *s;
	np_site_region *r;
	region_tmp *t;
	size_t n, cap;
} region_build;

static bool path_ok(np_str p)
{
	return p.len && p.p[0] != '/' && p.p[p.len - 1] != '/' && np_str_find(p, NP_STR("//")) == (size_t)-1;
}

/* The region node for a path (created with its ancestors when new), or
 * SIZE_MAX when the path is not one (empty, a slash at an end, or two
 * slashes in a row). */
static size_t region_node(region_build *b, np_str path)
{
	size_t i;
	if (np_strmap_get(&b->s->by_region, path, &i))
		return i;
	if (!path_ok(path)) /* a path in the map passed this when it was put there */
		return SIZE_MAX;
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
	r->path = np_arena_str(&b->s->reg_arena, path);
	r->name = slash ? (np_str){r->path.p + (slash - path.p) + 1, path.len - (size_t)(slash - path.p) - 1}
	                : r->path;
	r->parent = parent;
	r->level = parent == SIZE_MAX ? 1 : b->r[parent].level + 1;
	if (parent != SIZE_MAX)
		vec_push(&b->t[parent].children, i);
	np_strmap_put(&b->s->by_region, r->path, i);
	return i;
}

/* One article's link to node, rolled up to its ancestors: each region
 * lists an article once, as reported when any of the article's regions
 * is in its subtree, else as mentioned.  The first pass (fill false)
 * counts; the second writes into lists of exactly that size. */
static void add_up(region_build *b, size_t node, size_t art, bool reported, bool fill)
{
	for (; node != SIZE_MAX; node = b->r[node].parent) {
		region_tmp *t = &b->t[node];
		np_site_region *r = &b->r[node];
		if (reported && t->last_reported != art + 1) {
			t->last_reported = art + 1;
			if (!fill) {
				t->n_reported++;
				continue;
			}
			r->reported[r->n_reported++] = art;
			r->items[r->n_items++] = (np_site_region_item){(uint32_t)art, 1};
		} else if (!reported && t->last_reported != art + 1 && t->last_mentioned != art + 1) {
			t->last_mentioned = art + 1;
			if (!fill) {
				t->n_mentioned++;
				continue;
			}
			r->n_mentioned++;
			r->items[r->n_items++] = (np_site_region_item){(uint32_t)art, 0};
		}
	}
}

static int cmp_path_idx(const void *x, const void *y, void *ctx)
{
	const np_site_region *r = ctx;
	np_str a = r[*(const size_t *)x].path, b = r[*(const size_t *)y].path;
	size_t n = a.len < b.len ? a.len : b.len;
	int c = memcmp(a.p, b.p, n);
	return c ? c : (a.len < b.len ? -1 : a.len > b.len);
}

static const np_region *gaz_region(np_str path)
{
	const np_gazetteer *g = np_gazetteer_builtin();
	return g ? np_gazetteer_by_path(g, path) : NULL;
}

/* Region slugs: the GB/T 2260 code when the gazetteer knows the path (a
 * code never changes with a rename of its pinyin), else "x-" + the path's
 * pinyin slug (the prefix keeps them apart from codes), made unique with
 * "-2", "-3"… given out in path byte order so they are stable. */
static void region_slugs(np_site_impl *s, np_site_region *r, size_t n)
{
	size_t *order = np_xmalloc(np_mul(n ? n : 1, sizeof *order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof *order, cmp_path_idx, r);
	np_strmap used;
	np_strmap_init(&used);
	np_buf slug;
	np_buf_init(&slug);
	for (size_t k = 0; k < n; k++) {
		np_site_region *g = &r[order[k]];
		const np_region *known = gaz_region(g->path);
		np_buf_clear(&slug);
		if (known) {
			np_buf_printf(&slug, "%06u", (unsigned)known->code);
			g->code = np_arena_str(&s->reg_arena, np_str_of(&slug));
			g->level = (int)known->level;
		} else {
			np_buf_puts(&slug, "x-");
			np_slugs_get(s->slugs, &slug, g->path);
		}
		char *cand = np_arena_strdup(&s->reg_arena, np_str_of(&slug));
		for (int m = 2; !np_strmap_put(&used, np_str_from(cand), 0); m++)
			cand = np_arena_printf(&s->reg_arena, "%s-%d", slug.data, m);
		g->slug = cand;
		g->url = np_arena_printf(&s->reg_arena, "regions/%s/index.html", cand);
	}
	np_buf_dispose(&slug);
	np_strmap_dispose(&used);
	free(order);
}

/* Puts ids (region indexes) in pinyin order of their names. */
static void collate_regions(np_site_region *r, size_t *ids, size_t n)
{
	if (n < 2)
		return;
	np_str *names = np_xmalloc(np_mul(n, sizeof *names));
	size_t *order = np_xmalloc(np_mul(n, sizeof *order));
	size_t *copy = np_xmalloc(np_mul(n, sizeof *copy));
	for (size_t i = 0; i < n; i++)
		names[i] = r[ids[i]].name, copy[i] = ids[i];
	np_site_collate(names, n, order);
	for (size_t i = 0; i < n; i++)
		ids[i] = copy[order[i]];
	free(names);
	free(order);
	free(copy);
}

static void finish_regions(np_site_impl *s, region_build *b)
{
	idx_vec top = {0};
	for (size_t i = 0; i < b->n; i++) {
		np_site_region *r = &b->r[i];
		r->n_children = b->t[i].children.n;
		r->children = vec_keep(&s->reg_arena, &b->t[i].children);
		collate_regions(b->r, r->children, r->n_children);
		if (r->parent == SIZE_MAX)
			vec_push(&top, i);
	}
	s->pub.n_provinces = top.n;
	s->pub.provinces = vec_keep(&s->reg_arena, &top);
	collate_regions(b->r, s->pub.provinces, s->pub.n_provinces);
	region_slugs(s, b->r, b->n);
}

/* The region tree in two passes over the articles, newest first so that
 * every list comes out newest first: the first makes the nodes, gives
 * each article the indexes of its regions and counts each region's
 * lists; the second fills lists allocated at their final size, in the
 * arena (no vectors grown, copied and freed: at 100,000 articles the
 * lists hold over a million entries, and fresh memory is slow to touch). */
void np_site_index_regions(np_site_impl *s)
{
	region_build b = {.s = s};
	for (size_t i = s->pub.n_articles; i-- > 0;) {
		np_site_article *sa = &s->pub.articles[i];
		const np_article *a = &sa->rec;
		size_t nr = a->regions.len, n = nr + a->places.len;
		sa->region_ids = np_arena_alloc(&s->reg_arena, np_mul(n ? n : 1, sizeof *sa->region_ids));
		for (size_t k = 0; k < n; k++) {
			np_str path = k < nr ? a->regions.items[k] : a->places.items[k - nr];
			size_t node = region_node(&b, path);
			/* the index it keeps (finish_regions); fewer regions than links */
			sa->region_ids[k] = node == SIZE_MAX ? UINT32_MAX : (uint32_t)node;
			if (node != SIZE_MAX)
				add_up(&b, node, i, k < nr, false);
		}
	}
	for (size_t g = 0; g < b.n; g++) {
		region_tmp *t = &b.t[g];
		np_site_region *r = &b.r[g];
		r->reported = np_arena_alloc(&s->reg_arena, np_mul(t->n_reported + 1, sizeof *r->reported));
		r->items = np_arena_alloc(&s->reg_arena,
		                          np_mul(t->n_reported + t->n_mentioned + 1, sizeof *r->items));
		t->last_reported = t->last_mentioned = 0;
	}
	for (size_t i = s->pub.n_articles; i-- > 0;) {
		const np_site_article *sa = &s->pub.articles[i];
		size_t nr = sa->rec.regions.len, n = nr + sa->rec.places.len;
		for (size_t k = 0; k < n; k++)
			if (sa->region_ids[k] != UINT32_MAX)
				add_up(&b, sa->region_ids[k], i, k < nr, true);
	}
	finish_regions(s, &b);
	s->pub.regions = NP_ANEWN(&s->reg_arena, np_site_region, b.n ? b.n : 1);
	if (b.n)
		memcpy(s->pub.regions, b.r, b.n * sizeof *b.r);
	s->pub.n_regions = b.n;
	free(b.r);
	free(b.t);
}

/* ---- calendar ---------------------------------------------------------- */

void np_site_index_years(np_site_impl *s)
{
	const np_site_issue *is = s->pub.issues;
	size_t n = 0;
	for (size_t i = 0; i < s->pub.n_issues; i++)
		if (np_date_known(is[i].date) && (n == 0 || is[i].date.y != is[i - 1].date.y))
			n++;
	s->pub.years = NP_ANEWN(&s->arena, np_site_year, n ? n : 1);
	for (size_t i = 0; i < s->pub.n_issues; i++) {
		if (!np_date_known(is[i].date))
			continue;
		np_site_year *y = s->pub.n_years ? &s->pub.years[s->pub.n_years - 1] : NULL;
		if (!y || y->year != is[i].date.y) {
			y = &s->pub.years[s->pub.n_years++];
			*y = (np_site_year){is[i].date.y, i, 0, NULL};
			y->url = np_arena_printf(&s->arena, "calendar/%04d/index.html", y->year);
		}
		y->n++;
	}
}
