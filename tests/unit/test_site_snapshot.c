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
#include "util/err.h"
#include "site_test.h"
#include "util/fs.h"


/* Sleeps ns nanoseconds. */
static void nap(int64_t ns)
{
	struct timespec t = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	while (nanosleep(&t, &t) != 0)
		;
}

/* Writes a record with an mtime minutes_ago in the past; unless that is
 * 0, waits until it is older than the racy window, which the snapshot
 * does not cache (site.h). */
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
	char *path = site_test_write_record(&x);
	struct timespec t[2] = {{time(NULL) - 60 * minutes_ago, 0}, {time(NULL) - 60 * minutes_ago, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	/* An old mtime does not make a file settled: its ctime is now.  Wait
	 * out the racy window (site.h) unless the test wants it fresh. */
	if (minutes_ago > 0)
		nap(np_site_racy_ns * 3 / 2);
	free(path);
	np_arena_dispose(&a);
}

static int setup(void **state)
{
	(void)state;
	if (site_test_make_root("np-snap-test") != 0)
		return -1;
	write_rec("a1", "第一篇", "正文一。\n\n第二段。\n", 10);
	write_rec("a2", "第二篇", "正文二。\n", 10);
	write_rec("a3", "第三篇", "正文三。\n", 10);
	return 0;
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
	/* Just modified: parsed every time until it is older than the racy
	 * window (widened here so that a slow machine cannot outlast it). */
	int64_t window = np_site_racy_ns;
	np_site_racy_ns = 600 * (int64_t)1000000000;
	write_rec("a3", "第三篇改", "正文三。\n", 0);
	assert_int_equal(load_and_check(), 1);
	assert_int_equal(load_and_check(), 1);
	/* And once it is: from the snapshot after one more load saves it. */
	np_site_racy_ns = window;
	nap(window * 3 / 2);
	assert_int_equal(load_and_check(), 1);
	assert_int_equal(load_and_check(), 0);
}

/* A file copied with its old mtime kept (cp -a, rsync -t) has a new
 * ctime: it is racy until the window has passed, whatever its mtime. */
static void test_racy_by_ctime(void **state)
{
	(void)state;
	assert_int_equal(load_and_check(), 3);
	assert_int_equal(load_and_check(), 0);
	int64_t window = np_site_racy_ns;
	np_site_racy_ns = 600 * (int64_t)1000000000;
	np_buf p;
	np_buf_init(&p);
	np_buf_printf(&p, "%s/content/articles/2022-08-23/a1.md", root);
	struct timespec t[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
	assert_int_equal(utimensat(AT_FDCWD, p.data, t, 0), 0); /* ctime: now */
	assert_int_equal(load_and_check(), 1);
	assert_int_equal(load_and_check(), 1);
	np_site_racy_ns = window;
	np_buf_dispose(&p);
}

/* Rewrites the snapshot with f applied, then the site must load as from
 * scratch (every record parsed) and the snapshot be good again. */
static void corrupt_and_load(void (*f)(np_buf *))
{
	np_buf p, bytes;
	np_buf_init(&p);
	np_buf_init(&bytes);
	load_and_check();
	site_test_path(&p, NP_SNAP_FILE);
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
/* A record rewritten with other bytes of the same size and given back its
 * old mtime (what cp -a or rsync -t can do) is still parsed again: the
 * entry's key holds the inode and ctime as well. */
static void test_same_size_old_mtime(void **state)
{
	(void)state;
	assert_int_equal(load_and_check(), 3);
	np_buf p;
	np_buf_init(&p);
	np_buf_printf(&p, "%s/content/articles/2022-08-23/a2.md", root);
	struct stat before, after;
	assert_int_equal(stat(p.data, &before), 0);
	sleep(1); /* a later ctime even on coarse clocks */
	write_rec("a2", "第二稿", "正文二。\n", 10); /* same byte length */
	struct timespec t[2] = {before.st_atim, before.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, p.data, t, 0), 0);
	assert_int_equal(stat(p.data, &after), 0);
	assert_int_equal(after.st_size, before.st_size);
	assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	np_diags d;
	np_diags_init(&d);
	np_site *s = np_site_load(root, 2, &d);
	assert_int_equal(np_site_n_parsed(s), 1);
	const np_site_article *a = np_site_article_by_id(s, NP_STR("a2"));
	assert_non_null(a);
	assert_true(np_str_eq_c(a->rec.title, "第二稿"));
	np_site_free(s);
	np_diags_dispose(&d);
	np_buf_dispose(&p);
}

static void dump_list(np_buf *b, const char *name, const np_strlist *l)
{
	np_buf_printf(b, " %s[", name);
	for (size_t i = 0; i < l->len; i++)
		np_buf_printf(b, "%.*s|", (int)l->items[i].len, l->items[i].p);
	np_buf_puts(b, "]");
}

static void dump_str(np_buf *b, const char *name, np_str s)
{
	if (s.p)
		np_buf_printf(b, " %s=%.*s", name, (int)s.len, s.p);
	else
		np_buf_printf(b, " %s=(null)", name);
}

/* Everything of the model a renderer reads, as text. */
static void dump_site(const np_site *s, np_buf *b)
{
	for (size_t i = 0; i < s->n_articles; i++) {
		const np_site_article *a = &s->articles[i];
		const np_article *r = &a->rec;
		np_buf_printf(b, "A %s %s %zu %zu %zu size=%llu off=%llu mtime=%lld ino=%llu "
		                 "ctime=%lld hash=%llx%llx",
		              a->record_path, a->url, a->issue, a->page, a->order,
		              (unsigned long long)a->rec_size, (unsigned long long)a->body_off,
		              (long long)a->mtime_ns, (unsigned long long)a->ino,
		              (long long)a->ctime_ns, (unsigned long long)a->body_hash[0],
		              (unsigned long long)a->body_hash[1]);
		dump_str(b, "id", r->id), dump_str(b, "title", r->title);
		dump_str(b, "kicker", r->kicker), dump_str(b, "subtitle", r->subtitle);
		dump_str(b, "issue", r->issue), dump_str(b, "source", r->source);
		dump_str(b, "summary", r->summary), dump_str(b, "slug", r->slug);
		dump_str(b, "source_file", r->source_file), dump_str(b, "hash", r->ingest_hash);
		dump_str(b, "extra", r->extra_yaml);
		np_buf_printf(b, " date=%d-%d-%d end=%d-%d-%d inf=%d page=%d", r->date.y, r->date.m,
		              r->date.d, r->end_date.y, r->end_date.m, r->end_date.d,
		              (int)r->date_inferred, r->page);
		dump_list(b, "authors", &r->authors), dump_list(b, "regions", &r->regions);
		dump_list(b, "places", &r->places), dump_list(b, "events", &r->events);
		dump_list(b, "people", &r->people), dump_list(b, "captions", &r->captions);
		np_buf_puts(b, " ev[");
		for (size_t k = 0; k < a->n_events; k++)
			np_buf_printf(b, "%zu,", a->events[k]);
		np_buf_puts(b, "]\n");
	}
	for (size_t i = 0; i < s->n_events; i++) {
		const np_site_event *e = &s->events[i];
		np_buf_printf(b, "E %.*s %.*s %s %s n=%zu regions=%zu", (int)e->key.len, e->key.p,
		              (int)e->name.len, e->name.p, e->slug, e->url, e->n_articles,
		              e->n_regions);
		for (size_t k = 0; k < e->n_articles; k++)
			np_buf_printf(b, " %zu/%zu", e->articles[k], e->timeline[k]);
		np_buf_puts(b, "\n");
	}
	for (size_t i = 0; i < s->n_regions; i++)
		np_buf_printf(b, "R %.*s %s %zu %zu\n", (int)s->regions[i].path.len,
		              s->regions[i].path.p, s->regions[i].slug, s->regions[i].n_items,
		              s->regions[i].n_children);
	for (size_t i = 0; i < s->n_issues; i++) {
		const np_site_issue *is = &s->issues[i];
		np_buf_printf(b, "I %s %zu %zu\n", is->iso, is->n_pages, is->n_articles);
		for (size_t p = 0; p < is->n_pages; p++) {
			const np_site_page *pg = &is->pages[p];
			np_buf_printf(b, "P %d %s", pg->number, pg->url);
			dump_str(b, "source", pg->source_file);
			np_buf_puts(b, " articles[");
			for (size_t k = 0; k < pg->n_articles; k++)
				np_buf_printf(b, "%zu,", pg->articles[k]);
			np_buf_puts(b, "]");
			for (size_t t = 0; t < pg->n_teasers; t++) {
				dump_str(b, "teaser", pg->teasers[t].title);
				dump_str(b, "kicker", pg->teasers[t].kicker);
				np_buf_printf(b, " ->%d", pg->teasers[t].page);
			}
			dump_list(b, "captions", &pg->captions);
			np_buf_puts(b, "\n");
		}
	}
}

static size_t pages_parsed; /* by the last load_dump */

static void load_dump(np_buf *b, size_t *parsed)
{
	np_diags d;
	np_diags_init(&d);
	np_site *s = np_site_load(root, 2, &d);
	assert_non_null(s);
	np_buf_clear(b);
	dump_site(s, b);
	for (size_t i = 0; i < d.len; i++)
		np_buf_printf(b, "D %s\n", d.items[i].msg);
	*parsed = np_site_n_parsed(s);
	pages_parsed = np_site_n_pages_parsed(s);
	np_site_free(s);
	np_diags_dispose(&d);
}

/* The snapshot is a cache: the model is the same, byte for byte of its
 * dump, whether the records came from libyaml or the snapshot, and after
 * .newsprint/ is deleted. */
static void test_model_same_with_or_without_snapshot(void **state)
{
	(void)state;
	write_rec("b1", "“牵手计划”", "正文。\n", 10);
	/* A page record with every kind of field (the records' issue). */
	np_buf pages;
	np_buf_init(&pages);
	np_buf_printf(&pages, "%s/content/articles/2022-08-23/pages.yaml", root);
	FILE *f = fopen(pages.data, "w");
	assert_non_null(f);
	fputs("issue: \"2022-08-23\"\npages:\n"
	      "- page: 7\n  source_file: content/issues/2022-08-23/07.txt\n"
	      "  articles: [\"a2\", \"b1\", \"a1\"]\n"
	      "  teasers:\n  - {title: 见第八版, kicker: null, page: 8}\n"
	      "  - {title: 深圳破解社工组织首贷难题, kicker: 创新授信思路, page: 9}\n"
	      "  captions: [图为会场]\n"
	      "- page: 8\n  source_file: content/issues/2022-08-23/08.txt\n"
	      "  articles: []\n  teasers: []\n  captions: []\n",
	      f);
	fclose(f);
	struct timespec old[2] = {{time(NULL) - 600, 0}, {time(NULL) - 600, 0}};
	assert_int_equal(utimensat(AT_FDCWD, pages.data, old, 0), 0);
	nap(np_site_racy_ns * 3 / 2);
	np_buf full, cached, again, cmd;
	np_buf_init(&full), np_buf_init(&cached), np_buf_init(&again), np_buf_init(&cmd);
	size_t parsed;
	load_dump(&full, &parsed);
	assert_int_equal(parsed, 4);
	assert_int_equal(pages_parsed, 1);
	assert_non_null(strstr(full.data, "teaser=深圳破解社工组织首贷难题 kicker=创新授信思路 ->9"));
	assert_non_null(strstr(full.data, "captions[图为会场|]"));
	load_dump(&cached, &parsed);
	assert_int_equal(parsed, 0);
	assert_int_equal(pages_parsed, 0);
	assert_string_equal(full.data, cached.data);
	/* An edit of pages.yaml is seen (its metadata changed): parsed again. */
	f = fopen(pages.data, "a");
	assert_non_null(f);
	fputs("# a comment\n", f);
	fclose(f);
	nap(np_site_racy_ns * 3 / 2);
	load_dump(&cached, &parsed);
	assert_int_equal(pages_parsed, 1);
	assert_string_equal(full.data, cached.data);
	np_buf_printf(&cmd, "rm -rf '%s/.newsprint'", root);
	assert_int_equal(system(cmd.data), 0);
	load_dump(&again, &parsed);
	assert_int_equal(parsed, 4);
	assert_int_equal(pages_parsed, 1);
	assert_string_equal(full.data, again.data);
	np_buf_dispose(&pages);
	np_buf_dispose(&full), np_buf_dispose(&cached), np_buf_dispose(&again);
	np_buf_dispose(&cmd);
}

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
	/* Nothing copied: the strings are the entry's bytes, C strings. */
	assert_true(out.rec.title.p > e.data && out.rec.title.p < e.data + e.len);
	assert_int_equal(out.rec.title.p[out.rec.title.len], '\0');
	assert_string_equal(out.rec.id.p, "x");
	for (size_t n = 0; n < e.len; n++)
		assert_int_not_equal(np_snap_decode((np_str){e.data, n}, &out, &a), 0);
	/* A string length running past the end: the title's. */
	size_t at = np_str_find(np_str_of(&e), NP_STR("标题"));
	assert_true(at != (size_t)-1 && at >= 4);
	/* A string without its NUL (the entry's length still right). */
	size_t end = at + strlen("标题");
	assert_int_equal(e.data[end], '\0');
	e.data[end] = 'x';
	assert_int_not_equal(np_snap_decode(np_str_of(&e), &out, &a), 0);
	e.data[end] = '\0';
	assert_int_equal(np_snap_decode(np_str_of(&e), &out, &a), 0);
	e.data[at - 1] = 0x7f;
	assert_int_not_equal(np_snap_decode(np_str_of(&e), &out, &a), 0);
	np_arena_dispose(&a);
	np_buf_dispose(&e);
}

/* np_snap_content: the entry's body hash and fields, the same for the same
 * record in another file (path, size, times, inode, body offset), other
 * for another field or body hash; null for a cut entry. */
static void test_content(void **state)
{
	(void)state;
	np_site_article sa = {0};
	sa.record_path = "content/articles/x.md";
	sa.rec_size = 10, sa.mtime_ns = 11, sa.ino = 12, sa.ctime_ns = 13, sa.body_off = 14;
	sa.body_hash[0] = 15;
	sa.rec.id = NP_STR("x");
	sa.rec.title = NP_STR("标题");
	np_buf a, b;
	np_buf_init(&a);
	np_buf_init(&b);
	np_snap_encode(&a, &sa);
	np_str ca = np_snap_content(np_str_of(&a));
	assert_non_null(ca.p);
	assert_true(ca.p > a.data && ca.p + ca.len == a.data + a.len);
	assert_true(np_str_find(ca, NP_STR("标题")) != (size_t)-1);
	assert_true(np_str_find(ca, NP_STR("x.md")) == (size_t)-1);
	sa.record_path = "content/articles/elsewhere/x.md";
	sa.rec_size = 20, sa.mtime_ns = 21, sa.ino = 22, sa.ctime_ns = 23, sa.body_off = 24;
	np_snap_encode(&b, &sa);
	np_str cb = np_snap_content(np_str_of(&b));
	assert_true(cb.p && np_str_eq(ca, cb));
	sa.body_hash[0] = 16;
	np_buf_clear(&b);
	np_snap_encode(&b, &sa);
	assert_false(np_str_eq(ca, np_snap_content(np_str_of(&b))));
	sa.body_hash[0] = 15;
	sa.rec.title = NP_STR("标 题");
	np_buf_clear(&b);
	np_snap_encode(&b, &sa);
	assert_false(np_str_eq(ca, np_snap_content(np_str_of(&b))));
	for (size_t n = 0; n < a.len; n++)
		assert_null(np_snap_content((np_str){a.data, n}).p);
	np_buf_dispose(&a);
	np_buf_dispose(&b);
}

/* np_snap_decode_lazy gives what np_snap_decode gives but people and
 * captions, which np_snap_decode_lists then reads from lazy_lists (their
 * strings the entry's, as ever); np_site_article_lists gives either way
 * the same lists; bytes that are not the two lists are refused. */
static void test_lazy_lists(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_site_article sa = {0};
	sa.record_path = "content/articles/x.md";
	sa.rec.id = NP_STR("x");
	np_strlist_add(&sa.rec.people, &a, NP_STR("王勇"));
	np_strlist_add(&sa.rec.people, &a, NP_STR("李明"));
	np_strlist_add(&sa.rec.captions, &a, NP_STR("图为会议现场"));
	np_strlist_add(&sa.rec.events, &a, NP_STR("牵手计划"));
	np_buf e;
	np_buf_init(&e);
	np_snap_encode(&e, &sa);
	np_site_article full, lazy;
	assert_int_equal(np_snap_decode(np_str_of(&e), &full, &a), 0);
	assert_null(full.lazy_lists.p);
	assert_int_equal(np_snap_decode_lazy(np_str_of(&e), &lazy, &a), 0);
	assert_int_equal(lazy.rec.people.len, 0);
	assert_int_equal(lazy.rec.captions.len, 0);
	assert_int_equal(lazy.rec.events.len, 1);
	assert_non_null(lazy.lazy_lists.p);
	np_strlist p1, c1, p2, c2;
	np_site_article_lists(&full, &a, &p1, &c1);
	np_site_article_lists(&lazy, &a, &p2, &c2);
	assert_int_equal(p2.len, 2);
	assert_int_equal(c2.len, 1);
	for (size_t i = 0; i < 2; i++)
		assert_true(np_str_eq(p1.items[i], p2.items[i]));
	assert_true(np_str_eq_c(p2.items[1], "李明"));
	assert_true(np_str_eq_c(c2.items[0], "图为会议现场"));
	assert_true(c2.items[0].p > e.data && c2.items[0].p < e.data + e.len);
	np_str l = lazy.lazy_lists;
	for (size_t n = 0; n < l.len; n++)
		assert_int_equal(np_snap_decode_lists((np_str){l.p, n}, &p2, &c2, &a), NP_EINVAL);
	assert_int_equal(np_snap_decode_lists((np_str){l.p, l.len + 1}, &p2, &c2, &a), NP_EINVAL);
	assert_int_equal(p2.len, 0);
	np_buf_dispose(&e);
	np_arena_dispose(&a);
}

/* np_snap_slug reads what np_snap_decode would give of slug and
 * source_file, and refuses exactly the entries decode refuses: every field
 * set (lists of 0 to 3 items, so each field's place is tested), or null;
 * every truncation; every byte flipped in turn. */
static void test_slug_only(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_buf e;
	np_buf_init(&e);
	for (int variant = 0; variant < 8; variant++) {
		np_site_article sa = {0};
		sa.record_path = "content/articles/2022-08-30/2022-08-30-07-1.md";
		sa.rec_size = 1234, sa.mtime_ns = 5, sa.ino = 6, sa.ctime_ns = 7;
		np_article *r = &sa.rec;
		r->id = NP_STR("2022-08-30-07-1");
		if (variant & 1) {
			r->title = NP_STR("全国首届社会工作助力乡村振兴大会在宁夏举行");
			r->kicker = NP_STR("引题");
			r->subtitle = NP_STR("副题");
			r->source = NP_STR("福建日报");
			r->summary = NP_STR("8月26日……");
			r->ingest_hash = NP_STR("5f0c");
			r->extra_yaml = NP_STR("note: x\n");
			r->issue = NP_STR("2022-08-30");
			r->date = (np_date){2022, 8, 26};
			r->page = 7;
		}
		np_strlist *lists[] = {&r->authors, &r->regions, &r->places, &r->events, &r->people,
		                       &r->captions};
		for (size_t k = 0; k < 6; k++)
			for (int m = 0; m < (variant + (int)k) % 4; m++)
				np_strlist_add(lists[k], &a, NP_STR("宁夏回族自治区/银川市/灵武市"));
		if (variant & 2)
			r->slug = NP_STR("quan-guo-shou-jie");
		if (variant & 4)
			r->source_file = NP_STR("content/issues/2022-08-30/07.txt");
		np_buf_clear(&e);
		np_snap_encode(&e, &sa);

		np_site_article out;
		np_str slug, file;
		assert_int_equal(np_snap_decode(np_str_of(&e), &out, &a), 0);
		assert_int_equal(np_snap_slug(np_str_of(&e), &slug, &file), 0);
		assert_true(slug.p == out.rec.slug.p && slug.len == out.rec.slug.len);
		assert_true(file.p == out.rec.source_file.p && file.len == out.rec.source_file.len);
		assert_true((variant & 2) ? np_str_eq_c(slug, "quan-guo-shou-jie") : !slug.p);
		assert_true((variant & 4) ? np_str_eq_c(file, "content/issues/2022-08-30/07.txt")
		                          : !file.p);
		for (size_t n = 0; n < e.len; n++)
			assert_int_not_equal(np_snap_slug((np_str){e.data, n}, &slug, &file), 0);
		for (size_t at = 0; at < e.len; at++) {
			e.data[at] ^= 0x41;
			bool dec = np_snap_decode(np_str_of(&e), &out, &a) == 0;
			bool sl = np_snap_slug(np_str_of(&e), &slug, &file) == 0;
			assert_int_equal(dec, sl);
			if (dec) {
				assert_true(slug.p == out.rec.slug.p && slug.len == out.rec.slug.len);
				assert_true(file.p == out.rec.source_file.p &&
				            file.len == out.rec.source_file.len);
			}
			e.data[at] ^= 0x41;
		}
		np_arena_reset(&a);
	}
	np_buf_dispose(&e);
	np_arena_dispose(&a);
}

/* A page record's entry decodes to what it was made from (strings point
 * into the entry), and every cut and every flipped byte is refused or
 * decodes to a record of the same shape, never read outside the entry. */
static void test_pages_entry(void **state)
{
	(void)state;
	np_arena a;
	np_arena_init(&a);
	np_page_record r = {0};
	r.issue = NP_STR("2022-08-30");
	r.n_pages = 2;
	r.pages = NP_ANEWN(&a, np_page_entry, 2);
	r.pages[0].page = 7;
	r.pages[0].source_file = NP_STR("content/issues/2022-08-30/07.txt");
	np_strlist_add(&r.pages[0].articles, &a, NP_STR("2022-08-30-07-1"));
	np_strlist_add(&r.pages[0].articles, &a, NP_STR("2022-08-30-07-2"));
	r.pages[0].n_teasers = 2;
	r.pages[0].teasers = NP_ANEWN(&a, np_teaser, 2);
	r.pages[0].teasers[0] = (np_teaser){NP_STR("见第八版"), {NULL, 0}, 8, 3, 5};
	r.pages[0].teasers[1] = (np_teaser){NP_STR("深圳破解社工组织首贷难题"), NP_STR("创新授信思路"), 9, 0, 0};
	np_strlist_add(&r.pages[0].captions, &a, NP_STR("图为会场"));
	r.pages[1].page = 8; /* nothing else: null source, empty lists */
	np_snap_key key = {123, 4, 5, 6};
	np_buf e;
	np_buf_init(&e);
	np_snap_encode_pages(&e, "content/articles/2022-08-30/pages.yaml", key, &r);
	np_page_record out;
	assert_int_equal(np_snap_decode_pages(np_str_of(&e), &out, &a), 0);
	assert_true(np_str_eq_c(out.issue, "2022-08-30"));
	assert_int_equal(out.n_pages, 2);
	assert_int_equal(out.pages[0].page, 7);
	assert_true(np_str_eq_c(out.pages[0].source_file, "content/issues/2022-08-30/07.txt"));
	assert_int_equal(out.pages[0].articles.len, 2);
	assert_true(np_str_eq_c(out.pages[0].articles.items[1], "2022-08-30-07-2"));
	assert_int_equal(out.pages[0].n_teasers, 2);
	assert_null(out.pages[0].teasers[0].kicker.p);
	assert_int_equal(out.pages[0].teasers[0].line, 3);
	assert_int_equal(out.pages[0].teasers[0].col, 5);
	assert_true(np_str_eq_c(out.pages[0].teasers[1].kicker, "创新授信思路"));
	assert_int_equal(out.pages[0].teasers[1].page, 9);
	assert_true(np_str_eq_c(out.pages[0].captions.items[0], "图为会场"));
	assert_int_equal(out.pages[1].page, 8);
	assert_null(out.pages[1].source_file.p);
	assert_int_equal(out.pages[1].articles.len + out.pages[1].n_teasers + out.pages[1].captions.len, 0);
	/* nothing copied: the strings are the entry's, C strings */
	assert_true(out.issue.p > e.data && out.issue.p < e.data + e.len);
	assert_int_equal(out.pages[0].teasers[1].title.p[out.pages[0].teasers[1].title.len], '\0');
	for (size_t n = 0; n < e.len; n++)
		assert_int_not_equal(np_snap_decode_pages((np_str){e.data, n}, &out, &a), 0);
	for (size_t at = 0; at < e.len; at++) {
		e.data[at] ^= 0x41;
		if (np_snap_decode_pages(np_str_of(&e), &out, &a) == 0)
			assert_true(out.n_pages <= 2); /* counts are checked against the bytes left */
		e.data[at] ^= 0x41;
	}
	/* The container: saved with the records' writer, found by path, good
	 * only for the metadata it was made with. */
	char path[512];
	snprintf(path, sizeof path, "%s/pages.snap", root);
	np_str entries[] = {np_str_of(&e)};
	assert_int_equal(np_snap_save(path, entries, 1), 0);
	np_snap *snap = np_snap_load(path);
	assert_int_equal(np_snap_count(snap), 1);
	size_t idx = np_snap_find(snap, NP_STR("content/articles/2022-08-30/pages.yaml"));
	assert_int_equal(idx, 0);
	assert_true(np_snap_find(snap, NP_STR("content/articles/2022-08-30/pages.yam")) == SIZE_MAX);
	assert_true(np_snap_find(snap, NP_STR("content/articles/2022-09-06/pages.yaml")) == SIZE_MAX);
	assert_non_null(np_snap_entry(snap, idx, key).p);
	np_snap_key other = key;
	other.ctime_ns++;
	assert_null(np_snap_entry(snap, idx, other).p);
	np_snap_free(snap);
	np_buf_dispose(&e);
	np_arena_dispose(&a);
}

/* Entries are found by one forward pass over the sorted record paths
 * (np_snap_match), whatever order the file has them in (a file this
 * program did not write may be in any order), with paths absent from
 * the snapshot, and prefixes of one another, in between; an entry is
 * good only for the metadata it was made with. */
static void match_file(const char *const *order, size_t n)
{
	np_buf e[8], path;
	np_str entries[8];
	np_buf_init(&path);
	for (size_t i = 0; i < n; i++) {
		np_site_article sa = {0};
		sa.record_path = (char *)order[i];
		sa.rec.id = np_str_from(order[i]);
		sa.rec_size = 100 + strlen(order[i]);
		sa.mtime_ns = 7, sa.ino = 9, sa.ctime_ns = 8;
		np_buf_init(&e[i]);
		np_snap_encode(&e[i], &sa);
		entries[i] = np_str_of(&e[i]);
	}
	np_buf_printf(&path, "%s/match.snap", root);
	assert_int_equal(np_snap_save(path.data, entries, n), 0);
	np_snap *snap = np_snap_load(path.data);
	assert_int_equal(np_snap_count(snap), n);
	const char *want[] = {"a/0.md", "a/1.md", "a/1.md.md", "a/2.md",
	                      "b/1.md", "c/0.md", "d.md"};
	size_t idx[7];
	np_snap_match(snap, want, 7, idx);
	np_arena a;
	np_arena_init(&a);
	for (size_t i = 0; i < 7; i++) {
		bool there = false;
		for (size_t k = 0; k < n; k++)
			there |= strcmp(order[k], want[i]) == 0;
		if (!there) {
			assert_int_equal(idx[i], SIZE_MAX);
			continue;
		}
		np_snap_key key = {100 + strlen(want[i]), 9, 7, 8};
		np_str got = np_snap_entry(snap, idx[i], key);
		np_site_article out;
		assert_non_null(got.p);
		assert_int_equal(np_snap_decode(got, &out, &a), 0);
		assert_string_equal(out.record_path, want[i]);
		key.ctime_ns = 9;
		assert_null(np_snap_entry(snap, idx[i], key).p);
	}
	assert_null(np_snap_entry(snap, SIZE_MAX, (np_snap_key){0, 0, 0, 0}).p);
	np_snap_free(snap);
	np_arena_dispose(&a);
	for (size_t i = 0; i < n; i++)
		np_buf_dispose(&e[i]);
	np_buf_dispose(&path);
}

static void test_match(void **state)
{
	(void)state;
	const char *sorted[] = {"a/1.md", "a/1.md.md", "b/1.md", "d.md"};
	match_file(sorted, 4);
	const char *unsorted[] = {"d.md", "a/1.md.md", "c/0.md", "a/1.md", "a/0.md"};
	match_file(unsorted, 5);
	match_file(sorted, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_roundtrip, setup, site_test_teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt, setup, site_test_teardown),
	    cmocka_unit_test_setup_teardown(test_racy_by_ctime, setup, site_test_teardown),
	    cmocka_unit_test_setup_teardown(test_same_size_old_mtime, setup, site_test_teardown),
	    cmocka_unit_test_setup_teardown(test_model_same_with_or_without_snapshot, setup,
	                                    site_test_teardown),
	    cmocka_unit_test(test_decode_bounds),
	    cmocka_unit_test(test_slug_only),
	    cmocka_unit_test(test_content),
	    cmocka_unit_test(test_lazy_lists),
	    cmocka_unit_test_setup_teardown(test_pages_entry, setup, site_test_teardown),
	    cmocka_unit_test_setup_teardown(test_match, setup, site_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
