/* Internals of the ingest driver, shared with the build driver and tests. */
#ifndef NP_BUILD_INGEST_H
#define NP_BUILD_INGEST_H

#include "build/build.h"
#include "build/cache.h"
#include "meta/meta.h"
#include "record/article.h"
#include "record/config.h"

typedef struct np_raw_page {
	char *rel;      /* relative to content/issues */
	char *site_rel; /* relative to the site root */
	np_date issue;
	bool issue_known;
	int page;
	np_str encoding; /* declared, or null */
	np_arena arena;  /* everything parsed from this page */
	np_page_result result;
	bool failed;     /* unreadable or refused: no records from it */
	bool unchanged;  /* the ingest cache says nothing changed */
} np_raw_page;

typedef struct np_ingest_set {
	np_raw_page *pages; /* sorted by path */
	size_t n, cap;
	np_ingest_cache_entry *keys; /* per page, for the ingest cache */
} np_ingest_set;

/* Finds every raw page under <site>/content/issues (sorted by path) and
 * reads its issue date, page number and declared encoding. */
int np_ingest_find(np_ingest_set *s, const char *site, const np_site_config *cfg, np_arena *a,
                   np_diags *d);
/* Decodes, segments and extracts metadata for every page not marked
 * unchanged, on `threads` threads. */
void np_ingest_parse(np_ingest_set *s, const char *site, const np_events *events, unsigned threads,
                     bool debug, np_diags *d);
void np_ingest_set_dispose(np_ingest_set *s);



/* Marks the pages the ingest cache shows unchanged (records all present)
 * and warns about pages that vanished since the last ingest. */
void np_ingest_mark_unchanged(np_ingest_set *s, const char *site, np_diags *d);
/* Saves the cache entries of every page that did not fail. */
void np_ingest_save_cache(np_ingest_set *s, const char *site);
/* Sequential steps after np_ingest_parse, in path order. */
void np_ingest_assign(np_ingest_set *s, const char *site);
void np_ingest_write_records(np_ingest_set *s, const char *site, np_build_stats *st, np_diags *d);
void np_ingest_write_pages(np_ingest_set *s, const char *site, np_diags *d);

#endif
