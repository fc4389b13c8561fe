/* The inverted index: documents -> token postings -> shard files.
 *
 * Phase 1 (parallel over documents): each document's tokens with their
 * term frequency and heading flag, sorted by (shard, token) into a compact
 * record block.  Phase 2 (parallel over shard ranges): every range walks
 * all documents in number order and appends their postings, so a shard's
 * bytes depend only on the documents, never on the thread count.
 *
 * Token entry in a shard file (after the "NPS1" magic, entries sorted by
 * token bytes):
 *   varint token length, token bytes, varint df, byte kind,
 *   varint payload length, payload.
 * List payload (kind 0): per document in number order a varint
 *   ((doc - previous doc - 1) << 3 | heading << 2 | tf bucket),
 *   previous doc starting at -1; tf bucket 0: once, 1: 2-3, 2: 4-7, 3: 8+.
 * Bitmap payload (kind 1), used when smaller: varint B, then B bytes where
 *   doc d is bit d % 8 of byte d / 8 (B = last doc / 8 + 1, so the bytes do
 *   not change when later documents without the token are added); then a
 *   varint count and the gap-coded (gap - 1) numbers of the documents where
 *   it is in a heading.  Frequent tokens ("工作", "社会") cost at most N / 8
 *   bytes whatever their df.
 * Absent payload (kind 2), used when smaller still (tokens in most
 *   documents): varint R = last doc + 1, varint count and the gap-coded
 *   (gap - 1) numbers of the documents in [0, R) without the token, then
 *   the heading documents as in a bitmap payload. */
#include <stdlib.h>

#include "search/internal.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/pool.h"
#include "util/strmap.h"

/* A token of one document while it is being tokenised. */
typedef struct dtok {
	np_str tok;
	uint32_t shard;
	uint32_t tf;
	bool head;
} dtok;

/* One document's records: [u16 shard][u8 len][u8 flags][token], sorted by
 * (shard, token); poff[k] is where partition k starts (poff[P] = len). */
typedef struct docrec {
	unsigned char *p;
	uint32_t *poff;
} docrec;

typedef struct tok_worker {
	np_search_tokenizer *tk;
	np_arena arena;
	np_strmap map;
	dtok *toks;
	size_t n, cap;
	bool head;
	uint32_t n_shards;
} tok_worker;

typedef struct part part;

typedef struct shards_ctx {
	const np_search_doc *docs;
	size_t n;
	uint32_t n_shards, n_parts;
	tok_worker *w;
	docrec *recs;
	np_search_write_fn write;
	void *wctx;
	int *rc;               /* per partition */
	size_t *files, *bytes; /* per partition */
	size_t *tokens, *postings;
	part *parts; /* per partition, between phase 2 and phase 3 */
} shards_ctx;

static void add_tok(tok_worker *w, np_str tok)
{
	size_t i;
	if (np_strmap_get(&w->map, tok, &i)) {
		w->toks[i].tf++;
		w->toks[i].head |= w->head;
		return;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->toks = np_xrealloc(w->toks, np_mul(w->cap, sizeof *w->toks));
	}
	np_str k = np_arena_str(&w->arena, tok);
	w->toks[w->n] = (dtok){k, np_search_shard_of(k, w->n_shards), 1, w->head};
	np_strmap_put(&w->map, k, w->n++);
}

static void on_token(void *ctx, np_str tok, enum np_tok_kind kind)
{
	(void)kind;
	if (tok.len <= NP_TOK_MAX)
		add_tok(ctx, tok);
}

/* Filter tokens: "r:" + every prefix of every region path, "e:" + event,
 * "i:" + issue. */
static void add_filters(tok_worker *w, const np_search_doc *doc)
{
	char tmp[NP_TOK_MAX + 3];
	w->head = false;
	for (size_t i = 0; i < doc->n_regions; i++) {
		np_str r = doc->regions[i];
		for (size_t k = 1; k <= r.len; k++) {
			if ((k < r.len && r.p[k] != '/') || k + 2 > sizeof tmp)
				continue;
			memcpy(tmp, "r:", 2);
			memcpy(tmp + 2, r.p, k);
			add_tok(w, (np_str){tmp, k + 2});
		}
	}
	for (size_t i = 0; i < doc->n_events + 1; i++) {
		np_str v = i < doc->n_events ? doc->events[i] : doc->issue;
		if (!v.len || v.len + 2 > sizeof tmp)
			continue;
		memcpy(tmp, i < doc->n_events ? "e:" : "i:", 2);
		memcpy(tmp + 2, v.p, v.len);
		add_tok(w, (np_str){tmp, v.len + 2});
	}
}

static void tokenize_doc(tok_worker *w, const np_search_doc *doc)
{
	const np_str heads[] = {doc->title, doc->kicker, doc->subtitle};
	w->head = true;
	for (size_t i = 0; i < 3; i++)
		np_search_tokenize(w->tk, heads[i], NP_TOK_UNIGRAMS, on_token, w);
	w->head = false;
	for (size_t i = 0; i < doc->n_authors; i++)
		np_search_tokenize(w->tk, doc->authors[i], NP_TOK_UNIGRAMS, on_token, w);
	np_search_tokenize(w->tk, doc->body, 0, on_token, w);
	add_filters(w, doc);
}

/* By shard, then token bytes (the order of a shard file). */
static int cmp_dtok(const void *a, const void *b)
{
	const dtok *x = a, *y = b;
	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	size_t n = x->tok.len < y->tok.len ? x->tok.len : y->tok.len;
	int c = memcmp(x->tok.p, y->tok.p, n);
	return c ? c : (x->tok.len > y->tok.len) - (x->tok.len < y->tok.len);
}

/* By shard only: phase 1 just groups a document's tokens by partition
 * (phase 2 sorts each shard's tokens, and a token occurs once per
 * document, so the order inside a group never shows in the output). */
static int cmp_shard(const void *a, const void *b)
{
	const dtok *x = a, *y = b;
	return (x->shard > y->shard) - (x->shard < y->shard);
}

static uint8_t flags_of(const dtok *t)
{
	uint8_t b = t->tf == 1 ? 0 : t->tf <= 3 ? 1 : t->tf <= 7 ? 2 : 3;
	return (uint8_t)(b | (t->head ? 4 : 0));
}

/* Serialises the worker's sorted tokens into rec (see docrec). */
static void pack_doc(const shards_ctx *c, tok_worker *w, docrec *rec)
{
	if (w->n)
		qsort(w->toks, w->n, sizeof *w->toks, cmp_shard);
	size_t len = 0;
	for (size_t i = 0; i < w->n; i++)
		len += 4 + w->toks[i].tok.len;
	rec->p = np_xmalloc(len ? len : 1);
	rec->poff = np_xmalloc(np_mul(c->n_parts + 1, sizeof *rec->poff));
	uint32_t per = c->n_shards / c->n_parts, pi = 0, at = 0;
	for (size_t i = 0; i < w->n; i++) {
		const dtok *t = &w->toks[i];
		while (pi <= t->shard / per)
			rec->poff[pi++] = at;
		unsigned char *q = rec->p + at;
		q[0] = (unsigned char)(t->shard & 0xFF);
		q[1] = (unsigned char)(t->shard >> 8);
		q[2] = (unsigned char)t->tok.len;
		q[3] = flags_of(t);
		memcpy(q + 4, t->tok.p, t->tok.len);
		at += 4 + (uint32_t)t->tok.len;
	}
	while (pi <= c->n_parts)
		rec->poff[pi++] = at;
}

static void phase1(void *vctx, size_t i, unsigned wid)
{
	shards_ctx *c = vctx;
	tok_worker *w = &c->w[wid];
	w->n = 0;
	np_strmap_init(&w->map);
	tokenize_doc(w, &c->docs[i]);
	pack_doc(c, w, &c->recs[i]);
	np_strmap_dispose(&w->map);
	np_arena_dispose(&w->arena);
}

/* ---- phase 2: postings per shard range ---------------------------------- */

typedef struct builder {
	np_str tok;
	uint32_t shard;
	uint32_t df;
	int64_t last;
	np_buf post;  /* list form, while collecting */
	np_buf entry; /* the encoded shard entry */
	bool hot;     /* written to a file of its own (see select_hot) */
} builder;

struct part {
	builder *b;
	size_t n, cap;
	np_strmap map;
};

static builder *builder_of(part *pt, np_str tok, uint32_t shard)
{
	size_t i;
	if (np_strmap_get(&pt->map, tok, &i))
		return &pt->b[i];
	if (pt->n == pt->cap) {
		pt->cap = pt->cap ? pt->cap * 2 : 1024;
		pt->b = np_xrealloc(pt->b, np_mul(pt->cap, sizeof *pt->b));
	}
	builder *b = &pt->b[pt->n];
	*b = (builder){tok, shard, 0, -1, {0}, {0}, false};
	np_buf_init(&b->post);
	np_buf_init(&b->entry);
	np_strmap_put(&pt->map, tok, pt->n++);
	return b;
}

static void collect(const shards_ctx *c, part *pt, uint32_t k)
{
	for (size_t d = 0; d < c->n; d++) {
		const docrec *r = &c->recs[d];
		for (uint32_t at = r->poff[k]; at < r->poff[k + 1];) {
			const unsigned char *q = r->p + at;
			uint32_t shard = (uint32_t)q[0] | (uint32_t)q[1] << 8;
			np_str tok = {(const char *)q + 4, q[2]};
			builder *b = builder_of(pt, tok, shard);
			uint64_t gap = (uint64_t)((int64_t)d - b->last - 1);
			np_search_put_varint(&b->post, gap << 3 | q[3]);
			b->last = (int64_t)d;
			b->df++;
			at += 4 + q[2];
		}
	}
}

static int cmp_builder(const void *a, const void *b)
{
	dtok x = {((const builder *)a)->tok, ((const builder *)a)->shard, 0, 0};
	dtok y = {((const builder *)b)->tok, ((const builder *)b)->shard, 0, 0};
	return cmp_dtok(&x, &y);
}

/* A token's postings decoded from its list form. */
typedef struct decoded {
	uint32_t *doc;
	uint8_t *flags;
	size_t n;
} decoded;

static void decode_list(const builder *b, decoded *d)
{
	d->doc = np_xmalloc(np_mul(b->df + 1, sizeof *d->doc));
	d->flags = np_xmalloc(b->df + 1);
	d->n = 0;
	size_t pos = 0;
	uint64_t v, doc = (uint64_t)-1;
	while (np_search_get_varint((const unsigned char *)b->post.data, b->post.len, &pos, &v)) {
		doc += (v >> 3) + 1;
		d->doc[d->n] = (uint32_t)doc;
		d->flags[d->n++] = (uint8_t)(v & 7);
	}
}

/* The heading documents: varint count, then gap-coded (gap - 1). */
static void put_heads(np_buf *out, const decoded *d)
{
	size_t nh = 0;
	for (size_t i = 0; i < d->n; i++)
		nh += (d->flags[i] & 4) != 0;
	np_search_put_varint(out, nh);
	uint64_t last = (uint64_t)-1;
	for (size_t i = 0; i < d->n; i++)
		if (d->flags[i] & 4) {
			np_search_put_varint(out, d->doc[i] - last - 1);
			last = d->doc[i];
		}
}

/* Bitmap form (kind 1): varint B, B bytes, heads. */
static void put_bitmap(np_buf *out, const decoded *d)
{
	size_t nb = d->doc[d->n - 1] / 8 + 1;
	np_search_put_varint(out, nb);
	np_buf_grow(out, nb);
	unsigned char *bits = (unsigned char *)out->data + out->len;
	memset(bits, 0, nb);
	for (size_t i = 0; i < d->n; i++)
		bits[d->doc[i] / 8] |= (unsigned char)(1u << (d->doc[i] % 8));
	out->len += nb;
	put_heads(out, d);
}

/* Absent form (kind 2): varint R (last doc + 1), varint count of the
 * documents in [0, R) without the token, their gap-coded (gap - 1)
 * numbers, heads. */
static void put_absent(np_buf *out, const decoded *d)
{
	uint32_t r = d->doc[d->n - 1] + 1;
	np_search_put_varint(out, r);
	np_search_put_varint(out, r - d->n);
	uint64_t last = (uint64_t)-1, doc = 0;
	for (size_t i = 0; i <= d->n; i++) {
		uint32_t upto = i < d->n ? d->doc[i] : r;
		for (; doc < upto; doc++) {
			np_search_put_varint(out, doc - last - 1);
			last = doc;
		}
		doc = upto + 1;
	}
	put_heads(out, d);
}

/* Writes the entry's kind byte and payload in its smallest form; tmp and
 * tmp2 are scratch. */
static void put_payload(const builder *b, np_buf *out, np_buf *tmp, np_buf *tmp2)
{
	const np_buf *pay = &b->post;
	int kind = NP_POST_LIST;
	if (b->post.len > (size_t)b->last / 8) { /* a bitmap may be smaller */
		decoded d;
		decode_list(b, &d);
		np_buf_clear(tmp);
		np_buf_clear(tmp2);
		put_bitmap(tmp, &d);
		put_absent(tmp2, &d);
		free(d.doc);
		free(d.flags);
		if (tmp->len < pay->len)
			pay = tmp, kind = NP_POST_BITMAP;
		if (tmp2->len < pay->len)
			pay = tmp2, kind = NP_POST_ABSENT;
	}
	np_buf_putc(out, (char)kind);
	np_search_put_varint(out, pay->len);
	np_buf_putstr(out, np_str_of(pay));
}

static void encode_entry(const builder *b, np_buf *out, np_buf *tmp, np_buf *tmp2)
{
	np_search_put_varint(out, b->tok.len);
	np_buf_putstr(out, b->tok);
	np_search_put_varint(out, b->df);
	put_payload(b, out, tmp, tmp2);
}

static void put_file(shards_ctx *c, uint32_t k, const char *rel, const np_buf *data)
{
	int rc = c->write(c->wctx, rel, data->data, data->len);
	if (rc < 0 && !c->rc[k])
		c->rc[k] = rc;
	c->files[k]++;
	c->bytes[k] += data->len;
}

/* hot/XXXXXXXX.bin: one token's entry after the magic; the name is the
 * FNV-1a 32 hash of the token. */
static void write_hot(shards_ctx *c, uint32_t k, const builder *b)
{
	np_buf out;
	np_buf_init(&out);
	np_buf_puts(&out, NP_SHARD_MAGIC);
	np_buf_putstr(&out, np_str_of(&b->entry));
	char rel[40];
	snprintf(rel, sizeof rel, "search/hot/%08x.bin", (unsigned)np_search_fnv32(b->tok));
	put_file(c, k, rel, &out);
	np_buf_dispose(&out);
}

/* Writes shards [s0, s1) from the sorted, encoded builders of pt. */
static void write_range(shards_ctx *c, part *pt, uint32_t k, uint32_t s0, uint32_t s1)
{
	np_buf out;
	np_buf_init(&out);
	size_t i = 0;
	for (uint32_t s = s0; s < s1; s++) {
		np_buf_clear(&out);
		np_buf_puts(&out, NP_SHARD_MAGIC);
		for (; i < pt->n && pt->b[i].shard == s; i++) {
			c->postings[k] += pt->b[i].df;
			if (pt->b[i].hot)
				write_hot(c, k, &pt->b[i]);
			else
				np_buf_putstr(&out, np_str_of(&pt->b[i].entry));
		}
		char rel[40];
		snprintf(rel, sizeof rel, "search/shards/%03x.bin", (unsigned)s);
		put_file(c, k, rel, &out);
	}
	np_buf_dispose(&out);
}

/* Phase 2: the postings of partition k, sorted and encoded. */
static void phase2(void *vctx, size_t k, unsigned wid)
{
	(void)wid;
	shards_ctx *c = vctx;
	part *pt = &c->parts[k];
	np_strmap_init(&pt->map);
	collect(c, pt, (uint32_t)k);
	if (pt->n)
		qsort(pt->b, pt->n, sizeof *pt->b, cmp_builder);
	np_buf tmp, tmp2;
	np_buf_init(&tmp);
	np_buf_init(&tmp2);
	for (size_t i = 0; i < pt->n; i++) {
		encode_entry(&pt->b[i], &pt->b[i].entry, &tmp, &tmp2);
		np_buf_dispose(&pt->b[i].post);
	}
	np_buf_dispose(&tmp);
	np_buf_dispose(&tmp2);
	np_strmap_dispose(&pt->map);
	c->tokens[k] = pt->n;
}

/* Phase 3: the files of partition k. */
static void phase3(void *vctx, size_t k, unsigned wid)
{
	(void)wid;
	shards_ctx *c = vctx;
	part *pt = &c->parts[k];
	uint32_t per = c->n_shards / c->n_parts;
	write_range(c, pt, (uint32_t)k, (uint32_t)k * per, (uint32_t)(k + 1) * per);
	for (size_t i = 0; i < pt->n; i++)
		np_buf_dispose(&pt->b[i].entry);
	free(pt->b);
}

static int cmp_hot(const void *a, const void *b)
{
	const builder *x = *(builder *const *)a, *y = *(builder *const *)b;
	if (x->entry.len != y->entry.len)
		return x->entry.len > y->entry.len ? -1 : 1;
	dtok p = {x->tok, 0, 0, 0}, q = {y->tok, 0, 0, 0};
	return cmp_dtok(&p, &q);
}

static int cmp_tok(const void *a, const void *b)
{
	dtok p = {(*(builder *const *)a)->tok, 0, 0, 0}, q = {(*(builder *const *)b)->tok, 0, 0, 0};
	return cmp_dtok(&p, &q);
}

/* NP_HOT_MIN, or NEWSPRINT_SEARCH_HOT_MIN from the environment: the tests
 * set it low so that the sample site, far too small for real hot tokens,
 * exercises the page's hot/ path too. */
static size_t hot_min(void)
{
	const char *e = getenv("NEWSPRINT_SEARCH_HOT_MIN");
	long v = e && *e ? strtol(e, NULL, 10) : 0;
	return v > 0 ? (size_t)v : NP_HOT_MIN;
}

/* The largest entries (at least NP_HOT_MIN bytes, at most n_shards / 2 of
 * them, distinct file names) get files of their own, so a query for a
 * frequent bigram fetches that token alone rather than a shard of several
 * frequent ones.  Appends their JSON list, by token bytes, to hot_json. */
static void select_hot(shards_ctx *c, np_buf *hot_json)
{
	builder **all = NULL;
	size_t n = 0, min = hot_min();
	for (uint32_t k = 0; k < c->n_parts; k++)
		for (size_t i = 0; i < c->parts[k].n; i++)
			if (c->parts[k].b[i].entry.len >= min) {
				all = np_xrealloc(all, np_mul(n + 1, sizeof *all));
				all[n++] = &c->parts[k].b[i];
			}
	if (n)
		qsort(all, n, sizeof *all, cmp_hot);
	size_t kept = 0;
	np_strmap names;
	np_strmap_init(&names);
	char(*name)[9] = np_xcalloc(c->n_shards / 2 + 1, sizeof *name);
	for (size_t i = 0; i < n && kept < c->n_shards / 2; i++) {
		size_t dup;
		snprintf(name[kept], 9, "%08x", (unsigned)np_search_fnv32(all[i]->tok));
		if (np_strmap_get(&names, np_str_from(name[kept]), &dup))
			continue; /* a hash collision: stays in its shard */
		np_strmap_put(&names, np_str_from(name[kept]), i);
		all[i]->hot = true;
		all[kept++] = all[i];
	}
	if (kept)
		qsort(all, kept, sizeof *all, cmp_tok);
	np_buf_putc(hot_json, '[');
	for (size_t i = 0; i < kept; i++) {
		np_buf_puts(hot_json, i ? "," : "");
		np_search_json_str(hot_json, all[i]->tok);
	}
	np_buf_putc(hot_json, ']');
	np_strmap_dispose(&names);
	free(name);
	free(all);
}

static void shards_free(shards_ctx *c, unsigned threads)
{
	for (unsigned k = 0; k < threads; k++) {
		np_search_tokenizer_free(c->w[k].tk);
		free(c->w[k].toks);
	}
	for (size_t i = 0; i < c->n; i++) {
		free(c->recs[i].p);
		free(c->recs[i].poff);
	}
	free(c->w);
	free(c->recs);
	free(c->rc);
	free(c->files);
	free(c->parts);
}

int np_search_write_shards(const np_search_doc *docs, size_t n, uint32_t n_shards,
                           np_search_write_fn write, void *wctx, unsigned threads,
                           np_search_stats *st, np_buf *hot_json)
{
	threads = threads ? threads : 1;
	uint32_t parts = n_shards < 64 ? n_shards : 64;
	shards_ctx c = {.docs = docs,
	                .n = n,
	                .n_shards = n_shards,
	                .n_parts = parts,
	                .write = write,
	                .wctx = wctx};
	c.w = np_xcalloc(threads, sizeof *c.w);
	for (unsigned k = 0; k < threads; k++) {
		c.w[k].tk = np_search_tokenizer_new();
		c.w[k].n_shards = n_shards;
		np_arena_init(&c.w[k].arena);
	}
	c.recs = np_xcalloc(n ? n : 1, sizeof *c.recs);
	c.rc = np_xcalloc(parts, sizeof *c.rc);
	c.files = np_xcalloc(np_mul(parts, 4), sizeof *c.files);
	c.bytes = c.files + parts;
	c.tokens = c.files + 2 * (size_t)parts;
	c.postings = c.files + 3 * (size_t)parts;
	c.parts = np_xcalloc(parts, sizeof *c.parts);
	np_pool_for(threads, n, phase1, &c);
	np_pool_for(threads, parts, phase2, &c);
	select_hot(&c, hot_json);
	np_pool_for(threads, parts, phase3, &c);
	int rc = 0;
	for (uint32_t k = 0; k < parts; k++) {
		rc = rc ? rc : c.rc[k];
		st->files += c.files[k];
		st->bytes += c.bytes[k];
		st->tokens += c.tokens[k];
		st->postings += c.postings[k];
	}
	shards_free(&c, threads);
	return rc;
}
