#include "util/strlist.h"

void np_strlist_add(np_strlist *l, np_arena *a, np_str s)
{
	NP_APUSH(a, l->items, l->len, l->cap, s);
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
