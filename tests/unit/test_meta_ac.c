/* The Aho–Corasick automaton (meta/ac.h): on texts drawn from a small
 * alphabet (Han, ASCII, a supplementary-plane character), the matches are
 * exactly those a brute-force search finds, in end order, longer first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "meta/ac.h"

static const char *const patterns[] = {"北京", "北京市", "京市", "市",       "京",
                                       "a北",  "𠀀字",   "字𠀀", "市北京市", "aa"};
enum { N_PAT = sizeof patterns / sizeof *patterns };

typedef struct match {
	size_t start, end;
	int32_t id;
} match;

typedef struct found {
	match m[4096];
	size_t n;
} found;

static int on_match(void *ctx, size_t start, size_t end, int32_t id)
{
	found *f = ctx;
	if (f->n < sizeof f->m / sizeof *f->m)
		f->m[f->n++] = (match){start, end, id};
	return 0;
}

/* Every occurrence, by end offset, longer (earlier start) first. */
static void brute(const char *t, size_t len, found *f)
{
	f->n = 0;
	for (size_t end = 1; end <= len; end++)
		for (size_t start = 0; start < end; start++)
			for (int32_t k = 0; k < N_PAT; k++) {
				size_t pl = strlen(patterns[k]);
				if (end - start == pl && memcmp(t + start, patterns[k], pl) == 0)
					on_match(f, start, end, k);
			}
}

static void test_matches_brute_force(void **state)
{
	(void)state;
	np_ac *ac = np_ac_new();
	for (int32_t k = 0; k < N_PAT; k++)
		assert_int_equal(np_ac_add(ac, np_str_from(patterns[k]), k), k);
	np_ac_build(ac);
	static const char *const alphabet[] = {"北", "京", "市", "a", "𠀀", "字", "，"};
	uint64_t x = 88172645463325252u;
	static found got, want;
	for (int round = 0; round < 2000; round++) {
		char text[256] = "";
		size_t len = 0;
		for (int k = 0; k < 30; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			const char *a = alphabet[x % (sizeof alphabet / sizeof *alphabet)];
			memcpy(text + len, a, strlen(a));
			len += strlen(a);
		}
		got.n = 0;
		assert_int_equal(np_ac_scan(ac, (np_str){text, len}, on_match, &got), 0);
		brute(text, len, &want);
		assert_int_equal(got.n, want.n);
		for (size_t i = 0; i < got.n; i++) {
			assert_int_equal(got.m[i].start, want.m[i].start);
			assert_int_equal(got.m[i].end, want.m[i].end);
			assert_int_equal(got.m[i].id, want.m[i].id);
		}
	}
	np_ac_free(ac);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matches_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
