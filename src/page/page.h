/* Page segmentation: the normalised lines of one raw page become the
 * page's articles (title, kicker, subtitle, authors, source, captions,
 * reflowed body), its teasers and the captions that belong to no article.
 * Metadata (dates, regions, events) is meta/'s job, run afterwards. */
#ifndef NP_PAGE_PAGE_H
#define NP_PAGE_PAGE_H

#include "record/article.h"
#include "text/text.h"
#include "util/arena.h"
#include "util/diag.h"

typedef struct np_page_opts {
	const char *source_file; /* relative to the site root, for records */
	const char *path;        /* for diagnostics (usually == source_file) */
	np_str issue;            /* YYYY-MM-DD or null */
	int page;                /* page number, 0 if unknown */
	bool debug;              /* add NP_NOTE diagnostics tracing decisions */
} np_page_opts;

/* Segments one page.  Fills out (arena-owned) with articles in reading
 * order; each article gets title/kicker/subtitle/authors/source/captions/
 * body/summary/line/col/source_file/issue/page (id and slug are assigned by
 * the caller, which knows the whole issue).  Pages it cannot segment
 * confidently produce warnings naming path:line and still yield records.
 *
 * Guarantees: every article has a non-empty title (one the page lacks is
 * made from the first words, with a warning); headlines, bylines, source
 * lines, captions and teasers never appear in a body; bodies are Markdown
 * whose paragraphs are separated by one blank line, with a leading Markdown
 * character escaped; teasers and page captions are in page order.  With
 * opts->debug, NP_NOTE diagnostics trace each element and grouping decision.
 * Time and memory are linear in the page (tests/unit/test_page_pathological).
 * Returns 0 (no failure mode today besides running out of memory, which
 * aborts). */
int np_page_parse(np_page_result *out, const np_text *text, const np_page_opts *opts,
                  np_arena *a, np_diags *d);

#endif
