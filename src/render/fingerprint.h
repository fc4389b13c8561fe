/* Output fingerprints: what each page was made of, so that a build renders
 * only the pages whose inputs changed.
 *
 * A page's fingerprint is XXH3-128 over the hash of its templates (the
 * page template and what it includes or extends, as the engine finds
 * them), site.yaml and the program itself, the output path, the template name and the page's
 * whole context value tree, with an article's body standing in as its
 * record's body hash.  Whatever a template can print is in the context, so
 * equal fingerprints mean equal bytes.
 *
 * The store (one per output folder, next to the output manifest in
 * .newsprint/) maps each output path (by its hash: fingerprint.c has the
 * binary format) to its fingerprint, its key, and the size and mtime the
 * file had when this program last wrote or checked it, so a file that was
 * changed or deleted by hand is rendered again (unless the build trusts
 * the output folder: build/stamp.h).  It is read
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
	uint64_t size;   /* of the output file */
	int64_t mtime;   /* of the output file, ns */
	uint64_t key[2]; /* the page's key (render/context.h), {0, 0} for none */
} np_fp;

/* The names a page template can read: every name and string literal in
 * it and in the templates it includes or extends, transitively.  A
 * context map entry whose key is none of these cannot be printed by the
 * page, so it is left out of the page's fingerprint: the counts in `site`,
 * say, do not make every article render again when an issue is added,
 * unless article.html (or base.html...) prints them.  all: the page may
 * read keys it does not name (the json filter, a loop over a map's
 * entries, a computed subscript, a template that does not lex), so every
 * entry counts. */
typedef struct np_fp_names {
	const char *tmpl;
	uint64_t h[2]; /* the set's base, and these templates' names and bytes */
	np_strmap names;
	bool all;
} np_fp_names;

/* The template set: its hash h (every file of the site's and the theme's
 * templates, names and bytes; site.yaml; salt, the program's own hash),
 * base (site.yaml and salt only: a page also depends on the templates it
 * uses, see np_fp_names.h), and what each template names. */
typedef struct np_fp_set {
	uint64_t h[2], base[2];
	np_strmap by_rel; /* template name -> files[] */
	struct tfile **files;
	size_t n_files, cap_files;
	np_fp_names *pages; /* np_fp_set_prepare */
	size_t n_pages, cap_pages;
	np_fp_names any; /* the union of every prepared template's names */
	np_arena arena;
} np_fp_set;

void np_fp_set_init(np_fp_set *set, const char *site_dir, np_str theme, const char *salt);
/* Works out the names page template tmpl (kept as a borrowed pointer) can
 * read.  Call for every page template before hashing on many threads. */
void np_fp_set_prepare(np_fp_set *set, const char *tmpl);
/* The names of a prepared template, or NULL (then every entry counts). */
const np_fp_names *np_fp_set_names(const np_fp_set *set, const char *tmpl);
void np_fp_set_dispose(np_fp_set *set);

typedef struct np_fp_hasher np_fp_hasher;

/* A hasher seeded with the template set's hash, the output path and the
 * template name (map entries filtered by np_fp_set_names(set, tmpl));
 * set must outlive it.  np_fp_hasher_finish frees it. */
np_fp_hasher *np_fp_hasher_new(const np_fp_set *set, const char *path, const char *tmpl);
/* The digest of a value tree for np_value_map_set_digest: its content,
 * map entries filtered by the names of every prepared template (call
 * after the last np_fp_set_prepare), maps that carry a digest added as
 * that digest.  Equal digests mean equal content as any page can see it. */
void np_fp_digest(const np_fp_set *set, const np_value *v, uint64_t out[2]);
/* Adds a value tree (lazy values forced; a map with a digest as its
 * digest) or raw bytes. */
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
/* Saves n entries (paths[i] -> *fps[i]; entries with a NULL path are left
 * out) to path.  An fps[i] may be what np_fp_store_get(from, paths[i])
 * returned (a page kept as it was: most of them): the record is then
 * neither copied before nor its path hashed again.  from may be NULL.
 * 0 or NP_EIO. */
int np_fp_store_save(const char *path, const char *const *paths, const np_fp *const *fps,
                     size_t n, const np_fp_store *from);

#endif
