/* ingest and build: the whole-site operations behind the CLI. */
#define _POSIX_C_SOURCE 200809L
#include "build/build.h"

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "build/cache.h"
#include "build/ingest.h"
#include "build/site_paths.h"
#include "build/stamp.h"
#include "render/render.h"
#include "site/site.h"
#include "site/snapshot.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/translit.h"

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

/* Adds to folders (strings in fa) each folder of content/articles that
 * ingest may have written to: those of the pages it did not skip. */
static void changed_folders(const np_ingest_set *set, np_strlist *folders, np_arena *fa)
{
	for (size_t i = 0; i < set->n; i++) {
		char key[11];
		if (set->pages[i].unchanged)
			continue;
		np_ingest_folder(&set->pages[i], key);
		if (!np_strlist_has(folders, np_str_from(key)))
			np_strlist_add(folders, fa, np_arena_str(fa, np_str_from(key)));
	}
}

/* What ingest leaves for the build after it: the folders of
 * content/articles it may have written to (changed_folders; strings in
 * a), and the record snapshot when it loaded it (for the site load). */
typedef struct ingest_out {
	np_strlist folders;
	np_arena a;
	np_snap *snap;
	/* The snapshot is loaded on a thread (snap_run) from the moment the
	 * build knows it goes on, beside ingest's first steps: the writer
	 * reads it before it names the first page, the site load after. */
	const char *site;
	np_task snap_task;
	bool snap_loading;
} ingest_out;

static void *snap_run(void *arg)
{
	ingest_out *io = arg;
	np_buf p;
	np_buf_init(&p);
	np_path_join(&p, io->site, NP_SNAP_FILE);
	io->snap = np_snap_load(p.data);
	np_buf_dispose(&p);
	return NULL;
}

/* Waits for snap_run, if it was started. */
static void snap_ready(ingest_out *io)
{
	if (io && io->snap_loading) {
		np_task_wait(&io->snap_task);
		io->snap_loading = false;
	}
}

/* Ingest.  config_diags receives the problems of site.yaml and
 * events.yaml: the build passes a scratch list, because the site model
 * reads both again and reports them there, once.  records: the listing of
 * content/articles taken before ingest (np_ingest_opts.records).  out:
 * NULL, or what the build takes over (ingest_out). */
static int ingest(const np_build_opts *o, const np_fs_list *records, const np_fs_list *issues,
                  np_diags *d, np_diags *config_diags, np_build_stats *st, ingest_out *out)
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
	int rc = np_ingest_find(&set, o->site_dir, &cfg, issues, &a, d);
	st->pages_seen = set.n;
	np_ingest_mark_unchanged(&set, o->site_dir, records, threads_of(o), d);
	snap_ready(out);
	np_ingest_opts io = {.site = o->site_dir,
	                     .events = events,
	                     .threads = threads_of(o),
	                     .debug = o->debug,
	                     .report = o->quiet ? NULL : o->progress,
	                     .records = records,
	                     .snap = out ? &out->snap : NULL};
	np_ingest_pages(&set, &io, st, d);
	np_ingest_save_cache(&set, o->site_dir);
	if (out)
		changed_folders(&set, &out->folders, &out->a);
	for (size_t i = 0; i < set.n; i++)
		st->pages_unchanged += set.pages[i].unchanged;
	np_ingest_set_dispose(&set);
	np_events_free(events);
	np_buf_dispose(&path);
	np_arena_dispose(&a);
	st->secs_ingest = now() - t0;
	return rc;
}

int np_ingest_run(const np_build_opts *o, np_diags *d, np_build_stats *st)
{
	np_fs_list records, issues;
	np_fs_list_init(&records);
	np_fs_list_init(&issues);
	int fd = open(o->site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		np_fs_list_tree(&records, fd, NP_ARTICLES_DIR, threads_of(o));
		np_fs_list_tree(&issues, fd, NP_ISSUES_DIR, threads_of(o));
		close(fd);
	}
	int rc = ingest(o, &records, fd >= 0 ? &issues : NULL, d, d, st, NULL);
	np_fs_list_dispose(&records);
	np_fs_list_dispose(&issues);
	return rc;
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

/* Says that the build stopped at once, and that the diagnostics the CLI
 * prints next are the last build's, repeated. */
static void report_noop(const np_build_opts *o, np_build_stats *st, double t0, size_t repeated)
{
	st->secs_total = now() - t0;
	if (o->quiet || !o->progress)
		return;
	if (repeated)
		fprintf(o->progress,
		        "nothing changed since the last build (%.3fs); repeating its %zu "
		        "diagnostic%s\n",
		        st->secs_total, repeated, repeated == 1 ? "" : "s");
	else
		fprintf(o->progress, "nothing changed since the last build (%.3fs)\n",
		        st->secs_total);
}

/* ICU's transliterator rules take some 0.08 s to compile, and a build that
 * ingests a page needs them (slugs).  When content/issues changed after
 * the last build saved its stamp (a folder added, removed or renamed in
 * it: how a new issue arrives; or no stamp), they are compiled on a thread of their own
 * from the start, beside the listing, which leaves a core partly idle, and
 * ingest finds them ready.  A raw page edited in place does not show here:
 * ingest compiles them then, as it always did. */
static void *warm_translit(void *arg)
{
	(void)arg;
	(void)np_translit_memo_active();
	return NULL;
}

static bool issues_changed(const char *site)
{
	np_buf p;
	np_buf_init(&p);
	np_path_join(&p, site, NP_ISSUES_DIR);
	bool changed = !np_stamp_newer_than(site, NP_ISSUES_DIR) && np_fs_is_dir(p.data);
	np_buf_dispose(&p);
	return changed;
}

/* The output folder's seal (stamp.h), taken beside other work. */
typedef struct seal_job {
	const char *out;
	np_stamp_digest seal;
	np_task task;
} seal_job;

static void *seal_run(void *arg)
{
	seal_job *j = arg;
	j->seal = np_stamp_seal(j->out);
	return NULL;
}

/* Loads the site model and renders it: the build proper.  The listing
 * of content/articles is let go of once the model is loaded (nothing in
 * the model points into it): some 18 MB at 100,000 records that the
 * render's peak then does without. */
static int render_all(const np_build_opts *o, const char *out, const char *theme,
                      np_fs_list *articles, np_snap *snap, bool trust,
                      struct np_render_outputs *outputs, np_stamp_digest *seal, np_diags *d,
                      np_build_stats *st, double t0)
{
	if (!np_stamp_saved(o->site_dir))
		sweep_temp_files(out);
	np_stamp_forget(o->site_dir);
	check_theme(o->site_dir, theme, d);
	double t1 = now();
	np_site *site = np_site_load_listed(o->site_dir, threads_of(o), articles, snap, d);
	np_fs_list_dispose(articles);
	np_fs_list_init(articles);
	st->secs_load = now() - t1;
	np_render_opts ro = {.site_dir = o->site_dir, .out_dir = out, .threads = threads_of(o),
	                     .quiet = o->quiet, .progress = o->progress,
	                     .salt = np_build_self_hash(), .trust_outputs = trust,
	                     .outputs = outputs};
	double t2 = now();
	int rc = np_render_site(site, &ro, d, st);
	st->secs_render = now() - t2;
	/* The output folder's seal for the stamp, taken while the model is
	 * let go of (its arenas and mappings: some 0.02 s each). */
	seal_job sj = {.out = out};
	np_task_start(&sj.task, seal_run, &sj);
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
	np_task_wait(&sj.task);
	*seal = sj.seal;
	return rc;
}

/* True when the outputs are as the last build left them: trusted (stamp.h),
 * or every file the manifest lists statted and its digest the saved one. */
static bool outputs_as_left(const np_build_opts *o, const np_stamp *last, const char *out,
                            bool trust)
{
	if (trust)
		return true;
	return last->outputs_known &&
	       np_stamp_digest_eq(np_stamp_outputs(o->site_dir, out, threads_of(o)), last->outputs);
}

/* The no-op build (stamp.h has what the stamp holds and trusts).  A build
 * prints its ingest's diagnostics, then those of the build proper; the
 * stamp keeps both, so that skipping a step replays what it said:
 *  1. inputs and outputs as the last build left them, and its ingest
 *     changed nothing (settled): replay both lists, run nothing;
 *  2. otherwise ingest runs; inputs and outputs then as the last build
 *     left them: replay the build proper's list;
 *  3. otherwise build, and save the stamp — with warnings and errors too:
 *     the same inputs give the same diagnostics, and replaying them keeps
 *     repeating them (and the exit status) until they are dealt with. */
int np_build_run(const np_build_opts *o, np_diags *d, np_build_stats *st)
{
	double t0 = now();
	unsigned threads = threads_of(o);
	np_buf out, theme;
	np_buf_init(&out);
	np_buf_init(&theme);
	if (o->out_dir)
		np_buf_puts(&out, o->out_dir);
	else
		np_path_join(&out, o->site_dir, "public");
	theme_of(o->site_dir, &theme);
	np_stamp last, next;
	np_stamp_init(&last);
	np_stamp_init(&next);
	ingest_out io = {.snap = NULL};
	np_arena_init(&io.a);
	np_stamp_key(next.key, o->site_dir, out.data, theme.data, o->debug);
	bool have = np_stamp_load(&last, o->site_dir) == 0 && strcmp(last.key, next.key) == 0;
	/* The output folder as the last build left it (stamp.h): trusted, or
	 * with --verify checked file by file.  Its seal (some 10,000 stats at
	 * 100,000 articles) is taken on a thread beside the listing. */
	bool check_seal = have && !o->verify;
	seal_job sj = {.out = out.data};
	if (check_seal)
		np_task_start(&sj.task, seal_run, &sj);
	np_task warm = {0};
	if (issues_changed(o->site_dir))
		np_task_start(&warm, warm_translit, NULL);
	/* The listing of content/articles made for the digest is the one the
	 * site loader uses: each record is statted once per build. */
	np_fs_list articles, issues;
	np_fs_list_init(&articles);
	np_fs_list_init(&issues);
	np_stamp_digest trees = np_stamp_trees(o->site_dir, theme.data, threads, &articles, &issues);
	np_task_wait(&sj.task);
	bool trust = check_seal && np_stamp_digest_eq(sj.seal, last.seal);
	np_stamp_digest before = np_stamp_digest_add(np_stamp_files(o->site_dir), trees);
	int rc = 0;
	if (have && last.settled && np_stamp_digest_eq(before, last.inputs) &&
	    outputs_as_left(o, &last, out.data, trust)) {
		np_stamp_diags_replay(d, &last.ingest_diags);
		np_stamp_diags_replay(d, &last.build_diags);
		report_noop(o, st, t0, last.ingest_diags.len + last.build_diags.len);
		goto out;
	}
	io.site = o->site_dir;
	io.snap_loading = true;
	np_task_start(&io.snap_task, snap_run, &io);
	size_t first = d->len;
	np_diags config_diags;
	np_diags_init(&config_diags);
	rc = ingest(o, &articles, &issues, d, &config_diags, st, &io); /* waits for it */
	np_diags_dispose(&config_diags);
	if (rc != 0)
		goto out;
	np_stamp_diags_copy(&next.ingest_diags, d, first);
	/* Ingest writes only into the folders of content/articles of the
	 * pages it did not skip; when it skipped all, the trees are as listed
	 * before it ran (a change made meanwhile by someone else shows in the
	 * next build's digest, since this one was taken before anything was
	 * read).  Otherwise those folders are listed again, not the whole
	 * site (at 100,000 records: 0.1 s, the same 100,000 stats again). */
	if (st->pages_unchanged != st->pages_seen &&
	    !np_stamp_trees_relist(o->site_dir, &articles, io.folders.items, io.folders.len,
	                           &trees)) {
		np_fs_list_dispose(&articles);
		np_fs_list_init(&articles);
		trees = np_stamp_trees(o->site_dir, theme.data, threads, &articles, NULL);
	}
	next.inputs = np_stamp_digest_add(np_stamp_files(o->site_dir), trees);
	next.settled = np_stamp_digest_eq(before, next.inputs);
	if (have && st->pages_ingested == 0 && np_stamp_digest_eq(next.inputs, last.inputs) &&
	    outputs_as_left(o, &last, out.data, trust)) {
		np_stamp_diags_replay(d, &last.build_diags);
		np_stamp_diags_copy(&next.build_diags, &last.build_diags, 0);
		next.outputs = last.outputs;
		next.outputs_known = last.outputs_known;
		next.seal = last.seal;
		np_stamp_save(&next, o->site_dir);
		report_noop(o, st, t0, last.build_diags.len);
		goto out;
	}
	first = d->len;
	np_fs_list_dispose(&issues); /* ingest's: not needed from here on */
	np_fs_list_init(&issues);
	struct np_render_outputs made = {{0, 0}, false};
	np_snap *snap = io.snap;
	io.snap = NULL; /* the site's now */
	np_stamp_digest sealed;
	rc = render_all(o, out.data, theme.data, &articles, snap, trust, &made, &sealed, d, st, t0);
	if (rc == 0) {
		np_stamp_diags_copy(&next.build_diags, d, first);
		/* A render that trusted the folder did not stat what it kept: the
		 * digest is then not known, and --verify renders to find out. */
		next.outputs_known = made.known || !trust;
		if (made.known)
			next.outputs = made.digest;
		else if (!trust)
			next.outputs = np_stamp_outputs(o->site_dir, out.data, threads);
		next.seal = sealed;
		np_stamp_save(&next, o->site_dir);
	}
out:
	np_task_wait(&warm); /* no thread left in ICU at exit */
	snap_ready(&io);
	np_snap_free(io.snap);
	np_arena_dispose(&io.a);
	np_fs_list_dispose(&articles);
	np_fs_list_dispose(&issues);
	np_stamp_dispose(&last);
	np_stamp_dispose(&next);
	np_buf_dispose(&out);
	np_buf_dispose(&theme);
	return rc;
}
