/* The fingerprint store (render/fingerprint.c): what np_fp_store_save
 * writes, np_fp_store_take reads back exactly (extreme sizes and mtimes,
 * negative mtimes, paths with spaces, keys); skipped jobs (NULL paths) are left
 * out; malformed lines, lines of the format before keys, a cut last line and a missing file give no entry;
 * and take removes the file, so a build killed before saving starts from
 * nothing. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "render/fingerprint.h"
#include "util/fs.h"

static char dir[32];
static char path[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/np-fp-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/outputs.fp", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void round_trip(void **state)
{
	(void)state;
	const char *paths[] = {"index.html", NULL, "a b/index.html", "x.xml", "y"};
	np_fp fps[] = {
	    {{0x0123456789abcdefu, 0xfedcba9876543210u}, 12345, 1764759000123456789, {5, 6}},
	    {{1, 2}, 3, 4, {7, 8}},
	    {{0, 0}, 0, 0, {0, 0}},
	    {{UINT64_MAX, UINT64_MAX}, UINT64_MAX, INT64_MAX, {UINT64_MAX, 0}},
	    {{42, 43}, 7, -1500000000, {0xabcdef, 0x123456789}},
	};
	assert_int_equal(np_fp_store_save(path, paths, fps, 5), 0);
	np_fp_store *s = np_fp_store_take(path);
	assert_false(np_fs_exists(path));
	for (size_t i = 0; i < 5; i++) {
		if (!paths[i])
			continue;
		const np_fp *got = np_fp_store_get(s, paths[i]);
		assert_non_null(got);
		assert_true(got->h[0] == fps[i].h[0] && got->h[1] == fps[i].h[1]);
		assert_true(got->size == fps[i].size);
		assert_true(got->mtime == fps[i].mtime);
		assert_true(got->key[0] == fps[i].key[0] && got->key[1] == fps[i].key[1]);
	}
	np_fp_store_free(s);
}

static void bad_lines(void **state)
{
	(void)state;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("0123456789abcdef0123456789abcdef 000000000000000a00000000000000ff 10 20 good.html\n"
	      "0123456789abcdef0123456789abcdef 1 2 oldformat.html\n"
	      "0123456789abcdef0123456789abcdeg 00000000000000000000000000000000 10 20 badhex.html\n"
	      "0123456789abcdef0123456789abcde 10 20 short.html\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 -10 20 negsize.html\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 10 20\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 10 99999999999999999999 big.html\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 18446744073709551616 20 wide.html\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 10 9223372036854775808 over.html\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 10x 20 junk.html\n"
	      "0123456789abcdef0123456789abcdef 00000000000000000000000000000000 1 2 cut.html",
	      f);
	fclose(f);
	np_fp_store *s = np_fp_store_take(path);
	const np_fp *good = np_fp_store_get(s, "good.html");
	assert_non_null(good);
	assert_true(good->size == 10 && good->mtime == 20 && good->key[0] == 10 && good->key[1] == 255);
	const char *bad[] = {"badhex.html", "short.html", "negsize.html", "big.html",
	                     "over.html",   "junk.html",  "cut.html",    "wide.html", "oldformat.html"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_null(np_fp_store_get(s, bad[i]));
	np_fp_store_free(s);

	s = np_fp_store_take(path); /* taken: gone */
	assert_null(np_fp_store_get(s, "good.html"));
	np_fp_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
