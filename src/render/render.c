/* Planning and running render jobs: one job per output file (pages through
 * the templates, feeds and host files written directly), rendered on all
 * cores, each into its worker's reused buffer and arena, written only when
 * its bytes change.  The page kinds, their URLs and the variables each
 * template receives are documented in docs/site.md. */
#define _XOPEN_SOURCE 700
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include "render/render.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmark.h>
#include <xxhash.h>

#include "render/context.h"
#include "render/feeds.h"
#include "render/fingerprint.h"
#include "render/output.h"
#include "render/progress.h"
#include "search/search.h"
#include "tmpl/tmpl.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/pool.h"

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef enum job_kind {
	/* pages, through templates */
	JOB_HOME,
	JOB_ISSUES,
	JOB_ISSUE,
	JOB_PAGE,
	JOB_ARTICLE,
	JOB_REGIONS,
	JOB_REGION, /* a = region, b = page number (1 = oldest) */
	JOB_EVENTS,
	JOB_EVENT, /* a = event, b = page number (1 = oldest) */
	JOB_CALENDAR,
	JOB_YEAR,
	JOB_404,
	JOB_SEARCH, /* the search page; its index: search_index() */
	/* written directly */
	JOB_FEED_SITE,
	JOB_FEED_REGION,
	JOB_FEED_EVENT,
	JOB_SITEMAP_INDEX, /* a = number of parts */
	JOB_SITEMAP,       /* a = first url, b = count */
	JOB_ROBOTS
} job_kind;

typedef struct job {
	job_kind kind;
	size_t a, b;      /* indexes into the site model */
	const char *path; /* output path relative to out_dir */
	const char *tmpl; /* NULL for files written directly */
} job;

typedef struct plan {
	job *jobs;
	size_t n, cap;
	np_arena arena;     /* paths */
	const char **urls;  /* pages that go into the sitemap */
	size_t n_urls;
} plan;

static void add(plan *p, job_kind k, size_t a, size_t b, const char *path, const char *tmpl)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->jobs = np_xrealloc(p->jobs, np_mul(p->cap, sizeof *p->jobs));
	}
	p->jobs[p->n++] = (job){k, a, b, path, tmpl};
}

static void plan_regions(const np_site *s, plan *p)
{
	size_t per = np_ctx_per_page(s);
	add(p, JOB_REGIONS, 0, 0, "regions/index.html", "regions.html");
	for (size_t i = 0; i < s->n_regions; i++) {
		size_t n = np_site_npages(s->regions[i].n_items, per);
		char *dir = np_arena_printf(&p->arena, "regions/%s", s->regions[i].slug);
		for (size_t k = 1; k <= n; k++)
			add(p, JOB_REGION, i, k, np_ctx_list_page_url(dir, k, n, &p->arena), "region.html");
		add(p, JOB_FEED_REGION, i, 0,
		    np_arena_printf(&p->arena, "regions/%s/feed.xml", s->regions[i].slug), NULL);
	}
}

static void plan_events(const np_site *s, plan *p)
{
	add(p, JOB_EVENTS, 0, 0, "events/index.html", "events.html");
	for (size_t i = 0; i < s->n_events; i++) {
		size_t n = np_site_npages(s->events[i].n_articles, np_ctx_per_page(s));
		char *dir = np_arena_printf(&p->arena, "events/%s", s->events[i].slug);
		for (size_t k = 1; k <= n; k++)
			add(p, JOB_EVENT, i, k, np_ctx_list_page_url(dir, k, n, &p->arena), "event.html");
		add(p, JOB_FEED_EVENT, i, 0,
		    np_arena_printf(&p->arena, "events/%s/feed.xml", s->events[i].slug), NULL);
	}
}

/* The order of the sitemap's URLs: pages of issues and articles by the
 * date they are filed under, oldest first (undated ones after them), then
 * everything else (home, lists, regions, events, calendar) in plan order.
 * A new issue, the newest, then adds URLs after every older one, so the
 * sitemap parts before it keep their bytes (and are not uploaded again);
 * only the last parts change. */
typedef struct url_rank {
	int64_t rank; /* grows with the date; INT64_MAX - 1 undated, INT64_MAX the rest */
	size_t job;
} url_rank;

static int64_t date_rank(np_date d)
{
	return np_date_known(d) ? (int64_t)d.y * 372 + d.m * 31 + d.d : INT64_MAX - 1;
}

static int64_t job_rank(const np_site *s, const job *j)
{
	switch (j->kind) {
	case JOB_ISSUE:
	case JOB_PAGE: return date_rank(s->issues[j->a].date);
	case JOB_ARTICLE: {
		const np_site_article *a = &s->articles[j->a];
		return date_rank(a->issue != SIZE_MAX && np_date_known(s->issues[a->issue].date)
		                     ? s->issues[a->issue].date
		                     : a->rec.date);
	}
	default: return INT64_MAX;
	}
}

static int cmp_rank(const void *x, const void *y)
{
	const url_rank *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return (a->job > b->job) - (a->job < b->job);
}

/* Every page (not 404.html) goes into the sitemap: one urlset when they
 * fit, else parts of np_sitemap_max() URLs under a sitemap index. */
static void plan_sitemap(const np_site *s, plan *p)
{
	size_t n_pages = p->n, max = np_sitemap_max();
	p->urls = np_xmalloc(np_mul(n_pages ? n_pages : 1, sizeof *p->urls));
	url_rank *r = np_xmalloc(np_mul(n_pages ? n_pages : 1, sizeof *r));
	size_t n = 0;
	for (size_t i = 0; i < n_pages; i++)
		if (p->jobs[i].tmpl && p->jobs[i].kind != JOB_404)
			r[n++] = (url_rank){job_rank(s, &p->jobs[i]), i};
	if (n > 1)
		qsort(r, n, sizeof *r, cmp_rank);
	for (size_t i = 0; i < n; i++)
		p->urls[p->n_urls++] = p->jobs[r[i].job].path;
	free(r);
	if (p->n_urls <= max) {
		add(p, JOB_SITEMAP, 0, p->n_urls, "sitemap.xml", NULL);
		return;
	}
	size_t parts = (p->n_urls + max - 1) / max;
	add(p, JOB_SITEMAP_INDEX, parts, 0, "sitemap.xml", NULL);
	for (size_t k = 0; k < parts; k++) {
		size_t from = k * max, left = p->n_urls - from;
		add(p, JOB_SITEMAP, from, left < max ? left : max,
		    np_arena_printf(&p->arena, "sitemap-%zu.xml", k + 1), NULL);
	}
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
	plan_regions(s, p);
	plan_events(s, p);
	add(p, JOB_CALENDAR, 0, 0, "calendar/index.html", "calendar.html");
	for (size_t i = 0; i < s->n_years; i++)
		add(p, JOB_YEAR, i, 0, s->years[i].url, "year.html");
	add(p, JOB_404, 0, 0, "404.html", "404.html");
	add(p, JOB_SEARCH, 0, 0, "search/index.html", "search.html");
	add(p, JOB_FEED_SITE, 0, 0, "feed.xml", NULL);
	add(p, JOB_ROBOTS, 0, 0, "robots.txt", NULL);
	plan_sitemap(s, p);
}

static np_value *latest_articles(const np_ctx *c, size_t n)
{
	np_value *v = np_value_list(c->a, n);
	for (size_t i = c->s->n_articles; i-- > 0 && n-- > 0;)
		np_value_list_push(c->a, v, np_ctx_article_brief(c, i));
	return v;
}

static np_value *issue_list(const np_ctx *c, size_t n)
{
	size_t len = n < c->s->n_issues ? n : c->s->n_issues;
	np_value *v = np_value_list(c->a, len);
	for (size_t i = 0; i < len; i++)
		np_value_list_push(c->a, v, np_ctx_issue_brief(c, i));
	return v;
}

/* The part of the context that differs per page kind. */
static void kind_context(const np_ctx *c, const job *j, np_value *m)
{
	np_arena *a = c->a;
	switch (j->kind) {
	case JOB_HOME:
		np_value_map_set(a, m, "issues", issue_list(c, 10));
		np_value_map_set(a, m, "articles", latest_articles(c, 20));
		np_value_map_set(a, m, "regions", np_ctx_regions(c));
		break;
	case JOB_ISSUES: np_value_map_set(a, m, "issues", issue_list(c, SIZE_MAX)); break;
	case JOB_ISSUE: np_value_map_set(a, m, "issue", np_ctx_issue(c, j->a)); break;
	case JOB_PAGE:
		np_value_map_set(a, m, "issue", np_ctx_issue_brief(c, j->a));
		np_value_map_set(a, m, "page", np_ctx_page(c, j->a, j->b));
		break;
	case JOB_ARTICLE: np_value_map_set(a, m, "article", np_ctx_article(c, j->a)); break;
	case JOB_REGIONS: np_value_map_set(a, m, "regions", np_ctx_regions(c)); break;
	case JOB_REGION: np_value_map_set(a, m, "region", np_ctx_region(c, j->a, j->b)); break;
	case JOB_EVENTS: np_value_map_set(a, m, "events", np_ctx_events(c)); break;
	case JOB_EVENT: np_value_map_set(a, m, "event", np_ctx_event(c, j->a, j->b)); break;
	case JOB_CALENDAR: np_value_map_set(a, m, "calendar", np_ctx_calendar(c)); break;
	case JOB_YEAR: np_value_map_set(a, m, "year", np_ctx_year(c, j->a)); break;
	default: break;
	}
}

static np_value *context(const np_ctx *c, const job *j)
{
	np_value *m = np_value_map(c->a);
	bool counts = j->kind == JOB_HOME || j->kind == JOB_ISSUES || j->kind == JOB_REGIONS ||
	              j->kind == JOB_EVENTS || j->kind == JOB_CALENDAR;
	np_value_map_set(c->a, m, "site", np_ctx_site(c, counts));
	np_value_map_set(c->a, m, "output_path", np_value_strc(c->a, j->path));
	np_value_map_set(c->a, m, "canonical",
	                 np_value_strc(c->a, np_ctx_absolute(c->s, j->path, c->a)));
	kind_context(c, j, m);
	return m;
}

/* Feeds: the newest NP_FEED_MAX articles of the site, a region or an
 * event. */
static void feed_of(const np_site *s, const job *j, np_feed *f, size_t *ids)
{
	f->articles = ids;
	f->self_path = j->path;
	if (j->kind == JOB_FEED_SITE) {
		f->title = s->config.title, f->page_path = "index.html";
		for (size_t i = s->n_articles; i-- > 0 && f->n < NP_FEED_MAX;)
			ids[f->n++] = i;
	} else if (j->kind == JOB_FEED_REGION) {
		const np_site_region *r = &s->regions[j->a];
		f->title = r->name, f->page_path = r->url;
		for (size_t i = 0; i < r->n_items && f->n < NP_FEED_MAX; i++)
			ids[f->n++] = r->items[i].article;
	} else {
		const np_site_event *e = &s->events[j->a];
		f->title = e->name, f->page_path = e->url;
		for (size_t i = e->n_articles; i-- > 0 && f->n < NP_FEED_MAX;)
			ids[f->n++] = e->articles[i];
	}
}

static void write_feed(const np_site *s, const job *j, np_arena *a, np_buf *out)
{
	np_feed f = {0};
	feed_of(s, j, &f, NP_ANEWN(a, size_t, NP_FEED_MAX));
	np_feed_atom(out, s, &f);
}

static void write_direct(const np_site *s, const plan *p, const job *j, np_arena *a, np_buf *out)
{
	switch (j->kind) {
	case JOB_SITEMAP_INDEX: np_sitemap_index(out, s, j->a); break;
	case JOB_SITEMAP: np_sitemap_urlset(out, s, p->urls + j->a, j->b); break;
	case JOB_ROBOTS: np_robots_txt(out, s); break;
	default: write_feed(s, j, a, out); break;
	}
}

typedef struct worker {
	np_arena arena; /* the job's, emptied after each job */
	np_arena keep;  /* shared context values this worker built (np_ctx_memo) */
	np_buf out;
	np_buf file; /* a record being read for its body */
	np_fs_near near; /* the output folder this worker last checked a file in */
	np_output_batch kept; /* files kept, for the log (paths: the plan's) */
	size_t written, unchanged, skipped;
} worker;

typedef struct run_ctx {
	const np_site *s;
	const plan *p;
	np_tmpl_env *env;
	const np_render_opts *o;
	worker *w;
	np_output_log *log;
	np_diags *d;
	np_fp_set set;          /* the template set */
	np_ctx_memo *memo;      /* context values shared by the jobs */
	const np_fp_store *old; /* fingerprints of the last build */
	/* Per job: this build's fingerprint.  A page kept by its key points
	 * at the last build's record (most pages: no copy of 200,000 of them),
	 * any other at one in fp_arenas[worker] (which outlive the workers'
	 * own arenas: the store is saved after them). */
	const np_fp **fps;
	np_arena *fp_arenas;
	const char **fp_paths; /* per job: its path once fps[i] is good */
	atomic_size_t done;
	np_progress *bar;
	/* The fingerprint store is saved on a thread of its own while the
	 * output list is sorted and compared (save_fps, np_render_site). */
	np_fp_store *old_store;
	np_buf store_path;
	np_task saver;
} run_ctx;

/* The article's body, read from its record now and rendered by cmark
 * (cmark's default is safe: raw HTML in a body is not passed through),
 * replaces the empty body_html np_ctx_article gave the context.  A record
 * that cannot be read any more is an error and its page is not written. */
static int set_body(run_ctx *c, const job *j, np_value *ctx, worker *w)
{
	np_str body;
	int rc = np_site_body(c->s, j->a, &w->file, &body);
	if (rc != 0) {
		np_diag_add(c->d, NP_ERROR, c->s->articles[j->a].record_path, 0, 0,
		            "cannot read the body of this record any more");
		return rc;
	}
	char *html = cmark_markdown_to_html(body.p, body.len, CMARK_OPT_DEFAULT);
	np_value *art = np_value_map_get(ctx, NP_STR("article"));
	np_value_map_set(&w->arena, art, "body_html",
	                 np_value_safe(&w->arena, np_arena_str(&w->arena, np_str_from(html))));
	free(html);
	return 0;
}

/* This job's fingerprint (see render/fingerprint.h). */
static void fingerprint(const run_ctx *c, const job *j, const np_value *ctx, np_fp *fp)
{
	np_fp_hasher *h = np_fp_hasher_new(&c->set, j->path, j->tmpl);
	np_fp_add_value(h, ctx);
	if (j->kind == JOB_ARTICLE)
		np_fp_add_bytes(h, c->s->articles[j->a].body_hash, 16);
	np_fp_hasher_finish(h, fp);
}

/* True when the last build made j's output from the same fingerprint and
 * the file is still as it left it: the job is done (its size and mtime
 * carried over into fp). */
static bool keep_unchanged(run_ctx *c, const job *j, np_fp *fp, worker *w)
{
	const np_fp *was = np_fp_store_get(c->old, j->path);
	if (!was || was->h[0] != fp->h[0] || was->h[1] != fp->h[1] ||
	    !np_output_keep_batch(c->log, &w->kept, &w->near, j->path, was->size, was->mtime))
		return false;
	fp->size = was->size, fp->mtime = was->mtime;
	w->skipped++;
	return true;
}

/* Writes w->out as j's output (unless the file holds those bytes), its
 * size and mtime into fp.  0, or a negative NP_E (reported). */
static int write_out(run_ctx *c, const job *j, np_fp *fp, worker *w)
{
	int rc = np_output_write_stat(c->log, j->path, w->out.data, w->out.len, &fp->size,
	                              &fp->mtime, c->d);
	if (rc < 0)
		return rc;
	if (rc == NP_WRITE_WRITTEN)
		w->written++;
	else
		w->unchanged++;
	return 0;
}

/* The key of a page job (render/context.h), seeded like its fingerprint
 * with its templates' hash, path and template; false for a kind without
 * keys or when the key is not known. */
static bool kind_key(const np_ctx *cx, const job *j, XXH3_state_t *st)
{
	switch (j->kind) {
	case JOB_ARTICLE: return np_ctx_article_key(cx, j->a, st);
	case JOB_ISSUE: return np_ctx_issue_key(cx, j->a, st);
	case JOB_PAGE: return np_ctx_page_key(cx, j->a, j->b, st);
	case JOB_REGION: return np_ctx_region_key(cx, j->a, j->b, st);
	case JOB_EVENT: return np_ctx_event_key(cx, j->a, j->b, st);
	default: return false; /* the few indexes: fingerprinted every time */
	}
}

/* A key's hash starts like the job's fingerprint: its templates' hash
 * (the whole set's for a file written directly), path and template. */
static void key_seed(const run_ctx *c, const job *j, XXH3_state_t *st)
{
	const char *tmpl = j->tmpl ? j->tmpl : "(direct)";
	const np_fp_names *names = j->tmpl ? np_fp_set_names(&c->set, j->tmpl) : NULL;
	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, names ? names->h : c->set.h, 16);
	XXH3_128bits_update(st, j->path, strlen(j->path) + 1);
	XXH3_128bits_update(st, tmpl, strlen(tmpl) + 1);
}

static void key_finish(XXH3_state_t *st, uint64_t key[2])
{
	XXH128_hash_t h = XXH3_128bits_digest(st);
	key[0] = h.low64, key[1] = h.high64;
	if (!key[0] && !key[1])
		key[0] = 1; /* {0, 0} is "no key" */
}

static bool page_key(const run_ctx *c, const job *j, const np_ctx *cx, uint64_t key[2])
{
	XXH3_state_t st;
	key_seed(c, j, &st);
	if (!kind_key(cx, j, &st))
		return false;
	key_finish(&st, key);
	return true;
}

/* The key of a feed job (np_feed_key); false for other direct files. */
static bool feed_key(const run_ctx *c, const job *j, np_arena *a, uint64_t key[2])
{
	if (j->kind != JOB_FEED_SITE && j->kind != JOB_FEED_REGION && j->kind != JOB_FEED_EVENT)
		return false;
	np_feed f = {0};
	feed_of(c->s, j, &f, NP_ANEWN(a, size_t, NP_FEED_MAX));
	XXH3_state_t st;
	key_seed(c, j, &st);
	if (!np_feed_key(c->s, &f, &st))
		return false;
	key_finish(&st, key);
	return true;
}

/* The key of a sitemap part: the paths it lists, in order (its bytes are
 * those and base_url, which the seed's hash of site.yaml covers). */
static bool sitemap_key(const run_ctx *c, const job *j, uint64_t key[2])
{
	if (j->kind != JOB_SITEMAP)
		return false;
	XXH3_state_t st;
	key_seed(c, j, &st);
	uint64_t n = j->b;
	XXH3_128bits_update(&st, &n, sizeof n);
	for (size_t k = 0; k < j->b; k++) {
		const char *path = c->p->urls[j->a + k];
		XXH3_128bits_update(&st, path, strlen(path) + 1);
	}
	key_finish(&st, key);
	return true;
}

/* True when the last build stored this key for j's output and the file is
 * still as it left it: the job is done (the stored fingerprint, size and
 * mtime carried over into fp). */
static bool keep_keyed(run_ctx *c, const job *j, const uint64_t key[2], const np_fp **fp,
                       worker *w)
{
	const np_fp *was = np_fp_store_get(c->old, j->path);
	if (!was || was->key[0] != key[0] || was->key[1] != key[1] ||
	    !np_output_keep_batch(c->log, &w->kept, &w->near, j->path, was->size, was->mtime))
		return false;
	*fp = was;
	w->skipped++;
	return true;
}

/* Renders a page job unless its output is there and was made from the
 * same inputs: the same key (no context built), else the same
 * fingerprint.  0 when the file is good, with its fingerprint and key in
 * fps[i]. */
static int render_page(run_ctx *c, size_t i, worker *w, unsigned wid)
{
	const job *j = &c->p->jobs[i];
	np_ctx cx = {c->s, &w->arena, c->memo, &w->keep};
	uint64_t key[2] = {0, 0};
	if (page_key(c, j, &cx, key) && keep_keyed(c, j, key, &c->fps[i], w))
		return 0;
	np_fp *fp = np_arena_alloc(&c->fp_arenas[wid], sizeof *fp);
	c->fps[i] = fp;
	np_value *ctx = context(&cx, j);
	fingerprint(c, j, ctx, fp);
	fp->key[0] = key[0], fp->key[1] = key[1];
	if (keep_unchanged(c, j, fp, w))
		return 0;
	int rc = j->kind == JOB_ARTICLE ? set_body(c, j, ctx, w) : 0;
	if (rc != 0)
		return rc;
	np_tmpl_opts to = {.output_path = j->path, .base_url = c->s->config.base_url.p};
	rc = np_tmpl_render(c->env, j->tmpl, ctx, &to, &w->out, c->d);
	return rc == 0 ? write_out(c, j, fp, w) : rc;
}

/* A file written directly (feed, sitemap, robots.txt) is made every time
 * (there are few: one feed per region and event, a sitemap part per
 * 50,000 pages) and its fingerprint is the hash of its bytes: when that
 * is the one stored and the file is as this program left it, the old file
 * is not read back to compare. */
static void write_direct_job(run_ctx *c, size_t i, worker *w, unsigned wid)
{
	const job *j = &c->p->jobs[i];
	uint64_t key[2] = {0, 0};
	if ((feed_key(c, j, &w->arena, key) || sitemap_key(c, j, key)) &&
	    keep_keyed(c, j, key, &c->fps[i], w)) {
		c->fp_paths[i] = j->path;
		return;
	}
	np_fp *fp = np_arena_alloc(&c->fp_arenas[wid], sizeof *fp);
	c->fps[i] = fp;
	write_direct(c->s, c->p, j, &w->arena, &w->out);
	np_fp_hasher *h = np_fp_hasher_new(&c->set, j->path, "(direct)");
	np_fp_add_bytes(h, w->out.data, w->out.len);
	np_fp_hasher_finish(h, fp);
	fp->key[0] = key[0], fp->key[1] = key[1];
	if (keep_unchanged(c, j, fp, w) || write_out(c, j, fp, w) == 0)
		c->fp_paths[i] = j->path;
}

static void run_one(void *vctx, size_t i, unsigned wid)
{
	run_ctx *c = vctx;
	const job *j = &c->p->jobs[i];
	worker *w = &c->w[wid];
	np_buf_clear(&w->out);
	if (j->tmpl) {
		if (render_page(c, i, w, wid) == 0)
			c->fp_paths[i] = j->path;
	} else {
		write_direct_job(c, i, w, wid);
	}
	np_arena_reset(&w->arena);
	np_progress_step(c->bar, atomic_fetch_add(&c->done, 1) + 1);
}

/* ---- search index (src/search writes it through this log) ---- */
/* The index keeps its base segment from one build to the next (see
 * src/search/segments.c): the state file next to the output manifest
 * (.newsprint/search.txt, or search-<hash>.txt for another output folder)
 * holds np_search_base_encode's two lines, then "size mtime_ns rel" for
 * each of the base's files.  The base is offered to the next build only
 * when every one of those files is still exactly as written; a reused
 * base's files are then kept (np_output_keep), not rewritten. */
typedef struct search_out {
	np_output_log *log;
	np_diags *d;
	atomic_size_t written, unchanged;
	pthread_mutex_t lock; /* guards rels */
	np_buf rels;          /* every file written, one per line */
} search_out;

static int search_write(void *ctx, const char *rel, const void *data, size_t len)
{
	search_out *o = ctx;
	int rc = np_output_write(o->log, rel, data, len, o->d);
	if (rc == NP_WRITE_WRITTEN)
		atomic_fetch_add(&o->written, 1);
	else if (rc == NP_WRITE_UNCHANGED)
		atomic_fetch_add(&o->unchanged, 1);
	pthread_mutex_lock(&o->lock);
	np_buf_printf(&o->rels, "%s\n", rel);
	pthread_mutex_unlock(&o->lock);
	return rc < 0 ? rc : 0;
}

static void search_state_path(const np_render_opts *ro, np_buf *out)
{
	np_buf m;
	np_buf_init(&m);
	np_render_manifest_path(&m, ro->site_dir, ro->out_dir);
	/* .../outputs[-<hash>].txt -> .../search[-<hash>].txt */
	const char *name = strrchr(m.data, '/');
	name = name ? name + 1 : m.data;
	const char *rest = strncmp(name, "outputs", 7) == 0 ? name + 7 : ".txt";
	np_buf_clear(out);
	np_buf_printf(out, "%.*ssearch%s", (int)(name - m.data), m.data, rest);
	np_buf_dispose(&m);
}

/* The base of the previous build from the state file, when its files are
 * all in place as written; *files gets the state's file lines. */
static bool search_prev(np_output_log *log, const char *path, np_search_base *prev, np_buf *files)
{
	np_buf st;
	np_buf_init(&st);
	bool ok = np_fs_read(path, &st) == 0;
	char *nl = ok ? strchr(st.data, '\n') : NULL;
	nl = nl ? strchr(nl + 1, '\n') : NULL;
	ok = nl && np_search_base_decode((np_str){st.data, (size_t)(nl + 1 - st.data)}, prev) == 0;
	for (char *line = nl ? nl + 1 : NULL; ok && *line;) {
		char *end = strchr(line, '\n'), rel[256];
		unsigned long long size;
		long long mtime;
		ok = end && sscanf(line, "%llu %lld %255s", &size, &mtime, rel) == 3 &&
		     np_output_intact(log, rel, (uint64_t)size, (int64_t)mtime);
		line = ok ? end + 1 : line;
	}
	if (ok)
		np_buf_puts(files, nl + 1);
	else
		np_search_base_dispose(prev);
	np_buf_dispose(&st);
	return ok;
}

/* Keeps the listed files (a reused base): they count as this build's. */
static void search_keep(np_output_log *log, const char *files)
{
	for (const char *line = files; *line; line = strchr(line, '\n') + 1) {
		unsigned long long size;
		long long mtime;
		char rel[256];
		if (sscanf(line, "%llu %lld %255s", &size, &mtime, rel) == 3)
			np_output_keep(log, rel, size, mtime);
	}
}

/* The state of a new base: its files among those written. */
static void search_files(np_output_log *log, const char *rels, size_t base_docs, np_buf *out)
{
	np_buf_clear(out);
	for (const char *line = rels; *line; line = strchr(line, '\n') + 1) {
		char rel[256];
		size_t len = (size_t)(strchr(line, '\n') - line);
		uint64_t size;
		int64_t mtime;
		if (len >= sizeof rel)
			continue;
		memcpy(rel, line, len);
		rel[len] = '\0';
		if (np_search_base_file(rel, base_docs) && np_output_stat(log, rel, &size, &mtime))
			np_buf_printf(out, "%llu %lld %s\n", (unsigned long long)size,
			              (long long)mtime, rel);
	}
}

static void search_index(const np_site *s, const np_render_opts *ro, np_output_log *log,
                         np_diags *d, np_build_stats *st)
{
	search_out o = {.log = log, .d = d};
	atomic_init(&o.written, 0);
	atomic_init(&o.unchanged, 0);
	pthread_mutex_init(&o.lock, NULL);
	np_buf_init(&o.rels);
	np_buf path, files;
	np_buf_init(&path);
	np_buf_init(&files);
	search_state_path(ro, &path);
	np_search_base prev = {0}, base = {0};
	bool have = search_prev(log, path.data, &prev, &files);
	np_search_stats ss;
	/* Bodies are read one article at a time while the index is built. */
	int rc = np_search_write(s, search_write, &o, ro->threads ? ro->threads : 1,
	                         have ? &prev : NULL, &base, &ss, d);
	if (ss.reused)
		search_keep(log, files.data);
	else
		search_files(log, o.rels.data, base.docs, &files);
	np_buf state;
	np_buf_init(&state);
	np_search_base_encode(&base, &state);
	np_buf_putstr(&state, np_str_of(&files));
	if (rc == 0)
		np_fs_write_if_changed(path.data, state.data, state.len);
	else
		remove(path.data);
	np_buf_dispose(&state);
	np_search_base_dispose(&prev);
	np_search_base_dispose(&base);
	np_buf_dispose(&path);
	np_buf_dispose(&files);
	np_buf_dispose(&o.rels);
	pthread_mutex_destroy(&o.lock);
	st->files_written += atomic_load(&o.written);
	st->files_unchanged += atomic_load(&o.unchanged);
}
/* The search index on a thread beside the pages (np_render_site): its
 * counts go to st, added to the build's after the join. */
typedef struct search_job {
	const np_site *s;
	const np_render_opts *o;
	np_output_log *log;
	np_diags *d;
	np_build_stats st;
} search_job;

static void *search_run(void *arg)
{
	search_job *j = arg;
	double t0 = seconds();
	search_index(j->s, j->o, j->log, j->d, &j->st);
	j->st.secs_search = seconds() - t0;
	return NULL;
}
/* ---- end search index ---- */

static np_tmpl_env *make_env(const np_site *s, const np_render_opts *o, np_diags *d)
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
	/* Load every page template up front so template errors come out once,
	 * before any page is rendered. */
	static const char *const names[] = {
	    "home.html",   "issues.html", "issue.html",    "page.html", "article.html",
	    "regions.html", "region.html", "events.html", "event.html", "calendar.html",
	    "year.html",   "404.html"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		np_tmpl_env_load(env, names[i], d);
	return env;
}

void np_render_manifest_path(np_buf *out, const char *site_dir, const char *out_dir)
{
	char *abs = realpath(out_dir, NULL), *site = realpath(site_dir, NULL);
	const char *key = abs ? abs : out_dir;
	np_buf def;
	np_buf_init(&def);
	np_buf_printf(&def, "%s/public", site ? site : site_dir);
	np_buf_clear(out);
	if (strcmp(def.data, key) == 0)
		np_buf_printf(out, "%s/.newsprint/outputs.txt", site_dir);
	else
		np_buf_printf(out, "%s/.newsprint/outputs-%016llx.txt", site_dir,
		              (unsigned long long)np_hash64(key, strlen(key)));
	np_buf_dispose(&def);
	free(abs);
	free(site);
}

static np_output_log *open_log(const np_render_opts *o)
{
	np_fs_mkdirs(o->out_dir);
	np_buf manifest;
	np_buf_init(&manifest);
	np_render_manifest_path(&manifest, o->site_dir, o->out_dir);
	np_output_log *log = np_output_log_new(o->out_dir, manifest.data);
	if (o->trust_outputs)
		np_output_log_trust(log);
	np_buf_dispose(&manifest);
	return log;
}

/* The fingerprint store of out_dir: the output manifest's name with
 * ".fp" for ".txt". */
static void fp_store_path(np_buf *out, const np_render_opts *o)
{
	np_render_manifest_path(out, o->site_dir, o->out_dir);
	np_buf_truncate(out, out->len - 4);
	np_buf_puts(out, ".fp");
}

/* Saves this build's fingerprints and lets go of the last build's. */
static void *save_fps(void *arg)
{
	run_ctx *c = arg;
	np_fp_store_save(c->store_path.data, c->fp_paths, c->fps, c->p->n, c->old_store);
	np_fp_store_free(c->old_store);
	c->old_store = NULL;
	return NULL;
}

/* Renders the plan's jobs on the pool; the fingerprint store is then
 * being saved (end_plan waits for it). */
static void run_plan(run_ctx *c, np_build_stats *st)
{
	unsigned threads = c->o->threads ? c->o->threads : 1;
	c->w = np_xcalloc(threads, sizeof *c->w);
	for (unsigned k = 0; k < threads; k++) {
		np_arena_init(&c->w[k].arena);
		np_arena_init(&c->w[k].keep);
		np_buf_init(&c->w[k].out);
		np_buf_init(&c->w[k].file);
		c->w[k].near = (np_fs_near)NP_FS_NEAR_INIT;
	}
	np_fp_set_init(&c->set, c->o->site_dir, c->s->config.theme, c->o->salt);
	for (size_t i = 0; i < c->p->n; i++)
		if (c->p->jobs[i].tmpl)
			np_fp_set_prepare(&c->set, c->p->jobs[i].tmpl);
	c->memo = np_ctx_memo_new(c->s, &c->set);
	np_buf_init(&c->store_path);
	fp_store_path(&c->store_path, c->o);
	c->old_store = np_fp_store_take(c->store_path.data);
	c->old = c->old_store;
	c->fps = np_xcalloc(c->p->n + 1, sizeof *c->fps);
	c->fp_arenas = np_xcalloc(threads, sizeof *c->fp_arenas);
	for (unsigned k = 0; k < threads; k++)
		np_arena_init(&c->fp_arenas[k]);
	c->fp_paths = np_xcalloc(c->p->n + 1, sizeof *c->fp_paths);
	atomic_init(&c->done, 0);
	np_pool_for(threads, c->p->n, run_one, c);
	for (unsigned k = 0; k < threads; k++)
		np_output_batch_flush(c->log, &c->w[k].kept);
	np_task_start(&c->saver, save_fps, c);
	for (unsigned k = 0; k < threads; k++) {
		st->files_written += c->w[k].written;
		st->files_unchanged += c->w[k].unchanged;
		st->files_skipped += c->w[k].skipped;
		np_buf_dispose(&c->w[k].out);
		np_buf_dispose(&c->w[k].file);
		np_fs_near_close(&c->w[k].near);
		np_arena_dispose(&c->w[k].arena);
		np_arena_dispose(&c->w[k].keep);
	}
	np_ctx_memo_free(c->memo);
	free(c->w);
	np_fp_set_dispose(&c->set);
}

/* Waits for the fingerprint store to be saved. */
static void end_plan(run_ctx *c)
{
	np_task_wait(&c->saver);
	unsigned threads = c->o->threads ? c->o->threads : 1;
	for (unsigned k = 0; k < threads; k++)
		np_arena_dispose(&c->fp_arenas[k]);
	free(c->fp_arenas);
	free(c->fps), free(c->fp_paths);
	np_buf_dispose(&c->store_path);
}

int np_render_site(const np_site *s, const np_render_opts *o, np_diags *d, np_build_stats *st)
{
	if (np_str_find(s->config.base_url, NP_STR("://")) == (size_t)-1)
		np_diag_add(d, NP_WARNING, "site.yaml", 0, 0,
		            "base_url '%.*s' is not an absolute URL: feeds, the sitemap and canonical "
		            "links need one (e.g. https://example.org/archive/)",
		            (int)s->config.base_url.len, s->config.base_url.p);
	np_output_log *log = open_log(o);
	/* The search index needs only the model and the log: it is built on
	 * a thread of its own from the start, while the pages are planned and
	 * rendered, so that each fills the other's idle moments (a serial
	 * merge there, the plan and the last slow page here).  Neither's
	 * bytes depend on the other. */
	search_job sj = {.s = s, .o = o, .log = log, .d = d};
	np_task search;
	np_task_start(&search, search_run, &sj);
	plan p = {0};
	np_arena_init(&p.arena);
	make_plan(s, &p);
	np_tmpl_env *env = make_env(s, o, d);
	np_output_log_reserve(log, p.n + p.n / 16 + 256); /* + theme files, search shards */
	run_ctx c = {.s = s, .p = &p, .env = env, .o = o, .log = log, .d = d};
	c.bar = np_progress_new(o, "pages", p.n);
	double t0 = seconds();
	run_plan(&c, st);
	np_progress_done(c.bar);
	st->secs_pages = seconds() - t0;
	np_buf dir;
	np_buf_init(&dir);
	np_buf_printf(&dir, "%s/themes/%.*s/static", o->site_dir, (int)s->config.theme.len,
	              s->config.theme.p);
	np_output_copy_tree(log, dir.data, "static", d);
	np_buf_dispose(&dir);
	/* The search index often finishes last, on one thread: the list of
	 * outputs is sorted meanwhile. */
	np_output_log_presort(log);
	np_task_wait(&search);
	st->files_written += sj.st.files_written;
	st->files_unchanged += sj.st.files_unchanged;
	st->secs_search = sj.st.secs_search;
	np_fs_digest digest;
	bool known = np_output_log_finish(log, st, o->outputs ? &digest : NULL, d);
	end_plan(&c);
	if (o->outputs)
		*o->outputs = (struct np_render_outputs){known ? digest : (np_fs_digest){0, 0}, known};
	free(p.jobs);
	free(p.urls);
	np_arena_dispose(&p.arena);
	np_tmpl_env_free(env);
	return 0;
}
