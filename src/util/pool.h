/* A fixed-size thread pool for data-parallel loops: np_pool_for() runs
 * fn(ctx, i, worker) for i in [0, n) on all workers and returns when all are
 * done.  Work is handed out in index order from an atomic counter; callers
 * that need deterministic output write results into slot i, never append. */
#ifndef NP_UTIL_POOL_H
#define NP_UTIL_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

typedef void (*np_pool_fn)(void *ctx, size_t i, unsigned worker);

/* Number of worker threads to use: NEWSPRINT_THREADS if set, else the number
 * of online CPUs (at least 1). */
unsigned np_pool_default_threads(void);
/* Runs the loop on `threads` threads (1 = inline on the caller). */
void np_pool_for(unsigned threads, size_t n, np_pool_fn fn, void *ctx);

/* One step run beside the caller's own: np_task_start runs fn(arg) on a
 * thread of its own, or at once on the caller's when no thread can be
 * made; np_task_wait returns when it is done (at once for a task {0}
 * never started). */
typedef struct np_task {
	pthread_t thread;
	bool apart;
} np_task;
void np_task_start(np_task *t, void *(*fn)(void *), void *arg);
void np_task_wait(np_task *t);

#endif
