#include "record/article.h"

#include <stdio.h>

#include "util/err.h"

bool np_date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int lim = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		lim = 29;
	return d <= lim;
}

int np_date_parse(np_str s, np_date *out)
{
	int y, m, d;
	char tail;
	char tmp[16];
	if (s.len != 10)
		return NP_EINVAL;
	memcpy(tmp, s.p, 10);
	tmp[10] = '\0';
	if (sscanf(tmp, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || tmp[4] != '-' || tmp[7] != '-')
		return NP_EINVAL;
	if (!np_date_valid(y, m, d))
		return NP_EINVAL;
	*out = (np_date){y, m, d};
	return 0;
}

void np_date_format(np_date d, char out[11])
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
	         (unsigned)d.d % 100u);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

int np_date_cmp(np_date a, np_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

/* Howard Hinnant's days-from-civil. */
long np_date_to_days(np_date dt)
{
	long y = dt.y - (dt.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (dt.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + dt.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

np_date np_date_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	return (np_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

int np_date_weekday(np_date d)
{
	long days = np_date_to_days(d); /* 1970-01-01 was a Thursday (3) */
	long w = (days % 7 + 7 + 3) % 7;
	return (int)w;
}
