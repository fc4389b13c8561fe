/* Drafts -> np_article: headline fields, authors, source, captions, body
 * Markdown and summary. */
#include "internal.h"

#include "text/reflow.h"
#include "util/utf8.h"

enum { SUMMARY_SHORT = 40, SUMMARY_MAX = 200, UNTITLED_CPS = 30 };

typedef struct hline {
	np_str s;
	unsigned dw;
	np_lkind kind;
} hline;

static np_str arena_join(np_pctx *c, const np_str *parts, size_t n)
{
	np_buf_clear(&c->scratch);
	np_reflow_join(&c->scratch, parts, n, &c->scratch2);
	return np_arena_str(c->a, np_str_of(&c->scratch));
}

static np_str strip_dashes(np_str s)
{
	while (np_str_starts(s, NP_STR("—")))
		s = np_str_sub(s, 3, s.len);
	while (np_str_ends(s, NP_STR("—")))
		s.len -= 3;
	return np_str_trim(s);
}

/* "探索医社共治新路径 广东首个健共体…" (page 002): a kicker set on the
 * headline's line, told by one space outside quotes between two phrases, the
 * first no longer than the second.  Spaces inside quotes or title marks
 * belong to the text ("村村播 家家富"). */
static size_t kicker_space(np_str s)
{
	int depth = 0;
	size_t at = 0, spaces = 0;
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		size_t k = np_utf8_decode(s.p + i, s.len - i, &cp);
		if (cp == 0x201C || cp == 0x300A || cp == 0xFF08 || cp == 0x300C)
			depth++;
		else if ((cp == 0x201D || cp == 0x300B || cp == 0xFF09 || cp == 0x300D) &&
		         depth > 0)
			depth--;
		else if (cp == ' ' && depth == 0)
			at = i, spaces++;
		i += k;
	}
	if (spaces != 1)
		return 0;
	size_t l = np_page_cps((np_str){s.p, at}), r = np_page_cps(np_str_sub(s, at + 1, s.len));
	return l >= 4 && r >= 4 && l <= r ? at : 0;
}

static size_t head_lines(np_pctx *c, const np_draft *d, hline *out, size_t max)
{
	size_t n = 0;
	for (size_t h = 0; h < d->n_heads; h++) {
		const np_elem *e = &c->el[d->heads[h]];
		for (size_t l = e->first; l <= e->last && n < max; l++) {
			np_str s = np_str_trim(c->t->lines[l].text);
			while (s.len && s.p[0] == '#')
				s = np_str_trim(np_str_sub(s, 1, s.len));
			out[n++] = (hline){s, c->dw[l], c->kind[l]};
		}
	}
	return n;
}

typedef struct headparts {
	hline p[16]; /* unmarked headline lines, in order */
	size_t m;
	np_str label, kick, sub;
} headparts;

/* Sorts a cluster's lines: marked kicker (…——) and subtitle (——…) lines,
 * a section label (贵州：) and the unmarked lines.  A cluster of marked lines
 * only still has a headline: the first of them. */
static void sort_lines(np_pctx *c, const np_draft *d, headparts *h)
{
	hline hl[16];
	size_t n = head_lines(c, d, hl, 16);
	*h = (headparts){.m = 0};
	for (size_t i = 0; i < n; i++) {
		if (hl[i].kind == NP_L_KICKER && !h->kick.p)
			h->kick = strip_dashes(hl[i].s);
		else if (hl[i].kind == NP_L_SUBTITLE && !h->sub.p)
			h->sub = strip_dashes(hl[i].s);
		else if (hl[i].kind == NP_L_LABEL && np_str_ends(hl[i].s, NP_STR("：")))
			h->label = hl[i].s;
		else if (hl[i].kind != NP_L_LABEL)
			h->p[h->m++] = hl[i];
	}
	if (!h->m && n) {
		h->p[h->m++] = (hline){strip_dashes(hl[0].s), hl[0].dw, NP_L_TEXT};
		if (hl[0].kind == NP_L_KICKER)
			h->kick = (np_str){NULL, 0};
		else if (hl[0].kind == NP_L_SUBTITLE)
			h->sub = (np_str){NULL, 0};
	}
}

/* Headline lines -> title, kicker, subtitle.  Unmarked lines: a first line
 * much shorter than the second is a kicker; a line no wider than the one
 * before it continues a headline wrapped over lines (003, 004); a wider line
 * after the title starts the subtitle (003: 聚焦… / 社工机构、…积极参与). */
static void set_title(np_pctx *c, np_article *A, const np_draft *d)
{
	headparts h;
	sort_lines(c, d, &h);
	if (!h.m)
		return;
	size_t i = 0, np = 0, nr = 0;
	if (h.m >= 2 && !h.kick.p && h.p[0].dw * 3 <= h.p[1].dw * 2)
		h.kick = h.p[i++].s;
	np_str parts[17], rest[17];
	if (h.label.p)
		parts[np++] = h.label;
	parts[np++] = h.p[i++].s;
	while (i < h.m && h.p[i].dw <= h.p[i - 1].dw)
		parts[np++] = h.p[i++].s;
	A->title = arena_join(c, parts, np);
	if (i < h.m) {
		if (h.sub.p)
			rest[nr++] = h.sub;
		while (i < h.m)
			rest[nr++] = h.p[i++].s;
		h.sub = arena_join(c, rest, nr);
	}
	size_t at = h.m == 1 && !h.kick.p && !h.label.p ? kicker_space(A->title) : 0;
	if (at) {
		h.kick = (np_str){A->title.p, at};
		A->title = np_str_sub(A->title, at + 1, A->title.len);
	}
	A->kicker = h.kick.p ? np_arena_str(c->a, h.kick) : (np_str){NULL, 0};
	A->subtitle = h.sub.p ? np_arena_str(c->a, h.sub) : (np_str){NULL, 0};
}

/* ---- summary ------------------------------------------------------- */

static bool opener(uint32_t cp)
{
	return cp == 0x201C || cp == 0x2018 || cp == 0x300C || cp == 0x300E || cp == 0x300A ||
	       cp == 0xFF08;
}
static bool closer(uint32_t cp)
{
	return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0x300B ||
	       cp == 0xFF09;
}

/* The first sentence, or two when the first is short; cut at a comma
 * outside quotes when no sentence ends within SUMMARY_MAX code points. */
static np_str summary_of(np_str p)
{
	int depth = 0, sentences = 0;
	size_t cps = 0, comma = 0;
	for (size_t i = 0; i < p.len;) {
		uint32_t cp;
		i += np_utf8_decode(p.p + i, p.len - i, &cp);
		cps++;
		depth += opener(cp) ? 1 : closer(cp) && depth > 0 ? -1 : 0;
		if (depth == 0 && cp == 0xFF0C && cps <= SUMMARY_MAX)
			comma = i - 3;
		if (depth == 0 && np_reflow_is_stop(cp)) {
			while (i < p.len && closer(np_reflow_first_cp(np_str_sub(p, i, p.len))))
				i += 3;
			if (++sentences == 2 || cps >= SUMMARY_SHORT)
				return (np_str){p.p, i};
			if (i >= p.len)
				return p;
		}
		if (cps >= SUMMARY_MAX && sentences == 0)
			return comma ? (np_str){p.p, comma} : p;
	}
	return p;
}

/* ---- fields from elements ------------------------------------------ */

enum { AUTHORS_MAX = 32 }; /* more is not a byline; keeps dedup linear */

static void add_names(np_pctx *c, np_article *A, np_strlist *names)
{
	for (size_t i = 0; i < names->len && A->authors.len < AUTHORS_MAX; i++)
		np_strlist_add_unique(&A->authors, c->a, names->items[i]);
}

/* Datelines open the first paragraph of a report: 本报北京5月3日电（记者
 * 王勇 李明）, 本报讯（记者 …）, 新华社长沙5月3日电（记者 …）.  The dateline
 * stays at the body start (meta/ reads the date from it); its reporters are
 * rewritten without typesetting padding (记者王勇、李明).  Staff datelines
 * (本报) give authors.  A wire dateline (新华社, 中新社) gives source, and
 * its reporters are not authors: `authors` are the paper's own staff
 * reporters (spec), and the wire end line （新华社…电  记者…） is treated the
 * same way.  Fills d->skip (where the news starts, for the summary) and
 * returns the paragraph text to put in the body. */
typedef struct dline {
	np_str text; /* the paragraph, reporters canonical */
	size_t skip; /* byte offset after the dateline, 0 when none */
} dline;

static size_t agency(np_str p, bool *staff)
{
	static const char *const wire[] = {"新华社", "中新社"};
	*staff = np_str_starts(p, NP_STR("本报"));
	if (*staff)
		return 6;
	for (size_t i = 0; i < 2; i++)
		if (np_str_starts(p, np_str_from(wire[i])))
			return strlen(wire[i]);
	return 0;
}

static dline dateline(np_pctx *c, np_article *A, np_str p)
{
	dline r = {p, 0};
	bool staff;
	size_t ag = agency(p, &staff);
	if (!ag)
		return r;
	np_str head = np_str_sub(p, 0, p.len < 60 ? p.len : 60); /* 本报 + place + date */
	size_t dian = np_str_find(head, NP_STR("电（"));
	if (staff && np_str_starts(np_str_sub(p, ag, p.len), NP_STR("讯（")))
		dian = ag;
	if (!staff && dian == (size_t)-1 && np_str_find(head, NP_STR("日电")) == (size_t)-1)
		return r;
	if (!staff && !A->source.p)
		A->source = np_arena_str(c->a, np_str_sub(p, 0, ag));
	if (dian == (size_t)-1 && staff && np_str_starts(p, NP_STR("本报讯")))
		r.skip = 9; /* 本报讯  5月上旬，…: no reporters named */
	if (dian == (size_t)-1)
		return r;
	np_str rest = np_str_sub(p, dian + 6, p.len);
	size_t close =
	    np_str_find(np_str_sub(rest, 0, rest.len < 150 ? rest.len : 150), NP_STR("）"));
	if (close == (size_t)-1)
		return r;
	np_strlist names = {0};
	np_buf_clear(&c->scratch);
	if (!np_page_reporters((np_str){rest.p, close}, c->a, &names, &c->scratch))
		return r;
	if (staff)
		add_names(c, A, &names);
	np_buf_clear(&c->scratch2);
	np_buf_put(&c->scratch2, p.p, dian + 6);
	np_buf_putstr(&c->scratch2, np_str_of(&c->scratch));
	np_buf_putstr(&c->scratch2, np_str_sub(rest, close, rest.len));
	r.text = np_arena_str(c->a, np_str_of(&c->scratch2));
	r.skip = r.text.len - (rest.len - close - 3);
	return r;
}

enum { CREDIT_NAME_MAX = 4, CREDIT_HAN_MAX = 12 };

/* Start of the names of a photographer's credit that ends at `end` (where
 * 摄 stands): space-separated runs of Han of at most CREDIT_NAME_MAX, read
 * backwards up to punctuation or a longer run (图为…产品。李  华摄 -> 李  华,
 * 工人检验产品  张三  李四摄 -> 张三  李四).  Returns end when a name is
 * glued to the caption's words (图为工人张三摄: no telling where it starts). */
static size_t credit_names(np_str s, size_t end)
{
	size_t i = end, start = end, han = 0;
	while (i > 0) {
		size_t j = i, run = 0;
		while (j > 0 && s.p[j - 1] == ' ')
			j--;
		size_t k = j;
		while (k > 0) {
			uint32_t cp;
			size_t at = np_utf8_prev(s.p, k);
			np_utf8_decode(s.p + at, k - at, &cp);
			if (!np_is_han(cp) && cp != 0x00B7)
				break;
			k = at, run++;
		}
		if (!run || run > CREDIT_NAME_MAX || (han += run) > CREDIT_HAN_MAX)
			return start;
		start = k;
		if (k == 0 || s.p[k - 1] != ' ')
			return start; /* after punctuation: 。李  华摄 */
		i = k;
	}
	return start;
}

/* A caption's lines joined (a caption may wrap over a few lines), with the
 * names of a trailing photographer's credit unpadded: 图为…检验产品。
 * 李  华摄 -> 图为…检验产品。李华摄 (np_text_split_names joins a name
 * padded to three characters; two names get 、). */
static np_str caption_text(np_pctx *c, const np_elem *e)
{
	np_str parts[8];
	size_t n = 0;
	for (size_t l = e->first; l <= e->last && n < 8; l++)
		parts[n++] = c->t->lines[l].text;
	np_str t = arena_join(c, parts, n);
	size_t tail = np_page_paren_tail(t), she = tail - 3;
	if (tail < 3 || memcmp(t.p + she, "摄", 3) != 0)
		return t;
	size_t at = credit_names(t, she);
	np_strlist names = {0};
	if (at == she)
		return t;
	np_text_split_names(np_str_sub(t, at, she - at), c->a, &names);
	if (!names.len)
		return t;
	np_buf_clear(&c->scratch);
	np_str text = np_str_trim((np_str){t.p, at});
	np_buf_putstr(&c->scratch, text);
	uint32_t last = np_reflow_last_cp(text);
	if (np_is_han(last) || (last < 0x80 && last > ' '))
		np_buf_putc(&c->scratch, ' ');
	for (size_t i = 0; i < names.len; i++) {
		if (i)
			np_buf_puts(&c->scratch, "、");
		np_buf_putstr(&c->scratch, names.items[i]);
	}
	np_buf_putstr(&c->scratch, np_str_sub(t, she, t.len));
	return np_arena_str(c->a, np_str_of(&c->scratch));
}

/* Where the body being written stands: before its first paragraph (the
 * dateline and summary come from it), inside a box. */
typedef struct bstate {
	bool first, in_box;
} bstate;

/* A box is one Markdown block quote: its label in bold on the first line,
 * its paragraphs separated by an empty quoted line.  A boxed paragraph
 * without a label before it (a box label the page lost) is quoted alone. */
static void box_sep(np_buf *body, bstate *st, bool boxed)
{
	if (boxed && st->in_box)
		np_buf_puts(body, "\n>\n> ");
	else if (body->len)
		np_buf_puts(body, boxed ? "\n\n> " : "\n\n");
	else if (boxed)
		np_buf_puts(body, "> ");
	st->in_box = boxed;
}

static void para(np_pctx *c, np_article *A, const np_elem *e, np_buf *body, bstate *st)
{
	box_sep(body, st, e->boxed);
	if (st->first && !e->boxed) {
		dline dl = dateline(c, A, e->text);
		np_reflow_put_md(body, dl.text);
		A->summary = summary_of(np_str_sub(dl.text, dl.skip, dl.text.len));
		st->first = false;
	} else {
		np_reflow_put_md(body, e->text);
	}
}

static void element(np_pctx *c, np_article *A, const np_elem *e, np_buf *body, bstate *st)
{
	np_strlist names = {0};
	switch (e->kind) {
	case NP_E_PARA:
		para(c, A, e, body, st);
		break;
	case NP_E_HEAD: /* a subhead */
		box_sep(body, st, false);
		np_buf_puts(body, "### ");
		np_buf_putstr(body, e->text);
		break;
	case NP_E_BYLINE:
		np_page_byline(c->t->lines[e->first].raw, c->a, &names);
		add_names(c, A, &names);
		break;
	case NP_E_SOURCE:
		np_page_source_line(e->text, c->a, &A->source, &names);
		add_names(c, A, &names);
		break;
	case NP_E_CAPTION:
		np_strlist_add(&A->captions, c->a, caption_text(c, e));
		break;
	case NP_E_BOX:
		box_sep(body, st, false);
		np_buf_puts(body, "> **");
		np_buf_putstr(body, e->text);
		np_buf_puts(body, "**");
		st->in_box = true;
		break;
	}
}

/* The first words of s up to a comma or a stop, at most UNTITLED_CPS. */
static np_str first_words(np_str s)
{
	size_t i = 0, cps = 0;
	while (i < s.len && cps < UNTITLED_CPS) {
		uint32_t cp;
		size_t k = np_utf8_decode(s.p + i, s.len - i, &cp);
		if (cp == 0xFF0C || np_reflow_is_stop(cp) || cp == '\n')
			break;
		i += k, cps++;
	}
	return np_str_trim((np_str){s.p, i});
}

/* An article whose headline the page lacks (or lost) is titled from its
 * first words, so that every record has a title, and a warning says so. */
static void untitled(np_pctx *c, np_article *A)
{
	np_str t = first_words(A->summary.p ? A->summary : NP_STR(""));
	if (!t.len)
		t = first_words(A->body);
	if (!t.len)
		t = NP_STR("无题");
	A->title = np_arena_str(c->a, t);
	np_diag_add(c->d, NP_WARNING, c->o->path, A->line, A->col,
	            "article without a headline; titled from its first words");
}

/* The elements of each run in page order, as linked lists (head[r], then
 * next[i]); elements of no run that are captions go to the page. */
typedef struct runlists {
	long *head, *next;
} runlists;

static runlists link_runs(np_pctx *c, const int *erun, size_t n_runs)
{
	runlists L = {NP_ANEWN(c->a, long, n_runs + 1), NP_ANEWN(c->a, long, c->n_el + 1)};
	long *tail = NP_ANEWN(c->a, long, n_runs + 1);
	for (size_t r = 0; r < n_runs; r++)
		L.head[r] = tail[r] = -1;
	for (size_t i = 0; i < c->n_el; i++) {
		L.next[i] = -1;
		if (erun[i] < 0) {
			if (c->el[i].kind == NP_E_CAPTION)
				np_strlist_add(&c->out->captions, c->a, caption_text(c, &c->el[i]));
			continue;
		}
		size_t r = (size_t)erun[i];
		if (tail[r] >= 0)
			L.next[tail[r]] = (long)i;
		else
			L.head[r] = (long)i;
		tail[r] = (long)i;
	}
	return L;
}

static void build_one(np_pctx *c, np_article *A, const np_draft *d, const runlists *L, np_buf *body)
{
	bstate st = {true, false};
	np_buf_clear(body);
	if (d->n_heads) {
		set_title(c, A, d);
		A->line = c->el[d->heads[0]].line;
		A->col = c->el[d->heads[0]].col;
	}
	for (size_t j = 0; j < d->n_runs; j++)
		for (long i = L->head[d->runs[j]]; i >= 0; i = L->next[i])
			element(c, A, &c->el[i], body, &st);
	A->body = np_arena_str(c->a, np_str_of(body));
	A->summary = A->summary.p ? np_arena_str(c->a, A->summary) : (np_str){NULL, 0};
	A->source_file = c->o->source_file ? np_arena_str(c->a, np_str_from(c->o->source_file))
	                                   : (np_str){NULL, 0};
	A->issue = c->o->issue;
	A->page = c->o->page;
	if (!d->n_heads) {
		size_t f = d->n_runs ? (size_t)L->head[d->runs[0]] : 0;
		A->line = c->el[f].line;
		A->col = c->el[f].col;
	}
	if (!A->title.len)
		untitled(c, A);
}

int np_page_build(np_pctx *c, const np_draft *arts, size_t n_arts, const int *erun, size_t n_runs,
                  const np_strlist *page_caps)
{
	np_page_result *o = c->out;
	o->articles = NP_ANEWN(c->a, np_article, n_arts + 1);
	o->n_articles = n_arts;
	o->captions = *page_caps;
	runlists L = link_runs(c, erun, n_runs);
	np_buf body;
	np_buf_init(&body);
	for (size_t k = 0; k < n_arts; k++)
		build_one(c, &o->articles[k], &arts[k], &L, &body);
	np_buf_dispose(&body);
	return 0;
}
