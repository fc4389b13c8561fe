/* Deciding which raw pages need ingesting: a page whose bytes and context
 * match the ingest cache, and whose records are all still there, is left
 * alone; pages that vanished since the last ingest are reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/cache.h"
#include "build/ingest.h"
#include "build/site_paths.h"
#include "record/record.h"
#include "site/snapshot.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/pool.h"

static void hash_file(const char *path, char out[33])
{
	np_buf b;
	np_buf_init(&b);
	if (np_fs_read(path, &b) != 0)
		np_buf_puts(&b, "(none)");
	np_hash128_hex(b.data, b.len, out);
	np_buf_dispose(&b);
}

/* The pages.yaml of one issue, parsed once for all its pages (pages are
 * sorted by path, so an issue's pages come together). */
typedef struct pages_memo {
	char key[11]; /* issue date or "undated"; "" before the first */
	bool ok;      /* read and parsed */
	np_page_record rec;
	np_arena a;
} pages_memo;

/* Where a page record may come from without libyaml: the listing of
 * content/articles (`present` maps each file's path to its item) and the
 * pages snapshot the site loader keeps (site/snapshot.h). */
typedef struct pages_src {
	const np_strmap *present;
	const np_fs_list *records;
	const np_snap *snap;
} pages_src;

static const np_page_record *pages_of(const char *site, const char *key, const pages_src *ps,
                                      pages_memo *m)
{
	if (strcmp(m->key, key) != 0) {
		np_arena_dispose(&m->a);
		snprintf(m->key, sizeof m->key, "%s", key);
		np_buf path, src;
		np_buf_init(&path);
		np_buf_init(&src);
		np_buf_printf(&path, "%s/%s/pages.yaml", NP_ARTICLES_DIR, key);
		size_t v;
		m->ok = false;
		if (np_strmap_get(ps->present, np_str_of(&path), &v)) {
			const np_fs_item *it = &ps->records->items[v];
			np_str e = np_snap_entry(ps->snap, np_snap_find(ps->snap, np_str_of(&path)),
			                         np_snap_key_of(it));
			m->ok = e.p && np_snap_decode_pages(e, &m->rec, &m->a) == 0;
		}
		if (!m->ok) {
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%s/%s/pages.yaml", site, NP_ARTICLES_DIR, key);
			np_diags quiet;
			np_diags_init(&quiet);
			m->ok = np_fs_read(path.data, &src) == 0 &&
			        np_pages_parse(&m->rec, src.data, src.len, path.data, &m->a, &quiet) == 0;
			np_diags_dispose(&quiet);
		}
		np_buf_dispose(&path);
		np_buf_dispose(&src);
	}
	return m->ok ? &m->rec : NULL;
}

/* True when every record pages.yaml lists for this page is in the listing
 * (`present`: the site-relative path of each record file). */
static bool records_present(const char *site, const np_raw_page *p, const pages_src *ps,
                            pages_memo *m)
{
	const np_strmap *present = ps->present;
	char iso[11];
	np_ingest_folder(p, iso);
	const np_page_record *rec = pages_of(site, iso, ps, m);
	if (!rec)
		return false;
	np_buf path;
	np_buf_init(&path);
	bool ok = false;
	size_t v;
	for (size_t i = 0; i < rec->n_pages && !ok; i++) {
		if (!np_str_eq_c(rec->pages[i].source_file, p->site_rel))
			continue;
		ok = true;
		for (size_t k = 0; k < rec->pages[i].articles.len && ok; k++) {
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%s/%.*s.md", NP_ARTICLES_DIR, iso,
			              (int)rec->pages[i].articles.items[k].len,
			              rec->pages[i].articles.items[k].p);
			ok = np_strmap_get(present, np_str_of(&path), &v);
		}
	}
	np_buf_dispose(&path);
	return ok;
}

/* The hash of the issue.yaml next to page p, read once per folder (pages
 * are sorted by path, so a folder's pages come together). */
typedef struct issue_memo {
	np_buf dir; /* the folder part of the last page's rel */
	char hash[33];
} issue_memo;

/* Length of the folder part of rel ("" for a file at the top). */
static size_t folder_len(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? (size_t)(slash - rel) : 0;
}

static const char *issue_hash(const char *site, const np_raw_page *p, issue_memo *m)
{
	size_t dir_len = folder_len(p->rel);
	if (m->hash[0] && m->dir.len == dir_len && memcmp(m->dir.data, p->rel, dir_len) == 0)
		return m->hash;
	np_buf_clear(&m->dir);
	np_buf_put(&m->dir, p->rel, dir_len);
	np_buf path;
	np_buf_init(&path);
	np_buf_printf(&path, "%s/%s/%.*s/issue.yaml", site, NP_ISSUES_DIR, (int)dir_len, p->rel);
	hash_file(path.data, m->hash);
	np_buf_dispose(&path);
	return m->hash;
}

/* Everything besides the page's own bytes that shapes its records. */
static void page_context(const char *site, const np_raw_page *p, const char *events_hash,
                         issue_memo *im, np_buf *ctx)
{
	np_buf_clear(ctx);
	np_buf_printf(ctx, "%s|%s|%.*s|%s", np_build_self_hash(), issue_hash(site, p, im),
	              (int)p->encoding.len, p->encoding.p ? p->encoding.p : "", events_hash);
}

/* One run of pages that share their folders (so the per-folder memos
 * stay per worker): the pages from starts[k] to starts[k + 1]. */
typedef struct mark_ctx {
	np_ingest_set *s;
	const char *site;
	const np_ingest_cache *c;
	const char *events_hash;
	const pages_src *pages;
	const size_t *starts;
} mark_ctx;

static void mark_run(void *vctx, size_t k, unsigned worker)
{
	(void)worker;
	const mark_ctx *m = vctx;
	pages_memo memo = {0};
	np_arena_init(&memo.a);
	issue_memo im = {.hash = ""};
	np_buf_init(&im.dir);
	np_buf path, ctx;
	np_buf_init(&path);
	np_buf_init(&ctx);
	for (size_t i = m->starts[k]; i < m->starts[k + 1]; i++) {
		np_raw_page *p = &m->s->pages[i];
		np_ingest_cache_entry *e = &m->s->keys[i];
		e->rel = np_xstrndup(p->site_rel, strlen(p->site_rel));
		page_context(m->site, p, m->events_hash, &im, &ctx);
		np_path_join(&path, m->site, p->site_rel);
		int rc = p->listed ? np_ingest_cache_key_meta(m->c, p->site_rel, path.data, p->size,
		                                              p->mtime_ns, ctx.data, e)
		                   : np_ingest_cache_key(m->c, p->site_rel, path.data, ctx.data, e);
		if (rc == 0 && np_ingest_cache_same(m->c, e) &&
		    records_present(m->site, p, m->pages, &memo))
			p->unchanged = true;
	}
	np_buf_dispose(&im.dir);
	np_arena_dispose(&memo.a);
	np_buf_dispose(&path);
	np_buf_dispose(&ctx);
}

void np_ingest_mark_unchanged(np_ingest_set *s, const char *site, const np_fs_list *records,
                              unsigned threads, np_diags *d)
{
	np_ingest_cache c;
	np_ingest_cache_load(&c, site);
	np_buf path;
	np_buf_init(&path);
	char events_hash[33];
	np_path_join(&path, site, NP_EVENTS_FILE);
	hash_file(path.data, events_hash);
	s->keys = np_xcalloc(s->n ? s->n : 1, sizeof *s->keys);
	np_strmap now, present;
	np_strmap_init(&now);
	np_strmap_init(&present);
	/* sized once: 100,000 records grew it through a dozen rehashes */
	np_strmap_reserve(&present, records ? records->n : 0);
	np_strmap_reserve(&now, s->n);
	for (size_t i = 0; records && i < records->n; i++)
		if (records->items[i].kind == NP_FS_FILE)
			np_strmap_put(&present, np_str_from(records->items[i].rel), i);
	for (size_t i = 0; i < s->n; i++)
		np_strmap_put(&now, np_str_from(s->pages[i].site_rel), i);
	/* Runs of at least 32 pages, cut where the folder changes (pages are
	 * sorted by path), checked on all cores: each page's stat, its cache
	 * entry, its folder's issue.yaml and pages.yaml. */
	size_t *starts = np_xmalloc(np_mul(s->n + 2, sizeof *starts));
	size_t runs = 0;
	starts[runs++] = 0;
	for (size_t i = 1; i < s->n; i++) {
		const char *a = s->pages[starts[runs - 1]].rel, *b = s->pages[i].rel;
		size_t la = folder_len(a), lb = folder_len(b);
		if (i - starts[runs - 1] >= 32 && (la != lb || memcmp(a, b, la) != 0))
			starts[runs++] = i;
	}
	starts[runs] = s->n;
	np_path_join(&path, site, NP_PAGES_SNAP_FILE);
	np_snap *snap = np_snap_load(path.data);
	pages_src ps = {&present, records, snap};
	mark_ctx m = {s, site, &c, events_hash, &ps, starts};
	if (s->n)
		np_pool_for(threads ? threads : 1, runs, mark_run, &m);
	np_snap_free(snap);
	free(starts);
	size_t v;
	for (size_t i = 0; i < c.n; i++)
		if (!np_strmap_get(&now, np_str_from(c.items[i].rel), &v))
			np_diag_add(d, NP_WARNING, c.items[i].rel, 0, 0,
			            "this raw page is gone; its records in %s are kept (delete them if "
			            "the page was removed on purpose)",
			            NP_ARTICLES_DIR);
	np_strmap_dispose(&now);
	np_strmap_dispose(&present);
	np_ingest_cache_dispose(&c);
	np_buf_dispose(&path);
}

void np_ingest_save_cache(np_ingest_set *s, const char *site)
{
	np_ingest_cache c;
	np_ingest_cache_init(&c, site); /* the entries are all in s->keys */
	size_t kept = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->pages[i].failed) {
			free(s->keys[i].rel); /* retried next time, errors and all */
			continue;
		}
		s->keys[kept++] = s->keys[i];
	}
	np_fs_mkdirs_for(c.path);
	np_ingest_cache_save(&c, s->keys, kept);
	s->keys = NULL; /* the cache owns them now */
	np_ingest_cache_dispose(&c);
}
