/* np_text_decode and np_text_load_file: encodings, BOMs, line ends,
 * invalid sequences (exact diagnostic text, line and column) and refusal
 * of binary input.  Data: tests/data/text/ (sample.txt is a slice of a real
 * page; the other sample.* files are the same text in other encodings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "text/text.h"
#include "util/err.h"
#include "util/fs.h"

#define DATA NP_SOURCE_DIR "/tests/data/text/"

typedef struct fixture {
	np_buf out;
	np_diags d;
	const char *enc;
} fixture;

static int setup(void **state)
{
	fixture *f = np_xcalloc(1, sizeof *f);
	np_buf_init(&f->out);
	np_diags_init(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	np_buf_dispose(&f->out);
	np_diags_dispose(&f->d);
	free(f);
	return 0;
}

static int decode(fixture *f, const char *bytes, size_t len, const char *declared)
{
	np_buf_clear(&f->out);
	return np_text_decode(&f->out, bytes, len, declared, "p.txt", &f->d, &f->enc);
}

#define DECODE_LIT(f, lit, decl) decode((f), (lit), sizeof(lit) - 1, (decl))

static void read_data(const char *name, np_buf *b)
{
	np_buf path;
	np_buf_init(&path);
	np_buf_printf(&path, DATA "%s", name);
	assert_int_equal(np_fs_read(path.data, b), 0);
	np_buf_dispose(&path);
}

/* The decoded file equals the UTF-8 reference byte for byte. */
static void same_as(fixture *f, const char *file, const char *ref, const char *declared,
                    const char *want_enc)
{
	np_buf raw, want;
	np_buf_init(&raw);
	np_buf_init(&want);
	read_data(file, &raw);
	read_data(ref, &want);
	assert_int_equal(decode(f, raw.data, raw.len, declared), 0);
	assert_string_equal(f->enc, want_enc);
	assert_int_equal(f->out.len, want.len);
	assert_memory_equal(f->out.data, want.data, want.len);
	assert_int_equal(f->d.len, 0);
	np_buf_dispose(&raw);
	np_buf_dispose(&want);
}

static void test_utf8_plain(void **state)
{
	fixture *f = *state;
	assert_int_equal(DECODE_LIT(f, "中国\n社会\n", NULL), 0);
	assert_string_equal(f->out.data, "中国\n社会\n");
	assert_string_equal(f->enc, "UTF-8");
	assert_int_equal(f->d.len, 0);
}

static void test_utf8_bom_and_crlf(void **state)
{
	fixture *f = *state;
	assert_int_equal(DECODE_LIT(f,
	                            "\xEF\xBB\xBF"
	                            "a\r\nb\rc\r\n\r\nd",
	                            NULL),
	                 0);
	assert_string_equal(f->out.data, "a\nb\nc\n\nd");
	same_as(f, "sample.utf8bom.txt", "sample.txt", NULL, "UTF-8");
}

static void test_utf16_with_bom(void **state)
{
	fixture *f = *state;
	same_as(f, "sample.utf16le.txt", "sample.txt", NULL, "UTF-16LE");
	same_as(f, "sample.utf16be.txt", "sample.txt", NULL, "UTF-16BE");
	/* a supplementary character (surrogate pair) */
	assert_int_equal(DECODE_LIT(f, "\xFF\xFE\x40\xD8\x0B\xDF", NULL), 0);
	assert_string_equal(f->out.data, "\xF0\xA0\x8C\x8B");
}

static void test_gb18030_detected(void **state)
{
	fixture *f = *state;
	same_as(f, "sample.gb18030.txt", "sample.txt", NULL, "GB18030");
}

static void test_big5_detected(void **state)
{
	fixture *f = *state;
	same_as(f, "big5.txt", "big5.utf8.txt", NULL, "Big5");
}

static void test_declared_wins(void **state)
{
	fixture *f = *state;
	same_as(f, "sample.gb18030.txt", "sample.txt", "gbk", "GB18030");
	same_as(f, "big5.txt", "big5.utf8.txt", "big5", "Big5");
	same_as(f, "sample.utf16le.txt", "sample.txt", "UTF-16", "UTF-16LE");
	same_as(f, "sample.utf16be.txt", "sample.txt", "utf-16be", "UTF-16BE");
	same_as(f, "sample.utf8bom.txt", "sample.txt", "utf8", "UTF-8");
	/* valid UTF-8 read as declared Latin-1 */
	assert_int_equal(DECODE_LIT(f, "\xC3\xA9", "ISO-8859-1"), 0);
	assert_string_equal(f->out.data, "\xC3\x83\xC2\xA9");
}

static void test_unknown_encoding(void **state)
{
	fixture *f = *state;
	assert_int_equal(DECODE_LIT(f, "abc", "no-such-encoding"), NP_EENC);
	assert_null(f->enc);
	assert_int_equal(f->d.len, 1);
	assert_int_equal(f->d.items[0].severity, NP_ERROR);
	assert_string_equal(f->d.items[0].msg, "unknown encoding 'no-such-encoding'");
}

static void test_invalid_utf8_position(void **state)
{
	fixture *f = *state;
	/* 0xFF on line 2 after two Chinese characters: column 3 */
	assert_int_equal(DECODE_LIT(f, "第一行\n中国\xFF社会\r\nok \xE4\xB8", "UTF-8"), 0);
	assert_string_equal(f->out.data, "第一行\n中国\xEF\xBF\xBD社会\nok \xEF\xBF\xBD");
	assert_int_equal(f->d.len, 2);
	np_diag *a = &f->d.items[0], *b = &f->d.items[1];
	assert_int_equal(a->severity, NP_WARNING);
	assert_string_equal(a->path, "p.txt");
	assert_int_equal(a->line, 2);
	assert_int_equal(a->col, 3);
	assert_string_equal(a->msg, "invalid UTF-8 byte sequence 0xFF replaced by U+FFFD");
	assert_string_equal(a->source_line, "中国\xEF\xBF\xBD社会");
	/* a truncated sequence at the end of the file: one U+FFFD for both bytes */
	assert_int_equal(b->line, 3);
	assert_int_equal(b->col, 4);
	assert_string_equal(b->msg, "invalid UTF-8 byte sequence 0xE4 0xB8 replaced by U+FFFD");
}

static void test_damaged_utf8_stays_utf8(void **state)
{
	fixture *f = *state;
	/* one bad byte among Chinese text: still UTF-8, not the detector */
	assert_int_equal(DECODE_LIT(f, "全国首届社会工作助力乡村振兴大会\n在宁夏\xB8举行", NULL),
	                 0);
	assert_string_equal(f->enc, "UTF-8");
	assert_string_equal(f->out.data,
	                    "全国首届社会工作助力乡村振兴大会\n在宁夏\xEF\xBF\xBD举行");
	assert_int_equal(f->d.len, 1);
	assert_int_equal(f->d.items[0].line, 2);
	assert_int_equal(f->d.items[0].col, 4);
	assert_string_equal(f->d.items[0].msg,
	                    "invalid UTF-8 byte sequence 0xB8 replaced by U+FFFD");
}

static void test_invalid_utf8_detected_as_gb(void **state)
{
	fixture *f = *state;
	/* Not UTF-8, so the detector picks GB18030; 0xFF is invalid there too. */
	assert_int_equal(DECODE_LIT(f, "\xD6\xD0\xB9\xFA\n\xC9\xE7\xFF\xBB\xE1", "GB18030"), 0);
	assert_string_equal(f->out.data, "中国\n社\xEF\xBF\xBD会");
	assert_int_equal(f->d.len, 1);
	assert_int_equal(f->d.items[0].line, 2);
	assert_int_equal(f->d.items[0].col, 2);
	assert_string_equal(f->d.items[0].msg,
	                    "invalid GB18030 byte sequence 0xFF replaced by U+FFFD");
}

static void test_many_invalid_capped(void **state)
{
	fixture *f = *state;
	char bad[100];
	memset(bad, 0xFF, sizeof bad);
	assert_int_equal(decode(f, bad, sizeof bad, "UTF-8"), 0);
	assert_int_equal(f->out.len, 300);
	assert_int_equal(f->d.len, 21);
	assert_int_equal(f->d.items[19].col, 20);
	assert_string_equal(f->d.items[20].msg,
	                    "80 more invalid UTF-8 byte sequences replaced by U+FFFD");
}

static void test_nul_refused(void **state)
{
	fixture *f = *state;
	assert_int_equal(DECODE_LIT(f, "abc\0def", NULL), NP_ENOTTEXT);
	assert_int_equal(f->out.len, 0);
	assert_int_equal(f->d.len, 1);
	assert_int_equal(f->d.items[0].severity, NP_ERROR);
	assert_int_equal(f->d.items[0].line, 0);
	assert_string_equal(f->d.items[0].msg, "not a text file: NUL byte at offset 3 "
	                                       "(UTF-16 needs a byte-order mark); refused");
	/* U+0000 inside UTF-16 text */
	assert_int_equal(DECODE_LIT(f,
	                            "\xFF\xFE"
	                            "a\0\0\0",
	                            NULL),
	                 NP_ENOTTEXT);
	assert_string_equal(f->d.items[1].msg, "not a text file: U+0000 in UTF-16LE text; refused");
	assert_int_equal(f->out.len, 0);
}

static void test_binary_refused(void **state)
{
	fixture *f = *state;
	char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (char)(i % 31 + 1);
	assert_int_equal(decode(f, bin, sizeof bin, NULL), NP_ENOTTEXT);
	assert_string_equal(f->d.items[0].msg,
	                    "not a text file: 216 control bytes in 256; refused");
}

static void test_appends_to_out(void **state)
{
	fixture *f = *state;
	np_buf_puts(&f->out, "keep|");
	assert_int_equal(np_text_decode(&f->out, "x", 1, NULL, "p", &f->d, NULL), 0);
	assert_string_equal(f->out.data, "keep|x");
	assert_int_equal(np_text_decode(&f->out, "\0", 1, NULL, "p", &f->d, NULL), NP_ENOTTEXT);
	assert_string_equal(f->out.data, "keep|x");
}

static void test_load_file(void **state)
{
	fixture *f = *state;
	np_arena a;
	np_arena_init(&a);
	np_text t;
	assert_int_equal(np_text_load_file(&t, DATA "sample.gb18030.txt", NULL, &a, &f->d), 0);
	assert_true(t.n > 10);
	assert_int_equal(t.lines[0].line, 1);
	assert_int_equal(np_text_load_file(&t, DATA "missing.txt", NULL, &a, &f->d), NP_EIO);
	assert_int_equal(f->d.len, 1);
	assert_string_equal(f->d.items[0].msg, "cannot read: No such file or directory");
	np_arena_dispose(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_utf8_plain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_utf8_bom_and_crlf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_utf16_with_bom, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gb18030_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_big5_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_declared_wins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_encoding, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_utf8_position, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_utf8_stays_utf8, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_utf8_detected_as_gb, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_invalid_capped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_binary_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_appends_to_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
