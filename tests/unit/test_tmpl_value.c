/* Context values: maps (linear and hashed), lists, lazy values, truthiness. */
#include <stdio.h>

#include "tmpl_test.h"

static void test_map(void **s)
{
	(void)s;
	np_value *m = np_value_map(&A);
	static char keys[1000][16];
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		np_value_map_set(&A, m, keys[i], I(i));
	}
	assert_int_equal(m->u.map->len, 1000);
	assert_non_null(m->u.map->index);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(np_value_map_get(m, np_str_from(keys[i]))->u.i, i);
	assert_null(np_value_map_get(m, NP_STR("k1000")));
	np_value_map_set(&A, m, "k5", S("replaced"));
	assert_int_equal(m->u.map->len, 1000);
	assert_string_equal(np_value_map_get(m, NP_STR("k5"))->u.s.p, "replaced");
	/* Insertion order is kept for loops. */
	assert_string_equal(m->u.map->items[999].key.p, "k999");
	np_value_map_set(&A, m, "null", NULL);
	assert_int_equal(np_value_map_get(m, NP_STR("null"))->type, NP_V_NULL);
	np_value_map_set_str(&A, m, "s", NP_STR("str"));
	np_value_map_set_str(&A, m, "ns", (np_str){NULL, 0});
	np_value_map_set_int(&A, m, "i", 7);
	RENDERS("{{ m.k999 }}{{ m.s }}[{{ m.ns }}]{{ m.i }}", M("m", m, NULL), "999str[]7");
}

static void test_list(void **s)
{
	(void)s;
	np_value *l = np_value_list(&A, 2);
	for (int i = 0; i < 100; i++)
		np_value_list_push(&A, l, i % 2 ? I(i) : NULL);
	assert_int_equal(l->u.list->len, 100);
	assert_int_equal(l->u.list->items[0]->type, NP_V_NULL);
	assert_int_equal(l->u.list->items[99]->u.i, 99);
	np_value *c = np_value_str_copy(&A, NP_STR("copied"));
	assert_string_equal(c->u.s.p, "copied");
	assert_int_equal(np_value_strc(&A, NULL)->type, NP_V_NULL);
}

static int thunk_calls;

static np_value *thunk(void *ud, np_arena *a)
{
	thunk_calls++;
	return np_value_strc(a, ud);
}

static np_value *thunk_map(void *ud, np_arena *a)
{
	(void)ud;
	np_value *m = np_value_map(a);
	np_value_map_set(a, m, "inner", np_value_lazy(a, thunk, "x"));
	np_value_map_set(a, m, "k", np_value_strc(a, "v"));
	return m;
}

static np_value *thunk_null(void *ud, np_arena *a)
{
	(void)ud, (void)a;
	return NULL;
}

static void test_lazy(void **s)
{
	(void)s;
	thunk_calls = 0;
	np_value *ctx = M("lz", np_value_lazy(&A, thunk, "made"), "unused",
	                  np_value_lazy(&A, thunk, "never"), NULL);
	RENDERS("{{ lz }}{{ lz | upper }}{% if lz %}!{% endif %}", ctx, "madeMADE!");
	assert_int_equal(thunk_calls, 1);
	/* A lazy map, and a lazy value inside it; a thunk may return NULL. */
	RENDERS("{{ m.inner }}{{ m.k }}[{{ n }}]",
	        M("m", np_value_lazy(&A, thunk_map, NULL), "n", np_value_lazy(&A, thunk_null, NULL),
	          NULL),
	        "xv[]");
	assert_int_equal(thunk_calls, 2);
}

static void test_truthy(void **s)
{
	(void)s;
	assert_false(np_value_truthy(np_value_null()));
	assert_false(np_value_truthy(np_value_bool(false)));
	assert_true(np_value_truthy(np_value_bool(true)));
	assert_false(np_value_truthy(I(0)));
	assert_true(np_value_truthy(I(-1)));
	assert_false(np_value_truthy(S("")));
	assert_true(np_value_truthy(S("0")));
	assert_false(np_value_truthy(L(0)));
	assert_false(np_value_truthy(np_value_map(&A)));
	assert_true(np_value_truthy(np_value_date(&A, 2020, 1, 1)));
	assert_string_equal(np_value_type_name(S("")), "string");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_map, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lazy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truthy, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
