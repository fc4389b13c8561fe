/* Character-level normalisation of one line (issue 3, "Normalise").
 *
 * Three passes over the line's code points, each linear, with one scratch
 * array per line (on the stack for ordinary lines) and no allocation per
 * character:
 *
 *   1. decode UTF-8, fold full-width digits and Latin letters to ASCII
 *      (`２０２２` -> `2022`), turn every kind of space into one class, and
 *      note whether the line can be anything but NFC; only then is ICU's
 *      normaliser called on it;
 *   2. ASCII punctuation `,:;!?()` and straight quotes take their
 *      full-width / curly form when a neighbour is Chinese (pages 000-002
 *      were typed with half-width punctuation: `8月26日,全国`);
 *      punctuation between Latin letters or digits stays (`63.7%`, `10:30`);
 *   3. write UTF-8, deciding each run of spaces from the characters on
 *      either side of it (pages 003-004 are justified narrow columns whose
 *      spaces sit after `。，、；` and between digits and Chinese:
 *      `成效， 要求`, `8 月 16 日`, `全国 28 个省`, `联合会 ）`).  A space
 *      between two Chinese words stays: it separates phrases in titles
 *      and quotations (`“村村播 家家富”`, page 002; `《上海市民政局 甘肃省
 *      民政厅…》`, page 004; headline `探索医社共治新路径 广东…`). */
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "text/text.h"
#include "util/utf8.h"

enum { SPACE = 0x20, STACK_CPS = 1024, PAREN_DEPTH = 32 };

/* ---- character classes ------------------------------------------------ */

static bool is_space_cp(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' || c == 0xA0 ||
	       c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F;
}

static bool is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_latin(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* Han ideographs and kana: the letters of Chinese (and Japanese) text. */
static bool is_cjk_letter(uint32_t c)
{
	return np_is_han((uint32_t)c) || (c >= 0x3040 && c <= 0x30FF);
}

/* Opening brackets and quotes: a space after one is justification. */
static bool is_zh_open(uint32_t c)
{
	switch (c) {
	case 0xFF08: /* （ */
	case 0x300A: /* 《 */
	case 0x300C: /* 「 */
	case 0x300E: /* 『 */
	case 0x3010: /* 【 */
	case 0x3014: /* 〔 */
	case 0x3008: /* 〈 */
	case 0x201C: /* “ */
	case 0x2018: /* ‘ */
	case 0xFF3B: /* ［ */
	case 0xFF5B: /* ｛ */
		return true;
	}
	return false;
}

/* Closing brackets and quotes and the clause punctuation: a space before
 * one of these is always justification. */
static bool is_zh_close(uint32_t c)
{
	switch (c) {
	case 0x3002: /* 。 */
	case 0xFF0C: /* ， */
	case 0x3001: /* 、 */
	case 0xFF1B: /* ； */
	case 0xFF1A: /* ： */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case 0xFF09: /* ） */
	case 0x300B: /* 》 */
	case 0x300D: /* 」 */
	case 0x300F: /* 』 */
	case 0x3011: /* 】 */
	case 0x3015: /* 〕 */
	case 0x3009: /* 〉 */
	case 0x201D: /* ” */
	case 0x2019: /* ’ */
	case 0xFF3D: /* ］ */
	case 0xFF5D: /* ｝ */
	case 0xFF0E: /* ． */
		return true;
	}
	return false;
}

static bool is_zh_punct(uint32_t c)
{
	return is_zh_open(c) || is_zh_close(c) || c == 0x2026 /* … */ || c == 0x2014 /* — */ ||
	       c == 0xFF5E /* ～ */ || c == 0x00B7 /* · */ || c == 0x30FB /* ・ */;
}

/* A neighbour that makes ASCII punctuation "inside Chinese text". */
static bool is_zh(uint32_t c)
{
	return is_cjk_letter(c) || is_zh_punct(c);
}

/* Digits and what sticks to a number before a Chinese unit (`50% 的`). */
static bool is_numeric(uint32_t c)
{
	return is_digit(c) || c == '%' || c == 0x2030 /* ‰ */ || c == 0x2103 /* ℃ */;
}

/* ASCII punctuation and the full-width stop and percent sign that pass 2
 * may convert. */
static bool is_convertible(uint32_t c)
{
	return c == ',' || c == ':' || c == ';' || c == '!' || c == '?' || c == '(' || c == ')' ||
	       c == '"' || c == '\'' || c == 0xFF0E || c == 0xFF05;
}

/* ---- pass 1: decode, fold, check NFC -------------------------------- */

/* Full-width digits and Latin letters to ASCII; every space to SPACE;
 * zero-width space and a stray BOM to nothing (returns 0). */
static uint32_t fold(uint32_t c)
{
	if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
	    (c >= 0xFF41 && c <= 0xFF5A))
		return c - 0xFF00 + 0x20;
	if (is_space_cp(c))
		return SPACE;
	if (c == 0x200B || c == 0xFEFF)
		return 0;
	return c;
}

/* True when c is certainly unchanged by NFC whatever surrounds it.  The
 * ranges cover nearly all of a Chinese page without a property lookup. */
static bool nfc_safe(uint32_t c)
{
	if (c < 0x300 || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3000 && c <= 0x3029) ||
	    (c >= 0xFF01 && c <= 0xFF60) || (c >= 0x2010 && c <= 0x2027) ||
	    (c >= 0x3400 && c <= 0x4DBF))
		return true;
	return u_getIntPropertyValue((UChar32)c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES &&
	       u_getCombiningClass((UChar32)c) == 0;
}

typedef struct cps {
	uint32_t *c;
	size_t n, cap;
	uint32_t stack[STACK_CPS];
	uint32_t *heap;
} cps;

static void cps_reserve(cps *v, size_t n)
{
	v->heap = NULL;
	v->cap = n <= STACK_CPS ? STACK_CPS : n;
	v->c = n <= STACK_CPS ? v->stack : (v->heap = np_xmalloc(np_mul(n, sizeof(uint32_t))));
	v->n = 0;
}

/* Decodes and folds; returns true when NFC may change the line.  *plain:
 * that no later pass can change it either (every code point decoded as it
 * was written, none folded, no space, nothing pass 2 converts), so the
 * line's own bytes are its normal form. */
static bool decode_line(cps *v, np_str s, bool *plain)
{
	bool nfc = false, same = true;
	cps_reserve(v, s.len);
	for (size_t i = 0; i < s.len;) {
		unsigned char b = (unsigned char)s.p[i];
		uint32_t c;
		if (b < 0x80) {
			c = b;
			i++;
		} else if ((b & 0xF0) == 0xE0 && s.len - i >= 3 &&
		           ((unsigned char)s.p[i + 1] & 0xC0) == 0x80 &&
		           ((unsigned char)s.p[i + 2] & 0xC0) == 0x80 &&
		           (b != 0xE0 || (unsigned char)s.p[i + 1] >= 0xA0) &&
		           (b != 0xED || (unsigned char)s.p[i + 1] < 0xA0)) {
			/* three bytes: nearly every character of a Chinese page */
			c = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(s.p[i + 1] & 0x3F) << 6 |
			    (uint32_t)(s.p[i + 2] & 0x3F);
			i += 3;
		} else {
			i += np_utf8_decode(s.p + i, s.len - i, &c);
			same = false; /* rare: checking it is not worth it */
		}
		uint32_t f = fold(c);
		same &= f == c && f != SPACE && !is_convertible(f);
		if (f == 0)
			continue;
		if (!nfc && !nfc_safe(f))
			nfc = true;
		v->c[v->n++] = f;
	}
	*plain = same && !nfc;
	return nfc;
}

/* Replaces the code points of v by their NFC form (ICU works in UTF-16).
 * On any ICU failure the line is left as it was. */
static void nfc_line(cps *v)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	size_t cap = np_add(np_mul(v->n, 2), 1);
	if (U_FAILURE(st) || cap > INT32_MAX / 4)
		return;
	UChar *a = np_xmalloc(np_mul(cap, sizeof(UChar)));
	UChar *b = np_xmalloc(np_mul(cap, 2 * sizeof(UChar)));
	UChar32 *c = NULL;
	int32_t na = 0, nc = 0;
	u_strFromUTF32(a, (int32_t)cap, &na, (const UChar32 *)v->c, (int32_t)v->n, &st);
	int32_t nb = unorm2_normalize(nfc, a, na, b, (int32_t)(cap * 2), &st);
	if (U_FAILURE(st))
		goto out;
	c = np_xmalloc(np_mul((size_t)nb + 1, sizeof(UChar32)));
	u_strToUTF32(c, nb + 1, &nc, b, nb, &st);
	/* NFC may lengthen a line (composition exclusions); the scratch
	 * array has room for one code point per input byte, which bounds it. */
	if (U_SUCCESS(st) && (size_t)nc <= v->cap) {
		memcpy(v->c, c, (size_t)nc * sizeof(uint32_t));
		v->n = (size_t)nc;
	}
out:
	free(a);
	free(b);
	free(c);
}

/* ---- pass 2: punctuation in Chinese context ------------------------- */

typedef struct punct {
	uint32_t prev;             /* context to the left (see next_ctx) */
	size_t open[PAREN_DEPTH];  /* indexes of unmatched '(' */
	bool open_zh[PAREN_DEPTH]; /* ... and whether each sits in Chinese */
	int depth;
	bool dq, sq;       /* a curly double / single quote is open */
	size_t next_at;    /* next_ctx's cache: where it stopped ... */
	uint32_t next_val; /* ... and what it found there */
} punct;

/* ASCII punctuation that pass 2 may still convert. */
static bool is_pending(uint32_t c)
{
	return c < 0x80 && is_convertible(c);
}

/* The context to the right of i: the next code point that is neither a
 * space nor ASCII punctuation still to be converted (in `中国 ,"(…` the
 * comma looks past `"(`), so the result does not depend on the order of
 * conversion and normalising twice changes nothing.  The answer is cached
 * (p->next_at, p->next_val): a run of a million commas is scanned once,
 * and the sweep changes nothing to the right of i before it gets there. */
static uint32_t next_ctx(const cps *v, size_t i, punct *p)
{
	if (p->next_at > i)
		return p->next_val;
	size_t j = i + 1;
	while (j < v->n && (v->c[j] == SPACE || is_pending(v->c[j])))
		j++;
	p->next_at = j;
	p->next_val = j < v->n ? v->c[j] : 0;
	return p->next_val;
}

/* Straight quote at i to curly: opening after a space, an opening bracket
 * or the line start; closing before a space, closing punctuation or the
 * line end; otherwise the opposite of the last quote of its kind. */
static uint32_t curly(const cps *v, size_t i, bool *open, uint32_t opening, uint32_t closing)
{
	uint32_t before = i ? v->c[i - 1] : 0, after = i + 1 < v->n ? v->c[i + 1] : 0;
	bool as_open;
	if (*open && before != 0 && before != SPACE)
		as_open = false;
	else if (before == 0 || before == SPACE || before == '(' || is_zh_open(before))
		as_open = true;
	else if (after == 0 || after == SPACE || after == ')' || is_zh_close(after))
		as_open = false;
	else
		as_open = !*open;
	*open = as_open;
	return as_open ? opening : closing;
}

/* '(' waits for its ')': the pair becomes （） when either bracket has a
 * Chinese neighbour (`市(州)和` -> `市（州）和`, `(1)加强` -> `（1）加强`)
 * and stays ASCII inside Latin text (`f(x)`). */
static void paren(cps *v, size_t i, bool zh, punct *p)
{
	if (v->c[i] == '(') {
		if (p->depth < PAREN_DEPTH) {
			p->open[p->depth] = i;
			p->open_zh[p->depth++] = zh;
		} else if (zh) {
			v->c[i] = 0xFF08;
		}
		return;
	}
	if (p->depth > 0) {
		p->depth--;
		if (!zh && !p->open_zh[p->depth])
			return;
		v->c[p->open[p->depth]] = 0xFF08;
	} else if (!zh) {
		return;
	}
	v->c[i] = 0xFF09;
}

static uint32_t to_fullwidth(uint32_t c)
{
	switch (c) {
	case ',':
		return 0xFF0C;
	case ':':
		return 0xFF1A;
	case ';':
		return 0xFF1B;
	case '!':
		return 0xFF01;
	case '?':
		return 0xFF1F;
	}
	return c;
}

static void convert_one(cps *v, size_t i, punct *p)
{
	uint32_t c = v->c[i];
	bool zh = is_zh(p->prev) || is_zh(next_ctx(v, i, p));
	switch (c) {
	case ',':
	case ':':
	case ';':
	case '!':
	case '?':
		if (zh)
			v->c[i] = to_fullwidth(c);
		break;
	case '(':
	case ')':
		paren(v, i, zh, p);
		break;
	case '"': /* a quote opened as “ closes as ” whatever its neighbours */
		if (zh || p->dq)
			v->c[i] = curly(v, i, &p->dq, 0x201C, 0x201D);
		break;
	case '\'':
		if (zh || p->sq)
			v->c[i] = curly(v, i, &p->sq, 0x2018, 0x2019);
		break;
	case 0xFF0E: /* ． inside a number, once its digits are ASCII */
		if (i > 0 && is_digit(v->c[i - 1]) && i + 1 < v->n && is_digit(v->c[i + 1]))
			v->c[i] = '.';
		break;
	case 0xFF05: /* ％ after a number */
		if (i > 0 && is_digit(v->c[i - 1]))
			v->c[i] = '%';
		break;
	}
}

/* One left-to-right sweep; returns how many code points it changed. */
static size_t convert_sweep(cps *v)
{
	punct p = {0};
	size_t changed = 0;
	for (size_t i = 0; i < v->n; i++) {
		uint32_t c = v->c[i];
		if (c == SPACE)
			continue;
		if (is_convertible(c)) {
			convert_one(v, i, &p);
			changed += v->c[i] != c;
		}
		/* ASCII punctuation left as it is is no context (see next_ctx) */
		if (!is_pending(v->c[i]))
			p.prev = v->c[i];
	}
	/* An unmatched '(' (the line wraps inside the brackets). */
	for (int k = 0; k < p.depth; k++) {
		if (p.open_zh[k]) {
			v->c[p.open[k]] = 0xFF08;
			changed++;
		}
	}
	return changed;
}

/* A converted bracket or quote is itself Chinese context for punctuation
 * next to it (`;(2国)` -> `；（2国）`), so sweep again while a sweep
 * changed something, at most three times: one sweep settles real text,
 * the bound keeps adversarial input linear. */
static void convert_punct(cps *v)
{
	for (int k = 0; k < 3 && convert_sweep(v) > 0; k++)
		;
}

/* ---- pass 3: spaces and output -------------------------------------- */

/* Full-width opening brackets carry their own spacing: a space before one
 * is justification.  (Quotes and book-title marks are not in this list: a
 * space before them can separate two phrases of a headline.) */
static bool is_zh_bracket_open(uint32_t c)
{
	return c == 0xFF08 || c == 0x3010 || c == 0x3014 || c == 0xFF3B || c == 0xFF5B;
}

/* Whether a run of spaces between l and r (0 at either end of the line)
 * belongs to the text.  Justification spaces go: around Chinese
 * punctuation, between numbers and Chinese.  Spaces between Chinese words
 * (phrase separators), before an opening quote or title mark that follows
 * a word, and in Latin text stay. */
static bool keep_space(uint32_t l, uint32_t r)
{
	if (l == 0 || r == 0)
		return false;
	if (l == 0x201D || l == 0x2019) /* ” ’ : apostrophes in Latin text */
		return is_latin(r);
	if (is_zh_open(l) || is_zh_close(l) || is_zh_close(r) || is_zh_bracket_open(r))
		return false;
	if ((is_numeric(l) && is_cjk_letter(r)) || (is_cjk_letter(l) && is_digit(r)))
		return false;
	if (is_digit(l) && (r == '%' || r == 0x2030 || r == 0x2103)) /* `50 %` */
		return false;
	if ((is_zh_punct(l) && is_cjk_letter(r)) ||
	    (is_cjk_letter(l) && is_zh_punct(r) && !is_zh_open(r)))
		return false;
	return true;
}

static void put_cp(np_buf *b, uint32_t c)
{
	if (b->cap - b->len < 5)
		np_buf_grow(b, 4);
	if (c < 0x80)
		b->data[b->len++] = (char)c;
	else
		b->len += np_utf8_encode(c, b->data + b->len);
}

static void emit(np_buf *out, const cps *v)
{
	uint32_t last = 0;
	np_buf_grow(out, v->n + 16);
	for (size_t i = 0; i < v->n;) {
		if (v->c[i] != SPACE) {
			put_cp(out, last = v->c[i++]);
			continue;
		}
		size_t j = i;
		while (j < v->n && v->c[j] == SPACE)
			j++;
		if (keep_space(last, j < v->n ? v->c[j] : 0))
			put_cp(out, ' ');
		i = j;
	}
	out->data[out->len] = '\0';
}

/* See text.h.  Appends the normalised form of line to out; line must not
 * contain '\n'.  Allocates only for lines longer than STACK_CPS bytes and
 * for lines that need ICU's NFC. */
void np_text_normalise(np_buf *out, np_str line)
{
	cps v;
	bool plain;
	if (decode_line(&v, line, &plain))
		nfc_line(&v);
	if (plain) {
		np_buf_putstr(out, line);
	} else {
		convert_punct(&v);
		emit(out, &v);
	}
	free(v.heap);
}
