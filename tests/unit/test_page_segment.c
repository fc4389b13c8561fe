/* Page segmentation end to end on small pages written for the test: each
 * case is one layout rule (sentence joined around a caption, blank lines
 * inside a narrow column, headline after its body, separated lede, split
 * headline cluster, subhead, teasers run together, no headline at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "page/page.h"
#include "util/utf8.h"

typedef struct fixture {
	np_arena a;
	np_diags d;
	np_page_result r;
} fixture;

static int setup(void **state)
{
	fixture *f = test_calloc(1, sizeof *f);
	np_arena_init(&f->a);
	np_diags_init(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	np_diags_dispose(&f->d);
	np_arena_dispose(&f->a);
	test_free(f);
	return 0;
}

static np_page_result *parse(fixture *f, const char *page)
{
	np_text t;
	assert_int_equal(np_text_lines(&t, np_str_from(page), "t.txt", &f->a), 0);
	np_page_opts o = {.source_file = "t.txt", .path = "t.txt"};
	assert_int_equal(np_page_parse(&f->r, &t, &o, &f->a, &f->d), 0);
	return &f->r;
}

static void eq(np_str s, const char *want)
{
	if (!np_str_eq_c(s, want))
		fail_msg("got «%.*s», want «%s»", (int)s.len, s.p ? s.p : "(null)", want);
}

/* 000/001: a caption dropped into a sentence, set off by blank lines. */
static void test_caption_in_sentence(void **state)
{
	np_page_result *r =
	    parse(*state, "# 大会在灵武举行\n\n他强调，要以专业服务助力社会治理创新，促\n\n\n\n"
	                  "联合会会长张三\n\n进生态文明建设，推动社会进步。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].title, "大会在灵武举行");
	eq(r->articles[0].body,
	   "他强调，要以专业服务助力社会治理创新，促进生态文明建设，推动社会进步。");
	assert_int_equal(r->articles[0].captions.len, 1);
	eq(r->articles[0].captions.items[0], "联合会会长张三");
}

/* 003: narrow columns break sentences at blank lines. */
static void test_narrow_blank_mid_sentence(void **state)
{
	np_page_result *r =
	    parse(*state, "社区食堂开张\n\n 街道近日开办了社区\n食堂，为辖区老人提\n\n"
	                  "供助餐服务。 食堂每\n天供应午餐和晚餐。\n\n居民们纷纷点赞。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].body,
	   "街道近日开办了社区食堂，为辖区老人提供助餐服务。食堂每天供应午餐和晚餐。\n\n"
	   "居民们纷纷点赞。");
	eq(r->articles[0].summary,
	   "街道近日开办了社区食堂，为辖区老人提供助餐服务。食堂每天供应午餐和晚餐。");
}

/* 004: a headline after its body, the next headline directly below it;
 * the cluster is split by which body each part matches. */
static void test_headline_after_body(void **state)
{
	np_page_result *r = parse(
	    *state,
	    "近日，城南社区举办了邻里文化节，居民们表演节目、品尝美食。\n\n"
	    "城南社区举办邻里文化节\n 老年大学新学期开学\n\n■ 本报记者 周  敏\n\n"
	    "本周一，市老年大学新学期开学，今年新开设了书法、摄影等课程。\n\n（据市老干部局）\n");
	assert_int_equal(r->n_articles, 2);
	eq(r->articles[0].title, "城南社区举办邻里文化节");
	assert_int_equal(r->articles[0].authors.len, 0);
	eq(r->articles[1].title, "老年大学新学期开学");
	eq(r->articles[1].authors.items[0], "周敏");
	eq(r->articles[1].source, "市老干部局");
}

/* 003: a lede printed after another article (whose headline follows its
 * body) goes back to the headline it restates, in front of its body. */
static void test_separated_lede(void **state)
{
	np_page_result *r = parse(
	    *state, "全市养老服务推进会召开\n\n会上，各区交流了养老服务经验。\n\n（据市民政局）\n\n"
	            "全长十公里的滨河绿道日前全线贯通。\n\n滨河绿道全线贯通\n\n"
	            "日前，全市养老服务推进会在市民中心召开。\n");
	assert_int_equal(r->n_articles, 2);
	eq(r->articles[0].title, "全市养老服务推进会召开");
	eq(r->articles[0].body,
	   "日前，全市养老服务推进会在市民中心召开。\n\n会上，各区交流了养老服务经验。");
	eq(r->articles[1].title, "滨河绿道全线贯通");
	eq(r->articles[1].body, "全长十公里的滨河绿道日前全线贯通。");
}

/* In-article subheads stay in the body; a box label's paragraph is quoted. */
static void test_subhead_and_box(void **state)
{
	np_page_result *r =
	    parse(*state, "小城养老新答卷\n\n核心阅读\n\n老人在家门口就能吃上热饭。\n\n"
	                  "清晨，长者食堂飘出饭菜香。\n\n一餐热饭\n\n"
	                  "食堂由社会组织运营。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].body,
	   "> **核心阅读**\n>\n> 老人在家门口就能吃上热饭。\n\n清晨，长者食堂飘出饭菜香。\n\n"
	   "### 一餐热饭\n\n食堂由社会组织运营。");
	eq(r->articles[0].summary, "清晨，长者食堂飘出饭菜香。");
}

/* A box of several paragraphs ends at a lede (here a dateline) or after
 * BOX_MAX_PARAS paragraphs; a short line right after the label is the box's
 * text, not a headline. */
static void test_box_paragraphs(void **state)
{
	np_page_result *r =
	    parse(*state, "快递进村\n\n核心阅读\n\n寄件不出村。\n\n山货进城了。\n\n"
	                  "本报讯（记者 宋  佳）全县建成服务站一百个。\n\n链接\n\n服务站名录\n\n"
	                  "一、二、三。\n\n四。\n\n五。\n\n六。\n\n七。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].body,
	   "> **核心阅读**\n>\n> 寄件不出村。\n>\n> 山货进城了。\n\n"
	   "本报讯（记者宋佳）全县建成服务站一百个。\n\n"
	   "> **链接**\n>\n> 服务站名录一、二、三。\n>\n> 四。\n>\n> 五。\n>\n> 六。\n\n七。");
	eq(r->articles[0].summary, "全县建成服务站一百个。");
	assert_int_equal(r->articles[0].authors.len, 1);
}

/* A short line after an article without a byline: a subhead when it shares
 * words with the article, a headline when the text below opens like a lede
 * and the line shares nothing with the article above. */
static void test_short_headline_or_subhead(void **state)
{
	np_page_result *r = parse(
	    *state, "社区菜园开园\n\n社区菜园今天开园，居民认领菜地种菜。\n\n菜园带来邻里情\n\n"
	            "邻居们在菜园里相识。\n\n夜校开课\n\n近日，市民夜校开设插花课程。\n");
	assert_int_equal(r->n_articles, 2);
	eq(r->articles[0].body, "社区菜园今天开园，居民认领菜地种菜。\n\n### 菜园带来邻里情\n\n"
	                        "邻居们在菜园里相识。");
	eq(r->articles[1].title, "夜校开课");
}

/* Datelines: staff reporters to authors, a wire agency to source (its
 * reporters are not the paper's staff), names unpadded in the body. */
static void test_datelines(void **state)
{
	np_page_result *r = parse(
	    *state, "图书车进牧区\n\n本报西宁5月3日电  （记者 马  林  周雪梅）  5月2日，图书车"
	            "驶入牧场。\n\n# 绿道贯通\n\n新华社长沙5月3日电（记者李想）绿道贯通。\n");
	assert_int_equal(r->n_articles, 2);
	eq(r->articles[0].body, "本报西宁5月3日电（记者马林、周雪梅）5月2日，图书车驶入牧场。");
	eq(r->articles[0].summary, "5月2日，图书车驶入牧场。");
	assert_int_equal(r->articles[0].authors.len, 2);
	eq(r->articles[0].authors.items[0], "马林");
	assert_null(r->articles[0].source.p);
	eq(r->articles[1].source, "新华社");
	assert_int_equal(r->articles[1].authors.len, 0);
	eq(r->articles[1].summary, "绿道贯通。");
}

/* Photographers' credits lose their padding; a caption between a byline and
 * the body belongs to that article. */
static void test_photo_credits(void **state)
{
	np_page_result *r =
	    parse(*state, "老手艺新传人\n\n■ 本报记者 唐  宁\n\n图①：学员学竹编  王  勇  李明摄\n\n"
	                  "工坊开班了。\n\n图为作品。  赵  丽摄（人民视觉）\n\n学员结业开店。\n");
	assert_int_equal(r->n_articles, 1);
	assert_int_equal(r->articles[0].captions.len, 2);
	eq(r->articles[0].captions.items[0], "图①：学员学竹编 王勇、李明摄");
	eq(r->articles[0].captions.items[1], "图为作品。赵丽摄（人民视觉）");
	assert_int_equal(r->captions.len, 0);
}

/* A headline wrapped over two short lines set directly above its body, no
 * blank line, no indent: short unpunctuated lines before a full one. */
static void test_tight_wrapped_headline(void **state)
{
	np_page_result *r =
	    parse(*state, "老旧厂房变身\n文创园区\n今年以来，清河镇把闲置多年的老纺织厂改造成\n"
	                  "文创产业园，引进了三十余家商户和设计工作室。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].title, "老旧厂房变身文创园区");
	eq(r->articles[0].summary, "今年以来，清河镇把闲置多年的老纺织厂改造成文创产业园，"
	                           "引进了三十余家商户和设计工作室。");
}

/* 004: teasers run together, each ended by its own page marker. */
static void test_teasers_in_a_row(void **state)
{
	np_page_result *r = parse(*state, "书屋焕新颜 05 版社区食堂暖人心 06 版\n创新思路\n"
	                                  "破解融资难题\n09 版\n\n# 标题\n\n正文。\n");
	assert_int_equal(r->n_teasers, 3);
	eq(r->teasers[0].title, "书屋焕新颜");
	assert_int_equal(r->teasers[0].page, 5);
	eq(r->teasers[1].title, "社区食堂暖人心");
	assert_int_equal(r->teasers[1].page, 6);
	eq(r->teasers[2].kicker, "创新思路");
	eq(r->teasers[2].title, "破解融资难题");
	assert_int_equal(r->teasers[2].page, 9);
	assert_int_equal(r->n_articles, 1);
}

/* A page without any headline still yields its article, with a warning
 * naming the line. */
static void test_untitled(void **state)
{
	fixture *f = *state;
	np_page_result *r = parse(f, "街道近日成立了志愿服务联合会，辖区队伍全部加入。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].title, "街道近日成立了志愿服务联合会");
	assert_int_equal(f->d.warnings, 1);
	assert_int_equal(f->d.items[0].line, 1);
	assert_string_equal(f->d.items[0].msg,
	                    "article without a headline; titled from its first words");
}

/* Markdown-significant first characters are escaped; the summary never
 * ends inside a quotation. */
static void test_markdown_and_summary(void **state)
{
	np_page_result *r = parse(*state, "# 标题\n\n- 他说：“今年。明年再来。”随后离开了会场。\n");
	eq(r->articles[0].body, "\\- 他说：“今年。明年再来。”随后离开了会场。");
	eq(r->articles[0].summary, "- 他说：“今年。明年再来。”随后离开了会场。");
}

/* Counter-case: a sentence naming a page is body, not a teaser. */
static void test_page_named_in_sentence(void **state)
{
	np_page_result *r = parse(*state, "# 标题\n\n本报今日8版刊发了评论，请读者关注。\n");
	assert_int_equal(r->n_teasers, 0);
	eq(r->articles[0].body, "本报今日8版刊发了评论，请读者关注。");
}

/* A reprint line wrapped by a narrow column still ends its article, and a
 * caption wrapped over two lines inside a sentence is lifted out whole. */
static void test_wrapped_source_and_caption(void **state)
{
	np_page_result *r =
	    parse(*state, "社区书屋开放\n\n 街道的社区书屋\n正式对居民开放，\n\n\n\n"
	                  "居民在书屋\n挑选图书\n\n藏书五千余册。（据\n城市日报）\n\n"
	                  "公园改造完工\n\n城西公园改造日前完工。\n");
	assert_int_equal(r->n_articles, 2);
	eq(r->articles[0].body, "街道的社区书屋正式对居民开放，藏书五千余册。");
	eq(r->articles[0].source, "城市日报");
	eq(r->articles[0].captions.items[0], "居民在书屋挑选图书");
	eq(r->articles[1].title, "公园改造完工");
}

/* A headline wider than the column set right above its body, without a
 * blank line between. */
static void test_headline_above_column(void **state)
{
	np_page_result *r =
	    parse(*state, "县域养老服务体系建设取得新进展\n街道近日开办了社\n区食堂，为辖区老\n"
	                  "人提供助餐服务。\n");
	assert_int_equal(r->n_articles, 1);
	eq(r->articles[0].title, "县域养老服务体系建设取得新进展");
	eq(r->articles[0].body, "街道近日开办了社区食堂，为辖区老人提供助餐服务。");
}

static void test_empty(void **state)
{
	np_page_result *r = parse(*state, "");
	assert_int_equal(r->n_articles, 0);
	r = parse(*state, "\n\n   \n");
	assert_int_equal(r->n_articles, 0);
}

/* --debug notes quote the start of each block, cut at a character
 * boundary (fuzz finding debug_trace_cuts_utf8). */
static void test_debug_notes_utf8(void **state)
{
	fixture *f = *state;
	np_text t;
	const char *page = "# 标题\n\n5月2日一二三四五六七八九十一二三四五六七八九十甲乙丙丁戊己"
	                   "庚辛壬癸子丑寅卯辰巳午未申酉戌亥。\n";
	assert_int_equal(np_text_lines(&t, np_str_from(page), "t.txt", &f->a), 0);
	np_page_opts o = {.source_file = "t.txt", .path = "t.txt", .debug = true};
	assert_int_equal(np_page_parse(&f->r, &t, &o, &f->a, &f->d), 0);
	assert_true(f->d.len > 0);
	for (size_t i = 0; i < f->d.len; i++)
		if (!np_utf8_valid(f->d.items[i].msg, strlen(f->d.items[i].msg)))
			fail_msg("note %zu is not UTF-8: %s", i, f->d.items[i].msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_caption_in_sentence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_narrow_blank_mid_sentence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_headline_after_body, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_separated_lede, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_subhead_and_box, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_box_paragraphs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_headline_or_subhead, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_datelines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_photo_credits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tight_wrapped_headline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_debug_notes_utf8, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_teasers_in_a_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_untitled, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_markdown_and_summary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_page_named_in_sentence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrapped_source_and_caption, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_headline_above_column, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
