/* Line-level recognition (src/page/classify.c): bylines, source lines,
 * labels, boxes, captions and credits, with the counter-cases that must stay
 * body text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "page/internal.h"

static void kind(const char *line, np_lkind want)
{
	np_lkind got = np_page_classify_line(np_str_from(line));
	if (got != want)
		fail_msg("%s: kind %d, want %d", line, (int)got, (int)want);
}

static void test_kinds(void **state)
{
	(void)state;
	kind("■ 本报记者 王勇", NP_L_BYLINE);
	kind("本报记者  张明敏  李雪梅", NP_L_BYLINE);
	kind("记者 赵晓光  通讯员 马丽娜", NP_L_BYLINE);
	kind("（据中国社会工作联合会）", NP_L_SOURCE);
	kind("（据《福建日报》）", NP_L_SOURCE);
	kind("（新华社北京5月3日电  记者王芳、赵磊）", NP_L_SOURCE);
	kind("（本报记者王勇采访整理）", NP_L_SOURCE);
	kind("来源：人民网", NP_L_SOURCE);
	kind("江西：", NP_L_LABEL);
	kind("（探访）", NP_L_LABEL);
	kind("核心阅读", NP_L_BOX);
	kind("链接", NP_L_BOX);
	kind("# 全国首届大会在宁夏举行", NP_L_HEADMARK);
	kind("绿水青山间的致富路——", NP_L_KICKER);
	kind("——从一根竹子到一条产业链", NP_L_SUBTITLE);
	/* counter-cases: sentences that start like a byline or a source */
	kind("记者从贵州省民政厅了解", NP_L_TEXT);
	kind("记者了解到，按照部署要求", NP_L_TEXT);
	kind("（社区）设立社工室（点）。", NP_L_TEXT);
	kind("据了解，“村村播 家家富”", NP_L_TEXT);
	kind("宁夏：畅通社会工作人才参与社会治理路径", NP_L_TEXT);
}

static void names(const char *line, size_t n, const char *first, const char *last)
{
	np_arena a;
	np_arena_init(&a);
	np_strlist l = {0};
	assert_true(np_page_byline(np_str_from(line), &a, &l));
	assert_int_equal(l.len, n);
	assert_true(np_str_eq_c(l.items[0], first));
	assert_true(np_str_eq_c(l.items[n - 1], last));
	np_arena_dispose(&a);
}

static void test_byline_names(void **state)
{
	(void)state;
	names("■ 本报记者 王勇", 1, "王勇", "王勇");
	names("■ 本报记者 王  勇", 1, "王勇", "王勇");
	names("本报记者  张明敏  李雪梅", 2, "张明敏", "李雪梅");
	names("本报记者 王勇 通讯员 李小明", 2, "王勇", "李小明");
}

static void source(const char *line, const char *want, const char *author)
{
	np_arena a;
	np_arena_init(&a);
	np_str s = {NULL, 0};
	np_strlist au = {0};
	assert_true(np_page_source_line(np_str_from(line), &a, &s, &au));
	if (want)
		assert_true(np_str_eq_c(s, want));
	else
		assert_null(s.p);
	if (author)
		assert_true(au.len == 1 && np_str_eq_c(au.items[0], author));
	np_arena_dispose(&a);
}

static void test_source(void **state)
{
	(void)state;
	source("（据《福建日报》）", "福建日报", NULL);
	source("（据中国社会工作联合会 ）", "中国社会工作联合会", NULL);
	source("（新华社合肥6月1日电  记者王芳、赵磊）", "新华社", NULL);
	source("（本报记者王勇采访整理）", NULL, "王勇");
	source("来源：城市晚报", "城市晚报", NULL);
	source("（来源：《光明日报》）", "光明日报", NULL);
}

static void test_tail_source(void **state)
{
	(void)state;
	np_str p = NP_STR("为闽台社工更加深入合作奠定基础。（据《福建日报》）");
	size_t at = np_page_tail_source(p);
	assert_true(at < p.len);
	assert_true(np_str_eq_c(np_str_sub(p, at, p.len), "（据《福建日报》）"));
	/* counter-cases: a bracket that is part of the sentence */
	p = NP_STR("镇街设立社工站，村（社区）");
	assert_int_equal(np_page_tail_source(p), p.len);
	p = NP_STR("数据来自统计（据统计局）");
	assert_int_equal(np_page_tail_source(p), p.len);
}

static void cap(const char *line, bool want)
{
	np_str s = np_str_from(line);
	if (np_page_is_caption(s, s, 1) != want)
		fail_msg("%s: caption %d", line, (int)!want);
}

static void test_captions(void **state)
{
	(void)state;
	cap("图为递铺街道的竹制品企业。", true);
	cap("图①：社工入户走访。", true);
	cap("李  华摄", true);
	cap("新华社记者 王勇 摄", true);
	cap("王勇摄（人民视觉）", true);
	cap("受访者供图", true);
	/* counter-cases */
	cap("无人机航拍摄", false);
	cap("社工们交流学习", false);
	cap("活动现场拍摄了大量照片。记者摄", false);
}

static void lede(const char *para, np_lede want)
{
	np_lede got = np_page_lede_opener(np_str_from(para));
	if (got != want)
		fail_msg("%s: lede %d, want %d", para, (int)got, (int)want);
}

static void test_lede_openers(void **state)
{
	(void)state;
	lede("本报西宁5月3日电（记者马林）5月2日，图书车驶入牧场。", NP_LEDE_DATELINE);
	lede("本报讯（记者 郑直）市图书馆推出夜间开放服务。", NP_LEDE_DATELINE);
	lede("新华社长沙5月3日电 绿道日前全线贯通。", NP_LEDE_DATELINE);
	lede("5月2日，满载图书的流动图书车驶入牧场。", NP_LEDE_WHEN);
	lede("12月31日晚，跨年活动在广场举行。", NP_LEDE_WHEN);
	lede("近日，市老年大学开设剪辑课程。", NP_LEDE_WHEN);
	lede("清晨七点，长者食堂已经飘出饭菜香。", NP_LEDE_WHEN);
	lede("记者从市民政局获悉，全市新建食堂46个。", NP_LEDE_WHEN);
	/* counter-cases: a number that is no date, 本报 in a sentence */
	lede("5月份以来，全市新增就业岗位三千个。", NP_LEDE_NONE);
	lede("2022年项目实施协调会在京举行。", NP_LEDE_NONE);
	lede("本报将持续关注这一话题。", NP_LEDE_NONE);
	lede("新华社记者在现场看到，工人们正在施工。", NP_LEDE_NONE);
	lede("村里四十多位留守老人被聘为管护员。", NP_LEDE_NONE);
}

static void reporters(const char *in, const char *canon, size_t n)
{
	np_arena a;
	np_arena_init(&a);
	np_strlist l = {0};
	np_buf b;
	np_buf_init(&b);
	assert_true(np_page_reporters(np_str_from(in), &a, &l, &b));
	if (!np_str_eq_c(np_str_of(&b), canon))
		fail_msg("%s: canon «%s», want «%s»", in, b.data, canon);
	assert_int_equal(l.len, n);
	np_buf_dispose(&b);
	np_arena_dispose(&a);
}

static void test_dateline_reporters(void **state)
{
	(void)state;
	reporters("记者 马  林  周雪梅", "记者马林、周雪梅", 2);
	reporters("记者陈晓、林立新", "记者陈晓、林立新", 2);
	reporters("记者 郑 直 通讯员 许静", "记者郑直 通讯员许静", 2);
	reporters("本报记者 赵六", "本报记者赵六", 1);
	/* counter-cases: a bracket in a sentence is not a reporters' list */
	assert_false(np_page_reporters(NP_STR("记者从市里获悉，项目已开工"), NULL, NULL, NULL));
	assert_false(np_page_reporters(NP_STR("2022年"), NULL, NULL, NULL));
}

static void test_paren_tail(void **state)
{
	(void)state;
	np_str s = NP_STR("王勇摄（人民视觉）");
	assert_int_equal(np_page_paren_tail(s), strlen("王勇摄"));
	s = NP_STR("王勇摄");
	assert_int_equal(np_page_paren_tail(s), s.len);
	/* a bracket longer than a credit's agency is text */
	s = NP_STR("图为社工（来自本市十多家社会工作服务机构）");
	assert_int_equal(np_page_paren_tail(s), s.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_byline_names),
	    cmocka_unit_test(test_source),
	    cmocka_unit_test(test_tail_source),
	    cmocka_unit_test(test_captions),
	    cmocka_unit_test(test_lede_openers),
	    cmocka_unit_test(test_dateline_reporters),
	    cmocka_unit_test(test_paren_tail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
