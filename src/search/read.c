/* Reading a shard file back: the C twin of search.js's shard decoder, for
 * tests and the benchmark.  Byte layout: postings.c. */
#include <stdlib.h>

#include "search/internal.h"
#include "util/err.h"

static void push(np_search_posting **out, size_t *n, uint32_t doc, uint8_t flags)
{
	/* capacity is 8, then doubles whenever n reaches a power of two */
	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0))
		*out = np_xrealloc(*out, np_mul(*n ? *n * 2 : 8, sizeof **out));
	(*out)[(*n)++] = (np_search_posting){doc, flags};
}

static int read_list(const unsigned char *p, size_t len, size_t n_docs, np_search_posting **out,
                     size_t *n)
{
	size_t pos = 0;
	uint64_t v, doc = (uint64_t)-1;
	while (pos < len) {
		if (!np_search_get_varint(p, len, &pos, &v))
			return NP_EINVAL;
		doc += (v >> 3) + 1;
		if (doc >= n_docs)
			return NP_EINVAL;
		push(out, n, (uint32_t)doc, (uint8_t)(v & 7));
	}
	return 0;
}

/* The heading documents at p[*pos]: their postings (from first on) get
 * flag 4. */
static int read_heads(const unsigned char *p, size_t len, size_t pos, np_search_posting *out,
                      size_t first, size_t n)
{
	uint64_t nh, v, doc = (uint64_t)-1;
	if (!np_search_get_varint(p, len, &pos, &nh))
		return NP_EINVAL;
	size_t k = first;
	for (uint64_t i = 0; i < nh; i++) {
		if (!np_search_get_varint(p, len, &pos, &v))
			return NP_EINVAL;
		doc += v + 1;
		while (k < n && out[k].doc < doc)
			k++;
		if (k == n || out[k].doc != doc)
			return NP_EINVAL;
		out[k].flags |= 4;
	}
	return 0;
}

static int read_bitmap(const unsigned char *p, size_t len, size_t n_docs, np_search_posting **out,
                       size_t *n)
{
	size_t pos = 0, first = *n;
	uint64_t nb;
	if (!np_search_get_varint(p, len, &pos, &nb) || nb > len - pos || nb > (n_docs + 7) / 8)
		return NP_EINVAL;
	for (size_t d = 0; d < nb * 8; d++)
		if (p[pos + d / 8] & (1u << (d % 8))) {
			if (d >= n_docs)
				return NP_EINVAL;
			push(out, n, (uint32_t)d, 0);
		}
	return read_heads(p, len, pos + nb, *out, first, *n);
}

static int read_absent(const unsigned char *p, size_t len, size_t n_docs, np_search_posting **out,
                       size_t *n)
{
	size_t pos = 0, first = *n;
	uint64_t r, na, v, gone = (uint64_t)-1, doc = 0;
	if (!np_search_get_varint(p, len, &pos, &r) || !np_search_get_varint(p, len, &pos, &na) ||
	    r > n_docs || na > r)
		return NP_EINVAL;
	for (uint64_t i = 0; i <= na; i++) {
		if (i < na && !np_search_get_varint(p, len, &pos, &v))
			return NP_EINVAL;
		uint64_t upto = i < na ? gone + v + 1 : r;
		if (upto > r || (i < na && upto < doc))
			return NP_EINVAL;
		for (; doc < upto; doc++)
			push(out, n, (uint32_t)doc, 0);
		gone = upto;
		doc = upto + 1;
	}
	return read_heads(p, len, pos, *out, first, *n);
}

int np_search_shard_lookup(const void *shard, size_t len, np_str tok, size_t n_docs,
                           np_search_posting **out, size_t *n)
{
	const unsigned char *p = shard;
	size_t magic = sizeof NP_SHARD_MAGIC - 1, pos = magic;
	if (len < magic || memcmp(p, NP_SHARD_MAGIC, magic) != 0)
		return NP_EINVAL;
	while (pos < len) {
		uint64_t tl, df, pl;
		if (!np_search_get_varint(p, len, &pos, &tl) || tl > len - pos)
			return NP_EINVAL;
		const unsigned char *t = p + pos;
		pos += tl;
		if (!np_search_get_varint(p, len, &pos, &df) || pos >= len)
			return NP_EINVAL;
		unsigned kind = p[pos++];
		if (!np_search_get_varint(p, len, &pos, &pl) || pl > len - pos)
			return NP_EINVAL;
		if (tl == tok.len && memcmp(t, tok.p, tl) == 0) {
			switch (kind) {
			case NP_POST_LIST:
				return read_list(p + pos, pl, n_docs, out, n);
			case NP_POST_BITMAP:
				return read_bitmap(p + pos, pl, n_docs, out, n);
			case NP_POST_ABSENT:
				return read_absent(p + pos, pl, n_docs, out, n);
			default:
				return NP_EINVAL;
			}
		}
		pos += pl;
	}
	return NP_ENOENT;
}
