/* np_text_split_names: padded two-character names, two names side by
 * side, punctuation-separated lists, role words and markers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "record/article.h"
#include "text/text.h"

/* want: the names joined by '|'. */
static void expect(const char *in, const char *want)
{
	np_arena a;
	np_arena_init(&a);
	np_strlist l = {0};
	np_text_split_names(np_str_from(in), &a, &l);
	np_buf got;
	np_buf_init(&got);
	for (size_t i = 0; i < l.len; i++) {
		if (i)
			np_buf_putc(&got, '|');
		np_buf_putstr(&got, l.items[i]);
	}
	if (strcmp(got.data, want) != 0)
		fail_msg("split_names(\"%s\") = \"%s\", want \"%s\"", in, got.data, want);
	np_buf_dispose(&got);
	np_arena_dispose(&a);
}

static void test_padded_name(void **state)
{
	(void)state;
	expect("王  勇", "王勇");
	expect("王\xE3\x80\x80勇", "王勇");
	expect("王 勇", "王勇");
	expect("王勇", "王勇");
}

static void test_two_names(void **state)
{
	(void)state;
	expect("张明敏  李雪梅", "张明敏|李雪梅");
	expect("×××  ×××", "×××|×××");
	expect("张明敏 王  勇", "张明敏|王勇");
	expect("王  勇  张明敏", "王勇|张明敏");
}

static void test_punctuation_separates(void **state)
{
	(void)state;
	expect("张三、李四", "张三|李四");
	expect("张三，李四,王五", "张三|李四|王五");
	expect("王、勇", "王|勇");
	expect("阿依古丽·买买提", "阿依古丽·买买提");
}

static void test_roles_and_markers(void **state)
{
	(void)state;
	expect("■ 本报记者  王  勇", "王勇");
	expect("本报记者王勇", "王勇");
	expect("记者 皮磊 通讯员 张三", "皮磊|张三");
	expect("（记者 王勇 摄）", "王勇");
	expect("张三 报道", "张三");
}

static void test_empty_and_junk(void **state)
{
	(void)state;
	expect("", "");
	expect("   ", "");
	expect("■", "");
	expect("2022", "");
	expect("张三、张三", "张三|张三");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_padded_name),           cmocka_unit_test(test_two_names),
	    cmocka_unit_test(test_punctuation_separates), cmocka_unit_test(test_roles_and_markers),
	    cmocka_unit_test(test_empty_and_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
