/* The build stamp: one hash over everything a build reads besides raw
 * pages (every record and page record, site.yaml, events.yaml, the site's
 * templates, the theme, the newsprint binary, the output folder's path)
 * — by path, size and mtime, not contents — and over the presence of every
 * output the last build made.  When ingest changed nothing and the stamp
 * equals the one saved by the last complete build, the build has nothing
 * to do and stops there: the no-op build. */
#ifndef NP_BUILD_STAMP_H
#define NP_BUILD_STAMP_H

#include <stdbool.h>

/* Computes the stamp into out[33]. */
void np_build_stamp(const char *site, const char *out_dir, const char *theme, char out[33]);
/* True when the saved stamp equals stamp. */
bool np_build_stamp_same(const char *site, const char *stamp);
/* True when a stamp is saved: the last build completed without problems. */
bool np_build_stamp_saved(const char *site);
/* Saves stamp (after a complete build). */
void np_build_stamp_save(const char *site, const char *stamp);
/* Forgets the saved stamp (before a build starts, so a killed build is
 * never mistaken for a complete one). */
void np_build_stamp_forget(const char *site);

#endif
