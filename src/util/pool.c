#define _POSIX_C_SOURCE 200809L
#include "util/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/buf.h"

unsigned np_pool_default_threads(void)
{
	const char *e = getenv("NEWSPRINT_THREADS");
	if (e && *e) {
		long v = strtol(e, NULL, 10);
		if (v >= 1 && v <= 256)
			return (unsigned)v;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n >= 1 ? (unsigned)(n > 256 ? 256 : n) : 1;
}

typedef struct job {
	atomic_size_t next;
	size_t n;
	np_pool_fn fn;
	void *ctx;
} job;

typedef struct worker_arg {
	job *j;
	unsigned id;
} worker_arg;

static void *run(void *p)
{
	worker_arg *w = p;
	for (;;) {
		size_t i = atomic_fetch_add(&w->j->next, 1);
		if (i >= w->j->n)
			break;
		w->j->fn(w->j->ctx, i, w->id);
	}
	return NULL;
}

void np_pool_for(unsigned threads, size_t n, np_pool_fn fn, void *ctx)
{
	if (threads <= 1 || n <= 1) {
		for (size_t i = 0; i < n; i++)
			fn(ctx, i, 0);
		return;
	}
	if (threads > n)
		threads = (unsigned)n;
	job j = {.n = n, .fn = fn, .ctx = ctx};
	atomic_init(&j.next, 0);
	pthread_t *t = np_xcalloc(threads, sizeof *t);
	worker_arg *args = np_xcalloc(threads, sizeof *args);
	for (unsigned k = 1; k < threads; k++) {
		args[k] = (worker_arg){&j, k};
		if (pthread_create(&t[k], NULL, run, &args[k]) != 0)
			args[k].j = NULL; /* fewer workers; the loop still finishes */
	}
	args[0] = (worker_arg){&j, 0};
	run(&args[0]);
	for (unsigned k = 1; k < threads; k++)
		if (args[k].j)
			pthread_join(t[k], NULL);
	free(t);
	free(args);
}

void np_task_start(np_task *t, void *(*fn)(void *), void *arg)
{
	t->apart = pthread_create(&t->thread, NULL, fn, arg) == 0;
	if (!t->apart)
		fn(arg);
}

void np_task_wait(np_task *t)
{
	if (t->apart)
		pthread_join(t->thread, NULL);
	t->apart = false;
}
