#include "util/utf8.h"

#include <stdbool.h>

size_t np_utf8_decode_any(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c = u[0];
	size_t n;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		goto bad;
	}
	if (len < n)
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = NP_REPLACEMENT;
	return 1;
}

size_t np_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = NP_REPLACEMENT;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t np_utf8_count(const char *s, size_t len)
{
	/* One step of np_utf8_decode per code point, so that an invalid byte
	 * counts one, as decoding replaced it. */
	size_t n = 0;
	uint32_t cp;
	for (size_t i = 0; i < len; n++)
		i += np_utf8_decode(s + i, len - i, &cp);
	return n;
}

bool np_utf8_valid(const char *s, size_t len)
{
	uint32_t cp;
	for (size_t i = 0; i < len;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = np_utf8_decode(s + i, len - i, &cp);
		if (cp == NP_REPLACEMENT && !(k == 3 && (unsigned char)s[i] == 0xEF))
			return false;
		i += k;
	}
	return true;
}

size_t np_utf8_prev(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	size_t i = len - 1;
	size_t lim = len > 4 ? len - 4 : 0;
	while (i > lim && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	uint32_t cp;
	if (np_utf8_decode(s + i, len - i, &cp) == len - i)
		return i;
	return len - 1;
}

int np_is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x3134F) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       cp == 0x3007;
}
