/* Archive order of the site model (site/site.c sort_articles): records
 * arrive in path order, and a page of ten articles or more ("k10" before
 * "k2") or pages whose numbers run against their ids put them out of
 * order.  A few out of place are put right by short merges, a list far
 * from sorted takes a whole merge sort (util/sort.c np_sort_runs_large):
 * either way the model lists articles by issue, page, then id, and the
 * regions' lists (newest first) follow.  Within a
 * page, reading order comes from the issue's pages.yaml (reading_order),
 * read one issue at a time: an issue's listing does not order another
 * issue's articles, and an article listed on two pages takes its place
 * on the last. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <unistd.h>

#include "record/record.h"
#include "site/site.h"
#include "site_test.h"
#include "util/fs.h"

static void write_one(const char *id, const char *issue, int page)
{
	np_arena a;
	np_arena_init(&a);
	np_article x;
	site_test_article(&x, id, issue, page);
	np_strlist_add(&x.regions, &a, NP_STR("北京市/朝阳区"));
	free(site_test_write_record(&x));
	np_arena_dispose(&a);
}

/* Issue 2024-01-02: k1..k12, article kN on page N, so path order (k1, k10,
 * k11, k12, k2, ...) has three articles eight places early. */
static void write_mild(void)
{
	char id[16];
	for (int n = 1; n <= 12; n++) {
		snprintf(id, sizeof id, "k%d", n);
		write_one(id, "2024-01-02", n);
	}
}

static np_site *load(void)
{
	np_diags d;
	np_diags_init(&d);
	np_buf p;
	np_buf_init(&p);
	site_test_path(&p, "site.yaml");
	const char *cfg = "title: T\nbase_url: https://e.org/a\n";
	assert_true(np_fs_write_if_changed(p.data, cfg, strlen(cfg)) >= 0);
	np_buf_dispose(&p);
	np_site *s = np_site_load(root, 2, &d);
	assert_non_null(s);
	assert_int_equal(d.len, 0);
	np_diags_dispose(&d);
	return s;
}

/* Issue, page, then id ascending; the region's items newest first. */
static void check_order(const np_site *s, size_t n)
{
	assert_int_equal(s->n_articles, n);
	for (size_t i = 1; i < n; i++) {
		const np_article *a = &s->articles[i - 1].rec, *b = &s->articles[i].rec;
		int c = memcmp(a->issue.p, b->issue.p, 10);
		assert_true(c < 0 || (c == 0 && a->page < b->page) ||
		            (c == 0 && a->page == b->page && strcmp(a->id.p, b->id.p) < 0));
	}
	const np_site_region *r = np_site_region_by_path(s, NP_STR("北京市"));
	assert_non_null(r);
	assert_int_equal(r->n_items, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r->items[i].article, n - 1 - i);
}

static void test_mild(void **state)
{
	(void)state;
	assert_int_equal(site_test_make_root("np-order-mild"), 0);
	write_mild();
	np_site *s = load();
	check_order(s, 12);
	static const char *const want[] = {"k1", "k2", "k3", "k4",  "k5",  "k6",
	                                   "k7", "k8", "k9", "k10", "k11", "k12"};
	for (size_t i = 0; i < 12; i++)
		assert_string_equal(s->articles[i].rec.id.p, want[i]);
	np_site_free(s);
	assert_int_equal(site_test_teardown(NULL), 0);
}

/* The mild issue, and one of 200 articles whose pages run against their
 * ids (r000 on page 200, r199 on page 1): one descending run, reversed,
 * and merges across the whole list. */
static void test_far(void **state)
{
	(void)state;
	assert_int_equal(site_test_make_root("np-order-far"), 0);
	write_mild();
	char id[16];
	for (int n = 0; n < 200; n++) {
		snprintf(id, sizeof id, "r%03d", n);
		write_one(id, "2024-01-09", 200 - n);
	}
	np_site *s = load();
	check_order(s, 212);
	assert_string_equal(s->articles[11].rec.id.p, "k12");
	assert_string_equal(s->articles[12].rec.id.p, "r199");
	assert_string_equal(s->articles[211].rec.id.p, "r000");
	np_site_free(s);
	assert_int_equal(site_test_teardown(NULL), 0);
}

/* Writes the page record of issue: page 1 lists ids in the given order. */
static void write_pages(const char *issue, const char *const *ids, size_t n, const char *also)
{
	np_arena a;
	np_arena_init(&a);
	np_page_record r = {0};
	r.issue = np_str_from(issue);
	r.n_pages = also ? 2 : 1;
	r.pages = NP_ANEWN(&a, np_page_entry, 2);
	r.pages[0].page = 1;
	for (size_t i = 0; i < n; i++)
		np_strlist_add(&r.pages[0].articles, &a, np_str_from(ids[i]));
	if (also) { /* page 2 lists it again, first: a continued article */
		r.pages[1].page = 2;
		np_strlist_add(&r.pages[1].articles, &a, np_str_from(also));
	}
	np_buf out, path;
	np_buf_init(&out);
	np_buf_init(&path);
	np_pages_write(&r, &out);
	np_buf_printf(&path, "%s/content/articles/%s/pages.yaml", root, issue);
	assert_int_equal(np_fs_mkdirs_for(path.data), 0);
	assert_true(np_fs_write_if_changed(path.data, out.data, out.len) >= 0);
	np_buf_dispose(&path);
	np_buf_dispose(&out);
	np_arena_dispose(&a);
}

static void test_reading_order(void **state)
{
	(void)state;
	assert_int_equal(site_test_make_root("np-order-read"), 0);
	/* 2024-02-06: a, b, c, d on page 1, read d, a, c, b; c is also listed
	 * on page 2 (its position there, 0, is the one kept) */
	static const char *const ids[] = {"d", "a", "c", "b", "f", "e"};
	for (size_t i = 0; i < 4; i++)
		write_one(ids[i], "2024-02-06", 1);
	/* 2024-02-13: e and f on page 1, no listing of its own; 2024-02-06's
	 * listing names them too, in reverse: it must not count here */
	write_one("e", "2024-02-13", 1);
	write_one("f", "2024-02-13", 1);
	write_pages("2024-02-06", ids, 6, "c");
	np_site *s = load();
	static const char *const want[] = {"c", "d", "a", "b", "e", "f"};
	assert_int_equal(s->n_articles, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(s->articles[i].rec.id.p, want[i]);
	np_site_free(s);
	assert_int_equal(site_test_teardown(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mild),
	    cmocka_unit_test(test_far),
	    cmocka_unit_test(test_reading_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
