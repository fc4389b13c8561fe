/* Throughput of the text layer: decode, normalise + split into lines, both
 * together, and all that plus joining each block of lines into a paragraph
 * (np_reflow_join from src/text/reflow.c), for UTF-8 and GB18030 input built by repeating a real
 * page slice (tests/data/text/sample.txt) to about 32 MB.  Prints MB/s of input (MB = 10^6 bytes),
 * best of three runs, one thread.
 *
 *   ./bench/bench_text [target-MB] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <unicode/ucnv.h>

#include "text/reflow.h"
#include "text/text.h"
#include "util/err.h"
#include "util/fs.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Joins each run of non-blank lines into one paragraph (np_reflow_join),
 * standing in for the reflow that page/ drives line by line. */
static void join_blocks(const np_text *t)
{
	np_buf para, scratch;
	np_buf_init(&para);
	np_buf_init(&scratch);
	np_str *texts = np_xmalloc(np_mul(t->n + 1, sizeof *texts));
	size_t k = 0;
	for (size_t i = 0; i <= t->n; i++) {
		if (i < t->n && !t->lines[i].blank) {
			texts[k++] = t->lines[i].text;
			continue;
		}
		if (k) {
			np_buf_clear(&para);
			np_reflow_join(&para, texts, k, &scratch);
		}
		k = 0;
	}
	free(texts);
	np_buf_dispose(&para);
	np_buf_dispose(&scratch);
}

/* Seconds for one run of `what` (see report()), best of three. */
static double best_of_3(np_str in, const char *declared, int what)
{
	double best = 1e9;
	for (int r = 0; r < 3; r++) {
		np_buf out;
		np_diags d;
		np_arena a;
		np_text t;
		np_buf_init(&out);
		np_diags_init(&d);
		np_arena_init(&a);
		double t0 = now();
		if (what != 2 && np_text_decode(&out, in.p, in.len, declared, "b", &d, NULL) != 0)
			exit(1);
		if (what != 0)
			np_text_lines(&t, what == 2 ? in : np_str_of(&out), "b", &a);
		if (what == 3)
			join_blocks(&t);
		double dt = now() - t0;
		best = dt < best ? dt : best;
		np_arena_dispose(&a);
		np_diags_dispose(&d);
		np_buf_dispose(&out);
	}
	return best;
}

static void report(const char *name, np_str in, const char *declared)
{
	static const char *const what[] = {"decode", "decode+normalise+lines",
	                                   "normalise+lines (UTF-8 in)",
	                                   "decode+normalise+lines+join"};
	for (int w = 0; w < 4; w++) {
		if (w == 2 && declared)
			continue;
		double s = best_of_3(in, NULL, w);
		printf("%-8s %-28s %8.1f MB in %6.3f s  %7.1f MB/s\n", name, what[w],
		       (double)in.len / 1e6, s, (double)in.len / 1e6 / s);
	}
}

int main(int argc, char **argv)
{
	size_t target = (size_t)(argc > 1 ? atof(argv[1]) : 32.0) * 1000 * 1000;
	np_buf page, utf8, gb;
	np_buf_init(&page);
	np_buf_init(&utf8);
	np_buf_init(&gb);
	if (np_fs_read(NP_SOURCE_DIR "/tests/data/text/sample.txt", &page) != 0) {
		fprintf(stderr, "bench_text: cannot read tests/data/text/sample.txt\n");
		return 1;
	}
	while (utf8.len < target)
		np_buf_put(&utf8, page.data, page.len);
	UErrorCode st = U_ZERO_ERROR;
	np_buf_grow(&gb, utf8.len);
	int32_t n = ucnv_convert("GB18030", "UTF-8", gb.data, (int32_t)gb.cap, utf8.data,
	                         (int32_t)utf8.len, &st);
	if (U_FAILURE(st))
		return 1;
	gb.len = (size_t)n;
	report("UTF-8", np_str_of(&utf8), NULL);
	report("GB18030", np_str_of(&gb), "detect");
	np_buf_dispose(&page);
	np_buf_dispose(&utf8);
	np_buf_dispose(&gb);
	return 0;
}
