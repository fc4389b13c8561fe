/* util: buffers, UTF-8, arena, paths, the atomic writer, the string map,
 * the thread pool, the run-merging sort. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/sort.h"
#include "util/strmap.h"
#include "util/utf8.h"

static void test_buf(void **state)
{
	(void)state;
	np_buf b;
	np_buf_init(&b);
	assert_string_equal(b.data, "");
	for (int i = 0; i < 1000; i++)
		np_buf_puts(&b, "ab");
	assert_int_equal(b.len, 2000);
	np_buf_clear(&b);
	np_buf_printf(&b, "%d-%s", 42, "x");
	np_buf_put_cp(&b, 0x4E2D);
	assert_string_equal(b.data, "42-x中");
	np_buf_put_cp(&b, 0xD800); /* a surrogate is not a character */
	assert_string_equal(b.data + 7, "\xEF\xBF\xBD");
	np_buf_dispose(&b);
	np_str t = np_str_trim(NP_STR("\xE3\x80\x80 中文 \n"));
	assert_true(np_str_eq(t, NP_STR("中文")));
	assert_int_equal(np_str_find(NP_STR("abcabd"), NP_STR("abd")), 3);
	assert_int_equal(np_str_find(NP_STR("abc"), NP_STR("x")), (size_t)-1);
}

static void test_utf8(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(np_utf8_decode("\xE4\xB8\xAD", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(np_utf8_decode("\xE4\xB8", 2, &cp), 1); /* truncated */
	assert_int_equal(cp, NP_REPLACEMENT);
	assert_int_equal(np_utf8_decode("\xC0\x80", 2, &cp), 1); /* overlong */
	assert_int_equal(cp, NP_REPLACEMENT);
	assert_int_equal(np_utf8_decode("\xED\xA0\x80", 3, &cp), 1); /* surrogate */
	assert_int_equal(np_utf8_count("a中b", strlen("a中b")), 3);
	assert_int_equal(np_utf8_prev("a中", 4), 1);
	assert_true(np_is_han(0x4E2D));
	assert_false(np_is_han('a'));
}

static void test_arena(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	char *big = np_arena_alloc(&a, 1 << 20);
	memset(big, 1, 1 << 20);
	for (int i = 0; i < 10000; i++) {
		int *p = NP_ANEW(&a, int);
		assert_int_equal(*p, 0);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	assert_string_equal(np_arena_printf(&a, "%s-%d", "x", 7), "x-7");
	np_arena_dispose(&a);
}

static void test_safe_paths(void **state)
{
	(void)state;
	assert_true(np_path_is_safe_rel(NP_STR("articles/2022/x/index.html")));
	assert_false(np_path_is_safe_rel(NP_STR("../etc/passwd")));
	assert_false(np_path_is_safe_rel(NP_STR("a/../../b")));
	assert_false(np_path_is_safe_rel(NP_STR("/abs")));
	assert_false(np_path_is_safe_rel(NP_STR("a//b")));
	assert_false(np_path_is_safe_rel(NP_STR("a/./b")));
	assert_false(np_path_is_safe_rel(NP_STR("a\\b")));
	assert_false(np_path_is_safe_rel(NP_STR("")));
}

static void test_write_if_changed(void **state)
{
	(void)state;
	char dir[] = "/tmp/np-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	np_buf p;
	np_buf_init(&p);
	np_buf_printf(&p, "%s/a/b/c.txt", dir);
	assert_int_equal(np_fs_write_if_changed(p.data, "hello", 5), NP_WRITE_WRITTEN);
	struct stat st1, st2;
	assert_int_equal(stat(p.data, &st1), 0);
	usleep(20000);
	assert_int_equal(np_fs_write_if_changed(p.data, "hello", 5), NP_WRITE_UNCHANGED);
	assert_int_equal(stat(p.data, &st2), 0);
	assert_int_equal(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(np_fs_write_if_changed(p.data, "hellO", 5), NP_WRITE_WRITTEN);
	np_buf r;
	np_buf_init(&r);
	assert_int_equal(np_fs_read(p.data, &r), 0);
	assert_string_equal(r.data, "hellO");
	np_buf_clear(&r);
	np_buf_printf(&r, "rm -rf %s", dir);
	assert_int_equal(system(r.data), 0);
	np_buf_dispose(&r);
	np_buf_dispose(&p);
}

/* Files written in pieces and put in place whole (np_fs_writer), and
 * files mapped (np_fs_map): 1 MB in pieces of every size up to 997 bytes
 * (across the writer's 256 KB buffer) reads back exactly, replacing an old
 * file, and no temporary file is left; a writer into a missing folder
 * fails at open with ENOENT, takes puts without effect and leaves nothing;
 * an empty or absent file is not mapped, a file replaced while mapped
 * stays readable as it was. */
static void test_writer_and_map(void **state)
{
	(void)state;
	char dir[] = "/tmp/np-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	np_buf p, want;
	np_buf_init(&p);
	np_buf_init(&want);
	np_buf_printf(&p, "%s/m.txt", dir);
	assert_int_equal(np_fs_write_if_changed(p.data, "old", 3), NP_WRITE_WRITTEN);
	np_fs_mapping was;
	assert_true(np_fs_map(p.data, &was));
	np_fs_writer w;
	assert_int_equal(np_fs_writer_open(&w, p.data), 0);
	for (size_t piece = 1; want.len < (1u << 20); piece = piece % 997 + 1) {
		char chunk[997];
		for (size_t k = 0; k < piece; k++)
			chunk[k] = (char)('a' + (want.len + k) % 26);
		np_fs_writer_put(&w, chunk, piece);
		np_buf_put(&want, chunk, piece);
	}
	assert_int_equal(np_fs_writer_commit(&w), 0);
	np_fs_mapping m;
	assert_true(np_fs_map(p.data, &m));
	assert_int_equal(m.len, want.len);
	assert_memory_equal(m.data, want.data, want.len);
	np_fs_unmap(&m);
	assert_null(m.data);
	assert_int_equal(was.len, 3); /* the replaced file, still mapped */
	assert_memory_equal(was.data, "old", 3);
	np_fs_unmap(&was);

	np_buf q;
	np_buf_init(&q);
	np_buf_printf(&q, "%s/missing/m.txt", dir);
	assert_int_equal(np_fs_writer_open(&w, q.data), NP_EIO);
	np_fs_writer_put(&w, "x", 1);
	assert_int_equal(np_fs_writer_commit(&w), NP_EIO);
	assert_int_equal(errno, ENOENT);
	assert_false(np_fs_map(q.data, &m));

	np_buf_clear(&q);
	np_buf_printf(&q, "%s/empty.txt", dir);
	assert_int_equal(np_fs_write_if_changed(q.data, "", 0), NP_WRITE_WRITTEN);
	assert_false(np_fs_map(q.data, &m));
	assert_null(m.data);

	np_buf_clear(&q); /* only m.txt and empty.txt: no temporary left */
	np_buf_printf(&q, "test \"$(ls %s | tr '\\n' ' ')\" = \"empty.txt m.txt \"", dir);
	assert_int_equal(system(q.data), 0);
	np_buf_clear(&q);
	np_buf_printf(&q, "rm -rf %s", dir);
	assert_int_equal(system(q.data), 0);
	np_buf_dispose(&q);
	np_buf_dispose(&want);
	np_buf_dispose(&p);
}

static void test_strmap(void **state)
{
	(void)state;
	np_strmap m;
	np_strmap_init(&m);
	char keys[5000][16];
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		assert_true(np_strmap_put(&m, np_str_from(keys[i]), (size_t)i));
	}
	assert_false(np_strmap_put(&m, NP_STR("k7"), 70));
	size_t v;
	assert_true(np_strmap_get(&m, NP_STR("k7"), &v));
	assert_int_equal(v, 70);
	assert_true(np_strmap_get(&m, NP_STR("k4999"), &v));
	assert_int_equal(v, 4999);
	assert_false(np_strmap_get(&m, NP_STR("k5000"), &v));
	np_strmap_dispose(&m);
}

static void square(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	((size_t *)ctx)[i] = i * i;
}

static void test_pool(void **state)
{
	(void)state;
	size_t out[1000];
	np_pool_for(2, 1000, square, out);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(out[i], i * i);
	np_pool_for(1, 0, square, out);
}

static void test_diag_format(void **state)
{
	(void)state;
	np_diags d;
	np_diags_init(&d);
	np_diag_add_src(&d, NP_ERROR, "t.html", 3, 4, NP_STR("ab中x"), "unknown filter '%s'", "zz");
	np_diag_add(&d, NP_WARNING, "a.txt", 0, 0, "whole file");
	np_buf b;
	np_buf_init(&b);
	np_diag_format(&d.items[0], &b);
	assert_string_equal(b.data, "t.html:3:4: error: unknown filter 'zz'\n    ab中x\n        ^\n");
	np_buf_clear(&b);
	np_diag_format(&d.items[1], &b);
	assert_string_equal(b.data, "a.txt: warning: whole file\n");
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 1);
	np_buf_dispose(&b);
	np_diags_dispose(&d);
}

/* An element whose order is its key alone: equal keys keep their first
 * order (idx) in a stable sort.  pad makes the large variant's elements
 * as big as the site model's articles. */
typedef struct sort_el {
	int key, idx;
	unsigned char pad[504];
} sort_el;

static int cmp_key(const void *a, const void *b, void *ctx)
{
	int *calls = ctx;
	++*calls;
	const sort_el *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_key_idx(const void *a, const void *b)
{
	const sort_el *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Keys for n elements in one of several shapes. */
static void sort_keys(sort_el *e, size_t n, int shape, unsigned *seed)
{
	for (size_t i = 0; i < n; i++) {
		unsigned r = (unsigned)rand_r(seed);
		int k;
		switch (shape) {
		case 0: k = (int)i; break;                          /* sorted */
		case 1: k = (int)(n - i); break;                    /* strictly descending */
		case 2: k = (int)(r % 7); break;                    /* few keys, many ties */
		case 3: k = (int)(i / 40) * 100 + (int)(r % 40); break; /* blocks, shuffled inside */
		case 4: k = (int)(i % 2 ? i : n + i); break;        /* two interleaved runs */
		case 5: k = (int)i + (r % 50 == 0 ? (int)(r % 1000) - 500 : 0); break; /* strays */
		case 6: k = (int)(n - i) / 3; break;                /* descending with ties */
		default: k = (int)(r % 100000); break;              /* random */
		}
		e[i].key = k;
		e[i].idx = (int)i;
		memset(e[i].pad, (int)(i & 0xff), sizeof e[i].pad);
	}
}

static void test_sort_runs(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 2, 3, 31, 32, 33, 65, 100, 1000, 5000};
	unsigned seed = 7;
	for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
		size_t n = sizes[si];
		for (int shape = 0; shape < 8; shape++) {
			for (int large = 0; large < 2; large++) {
				sort_el *e = calloc(n + 1, sizeof *e), *want = calloc(n + 1, sizeof *e);
				sort_keys(e, n, shape, &seed);
				memcpy(want, e, n * sizeof *e);
				qsort(want, n, sizeof *want, cmp_key_idx);
				int calls = 0;
				if (large) {
					np_sort_runs_large(e, n, sizeof *e, cmp_key, &calls);
				} else { /* the small variant on the same elements: each move copies 512 bytes */
					np_sort_runs(e, n, sizeof *e, cmp_key, &calls);
				}
				for (size_t i = 0; i < n; i++) {
					assert_int_equal(e[i].key, want[i].key);
					assert_int_equal(e[i].idx, want[i].idx); /* stable */
					assert_int_equal(e[i].pad[100], (unsigned char)(want[i].idx & 0xff));
				}
				if (shape == 0 && n > 1) /* in order: one look at each neighbour pair */
					assert_int_equal(calls, (int)n - 1);
				if (shape == 3 && n == 5000) /* blocks of 40: about 5 n, where a
				                              * merge sort takes n log2 n (12 n) */
					assert_true(calls < 6 * (int)n);
				free(e), free(want);
			}
		}
	}
}

static int cmp_key_only(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	const sort_el *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

/* np_sort_halves: the same order as a stable sort, on one thread below
 * its threshold and on two above it (odd and even counts, so the halves
 * differ in size). */
static void test_sort_halves(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 2, 100, 4095, 4096, 4097, 9999, 20000};
	unsigned seed = 11;
	for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
		size_t n = sizes[si];
		for (int shape = 0; shape < 8; shape++) {
			sort_el *e = calloc(n + 1, sizeof *e), *want = calloc(n + 1, sizeof *e);
			sort_keys(e, n, shape, &seed);
			memcpy(want, e, n * sizeof *e);
			qsort(want, n, sizeof *want, cmp_key_idx);
			np_sort_halves(e, n, sizeof *e, cmp_key_only, NULL);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(e[i].key, want[i].key);
				assert_int_equal(e[i].idx, want[i].idx); /* stable */
				assert_int_equal(e[i].pad[100], (unsigned char)(want[i].idx & 0xff));
			}
			free(e), free(want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf),         cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_arena),       cmocka_unit_test(test_safe_paths),
	    cmocka_unit_test(test_write_if_changed), cmocka_unit_test(test_writer_and_map),
	    cmocka_unit_test(test_strmap),
	    cmocka_unit_test(test_pool),        cmocka_unit_test(test_diag_format),
	    cmocka_unit_test(test_sort_runs),   cmocka_unit_test(test_sort_halves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
