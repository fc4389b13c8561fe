/* Ingest streams pages through a bounded window: on a site of many raw
 * pages (copies of the sample pages, so titles repeat and slugs collide
 * across windows) the records are the same byte for byte whatever the
 * number of threads, no more page arenas are alive at once than the window
 * allows, and a page that fails keeps the slugs of its old records even
 * when an earlier page, named before the failure is known, wants them. */
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

#include "build/build.h"
#include "build/ingest.h"
#include "record/config.h"
#include "util/fs.h"

#define N_ISSUES 4
#define N_PAGES 9 /* per issue */

static char root[256];

static const char *const samples[] = {"2022-08-23", "2022-08-30", "2022-11-08", "2023-03-21",
                                      "2023-12-12"};

static void read_sample(int k, np_buf *out)
{
	char path[512];
	snprintf(path, sizeof path, "%s/content/issues/%s/07.txt", NP_SOURCE_DIR, samples[k]);
	np_buf_clear(out);
	assert_int_equal(np_fs_read(path, out), 0);
}

static void put_file(const char *site, const char *rel, const np_buf *bytes)
{
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, site, rel);
	assert_int_equal(np_fs_mkdirs_for(path.data), 0);
	unlink(path.data);
	assert_true(np_fs_write_if_changed(path.data, bytes->data, bytes->len) >= 0);
	np_buf_dispose(&path);
}

/* A site of N_ISSUES weekly issues of N_PAGES pages each, the pages being
 * the sample pages in turn; sample 1 only ever as the last page of all. */
static void make_site(const char *site)
{
	np_buf text, rel;
	np_buf_init(&text);
	np_buf_init(&rel);
	np_buf_puts(&text, "title: test\nbase_url: https://example.org/\n");
	put_file(site, "site.yaml", &text);
	for (int i = 0; i < N_ISSUES; i++)
		for (int p = 1; p <= N_PAGES; p++) {
			bool last = i == N_ISSUES - 1 && p == N_PAGES;
			int k = last ? 1 : (int[]){0, 2, 3, 4}[(i * N_PAGES + p) % 4];
			read_sample(k, &text);
			np_buf_clear(&rel);
			np_buf_printf(&rel, "content/issues/2024-01-%02d/%02d.txt", 2 + 7 * i, p);
			put_file(site, rel.data, &text);
		}
	np_buf_dispose(&text);
	np_buf_dispose(&rel);
}

static int ingest(const char *site, unsigned threads, np_diags *d)
{
	np_build_opts o = {.site_dir = site, .threads = threads, .quiet = true};
	np_build_stats st = {0};
	np_diags_init(d);
	np_diags_set_root(d, site);
	return np_ingest_run(&o, d, &st);
}

typedef struct cmp_ctx {
	const char *other;
	size_t files;
} cmp_ctx;

static int same_file(const char *dir, const char *rel, void *vctx)
{
	cmp_ctx *c = vctx;
	np_buf a, b, p;
	np_buf_init(&a);
	np_buf_init(&b);
	np_buf_init(&p);
	np_path_join(&p, dir, rel);
	assert_int_equal(np_fs_read(p.data, &a), 0);
	np_path_join(&p, c->other, rel);
	if (np_fs_read(p.data, &b) != 0)
		fail_msg("%s: missing with more threads", rel);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		fail_msg("%s: differs with more threads", rel);
	c->files++;
	np_buf_dispose(&a);
	np_buf_dispose(&b);
	np_buf_dispose(&p);
	return 0;
}

/* Number of files under dir, and each the same under other. */
static size_t same_tree(const char *dir, const char *other)
{
	cmp_ctx c = {other, 0};
	assert_int_equal(np_fs_walk(dir, same_file, &c), 0);
	return c.files;
}

static int count_file(const char *dir, const char *rel, void *ctx)
{
	(void)dir, (void)rel;
	++*(size_t *)ctx;
	return 0;
}

static size_t count_tree(const char *dir)
{
	size_t n = 0;
	assert_int_equal(np_fs_walk(dir, count_file, &n), 0);
	return n;
}

static void test_threads_and_window(void **state)
{
	(void)state;
	char one[300], three[300], a1[320], a3[320];
	snprintf(one, sizeof one, "%s/one", root);
	snprintf(three, sizeof three, "%s/three", root);
	snprintf(a1, sizeof a1, "%s/content/articles", one);
	snprintf(a3, sizeof a3, "%s/content/articles", three);
	make_site(one);
	make_site(three);
	np_diags d1, d3;
	assert_int_equal(ingest(one, 1, &d1), 0);
	assert_true(np_ingest_arenas_peak() <= np_ingest_window(1));
	assert_int_equal(ingest(three, 3, &d3), 0);
	size_t peak = np_ingest_arenas_peak();
	assert_true(peak >= 1);
	assert_true(peak <= np_ingest_window(3));
	assert_true(peak < N_ISSUES * N_PAGES); /* not every page at once */
	assert_int_equal(d1.errors, 0);
	assert_int_equal(d1.warnings, d3.warnings);
	size_t n = same_tree(a1, a3);
	assert_int_equal(n, count_tree(a3));
	assert_true(n > N_ISSUES * (1 + N_PAGES)); /* records and a pages.yaml per issue */
	np_diags_dispose(&d1);
	np_diags_dispose(&d3);
}

/* The slug of every record under dir, counted: none may repeat. */
typedef struct slugs_ctx {
	char **seen;
	size_t n, cap;
} slugs_ctx;

static int check_slug(const char *dir, const char *rel, void *vctx)
{
	slugs_ctx *c = vctx;
	size_t len = strlen(rel);
	if (len < 3 || strcmp(rel + len - 3, ".md") != 0)
		return 0;
	np_buf p, src;
	np_buf_init(&p);
	np_buf_init(&src);
	np_path_join(&p, dir, rel);
	assert_int_equal(np_fs_read(p.data, &src), 0);
	const char *s = strstr(src.data, "\nslug: ");
	assert_non_null(s);
	s += 7;
	char *slug = strndup(s, strcspn(s, "\n"));
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->seen[i], slug) == 0)
			fail_msg("slug %s twice (%s)", slug, rel);
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->seen = realloc(c->seen, c->cap * sizeof *c->seen);
		assert_non_null(c->seen);
	}
	c->seen[c->n++] = slug;
	np_buf_dispose(&p);
	np_buf_dispose(&src);
	return 0;
}

static size_t unique_slugs(const char *dir)
{
	slugs_ctx c = {0};
	assert_int_equal(np_fs_walk(dir, check_slug, &c), 0);
	for (size_t i = 0; i < c.n; i++)
		free(c.seen[i]);
	free(c.seen);
	return c.n;
}

/* The first page takes the text of the last, whose old records hold the
 * plain slugs of those titles; the last page then cannot be read.  Its
 * records stay, so the first page's articles must take other slugs, though
 * the first page is named long before the last is parsed. */
static void failing_page(unsigned threads)
{
	char site[300], articles[320], path[400], gone[400];
	snprintf(site, sizeof site, "%s/fail%u", root, threads);
	snprintf(articles, sizeof articles, "%s/content/articles", site);
	make_site(site);
	np_diags d;
	assert_int_equal(ingest(site, threads, &d), 0);
	assert_int_equal(d.errors, 0);
	np_diags_dispose(&d);
	size_t before = count_tree(articles);

	np_buf text;
	np_buf_init(&text);
	read_sample(1, &text);
	put_file(site, "content/issues/2024-01-02/01.txt", &text);
	np_buf_dispose(&text);
	snprintf(path, sizeof path, "%s/content/issues/2024-01-%02d/%02d.txt", site,
	         2 + 7 * (N_ISSUES - 1), N_PAGES);
	snprintf(gone, sizeof gone, "%s/moved-away.txt", root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(gone, path), 0);

	assert_int_equal(ingest(site, threads, &d), 0);
	assert_int_equal(d.errors, 1); /* the unreadable page, once */
	np_diags_dispose(&d);
	assert_true(count_tree(articles) >= before);
	assert_int_equal(unique_slugs(articles) + N_ISSUES, count_tree(articles));
}

static void test_failing_page_keeps_slugs(void **state)
{
	(void)state;
	failing_page(1);
	failing_page(2);
}

/* np_ingest_find takes the raw pages from a listing (the build's, or its
 * own) in the order a sorted walk of the folders visits them, which slug
 * order depends on: a folder's files where its name sorts ("b/" before
 * "b.txt" and "b-x.txt"); symlinks to files and dangling symlinks are pages
 * (the latter unreadable, never silently dropped); a symlinked folder, a
 * FIFO, a hidden file and a file not ending in .txt are not. */
static int walk_txt(const char *r, const char *rel, void *ctx)
{
	(void)r;
	np_buf *b = ctx;
	size_t n = strlen(rel);
	if (n >= 4 && strcmp(rel + n - 4, ".txt") == 0)
		np_buf_printf(b, "%s\n", rel);
	return 0;
}

static void test_find_order(void **state)
{
	(void)state;
	char site[300], path[400], target[400];
	snprintf(site, sizeof site, "%s/find", root);
	np_buf one;
	np_buf_init(&one);
	np_buf_puts(&one, "x\n");
	static const char *const files[] = {"content/issues/b.txt",
	                                    "content/issues/b-x.txt",
	                                    "content/issues/b/c.txt",
	                                    "content/issues/b/a/z.txt",
	                                    "content/issues/a b/01.txt",
	                                    "content/issues/a/01.txt",
	                                    "content/issues/A/01.txt",
	                                    "content/issues/a/notes.md",
	                                    "content/issues/.hidden.txt",
	                                    "content/issues/a/.h/01.txt",
	                                    "content/issues/ab/01.txt",
	                                    "content/issues/a-b/01.txt",
	                                    "content/issues/2022-08-30/01.txt"};
	for (size_t k = 0; k < sizeof files / sizeof *files; k++)
		put_file(site, files[k], &one);
	snprintf(path, sizeof path, "%s/content/issues/a/02.txt", site);
	snprintf(target, sizeof target, "%s/content/issues/b.txt", site);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof path, "%s/content/issues/a/03.txt", site);
	assert_int_equal(symlink("/nonexistent/03.txt", path), 0);
	snprintf(path, sizeof path, "%s/content/issues/linked.txt", site);
	snprintf(target, sizeof target, "%s/content/issues/b", site);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof path, "%s/content/issues/fifo.txt", site);
	assert_int_equal(mkfifo(path, 0600), 0);

	np_buf want, got;
	np_buf_init(&want);
	np_buf_init(&got);
	snprintf(path, sizeof path, "%s/content/issues", site);
	assert_int_equal(np_fs_walk(path, walk_txt, &want), 0);
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_site_config cfg = {0};
	np_ingest_set set;
	assert_int_equal(np_ingest_find(&set, site, &cfg, NULL, &a, &d), 0);
	for (size_t i = 0; i < set.n; i++)
		np_buf_printf(&got, "%s\n", set.pages[i].rel);
	assert_string_equal(got.data, want.data);
	assert_non_null(strstr(got.data, "b/a/z.txt\nb/c.txt\nb-x.txt\nb.txt\n"));
	assert_non_null(strstr(got.data, "a/03.txt\n"));
	assert_null(strstr(got.data, "fifo"));
	assert_null(strstr(got.data, "linked"));
	assert_null(strstr(got.data, "hidden"));
	for (size_t i = 0; i < set.n; i++) /* the dangling link has no metadata */
		assert_int_equal(set.pages[i].listed, strcmp(set.pages[i].rel, "a/03.txt") != 0);
	np_ingest_set_dispose(&set);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	np_buf_dispose(&want);
	np_buf_dispose(&got);
	np_buf_dispose(&one);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "%s/np-ingest-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_threads_and_window),
	    cmocka_unit_test(test_failing_page_keeps_slugs),
	    cmocka_unit_test(test_find_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
