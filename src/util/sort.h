/* Sorting lists that are mostly in order already, and long ones on two
 * threads. */
#ifndef NP_UTIL_SORT_H
#define NP_UTIL_SORT_H

#include <stddef.h>

typedef int (*np_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sorts n elements of size bytes at base by cmp: an insertion sort, which
 * moves only what is out of place and takes one pass over a list a few
 * elements off, handing over to qsort_r once it has moved more than
 * budget elements.  Both are stable (glibc's qsort_r is a merge sort), so
 * the order is the same either way when cmp is a total order or ties are
 * left in their first order.  For lists whose elements are each a place
 * or two off (np_sort_runs takes a few comparisons per element there). */
void np_sort_nearly(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx, size_t budget);

/* A stable natural merge sort of n elements of size bytes at base by cmp.
 * It takes the runs already in order as they come (short ones lengthened
 * to a few dozen by binary insertion), and merges neighbours only where
 * they overlap: the ends already in place are found by binary search and
 * left alone.  A sorted list costs n - 1 comparisons and no copy; a list
 * of sorted blocks out of order only at their seams (articles grouped by
 * issue) costs a few comparisons per element and copies only the seams;
 * a list interleaved at every scale costs a merge sort's n log n.
 * Scratch: the shorter side of the largest merge, allocated only when a
 * merge needs it.  Meant for small elements (pointers, indexes, small
 * structs): each move copies size bytes. */
void np_sort_runs(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx);

/* The same for elements too large to move often (the site model's
 * articles, some 500 bytes): pointers to them are sorted, then each element
 * is moved once, along the permutation's cycles, with one element of
 * scratch. */
void np_sort_runs_large(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx);

/* A stable sort of n elements in any order on two threads: pointers to
 * the two halves sorted at once (qsort_r, glibc's merge sort), merged by
 * np_sort_runs, then each element moved once as np_sort_runs_large does.
 * For long lists interleaved at every scale (the build's list of outputs,
 * made in the order pages finished on all workers), where a run sort
 * alone gains nothing; below a few thousand elements it is one qsort_r. */
void np_sort_halves(void *base, size_t n, size_t size, np_cmp_fn cmp, void *ctx);

#endif
