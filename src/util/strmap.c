#include "util/strmap.h"

#include <stdlib.h>

#include "util/hash.h"

void np_strmap_init(np_strmap *m) { memset(m, 0, sizeof *m); }

void np_strmap_dispose(np_strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static np_strmap_slot *find(const np_strmap *m, np_str key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)np_hash64(key.p, key.len) & mask;
	while (m->slots[i].used && !np_str_eq(m->slots[i].key, key))
		i = (i + 1) & mask;
	return &m->slots[i];
}

static void rehash(np_strmap *m)
{
	np_strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = np_xcalloc(m->cap, sizeof *m->slots);
	m->len = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].used)
			np_strmap_put(m, old.slots[i].key, old.slots[i].val);
	free(old.slots);
}

bool np_strmap_put(np_strmap *m, np_str key, size_t val)
{
	if ((m->len + 1) * 4 >= m->cap * 3)
		rehash(m);
	np_strmap_slot *s = find(m, key);
	bool fresh = !s->used;
	s->key = key;
	s->val = val;
	s->used = true;
	m->len += fresh;
	return fresh;
}

bool np_strmap_get(const np_strmap *m, np_str key, size_t *val)
{
	if (!m->cap)
		return false;
	const np_strmap_slot *s = find(m, key);
	if (!s->used)
		return false;
	*val = s->val;
	return true;
}
