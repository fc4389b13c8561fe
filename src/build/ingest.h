/* Internals of the ingest driver, shared with the build driver and tests.
 *
 * Ingest streams: raw pages are parsed on all threads but written in path
 * order as soon as each is ready, and a page's arena (its decoded text,
 * parse and metadata, some hundreds of KB) is freed once its records are
 * written.  At most np_ingest_window(threads) pages are in flight, so memory
 * does not grow with the archive; what outlives a page is small (its slugs,
 * its entry in its issue's pages.yaml until that issue is complete, its
 * ingest cache key). */
#ifndef NP_BUILD_INGEST_H
#define NP_BUILD_INGEST_H

#include <stdio.h>

#include "build/build.h"
#include "build/cache.h"
#include "meta/meta.h"
#include "record/article.h"
#include "record/config.h"
#include "util/fs_list.h"

typedef struct np_raw_page {
	char *rel;      /* relative to content/issues */
	char *site_rel; /* relative to the site root */
	np_date issue;
	bool issue_known;
	int page;
	np_str encoding;       /* declared, or null */
	np_arena arena;        /* everything parsed from this page, while in flight */
	np_page_result result; /* valid from its parse until it is written */
	bool failed;           /* unreadable or refused: no records from it */
	bool unchanged;        /* the ingest cache says nothing changed */
	bool listed;           /* size and mtime_ns are the listing's (else: stat it) */
	int64_t size, mtime_ns;
} np_raw_page;

typedef struct np_ingest_set {
	np_raw_page *pages; /* sorted by path */
	size_t n, cap;
	np_ingest_cache_entry *keys; /* per page, for the ingest cache */
} np_ingest_set;

typedef struct np_ingest_opts {
	const char *site;
	const np_events *events; /* may be NULL */
	unsigned threads;        /* >= 1 */
	bool debug;              /* trace segmentation decisions as notes */
	FILE *report;            /* per-page summary (articles, ids, titles), or NULL */
	/* The records already there: a listing of content/articles (rel from
	 * the site root, as np_stamp_trees makes it), taken before ingest. */
	const np_fs_list *records;
	/* Where the record snapshot goes once loaded (the writer reads the
	 * slugs taken from it), for the caller's site load to take over; NULL:
	 * loaded and freed by the writer. */
	struct np_snap **snap;
} np_ingest_opts;

/* Finds every raw page under <site>/content/issues (sorted by path, in the
 * order of a walk that visits each folder's names sorted) and reads its
 * issue date, page number and declared encoding (each issue.yaml once).
 * issues: the listing of content/issues (rel from the site root, as
 * np_stamp_trees makes it), whose metadata then stands for each page's
 * stat; NULL to list it here.  Strings of the manifests live in a. */
int np_ingest_find(np_ingest_set *s, const char *site, const np_site_config *cfg,
                   const np_fs_list *issues, np_arena *a, np_diags *d);
void np_ingest_set_dispose(np_ingest_set *s);

/* Marks the pages the ingest cache shows unchanged (records all present
 * in the listing `records`, see np_ingest_opts) and warns about pages that
 * vanished since the last ingest.  Pages are checked on `threads` threads. */
void np_ingest_mark_unchanged(np_ingest_set *s, const char *site, const np_fs_list *records,
                              unsigned threads, np_diags *d);

/* Decodes, segments and extracts metadata of every page not marked
 * unchanged, on o->threads threads; in path order, as each page is ready,
 * gives its articles ids (<issue>-<NN>-<k>) and site-unique slugs, writes
 * its records (never over a person's edit), adds it to its issue's
 * pages.yaml (written when the issue's last page is done), reports it to
 * o->report, and frees its arena.  The result is the same whatever the
 * number of threads. */
void np_ingest_pages(np_ingest_set *s, const np_ingest_opts *o, np_build_stats *st, np_diags *d);
/* The folder of content/articles that page p's records and its issue's
 * pages.yaml go to: the issue date (YYYY-MM-DD), or "undated". */
void np_ingest_folder(const np_raw_page *p, char out[11]);
/* Saves the cache entries of every page that did not fail. */
void np_ingest_save_cache(np_ingest_set *s, const char *site);

/* How many pages np_ingest_pages has parsed and not yet written at most,
 * with `threads` threads; one more page arena can be alive briefly while a
 * slug is checked against a later page that might fail (see
 * ingest_write.c). */
size_t np_ingest_window(unsigned threads);
/* The most page arenas np_ingest_pages had alive at once in this process
 * (a debug counter: tests check it against the window). */
size_t np_ingest_arenas_peak(void);

/* ---- between the scheduler (ingest.c) and the writer (ingest_write.c) -- */

/* Whether page i (not yet written, not unchanged) fails to parse. */
typedef bool (*np_ingest_fails_fn)(void *ctx, size_t i);

typedef struct np_ingest_writer np_ingest_writer;
/* A writer for the pages of s; fails answers for pages not yet written.
 * Free with np_ingest_writer_free. */
np_ingest_writer *np_ingest_writer_new(np_ingest_set *s, const np_ingest_opts *o,
                                       np_build_stats *st, np_diags *d, np_ingest_fails_fn fails,
                                       void *fails_ctx);
/* Names, writes and reports page i: called once per page, i = 0, 1, …, n-1,
 * after page i is parsed (or known unchanged), from one thread at a time. */
void np_ingest_writer_page(np_ingest_writer *w, size_t i);
/* Starts learning the slugs already taken (what naming the first page
 * waits for: the record snapshot read and every record's slug counted,
 * some 0.07 s at 100,000 records) on a thread of its own, so that it runs
 * while the pages are parsed rather than after the first is.  For a set
 * where some page is to be parsed (the scheduler knows); call before any
 * np_ingest_writer_page. */
void np_ingest_writer_start_scan(np_ingest_writer *w);
void np_ingest_writer_free(np_ingest_writer *w);

#endif
