/* The text layer: raw page bytes -> UTF-8 -> normalised lines -> paragraphs.
 *
 * Parsers take bytes; the loader (np_text_load_file) does the I/O.  Every
 * line keeps its source position (1-based line and code-point column of its
 * first non-space character) so later stages can name path:line:col.
 *
 * decode.c / normalise.c: decoding and character-level normalisation.
 * lines.c / reflow.c:    splitting into positioned lines, paragraph reflow. */
#ifndef NP_TEXT_TEXT_H
#define NP_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/strlist.h"

/* ---- decode ---------------------------------------------------------- */

/* Decodes raw bytes into UTF-8 (appended to out, no BOM, CRLF and CR turned
 * into LF).  declared: an encoding name from site.yaml / issue.yaml, or NULL
 * to detect (BOM first, then UTF-8 when valid or damaged in fewer than one
 * multi-byte sequence in nine, then ICU's charset detector among GB18030
 * and Big5, GB18030 when it names neither).  GBK/GB2312/CP936 decode as
 * GB18030; any other name ICU knows is accepted.
 * Invalid sequences become U+FFFD with a warning at the line and code-point
 * column of the U+FFFD in the decoded text, echoing that line:
 *   "invalid GB18030 byte sequence 0x81 0x20 replaced by U+FFFD"
 * (the first 20 one by one, then one line-0 warning "N more ...").
 * Input with NUL bytes (outside UTF-16/32), with more than 1% C0 control
 * bytes, or UTF-16 text holding U+0000 returns NP_ENOTTEXT with an error
 * diagnostic ("not a text file: ...; refused") and leaves out as it was;
 * an unknown declared encoding returns NP_EENC ("unknown encoding 'x'").
 * *enc_out, when not NULL, receives a static name of the encoding used
 * ("UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5", or ICU's name), or
 * NULL on error. */
int np_text_decode(np_buf *out, const char *bytes, size_t len, const char *declared,
                   const char *path, np_diags *d, const char **enc_out);

/* ---- normalise -------------------------------------------------------- */

/* Normalises one line of text (no '\n' inside) and appends it to out
 * (NUL-terminated).  Leading/trailing whitespace is dropped and every
 * kept run of spaces (ASCII, tab, U+3000, U+00A0, ...) becomes one ' '.
 *  - NFC (ICU is called only for lines that can be anything but NFC);
 *    U+200B and a stray U+FEFF are removed.
 *  - Full-width digits and Latin letters to ASCII (`２０２２` -> `2022`);
 *    `．` between digits and `％` after one to ASCII (`６３．７％` -> `63.7%`).
 *  - ASCII `,:;!?` with a Chinese neighbour (Han, kana or full-width
 *    punctuation, spaces skipped) to `，：；！？`; `(` `)` as a pair to
 *    `（）` when either has a Chinese neighbour; straight quotes in Chinese
 *    context to `“”` `‘’` (paired within the line).  Punctuation between
 *    Latin letters or digits stays (`63.7%`, `3,000`, `10:30`, `f(x)`).
 *  - Justification spaces go: after Chinese punctuation and opening
 *    brackets (`。 李` -> `。李`), before closing punctuation and full-width
 *    opening brackets (`联合会 ）`, `制度 ，`), between a number and Chinese
 *    (`8 月 16 日`, `全国 28 个省`, `50% 的`).  Spaces that belong to the
 *    text stay: between two Chinese words (`“村村播 家家富”`, headline
 *    `创新授信思路 深圳…`), before `“` or `《` after a word, in Latin text.
 * Never allocates per character: one scratch array per line, on the stack
 * for lines up to 1024 bytes. */
void np_text_normalise(np_buf *out, np_str line);

/* Splits a run of person names as typeset in a byline or credit and
 * appends each name (copied into a) to names, duplicates kept:
 *  - padding inside a name goes: single characters separated only by
 *    spaces join (`王  勇`, `王　勇` -> `王勇`);
 *  - a piece of two or more characters is a name of its own
 *    (`×××  ×××`, `张明敏  李雪梅` -> two names);
 *  - `、，,/；;（）` always separate (`张三、李四`); `·` stays inside
 *    a name (`阿依古丽·买买提`);
 *  - leading markers (U+25A0-U+25FF, e.g. `■`) and role words (`本报记者`,
 *    `记者`, `通讯员`, `实习生`, `特约记者`, ...) and trailing credit words
 *    (`摄`, `报道`, `整理`) are stripped, so passing the whole byline or
 *    only the part after the role word gives the same names;
 *  - pieces with anything but Han, Latin letters, `×` or `·` are dropped.
 * Works on raw or normalised text.  Names are copied into a. */
void np_text_split_names(np_str s, np_arena *a, np_strlist *names);

/* ---- lines ------------------------------------------------------------ */

typedef struct np_line {
	np_str raw;    /* the decoded line, without its '\n' */
	np_str text;   /* np_text_normalise(raw), arena-owned, NUL-terminated */
	unsigned line; /* 1-based line number in the file */
	unsigned col;  /* 1-based code-point column of the first non-space char */
	unsigned width; /* code points in text */
	bool blank;    /* nothing but whitespace (text is empty) */
} np_line;

typedef struct np_text {
	np_line *lines;
	size_t n;
	const char *path; /* for diagnostics; not owned */
} np_text;

/* Splits UTF-8 text into lines at '\n' (a final '\n' does not start an
 * empty line; empty input gives n == 0) and normalises each.  lines and
 * texts are allocated from a; raw slices point into utf8, which must
 * outlive out.  Returns 0 (NP_ELIMIT beyond 2^32 lines). */
int np_text_lines(np_text *out, np_str utf8, const char *path, np_arena *a);

/* The normalised lines joined with '\n' into one arena-owned string (for
 * page-level evidence such as the years a page names). */
np_str np_text_join(const np_text *t, np_arena *a);

/* Reads path, decodes (declared may be NULL) and splits into lines; the
 * decoded text is copied into a, so everything in out lives as long as a.
 * Unreadable file: NP_EIO with an error "cannot read: <strerror>"; other
 * errors as np_text_decode.  Invalid sequences are warnings (returns 0). */
int np_text_load_file(np_text *out, const char *path, const char *declared, np_arena *a,
                      np_diags *d);

#endif
