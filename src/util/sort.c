#define _GNU_SOURCE /* qsort_r */
#include "util/sort.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/pool.h"

/* Runs shorter than this are lengthened by binary insertion. */
enum { MIN_RUN = 32 };

typedef struct sorter {
	unsigned char *a;
	size_t size;
	np_cmp_fn cmp;
	void *ctx;
	unsigned char *tmp;
	size_t tmp_cap; /* elements */
} sorter;

#define AT(s, i) ((s)->a + (size_t)(i) * (s)->size)

static int cmp_at(const sorter *s, const void *x, const void *y)
{
	return s->cmp(x, y, s->ctx);
}

/* The first index in [lo, hi) whose element is greater than x (after
 * every equal one: stable). */
static size_t upper_bound(const sorter *s, size_t lo, size_t hi, const void *x)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_at(s, AT(s, mid), x) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first index in [lo, hi) whose element is not less than x. */
static size_t lower_bound(const sorter *s, size_t lo, size_t hi, const void *x)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_at(s, AT(s, mid), x) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sorts [lo, hi), whose [lo, sorted) is in order, by binary insertion. */
static void insertion(sorter *s, size_t lo, size_t sorted, size_t hi, unsigned char *x)
{
	for (size_t i = sorted; i < hi; i++) {
		size_t at = upper_bound(s, lo, i, AT(s, i));
		if (at == i)
			continue;
		memcpy(x, AT(s, i), s->size);
		memmove(AT(s, at + 1), AT(s, at), (i - at) * s->size);
		memcpy(AT(s, at), x, s->size);
	}
}

static void reserve(sorter *s, size_t n)
{
	if (n <= s->tmp_cap)
		return;
	free(s->tmp);
	s->tmp = np_xmalloc(np_mul(n, s->size));
	s->tmp_cap = n;
}

/* Merges the neighbouring sorted runs [lo, mid) and [mid, hi). */
static void merge(sorter *s, size_t lo, size_t mid, size_t hi)
{
	if (lo == mid || mid == hi || cmp_at(s, AT(s, mid - 1), AT(s, mid)) <= 0)
		return; /* in order already */
	/* What stays: the left run's head up to the first element past the
	 * right run's first, and the right run's tail from the first element
	 * not less than the left run's last. */
	lo = upper_bound(s, lo, mid, AT(s, mid));
	hi = lower_bound(s, mid, hi, AT(s, mid - 1));
	size_t nl = mid - lo, nr = hi - mid, z = s->size;
	if (nl <= nr) { /* the left side to scratch, merged from the front */
		reserve(s, nl);
		memcpy(s->tmp, AT(s, lo), nl * z);
		size_t i = 0, j = mid, k = lo;
		while (i < nl && j < hi) {
			if (cmp_at(s, AT(s, j), s->tmp + i * z) < 0)
				memcpy(AT(s, k++), AT(s, j++), z);
			else
				memcpy(AT(s, k++), s->tmp + i++ * z, z);
		}
		memcpy(AT(s, k), s->tmp + i * z, (nl - i) * z);
	} else { /* the right side to scratch, merged from the back */
		reserve(s, nr);
		memcpy(s->tmp, AT(s, mid), nr * z);
		size_t i = mid, j = nr, k = hi; /* i, j: one past the next to take */
		while (i > lo && j > 0) {
			if (cmp_at(s, s->tmp + (j - 1) * z, AT(s, i - 1)) < 0)
				memcpy(AT(s, --k), AT(s, --i), z);
			else
				memcpy(AT(s, --k), s->tmp + --j * z, z);
		}
		memcpy(AT(s, lo), s->tmp, j * z);
	}
}

void np_sort_runs(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx)
{
	if (n < 2)
		return;
	sorter s = {base, size, cmp, ctx, NULL, 0};
	/* The runs' ends: strictly descending runs are reversed (no equal
	 * elements in them, so the sort stays stable), short runs lengthened. */
	size_t *ends = np_xmalloc(np_mul(n / MIN_RUN + 2, sizeof *ends)), n_runs = 0;
	unsigned char *x = np_xmalloc(size);
	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		if (hi < n && cmp(AT(&s, lo), AT(&s, hi), ctx) > 0) {
			while (hi + 1 < n && cmp(AT(&s, hi), AT(&s, hi + 1), ctx) > 0)
				hi++;
			hi++;
			for (size_t i = lo, j = hi - 1; i < j; i++, j--) {
				memcpy(x, AT(&s, i), size);
				memcpy(AT(&s, i), AT(&s, j), size);
				memcpy(AT(&s, j), x, size);
			}
		} else if (hi < n) { /* lo, lo + 1 in order: compared once */
			for (hi++; hi < n && cmp(AT(&s, hi - 1), AT(&s, hi), ctx) <= 0;)
				hi++;
		}
		if (hi - lo < MIN_RUN && hi < n) {
			size_t end = n - lo < MIN_RUN ? n : lo + MIN_RUN;
			insertion(&s, lo, hi, end, x);
			hi = end;
		}
		ends[n_runs++] = hi;
		lo = hi;
	}
	free(x);
	/* Neighbours merged pairwise, level by level. */
	while (n_runs > 1) {
		size_t m = 0;
		for (size_t r = 0; r < n_runs; r += 2) {
			if (r + 1 < n_runs)
				merge(&s, r ? ends[r - 1] : 0, ends[r], ends[r + 1]);
			ends[m++] = ends[r + 1 < n_runs ? r + 1 : r];
		}
		n_runs = m;
	}
	free(ends);
	free(s.tmp);
}

typedef struct ptr_ctx {
	np_cmp_fn cmp;
	void *ctx;
} ptr_ctx;

static int cmp_ptr(const void *x, const void *y, void *vctx)
{
	const ptr_ctx *c = vctx;
	return c->cmp(*(void *const *)x, *(void *const *)y, c->ctx);
}

/* Moves the n elements of size bytes at a so that position i holds the
 * element p[i] points at (p: a permutation of pointers into a): each
 * cycle is followed once, every element moved once, with one element of
 * scratch.  p is left pointing at each position. */
static void permute(unsigned char *a, size_t n, size_t size, unsigned char **p)
{
	unsigned char *x = np_xmalloc(size);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == a + i * size)
			continue;
		memcpy(x, a + i * size, size);
		size_t j = i;
		for (;;) {
			size_t from = (size_t)(p[j] - a) / size;
			p[j] = a + j * size;
			if (from == i) {
				memcpy(a + j * size, x, size);
				break;
			}
			memcpy(a + j * size, a + from * size, size);
			j = from;
		}
	}
	free(x);
}

static unsigned char **pointers_to(unsigned char *a, size_t n, size_t size)
{
	unsigned char **p = np_xmalloc(np_mul(n, sizeof *p));
	for (size_t i = 0; i < n; i++)
		p[i] = a + i * size;
	return p;
}

void np_sort_runs_large(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx)
{
	if (n < 2)
		return;
	unsigned char **p = pointers_to(base, n, size);
	ptr_ctx pc = {cmp, ctx};
	np_sort_runs(p, n, sizeof *p, cmp_ptr, &pc);
	permute(base, n, size, p);
	free(p);
}

/* One half of np_sort_halves, sorted on a thread of its own. */
typedef struct half {
	unsigned char **p;
	size_t n;
	ptr_ctx *pc;
	np_task task;
} half;

static void *sort_half(void *arg)
{
	half *h = arg;
	qsort_r(h->p, h->n, sizeof *h->p, cmp_ptr, h->pc);
	return NULL;
}

void np_sort_halves(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx)
{
	enum { SMALL = 4096 }; /* below this a thread costs more than it saves */
	if (n < SMALL) {
		if (n > 1)
			qsort_r(base, n, size, cmp, ctx);
		return;
	}
	unsigned char **p = pointers_to(base, n, size);
	ptr_ctx pc = {cmp, ctx};
	half left = {p, n / 2, &pc, {0}};
	np_task_start(&left.task, sort_half, &left);
	qsort_r(p + n / 2, n - n / 2, sizeof *p, cmp_ptr, &pc);
	np_task_wait(&left.task);
	/* Two runs now: np_sort_runs merges them, stably (left first on a
	 * tie), only where they overlap. */
	np_sort_runs(p, n, sizeof *p, cmp_ptr, &pc);
	permute(base, n, size, p);
	free(p);
}

void np_sort_nearly(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx, size_t budget)
{
	unsigned char *a = base, *x = NULL;
	size_t moves = 0;
	for (size_t i = 1; i < n; i++) {
		if (cmp(a + (i - 1) * size, a + i * size, ctx) <= 0)
			continue;
		if (!x)
			x = np_xmalloc(size);
		memcpy(x, a + i * size, size);
		size_t j = i;
		for (; j > 0 && cmp(a + (j - 1) * size, x, ctx) > 0; j--)
			;
		memmove(a + (j + 1) * size, a + j * size, (i - j) * size);
		memcpy(a + j * size, x, size);
		moves += i - j;
		if (moves > budget) {
			qsort_r(a, n, size, cmp, ctx);
			break;
		}
	}
	free(x);
}
