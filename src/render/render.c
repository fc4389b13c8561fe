/* Planning and running render jobs: one job per output file, rendered on
 * all cores, each into its worker's reused buffer and arena, written only
 * when its bytes change. */
#define _POSIX_C_SOURCE 200809L
#include "render/render.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "render/context.h"
#include "render/output.h"
#include "tmpl/tmpl.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/pool.h"

typedef enum job_kind {
	JOB_HOME,
	JOB_ISSUES,
	JOB_ISSUE,
	JOB_PAGE,
	JOB_ARTICLE,
	JOB_REGION,
	JOB_EVENT
} job_kind;

typedef struct job {
	job_kind kind;
	size_t a, b;      /* indexes into the site model */
	const char *path; /* output path relative to out_dir */
	const char *tmpl;
} job;

typedef struct plan {
	job *jobs;
	size_t n, cap;
} plan;

static void add(plan *p, job_kind k, size_t a, size_t b, const char *path, const char *tmpl)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->jobs = np_xrealloc(p->jobs, np_mul(p->cap, sizeof *p->jobs));
	}
	p->jobs[p->n++] = (job){k, a, b, path, tmpl};
}

static void make_plan(const np_site *s, plan *p)
{
	add(p, JOB_HOME, 0, 0, "index.html", "home.html");
	add(p, JOB_ISSUES, 0, 0, "issues/index.html", "issues.html");
	for (size_t i = 0; i < s->n_issues; i++) {
		add(p, JOB_ISSUE, i, 0, s->issues[i].url, "issue.html");
		for (size_t k = 0; k < s->issues[i].n_pages; k++)
			add(p, JOB_PAGE, i, k, s->issues[i].pages[k].url, "page.html");
	}
	for (size_t i = 0; i < s->n_articles; i++)
		add(p, JOB_ARTICLE, i, 0, s->articles[i].url, "article.html");
	for (size_t i = 0; i < s->n_regions; i++)
		add(p, JOB_REGION, i, 0, s->regions[i].url, "region.html");
	for (size_t i = 0; i < s->n_events; i++)
		add(p, JOB_EVENT, i, 0, s->events[i].url, "event.html");
}

static np_value *article_list(const np_site *s, const size_t *idx, size_t n, np_arena *a)
{
	np_value *v = np_value_list(a, n);
	for (size_t i = 0; i < n; i++)
		np_value_list_push(a, v, np_ctx_article_brief(s, idx[i], a));
	return v;
}

static np_value *region_ctx(const np_site *s, size_t r, np_arena *a)
{
	const np_site_region *g = &s->regions[r];
	np_value *m = np_ctx_region_link(s, r, a);
	np_value_map_set(a, m, "reported", article_list(s, g->reported, g->n_reported, a));
	np_value_map_set(a, m, "mentioned", article_list(s, g->mentioned, g->n_mentioned, a));
	np_value *kids = np_value_list(a, g->n_children);
	for (size_t k = 0; k < g->n_children; k++)
		np_value_list_push(a, kids, np_ctx_region_link(s, g->children[k], a));
	np_value_map_set(a, m, "children", kids);
	np_value *up = np_value_list(a, 3);
	size_t chain[8], n = 0;
	for (size_t p = g->parent; p != SIZE_MAX && n < 8; p = s->regions[p].parent)
		chain[n++] = p;
	while (n-- > 0)
		np_value_list_push(a, up, np_ctx_region_link(s, chain[n], a));
	np_value_map_set(a, m, "parents", up);
	return m;
}

static np_value *event_ctx(const np_site *s, size_t e, np_arena *a)
{
	const np_site_event *ev = &s->events[e];
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "name", ev->name);
	np_value_map_set(a, m, "url", np_value_strc(a, ev->url));
	np_value_map_set(a, m, "first", np_ctx_date(a, ev->first));
	np_value_map_set(a, m, "last", np_ctx_date(a, ev->last));
	np_value_map_set(a, m, "articles", article_list(s, ev->articles, ev->n_articles, a));
	np_value *regs = np_value_list(a, ev->n_regions);
	for (size_t k = 0; k < ev->n_regions; k++)
		np_value_list_push(a, regs, np_ctx_region_link(s, ev->regions[k], a));
	np_value_map_set(a, m, "regions", regs);
	return m;
}

static np_value *latest_articles(const np_site *s, size_t n, np_arena *a)
{
	np_value *v = np_value_list(a, n);
	for (size_t i = s->n_articles; i-- > 0 && n-- > 0;)
		np_value_list_push(a, v, np_ctx_article_brief(s, i, a));
	return v;
}

static np_value *issue_list(const np_site *s, size_t n, np_arena *a)
{
	np_value *v = np_value_list(a, n < s->n_issues ? n : s->n_issues);
	for (size_t i = 0; i < s->n_issues && i < n; i++)
		np_value_list_push(a, v, np_ctx_issue_brief(s, i, a));
	return v;
}

static np_value *context(const np_site *s, const job *j, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value_map_set(a, m, "site", np_ctx_site(s, a));
	np_value_map_set(a, m, "output_path", np_value_strc(a, j->path));
	switch (j->kind) {
	case JOB_HOME:
		np_value_map_set(a, m, "issues", issue_list(s, 10, a));
		np_value_map_set(a, m, "articles", latest_articles(s, 20, a));
		break;
	case JOB_ISSUES:
		np_value_map_set(a, m, "issues", issue_list(s, SIZE_MAX, a));
		break;
	case JOB_ISSUE:
		np_value_map_set(a, m, "issue", np_ctx_issue(s, j->a, a));
		break;
	case JOB_PAGE:
		np_value_map_set(a, m, "issue", np_ctx_issue_brief(s, j->a, a));
		np_value_map_set(a, m, "page", np_ctx_page(s, j->a, j->b, a));
		break;
	case JOB_ARTICLE:
		np_value_map_set(a, m, "article", np_ctx_article(s, j->a, a));
		break;
	case JOB_REGION:
		np_value_map_set(a, m, "region", region_ctx(s, j->a, a));
		break;
	case JOB_EVENT:
		np_value_map_set(a, m, "event", event_ctx(s, j->a, a));
		break;
	}
	return m;
}

typedef struct worker {
	np_arena arena;
	np_buf out;
	size_t written, unchanged;
} worker;

typedef struct run_ctx {
	const np_site *s;
	const plan *p;
	np_tmpl_env *env;
	const np_render_opts *o;
	worker *w;
	np_output_log *log;
	np_diags *d;
} run_ctx;

static void run_one(void *vctx, size_t i, unsigned wid)
{
	run_ctx *c = vctx;
	const job *j = &c->p->jobs[i];
	worker *w = &c->w[wid];
	np_buf_clear(&w->out);
	np_tmpl_opts to = {.output_path = j->path, .base_url = c->s->config.base_url.p};
	np_value *ctx = context(c->s, j, &w->arena);
	if (np_tmpl_render(c->env, j->tmpl, ctx, &to, &w->out, c->d) == 0) {
		int rc = np_output_write(c->log, j->path, w->out.data, w->out.len, c->d);
		if (rc == NP_WRITE_WRITTEN)
			w->written++;
		else if (rc == NP_WRITE_UNCHANGED)
			w->unchanged++;
	}
	np_arena_dispose(&w->arena);
}

static np_tmpl_env *make_env(const np_site *s, const np_render_opts *o)
{
	np_tmpl_env *env = np_tmpl_env_new();
	np_buf dir;
	np_buf_init(&dir);
	np_path_join(&dir, o->site_dir, "templates");
	np_tmpl_env_add_dir(env, dir.data);
	np_buf_clear(&dir);
	np_buf_printf(&dir, "%s/themes/%.*s/templates", o->site_dir, (int)s->config.theme.len,
	              s->config.theme.p);
	np_tmpl_env_add_dir(env, dir.data);
	np_buf_dispose(&dir);
	return env;
}

int np_render_site(const np_site *s, const np_render_opts *o, np_diags *d, np_build_stats *st)
{
	plan p = {0};
	make_plan(s, &p);
	np_tmpl_env *env = make_env(s, o);
	static const char *const names[] = {"home.html",    "issues.html", "issue.html", "page.html",
	                                    "article.html", "region.html", "event.html"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		np_tmpl_env_load(env, names[i], d);
	np_buf manifest;
	np_buf_init(&manifest);
	np_buf_printf(&manifest, "%s/.newsprint/outputs.txt", o->site_dir);
	np_output_log *log = np_output_log_new(o->out_dir, manifest.data);
	np_buf_dispose(&manifest);
	unsigned threads = o->threads ? o->threads : 1;
	worker *w = np_xcalloc(threads, sizeof *w);
	for (unsigned k = 0; k < threads; k++) {
		np_arena_init(&w[k].arena);
		np_buf_init(&w[k].out);
	}
	run_ctx c = {s, &p, env, o, w, log, d};
	np_pool_for(threads, p.n, run_one, &c);
	for (unsigned k = 0; k < threads; k++) {
		st->files_written += w[k].written;
		st->files_unchanged += w[k].unchanged;
		np_buf_dispose(&w[k].out);
	}
	np_buf dir;
	np_buf_init(&dir);
	np_buf_printf(&dir, "%s/themes/%.*s/static", o->site_dir, (int)s->config.theme.len,
	              s->config.theme.p);
	np_output_copy_tree(log, dir.data, "static", d);
	np_buf_dispose(&dir);
	np_output_log_finish(log, st, d);
	free(w);
	free(p.jobs);
	np_tmpl_env_free(env);
	return 0;
}
