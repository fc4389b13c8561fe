/* Splitting decoded text into positioned, normalised lines, and the loader
 * that does the file I/O in front of the decoder (issue 3; STYLE.md habit 3:
 * parsers take bytes, loaders do I/O). */
#include <errno.h>

#include "text/text.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/utf8.h"

/* Code points of leading whitespace (ASCII blanks and U+3000). */
static unsigned lead_cols(np_str s)
{
	unsigned cols = 0;
	size_t i = 0;
	while (i < s.len) {
		if (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\f' || s.p[i] == '\v' ||
		    s.p[i] == '\r') {
			i++;
		} else if (s.len - i >= 3 && memcmp(s.p + i, "\xE3\x80\x80", 3) == 0) {
			i += 3;
		} else {
			break;
		}
		cols++;
	}
	return cols;
}

/* Code points in s, which is valid UTF-8 (np_text_normalise's output):
 * the bytes that are not continuation bytes. */
static size_t cp_count(np_str s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		n += ((unsigned char)s.p[i] & 0xC0) != 0x80;
	return n;
}

static size_t count_lines(np_str s)
{
	size_t n = 0;
	const char *p = s.p, *end = s.p + s.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		n++;
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

/* See text.h.  One scratch buffer for all lines; each normalised line is
 * copied into a once. */
int np_text_lines(np_text *out, np_str utf8, const char *path, np_arena *a)
{
	out->path = path;
	out->n = count_lines(utf8);
	out->lines = NULL;
	if (out->n > 0xFFFFFFF0u) {
		out->n = 0;
		return NP_ELIMIT;
	}
	if (out->n)
		out->lines = NP_ANEWN(a, np_line, out->n);
	np_buf tmp;
	np_buf_init(&tmp);
	const char *p = utf8.p, *end = utf8.p + utf8.len;
	for (size_t i = 0; i < out->n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		np_line *l = &out->lines[i];
		l->raw = (np_str){p, nl ? (size_t)(nl - p) : (size_t)(end - p)};
		l->line = (unsigned)i + 1;
		l->col = lead_cols(l->raw) + 1;
		np_buf_clear(&tmp);
		np_text_normalise(&tmp, l->raw);
		l->text = np_arena_str(a, np_str_of(&tmp));
		l->width = (unsigned)cp_count(l->text);
		l->blank = l->text.len == 0;
		p = nl ? nl + 1 : end;
	}
	np_buf_dispose(&tmp);
	return 0;
}

/* See text.h. */
int np_text_load_file(np_text *out, const char *path, const char *declared, np_arena *a,
                      np_diags *d)
{
	np_buf raw, utf8;
	np_buf_init(&raw);
	np_buf_init(&utf8);
	out->lines = NULL;
	out->n = 0;
	out->path = path;
	int rc = np_fs_read(path, &raw);
	if (rc) {
		np_diag_add(d, NP_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	rc = np_text_decode(&utf8, raw.data, raw.len, declared, path, d, NULL);
	if (rc)
		goto out;
	np_buf_dispose(&raw);
	rc = np_text_lines(out, np_arena_str(a, np_str_of(&utf8)), path, a);
out:
	np_buf_dispose(&raw);
	np_buf_dispose(&utf8);
	return rc;
}

np_str np_text_join(const np_text *t, np_arena *a)
{
	np_buf b;
	np_buf_init(&b);
	for (size_t i = 0; i < t->n; i++) {
		np_buf_putstr(&b, t->lines[i].text);
		np_buf_putc(&b, '\n');
	}
	np_str s = np_arena_str(a, np_str_of(&b));
	np_buf_dispose(&b);
	return s;
}
