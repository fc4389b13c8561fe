/* Ingest throughput without the file system: the five sample pages,
 * decoded, normalised, segmented and given metadata N times over, on one
 * and on two threads (the same work the ingest driver does per page, minus
 * reading raw files and writing records).  Prints MB/s of raw input.
 *
 * usage: bench_ingest [PAGES]   (default 10000) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "meta/meta.h"
#include "page/page.h"
#include "text/text.h"
#include "util/fs.h"
#include "util/pool.h"

static const char *const pages[] = {
    "content/issues/2022-08-30/07.txt", "content/issues/2023-12-12/07.txt",
    "content/issues/2023-03-21/07.txt", "content/issues/2022-11-08/07.txt",
    "content/issues/2022-08-23/07.txt",
};

typedef struct ctx {
	np_buf raw[5];
	size_t articles[256];
} ctx;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the whole process (both threads): on a loaded machine
 * this, not wall time, says what the code costs. */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ingest_one(void *vc, size_t i, unsigned worker)
{
	ctx *c = vc;
	const np_buf *raw = &c->raw[i % 5];
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_buf utf8;
	np_buf_init(&utf8);
	np_text t;
	np_page_result r;
	np_page_opts po = {.source_file = "p.txt", .path = "p.txt", .issue = NP_STR("2022-08-30"), .page = 7};
	np_meta_opts mo = {.issue = {2022, 8, 30}, .path = "p.txt"};
	if (np_text_decode(&utf8, raw->data, raw->len, NULL, "p.txt", &d, NULL) == 0 &&
	    np_text_lines(&t, np_str_of(&utf8), "p.txt", &a) == 0 &&
	    np_page_parse(&r, &t, &po, &a, &d) == 0) {
		for (size_t k = 0; k < r.n_articles; k++)
			np_meta_extract(&r.articles[k], &mo, &a, &d);
		c->articles[worker] += r.n_articles;
	}
	np_buf_dispose(&utf8);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 10000;
	ctx c = {0};
	size_t bytes = 0;
	np_buf path;
	np_buf_init(&path);
	for (int i = 0; i < 5; i++) {
		np_buf_init(&c.raw[i]);
		np_path_join(&path, NP_SOURCE_DIR, pages[i]);
		if (np_fs_read(path.data, &c.raw[i]) != 0) {
			fprintf(stderr, "cannot read %s\n", path.data);
			return 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		bytes += c.raw[i % 5].len;
	np_gazetteer_builtin(); /* built once, outside the timing */
	printf("ingest of %zu pages (%.1f MB), decode + normalise + segment + metadata:\n", n,
	       (double)bytes / 1e6);
	for (unsigned threads = 1; threads <= 2; threads++) {
		memset(c.articles, 0, sizeof c.articles);
		double t0 = now(), c0 = cpu();
		np_pool_for(threads, n, ingest_one, &c);
		double secs = now() - t0, csecs = cpu() - c0;
		size_t arts = 0;
		for (int k = 0; k < 256; k++)
			arts += c.articles[k];
		printf("  %u thread%s: %.2f s wall, %.1f MB/s; %.2f s CPU, %.1f MB/s per core; %zu articles\n",
		       threads, threads == 1 ? " " : "s", secs, (double)bytes / 1e6 / secs, csecs,
		       (double)bytes / 1e6 / csecs, arts);
	}
	for (int i = 0; i < 5; i++)
		np_buf_dispose(&c.raw[i]);
	np_buf_dispose(&path);
	return 0;
}
