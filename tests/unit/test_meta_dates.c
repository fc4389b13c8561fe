/* Dates: every date form of issue 5, the lede rule, the year from the
 * issue date (with the year boundary), from the page and from the article;
 * 日前/近日 and month-precision expressions give no date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "meta/meta.h"

typedef struct fx {
	np_arena a;
	np_diags d;
	np_article x;
	char date[11], end[11];
} fx;

/* Runs the extractor; issue is "YYYY-MM-DD" or NULL.  Leaves the dates as
 * ISO strings ("" when absent) in f->date and f->end. */
static void run(fx *f, const char *title, const char *body, const char *issue, int page_year)
{
	np_meta_opts o = {.page_year = page_year, .path = "t.txt"};
	if (issue)
		assert_int_equal(np_date_parse(np_str_from(issue), &o.issue), 0);
	np_arena_init(&f->a);
	np_diags_init(&f->d);
	f->x = (np_article){0};
	f->x.title = np_str_from(title);
	f->x.body = np_str_from(body);
	assert_int_equal(np_meta_extract(&f->x, &o, &f->a, &f->d), 0);
	f->date[0] = f->end[0] = '\0';
	if (np_date_known(f->x.date))
		np_date_format(f->x.date, f->date);
	if (np_date_known(f->x.end_date))
		np_date_format(f->x.end_date, f->end);
}

static void done(fx *f)
{
	np_arena_dispose(&f->a);
	np_diags_dispose(&f->d);
}

static void check(const char *body, const char *issue, int page_year, const char *date,
                  const char *end, bool inferred)
{
	fx f;
	run(&f, "标题", body, issue, page_year);
	assert_string_equal(f.date, date);
	assert_string_equal(f.end, end);
	assert_int_equal(f.x.date_inferred, inferred);
	done(&f);
}

static void test_day(void **state)
{
	(void)state;
	check("8月26日，大会在某地举行。", "2022-08-30", 0, "2022-08-26", "", false);
	check("8月26号，大会举行。", "2022-08-30", 0, "2022-08-26", "", false);
	check("2021年8月26日，大会举行。", "2022-08-30", 0, "2021-08-26", "", false);
}

static void test_ranges(void **state)
{
	(void)state;
	check("8 月 15 日至 16 日，会议召开。", "2022-08-23", 0, "2022-08-15", "2022-08-16", false);
	check("12月5日至8日，交流会举办。", "2023-12-12", 0, "2023-12-05", "2023-12-08", false);
	check("8月30日至9月2日，培训举行。", "2022-09-06", 0, "2022-08-30", "2022-09-02", false);
	check("12月30日至1月2日，活动举行。", "2023-01-05", 0, "2022-12-30", "2023-01-02", false);
	check("5月3日—5日，展会举办。", "2022-05-10", 0, "2022-05-03", "2022-05-05", false);
	/* An end before the start is no range. */
	check("5月8日至3日，会议。", "2022-05-10", 0, "2022-05-08", "", false);
}

static void test_month_precision(void **state)
{
	(void)state;
	/* A record date is a day: month-only expressions give none ... */
	check("2022年8月，某地启动试点。", "2022-09-01", 0, "", "", false);
	check("截至今年9月，全省已建成社工站755个。", "2022-11-15", 0, "", "", false);
	/* ... and do not hide a day that follows in the lede. */
	check("自今年7月开始，12月6日，项目结题。", "2023-12-12", 0, "2023-12-06", "", false);
}

static void test_no_date(void **state)
{
	(void)state;
	check("日前，协调会在北京举行。", "2022-11-15", 0, "", "", false);
	check("近日，研讨会在福州马尾举行。", "2023-12-12", 0, "", "", false);
	/* Only the lede counts: a date in a later paragraph is not the event's. */
	check("近日，研讨会举行。\n\n3月5日，另一件事。", "2023-12-12", 0, "", "", false);
	check("共有28个省参加，增长76.4%。", "2022-11-15", 0, "", "", false);
}

static void test_dateline(void **state)
{
	(void)state;
	check("本报银川6月9日电（记者 王勇）会议今天召开。", "2023-06-12", 0, "2023-06-09", "",
	      false);
}

static void test_year_boundary(void **state)
{
	(void)state;
	/* A January issue reporting late December: the previous year. */
	check("12月28日，年会召开。", "2024-01-05", 0, "2023-12-28", "", false);
	/* A December issue announcing early January: the next year. */
	check("1月3日，论坛将开幕。", "2023-12-30", 0, "2024-01-03", "", false);
	/* Up to a month ahead stays in the issue's year. */
	check("9月20日，大会将举行。", "2022-08-30", 0, "2022-09-20", "", false);
	/* 今年/去年 are relative to the issue. */
	check("去年12月1日，项目启动。", "2023-03-01", 0, "2022-12-01", "", false);
}

static void test_inferred(void **state)
{
	(void)state;
	/* No issue date: the page's year, date_inferred set. */
	check("3月18日，活动启动。", NULL, 2023, "2023-03-18", "", true);
	/* No page year either: the article's own explicit year. */
	check("3月18日，活动启动。\n\n落实2023年中央一号文件。", NULL, 0, "2023-03-18", "", true);
	/* Nothing to go by: no date rather than a guess. */
	check("3月18日，活动启动。", NULL, 0, "", "", true);
}

static void test_page_year(void **state)
{
	(void)state;
	assert_int_equal(np_meta_page_year(NP_STR("2023年推进会；2023年活动；2022年6月以来")),
	                 2023);
	/* Ties go to the later year; forecasts do not count. */
	assert_int_equal(np_meta_page_year(NP_STR("自2016年成立以来，2022年甘肃")), 2022);
	assert_int_equal(np_meta_page_year(NP_STR("2022年6月以来，预计2027年年底")), 2022);
	assert_int_equal(np_meta_page_year(NP_STR("没有年份，12345年")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_day),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_month_precision),
	    cmocka_unit_test(test_no_date),
	    cmocka_unit_test(test_dateline),
	    cmocka_unit_test(test_year_boundary),
	    cmocka_unit_test(test_inferred),
	    cmocka_unit_test(test_page_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
