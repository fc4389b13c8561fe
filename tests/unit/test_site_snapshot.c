/* The record snapshot (site/snapshot.h): an entry decodes to the record it
 * was made from; the site loads the same from the snapshot as from a full
 * parse; a changed record is parsed again; a snapshot that is truncated,
 * has flipped bytes, another version or is garbage is ignored (full parse,
 * no crash) and rewritten; bodies are read from the record on demand. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record/record.h"
#include "site/site.h"
#include "site/snapshot.h"
#include "util/fs.h"

static char root[256];

/* Records get an mtime in the past (minutes_ago): the snapshot does not
 * cache a record modified in the last seconds. */
static void write_rec(const char *id, const char *title, const char *body, int minutes_ago)
{
	np_arena a;
	np_arena_init(&a);
	np_article x = {0};
	x.id = np_str_from(id);
	x.title = np_str_from(title);
	x.issue = NP_STR("2022-08-23");
	x.page = 7;
	x.summary = NP_STR("");
	np_strlist_add(&x.regions, &a, NP_STR("北京市/朝阳区"));
	np_strlist_add(&x.authors, &a, NP_STR("王勇"));
	x.body = np_str_from(body);
	np_buf out, path;
	np_buf_init(&out);
	np_buf_init(&path);
	np_record_write(&x, &out);
	np_buf_printf(&path, "%s/content/articles/2022-08-23/%s.md", root, id);
	assert_int_equal(np_fs_mkdirs_for(path.data), 0);
	assert_true(np_fs_write_if_changed(path.data, out.data, out.len) >= 0);
	struct timespec t[2] = {{time(NULL) - 60 * minutes_ago, 0}, {time(NULL) - 60 * minutes_ago, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path.data, t, 0), 0);
	np_buf_dispose(&out);
	np_buf_dispose(&path);
	np_arena_dispose(&a);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/np-snap-test-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	write_rec("a1", "第一篇", "正文一。\n\n第二段。\n", 10);
	write_rec("a2", "第二篇", "正文二。\n", 10);
	write_rec("a3", "第三篇", "正文三。\n", 10);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void snap_path(np_buf *p)
{
	np_buf_clear(p);
	np_buf_printf(p, "%s/%s", root, NP_SNAP_FILE);
}

/* Loads the site and checks what every build must see, however the
 * records were read; returns how many were parsed by libyaml. */
static size_t load_and_check(void)
{
	np_diags d;
	np_diags_init(&d);
	np_site *s = np_site_load(root, 2, &d);
	assert_non_null(s);
	assert_int_equal(d.errors, 0);
	assert_int_equal(s->n_articles, 3);
	const np_site_article *a = np_site_article_by_id(s, NP_STR("a1"));
	assert_non_null(a);
	assert_true(np_str_eq_c(a->rec.title, "第一篇"));
	assert_int_equal(a->rec.page, 7);
	assert_int_equal(a->rec.regions.len, 1);
	assert_true(np_str_eq_c(a->rec.regions.items[0], "北京市/朝阳区"));
	assert_true(np_str_eq_c(a->rec.authors.items[0], "王勇"));
	assert_null(a->rec.kicker.p);
	assert_non_null(a->rec.summary.p);
	assert_null(a->rec.body.p); /* bodies are not kept */
	np_buf file;
	np_buf_init(&file);
	np_str body;
	assert_int_equal(np_site_body(s, (size_t)(a - s->articles), &file, &body), 0);
	assert_true(np_str_eq_c(body, "正文一。\n\n第二段。\n"));
	np_buf_dispose(&file);
	size_t parsed = np_site_n_parsed(s);
	np_site_free(s);
	np_diags_dispose(&d);
	return parsed;
}

static void test_roundtrip(void **state)
{
	(void)state;
	assert_int_equal(load_and_check(), 3);
	assert_int_equal(load_and_check(), 0); /* all from the snapshot */
	write_rec("a2", "第二篇改", "正文二。\n", 5);
	assert_int_equal(load_and_check(), 1);
	assert_int_equal(load_and_check(), 0);
	/* Just modified: parsed every time until it is a few seconds old. */
	write_rec("a3", "第三篇改", "正文三。\n", 0);
	assert_int_equal(load_and_check(), 1);
	assert_int_equal(load_and_check(), 1);
}

/* Rewrites the snapshot with f applied, then the site must load as from
 * scratch (every record parsed) and the snapshot be good again. */
static void corrupt_and_load(void (*f)(np_buf *))
{
	np_buf p, bytes;
	np_buf_init(&p);
	np_buf_init(&bytes);
	load_and_check();
	snap_path(&p);
	assert_int_equal(np_fs_read(p.data, &bytes), 0);
	f(&bytes);
	unlink(p.data);
	assert_true(np_fs_write_if_changed(p.data, bytes.data, bytes.len) >= 0);
	assert_int_equal(load_and_check(), 3);
	assert_int_equal(load_and_check(), 0);
	np_buf_dispose(&p);
	np_buf_dispose(&bytes);
}

static void truncate_half(np_buf *b) { np_buf_truncate(b, b->len / 2); }
static void truncate_header(np_buf *b) { np_buf_truncate(b, 10); }
static void flip_middle(np_buf *b) { b->data[b->len / 2] ^= 0x5a; }
static void other_version(np_buf *b) { b->data[8] = 99; }
static void garbage(np_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		b->data[i] = (char)(i * 7 + 3);
}
static void empty(np_buf *b) { np_buf_clear(b); }

static void test_corrupt(void **state)
{
	(void)state;
	corrupt_and_load(truncate_half);
	corrupt_and_load(truncate_header);
	corrupt_and_load(flip_middle);
	corrupt_and_load(other_version);
	corrupt_and_load(garbage);
	corrupt_and_load(empty);
}

/* A malformed entry never decodes, whatever its length field says. */
static void test_decode_bounds(void **state)
{
	(void)state;
	np_site_article sa = {0};
	sa.record_path = "content/articles/x.md";
	sa.rec.id = NP_STR("x");
	sa.rec.title = NP_STR("标题");
	np_buf e;
	np_buf_init(&e);
	np_snap_encode(&e, &sa);
	np_arena a;
	np_arena_init(&a);
	np_site_article out;
	assert_int_equal(np_snap_decode(np_str_of(&e), &out, &a), 0);
	assert_string_equal(out.record_path, "content/articles/x.md");
	assert_true(np_str_eq_c(out.rec.title, "标题"));
	for (size_t n = 0; n < e.len; n++)
		assert_int_not_equal(np_snap_decode((np_str){e.data, n}, &out, &a), 0);
	/* A string length running past the end: the title's. */
	size_t at = np_str_find(np_str_of(&e), NP_STR("标题"));
	assert_true(at != (size_t)-1 && at >= 4);
	e.data[at - 1] = 0x7f;
	assert_int_not_equal(np_snap_decode(np_str_of(&e), &out, &a), 0);
	np_arena_dispose(&a);
	np_buf_dispose(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
	    cmocka_unit_test(test_decode_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
