/* Checks shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"

#include <string.h>

#include "record/record.h"
#include "util/arena.h"

static void same_str(np_str a, np_str b, const char *field)
{
	/* A null string and an empty one are different values in a record
	 * (null vs ''), so p == NULL must survive too. */
	if ((a.p == NULL) != (b.p == NULL) || !np_str_eq(a, b)) {
		fprintf(stderr, "record round trip changed %s: '%.*s' (%s) -> '%.*s' (%s)\n", field,
		        (int)a.len, a.p ? a.p : "", a.p ? "string" : "null", (int)b.len,
		        b.p ? b.p : "", b.p ? "string" : "null");
		abort();
	}
}

static void same_list(const np_strlist *a, const np_strlist *b, const char *field)
{
	if (a->len != b->len) {
		fprintf(stderr, "record round trip changed %s: %zu items -> %zu\n", field, a->len,
		        b->len);
		abort();
	}
	for (size_t i = 0; i < a->len; i++)
		same_str(a->items[i], b->items[i], field);
}

static void same_date(np_date a, np_date b, const char *field)
{
	if (np_date_known(a) != np_date_known(b) || (np_date_known(a) && np_date_cmp(a, b) != 0)) {
		fprintf(stderr, "record round trip changed %s: %d-%d-%d -> %d-%d-%d\n", field, a.y, a.m,
		        a.d, b.y, b.m, b.d);
		abort();
	}
}

void fuzz_check_same_article(const np_article *a, const np_article *b)
{
	same_str(a->id, b->id, "id");
	same_str(a->title, b->title, "title");
	same_str(a->kicker, b->kicker, "kicker");
	same_str(a->subtitle, b->subtitle, "subtitle");
	same_date(a->date, b->date, "date");
	same_date(a->end_date, b->end_date, "end_date");
	FUZZ_CHECK(a->date_inferred == b->date_inferred);
	same_str(a->issue, b->issue, "issue");
	FUZZ_CHECK((a->page > 0 ? a->page : 0) == b->page);
	same_list(&a->authors, &b->authors, "authors");
	same_str(a->source, b->source, "source");
	same_list(&a->regions, &b->regions, "regions");
	same_list(&a->places, &b->places, "places");
	same_list(&a->events, &b->events, "events");
	same_list(&a->people, &b->people, "people");
	same_list(&a->captions, &b->captions, "captions");
	same_str(a->summary, b->summary, "summary");
	same_str(a->slug, b->slug, "slug");
	same_str(a->source_file, b->source_file, "source_file");
	same_str(np_str_trim(a->body), np_str_trim(b->body), "body");
}

void fuzz_check_record_round_trip(const np_article *a)
{
	np_buf rec;
	np_buf_init(&rec);
	np_record_write(a, &rec);
	FUZZ_CHECK(np_record_state_of(rec.data, rec.len) == NP_RECORD_PRISTINE);
	np_arena arena;
	np_arena_init(&arena);
	np_diags d;
	np_diags_init(&d);
	np_article back;
	int rc = np_record_parse(&back, rec.data, rec.len, "rt.md", &arena, &d);
	if (rc != 0) {
		fprintf(stderr, "a record np_record_write made does not parse:\n%s\n", rec.data);
		for (size_t i = 0; i < d.len; i++) {
			np_buf m;
			np_buf_init(&m);
			np_diag_format(&d.items[i], &m);
			fputs(m.data, stderr);
			np_buf_dispose(&m);
		}
		abort();
	}
	fuzz_check_same_article(a, &back);
	/* Writing what was read gives the same bytes: a rebuild is a no-op. */
	np_buf again;
	np_buf_init(&again);
	np_record_write(&back, &again);
	FUZZ_CHECK(again.len == rec.len && memcmp(again.data, rec.data, rec.len) == 0);
	np_buf_dispose(&again);
	np_diags_dispose(&d);
	np_arena_dispose(&arena);
	np_buf_dispose(&rec);
}
