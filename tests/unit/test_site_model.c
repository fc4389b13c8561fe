/* The site model on a small hand-made site: archive order, issues and
 * pages, region roll-up and 报道地/提及 split, region slugs (codes, pinyin
 * fallback, collisions), pinyin order, per-article events, related
 * articles, region pagination numbered from the oldest end, the calendar
 * years. */
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


typedef struct rec {
	const char *id, *issue, *title;
	int page;
	const char *regions[3], *places[3], *events[3];
} rec;

static const rec recs[] = {
    {"a1", "2022-08-23", "北京调研", 7, {"北京市/朝阳区"}, {"河北省/廊坊市"}, {"牵手计划"}},
    {"a2", "2022-08-23", "河北会议", 7, {"河北省/廊坊市"}, {"北京市"}, {0}},
    {"b1", "2022-08-30", "宁夏大会", 7, {"宁夏回族自治区/银川市/灵武市"}, {0}, {"牵手计划", "大会"}},
    {"c1", "2023-03-21", "广东成立", 7, {"广东省/佛山市/顺德区"}, {0}, {0}},
    {"c2", "2023-03-21", "顺德再报", 8, {"广东省/佛山市/顺德区"}, {"某某省/某某市"}, {"牵手计划"}},
};

static void write_rec(const rec *r)
{
	np_arena a;
	np_arena_init(&a);
	np_article x;
	site_test_article(&x, r->id, r->issue, r->page);
	x.title = np_str_from(r->title);
	for (int k = 0; k < 3; k++) {
		if (r->regions[k])
			np_strlist_add(&x.regions, &a, np_str_from(r->regions[k]));
		if (r->places[k])
			np_strlist_add(&x.places, &a, np_str_from(r->places[k]));
		if (r->events[k])
			np_strlist_add(&x.events, &a, np_str_from(r->events[k]));
	}
	free(site_test_write_record(&x));
	np_arena_dispose(&a);
}

static int setup(void **state)
{
	(void)state;
	if (site_test_make_root("np-site-test") != 0)
		return -1;
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++)
		write_rec(&recs[i]);
	np_buf p;
	np_buf_init(&p);
	np_buf_printf(&p, "%s/site.yaml", root);
	const char *cfg = "title: T\nbase_url: https://e.org/a\nper_page: 2\n";
	np_fs_write_if_changed(p.data, cfg, strlen(cfg));
	np_buf_dispose(&p);
	return 0;
}

static np_site *load(void)
{
	np_diags d;
	np_diags_init(&d);
	np_site *s = np_site_load(root, 2, &d);
	assert_non_null(s);
	for (size_t i = 0; i < d.len; i++)
		fprintf(stderr, "diag: %s\n", d.items[i].msg);
	assert_int_equal(d.len, 0);
	np_diags_dispose(&d);
	return s;
}

static size_t art(const np_site *s, const char *id)
{
	const np_site_article *a = np_site_article_by_id(s, np_str_from(id));
	assert_non_null(a);
	return (size_t)(a - s->articles);
}

static const np_site_region *region(const np_site *s, const char *path)
{
	const np_site_region *r = np_site_region_by_path(s, np_str_from(path));
	assert_non_null(r);
	return r;
}

static void test_order_and_issues(void **state)
{
	(void)state;
	np_site *s = load();
	assert_int_equal(s->n_articles, 5);
	assert_string_equal(s->articles[0].rec.id.p, "a1");
	assert_int_equal(s->n_issues, 3);
	assert_string_equal(s->issues[0].iso, "2023-03-21"); /* newest first */
	assert_int_equal(s->issues[0].n_pages, 2);
	assert_string_equal(s->issues[0].pages[1].url, "issues/2023-03-21/08/index.html");
	assert_int_equal(s->n_years, 2);
	assert_int_equal(s->years[0].year, 2023);
	assert_int_equal(s->years[1].n, 2);
	np_site_free(s);
}

static void test_regions(void **state)
{
	(void)state;
	np_site *s = load();
	const np_site_region *bj = region(s, "北京市");
	assert_string_equal(bj->slug, "110000");
	assert_string_equal(bj->url, "regions/110000/index.html");
	/* a1 reports from 朝阳区 (rolls up to 北京市); a2 only mentions 北京市 */
	assert_int_equal(bj->n_reported, 1);
	assert_int_equal(bj->n_mentioned, 1);
	assert_int_equal(bj->n_items, 2);
	assert_int_equal(bj->items[0].article, art(s, "a2")); /* newest first */
	assert_false(bj->items[0].reported);
	const np_site_region *gd = region(s, "广东省");
	assert_int_equal(gd->n_reported, 2);
	assert_int_equal(region(s, "广东省/佛山市/顺德区")->level, 3);
	/* unknown to the gazetteer: pinyin slug with a prefix */
	const np_site_region *x = region(s, "某某省/某某市");
	assert_int_equal(strncmp(x->slug, "x-", 2), 0);
	/* provinces in pinyin order: 北京 bei, 广东 guang, 河北 he, 宁夏 ning, 某某 mou */
	const char *want[] = {"北京市", "广东省", "河北省", "某某省", "宁夏回族自治区"};
	assert_int_equal(s->n_provinces, 5);
	for (size_t i = 0; i < 5; i++)
		assert_true(np_str_eq_c(s->regions[s->provinces[i]].name, want[i]));
	np_site_free(s);
}

static void test_events_and_related(void **state)
{
	(void)state;
	np_site *s = load();
	size_t b1 = art(s, "b1");
	assert_int_equal(s->articles[b1].n_events, 2);
	const np_site_event *e = &s->events[s->articles[b1].events[0]];
	assert_true(np_str_eq_c(e->name, "牵手计划") || np_str_eq_c(e->name, "大会"));
	size_t out[4];
	size_t n = np_site_related(s, art(s, "c1"), out, 4);
	/* c1 shares no event; c2 shares 顺德区 (most specific first) */
	assert_true(n >= 1);
	assert_int_equal(out[0], art(s, "c2"));
	n = np_site_related(s, b1, out, 4);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(out[i], b1);
	assert_int_equal(n, 2); /* a1 and c2 via 牵手计划 */
	np_site_free(s);
}

static void test_pagination(void **state)
{
	(void)state;
	assert_int_equal(np_site_npages(5, 2), 3);
	size_t from, n;
	np_site_page_slice(5, 2, 1, true, &from, &n); /* the two oldest, newest-first list */
	assert_int_equal(from, 3);
	assert_int_equal(n, 2);
	np_site_page_slice(5, 2, 3, true, &from, &n); /* the newest, partial */
	assert_int_equal(from, 0);
	assert_int_equal(n, 1);
	/* a new article does not move page 1 or 2 */
	np_site_page_slice(6, 2, 1, true, &from, &n);
	assert_int_equal(from, 4);
	assert_int_equal(n, 2);
	np_site_page_slice(6, 2, 2, true, &from, &n);
	assert_int_equal(from, 2);
	/* an oldest-first list (a timeline) */
	np_site_page_slice(5, 2, 3, false, &from, &n);
	assert_int_equal(from, 4);
	assert_int_equal(n, 1);
	np_site_page_slice(5, 2, 4, false, &from, &n);
	assert_int_equal(n, 0);
	assert_int_equal(np_site_npages(0, 2), 1);
}

/* Writes one dated record of event ev into issue iso. */
static void write_dated(const char *id, const char *iso, np_date date, const char *ev)
{
	np_arena a;
	np_arena_init(&a);
	np_article x;
	site_test_article(&x, id, iso, 1);
	x.date = date;
	np_strlist_add(&x.events, &a, np_str_from(ev));
	free(site_test_write_record(&x));
	np_arena_dispose(&a);
}

/* The date an article has on a timeline (site.h: its own, else its
 * issue's). */
static np_date when_of(const np_site *s, size_t a)
{
	const np_site_article *sa = &s->articles[a];
	if (np_date_known(sa->rec.date))
		return sa->rec.date;
	return sa->issue != SIZE_MAX ? s->issues[sa->issue].date : (np_date){0, 0, 0};
}

static const np_site_event *event_named(const np_site *s, const char *name)
{
	for (size_t i = 0; i < s->n_events; i++)
		if (np_str_eq_c(s->events[i].name, name))
			return &s->events[i];
	return NULL;
}

/* An event's timeline: its articles by date (an undated one at its
 * issue's), articles of one date in archive order.  Two events: one whose
 * articles are dated a few days before their weekly issues, out of order
 * within each (the usual case), one whose dates run against the issues
 * (as far from archive order as can be). */
static void test_timeline(void **state)
{
	(void)state;
	char id[32], iso[11];
	long week0 = np_date_to_days((np_date){2021, 1, 5}), back[] = {1, 5, 3, 5};
	for (int k = 0; k < 40; k++) {
		np_date is = np_date_from_days(week0 + 7 * (k / 4));
		np_date d = np_date_from_days(week0 + 7 * (k / 4) - back[k % 4]);
		np_date_format(is, iso);
		snprintf(id, sizeof id, "t%02d", k);
		write_dated(id, iso, d, "时间线测试");
	}
	for (int k = 0; k < 150; k++) {
		np_date is = np_date_from_days(np_date_to_days((np_date){2019, 1, 1}) + 7 * k);
		np_date d = np_date_from_days(np_date_to_days((np_date){2030, 1, 1}) - k);
		np_date_format(is, iso);
		snprintf(id, sizeof id, "r%03d", k);
		write_dated(id, iso, d, "倒序测试");
	}
	np_site *s = load();
	const char *names[] = {"时间线测试", "倒序测试"};
	size_t sizes[] = {40, 150};
	for (int e = 0; e < 2; e++) {
		const np_site_event *ev = event_named(s, names[e]);
		assert_non_null(ev);
		assert_int_equal(ev->n_articles, sizes[e]);
		bool *seen = calloc(s->n_articles, sizeof *seen);
		for (size_t k = 0; k < ev->n_articles; k++) {
			size_t a = ev->timeline[k];
			assert_true(a < s->n_articles && !seen[a]);
			seen[a] = true;
			if (k == 0)
				continue;
			size_t p = ev->timeline[k - 1];
			int c = np_date_cmp(when_of(s, p), when_of(s, a));
			assert_true(c < 0 || (c == 0 && p < a));
		}
		for (size_t k = 0; k < ev->n_articles; k++)
			assert_true(seen[ev->articles[k]]);
		free(seen);
	}
	np_site_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_issues),
	    cmocka_unit_test(test_regions),
	    cmocka_unit_test(test_events_and_related),
	    cmocka_unit_test(test_pagination),
	    cmocka_unit_test(test_timeline), /* last: it adds records */
	};
	return cmocka_run_group_tests(tests, setup, site_test_teardown);
}
