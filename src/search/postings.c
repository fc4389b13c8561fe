/* The inverted index of one segment: documents -> token postings -> shard
 * files.
 *
 * Documents are taken in blocks of NP_BLOCK, in number order.  Phase 1
 * (parallel over the block's documents): each document's tokens with their
 * term frequency and heading flag, grouped by partition (a range of
 * shards) into a compact record block; the body is read here, one
 * document at a time, so the text of at most a block is in memory.
 * Phase 2 (parallel over partitions): the block's documents, in number
 * order, append their postings to their tokens' lists; the records of the
 * block are then freed.  Since documents arrive in number order, every
 * list is sorted as it grows: nothing is ever sorted by document.  Only
 * the distinct tokens of a shard are sorted once, for the file's order.
 * A shard's bytes depend only on the documents, never on the thread count.
 *
 * Token entry in a shard file (after the "NPS1" magic, entries sorted by
 * token bytes):
 *   varint token length, token bytes, varint df, byte kind,
 *   varint payload length, payload.
 * List payload (kind 0): per document in number order a varint
 *   ((doc - previous doc - 1) << 3 | heading << 2 | tf bucket),
 *   previous doc starting at -1; tf bucket 0: once, 1: 2-3, 2: 4-7, 3: 8+.
 *   Document numbers are the archive's, also in a tail segment (whose
 *   first gap is then large).
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
#include "util/utf8.h"

/* Documents per block: bounds the text and token records held at once. */
#define NP_BLOCK 1024

/* A token of one document while it is being tokenised. */
typedef struct dtok {
	np_str tok;
	uint64_t key;  /* a bigram's two code points (a << 21 | b), else 0 */
	uint32_t hash; /* np_search_fnv32(tok) */
	uint32_t shard;
	uint32_t tf;
	bool head;
} dtok;

/* One document's records: [u16 shard][u8 len][u8 flags][u32 hash][token],
 * grouped by partition; poff[k] is where partition k starts (poff[P] =
 * len). */
#define REC_HEAD 8
typedef struct docrec {
	unsigned char *p;
	uint32_t *poff;
} docrec;

/* Token hash tables (a document's tokens, a partition's builders): open
 * addressing over entry numbers + 1, at most half full; the entries keep
 * their hash, so a lookup rarely compares bytes and a growth never
 * rehashes them.  Tokens are counted once per occurrence in phase 1 and
 * once per document in phase 2: these lookups are most of the index's
 * work, hence no general-purpose map. */
typedef struct toktab {
	uint32_t *slot;
	size_t cap; /* a power of two, or 0 */
} toktab;

/* A bigram key's hash (Fibonacci hashing). */
static uint32_t key_hash(uint64_t key)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32);
}

/* Doubles t (or makes it 1024 slots) and re-enters those of the n entries
 * for which hash(ctx, i, &h) is true. */
typedef bool (*tab_hash_fn)(const void *ctx, size_t i, uint32_t *h);
static void tab_grow(toktab *t, size_t n, tab_hash_fn hash, const void *ctx)
{
	free(t->slot);
	t->cap = t->cap ? t->cap * 2 : 1024;
	t->slot = np_xcalloc(t->cap, sizeof *t->slot);
	for (size_t i = 0; i < n; i++) {
		uint32_t h;
		if (!hash(ctx, i, &h))
			continue;
		size_t k = h & (t->cap - 1);
		while (t->slot[k])
			k = (k + 1) & (t->cap - 1);
		t->slot[k] = (uint32_t)i + 1;
	}
}

/* A bigram's bytes and hash, remembered across documents (direct-mapped
 * by key): a document's new bigrams are mostly old ones of the archive. */
typedef struct bigram_memo {
	uint64_t key;
	uint32_t hash;
	uint8_t len;
	char bytes[8];
} bigram_memo;
#define MEMO_SIZE 8192

typedef struct tok_worker {
	np_search_tokenizer *tk;
	bigram_memo *memo; /* MEMO_SIZE entries */
	np_arena arena;
	toktab tab;  /* string tokens */
	toktab btab; /* bigrams, by key */
	dtok *toks;
	size_t n, cap;
	uint32_t *count; /* per partition, then the running offsets */
	np_buf body;     /* a body read through the body callback */
	bool head;
	uint32_t n_shards;
} tok_worker;

typedef struct part part;

typedef struct shards_ctx {
	const np_search_seg *seg;
	uint32_t n_shards, n_parts;
	size_t b0, b1; /* the current block: documents [b0, b1) */
	tok_worker *w;
	docrec *recs;          /* the block's, by document - b0 */
	int *rc;               /* per partition */
	size_t *files, *bytes; /* per partition */
	size_t *tokens, *postings;
	part *parts;
} shards_ctx;

static bool dtok_hash(const void *ctx, size_t i, uint32_t *h)
{
	const dtok *e = &((const tok_worker *)ctx)->toks[i];
	*h = e->hash;
	return !e->key;
}

static bool dtok_key_hash(const void *ctx, size_t i, uint32_t *h)
{
	const dtok *e = &((const tok_worker *)ctx)->toks[i];
	*h = key_hash(e->key);
	return e->key != 0;
}

/* A new token of the document (tok copied), in w->toks. */
static void push_tok(tok_worker *w, np_str tok, uint64_t key, uint32_t h, uint32_t shard)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->toks = np_xrealloc(w->toks, np_mul(w->cap, sizeof *w->toks));
	}
	np_str c = np_arena_str(&w->arena, tok);
	w->toks[w->n++] = (dtok){c, key, h, shard, 1, w->head};
}

/* Counts a Han bigram: its key is its two code points, so an occurrence
 * costs no string, no byte hash and no memcmp. */
static void add_bigram(void *ctx, uint32_t a, uint32_t b)
{
	tok_worker *w = ctx;
	uint64_t key = (uint64_t)a << 21 | b;
	size_t mask = w->btab.cap - 1, k = key_hash(key) & mask;
	for (uint32_t v; (v = w->btab.slot[k]) != 0; k = (k + 1) & mask) {
		dtok *e = &w->toks[v - 1];
		if (e->key == key) {
			e->tf++;
			e->head |= w->head;
			return;
		}
	}
	bigram_memo *m = &w->memo[key_hash(key) % MEMO_SIZE];
	if (m->key != key) {
		size_t len = np_utf8_encode(a, m->bytes);
		m->len = (uint8_t)(len + np_utf8_encode(b, m->bytes + len));
		m->hash = np_search_fnv32((np_str){m->bytes, m->len});
		m->key = key;
	}
	push_tok(w, (np_str){m->bytes, m->len}, key, m->hash, m->hash & (w->n_shards - 1));
	w->btab.slot[k] = (uint32_t)w->n;
	if (w->n * 2 >= w->btab.cap)
		tab_grow(&w->btab, w->n, dtok_key_hash, w);
}

/* Counts any other token (a bigram goes to add_bigram). */
static void add_tok(tok_worker *w, np_str tok, enum np_tok_kind kind)
{
	uint32_t h = np_search_fnv32(tok);
	size_t mask = w->tab.cap - 1, k = h & mask;
	for (uint32_t v; (v = w->tab.slot[k]) != 0; k = (k + 1) & mask) {
		dtok *e = &w->toks[v - 1];
		if (e->hash == h && np_str_eq(e->tok, tok)) {
			e->tf++;
			e->head |= w->head;
			return;
		}
	}
	/* only a dictionary word's shard is not its hash's (search.h) */
	uint32_t shard =
	    kind == NP_TOK_WORD ? np_search_shard_of(tok, w->n_shards) : h & (w->n_shards - 1);
	push_tok(w, tok, 0, h, shard);
	w->tab.slot[k] = (uint32_t)w->n;
	if (w->n * 2 >= w->tab.cap)
		tab_grow(&w->tab, w->n, dtok_hash, w);
}

static void on_token(void *ctx, np_str tok, enum np_tok_kind kind)
{
	if (kind == NP_TOK_BIGRAM) {
		uint32_t a, b;
		size_t k = np_utf8_decode(tok.p, tok.len, &a);
		np_utf8_decode(tok.p + k, tok.len - k, &b);
		add_bigram(ctx, a, b);
	} else if (tok.len <= NP_TOK_MAX) {
		add_tok(ctx, tok, kind);
	}
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
			add_tok(w, (np_str){tmp, k + 2}, NP_TOK_ALNUM);
		}
	}
	for (size_t i = 0; i < doc->n_events + 1; i++) {
		np_str v = i < doc->n_events ? doc->events[i] : doc->issue;
		if (!v.len || v.len + 2 > sizeof tmp)
			continue;
		memcpy(tmp, i < doc->n_events ? "e:" : "i:", 2);
		memcpy(tmp + 2, v.p, v.len);
		add_tok(w, (np_str){tmp, v.len + 2}, NP_TOK_ALNUM);
	}
}

/* Headings get unigrams and ICU dictionary words; bodies only bigrams and
 * letter runs (docs/search.md: the dictionary only adds a ranking bonus,
 * and on bodies it cost a third of the whole build). */
static void tokenize_doc(const np_search_seg *seg, tok_worker *w, size_t i)
{
	const np_search_doc *doc = &seg->docs[i];
	const np_str heads[] = {doc->title, doc->kicker, doc->subtitle};
	w->head = true;
	for (size_t k = 0; k < 3; k++)
		np_search_tokenize(w->tk, heads[k], NP_TOK_UNIGRAMS | NP_TOK_WORDS, on_token, w);
	w->head = false;
	for (size_t k = 0; k < doc->n_authors; k++)
		np_search_tokenize(w->tk, doc->authors[k], NP_TOK_UNIGRAMS, on_token, w);
	np_str body = doc->body;
	if (!body.p && seg->body) {
		np_buf_clear(&w->body);
		body = seg->body(seg->body_ctx, i, &w->body);
	}
	np_search_tokenize_body(w->tk, body, add_bigram, on_token, w);
	add_filters(w, doc);
}

static uint8_t flags_of(const dtok *t)
{
	uint8_t b = t->tf == 1 ? 0 : t->tf <= 3 ? 1 : t->tf <= 7 ? 2 : 3;
	return (uint8_t)(b | (t->head ? 4 : 0));
}

/* Serialises the worker's tokens into rec grouped by partition (a counting
 * sort: a token occurs once per document, so the order inside a group
 * never shows in the output). */
static void pack_doc(const shards_ctx *c, tok_worker *w, docrec *rec)
{
	uint32_t per = c->n_shards / c->n_parts, P = c->n_parts;
	memset(w->count, 0, (P + 1) * sizeof *w->count);
	for (size_t i = 0; i < w->n; i++)
		w->count[w->toks[i].shard / per + 1] += REC_HEAD + (uint32_t)w->toks[i].tok.len;
	rec->poff = np_xmalloc(np_mul(P + 1, sizeof *rec->poff));
	for (uint32_t k = 0; k < P; k++)
		w->count[k + 1] += w->count[k];
	memcpy(rec->poff, w->count, (P + 1) * sizeof *rec->poff);
	rec->p = np_xmalloc(w->count[P] ? w->count[P] : 1);
	for (size_t i = 0; i < w->n; i++) {
		const dtok *t = &w->toks[i];
		unsigned char *q = rec->p + w->count[t->shard / per];
		q[0] = (unsigned char)(t->shard & 0xFF);
		q[1] = (unsigned char)(t->shard >> 8);
		q[2] = (unsigned char)t->tok.len;
		q[3] = flags_of(t);
		memcpy(q + 4, &t->hash, 4);
		memcpy(q + REC_HEAD, t->tok.p, t->tok.len);
		w->count[t->shard / per] += REC_HEAD + (uint32_t)t->tok.len;
	}
}

static void phase1(void *vctx, size_t i, unsigned wid)
{
	shards_ctx *c = vctx;
	tok_worker *w = &c->w[wid];
	w->n = 0;
	memset(w->tab.slot, 0, w->tab.cap * sizeof *w->tab.slot);
	memset(w->btab.slot, 0, w->btab.cap * sizeof *w->btab.slot);
	tokenize_doc(c->seg, w, c->b0 + i);
	pack_doc(c, w, &c->recs[i]);
	np_arena_dispose(&w->arena);
}

/* ---- phase 2: postings per partition ------------------------------------ */

typedef struct builder {
	np_str tok; /* in the partition's arena */
	uint32_t hash;
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
	toktab tab;
	np_arena arena;
};

static bool builder_hash(const void *ctx, size_t i, uint32_t *h)
{
	*h = key_hash(((const part *)ctx)->b[i].hash);
	return true;
}

/* The builder of tok (hash h: np_search_fnv32).  The table slot comes from
 * h mixed again: the tokens of a partition share the low bits of h (their
 * shard is h mod the shard count). */
static builder *builder_of(part *pt, np_str tok, uint32_t h, uint32_t shard)
{
	size_t mask = pt->tab.cap - 1, k = key_hash(h) & mask;
	for (uint32_t v; (v = pt->tab.slot[k]) != 0; k = (k + 1) & mask) {
		builder *e = &pt->b[v - 1];
		if (e->hash == h && np_str_eq(e->tok, tok))
			return e;
	}
	if (pt->n == pt->cap) {
		pt->cap = pt->cap ? pt->cap * 2 : 1024;
		pt->b = np_xrealloc(pt->b, np_mul(pt->cap, sizeof *pt->b));
	}
	builder *b = &pt->b[pt->n];
	*b = (builder){np_arena_str(&pt->arena, tok), h, shard, 0, -1, {0}, {0}, false};
	np_buf_init(&b->post);
	np_buf_init(&b->entry);
	pt->tab.slot[k] = (uint32_t)++pt->n;
	if (pt->n * 2 >= pt->tab.cap) {
		tab_grow(&pt->tab, pt->n, builder_hash, pt);
		b = &pt->b[pt->n - 1];
	}
	return b;
}

/* Appends the postings of the block's documents, in number order. */
static void phase2(void *vctx, size_t k, unsigned wid)
{
	(void)wid;
	shards_ctx *c = vctx;
	part *pt = &c->parts[k];
	for (size_t d = c->b0; d < c->b1; d++) {
		const docrec *r = &c->recs[d - c->b0];
		for (uint32_t at = r->poff[k]; at < r->poff[k + 1];) {
			const unsigned char *q = r->p + at;
			uint32_t shard = (uint32_t)q[0] | (uint32_t)q[1] << 8, h;
			memcpy(&h, q + 4, 4);
			np_str tok = {(const char *)q + REC_HEAD, q[2]};
			builder *b = builder_of(pt, tok, h, shard);
			uint64_t gap = (uint64_t)((int64_t)d - b->last - 1);
			np_search_put_varint(&b->post, gap << 3 | q[3]);
			b->last = (int64_t)d;
			b->df++;
			at += REC_HEAD + q[2];
		}
	}
}

/* Token bytes, shorter first on a common prefix (a shard file's order). */
static int cmp_bytes(np_str x, np_str y)
{
	size_t n = x.len < y.len ? x.len : y.len;
	int c = memcmp(x.p, y.p, n);
	return c ? c : (x.len > y.len) - (x.len < y.len);
}

static int cmp_builder(const void *a, const void *b)
{
	const builder *x = a, *y = b;
	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	return cmp_bytes(x->tok, y->tok);
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

/* The partition's tokens in file order, encoded. */
static void encode_part(void *vctx, size_t k, unsigned wid)
{
	(void)wid;
	shards_ctx *c = vctx;
	part *pt = &c->parts[k];
	free(pt->tab.slot);
	pt->tab = (toktab){0};
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
	c->tokens[k] = pt->n;
}

static void put_file(shards_ctx *c, uint32_t k, const char *rel, const np_buf *data)
{
	int rc = c->seg->write(c->seg->wctx, rel, data->data, data->len);
	if (rc < 0 && !c->rc[k])
		c->rc[k] = rc;
	c->files[k]++;
	c->bytes[k] += data->len;
}

/* <dir>hot/XXXXXXXX.bin: one token's entry after the magic; the name is
 * the FNV-1a 32 hash of the token. */
static void write_hot(shards_ctx *c, uint32_t k, const builder *b)
{
	np_buf out;
	np_buf_init(&out);
	np_buf_puts(&out, NP_SHARD_MAGIC);
	np_buf_putstr(&out, np_str_of(&b->entry));
	char rel[64];
	snprintf(rel, sizeof rel, "%shot/%08x.bin", c->seg->dir, (unsigned)np_search_fnv32(b->tok));
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
		char rel[64];
		snprintf(rel, sizeof rel, "%sshards/%03x.bin", c->seg->dir, (unsigned)s);
		put_file(c, k, rel, &out);
	}
	np_buf_dispose(&out);
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
	np_arena_dispose(&pt->arena);
}

static int cmp_hot(const void *a, const void *b)
{
	const builder *x = *(builder *const *)a, *y = *(builder *const *)b;
	if (x->entry.len != y->entry.len)
		return x->entry.len > y->entry.len ? -1 : 1;
	return cmp_bytes(x->tok, y->tok);
}

static int cmp_tok(const void *a, const void *b)
{
	return cmp_bytes((*(builder *const *)a)->tok, (*(builder *const *)b)->tok);
}

/* NP_HOT_MIN, or NEWSPRINT_SEARCH_HOT_MIN from the environment: the tests
 * set it low so that the sample site, far too small for real hot tokens,
 * exercises the page's hot/ path too. */
size_t np_search_hot_min(void)
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
	size_t n = 0, cap = 0, min = np_search_hot_min();
	for (uint32_t k = 0; k < c->n_parts; k++)
		for (size_t i = 0; i < c->parts[k].n; i++)
			if (c->parts[k].b[i].entry.len >= min) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					all = np_xrealloc(all, np_mul(cap, sizeof *all));
				}
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

static void block_free(shards_ctx *c)
{
	for (size_t i = 0; i < c->b1 - c->b0; i++) {
		free(c->recs[i].p);
		free(c->recs[i].poff);
	}
}

static void shards_free(shards_ctx *c, unsigned threads)
{
	for (unsigned k = 0; k < threads; k++) {
		np_search_tokenizer_free(c->w[k].tk);
		free(c->w[k].toks);
		free(c->w[k].count);
		free(c->w[k].tab.slot);
		free(c->w[k].btab.slot);
		free(c->w[k].memo);
		np_buf_dispose(&c->w[k].body);
	}
	free(c->w);
	free(c->recs);
	free(c->rc);
	free(c->files);
	free(c->parts);
}

static void ctx_init(shards_ctx *c, const np_search_seg *seg, unsigned threads)
{
	uint32_t parts = seg->shards < 64 ? seg->shards : 64;
	*c = (shards_ctx){.seg = seg, .n_shards = seg->shards, .n_parts = parts};
	c->w = np_xcalloc(threads, sizeof *c->w);
	for (unsigned k = 0; k < threads; k++) {
		c->w[k].tk = np_search_tokenizer_new();
		c->w[k].n_shards = seg->shards;
		c->w[k].count = np_xcalloc(parts + 1, sizeof *c->w[k].count);
		np_arena_init(&c->w[k].arena);
		np_buf_init(&c->w[k].body);
		tab_grow(&c->w[k].tab, 0, dtok_hash, &c->w[k]);
		tab_grow(&c->w[k].btab, 0, dtok_key_hash, &c->w[k]);
		c->w[k].memo = np_xcalloc(MEMO_SIZE, sizeof *c->w[k].memo);
	}
	c->recs = np_xcalloc(NP_BLOCK, sizeof *c->recs);
	c->rc = np_xcalloc(parts, sizeof *c->rc);
	c->files = np_xcalloc(np_mul(parts, 4), sizeof *c->files);
	c->bytes = c->files + parts;
	c->tokens = c->files + 2 * (size_t)parts;
	c->postings = c->files + 3 * (size_t)parts;
	c->parts = np_xcalloc(parts, sizeof *c->parts);
	for (uint32_t k = 0; k < parts; k++) {
		tab_grow(&c->parts[k].tab, 0, builder_hash, &c->parts[k]);
		np_arena_init(&c->parts[k].arena);
	}
}

int np_search_write_segment(const np_search_seg *seg, unsigned threads, np_search_stats *st,
                            np_buf *hot_json)
{
	threads = threads ? threads : 1;
	shards_ctx c;
	ctx_init(&c, seg, threads);
	for (c.b0 = seg->from; c.b0 < seg->to; c.b0 = c.b1) {
		c.b1 = seg->to - c.b0 > NP_BLOCK ? c.b0 + NP_BLOCK : seg->to;
		np_pool_for(threads, c.b1 - c.b0, phase1, &c);
		np_pool_for(threads, c.n_parts, phase2, &c);
		block_free(&c);
	}
	np_pool_for(threads, c.n_parts, encode_part, &c);
	select_hot(&c, hot_json);
	np_pool_for(threads, c.n_parts, phase3, &c);
	int rc = 0;
	for (uint32_t k = 0; k < c.n_parts; k++) {
		rc = rc ? rc : c.rc[k];
		st->files += c.files[k];
		st->bytes += c.bytes[k];
		st->tokens += c.tokens[k];
		st->postings += c.postings[k];
	}
	shards_free(&c, threads);
	return rc;
}
