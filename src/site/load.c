/* Reading a site's records and page records on all cores. */
#include <stdlib.h>

#include "record/record.h"
#include "site/site_impl.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/pool.h"

typedef struct paths {
	char **md;
	size_t n_md, cap_md;
	char **pages;
	size_t n_pages, cap_pages;
} paths;

static void push(char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = np_xrealloc(*v, np_mul(*cap, sizeof **v));
	}
	(*v)[(*n)++] = np_xstrndup(s, strlen(s));
}

static int collect(const char *root, const char *rel, void *ctx)
{
	(void)root;
	paths *p = ctx;
	size_t n = strlen(rel);
	if (n > 3 && strcmp(rel + n - 3, ".md") == 0)
		push(&p->md, &p->n_md, &p->cap_md, rel);
	else if (strcmp(rel + (n >= 10 ? n - 10 : 0), "pages.yaml") == 0)
		push(&p->pages, &p->n_pages, &p->cap_pages, rel);
	return 0;
}

typedef struct parse_ctx {
	np_site_impl *s;
	char **rel;
	const char *dir;
	np_arena *arenas; /* one per worker */
	bool *ok;
	np_diags *d;
} parse_ctx;

static void parse_one(void *vctx, size_t i, unsigned worker)
{
	parse_ctx *c = vctx;
	np_arena *a = &c->arenas[worker];
	np_site_article *out = &c->s->pub.articles[i];
	np_buf path, src;
	np_buf_init(&path);
	np_buf_init(&src);
	np_buf_printf(&path, "%s/%s", NP_SITE_ARTICLES, c->rel[i]);
	out->record_path = np_arena_strdup(a, np_str_of(&path));
	np_buf_clear(&path);
	np_buf_printf(&path, "%s/%s", c->dir, out->record_path);
	if (np_fs_read(path.data, &src) != 0)
		np_diag_add(c->d, NP_ERROR, out->record_path, 0, 0, "cannot read record");
	else
		c->ok[i] = np_record_parse(&out->rec, src.data, src.len, out->record_path, a, c->d) == 0;
	np_buf_dispose(&path);
	np_buf_dispose(&src);
}

/* Reads every record; bad ones are dropped (their diagnostics say why).
 * Returns the number kept. */
size_t np_site_read_records(np_site_impl *s, const char *dir, unsigned threads, np_diags *d)
{
	paths p = {0};
	np_buf root;
	np_buf_init(&root);
	np_path_join(&root, dir, NP_SITE_ARTICLES);
	np_fs_walk(root.data, collect, &p);
	np_buf_dispose(&root);
	s->n_arenas = threads ? threads : 1;
	s->arenas = np_xcalloc(s->n_arenas, sizeof *s->arenas);
	for (size_t i = 0; i < s->n_arenas; i++)
		np_arena_init(&s->arenas[i]);
	s->pub.articles = np_xcalloc(p.n_md, sizeof *s->pub.articles);
	bool *ok = np_xcalloc(p.n_md, sizeof *ok);
	parse_ctx c = {s, p.md, dir, s->arenas, ok, d};
	np_pool_for(s->n_arenas, p.n_md, parse_one, &c);
	size_t kept = 0;
	for (size_t i = 0; i < p.n_md; i++) {
		if (ok[i])
			s->pub.articles[kept++] = s->pub.articles[i];
		free(p.md[i]);
	}
	s->pub.n_articles = kept;
	free(ok);
	free(p.md);
	s->page_records = np_xcalloc(p.n_pages, sizeof *s->page_records);
	for (size_t i = 0; i < p.n_pages; i++) {
		np_buf path, src;
		np_buf_init(&path);
		np_buf_init(&src);
		np_buf_printf(&path, "%s/%s/%s", dir, NP_SITE_ARTICLES, p.pages[i]);
		char *rel = np_arena_printf(&s->arena, "%s/%s", NP_SITE_ARTICLES, p.pages[i]);
		if (np_fs_read(path.data, &src) == 0 &&
		    np_pages_parse(&s->page_records[s->n_page_records], src.data, src.len, rel,
		                   &s->arena, d) == 0)
			s->n_page_records++;
		np_buf_dispose(&path);
		np_buf_dispose(&src);
		free(p.pages[i]);
	}
	free(p.pages);
	return kept;
}
