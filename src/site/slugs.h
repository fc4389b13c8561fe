/* The slugs the site model makes from names at every load — event names,
 * and region paths the gazetteer does not know — kept between builds in
 * <site>/.newsprint/slugs.tsv, so that a load whose names are all known
 * does not compile ICU's Han-Latin transliterator (about 0.1 s, more than
 * all the events' indexing at 100,000 articles).
 *
 * File: one header line naming the format, NP_SLUG_MAX and the ICU
 * version (another header: the file is ignored), then "name\tslug\n" in
 * the order the load asked for them.  A name holding a tab, CR or LF is
 * never cached, a line whose slug is not [a-z0-9-]* is skipped.  The file
 * is a cache: deleting it costs one transliterator compile.  It is
 * rewritten only when this load asked for a name it lacked, or no longer
 * asked for one it had, so it holds the names of the site as it is. */
#ifndef NP_SITE_SLUGS_H
#define NP_SITE_SLUGS_H

#include <stdbool.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"

#define NP_SLUGS_FILE ".newsprint/slugs.tsv"

typedef struct np_slugs {
	np_arena arena; /* the names and slugs */
	np_strmap map;  /* name -> index into slugs */
	np_str *names, *slugs;
	bool *used;
	size_t n, cap, n_loaded, n_used;
} np_slugs;

/* Loads site_dir's cache into c (empty when missing or unusable). */
void np_slugs_load(np_slugs *c, const char *site_dir);
/* Appends np_slugify(name) to out, from the cache when it has name. */
void np_slugs_get(np_slugs *c, np_buf *out, np_str name);
/* Saves the cache into site_dir when it changed (see above); never fails
 * the load (a cache that cannot be written is made again next time). */
void np_slugs_save(np_slugs *c, const char *site_dir);
void np_slugs_dispose(np_slugs *c);

#endif
