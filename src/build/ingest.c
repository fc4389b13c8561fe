/* The ingest driver: finds raw pages, runs text -> page -> meta on all
 * cores, and hands each page, in path order, to the writer
 * (ingest_write.c), which gives every article a stable id and a site-unique
 * slug and writes records and page records without ever overwriting a
 * person's edit.  Only a window of pages is in flight at a time. */
#define _POSIX_C_SOURCE 200809L
#include "build/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* One raw page (rel: under content/issues), unless it is not a .txt. */
static np_raw_page *add_page(np_ingest_set *s, const char *rel)
{
	size_t n = strlen(rel);
	if (n < 4 || strcmp(rel + n - 4, ".txt") != 0)
		return NULL;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->pages = np_xrealloc(s->pages, np_mul(s->cap, sizeof *s->pages));
	}
	np_raw_page *p = &s->pages[s->n++];
	memset(p, 0, sizeof *p);
	p->rel = np_xstrndup(rel, n);
	return p;
}

/* The order np_fs_walk visits files in (each folder's names sorted, a
 * subfolder's files where its name sorts): paths compared with '/' below
 * every other byte. */
static int cmp_walk_order(const void *va, const void *vb)
{
	const unsigned char *a = (const unsigned char *)((const np_raw_page *)va)->rel;
	const unsigned char *b = (const unsigned char *)((const np_raw_page *)vb)->rel;
	for (;; a++, b++) {
		unsigned x = *a == '/' ? 1u : *a, y = *b == '/' ? 1u : *b;
		if (x != y || x == 0)
			return (x > y) - (x < y);
	}
}

/* The pages of a listing: what np_fs_walk hands on (files, symlinks to
 * files, dangling symlinks), with the listing's size and mtime.  False
 * when the listing has no content/issues folder. */
static bool collect_listed(np_ingest_set *s, const np_fs_list *l)
{
	static const char root[] = NP_ISSUES_DIR;
	bool found = false;
	for (size_t i = 0; i < l->n; i++) {
		const np_fs_item *it = &l->items[i];
		if (strncmp(it->rel, root, sizeof root - 1) != 0)
			continue;
		if (it->rel[sizeof root - 1] == '\0') {
			found |= it->kind == NP_FS_DIR;
			continue;
		}
		bool file = it->kind == NP_FS_FILE && it->mode == S_IFREG;
		if (it->rel[sizeof root - 1] != '/' || !(file || it->kind == NP_FS_DANGLING))
			continue;
		np_raw_page *p = add_page(s, it->rel + sizeof root);
		if (p && file) {
			p->listed = true;
			p->size = (int64_t)it->size;
			p->mtime_ns = it->mtime_ns;
		}
	}
	if (s->n > 1)
		qsort(s->pages, s->n, sizeof *s->pages, cmp_walk_order);
	return found;
}

/* Fills issue date, page number and declared encoding of each page from
 * its path and its issue's issue.yaml.  Pages are sorted by path, so the
 * pages of a folder are together: each issue.yaml is read once (and its
 * problems reported once). */
static void describe(np_ingest_set *s, const char *site, const np_site_config *cfg, np_arena *a,
                     np_diags *d)
{
	np_buf path;
	np_buf_init(&path);
	np_issue_manifest none = {0}, m = {0};
	const char *m_dir = NULL; /* the folder m was read from: a prefix of some rel */
	size_t m_len = 0;
	for (size_t i = 0; i < s->n; i++) {
		np_raw_page *p = &s->pages[i];
		const char *slash = strrchr(p->rel, '/');
		const char *file = slash ? slash + 1 : p->rel;
		const char *dir_end = slash ? slash : p->rel;
		const char *dir = dir_end;
		while (dir > p->rel && dir[-1] != '/')
			dir--;
		size_t dir_len = (size_t)(dir_end - p->rel);
		if (slash && !(m_dir && m_len == dir_len && memcmp(m_dir, p->rel, dir_len) == 0)) {
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%s/%.*s/issue.yaml", site, NP_ISSUES_DIR,
			              (int)dir_len, p->rel);
			np_issue_manifest_load(&m, path.data, a, d);
			m_dir = p->rel;
			m_len = dir_len;
		}
		const np_issue_manifest *mf = slash ? &m : &none;
		p->issue_known = is_iso_date(dir, (size_t)(dir_end - dir), &p->issue);
		if (!p->issue_known && np_date_known(mf->date)) {
			p->issue = mf->date;
			p->issue_known = true;
		}
		const np_manifest_page *mp = np_issue_manifest_page(mf, np_str_from(file));
		p->page = mp && mp->page > 0 ? mp->page : page_from_name(file);
		p->encoding = mf->encoding.p ? mf->encoding : cfg->encoding;
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

int np_ingest_find(np_ingest_set *s, const char *site, const np_site_config *cfg,
                   const np_fs_list *issues, np_arena *a, np_diags *d)
{
	memset(s, 0, sizeof *s);
	np_fs_list mine;
	np_fs_list_init(&mine);
	if (!issues) {
		int fd = open(site, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			np_fs_list_tree(&mine, fd, NP_ISSUES_DIR, 1);
			close(fd);
		}
		issues = &mine;
	}
	if (!collect_listed(s, issues))
		np_diag_add(d, NP_WARNING, NP_ISSUES_DIR, 0, 0,
		            "no raw pages: the folder is missing");
	np_fs_list_dispose(&mine);
	for (size_t i = 0; i < s->n; i++) {
		np_buf r;
		np_buf_init(&r);
		np_buf_printf(&r, "%s/%s", NP_ISSUES_DIR, s->pages[i].rel);
		s->pages[i].site_rel = np_buf_detach(&r);
		np_arena_init(&s->pages[i].arena);
	}
	describe(s, site, cfg, a, d);
	return 0;
}

/* ---- parsing one page ------------------------------------------------ */

/* Decodes, segments and extracts the metadata of p into p->arena and
 * p->result; sets p->failed when the page cannot be read or parsed. */
static void parse_page(np_raw_page *p, const char *site, const np_events *events, bool debug,
                       np_diags *d)
{
	np_buf full;
	np_buf_init(&full);
	np_path_join(&full, site, p->site_rel);
	np_text text;
	char *enc = p->encoding.p ? np_arena_strdup(&p->arena, p->encoding) : NULL;
	int rc = np_text_load_file(&text, full.data, enc, &p->arena, d);
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
	                   .debug = debug};
	if (np_page_parse(&p->result, &text, &po, &p->arena, d) != 0) {
		p->failed = true;
		return;
	}
	np_meta_opts mo = {.issue = p->issue_known ? p->issue : (np_date){0, 0, 0},
	                   .events = events,
	                   .path = p->site_rel};
	if (!p->issue_known)
		mo.page_year = np_meta_page_year(np_text_join(&text, &p->arena));
	for (size_t k = 0; k < p->result.n_articles; k++)
		np_meta_extract(&p->result.articles[k], &mo, &p->arena, d);
	if (p->result.n_articles == 0)
		np_diag_add(d, NP_WARNING, p->site_rel, 0, 0,
		            "no article found on this page (it is empty, or holds only headlines, "
		            "captions or teasers)");
}

/* ---- the page arenas alive (debug counter) ----------------------------- */

static atomic_size_t arenas_alive, arenas_peak;

static void arena_taken(void)
{
	size_t n = atomic_fetch_add(&arenas_alive, 1) + 1;
	size_t m = atomic_load(&arenas_peak);
	while (n > m && !atomic_compare_exchange_weak(&arenas_peak, &m, n))
		;
}

static void arena_released(void)
{
	atomic_fetch_sub(&arenas_alive, 1);
}

size_t np_ingest_arenas_peak(void)
{
	return atomic_load(&arenas_peak);
}

/* ---- the pipeline: parse on all threads, write in path order ---------- */

/* Four pages per thread: enough that a thread finding the next page to
 * write still being parsed has other pages to parse meanwhile (page parse
 * times vary a few times over), few enough that the pages in flight weigh
 * a few MB. */
size_t np_ingest_window(unsigned threads)
{
	return 4 * (size_t)(threads ? threads : 1);
}

enum { PAGE_QUEUED, PAGE_PARSING, PAGE_READY };
enum { PROBE_UNKNOWN, PROBE_OK, PROBE_FAILS };

/* Pages [next_write, next_parse) are in flight: being parsed, parsed, or
 * being written; next_parse - next_write <= window.  One thread at a time
 * holds the right to write (writing), and writes page next_write once it is
 * ready.  A thread always prefers writing, which frees memory, to parsing. */
typedef struct pipeline {
	np_ingest_set *s;
	const np_ingest_opts *o;
	np_diags *d;
	np_ingest_writer *w;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned char *state; /* PAGE_…, per page, under lock */
	unsigned char *probe; /* PROBE_…, per page, used by the writing thread only */
	size_t next_parse, next_write, window;
	bool writing;
	bool parsing; /* some page is to be parsed (not all unchanged) */
} pipeline;

static void work(void *vctx, size_t task, unsigned worker)
{
	(void)worker;
	pipeline *pl = vctx;
	np_ingest_set *s = pl->s;
	/* The first slug asks ICU to compile its Han-Latin rules (0.08 s),
	 * and the writer asks on the first page it names, after reading the
	 * slugs already taken: a second thread compiles them meanwhile. */
	if (task == 1 && pl->parsing)
		(void)np_translit_memo_active();
	pthread_mutex_lock(&pl->lock);
	while (pl->next_write < s->n) {
		size_t i = pl->next_write;
		if (!pl->writing && pl->state[i] == PAGE_READY) {
			pl->writing = true;
			pthread_mutex_unlock(&pl->lock);
			np_ingest_writer_page(pl->w, i);
			bool parsed = !s->pages[i].unchanged;
			np_arena_dispose(&s->pages[i].arena);
			memset(&s->pages[i].result, 0, sizeof s->pages[i].result);
			if (parsed)
				arena_released();
			pthread_mutex_lock(&pl->lock);
			pl->next_write++;
			pl->writing = false;
			pthread_cond_broadcast(&pl->changed);
		} else if (pl->next_parse < s->n && pl->next_parse - pl->next_write < pl->window) {
			i = pl->next_parse++;
			pl->state[i] = PAGE_PARSING;
			pthread_mutex_unlock(&pl->lock);
			np_raw_page *p = &s->pages[i];
			if (!p->unchanged) {
				arena_taken();
				parse_page(p, pl->o->site, pl->o->events, pl->o->debug, pl->d);
			}
			pthread_mutex_lock(&pl->lock);
			pl->state[i] = PAGE_READY;
			if (i == pl->next_write)
				pthread_cond_broadcast(&pl->changed);
		} else {
			pthread_cond_wait(&pl->changed, &pl->lock);
		}
	}
	pthread_mutex_unlock(&pl->lock);
}

/* The writer asks whether a later page fails (its old records then keep
 * their slugs).  A page already parsed knows; any other is parsed once on
 * the side, with its diagnostics dropped (its own parse reports them), so
 * the answer never waits for pages beyond the window. */
static bool page_fails(void *vctx, size_t i)
{
	pipeline *pl = vctx;
	np_raw_page *p = &pl->s->pages[i];
	pthread_mutex_lock(&pl->lock);
	bool ready = pl->state[i] == PAGE_READY;
	pthread_mutex_unlock(&pl->lock);
	if (ready)
		return p->failed;
	if (pl->probe[i] == PROBE_UNKNOWN) {
		np_raw_page t = {.rel = p->rel,
		                 .site_rel = p->site_rel,
		                 .issue = p->issue,
		                 .issue_known = p->issue_known,
		                 .page = p->page,
		                 .encoding = p->encoding};
		np_arena_init(&t.arena);
		np_diags scratch;
		np_diags_init(&scratch);
		arena_taken();
		parse_page(&t, pl->o->site, pl->o->events, false, &scratch);
		np_arena_dispose(&t.arena);
		arena_released();
		np_diags_dispose(&scratch);
		pl->probe[i] = t.failed ? PROBE_FAILS : PROBE_OK;
	}
	return pl->probe[i] == PROBE_FAILS;
}

void np_ingest_pages(np_ingest_set *s, const np_ingest_opts *o, np_build_stats *st, np_diags *d)
{
	if (s->n == 0)
		return;
	pipeline pl = {.s = s, .o = o, .d = d, .window = np_ingest_window(o->threads)};
	for (size_t i = 0; i < s->n && !pl.parsing; i++)
		pl.parsing = !s->pages[i].unchanged;
	pl.state = np_xcalloc(s->n, 1);
	pl.probe = np_xcalloc(s->n, 1);
	pl.w = np_ingest_writer_new(s, o, st, d, page_fails, &pl);
	if (pl.parsing)
		np_ingest_writer_start_scan(pl.w);
	pthread_mutex_init(&pl.lock, NULL);
	pthread_cond_init(&pl.changed, NULL);
	unsigned threads = o->threads ? o->threads : 1;
	np_pool_for(threads, threads, work, &pl);
	pthread_cond_destroy(&pl.changed);
	pthread_mutex_destroy(&pl.lock);
	np_ingest_writer_free(pl.w);
	free(pl.state);
	free(pl.probe);
}
