#define _GNU_SOURCE /* qsort_r */
#include "util/sort.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

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
