/* The search tokeniser: Han bigrams, ICU dictionary words, letter/digit
 * runs.  The rules mirror tokens() in themes/default/static/search.js; a
 * change here is a change there (and a new index version). */
#include <pthread.h>
#include <stdlib.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include "search/internal.h"
#include "util/utf8.h"

struct np_search_tokenizer {
	UBreakIterator *brk; /* NULL when ICU would not open one */
	UChar *u16;
	size_t u16_cap;
	int32_t *u16_to_cp; /* code point index of each UTF-16 unit */
	uint32_t *cps;
	size_t *offs; /* byte offset of each code point, plus the end */
	size_t cap;
};

static void bmp_init(void);
static pthread_once_t bmp_once;

np_search_tokenizer *np_search_tokenizer_new(void)
{
	pthread_once(&bmp_once, bmp_init);
	np_search_tokenizer *t = np_xcalloc(1, sizeof *t);
	UErrorCode err = U_ZERO_ERROR;
	t->brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
	if (U_FAILURE(err))
		t->brk = NULL;
	return t;
}

void np_search_tokenizer_free(np_search_tokenizer *t)
{
	if (!t)
		return;
	if (t->brk)
		ubrk_close(t->brk);
	free(t->u16);
	free(t->u16_to_cp);
	free(t->cps);
	free(t->offs);
	free(t);
}

static bool is_han(uint32_t cp);

/* Bytes of the first two code points when tok is three or more Han
 * characters, else tok.len. */
static size_t shard_key_len(np_str tok)
{
	size_t at[3], i = 0, n = 0;
	while (i < tok.len && n < 3) {
		uint32_t cp;
		at[n++] = i;
		i += np_utf8_decode(tok.p + i, tok.len - i, &cp);
		if (!is_han(cp))
			return tok.len;
	}
	return n == 3 ? at[2] : tok.len;
}

uint32_t np_search_fnv32(np_str s)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < s.len; i++) {
		h ^= (unsigned char)s.p[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t np_search_shard_of(np_str tok, uint32_t n_shards)
{
	pthread_once(&bmp_once, bmp_init);
	tok.len = shard_key_len(tok);
	return np_search_fnv32(tok) & (n_shards - 1);
}

/* Han by Unicode script (as \p{Script=Han} in the page's JavaScript). */
static bool icu_han(uint32_t cp)
{
	UErrorCode err = U_ZERO_ERROR;
	return cp >= 0x2E80 && uscript_getScript((UChar32)cp, &err) == USCRIPT_HAN;
}

/* The answers of ICU for the Basic Multilingual Plane, one bit per code
 * point, made once (asking ICU per character was a tenth of the index's
 * time): han[] is icu_han, alnum[] letters and digits that are not Han. */
static uint8_t bmp_han[0x10000 / 8], bmp_alnum[0x10000 / 8];
static pthread_once_t bmp_once = PTHREAD_ONCE_INIT;

static void bmp_init(void)
{
	for (uint32_t cp = 0; cp < 0x10000; cp++) {
		bool han = icu_han(cp), alnum = u_isalnum((UChar32)cp) && !han;
		bmp_han[cp / 8] |= (uint8_t)(han << (cp % 8));
		bmp_alnum[cp / 8] |= (uint8_t)(alnum << (cp % 8));
	}
}

static bool is_han(uint32_t cp)
{
	return cp < 0x10000 ? (bmp_han[cp / 8] >> (cp % 8)) & 1 : icu_han(cp);
}

static bool is_alnum(uint32_t cp)
{
	if (cp < 0x10000)
		return (bmp_alnum[cp / 8] >> (cp % 8)) & 1;
	return u_isalnum((UChar32)cp) && !icu_han(cp);
}

/* Decodes text into t->cps / t->offs; returns the number of code points. */
static size_t decode(np_search_tokenizer *t, np_str text)
{
	if (text.len + 1 > t->cap) {
		t->cap = text.len + 1;
		t->cps = np_xrealloc(t->cps, np_mul(t->cap, sizeof *t->cps));
		t->offs = np_xrealloc(t->offs, np_mul(t->cap, sizeof *t->offs));
	}
	size_t n = 0, i = 0;
	while (i < text.len) {
		t->offs[n] = i;
		i += np_utf8_decode(text.p + i, text.len - i, &t->cps[n]);
		n++;
	}
	t->offs[n] = text.len;
	return n;
}

static void emit_slice(np_search_tokenizer *t, np_str text, size_t a, size_t b, enum np_tok_kind k,
                       np_search_emit_fn emit, void *ctx)
{
	np_str tok = {text.p + t->offs[a], t->offs[b] - t->offs[a]};
	emit(ctx, tok, k);
}

/* A letter/digit run [a, b): lowercased, dropped when longer than
 * NP_TOK_MAX bytes. */
static void emit_alnum(np_search_tokenizer *t, size_t a, size_t b, np_search_emit_fn emit,
                       void *ctx)
{
	char out[NP_TOK_MAX + 4];
	size_t len = 0;
	for (size_t i = a; i < b; i++) {
		uint32_t cp = t->cps[i];
		uint32_t lc = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp)
		                        : (uint32_t)u_tolower((UChar32)cp);
		char enc[4];
		size_t k = np_utf8_encode(lc, enc);
		if (len + k > NP_TOK_MAX)
			return;
		memcpy(out + len, enc, k);
		len += k;
	}
	emit(ctx, (np_str){out, len}, NP_TOK_ALNUM);
}

/* Bigrams, unigrams and letter runs: one pass over the code points. */
static void scan_runs(np_search_tokenizer *t, np_str text, size_t n, unsigned opts,
                      np_search_emit_fn emit, void *ctx)
{
	size_t i = 0;
	while (i < n) {
		if (is_han(t->cps[i])) {
			if (opts & NP_TOK_UNIGRAMS)
				emit_slice(t, text, i, i + 1, NP_TOK_HAN1, emit, ctx);
			if (i + 1 < n && is_han(t->cps[i + 1]))
				emit_slice(t, text, i, i + 2, NP_TOK_BIGRAM, emit, ctx);
			i++;
		} else if (is_alnum(t->cps[i])) {
			size_t j = i;
			while (j < n && is_alnum(t->cps[j]))
				j++;
			emit_alnum(t, i, j, emit, ctx);
			i = j;
		} else {
			i++;
		}
	}
}

/* Converts the decoded code points to UTF-16 for ICU, remembering which
 * code point each unit belongs to.  Returns the UTF-16 length. */
static int32_t to_u16(np_search_tokenizer *t, size_t n)
{
	size_t need = np_add(np_mul(n, 2), 1);
	if (need > t->u16_cap) {
		t->u16_cap = need;
		t->u16 = np_xrealloc(t->u16, np_mul(need, sizeof *t->u16));
		t->u16_to_cp = np_xrealloc(t->u16_to_cp, np_mul(need, sizeof *t->u16_to_cp));
	}
	int32_t k = 0;
	for (size_t i = 0; i < n; i++) {
		UBool bad = 0;
		size_t at = (size_t)k;
		U16_APPEND(t->u16, k, (int32_t)need, (UChar32)t->cps[i], bad);
		(void)bad;
		for (size_t j = at; j < (size_t)k; j++)
			t->u16_to_cp[j] = (int32_t)i;
	}
	t->u16_to_cp[k] = (int32_t)n;
	return k;
}

/* ICU dictionary words of three or more Han characters. */
static void scan_words(np_search_tokenizer *t, np_str text, size_t n, np_search_emit_fn emit,
                       void *ctx)
{
	if (!t->brk || n < 3 || n > INT32_MAX / 2)
		return;
	int32_t len = to_u16(t, n);
	UErrorCode err = U_ZERO_ERROR;
	ubrk_setText(t->brk, t->u16, len, &err);
	if (U_FAILURE(err))
		return;
	int32_t a = ubrk_first(t->brk);
	for (int32_t b = ubrk_next(t->brk); b != UBRK_DONE; a = b, b = ubrk_next(t->brk)) {
		int32_t st = ubrk_getRuleStatus(t->brk);
		if (st < UBRK_WORD_IDEO || st >= UBRK_WORD_IDEO_LIMIT)
			continue;
		size_t ca = (size_t)t->u16_to_cp[a], cb = (size_t)t->u16_to_cp[b];
		if (cb - ca < 3)
			continue;
		bool all_han = true;
		for (size_t i = ca; i < cb && all_han; i++)
			all_han = is_han(t->cps[i]);
		if (all_han)
			emit_slice(t, text, ca, cb, NP_TOK_WORD, emit, ctx);
	}
}

void np_search_tokenize(np_search_tokenizer *t, np_str text, unsigned opts, np_search_emit_fn emit,
                        void *ctx)
{
	if (!text.len)
		return;
	size_t n = decode(t, text);
	scan_runs(t, text, n, opts, emit, ctx);
	if (opts & NP_TOK_WORDS)
		scan_words(t, text, n, emit, ctx);
}

/* Decodes the code point at s[*i] (ASCII without a call). */
static uint32_t next_cp(np_str s, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s.p + *i;
	if (p[0] < 0x80) {
		(*i)++;
		return p[0];
	}
	/* three bytes, leads that admit every continuation (no overlong form,
	 * no surrogate): all of CJK Unified Ideographs */
	if (((p[0] >= 0xE1 && p[0] <= 0xEC) || p[0] >= 0xEE) && p[0] <= 0xEF && s.len - *i >= 3 &&
	    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*i += 3;
		return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	}
	uint32_t cp;
	*i += np_utf8_decode(s.p + *i, s.len - *i, &cp);
	return cp;
}

/* A letter/digit run from s[*i] on: lowercased, dropped when longer than
 * NP_TOK_MAX bytes (as emit_alnum). */
static void body_alnum(np_str s, size_t *i, np_search_emit_fn emit, void *ctx)
{
	char out[NP_TOK_MAX + 4];
	size_t len = 0, at = *i;
	bool keep = true;
	while (at < s.len) {
		size_t next = at;
		uint32_t cp = next_cp(s, &next);
		if (!is_alnum(cp))
			break;
		uint32_t lc = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp)
		                        : (uint32_t)u_tolower((UChar32)cp);
		char enc[4];
		size_t k = np_utf8_encode(lc, enc);
		if (len + k > NP_TOK_MAX)
			keep = false;
		else
			memcpy(out + len, enc, k);
		len += keep ? k : 0;
		at = next;
	}
	*i = at;
	if (keep)
		emit(ctx, (np_str){out, len}, NP_TOK_ALNUM);
}

/* One pass over the bytes, no code point array: a body is most of the
 * index's text. */
void np_search_tokenize_body(np_search_tokenizer *t, np_str text, np_search_bigram_fn bigram,
                             np_search_emit_fn emit, void *ctx)
{
	(void)t;
	uint32_t prev = 0; /* the previous code point when it was Han */
	size_t i = 0;
	while (i < text.len) {
		size_t at = i;
		uint32_t cp = next_cp(text, &i);
		if (is_han(cp)) {
			if (prev)
				bigram(ctx, prev, cp);
			prev = cp;
		} else if (is_alnum(cp)) {
			prev = 0;
			i = at;
			body_alnum(text, &i, emit, ctx);
		} else {
			prev = 0;
		}
	}
}
