#include "util/strlist.h"

static void grow(np_strlist *l, np_arena *a)
{
	if (l->len < l->cap)
		return;
	size_t cap = l->cap ? l->cap * 2 : 4;
	np_str *n = NP_ANEWN(a, np_str, cap);
	if (l->len)
		memcpy(n, l->items, l->len * sizeof *n);
	l->items = n;
	l->cap = cap;
}

void np_strlist_add(np_strlist *l, np_arena *a, np_str s)
{
	grow(l, a);
	l->items[l->len++] = s;
}

bool np_strlist_has(const np_strlist *l, np_str s)
{
	for (size_t i = 0; i < l->len; i++)
		if (np_str_eq(l->items[i], s))
			return true;
	return false;
}

void np_strlist_add_unique(np_strlist *l, np_arena *a, np_str s)
{
	if (!np_strlist_has(l, s))
		np_strlist_add(l, a, s);
}
