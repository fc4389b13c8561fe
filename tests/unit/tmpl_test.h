/* Helpers shared by the template engine tests: render a template given as
 * a string and compare the output or the first diagnostic exactly. */
#ifndef NP_TESTS_TMPL_TEST_H
#define NP_TESTS_TMPL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tmpl/tmpl.h"
#include "util/err.h"

static np_diags D;
static np_buf OUT;
static np_arena A;
static np_tmpl_opts OPTS;

__attribute__((unused)) static int setup(void **state)
{
	(void)state;
	np_diags_init(&D);
	np_buf_init(&OUT);
	np_arena_init(&A);
	OPTS = (np_tmpl_opts){0};
	return 0;
}

__attribute__((unused)) static int teardown(void **state)
{
	(void)state;
	np_diags_dispose(&D);
	np_buf_dispose(&OUT);
	np_arena_dispose(&A);
	return 0;
}

__attribute__((unused)) static np_value *S(const char *s)
{
	return np_value_strc(&A, s);
}
__attribute__((unused)) static np_value *I(int64_t i)
{
	return np_value_int(&A, i);
}

/* A map from NULL-terminated key, value pairs. */
__attribute__((unused)) static np_value *M(const char *k, ...)
{
	np_value *m = np_value_map(&A);
	va_list ap;
	va_start(ap, k);
	for (; k; k = va_arg(ap, const char *))
		np_value_map_set(&A, m, k, va_arg(ap, np_value *));
	va_end(ap);
	return m;
}

/* A list of n values. */
__attribute__((unused)) static np_value *L(size_t n, ...)
{
	np_value *l = np_value_list(&A, 0);
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		np_value_list_push(&A, l, va_arg(ap, np_value *));
	va_end(ap);
	return l;
}

/* Renders "main.html" = src plus extra name/source pairs (NULL ends). */
__attribute__((unused)) static int run_many(const char *src, np_value *ctx, ...)
{
	np_tmpl_env *env = np_tmpl_env_new();
	np_tmpl_env_add_string(env, "main.html", NULL, np_str_from(src));
	va_list ap;
	va_start(ap, ctx);
	for (const char *n; (n = va_arg(ap, const char *));)
		np_tmpl_env_add_string(env, n, NULL, np_str_from(va_arg(ap, const char *)));
	va_end(ap);
	np_diags_dispose(&D);
	np_diags_init(&D);
	np_buf_clear(&OUT);
	int rc = np_tmpl_render(env, "main.html", ctx, &OPTS, &OUT, &D);
	np_tmpl_env_free(env);
	return rc;
}

__attribute__((unused)) static int run(const char *src, np_value *ctx)
{
	return run_many(src, ctx, NULL);
}

/* The first diagnostic, formatted with its echoed line and caret. */
__attribute__((unused)) static const char *diag_full(void)
{
	static np_buf b;
	np_buf_dispose(&b);
	np_buf_init(&b);
	if (D.len)
		np_diag_format(&D.items[0], &b);
	return b.data;
}

/* Just its first line, without the newline. */
__attribute__((unused)) static const char *diag1(void)
{
	static char line[1024];
	const char *f = diag_full();
	size_t n = strcspn(f, "\n");
	snprintf(line, sizeof line, "%.*s", (int)n, f);
	return line;
}

#define RENDERS(src, ctx, want)                                                                    \
	do {                                                                                       \
		int rc_ = run((src), (ctx));                                                       \
		if (rc_)                                                                           \
			print_error("unexpected error: %s\n", diag_full());                        \
		assert_int_equal(rc_, 0);                                                          \
		assert_string_equal(OUT.data, (want));                                             \
	} while (0)

#define FAILS(src, ctx, want)                                                                      \
	do {                                                                                       \
		assert_int_not_equal(run((src), (ctx)), 0);                                        \
		assert_string_equal(diag1(), (want));                                              \
		assert_string_equal(OUT.data, "");                                                 \
	} while (0)

#endif
