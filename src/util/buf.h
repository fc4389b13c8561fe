/* Owning byte buffer (np_buf) and borrowed slice (np_str).
 *
 * np_buf is never NULL-data once initialised: np_buf_init() points it at a
 * static empty string so callers can always read ->data as a C string.  All
 * lengths are size_t; growth is geometric and overflow-checked.  UTF-8
 * everywhere inside the program.  Allocation failure aborts (np_oom): a
 * static site generator has nothing useful to do without memory, and
 * checking every append would drown the code. */
#ifndef NP_UTIL_BUF_H
#define NP_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

typedef struct np_str {
	const char *p;
	size_t len;
} np_str;

typedef struct np_buf {
	char *data;
	size_t len;
	size_t cap; /* 0 while data points at the static empty string */
} np_buf;

#define NP_STR(lit) ((np_str){(lit), sizeof(lit) - 1})
#define NP_STR_NULL ((np_str){"", 0})

static inline np_str np_str_from(const char *s) { return (np_str){s, s ? strlen(s) : 0}; }
static inline np_str np_str_of(const np_buf *b) { return (np_str){b->data, b->len}; }
static inline bool np_str_eq(np_str a, np_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}
static inline bool np_str_eq_c(np_str a, const char *c) { return np_str_eq(a, np_str_from(c)); }
static inline bool np_str_starts(np_str s, np_str pre)
{
	return s.len >= pre.len && memcmp(s.p, pre.p, pre.len) == 0;
}
static inline bool np_str_ends(np_str s, np_str suf)
{
	return s.len >= suf.len && memcmp(s.p + s.len - suf.len, suf.p, suf.len) == 0;
}
static inline np_str np_str_sub(np_str s, size_t off, size_t len)
{
	if (off > s.len)
		off = s.len;
	if (len > s.len - off)
		len = s.len - off;
	return (np_str){s.p + off, len};
}
/* Index of the first occurrence of needle in s, or (size_t)-1. */
size_t np_str_find(np_str s, np_str needle);
/* s without leading and trailing ASCII whitespace and U+3000. */
np_str np_str_trim(np_str s);

_Noreturn void np_oom(void);
void *np_xmalloc(size_t n);
void *np_xcalloc(size_t n, size_t size);
void *np_xrealloc(void *p, size_t n);
/* Blocks of 4 MB or more from these ask for transparent huge pages
 * (util/buf.c).  np_xmalloc_huge is for a block that is filled densely:
 * from 4 MB on it is aligned to 2 MB and rounded up to it, all of it in
 * huge pages where the kernel has them.  Freed with free(). */
void *np_xmalloc_huge(size_t n);
char *np_xstrndup(const char *s, size_t n);
/* a*b or abort on overflow. */
size_t np_mul(size_t a, size_t b);
size_t np_add(size_t a, size_t b);

void np_buf_init(np_buf *b);
void np_buf_dispose(np_buf *b);
/* Make room for n more bytes (plus the NUL). */
void np_buf_grow(np_buf *b, size_t n);
void np_buf_clear(np_buf *b);
void np_buf_put(np_buf *b, const void *p, size_t n);
static inline void np_buf_puts(np_buf *b, const char *s) { np_buf_put(b, s, strlen(s)); }
static inline void np_buf_putstr(np_buf *b, np_str s) { np_buf_put(b, s.p, s.len); }
void np_buf_putc(np_buf *b, char c);
/* Append the UTF-8 encoding of code point cp (invalid cps become U+FFFD). */
void np_buf_put_cp(np_buf *b, uint32_t cp);
void np_buf_printf(np_buf *b, const char *fmt, ...) NP_PRINTF(2, 3);
void np_buf_vprintf(np_buf *b, const char *fmt, va_list ap) NP_PRINTF(2, 0);
void np_buf_truncate(np_buf *b, size_t len);
/* Hand the heap string to the caller (who frees it) and reset b. */
char *np_buf_detach(np_buf *b);

#endif
