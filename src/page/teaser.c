/* Teasers: headlines of articles printed on other pages, each followed by
 * the page it points to ("深圳破解社工组织首贷难题" / "09 版", page 000).  Several
 * can run together on one line, each ended by its own "NN 版" (page 004:
 * "县域社工人才建设正稳步提速 09 版山东：加快搭建社工服务载体" + next line
 * "超九成乡镇建成社工站 08 版"): the text between two markers belongs to the
 * second.  A teaser's text may span the short lines before its marker. */
#include "internal.h"

enum { MAX_PIECES = 4, MAX_TEASER_CPS = 60 };

typedef struct piece {
	np_str s;
	size_t line; /* line index */
} piece;

typedef struct tstate {
	piece p[MAX_PIECES];
	size_t n;
} tstate;

/* Finds the next "NN版" page marker in s at or after *from.  On success
 * start and end delimit the marker and the page number is returned; 0 when
 * there is none.  "第9版", "2.0版" and words such as 版面/版权 are not
 * markers. */
static int next_marker(np_str s, size_t from, size_t *start, size_t *end)
{
	static const char *const words[] = {"面", "权", "本", "图", "式", "块",
	                                    "税", "画", "次", "型", "号"};
	for (size_t i = from; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9' ||
		    (i > 0 && ((s.p[i - 1] >= '0' && s.p[i - 1] <= '9') || s.p[i - 1] == '.')))
			continue;
		if (i >= 3 && memcmp(s.p + i - 3, "第", 3) == 0)
			continue;
		size_t j = i, page = 0;
		while (j < s.len && j - i < 3 && s.p[j] >= '0' && s.p[j] <= '9')
			page = page * 10 + (size_t)(s.p[j++] - '0');
		if (j < s.len && s.p[j] >= '0' && s.p[j] <= '9')
			continue;
		while (j < s.len && s.p[j] == ' ')
			j++;
		if (j + 3 > s.len || memcmp(s.p + j, "版", 3) != 0 || page == 0)
			continue;
		np_str after = np_str_sub(s, j + 3, 3);
		bool word = false;
		for (size_t w = 0; w < sizeof words / sizeof *words; w++)
			word |= np_str_eq_c(after, words[w]);
		if (word)
			continue;
		*start = i;
		*end = j + 3;
		return (int)page;
	}
	return 0;
}

static void push_piece(tstate *st, np_str s, size_t line)
{
	s = np_str_trim(s);
	if (!s.len)
		return;
	if (st->n == MAX_PIECES) {
		memmove(st->p, st->p + 1, (MAX_PIECES - 1) * sizeof *st->p);
		st->n--;
	}
	st->p[st->n++] = (piece){s, line};
}

static bool pieces_ok(const tstate *st)
{
	size_t cps = 0;
	for (size_t i = 0; i < st->n; i++) {
		cps += np_page_cps(st->p[i].s);
		if (np_str_find(st->p[i].s, NP_STR("。")) != (size_t)-1)
			return false;
	}
	return st->n > 0 && cps <= MAX_TEASER_CPS;
}

/* Room for one more teaser, by doubling: a page of thousands of teaser
 * lines stays linear in memory (fuzz finding teasers_quadratic_memory). */
static void grow_teasers(np_pctx *c, np_page_result *o)
{
	if (o->n_teasers < c->cap_teasers)
		return;
	c->cap_teasers = c->cap_teasers ? np_mul(c->cap_teasers, 2) : 8;
	np_teaser *grown = NP_ANEWN(c->a, np_teaser, c->cap_teasers);
	if (o->n_teasers)
		memcpy(grown, o->teasers, o->n_teasers * sizeof *grown);
	o->teasers = grown;
}

/* Title is the longest piece (a section label such as 江西： joined to the
 * piece after it); the other pieces, in order, are the kicker. */
static void emit(np_pctx *c, tstate *st, int page)
{
	np_buf kick;
	np_buf_init(&kick);
	np_str merged[MAX_PIECES];
	size_t n = 0, best = 0;
	for (size_t i = 0; i < st->n; i++) {
		np_str s = st->p[i].s;
		if (np_str_ends(s, NP_STR("：")) && np_page_cps(s) <= 7 && i + 1 < st->n) {
			np_buf_clear(&c->scratch);
			np_buf_putstr(&c->scratch, s);
			np_buf_putstr(&c->scratch, st->p[++i].s);
			s = np_arena_str(c->a, np_str_of(&c->scratch));
		}
		merged[n++] = s;
	}
	for (size_t i = 1; i < n; i++)
		if (np_page_cps(merged[i]) > np_page_cps(merged[best]))
			best = i;
	for (size_t i = 0; i < n; i++) {
		if (i == best)
			continue;
		if (kick.len)
			np_buf_putc(&kick, ' ');
		np_buf_putstr(&kick, merged[i]);
	}
	np_page_result *o = c->out;
	grow_teasers(c, o);
	const np_line *l = &c->t->lines[st->p[0].line];
	o->teasers[o->n_teasers++] = (np_teaser){
	    merged[best], kick.len ? np_arena_str(c->a, np_str_of(&kick)) : (np_str){NULL, 0}, page,
	    l->line, l->col};
	for (size_t i = 0; i < st->n; i++)
		c->kind[st->p[i].line] = NP_L_TEASER;
	st->n = 0;
	np_buf_dispose(&kick);
}

/* A marker line with a teaser text of its own takes only the pieces set
 * right above it (no blank line between): a headline that ends the article
 * above is not part of "明日导读：… 04 版".  A bare "09 版" line takes the
 * short lines before it, blank lines or not (page 000). */
static void keep_adjacent(tstate *st, size_t li)
{
	size_t k = st->n, want = li;
	while (k > 0 && (st->p[k - 1].line == want || st->p[k - 1].line + 1 == want)) {
		want = st->p[k - 1].line;
		k--;
	}
	memmove(st->p, st->p + k, (st->n - k) * sizeof *st->p);
	st->n -= k;
}

/* One line with at least one marker: each marker closes a teaser. */
static bool marker_line(np_pctx *c, tstate *st, size_t li, np_str s)
{
	size_t from = 0, a, b;
	int page;
	tstate save = *st;
	bool any = false;
	/* Teaser lines are headline text: a sentence that names a page
	 * ("本报今日8版刊发了评论，…") is body. */
	static const char *const stops[] = {"。", "，", "；", "！", "？"};
	for (size_t i = 0; i < sizeof stops / sizeof *stops; i++)
		if (np_str_find(s, np_str_from(stops[i])) != (size_t)-1)
			return false;
	while ((page = next_marker(s, from, &a, &b)) != 0) {
		if (from == 0 && np_str_trim(np_str_sub(s, 0, a)).len)
			keep_adjacent(st, li);
		push_piece(st, np_str_sub(s, from, a - from), li);
		if (!pieces_ok(st)) {
			*st = save;
			return any;
		}
		emit(c, st, page);
		c->kind[li] = NP_L_TEASER;
		any = true;
		from = b;
	}
	if (any)
		push_piece(st, np_str_sub(s, from, s.len - from), li);
	return any;
}

void np_page_teasers(np_pctx *c)
{
	tstate st = {.n = 0};
	for (size_t i = 0; i < c->t->n; i++) {
		const np_line *l = &c->t->lines[i];
		np_lkind k = c->kind[i];
		if (k == NP_L_BLANK)
			continue;
		np_str s = np_str_trim(l->text);
		bool texty = k == NP_L_TEXT || k == NP_L_LABEL || k == NP_L_KICKER;
		size_t a, b;
		if (texty && next_marker(s, 0, &a, &b) && marker_line(c, &st, i, s))
			continue;
		if (texty && np_page_cps(s) <= MAX_TEASER_CPS &&
		    np_str_find(s, NP_STR("。")) == (size_t)-1)
			push_piece(&st, s, i);
		else
			st.n = 0;
	}
}
