/* page_dump: prints what page segmentation makes of one raw page, in the
 * plain form the golden tests under tests/golden/pages/ compare against.
 *
 * usage: page_dump [--debug] [--diags] FILE */
#include <stdio.h>
#include <string.h>

#include "page/page.h"
#include "util/err.h"

static void list(const char *key, const np_strlist *l)
{
	printf("  %s:", key);
	for (size_t i = 0; i < l->len; i++)
		printf("%s %.*s", i ? " |" : "", (int)l->items[i].len, l->items[i].p);
	printf("\n");
}

static void field(const char *key, np_str s)
{
	if (s.p)
		printf("  %s: %.*s\n", key, (int)s.len, s.p);
}

static void article(const np_article *A)
{
	printf("article: %.*s\n", (int)A->title.len, A->title.p);
	field("kicker", A->kicker);
	field("subtitle", A->subtitle);
	list("authors", &A->authors);
	field("source", A->source);
	list("captions", &A->captions);
	field("summary", A->summary);
	printf("  body:\n");
	const char *p = A->body.p, *end = A->body.p + A->body.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		printf(n ? "    %.*s\n" : "\n", (int)n, p);
		p += n + 1;
	}
}

int main(int argc, char **argv)
{
	bool debug = false, diags = false;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--debug"))
			debug = diags = true;
		else if (!strcmp(argv[i], "--diags"))
			diags = true;
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: page_dump [--debug] [--diags] FILE\n");
		return 2;
	}
	np_arena a;
	np_diags d;
	np_text t;
	np_page_result r;
	np_arena_init(&a);
	np_diags_init(&d);
	int rc = np_text_load_file(&t, path, NULL, &a, &d);
	if (rc == 0) {
		np_page_opts o = {.source_file = path, .path = path, .debug = debug};
		rc = np_page_parse(&r, &t, &o, &a, &d);
	}
	if (rc == 0) {
		for (size_t i = 0; i < r.n_teasers; i++)
			printf("teaser: page %d: %.*s%s%.*s\n", r.teasers[i].page,
			       (int)r.teasers[i].kicker.len,
			       r.teasers[i].kicker.p ? r.teasers[i].kicker.p : "",
			       r.teasers[i].kicker.p ? " / " : "", (int)r.teasers[i].title.len,
			       r.teasers[i].title.p);
		for (size_t i = 0; i < r.n_articles; i++)
			article(&r.articles[i]);
		printf("page captions:");
		for (size_t i = 0; i < r.captions.len; i++)
			printf("%s %.*s", i ? " |" : "", (int)r.captions.items[i].len,
			       r.captions.items[i].p);
		printf("\n");
	}
	if (diags)
		np_diags_print(&d, stderr);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	return rc ? 1 : 0;
}
