/* Paragraph reflow: hard-wrapped column lines back into paragraphs.
 *
 * Raw pages are text extracted from a printed column layout: every printed
 * line is a line of the file, justification pads lines with spaces, blank
 * lines appear wherever a column or a text box ended (also in the middle of
 * a sentence, sample page 003).  These are the primitives page/ uses to
 * decide where a paragraph ends and to join its lines; page/ decides what
 * a block is (headline, caption, body ...).
 *
 * Widths are display widths of the raw line: a full-width character (Han,
 * full-width punctuation) counts 2, anything else 1, inner spaces included
 * (justification spaces make full lines of a column equally wide). */
#ifndef NP_TEXT_REFLOW_H
#define NP_TEXT_REFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "text/text.h"
#include "util/buf.h"

/* Display width of s without leading/trailing whitespace (see above). */
unsigned np_reflow_dwidth(np_str s);

/* True for a code point that ends a sentence: 。！？… and the ASCII !?
 * (the normaliser leaves them in Latin text). */
bool np_reflow_is_stop(uint32_t cp);

/* True when text ends a sentence: its last code point is a stop, or a
 * closing quote/bracket (”’」』）》) directly after a stop, e.g. `。”`. */
bool np_reflow_ends_sentence(np_str text);

/* First and last code point of s (0 for an empty string). */
uint32_t np_reflow_first_cp(np_str s);
uint32_t np_reflow_last_cp(np_str s);

/* Whether a paragraph ends after a line of display width `w` and text
 * `text`, inside a block whose column is `column` wide: the line ends a
 * sentence and is at least two full-width characters shorter than the
 * column (a full line that happens to end with 。 goes on, since the
 * printed paragraph cannot be told apart from its continuation). */
bool np_reflow_ends_para(np_str text, unsigned w, unsigned column);

/* Joins the normalised texts of n lines of one paragraph into one
 * normalised paragraph appended to out.  No justification space survives at
 * a join (lines are trimmed; the joined text is normalised again so that
 * context rules see across the join); two Latin letters meeting at a join
 * get one space between them. */
void np_reflow_join(np_buf *out, const np_str *lines, size_t n, np_buf *scratch);

/* Appends paragraph text to out as one Markdown paragraph: a leading
 * character that Markdown would read as block syntax (#, >, -, +, *, =,
 * |, <, `, ~, "1." / "1)") is backslash-escaped, so the rendered text is the
 * text that was printed. */
void np_reflow_put_md(np_buf *out, np_str para);

#endif
