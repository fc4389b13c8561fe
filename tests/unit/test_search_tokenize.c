/* Search tokeniser: Han bigrams, ICU dictionary words, letter/digit runs,
 * heading unigrams, the shard hash shared with search.js. */
/* cmocka.h needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "search/internal.h"
#include "util/utf8.h"

/* Tokens as one string "kind:token kind:token ..." in emission order;
 * kinds b (bigram), w (word), a (alnum), u (unigram). */
typedef struct collected {
	np_buf all;
	np_buf words;
} collected;

static void collect(void *ctx, np_str tok, enum np_tok_kind kind)
{
	collected *c = ctx;
	static const char k[] = "?bwau";
	np_buf *b = kind == NP_TOK_WORD ? &c->words : &c->all;
	if (b->len)
		np_buf_putc(b, ' ');
	np_buf_printf(b, "%c:%.*s", k[kind], (int)tok.len, tok.p);
}

static np_search_tokenizer *tk;

static int setup(void **state)
{
	(void)state;
	tk = np_search_tokenizer_new();
	return tk ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	np_search_tokenizer_free(tk);
	return 0;
}

/* Runs the tokeniser; returns the non-word tokens, words into *words. */
static char *tokens(const char *text, unsigned opts, char **words)
{
	collected c;
	np_buf_init(&c.all);
	np_buf_init(&c.words);
	np_search_tokenize(tk, np_str_from(text), opts, collect, &c);
	if (words)
		*words = np_buf_detach(&c.words);
	np_buf_dispose(&c.words);
	char *s = np_buf_detach(&c.all);
	return s;
}

static void expect(const char *text, unsigned opts, const char *want)
{
	char *got = tokens(text, opts, NULL);
	assert_string_equal(got, want);
	free(got);
}

static void test_bigrams(void **state)
{
	(void)state;
	expect("乡村振兴", 0, "b:乡村 b:村振 b:振兴");
	/* punctuation and spaces end a run: no bigram across them */
	expect("社会，工作 服务", 0, "b:社会 b:工作 b:服务");
	/* a lone Han character is no body token */
	expect("人", 0, "");
	expect("", 0, "");
}

static void test_mixed_scripts(void **state)
{
	(void)state;
	expect("G20峰会2022年在Hangzhou举行", 0, "a:g20 b:峰会 a:2022 b:年在 a:hangzhou b:举行");
	/* numbers split at the decimal point and percent sign, as the page
	 * splits a query */
	expect("覆盖率达到63.7%", 0, "b:覆盖 b:盖率 b:率达 b:达到 a:63 a:7");
	expect("“村村播 家家富”", 0, "b:村村 b:村播 b:家家 b:家富");
	expect("Café ÉTÉ", 0, "a:café a:été");
}

static void test_unigrams(void **state)
{
	(void)state;
	expect("社工站", NP_TOK_UNIGRAMS, "u:社 b:社工 u:工 b:工站 u:站");
	expect("王勇", NP_TOK_UNIGRAMS, "u:王 b:王勇 u:勇");
}

static void test_long_runs_dropped(void **state)
{
	(void)state;
	char text[200];
	memset(text, 'x', 100);
	strcpy(text + 100, " ok");
	expect(text, 0, "a:ok");
}

/* ICU's dictionary words of three or more Han characters; shorter words
 * are bigrams already. */
static void test_dictionary_words(void **state)
{
	(void)state;
	char *words = NULL;
	char *all = tokens("中华人民共和国成立了。我们在北京", NP_TOK_WORDS, &words);
	assert_string_equal(words, "w:共和国"); /* ICU: 中华|人民|共和国 */
	free(all);
	free(words);
	/* without NP_TOK_WORDS (bodies): bigrams only */
	all = tokens("中华人民共和国成立了。我们在北京", 0, &words);
	assert_string_equal(words, "");
	assert_string_equal(all, "b:中华 b:华人 b:人民 b:民共 b:共和 b:和国 b:国成 b:成立 b:立了 "
	                         "b:我们 b:们在 b:在北 b:北京");
	free(all);
	free(words);
	all = tokens("中华人民共和国成立了。我们在北京", NP_TOK_WORDS, &words);
	for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
		assert_true(np_utf8_count(w + 2, strlen(w + 2)) >= 3);
	free(all);
	free(words);
}

static void collect_bigram(void *ctx, uint32_t a, uint32_t b)
{
	char t[8];
	size_t n = np_utf8_encode(a, t);
	n += np_utf8_encode(b, t + n);
	collect(ctx, (np_str){t, n}, NP_TOK_BIGRAM);
}

/* The body tokeniser the index uses emits what np_search_tokenize does
 * without options, in the same order. */
static void test_body_path(void **state)
{
	(void)state;
	char longrun[200];
	memset(longrun, 'Q', 100);
	strcpy(longrun + 100, "中文 ok Ünïcödé 乡村振兴。G20峰会，63.7%");
	const char *texts[] = {
	    "G20峰会2022年在Hangzhou举行",
	    "覆盖率达到63.7%",
	    "“村村播 家家富”",
	    "Café ÉTÉ",
	    "中华人民共和国成立了。我们在北京",
	    "人",
	    "",
	    "a\xff\xfe乡村\xe4振兴",
	    "𠀀𠀁丁",
	    longrun,
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		collected a, b;
		np_buf_init(&a.all), np_buf_init(&a.words);
		np_buf_init(&b.all), np_buf_init(&b.words);
		np_search_tokenize(tk, np_str_from(texts[i]), 0, collect, &a);
		np_search_tokenize_body(tk, np_str_from(texts[i]), collect_bigram, collect, &b);
		assert_string_equal(a.all.data, b.all.data);
		np_buf_dispose(&a.all), np_buf_dispose(&a.words);
		np_buf_dispose(&b.all), np_buf_dispose(&b.words);
	}
}

static void test_shard_hash(void **state)
{
	(void)state;
	/* FNV-1a 32: "a" -> 0xe40c292c; search.js must agree */
	assert_int_equal(np_search_shard_of(NP_STR("a"), 1u << 31), 0xe40c292cu & 0x7fffffffu);
	assert_int_equal(np_search_shard_of(NP_STR("a"), 2048), 0x12c);
	assert_int_equal(np_search_shard_of(NP_STR(""), 16), 2166136261u & 15);
	/* three or more Han characters: the shard of the first two */
	assert_int_equal(np_search_shard_of(NP_STR("共和国"), 2048),
	                 np_search_shard_of(NP_STR("共和"), 2048));
	assert_int_equal(np_search_shard_of(NP_STR("社会工作服务"), 2048),
	                 np_search_shard_of(NP_STR("社会"), 2048));
	assert_int_not_equal(np_search_shard_of(NP_STR("r:北京市"), 1u << 31),
	                     np_search_shard_of(NP_STR("r:"), 1u << 31));
	assert_int_equal(np_search_n_shards(10), 16);
	assert_int_equal(np_search_n_shards(10000), 256);
	assert_int_equal(np_search_n_shards(100000), 2048);
	assert_int_equal(np_search_n_shards(10000000), 2048);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bigrams),          cmocka_unit_test(test_mixed_scripts),
	    cmocka_unit_test(test_unigrams),         cmocka_unit_test(test_long_runs_dropped),
	    cmocka_unit_test(test_dictionary_words), cmocka_unit_test(test_shard_hash),
	    cmocka_unit_test(test_body_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
