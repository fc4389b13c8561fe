/* The ordered half of ingest: ids, slugs, records, page records and the
 * per-page report.  The writer sees one page at a time, in path order, as
 * soon as it is parsed, so the result is the same whatever the number of
 * threads; it keeps only what later pages need (the slugs taken, and the
 * pages.yaml entries of issues not yet complete), never a page's parse. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "build/ingest.h"
#include "build/site_paths.h"
#include "record/record.h"
#include "site/snapshot.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/fs_list.h"
#include "util/hash.h"
#include "util/pool.h"
#include "util/sort.h"
#include "util/strmap.h"
#include "util/translit.h"

/* A set of slugs already taken: the util string map over copies of the
 * slugs in an arena (ingest fills it with every record's slug, 100,000s
 * of them). */
typedef struct slug_set {
	np_strmap map;
	np_arena strings;
} slug_set;

static void slug_set_init(slug_set *s)
{
	np_strmap_init(&s->map);
	np_arena_init(&s->strings);
}

static bool slug_set_has(const slug_set *s, np_str k)
{
	size_t v;
	return np_strmap_get(&s->map, k, &v);
}

/* Makes room for n slugs in all without growing. */
static void slug_set_reserve(slug_set *s, size_t n)
{
	np_strmap_reserve(&s->map, n);
}

static bool slug_set_add(slug_set *s, np_str k)
{
	if (slug_set_has(s, k))
		return false;
	np_strmap_put(&s->map, np_arena_str(&s->strings, k), 0);
	return true;
}

static void slug_set_dispose(slug_set *s)
{
	np_strmap_dispose(&s->map);
	np_arena_dispose(&s->strings);
}

/* ---- naming: ids and slugs ------------------------------------------- */

/* Slugs of existing records made from pages being ingested now.  Such a
 * slug is free for whichever article is named now, unless its page then
 * fails to parse: that page keeps its records, so they keep their slugs.
 * Whether a page fails is known only once it is parsed; while naming an
 * earlier page the writer asks (np_ingest_fails_fn), which costs a parse
 * only in that rare case: a slug both new here and held by a later page. */
typedef struct held_slug {
	char *slug;
	size_t owner;      /* index of the page its record came from */
	size_t next_same;  /* next entry with the same slug, or SIZE_MAX */
	size_t next_owned; /* next entry of the same owner, or SIZE_MAX */
} held_slug;

typedef struct held_set {
	held_slug *items;
	size_t n, cap;
	np_strmap first; /* slug -> its first entry (keys are the items' strings) */
	size_t *owned;   /* per page: its first entry, or SIZE_MAX; NULL while empty */
	size_t n_pages;
} held_set;

static void held_add(held_set *h, np_str slug, size_t owner)
{
	if (!h->owned) {
		h->owned = np_xcalloc(h->n_pages, sizeof *h->owned);
		for (size_t i = 0; i < h->n_pages; i++)
			h->owned[i] = SIZE_MAX;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->items = np_xrealloc(h->items, np_mul(h->cap, sizeof *h->items));
	}
	held_slug *e = &h->items[h->n];
	e->slug = np_xstrndup(slug.p, slug.len);
	e->owner = owner;
	e->next_same = SIZE_MAX;
	e->next_owned = h->owned[owner];
	h->owned[owner] = h->n;
	size_t at;
	if (np_strmap_get(&h->first, slug, &at)) {
		while (h->items[at].next_same != SIZE_MAX)
			at = h->items[at].next_same;
		h->items[at].next_same = h->n;
	} else {
		np_strmap_put(&h->first, np_str_from(e->slug), h->n);
	}
	h->n++;
}

static void held_dispose(held_set *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->items[i].slug);
	free(h->items);
	free(h->owned);
	np_strmap_dispose(&h->first);
}

typedef struct scan_ctx {
	slug_set *taken;
	held_set *held;
	np_strmap ingesting; /* site_rel -> index, of every page not unchanged */
} scan_ctx;

static np_str front_value(np_str src, const char *key)
{
	np_buf k;
	np_buf_init(&k);
	np_buf_printf(&k, "\n%s: ", key);
	size_t at = np_str_find(src, np_str_of(&k));
	size_t klen = k.len;
	np_buf_dispose(&k);
	if (at == (size_t)-1)
		return (np_str){NULL, 0};
	np_str rest = np_str_sub(src, at + klen, src.len);
	const char *nl = memchr(rest.p, '\n', rest.len);
	return np_str_sub(rest, 0, nl ? (size_t)(nl - rest.p) : rest.len);
}

/* Counts the slug of one record: taken, or held by the page being ingested
 * that made it. */
static void count_slug(scan_ctx *c, np_str slug, np_str src_file)
{
	size_t owner;
	if (!slug.p)
		return;
	if (np_strmap_get(&c->ingesting, src_file, &owner)) {
		held_add(c->held, slug, owner);
	} else {
		slug_set_add(c->taken, slug);
	}
}

/* The slug and source page of a record not in the snapshot, from its
 * front matter (the text up to the closing fence). */
static void scan_file(scan_ctx *c, const char *site, const char *rel)
{
	np_buf path, src;
	np_buf_init(&path);
	np_buf_init(&src);
	np_path_join(&path, site, rel);
	if (np_fs_read(path.data, &src) == 0) {
		np_str s = np_str_of(&src);
		size_t end = np_str_find(np_str_sub(s, 4, s.len), NP_STR("\n---"));
		np_str fm = np_str_sub(s, 0, end == (size_t)-1 ? s.len : end + 5);
		count_slug(c, front_value(fm, "slug"), front_value(fm, "source_file"));
	}
	np_buf_dispose(&path);
	np_buf_dispose(&src);
}

typedef struct issue_group issue_group;

struct np_ingest_writer {
	np_ingest_set *s;
	const char *site;
	FILE *report;
	np_build_stats *st;
	np_diags *d;
	np_ingest_fails_fn fails;
	void *fails_ctx;
	const np_fs_list *records; /* np_ingest_opts.records */
	np_snap **snap;            /* np_ingest_opts.snap */
	bool scanned;   /* taken and held are filled */
	np_task scan;   /* scan_records on a thread (np_ingest_writer_start_scan) */
	bool scanning;  /* scan started and not yet waited for */
	slug_set taken; /* slugs of records kept, and of articles named so far */
	held_set held;
	np_buf slug, cand;
	size_t *group_of; /* per page: its issue group */
	issue_group *groups;
	size_t n_groups;
};

/* Learns the slugs of the records already there, before the first page is
 * named (and so before any record is written): from the record snapshot
 * for each record the listing shows as the snapshot saw it (the build that
 * saved it parsed it), else from the file.  After a weekly issue that
 * leaves only the new issue's records to read. */
static void scan_records(np_ingest_writer *w)
{
	scan_ctx c = {.taken = &w->taken, .held = &w->held};
	np_strmap_init(&c.ingesting);
	for (size_t i = 0; i < w->s->n; i++)
		if (!w->s->pages[i].unchanged)
			np_strmap_put(&c.ingesting, np_str_from(w->s->pages[i].site_rel), i);
	np_buf sp;
	np_buf_init(&sp);
	np_path_join(&sp, w->site, NP_SNAP_FILE);
	np_snap *snap = w->snap && *w->snap ? *w->snap : np_snap_load(sp.data);
	if (w->snap)
		*w->snap = snap; /* the caller's now */
	size_t n_md = 0, cap = w->records ? w->records->n : 0;
	const char **rels = np_xcalloc(cap + 1, sizeof *rels);
	const np_fs_item **items = np_xcalloc(cap + 1, sizeof *items);
	for (size_t i = 0; i < cap; i++) {
		const np_fs_item *it = &w->records->items[i];
		size_t n = strlen(it->rel);
		if (it->kind == NP_FS_FILE && n >= 3 && strcmp(it->rel + n - 3, ".md") == 0)
			items[n_md++] = it;
	}
	np_sort_runs(items, n_md, sizeof *items, np_fs_item_ptr_cmp, NULL); /* in order as listed */
	for (size_t i = 0; i < n_md; i++)
		rels[i] = items[i]->rel;
	size_t *idx = np_xcalloc(n_md + 1, sizeof *idx);
	np_snap_match(snap, rels, n_md, idx);
	slug_set_reserve(c.taken, n_md);
	for (size_t i = 0; i < n_md; i++) {
		const np_fs_item *it = items[i];
		np_str e = np_snap_entry(snap, idx[i], np_snap_key_of(it)), slug, source_file;
		if (e.p && np_snap_slug(e, &slug, &source_file) == 0)
			count_slug(&c, slug, source_file);
		else
			scan_file(&c, w->site, it->rel);
	}
	free(idx), free(rels), free(items);
	if (!w->snap)
		np_snap_free(snap);
	np_buf_dispose(&sp);
	np_strmap_dispose(&c.ingesting);
	w->scanned = true;
}

/* Whether slug k is free for an article of page i: not taken, and not
 * held by the record of a later page that fails (an earlier page that
 * failed has put its slugs in taken already). */
static bool slug_free(np_ingest_writer *w, size_t i, const char *k)
{
	if (slug_set_has(&w->taken, np_str_from(k)))
		return false;
	size_t at;
	if (np_strmap_get(&w->held.first, np_str_from(k), &at))
		for (; at != SIZE_MAX; at = w->held.items[at].next_same) {
			size_t owner = w->held.items[at].owner;
			if (owner > i && w->fails(w->fails_ctx, owner))
				return false;
		}
	return true;
}

/* A page that failed keeps its records: their slugs stay taken. */
static void keep_held(np_ingest_writer *w, size_t i)
{
	if (w->held.owned)
		for (size_t k = w->held.owned[i]; k != SIZE_MAX; k = w->held.items[k].next_owned)
			slug_set_add(&w->taken, np_str_from(w->held.items[k].slug));
}

/* Gives each article of page i its id (<issue>-<NN>-<k>, k in reading
 * order) and a slug from its title's pinyin, unique within the site: the
 * first article (in path order) keeps the plain slug, later ones get -2,
 * -3 … */
static void name_page(np_ingest_writer *w, size_t i)
{
	np_raw_page *p = &w->s->pages[i];
	/* An undated page has no issue to make its id unique in: the hash of
	 * its path stands in for the date and page. */
	char prefix[32];
	if (p->issue_known) {
		np_date_format(p->issue, prefix);
		snprintf(prefix + 10, sizeof prefix - 10, "-%02d", p->page);
	} else {
		snprintf(prefix, sizeof prefix, "undated-%08x",
		         (unsigned)(np_hash64(p->site_rel, strlen(p->site_rel)) & 0xffffffffu));
	}
	for (size_t k = 0; k < p->result.n_articles; k++) {
		np_article *a = &p->result.articles[k];
		a->id = np_str_from(np_arena_printf(&p->arena, "%s-%zu", prefix, k + 1));
		np_buf_clear(&w->slug);
		np_slugify(&w->slug, a->title);
		if (w->slug.len == 0)
			np_buf_printf(&w->slug, "article-%s", a->id.p);
		np_buf_clear(&w->cand);
		np_buf_putstr(&w->cand, np_str_of(&w->slug));
		for (int n = 2; !slug_free(w, i, w->cand.data); n++) {
			np_buf_clear(&w->cand);
			np_buf_printf(&w->cand, "%s-%d", w->slug.data, n);
		}
		slug_set_add(&w->taken, np_str_of(&w->cand));
		a->slug = np_arena_str(&p->arena, np_str_of(&w->cand));
	}
}

/* ---- writing records ---------------------------------------------------- */

void np_ingest_folder(const np_raw_page *p, char out[11])
{
	if (p->issue_known)
		np_date_format(p->issue, out);
	else
		memcpy(out, "undated", 8);
}

static void record_path(np_buf *out, const char *site, const np_raw_page *p, np_str id)
{
	char iso[11];
	np_ingest_folder(p, iso);
	np_buf_clear(out);
	np_buf_printf(out, "%s/%s/%s/%.*s.md", site, NP_ARTICLES_DIR, iso, (int)id.len, id.p);
}

/* Writes one record unless a person has edited the file there. */
static void write_record(const char *site, const np_raw_page *p, const np_article *a,
                         np_build_stats *st, np_diags *d)
{
	np_buf path, bytes, cur;
	np_buf_init(&path);
	np_buf_init(&bytes);
	np_buf_init(&cur);
	record_path(&path, site, p, a->id);
	np_record_write(a, &bytes);
	if (np_fs_read(path.data, &cur) == 0 &&
	    np_record_state_of(cur.data, cur.len) == NP_RECORD_EDITED) {
		if (cur.len != bytes.len || memcmp(cur.data, bytes.data, cur.len) != 0)
			np_diag_add(d, NP_WARNING, path.data + strlen(site) + 1, 0, 0,
			            "edited by hand since ingest wrote it: not overwritten (its page %s "
			            "changed; delete the record to take the new ingest)",
			            p->site_rel);
		st->records_kept_edited++;
	} else {
		int rc = np_fs_write_if_changed(path.data, bytes.data, bytes.len);
		if (rc < 0)
			np_diag_add(d, NP_ERROR, path.data, 0, 0, "cannot write: %s", strerror(errno));
		else if (rc == NP_WRITE_WRITTEN)
			st->records_written++;
		else
			st->records_unchanged++;
	}
	np_buf_dispose(&path);
	np_buf_dispose(&bytes);
	np_buf_dispose(&cur);
}

/* ---- page records: one pages.yaml per issue ------------------------------ */

/* The pages of an issue (every undated page in one group, wherever its
 * folder).  The entries of re-ingested pages are new, the others are kept
 * from the file as it was.  A group is open from its first page to its
 * last, and holds only copies of its entries: the pages of a folder are
 * consecutive in path order, so few groups are open at a time. */
struct issue_group {
	char key[11];   /* the issue date, or "undated" */
	size_t n, last; /* its number of pages, the index of the last */
	bool rewrite;   /* some page of it is not unchanged: the file is written */
	bool open;
	np_arena a;     /* while open: the old record and the entries */
	np_page_record old, rec;
};

static void groups_init(np_ingest_writer *w)
{
	np_ingest_set *s = w->s;
	np_strmap by_key;
	np_strmap_init(&by_key);
	w->group_of = np_xcalloc(s->n ? s->n : 1, sizeof *w->group_of);
	w->groups = np_xcalloc(s->n ? s->n : 1, sizeof *w->groups);
	for (size_t i = 0; i < s->n; i++) {
		char key[11];
		np_ingest_folder(&s->pages[i], key);
		size_t g;
		if (!np_strmap_get(&by_key, np_str_from(key), &g)) {
			g = w->n_groups++;
			memcpy(w->groups[g].key, key, sizeof key);
			np_strmap_put(&by_key, np_str_from(w->groups[g].key), g);
		}
		w->group_of[i] = g;
		w->groups[g].n++;
		w->groups[g].last = i;
		w->groups[g].rewrite |= !s->pages[i].unchanged;
	}
	np_strmap_dispose(&by_key);
}

static np_str keep_str(np_arena *a, np_str s)
{
	return s.p ? np_arena_str(a, s) : s;
}

/* Copies what pages.yaml says of page p into e (strings into a). */
static void fill_entry(np_page_entry *e, const np_raw_page *p, np_arena *a)
{
	const np_page_result *r = &p->result;
	e->page = p->page;
	e->source_file = np_str_from(p->site_rel);
	for (size_t k = 0; k < r->n_articles; k++)
		np_strlist_add(&e->articles, a, keep_str(a, r->articles[k].id));
	if (r->n_teasers) {
		e->teasers = NP_ANEWN(a, np_teaser, r->n_teasers);
		for (size_t k = 0; k < r->n_teasers; k++) {
			e->teasers[k] = r->teasers[k];
			e->teasers[k].title = keep_str(a, r->teasers[k].title);
			e->teasers[k].kicker = keep_str(a, r->teasers[k].kicker);
		}
	}
	e->n_teasers = r->n_teasers;
	for (size_t k = 0; k < r->captions.len; k++)
		np_strlist_add(&e->captions, a, keep_str(a, r->captions.items[k]));
}

static void group_open(np_ingest_writer *w, issue_group *g)
{
	np_arena_init(&g->a);
	np_buf path, bytes;
	np_buf_init(&path);
	np_buf_init(&bytes);
	np_buf_printf(&path, "%s/%s/%s/pages.yaml", w->site, NP_ARTICLES_DIR, g->key);
	if (np_fs_read(path.data, &bytes) == 0)
		np_pages_parse(&g->old, bytes.data, bytes.len, path.data, &g->a, w->d);
	g->rec.issue = np_str_from(g->key);
	g->rec.pages = NP_ANEWN(&g->a, np_page_entry, g->n);
	g->open = true;
	np_buf_dispose(&path);
	np_buf_dispose(&bytes);
}

static int cmp_entry(const void *x, const void *y)
{
	const np_page_entry *a = x, *b = y;
	if (a->page != b->page)
		return a->page < b->page ? -1 : 1;
	size_t n = a->source_file.len < b->source_file.len ? a->source_file.len : b->source_file.len;
	int c = memcmp(a->source_file.p, b->source_file.p, n);
	return c ? c : (a->source_file.len < b->source_file.len ? -1 : a->source_file.len > b->source_file.len);
}

static void group_write(np_ingest_writer *w, issue_group *g)
{
	np_page_record *rec = &g->rec;
	qsort(rec->pages, rec->n_pages, sizeof *rec->pages, cmp_entry);
	np_buf path, bytes;
	np_buf_init(&path);
	np_buf_init(&bytes);
	np_buf_printf(&path, "%s/%s/%s/pages.yaml", w->site, NP_ARTICLES_DIR, g->key);
	np_buf_puts(&bytes, "# Written by newsprint ingest: each page's articles in reading order,\n"
	                    "# its teasers and the captions that belong to no article.\n");
	np_pages_write(rec, &bytes);
	if (np_fs_write_if_changed(path.data, bytes.data, bytes.len) < 0)
		np_diag_add(w->d, NP_ERROR, path.data, 0, 0, "cannot write: %s", strerror(errno));
	np_buf_dispose(&path);
	np_buf_dispose(&bytes);
	np_arena_dispose(&g->a);
	memset(&g->old, 0, sizeof g->old);
	memset(&g->rec, 0, sizeof g->rec);
	g->open = false;
}

/* Adds page i to its issue's pages.yaml; writes the file after its last page. */
static void group_add(np_ingest_writer *w, size_t i)
{
	issue_group *g = &w->groups[w->group_of[i]];
	if (!g->rewrite)
		return;
	if (!g->open)
		group_open(w, g);
	const np_raw_page *p = &w->s->pages[i];
	np_page_entry *e = &g->rec.pages[g->rec.n_pages];
	if (!p->unchanged && !p->failed) {
		fill_entry(e, p, &g->a);
		g->rec.n_pages++;
	} else {
		for (size_t k = 0; k < g->old.n_pages; k++)
			if (np_str_eq_c(g->old.pages[k].source_file, p->site_rel)) {
				*e = g->old.pages[k];
				g->rec.n_pages++;
				break;
			}
	}
	if (i == g->last)
		group_write(w, g);
}

/* ---- the per-page report ------------------------------------------------ */

static size_t count_warnings(np_diags *d, const char *path)
{
	size_t n = 0;
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i].severity == NP_WARNING && strcmp(d->items[i].path, path) == 0)
			n++;
	pthread_mutex_unlock(&d->lock);
	return n;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* What page p gave: counts, then each article's id and title.  All of the
 * page's own warnings are in d by now (it is parsed). */
static void report_page(FILE *f, const np_raw_page *p, np_diags *d)
{
	if (!f || p->unchanged)
		return;
	if (p->failed) {
		fprintf(f, "%s: not ingested (see the errors below)\n", p->site_rel);
		return;
	}
	const np_page_result *r = &p->result;
	size_t warnings = count_warnings(d, p->site_rel);
	fprintf(f, "%s: %zu article%s, %zu teaser%s, %zu page caption%s, %zu warning%s\n",
	        p->site_rel, r->n_articles, plural(r->n_articles), r->n_teasers,
	        plural(r->n_teasers), r->captions.len, plural(r->captions.len), warnings,
	        plural(warnings));
	for (size_t k = 0; k < r->n_articles; k++)
		fprintf(f, "  %.*s  %.*s\n", (int)r->articles[k].id.len, r->articles[k].id.p,
		        (int)r->articles[k].title.len, r->articles[k].title.p);
}

/* ---- the writer ------------------------------------------------------------ */

np_ingest_writer *np_ingest_writer_new(np_ingest_set *s, const np_ingest_opts *o,
                                       np_build_stats *st, np_diags *d, np_ingest_fails_fn fails,
                                       void *fails_ctx)
{
	np_ingest_writer *w = np_xcalloc(1, sizeof *w);
	w->s = s;
	w->site = o->site;
	w->report = o->report;
	w->records = o->records;
	w->snap = o->snap;
	w->st = st;
	w->d = d;
	w->fails = fails;
	w->fails_ctx = fails_ctx;
	np_strmap_init(&w->held.first);
	slug_set_init(&w->taken);
	w->held.n_pages = s->n;
	np_buf_init(&w->slug);
	np_buf_init(&w->cand);
	groups_init(w);
	return w;
}

static void *scan_run(void *arg)
{
	scan_records(arg);
	return NULL;
}

void np_ingest_writer_start_scan(np_ingest_writer *w)
{
	if (w->scanned || w->scanning)
		return;
	w->scanning = true;
	np_task_start(&w->scan, scan_run, w);
}

void np_ingest_writer_page(np_ingest_writer *w, size_t i)
{
	np_raw_page *p = &w->s->pages[i];
	if (!p->unchanged && w->scanning) {
		np_task_wait(&w->scan);
		w->scanning = false;
	}
	if (!p->unchanged && !w->scanned)
		scan_records(w);
	if (p->failed) {
		keep_held(w, i);
	} else if (!p->unchanged) {
		name_page(w, i);
		for (size_t k = 0; k < p->result.n_articles; k++)
			write_record(w->site, p, &p->result.articles[k], w->st, w->d);
		w->st->articles += p->result.n_articles;
		w->st->pages_ingested++;
	}
	group_add(w, i);
	report_page(w->report, p, w->d);
}

void np_ingest_writer_free(np_ingest_writer *w)
{
	if (!w)
		return;
	if (w->scanning)
		np_task_wait(&w->scan);
	for (size_t g = 0; g < w->n_groups; g++)
		if (w->groups[g].open)
			np_arena_dispose(&w->groups[g].a);
	free(w->groups);
	free(w->group_of);
	slug_set_dispose(&w->taken);
	held_dispose(&w->held);
	np_buf_dispose(&w->slug);
	np_buf_dispose(&w->cand);
	free(w);
}
