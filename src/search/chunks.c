/* The index's small files: docs/ (what a result line shows), dates.json
 * and facets.json (the filter choices); varints and JSON strings.
 * Formats: search/search.h. */
#include <stdlib.h>

#include "search/internal.h"
#include "util/err.h"
#include "util/pool.h"
#include "util/strmap.h"

void np_search_put_varint(np_buf *b, uint64_t v)
{
	if (b->cap < b->len + 11) /* room for ten bytes and the NUL */
		np_buf_grow(b, 10);
	unsigned char *p = (unsigned char *)b->data + b->len;
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)((v & 0x7F) | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	p[n] = '\0';
	b->len += n;
}

bool np_search_get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned shift = 0; *pos < len && shift < 64; shift += 7) {
		unsigned char c = p[(*pos)++];
		r |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

void np_search_json_str(np_buf *b, np_str s)
{
	np_buf_putc(b, '"');
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '"' || c == '\\') {
			np_buf_putc(b, '\\');
			np_buf_putc(b, (char)c);
		} else if (c == '\n') {
			np_buf_puts(b, "\\n");
		} else if (c < 0x20) {
			np_buf_printf(b, "\\u%04x", c);
		} else {
			np_buf_putc(b, (char)c);
		}
	}
	np_buf_putc(b, '"');
}

static void json_list(np_buf *b, const np_str *v, size_t n)
{
	np_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			np_buf_putc(b, ',');
		np_search_json_str(b, v[i]);
	}
	np_buf_putc(b, ']');
}

static void json_date(np_buf *b, np_date d)
{
	char iso[11] = "";
	if (np_date_known(d))
		np_date_format(d, iso);
	np_search_json_str(b, np_str_from(iso));
}

/* [title, url, date, [regions]]: a result line.  A trailing "index.html"
 * is left off the url (the page links to the folder); the snippet comes
 * from the article page itself, fetched for the results shown. */
static void doc_json(np_buf *b, const np_search_doc *doc)
{
	np_buf_putc(b, '[');
	np_search_json_str(b, doc->title);
	np_buf_putc(b, ',');
	np_str url = doc->url;
	if (np_str_ends(url, NP_STR("index.html")))
		url.len -= sizeof "index.html" - 1;
	np_search_json_str(b, url);
	np_buf_putc(b, ',');
	json_date(b, doc->date);
	np_buf_putc(b, ',');
	json_list(b, doc->regions, doc->n_regions);
	np_buf_putc(b, ']');
}

typedef struct chunk_ctx {
	const np_search_doc *docs;
	size_t n, first; /* chunks [first, ...) */
	np_search_write_fn write;
	void *wctx;
	int *rc;
	size_t *bytes;
} chunk_ctx;

/* Chunk first + j: docs/ for articles [k*C, k*C+C). */
static void write_chunk(void *vctx, size_t j, unsigned wid)
{
	(void)wid;
	chunk_ctx *c = vctx;
	size_t k = c->first + j;
	size_t a = k * NP_SEARCH_CHUNK, e = a + NP_SEARCH_CHUNK < c->n ? a + NP_SEARCH_CHUNK : c->n;
	np_buf b;
	np_buf_init(&b);
	np_buf_putc(&b, '[');
	for (size_t i = a; i < e; i++) {
		np_buf_puts(&b, i > a ? ",\n" : "");
		doc_json(&b, &c->docs[i]);
	}
	np_buf_puts(&b, "]\n");
	char rel[40];
	snprintf(rel, sizeof rel, "search/docs/%04zx.json", k);
	c->rc[j] = c->write(c->wctx, rel, b.data, b.len);
	c->bytes[j] += b.len;
	np_buf_dispose(&b);
}

/* [[min date, max date] per docs/ chunk]: the page reads it only for a
 * date filter ("" for a chunk without dates). */
static void dates_json(np_buf *b, const np_search_doc *docs, size_t n)
{
	size_t chunks = (n + NP_SEARCH_CHUNK - 1) / NP_SEARCH_CHUNK;
	np_buf_putc(b, '[');
	for (size_t k = 0; k < chunks; k++) {
		np_date lo = {0, 0, 0}, hi = {0, 0, 0};
		for (size_t i = k * NP_SEARCH_CHUNK; i < n && i < (k + 1) * NP_SEARCH_CHUNK; i++) {
			np_date d = docs[i].date;
			if (!np_date_known(d))
				continue;
			if (!np_date_known(lo) || np_date_cmp(d, lo) < 0)
				lo = d;
			if (!np_date_known(hi) || np_date_cmp(d, hi) > 0)
				hi = d;
		}
		np_buf_puts(b, k ? ",[" : "[");
		json_date(b, lo);
		np_buf_putc(b, ',');
		json_date(b, hi);
		np_buf_putc(b, ']');
	}
	np_buf_puts(b, "]\n");
}

typedef struct facet {
	np_str key;
	size_t count;
} facet;

static int cmp_facet(const void *a, const void *b)
{
	np_str x = ((const facet *)a)->key, y = ((const facet *)b)->key;
	size_t n = x.len < y.len ? x.len : y.len;
	int c = memcmp(x.p, y.p, n);
	return c ? c : (x.len > y.len) - (x.len < y.len);
}

/* Adds by to key's count in f (indexed by m), adding key if new; f grows
 * by doubling. */
static void count(np_strmap *m, facet **f, size_t *n, np_str key, size_t by)
{
	size_t i;
	if (np_strmap_get(m, key, &i)) {
		(*f)[i].count += by;
		return;
	}
	if ((*n & (*n - 1)) == 0) /* 0, 1, 2, 4, …: full */
		*f = np_xrealloc(*f, np_mul(*n ? *n * 2 : 1, sizeof **f));
	(*f)[*n] = (facet){key, by};
	np_strmap_put(m, key, (*n)++);
}

/* {"regions":[[path,count],...],"events":[[name,count],...]}: every region
 * prefix and every event, by bytes; a document counts once per path it
 * names under a prefix.  The paths are counted first, whole (some
 * thousands of distinct paths among the documents' 200,000 at 100,000
 * articles), and each distinct path then adds its count to its prefixes:
 * a third of the map lookups of counting every prefix of every path. */
static void facets_json(np_buf *b, const np_search_doc *docs, size_t n)
{
	for (int ev = 0; ev < 2; ev++) {
		np_strmap m;
		np_strmap_init(&m);
		facet *whole = NULL, *f = NULL;
		size_t nw = 0, nf = 0;
		for (size_t i = 0; i < n; i++) {
			const np_str *v = ev ? docs[i].events : docs[i].regions;
			for (size_t k = 0; k < (ev ? docs[i].n_events : docs[i].n_regions); k++)
				if (v[k].len)
					count(&m, &whole, &nw, v[k], 1);
		}
		if (ev) {
			f = whole, nf = nw, whole = NULL;
		} else {
			np_strmap_dispose(&m);
			np_strmap_init(&m);
			for (size_t w = 0; w < nw; w++) {
				np_str p = whole[w].key;
				for (size_t j = 1; j <= p.len; j++)
					if (j == p.len || p.p[j] == '/')
						count(&m, &f, &nf, np_str_sub(p, 0, j), whole[w].count);
			}
		}
		if (nf)
			qsort(f, nf, sizeof *f, cmp_facet);
		np_buf_puts(b, ev ? ",\"events\":[" : "{\"regions\":[");
		for (size_t i = 0; i < nf; i++) {
			np_buf_puts(b, i ? ",[" : "[");
			np_search_json_str(b, f[i].key);
			np_buf_printf(b, ",%zu]", f[i].count);
		}
		np_buf_putc(b, ']');
		free(whole);
		free(f);
		np_strmap_dispose(&m);
	}
	np_buf_puts(b, "}\n");
}

/* dates.json and facets.json. */
static int write_small(const np_search_doc *docs, size_t n, np_search_write_fn write, void *wctx,
                       np_search_stats *st)
{
	np_buf b;
	np_buf_init(&b);
	int rc = 0;
	for (int k = 0; k < 2; k++) {
		static const char *const rel[] = {"search/dates.json", "search/facets.json"};
		np_buf_clear(&b);
		if (k == 0)
			dates_json(&b, docs, n);
		else
			facets_json(&b, docs, n);
		int r = write(wctx, rel[k], b.data, b.len);
		rc = rc ? rc : r;
		st->bytes += b.len;
		st->files++;
	}
	np_buf_dispose(&b);
	return rc;
}

/* Job 0 writes dates.json and facets.json (a pass over every document:
 * at 100,000 articles as long as a new issue's chunks, so beside them, not
 * after them); job j > 0 chunk first + j - 1. */
typedef struct chunks_job {
	chunk_ctx *c;
	int small_rc;
	np_search_stats small;
} chunks_job;

static void chunks_one(void *vctx, size_t j, unsigned wid)
{
	chunks_job *cj = vctx;
	if (j == 0)
		cj->small_rc = write_small(cj->c->docs, cj->c->n, cj->c->write, cj->c->wctx, &cj->small);
	else
		write_chunk(cj->c, j - 1, wid);
}

int np_search_write_chunks(const np_search_doc *docs, size_t n, size_t first_chunk,
                           np_search_write_fn write, void *wctx, unsigned threads,
                           np_search_stats *st)
{
	size_t chunks = (n + NP_SEARCH_CHUNK - 1) / NP_SEARCH_CHUNK;
	first_chunk = first_chunk < chunks ? first_chunk : chunks;
	chunk_ctx c = {.docs = docs, .n = n, .first = first_chunk, .write = write, .wctx = wctx};
	c.rc = np_xcalloc(chunks - first_chunk + 1, sizeof *c.rc);
	c.bytes = np_xcalloc(chunks - first_chunk + 1, sizeof *c.bytes);
	chunks_job cj = {.c = &c};
	np_pool_for(threads ? threads : 1, chunks - first_chunk + 1, chunks_one, &cj);
	int rc = cj.small_rc;
	st->bytes += cj.small.bytes;
	st->files += cj.small.files;
	for (size_t k = 0; k < chunks - first_chunk; k++) {
		rc = rc ? rc : c.rc[k];
		st->bytes += c.bytes[k];
	}
	st->files += chunks - first_chunk;
	free(c.rc);
	free(c.bytes);
	return rc;
}
