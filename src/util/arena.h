/* Bump-pointer arena: many small allocations freed together (one per page
 * during ingest, one per build phase).  Built with -DNP_ARENA_DEBUG=ON every
 * allocation goes through malloc so ASan and valgrind see each object. */
#ifndef NP_UTIL_ARENA_H
#define NP_UTIL_ARENA_H

#include <stddef.h>

#include "util/buf.h"

typedef struct np_arena_chunk np_arena_chunk;
typedef struct np_arena {
	np_arena_chunk *head;
	size_t chunk_size;
} np_arena;

void np_arena_init(np_arena *a);
/* Frees every allocation made from a; a can be reused afterwards. */
void np_arena_dispose(np_arena *a);
/* Frees everything allocated in a but keeps its newest chunk for reuse: for
 * an arena emptied after each of many small jobs, so that the chunk is not
 * handed back to malloc (and its pages faulted in again) every time. */
void np_arena_reset(np_arena *a);
/* n bytes aligned for any type, owned by the arena, uninitialised. */
void *np_arena_alloc(np_arena *a, size_t n);
void *np_arena_zalloc(np_arena *a, size_t n);
#define NP_ANEW(a, T) ((T *)np_arena_zalloc((a), sizeof(T)))
#define NP_ANEWN(a, T, n) ((T *)np_arena_zalloc((a), np_mul(sizeof(T), (n))))
/* Room for one more element in an arena-backed vector: returns items (or
 * a copy twice the size, with *cap updated) such that len < *cap.  The old
 * storage stays in the arena until it is disposed. */
void *np_arena_grow(np_arena *a, void *items, size_t len, size_t *cap, size_t elem);
/* Appends *value to the vector (items, len, cap) of element type T. */
#define NP_APUSH(a, items, len, cap, value)                                                     \
	do {                                                                                   \
		(items) = np_arena_grow((a), (items), (len), &(cap), sizeof *(items));        \
		(items)[(len)++] = (value);                                                    \
	} while (0)
/* A NUL-terminated copy of s in the arena. */
char *np_arena_strdup(np_arena *a, np_str s);
np_str np_arena_str(np_arena *a, np_str s);
char *np_arena_printf(np_arena *a, const char *fmt, ...) NP_PRINTF(2, 3);

#endif
