/* Minimal UTF-8 helpers for hot loops; ICU does everything beyond decoding
 * one code point. */
#ifndef NP_UTIL_UTF8_H
#define NP_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_REPLACEMENT 0xFFFDu

/* Decode one code point at s[0..len).  Stores it in *cp and returns the
 * number of bytes used (1..4).  An invalid or truncated sequence yields
 * U+FFFD and consumes 1 byte.  len must be > 0. */
size_t np_utf8_decode_any(const char *s, size_t len, uint32_t *cp);
/* The same, inline for the cases that fill Chinese text: ASCII and valid
 * three-byte sequences (the BMP outside surrogates); the rest is
 * np_utf8_decode_any's. */
static inline size_t np_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xF0) == 0xE0 && len >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		uint32_t c =
		    (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	return np_utf8_decode_any(s, len, cp);
}
/* Encode cp into out (4 bytes of room); returns the byte count.  Surrogates
 * and values above U+10FFFF encode as U+FFFD. */
size_t np_utf8_encode(uint32_t cp, char *out);
/* Number of code points in s (invalid bytes count one each). */
size_t np_utf8_count(const char *s, size_t len);
/* True when s is valid UTF-8 (a literal U+FFFD counts as valid). */
bool np_utf8_valid(const char *s, size_t len);
/* Byte offset of the start of the code point that ends at s+len. */
size_t np_utf8_prev(const char *s, size_t len);
/* True for Han ideographs (CJK Unified + extensions + compatibility). */
int np_is_han(uint32_t cp);

#endif
