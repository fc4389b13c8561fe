/* build/stamp: the digests notice every change the no-op build must not
 * miss (and nothing it must ignore), and the stamp keeps its diagnostics
 * exactly. */
#define _DEFAULT_SOURCE
// clang-format off: cmocka.h needs these first
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build/stamp.h"
#include "render/render.h"
#include "util/err.h"
#include "util/fs.h"

static char site[64];

/* Writes text to dir/rel, making its folders. */
static void put_in(const char *dir, const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	np_fs_mkdirs_for(p);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void put(const char *rel, const char *text)
{
	put_in(site, rel, text);
}

static int setup(void **state)
{
	(void)state;
	snprintf(site, sizeof site, "/tmp/np_stamp_XXXXXX");
	assert_non_null(mkdtemp(site));
	put("site.yaml", "title: t\n");
	put("content/articles/2022-08-30/a.md", "---\ntitle: A\n---\nbody\n");
	put("content/articles/2022-08-30/b.md", "---\ntitle: B\n---\nbody\n");
	put("themes/default/templates/base.html", "<html>\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", site);
	return system(cmd);
}

static np_stamp_digest inputs(void)
{
	return np_stamp_inputs(site, "default", 2);
}

static void test_inputs(void **state)
{
	(void)state;
	np_stamp_digest d0 = inputs();
	assert_true(np_stamp_digest_eq(d0, inputs()));

	/* A file added and removed again leaves no trace; a hidden file
	 * (an editor's swap file) is ignored, as the build ignores it. */
	put("content/articles/2022-08-30/c.md", "x");
	assert_false(np_stamp_digest_eq(d0, inputs()));
	char p[512];
	snprintf(p, sizeof p, "%s/content/articles/2022-08-30/c.md", site);
	unlink(p);
	assert_true(np_stamp_digest_eq(d0, inputs()));
	put("content/articles/2022-08-30/.a.md.swp", "x");
	assert_true(np_stamp_digest_eq(d0, inputs()));

	/* An edit in place that keeps the size and puts the mtime back. */
	snprintf(p, sizeof p, "%s/content/articles/2022-08-30/a.md", site);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	put("content/articles/2022-08-30/a.md", "---\ntitle: X\n---\nbody\n");
	struct timespec ts[2] = {st.st_atim, st.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	np_stamp_digest d1 = inputs();
	assert_false(np_stamp_digest_eq(d0, d1));

	/* The theme, templates/ appearing, events.yaml, a new folder. */
	put("themes/default/templates/base.html", "<html>\n\n");
	np_stamp_digest d2 = inputs();
	assert_false(np_stamp_digest_eq(d1, d2));
	put("templates/article.html", "x");
	np_stamp_digest d3 = inputs();
	assert_false(np_stamp_digest_eq(d2, d3));
	put("content/events.yaml", "events: []\n");
	np_stamp_digest d4 = inputs();
	assert_false(np_stamp_digest_eq(d3, d4));
	snprintf(p, sizeof p, "%s/content/issues/2022-09-06", site);
	assert_int_equal(np_fs_mkdirs(p), 0);
	np_stamp_digest d5 = inputs();
	assert_false(np_stamp_digest_eq(d4, d5));
	/* One thread or many: the same digest. */
	assert_true(np_stamp_digest_eq(d5, np_stamp_inputs(site, "default", 1)));
	/* Another theme is another set of inputs. */
	assert_false(np_stamp_digest_eq(d5, np_stamp_inputs(site, "other", 2)));
}

static void test_outputs(void **state)
{
	(void)state;
	char out[128], p[512];
	snprintf(out, sizeof out, "%s/public", site);
	put("public/index.html", "home");
	put("public/articles/a/index.html", "a");
	np_buf m;
	np_buf_init(&m);
	np_render_manifest_path(&m, site, out);
	np_stamp_digest none = np_stamp_outputs(site, out, 2);
	np_fs_mkdirs_for(m.data);
	np_fs_write_if_changed(m.data, "articles/a/index.html\nindex.html\n", 33);
	np_stamp_digest d0 = np_stamp_outputs(site, out, 2);
	assert_false(np_stamp_digest_eq(none, d0));
	assert_true(np_stamp_digest_eq(d0, np_stamp_outputs(site, out, 1)));
	/* A file the build did not make is none of its business. */
	put("public/extra.txt", "x");
	assert_true(np_stamp_digest_eq(d0, np_stamp_outputs(site, out, 2)));
	/* An output edited, then one deleted. */
	put("public/articles/a/index.html", "A");
	np_stamp_digest d1 = np_stamp_outputs(site, out, 2);
	assert_false(np_stamp_digest_eq(d0, d1));
	snprintf(p, sizeof p, "%s/index.html", out);
	unlink(p);
	assert_false(np_stamp_digest_eq(d1, np_stamp_outputs(site, out, 2)));
	np_buf_dispose(&m);
}

static void test_save_load(void **state)
{
	(void)state;
	np_stamp s, t;
	np_stamp_init(&s);
	np_stamp_init(&t);
	assert_int_equal(np_stamp_load(&t, site), NP_ENOENT);
	assert_false(np_stamp_saved(site));
	np_stamp_key(s.key, site, "out", "default", false);
	s.settled = true;
	s.inputs = (np_stamp_digest){1, UINT64_MAX};
	s.outputs = (np_stamp_digest){3, 4};
	np_diag_add_src(&s.ingest_diags, NP_WARNING, "content/issues/x/01.txt", 3, 2,
	                NP_STR("第一行"), "article without a headline; 100%% sure");
	np_diag_add(&s.build_diags, NP_ERROR, "templates/article.html", 0, 0, "bad");
	np_diag_add(&s.build_diags, NP_NOTE, "", 0, 0, "note");
	assert_int_equal(np_stamp_save(&s, site), 0);
	assert_true(np_stamp_saved(site));
	assert_int_equal(np_stamp_load(&t, site), 0);
	assert_string_equal(t.key, s.key);
	assert_true(t.settled);
	assert_true(np_stamp_digest_eq(t.inputs, s.inputs));
	assert_true(np_stamp_digest_eq(t.outputs, s.outputs));
	assert_int_equal(t.ingest_diags.len, 1);
	assert_int_equal(t.build_diags.len, 2);

	/* Replayed into a list whose root is a prefix of a saved path: the
	 * path stays as it was shown. */
	np_diags d;
	np_diags_init(&d);
	np_diags_set_root(&d, "content");
	np_stamp_diags_replay(&d, &t.ingest_diags);
	np_stamp_diags_replay(&d, &t.build_diags);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.errors, 1);
	np_buf a, b;
	np_buf_init(&a);
	np_buf_init(&b);
	for (size_t i = 0; i < 1; i++) {
		np_diag_format(&s.ingest_diags.items[i], &a);
		np_diag_format(&d.items[i], &b);
	}
	assert_string_equal(a.data, b.data);
	assert_non_null(strstr(b.data, "content/issues/x/01.txt:3:2: warning: article without a "
	                               "headline; 100% sure\n    第一行\n"));
	np_buf_dispose(&a);
	np_buf_dispose(&b);
	np_diags_dispose(&d);

	/* A stamp of the old format, or cut short, is no stamp. */
	char p[512];
	snprintf(p, sizeof p, "%s/.newsprint/build-stamp", site);
	np_buf raw;
	np_buf_init(&raw);
	assert_int_equal(np_fs_read(p, &raw), 0);
	np_fs_write_if_changed(p, raw.data, raw.len - 1);
	np_stamp_dispose(&t);
	np_stamp_init(&t);
	assert_int_equal(np_stamp_load(&t, site), NP_EINVAL);
	assert_int_equal(t.build_diags.len, 0);
	np_fs_write_if_changed(p, "0123456789abcdef0123456789abcdef", 32);
	assert_int_equal(np_stamp_load(&t, site), NP_EINVAL);
	np_stamp_forget(site);
	assert_false(np_stamp_saved(site));
	np_buf_dispose(&raw);
	np_stamp_dispose(&s);
	np_stamp_dispose(&t);
}

/* ---- np_stamp_trees_relist: a few folders listed again stand for a new
 * listing of the whole tree ---- */

static char sub[128]; /* a site of its own, inside site */

static void put_sub(const char *rel, const char *text)
{
	put_in(sub, rel, text);
}

static void rm_sub(const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", sub, rel);
	assert_int_equal(unlink(p), 0);
}

static int cmp_rel(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* np_stamp_newer_than: false without a stamp; true once a stamp is saved
 * after rel last changed (or for a rel that is not there); false again
 * when rel changes after it (here: its mtime set a minute ahead, as a
 * folder added inside it later would). */
static void test_newer_than(void **state)
{
	(void)state;
	put("content/issues/2022-08-30/01.txt", "x\n");
	assert_false(np_stamp_newer_than(site, "content/issues"));
	np_stamp s;
	np_stamp_init(&s);
	np_stamp_key(s.key, site, "out", "default", false);
	assert_int_equal(np_stamp_save(&s, site), 0);
	char p[512];
	snprintf(p, sizeof p, "%s/content/issues", site);
	struct timespec past[2] = {{1000000000, 0}, {1000000000, 0}};
	assert_int_equal(utimensat(AT_FDCWD, p, past, 0), 0);
	assert_true(np_stamp_newer_than(site, "content/issues"));
	assert_true(np_stamp_newer_than(site, "content/no-such-folder"));
	struct timespec later[2];
	assert_int_equal(clock_gettime(CLOCK_REALTIME, &later[0]), 0);
	later[0].tv_sec += 60;
	later[1] = later[0];
	assert_int_equal(utimensat(AT_FDCWD, p, later, 0), 0);
	assert_false(np_stamp_newer_than(site, "content/issues"));
	np_stamp_dispose(&s);
}

/* The listing's entries, sorted, one line each with their metadata (a
 * folder's is in no digest and no reader's: its path and kind). */
static void describe(const np_fs_list *l, np_buf *out)
{
	const char **lines = calloc(l->n + 1, sizeof *lines);
	np_buf all;
	np_buf_init(&all);
	size_t *at = calloc(l->n + 1, sizeof *at);
	for (size_t i = 0; i < l->n; i++) {
		const np_fs_item *it = &l->items[i];
		at[i] = all.len;
		if (it->kind == NP_FS_DIR)
			np_buf_printf(&all, "%s D", it->rel);
		else
			np_buf_printf(&all, "%s %c %u %llu %llu %lld %lld", it->rel, (char)it->kind,
			              it->mode, (unsigned long long)it->ino,
			              (unsigned long long)it->size, (long long)it->mtime_ns,
			              (long long)it->ctime_ns);
		np_buf_putc(&all, '\0');
	}
	for (size_t i = 0; i < l->n; i++)
		lines[i] = all.data + at[i];
	qsort(lines, l->n, sizeof *lines, cmp_rel);
	np_buf_clear(out);
	for (size_t i = 0; i < l->n; i++)
		np_buf_printf(out, "%s\n", lines[i]);
	np_buf_dispose(&all);
	free(at);
	free(lines);
}

static np_stamp_digest listed(np_fs_list *l)
{
	np_fs_list_dispose(l);
	np_fs_list_init(l);
	return np_stamp_trees(sub, "default", 2, l, NULL);
}

static void test_relist(void **state)
{
	(void)state;
	snprintf(sub, sizeof sub, "%s/relist", site);
	put_sub("content/articles/2022-08-30/a.md", "a");
	put_sub("content/articles/2022-08-30/b.md", "b");
	put_sub("content/articles/2022-09-06/c.md", "c");
	put_sub("content/issues/2022-08-30/01.txt", "page");
	put_sub("themes/default/templates/base.html", "<html>");
	np_fs_list l, fresh;
	np_fs_list_init(&l);
	np_fs_list_init(&fresh);
	np_stamp_digest d = listed(&l), before = d;

	/* What an ingest does: a record rewritten, one removed, one added and
	 * pages.yaml in one issue's folder; a new issue's folder.  Two names
	 * of nothing (a page that failed) and a name given twice cost
	 * nothing. */
	put_sub("content/articles/2022-08-30/a.md", "a, longer");
	rm_sub("content/articles/2022-08-30/b.md");
	put_sub("content/articles/2022-08-30/d.md", "d");
	put_sub("content/articles/2022-08-30/pages.yaml", "issue: 2022-08-30\n");
	put_sub("content/articles/2022-09-13/e.md", "e");
	put_sub("content/articles/2022-09-13/.e.md.swp", "hidden");
	np_str names[] = {NP_STR("2022-08-30"), NP_STR("2022-09-13"), NP_STR("2022-09-20"),
	                  NP_STR("2022-08-30")};
	assert_true(np_stamp_trees_relist(sub, &l, names, 4, &d));
	np_stamp_digest now = listed(&fresh);
	assert_false(np_stamp_digest_eq(before, now));
	assert_true(np_stamp_digest_eq(d, now));
	np_buf a, b;
	np_buf_init(&a);
	np_buf_init(&b);
	describe(&l, &a);
	describe(&fresh, &b);
	assert_string_equal(a.data, b.data);

	/* A whole folder removed. */
	rm_sub("content/articles/2022-09-13/e.md");
	rm_sub("content/articles/2022-09-13/.e.md.swp");
	char p[512];
	snprintf(p, sizeof p, "%s/content/articles/2022-09-13", sub);
	assert_int_equal(rmdir(p), 0);
	assert_true(np_stamp_trees_relist(sub, &l, names + 1, 1, &d));
	assert_true(np_stamp_digest_eq(d, listed(&fresh)));
	describe(&l, &a);
	describe(&fresh, &b);
	assert_string_equal(a.data, b.data);

	/* Only the folders named are listed again: a change elsewhere shows
	 * in the next listing, not in this one. */
	np_stamp_digest d0 = d;
	put_sub("content/articles/2022-09-06/c.md", "c, edited");
	assert_true(np_stamp_trees_relist(sub, &l, names, 1, &d));
	assert_true(np_stamp_digest_eq(d, d0));
	assert_false(np_stamp_digest_eq(d, listed(&fresh)));

	/* What a patch cannot stand for: nothing changes, and the caller
	 * lists again.  A folder that is a symlink (the whole listing does
	 * not enter it), a file, a name that is a path, no content/articles. */
	d = listed(&l);
	d0 = d;
	size_t n0 = l.n;
	snprintf(p, sizeof p, "%s/content/articles/2022-10-04", sub);
	assert_int_equal(symlink("2022-09-06", p), 0);
	put_sub("content/articles/2022-10-11", "a file");
	np_str refused[] = {NP_STR("2022-10-04"), NP_STR("2022-10-11"), NP_STR("2022-08-30/x"),
	                    NP_STR(".."), NP_STR("")};
	for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
		assert_false(np_stamp_trees_relist(sub, &l, refused + k, 1, &d));
		assert_true(np_stamp_digest_eq(d, d0));
		assert_int_equal(l.n, n0);
	}
	np_fs_list none;
	np_fs_list_init(&none);
	snprintf(p, sizeof p, "%s/nowhere", site);
	np_stamp_trees(p, "default", 1, &none, NULL);
	assert_false(np_stamp_trees_relist(p, &none, names, 1, &d));

	np_fs_list_dispose(&none);
	np_fs_list_dispose(&l);
	np_fs_list_dispose(&fresh);
	np_buf_dispose(&a);
	np_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inputs),
	    cmocka_unit_test(test_outputs),
	    cmocka_unit_test(test_save_load),
	    cmocka_unit_test(test_relist),
	    cmocka_unit_test(test_newer_than),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
