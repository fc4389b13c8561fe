/* A hash map from borrowed strings to size_t values (open addressing,
 * XXH3 hashes).  Keys are not copied: they must outlive the map. */
#ifndef NP_UTIL_STRMAP_H
#define NP_UTIL_STRMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct np_strmap_slot {
	np_str key;
	size_t val;
	uint32_t h; /* the key's hash (low 32 bits): probes and rehashing skip most compares */
	bool used;
} np_strmap_slot;

typedef struct np_strmap {
	np_strmap_slot *slots;
	size_t cap, len;
} np_strmap;

void np_strmap_init(np_strmap *m);
void np_strmap_dispose(np_strmap *m);
/* Empties the map and keeps its room (a map made again and again for
 * small groups: no allocation each time). */
void np_strmap_clear(np_strmap *m);
/* Makes room for n keys in all, so that adding them does not rehash. */
void np_strmap_reserve(np_strmap *m, size_t n);
/* Sets key to val; returns true when the key was new. */
bool np_strmap_put(np_strmap *m, np_str key, size_t val);
/* The value of key in *val; false when absent. */
bool np_strmap_get(const np_strmap *m, np_str key, size_t *val);

#endif
