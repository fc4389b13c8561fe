#include "util/strmap.h"

#include <stdlib.h>

#include "util/hash.h"

void np_strmap_init(np_strmap *m) { memset(m, 0, sizeof *m); }

void np_strmap_dispose(np_strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

void np_strmap_clear(np_strmap *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof *m->slots);
	m->len = 0;
}

static uint32_t hash_of(np_str key) { return (uint32_t)np_hash64(key.p, key.len); }

static np_strmap_slot *find(const np_strmap *m, np_str key, uint32_t h)
{
	size_t mask = m->cap - 1;
	size_t i = h & mask;
	while (m->slots[i].used && (m->slots[i].h != h || !np_str_eq(m->slots[i].key, key)))
		i = (i + 1) & mask;
	return &m->slots[i];
}

/* Grows to cap slots (a power of two above the load limit). */
static void rehash(np_strmap *m, size_t cap)
{
	np_strmap old = *m;
	m->cap = cap;
	m->slots = np_xcalloc(m->cap, sizeof *m->slots);
	size_t mask = m->cap - 1;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.slots[i].used)
			continue;
		size_t k = old.slots[i].h & mask;
		while (m->slots[k].used)
			k = (k + 1) & mask;
		m->slots[k] = old.slots[i];
	}
	free(old.slots);
}

void np_strmap_reserve(np_strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	while ((n + 1) * 4 >= cap * 3)
		cap *= 2;
	if (cap != m->cap)
		rehash(m, cap);
}

bool np_strmap_put(np_strmap *m, np_str key, size_t val)
{
	if ((m->len + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? m->cap * 2 : 64);
	uint32_t h = hash_of(key);
	np_strmap_slot *s = find(m, key, h);
	bool fresh = !s->used;
	s->key = key;
	s->val = val;
	s->h = h;
	s->used = true;
	m->len += fresh;
	return fresh;
}

bool np_strmap_get(const np_strmap *m, np_str key, size_t *val)
{
	if (!m->cap)
		return false;
	const np_strmap_slot *s = find(m, key, hash_of(key));
	if (!s->used)
		return false;
	*val = s->val;
	return true;
}
