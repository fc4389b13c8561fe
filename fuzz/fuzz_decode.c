/* fuzz_decode: the first thing a raw page meets.  Arbitrary bytes through
 * np_text_decode() (detection, or a declared encoding chosen by the first
 * byte) and, when they decode, np_text_lines().
 *
 * Contracts checked (src/text/text.h):
 *  - on success the output is well-formed UTF-8 with no NUL and no CR, and
 *    the encoding used is named;
 *  - on failure out is left as it was (here: empty) and an error says why;
 *  - lines cover the text in order, 1-based, each normalised line valid
 *    UTF-8 without '\n' and with width == its code points. */
#include <string.h>

#include "fuzz.h"
#include "text/text.h"
#include "util/arena.h"
#include "util/err.h"

/* Declared encodings as site.yaml / issue.yaml may name them; NULL means
 * detect.  "x-no-such" exercises the unknown-encoding path. */
static const char *const declared_names[] = {
	NULL, "UTF-8", "GB18030", "GBK", "gb2312", "Big5", "UTF-16LE", "UTF-16BE", "UTF-16",
	"UTF-32", "Shift_JIS", "ISO-8859-1", "x-no-such",
};
enum { N_DECLARED = sizeof declared_names / sizeof *declared_names };

static void check_lines(const np_text *t, np_str utf8)
{
	size_t covered = 0;
	for (size_t i = 0; i < t->n; i++) {
		const np_line *l = &t->lines[i];
		FUZZ_CHECK(l->line == i + 1);
		FUZZ_CHECK(l->col >= 1);
		FUZZ_CHECK(l->raw.p >= utf8.p && l->raw.p + l->raw.len <= utf8.p + utf8.len);
		FUZZ_CHECK(memchr(l->raw.p, '\n', l->raw.len) == NULL);
		FUZZ_CHECK(memchr(l->text.p, '\n', l->text.len) == NULL);
		FUZZ_CHECK(l->text.p[l->text.len] == '\0');
		FUZZ_CHECK(fuzz_utf8_valid(l->text.p, l->text.len));
		FUZZ_CHECK(l->width == np_utf8_count(l->text.p, l->text.len));
		FUZZ_CHECK(l->blank == (l->text.len == 0));
		covered += l->raw.len + 1;
	}
	FUZZ_CHECK(covered >= utf8.len && covered <= utf8.len + 1);
}

static void one(const char *bytes, size_t len, const char *declared)
{
	np_diags d;
	np_diags_init(&d);
	np_buf out;
	np_buf_init(&out);
	const char *enc = "unset";
	int rc = np_text_decode(&out, bytes, len, declared, "raw.txt", &d, &enc);
	fuzz_check_diags(&d);
	if (rc != 0) {
		FUZZ_CHECK(out.len == 0);
		FUZZ_CHECK(enc == NULL);
		FUZZ_CHECK(d.errors > 0);
		goto out;
	}
	FUZZ_CHECK(enc != NULL);
	FUZZ_CHECK(fuzz_utf8_valid(out.data, out.len));
	FUZZ_CHECK(memchr(out.data, '\0', out.len) == NULL);
	FUZZ_CHECK(memchr(out.data, '\r', out.len) == NULL);
	np_arena a;
	np_arena_init(&a);
	np_text t;
	np_str utf8 = np_str_of(&out);
	FUZZ_CHECK(np_text_lines(&t, utf8, "raw.txt", &a) == 0);
	check_lines(&t, utf8);
	np_arena_dispose(&a);
out:
	np_buf_dispose(&out);
	np_diags_dispose(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Always once with detection on the whole input, the way an issue
	 * without `encoding:` is read. */
	one((const char *)data, size, NULL);
	if (size > 0)
		one((const char *)data + 1, size - 1, declared_names[data[0] % N_DECLARED]);
	return 0;
}
