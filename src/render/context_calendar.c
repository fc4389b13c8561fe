/* Contexts of the calendar: the years index and one page per year with a
 * month grid (weeks Monday to Sunday, as Chinese calendars print them)
 * whose days link to the issues published on them. */
#include <stdint.h>
#include <stdlib.h>

#include "render/context.h"

static int days_in_month(int y, int m)
{
	static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : n[m - 1];
}

/* Issues per month of year y (index 1..12). */
static void month_counts(const np_site *s, const np_site_year *y, size_t counts[13])
{
	memset(counts, 0, 13 * sizeof *counts);
	for (size_t i = y->first; i < y->first + y->n; i++)
		counts[s->issues[i].date.m]++;
}

np_value *np_ctx_calendar(const np_ctx *c)
{
	const np_site *s = c->s;
	np_arena *a = c->a;
	np_value *m = np_value_map(a);
	np_value *years = np_value_list(a, s->n_years);
	for (size_t i = 0; i < s->n_years; i++) {
		const np_site_year *y = &s->years[i];
		size_t counts[13];
		month_counts(s, y, counts);
		np_value *yv = np_value_map(a);
		np_value_map_set_int(a, yv, "year", y->year);
		np_value_map_set(a, yv, "url", np_value_strc(a, y->url));
		np_value_map_set_int(a, yv, "n_issues", (int64_t)y->n);
		np_value *months = np_value_list(a, 12);
		for (int mo = 1; mo <= 12; mo++) {
			if (!counts[mo])
				continue;
			np_value *mv = np_value_map(a);
			np_value_map_set_int(a, mv, "month", mo);
			np_value_map_set_int(a, mv, "n_issues", (int64_t)counts[mo]);
			np_value_map_set(a, mv, "anchor", np_value_strc(a, np_arena_printf(a, "m%02d", mo)));
			np_value_list_push(a, months, mv);
		}
		np_value_map_set(a, yv, "months", months);
		np_value_list_push(a, years, yv);
	}
	np_value_map_set(a, m, "years", years);
	return m;
}

/* The weeks of month mo of year y: lists of 7 cells, null outside the
 * month, else {day, url (the issue of that day, or null)}. */
static np_value *weeks(const np_site *s, const np_site_year *y, int mo, np_arena *a)
{
	size_t issue_of[32];
	for (int d = 0; d < 32; d++)
		issue_of[d] = SIZE_MAX;
	for (size_t i = y->first + y->n; i-- > y->first;) /* oldest first: first issue of a day wins */
		if (s->issues[i].date.m == mo && issue_of[s->issues[i].date.d] == SIZE_MAX)
			issue_of[s->issues[i].date.d] = i;
	int lead = np_date_weekday((np_date){y->year, mo, 1}), nd = days_in_month(y->year, mo);
	np_value *wv = np_value_list(a, 6), *week = NULL;
	for (int cell = 0; cell < lead + nd || cell % 7; cell++) {
		if (cell % 7 == 0) {
			week = np_value_list(a, 7);
			np_value_list_push(a, wv, week);
		}
		int d = cell - lead + 1;
		if (d < 1 || d > nd) {
			np_value_list_push(a, week, NULL);
			continue;
		}
		np_value *c = np_value_map(a);
		np_value_map_set_int(a, c, "day", d);
		size_t is = issue_of[d];
		np_value_map_set(a, c, "url", is == SIZE_MAX ? NULL : np_value_strc(a, s->issues[is].url));
		np_value_list_push(a, week, c);
	}
	return wv;
}

static np_value *year_link(const np_site *s, size_t y, np_arena *a)
{
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "year", s->years[y].year);
	np_value_map_set(a, m, "url", np_value_strc(a, s->years[y].url));
	return m;
}

np_value *np_ctx_year(const np_ctx *c, size_t yi)
{
	const np_site *s = c->s;
	np_arena *a = c->a;
	const np_site_year *y = &s->years[yi];
	np_value *m = year_link(s, yi, a);
	np_value_map_set_int(a, m, "n_issues", (int64_t)y->n);
	/* years are newest first */
	np_value_map_set(a, m, "older", yi + 1 < s->n_years ? year_link(s, yi + 1, a) : NULL);
	np_value_map_set(a, m, "newer", yi > 0 ? year_link(s, yi - 1, a) : NULL);
	size_t counts[13];
	month_counts(s, y, counts);
	np_value *months = np_value_list(a, 12);
	for (int mo = 1; mo <= 12; mo++) {
		np_value *mv = np_value_map(a);
		np_value_map_set_int(a, mv, "month", mo);
		np_value_map_set_int(a, mv, "n_issues", (int64_t)counts[mo]);
		np_value_map_set(a, mv, "anchor", np_value_strc(a, np_arena_printf(a, "m%02d", mo)));
		np_value_map_set(a, mv, "weeks", weeks(s, y, mo, a));
		np_value_list_push(a, months, mv);
	}
	np_value_map_set(a, m, "months", months);
	return m;
}
