/* The search index at archive scale: for synthetic archives of 10,000 and
 * 100,000 articles (or the sizes given), the index build time, its size and
 * file count, and the bytes a browser downloads for typical queries.
 *
 * Articles are recombined from the sample's raw pages (content/issues/):
 * a title and 4-14 paragraphs, each a random slice of 60-400 characters of
 * the sample text; regions from 31 provinces x 8 prefectures x 6 counties;
 * one event in five articles from 2,000; 30 articles per weekly issue.
 *
 * Then the build after one new issue of 40 articles, with the base of the
 * first build kept (the files it writes are counted, not kept).
 *
 * A query's bytes are what search.js fetches for the first page of ten
 * results: meta.json, the shards of its tokens and the docs/ files of the
 * ten ("total"); then ("+pages") the article pages it checks the query
 * against and cuts snippets from: the ten shown, or every candidate when
 * there are at most 20, estimated as title + body + PAGE_HTML bytes of
 * template (the sample's article pages carry about that much).
 *
 *   ./bench/bench_search [n-articles ...] */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "search/internal.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/strmap.h"
#include "util/utf8.h"

#define PAGE 10
#define VERIFY_ALL 20
#define PAGE_HTML 3500

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: the same archive on every run. */
static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
	return (rng * 2685821657736338717ull) % n;
}

/* ---- the sample text ----------------------------------------------------- */

typedef struct corpus {
	np_buf text;    /* every non-blank line of the sample pages, concatenated */
	size_t *cp_off; /* byte offset of each code point */
	size_t n_cp;
} corpus;

static void load_corpus(corpus *c)
{
	np_buf_init(&c->text);
	static const char *const issues[] = {"2022-08-23", "2022-08-30", "2022-11-08", "2023-03-21",
	                                     "2023-12-12"};
	for (size_t i = 0; i < 5; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/content/issues/%s/07.txt", NP_SOURCE_DIR,
		         issues[i]);
		np_buf raw;
		np_buf_init(&raw);
		if (np_fs_read(path, &raw) == 0)
			for (size_t k = 0; k < raw.len; k++)
				if (raw.data[k] != '\n' && raw.data[k] != ' ' &&
				    raw.data[k] != '\r')
					np_buf_putc(&c->text, raw.data[k]);
		np_buf_dispose(&raw);
	}
	c->cp_off = np_xmalloc(np_mul(c->text.len + 1, sizeof *c->cp_off));
	c->n_cp = 0;
	for (size_t i = 0; i < c->text.len;) {
		uint32_t cp;
		c->cp_off[c->n_cp++] = i;
		i += np_utf8_decode(c->text.data + i, c->text.len - i, &cp);
	}
	c->cp_off[c->n_cp] = c->text.len;
}

static void slice(const corpus *c, np_buf *out, size_t min_cp, size_t max_cp)
{
	size_t len = min_cp + rnd(max_cp - min_cp + 1);
	size_t a = rnd(c->n_cp - len);
	np_buf_put(out, c->text.data + c->cp_off[a], c->cp_off[a + len] - c->cp_off[a]);
}

/* ---- the synthetic archive --------------------------------------------- */

static const char *const provinces[] = {
    "北京市",          "天津市",         "河北省", "山西省", "内蒙古自治区", "辽宁省",
    "吉林省",          "黑龙江省",       "上海市", "江苏省", "浙江省",       "安徽省",
    "福建省",          "江西省",         "山东省", "河南省", "湖北省",       "湖南省",
    "广东省",          "广西壮族自治区", "海南省", "重庆市", "四川省",       "贵州省",
    "云南省",          "西藏自治区",     "陕西省", "甘肃省", "青海省",       "宁夏回族自治区",
    "新疆维吾尔自治区"};

typedef struct archive {
	np_search_doc *docs;
	np_buf *store; /* per article: title \0 body \0 region \0 event \0 url */
	np_str *regions, *events;
	size_t n;
} archive;

static void make_doc(const corpus *c, archive *ar, size_t i)
{
	np_buf *b = &ar->store[i];
	np_buf_init(b);
	size_t offs[6];
	offs[0] = 0;
	slice(c, b, 8, 24);
	np_buf_putc(b, '\0');
	offs[1] = b->len;
	for (size_t p = 0, n = 4 + rnd(11); p < n; p++) {
		slice(c, b, 60, 400);
		np_buf_puts(b, p + 1 < n ? "\n\n" : "");
	}
	np_buf_putc(b, '\0');
	offs[2] = b->len;
	np_buf_printf(b, "%s/第%d市/第%d县", provinces[rnd(31)], (int)rnd(8) + 1, (int)rnd(6) + 1);
	np_buf_putc(b, '\0');
	offs[3] = b->len;
	np_buf_printf(b, "第%d次专题活动", (int)rnd(2000));
	np_buf_putc(b, '\0');
	offs[4] = b->len;
	long day = 14000 + (long)(i / 30) * 7;
	np_date d = np_date_from_days(day);
	np_buf_printf(
	    b, "articles/%04d-%02d-%02d/article-slug-%zu-zhong-guo-she-hui-gong-zuo/index.html",
	    d.y, d.m, d.d, i);
	offs[5] = b->len;
	np_str s[5];
	for (int k = 0; k < 5; k++)
		s[k] = (np_str){b->data + offs[k], offs[k + 1] - offs[k] - (k < 4)};
	ar->regions[i] = s[2];
	ar->events[i] = s[3];
	ar->docs[i] = (np_search_doc){.title = s[0],
	                              .body = s[1],
	                              .regions = &ar->regions[i],
	                              .n_regions = 1,
	                              .events = &ar->events[i],
	                              .n_events = rnd(5) == 0,
	                              .date = d,
	                              .url = s[4]};
}

static void make_archive(const corpus *c, archive *ar, size_t n)
{
	ar->n = n;
	ar->docs = np_xcalloc(n, sizeof *ar->docs);
	ar->store = np_xcalloc(n, sizeof *ar->store);
	ar->regions = np_xcalloc(n, sizeof *ar->regions);
	ar->events = np_xcalloc(n, sizeof *ar->events);
	for (size_t i = 0; i < n; i++)
		make_doc(c, ar, i);
}

static void free_archive(archive *ar)
{
	for (size_t i = 0; i < ar->n; i++)
		np_buf_dispose(&ar->store[i]);
	free(ar->docs);
	free(ar->store);
	free(ar->regions);
	free(ar->events);
}

/* ---- the index in memory ---------------------------------------------- */

typedef struct mem {
	np_strmap map; /* rel -> index into files */
	char **rel;
	np_buf *data;
	size_t n, cap;
	pthread_mutex_t lock;
} mem;

static int put(void *ctx, const char *rel, const void *data, size_t len)
{
	mem *m = ctx;
	pthread_mutex_lock(&m->lock);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->rel = np_xrealloc(m->rel, np_mul(m->cap, sizeof *m->rel));
		m->data = np_xrealloc(m->data, np_mul(m->cap, sizeof *m->data));
	}
	m->rel[m->n] = np_xstrndup(rel, strlen(rel));
	np_buf_init(&m->data[m->n]);
	np_buf_put(&m->data[m->n], data, len);
	m->n++;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

static void index_map(mem *m)
{
	np_strmap_init(&m->map);
	for (size_t i = 0; i < m->n; i++)
		np_strmap_put(&m->map, np_str_from(m->rel[i]), i);
}

static const np_buf *file_of(const mem *m, const char *rel)
{
	size_t i;
	return np_strmap_get(&m->map, np_str_from(rel), &i) ? &m->data[i] : NULL;
}

static void free_mem(mem *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->rel[i]);
		np_buf_dispose(&m->data[i]);
	}
	free(m->rel);
	free(m->data);
	np_strmap_dispose(&m->map);
}

/* ---- a query, as search.js runs it ---------------------------------------- */

typedef struct hit {
	uint32_t doc;
	unsigned head, tf;
} hit;

typedef struct query_cost {
	size_t shard_bytes, n_shards, docs_bytes, page_bytes, hits;
} query_cost;

typedef struct toklist {
	char tok[16][NP_TOK_MAX + 1];
	size_t n;
} toklist;

static void on_tok(void *ctx, np_str tok, enum np_tok_kind kind)
{
	toklist *l = ctx;
	if (kind == NP_TOK_WORD || l->n == 16)
		return;
	memcpy(l->tok[l->n], tok.p, tok.len);
	l->tok[l->n++][tok.len] = '\0';
}

/* The file search.js fetches for tok in one segment (dir "" for the
 * base, "tail/"): its hot/ file when it has one (meta.json lists those),
 * else its shard.  *id numbers it for `seen`. */
static const np_buf *file_for(const mem *m, const char *dir, uint32_t n_shards, const char *tok,
                              size_t *id)
{
	char rel[64];
	size_t base = *dir ? 2048 + 4096 : 0;
	snprintf(rel, sizeof rel, "search/%shot/%08x.bin", dir,
	         (unsigned)np_search_fnv32(np_str_from(tok)));
	const np_buf *f = file_of(m, rel);
	if (f && np_str_find(np_str_of(f), np_str_from(tok)) != (size_t)-1) {
		*id = base + 2048 + (np_search_fnv32(np_str_from(tok)) % 4096);
		return f;
	}
	uint32_t s = np_search_shard_of(np_str_from(tok), n_shards);
	snprintf(rel, sizeof rel, "search/%sshards/%03x.bin", dir, (unsigned)s);
	*id = base + s;
	return file_of(m, rel);
}

/* Postings of tok in the base and the tail (after B = np_search_base_docs
 * documents), counting each file once into qc. */
static np_search_posting *postings(const mem *m, size_t n_docs, const char *tok, size_t *n,
                                   bool *seen, query_cost *qc)
{
	size_t b = np_search_base_docs(n_docs);
	np_search_posting *p = NULL;
	*n = 0;
	for (int seg = 0; seg < 2 && (seg == 0 || b < n_docs); seg++) {
		size_t id;
		const np_buf *f = file_for(
		    m, seg ? "tail/" : "",
		    seg ? np_search_tail_shards(n_docs - b) : np_search_n_shards(b), tok, &id);
		if (!seen[id]) {
			seen[id] = true;
			qc->shard_bytes += f->len;
			qc->n_shards++;
		}
		np_search_shard_lookup(f->data, f->len, np_str_from(tok), n_docs, &p, n);
	}
	return p;
}

/* hits := hits ∩ p (hits NULL: p), heading and tf as search.js. */
static hit *narrow(hit *h, size_t *nh, const np_search_posting *p, size_t np, bool first)
{
	if (first) {
		h = np_xrealloc(h, np_mul(np + 1, sizeof *h));
		for (size_t i = 0; i < np; i++)
			h[i] = (hit){p[i].doc, (p[i].flags >> 2) & 1, (p[i].flags & 3) + 1u};
		*nh = np;
		return h;
	}
	size_t i = 0, k = 0, out = 0;
	while (i < *nh && k < np) {
		if (h[i].doc < p[k].doc) {
			i++;
		} else if (h[i].doc > p[k].doc) {
			k++;
		} else {
			unsigned tf = (p[k].flags & 3) + 1u;
			h[out++] = (hit){h[i].doc, h[i].head & ((p[k].flags >> 2) & 1),
			                 h[i].tf < tf ? h[i].tf : tf};
			i++, k++;
		}
	}
	*nh = out;
	return h;
}

static int cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	if (x->head != y->head)
		return x->head > y->head ? -1 : 1;
	if (x->tf != y->tf)
		return x->tf > y->tf ? -1 : 1;
	return x->doc > y->doc ? -1 : 1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Bytes of the docs/ or text/ files holding documents h[0, n). */
static size_t chunk_bytes(const mem *m, const char *dir, const hit *h, size_t n)
{
	uint32_t *k = np_xmalloc(np_mul(n + 1, sizeof *k));
	for (size_t i = 0; i < n; i++)
		k[i] = h[i].doc / NP_SEARCH_CHUNK;
	qsort(k, n, sizeof *k, cmp_u32);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && k[i] == k[i - 1])
			continue;
		char rel[48];
		snprintf(rel, sizeof rel, "search/%s/%04x.json", dir, (unsigned)k[i]);
		total += file_of(m, rel)->len;
	}
	free(k);
	return total;
}

/* Estimated bytes of the article pages of h[0, n). */
static size_t page_bytes(const np_search_doc *docs, const hit *h, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += docs[h[i].doc].title.len + docs[h[i].doc].body.len + PAGE_HTML;
	return total;
}

/* The bigrams search.js looks up for a Han term: 0, 2, 4, ... and the
 * last, which cover every character. */
static void cover(toklist *l)
{
	size_t nb = l->n, k = 0;
	for (size_t i = 0; i < nb; i += 2)
		memmove(l->tok[k++], l->tok[i], sizeof l->tok[i]);
	if (nb >= 2 && nb % 2 == 0)
		memmove(l->tok[k++], l->tok[nb - 1], sizeof l->tok[0]);
	l->n = k;
}

/* Runs query q (space-separated terms, quotes ignored) against the index
 * in m, as search.js does. */
static query_cost run_query(const mem *m, const np_search_doc *docs, size_t n_docs, const char *q,
                            np_search_tokenizer *tk)
{
	query_cost qc = {0};
	bool *seen = np_xcalloc(2 * (2048 + 4096), sizeof *seen);
	hit *h = NULL;
	size_t nh = 0;
	bool first = true;
	char *copy = np_xstrndup(q, strlen(q)), *save = NULL;
	qc.shard_bytes = file_of(m, "search/meta.json")->len;
	for (char *t = strtok_r(copy, " \"", &save); t; t = strtok_r(NULL, " \"", &save)) {
		toklist l = {.n = 0};
		np_search_tokenize(tk, np_str_from(t), 0, on_tok, &l);
		if (l.n == 0 && np_utf8_count(t, strlen(t)) == 1) {
			strcpy(l.tok[0], t);
			l.n = 1;
		}
		size_t cps = np_utf8_count(t, strlen(t));
		if (cps >= 3 && l.n == cps - 1)
			cover(&l); /* the dictionary-word lookup costs nothing extra */
		for (size_t i = 0; i < l.n; i++) {
			size_t np;
			np_search_posting *p = postings(m, n_docs, l.tok[i], &np, seen, &qc);
			h = narrow(h, &nh, p, np, first);
			first = false;
			free(p);
		}
	}
	qsort(h, nh, sizeof *h, cmp_hit);
	qc.hits = nh;
	size_t page = nh < PAGE ? nh : PAGE;
	qc.docs_bytes = chunk_bytes(m, "docs", h, page);
	qc.page_bytes = page_bytes(docs, h, nh <= VERIFY_ALL ? nh : page);
	free(h);
	free(copy);
	free(seen);
	return qc;
}

/* ---- the report --------------------------------------------------------- */

static const char *const queries[] = {
    "乡村振兴",      "社会工作 乡村振兴", "牵手计划", "\"社会工作服务机构\"",
    "社工站 全覆盖", "民政 养老 服务",    "2022",     "慈"};

static void sizes_by_dir(const mem *m, const char *dir, size_t *files, size_t *bytes, size_t *max)
{
	*files = *bytes = *max = 0;
	size_t dl = strlen(dir);
	for (size_t i = 0; i < m->n; i++)
		if (strncmp(m->rel[i], dir, dl) == 0) {
			(*files)++;
			*bytes += m->data[i].len;
			*max = m->data[i].len > *max ? m->data[i].len : *max;
		}
}

static void report_index(const mem *m, const np_search_stats *st, double secs, double cpu, size_t n)
{
	printf("\n== %zu articles: index built in %.2f s wall, %.2f s CPU, %u threads ==\n", n,
	       secs, cpu, np_pool_default_threads());
	printf("files %zu, %.1f MB; %zu distinct tokens, %zu postings, %u shards; base %zu, tail "
	       "%zu articles\n",
	       st->files, (double)st->bytes / 1e6, st->tokens, st->postings, (unsigned)st->shards,
	       st->base_docs, st->tail_docs);
	static const char *const dirs[] = {
	    "search/shards/",   "search/hot/",       "search/tail/",      "search/docs/",
	    "search/meta.json", "search/dates.json", "search/facets.json"};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		size_t files, bytes, max;
		sizes_by_dir(m, dirs[i], &files, &bytes, &max);
		printf("  %-20s %5zu files %9.1f KB  (largest %.1f KB)\n", dirs[i], files,
		       (double)bytes / 1e3, (double)max / 1e3);
	}
}

/* Terminal columns: a Han character takes two. */
static size_t display_width(const char *s)
{
	size_t len = strlen(s), cps = np_utf8_count(s, len);
	return cps + (len - cps) / 2;
}

static void report_queries(const mem *m, const np_search_doc *docs, size_t n)
{
	np_search_tokenizer *tk = np_search_tokenizer_new();
	printf("  %-26s %8s %7s %10s %10s %10s %12s\n", "query", "hits", "shards", "index KB",
	       "docs KB", "total KB", "+pages KB");
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		query_cost qc = run_query(m, docs, n, queries[i], tk);
		double idx = (double)qc.shard_bytes / 1e3, dk = (double)qc.docs_bytes / 1e3;
		printf("  %s%*s %8zu %7zu %10.1f %10.1f %10.1f %12.1f\n", queries[i],
		       (int)(26 - display_width(queries[i])), "", qc.hits, qc.n_shards, idx, dk,
		       idx + dk, (double)qc.page_bytes / 1e3);
	}
	np_search_tokenizer_free(tk);
}

/* Articles in the issue added for the incremental case. */
#define NEW_ISSUE 40

static int discard(void *ctx, const char *rel, const void *data, size_t len)
{
	(void)rel, (void)data;
	*(size_t *)ctx += len;
	return 0;
}

/* One new issue after the index of the first n articles: the build with
 * the previous base (a tail of NEW_ISSUE articles). */
static void bench_new_issue(const archive *ar, size_t n, const np_search_base *base)
{
	np_search_opts o = {.threads = np_pool_default_threads(), .prev = base};
	np_search_stats st;
	np_search_base next;
	size_t bytes = 0;
	double t0 = now(), c0 = (double)clock() / CLOCKS_PER_SEC;
	np_search_build_ex(ar->docs, n + NEW_ISSUE, &o, discard, &bytes, &st, &next);
	printf("one new issue (+%d articles): %.3f s wall, %.3f s CPU; base %s, %zu files "
	       "(%.1f KB) written\n",
	       NEW_ISSUE, now() - t0, (double)clock() / CLOCKS_PER_SEC - c0,
	       st.reused ? "kept" : "rebuilt", st.files, (double)bytes / 1e3);
	np_search_base_dispose(&next);
}

static void bench(const corpus *c, size_t n)
{
	archive ar;
	make_archive(c, &ar, n + NEW_ISSUE);
	mem m = {.n = 0};
	pthread_mutex_init(&m.lock, NULL);
	np_search_stats st;
	np_search_opts o = {.threads = np_pool_default_threads()};
	np_search_base base;
	double t0 = now(), c0 = (double)clock() / CLOCKS_PER_SEC;
	np_search_build_ex(ar.docs, n, &o, put, &m, &st, &base);
	double secs = now() - t0, cpu = (double)clock() / CLOCKS_PER_SEC - c0;
	index_map(&m);
	report_index(&m, &st, secs, cpu, n);
	bench_new_issue(&ar, n, &base);
	report_queries(&m, ar.docs, n);
	np_search_base_dispose(&base);
	free_mem(&m);
	pthread_mutex_destroy(&m.lock);
	free_archive(&ar);
}

int main(int argc, char **argv)
{
	corpus c;
	load_corpus(&c);
	if (c.n_cp < 1000) {
		fprintf(stderr, "bench_search: no sample text under %s/content/issues\n",
		        NP_SOURCE_DIR);
		return 1;
	}
	printf("sample text: %zu characters; a query fetches meta + shards + docs/ of the first %d "
	       "results (total), then the article pages it verifies and cuts snippets from "
	       "(+pages, estimated)\n",
	       c.n_cp, PAGE);
	if (argc > 1)
		for (int i = 1; i < argc; i++)
			bench(&c, (size_t)strtoul(argv[i], NULL, 10));
	else
		for (size_t n = 10000; n <= 100000; n *= 10)
			bench(&c, n);
	np_buf_dispose(&c.text);
	free(c.cp_off);
	return 0;
}
