#include "tmpl/value.h"

#include "util/hash.h"

/* Maps up to this many entries are searched linearly: comparing a handful
 * of short keys beats hashing them. */
enum { NP_VMAP_LINEAR = 16 };

static np_value np_null_v = {.type = NP_V_NULL};
static np_value np_true_v = {.type = NP_V_BOOL, .u.b = true};
static np_value np_false_v = {.type = NP_V_BOOL, .u.b = false};

np_value *np_value_null(void)
{
	return &np_null_v;
}

np_value *np_value_bool(bool b)
{
	return b ? &np_true_v : &np_false_v;
}

static np_value *vnew(np_arena *a, np_vtype t)
{
	np_value *v = NP_ANEW(a, np_value);
	v->type = t;
	return v;
}

np_value *np_value_int(np_arena *a, int64_t i)
{
	np_value *v = vnew(a, NP_V_INT);
	v->u.i = i;
	return v;
}

np_value *np_value_str(np_arena *a, np_str s)
{
	np_value *v = vnew(a, NP_V_STR);
	v->u.s = s.p ? s : NP_STR_NULL;
	return v;
}

np_value *np_value_strc(np_arena *a, const char *s)
{
	return s ? np_value_str(a, np_str_from(s)) : np_value_null();
}

np_value *np_value_str_copy(np_arena *a, np_str s)
{
	return np_value_str(a, np_arena_str(a, s));
}

np_value *np_value_safe(np_arena *a, np_str html)
{
	np_value *v = np_value_str(a, html);
	v->safe = true;
	return v;
}

np_value *np_value_date(np_arena *a, int y, int m, int d)
{
	np_value *v = vnew(a, NP_V_DATE);
	v->u.date.y = y;
	v->u.date.m = m;
	v->u.date.d = d;
	return v;
}

np_value *np_value_list(np_arena *a, size_t cap_hint)
{
	np_value *v = vnew(a, NP_V_LIST);
	v->u.list = NP_ANEW(a, np_vlist);
	if (cap_hint) {
		v->u.list->items = NP_ANEWN(a, np_value *, cap_hint);
		v->u.list->cap = cap_hint;
	}
	return v;
}

void np_value_list_push(np_arena *a, np_value *list, np_value *v)
{
	np_vlist *l = list->u.list;
	if (l->len == l->cap) {
		size_t cap = l->cap ? np_mul(l->cap, 2) : 8;
		np_value **items = NP_ANEWN(a, np_value *, cap);
		if (l->len)
			memcpy(items, l->items, l->len * sizeof *items);
		l->items = items;
		l->cap = cap;
	}
	l->items[l->len++] = v ? v : np_value_null();
}

np_value *np_value_map(np_arena *a)
{
	np_value *v = vnew(a, NP_V_MAP);
	v->u.map = NP_ANEW(a, np_vmap);
	return v;
}

/* Slot in m->index holding key, or the empty slot where it would go. */
static size_t index_slot(const np_vmap *m, np_str key)
{
	size_t mask = m->index_cap - 1;
	size_t i = (size_t)np_hash64(key.p, key.len) & mask;
	while (m->index[i] && !np_str_eq(m->items[m->index[i] - 1].key, key))
		i = (i + 1) & mask;
	return i;
}

/* Rebuilds the hash index at twice the entry capacity (load <= 1/2). */
static void index_rebuild(np_arena *a, np_vmap *m)
{
	m->index_cap = 64;
	while (m->index_cap < np_mul(m->cap, 2))
		m->index_cap *= 2;
	m->index = NP_ANEWN(a, uint32_t, m->index_cap);
	for (size_t i = 0; i < m->len; i++)
		m->index[index_slot(m, m->items[i].key)] = (uint32_t)(i + 1);
}

static np_vmap_entry *map_find(const np_vmap *m, np_str key)
{
	if (m->index) {
		uint32_t k = m->index[index_slot(m, key)];
		return k ? &m->items[k - 1] : NULL;
	}
	for (size_t i = 0; i < m->len; i++)
		if (np_str_eq(m->items[i].key, key))
			return &m->items[i];
	return NULL;
}

np_value *np_value_map_sized(np_arena *a, size_t cap)
{
	np_value *v = np_value_map(a);
	if (cap > 0) {
		v->u.map->items = NP_ANEWN(a, np_vmap_entry, cap);
		v->u.map->cap = cap;
		if (cap > NP_VMAP_LINEAR)
			index_rebuild(a, v->u.map);
	}
	return v;
}

void np_value_map_set(np_arena *a, np_value *map, const char *key, np_value *v)
{
	np_vmap *m = map->u.map;
	np_str k = np_str_from(key);
	m->has_digest = false;
	np_vmap_entry *e = map_find(m, k);
	if (e) {
		e->val = v ? v : np_value_null();
		return;
	}
	if (m->len == m->cap) {
		size_t cap = m->cap ? np_mul(m->cap, 2) : 4;
		np_vmap_entry *items = NP_ANEWN(a, np_vmap_entry, cap);
		if (m->len)
			memcpy(items, m->items, m->len * sizeof *items);
		m->items = items;
		m->cap = cap;
		if (m->cap > NP_VMAP_LINEAR)
			index_rebuild(a, m);
	}
	m->items[m->len] = (np_vmap_entry){k, v ? v : np_value_null()};
	m->len++;
	if (m->index)
		m->index[index_slot(m, k)] = (uint32_t)m->len;
}

void np_value_map_set_str(np_arena *a, np_value *map, const char *key, np_str s)
{
	np_value_map_set(a, map, key, s.p ? np_value_str(a, s) : NULL);
}

void np_value_map_set_int(np_arena *a, np_value *map, const char *key, int64_t i)
{
	np_value_map_set(a, map, key, np_value_int(a, i));
}

np_value *np_value_map_copy(np_arena *a, const np_value *map, size_t extra)
{
	const np_vmap *src = map->u.map;
	np_value *v = np_value_map(a);
	np_vmap *m = v->u.map;
	m->cap = np_add(src->len, extra);
	if (m->cap < 4)
		m->cap = 4;
	m->items = NP_ANEWN(a, np_vmap_entry, m->cap);
	if (src->len)
		memcpy(m->items, src->items, src->len * sizeof *m->items);
	m->len = src->len;
	if (m->cap > NP_VMAP_LINEAR)
		index_rebuild(a, m);
	return v;
}

void np_value_map_set_digest(np_value *map, const uint64_t d[2])
{
	map->u.map->has_digest = true;
	map->u.map->digest[0] = d[0], map->u.map->digest[1] = d[1];
}

np_value *np_value_map_get(const np_value *map, np_str key)
{
	np_vmap_entry *e = map_find(map->u.map, key);
	return e ? e->val : NULL;
}

np_value *np_value_lazy(np_arena *a, np_value_thunk fn, void *ud)
{
	np_value *v = vnew(a, NP_V_LAZY);
	v->u.lazy = NP_ANEW(a, np_vlazy);
	v->u.lazy->fn = fn;
	v->u.lazy->ud = ud;
	v->u.lazy->arena = a;
	return v;
}

const np_value *np_value_force(const np_value *v)
{
	if (!v)
		return np_value_null();
	if (v->type != NP_V_LAZY)
		return v;
	np_vlazy *l = v->u.lazy;
	if (!l->forced) {
		l->cached = l->fn(l->ud, l->arena);
		l->forced = true;
	}
	/* A thunk returning another lazy value is forced as well. */
	return l->cached ? np_value_force(l->cached) : np_value_null();
}

bool np_value_truthy(const np_value *v)
{
	v = np_value_force(v);
	switch (v->type) {
	case NP_V_NULL:
	case NP_V_UNDEF:
		return false;
	case NP_V_BOOL:
		return v->u.b;
	case NP_V_INT:
		return v->u.i != 0;
	case NP_V_STR:
		return v->u.s.len != 0;
	case NP_V_LIST:
		return v->u.list->len != 0;
	case NP_V_MAP:
		return v->u.map->len != 0;
	case NP_V_DATE:
	case NP_V_LAZY:
	case NP_V_LOOP:
		return true;
	}
	return false;
}

const char *np_value_type_name(const np_value *v)
{
	static const char *const names[] = {"null", "bool", "int",  "string",     "list",
	                                    "map",  "date", "lazy", "loop state", "undefined"};
	return names[np_value_force(v)->type];
}
