/* Gazetteer: the embedded data, the region tree, lookups by code and path,
 * child iteration, and load errors with positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "meta/gazetteer.h"
#include "util/err.h"

static void test_builtin_counts(void **state)
{
	(void)state;
	const np_gazetteer *g = np_gazetteer_builtin();
	assert_non_null(g);
	assert_ptr_equal(g, np_gazetteer_builtin()); /* built once */
	assert_int_equal(np_gazetteer_count(g), 3243);
	size_t n = 0;
	for (const np_region *p = np_gazetteer_provinces(g); p; p = p->next_sibling) {
		assert_int_equal(p->level, NP_LEVEL_PROVINCE);
		assert_null(p->parent);
		n++;
	}
	assert_int_equal(n, 34);
}

static void test_by_code(void **state)
{
	(void)state;
	const np_gazetteer *g = np_gazetteer_builtin();
	const np_region *r = np_gazetteer_by_code(g, 640181);
	assert_non_null(r);
	assert_true(np_str_eq_c(r->name, "灵武市"));
	assert_true(np_str_eq_c(r->short_name, "灵武"));
	assert_true(np_str_eq_c(r->path, "宁夏回族自治区/银川市/灵武市"));
	assert_int_equal(r->level, NP_LEVEL_COUNTY);
	assert_int_equal(r->depth, 3);
	assert_int_equal(r->parent->code, 640100);
	assert_int_equal(r->parent->parent->code, 640000);
	assert_null(np_gazetteer_by_code(g, 640199));
	/* Beijing's districts hang directly under the municipality. */
	r = np_gazetteer_by_code(g, 110105);
	assert_true(np_str_eq_c(r->path, "北京市/朝阳区"));
	assert_int_equal(r->short_name.len, 0);
}

static void test_by_path(void **state)
{
	(void)state;
	const np_gazetteer *g = np_gazetteer_builtin();
	const np_region *r = np_gazetteer_by_path(g, NP_STR("吉林省/长春市/朝阳区"));
	assert_non_null(r);
	assert_int_equal(r->code, 220104);
	assert_int_equal(np_gazetteer_by_path(g, NP_STR("北京市/朝阳区"))->code, 110105);
	assert_int_equal(np_gazetteer_by_path(g, NP_STR("北京市"))->code, 110000);
	assert_null(np_gazetteer_by_path(g, NP_STR("北京市/朝阳")));
	assert_null(np_gazetteer_by_path(g, NP_STR("")));
	assert_ptr_equal(np_region_ancestor(r, NP_LEVEL_PROVINCE),
	                 np_gazetteer_by_path(g, NP_STR("吉林省")));
	assert_true(np_region_is_within(r, np_gazetteer_by_code(g, 220100)));
	assert_false(np_region_is_within(r, np_gazetteer_by_code(g, 110000)));
}

static void test_children(void **state)
{
	(void)state;
	const np_gazetteer *g = np_gazetteer_builtin();
	const np_region *nx = np_gazetteer_by_code(g, 640000);
	const char *want[] = {"银川市", "石嘴山市", "吴忠市", "固原市", "中卫市"};
	size_t n = 0;
	for (const np_region *c = nx->first_child; c; c = c->next_sibling, n++) {
		assert_true(n < 5);
		assert_true(np_str_eq_c(c->name, want[n]));
		assert_ptr_equal(c->parent, nx);
	}
	assert_int_equal(n, 5);
	/* Every region's path starts with its parent's. */
	for (size_t i = 0; i < np_gazetteer_count(g); i++) {
		const np_region *r = np_gazetteer_at(g, i);
		if (r->parent)
			assert_true(np_str_starts(r->path, r->parent->path));
	}
}

static void test_load_errors(void **state)
{
	(void)state;
	np_diags d;
	np_diags_init(&d);
	np_gazetteer *g = NULL;
	np_str tsv = NP_STR("code\tlevel\tname\tshort\tparent\n110000\tprovince\t北京市\t北京\t\n"
	                    "11x101\tcounty\t东城区\t东城\t110000\n");
	assert_int_equal(np_gazetteer_load(&g, tsv, NP_STR_NULL, "r.tsv", &d), NP_EINVAL);
	assert_null(g);
	assert_int_equal(d.len, 1);
	np_buf b;
	np_buf_init(&b);
	np_diag_format(&d.items[0], &b);
	assert_true(
	    np_str_starts(np_str_of(&b), NP_STR("r.tsv:3:1: error: malformed gazetteer row")));
	np_buf_dispose(&b);
	np_diags_dispose(&d);

	np_diags_init(&d);
	tsv = NP_STR("code\tlevel\tname\tshort\tparent\n110101\tcounty\t东城区\t东城\t990000\n");
	assert_int_equal(np_gazetteer_load(&g, tsv, NP_STR_NULL, "r.tsv", &d), NP_EINVAL);
	assert_string_equal(d.items[0].msg, "region 110101: bad parent 990000");
	np_diags_dispose(&d);

	np_diags_init(&d);
	tsv = NP_STR("code\tlevel\tname\tshort\tparent\n110000\tprovince\t北京市\t北京\t\n"
	             "110101\tcounty\t东城区\t东城\t110000\n");
	assert_int_equal(np_gazetteer_load(&g, tsv, NP_STR_NULL, "r.tsv", &d), 0);
	assert_int_equal(np_gazetteer_count(g), 2);
	assert_true(np_str_eq_c(np_gazetteer_by_code(g, 110101)->path, "北京市/东城区"));
	np_gazetteer_free(g);
	np_diags_dispose(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtin_counts), cmocka_unit_test(test_by_code),
	    cmocka_unit_test(test_by_path),        cmocka_unit_test(test_children),
	    cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
