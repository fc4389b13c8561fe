/* ingest and build: the whole-site operations behind the CLI. */
#define _POSIX_C_SOURCE 200809L
#include "build/build.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "build/cache.h"
#include "build/ingest.h"
#include "build/site_paths.h"
#include "build/stamp.h"
#include "render/render.h"
#include "site/site.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/pool.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned threads_of(const np_build_opts *o)
{
	return o->threads ? o->threads : np_pool_default_threads();
}

static size_t count_sev(np_diags *d, const char *path, np_severity sev)
{
	size_t n = 0;
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i].severity == sev && strcmp(d->items[i].path, path) == 0)
			n++;
	pthread_mutex_unlock(&d->lock);
	return n;
}

static void report_pages(const np_build_opts *o, const np_ingest_set *s, np_diags *d)
{
	if (o->quiet || !o->progress)
		return;
	for (size_t i = 0; i < s->n; i++) {
		const np_raw_page *p = &s->pages[i];
		if (p->unchanged)
			continue;
		if (p->failed) {
			fprintf(o->progress, "%s: not ingested (see the errors below)\n", p->site_rel);
			continue;
		}
		const np_page_result *r = &p->result;
		fprintf(o->progress, "%s: %zu article%s, %zu teaser%s, %zu page caption%s, %zu warning%s\n",
		        p->site_rel, r->n_articles, r->n_articles == 1 ? "" : "s", r->n_teasers,
		        r->n_teasers == 1 ? "" : "s", r->captions.len, r->captions.len == 1 ? "" : "s",
		        count_sev(d, p->site_rel, NP_WARNING), count_sev(d, p->site_rel, NP_WARNING) == 1 ? "" : "s");
		for (size_t k = 0; k < r->n_articles; k++)
			fprintf(o->progress, "  %.*s  %.*s\n", (int)r->articles[k].id.len, r->articles[k].id.p,
			        (int)r->articles[k].title.len, r->articles[k].title.p);
	}
}

/* Ingest.  config_diags receives the problems of site.yaml and
 * events.yaml: the build passes a scratch list, because the site model
 * reads both again and reports them there, once. */
static int ingest(const np_build_opts *o, np_diags *d, np_diags *config_diags, np_build_stats *st)
{
	double t0 = now();
	np_arena a;
	np_arena_init(&a);
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, o->site_dir, NP_SITE_FILE);
	np_site_config cfg;
	np_site_config_load(&cfg, path.data, &a, config_diags);
	np_path_join(&path, o->site_dir, NP_EVENTS_FILE);
	np_events *events = NULL;
	np_events_load(&events, path.data, config_diags);
	np_ingest_set set;
	int rc = np_ingest_find(&set, o->site_dir, &cfg, &a, d);
	st->pages_seen = set.n;
	np_ingest_mark_unchanged(&set, o->site_dir, d);
	np_ingest_parse(&set, o->site_dir, events, threads_of(o), o->debug, d);
	np_ingest_assign(&set, o->site_dir);
	np_ingest_write_records(&set, o->site_dir, st, d);
	np_ingest_write_pages(&set, o->site_dir, d);
	np_ingest_save_cache(&set, o->site_dir);
	for (size_t i = 0; i < set.n; i++)
		st->pages_unchanged += set.pages[i].unchanged;
	report_pages(o, &set, d);
	np_ingest_set_dispose(&set);
	np_events_free(events);
	np_buf_dispose(&path);
	np_arena_dispose(&a);
	st->secs_ingest = now() - t0;
	return rc;
}

int np_ingest_run(const np_build_opts *o, np_diags *d, np_build_stats *st)
{
	return ingest(o, d, d, st);
}

static int remove_temp(const char *root, const char *rel, void *ctx)
{
	(void)ctx;
	if (strstr(rel, ".tmp.")) {
		np_buf p;
		np_buf_init(&p);
		np_path_join(&p, root, rel);
		unlink(p.data);
		np_buf_dispose(&p);
	}
	return 0;
}

/* After a build that did not complete (killed, say), temporary files the
 * writer had not yet renamed into place may be left: they go.  The files
 * in place are always whole (temp + rename), and the build that follows
 * rewrites whatever is stale. */
static void sweep_temp_files(const char *out_dir)
{
	if (np_fs_is_dir(out_dir))
		np_fs_walk(out_dir, remove_temp, NULL);
}

/* A theme that is not there would otherwise show up as one "template not
 * found" per page kind: say once what is missing and where it was named. */
static void check_theme(const char *site, const char *theme, np_diags *d)
{
	np_buf p;
	np_buf_init(&p);
	np_buf_printf(&p, "%s/themes/%s", site, theme);
	if (!np_fs_is_dir(p.data)) {
		np_buf_clear(&p);
		np_path_join(&p, site, NP_SITE_FILE);
		np_diag_add(d, NP_ERROR, p.data, 0, 0,
		            "theme '%s' not found: there is no folder themes/%s in the site", theme,
		            theme);
	}
	np_buf_dispose(&p);
}

/* The theme named by site.yaml (read again here: cheap, and the no-op
 * check must not wait for the site model). */
static void theme_of(const char *site, np_buf *theme)
{
	np_arena a;
	np_arena_init(&a);
	np_diags quiet;
	np_diags_init(&quiet);
	np_buf p;
	np_buf_init(&p);
	np_path_join(&p, site, NP_SITE_FILE);
	np_site_config cfg;
	np_site_config_load(&cfg, p.data, &a, &quiet);
	np_buf_putstr(theme, cfg.theme);
	np_buf_dispose(&p);
	np_diags_dispose(&quiet);
	np_arena_dispose(&a);
}

int np_build_run(const np_build_opts *o, np_diags *d, np_build_stats *st)
{
	double t0 = now();
	np_diags config_diags;
	np_diags_init(&config_diags);
	int rc = ingest(o, d, &config_diags, st);
	bool config_ok = config_diags.errors == 0 && config_diags.warnings == 0;
	np_diags_dispose(&config_diags);
	if (rc != 0)
		return rc;
	np_buf out, theme;
	np_buf_init(&out);
	np_buf_init(&theme);
	if (o->out_dir)
		np_buf_puts(&out, o->out_dir);
	else
		np_path_join(&out, o->site_dir, "public");
	theme_of(o->site_dir, &theme);
	char stamp[33];
	np_build_stamp(o->site_dir, out.data, theme.data, stamp);
	if (st->pages_ingested == 0 && d->errors == 0 && d->warnings == 0 && config_ok &&
	    np_build_stamp_same(o->site_dir, stamp)) {
		st->secs_total = now() - t0;
		if (!o->quiet && o->progress)
			fprintf(o->progress, "nothing changed since the last build (%.3fs)\n", st->secs_total);
		np_buf_dispose(&out);
		np_buf_dispose(&theme);
		return 0;
	}
	if (!np_build_stamp_saved(o->site_dir))
		sweep_temp_files(out.data);
	np_build_stamp_forget(o->site_dir);
	check_theme(o->site_dir, theme.data, d);
	double t1 = now();
	np_site *site = np_site_load(o->site_dir, threads_of(o), d);
	st->secs_load = now() - t1;
	np_render_opts ro = {.site_dir = o->site_dir, .out_dir = out.data, .threads = threads_of(o),
	                     .quiet = o->quiet, .progress = o->progress,
	                     .salt = np_build_self_hash()};
	double t2 = now();
	rc = np_render_site(site, &ro, d, st);
	st->secs_render = now() - t2;
	st->secs_total = now() - t0;
	if (!o->quiet && o->progress)
		fprintf(o->progress,
		        "built %zu articles in %zu issues: %zu files written, %zu unchanged, %zu skipped, "
		        "%zu removed (%zu records parsed; ingest %.2fs, load %.2fs, render %.2fs: pages "
		        "%.2fs, search %.2fs)\n",
		        site->n_articles, site->n_issues, st->files_written, st->files_unchanged,
		        st->files_skipped, st->files_removed, np_site_n_parsed(site), st->secs_ingest,
		        st->secs_load, st->secs_render, st->secs_pages, st->secs_search);
	np_site_free(site);
	/* Only a build without problems may be skipped next time: errors
	 * and warnings are repeated until they are dealt with. */
	if (rc == 0 && d->errors == 0 && d->warnings == 0) {
		np_build_stamp(o->site_dir, out.data, theme.data, stamp);
		np_build_stamp_save(o->site_dir, stamp);
	}
	np_buf_dispose(&out);
	np_buf_dispose(&theme);
	return rc;
}
