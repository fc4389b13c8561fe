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
	size_t npend; /* reports waiting for the end of their line */
} emitter;

static void emitter_init(emitter *e, np_buf *out, const char *path, np_diags *d, const char *enc)
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
/* True when a byte of w is below 0x10 (NUL, LF and CR are). */
static inline bool has_low_byte(uint64_t w)
{
	return ((w - 0x1010101010101010ull) & ~w & 0x8080808080808080ull) != 0;
}

static void emit_valid(emitter *e, const char *s, size_t len)
{
	size_t start = 0;
	if (e->skip_lf && len && s[0] == '\n')
		start = 1;
	e->skip_lf = false;
	for (size_t i = start; i < len; i++) {
		uint64_t w;
		if (i + 8 <= len && (memcpy(&w, s + i, 8), !has_low_byte(w))) {
			i += 7;
			continue;
		}
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

/* Length of the valid UTF-8 sequence at u (avail > 0 bytes), or 0: the
 * same rules as np_utf8_decode (no overlongs, surrogates or values past
 * U+10FFFF), inline because this loop sees every byte of every page. */
static inline size_t utf8_seq(const unsigned char *u, size_t avail)
{
	unsigned c = u[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return avail >= 2 && (u[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (avail < 3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && u[1] < 0xA0) || (c == 0xED && u[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (avail < 4 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80 ||
		    (u[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && u[1] < 0x90) || (c == 0xF4 && u[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
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
		size_t n = utf8_seq((const unsigned char *)s + i, len - i);
		if (n == 0)
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
	size_t want = c >= 0xF0 && c <= 0xF4   ? 4
	              : c >= 0xE0 && c <= 0xEF ? 3
	              : c >= 0xC2 && c <= 0xDF ? 2
	                                       : 1;
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

/* The canonical name we report for a declared or detected encoding, or NULL
 * to use ICU's own.  GBK, GB2312 and their aliases decode as GB18030, their
 * superset, so a mislabelled GB18030 page still decodes. */
static const char *canonical(const char *name)
{
	static const char *const gb[] = {"GB18030", "GBK",         "GB2312",
	                                 "CP936",   "windows-936", "EUC-CN"};
	static const char *const big5[] = {"Big5", "Big5-HKSCS", "CP950", "windows-950"};
	if (ucnv_compareNames(name, "UTF-8") == 0 || ucnv_compareNames(name, "UTF8") == 0)
		return "UTF-8";
	for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++)
		if (ucnv_compareNames(name, gb[i]) == 0)
			return "GB18030";
	for (size_t i = 0; i < sizeof big5 / sizeof big5[0]; i++)
		if (ucnv_compareNames(name, big5[i]) == 0)
			return i == 1 ? "Big5-HKSCS" : "Big5";
	if (ucnv_compareNames(name, "UTF-16LE") == 0)
		return "UTF-16LE";
	if (ucnv_compareNames(name, "UTF-16BE") == 0)
		return "UTF-16BE";
	return NULL;
}

/* ICU's detector over (a sample of) the bytes, keeping only the Chinese
 * encodings; GB18030 when it names neither, as mainland papers are the
 * common case and GB18030 maps every byte sequence somewhere. */
static const char *detect(const char *s, size_t len)
{
	const char *found = "GB18030";
	UErrorCode st = U_ZERO_ERROR;
	UCharsetDetector *csd = ucsdet_open(&st);
	if (U_FAILURE(st))
		return found;
	int32_t n = 0;
	ucsdet_setText(csd, s, (int32_t)(len < NP_DETECT_SAMPLE ? len : NP_DETECT_SAMPLE), &st);
	const UCharsetMatch **m = ucsdet_detectAll(csd, &n, &st);
	for (int32_t i = 0; U_SUCCESS(st) && i < n; i++) {
		const char *name = ucsdet_getName(m[i], &st);
		if (U_SUCCESS(st) && (strcmp(name, "GB18030") == 0 || strcmp(name, "Big5") == 0)) {
			found = strcmp(name, "Big5") == 0 ? "Big5" : "GB18030";
			break;
		}
	}
	ucsdet_close(csd);
	return found;
}

/* Refuses NUL bytes and input with many C0 control characters (more than
 * 1 in 100 bytes, and at least 4): such a file is binary, not a page. */
static int check_text(const char *s, size_t len, const char *path, np_diags *d)
{
	const char *z = memchr(s, '\0', len);
	if (z) {
		np_diag_add(d, NP_ERROR, path, 0, 0,
		            "not a text file: NUL byte at offset %zu (UTF-16 needs a byte-order "
		            "mark); refused",
		            (size_t)(z - s));
		return NP_ENOTTEXT;
	}
	size_t ctl = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		ctl +=
		    (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) ||
		    c == 0x7F;
	}
	if (ctl >= 4 && ctl * 100 > len) {
		np_diag_add(d, NP_ERROR, path, 0, 0,
		            "not a text file: %zu control bytes in %zu; refused", ctl, len);
		return NP_ENOTTEXT;
	}
	return 0;
}

/* True for valid UTF-8, and for UTF-8 with a few damaged sequences: at
 * least 8 valid multi-byte sequences per invalid one.  GB18030 and Big5
 * text almost never forms valid UTF-8 sequences (a GB lead byte followed
 * by an ASCII or another lead byte), so damage does not make a UTF-8 page
 * fall through to the detector and come out as mojibake. */
static bool mostly_utf8(const char *s, size_t len)
{
	size_t i = utf8_valid_prefix(s, len), good = 0, bad = 0;
	if (i == len)
		return true;
	for (size_t k = 0; k < i; k++)
		good += ((unsigned char)s[k] & 0xC0) == 0xC0;
	while (i < len) {
		uint32_t cp;
		size_t n = np_utf8_decode(s + i, len - i, &cp);
		if (cp == NP_REPLACEMENT && n == 1) {
			bad++;
			n = utf8_bad_len(s + i, len - i);
		} else {
			good += n > 1;
		}
		i += n;
	}
	return good >= 8 * bad;
}

static bool is_utf16(const char *enc, const char *exact)
{
	return strcmp(enc, exact) == 0 || ucnv_compareNames(enc, "UTF-16") == 0;
}

/* A declared encoding: our canonical name or ICU's static one, and the BOM
 * to skip when the bytes start with the BOM of that very encoding. */
static int choose_declared(const char *s, size_t len, const char *declared, const char **enc,
                           size_t *skip)
{
	*enc = canonical(declared);
	if (!*enc) {
		UErrorCode st = U_ZERO_ERROR;
		UConverter *cv = ucnv_open(declared, &st);
		*enc = U_SUCCESS(st) ? ucnv_getName(cv, &st) : NULL;
		ucnv_close(cv);
		if (!*enc || U_FAILURE(st))
			return NP_EENC;
	}
	bool le = len >= 2 && memcmp(s, "\xFF\xFE", 2) == 0;
	bool be = len >= 2 && memcmp(s, "\xFE\xFF", 2) == 0;
	if (strcmp(*enc, "UTF-8") == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		*skip = 3;
	} else if ((le && is_utf16(*enc, "UTF-16LE")) || (be && is_utf16(*enc, "UTF-16BE"))) {
		*skip = 2;
		*enc = le ? "UTF-16LE" : "UTF-16BE";
	}
	return 0;
}

/* Which encoding to use and how many BOM bytes to skip: declared, else
 * BOM, else (mostly) valid UTF-8, else the detector. */
static int choose(const char *s, size_t len, const char *declared, const char **enc, size_t *skip)
{
	*skip = 0;
	if (declared && *declared)
		return choose_declared(s, len, declared, enc, skip);
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		*enc = "UTF-8";
		*skip = 3;
	} else if (len >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0)) {
		*enc = s[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
		*skip = 2;
	} else if (mostly_utf8(s, len)) {
		*enc = "UTF-8";
	} else {
		*enc = detect(s, len);
	}
	return 0;
}

static int decode_with(emitter *e, const char *enc, const char *s, size_t len)
{
	if (strcmp(enc, "UTF-8") == 0) {
		decode_utf8(e, s, len);
		return 0;
	}
	UErrorCode st = U_ZERO_ERROR;
	UConverter *cv = ucnv_open(enc, &st);
	if (U_FAILURE(st))
		return NP_EENC;
	int rc = decode_icu(e, cv, s, len);
	ucnv_close(cv);
	return rc;
}

int np_text_decode(np_buf *out, const char *bytes, size_t len, const char *declared,
                   const char *path, np_diags *d, const char **enc_out)
{
	const char *enc = NULL;
	size_t skip = 0;
	int rc = choose(bytes, len, declared, &enc, &skip);
	if (rc) {
		np_diag_add(d, NP_ERROR, path, 0, 0, "unknown encoding '%s'", declared);
		goto out;
	}
	bool wide = strncmp(enc, "UTF-16", 6) == 0 || strncmp(enc, "UTF-32", 6) == 0;
	if (!wide)
		rc = check_text(bytes, len, path, d);
	if (rc)
		goto out;
	emitter e;
	emitter_init(&e, out, path, d, enc);
	rc = decode_with(&e, enc, bytes + skip, len - skip);
	if (rc == NP_EENC) {
		np_diag_add(d, NP_ERROR, path, 0, 0, "unknown encoding '%s'", enc);
		goto undo;
	}
	emitter_finish(&e);
	if (e.nul) {
		np_diag_add(d, NP_ERROR, path, 0, 0, "not a text file: U+0000 in %s text; refused",
		            enc);
		rc = NP_ENOTTEXT;
		goto undo;
	}
	goto out;
undo:
	np_buf_truncate(out, e.base);
out:
	if (enc_out)
		*enc_out = rc == 0 ? enc : NULL;
	return rc;
}
