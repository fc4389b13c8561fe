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

/* ---- decode ---------------------------------------------------------- */

/* Decodes raw bytes into UTF-8 (appended to out, no BOM, CRLF and CR turned
 * into LF).  declared: an encoding name from site.yaml / issue.yaml, or NULL
 * to detect (BOM first, then valid UTF-8, then ICU's charset detector among
 * GB18030 and Big5).  Invalid sequences become U+FFFD with a warning naming
 * path:line:col.  Input with NUL bytes (outside UTF-16) or that is not text
 * returns NP_ENOTTEXT with an error diagnostic; an unknown declared encoding
 * returns NP_EENC.  *enc_out, when not NULL, receives a static name of the
 * encoding used ("UTF-8", "UTF-16LE", "GB18030", "Big5", ...). */
int np_text_decode(np_buf *out, const char *bytes, size_t len, const char *declared,
                   const char *path, np_diags *d, const char **enc_out);

/* ---- normalise -------------------------------------------------------- */

/* Normalises one line of text (no '\n' inside) and appends it to out:
 * NFC; full-width ASCII digits/letters to ASCII; ASCII punctuation in
 * Chinese context to full-width; straight quotes in Chinese context to
 * curly; justification spaces removed (after Chinese punctuation, between
 * digits and Chinese, around Chinese punctuation, before closing brackets)
 * while spaces that belong to the text stay (between two Chinese phrases,
 * e.g. inside quotes, titles and headlines; in Latin text).  Leading/trailing whitespace is dropped. */
void np_text_normalise(np_buf *out, np_str line);

/* Normalises a run of person names as typeset in a byline or credit:
 * "王  勇" -> one name "王勇"; "×××  ×××" -> two names.  Appends each name
 * (arena-owned) to names. */
typedef struct np_strlist np_strlist;
void np_text_split_names(np_str s, np_arena *a, np_strlist *names);

/* ---- lines ------------------------------------------------------------ */

typedef struct np_line {
	np_str raw;    /* the decoded line, without its '\n' */
	np_str text;   /* np_text_normalise(raw), arena-owned */
	unsigned line; /* 1-based line number in the file */
	unsigned col;  /* 1-based code-point column of the first non-space char */
	unsigned width; /* code points in text */
	bool blank;    /* nothing but whitespace */
} np_line;

typedef struct np_text {
	np_line *lines;
	size_t n;
	const char *path; /* for diagnostics; not owned */
} np_text;

/* Splits UTF-8 text into lines and normalises each (arena-owned). */
int np_text_lines(np_text *out, np_str utf8, const char *path, np_arena *a);

/* Reads path, decodes (declared may be NULL) and splits into lines. */
int np_text_load_file(np_text *out, const char *path, const char *declared, np_arena *a,
                      np_diags *d);

#endif
