/* Elements -> articles.
 *
 * Paragraphs form runs: a run ends at a heading, and at a source line, which
 * terminates an article (（据中国社会工作联合会）).  Headings form clusters
 * (consecutive heading parts).  Reading left to right, each cluster goes to
 * a neighbouring run that has no heading yet:
 *   - after a run that already has its heading, to the next run (the usual
 *     order, headline before body);
 *   - after a run without one, to whichever run its words match better:
 *     headlines restate their lede, so character-bigram overlap decides
 *     (page 003: 贵州：社会工作发展实现新突破 follows its own body and precedes
 *     another article's lede); a cluster whose parts match the two runs
 *     separately is split between them (page 004: a headline after its body
 *     directly followed by the next article's headline).
 * A single short heading inside an article that goes on (no source line
 * before it, no byline after it) is a subhead unless the evidence says a
 * report starts there (is_subhead).  Runs left without a heading are
 * separated ledes or continuations: they join the article whose headline
 * they match, as its lede when they match it best, else the article they
 * continue, else they stand alone (with a warning: no headline).  Last, a
 * lede-like paragraph inside another article's run that matches a headline
 * far better moves to that article (strays). */
#include "internal.h"

#include <stdarg.h>

#include "text/reflow.h"

enum { SUBHEAD_MAX_CPS = 16, ADOPT_WINDOW = 24, CLUSTER_MAX = 8, ABOVE_RUNS = 8 };
#define MATCH_MIN 0.2
#define ORPHAN_MIN 0.3
#define SUBHEAD_NEW_MIN 0.3 /* a short line restating the text below */
#define STRAY_MARGIN 0.2
#define SOME_MIN 0.1   /* shares a word or so */
#define NONE_MAX 0.05  /* shares no words */
#define STRONG_MIN 0.5 /* a line that restates the text below */

typedef struct run {
	size_t first_para; /* element index */
	bool terminated;   /* a source line ended it */
	bool byline_before;
	int article; /* -1 while none */
	int next;    /* next run of the same article, body order */
	size_t tok;  /* index in the token list */
} run;

typedef struct tok {
	bool is_run;
	size_t a, b; /* run: run index; cluster: element range [a, b] */
} tok;

typedef struct grp {
	np_pctx *c;
	int *erun; /* per element: owning run, -1 = none */
	run *runs;
	size_t n_runs;
	tok *toks;
	size_t n_toks;
	np_draft *arts;
	size_t n_arts;
	int *first_run, *last_run; /* per article */
	np_strlist page_caps;
} grp;

/* ---- runs and clusters ---------------------------------------------- */

static size_t new_run(grp *g, size_t e, bool byline)
{
	g->runs[g->n_runs] = (run){e, false, byline, -1, -1, g->n_toks};
	g->toks[g->n_toks++] = (tok){true, g->n_runs, 0};
	return g->n_runs++;
}

/* Bylines wait for the run they introduce (headline, byline, body); one
 * after the last run of the page, or before a headline, closes the run before
 * it (page 003 ends with a lede and its byline). */
typedef struct pending {
	size_t *el;
	size_t n;
} pending;

static void settle(grp *g, pending *p, int to)
{
	for (size_t i = 0; i < p->n; i++)
		g->erun[p->el[i]] = to;
	p->n = 0;
}

/* A caption inside a sentence goes to the article of that paragraph;
 * between a byline and its body, to that body's article (photo_credits
 * golden page); else to the run it stands in, or the page (-1). */
static void caption(grp *g, pending *by, size_t i, int cur, int last)
{
	if (!g->c->el[i].interloper && cur < 0 && by->n)
		by->el[by->n++] = i;
	else
		g->erun[i] = g->c->el[i].interloper ? last : cur;
}

static void scan(grp *g)
{
	np_pctx *c = g->c;
	int cur = -1, last = -1;
	pending by = {NP_ANEWN(c->a, size_t, c->n_el + 1), 0};
	for (size_t i = 0; i < c->n_el; i++) {
		np_elem *e = &c->el[i];
		g->erun[i] = -1;
		switch (e->kind) {
		case NP_E_PARA:
		case NP_E_BOX:
			if (cur < 0) {
				cur = last = (int)new_run(g, i, by.n > 0);
				settle(g, &by, cur);
			}
			g->erun[i] = cur;
			break;
		case NP_E_HEAD:
			if (by.n && cur >= 0)
				settle(g, &by, cur);
			cur = -1;
			if (g->n_toks && !g->toks[g->n_toks - 1].is_run)
				g->toks[g->n_toks - 1].b = i;
			else
				g->toks[g->n_toks++] = (tok){false, i, i};
			break;
		case NP_E_BYLINE:
			by.el[by.n++] = i;
			break;
		case NP_E_SOURCE:
			g->erun[i] = last;
			if (last >= 0)
				g->runs[last].terminated = true;
			cur = -1;
			break;
		case NP_E_CAPTION:
			caption(g, &by, i, cur, last);
			break;
		}
	}
	settle(g, &by, last);
}

static np_str para_text(const grp *g, size_t r)
{
	return g->c->el[g->runs[r].first_para].text;
}

/* The words of heading parts [a, b] (element indices) joined. */
static np_str head_text(const grp *g, size_t a, size_t b)
{
	np_pctx *c = g->c;
	np_buf_clear(&c->scratch2);
	for (size_t i = a; i <= b; i++) {
		if (c->el[i].kind != NP_E_HEAD)
			continue;
		for (size_t l = c->el[i].first; l <= c->el[i].last; l++)
			np_buf_putstr(&c->scratch2, c->t->lines[l].text);
	}
	return np_arena_str(c->a, np_str_of(&c->scratch2));
}

static double ov(const grp *g, size_t a, size_t b, size_t r)
{
	return np_page_overlap(head_text(g, a, b), para_text(g, r));
}

/* ---- assignment ------------------------------------------------------ */

/* --debug tracing: a note at the element's position (np_page_opts.debug). */
static void note(grp *g, size_t el, const char *fmt, ...) NP_PRINTF(3, 4);

static void note(grp *g, size_t el, const char *fmt, ...)
{
	np_pctx *c = g->c;
	if (!c->o->debug)
		return;
	va_list ap;
	va_start(ap, fmt);
	np_buf_clear(&c->scratch);
	np_buf_vprintf(&c->scratch, fmt, ap);
	va_end(ap);
	np_diag_add(c->d, NP_NOTE, c->o->path, c->el[el].line, c->el[el].col, "%s",
	            c->scratch.data);
}

static void give(grp *g, size_t a, size_t b, size_t r)
{
	note(g, a, "headline of the body at line %u", g->c->el[g->runs[r].first_para].line);
	size_t k = g->n_arts++;
	g->arts[k] = (np_draft){NULL, 0, NULL, 0};
	g->arts[k].heads = NP_ANEWN(g->c->a, size_t, b - a + 1);
	for (size_t i = a; i <= b; i++)
		if (g->c->el[i].kind == NP_E_HEAD)
			g->arts[k].heads[g->arts[k].n_heads++] = i;
	g->runs[r].article = (int)k;
	g->first_run[k] = g->last_run[k] = (int)r;
}

static void to_captions(grp *g, size_t a, size_t b)
{
	for (size_t i = a; i <= b; i++)
		if (g->c->el[i].kind == NP_E_HEAD)
			np_strlist_add(&g->page_caps, g->c->a, head_text(g, i, i));
}

/* May a split fall between parts i-1 and i?  Not after a label or kicker
 * line, not before a subtitle line. */
static bool splittable(const np_pctx *c, size_t i)
{
	const np_elem *p = &c->el[i - 1], *e = &c->el[i];
	if (p->kind != NP_E_HEAD || e->kind != NP_E_HEAD)
		return false;
	if (p->label || c->kind[p->last] == NP_L_KICKER || c->kind[e->first] == NP_L_SUBTITLE)
		return false;
	return true;
}

/* Cluster [a, b] between an unheaded run p and run n: split when each side
 * matches its run; else all to the better match. */
static void between(grp *g, size_t a, size_t b, size_t p, size_t n)
{
	double best = -1;
	size_t at = 0;
	for (size_t k = a + 1; k <= b; k++) {
		if (!splittable(g->c, k))
			continue;
		double l = ov(g, a, k - 1, p), r = ov(g, k, b, n);
		if (l >= MATCH_MIN && r >= MATCH_MIN && l + r > best)
			best = l + r, at = k;
	}
	if (at) {
		give(g, a, at - 1, p);
		give(g, at, b, n);
		return;
	}
	double bonus = 0.1 + (g->runs[n].byline_before ? 0.5 : 0.0);
	double op = ov(g, a, b, p), on = ov(g, a, b, n);
	note(g, a, "overlap with the body before %.2f, after %.2f (+%.2f)", op, on, bonus);
	if (op > on + bonus)
		give(g, a, b, p);
	else
		give(g, a, b, n);
}

/* How well short line [a, a] matches the article above: its headline and
 * the first paragraphs of its first ABOVE_RUNS runs (sections), and the run
 * just before the line. */
static double ov_above(grp *g, size_t a, size_t prev)
{
	int art = g->runs[prev].article;
	const np_draft *d = &g->arts[art];
	double m = ov(g, a, a, prev);
	int r = g->first_run[art];
	for (int k = 0; r >= 0 && k < ABOVE_RUNS; r = g->runs[r].next, k++) {
		double f = ov(g, a, a, (size_t)r);
		m = f > m ? f : m;
	}
	if (d->n_heads) {
		np_str line = head_text(g, a, a);
		double h =
		    np_page_overlap(line, head_text(g, d->heads[0], d->heads[d->n_heads - 1]));
		m = h > m ? h : m;
	}
	return m;
}

/* A single short heading inside an article that goes on (no source line
 * before it, no byline after it) is a subhead, unless the evidence says a
 * new report starts: the paragraph below opens with a dateline; or the line
 * shares no words with the article above and the paragraph below opens like
 * a lede (a date, 近日，…) and shares a word with it, or shares several; or the line restates the
 * paragraph below and hardly matches the article above (short headlines of
 * reports without a byline, set under the previous one: golden page
 * short_heads).  A subhead names a part of its article, so it shares words
 * with it, or not many with the text below (core_box_feature: 一餐热饭暖人心;
 * short_heads: 农场带动村民增收). */
static bool is_subhead(grp *g, const tok *t, long prev, long next)
{
	np_pctx *c = g->c;
	if (prev < 0 || next < 0 || t->a != t->b || c->el[t->a].explicit_head)
		return false;
	const run *p = &g->runs[prev], *n = &g->runs[next];
	if (p->article < 0 || p->terminated || n->byline_before)
		return false;
	if (np_page_cps(head_text(g, t->a, t->b)) > SUBHEAD_MAX_CPS)
		return false;
	np_lede lede = np_page_lede_opener(para_text(g, (size_t)next));
	double below = ov(g, t->a, t->b, (size_t)next), above = ov_above(g, t->a, (size_t)prev);
	note(g, t->a, "short heading: overlap above %.2f, below %.2f, lede opener %d", above, below,
	     (int)lede);
	if (lede == NP_LEDE_DATELINE)
		return false;
	if (above < NONE_MAX &&
	    ((lede == NP_LEDE_WHEN && below >= SOME_MIN) || below >= SUBHEAD_NEW_MIN))
		return false;
	return below < STRONG_MIN || above >= MATCH_MIN;
}

static void link_run(grp *g, size_t r, int art, bool front)
{
	g->runs[r].article = art;
	if (front) {
		g->runs[r].next = g->first_run[art];
		g->first_run[art] = (int)r;
	} else {
		g->runs[g->last_run[art]].next = (int)r;
		g->last_run[art] = (int)r;
	}
}

/* A headline has a kicker, a few lines and a subtitle at most: of a longer
 * cluster of short lines only the last CLUSTER_MAX parts can be the next
 * headline; the others are captions (and the split search stays linear). */
static void trim_cluster(grp *g, tok *t)
{
	size_t parts = 0, i = t->b;
	for (; i > t->a; i--)
		if (g->c->el[i].kind == NP_E_HEAD && ++parts == CLUSTER_MAX)
			break;
	if (i > t->a) {
		to_captions(g, t->a, i - 1);
		t->a = i;
	}
}

static void assign(grp *g)
{
	for (size_t k = 0; k < g->n_toks; k++) {
		tok *t = &g->toks[k];
		if (t->is_run)
			continue;
		trim_cluster(g, t);
		long prev = k > 0 && g->toks[k - 1].is_run ? (long)g->toks[k - 1].a : -1;
		long next =
		    k + 1 < g->n_toks && g->toks[k + 1].is_run ? (long)g->toks[k + 1].a : -1;
		bool prev_free = prev >= 0 && g->runs[prev].article < 0;
		if (is_subhead(g, t, prev, next)) {
			g->c->el[t->a].subhead = true;
			note(g, t->a, "subhead inside the article above");
			g->erun[t->a] = (int)next;
			link_run(g, (size_t)next, g->runs[prev].article, false);
		} else if (next >= 0 && prev_free)
			between(g, t->a, t->b, (size_t)prev, (size_t)next);
		else if (next >= 0)
			give(g, t->a, t->b, (size_t)next);
		else if (prev_free && (ov(g, t->a, t->b, (size_t)prev) >= MATCH_MIN ||
		                       g->c->el[t->a].explicit_head))
			give(g, t->a, t->b, (size_t)prev);
		else
			to_captions(g, t->a, t->b);
	}
}

/* A run without a heading: a lede set apart from its article (page 003),
 * or the rest of an article after a caption or box. */
static void adopt(grp *g, size_t r, bool continues)
{
	double best = 0;
	int art = -1;
	/* A lede strays within its page, a few articles away: look at the
	 * articles of the runs nearby, so that a huge input stays linear. */
	size_t lo = r > ADOPT_WINDOW ? r - ADOPT_WINDOW : 0;
	for (size_t rr = lo; rr < g->n_runs && rr <= r + ADOPT_WINDOW; rr++) {
		int k = g->runs[rr].article;
		if (k < 0 || k == art || !g->arts[k].n_heads)
			continue;
		np_draft *d = &g->arts[k];
		double s = ov(g, d->heads[0], d->heads[d->n_heads - 1], r);
		if (s > best)
			best = s, art = k;
	}
	if (art >= 0 && best >= ORPHAN_MIN) {
		np_draft *d = &g->arts[art];
		double cur =
		    ov(g, d->heads[0], d->heads[d->n_heads - 1], (size_t)g->first_run[art]);
		note(g, g->runs[r].first_para,
		     "%s of the article at line %u (overlap %.2f, its body %.2f)",
		     best > cur ? "lede" : "continuation", g->c->el[d->heads[0]].line, best, cur);
		link_run(g, r, art, best > cur);
		return;
	}
	if (continues)
		link_run(g, r, g->runs[r - 1].article, false);
}

/* Runs without a heading.  One that matches no headline continues the
 * article of the run just before it when nothing ended that article (no
 * source line, no heading in between: a caption or box interrupted it);
 * otherwise it is an article of its own, without a headline. */
static void orphans(grp *g)
{
	for (size_t r = 0; r < g->n_runs; r++) {
		if (g->runs[r].article >= 0)
			continue;
		bool continues = r > 0 && g->runs[r - 1].article >= 0 &&
		                 !g->runs[r - 1].terminated &&
		                 g->runs[r].tok == g->runs[r - 1].tok + 1;
		adopt(g, r, continues);
		if (g->runs[r].article < 0) {
			size_t k = g->n_arts++;
			g->arts[k] = (np_draft){NULL, 0, NULL, 0};
			g->runs[r].article = (int)k;
			g->first_run[k] = g->last_run[k] = (int)r;
		}
	}
}

static double head_ov(grp *g, int art, np_str text)
{
	const np_draft *d = &g->arts[art];
	if (!d->n_heads)
		return 0;
	return np_page_overlap(head_text(g, d->heads[0], d->heads[d->n_heads - 1]), text);
}

/* The article nearby (by runs) whose headline paragraph e matches best,
 * other than art; -1 when none. */
static int best_headline(grp *g, size_t r, int art, np_str text, double *best)
{
	int found = -1;
	*best = 0;
	size_t lo = r > ADOPT_WINDOW ? r - ADOPT_WINDOW : 0;
	for (size_t rr = lo; rr < g->n_runs && rr <= r + ADOPT_WINDOW; rr++) {
		int k = g->runs[rr].article;
		if (k < 0 || k == art || k == found)
			continue;
		double s = head_ov(g, k, text);
		if (s > *best)
			*best = s, found = k;
	}
	return found;
}

/* A lede dropped among another article's paragraphs, with no headline
 * between (extraction order crossing columns): a paragraph inside a run
 * that opens like a lede (dateline, date, 近日…), matches another
 * article's headline (ORPHAN_MIN) clearly better than its own article's
 * headline and better than that article's present first paragraph.  It is
 * moved, alone, to the front of that article (golden page stray_lede). */
static void strays(grp *g)
{
	np_pctx *c = g->c;
	for (size_t i = 0; i < c->n_el; i++) {
		const np_elem *e = &c->el[i];
		int r = g->erun[i];
		if (e->kind != NP_E_PARA || e->boxed || r < 0 || g->runs[r].first_para == i ||
		    np_page_lede_opener(e->text) == NP_LEDE_NONE)
			continue;
		int own = g->runs[r].article;
		double best, mine = head_ov(g, own, e->text);
		int art = best_headline(g, (size_t)r, own, e->text, &best);
		if (art < 0 || best < ORPHAN_MIN || best < mine + STRAY_MARGIN ||
		    best <= head_ov(g, art, para_text(g, (size_t)g->first_run[art])))
			continue;
		note(g, i, "lede of the article at line %u, inside another's text (%.2f vs %.2f)",
		     c->el[g->arts[art].heads[0]].line, best, mine);
		size_t nr = g->n_runs++;
		g->runs[nr] = (run){i, false, false, -1, -1, 0};
		g->erun[i] = (int)nr;
		link_run(g, nr, art, true);
	}
}

/* Fills each draft's run list in body order. */
static void collect(grp *g)
{
	for (size_t k = 0; k < g->n_arts; k++) {
		np_draft *d = &g->arts[k];
		size_t n = 0;
		for (int r = g->first_run[k]; r >= 0; r = g->runs[r].next)
			n++;
		d->runs = NP_ANEWN(g->c->a, size_t, n + 1);
		for (int r = g->first_run[k]; r >= 0; r = g->runs[r].next)
			d->runs[d->n_runs++] = (size_t)r;
	}
}

int np_page_group(np_pctx *c)
{
	size_t n = c->n_el + 1;
	grp g = {.c = c};
	g.erun = NP_ANEWN(c->a, int, n);
	g.runs = NP_ANEWN(c->a, run, n);
	g.toks = NP_ANEWN(c->a, tok, n);
	g.arts = NP_ANEWN(c->a, np_draft, n);
	g.first_run = NP_ANEWN(c->a, int, n);
	g.last_run = NP_ANEWN(c->a, int, n);
	scan(&g);
	assign(&g);
	orphans(&g);
	strays(&g);
	collect(&g);
	return np_page_build(c, g.arts, g.n_arts, g.erun, g.n_runs, &g.page_caps);
}
