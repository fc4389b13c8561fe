/* Events: extraction of named meetings and programmes, generic phrases
 * refused, canonical keys, and content/events.yaml (aliases, merges,
 * suppression, errors with positions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "meta/meta.h"
#include "util/err.h"

static void assert_list(const np_strlist *l, const char *want)
{
	char got[2048] = "";
	size_t n = 0;
	for (size_t i = 0; i < l->len; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%.*s", i ? "|" : "",
		                      (int)l->items[i].len, l->items[i].p);
	assert_string_equal(got, want);
}

static void check_events(const char *title, const char *body, const np_events *ev, const char *want)
{
	np_arena a;
	np_diags d;
	np_arena_init(&a);
	np_diags_init(&d);
	np_article x = {.title = np_str_from(title), .body = np_str_from(body)};
	np_meta_opts o = {.issue = {2023, 5, 10}, .events = ev};
	assert_int_equal(np_meta_extract(&x, &o, &a, &d), 0);
	assert_list(&x.events, want);
	np_arena_dispose(&a);
	np_diags_dispose(&d);
}

static void check_key(const char *name, const char *key, const char *display)
{
	np_arena a;
	np_arena_init(&a);
	np_str k, dsp;
	assert_false(np_meta_event_key(np_str_from(name), NULL, &a, &k, &dsp));
	assert_true(np_str_eq_c(k, key));
	assert_true(np_str_eq_c(dsp, display));
	np_arena_dispose(&a);
}

static void test_keys(void **state)
{
	(void)state;
	check_key("“十四五”时期社会工作服务机构“牵手计划”", "牵手计划", "牵手计划");
	check_key("社工机构“牵手计划”", "牵手计划", "牵手计划");
	check_key("“牵手计划”", "牵手计划", "牵手计划");
	check_key("第二届闽台社会工作与社会服务研讨会", "闽台社会工作与社会服务研讨会",
	          "闽台社会工作与社会服务研讨会");
	check_key("闽台社会工作与社会服务研讨会", "闽台社会工作与社会服务研讨会",
	          "闽台社会工作与社会服务研讨会");
	check_key("全国首届社会工作助力乡村振兴大会", "全国社会工作助力乡村振兴大会",
	          "全国社会工作助力乡村振兴大会");
	check_key("2023年全过程基层民主推进会", "全过程基层民主推进会", "全过程基层民主推进会");
	check_key("村村播 家家富", "村村播家家富", "村村播 家家富");
}

static void test_meetings(void **state)
{
	(void)state;
	check_events("全国首届社会工作助力乡村振兴大会在宁夏举行", "", NULL,
	             "社会工作助力乡村振兴大会");
	/* 暨 joins two events; the year goes from the display name. */
	check_events("2023年全过程基层民主推进会暨全国城乡社区工作创新经验交流会在成都举办", "",
	             NULL, "全过程基层民主推进会|全国城乡社区工作创新经验交流会");
	/* ... unless the part before it is not an event by itself. */
	check_events("", "民政厅在廊坊市召开全省慈善社工工作推进暨社工站全覆盖现场会，总结经验。",
	             NULL, "全省慈善社工工作推进暨社工站全覆盖现场会");
	/* The opening ordinal starts the name; a quoted theme before it is not. */
	check_events("", "近日，“两岸社工融合发展”第二届闽台社会工作与社会服务研讨会在福州举行。",
	             NULL, "闽台社会工作与社会服务研讨会");
	check_events("",
	             "11月3日，首届全国社会组织参与社区治理工作经验与案例线上分享活动第二阶段"
	             "会议举行。",
	             NULL, "全国社会组织参与社区治理工作经验与案例线上分享活动");
}

static void test_programmes(void **state)
{
	(void)state;
	check_events("", "促进“牵手计划”在全国落地，发起“全国流动和留守儿童安全保护项目”。", NULL,
	             "牵手计划|全国流动和留守儿童安全保护项目");
	check_events("", "创新实施“五社联动”试点工作。", NULL, "五社联动");
	check_events("“村村播 家家富”公益助农活动在京启动", "", NULL, "村村播 家家富");
	/* Slogans and catchwords in quotes are not programmes. */
	check_events("",
	             "纳入“五位一体”总体布局，以“发展社会工作，促进乡村振兴”为主题，"
	             "探索“时间银行”实践。",
	             NULL, "");
}

static void test_generic_refused(void **state)
{
	(void)state;
	check_events("", "代表参加会议。本次会议成果丰硕。此次会议搭建了平台。开展活动。", NULL,
	             "");
	check_events("",
	             "联合召开视频会议。组织了沙龙论坛。召开座谈会。开展服务活动，"
	             "实施公益项目。",
	             NULL, "");
	check_events("", "本次研讨会设置主论坛和分论坛。", NULL, "");
}

static const char config[] = "# canonical events\n"
                             "events:\n"
                             "  - name: 社会工作服务机构“牵手计划”\n"
                             "    aliases: [牵手计划, 闽宁社工人才“牵手计划”]\n"
                             "  - name: 闽台社会工作与社会服务研讨会\n"
                             "    aliases:\n"
                             "      - 闽台社会工作交流论坛\n"
                             "suppress: [全国城乡社区工作创新经验交流会]\n";

static void test_config(void **state)
{
	(void)state;
	np_diags d;
	np_diags_init(&d);
	np_events *ev = NULL;
	assert_int_equal(np_events_parse(&ev, NP_STR(config), "content/events.yaml", &d), 0);
	assert_int_equal(d.len, 0);
	assert_int_equal(np_events_count(ev), 2);
	/* Aliases map to the canonical name; a listed alias merges two series. */
	check_events("", "发挥“牵手计划”作用，举办闽台社会工作交流论坛。", ev,
	             "社会工作服务机构“牵手计划”|闽台社会工作与社会服务研讨会");
	/* Suppressed events are left out. */
	check_events("2023年全过程基层民主推进会暨全国城乡社区工作创新经验交流会在成都举办", "", ev,
	             "全过程基层民主推进会");
	np_arena a;
	np_arena_init(&a);
	np_str k, dsp;
	assert_true(np_meta_event_key(NP_STR("全国城乡社区工作创新经验交流会"), ev, &a, &k, &dsp));
	assert_false(
	    np_meta_event_key(NP_STR("“十四五”时期社会工作服务机构“牵手计划”"), ev, &a, &k, &dsp));
	assert_true(np_str_eq_c(dsp, "社会工作服务机构“牵手计划”"));
	assert_true(np_str_eq_c(k, "牵手计划"));
	np_arena_dispose(&a);
	np_events_free(ev);
	np_diags_dispose(&d);
}

static void check_error(const char *yaml, const char *want)
{
	np_diags d;
	np_diags_init(&d);
	np_events *ev = (np_events *)1;
	assert_int_equal(np_events_parse(&ev, np_str_from(yaml), "events.yaml", &d), NP_EINVAL);
	assert_null(ev);
	assert_true(d.len >= 1);
	np_buf b;
	np_buf_init(&b);
	np_diag_format(&d.items[0], &b);
	size_t nl = np_str_find(np_str_of(&b), NP_STR("\n"));
	if (nl != (size_t)-1)
		np_buf_truncate(&b, nl);
	assert_string_equal(b.data, want);
	np_buf_dispose(&b);
	np_diags_dispose(&d);
}

static void test_config_errors(void **state)
{
	(void)state;
	check_error("events: [\n", "events.yaml:2:1: error: did not find expected node content");
	check_error("- a\n", "events.yaml:1:1: error: events.yaml must be a mapping with 'events' "
	                     "and 'suppress'");
	check_error("events:\n  - aliases: [甲会议]\n",
	            "events.yaml:2:5: error: event without 'name'");
	check_error("evnets: []\n", "events.yaml:1:1: error: unknown key 'evnets'");
	check_error("events:\n  - name: 甲大会\n    aliases: [乙大会]\n  - name: 丙大会\n"
	            "    aliases: [乙大会]\n",
	            "events.yaml:5:15: error: alias '乙大会' already belongs to event '甲大会' "
	            "(line 3)");
	check_error("events: {name: 甲}\n", "events.yaml:1:9: error: 'events' must be a list");
	/* Missing file: no configuration, no error. */
	np_diags d;
	np_diags_init(&d);
	np_events *ev = (np_events *)1;
	assert_int_equal(np_events_load(&ev, "/nonexistent/events.yaml", &d), 0);
	assert_null(ev);
	assert_int_equal(d.len, 0);
	np_diags_dispose(&d);
	/* Empty document: an empty configuration. */
	np_diags_init(&d);
	assert_int_equal(np_events_parse(&ev, NP_STR(""), "e.yaml", &d), 0);
	assert_int_equal(np_events_count(ev), 0);
	np_events_free(ev);
	np_diags_dispose(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys),       cmocka_unit_test(test_meetings),
	    cmocka_unit_test(test_programmes), cmocka_unit_test(test_generic_refused),
	    cmocka_unit_test(test_config),     cmocka_unit_test(test_config_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
