/* The sequential half of ingest: ids, slugs, and writing records and page
 * records.  Runs after the parallel parse, in path order, so the result is
 * the same whatever the number of threads. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "build/ingest.h"
#include "build/site_paths.h"
#include "record/record.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/strmap.h"
#include "util/translit.h"

/* A set of slugs already taken, open addressing over 64-bit hashes of the
 * strings (the strings themselves are kept to rule out collisions). */
typedef struct slug_set {
	char **keys;
	size_t cap, n;
} slug_set;

static size_t slug_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool slug_set_add(slug_set *s, const char *k)
{
	if (s->n * 2 >= s->cap) {
		slug_set bigger = {np_xcalloc(s->cap ? s->cap * 2 : 256, sizeof(char *)),
		                   s->cap ? s->cap * 2 : 256, 0};
		for (size_t i = 0; i < s->cap; i++)
			if (s->keys[i])
				slug_set_add(&bigger, s->keys[i]), free(s->keys[i]);
		free(s->keys);
		*s = bigger;
	}
	size_t i = slug_hash(k) & (s->cap - 1);
	for (; s->keys[i]; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->keys[i], k) == 0)
			return false;
	s->keys[i] = np_xstrndup(k, strlen(k));
	s->n++;
	return true;
}

static void slug_set_dispose(slug_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
}

/* The slug lines of records not made from the pages being ingested now:
 * their slugs are taken.  Reads only up to the closing fence. */
typedef struct scan_ctx {
	slug_set *taken;
	np_strmap ingesting; /* site_rel of every page being ingested now */
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

static int scan_slug(const char *root, const char *rel, void *vctx)
{
	scan_ctx *c = vctx;
	size_t n = strlen(rel);
	if (n < 3 || strcmp(rel + n - 3, ".md") != 0)
		return 0;
	np_buf path, src;
	np_buf_init(&path);
	np_buf_init(&src);
	np_path_join(&path, root, rel);
	if (np_fs_read(path.data, &src) == 0) {
		np_str s = np_str_of(&src);
		size_t end = np_str_find(np_str_sub(s, 4, s.len), NP_STR("\n---"));
		np_str fm = np_str_sub(s, 0, end == (size_t)-1 ? s.len : end + 5);
		np_str slug = front_value(fm, "slug");
		np_str src_file = front_value(fm, "source_file");
		size_t v;
		if (slug.p && !np_strmap_get(&c->ingesting, src_file, &v)) {
			char *k = np_xstrndup(slug.p, slug.len);
			slug_set_add(c->taken, k);
			free(k);
		}
	}
	np_buf_dispose(&path);
	np_buf_dispose(&src);
	return 0;
}

/* Gives each new article its id (<issue>-<NN>-<k>, k in reading order)
 * and a slug from its title's pinyin, unique within the site: the first
 * article (in path order) keeps the plain slug, later ones get -2, -3 … */
static void assign_ids(np_ingest_set *s, slug_set *taken)
{
	np_buf slug, cand;
	np_buf_init(&slug);
	np_buf_init(&cand);
	for (size_t i = 0; i < s->n; i++) {
		np_raw_page *p = &s->pages[i];
		if (p->failed || p->unchanged)
			continue;
		/* An undated page has no issue to make its id unique in: the
		 * hash of its path stands in for the date and page. */
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
			np_buf_clear(&slug);
			np_slugify(&slug, a->title);
			if (slug.len == 0)
				np_buf_printf(&slug, "article-%s", a->id.p);
			np_buf_clear(&cand);
			np_buf_putstr(&cand, np_str_of(&slug));
			for (int n = 2; !slug_set_add(taken, cand.data); n++) {
				np_buf_clear(&cand);
				np_buf_printf(&cand, "%s-%d", slug.data, n);
			}
			a->slug = np_arena_str(&p->arena, np_str_of(&cand));
		}
	}
	np_buf_dispose(&slug);
	np_buf_dispose(&cand);
}

void np_ingest_assign(np_ingest_set *s, const char *site)
{
	slug_set taken = {0};
	scan_ctx c = {.taken = &taken};
	np_strmap_init(&c.ingesting);
	for (size_t i = 0; i < s->n; i++)
		if (!s->pages[i].unchanged && !s->pages[i].failed)
			np_strmap_put(&c.ingesting, np_str_from(s->pages[i].site_rel), i);
	if (c.ingesting.len == 0)
		goto out; /* nothing to name */
	np_buf dir;
	np_buf_init(&dir);
	np_path_join(&dir, site, NP_ARTICLES_DIR);
	np_fs_walk(dir.data, scan_slug, &c);
	np_buf_dispose(&dir);
	assign_ids(s, &taken);
out:
	np_strmap_dispose(&c.ingesting);
	slug_set_dispose(&taken);
}

/* ---- writing ------------------------------------------------------------ */

static void record_path(np_buf *out, const char *site, const np_raw_page *p, np_str id)
{
	char iso[11] = "undated";
	if (p->issue_known)
		np_date_format(p->issue, iso);
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

void np_ingest_write_records(np_ingest_set *s, const char *site, np_build_stats *st, np_diags *d)
{
	for (size_t i = 0; i < s->n; i++) {
		np_raw_page *p = &s->pages[i];
		if (p->failed || p->unchanged)
			continue;
		for (size_t k = 0; k < p->result.n_articles; k++)
			write_record(site, p, &p->result.articles[k], st, d);
		st->articles += p->result.n_articles;
		st->pages_ingested++;
	}
}

/* One pages.yaml per issue: the entries of re-ingested pages are new, the
 * others are kept from the file as it was. */
static void fill_entry(np_page_entry *e, const np_raw_page *p)
{
	e->page = p->page;
	e->source_file = np_str_from(p->site_rel);
	for (size_t k = 0; k < p->result.n_articles; k++)
		np_strlist_add(&e->articles, (np_arena *)&p->arena, p->result.articles[k].id);
	e->teasers = p->result.teasers;
	e->n_teasers = p->result.n_teasers;
	e->captions = p->result.captions;
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

/* Writes the pages.yaml of one issue from the pages idx[0..n) of s. */
static void write_issue_pages(np_ingest_set *s, const size_t *idx, size_t n, const char *site,
                              np_diags *d)
{
	np_raw_page *first = &s->pages[idx[0]];
	char iso[11] = "undated";
	if (first->issue_known)
		np_date_format(first->issue, iso);
	np_arena a;
	np_arena_init(&a);
	np_buf path, bytes;
	np_buf_init(&path);
	np_buf_init(&bytes);
	np_buf_printf(&path, "%s/%s/%s/pages.yaml", site, NP_ARTICLES_DIR, iso);
	np_page_record old = {0};
	if (np_fs_read(path.data, &bytes) == 0)
		np_pages_parse(&old, bytes.data, bytes.len, path.data, &a, d);
	np_page_record rec = {.issue = np_str_from(iso)};
	rec.pages = NP_ANEWN(&a, np_page_entry, n);
	for (size_t i = 0; i < n; i++) {
		np_raw_page *p = &s->pages[idx[i]];
		np_page_entry *e = &rec.pages[rec.n_pages];
		if (!p->unchanged && !p->failed) {
			fill_entry(e, p);
			rec.n_pages++;
			continue;
		}
		for (size_t k = 0; k < old.n_pages; k++)
			if (np_str_eq_c(old.pages[k].source_file, p->site_rel)) {
				*e = old.pages[k];
				rec.n_pages++;
				break;
			}
	}
	qsort(rec.pages, rec.n_pages, sizeof *rec.pages, cmp_entry);
	np_buf_clear(&bytes);
	np_buf_puts(&bytes, "# Written by newsprint ingest: each page's articles in reading order,\n"
	                    "# its teasers and the captions that belong to no article.\n");
	np_pages_write(&rec, &bytes);
	if (np_fs_write_if_changed(path.data, bytes.data, bytes.len) < 0)
		np_diag_add(d, NP_ERROR, path.data, 0, 0, "cannot write: %s", strerror(errno));
	np_buf_dispose(&path);
	np_buf_dispose(&bytes);
	np_arena_dispose(&a);
}

/* Pages grouped by issue (every undated page in one group, wherever its
 * folder), in path order within a group. */
void np_ingest_write_pages(np_ingest_set *s, const char *site, np_diags *d)
{
	np_strmap groups;
	np_strmap_init(&groups);
	size_t *next = np_xcalloc(s->n ? s->n : 1, sizeof *next); /* chain per group */
	size_t *head = np_xcalloc(s->n ? s->n : 1, sizeof *head);
	char (*keys)[11] = np_xcalloc(s->n ? s->n : 1, sizeof *keys);
	size_t n_groups = 0;
	for (size_t i = s->n; i-- > 0;) {
		np_raw_page *p = &s->pages[i];
		if (p->issue_known)
			np_date_format(p->issue, keys[i]);
		else
			memcpy(keys[i], "undated", 8);
		size_t g;
		if (!np_strmap_get(&groups, np_str_from(keys[i]), &g)) {
			g = n_groups++;
			np_strmap_put(&groups, np_str_from(keys[i]), g);
			head[g] = SIZE_MAX;
		}
		next[i] = head[g];
		head[g] = i;
	}
	size_t *idx = np_xcalloc(s->n ? s->n : 1, sizeof *idx);
	for (size_t g = 0; g < n_groups; g++) {
		size_t n = 0;
		bool any = false;
		for (size_t i = head[g]; i != SIZE_MAX; i = next[i]) {
			idx[n++] = i;
			any |= !s->pages[i].unchanged;
		}
		if (any)
			write_issue_pages(s, idx, n, site, d);
	}
	free(idx);
	free(keys);
	free(head);
	free(next);
	np_strmap_dispose(&groups);
}
