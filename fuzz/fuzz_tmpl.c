/* fuzz_tmpl: the template language on arbitrary sources.  The input is split
 * at each "\n@@\n" into up to four templates -- main.html, base.html,
 * partials/article_item.html, partials/issue_title.html (the names the
 * default theme includes and extends) -- and main.html is rendered twice
 * with a fixed context shaped like an article page's.
 *
 * Contracts checked (src/tmpl/tmpl.h):
 *  - parsing and rendering never crash, whatever the templates say;
 *  - a failed render leaves out as it was and reports an error; a
 *    successful one reports none;
 *  - rendering is deterministic: the second render gives the same bytes and
 *    the same return code (a template that failed to load stays failed). */
#include <string.h>

#include "fuzz.h"
#include "tmpl/tmpl.h"
#include "util/arena.h"
#include "util/err.h"

#define SEP "\n@@\n"

static const char *const names[] = {"main.html", "base.html", "partials/article_item.html",
                                    "partials/issue_title.html"};
enum { N_NAMES = sizeof names / sizeof *names };

static np_value *lazy_summary(void *ud, np_arena *a)
{
	(void)ud;
	return np_value_strc(a, "8月26日，大会在宁夏回族自治区灵武市举行。");
}

static np_value *article(np_arena *a, int k)
{
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "title", k ? NP_STR("全国首届社会工作助力乡村振兴大会")
	                                      : NP_STR("<script>alert(\"x\")</script> & “引号”"));
	np_value_map_set(a, m, "kicker", k == 1 ? np_value_strc(a, "引题") : NULL);
	np_value_map_set_str(a, m, "url", NP_STR("articles/2022-08-30/quan-guo/index.html"));
	np_value_map_set(a, m, "date", np_value_date(a, 2022, 8, 26 + k));
	np_value_map_set(a, m, "end_date", k == 2 ? np_value_date(a, 2022, 9, 1) : NULL);
	np_value_map_set_str(a, m, "issue", NP_STR("2022-08-30"));
	np_value_map_set_int(a, m, "page", 7);
	np_value *authors = np_value_list(a, 2);
	np_value_list_push(a, authors, np_value_strc(a, "王勇"));
	if (k)
		np_value_list_push(a, authors, np_value_strc(a, "李雪梅"));
	np_value_map_set(a, m, "authors", authors);
	np_value_map_set(a, m, "body", np_value_safe(a, NP_STR("<p>正文 &amp; more</p>")));
	np_value_map_set(a, m, "summary", np_value_lazy(a, lazy_summary, NULL));
	return m;
}

/* The context: small, so that what a template does with it is bounded by
 * the template itself. */
static np_value *context(np_arena *a)
{
	np_value *site = np_value_map(a);
	np_value_map_set_str(a, site, "title", NP_STR("社会工作报 <archive>"));
	np_value_map_set_str(a, site, "language", NP_STR("zh-CN"));
	np_value_map_set_str(a, site, "description", NP_STR("'quoted' \"both\""));
	np_value_map_set_int(a, site, "n_issues", 5);
	np_value_map_set_int(a, site, "n_articles", 42);
	np_value *items = np_value_list(a, 3);
	for (int k = 0; k < 3; k++)
		np_value_list_push(a, items, article(a, k));
	np_value *page = np_value_map(a);
	np_value_map_set_int(a, page, "number", 7);
	np_value_map_set(a, page, "teasers", np_value_list(a, 0));
	np_value *ctx = np_value_map(a);
	np_value_map_set(a, ctx, "site", site);
	np_value_map_set(a, ctx, "article", article(a, 1));
	np_value_map_set(a, ctx, "items", items);
	np_value_map_set(a, ctx, "page", page);
	np_value_map_set(a, ctx, "empty", np_value_list(a, 0));
	np_value_map_set(a, ctx, "nothing", NULL);
	np_value_map_set(a, ctx, "yes", np_value_bool(true));
	np_value_map_set_int(a, ctx, "big", INT64_MAX);
	np_value_map_set_int(a, ctx, "neg", INT64_MIN);
	np_value_map_set_str(a, ctx, "canonical", NP_STR("https://example.org/archive/a b?c=1&d=\"2\""));
	return ctx;
}

static int render(np_tmpl_env *env, const np_value *ctx, np_buf *out, np_diags *d)
{
	np_tmpl_opts o = {.output_path = "articles/2022-08-30/quan-guo/index.html",
	                  .base_url = "https://example.org/archive"};
	size_t errors = d->errors;
	np_buf_puts(out, "sentinel");
	int rc = np_tmpl_render(env, "main.html", ctx, &o, out, d);
	FUZZ_CHECK(out->len >= 8 && memcmp(out->data, "sentinel", 8) == 0);
	if (rc != 0)
		FUZZ_CHECK(out->len == 8);
	else
		FUZZ_CHECK(d->errors == errors);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	np_tmpl_env *env = np_tmpl_env_new();
	np_str rest = {(const char *)data, size};
	for (size_t i = 0; i < N_NAMES && rest.p; i++) {
		size_t at = i + 1 < N_NAMES ? np_str_find(rest, NP_STR(SEP)) : (size_t)-1;
		np_str part = at == (size_t)-1 ? rest : np_str_sub(rest, 0, at);
		np_tmpl_env_add_string(env, names[i], NULL, part);
		rest = at == (size_t)-1 ? (np_str){NULL, 0} : np_str_sub(rest, at + 4, rest.len);
	}
	np_arena a;
	np_arena_init(&a);
	np_value *ctx = context(&a);
	np_diags d;
	np_diags_init(&d);
	np_buf first, second;
	np_buf_init(&first);
	np_buf_init(&second);
	int rc1 = render(env, ctx, &first, &d);
	int rc2 = render(env, ctx, &second, &d);
	FUZZ_CHECK(rc1 == rc2);
	FUZZ_CHECK(first.len == second.len && memcmp(first.data, second.data, first.len) == 0);
	if (rc1 != 0)
		FUZZ_CHECK(d.errors > 0);
	fuzz_check_diags(&d);
	np_buf_dispose(&first);
	np_buf_dispose(&second);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	np_tmpl_env_free(env);
	return 0;
}
