/* fuzz_page: the whole ingest of one raw page, as src/build/ingest.c and
 * ingest_write.c do it, without the files: decode (detected encoding),
 * positioned lines, np_page_parse(), np_meta_extract() on each article, ids
 * and slugs, then the records and the page record as ingest writes them.
 *
 * Contracts checked:
 *  - segmentation and metadata never crash, whatever the text;
 *  - each article has a title (a record without one is refused by build:
 *    ingest would write records its own build rejects) and positions
 *    inside the page;
 *  - slugs are a single safe path component (they become folder names
 *    under public/);
 *  - every record ingest would write parses back to the same article and
 *    rewrites to the same bytes; so does pages.yaml.
 *  - with --debug tracing on, diagnostics stay valid UTF-8 (the trace
 *    quotes the start of each block).
 * The page is ingested with an issue date when the input's length is even
 * and without one (np_meta_page_year) when it is odd, so both paths run;
 * tracing (ingest --debug) is on when the length is a multiple of 3. */
#include <string.h>

#include "fuzz.h"
#include "meta/meta.h"
#include "page/page.h"
#include "record/record.h"
#include "text/text.h"
#include "util/arena.h"
#include "util/fs.h"
#include "util/translit.h"

#define PATH "content/issues/2022-08-30/07.txt"

static void assign_id_and_slug(np_article *art, size_t k, bool dated, np_arena *a)
{
	art->id = np_str_from(np_arena_printf(a, "%s-07-%zu", dated ? "2022-08-30" : "undated", k + 1));
	np_buf slug;
	np_buf_init(&slug);
	np_slugify(&slug, art->title);
	if (slug.len == 0)
		np_buf_printf(&slug, "article-%s", art->id.p);
	FUZZ_CHECK(slug.len <= NP_SLUG_MAX || np_str_starts(np_str_of(&slug), NP_STR("article-")));
	FUZZ_CHECK(np_path_is_safe_rel(np_str_of(&slug)));
	FUZZ_CHECK(memchr(slug.data, '/', slug.len) == NULL);
	art->slug = np_arena_str(a, np_str_of(&slug));
	np_buf_dispose(&slug);
}

static void check_pages_round_trip(const np_page_result *r, const np_article *arts, bool dated,
                                   np_arena *a)
{
	np_page_entry e = {.page = 7, .source_file = NP_STR(PATH), .teasers = r->teasers,
	                   .n_teasers = r->n_teasers, .captions = r->captions};
	for (size_t k = 0; k < r->n_articles; k++)
		np_strlist_add(&e.articles, a, arts[k].id);
	np_page_record pr = {.issue = dated ? NP_STR("2022-08-30") : (np_str){NULL, 0},
	                     .pages = &e, .n_pages = 1};
	np_buf out, again;
	np_buf_init(&out);
	np_buf_init(&again);
	np_pages_write(&pr, &out);
	np_diags d;
	np_diags_init(&d);
	np_page_record back;
	FUZZ_CHECK(np_pages_parse(&back, out.data, out.len, "pages.yaml", a, &d) == 0);
	FUZZ_CHECK(back.n_pages == 1 && back.pages[0].n_teasers == r->n_teasers);
	FUZZ_CHECK(back.pages[0].captions.len == r->captions.len);
	FUZZ_CHECK(back.pages[0].articles.len == r->n_articles);
	np_pages_write(&back, &again);
	FUZZ_CHECK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0);
	np_diags_dispose(&d);
	np_buf_dispose(&out);
	np_buf_dispose(&again);
}

static void ingest(const np_text *t, bool dated, bool debug, np_arena *a, np_diags *d)
{
	np_page_opts po = {.source_file = PATH, .path = PATH,
	                   .issue = dated ? NP_STR("2022-08-30") : (np_str){NULL, 0}, .page = 7,
	                   .debug = debug};
	np_page_result r;
	if (np_page_parse(&r, t, &po, a, d) != 0)
		return;
	np_meta_opts mo = {.issue = dated ? (np_date){2022, 8, 30} : (np_date){0, 0, 0},
	                   .path = PATH};
	if (!dated)
		mo.page_year = np_meta_page_year(np_text_join(t, a));
	for (size_t k = 0; k < r.n_articles; k++) {
		np_article *art = &r.articles[k];
		FUZZ_CHECK(np_meta_extract(art, &mo, a, d) == 0);
		FUZZ_CHECK(art->title.p && art->title.len > 0);
		FUZZ_CHECK(art->line >= 1 && art->line <= t->n);
		assign_id_and_slug(art, k, dated, a);
		fuzz_check_record_round_trip(art);
	}
	for (size_t k = 0; k < r.n_teasers; k++)
		FUZZ_CHECK(r.teasers[k].title.p && r.teasers[k].line >= 1 && r.teasers[k].line <= t->n);
	check_pages_round_trip(&r, r.articles, dated, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	np_diags d;
	np_diags_init(&d);
	np_buf utf8;
	np_buf_init(&utf8);
	np_arena a;
	np_arena_init(&a);
	if (np_text_decode(&utf8, (const char *)data, size, NULL, PATH, &d, NULL) != 0)
		goto out;
	np_text t;
	FUZZ_CHECK(np_text_lines(&t, np_str_of(&utf8), PATH, &a) == 0);
	ingest(&t, (size & 1) == 0, size % 3 == 0, &a, &d);
	fuzz_check_diags(&d);
	fuzz_check_diags_utf8(&d);
out:
	np_arena_dispose(&a);
	np_buf_dispose(&utf8);
	np_diags_dispose(&d);
	return 0;
}
