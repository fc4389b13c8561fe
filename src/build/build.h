/* The two whole-site operations the CLI offers: ingest (raw pages ->
 * records) and build (ingest, then records -> site).  Both report problems
 * as diagnostics and carry on with everything else. */
#ifndef NP_BUILD_BUILD_H
#define NP_BUILD_BUILD_H

#include <stdbool.h>
#include <stdio.h>

#include "util/diag.h"

typedef struct np_build_opts {
	const char *site_dir; /* default "." */
	const char *out_dir;  /* default <site_dir>/public */
	unsigned threads;     /* 0 = np_pool_default_threads() */
	bool quiet;           /* no progress or per-page summary */
	bool debug;           /* trace segmentation decisions as notes */
	bool verify;          /* check every output file, trusting nothing (stamp.h) */
	FILE *progress;       /* where progress goes (stderr by default) */
} np_build_opts;

typedef struct np_build_stats {
	size_t pages_seen, pages_ingested, pages_unchanged;
	size_t records_written, records_unchanged, records_kept_edited, records_orphaned;
	size_t articles;
	size_t files_written, files_unchanged, files_removed;
	size_t files_skipped; /* pages not rendered: same inputs as last time */
	double secs_ingest, secs_load, secs_render, secs_total;
	double secs_pages, secs_search; /* parts of secs_render: pages, search index */
} np_build_stats;

/* Raw pages under <site>/content/issues -> records under content/articles.
 * Returns 0 when it ran (errors, if any, are in d), NP_EIO when the site
 * cannot be read at all. */
int np_ingest_run(const np_build_opts *o, np_diags *d, np_build_stats *st);
/* Ingest, then render the whole site into out_dir. */
int np_build_run(const np_build_opts *o, np_diags *d, np_build_stats *st);

#endif
