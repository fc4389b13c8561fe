/* Full-text search for Chinese on a static host: the tokeniser, the index
 * writer (docs -> files under search/) and a reader for tests and benches.
 * The browser side is themes/default/static/search.js; the two must agree
 * on tokens, the shard hash and the file formats described here.
 *
 * Tokens (np_search_tokenize):
 *  - every overlapping pair of Han characters (a bigram), so a query of two
 *    or more Han characters finds every text holding it as a substring: the
 *    reader intersects the query's bigrams and then checks the text;
 *  - ICU dictionary words (UBRK_WORD, "zh") of three or more Han characters
 *    as tokens of their own (two-character words are bigrams already), only
 *    where the caller asks (NP_TOK_WORDS): the index does so for headings,
 *    not bodies (ICU's dictionary break costs more than everything else
 *    together and only ever adds a ranking bonus); the page boosts articles
 *    where a query is such a word;
 *  - runs of letters and digits of any other script, lowercased ("G20" ->
 *    "g20", "2022" -> "2022");
 *  - single Han characters only where the caller asks (NP_TOK_UNIGRAMS):
 *    the index does so for headings and authors, not bodies, which would
 *    cost a third more postings for one-character queries.
 *
 * Files (all under search/, paths relative to the output folder):
 *  - meta.json: {"version":2,"docs":N,"shards":S,"chunk":C,"hot":[tokens
 *    that have a file of their own],"base":B,"tail":T}: the index is a
 *    base segment of documents [0, B) (shards/, hot/) and, when T is not
 *    null, a tail segment of documents [B, N) in tail/ with T =
 *    {"shards":S2,"hot":[...]}, laid out as the base.  A token's postings
 *    are the base's followed by the tail's (document numbers are the
 *    archive's in both).  B = np_search_base_docs(N), a function of N
 *    alone: a new issue rewrites only the tail until N crosses the next
 *    granule, when the base is written anew.
 *  - hot/XXXXXXXX.bin (FNV-1a 32 of the token, eight hex digits): one token
 *    in the shard format, for the largest entries (at least 4 KB, at most
 *    S / 2 of them): a query for a frequent bigram then fetches that token
 *    alone instead of a shard full of other frequent ones.
 *  - dates.json: [[min date, max date] of each docs/ chunk], for a date
 *    filter.
 *  - shards/XXX.bin (three hex digits, S files): token -> postings for the
 *    tokens whose FNV-1a 32-bit hash of the UTF-8 bytes is XXX mod S.  See
 *    postings.c for the byte layout.  S is a power of two chosen for the
 *    segment's size (np_search_n_shards); articles are numbered in archive
 *    order, so new ones come last and go to the tail.
 *  - docs/XXXX.json: articles [C*k, C*k+C) as [title, url, date, [regions]]
 *    — what a result line shows (url without a trailing "index.html").
 *  - facets.json: regions and events with article counts, for the filters.
 * There is no copy of the text: the page verifies a phrase and cuts the
 * snippet from the article pages it shows (they exist anyway), which keeps
 * the index a fraction of the text's size.
 * Filter tokens share the shards: "r:<region path prefix>", "e:<event>",
 * "i:<issue date>". */
#ifndef NP_SEARCH_SEARCH_H
#define NP_SEARCH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/article.h"
#include "util/diag.h"

/* ---- tokeniser --------------------------------------------------------- */

enum np_tok_kind {
	NP_TOK_BIGRAM = 1, /* two Han characters */
	NP_TOK_WORD = 2,   /* ICU word of three or more Han characters */
	NP_TOK_ALNUM = 3,  /* letters/digits run, lowercased */
	NP_TOK_HAN1 = 4    /* one Han character (only with NP_TOK_UNIGRAMS) */
};
enum { NP_TOK_UNIGRAMS = 1, NP_TOK_WORDS = 2 };
/* Longest token kept, in bytes; longer letter runs are dropped. */
#define NP_TOK_MAX 64

typedef struct np_search_tokenizer np_search_tokenizer;
/* Called once per token occurrence, in text order; tok is valid only
 * during the call. */
typedef void (*np_search_emit_fn)(void *ctx, np_str tok, enum np_tok_kind kind);

/* A tokeniser owns an ICU break iterator: one per thread.  NULL only when
 * ICU cannot open the iterator (then np_search_tokenize still emits bigrams
 * and letter runs, without dictionary words). */
np_search_tokenizer *np_search_tokenizer_new(void);
void np_search_tokenizer_free(np_search_tokenizer *t);
/* Emits the tokens of UTF-8 text (opts: NP_TOK_UNIGRAMS, NP_TOK_WORDS,
 * both or 0). */
void np_search_tokenize(np_search_tokenizer *t, np_str text, unsigned opts, np_search_emit_fn emit,
                        void *ctx);
/* The shard of a token: FNV-1a 32 over its bytes, mod n_shards (a power of
 * two); a token of three or more Han characters (a dictionary word) goes by
 * its first two, so it shares the shard of its first bigram, which a query
 * for it fetches anyway.  search.js computes the same. */
uint32_t np_search_shard_of(np_str tok, uint32_t n_shards);

/* ---- index writer ------------------------------------------------------ */

/* One searchable article, borrowed from the caller.  body.p may be NULL
 * when the build gets a body callback (np_search_opts): the body is then
 * read while the article is tokenised, so the index never holds every
 * text at once. */
typedef struct np_search_doc {
	np_str title, kicker, subtitle, body;
	const np_str *authors;
	size_t n_authors;
	const np_str *regions; /* full paths 省/市/县; every prefix is a filter */
	size_t n_regions;
	const np_str *events;
	size_t n_events;
	np_str issue; /* YYYY-MM-DD or empty */
	np_date date; /* y == 0: unknown */
	np_str url;   /* relative to the output root */
	/* A 128-bit hash of the body (the site's body_hash) that stands for it
	 * in the index's fingerprint (np_search_base); NULL: the body itself
	 * is hashed (read through the callback when body.p is NULL). */
	const uint64_t *body_hash;
	/* A 128-bit hash that stands in the fingerprint for every field but
	 * events and url (title … date, and the body), which the caller keeps
	 * for each document anyway (the site's content_digest): the
	 * fingerprint then reads 16 bytes of it instead of those fields'
	 * strings.  NULL: the fields themselves are hashed. */
	const uint64_t *digest;
} np_search_doc;

/* Where the files go: rel is relative to the output root ("search/...").
 * Called from several threads at once; returns 0 or a negative NP_E. */
typedef int (*np_search_write_fn)(void *ctx, const char *rel, const void *data, size_t len);
/* Document i's body, for a document whose body.p is NULL: a slice of
 * scratch (the calling worker's buffer, cleared before each call) or of
 * memory that outlives the build.  Called from several threads at once. */
typedef np_str (*np_search_body_fn)(void *ctx, size_t i, np_buf *scratch);

typedef struct np_search_stats {
	size_t files, bytes, tokens, postings;
	uint32_t shards;
	size_t base_docs; /* documents in the base segment */
	size_t tail_docs; /* documents in the tail segment (0: none) */
	bool reused;      /* the previous build's base was kept (not written) */
} np_search_stats;

/* The base segment an index was built with: what the next build needs to
 * keep it (its files are left alone) and index only the documents after
 * it, in a tail segment.  Owned by whoever filled it: dispose with
 * np_search_base_dispose. */
typedef struct np_search_base {
	size_t docs;     /* documents [0, docs) */
	uint32_t shards; /* its shard count */
	uint64_t fp[2];  /* fingerprint of those documents (see segments.c) */
	char *hot;       /* its hot tokens, the JSON list meta.json gives */
} np_search_base;

typedef struct np_search_opts {
	unsigned threads;
	np_search_body_fn body; /* for documents whose body.p is NULL */
	void *body_ctx;
	/* The base of the previous build, whose files are still in place
	 * exactly as written, or NULL.  It is reused (its files not written
	 * again) when it is the base this build would write: as many
	 * documents as np_search_base_docs(n), unchanged (fingerprint). */
	const np_search_base *prev;
} np_search_opts;

/* Writes the index for docs (document i gets number i: pass them in
 * archive order).  The bytes of the index depend only on the documents:
 * not on the thread count, nor on opts->prev (which only saves writing
 * the base again).  *base_out (may be NULL) receives the base written or
 * kept, for the next build; st may be NULL.  Returns 0 or the first
 * negative code of write (the other files are still written). */
int np_search_build_ex(const np_search_doc *docs, size_t n, const np_search_opts *opts,
                       np_search_write_fn write, void *wctx, np_search_stats *st,
                       np_search_base *base_out);
/* np_search_build_ex in one segment, bodies in docs. */
int np_search_build(const np_search_doc *docs, size_t n, np_search_write_fn write, void *wctx,
                    unsigned threads, np_search_stats *st);
void np_search_base_dispose(np_search_base *b);
/* The base as bytes (for the site's .newsprint/ cache) and back; decode
 * returns NP_EINVAL for bytes it did not write. */
void np_search_base_encode(const np_search_base *b, np_buf *out);
int np_search_base_decode(np_str bytes, np_search_base *b);
/* True when output file rel belongs to a base of base_docs documents (its
 * shards, hot files and full docs/ chunks): the files a build keeps when it
 * reuses that base. */
bool np_search_base_file(const char *rel, size_t base_docs);
/* Documents in the base of an index of n documents (the rest are the
 * tail): n rounded down to a granule of about n / 16 (a power of two, at
 * least 256), or n when that is 0. */
size_t np_search_base_docs(size_t n);
/* Shards of a tail of n documents (a power of two, 64..2048). */
uint32_t np_search_tail_shards(size_t tail_docs);
/* Shards for an index of n documents (power of two, 16..2048). */
uint32_t np_search_n_shards(size_t n);
/* Articles per docs/ file. */
#define NP_SEARCH_CHUNK 64

/* np_search_build_ex for a site model (site/site.h), bodies read one
 * article at a time from the records.  Declared here with an opaque
 * pointer so callers that never build a site need not link it.  prev and
 * base_out as in np_search_build_ex. */
struct np_site;
int np_search_write(const struct np_site *s, np_search_write_fn write, void *wctx, unsigned threads,
                    const np_search_base *prev, np_search_base *base_out, np_search_stats *st,
                    np_diags *d);

/* ---- reader (tests, bench) --------------------------------------------- */

typedef struct np_search_posting {
	uint32_t doc;
	uint8_t flags; /* bit 2: in a heading; bits 0-1: term-frequency bucket */
} np_search_posting;

/* Finds tok in the bytes of a shard file and appends its postings, by
 * document number, to *out (*n entries).  Start with *out = NULL, *n = 0;
 * the array grows as needed and the caller frees it (also on error).
 * n_docs is the docs count from meta.json; postings beyond it are an
 * error.  Bitmap and absent forms carry no tf bucket (flags 0 or 4).
 * Returns 0, NP_ENOENT when the token is absent, NP_EINVAL for a malformed
 * shard. */
int np_search_shard_lookup(const void *shard, size_t len, np_str tok, size_t n_docs,
                           np_search_posting **out, size_t *n);

#endif
