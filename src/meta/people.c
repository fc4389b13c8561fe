/* People: only names that a pattern makes reliable — a title right before
 * a name (会长陈存根, 副局长李雅平, 一级调研员李雪梅) and a word or
 * punctuation right after it.  No dictionary guessing: a name is a common
 * surname plus one or two characters, tried three characters first and
 * kept only when what follows is a delimiter (王芳分享了 gives 王芳,
 * 彭东一行 gives 彭东).  Bylines are page/'s business (authors). */
#include "meta/internal.h"

static const char *const titles[] = {
    "会长",   "秘书长", "理事长", "监事长", "局长",   "厅长",   "司长",   "处长",   "主任", "委员",
    "书记",   "市长",   "县长",   "区长",   "省长",   "主席",   "总经理", "院长",   "校长", "教授",
    "研究员", "总干事", "部长",   "社长",   "总编辑", "董事长", "总裁",   "调研员", "所长", "站长",
    "馆长",   "专家",   "总监",   "干事",   "导师",   "主持人", NULL,
};
/* What may follow a name. */
static const char *const after[] = {
    "表示", "指出", "强调", "介绍", "分享", "主持", "出席", "在",   "作",   "以",   "对",   "进行",
    "代表", "共同", "分别", "和",   "与",   "及",   "等",   "一行", "说",   "认为", "提出", "希望",
    "致辞", "讲话", "为",   "参加", "担任", "也",   "还",   "就",   "从",   "阐述", "签署", "被",
    "带领", "宣布", "总结", "寄语", "肯定", "充分", "要求", "围绕", "发表", "作了", NULL,
};
/* Characters that cannot be part of a given name here, sorted:
 * 的了在与等及是为对将也都会市省县区局厅部院校长副以从向被把作说. */
static const uint32_t stop_chars[] = {
    0x4E0E, 0x4E3A, 0x4E5F, 0x4E86, 0x4ECE, 0x4EE5, 0x4F1A, 0x4F5C, 0x526F, 0x533A, 0x5385,
    0x53BF, 0x53CA, 0x5411, 0x5728, 0x5BF9, 0x5C06, 0x5C40, 0x5E02, 0x628A, 0x662F, 0x6821,
    0x7684, 0x7701, 0x7B49, 0x88AB, 0x8BF4, 0x90E8, 0x90FD, 0x957F, 0x9662};
/* Common surnames, sorted (the hundred-odd most frequent single-character
 * surnames). */
static const uint32_t surnames[] = {
    0x4E01, 0x4E07, 0x4E25, 0x4E54, 0x4ED8, 0x4EFB, 0x4F55, 0x4F59, 0x4FAF, 0x5168, 0x5173, 0x51AF,
    0x5218, 0x5362, 0x53F2, 0x53F6, 0x5411, 0x5415, 0x5434, 0x5468, 0x5510, 0x590F, 0x59DA, 0x59DC,
    0x5B54, 0x5B59, 0x5B5F, 0x5B8B, 0x5C39, 0x5D14, 0x5E2D, 0x5EB7, 0x5ED6, 0x5F20, 0x5F6D, 0x5F90,
    0x6155, 0x6234, 0x65B9, 0x66F9, 0x66FE, 0x6731, 0x674E, 0x675C, 0x6768, 0x6797, 0x6881, 0x6B66,
    0x6BB5, 0x6BDB, 0x6C5F, 0x6C64, 0x6C6A, 0x6C88, 0x6D2A, 0x6E29, 0x6F58, 0x718A, 0x738B, 0x7530,
    0x7533, 0x767D, 0x77F3, 0x795D, 0x79E6, 0x7A0B, 0x7BA1, 0x7F57, 0x8096, 0x80E1, 0x827E, 0x82CF,
    0x8303, 0x83AB, 0x8463, 0x848B, 0x8521, 0x859B, 0x8881, 0x8983, 0x8BB8, 0x8C22, 0x8C2D, 0x8D3A,
    0x8D3E, 0x8D75, 0x9093, 0x90B1, 0x90B5, 0x90B9, 0x90D1, 0x90DD, 0x90ED, 0x91D1, 0x949F, 0x94B1,
    0x95EB, 0x9646, 0x9648, 0x9676, 0x96F7, 0x9773, 0x97E6, 0x97E9, 0x987E, 0x9A6C, 0x9AD8, 0x9B4F,
    0x9EC4, 0x9ECE, 0x9F99, 0x9F9A};

/* Words a title can precede that are not names (专家顾问). */
static const char *const not_names[] = {"顾问", "助理", "代表", "成员", NULL};

static np_cpset stop_set = NP_CPSET(stop_chars), surname_set = NP_CPSET(surnames);

static bool in_set(np_cpset *set, const np_cps *c, size_t i)
{
	return i < c->n && np_cpset_has(set, c->cp[i]);
}

static bool name_char(const np_cps *c, size_t i)
{
	return i < c->n && c->cp[i] >= 0x4E00 && c->cp[i] <= 0x9FFF && !in_set(&stop_set, c, i);
}

static bool delim_at(const np_cps *c, size_t i)
{
	return i >= c->n || np_meta_is_punct(c->cp[i]) || np_cps_word_at(c, i, after);
}

/* Length of the name starting at i (3 or 2 code points), or 0. */
static size_t name_len(const np_cps *c, size_t i)
{
	if (!in_set(&surname_set, c, i) || !np_cps_word_ending(c, i, titles) ||
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

void np_meta_scan_people(const np_cps *c, np_arena *a, np_strlist *out, size_t **spans,
                         size_t *n_spans)
{
	for (size_t i = 0; i < c->n; i++) {
		size_t n = name_len(c, i);
		if (!n)
			continue;
		np_str name = {c->text.p + c->off[i], c->off[i + n] - c->off[i]};
		if (out->len < NP_META_MAX_LIST && !np_strlist_has(out, name))
			np_strlist_add(out, a, np_arena_str(a, name));
		if (spans)
			push_span(spans, n_spans, a, c->off[i], c->off[i + n]);
		i += n - 1;
	}
}
