/* Search index writer and reader: the files written, postings round trip
 * through list, bitmap and absent forms, filter tokens, JSON escaping, the same
 * bytes on any number of threads, and an appended article rewriting only
 * the shards its tokens touch. */
#define _GNU_SOURCE /* memmem */
/* cmocka.h needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "search/search.h"
#include "util/err.h"

/* An in-memory output folder. */
typedef struct file {
	char *rel;
	np_buf data;
} file;

typedef struct outdir {
	file *f;
	size_t n;
	pthread_mutex_t lock;
} outdir;

static int put(void *ctx, const char *rel, const void *data, size_t len)
{
	outdir *o = ctx;
	pthread_mutex_lock(&o->lock);
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->f[i].rel, rel) == 0) { /* a later build replaces it */
			np_buf_clear(&o->f[i].data);
			np_buf_put(&o->f[i].data, data, len);
			pthread_mutex_unlock(&o->lock);
			return 0;
		}
	o->f = np_xrealloc(o->f, np_mul(o->n + 1, sizeof *o->f));
	file *f = &o->f[o->n++];
	f->rel = np_xstrndup(rel, strlen(rel));
	np_buf_init(&f->data);
	np_buf_put(&f->data, data, len);
	pthread_mutex_unlock(&o->lock);
	return 0;
}

static const file *get(const outdir *o, const char *rel)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->f[i].rel, rel) == 0)
			return &o->f[i];
	return NULL;
}

static void outdir_free(outdir *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->f[i].rel);
		np_buf_dispose(&o->f[i].data);
	}
	free(o->f);
	pthread_mutex_destroy(&o->lock);
}

static const np_str regions0[] = {NP_STR("宁夏回族自治区/银川市/灵武市")};
static const np_str events0[] = {NP_STR("牵手计划")};
static const np_str authors0[] = {NP_STR("王勇")};

static np_search_doc doc(const char *title, const char *body)
{
	return (np_search_doc){.title = np_str_from(title),
	                       .body = np_str_from(body),
	                       .url = NP_STR("articles/x/index.html"),
	                       .date = {2022, 8, 26}};
}

static void build(const np_search_doc *docs, size_t n, unsigned threads, outdir *o)
{
	memset(o, 0, sizeof *o);
	pthread_mutex_init(&o->lock, NULL);
	np_search_stats st;
	assert_int_equal(np_search_build(docs, n, put, o, threads, &st), 0);
	assert_int_equal(st.files, o->n);
	assert_int_equal(st.shards, np_search_n_shards(n));
}

/* Postings of tok as "doc/flags doc/flags ...", or "absent". */
static char *lookup(const outdir *o, const char *tok, size_t n_docs)
{
	np_str t = np_str_from(tok);
	char rel[64];
	snprintf(rel, sizeof rel, "search/shards/%03x.bin",
	         (unsigned)np_search_shard_of(t, np_search_n_shards(n_docs)));
	const file *f = get(o, rel);
	assert_non_null(f);
	np_search_posting *p = NULL;
	size_t n = 0;
	int rc = np_search_shard_lookup(f->data.data, f->data.len, t, n_docs, &p, &n);
	np_buf b;
	np_buf_init(&b);
	if (rc == NP_ENOENT)
		np_buf_puts(&b, "absent");
	assert_true(rc == 0 || rc == NP_ENOENT);
	for (size_t i = 0; i < n; i++)
		np_buf_printf(&b, "%s%u/%u", i ? " " : "", p[i].doc, p[i].flags);
	free(p);
	return np_buf_detach(&b);
}

static void expect_postings(const outdir *o, const char *tok, size_t n_docs, const char *want)
{
	char *got = lookup(o, tok, n_docs);
	assert_string_equal(got, want);
	free(got);
}

static void test_files_and_postings(void **state)
{
	(void)state;
	np_search_doc d[3] = {
	    doc("全国首届社会工作助力乡村振兴大会", "大会在宁夏灵武市举行。"),
	    doc("社工站\"全覆盖\"", "乡村振兴、乡村振兴、乡村振兴、乡村振兴，G20。"),
	    doc("无关", "没有这个词"),
	};
	d[0].regions = regions0, d[0].n_regions = 1;
	d[0].events = events0, d[0].n_events = 1;
	d[0].issue = NP_STR("2022-08-30");
	d[1].authors = authors0, d[1].n_authors = 1;
	d[2].date = (np_date){0, 0, 0};
	outdir o;
	build(d, 3, 2, &o);
	assert_int_equal(o.n, 16 + 1 + 3); /* shards, docs, meta + dates + facets */
	const file *meta = get(&o, "search/meta.json");
	assert_string_equal(meta->data.data,
	                    "{\"version\":2,\"docs\":3,\"shards\":16,\"chunk\":64,\"hot\":[],"
	                    "\"base\":3,\"tail\":null}\n");
	assert_string_equal(get(&o, "search/dates.json")->data.data,
	                    "[[\"2022-08-26\",\"2022-08-26\"]]\n");
	/* flags: 4 = in a heading; tf bucket 2 = four to seven times */
	expect_postings(&o, "振兴", 3, "0/4 1/2");
	expect_postings(&o, "g20", 3, "1/0");
	expect_postings(&o, "勇", 3, "1/0");    /* authors: unigrams, no heading */
	expect_postings(&o, "灵", 3, "absent"); /* body: no unigrams */
	expect_postings(&o, "r:宁夏回族自治区", 3, "0/0");
	expect_postings(&o, "r:宁夏回族自治区/银川市", 3, "0/0");
	expect_postings(&o, "r:宁夏回族自治区/银川市/灵武市", 3, "0/0");
	expect_postings(&o, "e:牵手计划", 3, "0/0");
	expect_postings(&o, "i:2022-08-30", 3, "0/0");
	const file *docs = get(&o, "search/docs/0000.json");
	assert_string_equal(docs->data.data,
	                    "[[\"全国首届社会工作助力乡村振兴大会\",\"articles/x/\",\"2022-08-26\","
	                    "[\"宁夏回族自治区/银川市/灵武市\"]],\n"
	                    "[\"社工站\\\"全覆盖\\\"\",\"articles/x/\",\"2022-08-26\",[]],\n"
	                    "[\"无关\",\"articles/x/\",\"\",[]]]\n");
	const file *facets = get(&o, "search/facets.json");
	assert_string_equal(
	    facets->data.data,
	    "{\"regions\":[[\"宁夏回族自治区\",1],[\"宁夏回族自治区/银川市\",1],"
	    "[\"宁夏回族自治区/银川市/灵武市\",1]],\"events\":[[\"牵手计划\",1]]}\n");
	outdir_free(&o);
}

/* n synthetic documents: "工作" in all, "社会" in two of three (both
 * stored as the absent documents), "乡村" in every third (a bitmap), in
 * the title of every sixth. */
static np_search_doc *many(size_t n, np_buf *bodies)
{
	np_search_doc *d = np_xcalloc(n, sizeof *d);
	for (size_t i = 0; i < n; i++) {
		np_buf_init(&bodies[i]);
		np_buf_printf(&bodies[i], "第%zu篇 工作%s%s", i, i % 3 == 0 ? " 乡村" : "",
		              i % 3 ? " 社会" : "");
		d[i] = doc(i % 6 == 0 ? "乡村" : "标题", bodies[i].data);
	}
	return d;
}

static void test_bitmap_round_trip(void **state)
{
	(void)state;
	size_t n = 256; /* one segment: np_search_base_docs(256) = 256 */
	np_buf *bodies = np_xcalloc(n, sizeof *bodies);
	np_search_doc *d = many(n, bodies);
	outdir o;
	build(d, n, 2, &o);
	np_buf want;
	np_buf_init(&want);
	for (size_t i = 0; i < n; i++)
		np_buf_printf(&want, "%s%zu/0", i ? " " : "", i);
	expect_postings(&o, "工作", n, want.data);
	np_buf_clear(&want);
	for (size_t i = 0; i < n; i += 3)
		np_buf_printf(&want, "%s%zu/%d", i ? " " : "", i,
		              i % 6 == 0 ? 4 : 0); /* bitmap: no tf */
	expect_postings(&o, "乡村", n, want.data);
	np_buf_clear(&want);
	for (size_t i = 1; i < n; i++)
		if (i % 3)
			np_buf_printf(&want, "%s%zu/0", i > 1 ? " " : "", i);
	expect_postings(&o, "社会", n, want.data);
	np_buf_dispose(&want);
	/* "工作": length 6, token, df 256, kind 2 (absent), payload 4 bytes:
	 * R = 256, none absent, no heading documents */
	char rel[64];
	snprintf(rel, sizeof rel, "search/shards/%03x.bin",
	         (unsigned)np_search_shard_of(NP_STR("工作"), np_search_n_shards(n)));
	const file *f = get(&o, rel);
	static const char entry[] = "\x06工作\x80\x02\x02\x04\x80\x02\x00\x00";
	assert_non_null(memmem(f->data.data, f->data.len, entry, sizeof entry - 1));
	/* "乡村": df 86, kind 1 (bitmap), payload starts with B = 255 / 8 + 1 */
	snprintf(rel, sizeof rel, "search/shards/%03x.bin",
	         (unsigned)np_search_shard_of(NP_STR("乡村"), np_search_n_shards(n)));
	f = get(&o, rel);
	static const char entry2[] = "\x06乡村\x56\x01";
	const char *at = memmem(f->data.data, f->data.len, entry2, sizeof entry2 - 1);
	assert_non_null(at);
	assert_int_equal((unsigned char)at[sizeof entry2], 32);
	outdir_free(&o);
	for (size_t i = 0; i < n; i++)
		np_buf_dispose(&bodies[i]);
	free(bodies);
	free(d);
}

static void assert_same_files(const outdir *a, const outdir *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const file *f = get(b, a->f[i].rel);
		assert_non_null(f);
		assert_int_equal(f->data.len, a->f[i].data.len);
		assert_memory_equal(f->data.data, a->f[i].data.data, f->data.len);
	}
}

static void test_deterministic(void **state)
{
	(void)state;
	size_t n = 500;
	np_buf *bodies = np_xcalloc(n, sizeof *bodies);
	np_search_doc *d = many(n, bodies);
	outdir one, four;
	build(d, n, 1, &one);
	build(d, n, 4, &four);
	assert_same_files(&one, &four);
	outdir_free(&one);
	outdir_free(&four);
	for (size_t i = 0; i < n; i++)
		np_buf_dispose(&bodies[i]);
	free(bodies);
	free(d);
}

static bool token_in(np_str tok, const char *const *toks)
{
	for (; *toks; toks++)
		if (np_str_eq_c(tok, *toks))
			return true;
	return false;
}

/* Appending an article changes only the shards of its tokens (and meta,
 * facets and the last docs/text chunk). */
static void test_append_touches_few_shards(void **state)
{
	(void)state;
	size_t n = 100;
	np_buf *bodies = np_xcalloc(n + 1, sizeof *bodies);
	np_search_doc *d = many(n + 1, bodies);
	d[n] = doc("新闻", "新闻");
	static const char *const toks[] = {"新闻", "新", "闻", NULL};
	outdir before, after;
	build(d, n, 1, &before);
	build(d, n + 1, 1, &after);
	size_t changed = 0;
	for (size_t i = 0; i < before.n; i++) {
		const file *a = &before.f[i], *b = get(&after, a->rel);
		bool same = a->data.len == b->data.len &&
		            memcmp(a->data.data, b->data.data, a->data.len) == 0;
		if (strncmp(a->rel, "search/shards/", 14) != 0 || same)
			continue;
		changed++;
		unsigned s = (unsigned)strtoul(a->rel + 14, NULL, 16);
		bool touched = false;
		for (const char *const *t = toks; *t; t++)
			touched |= np_search_shard_of(np_str_from(*t), 16) == s;
		assert_true(touched);
	}
	assert_true(changed >= 1 && changed <= 3);
	assert_true(token_in(NP_STR("新"), toks));
	outdir_free(&before);
	outdir_free(&after);
	for (size_t i = 0; i < n + 1; i++)
		np_buf_dispose(&bodies[i]);
	free(bodies);
	free(d);
}

/* Postings of tok in an index of n_docs documents whose base holds the
 * first base_docs (a tail the rest), as "doc/heading ..." (the tf bucket
 * left out: a bitmap or absent form does not keep it, and which form a
 * token gets depends on how many documents its segment holds). */
static char *lookup_all(const outdir *o, const char *tok, size_t base_docs, size_t n_docs)
{
	np_str t = np_str_from(tok);
	np_buf b;
	np_buf_init(&b);
	for (int seg = 0; seg < 2; seg++) {
		size_t docs = seg ? n_docs - base_docs : base_docs;
		if (seg && !docs)
			break;
		char rel[64];
		uint32_t shards = seg ? np_search_tail_shards(docs) : np_search_n_shards(docs);
		snprintf(rel, sizeof rel, "search/%sshards/%03x.bin", seg ? "tail/" : "",
		         (unsigned)np_search_shard_of(t, shards));
		const file *f = get(o, rel);
		assert_non_null(f);
		np_search_posting *p = NULL;
		size_t n = 0;
		int rc = np_search_shard_lookup(f->data.data, f->data.len, t, n_docs, &p, &n);
		assert_true(rc == 0 || rc == NP_ENOENT);
		for (size_t i = 0; i < n; i++) {
			assert_true(seg ? p[i].doc >= base_docs : p[i].doc < base_docs);
			np_buf_printf(&b, "%u/%u ", p[i].doc, p[i].flags & 4);
		}
		free(p);
	}
	return np_buf_detach(&b);
}

static void collect_tok(void *ctx, np_str tok, enum np_tok_kind kind)
{
	(void)kind;
	np_buf_printf(ctx, "%.*s\n", (int)tok.len, tok.p);
}

/* Every token of docs [0, n) (with repeats), and the filter tokens. */
static char *all_tokens(const np_search_doc *d, size_t n)
{
	np_search_tokenizer *tk = np_search_tokenizer_new();
	np_buf b;
	np_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		np_search_tokenize(tk, d[i].title, NP_TOK_UNIGRAMS | NP_TOK_WORDS, collect_tok, &b);
		np_search_tokenize(tk, d[i].body, 0, collect_tok, &b);
	}
	np_buf_puts(&b, "r:宁夏回族自治区\ne:牵手计划\ni:2022-08-30\n不在索引里\n");
	np_search_tokenizer_free(tk);
	return np_buf_detach(&b);
}

/* Every token answers the same from idx (base_docs in its base) as from
 * a single-segment index of the same n documents (a granule larger than
 * the archive: no tail). */
static void assert_same_answers(const outdir *idx, size_t base_docs, const np_search_doc *d,
                                size_t n)
{
	outdir fresh;
	setenv("NEWSPRINT_SEARCH_SEGMENT", "1048576", 1);
	build(d, n, 2, &fresh);
	unsetenv("NEWSPRINT_SEARCH_SEGMENT");
	char *toks = all_tokens(d, n);
	size_t checked = 0;
	for (char *t = strtok(toks, "\n"); t; t = strtok(NULL, "\n"), checked++) {
		char *a = lookup_all(idx, t, base_docs, n), *b = lookup_all(&fresh, t, n, n);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_true(checked > 1000);
	assert_string_equal(get(idx, "search/docs/0004.json")->data.data,
	                    get(&fresh, "search/docs/0004.json")->data.data);
	assert_string_equal(get(idx, "search/facets.json")->data.data,
	                    get(&fresh, "search/facets.json")->data.data);
	free(toks);
	outdir_free(&fresh);
}

/* Builds docs [0, n) over o (files of earlier builds stay unless
 * rewritten) with prev; checks the stats; returns the base. */
static np_search_base build_inc(const np_search_doc *d, size_t n, const np_search_base *prev,
                                outdir *o, bool reused, size_t base_docs)
{
	np_search_opts opts = {.threads = 2, .prev = prev};
	np_search_base base;
	np_search_stats st;
	assert_int_equal(np_search_build_ex(d, n, &opts, put, o, &st, &base), 0);
	assert_int_equal(st.reused, reused);
	assert_int_equal(base.docs, base_docs);
	assert_int_equal(st.base_docs, base_docs);
	assert_int_equal(st.tail_docs, n - base_docs);
	return base;
}

/* The index of n documents built from scratch equals o byte for byte. */
static void assert_as_fresh(const outdir *o, const np_search_doc *d, size_t n)
{
	outdir fresh;
	build(d, n, 1, &fresh);
	assert_same_files(&fresh, o);
	outdir_free(&fresh);
}

/* The base depends on the document count alone (np_search_base_docs);
 * a build with the previous build's base writes only the tail, and
 * exactly the bytes of a build from scratch, whose every token answers as
 * in a single-segment index; an edited base document, or an archive that
 * crossed a granule, makes a new base. */
static void test_incremental(void **state)
{
	(void)state;
	assert_int_equal(np_search_base_docs(3), 3);
	assert_int_equal(np_search_base_docs(300), 256);
	assert_int_equal(np_search_base_docs(8191), 7936);
	assert_int_equal(np_search_base_docs(100000), 98304); /* granule 4096 */
	assert_int_equal(np_search_base_docs(131072), 131072);
	size_t n = 300, extra = 40, big = 600;
	np_buf *bodies = np_xcalloc(big, sizeof *bodies);
	np_search_doc *d = many(big, bodies);
	d[n] = doc("新闻", "乡村新闻 G20");
	d[n].regions = regions0, d[n].n_regions = 1;
	d[n].events = events0, d[n].n_events = 1;
	d[n].issue = NP_STR("2022-08-30");
	outdir o;
	memset(&o, 0, sizeof o);
	pthread_mutex_init(&o.lock, NULL);
	np_search_base base = build_inc(d, n, NULL, &o, false, 256);
	/* the base survives a round trip through its state bytes */
	np_buf enc;
	np_buf_init(&enc);
	np_search_base_encode(&base, &enc);
	np_search_base prev;
	assert_int_equal(np_search_base_decode(np_str_of(&enc), &prev), 0);
	np_search_base_dispose(&base);
	assert_int_equal(np_search_base_decode(NP_STR("npsearch 1 3"), &base), NP_EINVAL);
	assert_int_equal(base.docs, 0);
	np_buf_dispose(&enc);
	size_t before = o.n;
	np_search_stats st;
	np_search_opts opts = {.threads = 2, .prev = &prev};
	np_search_base next;
	assert_int_equal(np_search_build_ex(d, n + extra, &opts, put, &o, &st, &next), 0);
	assert_true(st.reused);
	/* written: tail shards, meta, dates, facets, docs/ 0004 and 0005 */
	assert_int_equal(st.files, np_search_tail_shards(n + extra - 256) + 3 + 2);
	assert_int_equal(np_search_tail_shards(84), 64);
	assert_int_equal(o.n, before + 1);
	np_search_base_dispose(&next);
	assert_true(np_search_base_file("search/shards/001.bin", 256));
	assert_true(np_search_base_file("search/docs/0003.json", 256));
	assert_false(np_search_base_file("search/docs/0004.json", 256));
	assert_false(np_search_base_file("search/tail/shards/001.bin", 256));
	assert_as_fresh(&o, d, n + extra);
	assert_same_answers(&o, 256, d, n + extra);
	/* an edit in the base: a new base, the bytes of a fresh build */
	d[7].title = NP_STR("改过的标题");
	outdir edited;
	memset(&edited, 0, sizeof edited);
	pthread_mutex_init(&edited.lock, NULL);
	next = build_inc(d, n + extra, &prev, &edited, false, 256);
	assert_as_fresh(&edited, d, n + extra);
	np_search_base_dispose(&next);
	outdir_free(&edited);
	/* 600 documents cross the granule at 512: a new base */
	d[7].title = NP_STR("标题");
	next = build_inc(d, big, &prev, &o, false, 512);
	assert_as_fresh(&o, d, big);
	assert_same_answers(&o, 512, d, big);
	np_search_base_dispose(&next);
	np_search_base_dispose(&prev);
	outdir_free(&o);
	for (size_t i = 0; i < big; i++)
		np_buf_dispose(&bodies[i]);
	free(bodies);
	free(d);
}

/* With a digest per document standing for its fields (np_search_doc.digest),
 * the fingerprint takes the digest, events and url: a field changed under
 * the same digest keeps the base (the caller vouches that the digest
 * follows its fields), a new digest, event name or url makes a new base;
 * and the files are those of a build without digests. */
static void test_incremental_digests(void **state)
{
	(void)state;
	size_t n = 300, extra = 40;
	np_buf *bodies = np_xcalloc(n + extra, sizeof *bodies);
	np_search_doc *d = many(n + extra, bodies);
	uint64_t (*dg)[2] = np_xcalloc(n + extra, sizeof *dg);
	for (size_t i = 0; i < n + extra; i++) {
		dg[i][0] = i + 1, dg[i][1] = 0x5eed;
		d[i].digest = dg[i];
	}
	d[3].events = events0, d[3].n_events = 1;
	outdir o;
	memset(&o, 0, sizeof o);
	pthread_mutex_init(&o.lock, NULL);
	np_search_base base = build_inc(d, n, NULL, &o, false, 256);
	np_search_base next = build_inc(d, n + extra, &base, &o, true, 256);
	np_search_base_dispose(&next);
	assert_as_fresh(&o, d, n + extra);
	d[7].title = NP_STR("只有标题变了"); /* the digest says nothing changed */
	next = build_inc(d, n + extra, &base, &o, true, 256);
	np_search_base_dispose(&next);
	d[7].title = NP_STR("标题");
	dg[7][1]++;
	next = build_inc(d, n + extra, &base, &o, false, 256);
	np_search_base_dispose(&next);
	dg[7][1]--;
	np_str events1[] = {NP_STR("别的活动")};
	d[3].events = events1;
	next = build_inc(d, n + extra, &base, &o, false, 256);
	np_search_base_dispose(&next);
	d[3].events = events0;
	d[9].url = NP_STR("articles/y/index.html");
	next = build_inc(d, n + extra, &base, &o, false, 256);
	np_search_base_dispose(&next);
	d[9].url = d[8].url;
	next = build_inc(d, n + extra, &base, &o, true, 256);
	np_search_base_dispose(&next);
	/* digests or not, the same files */
	outdir with, plain;
	build(d, n + extra, 2, &with);
	for (size_t i = 0; i < n + extra; i++)
		d[i].digest = NULL;
	build(d, n + extra, 2, &plain);
	assert_same_files(&plain, &with);
	outdir_free(&with);
	outdir_free(&plain);
	np_search_base_dispose(&base);
	outdir_free(&o);
	for (size_t i = 0; i < n + extra; i++)
		np_buf_dispose(&bodies[i]);
	free(bodies);
	free(dg);
	free(d);
}

static void test_reader_errors(void **state)
{
	(void)state;
	np_search_posting *p = NULL;
	size_t n = 0;
	assert_int_equal(np_search_shard_lookup("XXXX", 4, NP_STR("a"), 1, &p, &n), NP_EINVAL);
	assert_int_equal(np_search_shard_lookup("NPS1", 4, NP_STR("a"), 1, &p, &n), NP_ENOENT);
	/* token length beyond the end */
	assert_int_equal(np_search_shard_lookup("NPS1\x09"
	                                        "a",
	                                        6, NP_STR("a"), 1, &p, &n),
	                 NP_EINVAL);
	/* a posting for document 5 of 1 */
	assert_int_equal(np_search_shard_lookup("NPS1\x01"
	                                        "a\x01\x00\x01\x28",
	                                        10, NP_STR("a"), 1, &p, &n),
	                 NP_EINVAL);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_files_and_postings),
	    cmocka_unit_test(test_bitmap_round_trip),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_append_touches_few_shards),
	    cmocka_unit_test(test_incremental),
	    cmocka_unit_test(test_incremental_digests),
	    cmocka_unit_test(test_reader_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
