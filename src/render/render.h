/* Rendering the site model into output files: every page kind (home,
 * issues, pages, articles, regions, events, calendar, feeds, sitemap,
 * search index) through the templates, written with the output writer. */
#ifndef NP_RENDER_RENDER_H
#define NP_RENDER_RENDER_H

#include "build/build.h"
#include "site/site.h"
#include "util/fs_digest.h"

typedef struct np_render_opts {
	const char *site_dir;
	const char *out_dir;
	unsigned threads;
	bool quiet;
	FILE *progress; /* a bar while pages render, when a terminal */
	const char *salt; /* the program's own hash: part of every page's fingerprint */
	/* The last build into out_dir completed and nobody has touched the
	 * folder since (build/stamp.h): a page whose inputs did not change is
	 * kept without a stat of its file. */
	bool trust_outputs;
	/* When not NULL: set to the digest of the outputs np_stamp_outputs would
	 * make right after the render, when the render knows it (see
	 * np_output_log_finish), else left alone with known false. */
	struct np_render_outputs {
		np_fs_digest digest;
		bool known;
	} *outputs;
} np_render_opts;

/* Renders everything into o->out_dir.  A page whose fingerprint (what it
 * is made of, render/fingerprint.h) is the one of the last build and whose
 * file is still as that build left it is not rendered at all (counted as
 * skipped).  Files whose bytes would not change are left alone; files a previous build wrote that this build no longer
 * makes are removed.  Template errors are diagnostics; pages of a broken
 * template are not written.  Counts go to st. */
int np_render_site(const np_site *s, const np_render_opts *o, np_diags *d, np_build_stats *st);
/* Sets out to the file that lists what the last build wrote into out_dir:
 * <site>/.newsprint/outputs.txt for the default <site>/public, else
 * <site>/.newsprint/outputs-<hash of out_dir's absolute path>.txt, so
 * building into two folders in turn never makes one build delete the
 * other's files.  out_dir must exist (np_render_site creates it). */
void np_render_manifest_path(np_buf *out, const char *site_dir, const char *out_dir);

#endif
