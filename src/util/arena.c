#include "util/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct np_arena_chunk {
	np_arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

/* Chunks start small (an arena per page or job) and double up to 8 MB, so
 * an arena that holds a whole archive's records takes few chunks, each in
 * huge pages (np_xmalloc_huge): one page fault per 2 MB, not per 4 KB. */
enum { NP_ARENA_MIN = 64 * 1024, NP_ARENA_MAX = 8 * 1024 * 1024 };

void np_arena_init(np_arena *a)
{
	a->head = NULL;
	a->chunk_size = NP_ARENA_MIN;
}

static void free_chunks(np_arena_chunk *c)
{
	while (c) {
		np_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
}

void np_arena_dispose(np_arena *a)
{
	free_chunks(a->head);
	a->head = NULL;
	a->chunk_size = NP_ARENA_MIN; /* disposed arenas are used again */
}

#ifdef NP_ARENA_DEBUG
void np_arena_reset(np_arena *a)
{
	np_arena_dispose(a); /* every object is its own malloc: nothing to keep */
}

void *np_arena_alloc(np_arena *a, size_t n)
{
	np_arena_chunk *c = np_xmalloc(np_add(sizeof *c, n));
	c->used = c->size = n;
	c->next = a->head;
	a->head = c;
	return c->data;
}
#else
void np_arena_reset(np_arena *a)
{
	np_arena_chunk *keep = a->head;
	if (!keep)
		return;
	free_chunks(keep->next);
	keep->next = NULL;
	keep->used = 0;
}

void *np_arena_alloc(np_arena *a, size_t n)
{
	n = np_add(n, 15) & ~(size_t)15;
	np_arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > a->chunk_size / 4 ? n : a->chunk_size;
		c = np_xmalloc_huge(np_add(sizeof *c, size));
		if (size == a->chunk_size && a->chunk_size < NP_ARENA_MAX)
			a->chunk_size *= 2;
		c->size = size;
		c->used = 0;
		if (size == n && a->head) {
			/* A big object gets its own chunk behind the current one,
			 * so the current chunk's free space is not wasted. */
			c->next = a->head->next;
			a->head->next = c;
			c->used = n;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}
#endif

void *np_arena_zalloc(np_arena *a, size_t n)
{
	void *p = np_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *np_arena_strdup(np_arena *a, np_str s)
{
	char *d = np_arena_alloc(a, np_add(s.len, 1));
	if (s.len)
		memcpy(d, s.p, s.len);
	d[s.len] = '\0';
	return d;
}

np_str np_arena_str(np_arena *a, np_str s)
{
	return (np_str){np_arena_strdup(a, s), s.len};
}

char *np_arena_printf(np_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *d = np_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(d, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
	va_end(ap2);
	return d;
}

void *np_arena_grow(np_arena *a, void *items, size_t len, size_t *cap, size_t elem)
{
	if (len < *cap)
		return items;
	size_t n = *cap ? np_mul(*cap, 2) : 8;
	void *bigger = np_arena_alloc(a, np_mul(n, elem));
	if (len)
		memcpy(bigger, items, len * elem);
	*cap = n;
	return bigger;
}
