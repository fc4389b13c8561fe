/* Shared inside src/search: encoders and the two halves of the writer. */
#ifndef NP_SEARCH_INTERNAL_H
#define NP_SEARCH_INTERNAL_H

#include "search/search.h"

/* Shard file magic; a shard is the magic followed by token entries sorted
 * by token bytes (see postings.c). */
#define NP_SHARD_MAGIC "NPS1"
enum { NP_POST_LIST = 0, NP_POST_BITMAP = 1, NP_POST_ABSENT = 2 };
/* Entries of at least this many bytes may go to hot/ (postings.c). */
#define NP_HOT_MIN 4096

/* The tokens of np_search_tokenize(t, text, 0, ...) — a body's: each Han
 * bigram as its two code points (no string made per occurrence; bigrams
 * are nearly all of a Chinese text's tokens), letter/digit runs through
 * emit, in text order. */
typedef void (*np_search_bigram_fn)(void *ctx, uint32_t a, uint32_t b);
void np_search_tokenize_body(np_search_tokenizer *t, np_str text, np_search_bigram_fn bigram,
                             np_search_emit_fn emit, void *ctx);

/* FNV-1a 32 of s. */
uint32_t np_search_fnv32(np_str s);

/* LEB128 unsigned varint. */
void np_search_put_varint(np_buf *b, uint64_t v);
/* Reads a varint at *pos (< len); false when truncated or too long. */
bool np_search_get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v);
/* Appends s as a JSON string literal (UTF-8 kept, controls escaped). */
void np_search_json_str(np_buf *b, np_str s);

/* One segment: documents [from, to) of docs, written under dir
 * ("search/" for the base, "search/tail/"). */
typedef struct np_search_seg {
	const np_search_doc *docs;
	size_t from, to;
	uint32_t shards;
	const char *dir;
	np_search_body_fn body;
	void *body_ctx;
	np_search_write_fn write;
	void *wctx;
} np_search_seg;

/* Writes a segment's shards/ and hot/ (postings.c; the JSON list of hot
 * tokens goes to hot_json).  Returns 0 or the first negative code of
 * write. */
int np_search_write_segment(const np_search_seg *seg, unsigned threads, np_search_stats *st,
                            np_buf *hot_json);
/* Writes docs/ from chunk first_chunk on, dates and facets (chunks.c).
 * Returns 0 or the first negative code of write. */
int np_search_write_chunks(const np_search_doc *docs, size_t n, size_t first_chunk,
                           np_search_write_fn write, void *wctx, unsigned threads,
                           np_search_stats *st);
/* NP_HOT_MIN, or NEWSPRINT_SEARCH_HOT_MIN from the environment. */
size_t np_search_hot_min(void);

#endif
