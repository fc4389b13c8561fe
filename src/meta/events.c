/* Event names in running text and their canonical keys.
 *
 * Two sources (issue 5):
 *  1. quoted programme names: “牵手计划”, “五社联动”, “村村播 家家富” —
 *     a short quotation without clause punctuation that ends in an event
 *     word or is followed closely by 试点/活动/项目/计划/行动/工程/机制;
 *  2. names ending in an event word (大会, 会议, 论坛, 研讨会, …现场会,
 *     启动仪式, 活动, 计划, 项目 …), delimited on the right by punctuation
 *     or a function word (在/举行/召开/的 …) and on the left by punctuation,
 *     a verb or preposition that introduces the name (召开/举办/由/的 …) or
 *     an ordinal that opens it (第二届, 首届).
 * Generic phrases are not events: a name opening with a determiner (本次,
 * 此次 …) is none; after dropping ordinals and years, a meeting name needs
 * five characters before its event word (视频会议, 成立大会, 沙龙论坛 are
 * not names) and a programme name (…活动/项目/计划) a mark of a proper
 * name: a quotation, an ordinal, a year or a scope word (全国, 全省 …).
 * docs/events.md describes the rules for editors. */
#include <stdlib.h>

#include "meta/internal.h"

/* Longest first, so 启动仪式 wins over 仪式 and 研讨会 over 会. */
static const char *const meeting_words[] = {
    "启动仪式", "签约仪式", "颁奖典礼", "揭牌仪式", "开幕式", "研讨会", "交流会", "推进会",
    "现场会",   "座谈会",   "协调会",   "培训班",   "博览会", "展览会", "发布会", "推介会",
    "报告会",   "表彰会",   "联席会议", "大会",     "会议",   "论坛",   "峰会",   "年会",
    "大赛",     "创新周",   "宣传周",   "活动周",   "宣传月", "运动会", "交易会", "洽谈会",
    "展销会",   "招聘会",   "文化节",   "艺术节",   "旅游节", NULL,
};
static const char *const programme_words[] = {"活动", "计划", "项目", "工程", "行动", NULL};
/* What may follow a quotation for it to name a programme (“五社联动”试点). */
static const char *const quote_triggers[] = {"试点", "活动", "项目", "计划",
                                             "行动", "工程", "机制", NULL};
/* Words after which a name cannot continue to the right. */
static const char *const right_stops[] = {
    "在",   "于",   "上",   "期间", "举行", "举办", "召开", "开幕", "闭幕", "落幕", "结束",
    "的",   "中",   "后",   "前",   "并",   "将",   "由",   "时",   "现场", "正式", "顺利",
    "圆满", "进行", "以",   "为",   "是",   "和",   "与",   "及",   "等",   "已",   "也",
    "还",   "第",   "之际", "日前", "近日", "今天", "上线", "系列", NULL,
};
/* Words that introduce a name: the name starts after them. */
static const char *const left_stops[] = {
    "的",   "在",   "了",   "召开",     "举办",     "举行",     "开展", "参加", "出席", "主持",
    "启动", "实施", "发起", "承办",     "主办",     "纳入",     "围绕", "由",   "于",   "对",
    "将",   "把",   "为",   "是",       "以",       "等",       "到",   "赴",   "向",   "就",
    "通过", "作为", "推出", "深入推进", "加快推进", "扎实推进", "落实", "加强", "推动", NULL,
};
/* A name opening with one of these refers back to an event (本次研讨会)
 * or describes a kind of event: never a name. */
static const char *const determiners[] = {
    "本次", "此次", "这次",   "本届", "上述", "相关", "有关", "各类",
    "各项", "各种", "一系列", "系列", "两次", "一次", "这些", "各地",
    "各级", "全体", "此前",   "该",   "这",   "此",   "其",   NULL,
};
static const char *const scope_words[] = {"全国", "全省", "全市", "全区", "全县", "全球",
                                          "国际", "中国", "首届", "首期", NULL};

static bool is_han(uint32_t cp)
{
	return cp >= 0x3400 && cp <= 0x9FFF;
}

static bool is_num(uint32_t cp)
{
	static const uint32_t han[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
	                               0x516B, 0x4E5D, 0x5341, 0x767E, 0x96F6, 0x3007, 0x4E24};
	if (cp >= '0' && cp <= '9')
		return true;
	for (size_t k = 0; k < sizeof han / sizeof han[0]; k++)
		if (cp == han[k])
			return true;
	return false;
}

/* An ordinal starting at i: 第N届/第N期/第N次/第N阶段/首届/首期.  Returns its
 * length in code points, or 0. */
static size_t ordinal_at(const np_cps *c, size_t i)
{
	if (np_cps_has(c, i, "首届") || np_cps_has(c, i, "首期"))
		return 2;
	if (!np_cps_has(c, i, "第"))
		return 0;
	size_t k = i + 1;
	while (k < c->n && is_num(c->cp[k]))
		k++;
	if (k == i + 1)
		return 0;
	if (np_cps_has(c, k, "届") || np_cps_has(c, k, "期") || np_cps_has(c, k, "次"))
		return k + 1 - i;
	if (np_cps_has(c, k, "阶段"))
		return k + 2 - i;
	return 0;
}

/* A year 2023年 / 2022年度 starting at i: its length, or 0. */
static size_t year_at(const np_cps *c, size_t i)
{
	for (size_t k = i; k < i + 4; k++)
		if (k >= c->n || c->cp[k] < '0' || c->cp[k] > '9')
			return 0;
	if (i > 0 && c->cp[i - 1] >= '0' && c->cp[i - 1] <= '9')
		return 0;
	if (!np_cps_has(c, i + 4, "年"))
		return 0;
	return np_cps_has(c, i + 5, "度") ? 6 : 5;
}

/* The ordinal ending at index end (exclusive), if any: its start, else end. */
static size_t ordinal_ending(const np_cps *c, size_t end)
{
	for (size_t back = 2; back <= 8 && back <= end; back++)
		if (ordinal_at(c, end - back) == back)
			return end - back;
	return end;
}

static void put_range(np_buf *b, const np_cps *c, size_t s, size_t e)
{
	np_buf_put(b, c->text.p + c->off[s], c->off[e] - c->off[s]);
}

/* Display form of a raw name (see np_meta_event_key) into b. */
static void display_of(np_str name, np_arena *a, np_buf *b)
{
	np_cps c;
	np_cps_init(&c, np_str_trim(name), a);
	size_t s = 0, e = c.n;
	/* Ends with a quoted programme: the programme is the event. */
	if (e >= 3 && c.cp[e - 1] == 0x201D) {
		size_t q = e - 1;
		while (q > 0 && c.cp[q - 1] != 0x201C)
			q--;
		if (q > 0) {
			s = q;
			e = e - 1;
		}
	}
	for (size_t i = s; i < e;) {
		size_t n = ordinal_at(&c, i);
		/* 第N届, 第N期, 首届 go (a series is one event); 第N次, 第N阶段 stay. */
		if (n && !(np_cps_has(&c, i + n - 1, "届") || np_cps_has(&c, i + n - 1, "期")))
			n = 0;
		if (!n)
			n = year_at(&c, i);
		if (!n) {
			put_range(b, &c, i, i + 1);
			n = 1;
		}
		i += n;
	}
	np_str d = np_str_trim(np_str_of(b));
	if (np_str_starts(d, NP_STR("“")) && np_str_ends(d, NP_STR("”")) &&
	    np_str_find(np_str_sub(d, 3, d.len - 6), NP_STR("“")) == (size_t)-1) {
		memmove(b->data, d.p + 3, d.len - 6);
		np_buf_truncate(b, d.len - 6);
	}
}

/* The key of a display name: no quotation or title marks, dots, spaces. */
static np_str key_of(np_str display, np_arena *a)
{
	static const char *const drop[] = {"“",  "”",  "‘", "’", "《",           "》", "·",
	                                   "・", "\"", "'", " ", "\xe3\x80\x80", NULL};
	np_buf b;
	np_buf_init(&b);
	for (size_t i = 0; i < display.len;) {
		size_t n = 0;
		for (size_t k = 0; drop[k] && !n; k++)
			if (np_str_starts(np_str_sub(display, i, (size_t)-1), np_str_from(drop[k])))
				n = strlen(drop[k]);
		if (!n) {
			np_buf_putc(&b, display.p[i]);
			n = 1;
		}
		i += n;
	}
	np_str k = np_arena_str(a, np_str_of(&b));
	np_buf_dispose(&b);
	return k;
}

np_str np_meta_event_raw_key(np_str name, np_arena *a, np_str *display)
{
	np_buf b;
	np_buf_init(&b);
	display_of(name, a, &b);
	*display = np_arena_str(a, np_str_trim(np_str_of(&b)));
	np_buf_dispose(&b);
	return key_of(*display, a);
}

typedef struct ev_found {
	size_t start; /* code-point index, for text order */
	np_str name;
} ev_found;

typedef struct ev_ctx {
	const np_events *ev;
	np_arena *a;
	np_strlist *keys, *out;
	ev_found *found; /* both scans' finds, emitted in text order */
	size_t n_found, cap_found;
} ev_ctx;

static void emit(ev_ctx *x, np_str name)
{
	np_str key, disp;
	if (np_meta_event_key(name, x->ev, x->a, &key, &disp) || key.len == 0)
		return;
	if (x->keys->len >= NP_META_MAX_LIST || np_strlist_has(x->keys, key))
		return;
	np_strlist_add(x->keys, x->a, key);
	np_strlist_add(x->out, x->a, np_arena_str(x->a, disp));
}

static void emit_range(ev_ctx *x, const np_cps *c, size_t s, size_t e)
{
	if (x->n_found == x->cap_found) {
		size_t cap = x->cap_found ? x->cap_found * 2 : 16;
		ev_found *n = NP_ANEWN(x->a, ev_found, cap);
		if (x->n_found)
			memcpy(n, x->found, x->n_found * sizeof *n);
		x->found = n;
		x->cap_found = cap;
	}
	x->found[x->n_found++] = (ev_found){s, {c->text.p + c->off[s], c->off[e] - c->off[s]}};
}

static int cmp_found(const void *a, const void *b)
{
	const ev_found *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->name.p < y->name.p ? -1 : x->name.p > y->name.p;
}

static size_t han_count(const np_cps *c, size_t s, size_t e)
{
	size_t n = 0;
	for (size_t i = s; i < e; i++)
		n += is_han(c->cp[i]);
	return n;
}

/* The closing quote matching the opening quote at p, within 24 code points
 * and without clause punctuation inside; or 0. */
static size_t quote_close(const np_cps *c, size_t p)
{
	for (size_t q = p + 1; q < c->n && q <= p + 25; q++) {
		if (c->cp[q] == 0x201D)
			return q;
		if (c->cp[q] == 0x201C ||
		    (np_meta_is_punct(c->cp[q]) && c->cp[q] != ' ' && c->cp[q] != 0x3000))
			return 0;
	}
	return 0;
}

/* The opening quote matching the closing quote at q, or (size_t)-1. */
static size_t quote_open(const np_cps *c, size_t q)
{
	for (size_t p = q; p-- > 0 && p + 25 >= q;) {
		if (c->cp[p] == 0x201C)
			return quote_close(c, p) == q ? p : (size_t)-1;
		if (c->cp[p] == 0x201D)
			return (size_t)-1;
	}
	return (size_t)-1;
}

/* Source 1: quoted programme names. */
static void scan_quotes(ev_ctx *x, const np_cps *c)
{
	for (size_t p = 0; p < c->n; p++) {
		size_t q;
		if (c->cp[p] != 0x201C || !(q = quote_close(c, p)) || han_count(c, p + 1, q) < 2)
			continue;
		bool named = np_cps_word_ending(c, q, meeting_words) ||
		             np_cps_word_ending(c, q, programme_words);
		/* A trigger word after at most six Han characters (spaces aside). */
		for (size_t k = q + 1, gap = 0; !named && k < c->n && gap <= 6; k++) {
			if (np_cps_word_at(c, k, quote_triggers))
				named = true;
			else if (is_han(c->cp[k]))
				gap++;
			else if (c->cp[k] != ' ')
				break;
		}
		if (named)
			emit_range(x, c, p + 1, q);
	}
}

/* Where a name ending at index end (its event word starting at ws) begins:
 * after punctuation, a spaces outside quotes or an introducing word, at an
 * opening ordinal, at most 40 code points back; quotations are crossed. */
static size_t name_start(const np_cps *c, size_t ws)
{
	size_t j = ws;
	while (j > 0 && ws - j < 40) {
		uint32_t cp = c->cp[j - 1];
		if (cp == 0x201D) {
			size_t p = quote_open(c, j - 1);
			if (p == (size_t)-1)
				break;
			j = p;
			continue;
		}
		/* A dash between Chinese characters joins a name (中国—东盟). */
		bool dash = (cp == 0x2014 || cp == '-') && j >= 2 && is_han(c->cp[j - 2]) &&
		            is_han(c->cp[j]);
		if ((np_meta_is_punct(cp) && !dash) || np_cps_word_ending(c, j, left_stops))
			break;
		size_t o = ordinal_ending(c, j);
		if (o < j)
			return o;
		j--;
	}
	return j;
}

/* True when the name [s, e) with its event word of wlen code points is a
 * proper name rather than a generic phrase (see the file comment). */
static bool is_named(const np_cps *c, size_t s, size_t e, size_t wlen, bool programme)
{
	bool marked = false;
	for (size_t i = s; i < e; i++)
		if (c->cp[i] == 0x201C)
			return true;
	while (s < e) {
		size_t n = ordinal_at(c, s);
		if (!n)
			n = year_at(c, s);
		if (n) {
			marked = true;
			s += n;
			continue;
		}
		if (np_cps_word_at(c, s, determiners))
			return false;
		if (np_cps_word_at(c, s, scope_words))
			marked = true;
		break;
	}
	size_t body = e - wlen > s ? han_count(c, s, e - wlen) : 0;
	return programme ? marked && body >= 2 : body >= 5;
}

static bool right_ok(const np_cps *c, size_t e)
{
	if (e >= c->n)
		return true;
	if (c->cp[e] == 0x201D)
		return false; /* inside a quotation: scan_quotes() decides */
	return np_meta_is_punct(c->cp[e]) || np_cps_word_at(c, e, right_stops);
}

/* Emits the name [s, e): split at 暨 when the part before it is itself an
 * event; a name that ends, but for a short tail (≤ 6 code points), in a
 * quotation is that quoted programme (“村村播 家家富”公益助农活动). */
static void emit_name(ev_ctx *x, const np_cps *c, size_t s, size_t e, size_t wlen, bool prog)
{
	for (size_t t = s + 1; t + 1 < e; t++) {
		if (!np_cps_has(c, t, "暨"))
			continue;
		size_t w1 = np_cps_word_ending(c, t, meeting_words);
		size_t p1 = w1 ? 0 : np_cps_word_ending(c, t, programme_words);
		if (w1 || p1) {
			emit_name(x, c, s, t, w1 ? w1 : p1, !w1);
			emit_name(x, c, t + 1, e, wlen, prog);
			return;
		}
	}
	for (size_t q = e; q-- > s && e - q <= 7;) {
		if (c->cp[q] != 0x201D)
			continue;
		size_t p = quote_open(c, q);
		if (p != (size_t)-1 && p >= s && han_count(c, p + 1, q) >= 2) {
			emit_range(x, c, p + 1, q);
			return;
		}
		break;
	}
	if (is_named(c, s, e, wlen, prog))
		emit_range(x, c, s, e);
}

/* The last characters of the event words, sorted, to skip most positions
 * with one lookup: 式礼会坛议班赛周月动划目程节. */
static const uint32_t word_ends[] = {0x4F1A, 0x5212, 0x52A8, 0x5468, 0x575B, 0x5F0F, 0x6708,
                                     0x73ED, 0x76EE, 0x793C, 0x7A0B, 0x8282, 0x8BAE, 0x8D5B};
static np_cpset word_end_set = NP_CPSET(word_ends);

/* Source 2: names ending in an event word. */
static void scan_suffixes(ev_ctx *x, const np_cps *c)
{
	for (size_t e = 1; e <= c->n; e++) {
		bool prog = false;
		if (!np_cpset_has(&word_end_set, c->cp[e - 1]))
			continue;
		size_t wl = np_cps_word_ending(c, e, meeting_words);
		if (!wl) {
			wl = np_cps_word_ending(c, e, programme_words);
			prog = true;
		}
		if (!wl || !right_ok(c, e))
			continue;
		emit_name(x, c, name_start(c, e - wl), e, wl, prog);
	}
}

void np_meta_scan_events(const np_cps *c, const np_events *ev, np_arena *a, np_strlist *keys,
                         np_strlist *out)
{
	ev_ctx x = {ev, a, keys, out, NULL, 0, 0};
	scan_suffixes(&x, c);
	scan_quotes(&x, c);
	if (x.n_found)
		qsort(x.found, x.n_found, sizeof *x.found, cmp_found);
	for (size_t k = 0; k < x.n_found; k++)
		emit(&x, x.found[k].name);
}
