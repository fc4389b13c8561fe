/* A growable list of borrowed strings whose storage lives in an arena (the
 * lists of a record: authors, regions, captions...). */
#ifndef NP_UTIL_STRLIST_H
#define NP_UTIL_STRLIST_H

#include <stdbool.h>

#include "util/arena.h"
#include "util/buf.h"

typedef struct np_strlist {
	np_str *items;
	size_t len, cap;
} np_strlist;

/* Appends s (not copied: it must live as long as the arena). */
void np_strlist_add(np_strlist *l, np_arena *a, np_str s);
/* Appends s unless an equal string is already there. */
void np_strlist_add_unique(np_strlist *l, np_arena *a, np_str s);
bool np_strlist_has(const np_strlist *l, np_str s);

#endif
