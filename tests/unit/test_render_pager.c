/* render/context_lists: the pager of a paginated list, and the shape of n
 * it shows (np_ctx_pager_shape), which region and event page keys hash in
 * place of the page count.  For every list of up to 80 pages and every
 * page of it (and the out-of-range page numbers the pager reads as the
 * newest), two pagers are the same JSON exactly when their (k, shape) are
 * the same: the shape never hides a change (a page would keep a stale
 * pager) and, on archived pages away from the end, it ignores the count
 * (a list growing by a page does not touch its old pages' keys). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "render/context.h"
#include "tmpl/eval.h"

enum { MAX_N = 80 };

static char *pager_json(size_t k, size_t n)
{
	np_arena a;
	np_arena_init(&a);
	np_buf b;
	np_buf_init(&b);
	assert_int_equal(np_value_json(&b, np_ctx_pager(&a, "regions/x", k, n), 16), 0);
	char *s = strdup(b.data);
	np_buf_dispose(&b);
	np_arena_dispose(&a);
	return s;
}

/* The page a job numbered k of n is (np_ctx_pager reads 0 and k > n as
 * the newest page). */
static size_t page_of(size_t k, size_t n)
{
	size_t nn = n < 1 ? 1 : n;
	return k < 1 || k > nn ? nn : k;
}

static void test_shape_is_what_the_pager_shows(void **state)
{
	(void)state;
	/* every (k, n), k from 0 to n + 1 */
	size_t cap = (MAX_N + 1) * (MAX_N + 3);
	size_t *ks = calloc(cap, sizeof *ks), m = 0;
	uint64_t *shapes = calloc(cap, sizeof *shapes);
	char **json = calloc(cap, sizeof *json);
	for (size_t n = 0; n <= MAX_N; n++)
		for (size_t k = 0; k <= n + 1; k++) {
			ks[m] = page_of(k, n);
			shapes[m] = np_ctx_pager_shape(k, n);
			json[m] = pager_json(k, n);
			m++;
		}
	size_t same_shape_other_n = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j < m; j++) {
			bool same_key = ks[i] == ks[j] && shapes[i] == shapes[j];
			bool same_pager = strcmp(json[i], json[j]) == 0;
			if (same_key)
				assert_string_equal(json[i], json[j]);
			if (same_pager && ks[i] == ks[j])
				assert_true(shapes[i] == shapes[j]);
			same_shape_other_n += same_key;
		}
	/* Archived pages away from the end share their shape across counts:
	 * page 2 of 10 and of 80 show the same pager. */
	assert_true(same_shape_other_n > 1000);
	assert_true(np_ctx_pager_shape(2, 10) == np_ctx_pager_shape(2, 80));
	/* The newest page shows the count; the last archived pages show where
	 * the list ends. */
	assert_true(np_ctx_pager_shape(10, 10) != np_ctx_pager_shape(11, 11));
	assert_true(np_ctx_pager_shape(9, 10) != np_ctx_pager_shape(9, 11));
	assert_true(np_ctx_pager_shape(7, 10) != np_ctx_pager_shape(7, 11));
	assert_true(np_ctx_pager_shape(6, 10) == np_ctx_pager_shape(6, 11));
	for (size_t i = 0; i < m; i++)
		free(json[i]);
	free(json);
	free(shapes);
	free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shape_is_what_the_pager_shows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
