/* np_text_normalise: one test per rule of issue 3 "Normalise", each with
 * the counter-cases that must come out unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text/text.h"

typedef struct ncase {
	const char *in, *want;
} ncase;

static void check(const ncase *cs, size_t n)
{
	np_buf b;
	np_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		np_buf_clear(&b);
		np_text_normalise(&b, np_str_from(cs[i].in));
		if (strcmp(b.data, cs[i].want) != 0)
			fail_msg("normalise(\"%s\")\n  got  \"%s\"\n  want \"%s\"", cs[i].in,
			         b.data, cs[i].want);
	}
	np_buf_dispose(&b);
}

#define CHECK(...)                                                                                 \
	do {                                                                                       \
		static const ncase cs_[] = {__VA_ARGS__};                                          \
		check(cs_, sizeof cs_ / sizeof cs_[0]);                                            \
	} while (0)

static void test_trim(void **state)
{
	(void)state;
	CHECK({"", ""}, {"   ", ""}, {"\xE3\x80\x80\xE3\x80\x80", ""}, {" 中国 ", "中国"},
	      {"\t中国\t", "中国"}, {"\xE3\x80\x80\xE3\x80\x80记者从贵州", "记者从贵州"});
}

static void test_nfc(void **state)
{
	(void)state;
	/* e + combining acute -> é; compatibility ideograph U+F900 -> U+8C48 */
	CHECK({"Cafe\xCC\x81 咖啡", "Caf\xC3\xA9 咖啡"}, {"\xEF\xA4\x80", "\xE8\xB1\x88"},
	      {"已是NFC的中文。", "已是NFC的中文。"});
}

static void test_fullwidth_alnum(void **state)
{
	(void)state;
	CHECK({"２０２２年", "2022年"}, {"ＡＢＣ公司", "ABC公司"}, {"ｉＰｈｏｎｅ", "iPhone"},
	      {"增长６３．７％", "增长63.7%"},
	      /* full-width punctuation is Chinese punctuation: kept */
	      {"你好，世界！", "你好，世界！"}, {"（１）加强", "（1）加强"});
}

static void test_ascii_punct_in_chinese(void **state)
{
	(void)state;
	CHECK({"8月26日,全国首届", "8月26日，全国首届"}, {"江西:", "江西："},
	      {"贵州:加快", "贵州：加快"}, {"管理;贵阳", "管理；贵阳"}, {"好!走", "好！走"},
	      {"为什么?因为", "为什么？因为"}, {"人民政府(灵武市)承办", "人民政府（灵武市）承办"},
	      {"一个市(州)和", "一个市（州）和"}, {"(1)加强", "（1）加强"},
	      {"中国建设银行(CCB)", "中国建设银行（CCB）"}, {"时间:2022年", "时间：2022年"},
	      {"达50%,其中", "达50%，其中"});
}

static void test_ascii_punct_in_latin_and_numbers(void **state)
{
	(void)state;
	CHECK({"63.7%", "63.7%"}, {"1+8+N模式", "1+8+N模式"}, {"2.3万", "2.3万"},
	      {"3,000", "3,000"}, {"10:30开会", "10:30开会"}, {"f(x) = 1", "f(x) = 1"},
	      {"Hello, world!", "Hello, world!"}, {"http://example.org", "http://example.org"},
	      {"don't", "don't"}, {"(a, b)", "(a, b)"});
}

static void test_quotes(void **state)
{
	(void)state;
	CHECK({"以\"牵手计划\"为平台", "以“牵手计划”为平台"}, {"\"十四五\"时期", "“十四五”时期"},
	      {"所谓'六化'", "所谓‘六化’"}, {"他说\"Hello\"。", "他说“Hello”。"},
	      {"\"quoted\" English", "\"quoted\" English"}, {"“村村播 家家富”", "“村村播 家家富”"},
	      /* a quote opened in Chinese closes even after Latin text */
	      {"他说:\"I am fine.\"", "他说：“I am fine.”"},
	      {"\"牵手计划\"和\"十四五\"", "“牵手计划”和“十四五”"});
}

static void test_justification_after_punct(void **state)
{
	(void)state;
	CHECK({"的要求。 李", "的要求。李"}, {"成效， 要求", "成效，要求"},
	      {"重点群体、 聚焦", "重点群体、聚焦"}, {"管理； 贵阳", "管理；贵阳"},
	      {"“五位一体” 总体布局", "“五位一体”总体布局"}, {"（街道） 社会", "（街道）社会"},
	      {"（ 街道）", "（街道）"}, {"《 中国》", "《中国》"},
	      {"贵州：\xE3\x80\x80加快", "贵州：加快"});
}

static void test_justification_before_punct(void **state)
{
	(void)state;
	CHECK({"治理制度 ， 提升", "治理制度，提升"}, {"联合会 ）", "联合会）"},
	      {"社工站 ；", "社工站；"}, {"服务 , 全省", "服务，全省"}, {"完成 。", "完成。"},
	      {"计划 ”", "计划”"}, {"人民政府 (灵武市)", "人民政府（灵武市）"},
	      {"人民政府 （灵武市）", "人民政府（灵武市）"});
}

static void test_digits_and_chinese(void **state)
{
	(void)state;
	CHECK({"2022 年", "2022年"}, {"8 月 16 日", "8月16日"}, {"全国 28 个省", "全国28个省"},
	      {"1200 余名", "1200余名"}, {"755 个，1200 余名", "755个，1200余名"},
	      {"2.3 万", "2.3万"}, {"50% 的人", "50%的人"}, {"08 版", "08版"},
	      {"共计 495 人", "共计495人"}, {"增长 50 %", "增长50%"}, {"（ 1 ）", "（1）"},
	      /* counter-cases: digits among Latin or digits keep their spaces */
	      {"COVID 19", "COVID 19"}, {"2022 2023", "2022 2023"});
}

static void test_spaces_that_stay(void **state)
{
	(void)state;
	CHECK({"“村村播 家家富”", "“村村播 家家富”"},
	      {"《上海市民政局 甘肃省民政厅》", "《上海市民政局 甘肃省民政厅》"},
	      {"创新授信思路 深圳破解社工组织首贷难题", "创新授信思路 深圳破解社工组织首贷难题"},
	      {"open source software", "open source software"}, {"使用 App 进行", "使用 App 进行"},
	      {"■ 本报记者 王勇", "■ 本报记者 王勇"},
	      /* runs collapse to one space; U+3000 is a space */
	      {"王  勇", "王 勇"}, {"王\xE3\x80\x80勇", "王 勇"}, {"a \t b", "a b"},
	      {"签署 《备忘录》", "签署 《备忘录》"});
}

static void test_bad_and_odd_input(void **state)
{
	(void)state;
	/* invalid UTF-8 bytes come out as U+FFFD; ZWSP and BOM vanish */
	CHECK({"a\xFF"
	       "b",
	       "a\xEF\xBF\xBD"
	       "b"},
	      {"中\xE2\x80\x8B国", "中国"}, {"\xEF\xBB\xBF中国", "中国"},
	      {"，，，。。。", "，，，。。。"}, {" , , , ", ", , ,"}, {"(((((", "((((("},
	      {")))", ")))"});
}

/* A line nothing applies to is copied as it is (the fast path), and one
 * character that some pass changes is enough to take the full path. */
static void test_plain_lines(void **state)
{
	(void)state;
	CHECK({"全国首届社会工作助力乡村振兴大会在宁夏举行。",
	       "全国首届社会工作助力乡村振兴大会在宁夏举行。"},
	      {"《𠀀字》“引号”——破折号…Café", "《𠀀字》“引号”——破折号…Café"},
	      {"abc-123/x", "abc-123/x"}, {"举行,", "举行，"}, {"第３届", "第3届"},
	      {"举行％", "举行％"}, {"50％", "50%"}, {"中\xE2\x80\x8B国", "中国"},
	      {"中 国", "中 国"}, {"中。 国", "中。国"},
	      {"\xE0\x80\x80中", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD中"},
	      {"\xED\xA0\x80中", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD中"});
}

static void test_appends(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	np_buf_puts(&b, "x|");
	np_text_normalise(&b, np_str_from("8 月"));
	assert_string_equal(b.data, "x|8月");
	np_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_nfc),
	    cmocka_unit_test(test_fullwidth_alnum),
	    cmocka_unit_test(test_ascii_punct_in_chinese),
	    cmocka_unit_test(test_ascii_punct_in_latin_and_numbers),
	    cmocka_unit_test(test_quotes),
	    cmocka_unit_test(test_justification_after_punct),
	    cmocka_unit_test(test_justification_before_punct),
	    cmocka_unit_test(test_digits_and_chinese),
	    cmocka_unit_test(test_spaces_that_stay),
	    cmocka_unit_test(test_bad_and_odd_input),
	    cmocka_unit_test(test_plain_lines),
	    cmocka_unit_test(test_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
