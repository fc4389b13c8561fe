/* People: only names after a title, delimited on the right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "meta/meta.h"

static void check(const char *body, const char *want)
{
	np_arena a;
	np_diags d;
	np_arena_init(&a);
	np_diags_init(&d);
	np_article x = {.title = NP_STR("标题"), .body = np_str_from(body)};
	np_meta_opts o = {0};
	assert_int_equal(np_meta_extract(&x, &o, &a, &d), 0);
	char got[1024] = "";
	size_t n = 0;
	for (size_t i = 0; i < x.people.len; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%.*s", i ? "|" : "",
		                      (int)x.people.items[i].len, x.people.items[i].p);
	assert_string_equal(got, want);
	np_arena_dispose(&a);
	np_diags_dispose(&d);
}

static void test_title_name(void **state)
{
	(void)state;
	check("中国社会工作联合会会长陈存根，副局长李雅平、厅长王福德共同签署协议。",
	      "陈存根|李雅平|王福德");
	/* Three characters only when a delimiter follows them. */
	check("民政局局长王芳分享了经验；副会长彭东一行调研。", "王芳|彭东");
	check("自治区人民政府副主席王和山强调，研究员王兵以“碳中和”为题作报告。", "王和山|王兵");
	/* No title, no name; a title before an ordinary word is no name. */
	check("陈存根表示，被聘为第一届专家顾问，座谈会由主任主持。", "");
	/* Each name once. */
	check("会长陈存根出席。会长陈存根讲话。", "陈存根");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_title_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
