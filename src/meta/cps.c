/* Code-point views of a text for the extractors' look-around rules. */
#include "meta/internal.h"

#include <pthread.h>

#include "util/utf8.h"

void np_cps_init(np_cps *c, np_str s, np_arena *a)
{
	size_t cap = np_utf8_count(s.p, s.len) + 1;
	uint32_t *cp = np_arena_alloc(a, np_mul(cap, sizeof *cp));
	size_t *off = np_arena_alloc(a, np_mul(cap, sizeof *off));
	size_t n = 0, i = 0;
	while (i < s.len) {
		off[n] = i;
		i += np_utf8_decode(s.p + i, s.len - i, &cp[n]);
		n++;
	}
	off[n] = s.len;
	cp[n] = 0;
	*c = (np_cps){cp, off, n, s};
}

/* Byte comparison: w and the text are UTF-8, so a match that starts on a
 * code-point boundary also ends on one.  The words are a few bytes and
 * most differ from the text in their first two: compared in place,
 * without strlen and memcmp (the scans call this for every code point). */
bool np_cps_has(const np_cps *c, size_t i, const char *w)
{
	if (i >= c->n)
		return false;
	const char *t = c->text.p + c->off[i];
	size_t left = c->text.len - c->off[i], k = 0;
	for (; w[k]; k++)
		if (k == left || t[k] != w[k])
			return false;
	return true;
}

size_t np_cps_index(const np_cps *c, size_t b)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->off[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool np_meta_is_punct(uint32_t cp)
{
	if (cp < 0x80)
		return cp != '+' && cp != '-' && !(cp >= '0' && cp <= '9') &&
		       !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	switch (cp) {
	case 0x3001:
	case 0x3002:
	case 0xFF0C:
	case 0xFF1A:
	case 0xFF1B:
	case 0xFF01:
	case 0xFF1F:
	case 0xFF08:
	case 0xFF09:
	case 0x300A:
	case 0x300B:
	case 0x201C:
	case 0x201D:
	case 0x2018:
	case 0x2019:
	case 0x3010:
	case 0x3011:
	case 0x2014:
	case 0x2026:
	case 0x3000:
	case 0x300C:
	case 0x300D:
	case 0x300E:
	case 0x300F:
	case 0xFF5E:
	case 0x2013:
		return true;
	default:
		return false;
	}
}

static size_t cp_len(const char *w)
{
	size_t n = 0;
	for (; *w; w++)
		n += ((unsigned char)*w & 0xC0) != 0x80;
	return n;
}

size_t np_cps_word_at(const np_cps *c, size_t i, const char *const *list)
{
	for (size_t k = 0; list[k]; k++)
		if (np_cps_has(c, i, list[k]))
			return cp_len(list[k]);
	return 0;
}

size_t np_cps_word_ending(const np_cps *c, size_t end, const char *const *list)
{
	if (end > c->n)
		return 0;
	size_t b = c->off[end];
	for (size_t k = 0; list[k]; k++) {
		const char *w = list[k];
		size_t len = 0;
		while (w[len])
			len++;
		if (len == 0)
			return 0;
		/* the last bytes differ most often */
		if (len > b || c->text.p[b - 1] != w[len - 1])
			continue;
		if (memcmp(c->text.p + b - len, w, len - 1) == 0)
			return cp_len(w);
	}
	return 0;
}

static pthread_mutex_t cpset_lock = PTHREAD_MUTEX_INITIALIZER;

void np_cpset_build(np_cpset *s)
{
	pthread_mutex_lock(&cpset_lock);
	if (!atomic_load_explicit(&s->ready, memory_order_relaxed)) {
		for (size_t k = 0; k < s->n; k++)
			if (s->cps[k] < 0x10000)
				s->bits[s->cps[k] / 64] |= (uint64_t)1 << (s->cps[k] % 64);
		atomic_store_explicit(&s->ready, 1, memory_order_release);
	}
	pthread_mutex_unlock(&cpset_lock);
}
