/* Lines -> elements.
 *
 * A unit is a run of non-blank lines, cut before an indented line (the
 * extractor indents the first line of a new text box: page 003's first
 * lede line, page 004's second headline) and around every special line
 * (byline, source line, label, box label, marked headline).  Units are read
 * in order while a paragraph may be open (its text so far does not end a
 * sentence):
 *   - an open paragraph goes on across blank lines, column and page breaks
 *     (page 003's narrow columns break mid-sentence at blank lines);
 *   - a short line without punctuation dropped into an open sentence is a
 *     caption, and the sentence is joined around it (000: 促 / 中国社会工作
 *     联合会会长陈存根 / 进生态文明建设);
 *   - in closed context, a unit of a few short lines without sentence
 *     punctuation is a heading part, unless the word it ends continues in
 *     the next unit (000: 中国建设银行总行乡村振 / 兴金融部 …: the page
 *     uses 振兴 again and again; a bigram seen once may be chance, as a
 *     subhead 服务进家门 before 社工… on a page that names 南门社区);
 *   - in closed context, headline lines set directly above their body with
 *     no blank line are split off by width (heading_prefix: wider than the
 *     column, or short lines over a full one, or a lede that lost its
 *     indent under a wide headline);
 *   - after a box label (核心阅读, 链接) paragraphs are boxed until the box
 *     ends (box_para). */
#include "internal.h"

#include "text/reflow.h"
#include "util/utf8.h"

typedef struct seg {
	np_pctx *c;
	size_t *pend; /* line indices of the open paragraph */
	size_t n_pend;
	size_t *caps; /* captions found inside it (first, last line pairs),
	               * emitted after it */
	size_t n_caps;
	int box;          /* BOX_NONE / BOX_LABEL / BOX_OPEN */
	size_t box_paras; /* paragraphs in the open box */
} seg;

/* Boxes (核心阅读, 链接): the label, then one or more paragraphs.  A box
 * ends at a heading, byline or source line, at a paragraph that opens like
 * a lede (core_box_feature: 清晨七点，… after the key points; golden page
 * boxes: 本报讯…), and after BOX_MAX_PARAS paragraphs (a box of key points
 * or background is short; a lede that opens with none of the usual words
 * must not leave the whole article quoted). */
enum { BOX_NONE, BOX_LABEL, BOX_OPEN };
enum { BOX_MAX_PARAS = 4 };

enum { COLUMN_WINDOW = 8, HEAD_MAX_LINES = 4, HEAD_MAX_CPS = 40, CAPTION_MAX_CPS = 40 };
/* A one-line headline above its body: at most 2/3 of the column (an
 * indent the extractor dropped leaves 2-4 characters, 004: 为加强沪甘两地
 * 社会工作 is 22 of 30), matching the text below. */
#define SHORT_HEAD_MATCH 0.3

np_elem *np_page_push(np_pctx *c, np_ekind k, size_t first, size_t last)
{
	if (c->n_el == c->cap_el) {
		size_t cap = c->cap_el ? c->cap_el * 2 : 32;
		np_elem *n = NP_ANEWN(c->a, np_elem, cap);
		if (c->n_el)
			memcpy(n, c->el, c->n_el * sizeof *n);
		c->el = n;
		c->cap_el = cap;
	}
	np_elem *e = &c->el[c->n_el++];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->first = first;
	e->last = last;
	e->line = c->t->lines[first].line;
	e->col = c->t->lines[first].col;
	e->text = np_str_trim(c->t->lines[first].text);
	return e;
}

static bool indented(const np_line *l)
{
	return l->raw.len && (l->raw.p[0] == ' ' || l->raw.p[0] == '\t' ||
	                      np_str_starts(l->raw, NP_STR("\u3000")));
}

/* Column width around each line: the widest text line within a few lines,
 * so that a short last line of a paragraph stands out against it. */
static void columns(np_pctx *c)
{
	size_t n = c->t->n;
	for (size_t i = 0; i < n; i++) {
		unsigned w = 0;
		size_t lo = i > COLUMN_WINDOW ? i - COLUMN_WINDOW : 0;
		for (size_t j = lo; j < n && j <= i + COLUMN_WINDOW; j++)
			if (c->kind[j] == NP_L_TEXT && c->dw[j] > w)
				w = c->dw[j];
		c->column[i] = w;
	}
}

static np_str ltext(const seg *s, size_t i)
{
	return np_str_trim(s->c->t->lines[i].text);
}

/* Captions that interrupted a paragraph follow it as elements of their
 * own, so they belong to the paragraph's article. */
static void flush_captions(seg *s)
{
	for (size_t i = 0; i + 1 < s->n_caps; i += 2) {
		np_elem *e = np_page_push(s->c, NP_E_CAPTION, s->caps[i], s->caps[i + 1]);
		e->interloper = true;
	}
	s->n_caps = 0;
}

/* Whether paragraph e belongs to the open box; closes the box when not. */
static void box_para(seg *s, np_elem *e)
{
	if (s->box == BOX_OPEN &&
	    (s->box_paras >= BOX_MAX_PARAS || np_page_lede_opener(e->text) != NP_LEDE_NONE))
		s->box = BOX_NONE;
	e->boxed = s->box != BOX_NONE;
	if (e->boxed) {
		s->box = BOX_OPEN;
		s->box_paras++;
	}
}

/* Ends the open paragraph: joins its lines, splits off a reprint line run
 * into its last sentence, and emits it. */
static void close_para(seg *s)
{
	np_pctx *c = s->c;
	if (!s->n_pend)
		return;
	np_str *parts = NP_ANEWN(c->a, np_str, s->n_pend);
	for (size_t i = 0; i < s->n_pend; i++)
		parts[i] = c->t->lines[s->pend[i]].text;
	np_buf_clear(&c->scratch);
	np_reflow_join(&c->scratch, parts, s->n_pend, &c->scratch2);
	np_str text = np_arena_str(c->a, np_str_of(&c->scratch));
	size_t cut = np_page_tail_source(text);
	np_elem *e = np_page_push(c, NP_E_PARA, s->pend[0], s->pend[s->n_pend - 1]);
	e->text = np_str_trim((np_str){text.p, cut});
	box_para(s, e);
	if (cut < text.len) {
		np_elem *src =
		    np_page_push(c, NP_E_SOURCE, s->pend[s->n_pend - 1], s->pend[s->n_pend - 1]);
		src->text = np_str_sub(text, cut, text.len);
		s->box = BOX_NONE;
	}
	s->n_pend = 0;
	flush_captions(s);
}

/* Whether the open paragraph ends with a reprint line such as （据《福建
 * 日报》）, which a narrow column may wrap over two or three lines. */
static bool ends_with_source(seg *s)
{
	np_pctx *c = s->c;
	np_str last = ltext(s, s->pend[s->n_pend - 1]);
	if (!np_str_ends(last, NP_STR("）")))
		return false;
	size_t k = s->n_pend < 3 ? s->n_pend : 3;
	np_str parts[3];
	for (size_t i = 0; i < k; i++)
		parts[i] = ltext(s, s->pend[s->n_pend - k + i]);
	np_buf_clear(&c->scratch);
	np_reflow_join(&c->scratch, parts, k, &c->scratch2);
	np_str j = np_str_of(&c->scratch);
	return np_page_tail_source(j) < j.len || np_page_source_line(j, NULL, NULL, NULL);
}

static void reflow_unit(seg *s, size_t first, size_t last)
{
	np_pctx *c = s->c;
	for (size_t i = first; i <= last; i++) {
		s->pend[s->n_pend++] = i;
		if (i < last && np_reflow_ends_para(ltext(s, i), c->dw[i], c->column[i]))
			close_para(s);
	}
	/* A blank line (or a special line) after a sentence end is a break;
	 * so is a reprint line run into the last sentence (001). */
	np_str t = ltext(s, last);
	if (np_reflow_ends_sentence(t) || ends_with_source(s))
		close_para(s);
}

static bool head_line_ok(np_str t)
{
	size_t n = np_page_cps(t);
	if (n == 0 || n > HEAD_MAX_CPS)
		return false;
	size_t colon = np_str_find(t, NP_STR("："));
	if (colon != (size_t)-1 && np_page_cps((np_str){t.p, colon}) > 6)
		return false;
	/* 据了解，… / 他表示，…: a sentence opener, not a headline (002). */
	size_t comma = np_str_find(t, NP_STR("，"));
	if (comma != (size_t)-1 && np_page_cps((np_str){t.p, comma}) <= 8)
		return false;
	if (np_str_find(t, NP_STR("；")) != (size_t)-1)
		return false;
	for (size_t i = 0; i < t.len;) {
		uint32_t cp;
		i += np_utf8_decode(t.p + i, t.len - i, &cp);
		if (np_reflow_is_stop(cp))
			return false;
	}
	uint32_t last = np_reflow_last_cp(t);
	return last != 0xFF0C && last != 0x3001 && last != 0xFF1A;
}

/* Whether the word at the end of line a runs on into line b: the page
 * uses the bigram across the break at least `min` times elsewhere. */
static bool word_runs_on(const np_pctx *c, np_str a, np_str b, uint32_t min)
{
	return np_bigrams_count(&c->bg, np_reflow_last_cp(a), np_reflow_first_cp(b)) >= min;
}

static bool is_heading(seg *s, size_t first, size_t last, size_t next)
{
	if (last - first + 1 > HEAD_MAX_LINES)
		return false;
	np_pctx *c = s->c;
	for (size_t i = first; i <= last; i++) {
		if (!head_line_ok(ltext(s, i)))
			return false;
		/* A word broken over two lines is body text in a narrow
		 * column (004: 阐述了社 / 会工作的); headline lines break between
		 * phrases.  Twice: a headline's own words recur once in its
		 * lede (004: 推进 / 暨社工站 and 工作推进暨社工站). */
		if (i < last && word_runs_on(c, ltext(s, i), ltext(s, i + 1), 2))
			return false;
	}
	if (next < c->t->n && c->kind[next] == NP_L_TEXT && !indented(&c->t->lines[next]) &&
	    word_runs_on(c, ltext(s, last), ltext(s, next), 2))
		return false;
	return true;
}

/* A caption dropped into an open sentence: a short line (two when set off
 * by blank lines) without punctuation, with text going on after it, set off
 * by extra blank lines (000 and 001 both have three) or cutting a word in
 * two that the page uses elsewhere. */
static bool is_interloper(seg *s, size_t first, size_t last, size_t next, size_t blanks)
{
	np_pctx *c = s->c;
	np_str t = ltext(s, first);
	if (next >= c->t->n || c->kind[next] != NP_L_TEXT || last - first > 1)
		return false;
	for (size_t i = first; i <= last; i++)
		if (np_page_cps(ltext(s, i)) > CAPTION_MAX_CPS ||
		    np_page_has_punct(ltext(s, i), true))
			return false;
	if (blanks >= 2) /* a caption wrapped over two lines too */
		return true;
	if (first != last)
		return false;
	np_str before = ltext(s, s->pend[s->n_pend - 1]), after = ltext(s, next);
	return word_runs_on(c, before, after, 1) && !word_runs_on(c, before, t, 1) &&
	       !word_runs_on(c, t, after, 1);
}

/* Widest line of [first, last]. */
static unsigned widest(const np_pctx *c, size_t first, size_t last)
{
	unsigned w = 0;
	for (size_t i = first; i <= last; i++)
		w = c->dw[i] > w ? c->dw[i] : w;
	return w;
}

/* Headline lines wider than every body line below them cannot belong to
 * that justified column (003's first headline, when its lede is not
 * indented).  Returns how many leading lines are the headline (0: none). */
static size_t wide_prefix(seg *s, size_t first, size_t last)
{
	np_pctx *c = s->c;
	size_t k = 0;
	while (k < HEAD_MAX_LINES - 1 && first + k + 2 <= last && head_line_ok(ltext(s, first + k)))
		k++;
	for (; k > 0; k--) {
		unsigned body = widest(c, first + k, last), head = ~0u;
		for (size_t i = first; i < first + k; i++)
			head = c->dw[i] < head ? c->dw[i] : head;
		if (head > body + 2 &&
		    !word_runs_on(c, ltext(s, first + k - 1), ltext(s, first + k), 2))
			return k;
	}
	return 0;
}

/* One short line above a full one is also what a paragraph whose indent
 * the extractor dropped looks like (003: 中国社会工作联合会相关 / 负责人表示，
 * … and 记者从贵州省民政厅了解 / 到，…).  A one-line headline must be clearly
 * shorter than an indent makes a line, and restate the text below. */
static bool single_head_ok(seg *s, size_t first, size_t last, unsigned body)
{
	np_pctx *c = s->c;
	if (c->dw[first] * 3 > body * 2)
		return false;
	np_buf_clear(&c->scratch);
	for (size_t i = first + 1; i <= last && c->scratch.len < 600; i++)
		np_buf_putstr(&c->scratch, ltext(s, i));
	return np_page_overlap(ltext(s, first), np_str_of(&c->scratch)) >= SHORT_HEAD_MATCH;
}

/* Headline lines narrower than the column, set directly above a body that
 * starts with a full justified line (a headline wrapped over two short
 * lines, no blank line and no indent before the lede).  A body line that
 * stops short without a sentence end only ends a column, and a column does
 * not start a unit in closed context, so short unpunctuated leading lines
 * followed by a full line are a headline.  Needs two body lines to tell
 * full from short, and no word running on across the head/body break.
 * An indented first line is a paragraph start: indentation is what makes it
 * short (narrow_columns golden page). */
static size_t narrow_prefix(seg *s, size_t first, size_t last)
{
	np_pctx *c = s->c;
	if (indented(&c->t->lines[first]))
		return 0; /* an indented short line opens a paragraph */
	unsigned body = widest(c, first, last);
	size_t j = first;
	while (j < first + HEAD_MAX_LINES - 1 && j < last && c->dw[j] + 4 <= body &&
	       head_line_ok(ltext(s, j)))
		j++;
	if (j == first || j + 1 > last || c->dw[j] + 2 < body)
		return 0;
	for (size_t i = first; i < j; i++)
		if (word_runs_on(c, ltext(s, i), ltext(s, i + 1), 2))
			return 0;
	if (j - first == 1 && !single_head_ok(s, first, last, body))
		return 0;
	return j - first;
}

/* A wide headline whose last line is as wide as the column, directly above
 * a lede that lost its indent (003's first headline with the lede's indent
 * dropped: the lede's first line is then short without ending a sentence,
 * which a line inside a justified paragraph never is).  The body starts at
 * that short line, followed by a full one; before it, every line reads as a
 * headline and one at least is wider than the column. */
static size_t indent_prefix(seg *s, size_t first, size_t last)
{
	np_pctx *c = s->c;
	unsigned body = 0;
	for (size_t i = first; i <= last; i++)
		if (!head_line_ok(ltext(s, i)) && c->dw[i] > body)
			body = c->dw[i];
	bool wide = false;
	for (size_t j = first + 1; j < last && j < first + HEAD_MAX_LINES; j++) {
		wide = wide || c->dw[j - 1] > body + 2;
		if (!head_line_ok(ltext(s, j - 1)))
			return 0;
		if (wide && c->dw[j] + 4 <= body && c->dw[j + 1] + 2 >= body &&
		    !np_reflow_ends_sentence(ltext(s, j)) &&
		    !word_runs_on(c, ltext(s, j - 1), ltext(s, j), 2))
			return j - first;
	}
	return 0;
}

static size_t heading_prefix(seg *s, size_t first, size_t last)
{
	if (last - first < 2)
		return 0;
	size_t k = indent_prefix(s, first, last);
	if (!k)
		k = wide_prefix(s, first, last);
	return k ? k : narrow_prefix(s, first, last);
}

static void text_unit(seg *s, size_t first, size_t last, size_t next, size_t blanks)
{
	np_pctx *c = s->c;
	if (np_page_is_caption(ltext(s, first), ltext(s, last), last - first + 1)) {
		if (s->n_pend) {
			s->caps[s->n_caps++] = first;
			s->caps[s->n_caps++] = last;
		} else {
			np_page_push(c, NP_E_CAPTION, first, last);
		}
		return;
	}
	if (s->n_pend) {
		if (is_interloper(s, first, last, next, blanks)) {
			s->caps[s->n_caps++] = first;
			s->caps[s->n_caps++] = last;
			return;
		}
		reflow_unit(s, first, last);
		return;
	}
	if (s->box == BOX_LABEL) { /* a box's text, however short: 链接 / 项目清单 */
		reflow_unit(s, first, last);
		return;
	}
	if (is_heading(s, first, last, next)) {
		np_elem *e = np_page_push(c, NP_E_HEAD, first, last);
		e->indented = indented(&c->t->lines[first]);
		s->box = BOX_NONE;
		return;
	}
	size_t k = heading_prefix(s, first, last);
	if (k) {
		np_page_push(c, NP_E_HEAD, first, first + k - 1);
		s->box = BOX_NONE;
		first += k;
	}
	reflow_unit(s, first, last);
}

static void special_unit(seg *s, size_t i)
{
	np_pctx *c = s->c;
	close_para(s);
	np_elem *e;
	switch (c->kind[i]) {
	case NP_L_BYLINE:
		np_page_push(c, NP_E_BYLINE, i, i);
		break;
	case NP_L_SOURCE:
		np_page_push(c, NP_E_SOURCE, i, i);
		break;
	case NP_L_BOX:
		np_page_push(c, NP_E_BOX, i, i);
		s->box = BOX_LABEL;
		s->box_paras = 0;
		return;
	default: /* label, marked headline, kicker, subtitle */
		e = np_page_push(c, NP_E_HEAD, i, i);
		e->explicit_head = true;
		e->label = c->kind[i] == NP_L_LABEL;
		e->indented = indented(&c->t->lines[i]);
		break;
	}
	s->box = BOX_NONE;
}

/* End of the unit starting at line i: the last line before a blank, a
 * special line or an indented line. */
static size_t unit_end(const np_pctx *c, size_t i)
{
	size_t j = i;
	while (j + 1 < c->t->n && c->kind[j + 1] == NP_L_TEXT && !indented(&c->t->lines[j + 1]))
		j++;
	return j;
}

static size_t next_nonblank(const np_pctx *c, size_t i)
{
	while (i < c->t->n && c->kind[i] == NP_L_BLANK)
		i++;
	return i;
}

void np_page_segment(np_pctx *c)
{
	seg s = {c, NP_ANEWN(c->a, size_t, c->t->n + 1),
	         0, NP_ANEWN(c->a, size_t, np_mul(c->t->n + 1, 2)),
	         0, BOX_NONE,
	         0};
	columns(c);
	size_t blanks = 0;
	for (size_t i = 0; i < c->t->n;) {
		np_lkind k = c->kind[i];
		if (k == NP_L_BLANK || k == NP_L_TEASER) {
			blanks += k == NP_L_BLANK;
			i++;
			continue;
		}
		if (k != NP_L_TEXT) {
			special_unit(&s, i++);
			blanks = 0;
			continue;
		}
		size_t last = unit_end(c, i);
		text_unit(&s, i, last, next_nonblank(c, last + 1), blanks);
		blanks = 0;
		i = last + 1;
	}
	close_para(&s);
}
