/* np_cpset (meta/internal.h): the bitmap answers what the binary search
 * of the sorted array answers, for every code point, including members
 * beyond the BMP; threads that meet a set not yet built all see it whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "meta/internal.h"
#include "threads_test.h"

static const uint32_t sorted[] = {0x0,    0x3F,   0x41,    0x4E00,  0x738B,
                                  0x9FFF, 0xFFFF, 0x10000, 0x20000, 0x10FFFF};

static void test_same_as_search(void **state)
{
	(void)state;
	static np_cpset set = NP_CPSET(sorted);
	size_t hits = 0;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		bool want = np_cp_in(sorted, sizeof sorted / sizeof *sorted, cp);
		if (np_cpset_has(&set, cp) != want)
			fail_msg("U+%04X: bitmap %d, search %d", (unsigned)cp, !want, want);
		hits += want;
	}
	assert_int_equal(hits, sizeof sorted / sizeof *sorted);
	assert_false(np_cpset_has(&set, 0x110000));
}

static np_cpset shared = NP_CPSET(sorted);

static void *worker(void *arg)
{
	(void)arg;
	for (size_t k = 0; k < sizeof sorted / sizeof *sorted; k++)
		if (!np_cpset_has(&shared, sorted[k]))
			return (void *)1;
	return np_cpset_has(&shared, 0x738C) ? (void *)1 : NULL;
}

static void test_threads(void **state)
{
	(void)state;
	np_test_threads(worker, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_as_search),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
