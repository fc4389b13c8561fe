/* People: only names that a pattern makes reliable — a title right before
 * a name (会长陈存根, 副局长李雅平, 一级调研员李雪梅) and a word or
 * punctuation right after it.  No dictionary guessing: a name is a common
 * surname plus one or two characters, tried three characters first and
 * kept only when what follows is a delimiter (王芳分享了 gives 王芳,
 * 彭东一行 gives 彭东).  Bylines are page/'s business (authors). */
#include "meta/internal.h"

static const char *const titles[] = {
	"会长", "秘书长", "理事长", "监事长", "局长", "厅长", "司长", "处长", "主任", "委员",
	"书记", "市长", "县长", "区长", "省长", "主席", "总经理", "院长", "校长", "教授",
	"研究员", "总干事", "部长", "社长", "总编辑", "董事长", "总裁", "调研员", "所长",
	"站长", "馆长", "专家", "总监", "干事", "导师", "主持人", NULL,
};
/* What may follow a name. */
static const char *const after[] = {
	"表示", "指出", "强调", "介绍", "分享", "主持", "出席", "在", "作", "以", "对", "进行",
	"代表", "共同", "分别", "和", "与", "及", "等", "一行", "说", "认为", "提出", "希望",
	"致辞", "讲话", "为", "参加", "担任", "也", "还", "就", "从", "阐述", "签署", "被",
	"带领", "宣布", "总结", "寄语", "肯定", "充分", "要求", "围绕", "发表", "作了", NULL,
};
/* Characters that cannot be part of a given name here. */
static const char stop_chars[] = "的了在与等及是为对将也都会市省县区局厅部院校长副以从向被把作说";
static const char surnames[] =
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
	"程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
	"顾毛郝龚邵万钱严覃武戴莫孔向汤康乔管靳祝艾洪席慕雷申胡全关温严";

/* Words a title can precede that are not names (专家顾问). */
static const char *const not_names[] = {"顾问", "助理", "代表", "成员", NULL};

static bool in_set(const char *set, const np_cps *c, size_t i)
{
	if (i >= c->n)
		return false;
	const char *p = c->text.p + c->off[i];
	size_t n = c->off[i + 1] - c->off[i];
	for (const char *s = set; *s; s += 3)
		if (n == 3 && memcmp(s, p, 3) == 0)
			return true;
	return false;
}

static bool name_char(const np_cps *c, size_t i)
{
	return i < c->n && c->cp[i] >= 0x4E00 && c->cp[i] <= 0x9FFF && !in_set(stop_chars, c, i);
}

static bool delim_at(const np_cps *c, size_t i)
{
	return i >= c->n || np_meta_is_punct(c->cp[i]) || np_cps_word_at(c, i, after);
}

/* Length of the name starting at i (3 or 2 code points), or 0. */
static size_t name_len(const np_cps *c, size_t i)
{
	if (!in_set(surnames, c, i) || !np_cps_word_ending(c, i, titles) ||
	    np_cps_word_at(c, i, not_names))
		return 0;
	if (name_char(c, i + 1) && name_char(c, i + 2) && delim_at(c, i + 3))
		return 3;
	if (name_char(c, i + 1) && delim_at(c, i + 2))
		return 2;
	return 0;
}

/* Appends [s, e) to the span array, growing it geometrically. */
static void push_span(size_t **spans, size_t *n, np_arena *a, size_t s, size_t e)
{
	if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4 ...: full */
		size_t *sp = NP_ANEWN(a, size_t, (*n ? *n * 2 : 1) * 2);
		if (*n)
			memcpy(sp, *spans, *n * 2 * sizeof *sp);
		*spans = sp;
	}
	(*spans)[*n * 2] = s;
	(*spans)[*n * 2 + 1] = e;
	(*n)++;
}

void np_meta_scan_people(np_str s, np_arena *a, np_strlist *out, size_t **spans,
                         size_t *n_spans)
{
	np_cps c;
	if (s.len == 0)
		return;
	np_cps_init(&c, s, a);
	for (size_t i = 0; i < c.n; i++) {
		size_t n = name_len(&c, i);
		if (!n)
			continue;
		np_str name = {s.p + c.off[i], c.off[i + n] - c.off[i]};
		np_strlist_add_unique(out, a, np_arena_str(a, name));
		if (spans)
			push_span(spans, n_spans, a, c.off[i], c.off[i + n]);
		i += n - 1;
	}
}
