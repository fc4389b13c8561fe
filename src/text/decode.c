/* Decoding raw page bytes into UTF-8 (issue 3, "Decode").
 *
 * Order of decisions: a declared encoding (site.yaml / issue.yaml) wins;
 * else a byte-order mark; else valid UTF-8; else ICU's charset detector,
 * restricted to the encodings Chinese papers actually arrive in (GB18030,
 * which covers GBK and GB2312, and Big5).
 *
 * All output goes through one emitter that turns CR and CRLF into LF, keeps
 * the line number of the text it has written, and reports each invalid input
 * sequence at the line and code-point column of the U+FFFD that replaces it,
 * echoing the decoded line.  Only the first NP_DECODE_MAX_REPORTS are
 * reported one by one, so a page of garbage cannot flood the diagnostics or
 * cost quadratic time (columns are counted only for reported sequences). */
#include <stdio.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include "text/text.h"
#include "util/err.h"
#include "util/utf8.h"

enum { NP_DECODE_MAX_REPORTS = 20, NP_DETECT_SAMPLE = 256 * 1024 };

typedef struct pending {
	unsigned col;
	char what[64];
} pending;

typedef struct emitter {
	np_buf *out;
	const char *path;
	np_diags *d;
	const char *enc;
	size_t base;       /* out->len when decoding started */
	unsigned line;     /* line number of the text being written */
	size_t line_start; /* offset in out of that line */
	bool skip_lf;      /* last char was CR: a following LF is part of it */
	bool nul;          /* a U+0000 was decoded (UTF-16 input) */
	size_t nbad;       /* invalid sequences seen */
	pending pend[NP_DECODE_MAX_REPORTS];
	size_t npend;      /* reports waiting for the end of their line */
} emitter;

static void emitter_init(emitter *e, np_buf *out, const char *path, np_diags *d,
                         const char *enc)
{
	memset(e, 0, sizeof *e);
	e->out = out;
	e->path = path;
	e->d = d;
	e->enc = enc;
	e->base = out->len;
	e->line = 1;
	e->line_start = out->len;
}

/* Reports the invalid sequences of the line that just ended (or the last
 * line), echoing the decoded line under each message. */
static void flush_line(emitter *e, size_t line_end)
{
	np_str src = {e->out->data + e->line_start, line_end - e->line_start};
	for (size_t i = 0; i < e->npend; i++)
		np_diag_add_src(e->d, NP_WARNING, e->path, e->line, e->pend[i].col, src,
		                "invalid %s byte sequence %s replaced by U+FFFD", e->enc,
		                e->pend[i].what);
	e->npend = 0;
}

static void new_line(emitter *e, size_t next_start)
{
	if (e->npend)
		flush_line(e, next_start - 1);
	e->line++;
	e->line_start = next_start;
}

/* Appends U+FFFD for the invalid bytes bad[0..n) at the current position. */
static void emit_bad(emitter *e, const char *bad, size_t n)
{
	e->skip_lf = false;
	if (e->nbad++ < NP_DECODE_MAX_REPORTS) {
		pending *p = &e->pend[e->npend++];
		size_t at = e->out->len - e->line_start;
		p->col = (unsigned)np_utf8_count(e->out->data + e->line_start, at) + 1;
		size_t k = 0;
		for (size_t i = 0; i < n && i < 8; i++)
			k += (size_t)snprintf(p->what + k, sizeof p->what - k, "%s0x%02X",
			                      i ? " " : "", (unsigned char)bad[i]);
		if (n > 8)
			snprintf(p->what + k, sizeof p->what - k, " ...");
	}
	np_buf_put(e->out, "\xEF\xBF\xBD", 3);
}

/* Appends s[0..len), valid UTF-8, turning CR and CRLF into LF. */
static void emit_valid(emitter *e, const char *s, size_t len)
{
	size_t start = 0;
	if (e->skip_lf && len && s[0] == '\n')
		start = 1;
	e->skip_lf = false;
	for (size_t i = start; i < len; i++) {
		char c = s[i];
		if (c != '\n' && c != '\r') {
			if (c == '\0')
				e->nul = true;
			continue;
		}
		np_buf_put(e->out, s + start, i - start);
		np_buf_putc(e->out, '\n');
		new_line(e, e->out->len);
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		else if (c == '\r' && i + 1 == len)
			e->skip_lf = true;
		start = i + 1;
	}
	np_buf_put(e->out, s + start, len - start);
}

static void emitter_finish(emitter *e)
{
	if (e->npend)
		flush_line(e, e->out->len);
	if (e->nbad > NP_DECODE_MAX_REPORTS)
		np_diag_add(e->d, NP_WARNING, e->path, 0, 0,
		            "%zu more invalid %s byte sequences replaced by U+FFFD", 
		            e->nbad - NP_DECODE_MAX_REPORTS, e->enc);
}

/* Length of the valid UTF-8 prefix of s[0..len): ASCII eight bytes at a
 * time, the rest one code point at a time. */
static size_t utf8_valid_prefix(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = np_utf8_decode(s + i, len - i, &cp);
		if (cp == NP_REPLACEMENT && n == 1)
			return i;
		i += n;
	}
	return len;
}

/* How many bytes, starting at an invalid byte, to replace by one U+FFFD: the
 * lead byte and the continuation bytes it announced that did arrive (the
 * "maximal subpart" practice of Unicode 3.9 / ICU). */
static size_t utf8_bad_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t want = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 1;
	size_t n = 1;
	while (n < want && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
		n++;
	return n;
}

static void decode_utf8(emitter *e, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t ok = utf8_valid_prefix(s + i, len - i);
		emit_valid(e, s + i, ok);
		i += ok;
		if (i < len) {
			size_t n = utf8_bad_len(s + i, len - i);
			emit_bad(e, s + i, n);
			i += n;
		}
	}
}

/* Appends UTF-16 units u[0..n) (complete code points) as UTF-8. */
static void emit_utf16(emitter *e, const UChar *u, int32_t n)
{
	char tmp[4096 * 3];
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = 0;
	/* Lone surrogates cannot come out of a converter with the STOP
	 * callback; substitute anyway rather than fail. */
	u_strToUTF8WithSub(tmp, (int32_t)sizeof tmp, &len, u, n, 0xFFFD, NULL, &st);
	if (U_SUCCESS(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		emit_valid(e, tmp, (size_t)len);
}

static bool is_conversion_error(UErrorCode st)
{
	return st == U_INVALID_CHAR_FOUND || st == U_ILLEGAL_CHAR_FOUND ||
	       st == U_TRUNCATED_CHAR_FOUND || st == U_ILLEGAL_ESCAPE_SEQUENCE ||
	       st == U_UNSUPPORTED_ESCAPE_SEQUENCE;
}

/* Converts with ICU in chunks.  The STOP callback hands each invalid
 * sequence back to us: we emit U+FFFD (with a report) and carry on. */
static int decode_icu(emitter *e, UConverter *cv, const char *s, size_t len)
{
	enum { N = 4096 };
	UChar u[N];
	UErrorCode st = U_ZERO_ERROR;
	ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
	if (U_FAILURE(st))
		return NP_EENC;
	const char *src = s, *lim = s + len;
	int32_t carry = 0;
	for (;;) {
		UChar *t = u + carry;
		st = U_ZERO_ERROR;
		ucnv_toUnicode(cv, &t, u + N, &src, lim, NULL, true, &st);
		int32_t n = (int32_t)(t - u);
		carry = n > 0 && U16_IS_LEAD(u[n - 1]) && st == U_BUFFER_OVERFLOW_ERROR;
		emit_utf16(e, u, n - carry);
		if (carry)
			u[0] = u[n - 1];
		if (st == U_BUFFER_OVERFLOW_ERROR)
			continue;
		if (is_conversion_error(st)) {
			char bad[32];
			int8_t nb = (int8_t)sizeof bad;
			UErrorCode st2 = U_ZERO_ERROR;
			ucnv_getInvalidChars(cv, bad, &nb, &st2);
			emit_bad(e, bad, U_SUCCESS(st2) ? (size_t)nb : 0);
			continue;
		}
		if (U_FAILURE(st))
			return NP_EENC;
		return 0;
	}
}
