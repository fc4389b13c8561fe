/* The output writer (render/output.c): folders made on demand and noted
 * per log, unchanged bytes left alone (mtime and inode kept), the size and
 * mtime it returns equal to stat(2), folders deleted between or during
 * logs, unsafe paths, a file where a folder should be, and stale outputs
 * removed with the folders they emptied. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/output.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/fs_digest.h"

typedef struct fixture {
	char root[32]; /* a fresh folder; the output folder is root/out */
	np_buf out, manifest, p;
	np_diags d;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->root, "/tmp/np-out-XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	np_buf_init(&f->out);
	np_buf_init(&f->manifest);
	np_buf_init(&f->p);
	np_buf_printf(&f->out, "%s/out", f->root);
	np_buf_printf(&f->manifest, "%s/cache/outputs.txt", f->root);
	np_diags_init(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	np_buf_clear(&f->p);
	np_buf_printf(&f->p, "rm -rf '%s'", f->root);
	int rc = system(f->p.data);
	np_buf_dispose(&f->out);
	np_buf_dispose(&f->manifest);
	np_buf_dispose(&f->p);
	np_diags_dispose(&f->d);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* f->p = out/rel */
static const char *at(fixture *f, const char *rel)
{
	np_path_join(&f->p, f->out.data, rel);
	return f->p.data;
}

static np_output_log *open_log(fixture *f)
{
	return np_output_log_new(f->out.data, f->manifest.data);
}

static void finish(fixture *f, np_output_log *l, size_t *removed)
{
	np_build_stats st = {0};
	np_output_log_finish(l, &st, NULL, &f->d);
	if (removed)
		*removed = st.files_removed;
}

/* Writes rel and checks the returned size and mtime against stat(2). */
static int put(fixture *f, np_output_log *l, const char *rel, const char *text)
{
	uint64_t size = 0;
	int64_t mtime = 0;
	int rc = np_output_write_stat(l, rel, text, strlen(text), &size, &mtime, &f->d);
	if (rc >= 0) {
		struct stat st;
		assert_int_equal(stat(at(f, rel), &st), 0);
		assert_int_equal(size, (uint64_t)st.st_size);
		assert_int_equal(size, strlen(text));
		assert_true(mtime == (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
	}
	return rc;
}

static void assert_file(fixture *f, const char *rel, const char *text)
{
	np_buf b;
	np_buf_init(&b);
	assert_int_equal(np_fs_read(at(f, rel), &b), 0);
	assert_string_equal(b.data, text);
	np_buf_dispose(&b);
}

/* Number of entries in out/rel whose name has ".tmp." (none may stay). */
static int temp_files(fixture *f, const char *rel)
{
	DIR *d = opendir(at(f, rel));
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

static void test_new_folders(void **state)
{
	fixture *f = *state;
	np_output_log *l = open_log(f); /* out/ itself is not there yet */
	assert_int_equal(put(f, l, "a/b/c/index.html", "<p>one</p>"), NP_WRITE_WRITTEN);
	/* The same folder again, a folder below it, a sibling, the top. */
	assert_int_equal(put(f, l, "a/b/c/feed.xml", "<feed/>"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/b/c/d/e.html", "e"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/b/x/index.html", "x"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "index.html", "top"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "empty.txt", ""), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	assert_int_equal(f->d.errors, 0);
	assert_file(f, "a/b/c/index.html", "<p>one</p>");
	assert_file(f, "a/b/c/feed.xml", "<feed/>");
	assert_file(f, "a/b/c/d/e.html", "e");
	assert_file(f, "a/b/x/index.html", "x");
	assert_file(f, "index.html", "top");
	assert_file(f, "empty.txt", "");
	assert_int_equal(temp_files(f, "a/b/c"), 0);
	assert_int_equal(temp_files(f, ""), 0);
	assert_file(f, "../cache/outputs.txt",
	            "a/b/c/d/e.html\na/b/c/feed.xml\na/b/c/index.html\na/b/x/index.html\n"
	            "empty.txt\nindex.html\n");
}

static void test_unchanged_keeps_mtime(void **state)
{
	fixture *f = *state;
	np_output_log *l = open_log(f);
	assert_int_equal(put(f, l, "a/b.html", "same"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/c.html", "old"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "e.html", ""), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	struct stat st1, st2;
	assert_int_equal(stat(at(f, "a/b.html"), &st1), 0);
	usleep(20000);
	l = open_log(f);
	assert_int_equal(put(f, l, "a/b.html", "same"), NP_WRITE_UNCHANGED);
	assert_int_equal(put(f, l, "e.html", ""), NP_WRITE_UNCHANGED);
	/* Same size, other bytes; then a longer and a shorter file. */
	assert_int_equal(put(f, l, "a/c.html", "new"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/c.html", "newer"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/c.html", "n"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/c.html", "n"), NP_WRITE_UNCHANGED);
	finish(f, l, NULL);
	assert_int_equal(stat(at(f, "a/b.html"), &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_mtim.tv_sec, st2.st_mtim.tv_sec);
	assert_int_equal(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
	assert_file(f, "a/c.html", "n");
	assert_int_equal(temp_files(f, "a"), 0);
	assert_int_equal(f->d.errors, 0);
}

static void test_folder_deleted_between_logs(void **state)
{
	fixture *f = *state;
	np_output_log *l = open_log(f);
	assert_int_equal(put(f, l, "a/b/c.html", "c"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/d.html", "d"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	np_buf cmd;
	np_buf_init(&cmd);
	np_buf_printf(&cmd, "rm -rf '%s'", at(f, "a/b"));
	assert_int_equal(system(cmd.data), 0);
	l = open_log(f);
	assert_int_equal(put(f, l, "a/d.html", "d"), NP_WRITE_UNCHANGED);
	assert_int_equal(put(f, l, "a/b/c.html", "c"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	assert_file(f, "a/b/c.html", "c");
	/* The whole output folder, too. */
	np_buf_clear(&cmd);
	np_buf_printf(&cmd, "rm -rf '%s'", f->out.data);
	assert_int_equal(system(cmd.data), 0);
	l = open_log(f);
	assert_int_equal(put(f, l, "a/b/c.html", "c"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/d.html", "d"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	assert_file(f, "a/d.html", "d");
	np_buf_dispose(&cmd);
	assert_int_equal(f->d.errors, 0);
}

/* A folder the log has made or seen, deleted while the log is open, is
 * made again: the notes are a shortcut, never trusted for correctness. */
static void test_folder_deleted_during_log(void **state)
{
	fixture *f = *state;
	np_output_log *l = open_log(f);
	assert_int_equal(put(f, l, "a/b/c.html", "c"), NP_WRITE_WRITTEN);
	np_buf cmd;
	np_buf_init(&cmd);
	np_buf_printf(&cmd, "rm -rf '%s'", at(f, "a"));
	assert_int_equal(system(cmd.data), 0);
	assert_int_equal(put(f, l, "a/b/d.html", "d"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/b/e/f.html", "f"), NP_WRITE_WRITTEN);
	np_buf_clear(&cmd);
	np_buf_printf(&cmd, "rm -rf '%s'", f->out.data);
	assert_int_equal(system(cmd.data), 0);
	assert_int_equal(put(f, l, "a/b/e/g.html", "g"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "top.html", "t"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	assert_file(f, "a/b/e/g.html", "g");
	assert_file(f, "top.html", "t");
	np_buf_dispose(&cmd);
	assert_int_equal(f->d.errors, 0);
}

static void test_errors(void **state)
{
	fixture *f = *state;
	np_output_log *l = open_log(f);
	assert_int_equal(put(f, l, "a", "a file, not a folder"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/b/c.html", "c"), NP_EIO);
	assert_int_equal(put(f, l, "../escape.html", "x"), NP_EUNSAFE);
	assert_int_equal(put(f, l, "a//b", "x"), NP_EUNSAFE);
	finish(f, l, NULL);
	assert_int_equal(f->d.errors, 3);
	np_buf want;
	np_buf_init(&want);
	np_buf_printf(&want, "%s/a/b/c.html", f->out.data);
	assert_string_equal(f->d.items[0].path, want.data);
	assert_string_equal(f->d.items[0].msg, "cannot write: Not a directory");
	assert_string_equal(f->d.items[1].path, "../escape.html");
	assert_string_equal(f->d.items[1].msg, "refusing to write outside the output folder");
	assert_false(np_fs_exists(at(f, "../escape.html")));
	assert_int_equal(temp_files(f, ""), 0);
	np_buf_dispose(&want);
}

static void test_stale_removed_with_folders(void **state)
{
	fixture *f = *state;
	np_output_log *l = open_log(f);
	assert_int_equal(put(f, l, "x/y/z.html", "z"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "x/keep.html", "k"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "gone/a/b.html", "b"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	size_t removed = 0;
	l = open_log(f);
	assert_int_equal(put(f, l, "x/keep.html", "k"), NP_WRITE_UNCHANGED);
	finish(f, l, &removed);
	assert_int_equal(removed, 2);
	assert_false(np_fs_exists(at(f, "x/y")));
	assert_false(np_fs_exists(at(f, "gone")));
	assert_true(np_fs_exists(at(f, "x/keep.html")));
	/* The emptied folders are made again when needed. */
	l = open_log(f);
	assert_int_equal(put(f, l, "gone/a/b.html", "b"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	assert_file(f, "gone/a/b.html", "b");
	assert_int_equal(f->d.errors, 0);
}

/* Stale outputs are found by merging the old list with this build's, both
 * sorted, where names are prefixes of one another ("a/b.html", "a/b.html.x"),
 * and by lookup when the old list is out of order (edited by hand). */
static void test_stale_merge_and_unsorted(void **state)
{
	fixture *f = *state;
	const char *all[] = {"a.html", "a/b.html", "a/b.html.x", "b/c.html", "z.html"};
	np_output_log *l = open_log(f);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(put(f, l, all[i], all[i]), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	size_t removed = 0;
	l = open_log(f); /* keep a.html, a/b.html.x, z.html */
	assert_int_equal(put(f, l, "z.html", "z.html"), NP_WRITE_UNCHANGED);
	assert_int_equal(put(f, l, "a/b.html.x", "a/b.html.x"), NP_WRITE_UNCHANGED);
	assert_int_equal(put(f, l, "a.html", "a.html"), NP_WRITE_UNCHANGED);
	finish(f, l, &removed);
	assert_int_equal(removed, 2);
	assert_false(np_fs_exists(at(f, "a/b.html")));
	assert_false(np_fs_exists(at(f, "b")));
	assert_true(np_fs_exists(at(f, "a.html")) && np_fs_exists(at(f, "a/b.html.x")) &&
	            np_fs_exists(at(f, "z.html")));

	/* An old list out of order: y.html, then a.html (kept), then q.html. */
	l = open_log(f);
	assert_int_equal(put(f, l, "y.html", "y"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "q.html", "q"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a.html", "a.html"), NP_WRITE_UNCHANGED);
	finish(f, l, NULL);
	assert_true(np_fs_write_if_changed(f->manifest.data, "y.html\na.html\nq.html\n", 21) >= 0);
	l = open_log(f);
	assert_int_equal(put(f, l, "a.html", "a.html"), NP_WRITE_UNCHANGED);
	finish(f, l, &removed);
	assert_int_equal(removed, 2);
	assert_false(np_fs_exists(at(f, "y.html")) || np_fs_exists(at(f, "q.html")));
	assert_true(np_fs_exists(at(f, "a.html")));
	assert_int_equal(f->d.errors, 0);
}

/* Every output made, in order, one per line; a manifest that would not change is
 * not written again (inode and mtime stay); one that is a prefix of the new one,
 * has the new one as its prefix, or differs in one byte (a path's, or a newline's)
 * is replaced. */
static void manifest_is(fixture *f, const char *text)
{
	np_buf b;
	np_buf_init(&b);
	assert_int_equal(np_fs_read(f->manifest.data, &b), 0);
	assert_string_equal(b.data, text);
	np_buf_dispose(&b);
}

static void build_of(fixture *f, const char *const *rels, size_t n)
{
	np_output_log *l = open_log(f);
	for (size_t i = 0; i < n; i++)
		assert_true(put(f, l, rels[i], rels[i]) >= 0);
	finish(f, l, NULL);
}

static void test_manifest(void **state)
{
	fixture *f = *state;
	const char *three[] = {"z.html", "b/c.html", "a.html"};
	build_of(f, three, 3);
	manifest_is(f, "a.html\nb/c.html\nz.html\n");
	struct stat was, now;
	assert_int_equal(stat(f->manifest.data, &was), 0);
	build_of(f, three, 3);
	manifest_is(f, "a.html\nb/c.html\nz.html\n");
	assert_int_equal(stat(f->manifest.data, &now), 0);
	assert_true(now.st_ino == was.st_ino && now.st_mtim.tv_sec == was.st_mtim.tv_sec &&
	            now.st_mtim.tv_nsec == was.st_mtim.tv_nsec);
	build_of(f, three + 1, 2);
	manifest_is(f, "a.html\nb/c.html\n");
	build_of(f, three, 3);
	manifest_is(f, "a.html\nb/c.html\nz.html\n");
	const char *other[] = {"a.html", "b/d.html", "z.html"};
	build_of(f, other, 3);
	manifest_is(f, "a.html\nb/d.html\nz.html\n");
	build_of(f, NULL, 0);
	manifest_is(f, "");
	/* The new list's length, and equal to it but for one newline. */
	assert_true(np_fs_write_if_changed(f->manifest.data, "a.htmlxb\n", 9) >= 0);
	const char *two[] = {"a.html", "b"};
	build_of(f, two, 2);
	manifest_is(f, "a.html\nb\n");
	assert_int_equal(f->d.errors, 0);
}

/* Mixes into sum the 'O' record np_stamp_outputs makes of out/rel as
 * stat(2) sees it now: inode, size, mtime, ctime and type. */
static void mix_stat(fixture *f, const char *rel, np_buf *rec, np_fs_digest *sum)
{
	struct stat st;
	assert_int_equal(stat(at(f, rel), &st), 0);
	np_fs_digest_rec(rec, 'O', rel, NULL);
	np_fs_digest_meta(rec, (uint64_t)st.st_ino, (uint64_t)st.st_size,
	                  (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
	                  (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec,
	                  (unsigned)(st.st_mode & S_IFMT));
	np_fs_digest_mix(sum, rec);
}

/* The digest the log returns is np_fs_digest's of every output as stat(2)
 * sees it now: an 'O' record with inode, size, mtime, ctime and type. */
static void test_outputs_digest(void **state)
{
	fixture *f = *state;
	const char *names[] = {"d/one.html", "two.html", "d/e/three.html"};
	np_output_log *l = open_log(f);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(put(f, l, names[i], names[i]), NP_WRITE_WRITTEN);
	np_build_stats st = {0};
	np_fs_digest got;
	assert_true(np_output_log_finish(l, &st, &got, &f->d));
	l = open_log(f); /* again: one unchanged, one kept by its stat, one rewritten */
	assert_int_equal(put(f, l, "d/one.html", "d/one.html"), NP_WRITE_UNCHANGED);
	struct stat two;
	assert_int_equal(stat(at(f, "two.html"), &two), 0);
	assert_true(np_output_keep(l, "two.html", (uint64_t)two.st_size,
	                           (int64_t)two.st_mtim.tv_sec * 1000000000 + two.st_mtim.tv_nsec));
	assert_int_equal(put(f, l, "d/e/three.html", "changed"), NP_WRITE_WRITTEN);
	assert_true(np_output_log_finish(l, &st, &got, &f->d));
	np_fs_digest want = {0, 0};
	np_buf rec;
	np_buf_init(&rec);
	for (size_t i = 0; i < 3; i++)
		mix_stat(f, names[i], &rec, &want);
	np_buf_dispose(&rec);
	assert_true(np_fs_digest_eq(got, want));
}

/* np_output_log_presort sorts the files made so far while a thread goes on
 * making others; np_output_log_finish merges those in: the manifest and the
 * outputs digest are what a log that never presorted gives, a stale file
 * goes as before, and presorting twice, or an empty log, changes nothing. */
typedef struct maker {
	fixture *f;
	np_output_log *l;
	int from, to;
} maker;

static void make_range(fixture *f, np_output_log *l, int from, int to)
{
	char rel[32];
	for (int i = from; i < to; i++) { /* interleaved names: out of order */
		snprintf(rel, sizeof rel, "p%d/%03d.html", i % 7, (i * 37) % 300);
		np_output_write(l, rel, rel, strlen(rel), &f->d);
	}
}

static void *maker_run(void *arg)
{
	maker *m = arg;
	make_range(m->f, m->l, m->from, m->to);
	return NULL;
}

/* The digest of the files the manifest lists, as stat(2) sees them. */
static np_fs_digest manifest_digest(fixture *f)
{
	np_buf m, rec;
	np_buf_init(&m);
	np_buf_init(&rec);
	assert_int_equal(np_fs_read(f->manifest.data, &m), 0);
	np_fs_digest want = {0, 0};
	for (char *line = m.data, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		mix_stat(f, line, &rec, &want);
	}
	np_buf_dispose(&m);
	np_buf_dispose(&rec);
	return want;
}

/* Two logs: one that makes a path twice (its manifest into manifest), one
 * that does not (its digest checked against stat(2)); with presort, each
 * presorts while files are still being made, the first by a thread racing
 * it.  "stale.html", made before, is gone after the first. */
static void build_presorted(fixture *f, bool presort, np_buf *manifest)
{
	np_output_log *l = open_log(f);
	assert_true(put(f, l, "stale.html", "x") >= 0);
	finish(f, l, NULL);
	l = open_log(f);
	make_range(f, l, 0, 200);
	maker m = {f, l, 200, 300};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, maker_run, &m), 0);
	if (presort) {
		np_output_log_presort(l);
		np_output_log_presort(l);
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(np_output_write(l, "p0/000.html", "again", 5, &f->d), NP_WRITE_WRITTEN);
	np_build_stats st = {0};
	np_fs_digest d = {0, 0};
	/* p0/000.html is made twice: the digest is not known */
	assert_false(np_output_log_finish(l, &st, &d, &f->d));
	assert_int_equal(st.files_removed, 1);
	assert_false(np_fs_exists(at(f, "stale.html")));
	np_buf_clear(manifest);
	assert_int_equal(np_fs_read(f->manifest.data, manifest), 0);
	l = open_log(f);
	if (presort)
		np_output_log_presort(l); /* nothing made yet */
	make_range(f, l, 0, 300);
	assert_true(np_output_log_finish(l, &st, &d, &f->d));
	assert_true(np_fs_digest_eq(d, manifest_digest(f)));
}

static void test_presort(void **state)
{
	fixture *f = *state;
	np_buf plain, sorted;
	np_buf_init(&plain);
	np_buf_init(&sorted);
	build_presorted(f, false, &plain);
	build_presorted(f, true, &sorted);
	assert_string_equal(plain.data, sorted.data);
	/* 300 names (i * 37 % 300 takes every value once), p0/000.html twice */
	size_t lines = 0;
	for (const char *c = sorted.data; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 301);
	assert_int_equal(f->d.errors, 0);
	np_buf_dispose(&plain);
	np_buf_dispose(&sorted);
}

/* Files kept through a batch (more than one bunch of them, through a folder
 * kept open) count as made: none is removed as stale, the manifest lists
 * them all; a file whose size or mtime differs, or that is gone, is not
 * kept; an unsafe path is refused. */
static int64_t mtime_of(fixture *f, const char *rel)
{
	struct stat st;
	assert_int_equal(stat(at(f, rel), &st), 0);
	return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

static void test_keep_batch(void **state)
{
	fixture *f = *state;
	enum { N = NP_OUTPUT_BATCH * 2 + 7 };
	static char rels[N][32];
	np_output_log *l = open_log(f);
	for (size_t i = 0; i < N; i++) {
		snprintf(rels[i], sizeof rels[i], "a/%03zu/index.html", i);
		assert_int_equal(put(f, l, rels[i], "page"), NP_WRITE_WRITTEN);
	}
	assert_int_equal(put(f, l, "gone.html", "x"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	int64_t gone_mtime = mtime_of(f, "gone.html");
	assert_int_equal(unlink(at(f, "gone.html")), 0);

	static np_output_batch b; /* zero */
	np_fs_near near = NP_FS_NEAR_INIT;
	l = open_log(f);
	for (size_t i = 0; i < N; i++)
		assert_true(np_output_keep_batch(l, &b, &near, rels[i], 4, mtime_of(f, rels[i])));
	assert_false(np_output_keep_batch(l, &b, &near, "a/000/index.html", 5,
	                                  mtime_of(f, "a/000/index.html")));
	assert_false(np_output_keep_batch(l, &b, &near, "a/001/index.html", 4,
	                                  mtime_of(f, "a/001/index.html") + 1));
	assert_false(np_output_keep_batch(l, &b, &near, "gone.html", 1, gone_mtime));
	assert_false(np_output_keep_batch(l, &b, &near, "../a/000/index.html", 4,
	                                  mtime_of(f, "a/000/index.html")));
	np_output_batch_flush(l, &b);
	assert_int_equal(b.n, 0);
	np_fs_near_close(&near);
	size_t removed = 1;
	finish(f, l, &removed);
	assert_int_equal(removed, 0);
	np_buf want;
	np_buf_init(&want);
	for (size_t i = 0; i < N; i++)
		np_buf_printf(&want, "%s\n", rels[i]);
	manifest_is(f, want.data);
	np_buf_dispose(&want);
	for (size_t i = 0; i < N; i++)
		assert_true(np_fs_exists(at(f, rels[i])));
	assert_int_equal(f->d.errors, 0);
}

/* An output folder named with a trailing '/' (as a user may type it). */
static void test_out_dir_with_slash(void **state)
{
	fixture *f = *state;
	np_buf_putc(&f->out, '/');
	np_output_log *l = open_log(f);
	assert_int_equal(put(f, l, "a/b/c.html", "c"), NP_WRITE_WRITTEN);
	assert_int_equal(put(f, l, "a/b/d/e.html", "e"), NP_WRITE_WRITTEN);
	finish(f, l, NULL);
	np_buf_truncate(&f->out, f->out.len - 1);
	assert_file(f, "a/b/d/e.html", "e");
	assert_int_equal(f->d.errors, 0);
}

/* np_fs_same_bytes and np_fs_write_replace on their own. */
static void test_fs_primitives(void **state)
{
	fixture *f = *state;
	np_fs_info info = {0};
	assert_int_equal(np_fs_write_replace(at(f, "no/such/dir.txt"), "x", 1, &info), NP_EIO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(np_fs_same_bytes(at(f, "no/such/dir.txt"), "x", 1, &info), NP_ENOENT);
	assert_int_equal(np_fs_mkdirs(at(f, "deep/er/est/")), 0);
	assert_int_equal(np_fs_mkdirs(at(f, "deep/er/est")), 0);
	assert_true(np_fs_is_dir(at(f, "deep/er/est")));
	assert_int_equal(np_fs_write_replace(at(f, "deep/f.txt"), "abc", 3, &info),
	                 NP_WRITE_WRITTEN);
	assert_int_equal(info.size, 3);
	np_fs_info again = {0};
	assert_int_equal(np_fs_same_bytes(at(f, "deep/f.txt"), "abc", 3, &again), 1);
	assert_true(again.size == info.size && again.mtime_ns == info.mtime_ns);
	assert_int_equal(np_fs_same_bytes(at(f, "deep/f.txt"), "abd", 3, NULL), 0);
	assert_int_equal(np_fs_same_bytes(at(f, "deep/f.txt"), "ab", 2, NULL), 0);
	assert_int_equal(np_fs_same_bytes(at(f, "deep/f.txt"), "abcd", 4, NULL), 0);
	assert_int_equal(np_fs_same_bytes(at(f, "deep"), "", 0, NULL), 0);
	assert_int_equal(np_fs_write_if_changed(at(f, "new/folder/g.txt"), "g", 1),
	                 NP_WRITE_WRITTEN);
	assert_int_equal(np_fs_write_if_changed(at(f, "new/folder/g.txt"), "g", 1),
	                 NP_WRITE_UNCHANGED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_new_folders, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unchanged_keeps_mtime, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_folder_deleted_between_logs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_folder_deleted_during_log, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_removed_with_folders, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_merge_and_unsorted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_manifest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outputs_digest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_presort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keep_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_out_dir_with_slash, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fs_primitives, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
