/* Meta-internal interfaces between the extractors (dates.c, places.c,
 * events.c, people.c) and meta.c.  Not for other stages. */
#ifndef NP_META_INTERNAL_H
#define NP_META_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "meta/meta.h"

/* A text decoded into code points, with the byte offset of each (off[n] is
 * the byte length), so rules can look around a position in O(1). */
typedef struct np_cps {
	const uint32_t *cp;
	const size_t *off;
	size_t n;
	np_str text;
} np_cps;

void np_cps_init(np_cps *c, np_str s, np_arena *a);
/* Code point at i, or 0 outside [0, n). */
static inline uint32_t np_cps_at(const np_cps *c, size_t i)
{
	return i < c->n ? c->cp[i] : 0;
}
/* True when the code points at i spell the UTF-8 word w. */
bool np_cps_has(const np_cps *c, size_t i, const char *w);
/* Length in code points of the first word of the NULL-terminated list
 * that starts at index i (np_cps_word_at) or ends at index end, exclusive
 * (np_cps_word_ending); 0 if none.  Put longer words first. */
size_t np_cps_word_at(const np_cps *c, size_t i, const char *const *list);
size_t np_cps_word_ending(const np_cps *c, size_t end, const char *const *list);
/* Index of the code point that starts at byte offset b (b must be one). */
size_t np_cps_index(const np_cps *c, size_t b);
/* Binary search of cp in a sorted set of n code points. */
static inline bool np_cp_in(const uint32_t *set, size_t n, uint32_t cp)
{
	/* Inline: called once per code point in the scanning loops.  The
	 * sets are tiny and sorted; a range check rejects most code points
	 * before the search. */
	if (n == 0 || cp < set[0] || cp > set[n - 1])
		return false;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && set[lo] == cp;
}
/* A set of code points, given as a sorted array and answered from a bitmap
 * of the BMP made on first use: the scans ask once per code point of every
 * article, where a binary search's unpredictable branches cost more than
 * the rest of the test.  Define with NP_CPSET(array); thread-safe. */
typedef struct np_cpset {
	const uint32_t *cps;
	size_t n;
	_Atomic int ready;
	uint64_t bits[0x10000 / 64];
} np_cpset;
#define NP_CPSET(array) {.cps = (array), .n = sizeof(array) / sizeof(array)[0]}
void np_cpset_build(np_cpset *s);
static inline bool np_cpset_has(np_cpset *s, uint32_t cp)
{
	if (!atomic_load_explicit(&s->ready, memory_order_acquire))
		np_cpset_build(s);
	return cp < 0x10000 ? s->bits[cp / 64] >> (cp % 64) & 1 : np_cp_in(s->cps, s->n, cp);
}

/* Sentence and clause punctuation, brackets and quotes (not · or +). */
bool np_meta_is_punct(uint32_t cp);

/* At most this many events and people per article: keeps the duplicate
 * checks (linear in the list) from making a pathological article quadratic;
 * no real article comes near it. */
#define NP_META_MAX_LIST 256

/* ---- dates (dates.c) -------------------------------------------------- */

typedef enum np_date_prec { NP_PREC_YEAR, NP_PREC_MONTH, NP_PREC_DAY } np_date_prec;

typedef struct np_date_expr {
	size_t start, end; /* byte offsets */
	np_date_prec prec;
	int y, m, d;    /* y == 0: the text gives no year */
	bool this_year; /* a relative year word: 今年/去年/明年 */
	int rel;        /* with this_year: 0, -1, +1 */
	bool range;
	int y2, m2, d2; /* range end; y2/m2 == 0 when omitted */
} np_date_expr;

/* Calls fn for each date expression in s, in text order. */
typedef void (*np_date_fn)(void *ctx, const np_date_expr *e);
void np_meta_scan_dates(np_str s, np_date_fn fn, void *ctx);
/* The most frequent explicit year in s (ties: the later), or 0. */
int np_meta_text_year(np_str s);
/* Fills a->date/end_date/date_inferred from lede (see meta.h). */
void np_meta_date_article(np_article *a, np_str lede, int article_year, const np_meta_opts *o);

/* ---- places (places.c) ------------------------------------------------ */

/* Where a text sits: the headline lines, the lede (both name where the news
 * happens) or the rest of the body (other places). */
typedef enum np_zone { NP_ZONE_HEAD, NP_ZONE_LEDE, NP_ZONE_PLACE } np_zone;
typedef struct np_places np_places;
/* Collects mentions segment by segment, then resolves them all at once so
 * context from anywhere in the article settles ambiguous names. */
np_places *np_places_new(const np_gazetteer *g, np_arena *a);
/* Adds the mentions in the text c; spans listed in skip (person names, n pairs of
 * byte offsets) are not places. */
void np_places_scan(np_places *p, const np_cps *c, np_zone zone, const size_t *skip, size_t n_skip);
/* Resolves and appends full paths to regions and places (no duplicates,
 * ancestors of other entries dropped, places not repeating regions). */
void np_places_finish(np_places *p, np_strlist *regions, np_strlist *places);

/* ---- events (events.c) and people (people.c) ------------------------- */

/* The configuration-free key of an event name; *display gets its display
 * form.  Both in a. */
np_str np_meta_event_raw_key(np_str name, np_arena *a, np_str *display);

/* Appends the display names of the events named in c to out (unique by
 * key, suppressed ones left out). */
void np_meta_scan_events(const np_cps *c, const np_events *ev, np_arena *a, np_strlist *keys,
                         np_strlist *out);
/* Appends the names found after titles in c to out; if spans is not NULL,
 * appends each name's [start, end) byte offsets to it (2 per name). */
void np_meta_scan_people(const np_cps *c, np_arena *a, np_strlist *out, size_t **spans,
                         size_t *n_spans);

#endif
