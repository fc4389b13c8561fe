/* Reflow primitives (src/text/reflow.c): display widths, sentence ends,
 * paragraph ends against the column, joining wrapped lines, Markdown
 * escaping of a paragraph's first character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/reflow.h"

static void test_dwidth(void **state)
{
	(void)state;
	assert_int_equal(np_reflow_dwidth(NP_STR("中文")), 4);
	assert_int_equal(np_reflow_dwidth(NP_STR("  8 月 16 日，  ")), 12);
	assert_int_equal(np_reflow_dwidth(NP_STR("“牵手计划”")), 12);
	assert_int_equal(np_reflow_dwidth(NP_STR("63.7%")), 5);
	assert_int_equal(np_reflow_dwidth(NP_STR("")), 0);
}

static void test_ends_sentence(void **state)
{
	(void)state;
	assert_true(np_reflow_ends_sentence(NP_STR("推动社会文明进步。")));
	assert_true(np_reflow_ends_sentence(NP_STR("他说：“很暖。”")));
	assert_true(np_reflow_ends_sentence(NP_STR("真的吗？ ")));
	/* counter-cases: a comma, a quote closing a phrase, a bracket */
	assert_false(np_reflow_ends_sentence(NP_STR("目跟踪管理和宣传工作要求，")));
	assert_false(np_reflow_ends_sentence(NP_STR("雪梅充分肯定了“牵手计划”")));
	assert_false(np_reflow_ends_sentence(NP_STR("村（社区）")));
	assert_false(np_reflow_ends_sentence(NP_STR("")));
}

/* A short line that ends a sentence ends its paragraph; a full line that
 * happens to end with 。 goes on (page 004, line 31). */
static void test_ends_para(void **state)
{
	(void)state;
	assert_true(np_reflow_ends_para(NP_STR("谈会。"), 6, 28));
	assert_false(np_reflow_ends_para(NP_STR("体”总体布局的重要组成部分。"), 28, 28));
	assert_false(np_reflow_ends_para(NP_STR("会心理服务等相关议题召开座"), 26, 28));
}

static void join(const char *const *lines, size_t n, const char *want)
{
	np_str s[8];
	for (size_t i = 0; i < n; i++)
		s[i] = np_str_from(lines[i]);
	np_buf out, tmp;
	np_buf_init(&out);
	np_buf_init(&tmp);
	np_reflow_join(&out, s, n, &tmp);
	assert_string_equal(out.data, want);
	np_buf_dispose(&out);
	np_buf_dispose(&tmp);
}

static void test_join(void **state)
{
	(void)state;
	/* no justification space survives at a join */
	join((const char *[]){"用和项目实施方面的要求。 李 ", " 雪梅充分肯定了“牵手计划”"}, 2,
	     "用和项目实施方面的要求。李雪梅充分肯定了“牵手计划”");
	/* a word broken over lines is whole again */
	join((const char *[]){"中国建设银行总行乡村振", "兴金融部总经理"}, 2,
	     "中国建设银行总行乡村振兴金融部总经理");
	/* digits and Chinese meet without a space */
	join((const char *[]){"共计 495", "人线上参加会议。"}, 2, "共计495人线上参加会议。");
	/* Latin words across a break keep one space */
	join((const char *[]){"the social", "work station"}, 2, "the social work station");
	join((const char *[]){"", "  "}, 2, "");
}

static void md(const char *in, const char *want)
{
	np_buf out;
	np_buf_init(&out);
	np_reflow_put_md(&out, np_str_from(in));
	assert_string_equal(out.data, want);
	np_buf_dispose(&out);
}

static void test_put_md(void **state)
{
	(void)state;
	md("# 不是标题", "\\# 不是标题");
	md("> 引文", "\\> 引文");
	md("- 社区还组织志愿者", "\\- 社区还组织志愿者");
	md("1. 第一条", "1\\. 第一条");
	md("2023) 年", "2023\\) 年");
	md("<div>", "\\<div>");
	md("2023年，城乡社区", "2023年，城乡社区");
	md("普通段落。", "普通段落。");
	md("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dwidth),    cmocka_unit_test(test_ends_sentence),
	    cmocka_unit_test(test_ends_para), cmocka_unit_test(test_join),
	    cmocka_unit_test(test_put_md),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
