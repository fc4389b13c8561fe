/* Aho–Corasick automaton over Unicode code points (meta-internal).
 *
 * Built once from a set of UTF-8 patterns, then read-only: np_ac_scan() may
 * run on many threads at once.  Matching time is linear in the text length
 * plus the number of matches reported (every pattern that ends at a position
 * is reported, found through dictionary-suffix links, never by re-walking
 * failure chains).  Transitions live in one open-addressing hash keyed by
 * (state, code point), so memory stays proportional to the patterns' total
 * length, not to 0x110000 × states; only the root's edges into the BMP also
 * get a dense table (256 KB), as a scan is at the root most of the time. */
#ifndef NP_META_AC_H
#define NP_META_AC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct np_ac np_ac;

/* A new empty automaton (heap; free with np_ac_free). */
np_ac *np_ac_new(void);
void np_ac_free(np_ac *ac);
/* Adds pattern s (non-empty UTF-8) with identifier id >= 0.  Adding the same
 * string twice keeps the first id and returns it; otherwise returns id.
 * Must not be called after np_ac_build(). */
int32_t np_ac_add(np_ac *ac, np_str s, int32_t id);
/* Computes failure and dictionary links; afterwards the automaton is
 * immutable. */
void np_ac_build(np_ac *ac);

/* Called for each match: [start, end) byte offsets into the text and the
 * pattern's id.  Return non-zero to stop the scan. */
typedef int (*np_ac_fn)(void *ctx, size_t start, size_t end, int32_t id);
/* Reports every occurrence of every pattern in text, in order of end
 * offset (longer patterns first at the same end).  Returns what fn
 * returned to stop, else 0. */
int np_ac_scan(const np_ac *ac, np_str text, np_ac_fn fn, void *ctx);

#endif
