/* Internals of page segmentation, shared by the files of src/page/.
 *
 * The pipeline inside np_page_parse():
 *   classify.c  each line on its own: byline, source line, label, box, ...
 *   teaser.c    teasers pointing to other pages ("... 09 版"), consumed first
 *   segment.c   lines -> elements: paragraphs (reflowed, sentences joined
 *               across blank lines and dropped-in captions), heading parts,
 *               bylines, source lines, captions
 *   bigram.c    character-bigram statistics: page counts, headline overlap
 *   group.c     elements -> articles: which headline goes with which run of
 *               paragraphs, where orphaned ledes belong
 *   build.c     article fields: title/kicker/subtitle, authors, source, body
 *               Markdown, summary */
#ifndef NP_PAGE_INTERNAL_H
#define NP_PAGE_INTERNAL_H

#include <stdint.h>

#include "page/page.h"

typedef enum np_lkind {
	NP_L_BLANK,
	NP_L_TEXT,
	NP_L_TEASER,   /* consumed by a teaser */
	NP_L_BYLINE,   /* ■ 本报记者 王勇 */
	NP_L_SOURCE,   /* （据《福建日报》） and the like: ends an article */
	NP_L_LABEL,    /* 江西： / （探访）: section label next to a headline */
	NP_L_BOX,      /* 核心阅读 / 链接: box label */
	NP_L_HEADMARK, /* "# ..." : a headline marked by the extractor */
	NP_L_KICKER,   /* ends with ——: 引题 */
	NP_L_SUBTITLE, /* starts with ——: 副题 */
} np_lkind;

typedef enum np_ekind {
	NP_E_PARA,
	NP_E_HEAD, /* one part of a heading cluster (a unit of heading lines) */
	NP_E_BYLINE,
	NP_E_SOURCE,
	NP_E_CAPTION,
	NP_E_BOX,
} np_ekind;

typedef struct np_elem {
	np_ekind kind;
	size_t first, last; /* line indices, inclusive */
	np_str text;        /* PARA: reflowed; CAPTION/SOURCE: normalised */
	unsigned line, col;
	bool interloper;    /* CAPTION dropped into an open sentence */
	bool boxed;         /* PARA inside a 核心阅读-style box */
	bool explicit_head; /* HEAD marked "#", labelled, or a kicker line */
	bool label;         /* HEAD part that is only a section label */
	bool subhead;       /* HEAD demoted to an in-article subhead by group.c */
	bool indented;      /* first line was indented in the raw text */
} np_elem;

/* Page-wide counts of character bigrams inside lines (never across a line
 * break), to tell whether a break splits a word: a bigram that the page uses
 * elsewhere ("振兴" across 乡村振 / 兴金融部, page 000) joins. */
typedef struct np_bigrams {
	uint64_t *keys;
	uint32_t *counts;
	uint64_t *used; /* a bit per slot */
	size_t cap;     /* power of two, >= 64 */
} np_bigrams;

typedef struct np_pctx {
	const np_text *t;
	const np_page_opts *o;
	np_arena *a;
	np_diags *d;
	np_page_result *out;
	np_lkind *kind;   /* per line */
	unsigned *dw;     /* display width per line */
	unsigned *column; /* estimated column width around each line */
	np_bigrams bg;
	np_elem *el;
	size_t n_el, cap_el;
	size_t cap_teasers; /* of out->teasers */
	np_buf scratch, scratch2;
} np_pctx;

/* classify.c */
np_lkind np_page_classify_line(np_str text);
/* Names of a byline (■ 本报记者 王  勇 / 记者 A  B / 通讯员 ...), appended
 * to names; false when raw is not a byline. */
bool np_page_byline(np_str raw, np_arena *a, np_strlist *names);
/* The reporters in a dateline's brackets (记者 马  林  周雪梅 / 记者陈晓、
 * 林立新 / 记者 A 通讯员 B): false when inner is not roles and names.
 * Appends the names to names and, when canon is given, the canonical
 * text (记者马林、周雪梅) to canon. */
bool np_page_reporters(np_str inner, np_arena *a, np_strlist *names, np_buf *canon);
/* A source line: sets *source (arena-owned, 《》 removed; null for staff
 * lines such as （本报记者×××采访整理）) and adds reporters to authors. */
bool np_page_source_line(np_str text, np_arena *a, np_str *source, np_strlist *authors);
/* Byte offset where a trailing （据…） starts in a paragraph, or len. */
size_t np_page_tail_source(np_str para);
/* True for explicit photo captions and credits: 图为… / 图①：… / …摄 /
 * 受访者供图 / （人民视觉）. */
bool np_page_is_caption(np_str first, np_str last, size_t nlines);
/* How a paragraph opens: with a dateline (本报北京5月3日电（…）, 本报讯（…）,
 * 新华社…日电) or with a date or time word as news ledes do (5月2日，/ 近日，
 * / 清晨七点，/ 记者从…获悉).  Evidence that a paragraph starts a report
 * (or ends a box), never proof on its own except for a dateline. */
typedef enum np_lede { NP_LEDE_NONE, NP_LEDE_WHEN, NP_LEDE_DATELINE } np_lede;
np_lede np_page_lede_opener(np_str para);
/* Where a short bracketed tail such as （人民视觉） starts, or s.len. */
size_t np_page_paren_tail(np_str s);
/* Number of code points of s. */
size_t np_page_cps(np_str s);
bool np_page_has_punct(np_str s, bool commas);

/* teaser.c: finds teasers, marks their lines NP_L_TEASER. */
void np_page_teasers(np_pctx *c);

/* bigram.c */
void np_bigrams_build(np_bigrams *b, const np_text *t, np_arena *a);
uint32_t np_bigrams_count(const np_bigrams *b, uint32_t c1, uint32_t c2);
/* Share (0..1) of the distinct bigrams of head found in the first ~200
 * code points of text. */
double np_page_overlap(np_str head, np_str text);

/* segment.c: fills c->el. */
void np_page_segment(np_pctx *c);
np_elem *np_page_push(np_pctx *c, np_ekind k, size_t first, size_t last);

/* group.c: groups c->el into articles and hands them to np_page_build. */
int np_page_group(np_pctx *c);

/* An article before its fields are filled: its heading parts and runs. */
typedef struct np_draft {
	size_t *heads; /* element indices of the heading parts, in order */
	size_t n_heads;
	size_t *runs; /* run indices, body order */
	size_t n_runs;
} np_draft;

/* build.c: fills c->out (articles in draft order, page captions).  erun maps
 * each element to its run (-1: none); every string is arena-owned. */
int np_page_build(np_pctx *c, const np_draft *arts, size_t n_arts, const int *erun, size_t n_runs,
                  const np_strlist *page_caps);

#endif
