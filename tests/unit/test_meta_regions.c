/* Regions and places: every trap named in issue 5, each with a text
 * written for the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "meta/meta.h"

typedef struct fx {
	np_arena a;
	np_diags d;
	np_article x;
} fx;

static void run(fx *f, const char *title, const char *body)
{
	np_meta_opts o = {.issue = {2023, 5, 10}, .path = "t.txt"};
	np_arena_init(&f->a);
	np_diags_init(&f->d);
	f->x = (np_article){0};
	f->x.title = np_str_from(title);
	f->x.body = np_str_from(body);
	assert_int_equal(np_meta_extract(&f->x, &o, &f->a, &f->d), 0);
}

static void done(fx *f)
{
	np_arena_dispose(&f->a);
	np_diags_dispose(&f->d);
}

/* want: the list joined with "|" ("" for empty). */
static void assert_list(const np_strlist *l, const char *want)
{
	char got[2048] = "";
	size_t n = 0;
	for (size_t i = 0; i < l->len; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%.*s", i ? "|" : "",
		                      (int)l->items[i].len, l->items[i].p);
	assert_string_equal(got, want);
}

static void check(const char *title, const char *body, const char *regions, const char *places)
{
	fx f;
	run(&f, title, body);
	assert_list(&f.x.regions, regions);
	assert_list(&f.x.places, places);
	done(&f);
}

static void test_full_and_short(void **state)
{
	(void)state;
	check("", "大会在宁夏回族自治区灵武市举行。", "宁夏回族自治区/银川市/灵武市", "");
	/* Safe short names and the forms running text uses for autonomous units. */
	check("", "会议召开。\n\n黔南州在福泉市召开现场会，毕节市威宁县也参加。", "",
	      "贵州省/黔南布依族苗族自治州/福泉市|贵州省/毕节市/威宁彝族回族苗族自治县");
	check("", "会议召开。\n\n宁夏代表团中，来自灵武的代表发言。", "",
	      "宁夏回族自治区/银川市/灵武市");
}

static void test_narrowing(void **state)
{
	(void)state;
	check("", "研讨会在云南省昆明市官渡区举行。", "云南省/昆明市/官渡区", "");
	/* 马尾 alone is a common word (blanked); after 福州 it is the district. */
	check("研讨会在福州马尾举行", "近日，研讨会举行。", "福建省/福州市/马尾区", "");
	check("", "会议召开。\n\n马尾松林长势良好。", "", "");
	/* A province then one of its county-level cities. */
	check("", "会议召开。\n\n江苏省宜兴市宜城街道介绍经验。", "", "江苏省/无锡市/宜兴市");
}

static void test_headline_and_lede(void **state)
{
	(void)state;
	/* The deeper lede path wins over the headline's province. */
	check("全国大会在宁夏举行", "8月26日，大会在宁夏回族自治区灵武市举行。",
	      "宁夏回族自治区/银川市/灵武市", "");
	/* Only the lede's first sentence is the news's place. */
	check("会议举行", "11月3日，分享会议举行。上海市街镇工作协会会长出席。", "", "上海市");
	/* A lede that opens with a quotation runs on past it. */
	check("畅通人才路径", "“督导很重要。”12月6日，宁夏回族自治区民政厅负责人说。",
	      "宁夏回族自治区", "");
	/* A venue (在…举行/召开) in the lede is where the news happens; the
	 * participants' places are other places. */
	check("研讨会召开", "5月6日，来自北京、上海的专家在成都召开研讨会。", "四川省/成都市",
	      "北京市|上海市");
	/* A venue that does not resolve leaves the lede's other places. */
	check("研讨会召开", "5月6日，江苏省民政厅在朝阳区召开研讨会。", "江苏省", "");
	/* The acting body's region: an organisation named in the lede. */
	check("社会工作实现新突破",
	      "记者从贵州省民政厅了解到，全省建成社工站755个。\n\n"
	      "毕节市、铜仁市推进建设。",
	      "贵州省", "贵州省/毕节市|贵州省/铜仁市");
}

static void test_dateline(void **state)
{
	(void)state;
	check("全区养老服务工作会议召开",
	      "本报银川6月9日电（记者 王勇）会议今天召开。\n\n"
	      "石嘴山市介绍经验。",
	      "宁夏回族自治区/银川市", "宁夏回族自治区/石嘴山市");
}

static void test_abbreviations(void **state)
{
	(void)state;
	check("公益助农活动在京启动", "3月18日，启动仪式举行。", "北京市", "");
	check("沪甘签署合作协议", "为加强沪甘两地合作，双方召开会议。", "上海市|甘肃省", "");
	check("", "会议召开。\n\n黔渝两地联合印发方案。", "", "贵州省|重庆市");
	/* Outside the fixed patterns one character is not a province. */
	check("闽台社会工作研讨会", "会议在某地举行。\n\n志愿黔行活动开展。", "", "");
}

static void test_false_friends(void **state)
{
	(void)state;
	check("", "会议召开。\n\n社会工作事关国家长治久安。", "", "");
	check("", "会议召开。\n\n得到中山大学、兰州财经大学支持。", "", "");
	check("", "会议召开。\n\n社工是党和政府联系群众的纽带。", "", "");
	check("", "会议召开。\n\n为大家搭建平台，人民幸福安康。", "", "");
	check("", "会议召开。\n\n中国延安精神研究会出席。", "", "");
	/* Given names and words that contain a short name. */
	check("", "会议召开。\n\n纪念孙中山先生，本周六安排参观，吃三明治。", "", "");
	check("", "会议召开。\n\n黄河南岸、泰山东麓的村庄，要确定西部目标。", "", "");
	/* A short name followed by 街道/镇/村/路 is a town or a street. */
	check("", "会议召开。\n\n金牛街道、西华街道参观学习。", "", "");
	/* Right after a county-level name: a street inside it, not a county. */
	check("", "会议召开。\n\n广东省广州市海珠区南华西街道交流经验。", "",
	      "广东省/广州市/海珠区");
}

static void test_ambiguity(void **state)
{
	(void)state;
	/* 朝阳区 is in Beijing and in Changchun: left out without context ... */
	check("", "会议召开。\n\n朝阳区代表发言。", "", "");
	/* ... settled by the consecutive parent or by the article. */
	check("", "会议召开。\n\n北京市朝阳区代表发言。", "", "北京市/朝阳区");
	check("", "会议在北京召开。\n\n朝阳区代表发言。", "北京市", "北京市/朝阳区");
	/* Generic full names only after a parent. */
	check("", "会议召开。\n\n城区学校开学。", "", "");
	check("", "会议召开。\n\n阳泉市城区学校开学。", "", "山西省/阳泉市/城区");
	/* A bare county short name needs its province or prefecture nearby. */
	check("", "会议召开。\n\n顺德经验值得推广。", "", "");
	check("成立大会在顺德举行", "3月16日，广东省首个管委会成立。", "广东省/佛山市/顺德区", "");
}

static void test_places_unique(void **state)
{
	(void)state;
	/* No duplicates; ancestors of regions or places are not repeated. */
	check("会议在成都举办",
	      "12月5日，会议在成都举办。\n\n成都市金牛区、四川省代表发言；"
	      "成都市金牛区再次发言。",
	      "四川省/成都市", "四川省/成都市/金牛区");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_and_short),    cmocka_unit_test(test_narrowing),
	    cmocka_unit_test(test_headline_and_lede), cmocka_unit_test(test_dateline),
	    cmocka_unit_test(test_abbreviations),     cmocka_unit_test(test_false_friends),
	    cmocka_unit_test(test_ambiguity),         cmocka_unit_test(test_places_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
