/* Character bigrams: the evidence page segmentation decides by.  Chinese has
 * no spaces, so two adjacent characters are the cheapest stand-in for a word:
 * a headline shares many of them with its lede, and a line break inside a
 * word leaves a bigram that the page uses elsewhere. */
#include "internal.h"

#include <stdlib.h>

#include "util/utf8.h"

static bool wordy(uint32_t cp)
{
	return np_is_han(cp) || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 'A' && cp <= 'Z');
}

static uint64_t bkey(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 21 | b) + 1;
}

static size_t slot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static bool used(const np_bigrams *b, size_t i)
{
	return b->used[i / 64] >> (i % 64) & 1;
}

static void add(np_bigrams *b, uint64_t k)
{
	size_t i = slot(k, b->cap);
	while (used(b, i) && b->keys[i] != k)
		i = (i + 1) & (b->cap - 1);
	if (!used(b, i)) {
		b->used[i / 64] |= (uint64_t)1 << (i % 64);
		b->keys[i] = k;
		b->counts[i] = 0;
	}
	b->counts[i]++;
}

void np_bigrams_build(np_bigrams *b, const np_text *t, np_arena *a)
{
	/* The bigrams first, then a table sized by their number, whose slots
	 * a bitmap marks: zeroing a table sized by the page's bytes cost more
	 * than filling it. */
	size_t total = 0;
	for (size_t i = 0; i < t->n; i++)
		total = np_add(total, t->lines[i].text.len);
	uint64_t *seen = np_xmalloc(np_mul(total ? total : 1, sizeof *seen));
	size_t n = 0; /* at most one per byte */
	for (size_t i = 0; i < t->n; i++) {
		np_str s = t->lines[i].text;
		uint32_t prev = 0;
		for (size_t j = 0; j < s.len;) {
			uint32_t cp;
			j += np_utf8_decode(s.p + j, s.len - j, &cp);
			if (wordy(prev) && wordy(cp))
				seen[n++] = bkey(prev, cp);
			prev = cp;
		}
	}
	size_t cap = 64;
	while (cap < np_mul(n, 2)) /* load factor <= 1/2 */
		cap = np_mul(cap, 2);
	b->cap = cap;
	b->keys = np_arena_alloc(a, np_mul(cap, sizeof *b->keys));
	b->counts = np_arena_alloc(a, np_mul(cap, sizeof *b->counts));
	b->used = NP_ANEWN(a, uint64_t, cap / 64);
	for (size_t k = 0; k < n; k++)
		add(b, seen[k]);
	free(seen);
}

uint32_t np_bigrams_count(const np_bigrams *b, uint32_t c1, uint32_t c2)
{
	if (!b->cap)
		return 0;
	uint64_t k = bkey(c1, c2);
	for (size_t i = slot(k, b->cap); used(b, i); i = (i + 1) & (b->cap - 1))
		if (b->keys[i] == k)
			return b->counts[i];
	return 0;
}

enum { SET_CAP = 512, TEXT_CPS = 200, HEAD_MAX = 128 }; /* load < 1/2 */

typedef struct bset {
	uint64_t k[SET_CAP];
} bset;

/* Inserts k; true when it was new. */
static bool bset_add(bset *s, uint64_t k)
{
	size_t i = slot(k, SET_CAP);
	while (s->k[i] && s->k[i] != k)
		i = (i + 1) & (SET_CAP - 1);
	if (s->k[i] == k)
		return false;
	s->k[i] = k;
	return true;
}

static bool bset_has(const bset *s, uint64_t k)
{
	for (size_t i = slot(k, SET_CAP); s->k[i]; i = (i + 1) & (SET_CAP - 1))
		if (s->k[i] == k)
			return true;
	return false;
}

/* Adds the bigrams of the first max_cps code points of s; returns how many
 * distinct ones were new. */
static size_t fill(bset *set, np_str s, size_t max_cps)
{
	size_t n = 0, cps = 0;
	uint32_t prev = 0;
	for (size_t j = 0; j < s.len && cps < max_cps; cps++) {
		uint32_t cp;
		j += np_utf8_decode(s.p + j, s.len - j, &cp);
		if (wordy(prev) && wordy(cp))
			n += bset_add(set, bkey(prev, cp));
		prev = cp;
	}
	return n;
}

double np_page_overlap(np_str head, np_str text)
{
	static _Thread_local bset body, seen;
	memset(&body, 0, sizeof body);
	memset(&seen, 0, sizeof seen);
	fill(&body, text, TEXT_CPS);
	size_t total = 0, hits = 0;
	uint32_t prev = 0;
	for (size_t j = 0, cps = 0; j < head.len && cps < HEAD_MAX; cps++) {
		uint32_t cp;
		j += np_utf8_decode(head.p + j, head.len - j, &cp);
		if (wordy(prev) && wordy(cp) && bset_add(&seen, bkey(prev, cp))) {
			total++;
			hits += bset_has(&body, bkey(prev, cp));
		}
		prev = cp;
	}
	return total ? (double)hits / (double)total : 0.0;
}
