/* Line-level recognition: what a line is on its own, before context. */
#include "internal.h"

#include "text/reflow.h"
#include "util/utf8.h"

size_t np_page_cps(np_str s)
{
	return np_utf8_count(s.p, s.len);
}

bool np_page_has_punct(np_str s, bool commas)
{
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		i += np_utf8_decode(s.p + i, s.len - i, &cp);
		if (np_reflow_is_stop(cp) || cp == 0xFF1B || cp == 0xFF1A)
			return true;
		if (commas && (cp == 0xFF0C || cp == 0x3001))
			return true;
	}
	return false;
}

static np_str skip_prefix(np_str s, const char *pre)
{
	np_str p = np_str_from(pre);
	return np_str_starts(s, p) ? np_str_sub(s, p.len, s.len) : s;
}

static bool starts(np_str s, const char *pre)
{
	return np_str_starts(s, np_str_from(pre));
}
static bool ends(np_str s, const char *suf)
{
	return np_str_ends(s, np_str_from(suf));
}

/* Box labels: the heading of a 核心阅读 (key points) or 链接 (background)
 * box set inside an article; never a headline of its own. */
static bool is_box_label(np_str s)
{
	static const char *const labels[] = {"核心阅读", "链接",     "相关链接",
	                                     "延伸阅读", "背景链接", "小资料",
	                                     "记者手记", "编者按",   "短评"};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (np_str_eq_c(s, labels[i]))
			return true;
	return false;
}

/* Section labels: a region or column name set before a headline (江西：,
 * page 000's teasers; 贵州：, page 003) or a bracketed column tag after one
 * (（探访）).  Short, nothing but the name and the mark. */
static bool is_label(np_str s)
{
	size_t n = np_page_cps(s);
	if (n >= 2 && n <= 7 && ends(s, "：")) {
		np_str name = {s.p, s.len - 3};
		return !np_page_has_punct(name, true);
	}
	if (n >= 3 && n <= 8 && starts(s, "（") && ends(s, "）") && !starts(s, "（据"))
		return !np_page_has_punct(np_str_sub(s, 3, s.len - 6), true);
	return false;
}

np_lkind np_page_classify_line(np_str text)
{
	text = np_str_trim(text);
	if (!text.len)
		return NP_L_BLANK;
	if (text.p[0] == '#')
		return NP_L_HEADMARK;
	if (is_box_label(text))
		return NP_L_BOX;
	if (is_label(text))
		return NP_L_LABEL;
	if (np_page_source_line(text, NULL, NULL, NULL))
		return NP_L_SOURCE;
	if (np_page_byline(text, NULL, NULL))
		return NP_L_BYLINE;
	size_t n = np_page_cps(text);
	if (n <= 40 && ends(text, "——") && n > 2)
		return NP_L_KICKER;
	if (n <= 40 && starts(text, "——") && n > 2)
		return NP_L_SUBTITLE;
	return NP_L_TEXT;
}

/* ---- bylines ---------------------------------------------------------- */

static const char *const roles[] = {"本报特约记者", "本报通讯员", "本报实习生", "本报记者",
                                    "特约记者",     "通讯员",     "实习生",     "记者",
                                    "文/",          "文／",       "摄影"};

static size_t role_at(np_str s)
{
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
		if (starts(s, roles[i]))
			return strlen(roles[i]);
	return 0;
}

/* A names segment: Han names of 1-4 characters (1 for padded names such as
 * 王  勇) separated by spaces or 、, at most 8 of them. */
static bool names_ok(np_str seg, size_t *next_role)
{
	size_t tok = 0, toks = 0, han = 0;
	*next_role = seg.len;
	for (size_t i = 0; i < seg.len;) {
		if (role_at(np_str_sub(seg, i, seg.len)) && (tok == 0)) {
			*next_role = i;
			break;
		}
		uint32_t cp;
		size_t k = np_utf8_decode(seg.p + i, seg.len - i, &cp);
		if (cp == ' ' || cp == 0x3000 || cp == 0x3001 || cp == '\t') {
			tok = 0;
		} else if (np_is_han(cp) || cp == 0x00B7) {
			if (tok++ == 0)
				toks++;
			if (tok > 4)
				return false;
			han++;
		} else {
			return false;
		}
		i += k;
	}
	return han >= 2 && toks <= 8;
}

/* Appends the names of seg to canon joined by 、 (王  勇  李明 -> 王勇、李明). */
static void canon_names(np_str seg, np_arena *a, np_buf *canon)
{
	np_strlist l = {0};
	np_text_split_names(seg, a, &l);
	for (size_t i = 0; i < l.len; i++) {
		if (i)
			np_buf_puts(canon, "、");
		np_buf_putstr(canon, l.items[i]);
	}
}

/* Role words and their names, one segment after the other.  Strict: the
 * role of a byline without a bullet is followed by a space ("记者从贵州省
 * 民政厅了解" on page 003 is a sentence).  Lenient inside a dateline's
 * brackets, where （记者陈晓、林立新） is the usual form. */
static bool byline_parse(np_str s, bool strict, np_arena *a, np_strlist *names, np_buf *canon)
{
	while (s.len) {
		size_t r = role_at(s);
		if (!r)
			return false;
		if (strict && r < s.len && s.p[r] != ' ' && s.p[r] != '\t')
			return false;
		np_str rest = np_str_sub(s, r, s.len);
		size_t next;
		if (!names_ok(rest, &next))
			return false;
		np_str seg = np_str_trim(np_str_sub(rest, 0, next));
		if (a && names)
			np_text_split_names(seg, a, names);
		if (a && canon) {
			if (canon->len)
				np_buf_putc(canon, ' ');
			np_buf_put(canon, s.p, r);
			canon_names(seg, a, canon);
		}
		s = np_str_trim(np_str_sub(rest, next, rest.len));
	}
	return true;
}

bool np_page_byline(np_str raw, np_arena *a, np_strlist *names)
{
	np_str s = np_str_trim(raw);
	bool bullet = false;
	static const char *const bullets[] = {"■", "□", "●", "◆", "▲", "★"};
	for (size_t i = 0; i < sizeof bullets / sizeof *bullets; i++)
		if (starts(s, bullets[i])) {
			s = np_str_trim(skip_prefix(s, bullets[i]));
			bullet = true;
		}
	if (np_page_cps(s) > 40 || !role_at(s))
		return false;
	return byline_parse(s, !bullet, a, names, NULL);
}

bool np_page_reporters(np_str inner, np_arena *a, np_strlist *names, np_buf *canon)
{
	inner = np_str_trim(inner);
	if (np_page_cps(inner) > 40 || !role_at(inner))
		return false;
	return byline_parse(inner, false, a, names, canon);
}

/* ---- source lines ----------------------------------------------------- */

static np_str clean_outlet(np_str s, np_arena *a)
{
	np_buf b;
	np_buf_init(&b);
	s = np_str_trim(s);
	static const char *const tails[] = {"报道", "消息", "电"};
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++)
		if (ends(s, tails[i]) && np_page_cps(s) > 3)
			s.len -= strlen(tails[i]);
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		size_t k = np_utf8_decode(s.p + i, s.len - i, &cp);
		if (cp != 0x300A && cp != 0x300B && cp != ' ')
			np_buf_put(&b, s.p + i, k);
		i += k;
	}
	np_str r = np_arena_str(a, np_str_of(&b));
	np_buf_dispose(&b);
	return r;
}

static bool bracketed(np_str s, np_str *inner)
{
	if (!(starts(s, "（") && ends(s, "）")) && !(starts(s, "(") && ends(s, ")")))
		return false;
	size_t o = s.p[0] == '(' ? 1 : 3, c = s.p[s.len - 1] == ')' ? 1 : 3;
	if (s.len < o + c)
		return false;
	*inner = np_str_trim(np_str_sub(s, o, s.len - o - c));
	return true;
}

static bool source_inner(np_str in, np_arena *a, np_str *source, np_strlist *authors)
{
	if (starts(in, "据") && np_page_cps(in) <= 31 && !np_page_has_punct(in, false)) {
		if (a)
			*source = clean_outlet(skip_prefix(in, "据"), a);
		return true;
	}
	if ((starts(in, "新华社") || starts(in, "中新社")) &&
	    np_str_find(in, NP_STR("电")) != (size_t)-1) {
		if (a)
			*source = np_arena_str(a, np_str_sub(in, 0, 9));
		return true;
	}
	if (starts(in, "本报记者") &&
	    (ends(in, "整理") || ends(in, "采写") || ends(in, "采访整理"))) {
		np_str names = skip_prefix(in, "本报记者");
		static const char *const tails[] = {"采访整理", "整理", "采写"};
		for (size_t i = 0; i < 3; i++)
			if (ends(names, tails[i])) {
				names.len -= strlen(tails[i]);
				break;
			}
		if (a && authors)
			np_text_split_names(np_str_trim(names), a, authors);
		return true;
	}
	return false;
}

bool np_page_source_line(np_str text, np_arena *a, np_str *source, np_strlist *authors)
{
	np_str s = np_str_trim(text), in;
	if (np_page_cps(s) > 48)
		return false;
	if (bracketed(s, &in)) {
		if (starts(in, "来源："))
			s = in;
		else
			return source_inner(in, a, source, authors);
	}
	static const char *const pres[] = {"来源：", "稿件来源：", "文章来源："};
	for (size_t i = 0; i < 3; i++)
		if (starts(s, pres[i]) && np_page_cps(s) <= 30 &&
		    !np_page_has_punct(skip_prefix(s, pres[i]), false)) {
			if (a)
				*source = clean_outlet(skip_prefix(s, pres[i]), a);
			return true;
		}
	return false;
}

size_t np_page_tail_source(np_str para)
{
	if (!ends(para, "）"))
		return para.len;
	/* The last （ of the paragraph; a reprint line run into the last
	 * sentence, as page 001's 奠定基础。（据《福建日报》）. */
	size_t at = para.len;
	for (size_t i = 0; i + 3 <= para.len; i++)
		if (memcmp(para.p + i, "（", 3) == 0)
			at = i;
	if (at == para.len || at == 0)
		return para.len;
	np_str tail = np_str_sub(para, at, para.len);
	np_str before = {para.p, at};
	if (!np_reflow_ends_sentence(before) || !np_page_source_line(tail, NULL, NULL, NULL))
		return para.len;
	return at;
}

/* ---- captions --------------------------------------------------------- */

size_t np_page_paren_tail(np_str s)
{
	if (!ends(s, "）"))
		return s.len;
	for (size_t i = s.len; i >= 3; i--)
		if (memcmp(s.p + i - 3, "（", 3) == 0)
			return np_page_cps(np_str_sub(s, i, s.len)) <= 8 ? i - 3 : s.len;
	return s.len;
}

static np_str drop_paren_tail(np_str s)
{
	return np_str_trim((np_str){s.p, np_page_paren_tail(s)});
}

bool np_page_is_caption(np_str first, np_str last, size_t nlines)
{
	if (nlines > 4)
		return false;
	first = np_str_trim(first);
	static const char *const heads[] = {"图为",   "图：",   "上图：", "下图：", "左图：",
	                                    "右图：", "题图：", "上图为", "下图为"};
	for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
		if (starts(first, heads[i]))
			return true;
	uint32_t c1 = np_reflow_first_cp(np_str_sub(first, 3, first.len));
	if (starts(first, "图") && c1 >= 0x2460 && c1 <= 0x2473)
		return true; /* 图①：… */
	np_str l = drop_paren_tail(np_str_trim(last));
	if (np_page_cps(l) > 40 || np_page_has_punct(np_str_trim(last), false))
		return false;
	if (ends(l, "供图") || ends(l, "资料图片") || ends(l, "新华社发") || ends(l, "人民视觉"))
		return true;
	if (!ends(l, "摄"))
		return false;
	/* A photographer's credit "王勇摄" / "王  勇  摄", not "航拍摄". */
	np_str before = np_str_trim((np_str){l.p, l.len - 3});
	uint32_t p = np_reflow_last_cp(before);
	return np_is_han(p) && p != 0x62CD && p != 0x822A && p != 0x6240;
}

/* ---- ledes -------------------------------------------------------------- */

/* A month-day date opening the text: 5月2日 / 12月31日 (digits, ASCII
 * after normalisation). */
static bool date_first(np_str s)
{
	size_t i = 0, d = 0;
	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
		i++, d++;
	if (!d || d > 2 || !starts(np_str_sub(s, i, s.len), "月"))
		return false;
	i += 3, d = 0;
	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
		i++, d++;
	return d >= 1 && d <= 2 && starts(np_str_sub(s, i, s.len), "日");
}

np_lede np_page_lede_opener(np_str p)
{
	static const char *const when[] = {
	    "近日", "日前", "昨天", "昨日",   "今天",     "今日",    "前不久", "近期",
	    "本周", "上周", "清晨", "早上",   "上午",     "中午",    "下午",   "傍晚",
	    "晚上", "凌晨", "深夜", "记者从", "记者近日", "记者日前"};
	np_str head = np_str_sub(p, 0, p.len < 90 ? p.len : 90);
	if ((starts(p, "本报") &&
	     (np_str_find(head, NP_STR("电（")) != (size_t)-1 || starts(p, "本报讯"))) ||
	    ((starts(p, "新华社") || starts(p, "中新社")) &&
	     np_str_find(head, NP_STR("日电")) != (size_t)-1))
		return NP_LEDE_DATELINE;
	if (date_first(p))
		return NP_LEDE_WHEN;
	for (size_t i = 0; i < sizeof when / sizeof *when; i++)
		if (starts(p, when[i]))
			return NP_LEDE_WHEN;
	return NP_LEDE_NONE;
}
