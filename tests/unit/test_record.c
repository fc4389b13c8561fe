/* Records: write -> parse round trip, quoting of typed-looking strings,
 * edit detection, front matter errors with positions, pages.yaml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "record/record.h"
#include "util/err.h"

static np_article sample(np_arena *a)
{
	np_article x = {0};
	x.id = NP_STR("2022-08-30-07-1");
	x.title = NP_STR("全国首届社会工作助力乡村振兴大会在宁夏举行");
	x.date = (np_date){2022, 8, 26};
	x.issue = NP_STR("2022-08-30");
	x.page = 7;
	np_strlist_add(&x.authors, a, NP_STR("王勇"));
	np_strlist_add(&x.regions, a, NP_STR("宁夏回族自治区/银川市/灵武市"));
	np_strlist_add(&x.events, a, NP_STR("“牵手计划”"));
	np_strlist_add(&x.captions, a, NP_STR("null"));
	x.summary = NP_STR("8月26日，大会在宁夏举行。");
	x.slug = NP_STR("quan-guo");
	x.source_file = NP_STR("content/issues/2022-08-30/07.txt");
	x.body = NP_STR("第一段。\n\n第二段：“引号” # 不是标题。");
	return x;
}

static void test_roundtrip(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_article x = sample(&a);
	np_buf out;
	np_buf_init(&out);
	np_record_write(&x, &out);
	np_diags d;
	np_diags_init(&d);
	np_article y;
	assert_int_equal(np_record_parse(&y, out.data, out.len, "r.md", &a, &d), 0);
	assert_int_equal(d.len, 0);
	assert_true(np_str_eq(y.title, x.title));
	assert_null(y.kicker.p);
	assert_int_equal(y.date.y, 2022);
	assert_int_equal(y.date.d, 26);
	assert_false(np_date_known(y.end_date));
	assert_int_equal(y.page, 7);
	assert_int_equal(y.authors.len, 1);
	assert_true(np_str_eq(y.authors.items[0], NP_STR("王勇")));
	assert_int_equal(y.captions.len, 1);
	/* A string that reads like null stays a string. */
	assert_true(np_str_eq(y.captions.items[0], NP_STR("null")));
	assert_true(np_str_eq(y.events.items[0], NP_STR("“牵手计划”")));
	assert_true(np_str_eq(y.body, NP_STR("第一段。\n\n第二段：“引号” # 不是标题。\n")));
	/* Unicode is written as is, not escaped. */
	assert_non_null(strstr(out.data, "title: 全国首届"));
	np_diags_dispose(&d);
	np_buf_dispose(&out);
	np_arena_dispose(&a);
}

static void test_write_is_deterministic(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_article x = sample(&a);
	np_buf o1, o2;
	np_buf_init(&o1);
	np_buf_init(&o2);
	np_record_write(&x, &o1);
	np_record_write(&x, &o2);
	assert_int_equal(o1.len, o2.len);
	assert_memory_equal(o1.data, o2.data, o1.len);
	np_buf_dispose(&o1);
	np_buf_dispose(&o2);
	np_arena_dispose(&a);
}

static void test_edit_detection(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_article x = sample(&a);
	np_buf out;
	np_buf_init(&out);
	np_record_write(&x, &out);
	assert_int_equal(np_record_state_of(out.data, out.len), NP_RECORD_PRISTINE);
	char *p = strstr(out.data, "第一段");
	assert_non_null(p);
	p[0] = 'X'; /* a person edits one byte of the body */
	assert_int_equal(np_record_state_of(out.data, out.len), NP_RECORD_EDITED);
	const char *hand = "---\ntitle: 手写\n---\n正文\n";
	assert_int_equal(np_record_state_of(hand, strlen(hand)), NP_RECORD_EDITED);
	np_buf_dispose(&out);
	np_arena_dispose(&a);
}

static void test_errors_have_positions(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_article y;
	const char *bad = "---\nid: x\ntitle: [unclosed\n---\nbody\n";
	assert_int_equal(np_record_parse(&y, bad, strlen(bad), "r.md", &a, &d), NP_EINVAL);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].path, "r.md");
	assert_true(d.items[0].line >= 3);
	const char *nofm = "just text\n";
	assert_int_equal(np_record_parse(&y, nofm, strlen(nofm), "n.md", &a, &d), NP_EINVAL);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.items[1].line, 1);
	const char *baddate = "---\nid: d\ntitle: t\ndate: 2022-02-30\n---\n";
	assert_int_equal(np_record_parse(&y, baddate, strlen(baddate), "d.md", &a, &d), NP_EINVAL);
	assert_int_equal(d.items[2].line, 4);
	assert_int_equal(d.items[2].col, 7);
	assert_string_equal(d.items[2].msg, "date: expected a date YYYY-MM-DD, got '2022-02-30'");
	/* Values that become paths are checked where a person can fix them. */
	const char *badissue = "---\nid: x\ntitle: t\nissue: \"../../etc\"\nslug: ../Bad\n---\n";
	assert_int_equal(np_record_parse(&y, badissue, strlen(badissue), "i.md", &a, &d), NP_EINVAL);
	assert_int_equal(d.items[3].line, 4);
	assert_int_equal(d.items[3].col, 8);
	assert_string_equal(d.items[3].msg,
	                    "issue: expected the issue date as YYYY-MM-DD, got '../../etc'");
	assert_int_equal(d.items[4].severity, NP_WARNING);
	assert_int_equal(d.items[4].line, 5);
	assert_null(y.slug.p);
	const char *noid = "---\ntitle: t\n---\n";
	assert_int_equal(np_record_parse(&y, noid, strlen(noid), "n.md", &a, &d), NP_EINVAL);
	assert_string_equal(d.items[5].msg, "id: expected ASCII letters, digits, '-' or '_' (the record has no id)");
	np_diags_dispose(&d);
	np_arena_dispose(&a);
}

static void test_pages_roundtrip(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_page_entry e = {.page = 7, .source_file = NP_STR("content/issues/2022-08-30/07.txt")};
	np_strlist_add(&e.articles, &a, NP_STR("2022-08-30-07-1"));
	np_teaser t = {.title = NP_STR("深圳破解社工组织首贷难题"), .kicker = NP_STR("创新授信思路"), .page = 9};
	e.teasers = &t;
	e.n_teasers = 1;
	np_page_record p = {.issue = NP_STR("2022-08-30"), .pages = &e, .n_pages = 1};
	np_buf out;
	np_buf_init(&out);
	np_pages_write(&p, &out);
	np_diags d;
	np_diags_init(&d);
	np_page_record q;
	assert_int_equal(np_pages_parse(&q, out.data, out.len, "pages.yaml", &a, &d), 0);
	assert_int_equal(q.n_pages, 1);
	assert_int_equal(q.pages[0].page, 7);
	assert_int_equal(q.pages[0].n_teasers, 1);
	assert_int_equal(q.pages[0].teasers[0].page, 9);
	assert_true(np_str_eq(q.pages[0].teasers[0].kicker, NP_STR("创新授信思路")));
	np_diags_dispose(&d);
	np_buf_dispose(&out);
	np_arena_dispose(&a);
}

static void test_dates(void **state)
{
	(void)state;
	np_date d;
	assert_int_equal(np_date_parse(NP_STR("2024-02-29"), &d), 0);
	assert_int_not_equal(np_date_parse(NP_STR("2023-02-29"), &d), 0);
	assert_int_not_equal(np_date_parse(NP_STR("2023-1-02"), &d), 0);
	np_date x = {2022, 8, 30};
	assert_int_equal(np_date_weekday(x), 1); /* a Tuesday */
	np_date y = np_date_from_days(np_date_to_days(x) + 3);
	assert_int_equal(y.m, 9);
	assert_int_equal(y.d, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),       cmocka_unit_test(test_write_is_deterministic),
	    cmocka_unit_test(test_edit_detection),  cmocka_unit_test(test_errors_have_positions),
	    cmocka_unit_test(test_pages_roundtrip), cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
