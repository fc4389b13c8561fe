/* Output fingerprints: what each page was made of, so that a build renders
 * only the pages whose inputs changed.
 *
 * A page's fingerprint is XXH3-128 over the template set's hash (every
 * file of the site's and the theme's templates, site.yaml, and the
 * program itself), the output path, the template name and the page's
 * whole context value tree, with an article's body standing in as its
 * record's body hash.  Whatever a template can print is in the context, so
 * equal fingerprints mean equal bytes.
 *
 * The store (one per output folder, next to the output manifest in
 * .newsprint/) maps each output path to its fingerprint and to the size
 * and mtime the file had when this program last wrote or checked it, so a
 * file that was changed or deleted by hand is rendered again.  It is read
 * and then deleted at the start of a build and saved at the end: a build
 * that is killed leaves no store, and the next build renders everything
 * (writing only what differs). */
#ifndef NP_RENDER_FINGERPRINT_H
#define NP_RENDER_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "tmpl/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"

typedef struct np_fp {
	uint64_t h[2];
	uint64_t size;  /* of the output file */
	int64_t mtime;  /* of the output file, ns */
} np_fp;

/* The template set: its hash (every file of the site's and the theme's
 * templates, names and bytes; site.yaml; the program's own hash, salt)
 * and every name and string literal its templates contain.  A context map
 * entry whose key is none of these cannot be printed by any template, so
 * it is left out of fingerprints: the counts in `site`, say, do not make
 * every page of the archive render again when an issue is added, unless a
 * template prints them.  When a template can read keys it does not name
 * (the json filter, looping over a map's entries, a computed subscript),
 * `all` is set and every entry counts. */
typedef struct np_fp_set {
	uint64_t h[2];
	bool all;
	np_strmap names;
	np_arena arena; /* the names' bytes */
} np_fp_set;

void np_fp_set_init(np_fp_set *set, const char *site_dir, np_str theme, const char *salt);
void np_fp_set_dispose(np_fp_set *set);

typedef struct np_fp_hasher np_fp_hasher;

/* A hasher seeded with the template set's hash, the output path and the
 * template name; set must outlive it.  np_fp_hasher_finish frees it. */
np_fp_hasher *np_fp_hasher_new(const np_fp_set *set, const char *path, const char *tmpl);
/* Adds a value tree (lazy values forced) or raw bytes. */
void np_fp_add_value(np_fp_hasher *h, const np_value *v);
void np_fp_add_bytes(np_fp_hasher *h, const void *p, size_t len);
/* Fills out->h and frees h. */
void np_fp_hasher_finish(np_fp_hasher *h, np_fp *out);

typedef struct np_fp_store np_fp_store;
/* Reads the store at path and deletes the file (see above).  Never NULL. */
np_fp_store *np_fp_store_take(const char *path);
/* The recorded fingerprint of an output path, or NULL. */
const np_fp *np_fp_store_get(const np_fp_store *s, const char *path);
void np_fp_store_free(np_fp_store *s);
/* Saves n entries (paths[i] -> fps[i]; entries with a NULL path are left
 * out) to path.  0 or NP_EIO. */
int np_fp_store_save(const char *path, const char *const *paths, const np_fp *fps, size_t n);

#endif
