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

/* FNV-1a 32 of s. */
uint32_t np_search_fnv32(np_str s);

/* LEB128 unsigned varint. */
void np_search_put_varint(np_buf *b, uint64_t v);
/* Reads a varint at *pos (< len); false when truncated or too long. */
bool np_search_get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v);
/* Appends s as a JSON string literal (UTF-8 kept, controls escaped). */
void np_search_json_str(np_buf *b, np_str s);

/* Writes shards/ and hot/ (postings.c; the JSON list of hot tokens goes
 * to hot_json) and meta, dates, docs/, facets (chunks.c).  Both return 0
 * or the first negative code of write. */
int np_search_write_shards(const np_search_doc *docs, size_t n, uint32_t n_shards,
                           np_search_write_fn write, void *wctx, unsigned threads,
                           np_search_stats *st, np_buf *hot_json);
int np_search_write_chunks(const np_search_doc *docs, size_t n, uint32_t n_shards,
                           const np_buf *hot_json, np_search_write_fn write, void *wctx,
                           unsigned threads, np_search_stats *st);

#endif
