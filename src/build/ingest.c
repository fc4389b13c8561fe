/* The ingest driver: finds raw pages, runs text -> page -> meta on all
 * cores, gives every article a stable id and a site-unique slug, and writes
 * records and page records without ever overwriting a person's edit. */
#define _POSIX_C_SOURCE 200809L
#include "build/ingest.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "build/site_paths.h"
#include "meta/meta.h"
#include "page/page.h"
#include "record/config.h"
#include "record/record.h"
#include "text/text.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/translit.h"

/* ---- finding raw pages ------------------------------------------------ */

static bool is_iso_date(const char *s, size_t n, np_date *out)
{
	return n == 10 && np_date_parse((np_str){s, 10}, out) == 0;
}

/* Page number from a file name "07.txt" / "7.txt" / "A07.txt"; 0 if none. */
static int page_from_name(const char *name)
{
	const char *p = name;
	while (*p && (*p < '0' || *p > '9'))
		p++;
	int n = 0;
	while (*p >= '0' && *p <= '9' && n < 10000)
		n = n * 10 + (*p++ - '0');
	return strcmp(p, ".txt") == 0 ? n : 0;
}

static int collect(const char *root, const char *rel, void *ctx)
{
	(void)root;
	np_ingest_set *s = ctx;
	size_t n = strlen(rel);
	if (n < 4 || strcmp(rel + n - 4, ".txt") != 0)
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->pages = np_xrealloc(s->pages, np_mul(s->cap, sizeof *s->pages));
	}
	np_raw_page *p = &s->pages[s->n++];
	memset(p, 0, sizeof *p);
	p->rel = np_xstrndup(rel, n);
	return 0;
}

/* Fills issue date, page number and declared encoding of each page from
 * its path and its issue's issue.yaml. */
static void describe(np_ingest_set *s, const char *site, const np_site_config *cfg, np_arena *a,
                     np_diags *d)
{
	np_buf path;
	np_buf_init(&path);
	for (size_t i = 0; i < s->n; i++) {
		np_raw_page *p = &s->pages[i];
		const char *slash = strrchr(p->rel, '/');
		const char *file = slash ? slash + 1 : p->rel;
		const char *dir_end = slash ? slash : p->rel;
		const char *dir = dir_end;
		while (dir > p->rel && dir[-1] != '/')
			dir--;
		np_issue_manifest m = {0};
		if (slash) {
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%s/%.*s/issue.yaml", site, NP_ISSUES_DIR,
			              (int)(dir_end - p->rel), p->rel);
			np_issue_manifest_load(&m, path.data, a, d);
		}
		p->issue_known = is_iso_date(dir, (size_t)(dir_end - dir), &p->issue);
		if (!p->issue_known && np_date_known(m.date)) {
			p->issue = m.date;
			p->issue_known = true;
		}
		const np_manifest_page *mp = np_issue_manifest_page(&m, np_str_from(file));
		p->page = mp && mp->page > 0 ? mp->page : page_from_name(file);
		p->encoding = m.encoding.p ? m.encoding : cfg->encoding;
		if (!p->issue_known)
			np_diag_add(d, NP_WARNING, p->site_rel, 0, 0,
			            "no issue date in the path (content/issues/YYYY-MM-DD/NN.txt) or "
			            "issue.yaml; dates will be inferred from the text");
	}
	np_buf_dispose(&path);
}

void np_ingest_set_dispose(np_ingest_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->pages[i].rel);
		free(s->pages[i].site_rel);
		np_arena_dispose(&s->pages[i].arena);
	}
	if (s->keys)
		for (size_t i = 0; i < s->n; i++)
			free(s->keys[i].rel);
	free(s->keys);
	free(s->pages);
	memset(s, 0, sizeof *s);
}

int np_ingest_find(np_ingest_set *s, const char *site, const np_site_config *cfg, np_arena *a,
                   np_diags *d)
{
	np_buf root;
	np_buf_init(&root);
	np_path_join(&root, site, NP_ISSUES_DIR);
	memset(s, 0, sizeof *s);
	int rc = 0;
	if (!np_fs_is_dir(root.data)) {
		np_diag_add(d, NP_WARNING, NP_ISSUES_DIR, 0, 0, "no raw pages: the folder is missing");
	} else {
		rc = np_fs_walk(root.data, collect, s);
	}
	for (size_t i = 0; i < s->n; i++) {
		np_buf r;
		np_buf_init(&r);
		np_buf_printf(&r, "%s/%s", NP_ISSUES_DIR, s->pages[i].rel);
		s->pages[i].site_rel = np_buf_detach(&r);
		np_arena_init(&s->pages[i].arena);
	}
	describe(s, site, cfg, a, d);
	np_buf_dispose(&root);
	return rc;
}

/* ---- parsing pages (parallel) ---------------------------------------- */

typedef struct parse_ctx {
	np_ingest_set *set;
	const char *site;
	const np_events *events;
	bool debug;
	np_diags *d;
} parse_ctx;

static void parse_one(void *vctx, size_t i, unsigned worker)
{
	(void)worker;
	parse_ctx *c = vctx;
	np_raw_page *p = &c->set->pages[i];
	if (p->unchanged)
		return;
	np_buf full;
	np_buf_init(&full);
	np_path_join(&full, c->site, p->site_rel);
	np_text text;
	char *enc = p->encoding.p ? np_arena_strdup(&p->arena, p->encoding) : NULL;
	int rc = np_text_load_file(&text, full.data, enc, &p->arena, c->d);
	np_buf_dispose(&full);
	if (rc != 0) {
		p->failed = true;
		return;
	}
	text.path = p->site_rel;
	char iso[11];
	np_date_format(p->issue, iso);
	np_page_opts po = {.source_file = p->site_rel,
	                   .path = p->site_rel,
	                   .issue = p->issue_known ? np_arena_str(&p->arena, np_str_from(iso))
	                                           : (np_str){NULL, 0},
	                   .page = p->page,
	                   .debug = c->debug};
	if (np_page_parse(&p->result, &text, &po, &p->arena, c->d) != 0) {
		p->failed = true;
		return;
	}
	np_meta_opts mo = {.issue = p->issue_known ? p->issue : (np_date){0, 0, 0},
	                   .events = c->events,
	                   .path = p->site_rel};
	if (!p->issue_known)
		mo.page_year = np_meta_page_year(np_text_join(&text, &p->arena));
	for (size_t k = 0; k < p->result.n_articles; k++)
		np_meta_extract(&p->result.articles[k], &mo, &p->arena, c->d);
	if (p->result.n_articles == 0)
		np_diag_add(c->d, NP_WARNING, p->site_rel, 0, 0,
		            "no article found on this page (it is empty, or holds only headlines, "
		            "captions or teasers)");
}

void np_ingest_parse(np_ingest_set *s, const char *site, const np_events *events, unsigned threads,
                     bool debug, np_diags *d)
{
	parse_ctx c = {s, site, events, debug, d};
	np_pool_for(threads, s->n, parse_one, &c);
}
