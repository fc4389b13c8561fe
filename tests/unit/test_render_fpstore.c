/* The fingerprint store (render/fingerprint.c): what np_fp_store_save
 * writes, np_fp_store_take reads back exactly (extreme sizes and mtimes,
 * negative mtimes, paths with spaces, keys, 20,000 entries); skipped jobs
 * (NULL paths) are left out; a file cut short at any length, one byte too
 * long, with any bit flipped, in the text format of earlier versions, or
 * missing gives an empty store; and take removes the file, so a build
 * killed before saving starts from nothing. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
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

/* np_fp_store_save of an array of fingerprints (none from a store). */
static int save(const char *const *paths, const np_fp *fps, size_t n)
{
	const np_fp **p = calloc(n + 1, sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = &fps[i];
	int rc = np_fp_store_save(path, paths, p, n, NULL);
	free(p);
	return rc;
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
	assert_int_equal(save(paths, fps, 5), 0);
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

/* Writes len bytes of data to the store's path. */
static void put_file(const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static np_buf saved; /* a good store of two entries, as written */

static void save_two(void)
{
	const char *paths[] = {"good.html", "b/index.html"};
	np_fp fps[] = {{{1, 2}, 10, 20, {10, 255}}, {{3, 4}, 5, 6, {7, 8}}};
	assert_int_equal(save(paths, fps, 2), 0);
	np_buf_init(&saved);
	assert_int_equal(np_fs_read(path, &saved), 0);
}

/* True when the store at path reads back with good.html in it. */
static bool reads_good(void)
{
	np_fp_store *s = np_fp_store_take(path);
	const np_fp *g = np_fp_store_get(s, "good.html");
	bool ok = g && g->h[0] == 1 && g->h[1] == 2 && g->size == 10 && g->mtime == 20 &&
	          g->key[0] == 10 && g->key[1] == 255;
	np_fp_store_free(s);
	return ok;
}

static void bad_files(void **state)
{
	(void)state;
	save_two();
	assert_int_equal(saved.len, 16 + 2 * 64 + 8);
	put_file(saved.data, saved.len);
	assert_true(reads_good());
	assert_false(reads_good()); /* taken: gone */

	/* Cut short at every length, or one byte more. */
	for (size_t len = 0; len < saved.len; len++) {
		put_file(saved.data, len);
		assert_false(reads_good());
	}
	np_buf longer;
	np_buf_init(&longer);
	np_buf_put(&longer, saved.data, saved.len);
	np_buf_putc(&longer, 0);
	put_file(longer.data, longer.len);
	assert_false(reads_good());
	np_buf_dispose(&longer);

	/* Any one bit flipped: magic, version, count, a record, the checksum. */
	for (size_t i = 0; i < saved.len; i += 5) {
		saved.data[i] ^= 0x10;
		put_file(saved.data, saved.len);
		assert_false(reads_good());
		saved.data[i] ^= 0x10;
	}

	/* The text format of earlier versions. */
	const char text[] = "0123456789abcdef0123456789abcdef 000000000000000a00000000000000ff 10 "
	                    "20 good.html\n";
	put_file(text, sizeof text - 1);
	assert_false(reads_good());
	np_buf_dispose(&saved);
}

/* Many entries: every one found, paths never saved not found. */
static void many(void **state)
{
	(void)state;
	enum { N = 20000 };
	static char names[N][32];
	static const char *paths[N];
	static np_fp fps[N];
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "articles/%zu/index.html", i);
		paths[i] = i % 7 == 3 ? NULL : names[i];
		fps[i] = (np_fp){{i, ~(uint64_t)i}, i * 3, (int64_t)i - 5000, {i + 1, i * i}};
	}
	assert_int_equal(save(paths, fps, N), 0);
	np_fp_store *s = np_fp_store_take(path);
	for (size_t i = 0; i < N; i++) {
		const np_fp *got = np_fp_store_get(s, names[i]);
		if (!paths[i]) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_true(got->h[0] == i && got->h[1] == ~(uint64_t)i && got->size == i * 3 &&
		            got->mtime == (int64_t)i - 5000 && got->key[0] == i + 1 &&
		            got->key[1] == i * i);
	}
	assert_null(np_fp_store_get(s, "articles/20000/index.html"));
	assert_null(np_fp_store_get(s, ""));
	np_fp_store_free(s);
}

/* A store saved from the one taken before it (the next build): entries
 * kept point at the taken store's records (their path hashes reused),
 * others are new fingerprints, some paths are gone and some new; every
 * entry reads back as given. */
static void save_from(void **state)
{
	(void)state;
	enum { N = 3000 };
	static char names[N][32];
	static const char *paths[N];
	static np_fp fps[N];
	static const np_fp *ptrs[N];
	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "regions/%zu/index.html", i);
		paths[i] = i < N - 100 ? names[i] : NULL; /* the last 100 are new next time */
		fps[i] = (np_fp){{i, 7}, i, (int64_t)i, {i, 9}};
	}
	assert_int_equal(save(paths, fps, N), 0);
	np_fp_store *old = np_fp_store_take(path);
	for (size_t i = 0; i < N; i++) {
		paths[i] = i % 10 == 5 ? NULL : names[i]; /* every tenth is gone */
		if (i % 3 == 0 || i >= N - 100) {
			fps[i] = (np_fp){{i, 8}, i + 1, -(int64_t)i, {i, 10}}; /* made again */
			ptrs[i] = &fps[i];
		} else {
			ptrs[i] = np_fp_store_get(old, names[i]);
			assert_non_null(ptrs[i]);
		}
	}
	assert_int_equal(np_fp_store_save(path, paths, ptrs, N, old), 0);
	np_fp_store *s = np_fp_store_take(path);
	for (size_t i = 0; i < N; i++) {
		const np_fp *got = np_fp_store_get(s, names[i]);
		if (!paths[i]) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		bool again = i % 3 == 0 || i >= N - 100;
		assert_true(got->h[0] == i && got->h[1] == (again ? 8u : 7u));
		assert_true(got->size == (again ? i + 1 : i));
		assert_true(got->mtime == (again ? -(int64_t)i : (int64_t)i));
		assert_true(got->key[0] == i && got->key[1] == (again ? 10u : 9u));
	}
	np_fp_store_free(s);
	np_fp_store_free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(many, setup, teardown),
	    cmocka_unit_test_setup_teardown(save_from, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
