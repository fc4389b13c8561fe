/* The slug cache (site/slugs.h): it gives what np_slugify gives; a saved
 * entry is served from the file (an entry changed by hand shows, so the
 * transliterator was not asked); it is rewritten only when the names asked
 * for changed, and then holds just those; a file of another format or ICU
 * version is ignored, bad lines are skipped, names with tabs or newlines
 * are never cached; and a site loads the same event and region slugs with
 * and without the file. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/record.h"
#include "site/site.h"
#include "site/slugs.h"
#include "site_test.h"
#include "util/fs.h"
#include "util/translit.h"

static int setup(void **state)
{
	(void)state;
	return site_test_make_root("np-slugs-test");
}

/* The cache file as text ("" when missing). */
static char *read_cache(void)
{
	np_buf p, b;
	np_buf_init(&p);
	np_buf_init(&b);
	site_test_path(&p, NP_SLUGS_FILE);
	if (np_fs_read(p.data, &b) != 0)
		np_buf_clear(&b);
	char *s = strdup(b.len ? b.data : "");
	np_buf_dispose(&p);
	np_buf_dispose(&b);
	return s;
}

static void write_cache(const char *text)
{
	np_buf p;
	np_buf_init(&p);
	site_test_path(&p, NP_SLUGS_FILE);
	assert_int_equal(np_fs_mkdirs_for(p.data), 0);
	FILE *f = fopen(p.data, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	np_buf_dispose(&p);
}

/* The slug of name through a cache loaded now (and saved after). */
static char *slug_via_cache(const char *name)
{
	np_slugs c;
	np_slugs_load(&c, root);
	np_buf b;
	np_buf_init(&b);
	np_slugs_get(&c, &b, np_str_from(name));
	char *s = strdup(b.len ? b.data : "");
	np_buf_dispose(&b);
	np_slugs_save(&c, root);
	np_slugs_dispose(&c);
	return s;
}

static char *slug_direct(const char *name)
{
	np_buf b;
	np_buf_init(&b);
	np_slugify(&b, np_str_from(name));
	char *s = strdup(b.len ? b.data : "");
	np_buf_dispose(&b);
	return s;
}

/* The header line of a file this build wrote. */
static char *header(void)
{
	char *all = read_cache();
	char *nl = strchr(all, '\n');
	assert_non_null(nl);
	nl[1] = '\0';
	return all;
}

static void test_cache_round_trip(void **state)
{
	(void)state;
	char *want = slug_direct("福建省农业农村工作会议");
	assert_string_equal(want, "fu-jian-sheng-nong-ye-nong-cun-gong-zuo-hui-yi");
	char *got = slug_via_cache("福建省农业农村工作会议");
	assert_string_equal(got, want);
	free(got);
	char *text = read_cache();
	assert_non_null(strstr(text, "\n福建省农业农村工作会议\tfu-jian-sheng-nong-ye-nong-cun-gong-zuo-hui-yi\n"));
	assert_non_null(strstr(text, "newsprint slugs "));

	/* Served from the file: an entry edited by hand shows... */
	char *h = header();
	np_buf t;
	np_buf_init(&t);
	np_buf_printf(&t, "%s福建省农业农村工作会议\tfrom-the-file\n", h);
	write_cache(t.data);
	got = slug_via_cache("福建省农业农村工作会议");
	assert_string_equal(got, "from-the-file");
	free(got);
	/* ...and the same names asked for leave the file as it was. */
	free(text);
	text = read_cache();
	assert_string_equal(text, t.data);

	/* Another format or ICU version: ignored, and rewritten. */
	write_cache("newsprint slugs 0 max 100 icu 1.0\n福建省农业农村工作会议\tfrom-the-file\n");
	got = slug_via_cache("福建省农业农村工作会议");
	assert_string_equal(got, want);
	free(got);
	free(text);
	text = read_cache();
	assert_true(strncmp(text, h, strlen(h)) == 0);

	free(text);
	free(h);
	free(want);
	np_buf_dispose(&t);
}

static void test_cache_prunes_and_skips_bad_lines(void **state)
{
	(void)state;
	free(slug_via_cache("海峡论坛"));
	char *h = header();
	np_buf t;
	np_buf_init(&t);
	np_buf_printf(&t,
	              "%s"
	              "海峡论坛\thai-xia-lun-tan\n"
	              "一行没有制表符\n"
	              "坏的\tNot A Slug\n"
	              "不再用的\tbu-zai-yong-de\n"
	              "截断的\tjie-duan",
	              h);
	write_cache(t.data);
	np_slugs c;
	np_slugs_load(&c, root);
	assert_int_equal(c.n, 2); /* 海峡论坛 and 不再用的 */
	np_buf b;
	np_buf_init(&b);
	np_slugs_get(&c, &b, NP_STR("坏的"));
	assert_string_equal(b.data, "huai-de"); /* made again, not the bad line */
	np_buf_clear(&b);
	np_slugs_get(&c, &b, NP_STR("海峡论坛"));
	assert_string_equal(b.data, "hai-xia-lun-tan");
	np_buf_clear(&b);
	/* never cached: a name with a tab or a newline */
	np_slugs_get(&c, &b, NP_STR("两\t行\n名字"));
	assert_string_equal(b.data, "liang-xing-ming-zi");
	assert_int_equal(c.n, 3);
	np_slugs_save(&c, root);
	np_slugs_dispose(&c);
	char *text = read_cache();
	np_buf_clear(&t);
	np_buf_printf(&t, "%s海峡论坛\thai-xia-lun-tan\n坏的\thuai-de\n", h);
	assert_string_equal(text, t.data); /* only what was asked for */
	free(text);
	free(h);
	np_buf_dispose(&b);
	np_buf_dispose(&t);
}

static void write_rec(const char *id, const char *region, const char *event)
{
	np_arena a;
	np_arena_init(&a);
	np_article x = {0};
	x.id = np_str_from(id);
	x.title = np_str_from(id);
	x.issue = NP_STR("2022-08-23");
	x.page = 1;
	x.summary = NP_STR("");
	np_strlist_add(&x.regions, &a, np_str_from(region));
	np_strlist_add(&x.events, &a, np_str_from(event));
	x.body = NP_STR("正文。\n");
	free(site_test_write_record(&x));
	np_arena_dispose(&a);
}

/* Event and region slugs of a load, one per line. */
static char *site_slugs(void)
{
	np_diags d;
	np_diags_init(&d);
	np_site *s = np_site_load(root, 2, &d);
	assert_non_null(s);
	np_buf b;
	np_buf_init(&b);
	for (size_t i = 0; i < s->n_events; i++)
		np_buf_printf(&b, "event %s\n", s->events[i].slug);
	for (size_t i = 0; i < s->n_regions; i++)
		np_buf_printf(&b, "region %s\n", s->regions[i].slug);
	char *out = strdup(b.data);
	np_buf_dispose(&b);
	np_site_free(s);
	np_diags_dispose(&d);
	return out;
}

static void test_site_same_with_cache(void **state)
{
	(void)state;
	char cmd[sizeof root * 2 + 40];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/content' '%s/.newsprint'", root, root);
	assert_int_equal(system(cmd), 0);
	write_rec("a1", "火星市/某区", "海峡论坛");
	write_rec("a2", "福建省/福州市", "福建省农业农村工作会议");
	char *cold = site_slugs();
	char *text = read_cache();
	assert_non_null(strstr(text, "海峡论坛\thai-xia-lun-tan\n"));
	assert_non_null(strstr(text, "火星市/某区\t"));
	char *warm = site_slugs();
	assert_string_equal(warm, cold);
	assert_non_null(strstr(cold, "event hai-xia-lun-tan\n"));
	assert_non_null(strstr(cold, "region x-huo-xing-shi"));
	free(cold), free(warm), free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cache_round_trip),
	    cmocka_unit_test(test_cache_prunes_and_skips_bad_lines),
	    cmocka_unit_test(test_site_same_with_cache),
	};
	return cmocka_run_group_tests(tests, setup, site_test_teardown);
}
