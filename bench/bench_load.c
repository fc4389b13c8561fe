/* Time of np_site_load (records, snapshot, indexes) on an existing site,
 * without rendering: best and median of `runs` loads, wall and CPU.
 *
 *   ./bench/bench_load <site> [threads] [runs] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "site/site.h"

static double clock_of(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_load <site> [threads] [runs]\n");
		return 2;
	}
	unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	for (int r = 0; r < runs; r++) {
		np_diags d;
		np_diags_init(&d);
		double w0 = clock_of(CLOCK_MONOTONIC), c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		np_site *s = np_site_load(argv[1], threads, &d);
		double w1 = clock_of(CLOCK_MONOTONIC), c1 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		printf("load %.3f s wall, %.3f s CPU: %zu articles, %zu events, %zu regions, %zu "
		       "parsed, %zu diagnostics\n",
		       w1 - w0, c1 - c0, s->n_articles, s->n_events, s->n_regions,
		       np_site_n_parsed(s), d.len);
		np_site_free(s);
		np_diags_dispose(&d);
	}
	return 0;
}
