/* Throughput of metadata extraction (src/meta/):
 *  - gazetteer build time (3,243 regions, one automaton over all names);
 *  - the automaton alone on page-sized texts (~10 KB) and on one long text,
 *    to show matching stays linear in the text's length;
 *  - adversarial texts (a name repeated back to back, a name's prefix
 *    repeated), which must not be slower per byte;
 *  - np_meta_extract() on page-sized articles (dates, regions, places,
 *    events, people together).
 * Texts are built from sentences written for this benchmark.  Prints MB/s
 * (MB = 10^6 bytes), best of three runs, one thread.
 *
 *   ./bench/bench_meta [target-MB] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "meta/match.h"
#include "meta/meta.h"

static const char *const sentences[] = {
    "8月26日，全国社会工作助力乡村振兴大会在宁夏回族自治区灵武市举行。",
    "云南省昆明市官渡区民政局局长王芳分享了社会工作专业助推社会治理的经验。",
    "黔南州在福泉市召开社会工作现场会，毕节市威宁县和黔西南州兴仁市探索新模式。",
    "社会工作事关国家长治久安，得到中山大学、兰州大学等高校支持。",
    "“牵手计划”各项工作落实落地，创新实施“五社联动”试点工作。",
    "12月5日至8日，全过程基层民主推进会暨城乡社区工作创新经验交流会在成都举办。",
    "廊坊市、石家庄市、保定市、霸州市分别就社工站全覆盖作了交流发言。",
    "社工是党和政府联系基层群众的桥梁纽带，为大家搭建平台。",
    "北京市朝阳区社会组织联合会介绍了社会组织助推乡村振兴的经验。",
    "近日，第二届闽台社会工作与社会服务研讨会在福州马尾举行。",
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A text of about n bytes cycling through the sentences, a paragraph
 * break every four. */
static void make_text(np_buf *b, size_t n, size_t salt)
{
	np_buf_clear(b);
	for (size_t i = salt; b->len < n; i++) {
		np_buf_puts(b, sentences[i % (sizeof sentences / sizeof sentences[0])]);
		if (i % 4 == 3)
			np_buf_puts(b, "\n\n");
	}
}

static int count_match(void *ctx, size_t s, size_t e, int32_t id)
{
	(void)s;
	(void)e;
	(void)id;
	(*(size_t *)ctx)++;
	return 0;
}

/* Best of three: MB/s of scanning texts[0..n) with the automaton. */
static double scan_rate(const np_ac *ac, const np_buf *texts, size_t n, size_t *matches)
{
	double best = 1e30;
	size_t bytes = 0;
	for (int run = 0; run < 3; run++) {
		double t0 = now();
		*matches = 0;
		bytes = 0;
		for (size_t i = 0; i < n; i++) {
			np_ac_scan(ac, np_str_of(&texts[i]), count_match, matches);
			bytes += texts[i].len;
		}
		double dt = now() - t0;
		best = dt < best ? dt : best;
	}
	return (double)bytes / 1e6 / best;
}

static double extract_rate(const np_buf *texts, size_t n)
{
	double best = 1e30;
	size_t bytes = 0;
	for (int run = 0; run < 3; run++) {
		np_diags d;
		np_diags_init(&d);
		double t0 = now();
		bytes = 0;
		for (size_t i = 0; i < n; i++) {
			np_arena a;
			np_arena_init(&a);
			np_article x = {.title = NP_STR("全国社会工作助力乡村振兴大会在宁夏举行"),
			                .body = np_str_of(&texts[i])};
			np_meta_opts o = {.issue = {2022, 8, 30}};
			np_meta_extract(&x, &o, &a, &d);
			bytes += texts[i].len;
			np_arena_dispose(&a);
		}
		double dt = now() - t0;
		best = dt < best ? dt : best;
		np_diags_dispose(&d);
	}
	return (double)bytes / 1e6 / best;
}

static void repeat(np_buf *b, const char *unit, size_t n)
{
	np_buf_clear(b);
	while (b->len < n)
		np_buf_puts(b, unit);
}

int main(int argc, char **argv)
{
	size_t target = (size_t)(argc > 1 ? atof(argv[1]) : 16) * 1000000;
	size_t pages = target / 10000;
	np_buf *texts = np_xcalloc(pages, sizeof *texts);
	size_t matches;

	double t0 = now();
	const np_gazetteer *g = np_gazetteer_builtin();
	printf("gazetteer build      %8.1f ms  (%zu regions)\n", (now() - t0) * 1e3,
	       np_gazetteer_count(g));
	const np_ac *ac = np_gazetteer_ac(g);

	for (size_t i = 0; i < pages; i++)
		make_text(&texts[i], 10000, i);
	double r = scan_rate(ac, texts, pages, &matches);
	printf("match, 10 KB pages   %8.1f MB/s  (%zu pages, %zu matches)\n", r, pages, matches);
	np_buf big;
	np_buf_init(&big);
	make_text(&big, target, 0);
	printf("match, one %2zu MB text %7.1f MB/s\n", target / 1000000,
	       scan_rate(ac, &big, 1, &matches));
	repeat(&big, "北京", target);
	printf("match, 北京 repeated  %7.1f MB/s  (%zu matches)\n",
	       scan_rate(ac, &big, 1, &matches), matches);
	repeat(&big, "宁夏回族自治", target);
	printf("match, prefix repeated %6.1f MB/s\n", scan_rate(ac, &big, 1, &matches));
	size_t n_ex = pages < 400 ? pages : 400;
	printf("extract, 10 KB pages %8.1f MB/s  (%zu pages)\n", extract_rate(texts, n_ex), n_ex);

	for (size_t i = 0; i < pages; i++)
		np_buf_dispose(&texts[i]);
	free(texts);
	np_buf_dispose(&big);
	return 0;
}
