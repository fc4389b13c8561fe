/* Chinese date expressions: 8月26日, 8 月 15 日至 16 日, 12月5日至8日,
 * 2022年8月, 2023年3月18日, 截至今年9月, datelines 本报北京6月9日电.
 * Digits are ASCII (text/ folds full-width digits); spaces between the
 * parts are allowed because not every page is normalised the same way. */
#include <stdlib.h>

#include "meta/internal.h"

typedef struct cursor {
	np_str s;
	size_t i;
} cursor;

static bool at(const cursor *c, const char *w)
{
	size_t n = strlen(w);
	return c->i + n <= c->s.len && memcmp(c->s.p + c->i, w, n) == 0;
}

static bool eat(cursor *c, const char *w)
{
	if (!at(c, w))
		return false;
	c->i += strlen(w);
	return true;
}

static void skip_ws(cursor *c)
{
	for (;;) {
		if (c->i < c->s.len && c->s.p[c->i] == ' ')
			c->i++;
		else if (!eat(c, "\xe3\x80\x80"))
			return;
	}
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Reads up to 4 digits; returns the digit count (0 = none). */
static int number(cursor *c, int *v)
{
	int n = 0;
	*v = 0;
	while (c->i < c->s.len && is_digit(c->s.p[c->i]) && n < 5) {
		*v = *v * 10 + (c->s.p[c->i] - '0');
		c->i++;
		n++;
	}
	return n;
}

/* `<n> 月` -> month; `<n> 日|号` -> day.  On failure the cursor is restored. */
static bool unit(cursor *c, const char *u, const char *u2, int lo, int hi, int *v)
{
	size_t save = c->i;
	skip_ws(c);
	int digits = number(c, v);
	skip_ws(c);
	if (digits >= 1 && digits <= 2 && *v >= lo && *v <= hi && (eat(c, u) || (u2 && eat(c, u2))))
		return true;
	c->i = save;
	*v = 0;
	return false;
}

static bool year(cursor *c, int *y)
{
	size_t save = c->i;
	int digits = number(c, y);
	skip_ws(c);
	if (digits == 4 && *y >= 1900 && *y <= 2099 && eat(c, "年"))
		return true;
	c->i = save;
	*y = 0;
	return false;
}

/* The part after 至/到/—: [YYYY年][M月]D日. */
static void range_end(cursor *c, np_date_expr *e)
{
	size_t save = c->i;
	skip_ws(c);
	if (!(eat(c, "至") || eat(c, "到") || eat(c, "——") || eat(c, "—") || eat(c, "－") ||
	      eat(c, "-") || eat(c, "～") || eat(c, "~"))) {
		c->i = save;
		return;
	}
	skip_ws(c);
	int y = 0, m = 0, d = 0;
	year(c, &y);
	unit(c, "月", NULL, 1, 12, &m);
	if (!unit(c, "日", "号", 1, 31, &d) || (y && !m)) {
		c->i = save;
		return;
	}
	e->range = true;
	e->y2 = y;
	e->m2 = m;
	e->d2 = d;
	e->end = c->i;
}

/* Relative year word just before byte offset i: 今年 0, 去年 -1, 明年 +1. */
static bool rel_year(np_str s, size_t i, int *rel)
{
	static const struct {
		const char *w;
		int rel;
	} words[] = {{"今年", 0}, {"去年", -1}, {"明年", 1}, {"本年", 0}};
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		size_t n = strlen(words[k].w);
		if (i >= n && memcmp(s.p + i - n, words[k].w, n) == 0) {
			*rel = words[k].rel;
			return true;
		}
	}
	return false;
}

/* Parses one expression starting at the digit at c->i. */
static bool expr(cursor *c, np_date_expr *e)
{
	size_t start = c->i;
	*e = (np_date_expr){.start = start, .prec = NP_PREC_YEAR};
	bool has_year = year(c, &e->y);
	if (!unit(c, "月", NULL, 1, 12, &e->m)) {
		e->end = c->i;
		return has_year;
	}
	e->prec = NP_PREC_MONTH;
	if (unit(c, "日", "号", 1, 31, &e->d))
		e->prec = NP_PREC_DAY;
	e->end = c->i;
	int rel;
	if (!has_year && rel_year(c->s, start, &rel)) {
		e->this_year = true;
		e->rel = rel;
	}
	if (e->prec == NP_PREC_DAY)
		range_end(c, e);
	return true;
}

void np_meta_scan_dates(np_str s, np_date_fn fn, void *ctx)
{
	cursor c = {s, 0};
	while (c.i < s.len) {
		char prev = c.i ? s.p[c.i - 1] : ' ';
		if (!is_digit(s.p[c.i]) || is_digit(prev) || prev == '.') {
			c.i++;
			continue;
		}
		np_date_expr e;
		size_t save = c.i;
		if (expr(&c, &e))
			fn(ctx, &e);
		if (c.i == save)
			c.i++;
		while (c.i < s.len && is_digit(s.p[c.i]))
			c.i++;
	}
}

typedef struct year_count {
	np_str s;
	int counts[200];
} year_count;

/* Years in a plan or forecast (预计2027年, 到2025年) say nothing about when
 * the page was printed. */
static bool future_context(np_str s, size_t start)
{
	static const char *const words[] = {"预计", "到", "至", "力争", "争取", "计划", NULL};
	for (size_t k = 0; words[k]; k++) {
		size_t n = strlen(words[k]);
		if (start >= n && memcmp(s.p + start - n, words[k], n) == 0)
			return true;
	}
	return false;
}

static void count_year(void *ctx, const np_date_expr *e)
{
	year_count *yc = ctx;
	if (e->y >= 1900 && e->y <= 2099 && !future_context(yc->s, e->start))
		yc->counts[e->y - 1900]++;
}

int np_meta_text_year(np_str s)
{
	year_count yc = {.s = s};
	int *counts = yc.counts, best = 0;
	np_meta_scan_dates(s, count_year, &yc);
	for (int i = 0; i < 200; i++)
		if (counts[i] && counts[i] >= counts[best])
			best = i;
	return counts[best] ? 1900 + best : 0;
}

int np_meta_page_year(np_str text)
{
	return np_meta_text_year(text);
}

static void first_day(void *ctx, const np_date_expr *e)
{
	np_date_expr *out = ctx;
	if (e->prec == NP_PREC_DAY && out->prec != NP_PREC_DAY)
		*out = *e;
}

/* The year of month m, day d near the issue date: the issue's year, one
 * back when that lands more than 31 days after the issue (a January issue
 * reporting 12月28日), one on when it lands more than 334 days before (a
 * December issue announcing 1月3日). */
static int year_near(np_date issue, int m, int d)
{
	int y = issue.y;
	if (!np_date_valid(y, m, d))
		return y; /* 2月29日 in a non-leap issue year: left to validation */
	long diff = np_date_to_days((np_date){y, m, d}) - np_date_to_days(issue);
	if (diff > 31)
		return y - 1;
	if (diff < -334)
		return y + 1;
	return y;
}

static int resolve_year(const np_date_expr *e, int m, int d, int article_year,
                        const np_meta_opts *o)
{
	int base = np_date_known(o->issue) ? o->issue.y
	           : o->page_year          ? o->page_year
	                                   : article_year;
	if (e->y)
		return e->y;
	if (e->this_year)
		return base ? base + e->rel : 0;
	if (np_date_known(o->issue))
		return year_near(o->issue, m, d);
	return base;
}

void np_meta_date_article(np_article *a, np_str lede, int article_year, const np_meta_opts *o)
{
	np_date_expr e = {.prec = NP_PREC_YEAR};
	a->date_inferred = !np_date_known(o->issue);
	np_meta_scan_dates(lede, first_day, &e);
	if (e.prec != NP_PREC_DAY)
		return;
	int y = resolve_year(&e, e.m, e.d, article_year, o);
	if (!np_date_valid(y, e.m, e.d))
		return;
	a->date = (np_date){y, e.m, e.d};
	if (!e.range)
		return;
	int m2 = e.m2 ? e.m2 : e.m, y2 = e.y2 ? e.y2 : y;
	if (!e.y2 && m2 < e.m)
		y2 = y + 1; /* 12月30日至1月2日 */
	np_date end = {y2, m2, e.d2};
	if (np_date_valid(y2, m2, e.d2) && np_date_cmp(end, a->date) > 0)
		a->end_date = end;
}
