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
size_t np_utf8_decode(const char *s, size_t len, uint32_t *cp);
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
