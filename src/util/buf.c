#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/utf8.h"

static char np_empty[1];

_Noreturn void np_oom(void)
{
	fputs("newsprint: out of memory\n", stderr);
	abort();
}

/* Big blocks (the model's arrays, string maps, fingerprint stores, the
 * arenas' larger chunks) ask the kernel for transparent huge pages where
 * it gives them only on request (transparent_hugepage=madvise, Debian's
 * default): one fault per 2 MB instead of one per 4 KB.  They are filled
 * densely, so little is wasted.  With the arenas' chunks (util/arena.c)
 * this took a build after one new issue at 100,000 articles from 85,000
 * page faults to 29,000 and from 3.1 s to 2.4 s on a VM where a fault
 * costs several microseconds.  The hint covers the whole pages inside the
 * block; it is advice, and any failure (no THP, an old kernel) changes
 * nothing. */
enum { NP_HUGE_MIN = 4u << 20 };

static void advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n < NP_HUGE_MIN)
		return;
	long ps = sysconf(_SC_PAGESIZE); /* blocks this big are few: no cache */
	size_t page = ps > 0 ? (size_t)ps : 4096;
	uintptr_t start = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p, (void)n;
#endif
}

void *np_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		np_oom();
	advise_huge(p, n);
	return p;
}

void *np_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		np_oom();
	advise_huge(p, n * size); /* calloc checked the product */
	return p;
}

void *np_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		np_oom();
	advise_huge(q, n);
	return q;
}

void *np_xmalloc_huge(size_t n)
{
	enum { HUGE = 2u << 20 };
	if (n < NP_HUGE_MIN)
		return np_xmalloc(n);
	void *p;
	if (posix_memalign(&p, HUGE, np_add(n, HUGE - 1) & ~(size_t)(HUGE - 1)) != 0)
		np_oom();
	advise_huge(p, n);
	return p;
}

char *np_xstrndup(const char *s, size_t n)
{
	char *d = np_xmalloc(np_add(n, 1));
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

size_t np_mul(size_t a, size_t b)
{
	size_t r;
	if (__builtin_mul_overflow(a, b, &r))
		np_oom();
	return r;
}

size_t np_add(size_t a, size_t b)
{
	size_t r;
	if (__builtin_add_overflow(a, b, &r))
		np_oom();
	return r;
}

size_t np_str_find(np_str s, np_str needle)
{
	if (needle.len == 0)
		return 0;
	if (needle.len > s.len)
		return (size_t)-1;
	const char *end = s.p + s.len - needle.len + 1;
	for (const char *q = s.p; q < end;) {
		q = memchr(q, needle.p[0], (size_t)(end - q));
		if (!q)
			break;
		if (memcmp(q, needle.p, needle.len) == 0)
			return (size_t)(q - s.p);
		q++;
	}
	return (size_t)-1;
}

static size_t space_at(const char *p, size_t avail)
{
	if (avail >= 1 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r' ||
	                   p[0] == '\f' || p[0] == '\v'))
		return 1;
	if (avail >= 3 && (unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0x80)
		return 3;
	return 0;
}

np_str np_str_trim(np_str s)
{
	size_t n;
	while (s.len && (n = space_at(s.p, s.len)) != 0) {
		s.p += n;
		s.len -= n;
	}
	for (;;) {
		if (s.len && space_at(s.p + s.len - 1, 1)) {
			s.len--;
		} else if (s.len >= 3 && space_at(s.p + s.len - 3, 3) == 3) {
			s.len -= 3;
		} else {
			break;
		}
	}
	return s;
}

void np_buf_init(np_buf *b)
{
	b->data = np_empty;
	b->len = 0;
	b->cap = 0;
}

void np_buf_dispose(np_buf *b)
{
	if (b->cap)
		free(b->data);
	np_buf_init(b);
}

void np_buf_grow(np_buf *b, size_t n)
{
	size_t need = np_add(np_add(b->len, n), 1);
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = np_mul(cap, 2);
	if (b->cap) {
		b->data = np_xrealloc(b->data, cap);
	} else {
		b->data = np_xmalloc(cap);
		b->data[0] = '\0';
	}
	b->cap = cap;
}

void np_buf_clear(np_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void np_buf_put(np_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	np_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void np_buf_putc(np_buf *b, char c)
{
	np_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void np_buf_put_cp(np_buf *b, uint32_t cp)
{
	char tmp[4];
	size_t n = np_utf8_encode(cp, tmp);
	np_buf_put(b, tmp, n);
}

void np_buf_vprintf(np_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	np_buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void np_buf_printf(np_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	np_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void np_buf_truncate(np_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

char *np_buf_detach(np_buf *b)
{
	char *d = b->cap ? b->data : np_xstrndup("", 0);
	np_buf_init(b);
	return d;
}
