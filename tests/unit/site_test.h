/* Helpers shared by the site model tests: a temporary site folder (root)
 * and article records written into it as ingest would place them. */
#ifndef NP_TESTS_SITE_TEST_H
#define NP_TESTS_SITE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "record/record.h"
#include "util/fs.h"

static char root[256];

/* Makes root, a new folder /tmp/<prefix>-XXXXXX; 0 or -1. */
__attribute__((unused)) static int site_test_make_root(const char *prefix)
{
	snprintf(root, sizeof root, "/tmp/%s-XXXXXX", prefix);
	return mkdtemp(root) ? 0 : -1;
}

/* The cmocka teardown of these tests: removes root and all in it; 0 or -1. */
__attribute__((unused)) static int site_test_teardown(void **state)
{
	(void)state;
	char cmd[sizeof root + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* root/rel into p (cleared first). */
__attribute__((unused)) static void site_test_path(np_buf *p, const char *rel)
{
	np_buf_clear(p);
	np_buf_printf(p, "%s/%s", root, rel);
}

/* x as a small record: id (also its title and slug), issue, page and a
 * one-sentence body; the lists empty. */
__attribute__((unused)) static void site_test_article(np_article *x, const char *id,
                                                      const char *issue, int page)
{
	*x = (np_article){0};
	x->id = np_str_from(id);
	x->title = x->id;
	x->slug = x->id;
	x->issue = np_str_from(issue);
	x->page = page;
	x->body = NP_STR("正文。");
}

/* Writes x as root/content/articles/<issue>/<id>.md; returns the path
 * (the caller frees it). */
__attribute__((unused)) static char *site_test_write_record(const np_article *x)
{
	np_buf out, path;
	np_buf_init(&out);
	np_buf_init(&path);
	np_record_write(x, &out);
	np_buf_printf(&path, "%s/content/articles/%.*s/%.*s.md", root, (int)x->issue.len,
	              x->issue.p, (int)x->id.len, x->id.p);
	assert_int_equal(np_fs_mkdirs_for(path.data), 0);
	assert_true(np_fs_write_if_changed(path.data, out.data, out.len) >= 0);
	np_buf_dispose(&out);
	return np_buf_detach(&path);
}

#endif
