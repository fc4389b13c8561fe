#include "tmpl/filters.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/udat.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "tmpl/escape.h"
#include "tmpl/eval.h"
#include "util/err.h"
#include "util/utf8.h"

#include "util/translit.h"

#define FILTER(name)                                                                               \
	static int f_##name(np_rctx *r, const np_expr *e, np_value *v, const np_value *args)

/* ---- helpers ---------------------------------------------------------------- */

static np_value str_value(np_rctx *r, np_str s, bool safe)
{
	np_value v = {.type = NP_V_STR, .safe = safe};
	v.u.s = np_arena_str(&r->scratch, s);
	return v;
}

/* The result built in r->tmp, copied into the render arena. */
static np_value tmp_value(np_rctx *r, bool safe)
{
	return str_value(r, np_str_of(&r->tmp), safe);
}

static int type_error(np_rctx *r, const np_expr *e, const char *want, const np_value *v)
{
	return NP_RERR(r, e, "filter '%s' expects %s, got %s", e->u.filter.f->name, want,
	               np_value_type_name(v));
}

/* Scalars as text into r->tmp (cleared first). */
static int to_text(np_rctx *r, const np_expr *e, const np_value *v)
{
	char tmp[32];
	np_buf_clear(&r->tmp);
	switch (v->type) {
	case NP_V_STR:
		np_buf_putstr(&r->tmp, v->u.s);
		return 0;
	case NP_V_INT:
		np_buf_printf(&r->tmp, "%" PRId64, v->u.i);
		return 0;
	case NP_V_BOOL:
		np_buf_puts(&r->tmp, v->u.b ? "true" : "false");
		return 0;
	case NP_V_NULL:
		return 0;
	case NP_V_DATE:
		np_date_iso(v, tmp);
		np_buf_puts(&r->tmp, tmp);
		return 0;
	default:
		return type_error(r, e, "a string", v);
	}
}

static int str_in(np_rctx *r, const np_expr *e, const np_value *v, np_str *s)
{
	if (v->type != NP_V_STR)
		return type_error(r, e, "a string", v);
	*s = v->u.s;
	return 0;
}

static int int_arg(np_rctx *r, const np_expr *e, const np_value *a, size_t i, int64_t *out)
{
	if (a[i].type != NP_V_INT)
		return NP_RERR(r, e->u.filter.args[i],
		               "filter '%s': argument %zu must be an int, "
		               "not %s",
		               e->u.filter.f->name, i + 1, np_value_type_name(&a[i]));
	*out = a[i].u.i;
	return 0;
}

static int str_arg(np_rctx *r, const np_expr *e, const np_value *a, size_t i, np_str *out)
{
	if (a[i].type != NP_V_STR)
		return NP_RERR(r, e->u.filter.args[i],
		               "filter '%s': argument %zu must be a "
		               "string, not %s",
		               e->u.filter.f->name, i + 1, np_value_type_name(&a[i]));
	*out = a[i].u.s;
	return 0;
}

static bool has_scheme(np_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if (c == ':')
			return i > 0;
		if (c == '/' || c == '?' || c == '#')
			return false;
	}
	return false;
}

/* ---- simple filters ---------------------------------------------------------- */

FILTER(default)
{
	(void)r, (void)e;
	if (v->type == NP_V_UNDEF || v->type == NP_V_NULL ||
	    (v->type == NP_V_STR && v->u.s.len == 0))
		*v = args[0];
	return 0;
}

FILTER(safe)
{
	(void)args;
	if (v->type == NP_V_STR || v->type == NP_V_NULL) {
		v->safe = v->type == NP_V_STR;
		return 0;
	}
	int rc = to_text(r, e, v);
	if (!rc)
		*v = tmp_value(r, true);
	return rc;
}

FILTER(escape)
{
	(void)args;
	if (v->type == NP_V_STR && v->safe)
		return 0;
	int rc = to_text(r, e, v);
	if (rc)
		return rc;
	np_str s = np_arena_str(&r->scratch, np_str_of(&r->tmp));
	np_buf_clear(&r->tmp);
	np_escape_html(&r->tmp, s);
	*v = tmp_value(r, true);
	return 0;
}

FILTER(length)
{
	(void)args;
	int64_t n = 0;
	if (v->type == NP_V_STR)
		n = (int64_t)np_utf8_count(v->u.s.p, v->u.s.len);
	else if (v->type == NP_V_LIST)
		n = (int64_t)v->u.list->len;
	else if (v->type == NP_V_MAP)
		n = (int64_t)v->u.map->len;
	else
		return type_error(r, e, "a string, list or map", v);
	*v = (np_value){.type = NP_V_INT, .u.i = n};
	return 0;
}

static int change_case(np_rctx *r, const np_expr *e, np_value *v, bool up)
{
	np_str s = NP_STR_NULL;
	int rc = str_in(r, e, v, &s);
	if (rc)
		return rc;
	np_buf_clear(&r->tmp);
	np_buf_putstr(&r->tmp, s);
	for (size_t i = 0; i < r->tmp.len; i++) {
		char c = r->tmp.data[i];
		if (up && c >= 'a' && c <= 'z')
			r->tmp.data[i] = (char)(c - 32);
		else if (!up && c >= 'A' && c <= 'Z')
			r->tmp.data[i] = (char)(c + 32);
	}
	*v = tmp_value(r, v->safe);
	return 0;
}

FILTER(upper)
{
	(void)args;
	return change_case(r, e, v, true);
}
FILTER(lower)
{
	(void)args;
	return change_case(r, e, v, false);
}

FILTER(join)
{
	np_str sep = NP_STR("");
	int rc = e->u.filter.nargs ? str_arg(r, e, args, 0, &sep) : 0;
	if (rc)
		return rc;
	if (v->type != NP_V_LIST)
		return type_error(r, e, "a list", v);
	np_buf acc;
	np_buf_init(&acc);
	for (size_t i = 0; !rc && i < v->u.list->len; i++) {
		if (i)
			np_buf_putstr(&acc, sep);
		if (!(rc = to_text(r, e, np_value_force(v->u.list->items[i]))))
			np_buf_putstr(&acc, np_str_of(&r->tmp));
	}
	if (!rc)
		*v = str_value(r, np_str_of(&acc), false);
	np_buf_dispose(&acc);
	return rc;
}

static int pick(np_rctx *r, const np_expr *e, np_value *v, bool first)
{
	if (v->type != NP_V_LIST)
		return type_error(r, e, "a list", v);
	size_t n = v->u.list->len;
	*v = n ? *np_value_force(v->u.list->items[first ? 0 : n - 1]) : *np_value_null();
	return 0;
}

FILTER(first)
{
	(void)args;
	return pick(r, e, v, true);
}
FILTER(last)
{
	(void)args;
	return pick(r, e, v, false);
}

FILTER(slice)
{
	int64_t from = 0, to = INT64_MAX;
	int rc = int_arg(r, e, args, 0, &from);
	if (!rc && e->u.filter.nargs > 1)
		rc = int_arg(r, e, args, 1, &to);
	if (rc)
		return rc;
	if (v->type != NP_V_LIST)
		return type_error(r, e, "a list", v);
	int64_t n = (int64_t)v->u.list->len;
	from = from < 0 ? (from + n < 0 ? 0 : from + n) : (from > n ? n : from);
	to = to < 0 ? (to + n < 0 ? 0 : to + n) : (to > n ? n : to);
	np_value *l = np_value_list(&r->scratch, 0);
	for (int64_t i = from; i < to; i++)
		np_value_list_push(&r->scratch, l, v->u.list->items[i]);
	*v = *l;
	return 0;
}

FILTER(url_encode)
{
	(void)args;
	int rc = to_text(r, e, v);
	if (rc)
		return rc;
	np_str s = np_arena_str(&r->scratch, np_str_of(&r->tmp));
	np_buf_clear(&r->tmp);
	np_url_encode(&r->tmp, s);
	*v = tmp_value(r, false);
	return 0;
}

FILTER(json)
{
	(void)args;
	np_buf_clear(&r->tmp);
	if (np_value_json(&r->tmp, v, 0))
		return NP_RERR(r, e, "filter 'json': value nested deeper than 100 levels");
	*v = tmp_value(r, false);
	return 0;
}

int np_value_json(np_buf *out, const np_value *v, unsigned depth)
{
	char tmp[32];
	if (depth > 100)
		return NP_ELIMIT;
	v = np_value_force(v);
	switch (v->type) {
	case NP_V_STR:
		np_json_string(out, v->u.s);
		return 0;
	case NP_V_INT:
		np_buf_printf(out, "%" PRId64, v->u.i);
		return 0;
	case NP_V_BOOL:
		np_buf_puts(out, v->u.b ? "true" : "false");
		return 0;
	case NP_V_DATE:
		np_date_iso(v, tmp);
		np_buf_printf(out, "\"%s\"", tmp);
		return 0;
	case NP_V_LIST:
		np_buf_putc(out, '[');
		for (size_t i = 0; i < v->u.list->len; i++) {
			if (i)
				np_buf_putc(out, ',');
			if (np_value_json(out, v->u.list->items[i], depth + 1))
				return NP_ELIMIT;
		}
		np_buf_putc(out, ']');
		return 0;
	case NP_V_MAP:
		np_buf_putc(out, '{');
		for (size_t i = 0; i < v->u.map->len; i++) {
			if (i)
				np_buf_putc(out, ',');
			np_json_string(out, v->u.map->items[i].key);
			np_buf_putc(out, ':');
			if (np_value_json(out, v->u.map->items[i].val, depth + 1))
				return NP_ELIMIT;
		}
		np_buf_putc(out, '}');
		return 0;
	default:
		np_buf_puts(out, "null");
		return 0;
	}
}

/* ---- links --------------------------------------------------------------------- */

FILTER(relative_url)
{
	(void)args;
	np_str s = NP_STR_NULL;
	int rc = str_in(r, e, v, &s);
	if (rc || has_scheme(s) || np_str_starts(s, NP_STR("//")) || np_str_starts(s, NP_STR("#")))
		return rc;
	while (s.len && s.p[0] == '/')
		s.p++, s.len--;
	np_buf_clear(&r->tmp);
	for (const char *p = r->opts->output_path; p && *p; p++)
		if (*p == '/')
			np_buf_puts(&r->tmp, "../");
	np_buf_putstr(&r->tmp, s);
	if (r->tmp.len == 0)
		np_buf_puts(&r->tmp, "./");
	*v = tmp_value(r, false);
	return 0;
}

FILTER(absolute_url)
{
	(void)args;
	np_str s, base = np_str_from(r->opts->base_url);
	int rc = str_in(r, e, v, &s);
	if (rc || has_scheme(s))
		return rc;
	if (base.len == 0)
		return NP_RERR(r, e,
		               "filter 'absolute_url' needs base_url in the site "
		               "configuration");
	while (base.len && base.p[base.len - 1] == '/')
		base.len--;
	while (s.len && s.p[0] == '/')
		s.p++, s.len--;
	np_buf_clear(&r->tmp);
	np_buf_putstr(&r->tmp, base);
	np_buf_putc(&r->tmp, '/');
	np_buf_putstr(&r->tmp, s);
	*v = tmp_value(r, false);
	return 0;
}

/* ---- text ---------------------------------------------------------------------- */

FILTER(pinyin)
{
	(void)args;
	np_str s = NP_STR_NULL;
	int rc = str_in(r, e, v, &s);
	if (rc)
		return rc;
	np_buf_clear(&r->tmp);
	if (np_pinyin(&r->tmp, s))
		return NP_RERR(r, e, "filter 'pinyin': ICU transliteration unavailable");
	*v = tmp_value(r, false);
	return 0;
}

static const char *locale(const np_rctx *r)
{
	return r->opts->locale ? r->opts->locale : "zh_CN";
}

/* ICU objects are costly to open (tens of microseconds, under ICU's global
 * locks) and not safe to share between threads, so each thread keeps its
 * own, closed when the thread exits. */
enum { NP_DF_SLOTS = 4, NP_DF_MEMO = 1024 };
/* What a formatter made of one day: an archive's pages print the same few
 * thousand dates again and again, and ICU takes microseconds a date. */
typedef struct df_memo {
	long day;
	uint8_t len; /* 0: empty entry */
	char s[47];
} df_memo;
typedef struct icu_cache {
	UDateFormat *df[NP_DF_SLOTS];
	char df_key[NP_DF_SLOTS][64]; /* locale "|" format */
	df_memo *memo[NP_DF_SLOTS];   /* NP_DF_MEMO entries by day, direct-mapped */
	unsigned df_next;
	UBreakIterator *brk;
	char brk_locale[32];
} icu_cache;

static pthread_key_t icu_key;
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;

static void icu_cache_free(void *p)
{
	icu_cache *c = p;
	for (unsigned i = 0; i < NP_DF_SLOTS; i++) {
		if (c->df[i])
			udat_close(c->df[i]);
		free(c->memo[i]);
	}
	if (c->brk)
		ubrk_close(c->brk);
	free(c);
}

static void icu_key_init(void)
{
	pthread_key_create(&icu_key, icu_cache_free);
}

static icu_cache *icu(void)
{
	pthread_once(&icu_once, icu_key_init);
	icu_cache *c = pthread_getspecific(icu_key);
	if (!c) {
		c = np_xcalloc(1, sizeof *c);
		pthread_setspecific(icu_key, c);
	}
	return c;
}

static UBreakIterator *char_breaks(np_rctx *r)
{
	icu_cache *c = icu();
	if (c->brk && strcmp(c->brk_locale, locale(r)) == 0)
		return c->brk;
	if (c->brk)
		ubrk_close(c->brk);
	UErrorCode st = U_ZERO_ERROR;
	c->brk = ubrk_open(UBRK_CHARACTER, locale(r), NULL, 0, &st);
	if (U_FAILURE(st)) {
		if (c->brk)
			ubrk_close(c->brk);
		c->brk = NULL;
	}
	snprintf(c->brk_locale, sizeof c->brk_locale, "%s", locale(r));
	return c->brk;
}

/* Byte offset where the first n grapheme clusters of s end, or s.len when s
 * has at most limit clusters (nothing to cut). */
static size_t grapheme_cut(UBreakIterator *bi, np_str s, int64_t n, int64_t limit)
{
	UErrorCode st = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, s.p, (int64_t)s.len, &st);
	ubrk_setUText(bi, ut, &st);
	size_t cut = n == 0 ? 0 : s.len;
	int32_t b = ubrk_first(bi);
	for (int64_t i = 1; U_SUCCESS(st) && b != UBRK_DONE; i++) {
		b = ubrk_next(bi);
		if (i == n && b != UBRK_DONE)
			cut = (size_t)b;
		if (i == limit + 1) {
			utext_close(ut);
			return b == UBRK_DONE ? s.len : cut;
		}
	}
	utext_close(ut);
	return s.len;
}

/* The BMP code points whose Grapheme_Cluster_Break is Other.  No rule of
 * UAX #29 (nor ICU's additions, which join consonants across a virama, an
 * Extend) holds two of them together, so a run of them is as many clusters
 * as code points: the text of an archive, nearly always. */
static uint64_t gcb_other[0x10000 / 64];
static pthread_once_t gcb_once = PTHREAD_ONCE_INIT;

static void gcb_init(void)
{
	for (UChar32 c = 0; c < 0x10000; c++)
		if (u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK) == U_GCB_OTHER)
			gcb_other[c >> 6] |= UINT64_C(1) << (c & 63);
}

/* grapheme_cut(bi, s, n - 1, n) without ICU when s has at most n code
 * points, or when its first n + 1 are such a run of well-formed BMP code
 * points: then *cut is where its first n - 1 end (or s.len, nothing to
 * cut).  False when ICU must decide. */
static bool simple_cut(np_str s, int64_t n, size_t *cut)
{
	pthread_once(&gcb_once, gcb_init);
	size_t at = 0;
	*cut = s.len;
	for (int64_t i = 0; i <= n; i++) {
		if (at == s.len) {
			*cut = s.len; /* at most n code points: at most n clusters */
			return true;
		}
		if (i == n - 1)
			*cut = at;
		uint32_t cp;
		size_t k = np_utf8_decode(s.p + at, s.len - at, &cp);
		if (cp > 0xFFFF || (cp == 0xFFFD && k != 3) || !(gcb_other[cp >> 6] >> (cp & 63) & 1))
			return false;
		at += k;
	}
	return true;
}

FILTER(truncate)
{
	np_str s = NP_STR_NULL;
	int64_t n = 0;
	int rc = str_in(r, e, v, &s);
	if (!rc)
		rc = int_arg(r, e, args, 0, &n);
	if (rc)
		return rc;
	if (n < 1)
		return NP_RERR(r, e->u.filter.args[0],
		               "filter 'truncate': the length must be at "
		               "least 1");
	size_t cut;
	if (!simple_cut(s, n, &cut)) {
		if ((int64_t)np_utf8_count(s.p, s.len) <= n)
			return 0; /* at most n code points: at most n clusters */
		UBreakIterator *bi = char_breaks(r);
		if (!bi)
			return NP_RERR(r, e, "filter 'truncate': ICU break iterator unavailable");
		cut = grapheme_cut(bi, s, n - 1, n);
	}
	if (cut == s.len)
		return 0;
	np_buf_clear(&r->tmp);
	np_buf_put(&r->tmp, s.p, cut);
	np_buf_puts(&r->tmp, "…");
	*v = tmp_value(r, false);
	return 0;
}

/* ---- dates ---------------------------------------------------------------------- */

static bool parse_ymd(np_str s, int *y, int *m, int *d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
		return false;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s.p[i] < '0' || s.p[i] > '9'))
			return false;
	*y = (s.p[0] - '0') * 1000 + (s.p[1] - '0') * 100 + (s.p[2] - '0') * 10 + (s.p[3] - '0');
	*m = (s.p[5] - '0') * 10 + (s.p[6] - '0');
	*d = (s.p[8] - '0') * 10 + (s.p[9] - '0');
	bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= mdays[*m - 1] &&
	       (*m != 2 || *d < 29 || leap);
}

/* Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static UDateFormat *date_open(const char *loc, np_str fmt)
{
	static const struct {
		const char *name;
		UDateFormatStyle style;
	} styles[] = {{"full", UDAT_FULL},
	              {"long", UDAT_LONG},
	              {"medium", UDAT_MEDIUM},
	              {"short", UDAT_SHORT}};
	UErrorCode st = U_ZERO_ERROR;
	UChar tz[] = {'U', 'T', 'C', 0}, pat[64];
	UDateFormat *df = NULL;
	for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
		if (np_str_eq_c(fmt, styles[i].name))
			return udat_open(UDAT_NONE, styles[i].style, loc, tz, -1, NULL, 0, &st);
	int32_t n = 0;
	u_strFromUTF8(pat, 64, &n, fmt.p, (int32_t)fmt.len, &st);
	if (U_SUCCESS(st))
		df = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, tz, -1, pat, n, &st);
	if (U_FAILURE(st) && df) {
		udat_close(df);
		df = NULL;
	}
	return df;
}

/* The thread's formatter for fmt (a style name or an ICU pattern), or
 * NULL when ICU refuses it; *memo: its memo of formatted days. */
static UDateFormat *date_format(np_rctx *r, np_str fmt, df_memo **memo)
{
	icu_cache *c = icu();
	char key[64];
	int n = snprintf(key, sizeof key, "%s|%.*s", locale(r), (int)fmt.len, fmt.p);
	if (n < 0 || (size_t)n >= sizeof key)
		return NULL;
	for (unsigned i = 0; i < NP_DF_SLOTS; i++)
		if (c->df[i] && strcmp(c->df_key[i], key) == 0) {
			*memo = c->memo[i];
			return c->df[i];
		}
	UDateFormat *df = date_open(locale(r), fmt);
	if (!df)
		return NULL;
	unsigned slot = c->df_next++ % NP_DF_SLOTS;
	if (c->df[slot])
		udat_close(c->df[slot]);
	c->df[slot] = df;
	memcpy(c->df_key[slot], key, (size_t)n + 1);
	free(c->memo[slot]);
	*memo = c->memo[slot] = np_xcalloc(NP_DF_MEMO, sizeof **c->memo);
	return df;
}

static int format_date(np_rctx *r, const np_expr *e, int y, int m, int d, np_str fmt)
{
	np_buf_clear(&r->tmp);
	if (np_str_eq_c(fmt, "iso")) {
		np_buf_printf(&r->tmp, "%04d-%02d-%02d", y, m, d);
		return 0;
	}
	if (np_str_eq_c(fmt, "rfc3339")) {
		np_buf_printf(&r->tmp, "%04d-%02d-%02dT00:00:00Z", y, m, d);
		return 0;
	}
	df_memo *memo = NULL;
	UDateFormat *df = date_format(r, fmt, &memo);
	if (!df)
		return NP_RERR(r, e->u.filter.args[0], "filter 'date': bad format '%.*s'",
		               (int)fmt.len, fmt.p);
	long day = days_from_civil(y, m, d);
	df_memo *hit = &memo[(unsigned long)day % NP_DF_MEMO];
	if (hit->len && hit->day == day) {
		np_buf_put(&r->tmp, hit->s, hit->len);
		return 0;
	}
	UChar buf[128];
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = udat_format(df, (UDate)day * 86400000.0, buf, 128, NULL, &st);
	char u8[512];
	int32_t n8 = 0;
	if (U_SUCCESS(st))
		u_strToUTF8(u8, sizeof u8, &n8, buf, n, &st);
	if (U_FAILURE(st))
		return NP_RERR(r, e, "filter 'date': ICU failed: %s", u_errorName(st));
	np_buf_put(&r->tmp, u8, (size_t)n8);
	if (n8 > 0 && (size_t)n8 <= sizeof hit->s) {
		hit->day = day, hit->len = (uint8_t)n8;
		memcpy(hit->s, u8, (size_t)n8);
	}
	return 0;
}

FILTER(date)
{
	np_str fmt = NP_STR_NULL;
	int y = 0, m = 0, d = 0;
	int rc = str_arg(r, e, args, 0, &fmt);
	if (rc)
		return rc;
	if (v->type == NP_V_DATE) {
		y = v->u.date.y, m = v->u.date.m, d = v->u.date.d;
	} else if (v->type != NP_V_STR) {
		return type_error(r, e, "a date or a YYYY-MM-DD string", v);
	} else if (!parse_ymd(v->u.s, &y, &m, &d)) {
		return NP_RERR(r, e, "filter 'date': '%.*s' is not a YYYY-MM-DD date",
		               (int)v->u.s.len, v->u.s.p);
	}
	if ((rc = format_date(r, e, y, m, d, fmt)))
		return rc;
	*v = tmp_value(r, false);
	return 0;
}

/* ---- table ---------------------------------------------------------------------- */

static const np_filter filters[] = {
    {"absolute_url", 0, 0, f_absolute_url, false},
    {"date", 1, 1, f_date, false},
    {"default", 1, 1, f_default, true},
    {"escape", 0, 0, f_escape, false},
    {"first", 0, 0, f_first, false},
    {"join", 0, 1, f_join, false},
    {"json", 0, 0, f_json, false},
    {"last", 0, 0, f_last, false},
    {"length", 0, 0, f_length, false},
    {"lower", 0, 0, f_lower, false},
    {"pinyin", 0, 0, f_pinyin, false},
    {"relative_url", 0, 0, f_relative_url, false},
    {"safe", 0, 0, f_safe, false},
    {"slice", 1, 2, f_slice, false},
    {"truncate", 1, 1, f_truncate, false},
    {"upper", 0, 0, f_upper, false},
    {"url_encode", 0, 0, f_url_encode, false},
};

const np_filter *np_filter_find(np_str name)
{
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
		if (np_str_eq_c(name, filters[i].name))
			return &filters[i];
	return NULL;
}
