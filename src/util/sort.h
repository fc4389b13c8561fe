/* Sorting lists that are nearly in order already. */
#ifndef NP_UTIL_SORT_H
#define NP_UTIL_SORT_H

#include <stddef.h>

typedef int (*np_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sorts n elements of size bytes at base by cmp: an insertion sort, which
 * moves only what is out of place and takes one pass over a list a few
 * elements off, handing over to qsort_r once it has moved more than
 * budget elements.  Both are stable (glibc's qsort_r is a merge sort), so
 * the order is the same either way when cmp is a total order or ties are
 * left in their first order. */
void np_sort_nearly(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx, size_t budget);

#endif
