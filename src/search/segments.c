/* The index as segments: a base of documents [0, B) and a tail of the
 * documents after it (formats: search/search.h).
 *
 * A new issue appends documents at the end of the archive.  Rewriting a
 * single-segment index for it would touch nearly every shard (40 articles
 * hold tens of thousands of distinct bigrams), so the newest documents
 * live in a small tail with shards of its own.  B depends only on the
 * document count (np_search_base_docs: N rounded down to a granule of
 * about N / 16), so an incremental build writes the same bytes as a build
 * from scratch, and B moves only when the archive crosses a granule
 * boundary (LSM style: the base is rebuilt, at the cost of a full build,
 * once per many issues).  Between those, a build that finds the previous
 * base still valid keeps its files untouched and indexes only the tail:
 * work and rewritten files in proportion to the tail, not to the archive.
 * The base is valid when its documents are still the archive's first B,
 * unchanged: a fingerprint over everything the base's files are made of
 * (headings, authors, body hash, regions, events, issue, date, url) and
 * the settings that shape them.  Any edit, removal or insertion among
 * them changes it and the build writes the base again. */
#include <stdlib.h>
#include <xxhash.h>

#include "search/internal.h"
#include "util/err.h"

/* Bumped whenever the tokens or the file layout change, so that a base
 * written by another version is never kept. */
#define NP_SEARCH_FORMAT 2

uint32_t np_search_n_shards(size_t n)
{
	uint32_t s = 16;
	while (s < 2048 && (size_t)s * 48 < n)
		s *= 2;
	return s;
}

/* Four times the shards of an index of its size: a query fetches a
 * token's tail shard besides its base shard, and small tail shards keep
 * that extra download small (about 8 KB at 100,000 articles), at the cost
 * of rewriting a few hundred small files per new issue instead of 64. */
uint32_t np_search_tail_shards(size_t tail_docs)
{
	uint32_t s = np_search_n_shards(tail_docs) * 4;
	return s < 2048 ? s : 2048;
}

/* The smallest granule: NP_SEG_MIN, or NEWSPRINT_SEARCH_SEGMENT (a power
 * of two) from the environment, which the tests set low so that the
 * sample site, far too small for a tail of its own, exercises it too. */
#define NP_SEG_MIN 256
static size_t seg_min(void)
{
	const char *e = getenv("NEWSPRINT_SEARCH_SEGMENT");
	long v = e && *e ? strtol(e, NULL, 10) : 0;
	return v > 0 && (v & (v - 1)) == 0 ? (size_t)v : NP_SEG_MIN;
}

/* The granule G is the largest power-of-two multiple of the smallest one
 * that is at most n / 16 (or the smallest one): a tail holds fewer than G
 * documents, so it never costs more than a sixteenth of a full build, and
 * the base moves once per G documents.  The multiples of a larger granule
 * are multiples of the smaller ones, so B never moves back as n grows. */
size_t np_search_base_docs(size_t n)
{
	size_t g = seg_min();
	while (g * 2 * 16 <= n)
		g *= 2;
	size_t b = n - n % g;
	return b ? b : n;
}

static void hash_str(XXH3_state_t *h, np_str s)
{
	uint64_t len = s.len;
	XXH3_128bits_update(h, &len, sizeof len);
	XXH3_128bits_update(h, s.p, s.len);
}

static void hash_list(XXH3_state_t *h, const np_str *v, size_t n)
{
	uint64_t len = n;
	XXH3_128bits_update(h, &len, sizeof len);
	for (size_t i = 0; i < n; i++)
		hash_str(h, v[i]);
}

/* Feeds document i into h: every field its postings and docs/ line are
 * made of, the body by its hash. */
static void hash_doc(XXH3_state_t *h, const np_search_doc *docs, size_t i, np_search_body_fn body,
                     void *bctx, np_buf *scratch)
{
	const np_search_doc *d = &docs[i];
	if (d->digest) { /* tagged: a digest never reads as fields */
		uint64_t dg[3] = {UINT64_MAX, d->digest[0], d->digest[1]};
		XXH3_128bits_update(h, dg, sizeof dg);
		hash_list(h, d->events, d->n_events);
		hash_str(h, d->url);
		return;
	}
	hash_str(h, d->title);
	hash_str(h, d->kicker);
	hash_str(h, d->subtitle);
	hash_list(h, d->authors, d->n_authors);
	hash_list(h, d->regions, d->n_regions);
	hash_list(h, d->events, d->n_events);
	hash_str(h, d->issue);
	int32_t date[3] = {d->date.y, d->date.m, d->date.d};
	XXH3_128bits_update(h, date, sizeof date);
	hash_str(h, d->url);
	uint64_t bh[2];
	if (d->body_hash) {
		bh[0] = d->body_hash[0];
		bh[1] = d->body_hash[1];
	} else {
		np_str b = d->body;
		if (!b.p && body) {
			np_buf_clear(scratch);
			b = body(bctx, i, scratch);
		}
		XXH128_hash_t x = XXH3_128bits(b.p, b.len);
		bh[0] = x.low64, bh[1] = x.high64;
	}
	XXH3_128bits_update(h, bh, sizeof bh);
}

/* Fingerprint of documents [0, n) with the settings that shape a base. */
static void fingerprint(const np_search_doc *docs, size_t n, const np_search_opts *o,
                        uint64_t out[2])
{
	XXH3_state_t *h = XXH3_createState();
	if (!h)
		np_oom();
	XXH3_128bits_reset(h);
	uint64_t head[5] = {NP_SEARCH_FORMAT, n, np_search_n_shards(n), np_search_hot_min(),
	                    seg_min()};
	XXH3_128bits_update(h, head, sizeof head);
	np_buf scratch;
	np_buf_init(&scratch);
	for (size_t i = 0; i < n; i++)
		hash_doc(h, docs, i, o->body, o->body_ctx, &scratch);
	np_buf_dispose(&scratch);
	XXH128_hash_t x = XXH3_128bits_digest(h);
	XXH3_freeState(h);
	out[0] = x.low64, out[1] = x.high64;
}

void np_search_base_dispose(np_search_base *b)
{
	free(b->hot);
	*b = (np_search_base){0};
}

/* "npsearch <format> <docs> <shards> <fp0> <fp1>\n<hot JSON>\n" */
void np_search_base_encode(const np_search_base *b, np_buf *out)
{
	np_buf_printf(out, "npsearch %d %zu %u %016llx %016llx\n%s\n", NP_SEARCH_FORMAT, b->docs,
	              (unsigned)b->shards, (unsigned long long)b->fp[0],
	              (unsigned long long)b->fp[1], b->hot ? b->hot : "[]");
}

int np_search_base_decode(np_str bytes, np_search_base *b)
{
	*b = (np_search_base){0};
	char *s = np_xstrndup(bytes.p, bytes.len);
	int format, used = 0;
	size_t docs;
	unsigned shards;
	unsigned long long f0, f1;
	int rc = NP_EINVAL;
	if (sscanf(s, "npsearch %d %zu %u %16llx %16llx\n%n", &format, &docs, &shards, &f0, &f1,
	           &used) == 5 &&
	    used > 0 && format == NP_SEARCH_FORMAT && shards == np_search_n_shards(docs) &&
	    s[used] == '[') {
		char *end = strchr(s + used, '\n');
		if (end && end[1] == '\0') {
			*b = (np_search_base){docs,
			                      shards,
			                      {f0, f1},
			                      np_xstrndup(s + used, (size_t)(end - s - used))};
			rc = 0;
		}
	}
	free(s);
	return rc;
}

bool np_search_base_file(const char *rel, size_t base_docs)
{
	if (strncmp(rel, "search/shards/", 14) == 0 || strncmp(rel, "search/hot/", 11) == 0)
		return true;
	unsigned k;
	char tail;
	if (sscanf(rel, "search/docs/%4x.json%c", &k, &tail) == 1)
		return ((size_t)k + 1) * NP_SEARCH_CHUNK <= base_docs;
	return false;
}

static void meta_json(np_buf *b, size_t n, const np_search_base *base, uint32_t tail_shards,
                      const np_buf *tail_hot)
{
	np_buf_printf(b, "{\"version\":2,\"docs\":%zu,\"shards\":%u,\"chunk\":%d,\"hot\":%s,", n,
	              (unsigned)base->shards, NP_SEARCH_CHUNK, base->hot ? base->hot : "[]");
	np_buf_printf(b, "\"base\":%zu,\"tail\":", base->docs);
	if (base->docs < n)
		np_buf_printf(b, "{\"shards\":%u,\"hot\":%s}", (unsigned)tail_shards,
		              tail_hot->data);
	else
		np_buf_puts(b, "null");
	np_buf_puts(b, "}\n");
}

/* Whether prev can stay the base of an index of docs [0, n). */
static bool reusable(const np_search_doc *docs, size_t n, const np_search_opts *o)
{
	const np_search_base *p = o->prev;
	if (!p || !p->docs || p->docs != np_search_base_docs(n) ||
	    p->shards != np_search_n_shards(p->docs) || !p->hot)
		return false;
	uint64_t fp[2];
	fingerprint(docs, p->docs, o, fp);
	return fp[0] == p->fp[0] && fp[1] == p->fp[1];
}

static int write_meta(size_t n, const np_search_base *base, uint32_t tail_shards,
                      const np_buf *tail_hot, np_search_write_fn write, void *wctx,
                      np_search_stats *st)
{
	np_buf b;
	np_buf_init(&b);
	meta_json(&b, n, base, tail_shards, tail_hot);
	int rc = write(wctx, "search/meta.json", b.data, b.len);
	st->files++;
	st->bytes += b.len;
	np_buf_dispose(&b);
	return rc;
}

int np_search_build_ex(const np_search_doc *docs, size_t n, const np_search_opts *o,
                       np_search_write_fn write, void *wctx, np_search_stats *st,
                       np_search_base *base_out)
{
	np_search_stats local = {0};
	st = st ? st : &local;
	*st = (np_search_stats){0};
	np_search_seg seg = {docs, 0, n, 0, "search/", o->body, o->body_ctx, write, wctx};
	np_search_base base = {0};
	np_buf hot, tail_hot;
	np_buf_init(&hot);
	np_buf_init(&tail_hot);
	int rc = 0;
	if (reusable(docs, n, o)) {
		base = (np_search_base){o->prev->docs,
		                        o->prev->shards,
		                        {o->prev->fp[0], o->prev->fp[1]},
		                        np_xstrndup(o->prev->hot, strlen(o->prev->hot))};
		st->reused = true;
	} else {
		size_t b = np_search_base_docs(n);
		seg.to = b;
		seg.shards = np_search_n_shards(b);
		rc = np_search_write_segment(&seg, o->threads, st, &hot);
		base = (np_search_base){b, seg.shards, {0, 0}, np_buf_detach(&hot)};
		fingerprint(docs, b, o, base.fp);
	}
	uint32_t tail_shards = np_search_tail_shards(n - base.docs);
	np_buf_puts(&tail_hot, "[]");
	if (base.docs < n) {
		np_buf_clear(&tail_hot);
		seg.from = base.docs, seg.to = n, seg.shards = tail_shards,
		seg.dir = "search/tail/";
		int r = np_search_write_segment(&seg, o->threads, st, &tail_hot);
		rc = rc ? rc : r;
	}
	int r = write_meta(n, &base, tail_shards, &tail_hot, write, wctx, st);
	rc = rc ? rc : r;
	size_t first = st->reused ? base.docs / NP_SEARCH_CHUNK : 0;
	r = np_search_write_chunks(docs, n, first, write, wctx, o->threads, st);
	rc = rc ? rc : r;
	st->shards = base.shards;
	st->base_docs = base.docs;
	st->tail_docs = n - base.docs;
	if (base_out)
		*base_out = base;
	else
		np_search_base_dispose(&base);
	np_buf_dispose(&hot);
	np_buf_dispose(&tail_hot);
	return rc;
}

int np_search_build(const np_search_doc *docs, size_t n, np_search_write_fn write, void *wctx,
                    unsigned threads, np_search_stats *st)
{
	np_search_opts o = {.threads = threads};
	return np_search_build_ex(docs, n, &o, write, wctx, st, NULL);
}
