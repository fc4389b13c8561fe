/* Pinyin and slugs (see translit.h).  ICU transliterators are expensive to
 * build (the Han-Latin rules take ~0.1 s) and not safe to share, hence one
 * compiled prototype and one clone per thread. */
#include "util/translit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "util/err.h"
#include "util/utf8.h"

static pthread_once_t proto_once = PTHREAD_ONCE_INIT;
static UTransliterator *proto;
static pthread_key_t tr_key;
/* The thread's clone, also kept in tr_key so that it is closed at thread
 * exit; this copy is what the leak checker sees while the thread lives. */
static _Thread_local UTransliterator *tr_mine;

static void close_tr(void *p)
{
	utrans_close(p);
}

static void build_proto(void)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar id[32];
	u_uastrcpy(id, "Han-Latin; Latin-ASCII");
	if (pthread_key_create(&tr_key, close_tr) != 0)
		return;
	proto = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st))
		proto = NULL;
}

/* The calling thread's transliterator, or NULL if ICU cannot build one. */
static UTransliterator *thread_tr(void)
{
	pthread_once(&proto_once, build_proto);
	if (!proto)
		return NULL;
	if (!tr_mine) {
		UErrorCode st = U_ZERO_ERROR;
		tr_mine = utrans_clone(proto, &st);
		if (U_FAILURE(st)) {
			tr_mine = NULL;
			return NULL;
		}
		pthread_setspecific(tr_key, tr_mine);
	}
	return tr_mine;
}

void np_translit_thread_cleanup(void)
{
	if (!tr_mine)
		return;
	pthread_setspecific(tr_key, NULL);
	utrans_close(tr_mine);
	tr_mine = NULL;
}

static bool is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* s as UTF-16 with a space wherever Han meets a letter or digit (ICU writes
 * "2022nian" otherwise).  Room is left for the transliteration to grow:
 * the longest syllable plus its space is 7 units per Han character. */
static UChar *to_utf16(np_str s, int32_t *len, int32_t *cap)
{
	size_t room = np_add(np_mul(s.len, 8), 16);
	if (room > INT32_MAX)
		return NULL;
	UChar *u = np_xmalloc(np_mul(room, sizeof(UChar)));
	int32_t n = 0;
	uint32_t prev = 0;
	for (size_t i = 0; i < s.len;) {
		uint32_t c;
		i += np_utf8_decode(s.p + i, s.len - i, &c);
		if ((np_is_han(c) && is_alnum(prev)) || (is_alnum(c) && np_is_han(prev)))
			u[n++] = ' ';
		U16_APPEND_UNSAFE(u, n, c);
		prev = c;
	}
	*len = n;
	*cap = (int32_t)room;
	return u;
}

int np_pinyin(np_buf *out, np_str s)
{
	UTransliterator *t = thread_tr();
	int rc = NP_EINVAL;
	int32_t len = 0, cap = 0;
	UChar *u = t ? to_utf16(s, &len, &cap) : NULL;
	if (!u)
		return NP_EINVAL;
	UErrorCode st = U_ZERO_ERROR;
	int32_t limit = len;
	utrans_transUChars(t, u, &len, cap, 0, &limit, &st);
	if (U_FAILURE(st))
		goto out;
	int32_t n8 = 0;
	u_strToUTF8WithSub(NULL, 0, &n8, u, len, 0xFFFD, NULL, &st);
	st = U_ZERO_ERROR;
	np_buf_grow(out, (size_t)n8);
	u_strToUTF8WithSub(out->data + out->len, n8 + 1, &n8, u, len, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		goto out;
	out->len += (size_t)n8;
	out->data[out->len] = '\0';
	rc = 0;
out:
	free(u);
	return rc;
}

/* Cuts s[0..len) back to the last '-' at or before NP_SLUG_MAX. */
static size_t slug_cut(const char *s, size_t len)
{
	if (len <= NP_SLUG_MAX)
		return len;
	size_t cut = NP_SLUG_MAX;
	while (cut > 0 && s[cut] != '-')
		cut--;
	return cut ? cut : NP_SLUG_MAX;
}

/* Appends py's runs of [a-z0-9] (lowercased) to out, one '-' between runs. */
static void put_tokens(np_buf *out, const char *py, size_t n)
{
	size_t start = out->len;
	bool dash = false;
	for (size_t i = 0; i < n; i++) {
		char c = py[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			dash = out->len > start;
			continue;
		}
		if (dash)
			np_buf_putc(out, '-');
		np_buf_putc(out, c);
		dash = false;
	}
}

int np_slugify_icu(np_buf *out, np_str title)
{
	np_buf py;
	np_buf_init(&py);
	int rc = np_pinyin(&py, title);
	if (rc == 0) {
		size_t start = out->len;
		put_tokens(out, py.data, py.len);
		np_buf_truncate(out, start + slug_cut(out->data + start, out->len - start));
	}
	np_buf_dispose(&py);
	return rc;
}

/* ---- the slug memo ---------------------------------------------------
 *
 * ICU runs its rules character by character against hundreds of sets:
 * tens of microseconds a title, a fifth of an ingest.  But every rule of
 * Han-Latin and Latin-ASCII save a handful maps one character with no
 * context, and ICU spaces each ideograph apart from its neighbours
 * (Han-Spacedhan), so a slug is the tokens of its characters taken one at a
 * time: a Han character gives its syllable as a token of its own, ASCII
 * stays as it is, punctuation breaks.  The memo holds that per BMP code
 * point, filled from ICU itself on first use.  A title with a character
 * the memo cannot vouch for (one a context rule reads, a mark, a
 * supplementary-plane character, one whose transliteration is more than
 * one token) goes through ICU whole.  test_util_translit compares the two
 * paths over every BMP code point. */

enum { MEMO_UNKNOWN, MEMO_WHOLE, MEMO_BREAK, MEMO_SYLLABLE };

/* Per code point: the kind in the low byte, a syllable's letters (up to 7,
 * NUL-padded) above it.  Any thread fills an entry; all fill it alike. */
static _Atomic uint64_t memo[0x10000];
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;
/* The characters some rule reads in context; NULL when the rules could
 * not be read, and then the memo is not used. */
static USet *context_chars;

/* Index just past the set that starts at r[i] ('['), or -1. */
static int32_t set_end(const UChar *r, int32_t n, int32_t i)
{
	int depth = 0;
	for (; i < n; i++) {
		if (r[i] == '\\')
			i++;
		else if (r[i] == '[')
			depth++;
		else if (r[i] == ']' && --depth == 0)
			return i + 1;
	}
	return -1;
}

/* Adds the characters of r[from..to) to set, quotes and escapes aside. */
static void add_literal(USet *set, const UChar *r, int32_t from, int32_t to)
{
	for (int32_t i = from; i < to;) {
		UChar32 c;
		U16_NEXT(r, i, to, c);
		if (c != '\'' && c != '\\' && c != ' ')
			uset_add(set, c);
	}
}

/* One rule's left side r[0..n): adds to set the characters whose reading
 * it makes depend on context.  False when it cannot tell. */
static bool scan_lhs(USet *set, const UChar *r, int32_t n)
{
	int32_t open = -1, close = -1, chars = 0;
	for (int32_t i = 0; i < n; i++) {
		if (r[i] == '[') {
			int32_t e = set_end(r, n, i);
			if (e < 0 || u_memchr(r + i, '{', e - i) || u_memchr(r + i, '$', e - i))
				return false; /* strings or variables in a set */
			i = e - 1, chars++;
		} else if (r[i] == '{') {
			open = i;
		} else if (r[i] == '}') {
			close = i;
		} else if (r[i] == '$' || r[i] == '^') {
			return false;
		} else if (r[i] == '\\') {
			i++, chars++;
		} else if (r[i] != '\'' && r[i] != ' ') {
			chars += !U16_IS_TRAIL(r[i]);
		}
	}
	if (open < 0 && chars <= 1)
		return true; /* one character or one set, no context */
	int32_t from = open < 0 ? 0 : open + 1, to = close < 0 ? n : close;
	if (from < to && r[from] == '[') {
		UErrorCode st = U_ZERO_ERROR;
		int32_t e = set_end(r, to, from);
		USet *key = e < 0 ? NULL : uset_openPattern(r + from, e - from, &st);
		if (!key || U_FAILURE(st))
			return false;
		uset_addAll(set, key);
		uset_close(key);
		return true;
	}
	if (open < 0 && u_memchr(r, '[', n))
		return false;
	add_literal(set, r, from, to);
	return true;
}

/* Scans every forward rule of transliterator id. */
static bool scan_rules(USet *set, const char *id)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar uid[32];
	u_uastrcpy(uid, id);
	UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	int32_t n = t ? utrans_toRules(t, 0, NULL, 0, &st) : 0;
	st = st == U_BUFFER_OVERFLOW_ERROR ? U_ZERO_ERROR : st;
	UChar *r = U_SUCCESS(st) ? np_xmalloc(np_mul((size_t)n + 1, sizeof *r)) : NULL;
	bool ok = r && utrans_toRules(t, 0, r, n + 1, &st) >= 0 && U_SUCCESS(st);
	for (int32_t i = 0; ok && i < n;) {
		const UChar *nl = u_memchr(r + i, '\n', n - i);
		int32_t end = nl ? (int32_t)(nl - r) : n, arrow = -1;
		for (int32_t k = i; k < end && arrow < 0; k++)
			if (r[k] == '\\')
				k++;
			else if (r[k] == '>' || r[k] == '<' || r[k] == 0x2192 || r[k] == 0x2190 ||
			         r[k] == 0x2194)
				arrow = k;
		bool skip =
		    end == i || r[i] == '#' || (end - i >= 2 && r[i] == ':' && r[i + 1] == ':');
		if (!skip && (arrow < 0 || r[i] == '$'))
			ok = false; /* a variable, or a line this does not know */
		else if (!skip && !((r[arrow] == '<' && r[arrow + 1] != '>') || r[arrow] == 0x2190))
			ok = scan_lhs(set, r + i, arrow - i);
		i = end + 1;
	}
	free(r);
	if (t)
		utrans_close(t);
	return ok;
}

static void memo_init(void)
{
	USet *set = uset_openEmpty();
	if (scan_rules(set, "Han-Latin") && scan_rules(set, "Han-Spacedhan") &&
	    scan_rules(set, "Latin-ASCII")) {
		uset_freeze(set);
		context_chars = set;
	} else {
		uset_close(set);
	}
}

/* What code point c (non-ASCII, BMP) gives on its own, through ICU. */
static uint64_t memo_fill(uint32_t c)
{
	int8_t gc = u_charType((UChar32)c);
	bool han = np_is_han(c) && gc == U_OTHER_LETTER;
	bool punct = (U_GC_P_MASK | U_GC_S_MASK | U_GC_ZS_MASK) & U_MASK(gc);
	uint64_t e = MEMO_WHOLE;
	if ((han || punct) && !uset_contains(context_chars, (UChar32)c)) {
		char u8[4];
		np_buf py, tok;
		np_buf_init(&py);
		np_buf_init(&tok);
		if (np_pinyin(&py, (np_str){u8, np_utf8_encode(c, u8)}) == 0) {
			put_tokens(&tok, py.data, py.len);
			if (tok.len == 0)
				e = MEMO_BREAK;
			else if (han && tok.len <= 7 && !memchr(tok.data, '-', tok.len)) {
				e = MEMO_SYLLABLE;
				for (size_t k = 0; k < tok.len; k++)
					e |= (uint64_t)(unsigned char)tok.data[k] << (8 * (k + 1));
			}
		}
		np_buf_dispose(&py);
		np_buf_dispose(&tok);
	}
	atomic_store_explicit(&memo[c], e, memory_order_relaxed);
	return e;
}

/* The slug of title into out from the memo; false (out as it was) when a
 * character needs the whole title to go through ICU. */
static bool slug_from_memo(np_buf *out, np_str s)
{
	size_t start = out->len;
	bool gap = false; /* a break since the last token */
	for (size_t i = 0; i < s.len;) {
		uint32_t c;
		i += np_utf8_decode(s.p + i, s.len - i, &c);
		if (c < 0x80 && is_alnum(c)) {
			if (gap && out->len > start)
				np_buf_putc(out, '-');
			np_buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
			gap = false;
			continue;
		}
		uint64_t e = c < 0x80      ? MEMO_BREAK
		             : c < 0x10000 ? atomic_load_explicit(&memo[c], memory_order_relaxed)
		                           : MEMO_WHOLE;
		if ((e & 0xff) == MEMO_UNKNOWN)
			e = memo_fill(c);
		switch (e & 0xff) {
		case MEMO_BREAK:
			gap = true;
			break;
		case MEMO_SYLLABLE:
			if (out->len > start)
				np_buf_putc(out, '-');
			for (e >>= 8; e; e >>= 8)
				np_buf_putc(out, (char)(e & 0xff));
			gap = true;
			break;
		default:
			np_buf_truncate(out, start);
			return false;
		}
	}
	return true;
}

/* Whether ICU can transliterate at all; the memo is then set up too.  No
 * transliterator of the calling thread's own: a thread whose titles the
 * memo answers never clones one. */
static bool icu_usable(void)
{
	pthread_once(&proto_once, build_proto);
	if (!proto)
		return false;
	pthread_once(&memo_once, memo_init);
	return true;
}

bool np_translit_memo_active(void)
{
	return icu_usable() && context_chars != NULL;
}

int np_slugify(np_buf *out, np_str title)
{
	if (!icu_usable())
		return NP_EINVAL;
	size_t start = out->len;
	if (!context_chars || !slug_from_memo(out, title))
		return np_slugify_icu(out, title);
	np_buf_truncate(out, start + slug_cut(out->data + start, out->len - start));
	return 0;
}
