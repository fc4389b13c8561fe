/* The ingest cache (<site>/.newsprint/ingest.tsv): for every raw page,
 * what it was last ingested from — its size, mtime and content hash, and
 * the hash of everything else that shapes its records (issue.yaml,
 * site.yaml's encoding, events.yaml, and the newsprint binary itself, so a
 * new version re-ingests once).  A page whose entry matches is not parsed
 * again.  The file is a cache: deleting it only costs time. */
#ifndef NP_BUILD_CACHE_H
#define NP_BUILD_CACHE_H

#include <stdint.h>

#include "util/buf.h"
#include "util/strmap.h"

typedef struct np_ingest_cache_entry {
	char *rel;
	int64_t size, mtime_ns;
	char hash[33]; /* of the page's bytes */
	char ctx[33];  /* of everything else that shapes its records */
} np_ingest_cache_entry;

typedef struct np_ingest_cache {
	np_ingest_cache_entry *items;
	size_t n, cap;
	np_strmap by_rel;
	char *path;
} np_ingest_cache;

/* Loads the cache of site (an absent or unreadable file is an empty cache). */
void np_ingest_cache_load(np_ingest_cache *c, const char *site);
/* An empty cache of site, not read (to save a whole new set of entries). */
void np_ingest_cache_init(np_ingest_cache *c, const char *site);
/* The hash identifying what ingest would make of the file at full_path
 * with context hash ctx: reuses the cached content hash when size and
 * mtime match.  Fills e (e->rel is set by the caller).  Returns 0 or
 * NP_EIO. */
int np_ingest_cache_key(const np_ingest_cache *c, const char *rel, const char *full_path,
                        const char *ctx, np_ingest_cache_entry *e);
/* The same with the file's size and mtime already known (from a listing):
 * no stat. */
int np_ingest_cache_key_meta(const np_ingest_cache *c, const char *rel, const char *full_path,
                             int64_t size, int64_t mtime_ns, const char *ctx,
                             np_ingest_cache_entry *e);
/* True when rel's cached entry has the same hash as e. */
bool np_ingest_cache_same(const np_ingest_cache *c, const np_ingest_cache_entry *e);
/* Replaces the cache's contents with entries (taking ownership of their
 * rel strings) and saves it; returns 0 or NP_EIO. */
int np_ingest_cache_save(np_ingest_cache *c, np_ingest_cache_entry *entries, size_t n);
void np_ingest_cache_dispose(np_ingest_cache *c);
/* A hash of the running executable (read once per process). */
const char *np_build_self_hash(void);

#endif
